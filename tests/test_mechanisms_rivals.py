"""Products rise and fade: copycats drawn by success, the price the company follows, design's refresh."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import make_product
from sellersim.domains import DOMAIN_INDEX, DOMAINS
from sellersim.events import EventLog
from sellersim.market.catalog import LIVE, Catalog
from sellersim.market.daily import conversion_rate
from sellersim.market.pricing import reference_price_usd, reprice
from sellersim.market.rivals import Rivals, gross_profit_usd_per_day
from sellersim.money.fees import FeeSchedule
from sellersim.product.quality import drift_quality
from sellersim.streams import KeyedUniforms, RandomStreams


def live_catalog(velocities: list[float], differentiation: float = 0.5) -> Catalog:
    cat = Catalog()
    for k, v in enumerate(velocities):
        i = cat.add(make_product(f"P{k}", differentiation=differentiation), 0.1, 0.0)
        cat.status[i] = LIVE
        cat.velocities[i] = v
        cat.landed_usd[i] = 8.0
    return cat


def rivals(base, cat: Catalog, seed: int = 1) -> tuple[Rivals, EventLog]:
    events = EventLog()
    streams = RandomStreams(seed)
    r = Rivals(
        cfg=base.market.rivals, catalog=cat, fees=FeeSchedule(base.fees), luck=KeyedUniforms(streams, "copycats"),
        exit_luck=KeyedUniforms(streams, "copycat_exits"), events=events,
    )  # fmt: skip
    return r, events


def test_entry_follows_profit_and_a_differentiated_product_is_harder_to_copy(base) -> None:
    cat = live_catalog([0.0, 5.0, 20.0, 80.0])
    chance = rivals(base, cat)[0].entry_chance()
    assert chance[0] == 0.0, "a product that sells nothing draws nobody"
    assert (np.diff(chance) > 0).all(), "the more a product earns, the likelier a copycat"
    c = base.market.rivals
    profit = gross_profit_usd_per_day(cat)
    rate = c.entries_per_year * profit / c.reference_profit_usd_per_day * (1 - c.differentiation_protection * 0.5)
    np.testing.assert_allclose(chance, 1 - np.exp(-rate * 7 / 365))
    plain = live_catalog([0.0, 5.0, 20.0, 80.0])
    plain.differentiation[:] = 0.0
    assert (rivals(base, plain)[0].entry_chance()[1:] > chance[1:]).all()
    cat.status[3] = 0
    assert rivals(base, cat)[0].entry_chance()[3] == 0.0, "only products on sale are copied"


def test_a_copycat_takes_sales_cuts_the_price_raises_cpc_and_copies_the_edge(base) -> None:
    c, conversion = base.market.rivals, base.market.conversion
    fees = FeeSchedule(base.fees)
    cat = live_catalog([30.0, 30.0])
    r, events = rivals(base, cat)
    r.entry_chance = lambda: np.array([1.0, 0.0])  # the first product is copied, twice, the second never
    before = {col: getattr(cat, col).copy() for col in ("competitor_units_per_day", "niche_price_usd", "cpc_usd")}
    diff0, price0 = cat.differentiation.copy(), cat.price_usd.copy()
    cvr0 = conversion_rate(cat, base.market)
    for week in range(2):
        r.advance_week(7 * week)
        reprice(cat, conversion, fees)
    assert list(cat.copycats) == [2, 0]
    kept = 1 - c.listing_defence * cat.listing_quality[0]
    assert cat.competitor_units_per_day[0] == pytest.approx(
        before["competitor_units_per_day"][0] + 2 * c.entrant_share_of_sales * kept * 30.0
    )
    assert cat.niche_price_usd[0] == pytest.approx(
        before["niche_price_usd"][0] * (1 - c.price_cut) * (1 - c.price_cut / 2)
    )
    assert cat.cpc_usd[0] == pytest.approx(before["cpc_usd"][0] * (1 + c.cpc_rise) ** 2)
    assert cat.differentiation[0] == pytest.approx(diff0[0] * (1 - c.copied_share) ** 2)
    # the company follows the niche's price down, holding its position against the reference
    assert cat.price_usd[0] < price0[0]
    np.testing.assert_allclose(cat.price_usd, cat.price_index * reference_price_usd(cat, conversion))
    np.testing.assert_allclose(cat.referral_usd, fees.referral_per_unit(cat.price_usd))
    # the second product is untouched; the copied one converts less (its edge copied) and earns less a unit
    assert cat.niche_price_usd[1] == before["niche_price_usd"][1] and cat.price_usd[1] == pytest.approx(price0[1])
    cvr = conversion_rate(cat, base.market)
    assert cvr[0] < cvr0[0] and cvr[1] == pytest.approx(cvr0[1])
    assert len(events.of_kind("copycat")) == 2


def test_the_same_product_meets_the_same_entry_luck_in_any_catalogue(base) -> None:
    one, many = live_catalog([40.0]), live_catalog([40.0, 10.0, 60.0])
    r1, r3 = rivals(base, one)[0], rivals(base, many)[0]
    for week in range(200):
        r1.advance_week(7 * week)
        r3.advance_week(7 * week)
    assert one.copycats[0] == many.copycats[0] > 0


def test_a_product_ages_without_refresh_work_and_wins_back_what_was_copied_with_it(base) -> None:
    """Two years of weekly drift: unrefreshed, a product keeps only part of its launch edge and converts less;
    refreshed, a copied product wins its edge back and converts better."""
    service = np.ones(len(DOMAINS))
    w = base.work
    for design, start in ((0.0, 1.0), (1.0, 0.5)):
        cat = live_catalog([20.0])
        launch = cat.launch_differentiation[0]
        cat.differentiation[0] = start * launch
        service[DOMAIN_INDEX["design"]] = design
        cvr0 = conversion_rate(cat, base.market)[0]
        for _ in range(104):
            drift_quality(cat, service, w, base.supply)
        target = launch * (w.differentiation_untended + (1 - w.differentiation_untended) * design)
        assert cat.differentiation[0] == pytest.approx(target, rel=0.05)
        cvr = conversion_rate(cat, base.market)[0]
        assert cvr < cvr0 if design == 0 else cvr > cvr0


def copied_three_times(base, landed_usd: list[float], seed: int = 1) -> tuple[Catalog, Rivals, EventLog, dict]:
    """Products at 30 units a day whose niches each draw three copycats in three weeks, then no more."""
    cat = live_catalog([30.0] * len(landed_usd))
    cat.landed_usd[:] = landed_usd
    r, events = rivals(base, cat, seed)
    before = {col: getattr(cat, col).copy() for col in ("competitor_units_per_day", "niche_price_usd", "cpc_usd")}
    r.entry_chance = lambda: np.ones(cat.n)
    for week in range(3):
        r.advance_week(7 * week)
    r.entry_chance = lambda: np.zeros(cat.n)
    return cat, r, events, before


def test_copycats_leave_a_niche_whose_price_no_longer_pays_and_stay_in_one_that_does(base) -> None:
    """Paired on each seed: the same three copycats cut the price of a product that costs $16 a unit to land
    (its rivals' margin falls below the exit threshold) and of one that costs $8 (theirs does not). Over two
    years the first niche's rivals leave, and the product wins back sales and price; the second keeps them."""
    c = base.market.rivals
    for seed in range(1, 11):
        cat, r, events, before = copied_three_times(base, [16.0, 8.0], seed)
        share = r.rival_margin_share()
        assert share[0] < c.exit_margin_share < share[1], "the premise: one niche no longer pays its copycats"
        crowded = cat.competitor_units_per_day.copy()
        cut = cat.niche_price_usd.copy()
        for week in range(3, 107):
            r.advance_week(7 * week)
        assert cat.copycats[0] < 3 and cat.copycats[1] == 3
        assert cat.competitor_units_per_day[0] < crowded[0] and cat.competitor_units_per_day[1] == crowded[1]
        assert cat.niche_price_usd[0] > cut[0] and cat.niche_price_usd[1] == cut[1]
        assert cat.niche_price_usd[0] <= before["niche_price_usd"][0] * (1 + 1e-12), "no higher than before the war"
        assert len(events.of_kind("copycat_left")) > 0
        assert all(e[2] == 0 for e in events.of_kind("copycat_left")), "only the unprofitable niche loses rivals"


def test_a_copycat_leaving_undoes_what_an_average_one_did(base) -> None:
    """Every copycat of the first product leaves at once (an exit chance of 1): their units leave the niche, the
    price recovers each rival's cut, the cost per click each one's rise; what they copied stays copied."""
    cat, r, events, before = copied_three_times(base, [16.0, 8.0])
    copied = cat.differentiation.copy()
    r.exit_chance = lambda: np.array([1.0, 0.0])
    r.advance_week(21)
    assert list(cat.copycats) == [0, 3]
    for col in ("competitor_units_per_day", "niche_price_usd", "cpc_usd"):
        assert getattr(cat, col)[0] == pytest.approx(before[col][0]), col
    assert cat.copycat_share[0] == 0.0 and cat.copycat_share[1] > 0
    np.testing.assert_array_equal(cat.differentiation, copied)
    assert len(events.of_kind("copycat_left")) == 1


def test_an_exit_removes_an_average_rivals_part_and_the_last_rivals_cut(base, monkeypatch) -> None:
    """Two of three copycats leave (the week's binomial draw forced to two): the niche keeps a third of what they
    sold, and the price keeps the first rival's cut alone: price_cut / 3 and price_cut / 2 are undone."""
    c = base.market.rivals
    cat, r, _, before = copied_three_times(base, [16.0])
    taken = cat.competitor_units_per_day[0] - before["competitor_units_per_day"][0]
    monkeypatch.setattr("sellersim.market.rivals.binomial_quantile", lambda u, n, p: np.minimum(n, 2))
    r.advance_week(21)
    assert cat.copycats[0] == 1
    assert cat.competitor_units_per_day[0] == pytest.approx(before["competitor_units_per_day"][0] + taken / 3)
    assert cat.niche_price_usd[0] == pytest.approx(before["niche_price_usd"][0] * (1 - c.price_cut))
    assert cat.cpc_usd[0] == pytest.approx(before["cpc_usd"][0] * (1 + c.cpc_rise))
