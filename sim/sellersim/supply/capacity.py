"""Amazon's FBA capacity limit: how much the account may store at FBA and have on its way there, and the AWD
buffer that holds what does not fit.

Since March 2023 Amazon gives each professional account one limit a month, in cubic feet, set from the
account's projected sales and how well it turns its stock (its IPI score). The model sets it on the first day
of each month from the catalogue's own figures and keeps it all month::

    D_i <- D_i + (units_i + lost_units_i - D_i) / 30   each launched product's demand a day, in stock or not
    P = sum_i D_i * cuft_i                            projected cubic feet sold a day
    S = sum_i velocity_90_i * cuft_i                  cubic feet sold a day over about 90 days
    H <- H + (on-hand cubic feet - H) / 90            average cubic feet on hand
    T = 90 * S / H                                    90-day sell-through, volume-weighted
    f = clip(T / healthy_sell_through, min_factor, 1) the IPI-like cut (1 before anything was on hand)
    L = max(min_cuft, months_of_sales * 30.44 * P * f)

The projection counts sales lost while a product was out of stock: a forecast does not fall to nothing while
a product waits for stock. A product's ``D`` starts from its pace when listed (an established business's
products from their expected sales) and a new product's from the sales its research planned, kept until it
launches: Amazon's forecast counts the new selection a seller carries. An account younger than
``limit_free_weeks`` has no limit (``L`` infinite); its age is the day, plus, for an established business,
the age of its products at the start. What counts against the limit is the volume on hand plus the open
shipments to FBA (from the factory or from AWD, until received)::

    U = sum_i stock_i * cuft_i + open shipments' cubic feet,     room = L - U

Amazon refuses a new shipment that does not fit. A purchase order ready to leave the factory is sent straight
to FBA when its whole volume fits; otherwise it sails to Amazon Warehousing and Distribution (AWD), and from
there each day as much of it goes on to FBA as the room allows (see :mod:`sellersim.supply.purchase_orders`).
Sellers caught by the limit do this rather than cancel an order that is made and paid for. AWD charges storage
on the cubic feet it holds (billed monthly) and handling on what it sends on. An overage fee on the daily
average volume on hand above the limit is billed monthly when its rate is above zero: Amazon charged $10 per
cubic foot until mid-2024, and since then only refuses new shipments. The reorder rule orders no more than the
room it expects when the order lands (:meth:`FbaCapacity.expected_room_cuft`).

SimPy time model: none of its own. The model calls :meth:`FbaCapacity.start_of_day` before the SimPy clock runs
through the day (the month's limit is set on its first day) and :meth:`FbaCapacity.end_of_day` after the market;
purchase-order processes call :meth:`FbaCapacity.admit` and :meth:`FbaCapacity.received` as shipments open and
are received.
"""

from __future__ import annotations

import math

import numpy as np

from sellersim.calendar import SimCalendar
from sellersim.market.catalog import AWAITING, Catalog
from sellersim.money.ledger import AMAZON, Ledger
from sellersim.scenario.schema import FbaCapacity as FbaCapacityConfig

DAYS_PER_MONTH = 365.25 / 12
SELL_THROUGH_DAYS = 90  # IPI's sell-through reads the last 90 days
DEMAND_DAYS = 30  # the projection's pace: about the last month's
_DAYS_PER_WEEK = 7


