"""Reception: how buyers take to a new product, partly foreseen by research, partly fixed by design, and
learned from its sales."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from conftest import make_product
from sellersim.api import run_model
from sellersim.domains import DOMAINS
from sellersim.market.niches import expected_units_per_day, select_niche
from sellersim.model import SellerModel
from sellersim.product.development import ProductDevelopment

POOR = 0.8  # a product that converts at most 80% of what its niche's listings do is poorly received
SEEDS = range(3000)
TWIN_SEEDS = (1, 2, 3)  # a company's products share its luck (stock-outs, copycats): pool a few companies
SETTLED_DAY = 180  # rank closes half its gap in about 17 days: by then it has long left where a product started


def _margin(n: dict[str, float]) -> float:
    return 0.3 * n["niche_price_usd"]


def test_careful_research_launches_fewer_poorly_received_products(base) -> None:
    """Research reads each candidate's reception with its own error: thorough research (six candidates, small
    errors) picks fewer poorly received products than a glance, which picks at the unconditional rate, and
    the plan it sizes the first order on is more often too high than too low (the winner's curse)."""
    cfg = base.market.niches

    def picks(candidates: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
        niches = [
            select_niche(
                np.random.default_rng(s),
                cfg,
                candidates,
                noise,
                _margin,
                365,
                reception_luck=np.random.default_rng([s, 1]),
            )
            for s in SEEDS
        ]
        reception = np.exp([n["log_reception"] for n in niches])
        plan_over_truth = np.array(
            [
                n["estimated_units_per_day"]
                / expected_units_per_day(n, n["log_reception"], floor_share=cfg.min_expected_share)
                for n in niches
            ]
        )
        return reception, plan_over_truth

    thorough, thorough_plan = picks(6, 0.2)
    glance, _ = picks(1, 0.8)
    poor_thorough, poor_glance = (thorough < POOR).astype(float), (glance < POOR).astype(float)
    d = poor_glance - poor_thorough
    assert d.mean() / (d.std(ddof=1) / np.sqrt(len(d))) > 3
    unconditional = norm.cdf(np.log(POOR) / cfg.reception.sigma)
    assert poor_glance.mean() == pytest.approx(unconditional, abs=4 * np.sqrt(unconditional / len(SEEDS)))
    assert (thorough_plan > 1).mean() > 0.55, "the estimate that won is more often too high"


def test_design_work_fixes_part_of_a_poor_reception_and_none_of_a_good_one() -> None:
    niche = {"sessions_per_day": 1000.0, "max_organic_share": 0.1, "base_conversion": 0.12}
    niche["competitor_units_per_day"] = 0.5 * 1000 * 0.1 * 0.12
    for r in (-0.4, 0.3):
        received = [
            ProductDevelopment._received({**niche, "log_reception": r, "flaws_fixed_share": fixed}, floor_share=0.05)
            for fixed in (0.0, 0.5)
        ]
        untouched, designed = (x["reception"] for x in received)
        assert untouched == pytest.approx(np.exp(r))
        assert designed == pytest.approx(np.exp(r * 0.5) if r < 0 else np.exp(r))
        for x in received:  # it converts as received, against rivals who keep their sales
            assert x["base_conversion"] == pytest.approx(0.12 * x["reception"])
            assert x["expected_units_per_day"] == pytest.approx(
                max(12 * x["reception"] - 6, 0.05 * 12 * x["reception"])
            )


def test_a_product_buyers_take_to_sells_more_than_its_twin_and_one_they_dislike_sells_less(load) -> None:
    """The same established products (one candidate each, so the same niches) with and without reception, on
    common seeds: once rank has moved from where the products started, each product's sales move with its
    reception. Operators keep the service up and nothing is suspended or retired, so what one product meets does
    not depend on how the others sell."""
    company = (
        "company.existing.products=16", "company.existing.staff={operator: 3}", "roles.operator.annual_quit_rate=0",
        "company.starting_cash_usd=200000", "simulation.days=365", "development.max_candidates=1",
        "strategy.launch.max_live_products=16", "strategy.retire.enabled=false",
        "market.account_health.suspension_hazard_per_day=0",
    )  # fmt: skip

    def later_sales(model) -> np.ndarray:
        products = model.recorder.products_frame(model.calendar.dates, model.catalog.names)
        later = products[products["day"] >= SETTLED_DAY]
        return later.groupby("product_id")["units_sold"].sum().to_numpy()

    log_reception, log_sales = [], []
    for seed in TWIN_SEEDS:
        alike, received = (
            run_model(load("never_hire", *company, f"simulation.seed={seed}", f"market.niches.reception.sigma={s}"))
            for s in (0, 0.2)
        )
        assert alike.catalog.n == received.catalog.n == 16, "the premise: no launches, the same products"
        assert (alike.catalog.reception == 1).all()
        log_reception += list(np.log(received.catalog.reception))
        log_sales += list(np.log(later_sales(received) / later_sales(alike)))
    log_reception, log_sales = np.array(log_reception), np.array(log_sales)
    clear = np.abs(log_reception) > 0.1
    assert clear.sum() >= 15, "the premise: some products are clearly received better or worse"
    assert (np.sign(log_sales[clear]) == np.sign(log_reception[clear])).mean() >= 0.8
    assert np.corrcoef(log_reception, log_sales)[0, 1] > 0.6


@pytest.mark.parametrize("weight", [0.0, 0.7])
def test_buyers_who_take_badly_to_a_product_review_it_worse_and_the_rating_costs_it_conversion(load, weight) -> None:
    """Two twins on one shelf, one that buyers take to as well as its niche's listings, one a third worse
    (reception 0.67: it converts 0.67 times as well), selling hundreds a day for a hundred days: the disliked
    twin collects about 3.23 * 0.7 * 0.33 = 0.75 fewer stars, and the rating cuts its conversion below what its
    reception alone gives. Without the disappointed buyers' reviews (weight 0) the twins' ratings are alike."""
    model = SellerModel(load("base", f"market.reviews.disliked_bad_review_share={weight}", "simulation.days=120"))
    cat, market = model.catalog, model.market
    twins = [
        cat.add(make_product(f"T{k}", sessions_per_day=100_000.0, reception=r, base_conversion=0.12 * r), 0.5, 0.0)
        for k, r in enumerate((1.0, 0.67))
    ]
    for i in twins:
        cat.receive(i, 100_000, 0, 10.0)
        market.launch(i, 0)
    for day in range(100):
        market.simulate(day, np.ones(len(DOMAINS)))
    assert (cat.reviews[twins] > 250).all(), "the premise: enough reviews to read a rating"
    liked, disliked = cat.star_sum[twins] / cat.reviews[twins]
    cvr = market._conversion_rate()[twins]
    if weight == 0:
        assert abs(liked - disliked) < 0.15
    else:
        assert liked - disliked == pytest.approx(3.23 * weight * 0.33, abs=0.2)
        assert cvr[1] / cvr[0] < 0.67 * 0.85, "the rating costs conversion on top of the reception"
