"""The founder and employees as Mesa agents.

Each person has hours, a skill per domain, and two states that change with
time: ramp-up after hiring and fatigue from sustained overwork. Effective work
is hours x skill x ramp-up x (1 - fatigue loss). Each week a person takes the
work still open in their domains, in their own order, and then updates their
fatigue; an employee may quit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sellersim.domains import DOMAIN_INDEX, DOMAINS
from sellersim.scenario.schema import People

if TYPE_CHECKING:
    from sellersim.model import SellerModel

_WEEKS_PER_YEAR = 52.0


class Person(mesa.Agent):
    """Someone who works in the company; subclasses decide hours, order of work and quitting."""

    role: str = ""

    def __init__(
        self,
        model: SellerModel,
        name: str,
        skills: dict[str, float],
        hours_per_week: float,
        max_hours_per_week: float,
        salary_usd_per_month: float,
        hired_day: int,
        ramp_up_days: float,
    ) -> None:
        super().__init__(model)
        self.name = name
        self.skills = np.array([skills.get(d, 0.0) for d in DOMAINS])
        self.hours_per_week = hours_per_week
        self.max_hours_per_week = max_hours_per_week
        self.salary_usd_per_month = salary_usd_per_month
        self.hired_day = hired_day
        self.left_day: int | None = None
        self.ramp_up_days = ramp_up_days
        self.fatigue = 0.0
        self.hours_worked = 0.0
        self.effective_hours = 0.0  # hours of a fully skilled, rested, ramped-up person
        self.load = 0.0
        self._order = [DOMAIN_INDEX[d] for d in self.domain_order()]

    def domain_order(self) -> list[str]:
        """Domains this person works on, in the order they take them."""
        raise NotImplementedError

    @property
    def people_cfg(self) -> People:
        return self.model.config.people

    def ramp_up(self, day: int) -> float:
        """Share of full productivity reached ``day`` days into the job (linear ramp)."""
        tenure = day - self.hired_day
        if tenure >= self.ramp_up_days:
            return 1.0
        start = self.people_cfg.ramp_up_start
        return start + (1 - start) * tenure / self.ramp_up_days

    @property
    def productivity(self) -> float:
        """Share of productivity left after fatigue."""
        return 1.0 - self.people_cfg.fatigue_productivity_loss * self.fatigue

    def work(self, open_hours: np.ndarray, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Take open work (effective hours per domain, reduced in place) for one week.

        Returns the effective hours done and the raw hours spent, per domain.
        """
        eff = self.skills * self.ramp_up(day) * self.productivity
        order = self._order
        need = open_hours[order] / eff[order]
        demanded = float(need.sum())
        self.load = demanded / self.hours_per_week
        budget = min(demanded, self.max_hours_per_week)
        spent = np.zeros(len(DOMAINS))
        for k, d in enumerate(order):
            h = min(need[k], budget)
            if h <= 0:
                continue
            spent[d] = h
            budget -= h
        done = spent * eff
        open_hours -= done
        np.maximum(open_hours, 0.0, out=open_hours)
        self.hours_worked = float(spent.sum())
        self.effective_hours = float(done.sum())
        return done, spent

    def end_week(self) -> None:
        """Fatigue grows with hours above the onset and recovers otherwise."""
        cfg = self.people_cfg
        worked_load = self.hours_worked / self.hours_per_week
        if worked_load > cfg.fatigue_onset_load:
            self.fatigue = min(1.0, self.fatigue + cfg.fatigue_gain_per_week * (worked_load - cfg.fatigue_onset_load))
        else:
            self.fatigue *= 1 - cfg.fatigue_recovery_per_week


class Founder(Person):
    """The owner: works every domain in the strategy's priority order, long hours, never quits."""

    role = "founder"

    def __init__(self, model: SellerModel, priorities: list[str], **kwargs) -> None:
        self.priorities = list(priorities) + [d for d in DOMAINS if d not in priorities]
        super().__init__(model, **kwargs)

    def domain_order(self) -> list[str]:
        return [d for d in self.priorities if self.skills[DOMAIN_INDEX[d]] > 0]


class Employee(Person):
    """A hired specialist: best domains first, a little overtime, may quit when worn out."""

    def __init__(self, model: SellerModel, role: str, annual_quit_rate: float, **kwargs) -> None:
        self.role = role
        self.annual_quit_rate = annual_quit_rate
        super().__init__(model, **kwargs)

    def domain_order(self) -> list[str]:
        ranked = np.argsort(-self.skills, kind="stable")
        return [DOMAINS[i] for i in ranked if self.skills[i] > 0]

    def quits(self, rng: np.random.Generator) -> bool:
        """Draw whether this person quits this week; fatigue multiplies the base hazard."""
        cfg = self.people_cfg
        weekly = 1 - (1 - self.annual_quit_rate) ** (1 / _WEEKS_PER_YEAR)
        hazard = weekly * (1 + (cfg.fatigue_quit_multiplier - 1) * self.fatigue)
        return bool(rng.random() < hazard)
