"""Purchase orders from factory to FBA, the Chinese New Year shutdown, and the reorder rule."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import simpy

from conftest import make_product
from sellersim.calendar import SimCalendar
from sellersim.domains import DOMAIN_INDEX, DOMAINS
from sellersim.events import EventLog
from sellersim.market.catalog import LIVE, Catalog
from sellersim.market.trends import expected_log_growth
from sellersim.money.ledger import BANK, Ledger
from sellersim.streams import RandomStreams
from sellersim.supply.capacity import FbaCapacity
from sellersim.supply.purchase_orders import PurchaseOrder, SupplyChain
from sellersim.supply.reorder import Replenisher
from sellersim.supply.supplier_events import SupplierEvents

STAGES = ["production", "awaiting_balance", "in_transit", "receiving", "arrived"]
BUFFER = 3000.0
PLACEMENT = 0.27


class Chain:
    """A supply chain on its own SimPy clock, with a catalogue of one product."""

    def __init__(self, scenario, cash: float = 1e6, service: float = 1.0, seed: int = 1, days: int = 400) -> None:
        self.env = simpy.Environment()
        self.calendar = SimCalendar.build(scenario.simulation.start_date, days, scenario.market, scenario.supply)
        self.catalog = Catalog()
        self.ledger = Ledger(cash)
        self.events = EventLog()
        self.launched: list[tuple[int, int]] = []
        self.service = np.full(len(DOMAINS), service)
        self.tax_owed_usd = 0.0
        # no limit until a test sets one (the model sets the month's limit each day: FbaCapacity.start_of_day)
        self.capacity = FbaCapacity(
            cfg=scenario.supply.fba_capacity,
            catalog=self.catalog,
            ledger=self.ledger,
            calendar=self.calendar,
            account_age_days=0,
        )
        self.supply = SupplyChain(
            env=self.env, cfg=scenario.supply, catalog=self.catalog, ledger=self.ledger, calendar=self.calendar,
            streams=RandomStreams(seed), events=self.events, capacity=self.capacity, service=lambda: self.service,
            cash_floor_usd=0.0,
            payment_buffer_usd=BUFFER, placement_usd_per_unit=PLACEMENT,
            on_launch=lambda i, d: self.launched.append((i, d)), on_order=lambda day, value, i: None,
            tax_owed_usd=lambda: self.tax_owed_usd, supplier_events=self.supplier_events(scenario, seed),
        )  # fmt: skip
        self.product = self.catalog.add(make_product(), 0.03, 20.0)

    def supplier_events(self, scenario, seed: int) -> SupplierEvents:
        """Factories that never go wrong: the chain's own timing and money, alone."""
        cfg = scenario.supply.supplier_events.model_copy(update={"enabled": False})
        return SupplierEvents(
            cfg=cfg,
            catalog=self.catalog,
            ledger=self.ledger,
            streams=RandomStreams(seed),
            events=self.events,
            removal_fee_usd_per_unit=scenario.fees.removal_usd_per_unit,
            procurement_service=lambda: 1.0,
        )

    def order(self, day: int, units: int = 500, freight: str = "sea") -> PurchaseOrder:
        self.env.run(until=day)
        return self.supply.place(day, self.product, units, freight)

    def entries(self, category: str):
        led = self.ledger.to_frame()
        return led[led["category"] == category]


def day_in_summer(scenario) -> int:
    return (dt.date(scenario.simulation.start_date.year, 6, 15) - scenario.simulation.start_date).days


def day_before_cny(scenario, days_before: int) -> int:
    start = scenario.simulation.start_date
    cny = min(d for d in scenario.supply.chinese_new_year if (d - start).days > days_before)
    return (cny - start).days - days_before


