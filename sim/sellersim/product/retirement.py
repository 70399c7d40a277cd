"""Retiring products: watching catches a product that no longer pays for its place, and it is cleared out.

A seller keeps a product while it earns more than the work it takes. Each day the review tallies what
every product contributed: its proceeds (sales less the referral, FBA and deal fees and its ad spend)
less the landed cost of the units sold. Two exponential averages over the policy's ``window_days``
``W`` keep it::

    p <- p + (contribution today - p) / W
    s <- s + (1 if the product had stock today else 0 - s) / W

so ``p / s`` is the contribution per day in stock, unbiased from the first day (both averages
start at zero together), and days out of stock neither count against a product nor for it. Days on
which the account is suspended, or the product's listing closed (:mod:`sellersim.market.listing_health`),
are left out of both: nothing could sell.

Judging a product is selection's ongoing work (keyword volumes, rivals, ranks): each week a live
product older than ``judge_after_days`` is looked at with the probability that the week's selection
work was done (luck keyed by product and day). The judgment is the decision whether to order again,
so it is taken while the product is in stock with nothing on its way, and only on evidence: its
tally must hold at least ``min_days_in_stock`` days in stock (``s * W``). It is projected over
the span its next order would cover, ``reorder.order_up_to_days`` (``D``), along its niche's
trend as watching sees it (:func:`sellersim.market.trends.expected_log_growth`, ``g_seen``)::

    monthly = 30.44 * p / s * exp(E[log growth over D / 2 | g_seen])

and retired when that falls below ``below_usd_per_month``. Unwatched, a product is never judged, and
a niche seen through research's old eyes looks better than it is.

A retired product gets no more orders and no ads; its price is marked down by ``clearance_discount``
(an Outlet deal) and its stock sells off, since each unit sold still brings in more than removing it
would. Units that reach the reorder policy's ``remove_stock_older_than_days`` are removed at Amazon's
removal fee and written off, as overstock of any product is, before the steep aged-inventory tiers.
Once nothing is in transit and no stock is left, the listing is closed: its status becomes
delisted, and it no longer takes work or a place in the launch plan. A buyer's return that comes back
to a closed listing cannot be sold, so it is removed at the removal fee.

SimPy time model: none. The model calls :meth:`ProductReview.end_of_day` once a day after the market, and
:meth:`ProductReview.review` once a week after the week's work and the niches' moves, before prices are
set for the week; the aged units of products being cleared are removed at that weekly review. A
cleared listing closes at the end of the day its last unit sells.
"""

from __future__ import annotations

import numpy as np

from sellersim.events import EventLog
from sellersim.market.catalog import DELISTED, LIVE, Catalog
from sellersim.market.daily import MarketDay
from sellersim.market.trends import expected_log_growth
from sellersim.money.ledger import Ledger
from sellersim.scenario.schema import NicheTrend, RetirePolicy
from sellersim.streams import KeyedUniforms
from sellersim.supply.reorder import remove_units

DAYS_PER_MONTH = 365.25 / 12


