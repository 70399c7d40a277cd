"""Retiring products: what each product contributes, who gets judged, and how a retired one is cleared out."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import make_product
from sellersim.domains import DOMAINS
from sellersim.events import EventLog
from sellersim.market.catalog import DELISTED, LIVE, Catalog
from sellersim.market.daily import MarketDay
from sellersim.market.trends import expected_log_growth
from sellersim.model import SellerModel
from sellersim.money.ledger import Ledger
from sellersim.product.retirement import DAYS_PER_MONTH, ProductReview
from sellersim.strategy.advertising import AdManager
from sellersim.streams import KeyedUniforms, RandomStreams

LANDED_USD = 8.0


def live_catalog(products: int, stock: int = 100) -> Catalog:
    cat = Catalog()
    for k in range(products):
        i = cat.add(make_product(f"P{k}"), 0.1, 20.0)
        cat.status[i] = LIVE
        cat.launch_day[i] = 0
        cat.landed_usd[i] = LANDED_USD
        cat.receive(i, stock, 0, LANDED_USD)
    return cat


def market_day(units: list[int], proceeds_usd: list[float]) -> MarketDay:
    n = len(units)
    none = np.zeros(n)
    return MarketDay(
        np.array(units, dtype=np.int64), np.zeros(n, dtype=np.int64), none, none, none, np.array(proceeds_usd),
        sum(units), 0, 0.0, 0.0, 0.0, 0, 0.0, 0.0, 0.0,
    )  # fmt: skip


def product_review(base, cat: Catalog, **policy: object) -> tuple[ProductReview, Ledger, EventLog]:
    ledger, events = Ledger(0.0), EventLog()
    review = ProductReview(
        policy=base.strategy.retire.model_copy(update=policy), catalog=cat, ledger=ledger, events=events,
        luck=KeyedUniforms(RandomStreams(3), "product_reviews"), trend=base.market.niches.trend,
        horizon_days=int(base.strategy.reorder.order_up_to_days),
        remove_older_than_days=base.strategy.reorder.remove_stock_older_than_days,
        removal_usd_per_unit=base.fees.removal_usd_per_unit,
    )  # fmt: skip
    return review, ledger, events


def tally(review: ProductReview, days: range, units: list[int], proceeds_usd: list[float]) -> None:
    for day in days:
        review.end_of_day(day, market_day(units, proceeds_usd), suspended=False)


def test_contribution_is_proceeds_less_landed_cost_per_day_in_stock(base) -> None:
    cat = live_catalog(2)
    review = product_review(base, cat)[0]
    for day in range(120):
        in_stock = day % 2 == 0  # the second product sells every other day, and is out of stock between
        cat.stock[1] = 100 if in_stock else 0
        review.end_of_day(
            day, market_day([2, 1 if in_stock else 0], [50.0, 18.0 if in_stock else 0.0]), suspended=False
        )
    np.testing.assert_allclose(review.contribution_usd_per_day(), [50 - 2 * LANDED_USD, 18 - LANDED_USD])


def test_a_product_that_no_longer_pays_is_retired_when_watched_and_judged(base) -> None:
    p = base.strategy.retire
    cat = live_catalog(2)
    review, _, events = product_review(base, cat)
    tally(review, range(p.judge_after_days), [1, 2], [5.0, 50.0])  # the first loses $3 a day, the second earns $34
    price_index = cat.price_index.copy()
    review.review(p.judge_after_days - 7, watched_share=1.0)
    assert (cat.retired_day == -1).all(), "a product is judged only once it has been on sale long enough"
    review.review(p.judge_after_days, watched_share=0.0)
    assert (cat.retired_day == -1).all(), "nobody watching, nobody judges"
    review.review(p.judge_after_days, watched_share=1.0)
    assert list(cat.retired_day) == [p.judge_after_days, -1]
    assert cat.price_index[0] == pytest.approx(price_index[0] * (1 - p.clearance_discount))
    assert cat.price_index[1] == price_index[1]
    assert cat.ad_budget_usd[0] == 0.0 and cat.ad_budget_usd[1] > 0
    assert [(r[1], r[2]) for r in events.of_kind("retired")] == [("retired", 0)] and len(
        events.of_kind("delisted")
    ) == 0


def test_some_of_the_products_are_looked_at_when_watching_is_partly_done(base) -> None:
    p = base.strategy.retire
    cat = live_catalog(400)
    review = product_review(base, cat)[0]
    tally(review, range(p.judge_after_days), [1] * 400, [5.0] * 400)  # every product loses money
    review.review(p.judge_after_days, watched_share=0.3)
    assert 0.2 < np.mean(cat.retired_day >= 0) < 0.4


@pytest.mark.parametrize("growth_seen", [-1.5, 0.3])
def test_the_trend_watching_sees_decides_a_marginal_product(base, growth_seen: float) -> None:
    p = base.strategy.retire
    cat = live_catalog(1)
    cat.growth_seen_per_year[0] = growth_seen
    review = product_review(base, cat)[0]
    monthly_usd = p.below_usd_per_month + 20.0  # just above the bar today
    tally(review, range(p.judge_after_days), [1], [monthly_usd / DAYS_PER_MONTH + LANDED_USD])
    review.review(p.judge_after_days, watched_share=1.0)
    trend = np.exp(
        expected_log_growth(growth_seen, base.strategy.reorder.order_up_to_days / 2, base.market.niches.trend)
    )
    assert (cat.retired_day[0] >= 0) == (monthly_usd * trend < p.below_usd_per_month)
    assert (cat.retired_day[0] >= 0) == (growth_seen < 0), "a niche seen in decline is let go; a growing one kept"


def test_a_retired_product_sells_off_its_aged_stock_is_removed_and_the_listing_closes(base) -> None:
    p, fee = base.strategy.retire, base.fees.removal_usd_per_unit
    age = base.strategy.reorder.remove_stock_older_than_days
    cat = live_catalog(3, stock=60)  # every unit received on day 0
    review, ledger, events = product_review(base, cat)
    tally(review, range(p.judge_after_days), [1, 1, 1], [5.0, 5.0, 5.0])
    day = p.judge_after_days
    review.review(day, watched_share=1.0)
    assert (cat.retired_day == day).all() and cat.listed == 3
    cat.remove_fifo(np.array([0, 60, 60]))  # the second and third sell their last units
    cat.inbound[2] = 500  # the third still has an order on the way
    review.end_of_day(day + 1, market_day([0, 0, 0], [0.0, 0.0, 0.0]), suspended=False)
    assert list(cat.status) == [LIVE, DELISTED, LIVE] and cat.listed == 2
    assert cat.removed.sum() == 0, "a listing that sold out closes with nothing to remove"
    review.review(age, watched_share=1.0)
    assert cat.stock[0] == 60, "stock keeps selling off until it would reach the costly aged-inventory tiers"
    review.review(age + 1, watched_share=1.0)  # the weekly review removes what has grown too old
    review.end_of_day(age + 1, market_day([0, 0, 0], [0.0, 0.0, 0.0]), suspended=False)
    assert list(cat.status) == [DELISTED, DELISTED, LIVE], "what is in transit is awaited and sold too"
    assert cat.stock[0] == 0 and cat.removed[0] == 60
    assert cat.write_off_usd == pytest.approx(60 * LANDED_USD)
    ledger.close_day()
    assert ledger.cash_usd + ledger.amazon_balance_usd == pytest.approx(-60 * fee)
    assert [r[2] for r in events.of_kind("delisted")] == [1, 0]


def test_in_a_run_a_retired_product_gets_no_orders_no_ads_and_no_work(load) -> None:
    scenario = load("solo_then_hire", "simulation.seed=1")
    model = SellerModel(scenario)
    model.run()
    events = model.events.to_frame()
    retired = events[events["kind"] == "retired"]
    assert len(retired) >= 1, "this seed retires a product (a case to check, not an outcome to promise)"
    products = model.recorder.products_frame(model.calendar.dates, model.catalog.names)
    for r in retired.itertuples():
        i, day = int(r.product_id), int(r.day)
        orders = events[(events["kind"] == "purchase_order") & (events["product_id"] == i)]
        assert (orders["day"] <= day).all(), "no order after retirement"
        later = products[(products["product_id"] == i) & (products["day"] > day)]
        assert later["ad_spend_usd"].sum() == 0.0
    delisted = model.catalog.status == DELISTED
    assert delisted.any()
    assert model.listed_products == model.catalog.n - delisted.sum()


def test_the_ad_policy_gives_a_retired_product_nothing_even_with_ads_that_pay(base) -> None:
    cat = live_catalog(2)
    cat.launch_day[:] = -365  # long past the launch push
    cat.ad_budget_usd[:] = 10.0
    cat.ad_spend_period_usd[:] = 10.0
    cat.ad_sales_period_usd[:] = 100.0  # ACoS 10%: ads that pay for themselves
    cat.retired_day[0] = 0
    AdManager(base.strategy.ads, cat).review(0, np.ones(len(DOMAINS)))
    assert cat.ad_budget_usd[0] == 0.0 and cat.ad_budget_usd[1] > 0


def test_suspended_days_count_neither_for_nor_against_a_product(base) -> None:
    cat = live_catalog(1)
    review = product_review(base, cat)[0]
    tally(review, range(100), [2], [50.0])
    before = review.contribution_usd_per_day().copy(), review._stocked.copy()
    for day in range(100, 150):  # suspended: nothing sells, the stock sits there
        review.end_of_day(day, market_day([0], [0.0]), suspended=True)
    np.testing.assert_array_equal(review.contribution_usd_per_day(), before[0])
    np.testing.assert_array_equal(review._stocked, before[1])


def test_a_product_is_judged_only_in_stock_with_nothing_on_its_way_and_on_enough_days(base) -> None:
    p = base.strategy.retire
    cat = live_catalog(4)
    cat.stock[1] = 0  # out of stock today
    cat.inbound[2] = 300  # an order on its way: the reorder decision is taken
    review = product_review(base, cat)[0]
    for day in range(p.judge_after_days):
        cat.stock[3] = 100 if day % 10 == 0 else 0  # in stock one day in ten: too little evidence
        cat.stock[1] = 100 if day < p.judge_after_days - 1 else 0
        sold = 1 if day % 10 == 0 else 0
        review.end_of_day(day, market_day([1, 1, 1, sold], [5.0, 5.0, 5.0, 5.0 * sold]), suspended=False)
    cat.stock[3] = 100
    review.review(p.judge_after_days, watched_share=1.0)
    assert list(cat.retired_day >= 0) == [True, False, False, False]


def test_a_return_to_a_closed_listing_is_removed(base) -> None:
    p, fee = base.strategy.retire, base.fees.removal_usd_per_unit
    cat = live_catalog(1, stock=1)
    review, ledger, _ = product_review(base, cat)
    tally(review, range(p.judge_after_days), [1], [5.0])
    review.review(p.judge_after_days, watched_share=1.0)
    cat.remove_fifo(np.array([1]))
    review.end_of_day(p.judge_after_days + 1, market_day([0], [0.0]), suspended=False)
    assert cat.status[0] == DELISTED
    cat.return_to_stock(np.array([2]), p.judge_after_days + 5)  # two buyers send theirs back
    review.end_of_day(p.judge_after_days + 5, market_day([0], [0.0]), suspended=False)
    assert cat.stock[0] == 0 and cat.removed[0] == 2
    ledger.close_day()
    assert ledger.amazon_balance_usd == pytest.approx(-2 * fee)


def test_returns_of_a_closed_listing_still_come_back_when_nothing_is_on_sale(base) -> None:
    """An established company's last product, on sale since before the run, is delisted: the buyers of its last
    weeks still send units back and are refunded."""
    model = SellerModel(base)
    cat, market = model.catalog, model.market
    i = cat.add(make_product(sessions_per_day=20_000.0, return_rate=0.1), 0.5, 20.0)
    cat.receive(i, 100_000, 0, 8.0)
    market.launch(i, 0)
    cat.launch_day[i] = -400  # on sale since before the run
    cat.reviews[i], cat.star_sum[i] = 200, 200 * 4.5
    full = np.ones(len(DOMAINS))
    sold = sum(int(market.simulate(day, full).total_units) for day in range(60))
    assert sold > 1000
    cat.status[i] = DELISTED
    returned = sum(
        market.simulate(day, full).returned_units for day in range(60, 60 + base.market.returns.lag_days + 1)
    )
    assert returned > 0


def test_days_a_listing_is_closed_count_neither_for_nor_against_it(base) -> None:
    cat = live_catalog(2)
    review = product_review(base, cat)[0]
    tally(review, range(100), [2, 2], [50.0, 50.0])
    before = review.contribution_usd_per_day().copy(), review._stocked.copy()
    cat.reopen_day[0] = 150  # Amazon closed the first listing: nothing sells, the stock sits there
    for day in range(100, 150):
        review.end_of_day(day, market_day([0, 0], [0.0, 0.0]), suspended=False)
    after = review.contribution_usd_per_day(), review._stocked
    assert after[0][0] == before[0][0] and after[1][0] == before[1][0]
    assert after[0][1] < before[0][1], "the open listing that sold nothing is judged on it"
