"""The daily market: rank out of stock and back, and what reviews and rating do to conversion."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.stats import binom, poisson

from conftest import make_product, one_product_on_sale
from sellersim.api import run_model, run_scenario
from sellersim.domains import DOMAIN_INDEX
from sellersim.market.catalog import Catalog
from sellersim.market.counts import binomial_quantile, multinomial_quantile, poisson_quantile
from sellersim.market.daily import Market, ad_clicks, conversion_rate, returns_odds
from sellersim.market.niches import select_niche
from sellersim.market.trends import NicheTrends, expected_log_growth
from sellersim.model import SellerModel
from sellersim.streams import KeyedUniforms, RandomStreams

FULL_SERVICE = np.ones(10)


def catalog_with_reviews(reviews: list[int], rating: float | list[float]) -> Catalog:
    cat = Catalog()
    ratings = np.broadcast_to(np.asarray(rating, dtype=float), (len(reviews),))
    for k, (n, r) in enumerate(zip(reviews, ratings, strict=True)):
        i = cat.add(make_product(f"P{k}"), 0.03, 0.0)
        cat.reviews[i] = n
        cat.star_sum[i] = n * r
    return cat


# --- conversion -----------------------------------------------------------------------------


def test_conversion_rises_steeply_over_the_first_reviews_then_saturates(base) -> None:
    counts = [0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 100, 500]
    cvr = conversion_rate(catalog_with_reviews(counts, 4.5), base.market)
    by = dict(zip(counts, cvr, strict=True))
    assert (np.diff(cvr) > 0).all(), "every extra review helps a little"
    # most of the lift arrives by 10 reviews
    lift = by[500] - by[0]
    assert by[10] - by[0] > 0.8 * lift
    assert by[5] - by[0] > 0.5 * lift
    assert by[10] / by[0] > 2.5
    # and after 20 the curve is flat
    assert by[500] / by[20] < 1.05
    # the first review is worth more than the 20th
    assert by[1] - by[0] > 10 * (by[20] - by[15]) / 5


def test_rating_peaks_in_the_mid_fours(base) -> None:
    ratings = [3.0, 3.5, 4.0, 4.3, 4.5, 4.7, 5.0]
    cvr = conversion_rate(catalog_with_reviews([200] * len(ratings), ratings), base.market)
    by = dict(zip(ratings, cvr, strict=True))
    best = max(by, key=by.get)
    assert 4.2 <= best <= 4.7
    assert by[4.5] > by[5.0]
    assert by[4.5] > by[3.5]
    assert by[5.0] > by[3.5], "a perfect score is suspicious, but 3.5 stars is worse"
    assert by[3.0] < by[3.5] < by[4.0]


def test_no_reviews_converts_at_the_no_review_factor(base) -> None:
    cvr = conversion_rate(catalog_with_reviews([0, 100_000], 4.45), base.market)
    assert cvr[0] / cvr[1] == pytest.approx(base.market.conversion.no_review_factor, rel=1e-3)


def test_conversion_falls_with_price_and_rises_with_listing_quality(base) -> None:
    cat = catalog_with_reviews([50, 50, 50], 4.5)
    cat.price_usd[1] *= 1.2
    cat.listing_quality[2] = 0.3
    cvr = conversion_rate(cat, base.market)
    assert cvr[1] < cvr[0]
    assert cvr[2] < cvr[0]


def test_ad_clicks_spend_no_more_than_the_budget() -> None:
    budget = np.array([0.0, 10.0, 50.0, 1e6])
    clicks, spend = ad_clicks(budget, np.full(4, 1.0), np.full(4, 100.0), 1.5)
    assert clicks[0] == 0 and spend[0] == 0
    np.testing.assert_allclose(spend[1:3], budget[1:3])
    assert clicks[3] == pytest.approx(100.0), "no more clicks than are available"
    assert spend[3] == pytest.approx(100.0 * 2.5)
    assert clicks[1] < 10.0, "escalating bids make a click cost more than the base CPC"


# --- rank -------------------------------------------------------------------------------------


def test_rank_decays_out_of_stock_and_recovers_gradually(base) -> None:
    model = SellerModel(base)
    cat, market = model.catalog, model.market
    i = cat.add(make_product(), base.market.rank.new_listing_rank, 20.0)
    cat.receive(i, 100_000, 0, 10.0)
    market.launch(i, 0)
    cat.reviews[i], cat.star_sum[i] = 50, 50 * 4.5

    def days(first: int, last: int) -> np.ndarray:
        ranks = []
        for day in range(first, last):
            market.simulate(day, FULL_SERVICE)
            ranks.append(cat.rank[i])
        return np.array(ranks)

    growing = days(0, 150)
    assert growing[-1] > 5 * base.market.rank.new_listing_rank, "a selling listing climbs"
    peak = growing[-1]

    cat.write_off_lots(i, int(cat.stock[i]))
    sold_before = int(cat.sold[i])
    out = days(150, 180)
    assert cat.sold[i] == sold_before, "nothing sells out of stock"
    assert (np.diff(np.r_[peak, out]) < 0).all(), "rank falls every day out of stock"
    assert out[-1] < 0.5 * peak
    decay = 1 - base.market.rank.out_of_stock_decay_per_day
    assert out[-1] <= peak * decay**30 + 1e-12, "at least the out-of-stock decay"
    assert len(model.events.of_kind("stockout")) == 1

    cat.receive(i, 100_000, 180, 10.0)
    back = days(180, 330)
    assert len(model.events.of_kind("restock")) == 1
    assert back[0] < 0.5 * peak, "rank does not come back the day stock does"
    assert back[10] < 0.8 * peak
    assert back[-1] > 0.8 * peak, "but it does come back"
    assert back[-1] > 3 * out[-1]


def test_sales_never_exceed_stock(base) -> None:
    model = SellerModel(base)
    cat, market = model.catalog, model.market
    i = cat.add(make_product(sessions_per_day=20_000.0), 0.5, 50.0)
    cat.receive(i, 40, 0, 10.0)
    market.launch(i, 0)  # Vine takes its units first
    sold = []
    for day in range(30):
        sold.append(int(market.simulate(day, FULL_SERVICE).units[i]))
    assert cat.stock[i] == 0
    assert sum(sold) == cat.sold[i] == 40 - cat.given_away[i]


def test_suspended_account_sells_nothing_and_loses_rank(base) -> None:
    model, i = one_product_on_sale(base)
    cat, market = model.catalog, model.market
    for day in range(20):
        market.simulate(day, FULL_SERVICE)
    assert cat.sold[i] > 0
    market.suspended_until = 30
    sold, rank = int(cat.sold[i]), float(cat.rank[i])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the day must not lean on deprecated numpy/Python behaviour
        days = [market.simulate(day, FULL_SERVICE) for day in range(20, 30)]
    assert cat.sold[i] == sold
    assert all(d.ad_spend_usd.sum() == 0 for d in days), "no ads while suspended"
    assert cat.rank[i] < rank
    after = [market.simulate(day, FULL_SERVICE) for day in range(30, 40)]
    assert sum(int(d.units.sum()) for d in after) > 0
    assert len(model.events.of_kind("reinstated")) == 1


def test_counts_by_inverse_cdf_match_the_binomial_and_poisson_quantiles() -> None:
    """The market's draws are quantiles of a (product, day) uniform: they must be exact, edge cases included."""
    rng = np.random.default_rng(11)
    size = 20_000
    u = rng.random(size)
    n = rng.integers(0, 400, size)
    p = rng.choice([0.0, 0.01, 0.3, 0.72, 0.99, 1.0], size) * rng.choice([1.0, rng.random()], size)
    np.testing.assert_array_equal(binomial_quantile(u, n, p), binom.ppf(u, n, p))
    np.testing.assert_array_equal(binomial_quantile(u, n, 0.3), binom.ppf(u, n, 0.3))  # one chance for all
    mean = rng.choice([0.0, 0.1, 2.0, 30.0, 150.0, 2_000.0], size) * rng.random(size)
    np.testing.assert_array_equal(poisson_quantile(u, mean), poisson.ppf(u, mean))


