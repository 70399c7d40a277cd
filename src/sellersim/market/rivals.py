"""Rivals: a product's success draws copycats, who take sales, cut the niche's price and bid up its clicks.

Rivals read a product's sales off its best-seller rank and its margin off its price, so what draws
them is its gross profit a day before ads::

    profit = velocity_30 * max(price - referral fee - FBA fee - landed cost, 0)

Each week a copycat enters a live product's niche with probability ``1 - exp(-rate * 7 / 365)``::

    rate = entries_per_year * (profit / reference_profit_usd_per_day) * (1 - differentiation_protection * d)

where ``d`` (0-1) is the product's differentiation: a product with something of its own is harder
to copy. Entry follows success and falls away as the product's profit does, so a hit draws rivals
until it is no longer worth copying. The ``k``-th copycat a product draws:

- sells ``entrant_share_of_sales * (1 - listing_defence * q)`` of the product's 30-day velocity,
  where ``q`` is its listing quality (a strong listing keeps its buyers): the niche's rivals sell
  that much more, so the rank the product's sales earn, ``v / (v + rivals' units)``, falls;
- cuts the niche's price by ``price_cut / k``: the first rival undercuts most, later ones find
  little room left (prices fall most with the first few entrants of a market);
- bids on the same keywords: the niche's cost per click rises by ``cpc_rise``;
- copies ``copied_share`` of what sets the product apart: its differentiation falls by that share.

The company follows the niche's price down (:mod:`sellersim.market.pricing`), and design's ongoing
work wins lost differentiation back over time (:mod:`sellersim.product.quality`).

Time model: no SimPy process; the model calls :meth:`Rivals.advance_week` once a week, after the
week's work. Entry luck is keyed by (product, day), the same under every strategy that sells the
product then.
"""

from __future__ import annotations

import numpy as np

from sellersim.market.catalog import LIVE, Catalog
from sellersim.market.pricing import unit_margin_usd
from sellersim.results.events import EventLog
from sellersim.scenario.schema import Rivals as RivalsConfig
from sellersim.streams import KeyedUniforms

_WEEK_YEARS = 7 / 365


def gross_profit_usd_per_day(catalog: Catalog) -> np.ndarray:
    """Each product's gross profit a day before ads, as rivals estimate it from its rank and price."""
    return catalog.velocity_30 * np.maximum(unit_margin_usd(catalog), 0.0)


class Rivals:
    """Draws each week's copycats and applies what they do to the niches they enter."""

    def __init__(
        self,
        *,
        cfg: RivalsConfig,
        catalog: Catalog,
        luck: KeyedUniforms,
        events: EventLog,
    ) -> None:
        self.cfg = cfg
        self.catalog = catalog
        self.luck = luck
        self.events = events

    def entry_chance(self) -> np.ndarray:
        """Each product's chance that a copycat enters its niche this week (0 unless it is live)."""
        cat, c = self.catalog, self.cfg
        draw = gross_profit_usd_per_day(cat) / c.reference_profit_usd_per_day
        rate = c.entries_per_year * draw * (1 - c.differentiation_protection * cat.differentiation)
        carried = (cat.status == LIVE) & (cat.retired_day < 0)  # a product being cleared out is no target
        return np.where(carried, -np.expm1(-rate * _WEEK_YEARS), 0.0)

    def advance_week(self, day: int) -> None:
        """Draw the week's entries and apply each to its product's niche."""
        cat = self.catalog
        if not cat.n:
            return
        entered = (self.luck.today(day, cat.n) < self.entry_chance()).nonzero()[0]
        if not len(entered):
            return
        c = self.cfg
        cat.copycats[entered] += 1
        taken = c.entrant_share_of_sales * (1 - c.listing_defence * cat.listing_quality[entered])
        cat.competitor_units_per_day[entered] += taken * cat.velocity_30[entered]
        cat.niche_price_usd[entered] *= 1 - c.price_cut / cat.copycats[entered]
        cat.cpc_usd[entered] *= 1 + c.cpc_rise
        cat.differentiation[entered] *= 1 - c.copied_share
        cat.revise()
        for i in entered:
            self.events.add(
                day, "copycat", product_id=int(i), detail=f"rival #{cat.copycats[i]} entered {cat.names[i]}'s niche"
            )
