"""One day of the market for every product at once (numpy, no per-order events).

Sessions come from organic rank and from ads; conversion depends on reviews,
rating, listing quality, differentiation and price; units are Poisson and never
exceed sellable stock. Sales settle into the Amazon balance net of fees, reviews
and returns follow, and rank moves with sales velocity. Operations work enters
through the smoothed service levels of listing, ads and after-sales.

Units wanted, reviews, their stars and returns are counted by inverse CDF from uniforms that
depend only on (product, day) (:class:`~sellersim.streams.KeyedUniforms`), so a product
meets the same luck under every strategy that sells it on that day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from sellersim.calendar import SimCalendar
from sellersim.domains import DOMAIN_INDEX
from sellersim.events import EventLog
from sellersim.market.catalog import LIVE, Catalog
from sellersim.market.counts import binomial_quantile, multinomial_quantile, poisson_quantile
from sellersim.market.listing_health import ListingHealth
from sellersim.market.pricing import reference_price_usd, unit_margin_usd
from sellersim.money.fees import FeeSchedule
from sellersim.money.ledger import AMAZON, BANK, Ledger
from sellersim.money.payouts import PayoutCycle
from sellersim.scenario.schema import Market as MarketConfig
from sellersim.streams import KeyedUniforms, RandomStreams

_LISTING, _ADS, _AFTER_SALES = DOMAIN_INDEX["listing"], DOMAIN_INDEX["ads"], DOMAIN_INDEX["after_sales"]
_STARS = np.arange(1, 6)
_TINY = 1e-300  # a divisor floor where the numerator is 0 whenever the divisor is


class MarketDay(NamedTuple):
    """What happened in the market on one day; arrays have one entry per product.

    A named tuple rather than a frozen dataclass: one is made every simulated day, and a tuple is
    built several times faster."""

    units: np.ndarray
    lost_units: np.ndarray
    revenue_usd: np.ndarray
    ad_spend_usd: np.ndarray
    ad_sales_usd: np.ndarray  # sales credited to ads, by their share of sessions
    proceeds_usd: np.ndarray  # sales less the referral, FBA and deal fees and the ad spend they took
    # the arrays' totals, summed once
    total_units: int
    total_lost_units: int
    total_revenue_usd: float
    total_ad_spend_usd: float
    total_ad_sales_usd: float
    returned_units: int
    refunds_usd: float
    cogs_usd: float
    low_inventory_fee_usd: float


@dataclass(frozen=True, slots=True)
class ReturnsOdds:
    """Per-product odds of a return, fixed until the catalogue's revision moves (defect rates drift weekly)."""

    revision: int  # the catalogue's revision they were derived at
    defect_rate: np.ndarray  # share of the units sold that are defective: the product's, plus a bad batch's
    return_chance: np.ndarray  # chance that a unit sold comes back
    resellable_share: np.ndarray  # chance that a returned unit can be sold again


def returns_odds(catalog: Catalog, cfg: MarketConfig) -> ReturnsOdds:
    """Each product's defect rate of the units it sells, chance of a return and of a return being
    resellable."""
    r, defect = cfg.returns, np.minimum(catalog.defect_rate + catalog.batch_defect_rate, 1.0)
    return ReturnsOdds(
        revision=catalog.revision,
        defect_rate=defect,
        return_chance=np.minimum(catalog.return_rate + r.defect_return_multiplier * defect, 1.0),
        resellable_share=r.resellable_share * (1 - defect),
    )


def ad_clicks(
    budget_usd: np.ndarray, base_cpc_usd: np.ndarray, available: np.ndarray, escalation: float
) -> tuple[np.ndarray, np.ndarray]:
    """Clicks a daily budget buys, and their cost, when buying a larger share costs more per click.

    Buying a share x of the available clicks costs ``base_cpc * (1 + escalation * x)`` a
    click, so spend = x * available * base_cpc * (1 + escalation * x); solve for x <= 1.
    """
    # with no clicks to buy, any budget buys the whole (empty) supply: x = 1, clicks = 0
    b = budget_usd / np.maximum(available * base_cpc_usd, _TINY)
    x = (np.sqrt(1 + 4 * escalation * b) - 1) / (2 * escalation) if escalation > 0 else b
    x = np.minimum(x, 1.0)
    clicks = x * available
    return clicks, clicks * base_cpc_usd * (1 + escalation * x)


