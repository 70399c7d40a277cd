"""The founder and employees as Mesa agents: hours, health, skill and mistakes.

A person has a skill per domain, a normal week and a longest week. Work is
counted in *effective hours*: the hours a fully skilled, rested person needs.

Hours and output. Up to ``healthy_hours_per_week`` every hour at work yields a
full hour of output; each hour past it yields ``overtime_hour_yield`` of one, so
a week of ``h`` raw hours is worth ``min(h, H) + y * max(h - H, 0)`` healthy
hours. Effective work done is those healthy hours x skill x ramp-up.

Mistakes. A share of the work done is wrong and stays undone (it comes back as
rework through the backlog)::

    error share = error_share_unskilled * (1 - skill * ramp-up)
                  * (1 + burnout_error_multiplier * burnout)
                  * (overtime_error_multiplier for the output of hours past the healthy level)

Burnout. A stock between 0 and 1, updated at the end of each week::

    burnout <- burnout * (1 - burnout_drain_per_week)
               + burnout_gain_per_week * max(hours - H, 0) / H

Burnout raises mistakes and sick days (Poisson, ``sick_days_per_year / 52`` a
week, times ``1 + burnout_sick_day_multiplier * burnout``; a sick day takes a
fifth of the week), and at ``burnout_crash_level`` the person breaks down and
works at most ``crash_hours_share`` of the healthy week for ``crash_weeks``
weeks. Burnout multiplies an employee's quit hazard.

Offshore staff spend ``coordination_overhead_share`` of their hours on time
zones and hand-offs, and everyone a share on chaos when admin work is undone:
those hours are worked (and wear people down) but yield nothing.

SimPy time model: none of its own. The model calls :meth:`Person.start_week`,
then :meth:`Person.reserve` and :meth:`Person.work` as the week's work is
shared out, then :meth:`Person.end_week`, every Monday.
"""

from __future__ import annotations

from collections.abc import Sequence

import mesa
import numpy as np

from sellersim.domains import DOMAIN_INDEX, DOMAINS
from sellersim.scenario.schema import FOUNDER, People

_WEEKS_PER_YEAR = 52.0
_WORKDAYS_PER_WEEK = 5  # a sick day costs a fifth of the week's hours