def test_poisson_counts_of_a_few_items_searched_one_by_one_are_the_exact_quantiles() -> None:
    """A day of a few products takes the item-by-item search: every count is still the Poisson quantile, from
    the first step past P(0) to far tails where the first guess misses by several."""
    rng = np.random.default_rng(3)
    for _ in range(3_000):
        size = int(rng.integers(1, 5))
        u = np.concatenate([rng.random(size - 1), rng.choice([1e-12, 0.5, 1 - 1e-12], 1)])
        mean = rng.choice([0.05, 0.7, 2.4, 9.0, 80.0, 3_000.0], size) * rng.random(size)
        np.testing.assert_array_equal(poisson_quantile(u, mean), poisson.ppf(u, mean))


def test_star_counts_by_conditional_binomial_quantiles_are_multinomial() -> None:
    """Reviews' stars from four uniforms a (product, day): over 40,000 rows of three reviews each, every
    category's count has the multinomial's mean and variance, the categories' covariance is -n p_i p_j, and the
    counts always add up to the reviews."""
    rng = np.random.default_rng(5)
    probs = np.array([0.08, 0.04, 0.06, 0.15, 0.67])
    rows, n = 40_000, 3
    counts = multinomial_quantile(rng.random((rows, 4)), np.full(rows, n), np.tile(probs, (rows, 1)))
    assert (counts.sum(axis=1) == n).all() and (counts >= 0).all()
    mean, var = n * probs, n * probs * (1 - probs)
    assert np.all(np.abs(counts.mean(axis=0) - mean) < 4 * np.sqrt(var / rows))
    assert np.allclose(counts.var(axis=0), var, rtol=0.05)
    cov = np.cov(counts[:, 0], counts[:, 4])[0, 1]
    assert cov == pytest.approx(-n * probs[0] * probs[4], abs=0.01)
    edge = multinomial_quantile(
        np.full((2, 4), 0.999), np.array([0, 2]), np.array([[0.0, 0, 0, 0, 1.0], [1.0, 0, 0, 0, 0]])
    )
    assert edge.tolist() == [[0, 0, 0, 0, 0], [2, 0, 0, 0, 0]]


