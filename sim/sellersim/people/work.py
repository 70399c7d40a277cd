"""Weekly work: hours demanded per domain, who does them, and the service levels that follow.

Every week the business creates work from what exists (drivers such as live
products, orders, purchase orders, open positions) plus the products in
development and part of last week's undone work. It is shared out in order:

1. the founder's own: reviews of product work others did (product control), then
   supervision of every employee (``supervision_hours_per_report``
   a week, times ``1 + supervision_unskilled_multiplier * (1 - skill)``), and each
   hire in ramp-up takes ``training_hours_per_week`` from the longest-serving
   colleague of the same role who is past ramp-up, or from the founder;
2. owned domains: a strategy may assign a domain to people ('founder' or roles);
   its owners work it first, in the order listed, and nobody else touches it.
   Domains are taken in the founder's priority order;
3. the rest: specialists first (fewest domains first), then the founder in
   priority order, each on the unowned domains they can do.

Everyone wastes ``admin_neglect_hours_lost_share`` of their hours, times the
share of admin work left undone (missing papers, locked accounts, broken tools). Work
done wrong stays open and returns as rework through the backlog. The share
of each domain's work done right, smoothed over weeks, is that domain's service
level: it is what the market, supply chain and money see of the people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sellersim.domains import DOMAIN_INDEX, DOMAINS
from sellersim.people.agents import Employee, Founder, Person
from sellersim.scenario.schema import DRIVERS, People, Work

_N = len(DOMAINS)
_ADMIN = DOMAIN_INDEX["admin"]


@dataclass(frozen=True)
class WeekOfWork:
    """Outcome of one week of work, per domain (arrays over DOMAINS)."""

    demand: np.ndarray  # effective hours wanted, backlog included
    done: np.ndarray  # effective hours done right
    errors: np.ndarray  # effective hours done wrong (left open as rework)
    done_share: np.ndarray  # done / demand (1 where nothing was wanted)
    skill: np.ndarray  # average skill (with ramp-up) of the hours spent (0 where none)
    founder_share: np.ndarray  # share of the raw hours spent that the founder spent (0 where none)
    others_skill: np.ndarray  # average skill (with ramp-up) of the hours others spent (0 where none)
    review_done_share: np.ndarray  # share of the founder's review hours asked that were done (1 where none)
    spare_hours: np.ndarray  # effective hours those able to work each domain had left in their normal week


@dataclass(frozen=True, slots=True)
class WeekAhead:
    """What the business is, and did over the last seven days, when a week's work is created."""

    listed_products: int  # on sale, waiting for their first stock, or being cleared out
    launching_products: int  # waiting for their first stock, or on sale for less than the launch period
    live_products: int  # on sale
    deal_event_ahead: bool  # a deal event starts within ``event_prep_days``
    units_sold: float  # over the last seven days
    returned_units: float  # over the last seven days
    revenue_usd: float  # over the last seven days
    open_purchase_orders: int
    shipments_in_transit: int
    open_positions: int


def work_drivers(week: WeekAhead, *, employees: Sequence[Employee], day: int) -> dict[str, float]:
    """The count of each of :data:`DRIVERS` this week; ``employees`` in ramp-up on ``day`` count as new hires."""
    return {
        "base": 1.0,
        "live_products": float(week.listed_products),
        "launching_products": float(week.launching_products),
        "orders": week.units_sold,
        "returns": week.returned_units,
        "open_purchase_orders": float(week.open_purchase_orders),
        "shipments_in_transit": float(week.shipments_in_transit),
        "open_positions": float(week.open_positions),
        "new_hires": float(sum(day - e.hired_day < e.ramp_up_days for e in employees)),
        "employees": float(len(employees)),
        "revenue_10k_usd": week.revenue_usd / 1e4,
        "events": float(week.live_products) if week.deal_event_ahead else 0.0,  # deal submissions and their prep
    }


