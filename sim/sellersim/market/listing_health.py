"""Listing health under FBA: Amazon closes a listing whose buyers are unhappy far more often than expected.

Under FBA Amazon delivers the orders, answers buyers about them and takes the returns; negative feedback
about its own fulfilment is struck through, so a seller's account-level order defect rate stays low
whatever its after-sales work (:meth:`sellersim.market.daily.Market._account_health`). What stays with
the seller is the product. Amazon watches each listing's negative customer experience (NCX): returns,
refunds and complaints over the orders of the last ``window_days``, against what similar products show.
A listing whose rate is "considerably higher than expected" is closed until the seller has found the
cause (a defective batch, a listing that promises what the product does not do) and asked for it back.

Per product ``i``, kept exactly over a rolling window of ``W = window_days`` days::

    orders_i  = units of the W daily cohorts whose returns have come in (sold lag_days before each day)
    ncx_i     = units of those cohorts returned (returns stand for the whole NCX signal)
    flagged   when orders_i >= min_window_orders and P(X >= ncx_i) < 1 - confidence,
              X ~ Binomial(orders_i, flag_ratio * return_rate_i)

where ``return_rate_i`` is the product category's usual return rate (the niche's): a listing is flagged
when its returns are not only above ``flag_ratio`` times its category's but too many to be luck at that
rate. (On a few dozen orders, a product returned at its category's rate shows twice that rate often;
Amazon does not close a listing for it, nor should the model.) A flagged listing is
closed at once for ``T / (0.5 + 0.5 s_after)`` days, ``T ~ Triangular(reinstatement_days)``: after-sales
work finds the cause and writes the appeal, so neglect keeps the listing closed longer. A closed listing
sells nothing and runs no ads (its shoppers count as lost sales); its stock waits at FBA. When it reopens
its window starts empty, as Amazon judges the listing again from the orders after the fix.

Time model: :meth:`ListingHealth.end_of_day` runs once a simulated day, after the market has sold and
taken returns, and judges the listings on days some units came back; a listing closed on day ``d`` is
closed from day ``d + 1``. The closure's length comes from
luck keyed by (product, day), so the same listing meets the same luck under every strategy.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import bdtrc

from sellersim.events import EventLog
from sellersim.market.catalog import Catalog
from sellersim.scenario.schema import ListingHealth as ListingHealthConfig
from sellersim.streams import RandomStreams


class ListingHealth:
    """Each listing's rolling orders and returns, and the closures they trigger."""

    def __init__(
        self,
        *,
        cfg: ListingHealthConfig,
        catalog: Catalog,
        streams: RandomStreams,
        events: EventLog,
        on_close: Callable[..., None] | None = None,
    ) -> None:
        self.cfg = cfg
        self.on_close = on_close  # (day=, product=, s_after=): the seller looks for the cause
        self.catalog = catalog
        self.streams = streams
        self.events = events
        self._ring = np.zeros((cfg.window_days, 2, 16), dtype=np.int64)  # days x (orders, returns) x products
        self._window = np.zeros((2, 16), dtype=np.int64)  # the ring's sums: orders and returns in the window
        self._limit_rate = np.zeros(0)  # flag_ratio times each category's return rate
        self._limit_revision = -1  # the catalogue revision it was derived at
        self._closed = 0  # listings closed now

    def open_mask(self, day: int) -> np.ndarray | None:
        """Which listings may sell on ``day``; None when none is closed (the usual day, kept cheap)."""
        if not self._closed:
            return None
        return self.catalog.reopen_day <= day

    def end_of_day(self, day: int, cohort: np.ndarray | None, returned: np.ndarray | None, s_after: float) -> None:
        """Roll the window on by the day's ``cohort`` (units sold ``lag_days`` ago, whose returns came back
        today) and the units of it ``returned`` (None: none sold, none returned), reopen the listings that
        sold again today, and close those whose returns are far above their category's."""
        cfg, cat = self.cfg, self.catalog
        if not cfg.enabled:
            return
        n = cat.n
        self._fit(n)
        if self._closed:
            self._reopen(day)
        leaving = self._ring[day % cfg.window_days, :, :n]
        if cohort is None and not leaving.any():
            return  # nothing enters or leaves the window today
        window = self._window[:, :n]
        window -= leaving  # counts: exact in any order
        leaving[0] = 0 if cohort is None else cohort  # the slot takes today's cohort
        leaving[1] = 0 if returned is None else returned
        window += leaving
        if returned is None:
            return  # no return today: a listing is judged again on its next day with one
        orders, rets = window
        if self._limit_revision != cat.revision:
            self._limit_rate = np.minimum(cfg.flag_ratio * cat.return_rate, 1.0)
            self._limit_revision = cat.revision
        limit_rate = self._limit_rate
        high = rets > limit_rate * orders
        if not high.any():
            return
        high = np.flatnonzero(high & (orders >= cfg.min_window_orders))  # rare: test only these
        unlikely = bdtrc(rets[high] - 1, orders[high], limit_rate[high]) < 1 - cfg.confidence  # P(returns >= rets)
        self._close(day, high[unlikely & (cat.reopen_day[high] <= day)], s_after)

    def _close(self, day: int, products: np.ndarray, s_after: float) -> None:
        cat, t = self.catalog, self.cfg.reinstatement_days
        for i in products:
            luck = self.streams.keyed("listing_health", int(i), day)
            days = max(1, round(luck.triangular(t.low, t.mode, t.high) / (0.5 + 0.5 * s_after)))
            orders, rets = self._window[:, i]
            rate = rets / orders
            cat.reopen_day[i] = day + 1 + days
            self._ring[:, :, i] = 0
            self._window[:, i] = 0
            self._closed += 1
            self.events.add(
                day, "listing_closed", product_id=int(i),
                detail=f"{cat.names[i]} closed: {rate:.0%} of orders returned, against {cat.return_rate[i]:.0%} "
                f"usual for the category; {days} days",
            )  # fmt: skip
            if self.on_close is not None:
                self.on_close(day=day, product=int(i), s_after=s_after)

    def _reopen(self, day: int) -> None:
        cat = self.catalog
        for i in np.flatnonzero(cat.reopen_day == day):
            self._closed -= 1
            self.events.add(day, "listing_reopened", product_id=int(i), detail=f"{cat.names[i]} reopened")

    def _fit(self, n: int) -> None:
        """Make room in the window for ``n`` products."""
        have = self._window.shape[-1]
        if have < n:
            size = max(n, 2 * have)
            for name in ("_ring", "_window"):
                old = getattr(self, name)
                grown = np.zeros((*old.shape[:-1], size), dtype=old.dtype)
                grown[..., :have] = old
                setattr(self, name, grown)