def test_kept_conversion_and_return_odds_equal_a_fresh_derivation_every_day(load, monkeypatch) -> None:
    """The market keeps conversion rates and return odds until the catalogue's revision (or its reviews) move.
    Whatever a run writes (launches, reviews, weekly quality and defect drift, yearly fee changes, hires that
    change the work), the kept figures must equal a fresh derivation before every day."""
    simulate = Market.simulate
    days_checked = 0

    def checked(market: Market, day: int, service: np.ndarray):
        nonlocal days_checked
        cat = market.catalog
        if cat.n:
            np.testing.assert_array_equal(market._conversion_rate(), conversion_rate(cat, market.cfg))
            kept, fresh = market._returns_odds(), returns_odds(cat, market.cfg)
            for field in ("return_chance", "resellable_share"):
                np.testing.assert_array_equal(getattr(kept, field), getattr(fresh, field), err_msg=field)
            days_checked += 1
        return simulate(market, day, service)

    monkeypatch.setattr(Market, "simulate", checked)
    for name in ("solo_then_hire", "offshore_va_first", "product_team_first"):
        run_model(load(name, "simulation.days=800"))
    assert days_checked > 1500


def test_resellable_returns_are_the_draws_one_binomial_call_on_the_day_would_make(load, monkeypatch) -> None:
    """The market draws the resellable share of each product's returns one product at a time: those must be the
    very draws (values and how many) that one ``binomial`` call on the day's array of returns would make."""
    returns_of = Market._returns_of
    days_checked = several = 0

    def checked(market: Market, day: int, units: np.ndarray, paid_usd: np.ndarray):
        nonlocal days_checked, several
        rng = market._returns
        state, restocked = rng.bit_generator.state, market.catalog.restocked.copy()
        out = returns_of(market, day, units, paid_usd)
        returned = out[1]
        if returned is not None:
            again = np.random.Generator(type(rng.bit_generator)())
            again.bit_generator.state = state
            expected = again.binomial(returned, market._returns_odds().resellable_share)
            np.testing.assert_array_equal(market.catalog.restocked - restocked, expected)
            assert rng.bit_generator.state == again.bit_generator.state  # no draw more or less
            days_checked += 1
            several += np.count_nonzero(returned) > 1
        return out

    monkeypatch.setattr(Market, "_returns_of", checked)
    for name in ("solo_then_hire", "product_team_first"):
        run_model(load(name, "simulation.days=600"))
    assert days_checked > 100 and several > 2