def test_purchase_order_lifecycle_and_payments(base) -> None:
    chain = Chain(base)
    cfg = base.supply
    placed = day_in_summer(base)
    po = chain.order(placed, 500)
    assert chain.catalog.inbound[0] == 500 and chain.catalog.ordered[0] == 500
    chain.env.run(until=placed + 250)

    assert po.stage == "arrived"
    assert list(po.days) == STAGES
    days = [po.days[s] for s in STAGES]
    assert days == sorted(days)
    assert days[0] == placed
    production = po.days["awaiting_balance"] - po.days["production"]
    assert cfg.production_days.low <= production <= cfg.production_days.high + 1  # no CNY in June
    transit = po.days["receiving"] - po.days["in_transit"]
    assert round(cfg.sea_transit_days.low) <= transit <= round(cfg.sea_transit_days.high)  # no problems: logistics done
    receiving = po.days["arrived"] - po.days["receiving"]
    assert max(1, round(cfg.receiving_days.low)) <= receiving <= round(cfg.receiving_days.high)

    value = 500 * 6.0  # no markup when procurement work is done
    deposit = chain.entries("product_cost").iloc[0]
    assert (deposit["day"], deposit["account"]) == (placed, BANK)
    assert deposit["amount_usd"] == pytest.approx(-cfg.deposit_share * value)
    balance = chain.entries("product_cost").iloc[1]
    assert balance["day"] == po.days["in_transit"]
    assert balance["amount_usd"] == pytest.approx(-(1 - cfg.deposit_share) * value)
    freight = chain.entries("freight")
    assert list(freight["day"]) == [po.days["in_transit"]]
    per_unit = chain.supply.freight_usd_per_unit(0.8, 0.15, "sea")
    assert freight["amount_usd"].iloc[0] == pytest.approx(-(per_unit * 500 + cfg.shipment_fixed_usd))
    duty = chain.entries("duty")
    assert list(duty["day"]) == [po.days["receiving"]]
    assert duty["amount_usd"].iloc[0] == pytest.approx(-cfg.duty_rate * value)
    placement = chain.entries("placement_fee")
    assert list(placement["day"]) == [po.days["arrived"]]
    assert list(placement["account"].astype(str)) == ["amazon"]
    assert placement["amount_usd"].iloc[0] == pytest.approx(-PLACEMENT * 500)

    cat = chain.catalog
    assert (cat.inbound[0], cat.received[0]) == (0, 500)
    assert cat.stock[0] + cat.warehouse_lost[0] == 500
    landed = 6.0 * (1 + cfg.duty_rate) + (per_unit * 500 + cfg.shipment_fixed_usd) / 500
    assert cat.landed_usd[0] == pytest.approx(landed)
    assert chain.launched == [(0, po.days["arrived"])]
    assert chain.supply.open == []
    kinds = [e[1] for e in chain.events.of_kind("purchase_order") + chain.events.of_kind("shipped")]
    assert kinds == ["purchase_order", "shipped"]
    assert len(chain.events.of_kind("arrived")) == 1


def test_a_factory_credit_comes_off_the_products_next_order(base) -> None:
    """A credit the factory owes (a claimed bad run) is paid back the day the product's next order is placed,
    and only once."""
    chain = Chain(base)
    chain.supply.supplier_events.credits_usd[chain.product] = 120.0
    placed = day_in_summer(base)
    chain.order(placed, 500)
    chain.order(placed + 1, 500)
    credits = chain.ledger.to_frame().query("category == 'supplier_credit'")
    assert credits["amount_usd"].tolist() == [120.0] and credits["day"].tolist() == [placed]


def test_balances_go_out_late_when_nobody_does_the_books(base) -> None:
    waits = {}
    for finance in (1.0, 0.0):
        chain = Chain(base)
        chain.service[DOMAIN_INDEX["finance"]] = finance
        po = chain.order(day_in_summer(base))
        chain.env.run(until=day_in_summer(base) + 150)
        waits[finance] = po.days["in_transit"] - po.days["awaiting_balance"]
    assert waits[1.0] == 0, "with cash at hand and the books kept, the balance goes out the day production ends"
    assert waits[0.0] == base.supply.balance_late_days_untended


