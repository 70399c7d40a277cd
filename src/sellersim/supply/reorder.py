"""The days-of-cover reorder rule, applied only when inventory-control work gets done.

Each live product is reviewed on its own day of the review cycle. A review
happens with the probability that listing work (which includes inventory
control) is done; missed reviews are late reorders. The forecast takes recent
velocity, removes the season it was sold in and projects it over the coming
season; a neglected forecast is noisier. Cash caps the order: no cash, no order.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sellersim.calendar import SimCalendar
from sellersim.domains import DOMAIN_INDEX
from sellersim.market.catalog import LIVE, Catalog
from sellersim.money.ledger import AMAZON, Ledger
from sellersim.scenario.schema import ReorderPolicy
from sellersim.supply.purchase_orders import SupplyChain

_LISTING = DOMAIN_INDEX["listing"]
_AIR_COVER_DAYS = 45  # an air shipment bridges the gap until sea stock lands
_FORECAST_NOISE_UNTENDED = 0.35


class Replenisher:
    """Reviews stock and places reorders through the supply chain."""

    def __init__(
        self,
        policy: ReorderPolicy,
        catalog: Catalog,
        supply: SupplyChain,
        calendar: SimCalendar,
        rng: np.random.Generator,
        service: Callable[[], np.ndarray],
        launch_period_days: int,
        ledger: Ledger,
        removal_usd_per_unit: float,
    ) -> None:
        self.policy = policy
        self.catalog = catalog
        self.supply = supply
        self.calendar = calendar
        self.rng = rng
        self.service = service
        self.launch_period_days = launch_period_days
        self.ledger = ledger
        self.removal_usd_per_unit = removal_usd_per_unit

    def base_units_per_day(self, i: int, day: int, care: float) -> float:
        """De-seasonalised daily sales forecast (the research estimate while launching), with noise."""
        cat = self.catalog
        v = cat.velocity[i] / self.calendar.seasonality[day]
        if day - cat.launch_day[i] < self.launch_period_days:
            v = max(v, 0.6 * cat.planned_units_per_day[i])
        noise = np.exp(_FORECAST_NOISE_UNTENDED * (1 - care) * self.rng.standard_normal())
        return max(v * noise, 0.1)

    def demand_over(self, base: float, day: int, days: float) -> float:
        """Units ``base`` sells over the next ``days`` days, season by season."""
        return base * float(self.calendar.seasonality[day : day + int(days)].sum())

    def review(self, day: int) -> None:
        """Review the products whose turn it is today."""
        cat, p = self.catalog, self.policy
        n = cat.n
        due = np.flatnonzero((cat.view("status") == LIVE) & ((day + np.arange(n)) % p.review_every_days == 0))
        care = float(self.service()[_LISTING])
        for i in due:
            if self.rng.random() >= care:
                continue  # inventory control not done this cycle
            base = self.base_units_per_day(i, day, care)
            position = cat.stock[i] + cat.inbound[i]
            if self._remove_aged(day, i, position - self.demand_over(base, day, p.order_up_to_days)):
                continue
            if position >= self.demand_over(base, day, p.reorder_point_days):
                continue
            want = int(self.demand_over(base, day, p.order_up_to_days) - position)
            if cat.inbound[i] == 0 and cat.stock[i] < self.demand_over(base, day, p.expedite_by_air_below_days):
                want -= self._order(day, i, min(want, int(self.demand_over(base, day, _AIR_COVER_DAYS))), "air")
            self._order(day, i, want, p.freight)

    def _remove_aged(self, day: int, i: int, excess: float) -> int:
        """Remove overstock that is about to reach the steep aged-inventory tiers; return units removed."""
        age = self.policy.remove_stock_older_than_days
        units = min(self.catalog.units_older_than(i, day, age), int(excess)) if age else 0
        if units > 0:
            self.catalog.remove_lot_units(i, units)
            self.catalog.removed[i] += units
            self.ledger.post(day, AMAZON, "removal_fee", -units * self.removal_usd_per_unit, i)
        return max(units, 0)

    def _order(self, day: int, i: int, units: int, freight: str) -> int:
        """Place an order of up to ``units``, cut to what cash allows; return units ordered."""
        if units <= 0:
            return 0
        floor = self.supply.cfg.min_order_units
        spendable = self.supply.spendable_usd() - self.policy.cash_reserve_usd
        affordable = int(spendable / self.supply.landed_usd_per_unit(i, freight))
        units = min(max(units, floor), affordable)
        if units < floor:
            return 0
        self.supply.place(day, i, units, freight)
        return units
