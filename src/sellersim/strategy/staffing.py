"""Staffing rules: readable conditions that open positions, in the strategy's order, and letting go.

A hire is judged once, at the first review after ``probation_days``: when their
skills (in the role's domains) average below ``let_go_below_skill_share`` of the
role's, they are let go and the position opens again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sellersim.domains import DOMAIN_INDEX
from sellersim.scenario.schema import Staffing
from sellersim.strategy.conditions import parse_condition
from sellersim.strategy.metrics import CompanyMetrics

if TYPE_CHECKING:
    from sellersim.model import SellerModel


class StaffingPlanner:
    """Evaluates each rule on review days; a rule that holds opens one position."""

    def __init__(self, cfg: Staffing, model: SellerModel) -> None:
        self.cfg = cfg
        self.model = model
        self.metrics = CompanyMetrics(model)
        roles = tuple(model.config.roles)
        params = tuple(model.config.strategy.parameters)
        self.conditions = [parse_condition(r.when, roles, params) for r in cfg.rules]
        self._last_opened = [-(10**9)] * len(cfg.rules)

    def review(self, day: int) -> None:
        """Let go hires who did not fit, then open positions for the rules that hold today."""
        if day % self.cfg.review_every_days:
            return
        m = self.model
        cfg = self.cfg
        if cfg.let_go_below_skill_share > 0:
            for e in m.employees:
                tenure = day - e.hired_day
                if cfg.probation_days <= tenure < cfg.probation_days + cfg.review_every_days:
                    role = m.config.roles[e.role].skills
                    fit = np.mean([e.skills[DOMAIN_INDEX[d]] / s for d, s in role.items()])
                    if fit < cfg.let_go_below_skill_share:
                        m.let_go(e, day, fit)
        for k, (rule, cond) in enumerate(zip(self.cfg.rules, self.conditions, strict=True)):
            headcount = m.staff_count(rule.role) + m.recruiter.open_positions[rule.role]
            if headcount >= rule.max_count or day - self._last_opened[k] < rule.cooldown_days:
                continue
            if cond.evaluate(self.metrics, rule.role):
                self._last_opened[k] = day
                m.recruiter.open(rule.role, day, reason=f"rule {k + 1}: {cond.text}")
