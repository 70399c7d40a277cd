"""The ad policy: budgets steered toward a target ACoS or TACoS, and the floor only for ads that pay."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import make_product
from sellersim.domains import DOMAINS
from sellersim.market.catalog import LIVE, Catalog
from sellersim.model import SellerModel
from sellersim.strategy.advertising import AdManager

FULL = np.ones(len(DOMAINS))


def mature_catalog(ad_sales_usd: list[float], revenue_usd: list[float], spend_usd: float = 100.0) -> Catalog:
    """Products long past launch, each with a week of ``spend_usd`` ad spend behind it."""
    cat = Catalog()
    for k, (ad_sales, revenue) in enumerate(zip(ad_sales_usd, revenue_usd, strict=True)):
        i = cat.add(make_product(f"P{k}"), 0.1, 20.0)
        cat.status[i] = LIVE
        cat.launch_day[i] = -365
        cat.landed_usd[i] = 8.0
        cat.ad_spend_period_usd[i] = spend_usd
        cat.ad_sales_period_usd[i] = ad_sales
        cat.revenue_period_usd[i] = revenue
    return cat


def steer(base, cat: Catalog, **policy: object) -> np.ndarray:
    AdManager(base.strategy.ads.model_copy(update=policy), cat).review(0, FULL)
    return cat.ad_budget_usd.copy()


def test_on_acos_a_budget_moves_by_the_root_of_target_over_acos_and_organic_sales_do_not_count(base) -> None:
    # the same ad sales ($400: ACoS 25%, on target; $200: ACoS 50%), with and without organic sales beside them
    cat = mature_catalog([400.0, 400.0, 200.0], [400.0, 4000.0, 4000.0])
    budget = steer(base, cat, steer_on="acos", target_acos=0.25)
    assert budget[0] == budget[1] == pytest.approx(20.0), "on target: the budget holds"
    assert budget[2] == pytest.approx(20.0 * np.sqrt(0.25 / 0.5)), "above target: it shrinks"
    assert (cat.ad_spend_period_usd == 0).all() and (cat.revenue_period_usd == 0).all(), "a new period starts"


def test_on_tacos_ads_are_judged_with_the_organic_sales_beside_them(base) -> None:
    # ACoS 50% on every product; TACoS 25%, 10% and 2.5%
    cat = mature_catalog([200.0, 200.0, 200.0], [400.0, 1000.0, 4000.0])
    budget = steer(base, cat, steer_on="tacos", target_tacos=0.10)
    assert budget[0] == pytest.approx(20.0 * np.sqrt(0.10 / 0.25))
    assert budget[1] == pytest.approx(20.0)
    assert budget[2] == pytest.approx(20.0 * 1.5), "a week's rise is capped"
    on_acos = steer(base, mature_catalog([200.0, 200.0, 200.0], [400.0, 1000.0, 4000.0]), steer_on="acos")
    assert (budget[1:] > on_acos[1:]).all(), "steered on TACoS, a higher ACoS is accepted where organic sales carry it"


def test_the_floor_holds_only_ads_that_pay_on_what_they_are_steered_on(base) -> None:
    # break-even ACoS of the test product is its unit margin over price; ACoS 5x that, TACoS a tenth of it
    cat = mature_catalog([1.0], [1.0])
    break_even = (cat.price_usd[0] - cat.referral_usd[0] - cat.fba_fee_usd[0] - cat.landed_usd[0]) / cat.price_usd[0]
    assert break_even > 0
    spend = 100.0
    ad_sales, revenue = spend / (5 * break_even), spend / (0.1 * break_even)
    low = base.strategy.ads.min_budget_usd_per_day
    for steer_on, floor in (("acos", 0.0), ("tacos", low)):
        cat = mature_catalog([ad_sales], [revenue], spend_usd=spend)
        cat.ad_budget_usd[:] = low / 10  # far below the floor
        budget = steer(base, cat, steer_on=steer_on, target_tacos=0.01)  # TACoS far above target: cut hard
        assert budget[0] == pytest.approx(max(floor, low / 10 * 0.6)), steer_on


def test_the_market_adds_each_products_sales_to_its_period(base) -> None:
    model = SellerModel(base)
    cat, market = model.catalog, model.market
    i = cat.add(make_product(), 0.5, 20.0)
    cat.receive(i, 10_000, 0, 8.0)
    market.launch(i, 0)
    total = 0.0
    for day in range(30):
        total += float(market.simulate(day, FULL).revenue_usd[i])
    assert total > 0 and cat.revenue_period_usd[i] == pytest.approx(total)
