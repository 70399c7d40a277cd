"""The ad policy: a launch push, then budgets steered toward a target ACoS or TACoS; none for retired products.

Steering bids and budgets is ads work: with the ads service level low, budgets
move less toward target (and the market wastes more of each click).

On ACoS (ad spend over the sales ads brought), each ad sale must pay for itself.
On TACoS (ad spend over all of a product's sales), ads are judged with the organic
sales they bring: ad sales raise velocity, velocity raises organic rank, so a seller
steering on TACoS accepts a higher ACoS while organic sales carry the product.
"""

from __future__ import annotations

import numpy as np

from sellersim.domains import DOMAIN_INDEX
from sellersim.market.catalog import AWAITING, Catalog
from sellersim.market.pricing import unit_margin_usd
from sellersim.scenario.schema import AdPolicy

_ADS = DOMAIN_INDEX["ads"]


class AdManager:
    """Adjusts each product's daily ad budget on the policy's cycle."""

    def __init__(self, policy: AdPolicy, catalog: Catalog) -> None:
        self.policy = policy
        self.catalog = catalog

    def review(self, day: int, service: np.ndarray) -> None:
        """Set budgets for launching products and steer the rest toward the policy's target."""
        p, cat = self.policy, self.catalog
        if day % p.adjust_every_days or not cat.n:
            return
        n = cat.n
        spend, sales, revenue = cat.ad_spend_period_usd, cat.ad_sales_period_usd, cat.revenue_period_usd
        steered_on, target = (sales, p.target_acos) if p.steer_on == "acos" else (revenue, p.target_tacos)
        ratio = np.divide(spend, steered_on, out=np.full(n, np.inf), where=steered_on > 0)
        step = np.clip(np.sqrt(target / np.maximum(ratio, 1e-9)), p.budget_change.low, p.budget_change.high)
        step = np.where(spend > 0, step, 1.0)
        budget = cat.ad_budget_usd
        # below the minimum only ads that lose money on each sale they are steered on (the ratio above break-even)
        break_even = np.maximum(unit_margin_usd(cat), 0.0) / cat.price_usd
        floor = np.where(ratio > break_even, 0.0, p.min_budget_usd_per_day)
        steered = np.clip(budget * (1 + service[_ADS] * (step - 1)), floor, p.max_budget_usd_per_day)
        launching = (cat.status == AWAITING) | (day - cat.launch_day < p.launch_days)
        budget[:] = np.where(launching, p.launch_budget_usd_per_day, steered)
        budget[cat.retired_day >= 0] = 0.0  # a product being cleared out gets no ads
        spend[:] = 0.0
        sales[:] = 0.0
        revenue[:] = 0.0