class FbaCapacity:
    """The month's capacity limit, what uses it, and the AWD buffer's volume and bills."""

    def __init__(
        self,
        *,
        cfg: FbaCapacityConfig,
        catalog: Catalog,
        ledger: Ledger,
        calendar: SimCalendar,
        account_age_days: int,
    ) -> None:
        self.cfg = cfg
        self.catalog = catalog
        self.ledger = ledger
        self.calendar = calendar
        self.account_age_days = account_age_days  # at day 0
        self.limit_cuft = math.inf
        self.shipping_cuft = 0.0  # open shipments to FBA, not yet received
        self.buffered_cuft = 0.0  # waiting at AWD
        self.buffered_units = 0
        self.bound_day = -1  # last day a shipment went to AWD or an order was cut for room
        self._today = -1
        self._on_hand_avg_cuft = -1.0  # H; negative until the first day sets it
        self._demand = np.zeros(0)  # D: units a day each product sells or would have sold in stock
        self._buffer_cuft_days = 0.0
        self._over_cuft_days = 0.0

    # --- the limit and its use ----------------------------------------------------

    def on_hand_cuft(self) -> float:
        """Cubic feet of sellable stock at FBA."""
        cat = self.catalog
        return float(cat.stock @ cat.cuft)

    def used_cuft(self) -> float:
        """What counts against the limit: stock on hand and open shipments."""
        return self.on_hand_cuft() + self.shipping_cuft

    def room_cuft(self) -> float:
        """Cubic feet a new shipment may take today (infinite with no limit)."""
        return self.limit_cuft - self.used_cuft()

    def limit_for(self, day: int) -> float:
        """The limit Amazon would set on ``day`` from the account's age, sales and stock (see the module)."""
        cfg, cat = self.cfg, self.catalog
        if day + self.account_age_days < _DAYS_PER_WEEK * cfg.limit_free_weeks:
            return math.inf
        self._list_new(cat.n)
        projected_cuft_per_day = float(self._demand @ cat.cuft[: cat.n])
        factor = 1.0
        if self._on_hand_avg_cuft > 0:
            sell_through = SELL_THROUGH_DAYS * float(cat.velocity_90 @ cat.cuft) / self._on_hand_avg_cuft
            factor = min(1.0, max(cfg.min_factor, sell_through / cfg.healthy_sell_through))
        return max(cfg.min_cuft, cfg.months_of_sales * DAYS_PER_MONTH * projected_cuft_per_day * factor)

    def _list_new(self, n: int) -> None:
        """Start the demand of products listed since last seen (up to ``n``) from their pace when listed, or for
        a new product from the sales its research planned."""
        known = len(self._demand)
        if n > known:
            cat = self.catalog
            start = np.maximum(cat.velocity_30[known:n], cat.planned_units_per_day[known:n])
            self._demand = np.concatenate([self._demand, start])

    def expected_room_cuft(self, lead_days: float) -> float:
        """Room the reorder rule expects when an order placed today lands ``lead_days`` from now: the limit, less
        everything on hand or ordered, plus what sells meanwhile at today's pace (infinite with no limit)."""
        if math.isinf(self.limit_cuft):
            return math.inf
        cat = self.catalog
        position_cuft = float((cat.stock + cat.inbound) @ cat.cuft)
        return self.limit_cuft - position_cuft + lead_days * float(cat.velocity @ cat.cuft)

    # --- shipments ----------------------------------------------------------------

    def admit(self, cuft: float) -> bool:
        """Open a shipment of ``cuft`` to FBA if it fits; return whether it did."""
        if cuft > self.room_cuft():
            return False
        self.shipping_cuft += cuft
        return True

    def received(self, cuft: float) -> None:
        """An open shipment of ``cuft`` has been received at FBA."""
        self.shipping_cuft -= cuft

    def hold(self, units: int, cuft: float) -> None:
        """``units`` (``cuft``) arrive at AWD to wait for room."""
        self.buffered_units += units
        self.buffered_cuft += cuft

    def send_on(self, day: int, product: int, units: int, cuft: float) -> None:
        """``units`` (``cuft``) leave AWD for FBA: AWD's handling is charged."""
        self.buffered_units -= units
        self.buffered_cuft -= cuft
        self.ledger.post(day, AMAZON, "capacity_fee", -self.cfg.buffer_handling_usd_per_cuft * cuft, product)

    @property
    def bound(self) -> bool:
        """Goods are waiting for room, or a shipment or order was held back today."""
        return self.buffered_units > 0 or self.bound_day == self._today

    # --- the day ------------------------------------------------------------------

    def start_of_day(self, day: int) -> None:
        """Set the month's limit on its first day (and on the run's first)."""
        self._today = day
        if day == 0 or self.calendar.day_of_month[day] == 1:
            self.limit_cuft = self.limit_for(day)

    def end_of_day(self, day: int, units: np.ndarray, lost_units: np.ndarray) -> None:
        """Average the day's demand (``units`` sold and ``lost_units`` for want of stock, per product in the
        market today) and the stock on hand; accrue AWD storage and any overage; bill both on the month's last
        day."""
        cfg, cal = self.cfg, self.calendar
        self._list_new(len(units))
        launched = self.catalog.status[: len(units)] != AWAITING  # new selection keeps its planned pace until then
        self._demand += launched * ((units + lost_units - self._demand) / DEMAND_DAYS)
        on_hand = self.on_hand_cuft()
        if self._on_hand_avg_cuft < 0:
            self._on_hand_avg_cuft = on_hand
        self._on_hand_avg_cuft += (on_hand - self._on_hand_avg_cuft) / SELL_THROUGH_DAYS
        self._buffer_cuft_days += self.buffered_cuft
        self._over_cuft_days += max(0.0, on_hand - self.limit_cuft)
        if cal.day_of_month[day + 1] == 1:
            days_in_month = int(cal.day_of_month[day])
            usd = self._buffer_cuft_days / days_in_month * cfg.buffer_usd_per_cuft_month
            usd += self._over_cuft_days / days_in_month * cfg.overage_usd_per_cuft_month
            if usd:
                self.ledger.post(day, AMAZON, "capacity_fee", -usd)
            self._buffer_cuft_days = self._over_cuft_days = 0.0
