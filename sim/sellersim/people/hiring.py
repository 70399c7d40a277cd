"""Recruiting as a SimPy process: a position opens, a search runs, a new employee starts or the search restarts.

SimPy time model: each open position is one process of one or more searches.
A search takes the role's time to hire when the HR work is done; luck stretches
or shortens it by a log-normal factor (``time_to_hire_sigma``), and the HR work
done while it runs sets its pace: each day counts as
``1 / (1 + hr_neglect_delay * (1 - HR service that day))`` of a day of search,
so the recruiting work the open position itself creates speeds it up. Poor
screening also loses candidates: a search ends without a hire, and starts again,
with chance ``failed_search_share * (1 - HR service)``.

Who you get: each skill of a hire is the role's skill times a log-normal draw
(``hire_skill_sigma``), less ``hr_neglect_skill_loss`` of it when nobody did the
HR work (screening and interviews), capped at 1. The k-th hire's skill luck and
health luck come from streams keyed by k, so a strategy's k-th hire meets the
same luck as another's. The hire starts at the first step of the ramp-up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator, Mapping

import mesa
import numpy as np
import simpy

from sellersim.events import EventLog
from sellersim.money.ledger import BANK, Ledger
from sellersim.people.agents import Employee
from sellersim.scenario.schema import People, Role


class Recruiter:
    """Opens positions and brings hires in when a search succeeds."""

    def __init__(
        self,
        *,
        model: mesa.Model,
        env: simpy.Environment,
        roles: Mapping[str, Role],
        people: People,
        ledger: Ledger,
        events: EventLog,
        hr_service: Callable[[], float],
        rng: np.random.Generator,
        hire_luck: Callable[[str, int], np.random.Generator],
        on_hire: Callable[[Employee, str], None],
    ) -> None:
        self.model = model
        self.env = env
        self.roles = roles
        self.people = people
        self.ledger = ledger
        self.events = events
        self.hr_service = hr_service
        self.rng = rng
        self.hire_luck = hire_luck  # ("skills" or "health", k): the k-th hire's own streams
        self.on_hire = on_hire
        self.open_positions: Counter[str] = Counter()
        self.times_to_hire: list[tuple[str, int]] = []  # (role, days from opening to hire) of each hire made
        self.failed_searches = 0
        self._hired = 0

    def open(self, role: str, day: int, reason: str) -> None:
        """Open a position for ``role``; a hire arrives after one or more searches."""
        spec = self.roles[role]
        self.open_positions[role] += 1
        self.ledger.post(day, BANK, "hiring", -spec.hiring_cost_usd)
        self.events.add(day, "position_opened", role=role, detail=reason, amount_usd=spec.hiring_cost_usd)
        self.env.process(self._recruit(role, day, reason))

    def _search(self, role: str) -> Generator[simpy.Event, None, None]:
        """One search: ``time_to_hire_days * luck`` days of HR work done, each calendar day counting
        ``1 / (1 + hr_neglect_delay * (1 - HR service that day))`` of one."""
        cfg = self.people
        luck = float(np.exp(cfg.time_to_hire_sigma * self.rng.standard_normal()))
        needed = max(1.0, self.roles[role].time_to_hire_days * luck)
        progress = 0.0
        while progress < needed - 1e-9:
            yield self.env.timeout(1)
            progress += 1 / (1 + cfg.hr_neglect_delay * (1 - self.hr_service()))

    def _recruit(self, role: str, opened_day: int, reason: str) -> Generator[simpy.Event, None, None]:
        while True:
            yield from self._search(role)
            if self.rng.random() >= self.people.failed_search_share * (1 - self.hr_service()):
                break
            self.failed_searches += 1
            self.events.add(int(self.env.now), "search_failed", role=role, detail=f"{role} search ended without a hire")
        day = int(self.env.now)
        self.open_positions[role] -= 1
        self.times_to_hire.append((role, day - opened_day))
        self.hire(role, day, reason=reason)

    def hire(self, role: str, day: int, *, reason: str = "") -> Employee:
        """Put a new ``role`` employee, with skills drawn around the role's, on the payroll from ``day``;
        ``reason`` is why the position was opened (the staffing rule that fired, a replacement)."""
        spec, cfg = self.roles[role], self.people
        self._hired += 1
        keep = 1 - cfg.hr_neglect_skill_loss * (1 - self.hr_service())
        luck = np.exp(cfg.hire_skill_sigma * self.hire_luck("skills", self._hired).standard_normal(len(spec.skills)))
        skills = {d: float(min(1.0, s * keep * k)) for (d, s), k in zip(spec.skills.items(), luck, strict=True)}
        person = Employee(
            self.model,
            role=role,
            annual_quit_rate=spec.annual_quit_rate,
            coordination_overhead_share=spec.coordination_overhead_share,
            fee_share_of_ad_spend=spec.fee_share_of_ad_spend,
            people=cfg,
            rng=self.hire_luck("health", self._hired),
            name=f"{spec.title} {self._hired}",
            skills=skills,
            hours_per_week=spec.hours_per_week,
            max_hours_per_week=spec.hours_per_week * (1 + cfg.employee_overtime_share),
            salary_usd_per_month=spec.salary_usd_per_month,
            hired_day=day,
            ramp_up_days=spec.ramp_up_days,
        )
        self.on_hire(person, reason)
        return person