class Workload:
    """Turns drivers into hours, shares the week's work out and keeps service levels."""

    def __init__(self, cfg: Work, people: People) -> None:
        self.cfg = cfg
        self.people = people
        self._matrix = np.zeros((len(DRIVERS), _N))
        for i, driver in enumerate(DRIVERS):
            for domain, hours in cfg.drivers.get(driver, {}).items():
                self._matrix[i, DOMAIN_INDEX[domain]] = hours
        self.backlog = np.zeros(_N)
        self.service = np.ones(_N)
        none = np.zeros(_N)
        self.last = WeekOfWork(none, none, none, np.ones(_N), none, none, none, np.ones(_N), none)

    def new_work(self, drivers: Mapping[str, float]) -> np.ndarray:
        """Hours a week the current state of the business creates in each domain."""
        counts = np.array([drivers.get(d, 0.0) for d in DRIVERS])
        return (counts[:, None] * self._matrix).sum(axis=0)  # not a BLAS product: its order of sums varies by CPU

    def run_week(
        self,
        *,
        drivers: Mapping[str, float],
        extra: np.ndarray,
        founder_review: np.ndarray,
        founder: Founder,
        employees: Sequence[Employee],
        assignments: Mapping[str, Sequence[str]],
        day: int,
    ) -> WeekOfWork:
        """Share this week's work out among the founder and ``employees`` and update service levels.

        ``extra`` is work anyone able may do (development stages); ``founder_review`` is work only the
        founder does, first (effective hours per domain).
        """
        demand = self.new_work(drivers) + extra + self.backlog
        crew: list[Person] = [*employees, founder]
        lost = self.people.admin_neglect_hours_lost_share * (1 - self.service[_ADMIN])
        for person in crew:
            person.start_week(day, hours_lost_share=lost)
        review_done = np.ones(_N)
        if founder_review.any():
            reviewed, _, _ = founder.work(founder_review.copy(), founder.order)
            np.divide(reviewed, founder_review, out=review_done, where=founder_review > 1e-9)
        self._manage(founder, employees, day)

        open_hours = demand.copy()
        done, errors, spent, skill_hours, founder_spent, founder_skill_hours = (np.zeros(_N) for _ in range(6))

        def take(person: Person, domains: Sequence[int]) -> None:
            right, wrong, raw = person.work(open_hours, domains)
            np.add(done, right, out=done)
            np.add(errors, wrong, out=errors)
            np.add(spent, raw, out=spent)
            np.add(skill_hours, raw * person.skills * person.ramp_up(day), out=skill_hours)
            if person is founder:
                np.add(founder_spent, raw, out=founder_spent)
                np.add(founder_skill_hours, raw * person.skills, out=founder_skill_hours)

        owned = np.zeros(_N, dtype=bool)
        for d in assignments:
            owned[DOMAIN_INDEX[d]] = True
        turns: list[tuple[Person, list[int]]] = []  # owned domains in the founder's priority order, owners as listed
        for d in founder.order:
            for name in assignments.get(DOMAINS[d], ()):
                for person in crew:
                    if person.role != name:
                        continue
                    if turns and turns[-1][0] is person:
                        turns[-1][1].append(d)  # the same person's next domain: one turn, same order
                    else:
                        turns.append((person, [d]))
        for person, domains in turns:
            take(person, domains)
        # specialists first, so the generalists (and last of all the founder) fill what is left
        # (an employee's order holds exactly the domains they have skill in)
        for person in sorted(employees, key=lambda e: (len(e.order), e.hired_day, e.unique_id)):
            take(person, [d for d in person.order if not owned[d]])
        take(founder, [d for d in founder.order if not owned[d]])

        spare = np.zeros(_N)
        may_work: dict[str, np.ndarray] = {}  # by role: who may work a domain depends on the role alone
        for person in crew:
            person.end_week()
            free = max(person.hours_per_week - person.hours_worked, 0.0)
            if person.role not in may_work:
                may_work[person.role] = _may_work(person, owned, assignments)
            spare += free * person.skills * person.ramp_up(day) * may_work[person.role]
        share = np.divide(done, demand, out=np.ones(_N), where=demand > 1e-9)
        self.backlog = self.cfg.backlog_carry_share * np.maximum(open_hours, 0.0)
        self.service += (share - self.service) / self.cfg.service_smoothing_weeks
        skill = np.divide(skill_hours, spent, out=np.zeros(_N), where=spent > 0)
        founder_share = np.divide(founder_spent, spent, out=np.zeros(_N), where=spent > 0)
        others = spent - founder_spent
        others_skill = np.divide(skill_hours - founder_skill_hours, others, out=np.zeros(_N), where=others > 1e-9)
        self.last = WeekOfWork(demand, done, errors, share, skill, founder_share, others_skill, review_done, spare)
        return self.last

    def _manage(self, founder: Founder, employees: Sequence[Employee], day: int) -> None:
        """Supervision of every employee by the founder; training of each hire by a colleague or the founder."""
        cfg = self.people
        supervision = 0.0
        for e in employees:
            own = e.skills[e.skills > 0]
            skill = float(own.sum()) / len(own) * e.ramp_up(day) if len(own) else 0.0  # own.mean(), written out
            supervision += cfg.supervision_hours_per_report * (1 + cfg.supervision_unskilled_multiplier * (1 - skill))
        founder.reserve(supervision)
        for e in employees:
            if day - e.hired_day >= e.ramp_up_days:
                continue
            seniors = [c for c in employees if c.role == e.role and c is not e and day - c.hired_day >= c.ramp_up_days]
            trainer: Person = min(seniors, key=lambda c: (c.hired_day, c.unique_id)) if seniors else founder
            trainer.reserve(cfg.training_hours_per_week)


def _may_work(person: Person, owned: np.ndarray, assignments: Mapping[str, Sequence[str]]) -> np.ndarray:
    """Domains ``person`` may work: unowned ones, and those assigned to them."""
    allowed = ~owned
    for d, names in assignments.items():
        if person.role in names:
            allowed[DOMAIN_INDEX[d]] = True
    return allowed


def quitters(employees: Sequence[Employee], day: int, rng: np.random.Generator) -> list[Employee]:
    """Employees who leave this week; nobody quits in their first week."""
    return [e for e in employees if day - e.hired_day >= 7 and e.quits(rng)]
