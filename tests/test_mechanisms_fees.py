"""Amazon's fee schedule: size and weight tiers, yearly changes, referral minimum, storage and aged stock.

The fee tables here are set by the test (on top of base.yaml's other fees) so the
assertions do not move when base.yaml's rate card is recalibrated.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from conftest import make_product
from sellersim.calendar import SimCalendar
from sellersim.market.catalog import Catalog
from sellersim.money.fees import FeeSchedule
from sellersim.money.ledger import Ledger
from sellersim.money.storage import StorageBilling
from sellersim.scenario.schema import Fees

SMALL = [(0.25, 3.00), (0.5, 3.20), (1.0, 3.60)]
LARGE = [(0.5, 4.00), (1.0, 4.50), (2.0, 5.50), (3.0, 6.50), (20.0, 7.00)]
PER_4OZ = 0.10
AGED = [(181, 0.5), (271, 5.0), (366, 7.0)]


@pytest.fixture(scope="module")
def fees(base) -> FeeSchedule:
    doc = base.fees.model_dump()
    doc.update(
        fba_small_standard=[{"max_weight_lb": w, "fee_usd": f} for w, f in SMALL],
        fba_large_standard=[{"max_weight_lb": w, "fee_usd": f} for w, f in LARGE],
        fba_large_standard_per_4oz_above_usd=PER_4OZ,
        fba_increase_by_year_usd={2026: 0.08, 2028: 0.05},
        referral_rate=0.15,
        referral_min_usd=0.30,
        aged_surcharge=[{"min_age_days": a, "usd_per_cuft": r} for a, r in AGED],
        storage_usd_per_cuft_month=0.80,
        storage_q4_usd_per_cuft_month=2.40,
    )
    return FeeSchedule(Fees.model_validate(doc))


def fba(fees: FeeSchedule, weight: float, small: bool, year: int = 2025) -> float:
    return float(fees.fba_per_unit(np.array([weight]), np.array([small]), year)[0])


@pytest.mark.parametrize(
    ("weight", "expected"),
    [(0.01, 3.00), (0.25, 3.00), (0.2501, 3.20), (0.5, 3.20), (0.51, 3.60), (1.0, 3.60)],
)
def test_small_standard_tier_edges(fees: FeeSchedule, weight: float, expected: float) -> None:
    """A tier's max weight is inclusive; a hair above it is the next tier."""
    assert fba(fees, weight, small=True) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("weight", "expected"),
    [(0.5, 4.00), (0.51, 4.50), (1.0, 4.50), (1.5, 5.50), (2.0, 5.50), (2.01, 6.50), (3.0, 6.50)],
)
def test_large_standard_tier_edges(fees: FeeSchedule, weight: float, expected: float) -> None:
    assert fba(fees, weight, small=False) == pytest.approx(expected)


def test_small_flag_above_the_small_table_is_charged_as_large(fees: FeeSchedule) -> None:
    assert fba(fees, 1.2, small=True) == pytest.approx(fba(fees, 1.2, small=False)) == pytest.approx(5.50)


@pytest.mark.parametrize(
    ("weight", "steps"),
    [(3.01, 1), (3.25, 1), (3.26, 2), (3.5, 2), (4.0, 4), (4.01, 5), (10.0, 28)],
)
def test_large_standard_above_3lb_adds_per_started_4oz(fees: FeeSchedule, weight: float, steps: int) -> None:
    assert fba(fees, weight, small=False) == pytest.approx(7.00 + steps * PER_4OZ)


def test_fba_fee_is_vectorised_and_monotone_in_weight(fees: FeeSchedule) -> None:
    weights = np.linspace(0.05, 15, 300)
    for small in (True, False):
        fee = fees.fba_per_unit(weights, np.full(len(weights), small), 2025)
        assert fee.shape == weights.shape
        assert (np.diff(fee) >= -1e-12).all()


def test_yearly_increases_accumulate_from_their_year(fees: FeeSchedule) -> None:
    weights, small = np.array([0.3, 0.9, 2.5, 5.0]), np.array([True, True, False, False])
    by_year = {y: fees.fba_per_unit(weights, small, y) for y in (2025, 2026, 2027, 2028, 2029)}
    np.testing.assert_allclose(by_year[2026] - by_year[2025], 0.08)
    np.testing.assert_allclose(by_year[2027], by_year[2026])
    np.testing.assert_allclose(by_year[2028] - by_year[2025], 0.13)
    np.testing.assert_allclose(by_year[2029], by_year[2028])