def test_open_order_counts_follow_the_stages(base) -> None:
    chain = Chain(base)
    po = chain.order(day_in_summer(base))
    chain.env.run(until=po.placed_day + 1)
    assert (chain.supply.open_orders, chain.supply.shipments) == (1, 0)
    assert chain.supply.committed_usd > 0
    chain.env.run(until=po.placed_day + base.supply.production_days.high + 5)
    assert po.stage == "in_transit"
    assert (chain.supply.open_orders, chain.supply.shipments) == (0, 1)


def test_untended_procurement_costs_more_per_unit(base) -> None:
    tended, untended = Chain(base, service=1.0), Chain(base, service=0.0)
    a, b = tended.order(10), untended.order(10)
    assert a.fob_usd == pytest.approx(6.0)
    assert b.fob_usd == pytest.approx(6.0 * (1 + base.supply.unit_cost_markup_untended))


def test_production_end_around_chinese_new_year(base) -> None:
    cal = SimCalendar.build(base.simulation.start_date, 800, base.market, base.supply)
    s = base.supply
    closed = s.cny_closed_days_before + s.cny_closed_days_after
    summer = day_in_summer(base)
    assert cal.production_end(summer, 35) == summer + 35
    before = day_before_cny(base, 25)
    assert cal.production_end(before, 35) - before >= 35 + closed
    # capacity is zero while the factory is closed, partial around it
    cny = before + 25
    assert (cal.factory_capacity[cny - s.cny_closed_days_before : cny + s.cny_closed_days_after] == 0).all()
    assert cal.factory_capacity[cny - s.cny_slowdown_days_before] == pytest.approx(s.cny_slowdown_capacity)
    assert cal.factory_capacity[cny + s.cny_ramp_days_after] == 1.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_order_before_chinese_new_year_takes_longer(base, seed: int) -> None:
    """Same luck (seed), two order dates: the one a few weeks before CNY waits out the shutdown."""
    s = base.supply
    closed = s.cny_closed_days_before + s.cny_closed_days_after
    pos = {}
    for label, day in (("cny", day_before_cny(base, 20)), ("summer", day_in_summer(base))):
        chain = Chain(base, seed=seed)
        pos[label] = chain.order(day)
        chain.env.run(until=day + 200)
    production = {k: po.days["awaiting_balance"] - po.days["production"] for k, po in pos.items()}
    assert production["cny"] >= production["summer"] + closed
    lead = {k: po.days["arrived"] - po.days["production"] for k, po in pos.items()}
    assert lead["cny"] > lead["summer"]


def test_factory_holds_goods_until_the_balance_can_be_paid(base) -> None:
    cfg = base.supply
    value = 500 * 6.0
    cash = cfg.deposit_share * value + 100.0  # the deposit and nothing like the balance
    chain = Chain(base, cash=cash)
    po = chain.order(day_in_summer(base))
    ready = po.placed_day + 80  # production is long over
    chain.env.run(until=ready)
    assert po.stage == "awaiting_balance"
    assert "in_transit" not in po.days
    assert chain.ledger.cash_usd == pytest.approx(100.0)
    assert len(chain.entries("product_cost")) == 1

    # cash comes in on `ready`: enough for balance, freight and the payment buffer
    need = (1 - cfg.deposit_share) * value + chain.supply.freight_usd_per_unit(0.8, 0.15, "sea") * 500
    need += cfg.shipment_fixed_usd + BUFFER
    chain.ledger.post(ready, BANK, "payout", need - 100.0 - 1.0)  # one dollar short
    chain.env.run(until=ready + 5)
    assert po.stage == "awaiting_balance"
    chain.ledger.post(ready + 5, BANK, "payout", 1.0)
    chain.env.run(until=ready + 7)
    assert po.days["in_transit"] == ready + 5
    assert chain.ledger.cash_usd == pytest.approx(BUFFER)


