"""Rivals: a product's success draws copycats, who take sales, cut the niche's price and bid up its clicks,
and who leave once the price war has taken their margin.

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

Copycats leave when the price war stops paying. A rival sources from the same factories, so its
margin a unit at the niche's price ``P`` is taken with the product's own landed cost and FBA fee::

    rival margin share = (P - referral(P) - FBA fee - landed cost) / P

While that share is below ``exit_margin_share``, each of the product's ``k`` copycats stops restocking
and leaves within the week with probability ``1 - exp(-exits_per_year_when_unprofitable * 7 / 365)``
(the week's exits are binomial). A copycat that leaves undoes what an average copycat did, and the
price war eases as it began, from the last rival in:

- the copycats' units, ``S`` of the niche rivals' units in all, fall by ``S / k`` for each of the
  ``j`` leaving: ``S j / k``, and the rank the product's sales earn recovers;
- the niche's price recovers the cuts of the last rivals in, ``P / ((1 - c/k) (1 - c/(k-1)) ...)``
  for the ``j`` leaving (``c = price_cut``): part of the way back, since the first rivals' deeper
  cuts stay while they do;
- one bidder fewer: the niche's cost per click falls back by ``cpc_rise`` for each;
- what they copied stays copied: design's refresh, not a rival's exit, wins differentiation back.

The catalogue keeps the copycats in a niche now (``copycats``) and the share of the niche rivals'
units they sell (``copycat_share``); a share, so that it moves with the niche's trend as the rivals'
units do (:mod:`sellersim.market.trends`).

Time model: no SimPy process; the model calls :meth:`Rivals.advance_week` once a week, after the
week's work: exits first, then entries (a niche a rival has just left may draw the next). Entry and
exit luck are keyed by (product, day) on streams of their own, the same under every strategy that
sells the product then.
"""

from __future__ import annotations

import math

import numpy as np

from sellersim.events import EventLog
from sellersim.market.catalog import LIVE, Catalog
from sellersim.market.counts import binomial_quantile
from sellersim.market.pricing import unit_margin_usd
from sellersim.money.fees import FeeSchedule
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
        fees: FeeSchedule,
        luck: KeyedUniforms,
        exit_luck: KeyedUniforms,
        events: EventLog,
    ) -> None:
        self.cfg = cfg
        self.catalog = catalog
        self.fees = fees
        self.luck = luck
        self.exit_luck = exit_luck
        self.events = events

    def entry_chance(self) -> np.ndarray:
        """Each product's chance that a copycat enters its niche this week (0 unless it is live)."""
        cat, c = self.catalog, self.cfg
        draw = gross_profit_usd_per_day(cat) / c.reference_profit_usd_per_day
        rate = c.entries_per_year * draw * (1 - c.differentiation_protection * cat.differentiation)
        carried = (cat.status == LIVE) & (cat.retired_day < 0)  # a product being cleared out is no target
        return np.where(carried, -np.expm1(-rate * _WEEK_YEARS), 0.0)

    def rival_margin_share(self) -> np.ndarray:
        """What a copycat keeps of the niche's price a unit before ads, with the product's landed cost and FBA fee."""
        cat = self.catalog
        price = cat.niche_price_usd
        margin = price - self.fees.referral_per_unit(price) - cat.fba_fee_usd - cat.landed_usd
        return margin / np.maximum(price, 1e-9)

    def exit_chance(self) -> np.ndarray:
        """Each product's chance that any one of its copycats leaves this week (0 where the niche still pays)."""
        c = self.cfg
        unprofitable = (self.catalog.copycats > 0) & (self.rival_margin_share() < c.exit_margin_share)
        return unprofitable * -math.expm1(-c.exits_per_year_when_unprofitable * _WEEK_YEARS)

    def advance_week(self, day: int) -> None:
        """Draw the week's exits, then its entries, and apply each to its product's niche."""
        if not self.catalog.n:
            return
        self._exits(day)
        self._entries(day)

    def _exits(self, day: int) -> None:
        cat = self.catalog
        if not cat.copycats.any():  # most weeks of most runs: nobody to leave
            return
        chance = self.exit_chance()
        if not np.count_nonzero(chance):
            return
        k = cat.copycats
        leaving = binomial_quantile(self.exit_luck.today(day, cat.n), k, chance)
        left = leaving.nonzero()[0]
        if not len(left):
            return
        c = self.cfg
        k, j = k[left], leaving[left]
        rivals_units = cat.competitor_units_per_day[left]
        gone = cat.copycat_share[left] * rivals_units * j / k
        cat.competitor_units_per_day[left] = rivals_units - gone
        cat.copycat_share[left] = np.divide(
            cat.copycat_share[left] * rivals_units - gone, rivals_units - gone,
            out=np.zeros(len(left)), where=rivals_units > gone,
        )  # fmt: skip
        for m in range(int(j.max())):  # the last rival in leaves first: undo its cut, then the one before
            going = m < j
            cat.niche_price_usd[left[going]] /= 1 - c.price_cut / (k[going] - m)
        cat.cpc_usd[left] /= (1 + c.cpc_rise) ** j
        cat.copycats[left] -= j
        cat.revise()
        for i, n in zip(left, j, strict=True):
            self.events.add(
                day, "copycat_left", product_id=int(i),
                detail=f"{n} rival{'s' if n > 1 else ''} left {cat.names[i]}'s niche; {cat.copycats[i]} remain",
            )  # fmt: skip

    def _entries(self, day: int) -> None:
        cat = self.catalog
        entered = (self.luck.today(day, cat.n) < self.entry_chance()).nonzero()[0]
        if not len(entered):
            return
        c = self.cfg
        cat.copycats[entered] += 1
        taken = c.entrant_share_of_sales * (1 - c.listing_defence * cat.listing_quality[entered])
        taken_units = taken * cat.velocity_30[entered]
        rivals_units = cat.competitor_units_per_day[entered]
        cat.copycat_share[entered] = np.divide(
            cat.copycat_share[entered] * rivals_units + taken_units, rivals_units + taken_units,
            out=np.zeros(len(entered)), where=rivals_units + taken_units > 0,
        )  # fmt: skip
        cat.competitor_units_per_day[entered] = rivals_units + taken_units
        cat.niche_price_usd[entered] *= 1 - c.price_cut / cat.copycats[entered]
        cat.cpc_usd[entered] *= 1 + c.cpc_rise
        cat.differentiation[entered] *= 1 - c.copied_share
        cat.revise()
        for i in entered:
            self.events.add(
                day, "copycat", product_id=int(i), detail=f"rival #{cat.copycats[i]} entered {cat.names[i]}'s niche"
            )
