"""Weekly work: hours demanded per domain, who does them, and the service levels that follow.

Every week the business creates work from what exists (drivers such as live
products, orders, purchase orders, open positions) plus the products in
development and part of last week's undone work. People take it in turn:
specialists first, the founder last, in priority order. The share of each
domain's work done, smoothed over weeks, is that domain's service level; it is
what the market, supply chain and money see of the people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from sellersim.domains import DOMAIN_INDEX, DOMAINS
from sellersim.people.agents import Person
from sellersim.scenario.schema import DRIVERS, Work


@dataclass(frozen=True)
class WeekOfWork:
    """Outcome of one week of work, per domain (arrays over DOMAINS)."""

    demand: np.ndarray  # effective hours wanted, backlog included
    done: np.ndarray  # effective hours done
    done_share: np.ndarray  # done / demand (1 where nothing was wanted)
    skill: np.ndarray  # average skill of the hours spent (0 where none)


class Workload:
    """Turns drivers into hours, runs the week's allocation and keeps service levels."""

    def __init__(self, cfg: Work) -> None:
        self.cfg = cfg
        self._matrix = np.zeros((len(DRIVERS), len(DOMAINS)))
        for i, driver in enumerate(DRIVERS):
            for domain, hours in cfg.drivers.get(driver, {}).items():
                self._matrix[i, DOMAIN_INDEX[domain]] = hours
        self.backlog = np.zeros(len(DOMAINS))
        self.service = np.ones(len(DOMAINS))
        none = np.zeros(len(DOMAINS))
        self.last = WeekOfWork(none, none, np.ones(len(DOMAINS)), none)

    def new_work(self, drivers: Mapping[str, float]) -> np.ndarray:
        """Hours a week the current state of the business creates in each domain."""
        counts = np.array([drivers.get(d, 0.0) for d in DRIVERS])
        return counts @ self._matrix

    def run_week(
        self, drivers: Mapping[str, float], extra: np.ndarray, people: Iterable[Person], day: int
    ) -> WeekOfWork:
        """Allocate this week's work among ``people`` (in the order given) and update service levels."""
        demand = self.new_work(drivers) + extra + self.backlog
        open_hours = demand.copy()
        done = np.zeros(len(DOMAINS))
        spent = np.zeros(len(DOMAINS))
        skill_hours = np.zeros(len(DOMAINS))
        for person in people:
            d, s = person.work(open_hours, day)
            done += d
            spent += s
            skill_hours += s * person.skills
        share = np.divide(done, demand, out=np.ones(len(DOMAINS)), where=demand > 1e-9)
        self.backlog = self.cfg.backlog_carry_share * open_hours
        self.service += (share - self.service) / self.cfg.service_smoothing_weeks
        skill = np.divide(skill_hours, spent, out=np.zeros(len(DOMAINS)), where=spent > 0)
        self.last = WeekOfWork(demand, done, share, skill)
        return self.last
