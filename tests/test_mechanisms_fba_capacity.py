"""Amazon's FBA capacity limit: how it is set, how it holds shipments back at AWD, how reorders are sized to it,
and that a run records when it bound."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sellersim.api import collect
from sellersim.market.catalog import LIVE
from sellersim.model import SellerModel
from sellersim.money.ledger import AMAZON
from sellersim.supply.capacity import DAYS_PER_MONTH, SELL_THROUGH_DAYS
from test_invariants import check_all
from test_mechanisms_supply import Chain, Shop, day_in_summer

CUFT = 0.15  # conftest's test niche, per unit


def limited_chain(base, limit_cuft: float, seed: int = 1, stock: int = 0) -> Chain:
    """A supply chain whose account is under ``limit_cuft``, with ``stock`` units of its one product on hand."""
    chain = Chain(base, seed=seed)
    chain.catalog.status[0] = LIVE
    if stock:
        chain.catalog.receive(0, stock, 0, 10.0)
    chain.capacity.limit_cuft = limit_cuft
    return chain


def sell(chain: Chain, units: int) -> None:
    cat = chain.catalog
    cat.remove_fifo(np.array([min(units, int(cat.stock[0]))]))


def test_the_limit_follows_account_age_demand_and_sell_through(base) -> None:
    cfg = base.supply.fba_capacity
    free_days = 7 * cfg.limit_free_weeks
    nothing = Chain(base)
    nothing.catalog.planned_units_per_day[0] = 0.0
    assert math.isinf(nothing.capacity.limit_for(free_days - 1)), "an account new to FBA has no limit at first"
    assert nothing.capacity.limit_for(free_days) == cfg.min_cuft, "then a limit, at least the floor"
    nothing.capacity.account_age_days = free_days  # an established business: limited from its first day
    assert nothing.capacity.limit_for(0) == cfg.min_cuft

    chain = Chain(base)
    cap, cat = chain.capacity, chain.catalog
    planned = cfg.months_of_sales * DAYS_PER_MONTH * cat.planned_units_per_day[0] * CUFT
    assert cap.limit_for(free_days) == pytest.approx(planned), "new selection counts at its planned pace"
    for day in range(60):  # nothing sells before launch: the planned pace stands
        cap.end_of_day(day, np.array([0]), np.array([0]))
    assert cap.limit_for(free_days) == pytest.approx(planned)
    cap.account_age_days = free_days
    cat.status[0] = LIVE
    cat.receive(0, 300, 0, 10.0)
    for day in range(60, 760):  # 10 sold a day and 5 lost to stock-outs; 300 units kept on hand
        cap.end_of_day(day, np.array([10]), np.array([5]))
    demand_cuft = 15 * CUFT  # lost sales count: Amazon's projection does not fall while a product waits
    sell_through = SELL_THROUGH_DAYS * 0.0 / (300 * CUFT)  # velocity_90 is the market's: nothing sold in it yet
    assert sell_through == 0
    cat.velocity_90[0] = 10.0
    sell_through = SELL_THROUGH_DAYS * 10.0 / 300  # 3: healthy, no cut
    assert sell_through >= cfg.healthy_sell_through
    assert cap.limit_for(0) == pytest.approx(cfg.months_of_sales * DAYS_PER_MONTH * demand_cuft, rel=1e-3)

    cat.velocity_90[0] = 1.0  # the same stock turns a tenth as fast: the IPI-like factor cuts the limit
    factor = max(cfg.min_factor, SELL_THROUGH_DAYS * 1.0 / 300 / cfg.healthy_sell_through)
    assert factor < 1
    assert cap.limit_for(0) == pytest.approx(cfg.months_of_sales * DAYS_PER_MONTH * demand_cuft * factor, rel=1e-3)
    cat.velocity_90[0] = 0.01
    assert cap.limit_for(0) == pytest.approx(
        cfg.months_of_sales * DAYS_PER_MONTH * demand_cuft * cfg.min_factor, rel=1e-3
    ), "the cut stops at min_factor"


def test_an_order_that_does_not_fit_waits_at_awd_and_goes_on_as_room_opens(base) -> None:
    cfg = base.supply.fba_capacity
    placed = day_in_summer(base)
    limit = 300 * CUFT  # room for 300 of the 500 units ordered, once the 200 on hand have sold
    chain = limited_chain(base, limit, stock=200)
    cat, cap = chain.catalog, chain.capacity
    po = chain.order(placed, 500)
    used, held_cuft_days, day = [], 0.0, placed
    while po.stage != "arrived":
        day += 1
        chain.env.run(until=day)
        if po.stage == "buffered" and day > po.days["buffered"] + 40:
            sell(chain, 20)  # room opens only as stock sells
        used.append(cap.used_cuft())
        assert cat.ordered[0] == cat.received[0] + cat.inbound[0], "nothing is lost on the way"
        assert cat.inbound[0] == po.units - po.delivered
        if po.stage == "buffered":  # every unit is at AWD, on its way from there, or received
            assert cap.buffered_units + round(cap.shipping_cuft / CUFT) + po.delivered == po.units
        held_cuft_days += cap.buffered_cuft  # what AWD bills storage on (the chain has no end_of_day)
        assert day < placed + 400, "the order never finished"
    assert "buffered" in po.days, "it did not fit when it was ready to ship, so it went to AWD"
    assert max(used) <= limit + 1e-9, "the limit capped what was sent in"
    assert po.delivered == 500 and cat.received[0] == 500
    assert po.days["arrived"] > po.days["buffered"] + 40, "the rest waited until stock sold"
    arrivals = chain.events.of_kind("arrived")
    assert len(arrivals) >= 2 and all("from AWD" in a[5] for a in arrivals), "sent on in parts as room opened"
    assert len(chain.events.of_kind("capacity_bound")) == 1
    fees = chain.entries("capacity_fee")
    assert (fees["account"] == AMAZON).all()
    assert -fees["amount_usd"].sum() == pytest.approx(cfg.buffer_handling_usd_per_cuft * 500 * CUFT)
    assert held_cuft_days > 0


def test_awd_storage_and_an_overage_are_billed_at_the_month_end(base) -> None:
    cfg = base.supply.fba_capacity.model_copy(update={"overage_usd_per_cuft_month": 10.0})
    chain = limited_chain(base, 100 * CUFT, stock=300)  # 200 units over the limit on hand
    cap = chain.capacity
    cap.cfg = cfg
    cap.hold(400, 400 * CUFT)
    cal = chain.calendar
    first = next(d for d in range(1, 60) if cal.day_of_month[d] == 1)  # a whole month
    last = next(d for d in range(first, first + 40) if cal.day_of_month[d + 1] == 1)
    for day in range(first, last + 1):
        cap.end_of_day(day, np.array([0]), np.array([0]))
    fees = chain.entries("capacity_fee")
    assert list(fees["day"]) == [last]
    expected = 400 * CUFT * cfg.buffer_usd_per_cuft_month + 200 * CUFT * cfg.overage_usd_per_cuft_month
    assert -fees["amount_usd"].sum() == pytest.approx(expected)


def test_a_reorder_is_sized_to_the_room_expected_under_the_limit(base) -> None:
    policy = base.strategy.reorder
    day = policy.review_every_days * 10
    free = Shop(base, service=1.0, stock=50, velocity=20.0)
    free.review(day)
    wanted = int(free.catalog.ordered[0])
    assert wanted > base.supply.min_order_units

    tight = Shop(base, service=1.0, stock=50, velocity=20.0)
    lead = base.supply.production_days.mode + base.supply.sea_transit_days.mode + base.supply.receiving_days.mode
    room_units = wanted // 2
    tight.capacity.limit_cuft = (50 + room_units) * CUFT - lead * 20.0 * CUFT
    tight.review(day)
    assert tight.catalog.ordered[0] == room_units, "the order is cut to the room expected when it lands"
    assert [e[2] for e in tight.events.of_kind("capacity_bound")] == [0]

    none = Shop(base, service=1.0, stock=50, velocity=20.0)
    none.capacity.limit_cuft = (50 + base.supply.min_order_units - 1) * CUFT - lead * 20.0 * CUFT
    none.review(day)
    assert none.catalog.ordered[0] == 0, "room for less than the factory's minimum: no order"
    assert "not placed" in none.events.of_kind("capacity_bound")[0][5]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_young_account_with_little_sales_binds_more_than_an_established_one(base, seed: int) -> None:
    """Paired: the same seed (production, freight and receiving luck), stock, orders and daily sales; only the
    sales record the limit is set from differs: a few weeks of a slow start against an established pace."""
    free_days = 7 * base.supply.fba_capacity.limit_free_weeks
    held = {}
    for account, pace in (("young", 4.0), ("established", 25.0)):
        chain = Chain(base, seed=seed)
        cat, cap = chain.catalog, chain.capacity
        cat.status[0] = LIVE
        cat.receive(0, 400, 0, 10.0)
        cat.velocity_30[0] = cat.velocity_90[0] = cat.planned_units_per_day[0] = pace
        cap.start_of_day(free_days)  # the first limited month
        for day in range(free_days, free_days + 30):
            cap.end_of_day(day, np.array([pace]), np.array([0]))
        cap.account_age_days = free_days
        held_unit_days = 0
        for day in range(0, 300):
            cap.start_of_day(day)
            if day in (10, 70, 130):
                chain.supply.place(day, 0, 1200, "sea")
            chain.env.run(until=day + 1)
            sell(chain, 12)  # the same sales either way
            cap.end_of_day(day, np.array([12]), np.array([0]))
            held_unit_days += cap.buffered_units
        held[account] = held_unit_days
        assert cat.ordered[0] == cat.received[0] + cat.inbound[0]
    assert held["young"] > 2 * held["established"], held


def test_a_run_records_the_limit_and_when_it_bound(load) -> None:
    scenario = load("solo_then_hire", "simulation.days=730", "simulation.seed=1")
    model = SellerModel(scenario)
    model.run()
    result = collect(model)
    check_all(model, result)  # units conserved, money through the ledger
    daily, free_days = result.daily, 7 * scenario.supply.fba_capacity.limit_free_weeks
    first_limited = next(d for d in range(free_days, len(daily)) if model.calendar.day_of_month[d] == 1)
    assert daily["fba_limit_cuft"].iloc[:first_limited].isna().all(), "no limit while the account is new to FBA"
    limited = daily["fba_limit_cuft"].iloc[first_limited:]  # set monthly, from the first month after
    assert limited.notna().all() and (limited >= scenario.supply.fba_capacity.min_cuft).all()
    bound = result.events[result.events["kind"] == "capacity_bound"]
    assert len(bound) > 0, "this seed hits the limit (a case to check, not an outcome to promise)"
    assert (bound["day"] >= free_days).all()
    s = result.summary
    assert s["capacity_bound_days"] == int(daily["capacity_bound"].sum()) > 0
    assert s["capacity_limited_days"] == len(limited)
    assert s["peak_awd_units"] == daily["awd_units"].max()
    assert (daily.loc[daily["awd_units"] > 0, "capacity_bound"] == 1).all()
