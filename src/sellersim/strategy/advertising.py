"""The ad policy: a launch push, then budgets steered toward a target ACoS; none for retired products.

Steering bids and budgets is ads work: with the ads service level low, budgets
move less toward target (and the market wastes more of each click).
"""

from __future__ import annotations

import numpy as np

from sellersim.domains import DOMAIN_INDEX
from sellersim.market.catalog import AWAITING, Catalog
from sellersim.market.pricing import unit_margin_usd
from sellersim.scenario.schema import AdPolicy

_ADS = DOMAIN_INDEX["ads"]
_MAX_STEP = (0.6, 1.5)  # a week's budget change is kept within these factors


class AdManager:
    """Adjusts each product's daily ad budget on the policy's cycle."""

    def __init__(self, policy: AdPolicy, catalog: Catalog) -> None:
        self.policy = policy
        self.catalog = catalog

    def review(self, day: int, service: np.ndarray) -> None:
        """Set budgets for launching products and steer the rest toward the target ACoS."""
        p, cat = self.policy, self.catalog
        if day % p.adjust_every_days or not cat.n:
            return
        n = cat.n
        spend, sales = cat.ad_spend_period_usd, cat.ad_sales_period_usd
        acos = np.divide(spend, sales, out=np.full(n, np.inf), where=sales > 0)
        step = np.clip(np.sqrt(p.target_acos / np.maximum(acos, 1e-9)), *_MAX_STEP)
        step = np.where(spend > 0, step, 1.0)
        budget = cat.ad_budget_usd
        # below the minimum only ads that lose money on each sale they bring (ACoS above break-even)
        break_even = np.maximum(unit_margin_usd(cat), 0.0) / cat.price_usd
        floor = np.where(acos > break_even, 0.0, p.min_budget_usd_per_day)
        steered = np.clip(budget * (1 + service[_ADS] * (step - 1)), floor, p.max_budget_usd_per_day)
        launching = (cat.status == AWAITING) | (day - cat.launch_day < p.launch_days)
        budget[:] = np.where(launching, p.launch_budget_usd_per_day, steered)
        budget[cat.retired_day >= 0] = 0.0  # a product being cleared out gets no ads
        spend[:] = 0.0
        sales[:] = 0.0