class Person(mesa.Agent):
    """Someone who works in the company; subclasses decide the order of work and quitting."""

    role: str = ""
    coordination_overhead_share: float = 0.0
    fee_share_of_ad_spend: float = 0.0

    def __init__(
        self,
        model: mesa.Model,
        *,
        people: People,
        rng: np.random.Generator,
        name: str,
        skills: dict[str, float],
        hours_per_week: float,
        max_hours_per_week: float,
        salary_usd_per_month: float,
        hired_day: int,
        ramp_up_days: float,
    ) -> None:
        super().__init__(model)
        self.cfg = people
        self.health_rng = rng  # this person's own luck (sick days), so others' hiring leaves it alone
        self.name = name
        self.skills = np.array([skills.get(d, 0.0) for d in DOMAINS])
        self.hours_per_week = hours_per_week
        self.max_hours_per_week = max_hours_per_week
        self.salary_usd_per_month = salary_usd_per_month
        self.hired_day = hired_day
        self.left_day: int | None = None
        self.ramp_up_days = ramp_up_days
        self.burnout = 0.0
        self.crash_weeks_left = 0
        self.broke_down = False  # this week
        self.cut_back = False  # this week, after a breakdown
        # this week's record
        self.sick_days = 0
        self.hours_worked = 0.0
        self.effective_hours = 0.0  # hours of a fully skilled, rested, ramped-up person
        self.error_hours = 0.0  # effective hours of work done wrong
        self.managing_hours = 0.0  # hours spent supervising and training others
        self.load = 0.0
        self._budget = 0.0
        self._demanded = 0.0  # healthy-equivalent hours asked of this person this week
        self._eff = np.zeros(len(DOMAINS))
        self._errors = np.zeros(len(DOMAINS))
        self.order = [DOMAIN_INDEX[d] for d in self.domain_order()]

    def domain_order(self) -> list[str]:
        """Domains this person works on, in the order they take them."""
        raise NotImplementedError

    def ramp_up(self, day: int) -> float:
        """Share of full productivity reached ``day`` days into the job (linear ramp)."""
        tenure = day - self.hired_day
        if tenure >= self.ramp_up_days:
            return 1.0
        start = self.cfg.ramp_up_start
        return start + (1 - start) * tenure / self.ramp_up_days

    # --- hours and output ------------------------------------------------------------

    def _output(self, raw_hours: float) -> float:
        """Healthy-equivalent hours yielded by ``raw_hours`` at work in a week."""
        healthy = self.cfg.healthy_hours_per_week
        return min(raw_hours, healthy) + self.cfg.overtime_hour_yield * max(raw_hours - healthy, 0.0)

    def _raw(self, output_hours: float) -> float:
        """Raw hours at work needed to yield ``output_hours`` (inverse of :meth:`_output`)."""
        healthy = self.cfg.healthy_hours_per_week
        if output_hours <= healthy:
            return output_hours
        return healthy + (output_hours - healthy) / self.cfg.overtime_hour_yield

    def start_week(self, day: int, hours_lost_share: float = 0.0) -> None:
        """Open the week: draw sick days, set the hours this person can give and what an hour yields.

        ``hours_lost_share`` of the hours worked (and ``coordination_overhead_share`` of an offshore
        person's) are worked but yield nothing: they count as hours, and toward burnout.
        """
        cfg = self.cfg
        rate = cfg.sick_days_per_year / _WEEKS_PER_YEAR * (1 + cfg.burnout_sick_day_multiplier * self.burnout)
        self.sick_days = min(int(self.health_rng.poisson(rate)), _WORKDAYS_PER_WEEK)
        cap = self.max_hours_per_week
        self.cut_back = self.crash_weeks_left > 0
        if self.cut_back:
            cap = min(cap, cfg.crash_hours_share * cfg.healthy_hours_per_week)
        self._budget = cap * (1 - self.sick_days / _WORKDAYS_PER_WEEK)
        skill = self.skills * self.ramp_up(day)
        self._errors = cfg.error_share_unskilled * (1 - skill) * (1 + cfg.burnout_error_multiplier * self.burnout)
        self._eff = skill * (1 - self.coordination_overhead_share) * (1 - hours_lost_share)
        self.hours_worked = self.effective_hours = self.error_hours = self.managing_hours = 0.0
        self._demanded = 0.0

    def reserve(self, hours: float) -> float:
        """Spend up to ``hours`` of this week on others (supervision, training); returns the hours given."""
        given = min(hours, self._budget - self.hours_worked)
        if given <= 0:
            return 0.0
        self._demanded += self._output(self.hours_worked + hours) - self._output(self.hours_worked)
        self.hours_worked += given
        self.managing_hours += given
        return given

    def work(self, open_hours: np.ndarray, domains: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Take open work in ``domains`` (in that order); ``open_hours`` (effective) is reduced in place.

        Returns the effective hours done right, done wrong, and the raw hours spent, per domain.
        """
        n = len(DOMAINS)
        done, wrong, spent = [0.0] * n, [0.0] * n, [0.0] * n  # Python floats: a few domains, one at a time
        eff, errors = self._eff.tolist(), self._errors.tolist()
        healthy, extra = self.cfg.healthy_hours_per_week, self.cfg.overtime_error_multiplier - 1
        budget = self._output(self._budget)  # the week's budget is set: its output is the same for every domain
        for d in domains:
            left = float(open_hours[d])
            if left <= 0 or eff[d] <= 0:
                continue
            need = left / eff[d]  # healthy-equivalent hours
            self._demanded += need
            before = self.hours_worked
            worked = self._output(before)
            take = min(need, budget - worked)
            if take <= 0:
                continue
            after = self._raw(worked + take)
            in_healthy = max(min(after, healthy) - min(before, healthy), 0.0)  # output of hours within the level
            output = take * eff[d]
            wrong[d] = min(errors[d] * (in_healthy + (1 + extra) * (take - in_healthy)) * eff[d], output)
            done[d] = output - wrong[d]
            spent[d] = after - before
            open_hours[d] = left - done[d]
            self.hours_worked = after
        done_hours, wrong_hours = np.array(done), np.array(wrong)
        self.effective_hours += float(done_hours.sum() + wrong_hours.sum())
        self.error_hours += float(wrong_hours.sum())
        return done_hours, wrong_hours, np.array(spent)

    def end_week(self) -> None:
        """Close the week: load, burnout, and a breakdown when burnout reaches its crash level."""
        cfg = self.cfg
        self.load = self._raw(self._demanded) / self.hours_per_week
        healthy = cfg.healthy_hours_per_week
        excess = max(self.hours_worked - healthy, 0.0) / healthy
        self.burnout = min(1.0, self.burnout * (1 - cfg.burnout_drain_per_week) + cfg.burnout_gain_per_week * excess)
        self.broke_down = False
        if self.crash_weeks_left > 0:
            self.crash_weeks_left -= 1
        elif self.burnout >= cfg.burnout_crash_level and cfg.crash_weeks > 0:
            self.crash_weeks_left = cfg.crash_weeks
            self.broke_down = True


class Founder(Person):
    """The owner: works every domain in the strategy's priority order, long hours, never quits."""

    role = FOUNDER

    def __init__(self, model: mesa.Model, *, priorities: list[str], **kwargs) -> None:
        self.priorities = list(priorities) + [d for d in DOMAINS if d not in priorities]
        super().__init__(model, **kwargs)

    def domain_order(self) -> list[str]:
        return [d for d in self.priorities if self.skills[DOMAIN_INDEX[d]] > 0]


class Employee(Person):
    """A hired specialist: best domains first, a little overtime, may quit when worn out."""

    def __init__(
        self,
        model: mesa.Model,
        *,
        role: str,
        annual_quit_rate: float,
        coordination_overhead_share: float = 0.0,
        fee_share_of_ad_spend: float = 0.0,
        **kwargs,
    ) -> None:
        self.role = role
        self.annual_quit_rate = annual_quit_rate
        self.coordination_overhead_share = coordination_overhead_share
        self.fee_share_of_ad_spend = fee_share_of_ad_spend  # an agency's pay grows with the ad spend it runs
        super().__init__(model, **kwargs)

    def domain_order(self) -> list[str]:
        ranked = np.argsort(-self.skills, kind="stable")
        return [DOMAINS[i] for i in ranked if self.skills[i] > 0]

    def quits(self, rng: np.random.Generator) -> bool:
        """Draw whether this person quits this week; burnout multiplies the base hazard."""
        weekly = 1 - (1 - self.annual_quit_rate) ** (1 / _WEEKS_PER_YEAR)
        hazard = weekly * (1 + (self.cfg.burnout_quit_multiplier - 1) * self.burnout)
        return bool(rng.random() < hazard)
