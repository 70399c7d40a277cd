"""The days-of-cover reorder rule, applied only when inventory-control work gets done.

Each live product is reviewed on its own day of the review cycle. A review
happens with the probability that listing work (which includes inventory
control) is done; missed reviews are late reorders. The forecast takes recent
velocity, removes the season it was sold in and projects it over the coming
season and along the niche's trend as the company sees it (watching keeps that
view current, :mod:`sellersim.market.trends`); a neglected forecast is noisier.
Cash caps the order: no cash, no order. So does Amazon's capacity limit: an order is cut to the room the
company expects under the limit when it lands, one lead time (production, freight and receiving at their
modes) away (:meth:`sellersim.supply.capacity.FbaCapacity.expected_room_cuft`); an order cut below the
factory's minimum is not placed, and the cut is recorded as the limit binding.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from sellersim.calendar import SimCalendar
from sellersim.domains import DOMAIN_INDEX
from sellersim.market.catalog import LIVE, Catalog
from sellersim.market.trends import expected_log_growth
from sellersim.money.ledger import AMAZON, Ledger
from sellersim.scenario.schema import NicheTrend, ReorderPolicy
from sellersim.supply.purchase_orders import SupplyChain

_LISTING = DOMAIN_INDEX["listing"]


def remove_units(catalog: Catalog, ledger: Ledger, day: int, i: int, units: int, fee_usd_per_unit: float) -> None:
    """Have Amazon remove ``units`` of product ``i`` (oldest first): their landed cost is written off and the
    removal fee charged to the seller balance."""
    catalog.write_off_lots(i, units)
    catalog.removed[i] += units
    ledger.post(day, AMAZON, "removal_fee", -units * fee_usd_per_unit, i)


class Replenisher:
    """Reviews stock and places reorders through the supply chain."""

    def __init__(
        self,
        *,
        policy: ReorderPolicy,
        catalog: Catalog,
        supply: SupplyChain,
        calendar: SimCalendar,
        rng: np.random.Generator,
        service: Callable[[], np.ndarray],
        launch_period_days: int,
        ledger: Ledger,
        removal_usd_per_unit: float,
        trend: NicheTrend,
        forecast_noise_untended: float,
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
        self.trend = trend
        self.forecast_noise_untended = forecast_noise_untended
        self._season_day = -1
        self._season_totals: dict[int, float] = {}  # period in days -> seasonality summed over it

    def base_units_per_day(self, i: int, day: int, care: float, velocity: float, launch_day: int) -> float:
        """De-seasonalised daily sales forecast (the research estimate while launching), with noise.

        ``velocity`` and ``launch_day`` are product ``i``'s, read by the caller with those of the others due."""
        v = velocity / float(self.calendar.seasonality[day])
        if day - launch_day < self.launch_period_days:
            v = max(v, self.policy.launch_forecast_floor_share * float(self.catalog.planned_units_per_day[i]))
        noise = float(np.exp(self.forecast_noise_untended * (1 - care) * self.rng.standard_normal()))
        return max(v * noise, self.policy.min_forecast_units_per_day)

    def demand_over(self, base: float, day: int, days: float, growth_per_year: float) -> float:
        """Units ``base`` sells over the next ``days`` days, season by season, along a trend of
        ``growth_per_year`` (its level halfway through stands for the whole span)."""
        trend = math.exp(expected_log_growth(growth_per_year, days / 2, self.trend))
        return base * trend * self._season_total(day, int(days))

    def _season_total(self, day: int, days: int) -> float:
        """Seasonality summed over the ``days`` days from ``day``.

        Every product reviewed on a day looks over the same few periods, so the sums
        are kept for the day rather than taken again for each product.
        """
        if day != self._season_day:
            self._season_day = day
            self._season_totals = {}
        total = self._season_totals.get(days)
        if total is None:
            total = self._season_totals[days] = float(self.calendar.seasonality[day : day + days].sum())
        return total

    def review(self, day: int) -> None:
        """Review the products whose turn it is today."""
        cat, p = self.catalog, self.policy
        due = self._due(day)
        if not due:
            return
        care = float(self.service()[_LISTING])
        age = p.remove_stock_older_than_days  # 0: never remove
        aged = cat.units_older_than(due, day, age).tolist() if age else [0] * len(due)
        # A review changes only its own product's stock and orders, so every product's figures are read up
        # front, as Python numbers: one read per column rather than one per product.
        columns = (cat.stock, cat.inbound, cat.velocity, cat.launch_day, cat.growth_seen_per_year, cat.cuft)
        stock, inbound, velocity, launch_day, growth, unit_cuft = (column[due].tolist() for column in columns)
        room_cuft = {mode: self.supply.capacity.expected_room_cuft(self._lead_days(mode)) for mode in ("sea", "air")}
        for k, i in enumerate(due):
            if self.rng.random() >= care:
                continue  # inventory control not done this cycle
            base = self.base_units_per_day(i, day, care, velocity[k], launch_day[k])
            position = stock[k] + inbound[k]
            up_to = self.demand_over(base, day, p.order_up_to_days, growth[k])
            if aged[k] and self._remove_aged(day, i, aged[k], position - up_to):
                continue
            if position >= self.demand_over(base, day, p.reorder_point_days, growth[k]):
                continue
            want = int(up_to - position)
            if inbound[k] == 0 and stock[k] < self.demand_over(base, day, p.expedite_by_air_below_days, growth[k]):
                air = self._order(
                    day, i, min(want, int(self.demand_over(base, day, p.air_cover_days, growth[k]))), "air",
                    room_cuft["air"] / unit_cuft[k] if unit_cuft[k] > 0 else math.inf,
                )  # fmt: skip
                for mode in room_cuft:
                    room_cuft[mode] -= air * unit_cuft[k]
                if air and want - air < self.supply.cfg.min_order_units:
                    continue  # the air bridge covers it; a sea order this small would be topped up to the MOQ
                want -= air
            sea = self._order(
                day, i, want, p.freight, room_cuft[p.freight] / unit_cuft[k] if unit_cuft[k] > 0 else math.inf
            )
            for mode in room_cuft:
                room_cuft[mode] -= sea * unit_cuft[k]

    def _lead_days(self, freight: str) -> float:
        """Days from order to sellable stock at the usual (modal) production, freight and receiving times."""
        cfg = self.supply.cfg
        transit = cfg.sea_transit_days if freight == "sea" else cfg.air_transit_days
        return cfg.production_days.mode + transit.mode + cfg.receiving_days.mode

    def _due(self, day: int) -> list[int]:
        """Live products still carried (not retired) whose review day is today: product ``i`` is reviewed when
        ``(day + i) % cycle == 0``."""
        cycle, status, retired = self.policy.review_every_days, self.catalog.status, self.catalog.retired_day
        return [i for i in range(-day % cycle, self.catalog.n, cycle) if status[i] == LIVE and retired[i] < 0]

    def _remove_aged(self, day: int, i: int, aged_units: int, excess: float) -> int:
        """Remove overstock that is about to reach the steep aged-inventory tiers; return units removed.

        ``aged_units`` are the product's units older than the policy's age limit.
        """
        units = min(aged_units, int(excess))
        if units > 0:
            remove_units(self.catalog, self.ledger, day, i, units, self.removal_usd_per_unit)
        return max(units, 0)

    def _order(self, day: int, i: int, units: int, freight: str, room_units: float) -> int:
        """Order ``units`` (at least the factory's minimum), cut to what cash allows and to the ``room_units``
        expected under the capacity limit; return units ordered."""
        if units <= 0:
            return 0
        floor = self.supply.cfg.min_order_units
        spendable = self.supply.spendable_usd() - self.policy.cash_reserve_usd
        affordable = int(spendable / self.supply.landed_usd_per_unit(i, freight))
        wanted = min(max(units, floor), affordable)
        units = min(wanted, max(int(min(room_units, wanted)), 0))
        if units < wanted and wanted >= floor:
            self._cut_for_room(day, i, wanted, units if units >= floor else 0)
        if units < floor:
            return 0
        self.supply.place(day, i, units, freight)
        return units

    def _cut_for_room(self, day: int, i: int, wanted: int, placed: int) -> None:
        self.supply.capacity.bound_day = day
        what = f"cut to {placed} units" if placed else "not placed (room below the factory's minimum)"
        detail = f"reorder of {wanted} units of {self.catalog.names[i]} {what}: the room expected under the FBA limit"
        self.supply.events.add(day, "capacity_bound", product_id=i, detail=detail)
