"""What a factory does to a seller now and then: a defective batch, a price increase.

**Defective batches.** A production run goes wrong (a material swapped, a mould worn, a line rushed) with
``bad_batch_chance``: a share ``D ~ U(bad_batch_defect_rate)`` of its units is defective on top of the
product's usual defect rate. Pre-shipment inspection is procurement's work: it is booked for an order with
probability ``s_procurement``. The inspector draws ``inspection_sample_units`` units and rejects the run
when more than ``inspection_accept_defects`` of them are defective (an AQL sampling plan), so a run is
caught with ``P(Binomial(n, D) > Ac)``: a badly wrong run almost surely, a mildly wrong one often not. A
caught run is reworked before the balance is paid, which holds the order ``Tri(rework_days)`` days at the
factory; an uncaught one ships. Its units arrive as a lot of their own, and because FBA sells the oldest
units first, buyers get them only once the older stock is gone: from then until the lot is sold out, the
product sells at its usual defect rate plus ``D``. Returns, one-star reviews and order defects follow
through the market (:mod:`sellersim.market.daily`), and a listing whose returns run far above its category's
is closed (:mod:`sellersim.market.listing_health`). Finding the cause of a closure is after-sales work: with
probability ``s_after_sales`` the bad lot's remaining units are found and removed at Amazon's removal fee
(their landed cost written off), so the listing reopens to good stock.

**Price increases.** Each week the factory of each product still ordered raises its price with probability
``price_increase_chance_per_year / 52``, by ``R ~ U(price_increase)``. Procurement's negotiation keeps a
share ``negotiated_share * s_procurement`` of it off, so the sourced unit price moves by ``R * (1 -
negotiated_share * s_procurement)`` for every order from then on.

Time model: :meth:`SupplierEvents.inspect` runs inside the purchase order's SimPy process when production
ends, and returns the days of rework the process then waits; :meth:`SupplierEvents.arrived` runs when an
order's units (or a part of them) become sellable; :meth:`SupplierEvents.end_of_day` runs once a day after the
market, :meth:`SupplierEvents.review_prices` once a week. Every draw comes from luck keyed by (product, its
k-th production run) or by (product, day), so the same product meets the same luck under every strategy.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import bdtrc

from sellersim.events import EventLog
from sellersim.market.catalog import LIVE, Catalog
from sellersim.money.ledger import BANK, Ledger
from sellersim.scenario.schema import SupplierEvents as SupplierEventsConfig
from sellersim.streams import KeyedUniforms, RandomStreams
from sellersim.supply.purchase_orders import draw_triangular
from sellersim.supply.reorder import remove_units

_WEEKS_PER_YEAR = 52


class SupplierEvents:
    """Defective batches caught or shipped, their lots at FBA, and factory price increases."""

    def __init__(
        self,
        *,
        cfg: SupplierEventsConfig,
        catalog: Catalog,
        ledger: Ledger,
        streams: RandomStreams,
        events: EventLog,
        removal_fee_usd_per_unit: float,
        procurement_service: Callable[[], float],
    ) -> None:
        self.cfg = cfg
        self.procurement_service = procurement_service
        self.catalog = catalog
        self.ledger = ledger
        self.streams = streams
        self.events = events
        self.removal_fee_usd_per_unit = removal_fee_usd_per_unit
        self._bad_orders: dict[int, float] = {}  # order id -> extra defect rate of a run that shipped bad
        self._bad_lots: dict[int, dict[int, float]] = {}  # product -> {day a bad lot arrived: its extra rate}
        self._bad_units: dict[tuple[int, int], int] = {}  # (product, day a bad lot arrived) -> its units
        self.credits_usd: dict[int, float] = {}  # product -> what its factory owes off the next order
        self._runs: dict[int, int] = {}  # product -> production runs finished
        self._price_luck = KeyedUniforms(streams, "supplier_prices")  # one uniform per (product, day)

    def inspect(self, *, order_id: int, product: int, day: int, s_procurement: float) -> int:
        """Whether the run of order ``order_id`` went wrong and, if so, whether an inspection caught it:
        the days of rework the order waits at the factory (0 when none)."""
        cfg = self.cfg
        if not cfg.enabled:
            return 0
        # keyed by the product's k-th run, so the same product's runs meet the same luck under every strategy
        run = self._runs.get(product, 0)
        self._runs[product] = run + 1
        luck = self.streams.keyed("supplier_batches", product, run)
        went_wrong, booked, caught = luck.random(3)
        if went_wrong >= cfg.bad_batch_chance:
            return 0
        extra = float(luck.uniform(cfg.bad_batch_defect_rate.low, cfg.bad_batch_defect_rate.high))
        name = self.catalog.names[product]
        rejected = bdtrc(cfg.inspection_accept_defects, cfg.inspection_sample_units, extra)  # P(defects > accepted)
        if booked < s_procurement and caught < rejected:
            days = max(1, round(draw_triangular(luck, cfg.rework_days)))
            self.events.add(
                day, "batch_reworked", product_id=product,
                detail=f"PO {order_id}: inspection caught a defective run of {name}; {days} days of rework",
            )  # fmt: skip
            return days
        self._bad_orders[order_id] = extra
        return 0

    def arrived(self, *, order_id: int, product: int, day: int, units: int, last: bool) -> None:
        """``units`` of order ``order_id`` became sellable today (the ``last`` of them, if so: an order held
        at AWD arrives in parts): a bad run's units become a bad lot of the product."""
        extra = self._bad_orders.pop(order_id, None) if last else self._bad_orders.get(order_id)
        if extra is None:
            return
        lots = self._bad_lots.setdefault(product, {})
        lots[day] = max(extra, lots.get(day, 0.0))  # two bad lots on one day: the worse one counts
        self._bad_units[product, day] = self._bad_units.get((product, day), 0) + units
        self.events.add(
            day, "defective_batch", product_id=product,
            detail=f"PO {order_id}: {units} units of {self.catalog.names[product]}, {extra:.0%} of them defective",
        )  # fmt: skip

    def end_of_day(self, day: int) -> None:
        """Sell a bad lot's extra defect rate with its units: on once they are the oldest in stock, off when
        they are gone (call once a day, after the market)."""
        if not self._bad_lots:
            return
        cat = self.catalog
        for i, bad in list(self._bad_lots.items()):
            days = cat.lot_day[i][cat.lot_units[i] > 0]
            for arrived in [d for d in bad if d not in days]:  # sold, removed or written off
                self._claim(day, i, arrived, bad.pop(arrived))
            if not bad:
                del self._bad_lots[i]
            oldest = int(days.min()) if len(days) else -1
            self._set_batch_defect(i, bad.get(oldest, 0.0))

    def listing_closed(self, *, day: int, product: int, s_after: float) -> None:
        """Amazon closed ``product``'s listing for its returns: after-sales work looks for the cause, and a
        bad lot being sold is found and removed."""
        cat = self.catalog
        lots, days = cat.lot_units[product], cat.lot_day[product]
        held = days[lots > 0]
        bad_lots = self._bad_lots.get(product, {})
        arrived = int(held.min()) if len(held) else -1  # the lot being sold is the oldest
        if arrived not in bad_lots:
            return  # no bad lot being sold (or it sold out today): not the cause
        if self.streams.keyed("supplier_removals", product, day).random() >= s_after:
            return
        bad = int(lots[days == arrived].sum())
        remove_units(cat, self.ledger, day, product, bad, self.removal_fee_usd_per_unit)
        self._claim(day, product, arrived, self._bad_lots[product].pop(arrived))
        if not self._bad_lots[product]:
            del self._bad_lots[product]
        self._set_batch_defect(product, 0.0)  # the next lot's rate is set at the end of the day
        self.events.add(
            day, "batch_removed", product_id=product,
            detail=f"{bad} units of a defective batch of {cat.names[product]} removed",
        )  # fmt: skip

    def _claim(self, day: int, product: int, arrived: int, extra: float) -> None:
        """The bad lot of ``product`` that arrived on ``arrived`` is gone (sold, removed or written off): its returns
        and reviews are the evidence, and procurement claims from the factory with probability ``s_procurement``,
        winning back ``claim_share`` of its defective units' factory value off the product's next order."""
        units = self._bad_units.pop((product, arrived))
        if self.streams.keyed("supplier_claims", product, arrived).random() >= self.procurement_service():
            return
        usd = self.cfg.claim_share * extra * units * float(self.catalog.fob_usd[product])
        self.credits_usd[product] = self.credits_usd.get(product, 0.0) + usd
        self.events.add(
            day, "batch_claimed", product_id=product, amount_usd=usd,
            detail=f"the factory of {self.catalog.names[product]} credits ${usd:,.0f} for a defective batch",
        )  # fmt: skip

    def take_credit(self, day: int, product: int) -> None:
        """A new order of ``product`` is placed: the factory's credit comes off it (booked as money back)."""
        usd = self.credits_usd.pop(product, 0.0)
        self.ledger.post(day, BANK, "supplier_credit", usd, product)

    def review_prices(self, day: int, s_procurement: float) -> None:
        """This week's price increases on the products still ordered (call once a week)."""
        cfg, cat = self.cfg, self.catalog
        if not cfg.enabled or not cat.n:
            return
        chance = cfg.price_increase_chance_per_year / _WEEKS_PER_YEAR
        u = self._price_luck.today(day, cat.n)
        for i in np.flatnonzero((u < chance) & (cat.status == LIVE) & (cat.retired_day < 0)):
            # given u < chance, u / chance is uniform on [0, 1): it sets the size of the ask
            p = cfg.price_increase
            asked = float(p.low + (p.high - p.low) * u[i] / chance)
            rise = asked * (1 - cfg.negotiated_share * s_procurement)
            cat.fob_usd[i] *= 1 + rise
            self.events.add(
                day, "price_increase", product_id=int(i),
                detail=f"the factory of {cat.names[i]} asked {asked:.1%} more; {rise:.1%} agreed",
                amount_usd=float(cat.fob_usd[i]),
            )  # fmt: skip

    def _set_batch_defect(self, i: int, rate: float) -> None:
        cat = self.catalog
        if cat.batch_defect_rate[i] != rate:
            cat.batch_defect_rate[i] = rate
            cat.revise()