class ProductReview:
    """Tallies what each product contributes and retires the ones that no longer pay for their place."""

    def __init__(
        self,
        *,
        policy: RetirePolicy,
        catalog: Catalog,
        ledger: Ledger,
        events: EventLog,
        luck: KeyedUniforms,
        trend: NicheTrend,
        horizon_days: int,
        remove_older_than_days: int,
        removal_usd_per_unit: float,
    ) -> None:
        self.policy = policy
        self.catalog = catalog
        self.ledger = ledger
        self.events = events
        self.luck = luck
        self.trend = trend
        self.horizon_days = horizon_days
        self.remove_older_than_days = remove_older_than_days
        self.removal_usd_per_unit = removal_usd_per_unit
        self._weight = 1 / policy.window_days
        self._contribution = np.zeros(0)  # average contribution a day (p)
        self._stocked = np.zeros(0)  # average share of days in stock (s)
        self._clearing: list[int] = []  # retired products not yet delisted
        self._closed: list[int] = []  # delisted products: returns may still come back to them

    def contribution_usd_per_day(self) -> np.ndarray:
        """Each product's recent contribution per day in stock (0 for a product never in stock)."""
        s = self._stocked
        return np.divide(self._contribution, s, out=np.zeros(len(s)), where=s > 0)

    def end_of_day(self, day: int, m: MarketDay, suspended: bool) -> None:
        """Add the day's contribution of every product the market sold for (not on a day the account was
        ``suspended``, nor for a listing Amazon closed that day), and close the listings of retired products
        that are cleared out (call once a day, after the market)."""
        if not self.policy.enabled:
            return
        if self._closed:
            self._remove_returns(day)
        if self._clearing:
            self._close_cleared(day)
        if suspended:
            return
        cat = self.catalog
        n = len(m.units)
        if n > len(self._contribution):
            grow = n - len(self._contribution)
            self._contribution = np.concatenate([self._contribution, np.zeros(grow)])
            self._stocked = np.concatenate([self._stocked, np.zeros(grow)])
        landed = cat.landed_usd[:n]
        weight = self._weight * (cat.reopen_day[:n] <= day)  # a listing Amazon has closed could not sell
        self._contribution += weight * (m.proceeds_usd - m.units * landed - self._contribution)
        self._stocked += weight * ((m.units + cat.stock[:n] > 0) - self._stocked)

    def review(self, day: int, watched_share: float) -> None:
        """Judge the products whose turn came up this week (call once a week, after the week's work)."""
        cat, p = self.catalog, self.policy
        if not p.enabled or not cat.n:
            return
        self._remove_aged(day)
        if day < p.window_days:
            return  # the tally does not cover a whole window yet (an established company's first weeks)
        n = len(self._contribution)
        looked_at = self.luck.today(day, cat.n)[:n] < watched_share
        due = (cat.status[:n] == LIVE) & (cat.retired_day[:n] < 0) & (day - cat.launch_day[:n] >= p.judge_after_days)
        deciding = (cat.stock[:n] > 0) & (cat.inbound[:n] == 0)  # in stock, with no order on its way
        evidence = self._stocked * p.window_days >= p.min_days_in_stock
        judged = np.flatnonzero(due & deciding & evidence & looked_at)
        if not len(judged):
            return
        trend = np.exp(expected_log_growth(cat.growth_seen_per_year[judged], self.horizon_days / 2, self.trend))
        monthly = DAYS_PER_MONTH * self.contribution_usd_per_day()[judged] * trend
        below = monthly < p.below_usd_per_month
        for i, usd in zip(judged[below], monthly[below], strict=True):
            self._retire(day, int(i), float(usd))

    def _retire(self, day: int, i: int, monthly_usd: float) -> None:
        cat = self.catalog
        cat.retired_day[i] = day
        self._clearing.append(i)
        cat.price_index[i] *= 1 - self.policy.clearance_discount
        cat.ad_budget_usd[i] = 0.0
        cat.revise()
        usd = f"{'-' if monthly_usd < 0 else ''}${abs(monthly_usd):,.0f}"
        detail = f"{cat.names[i]} retired: {usd} a month after ads and landed cost, below the policy's bar"
        self.events.add(day, "retired", product_id=i, detail=detail, amount_usd=monthly_usd)

    def _remove_returns(self, day: int) -> None:
        """A return to a closed listing cannot be sold: it is removed."""
        stock = self.catalog.stock
        for i in self._closed:
            if stock[i]:
                remove_units(self.catalog, self.ledger, day, i, int(stock[i]), self.removal_usd_per_unit)

    def _remove_aged(self, day: int) -> None:
        """Remove the units of products being cleared that reach the age limit (weekly, as any overstock)."""
        age = self.remove_older_than_days
        if not (age and self._clearing):
            return
        for i, aged in zip(self._clearing, self.catalog.units_older_than(self._clearing, day, age), strict=True):
            if aged:
                remove_units(self.catalog, self.ledger, day, i, int(aged), self.removal_usd_per_unit)

    def _close_cleared(self, day: int) -> None:
        """Close the listing of each product being cleared that has no stock and nothing on its way."""
        cat = self.catalog
        for i in [i for i in self._clearing if cat.stock[i] == 0 and cat.inbound[i] == 0]:
            cat.status[i] = DELISTED
            self._clearing.remove(i)
            self._closed.append(i)
            self.events.add(day, "delisted", product_id=i, detail=f"{cat.names[i]} delisted, its stock cleared")
