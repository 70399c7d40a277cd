"""Supplier events: a run gone wrong is caught by inspection as an AQL plan would, or ships and sells as a
bad lot once its units are the oldest; a closed listing's bad lot is found and removed; factories raise prices
and negotiation keeps part of it off."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from conftest import make_product
from sellersim.events import EventLog
from sellersim.market.catalog import LIVE, Catalog
from sellersim.model import SellerModel
from sellersim.money.ledger import Ledger
from sellersim.streams import RandomStreams
from sellersim.supply.supplier_events import SupplierEvents


def factory(
    base, products: int = 1, s_procurement: float = 1.0, **changes
) -> tuple[SupplierEvents, Catalog, Ledger, EventLog]:
    cfg = base.supply.supplier_events
    cfg = type(cfg).model_validate({**cfg.model_dump(), **changes})
    cat, ledger, events = Catalog(), Ledger(1e6), EventLog()
    for k in range(products):
        i = cat.add(make_product(f"P{k}"), 0.1, 0.0)
        cat.status[i] = LIVE
        cat.retired_day[i] = -1
    supplier = SupplierEvents(
        cfg=cfg, catalog=cat, ledger=ledger, streams=RandomStreams(3), events=events,
        removal_fee_usd_per_unit=base.fees.removal_usd_per_unit, procurement_service=lambda: s_procurement,
    )  # fmt: skip
    return supplier, cat, ledger, events


def test_inspection_catches_a_run_as_the_sampling_plan_says_and_only_when_booked(base) -> None:
    """Every run goes wrong; of 2,000 orders, the share caught is P(Binomial(80, D) > 5) when procurement books
    every inspection, and none when it books none."""
    orders = 2_000
    for d in (0.05, 0.12, 0.3):
        caught = {}
        for s_proc in (1.0, 0.0):
            supplier, *_ = factory(base, bad_batch_chance=1.0, bad_batch_defect_rate={"low": d, "high": d})
            caught[s_proc] = np.mean([supplier.inspect(order_id=k, product=0, day=0, s_procurement=s_proc) > 0
                                      for k in range(orders)])  # fmt: skip
        expected = binom.sf(5, 80, d)
        assert abs(caught[1.0] - expected) < 4 * np.sqrt(expected * (1 - expected) / orders) + 1e-9
        assert caught[0.0] == 0
    rework = factory(base, bad_batch_chance=1.0, bad_batch_defect_rate={"low": 0.3, "high": 0.3})[0]
    days = [rework.inspect(order_id=k, product=0, day=0, s_procurement=1.0) for k in range(200)]
    t = base.supply.supplier_events.rework_days
    assert t.low - 0.5 <= min(days) and max(days) <= t.high + 0.5


def test_a_bad_lot_sells_its_defects_only_once_its_units_are_the_oldest_and_until_they_are_gone(base) -> None:
    supplier, cat, *_ = factory(base, bad_batch_chance=1.0, bad_batch_defect_rate={"low": 0.2, "high": 0.2})
    cat.receive(0, 100, 0, 10.0)  # a good lot
    assert supplier.inspect(order_id=7, product=0, day=5, s_procurement=0.0) == 0  # shipped unseen
    cat.receive(0, 50, 10, 10.0)
    supplier.arrived(order_id=7, product=0, day=10, units=50, last=True)
    supplier.end_of_day(10)
    assert cat.batch_defect_rate[0] == 0.0, "buyers still get the older, good units"
    cat.remove_fifo(np.array([100]))
    revision = cat.revision
    supplier.end_of_day(11)
    assert cat.batch_defect_rate[0] == 0.2
    assert cat.revision > revision, "the market must derive its return odds again"
    cat.receive(0, 80, 12, 10.0)  # a good lot behind it
    cat.remove_fifo(np.array([50]))
    supplier.end_of_day(13)
    assert cat.batch_defect_rate[0] == 0.0
    assert not supplier._bad_lots


def test_a_closed_listings_bad_lot_is_removed_when_after_sales_looks_for_the_cause(base) -> None:
    removed = {}
    for s_after in (1.0, 0.0):
        supplier, cat, ledger, events = factory(base, bad_batch_chance=1.0)
        supplier.inspect(order_id=1, product=0, day=0, s_procurement=0.0)
        cat.receive(0, 60, 10, 10.0)
        supplier.arrived(order_id=1, product=0, day=10, units=60, last=True)
        cat.receive(0, 40, 20, 10.0)  # good stock behind it
        supplier.end_of_day(20)
        supplier.listing_closed(day=30, product=0, s_after=s_after)
        removed[s_after] = int(cat.removed[0])
        if s_after:
            assert cat.stock[0] == 40 and cat.batch_defect_rate[0] == 0.0
            fees = ledger.to_frame().query("category == 'removal_fee'")["amount_usd"].sum()
            assert fees == -60 * base.fees.removal_usd_per_unit
            assert len(events.of_kind("batch_removed")) == 1
    assert removed == {1.0: 60, 0.0: 0}


def test_a_bad_lot_sold_out_before_the_closure_leaves_the_good_stock_alone(base) -> None:
    supplier, cat, *_ = factory(base, bad_batch_chance=1.0)
    supplier.inspect(order_id=1, product=0, day=0, s_procurement=0.0)
    cat.receive(0, 60, 10, 10.0)
    supplier.arrived(order_id=1, product=0, day=10, units=60, last=True)
    cat.receive(0, 40, 20, 10.0)
    supplier.end_of_day(20)
    assert cat.batch_defect_rate[0] > 0
    cat.remove_fifo(np.array([60]))  # the day's sales take the last of the bad lot, then Amazon closes the listing
    supplier.listing_closed(day=30, product=0, s_after=1.0)
    assert cat.removed[0] == 0 and cat.stock[0] == 40
    supplier.end_of_day(30)
    assert cat.batch_defect_rate[0] == 0.0 and not supplier._bad_lots


def test_a_gone_bad_lot_is_claimed_from_its_factory_and_credited_off_the_next_order(base) -> None:
    """A bad lot of 60 units, 20% defective, sold out: procurement claims half the defective units' factory value,
    and the credit comes back as money the day the product's next order is placed; without procurement work no
    claim is made. Claims are luck keyed by (product, lot): of 400 lots at half the work, about half are claimed."""
    credited = {}
    for s_proc in (1.0, 0.0):
        supplier, cat, ledger, events = factory(
            base, s_procurement=s_proc, bad_batch_chance=1.0, bad_batch_defect_rate={"low": 0.2, "high": 0.2}
        )
        supplier.inspect(order_id=1, product=0, day=0, s_procurement=0.0)
        cat.receive(0, 60, 10, 10.0)
        supplier.arrived(order_id=1, product=0, day=10, units=60, last=True)
        supplier.end_of_day(10)
        cat.remove_fifo(np.array([60]))
        supplier.end_of_day(40)
        owed = supplier.credits_usd.get(0, 0.0)
        supplier.take_credit(50, 0)
        entries = ledger.to_frame().query("category == 'supplier_credit'")
        credited[s_proc] = float(entries["amount_usd"].sum())
        assert owed == credited[s_proc] and not supplier.credits_usd
        assert (entries["day"] == 50).all() and len(events.of_kind("batch_claimed")) == (s_proc > 0)
    claim = base.supply.supplier_events.claim_share
    assert credited == {1.0: pytest.approx(claim * 0.2 * 60 * float(cat.fob_usd[0])), 0.0: 0.0}

    supplier, cat, *_ = factory(base, products=400, s_procurement=0.5, bad_batch_chance=1.0)
    for i in range(400):
        supplier.inspect(order_id=i, product=i, day=0, s_procurement=0.0)
        cat.receive(i, 10, 5, 10.0)
        supplier.arrived(order_id=i, product=i, day=5, units=10, last=True)
    cat.remove_fifo(np.full(400, 10))
    supplier.end_of_day(6)
    assert 0.4 < len(supplier.credits_usd) / 400 < 0.6


def test_factories_raise_prices_about_as_often_as_set_and_negotiation_keeps_half_off(base) -> None:
    years = 40
    rises = {}
    for s_proc in (0.0, 1.0):
        supplier, cat, _, events = factory(base, products=5)
        start = cat.fob_usd.copy()
        for week in range(52 * years):
            supplier.review_prices(7 * week, s_procurement=s_proc)
        rises[s_proc] = np.log(cat.fob_usd / start)
        count = len(events.of_kind("price_increase"))
        expected = 5 * years * base.supply.supplier_events.price_increase_chance_per_year
        assert abs(count - expected) < 4 * np.sqrt(expected)
    # the same luck asks the same increases; full negotiation agrees to half of each
    p = base.supply.supplier_events.price_increase
    mean_rise = (p.low + p.high) / 2
    assert np.all(rises[1.0] < rises[0.0])
    assert abs(rises[1.0].sum() / rises[0.0].sum() - 0.5) < 0.05 * (1 + mean_rise)


def test_a_retired_product_gets_no_price_increases(base) -> None:
    supplier, cat, _, events = factory(base, products=2, price_increase_chance_per_year=52.0)
    cat.retired_day[1] = 0
    supplier.review_prices(0, s_procurement=0.0)
    assert [e[2] for e in events.of_kind("price_increase")] == [0]


def test_bad_runs_that_ship_raise_returns_and_sour_reviews_in_a_full_run(load) -> None:
    """Paired on one seed: every run goes wrong and an inspection that accepts anything lets them all ship.
    Buyers rate the products lower than with factories that never go wrong; with the soured reviews switched
    off in both arms (they stop a product selling), they return more of what they buy."""
    sound = ("simulation.days=540", "supply.supplier_events.enabled=false")
    bad = ("simulation.days=540", "supply.supplier_events.bad_batch_chance=1",
           "supply.supplier_events.inspection_accept_defects=79")  # fmt: skip
    no_sour = ("market.reviews.defect_review_weight=0",)

    def run(*sets: str) -> Catalog:
        scenario = load("solo_then_hire", *sets)
        model = SellerModel(scenario)
        model.run()
        return model.catalog

    def rating(cat: Catalog) -> float:
        return float(cat.star_sum.sum() / cat.reviews.sum())

    def returned_share(cat: Catalog) -> float:
        return float((cat.restocked + cat.written_off).sum() / cat.sold.sum())

    assert rating(run(*bad)) < rating(run(*sound)) - 0.5
    assert returned_share(run(*bad, *no_sour)) > returned_share(run(*sound, *no_sour)) + 0.04