# --- the reorder rule ---------------------------------------------------------------------


class Shop(Chain):
    """A supply chain plus the reorder rule over one live product selling ``velocity`` a day."""

    def __init__(self, scenario, service: float, stock: int, velocity: float = 5.0, **kw) -> None:
        super().__init__(scenario, service=service, **kw)
        cat = self.catalog
        cat.status[0] = LIVE
        cat.launch_day[0] = 0
        cat.velocity[0] = velocity
        cat.receive(0, stock, 0, 10.0)
        self.policy = scenario.strategy.reorder
        self.replenisher = Replenisher(
            policy=self.policy, catalog=cat, supply=self.supply, calendar=self.calendar, rng=np.random.default_rng(0),
            service=lambda: self.service, launch_period_days=scenario.work.launch_period_days, ledger=self.ledger,
            removal_usd_per_unit=scenario.fees.removal_usd_per_unit, trend=scenario.market.niches.trend,
            forecast_noise_untended=scenario.supply.forecast_noise_untended,
        )  # fmt: skip

    def review(self, day: int) -> None:
        self.env.run(until=day + 1)
        self.replenisher.review(day)


def review_days(policy, first: int, last: int) -> list[int]:
    return [d for d in range(first, last) if d % policy.review_every_days == 0]


@pytest.mark.parametrize("seen_growth", [0.08, -0.6, 0.6])
def test_product_below_reorder_point_is_reordered_on_its_review_day(base, seen_growth: float) -> None:
    """Ordered up to the sales forecast over the order-up-to days: season by season, and along the niche's
    trend as the company sees it (its level halfway through the span stands for the whole span)."""
    shop = Shop(base, service=1.0, stock=200)  # 40 days of cover at 5 a day
    shop.catalog.growth_seen_per_year[0] = seen_growth
    shop.catalog.growth_per_year[0] = -seen_growth  # the true trend does not enter the forecast
    policy = shop.policy
    review = review_days(policy, 150, 200)[0]
    for day in range(review - policy.review_every_days + 1, review):
        shop.review(day)
    assert shop.supply.placed == 0, "ordered on a day that is not the product's review day"
    shop.review(review)
    assert shop.supply.placed == 1
    po = shop.supply.open[0]
    assert (po.placed_day, po.freight) == (review, policy.freight)
    base_rate = 5.0 / shop.calendar.seasonality[review]
    season_units = base_rate * shop.calendar.seasonality[review : review + int(policy.order_up_to_days)].sum()
    trend = np.exp(expected_log_growth(seen_growth, policy.order_up_to_days / 2, base.market.niches.trend))
    expected = season_units * trend - 200
    assert po.units == max(int(expected), base.supply.min_order_units)
    shop.review(review + policy.review_every_days)
    assert shop.supply.placed == 1, "inbound units count toward the stock position"


def placed_over(shop: Shop, days: range) -> int:
    for day in days:
        shop.review(day)
    return shop.supply.placed


def test_product_above_reorder_point_is_not_reordered(base) -> None:
    """Paired with the same product below its reorder point, which is reordered on the same days."""
    policy = base.strategy.reorder
    above = int(5 * 1.5 * policy.reorder_point_days) + 100
    assert placed_over(Shop(base, service=1.0, stock=above), range(150, 200)) == 0
    assert placed_over(Shop(base, service=1.0, stock=200), range(150, 200)) == 1


def test_nearly_empty_product_is_expedited_by_air(base) -> None:
    shop = Shop(base, service=1.0, stock=50)  # 10 days of cover, nothing inbound
    day = review_days(shop.policy, 150, 200)[0]
    shop.review(day)
    freights = [po.freight for po in shop.supply.open]
    assert freights[0] == "air", "the air bridge is ordered first"
    if shop.policy.freight != "air":
        assert freights == ["air", shop.policy.freight]
    air = shop.supply.open[0].units
    cover = int(shop.policy.air_cover_days)
    trend = np.exp(expected_log_growth(shop.catalog.growth_seen_per_year[0], cover / 2, base.market.niches.trend))
    bridge = 5.0 / shop.calendar.seasonality[day] * shop.calendar.seasonality[day : day + cover].sum() * trend
    assert air <= max(bridge, base.supply.min_order_units)