class ListingFactors(NamedTuple):
    """The factors of conversion that reviews do not move: they change only with the catalogue's revision."""

    listing: np.ndarray
    design: np.ndarray
    price: np.ndarray


def listing_factors(catalog: Catalog, cfg: MarketConfig) -> ListingFactors:
    """Each product's conversion factors of its listing's quality, its differentiation and its price."""
    c = cfg.conversion
    return ListingFactors(
        listing=1 - c.listing_quality_weight * (1 - catalog.listing_quality),
        design=1 + c.differentiation_lift * catalog.differentiation,
        price=(catalog.price_usd / reference_price_usd(catalog, c)) ** -c.price_elasticity,
    )


def conversion_rate(catalog: Catalog, cfg: MarketConfig, fixed: ListingFactors | None = None) -> np.ndarray:
    """Unit session % of each product from reviews, rating, listing, design and price; ``fixed`` holds
    :func:`listing_factors` of the catalogue when the caller kept them (derived here when None)."""
    c = cfg.conversion
    listing, design, price = listing_factors(catalog, cfg) if fixed is None else fixed
    reviews = catalog.reviews
    has_reviews = reviews > 0
    review_factor = c.no_review_factor + (1 - c.no_review_factor) * (1 - np.exp(-reviews / c.review_scale))
    rating = np.divide(catalog.star_sum, reviews, out=np.full(len(reviews), c.rating_peak), where=has_reviews)
    width = np.where(rating < c.rating_peak, c.rating_width_below, c.rating_width_above)
    rating_factor = np.exp(-(((rating - c.rating_peak) / width) ** 2))
    cvr = catalog.base_conversion * review_factor * rating_factor * listing * design * price
    return np.minimum(cvr, c.max_conversion)