# --- niche trends ---------------------------------------------------------------------------


def trending_catalog(growth: np.ndarray) -> Catalog:
    cat = Catalog()
    for k, g in enumerate(growth):
        cat.add(make_product(f"P{k}", growth_per_year=g, growth_seen_per_year=g), 0.03, 0.0)
    return cat


def test_niche_growth_wanders_around_the_markets_rate_with_its_spread_and_persistence(base) -> None:
    """Started from the stationary spread, growth rates keep the market's mean and the stated spread; a year
    later they keep exp(-1 year / tau) of their lead (half, at a year's half-life); and each week's demand moves
    by exactly the week's growth, so a year's log growth follows the expected path from the starting rate."""
    cfg = base.market.niches.trend
    rng = np.random.default_rng(5)
    g0 = cfg.mean_growth_per_year + cfg.growth_sd_per_year * rng.standard_normal(4000)
    cat = trending_catalog(g0)
    trends = NicheTrends(cfg=cfg, catalog=cat, luck=KeyedUniforms(RandomStreams(3), "trends"))
    sessions0, expected_log = cat.sessions_per_day.copy(), np.zeros(len(g0))
    for week in range(52):
        expected_log += cat.growth_per_year * 7 / 365
        trends.advance_week(7 * week, watched_share=0.0)
    g = cat.growth_per_year
    se = cfg.growth_sd_per_year / np.sqrt(len(g))
    assert abs(g.mean() - cfg.mean_growth_per_year) < 4 * se * np.sqrt(2)
    assert g.std() == pytest.approx(cfg.growth_sd_per_year, rel=0.06)
    kept = np.corrcoef(g0, g)[0, 1]
    tau_years = cfg.halflife_days / 365 / np.log(2)
    assert kept == pytest.approx(np.exp(-364 / 365 / tau_years), abs=0.04)
    np.testing.assert_allclose(np.log(cat.sessions_per_day / sessions0), expected_log, rtol=1e-9)
    slope, intercept = np.polyfit(g0 - cfg.mean_growth_per_year, expected_log, 1)
    assert intercept == pytest.approx(expected_log_growth(cfg.mean_growth_per_year, 364, cfg), abs=0.01)
    from_lead = expected_log_growth(cfg.mean_growth_per_year + 1, 364, cfg) - expected_log_growth(
        cfg.mean_growth_per_year, 364, cfg
    )
    assert slope == pytest.approx(from_lead, rel=0.05)
    assert (cat.growth_seen_per_year == g0).all(), "unwatched, the company's view stays what research saw"


@pytest.mark.parametrize("watched", [0.0, 0.4, 1.0])
def test_watching_moves_the_view_toward_the_true_rate_by_the_share_of_selection_done(base, watched: float) -> None:
    cat = trending_catalog(np.array([0.3, -0.2]))
    trends = NicheTrends(cfg=base.market.niches.trend, catalog=cat, luck=KeyedUniforms(RandomStreams(3), "trends"))
    seen = cat.growth_seen_per_year.copy()
    trends.advance_week(0, watched_share=watched)
    np.testing.assert_allclose(cat.growth_seen_per_year, seen + watched * (cat.growth_per_year - seen))
    assert (cat.growth_per_year != seen).all(), "the true rates moved"


