"""Listing health under FBA: a listing whose returns are far above its category's is closed, then reopened;
account suspensions follow an order defect rate over the limit only when Amazon's warning goes unanswered."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import make_product, one_product_on_sale
from sellersim.domains import DOMAIN_INDEX
from sellersim.events import EventLog
from sellersim.market.catalog import Catalog
from sellersim.market.listing_health import ListingHealth
from sellersim.model import SellerModel
from sellersim.streams import RandomStreams

FULL_SERVICE = np.ones(10)


def watched(base, products: int, return_rate: float = 0.05) -> tuple[ListingHealth, EventLog]:
    cat = Catalog()
    for k in range(products):
        cat.add(make_product(f"P{k}", return_rate=return_rate), 0.1, 0.0)
    events = EventLog()
    health = ListingHealth(cfg=base.market.listing_health, catalog=cat, streams=RandomStreams(5), events=events)
    return health, events


def feed(health: ListingHealth, days: range, orders: int, rates: list[float], seed: int, s_after: float = 1.0):
    """Each day, ``orders`` units of every product mature, each returned at its own rate."""
    rng = np.random.default_rng(seed)
    cohort = np.full(len(rates), orders, dtype=np.int64)
    for day in days:
        health.end_of_day(day, cohort, rng.binomial(cohort, rates), s_after)


def test_a_listing_returned_far_above_its_category_is_closed_and_one_at_its_category_rate_is_not(base) -> None:
    """Paired on the same days: 3x the category's returns closes the listing; 1x and 1.3x never do, however
    often a few dozen orders show twice the rate by luck."""
    health, events = watched(base, 3, return_rate=0.05)
    feed(health, range(720), 1, [0.05, 0.065, 0.15], seed=1)  # ~60 orders a window: noisy rates
    closed = {int(e[2]) for e in events.of_kind("listing_closed")}
    assert closed == {2}
    reopened = [e for e in events.of_kind("listing_reopened") if e[2] == 2]
    assert reopened, "a closed listing comes back once its reinstatement is done"


def test_a_closed_listing_stays_closed_longer_when_after_sales_is_neglected(base) -> None:
    lengths = {}
    for s_after in (1.0, 0.0):
        health, events = watched(base, 1)
        feed(health, range(200), 2, [0.3], seed=2, s_after=s_after)
        day_closed = events.of_kind("listing_closed")[0][0]
        lengths[s_after] = events.of_kind("listing_reopened")[0][0] - day_closed
    # the same luck (keyed by product and day) drawn the same length, divided by 0.5 + 0.5 s_after
    assert lengths[0.0] >= 1.8 * lengths[1.0]


def test_a_closed_listing_sells_nothing_runs_no_ads_and_sells_again_when_reopened(base) -> None:
    """Paired with the same listing run out of stock on the same days: a closed listing loses its rank as
    an unavailable one does."""
    rank_after = {}
    for arm in ("closed", "out of stock"):
        model, i = one_product_on_sale(base)
        cat, market = model.catalog, model.market
        for day in range(20):
            market.simulate(day, FULL_SERVICE)
        sold = int(cat.sold[i])
        assert sold > 0
        if arm == "closed":
            cat.reopen_day[i] = 30  # as ListingHealth._close leaves it
            market.listing_health._closed = 1
        else:
            held = int(cat.stock[i])
            cat.write_off_lots(i, held)
            market.cfg = market.cfg.model_copy(update={"returns": market.cfg.returns.model_copy(
                update={"resellable_share": 0.0})})  # fmt: skip
        days = [market.simulate(day, FULL_SERVICE) for day in range(20, 30)]
        rank_after[arm] = float(cat.rank[i])
        assert cat.sold[i] == sold
        assert all(d.ad_spend_usd.sum() == 0 for d in days), "no ads while unavailable"
        assert sum(d.lost_units[i] for d in days) > 0, "its shoppers count as lost sales"
        if arm == "closed":
            after = [market.simulate(day, FULL_SERVICE) for day in range(30, 40)]
            assert sum(int(d.units.sum()) for d in after) > 0
            assert [e[0] for e in model.events.of_kind("listing_reopened")] == [30]
    assert rank_after["closed"] == pytest.approx(rank_after["out of stock"], rel=1e-9)


def test_a_defective_product_gets_its_listing_closed_in_a_full_run(load) -> None:
    """Through the whole chain (defects -> returns -> closure), paired on one seed: only the defective
    catalogue's listings close. Defects' one-star reviews are switched off in both arms, as they would
    otherwise stop the defective products selling before their returns are judged."""
    closures = {}
    for best in (0.01, 0.15):
        scenario = load(
            "solo_then_hire", f"supply.defect_rate_best={best}", "supply.defect_rate_untended=0.15",
            "market.reviews.defect_review_weight=0", "simulation.days=540",
        )  # fmt: skip
        model = SellerModel(scenario)
        model.run()
        closures[best] = len(model.events.of_kind("listing_closed"))
    assert closures[0.01] == 0
    assert closures[0.15] > 0


def test_an_order_defect_rate_over_the_limit_suspends_only_when_warnings_go_unanswered(load) -> None:
    """With every order defective the ODR is far over the limit; answered warnings (after-sales fully
    done) never end in a suspension, unanswered ones soon do."""
    scenario = load("base", "market.account_health.base_defect_rate=0.05")
    suspensions = {}
    for s_after in (1.0, 0.0):
        model = SellerModel(scenario)
        cat, market = model.catalog, model.market
        i = cat.add(make_product(), 0.4, 20.0)
        cat.receive(i, 100_000, 0, 10.0)
        market.launch(i, 0)
        service = FULL_SERVICE.copy()
        service[DOMAIN_INDEX["after_sales"]] = s_after
        for day in range(300):
            market.simulate(day, service)
        suspensions[s_after] = len(model.events.of_kind("suspension"))
    assert suspensions[1.0] == 0
    assert suspensions[0.0] > 0


def test_a_listing_is_judged_on_the_orders_whose_returns_have_come_in(base) -> None:
    """Returns come back ``lag_days`` after the sale: the window holds the orders of those days, so a sudden
    stop in sales (a stock-out) does not make the same returns look like a higher rate."""
    model, i = one_product_on_sale(base)
    cat, market = model.catalog, model.market
    units = [int(market.simulate(day, FULL_SERVICE).units[i]) for day in range(40)]
    lag = base.market.returns.lag_days
    assert sum(units[: 40 - lag]) > 0
    assert market.listing_health._window[0, i] == sum(units[: 40 - lag])
    assert market.listing_health._window[1, i] == cat.restocked[i] + cat.written_off[i]


def test_a_closure_sends_the_seller_looking_for_its_cause(base) -> None:
    calls = []
    cat = Catalog()
    cat.add(make_product("P0", return_rate=0.05), 0.1, 0.0)
    health = ListingHealth(
        cfg=base.market.listing_health, catalog=cat, streams=RandomStreams(5), events=EventLog(),
        on_close=lambda **kw: calls.append(kw),
    )  # fmt: skip
    feed(health, range(120), 2, [0.4], seed=3, s_after=0.7)
    assert calls and all(c["product"] == 0 and c["s_after"] == 0.7 for c in calls)
    assert [c["day"] for c in calls] == [int(e[0]) for e in health.events.of_kind("listing_closed")]


def test_the_window_holds_only_its_last_days(base) -> None:
    """Orders older than ``window_days`` leave the window: a listing is judged on its recent record."""
    health, _ = watched(base, 1)
    window = base.market.listing_health.window_days
    feed(health, range(0, 20), orders=3, rates=[0.0], seed=1)  # a busy spell
    feed(health, range(20, 20 + window), orders=2, rates=[0.0], seed=2)  # then a quieter one, a whole window long
    orders, returns = health._window[:, 0]
    assert orders == 2 * window and returns == 0