def test_no_inventory_control_means_no_reorders(base) -> None:
    """Paired with the same shop when inventory control is done, which reorders."""
    assert placed_over(Shop(base, service=0.0, stock=50), range(150, 300)) == 0
    assert placed_over(Shop(base, service=1.0, stock=50), range(150, 300)) >= 1


def test_no_cash_means_no_reorder(base) -> None:
    """Paired with the same shop holding the cash the order needs, which reorders."""
    assert placed_over(Shop(base, service=1.0, stock=200, cash=1000.0), range(150, 200)) == 0
    assert placed_over(Shop(base, service=1.0, stock=200), range(150, 200)) == 1


def test_reorders_per_review_follow_the_listing_service_level(base) -> None:
    """Each review is done with probability equal to the listing service level."""
    counts = {}
    for service in (0.3, 0.8):
        done = 0
        for seed in range(200):
            shop = Shop(base, service=service, stock=200, seed=seed)
            shop.replenisher.rng = np.random.default_rng(seed)
            shop.review(review_days(shop.policy, 150, 200)[0])
            done += shop.supply.placed > 0
        counts[service] = done / 200
    assert counts[0.3] == pytest.approx(0.3, abs=0.1)
    assert counts[0.8] == pytest.approx(0.8, abs=0.1)


def test_no_listing_skill_means_more_stockouts(load) -> None:
    """A founder who never does listing (inventory control) work runs out of stock more often.

    Launches ask for no listing work here, or a founder who cannot do any would never start a product.
    """
    from sellersim.api import run_scenario

    seeds = (1, 2, 3, 4, 5, 6)
    results = {}
    no_listing_at_launch = "work.drivers.launching_products={ads: 3.0, vision: 1.0}"
    for skill in ("0", "1"):
        runs = [
            run_scenario(load("never_hire", "simulation.days=400", f"simulation.seed={seed}",
                              f"company.founder.skills.listing={skill}", no_listing_at_launch))
            for seed in seeds
        ]  # fmt: skip
        results[skill] = runs
    neglected, tended = results["0"], results["1"]
    assert all(r.daily["service_listing"].iloc[-60:].max() < 0.05 for r in neglected)
    assert all(r.summary["products_launched"] >= 1 for r in tended), "no product launched: nothing to stock out"
    stockouts = {k: sum(r.summary["stockout_days"] for r in v) for k, v in results.items()}
    assert stockouts["0"] > 1.5 * stockouts["1"], stockouts
    orders = {k: [int((r.events["kind"] == "purchase_order").sum()) for r in v] for k, v in results.items()}
    assert sum(orders["0"]) < sum(orders["1"]), orders
    assert sum(a < b for a, b in zip(orders["0"], orders["1"], strict=True)) >= 4, orders  # of 6 paired runs


def test_orders_do_not_spend_tax_owed_unless_the_books_are_neglected(base) -> None:
    """Cash free for orders is cash less what open orders and accrued income tax will take; with no
    finance work done, half of those commitments are overlooked."""
    h = Chain(base, cash=50_000.0)
    h.order(1)
    committed = h.supply.committed_usd
    assert committed > 0, "the premise: an open order's balance and freight are still due"
    free = h.supply.spendable_usd()
    assert free == pytest.approx(h.ledger.cash_usd - committed)
    h.tax_owed_usd = 4_000.0
    assert h.supply.spendable_usd() == pytest.approx(free - 4_000.0)
    h.service[DOMAIN_INDEX["finance"]] = 0.0
    assert h.supply.spendable_usd() == pytest.approx(h.ledger.cash_usd - 0.5 * (committed + 4_000.0))