class Market:
    """The daily market of one company's catalogue."""

    def __init__(
        self,
        *,
        cfg: MarketConfig,
        catalog: Catalog,
        fees: FeeSchedule,
        ledger: Ledger,
        payouts: PayoutCycle,
        calendar: SimCalendar,
        streams: RandomStreams,
        events: EventLog,
        launch_period_days: int,
        vine_units: int,
        on_listing_closed: Callable[..., None] | None = None,
    ) -> None:
        self.cfg = cfg
        self.catalog = catalog
        self.fees = fees
        self.ledger = ledger
        self.payouts = payouts
        self.calendar = calendar
        self.events = events
        self.launch_period_days = launch_period_days
        self.vine_units = vine_units
        self.listing_health = ListingHealth(
            cfg=cfg.listing_health, catalog=catalog, streams=streams, events=events, on_close=on_listing_closed
        )
        # the counts that drive sales (units wanted, reviews) come from per-(product, day) luck
        self._demand = KeyedUniforms(streams, "demand")
        self._review_luck = KeyedUniforms(streams, "review_counts")
        self._return_luck = KeyedUniforms(streams, "return_counts")
        self._deal_luck = KeyedUniforms(streams, "deal_entries")
        self._star_luck = KeyedUniforms(streams, "review_stars", per_day=len(_STARS) - 1)
        self.deal_entries: dict[int, np.ndarray] = {}  # products entered in each deal event, by the day chosen
        self._deal_start = -1  # the day the products in the running (or last) deal event were chosen
        self._last_deal_day = -2  # the last deal day the market ran

        self._reviews = streams["reviews"]
        self._returns = streams["returns"]
        self._health = streams["account_health"]
        self._lag = cfg.returns.lag_days
        self._sold_history = np.zeros((self._lag, 16), dtype=np.int64)
        self._paid_history = np.zeros((self._lag, 16))  # the price paid a unit, beside the units sold
        vine_days = cfg.reviews.vine_review_days
        self._vine_due = np.zeros((int(np.ceil(vine_days.high)) + 1, 16), dtype=np.int64)  # ring of days x products
        self._vine_waiting = 0  # Vine reviews scheduled and not yet given
        w = cfg.account_health.window_days
        self._window_orders = np.zeros(w, dtype=np.int64)
        self._window_defects = np.zeros(w, dtype=np.int64)
        self._orders_in_window = self._defects_in_window = 0  # the windows' sums, kept as days roll
        self.suspended_until = -1
        self._opened = False  # something has been on sale
        # exponential smoothing weights of the catalogue's velocities: rank's half-life, then 30 and 90 days
        self._velocity_weights = np.array([1 - 0.5 ** (1 / cfg.rank.velocity_halflife_days), 1 / 30, 1 / 90])
        rv = cfg.reviews
        self._star_shares = np.array([rv.star_shares[s] for s in _STARS])  # stars of a good experience
        self._sour_star_shares = np.array([rv.bad_experience_to_one_star, 1 - rv.bad_experience_to_one_star, 0, 0, 0])
        # conversion changes only with the catalogue's revision and with new reviews, so it is kept until then
        self._review_days = 0  # days on which reviews arrived
        self._conversion_key = (-1, -1)
        self._conversion = np.zeros(0)
        self._listing_factors = ListingFactors(np.zeros(0), np.zeros(0), np.zeros(0))
        self._odds = ReturnsOdds(-1, np.zeros(0), np.zeros(0), np.zeros(0))

    @property
    def order_defect_rate(self) -> float:
        """Share of orders in the rolling window with a defect (negative feedback, claims)."""
        orders = self._orders_in_window
        return self._defects_in_window / orders if orders else 0.0

    def is_suspended(self, day: int) -> bool:
        """Whether the selling account is suspended on ``day``."""
        return day < self.suspended_until

    def launch(self, i: int, day: int) -> None:
        """Put product ``i`` on sale; Vine reviewers get their units and review over the next weeks."""
        cat = self.catalog
        cat.status[i] = LIVE
        cat.launch_day[i] = day
        self.events.add(day, "launch", product_id=i, detail=f"{cat.names[i]} launched")
        vine = int(min(self.vine_units, cat.stock[i]))
        if vine:
            cat.write_off_lots(i, vine)
            cat.given_away[i] += vine
            rv = self.cfg.reviews
            reviews = self._reviews.binomial(vine, rv.vine_review_share)
            d = rv.vine_review_days
            delays = np.rint(
                self._reviews.triangular(d.low, d.mode, d.high, reviews) if d.high > d.low else np.full(reviews, d.mode)
            ).astype(np.int64)
            self._fit_history(i + 1)
            ring = len(self._vine_due)
            np.add.at(self._vine_due[:, i], (day + np.maximum(delays, 1)) % ring, 1)
            self._vine_waiting += int(reviews)
            self.ledger.post(day, AMAZON, "vine_fee", -self.fees.fees.vine_enrollment_usd, i)

    def simulate(self, day: int, service: np.ndarray) -> MarketDay:
        """Run ``day`` for every product, given the smoothed service level per domain."""
        cat, cfg = self.catalog, self.cfg
        n = cat.n
        self._fit_history(n)
        levels = service.tolist()  # Python floats: the scalar arithmetic below is cheaper on them
        s_listing, s_ads, s_after = levels[_LISTING], levels[_ADS], levels[_AFTER_SALES]
        if day == self.suspended_until:
            self.events.add(day, "reinstated", detail="selling account reinstated")

        stock = cat.stock
        live = cat.status == LIVE
        if not self._opened:
            if not np.count_nonzero(live):
                # Nothing has been on sale yet, so nothing can sell, come back, be reviewed or move rank:
                # the day is empty. (Once every product is delisted, days still run for late returns.)
                return self._empty_day(n)
            self._opened = True
        suspended = self.is_suspended(day)
        open_listing = self.listing_health.open_mask(day)  # None: no listing is closed
        in_stock = np.zeros_like(live) if suspended else live & (stock > 0)
        if open_listing is not None:
            in_stock &= open_listing
        cal = self.calendar
        lift = cal.seasonality[day] * cal.event_lift[day]
        deal_day = cal.deal_day[day]
        if deal_day:  # only the products entered in the event's deal get its lift
            entered = self._deal_entries(day, in_stock, s_listing)
            lift = lift * np.where(entered, cal.deal_lift[day], 1.0)
        traffic = cat.sessions_per_day * lift

        # sessions: organic from rank, paid from the ad budget (ads pause out of stock);
        # shoppers still come to a suspended account's listings or a closed one, and what they want counts as lost
        organic = traffic * cat.max_organic_share * cat.rank * live
        a = cfg.ads
        clicks, ad_spend = ad_clicks(
            cat.ad_budget_usd * in_stock,
            # busy days draw more advertisers into the auctions: clicks cost more as demand rises
            cat.cpc_usd * (lift**a.cpc_demand_elasticity) * (1 + a.bid_overpay_untended * (1 - s_ads)),
            traffic * a.max_share_of_sessions,
            a.bid_escalation,
        )
        # a new campaign wastes clicks until managed clicks have shown which search terms sell
        learned = cat.search_terms_learned
        learning = a.new_campaign_waste_share * np.exp(learned / -a.search_term_harvest_clicks)
        relevant = (1 - a.wasted_click_share_untended * (1 - s_ads)) * (1 - learning)
        learned += clicks * s_ads
        paid = clicks * relevant * a.ad_conversion_relative
        sessions = organic + paid

        wanted = poisson_quantile(self._demand.today(day, n), sessions * self._conversion_rate())
        if suspended:
            units = np.zeros_like(wanted)
        else:
            units = np.minimum(wanted, stock if open_listing is None else stock * open_listing)
        lost = wanted - units
        orders = int(np.add.reduce(units))
        per_unit = cat.unit_usd * units[:, None]  # price, landed cost, referral and FBA fee of the units sold
        revenue = per_unit[:, 0].copy()  # kept by the record: not a view that holds the whole block
        gross, cogs, referral, fba = per_unit.sum(axis=0).tolist()
        paid_usd = cat.price_usd  # what a buyer paid a unit today
        if deal_day:  # an entered product's units sell at the deal's price; its fee is due on the first day
            kept = 1 - cal.deal_discount[day] * entered
            revenue *= kept
            referral_usd = per_unit[:, 2] * kept
            gross, referral = float(revenue.sum()), float(referral_usd.sum())
            deal_fees = self.fees.fees.deal_fee_usd * entered * (day == self._deal_start)
            deal_fee = float(deal_fees.sum())
            proceeds = revenue - referral_usd - per_unit[:, 3] - ad_spend - deal_fees
            paid_usd = paid_usd * kept
        else:  # no deal: nothing to cut from the price or to charge for entering
            deal_fee = 0.0
            proceeds = revenue - per_unit[:, 2] - per_unit[:, 3] - ad_spend
        ad_share = paid / np.maximum(sessions, _TINY)  # no sessions, no paid ones
        ad_revenue = revenue * ad_share  # sales credited to ads, by their share of sessions

        # settle the sales in the seller balance
        if orders:
            cat.remove_fifo(units)
        cat.sold += units
        low_inv = self._low_inventory_fee(day, units, orders)
        spend = float(np.add.reduce(ad_spend))
        led = self.ledger
        led.post(day, AMAZON, "sales", gross)
        led.post(day, AMAZON, "referral_fee", -referral)
        led.post(day, AMAZON, "fba_fee", -fba)
        led.post(day, AMAZON, "low_inventory_fee", -low_inv)
        led.post(day, AMAZON, "deal_fee", -deal_fee)
        self.payouts.hold(day, gross - referral - fba - low_inv - deal_fee)
        led.post(day, BANK, "ads", -spend)
        cat.ad_spend_period_usd += ad_spend
        cat.ad_sales_period_usd += ad_revenue
        cat.revenue_period_usd += revenue

        sold_then, returned, refunds, restocked_cost = self._returns_of(day, units, paid_usd)
        self.listing_health.end_of_day(day, sold_then, returned, s_after)
        self._review(day, units, orders, s_listing, s_after)
        out = live & (stock == 0)  # stock no longer moves today
        unavailable = out if open_listing is None else out | (live & ~open_listing)
        self._update_rank(units, live, unavailable=live if suspended else unavailable)
        self._account_health(day, orders, s_after)
        self._track_stockouts(day, out)
        return MarketDay(
            units, lost, revenue, ad_spend, ad_revenue, proceeds, orders, int(np.add.reduce(lost)), gross, spend,
            float(np.add.reduce(ad_revenue)), 0 if returned is None else int(np.add.reduce(returned)), refunds,
            cogs - restocked_cost, low_inv,
        )  # fmt: skip

    def _deal_entries(self, day: int, in_stock: np.ndarray, s_listing: float) -> np.ndarray:
        """The products entered in the deal running on ``day``: chosen on the first day of the event the market
        runs (its first day, unless nothing was on sale yet), kept to its end; their fees are due that day."""
        if self._last_deal_day != day - 1:  # a new event
            self._deal_start = day
            self.deal_entries[day] = self._choose_deals(day, in_stock, s_listing)
        self._last_deal_day = day
        entered = self.deal_entries[self._deal_start]
        n = self.catalog.n
        return entered if len(entered) == n else np.pad(entered, (0, n - len(entered)))  # listed during the event

    def _choose_deals(self, day: int, in_stock: np.ndarray, s_listing: float) -> np.ndarray:
        """Enter a product in the deal starting on ``day`` when the deal pays, if listing work gets to it.

        The seller reckons the event's ``D`` days from what it knows: its 30-day velocity ``v``, its
        price, fees and landed cost, and its stock. Out of the deal it sells ``min(v D, stock)`` units at
        its margin ``m``; in it, ``min(L v D, stock)`` at the deal's margin ``m - discount * (price -
        referral)`` (the referral fee falls with the price, the FBA fee and landed cost do not), less the
        fee. A product is entered when that is more, which needs a positive margin in the deal. Entering is
        listing work: each product worth entering is entered with probability ``s_listing``, by luck keyed
        by (product, day).
        """
        cal, cat = self.calendar, self.catalog
        days = int(np.argmin(cal.deal_day[day:]))  # the event's length (the calendar runs past its last deal)
        margin = unit_margin_usd(cat)
        deal_margin = margin - cal.deal_discount[day] * (cat.price_usd - cat.referral_usd)
        normal_units = np.minimum(cat.velocity_30 * days, cat.stock)
        deal_units = np.minimum(cat.velocity_30 * cal.deal_lift[day] * days, cat.stock)
        gain_usd = deal_units * deal_margin - self.fees.fees.deal_fee_usd - normal_units * margin
        worth = in_stock & (deal_margin > 0) & (gain_usd > 0)
        return worth & (self._deal_luck.today(day, cat.n) < s_listing)

    def _conversion_rate(self) -> np.ndarray:
        """:func:`conversion_rate` of the catalogue, computed again only when its inputs changed."""
        key = (self.catalog.revision, self._review_days)
        if key != self._conversion_key:
            if key[0] != self._conversion_key[0]:  # new reviews alone leave the listing's factors as they were
                self._listing_factors = listing_factors(self.catalog, self.cfg)
            self._conversion = conversion_rate(self.catalog, self.cfg, self._listing_factors)
            self._conversion_key = key
        return self._conversion

    def _returns_odds(self) -> ReturnsOdds:
        """Each product's :class:`ReturnsOdds`, derived again only when the catalogue's revision moved."""
        if self._odds.revision != self.catalog.revision:
            self._odds = returns_odds(self.catalog, self.cfg)
        return self._odds

    def _fit_history(self, n: int) -> None:
        """Make room in the sales history and the Vine schedule for ``n`` products."""
        have = self._sold_history.shape[1]
        if have < n:
            for name in ("_sold_history", "_paid_history", "_vine_due"):
                old = getattr(self, name)
                grown = np.zeros((len(old), max(n, 2 * have)), dtype=old.dtype)
                grown[:, :have] = old
                setattr(self, name, grown)

    @staticmethod
    def _empty_day(n: int) -> MarketDay:
        """A day on which nothing sold, for ``n`` products."""
        none, nothing = np.zeros(n, dtype=np.int64), np.zeros(n)
        return MarketDay(none, none, nothing, nothing, nothing, nothing, 0, 0, 0.0, 0.0, 0.0, 0, 0.0, 0.0, 0.0)

    def _returns_of(
        self, day: int, units: np.ndarray, paid_usd: np.ndarray
    ) -> tuple[np.ndarray | None, np.ndarray | None, float, float]:
        """Returns arrive ``lag_days`` after the sale: refund what the buyer paid (``paid_usd`` a unit on the
        day of the sale), then restock or write off.

        Returns the units sold ``lag_days`` ago whose returns come back today, the units returned (each by
        product; None when nothing was sold then, or nothing came back), refunds paid and the landed cost
        of units put back in stock.
        """
        cat = self.catalog
        n = cat.n
        slot = day % self._lag  # the slot still holds the sales of lag_days ago
        history, paid = self._sold_history[slot, :n], self._paid_history[slot, :n]
        if day < self._lag or not np.count_nonzero(history):
            history[:], paid[:] = units, paid_usd
            return None, None, 0.0, 0.0
        sold_then, paid_then = history.copy(), paid.copy()
        history[:], paid[:] = units, paid_usd
        odds = self._returns_odds()
        returned = binomial_quantile(self._return_luck.today(day, n), sold_then, odds.return_chance)
        if not np.count_nonzero(returned):
            return sold_then, None, 0.0, 0.0
        refund = float((returned * paid_then).sum())
        # the referral fee charged on the sale comes back, less the refund administration fee
        referral_then = self.fees.referral_per_unit(paid_then)
        referral_back = float((returned * (referral_then - self.fees.refund_admin_per_unit(referral_then))).sum())
        self.ledger.post(day, AMAZON, "refunds", -refund)
        self.ledger.post(day, AMAZON, "referral_fee", referral_back)
        # one binomial a product that had returns: a count of 0 draws nothing, so these are the draws a call on
        # the whole array makes, in its order, without its fixed cost (several times a scalar draw's)
        resellable = np.zeros(n, dtype=np.int64)
        share = odds.resellable_share
        for i in returned.nonzero()[0].tolist():
            resellable[i] = self._returns.binomial(int(returned[i]), float(share[i]))
        if np.count_nonzero(resellable):
            cat.return_to_stock(resellable, day)
        cat.restocked += resellable
        cat.written_off += returned - resellable
        return sold_then, returned, refund, float((resellable * cat.landed_usd).sum())

    def _review(self, day: int, units: np.ndarray, orders: int, s_listing: float, s_after: float) -> None:
        """New reviews from a share of today's ``orders`` (``units`` by product) and from Vine reviewers due
        today; bad experiences sour the stars."""
        cat, rv = self.catalog, self.cfg.reviews
        new = np.zeros(cat.n, dtype=np.int64)
        if orders:
            rate = rv.review_rate * (1 + rv.review_requests_lift * s_listing)
            new = binomial_quantile(self._review_luck.today(day, cat.n), units, min(rate, 1.0))
        if self._vine_waiting:
            due = self._vine_due[day % len(self._vine_due), : cat.n]
            self._vine_waiting -= int(due.sum())
            new += due
            due[:] = 0
        idx = new.nonzero()[0]
        if not len(idx):
            return
        defect = self._returns_odds().defect_rate[idx]
        disliked = np.maximum(1 - cat.reception[idx], 0.0)  # the shortfall of a product buyers take badly to
        bad = (
            defect * rv.defect_review_weight
            + (1 - s_after) * rv.neglect_bad_review_share
            + disliked * rv.disliked_bad_review_share
        )
        bad = np.minimum(np.maximum(bad, 0.0), 1.0)
        probs = (1 - bad)[:, None] * self._star_shares + bad[:, None] * self._sour_star_shares
        counts = multinomial_quantile(self._star_luck.today(day, cat.n)[idx], new[idx], probs)
        cat.reviews[idx] += new[idx]
        cat.star_sum[idx] += counts @ _STARS
        self._review_days += 1

    def _update_rank(self, units: np.ndarray, live: np.ndarray, unavailable: np.ndarray) -> None:
        """Rank chases velocity relative to the niche's competitors; out of stock it decays."""
        cat, rk = self.catalog, self.cfg.rank
        velocities = cat.velocities
        velocities += (units[:, None] - velocities) * self._velocity_weights
        v = cat.velocity
        target = v / (v + cat.competitor_units_per_day)
        r = cat.rank
        gap = target - r
        r += np.where(gap > 0, rk.climb_per_day, rk.fall_per_day) * gap * live
        if np.count_nonzero(unavailable):
            r[unavailable] *= 1 - rk.out_of_stock_decay_per_day

    def _low_inventory_fee(self, day: int, units: np.ndarray, orders: int) -> float:
        """Amazon's low-inventory-level fee on units shipped while days of supply run short."""
        if not orders:
            return 0.0
        cat, f = self.catalog, self.fees.fees
        stock = cat.stock
        short = (stock < f.low_inventory_days * np.minimum(cat.velocity_30, cat.velocity_90)) & (
            cat.launch_day < day - self.launch_period_days
        )
        return float(np.add.reduce(units * short) * f.low_inventory_usd_per_unit)

    def _account_health(self, day: int, orders: int, s_after: float) -> None:
        """Order defects from service neglect and product defects; over the limit risks suspension.

        Each day over the limit Amazon's warning is answered (negative feedback contested, a plan of action
        sent) with the probability ``s_after`` that after-sales work gets done; a day it goes unanswered
        ends in a suspension with ``suspension_hazard_per_day``. Small sellers cross the limit by luck
        alone (three defects in 250 orders), and answering the warning is what keeps the account."""
        h = self.cfg.account_health
        slot = day % h.window_days
        defects = int(self._health.binomial(orders, self._defect_chance(s_after))) if orders else 0
        self._orders_in_window += orders - int(self._window_orders[slot])
        self._defects_in_window += defects - int(self._window_defects[slot])
        self._window_orders[slot] = orders
        self._window_defects[slot] = defects
        if self.is_suspended(day) or self._orders_in_window < h.min_window_orders or self.order_defect_rate <= h.limit:
            return
        if self._health.random() < h.suspension_hazard_per_day * (1 - s_after):
            t = h.suspension_days
            days = self._health.triangular(t.low, t.mode, t.high) / (0.5 + 0.5 * s_after)
            self.suspended_until = day + max(1, round(days))
            self._window_orders[:] = 0
            self._window_defects[:] = 0
            self._orders_in_window = self._defects_in_window = 0
            self.events.add(day, "suspension", detail=f"order defect rate over {h.limit:.0%}; {round(days)} days")

    def _defect_chance(self, s_after: float) -> float:
        """Chance that an order has a defect: neglected after-sales plus product defects, weighted by sales."""
        cat, h = self.catalog, self.cfg.account_health
        weight = cat.velocity + 1e-9
        defect = float(np.add.reduce(self._returns_odds().defect_rate * weight) / np.add.reduce(weight))  # np.average
        return min(h.base_defect_rate + h.neglect_defect_rate * (1 - s_after) + h.product_defect_weight * defect, 1.0)

    def _track_stockouts(self, day: int, out: np.ndarray) -> None:
        """Log products that ran out of stock (``out``: live with none left) or came back today; keep the day
        each stock-out began."""
        cat = self.catalog
        since = cat.stockout_since  # -1 while in stock
        changed = out != (since >= 0)
        if not np.count_nonzero(changed):
            return
        started, ended = changed & out, changed & ~out
        for i in started.nonzero()[0]:
            self.events.add(day, "stockout", product_id=int(i), detail=f"{cat.names[i]} out of stock")
        for i in (ended & (cat.status == LIVE)).nonzero()[0]:  # not a listing closed while out of stock
            self.events.add(day, "restock", product_id=int(i), detail=f"{cat.names[i]} back in stock")
        since[started] = day
        since[ended] = -1
