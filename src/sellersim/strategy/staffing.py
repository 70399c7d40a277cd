"""Staffing rules: readable conditions that open positions, in the strategy's order."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
        """Open positions for the rules that hold today."""
        if day % self.cfg.review_every_days:
            return
        m = self.model
        for k, (rule, cond) in enumerate(zip(self.cfg.rules, self.conditions, strict=True)):
            headcount = m.staff_count(rule.role) + m.recruiter.open_positions[rule.role]
            if headcount >= rule.max_count or day - self._last_opened[k] < rule.cooldown_days:
                continue
            if cond.evaluate(self.metrics, rule.role):
                self._last_opened[k] = day
                m.recruiter.open(rule.role, day, reason=f"rule {k + 1}: {cond.text}")