def test_research_that_compares_more_niches_finds_better_trends(base) -> None:
    """Research values each candidate over the year ahead, trend included: thorough research (six candidates,
    small errors) ends up in faster-growing niches than a single look."""
    cfg = base.market.niches

    def margin(n: dict[str, float]) -> float:
        return 0.3 * n["niche_price_usd"]

    def growth(candidates: int, noise: float, seed: int) -> float:
        rng = np.random.default_rng(seed)
        niche = select_niche(rng, cfg, candidates, noise, margin, 365, reception_luck=rng)
        return niche["growth_per_year"]

    thorough = np.array([growth(6, 0.2, s) for s in range(3000)])
    glance = np.array([growth(1, 0.8, s) for s in range(3000)])
    d = thorough - glance
    assert d.mean() / (d.std(ddof=1) / np.sqrt(len(d))) > 3
    assert glance.mean() == pytest.approx(
        cfg.trend.mean_growth_per_year, abs=4 * cfg.trend.growth_sd_per_year / np.sqrt(3000)
    )


def test_a_products_trend_is_the_same_luck_under_every_strategy(load) -> None:
    """Trend luck is keyed by (product, day): the same established products meet the same niche paths whoever
    runs them."""
    company = ("company.existing.products=4", "simulation.days=200")
    paths = []
    for strategy in ("never_hire", "ops_first_day_one"):
        p = run_scenario(load(strategy, *company)).products
        paths.append(p[p["product_id"] < 4].sort_values(["product_id", "day"])["niche_growth_per_year"].to_numpy())
    np.testing.assert_array_equal(*paths)
    assert np.unique(paths[0]).size > 4 * 20, "the rates moved week by week"


def test_clicks_cost_more_on_busy_days_q4_and_black_friday(base) -> None:
    """Buying every available click, a day's spend over the clicks available is the cost per click: it follows
    the day's demand lift to the elasticity, so December costs more than September and Black Friday most."""
    model = SellerModel(base)
    cat, market, cal = model.catalog, model.market, model.calendar
    i = cat.add(make_product(), 0.1, 1e6)  # a budget that buys every click there is
    cat.receive(i, 10**7, 0, 10.0)
    market.launch(i, 0)
    a = base.market.ads
    black_friday = int(np.argmax(cal.event_lift[:365]))
    days = {"september": int(np.argmax(cal.month == 9)) + 14, "december": int(np.argmax(cal.month == 12)) + 7}
    days["black_friday"] = black_friday
    per_click = {}
    for name, day in sorted(days.items(), key=lambda kv: kv[1]):
        spend = market.simulate(day, FULL_SERVICE).ad_spend_usd[i]
        lift = cal.seasonality[day] * cal.event_lift[day] * cal.deal_lift[day]
        available = cat.sessions_per_day[i] * lift * a.max_share_of_sessions
        per_click[name] = spend / available / (1 + a.bid_escalation)
        assert per_click[name] == pytest.approx(cat.cpc_usd[i] * lift**a.cpc_demand_elasticity)
    assert per_click["september"] < per_click["december"] < per_click["black_friday"]


def test_a_deal_lifts_units_and_costs_a_discount_and_a_fee(load) -> None:
    """Prime Day with the deal (listing work done, and products selling well enough that the deal pays, so every
    product is entered) against the same day with the event's discount and fee at zero and against the day
    before: the deal sells more units than the day before, each at the discount, and pays the fee once for each
    product in stock on the event's first day."""
    scenario = load("base", "simulation.days=400")
    outcomes = {}
    for name, overrides in (("deal", ()), ("free", ("fees.deal_fee_usd=0",))):
        model = SellerModel(load("base", "simulation.days=400", *overrides))
        cat, market, cal = model.catalog, model.market, model.calendar
        for k in range(3):
            i = cat.add(make_product(f"P{k}", sessions_per_day=5000.0), 0.5, 0.0)
            cat.receive(i, 10**6, 0, 10.0)
            market.launch(i, 0)
            cat.reviews[i], cat.star_sum[i] = 200, 200 * 4.5  # an established listing: sales well above noise
            cat.velocities[i] = 60.0  # a steady seller: the deal's lift pays its discount and fee
        prime_day = int(np.argmax(cal.deal_lift[:365] > 1))
        days = {}
        for day in range(prime_day - 1, prime_day + 2):
            m = market.simulate(day, FULL_SERVICE)
            t = model.ledger.close_day()
            days[day - prime_day] = (m.total_units, m.total_revenue_usd, t.get("deal_fee", 0.0))
            # each product's proceeds are its share of what the day's sales brought in, fees and ads taken
            fees = t.get("referral_fee", 0.0) + t.get("fba_fee", 0.0) + t.get("deal_fee", 0.0)
            assert m.proceeds_usd.sum() == pytest.approx(m.total_revenue_usd + fees - m.total_ad_spend_usd)
        outcomes[name] = days
    deal = outcomes["deal"]
    before, first, second = deal[-1], deal[0], deal[1]
    assert first[0] > 2 * before[0], "the deal lifts units"
    price = 30.0  # make_product's price
    discount = scenario.market.events[0].deal_discount
    assert first[1] / first[0] == pytest.approx(price * (1 - discount), rel=1e-9), "every unit at the discount"
    assert before[1] / before[0] == pytest.approx(price)
    assert first[2] == pytest.approx(-3 * scenario.fees.deal_fee_usd) and second[2] == 0.0, "the fee, once"
    assert outcomes["free"][0][2] == 0.0 and outcomes["free"][0][0] == first[0], "the fee changes no sale"


