"""Recruiting as a SimPy process: a position opens, time passes, a new employee starts.

Time to hire is the role's typical time when the HR work is done, longer when
it is not, with log-normal luck. The hire starts at the ramp-up's first step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

import numpy as np
import simpy

from sellersim.domains import DOMAIN_INDEX
from sellersim.money.ledger import BANK
from sellersim.people.agents import Employee

if TYPE_CHECKING:
    from sellersim.model import SellerModel

_HR = DOMAIN_INDEX["hr"]


class Recruiter:
    """Opens positions and brings hires in when recruiting ends."""

    def __init__(self, model: SellerModel, rng: np.random.Generator, on_hire: Callable[[Employee], None]) -> None:
        self.model = model
        self.rng = rng
        self.on_hire = on_hire
        self.open_positions: Counter[str] = Counter()
        self.times_to_hire: list[tuple[str, int]] = []  # (role, days from opening to hire) of each hire made
        self._hired = 0

    def open(self, role: str, day: int, reason: str) -> None:
        """Open a position for ``role``; the hire arrives after the recruiting time."""
        m = self.model
        spec = m.config.roles[role]
        self.open_positions[role] += 1
        m.ledger.post(day, BANK, "hiring", -spec.hiring_cost_usd)
        m.events.add(day, "position_opened", role=role, detail=reason, amount_usd=spec.hiring_cost_usd)
        delay = m.config.people.hr_neglect_delay * (1 - m.workload.service[_HR])
        days = (
            spec.time_to_hire_days
            * (1 + delay)
            * float(np.exp(m.config.people.time_to_hire_sigma * self.rng.standard_normal()))
        )
        m.env.process(self._recruit(role, max(1, round(days))))

    def _recruit(self, role: str, days: int) -> Generator[simpy.Event, None, None]:
        yield self.model.env.timeout(days)
        self.open_positions[role] -= 1
        self.times_to_hire.append((role, days))
        self.hire(role, int(self.model.env.now))

    def hire(self, role: str, day: int) -> Employee:
        """Put a new ``role`` employee on the payroll from ``day``."""
        m = self.model
        spec = m.config.roles[role]
        self._hired += 1
        person = Employee(
            m,
            role=role,
            annual_quit_rate=spec.annual_quit_rate,
            name=f"{spec.title} {self._hired}",
            skills=dict(spec.skills),
            hours_per_week=spec.hours_per_week,
            max_hours_per_week=spec.hours_per_week * (1 + m.config.people.employee_overtime_share),
            salary_usd_per_month=spec.salary_usd_per_month,
            hired_day=day,
            ramp_up_days=spec.ramp_up_days,
        )
        self.on_hire(person)
        return person
