"""Purchase orders from a Chinese factory to sellable stock at FBA, as SimPy processes.

A purchase order runs: deposit paid at order -> production (random length,
stopped by the Chinese New Year shutdown; a run that went wrong and was caught by inspection is
reworked, :mod:`sellersim.supply.supplier_events`) -> balance paid before shipment (the
factory waits for it) -> sea or air freight -> customs duty -> FBA receiving
(slower in Q4) -> sellable. Amazon's capacity limit gates the shipment: an order whose volume does not fit
when it is ready to ship sails to AWD instead and goes on to FBA in parts as room opens
(:mod:`sellersim.supply.capacity`). Procurement work shortens and steadies production;
logistics work avoids freight and receiving problems; finance work pays the
balance on time (up to ``balance_late_days_untended`` late when undone) and
claims reimbursement for units Amazon loses.

SimPy time model: one process per order, waiting out each stage with timeouts (the balance and AWD's wait for
room are checked once a day); an order held at AWD starts one process per part sent on, and is done when its
last part is received.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import simpy

from sellersim.calendar import SimCalendar
from sellersim.domains import DOMAIN_INDEX
from sellersim.events import EventLog
from sellersim.market.catalog import AWAITING, Catalog
from sellersim.money.ledger import AMAZON, BANK, Ledger
from sellersim.scenario.schema import Supply, Triangular
from sellersim.streams import RandomStreams
from sellersim.supply.capacity import FbaCapacity

if TYPE_CHECKING:  # supplier_events removes stock through reorder, which imports this module
    from sellersim.supply.supplier_events import SupplierEvents

_CBM_PER_CUFT = 0.0283168
_KG_PER_LB = 0.453592
_PROCUREMENT, _LOGISTICS, _FINANCE = (DOMAIN_INDEX[d] for d in ("procurement", "logistics", "finance"))


def draw_triangular(rng: np.random.Generator, t: Triangular) -> float:
    """A triangular draw of ``t`` (its mode when the range is empty)."""
    return float(rng.triangular(t.low, t.mode, t.high)) if t.high > t.low else float(t.mode)


@dataclass
class PurchaseOrder:
    """One order of ``units`` of one product; ``stage`` follows it to FBA."""

    id: int
    product: int
    units: int
    freight: str
    fob_usd: float
    placed_day: int
    stage: str = "production"
    delivered: int = 0  # units received at FBA so far (in parts when the order waited at AWD)
    days: dict[str, int] = field(default_factory=dict)  # day each stage began


class SupplyChain:
    """Places purchase orders and carries them through production, freight and receiving."""

    def __init__(
        self,
        *,
        env: simpy.Environment,
        cfg: Supply,
        catalog: Catalog,
        ledger: Ledger,
        calendar: SimCalendar,
        streams: RandomStreams,
        events: EventLog,
        capacity: FbaCapacity,
        service: Callable[[], np.ndarray],
        cash_floor_usd: float,
        payment_buffer_usd: float,
        placement_usd_per_unit: float,
        on_launch: Callable[[int, int], None],
        on_order: Callable[[int, float, int], object],
        tax_owed_usd: Callable[[], float],
        supplier_events: SupplierEvents,
    ) -> None:
        self.env = env
        self.cfg = cfg
        self.catalog = catalog
        self.ledger = ledger
        self.calendar = calendar
        self.events = events
        self.capacity = capacity
        self.service = service
        self.cash_floor_usd = cash_floor_usd
        self.payment_buffer_usd = payment_buffer_usd
        self.placement_usd_per_unit = placement_usd_per_unit
        self.on_launch = on_launch
        self.on_order = on_order  # (day, factory value, product): a lender may advance part of it
        self.tax_owed_usd = tax_owed_usd  # income tax accrued and not yet paid: kept for its due date
        self.supplier_events = supplier_events  # a run that goes wrong: reworked or shipped
        self._production = streams["production"]
        self._freight = streams["freight"]
        self._receiving = streams["receiving"]
        self._warehouse = streams["warehouse"]
        self._awd = streams["awd"]
        self.placed = 0
        self._committed_usd = 0.0
        self.open: list[PurchaseOrder] = []  # not yet arrived
        self.arrived: list[PurchaseOrder] = []  # sellable at FBA, in order of arrival

    # --- figures other parts read -------------------------------------------------

    @property
    def open_orders(self) -> int:
        """Orders still at the factory (procurement follows them up)."""
        return sum(po.stage in ("production", "awaiting_balance") for po in self.open)

    @property
    def shipments(self) -> int:
        """Orders on the water, in the air, waiting at AWD or being received (logistics follows them)."""
        return sum(po.stage in ("in_transit", "buffered", "receiving") for po in self.open)

    @property
    def committed_usd(self) -> float:
        """Payments still due on open orders: balances, freight and duty."""
        return self._committed_usd

    def spendable_usd(self) -> float:
        """Cash free for new orders as the company sees it: cash less known commitments (payments due on
        open orders, income tax accrued).

        Bookkeeping is finance work: when it is not done, part of what is owed is overlooked.
        """
        seen = 0.5 + 0.5 * self.service()[_FINANCE]
        return self.ledger.cash_usd - self.cash_floor_usd - seen * (self.committed_usd + self.tax_owed_usd())

    def freight_usd_per_unit(self, weight_lb: float, cuft: float, mode: str) -> float:
        """Freight cost per unit by sea (per CBM) or air (per chargeable kg, actual or volumetric)."""
        cfg = self.cfg
        if mode == "sea":
            return cuft * _CBM_PER_CUFT * cfg.sea_usd_per_cbm
        return max(weight_lb * _KG_PER_LB, cuft * cfg.air_volumetric_kg_per_cuft) * cfg.air_usd_per_kg

    def negotiated_fob_usd(self, sourced_fob_usd: float) -> float:
        """Unit price a new order gets: the sourced price, plus what goes unnegotiated when
        procurement work is not done."""
        return sourced_fob_usd * (1 + self.cfg.unit_cost_markup_untended * (1 - self.service()[_PROCUREMENT]))

    def order_fob_usd(self, product: int) -> float:
        """Unit price a new order of ``product`` gets."""
        return self.negotiated_fob_usd(self.catalog.fob_usd[product])

    def landed_usd_per_unit(self, product: int, mode: str) -> float:
        """Factory price, freight and duty per unit of a new order (fixed shipment costs left out)."""
        cat = self.catalog
        freight = self.freight_usd_per_unit(cat.weight_lb[product], cat.cuft[product], mode)
        return self.order_fob_usd(product) * (1 + self.cfg.duty_rate) + freight

    def _freight_total(self, po: PurchaseOrder) -> float:
        cat = self.catalog
        per_unit = self.freight_usd_per_unit(cat.weight_lb[po.product], cat.cuft[po.product], po.freight)
        return per_unit * po.units + self.cfg.shipment_fixed_usd

    # --- placing and running orders -----------------------------------------------

    def place(self, day: int, product: int, units: int, freight: str) -> PurchaseOrder:
        """Pay the deposit and start the order's process."""
        cat, cfg = self.catalog, self.cfg
        po = PurchaseOrder(self.placed, product, int(units), freight, self.order_fob_usd(product), day)
        self.placed += 1
        self.open.append(po)
        cat.inbound[product] += po.units
        cat.ordered[product] += po.units
        deposit = cfg.deposit_share * po.units * po.fob_usd
        self._committed_usd += (1 - cfg.deposit_share + cfg.duty_rate) * po.units * po.fob_usd
        self._committed_usd += self._freight_total(po)
        self.on_order(day, po.units * po.fob_usd, product)
        self.ledger.post(day, BANK, "product_cost", -deposit, product)
        self.supplier_events.take_credit(day, product)
        self.events.add(
            day,
            "purchase_order",
            product_id=product,
            detail=f"PO {po.id}: {po.units} units of {cat.names[product]} by {freight}",
            amount_usd=po.units * po.fob_usd,
        )
        self.env.process(self._run(po))
        return po

    def _run(self, po: PurchaseOrder) -> Generator[simpy.Event, None, None]:
        cfg, env, cat = self.cfg, self.env, self.catalog
        service = self.service()
        po.days["production"] = int(env.now)
        work_days = draw_triangular(self._production, cfg.production_days) + (
            cfg.production_extra_days_untended * (1 - service[_PROCUREMENT]) * self._production.random()
        )
        yield env.timeout(self.calendar.production_end(int(env.now), work_days) - env.now)
        rework_days = self.supplier_events.inspect(
            order_id=po.id, product=po.product, day=int(env.now), s_procurement=float(self.service()[_PROCUREMENT])
        )
        if rework_days:
            yield env.timeout(rework_days)

        po.stage = "awaiting_balance"
        po.days["awaiting_balance"] = int(env.now)
        balance = (1 - cfg.deposit_share) * po.units * po.fob_usd
        freight = self._freight_total(po)
        late = round(cfg.balance_late_days_untended * (1 - self.service()[_FINANCE]))
        if late > 0:
            yield env.timeout(late)  # nobody on top of the books: the balance goes out late
        while self.ledger.cash_usd - balance - freight < self.cash_floor_usd + self.payment_buffer_usd:
            yield env.timeout(1)  # the factory holds the goods until paid
        day = int(env.now)
        self.ledger.post(day, BANK, "product_cost", -balance, po.product)
        self.ledger.post(day, BANK, "freight", -freight, po.product)
        self._committed_usd -= balance + freight
        unit_cuft = float(cat.cuft[po.product])
        direct = self.capacity.admit(po.units * unit_cuft)
        if not direct:
            self.capacity.bound_day = day
            room = max(self.capacity.room_cuft(), 0.0)
            self.events.add(
                day,
                "capacity_bound",
                product_id=po.product,
                detail=f"PO {po.id}: {po.units * unit_cuft:,.0f} cu ft do not fit the {room:,.0f} cu ft of room "
                "under the FBA capacity limit; shipped to AWD",
            )
        po.stage = "in_transit"
        po.days["in_transit"] = day
        self.events.add(day, "shipped", product_id=po.product, detail=f"PO {po.id} shipped by {po.freight}")

        service = self.service()
        transit = draw_triangular(self._freight, cfg.sea_transit_days if po.freight == "sea" else cfg.air_transit_days)
        if self._freight.random() < cfg.logistics_problem_chance_untended * (1 - service[_LOGISTICS]):
            transit += draw_triangular(self._freight, cfg.logistics_problem_delay_days)
        yield env.timeout(round(transit))
        duty = cfg.duty_rate * po.units * po.fob_usd
        self.ledger.post(int(env.now), BANK, "duty", -duty, po.product)
        self._committed_usd -= duty
        landed = po.fob_usd * (1 + cfg.duty_rate) + freight / po.units

        if direct:
            po.stage = "receiving"
            po.days["receiving"] = int(env.now)
            yield from self._receive(po, po.units, landed, "")
            self.capacity.received(po.units * unit_cuft)
        else:
            po.stage = "buffered"
            po.days["buffered"] = int(env.now)
            self.capacity.hold(po.units, po.units * unit_cuft)
            yield from self._send_on(po, unit_cuft, landed)
        po.stage = "arrived"
        po.days["arrived"] = int(env.now)
        self.open.remove(po)
        self.arrived.append(po)

    def _send_on(self, po: PurchaseOrder, unit_cuft: float, landed_usd: float) -> Generator[simpy.Event, None, None]:
        """Send an order waiting at AWD on to FBA, each day as many units as the room under the limit allows."""
        env, parts, left = self.env, [], po.units
        while left:
            fit = left if unit_cuft <= 0 else min(left, int(max(self.capacity.room_cuft(), 0.0) // unit_cuft))
            if fit:
                self.capacity.admit(fit * unit_cuft)
                self.capacity.send_on(int(env.now), po.product, fit, fit * unit_cuft)
                parts.append(env.process(self._from_awd(po, fit, unit_cuft, landed_usd)))
                left -= fit
            if left:
                yield env.timeout(1)
        yield env.all_of(parts)

    def _from_awd(
        self, po: PurchaseOrder, units: int, unit_cuft: float, landed_usd: float
    ) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(max(1, round(draw_triangular(self._awd, self.capacity.cfg.buffer_to_fba_days))))
        yield from self._receive(po, units, landed_usd, " from AWD")
        self.capacity.received(units * unit_cuft)

    def _receive(
        self, po: PurchaseOrder, units: int, landed_usd: float, via: str
    ) -> Generator[simpy.Event, None, None]:
        """FBA receives ``units`` of ``po`` (slower in Q4) and makes them sellable, less what it loses."""
        cfg, env, cat = self.cfg, self.env, self.catalog
        receiving = draw_triangular(self._receiving, cfg.receiving_days)
        if self.calendar.is_q4(int(env.now)):
            receiving += draw_triangular(self._receiving, cfg.receiving_q4_extra_days)
        yield env.timeout(max(1, round(receiving)))

        day = int(env.now)
        lost = int(self._warehouse.binomial(units, cfg.warehouse_loss_share))
        po.delivered += units
        cat.inbound[po.product] -= units
        cat.received[po.product] += units
        cat.warehouse_lost[po.product] += lost
        cat.write_off_usd += lost * landed_usd
        cat.receive(po.product, units - lost, day, landed_usd)
        self.supplier_events.arrived(
            order_id=po.id, product=po.product, day=day, units=units - lost, last=po.delivered == po.units
        )
        self.ledger.post(day, AMAZON, "placement_fee", -self.placement_usd_per_unit * units, po.product)
        if lost and self._warehouse.random() < self.service()[_FINANCE]:
            self.ledger.post(day, AMAZON, "reimbursement", lost * landed_usd, po.product)
        self.events.add(day, "arrived", product_id=po.product, detail=f"PO {po.id}: {units - lost} units sellable{via}")
        if cat.status[po.product] == AWAITING:
            self.on_launch(po.product, day)