def prime_day_of(load, products: list[tuple[float, float]], s_listing: float, seed: int = 1, *overrides: str):
    """Prime Day's two days for products given as (30-day velocity, landed cost a unit), in the test niche at $30
    with plenty of stock, at listing service ``s_listing``: the model, each product's units, revenue and landed
    cost over the event, and the deal fees paid."""
    model = SellerModel(load("base", "simulation.days=400", f"simulation.seed={seed}", *overrides))
    cat, market, cal = model.catalog, model.market, model.calendar
    for k, (velocity, landed) in enumerate(products):
        i = cat.add(make_product(f"P{k}", sessions_per_day=3000.0), 0.5, 0.0)
        cat.receive(i, 10**6, 0, landed)
        market.launch(i, 0)
        cat.reviews[i], cat.star_sum[i] = 200, 200 * 4.5
        cat.velocities[i] = velocity
    service = FULL_SERVICE.copy()
    service[DOMAIN_INDEX["listing"]] = s_listing
    first = int(np.argmax(cal.deal_day[:365]))
    units, revenue, fees = np.zeros(cat.n), np.zeros(cat.n), 0.0
    for day in range(first, first + int(np.argmin(cal.deal_day[first:]))):
        m = market.simulate(day, service)
        fees -= model.ledger.close_day().get("deal_fee", 0.0)
        units += m.units
        revenue += m.revenue_usd
    return model, units, revenue, fees


def test_a_deal_is_entered_where_it_pays_and_not_where_the_discount_or_the_fee_eats_the_margin(load) -> None:
    """Three steady sellers with full listing work: one whose margin the deal's discount wipes out ($18 a unit to
    land), one with a fat margin ($6), and one with the same fat margin selling too little for the deal's lift to
    pay its fee. Only the second is entered: it alone pays the fee and sells at the discount."""
    scenario = load("base", "simulation.days=400")
    model, units, revenue, fees = prime_day_of(load, [(60.0, 18.0), (60.0, 6.0), (2.0, 6.0)], s_listing=1.0)
    (entered,) = model.market.deal_entries.values()
    assert list(entered) == [False, True, False]
    assert fees == pytest.approx(scenario.fees.deal_fee_usd)
    discount = scenario.market.events[0].deal_discount
    np.testing.assert_allclose(revenue / units, [30.0, 30.0 * (1 - discount), 30.0])


