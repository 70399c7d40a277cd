"""Staffing rules: readable conditions that open positions, in the strategy's order, and letting go.

A hire is judged once, at the first review after ``probation_days``: when their
skills (in the role's domains) average below ``let_go_below_skill_share`` of the
role's, they are let go and the position opens again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from sellersim.domains import DOMAIN_INDEX
from sellersim.people.agents import Employee
from sellersim.people.hiring import Recruiter
from sellersim.scenario.conditions import MetricSource, parse_condition
from sellersim.scenario.schema import Role, Staffing


class StaffingPlanner:
    """Evaluates each rule on review days; a rule that holds opens one position."""

    def __init__(
        self,
        cfg: Staffing,
        *,
        metrics: MetricSource,
        roles: Mapping[str, Role],
        params: tuple[str, ...],
        employees: Callable[[], Sequence[Employee]],
        headcount: Callable[[str], int],
        recruiter: Recruiter,
        let_go: Callable[[Employee, int, float], None],
        in_words: Callable[[str, str], str],
    ) -> None:
        """``metrics``: what the rules' conditions read; ``roles``: each role's skills; ``params``: the names of
        the strategy's numbers; ``employees``: staff employed now (a copy); ``headcount``: employees in a role;
        ``recruiter``: opens positions and counts those open; ``let_go``: lets a hire go on a day, at a fit;
        ``in_words``: a rule's condition (its text, its role) in words, for the position's reason."""
        self.cfg = cfg
        self.metrics = metrics
        self.roles = roles
        self.employees = employees
        self.headcount = headcount
        self.recruiter = recruiter
        self.let_go = let_go
        self.in_words = in_words
        self.conditions = [parse_condition(r.when, tuple(roles), params) for r in cfg.rules]
        self._last_opened = [-(10**9)] * len(cfg.rules)

    def review(self, day: int) -> None:
        """Let go hires who did not fit, then open positions for the rules that hold today."""
        if day % self.cfg.review_every_days:
            return
        cfg = self.cfg
        if cfg.let_go_below_skill_share > 0:
            for e in self.employees():
                tenure = day - e.hired_day
                if cfg.probation_days <= tenure < cfg.probation_days + cfg.review_every_days:
                    role = self.roles[e.role].skills
                    fit = np.mean([e.skills[DOMAIN_INDEX[d]] / s for d, s in role.items()])
                    if fit < cfg.let_go_below_skill_share:
                        self.let_go(e, day, fit)
        for k, (rule, cond) in enumerate(zip(self.cfg.rules, self.conditions, strict=True)):
            headcount = self.headcount(rule.role) + self.recruiter.open_positions[rule.role]
            if headcount >= rule.max_count or day - self._last_opened[k] < rule.cooldown_days:
                continue
            if cond.evaluate(self.metrics, rule.role):
                self._last_opened[k] = day
                self.recruiter.open(rule.role, day, reason=f"rule {k + 1}: {self.in_words(cond.text, rule.role)}")
