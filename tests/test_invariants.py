"""Invariants every run must keep: money balances, units are conserved, the P&L adds up.

The ``check_*`` functions are also used by ``test_properties.py`` on perturbed scenarios.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pandas as pd
import pytest

from conftest import STRATEGY_FILES
from sellersim.api import collect, load_scenario
from sellersim.model import SellerModel
from sellersim.money.income import FEE_COLUMNS
from sellersim.results.run import RunResult

SEEDS = (1, 2, 3)
DAYS = 400

# daily column -> ledger category it must equal the negative of, day by day: each fee line is named for its
# ledger category (referral_fees_usd totals referral_fee), which this derives rather than copies from income.py
FEE_CATEGORIES = {column: column.removesuffix("s_usd") for column in FEE_COLUMNS} | {
    "seller_plan_usd": "seller_plan",
    "payroll_usd": "salaries",
    "ad_spend_usd": "ads",
    "refunds_usd": "refunds",
}


def run(scenario) -> tuple[SellerModel, RunResult]:
    model = SellerModel(scenario)
    model.run()
    return model, collect(model)


@cache
def shipped_run(strategy: str, seed: int) -> tuple[SellerModel, RunResult]:
    scenario = load_scenario(STRATEGY_FILES[strategy], [f"simulation.seed={seed}", f"simulation.days={DAYS}"])
    return run(scenario)


def _close(actual, expected, what: str) -> None:
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    scale = max(1.0, float(np.nanmax(np.abs(expected), initial=0.0)))
    bad = ~np.isclose(actual, expected, rtol=1e-9, atol=1e-7 * scale)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise AssertionError(
            f"{what}: {bad.sum()} mismatches; first at index {k}: got {actual[k]!r}, expected {expected[k]!r}"
        )


def _ledger_by_day(result: RunResult, mask: pd.Series) -> pd.Series:
    """Sum of ledger amounts selected by ``mask`` per simulated day (0 on days without entries)."""
    days = result.daily["day"]
    return result.ledger[mask].groupby("day", observed=True)["amount_usd"].sum().reindex(days, fill_value=0.0)


# --- checks ---------------------------------------------------------------------------


def check_ledger_balances(result: RunResult) -> None:
    """Cash and the Amazon balance are the running sums of their ledger entries on every day."""
    led, daily = result.ledger, result.daily
    assert (led["day"] <= daily["day"].iloc[-1]).all(), "ledger entries after the last recorded day"
    assert (led["day"] >= 0).all()
    start = result.scenario.company.starting_cash_usd
    for account, column, opening in (("bank", "cash_usd", start), ("amazon", "amazon_balance_usd", 0.0)):
        running = opening + _ledger_by_day(result, led["account"] == account).cumsum()
        _close(daily[column], running, f"{column} vs {account} ledger")
    # a payout or card charge moves money between the accounts and creates none
    for category in ("payout", "card_charge"):
        moved = led[led["category"] == category].groupby("account", observed=True)["amount_usd"].sum()
        assert abs(moved.get("bank", 0.0) + moved.get("amazon", 0.0)) < 1e-6, category


def check_units(model: SellerModel) -> None:
    """Every unit ordered is received or still inbound; every unit received is accounted for."""
    cat = model.catalog
    for col in ("ordered", "received", "inbound", "stock", "sold", "restocked", "warehouse_lost", "given_away"):
        assert (getattr(cat, col) >= 0).all(), f"negative {col}: {getattr(cat, col)}"
    np.testing.assert_array_equal(cat.ordered, cat.received + cat.inbound, err_msg="ordered != received + inbound")
    open_units = np.zeros(cat.n, dtype=np.int64)
    for po in model.supply.open:
        open_units[po.product] += po.units - po.delivered  # an order held at AWD arrives in parts
    np.testing.assert_array_equal(cat.inbound, open_units, err_msg="inbound != units on open purchase orders")
    np.testing.assert_array_equal(
        cat.received + cat.restocked,
        cat.sold + cat.stock + cat.warehouse_lost + cat.given_away + cat.removed,
        err_msg="received + restocked != sold + stock + lost + given away + removed",
    )
    assert (cat.restocked + cat.written_off <= cat.sold).all(), "more units returned than sold"
    lots = cat.lot_units
    assert (lots >= 0).all(), "negative FIFO lot"
    np.testing.assert_array_equal(lots.sum(axis=1), cat.stock, err_msg="FIFO lots do not add up to stock")


def check_stock(result: RunResult) -> None:
    """Stock is never negative, and the company and product records agree on it."""
    products, daily = result.products, result.daily
    assert (products["stock_units"] >= 0).all(), products[products["stock_units"] < 0].head()
    assert (daily["inventory_units"] >= 0).all()
    assert (daily["inbound_units"] >= 0).all()
    by_day = products.groupby("day")[["stock_units", "units_sold", "revenue_usd"]].sum().reindex(daily["day"])
    by_day = by_day.fillna(0.0)
    _close(daily["inventory_units"], by_day["stock_units"], "inventory_units vs products' stock")
    _close(daily["units_sold"], by_day["units_sold"], "units_sold vs products")
    _close(daily["revenue_usd"], by_day["revenue_usd"], "revenue vs products")
    assert (daily["lost_sales_units"] >= 0).all()


def check_pnl(result: RunResult) -> None:
    """SDE is revenue less refunds, fees, ads, COGS, payroll and overhead, plus reimbursements; profit is
    SDE less the owner's pay and interest. Equity, loans and income tax (the owners' tax on a pass-through
    business's profit) are cash, in no line of the P&L.

    Each cost column is also checked against the ledger entries of its day.
    """
    d, led = result.daily, result.ledger
    expected = (
        d["revenue_usd"]
        - d["refunds_usd"]
        - d[list(FEE_COLUMNS)].sum(axis=1)
        - d["ad_spend_usd"]
        - d["cogs_usd"]
        - d["payroll_usd"]
        - d["overhead_usd"]
        + d["reimbursements_usd"]
    )
    _close(d["sde_usd"], expected, "sde_usd identity")
    _close(d["profit_usd"], d["sde_usd"] - d["owners_pay_usd"] - d["interest_usd"], "profit_usd identity")
    _close(d["owners_pay_usd"], -_ledger_by_day(result, led["category"] == "owners_pay"), "owner's pay vs ledger")
    _close(d["interest_usd"], -_ledger_by_day(result, led["category"] == "interest"), "interest vs ledger")
    _close(d["income_tax_usd"], -_ledger_by_day(result, led["category"] == "income_tax"), "income tax vs ledger")
    _close(d["equity_usd"], _ledger_by_day(result, led["category"] == "equity"), "equity vs ledger")
    _close(d["loans_usd"], _ledger_by_day(result, led["category"] == "loan"), "loans vs ledger")
    payroll = -_ledger_by_day(result, led["category"].isin(["salaries", "agency_fees"]))
    _close(d["payroll_usd"], payroll, "payroll vs ledger salaries + agency fees")
    for column, category in FEE_CATEGORIES.items():
        _close(d[column], -_ledger_by_day(result, led["category"] == category), f"{column} vs ledger {category}")
    _close(d["revenue_usd"], _ledger_by_day(result, led["category"] == "sales"), "revenue vs ledger sales")
    money_back = _ledger_by_day(result, led["category"].isin(["reimbursement", "supplier_credit"]))
    _close(d["reimbursements_usd"], money_back, "reimbursements vs ledger: Amazon's and factories' credits")
    overhead = -_ledger_by_day(result, led["category"].isin(["tools", "seller_plan", "hiring", "samples", "penalties"]))
    _close(d["overhead_usd"], overhead, "overhead vs ledger tools + seller plan + hiring + samples + penalties")
    # ACoS is ad spend over the sales credited to ads, TACoS over all revenue; blank without a divisor
    for ratio, divisor in (("acos", "ad_sales_usd"), ("tacos", "revenue_usd")):
        sold = d[divisor] > 0
        _close(d[ratio][sold], (d["ad_spend_usd"] / d[divisor])[sold], f"{ratio} = ad spend / {divisor}")
        assert d[ratio][~sold].isna().all(), f"{ratio} is blank on days without {divisor}"
        total = d[divisor].sum()
        expected = round(float(d["ad_spend_usd"].sum() / total), 4) if total > 0 else None
        assert result.summary[ratio] == expected, f"the run's {ratio} is its total ad spend over its total {divisor}"
    # costs are never negative; COGS and referral fees may be, being net of returns
    gross = [c for c in FEE_COLUMNS if c != "referral_fees_usd"]
    for column in (
        "revenue_usd",
        "refunds_usd",
        "payroll_usd",
        "ad_spend_usd",
        "overhead_usd",
        "owners_pay_usd",
        "interest_usd",
        "equity_usd",
        "loans_usd",
        *gross,
    ):
        assert (d[column] >= -1e-9).all(), f"{column} negative on some day"


def check_all(model: SellerModel, result: RunResult) -> None:
    check_ledger_balances(result)
    check_units(model)
    check_stock(result)
    check_pnl(result)


# --- tests ----------------------------------------------------------------------------

CASES = [(s, seed) for s in STRATEGY_FILES for seed in SEEDS]


@pytest.mark.parametrize(("strategy", "seed"), CASES)
def test_ledger_balances_every_day(strategy: str, seed: int) -> None:
    check_ledger_balances(shipped_run(strategy, seed)[1])


@pytest.mark.parametrize(("strategy", "seed"), CASES)
def test_units_are_conserved(strategy: str, seed: int) -> None:
    model, result = shipped_run(strategy, seed)
    check_units(model)
    check_stock(result)


@pytest.mark.parametrize(("strategy", "seed"), CASES)
def test_profit_identity(strategy: str, seed: int) -> None:
    check_pnl(shipped_run(strategy, seed)[1])


def test_runs_exercise_the_invariants() -> None:
    """The checks above are only worth something if the runs sold, ordered and paid out."""
    model, result = shipped_run("never_hire", 1)
    cats = set(result.ledger["category"].astype(str))
    assert {"sales", "payout", "product_cost", "freight", "duty", "placement_fee", "storage_fee"} <= cats
    assert model.catalog.sold.sum() > 0
    assert model.catalog.restocked.sum() > 0
    d = result.daily
    assert ((d["ad_sales_usd"] > 0) & (d["ad_sales_usd"] < d["revenue_usd"])).any(), "ads sold part of the revenue"


def test_checks_catch_a_broken_ledger() -> None:
    """A cash figure off by a cent on one day fails the ledger check."""
    _, result = shipped_run("never_hire", 1)
    daily = result.daily.copy()
    daily.loc[200, "cash_usd"] += 0.01
    broken = dataclasses.replace(result, daily=daily)
    with pytest.raises(AssertionError, match="cash_usd vs bank ledger"):
        check_ledger_balances(broken)


def test_the_checks_hold_on_deal_days_with_products_entered() -> None:
    """The shipped runs enter few deals (at Amazon's $500 peak-event fee few products' lift pays): at a $5 fee
    an established company enters some on Prime Day (unless its account is suspended then), and its money,
    units and P&L still add up."""
    entered_any = False
    for seed in SEEDS:
        overrides = [
            f"simulation.seed={seed}", f"simulation.days={DAYS}", "fees.deal_fee_usd=5",
            "company.existing.products=16", "company.starting_cash_usd=150000",
        ]  # fmt: skip
        model, result = run(load_scenario(STRATEGY_FILES["never_hire"], overrides))
        check_all(model, result)
        (entered,) = model.market.deal_entries.values()
        assert result.daily["deal_fees_usd"].sum() == pytest.approx(5 * entered.sum())
        entered_any |= bool(entered.any())
    assert entered_any


def test_the_recorder_refuses_company_figures_that_are_not_its_columns_in_order() -> None:
    from sellersim.domains import DOMAINS
    from sellersim.recorder import COMPANY_COLUMNS, Recorder

    def recorder() -> Recorder:
        r = Recorder(days=3, roles=())
        r.record_work_week(*(np.zeros(len(DOMAINS)) for _ in range(3)))
        return r

    figures = {c: float(k) for k, c in enumerate(COMPANY_COLUMNS)}
    right = recorder()
    right.record_day(0, figures, {})
    assert [right.daily[c][0] for c in COMPANY_COLUMNS] == list(figures.values())
    swapped = dict(reversed(list(figures.items())))
    with pytest.raises(KeyError, match="their order"):
        recorder().record_day(0, swapped, {})
    with pytest.raises(KeyError, match="extra_usd"):
        recorder().record_day(0, figures | {"extra_usd": 1.0}, {})