def test_entering_a_deal_lifts_units_and_costs_margin_a_unit_and_without_listing_work_nothing_is_entered(
    load,
) -> None:
    """Paired on each seed: the same fat-margin product on Prime Day with listing work done (entered) and
    undone (s_listing = 0: nothing entered, no fee). Entered, it sells more units, each earning less."""
    for seed in range(1, 6):
        runs = {s: prime_day_of(load, [(60.0, 6.0)], s_listing=s, seed=seed) for s in (1.0, 0.0)}
        (entered,) = runs[1.0][0].market.deal_entries.values()
        (left_out,) = runs[0.0][0].market.deal_entries.values()
        assert entered.all() and not left_out.any()
        assert runs[0.0][3] == 0.0 < runs[1.0][3], "the fee is paid only by a product entered"
        margin = {}
        for s, (model, units, revenue, _) in runs.items():
            cat = model.catalog
            referral = model.fees.referral_per_unit(revenue / units)
            margin[s] = (revenue / units - referral - cat.fba_fee_usd - cat.landed_usd)[0]
            assert units[0] > 0
        assert runs[1.0][1][0] > 2 * runs[0.0][1][0], "the deal lifts units"
        assert margin[1.0] < margin[0.0], "and each unit earns less"


def test_a_deal_first_seen_on_its_second_day_is_chosen_then_and_charged_once(load) -> None:
    """The company's first product goes on sale on Prime Day's second day: the market sees the event for the first
    time then, so it chooses the products to enter on that day, and charges the fee on it (once)."""
    scenario = load("base", "simulation.days=400")
    model = SellerModel(scenario)
    cat, market, cal = model.catalog, model.market, model.calendar
    first = int(np.argmax(cal.deal_day[:365]))
    i = cat.add(make_product(sessions_per_day=3000.0), 0.5, 0.0)
    cat.reviews[i], cat.star_sum[i] = 200, 200 * 4.5
    cat.velocities[i] = 60.0
    fees = []
    for day in range(first, first + int(np.argmin(cal.deal_day[first:])) + 1):
        if day == first + 1:
            cat.receive(i, 10**6, day, 6.0)
            market.launch(i, day)
        market.simulate(day, FULL_SERVICE)
        fees.append(-model.ledger.close_day().get("deal_fee", 0.0))
    assert list(market.deal_entries) == [first + 1]
    assert market.deal_entries[first + 1].all()
    assert fees == [0.0, scenario.fees.deal_fee_usd] + [0.0] * (len(fees) - 2)


def test_listing_work_enters_its_share_of_the_products_worth_entering(load) -> None:
    """At half the listing work, about half of 200 products worth entering are entered, by luck of their own."""
    model, *_ = prime_day_of(load, [(60.0, 6.0)] * 200, s_listing=0.5)
    (entered,) = model.market.deal_entries.values()
    assert 0.4 < entered.mean() < 0.6


def test_a_return_refunds_what_the_buyer_paid(load) -> None:
    """Every unit comes back (a return rate of 1): units sold in Prime Day's deal are refunded at the deal's
    price, and the referral fee charged on that price comes back less the refund administration fee."""
    scenario = load("base", "simulation.days=400")
    model = SellerModel(scenario)
    cat, market, cal = model.catalog, model.market, model.calendar
    i = cat.add(make_product(sessions_per_day=5000.0, return_rate=1.0), 0.5, 0.0)
    cat.receive(i, 10**6, 0, 10.0)
    market.launch(i, 0)
    cat.reviews[i], cat.star_sum[i] = 200, 200 * 4.5
    cat.velocities[i] = 60.0  # a steady seller, entered in the deal
    prime_day = int(np.argmax(cal.deal_day[:365]))
    lag = scenario.market.returns.lag_days
    sold = market.simulate(prime_day, FULL_SERVICE)
    model.ledger.close_day()
    paid = 30.0 * (1 - scenario.market.events[0].deal_discount)
    assert sold.total_revenue_usd == pytest.approx(sold.total_units * paid)
    for day in range(prime_day + 1, prime_day + lag):
        market.simulate(day, FULL_SERVICE)
        model.ledger.close_day()
    back = market.simulate(prime_day + lag, FULL_SERVICE)
    t = model.ledger.close_day()
    assert back.returned_units == sold.total_units > 0
    assert back.refunds_usd == pytest.approx(sold.total_units * paid)
    referral = model.fees.referral_per_unit(np.array([paid]))
    credited = float(referral[0] - model.fees.refund_admin_per_unit(referral)[0]) * sold.total_units
    charged_today = back.total_units * cat.referral_usd[i]
    assert t["referral_fee"] == pytest.approx(credited - charged_today)