def test_base_rate_card_has_the_2026_increase(base) -> None:
    """The shipped schedule: a 2026 run pays more per unit than a 2025 run, for every size."""
    f = FeeSchedule(base.fees)
    weights = np.array([0.2, 0.9, 1.5, 4.0])
    small = np.array([True, True, False, False])
    assert (f.fba_per_unit(weights, small, 2026) > f.fba_per_unit(weights, small, 2025)).all()


def test_referral_fee_has_a_minimum(fees: FeeSchedule) -> None:
    prices = np.array([0.5, 1.0, 2.0, 2.01, 10.0, 30.0])
    np.testing.assert_allclose(fees.referral_per_unit(prices), [0.30, 0.30, 0.30, 0.3015, 1.50, 4.50])


def test_refund_admin_fee_is_capped(base) -> None:
    f = FeeSchedule(base.fees)
    cfg = base.fees
    referral = np.array([1.0, 1000.0])
    admin = f.refund_admin_per_unit(referral)
    assert admin[0] == pytest.approx(cfg.refund_admin_share * 1.0)
    assert admin[1] == pytest.approx(cfg.refund_admin_max_usd)


@pytest.mark.parametrize(
    ("age", "rate"),
    [(0, 0.0), (180, 0.0), (181, 0.5), (270, 0.5), (271, 5.0), (365, 5.0), (366, 7.0), (1000, 7.0)],
)
def test_aged_surcharge_tiers(fees: FeeSchedule, age: int, rate: float) -> None:
    assert float(fees.aged_rate(np.array([age]))[0]) == pytest.approx(rate)


def test_q4_storage_rate(fees: FeeSchedule) -> None:
    assert fees.storage_rate(q4=True) == pytest.approx(2.40)
    assert fees.storage_rate(q4=False) == pytest.approx(0.80)


def test_storage_billing_charges_the_q4_rate_from_october(base, fees: FeeSchedule) -> None:
    """1,000 units of 0.1 cu ft held all month: 100 cu ft-months, billed on the month's last day."""
    calendar = SimCalendar.build(dt.date(2027, 9, 1), 120, base.market, base.supply)
    catalog = Catalog()
    i = catalog.add(make_product(cuft=0.1), 0.03, 0.0)
    catalog.receive(i, 1000, 0, 5.0)
    ledger = Ledger(0.0)
    billing = StorageBilling(catalog=catalog, fees=fees, ledger=ledger, calendar=calendar)
    for day in range(120):
        billing.end_of_day(day)
    led = ledger.to_frame()
    storage = led[led["category"] == "storage_fee"]
    dates = [calendar.date(d) for d in storage["day"]]
    assert dates == [dt.date(2027, 9, 30), dt.date(2027, 10, 31), dt.date(2027, 11, 30)]
    np.testing.assert_allclose(storage["amount_usd"], [-100 * 0.80, -100 * 2.40, -100 * 2.40])
    assert (led["account"] == "amazon").all()
    # stock received on day 0 is at most 119 days old: no aged surcharge yet
    assert not (led["category"] == "aged_inventory_fee").any()


def test_aged_surcharge_is_assessed_mid_month_on_old_lots_only(base, fees: FeeSchedule) -> None:
    """Two lots: one received on day 0, one 100 days later; only the old one pays, by its age tier."""
    start = dt.date(2027, 1, 1)
    calendar = SimCalendar.build(start, 400, base.market, base.supply)
    catalog = Catalog()
    i = catalog.add(make_product(cuft=0.2), 0.03, 0.0)
    catalog.receive(i, 500, 0, 5.0)
    ledger = Ledger(0.0)
    billing = StorageBilling(catalog=catalog, fees=fees, ledger=ledger, calendar=calendar)
    for day in range(400):
        if day == 100:
            catalog.receive(i, 300, day, 5.0)
        billing.end_of_day(day)
    led = ledger.to_frame()
    aged = led[led["category"] == "aged_inventory_fee"]
    assert (calendar.day_of_month[aged["day"]] == 15).all()
    for day, amount in zip(aged["day"], aged["amount_usd"], strict=True):
        old, new = day, day - 100
        expected = 500 * 0.2 * float(fees.aged_rate(np.array([old]))[0])
        expected += 300 * 0.2 * float(fees.aged_rate(np.array([new]))[0])
        assert amount == pytest.approx(-expected)
    first = int(aged["day"].iloc[0])
    assert first > 181 and first - 31 <= 181, "the first surcharge comes on the first 15th past 181 days"
