"""Outside money: a credit line's interest on what is drawn, and equity raised for a share of the company."""

from __future__ import annotations

import numpy as np
import pytest

from sellersim.api import run_scenario

FULL_TEAM = "full_team_day_one"
LINE = ("company.starting_cash_usd=20000", "company.credit_line_usd=150000", "company.credit_line_apr=0.15")
NO_RAISE = "strategy.financing.equity=[]"


def test_interest_is_the_daily_rate_on_what_is_drawn_charged_at_each_month_end(load) -> None:
    result = run_scenario(load(FULL_TEAM, "simulation.days=400", NO_RAISE, *LINE))
    d = result.daily
    # the cash interest was worked out on: the day's cash before that day's charge (at a month's end)
    basis = d["cash_usd"] + d["interest_usd"]
    drawn = np.clip(-basis, 0.0, 150_000)
    assert drawn.max() > 20_000, "the premise: the full team draws on the line"
    month = d["date"].dt.to_period("M")
    expected = (drawn * 0.15 / 365).groupby(month).sum()
    charged = d["interest_usd"].groupby(month).sum()
    assert len(charged) == 14 and expected.iloc[-1] > 0, "the run ends in a month with interest accrued"
    np.testing.assert_allclose(charged.to_numpy(), expected.to_numpy(), rtol=1e-9, atol=1e-9)
    charge_days = d.loc[d["interest_usd"] > 0]
    assert (charge_days["date"].dt.is_month_end | (charge_days.index == d.index[-1])).all()
    np.testing.assert_allclose(d["profit_usd"], d["sde_usd"] - d["owners_pay_usd"] - d["interest_usd"])
    assert result.summary["cumulative_interest_usd"] == pytest.approx(d["interest_usd"].sum(), abs=0.01)


def test_without_a_line_nothing_accrues_even_on_the_day_cash_runs_out(load) -> None:
    result = run_scenario(load(FULL_TEAM, NO_RAISE, "company.starting_cash_usd=20000"))
    assert not result.summary["survived"], "the premise: the team runs the cash out"
    assert result.daily["interest_usd"].sum() == 0
    assert result.daily["cash_usd"].iloc[-1] < 0


def test_a_line_keeps_the_company_going_where_no_line_ends_it(load) -> None:
    without = run_scenario(load(FULL_TEAM, NO_RAISE, "company.starting_cash_usd=20000"))
    with_line = run_scenario(load(FULL_TEAM, NO_RAISE, *LINE))
    assert with_line.summary["days_simulated"] > without.summary["days_simulated"]
    cash = with_line.daily["cash_usd"]
    assert cash.min() < 0 and (cash.iloc[:-1] >= -150_000).all(), "it draws on the line, within the limit"


def test_equity_is_raised_once_when_its_rule_first_holds_and_is_cash_not_profit(load) -> None:
    rounds = "strategy.financing.equity=[{when: 'day >= 10', amount_usd: 50000, share_of_company: 0.1}, " + (
        "{when: 'day >= 20', amount_usd: 30000, share_of_company: 0.25}]"
    )
    result = run_scenario(load("never_hire", "simulation.days=60", rounds))
    ledger = result.ledger
    raised = ledger[ledger["category"] == "equity"]
    assert list(raised["day"]) == [10, 20] and list(raised["amount_usd"]) == [50000, 30000]
    assert (raised["account"] == "bank").all()
    d = result.daily
    assert d["equity_usd"].sum() == 80000 and result.summary["equity_raised_usd"] == 80000
    assert result.summary["founder_ownership"] == pytest.approx(0.9 * 0.75)
    assert list(d["founder_ownership"].iloc[[9, 10, 19, 20]]) == pytest.approx([1.0, 0.9, 0.9, 0.675])
    # the money is in the bank but in no line of the income statement
    statement = ["revenue_usd", "sde_usd", "profit_usd"]
    plain = run_scenario(load("never_hire", "simulation.days=60")).daily
    np.testing.assert_array_equal(d[statement].to_numpy()[:10], plain[statement].to_numpy()[:10])
    assert d["cash_usd"].iloc[10] - plain["cash_usd"].iloc[10] == pytest.approx(50000)
    events = result.events
    assert list(events.loc[events["kind"] == "equity_raised", "day"]) == [10, 20]


def test_the_funded_start_up_outlives_the_same_team_unfunded(load) -> None:
    funded = run_scenario(load(FULL_TEAM))
    unfunded = run_scenario(load(FULL_TEAM, NO_RAISE))
    assert funded.summary["equity_raised_usd"] == 200000 and funded.summary["founder_ownership"] == 0.8
    assert funded.summary["days_simulated"] > unfunded.summary["days_simulated"]


LOANS = "strategy.financing.inventory_loans={when: 'day >= 0', share_of_order: 0.7, fee_share: 0.12, "
LIMIT = "repay_share_of_payout: 0.15, limit_usd: 30000}"


def test_a_lender_advances_part_of_each_order_and_takes_a_share_of_each_payout_until_repaid(load) -> None:
    result = run_scenario(load("solo_then_hire", "simulation.days=500", LOANS + LIMIT))
    led = result.ledger
    orders = led[(led["category"] == "product_cost")]
    advances = led[led["category"] == "loan"]
    assert len(advances) >= 2, "the premise: orders were placed and funded"
    placed = result.events[result.events["kind"] == "purchase_order"]
    first = placed.iloc[0]
    # the first advance is 70% of the first order's factory value, on the day it was placed
    assert advances.iloc[0]["day"] == first["day"]
    assert advances.iloc[0]["amount_usd"] == pytest.approx(0.7 * first["amount_usd"])
    assert orders["day"].min() == first["day"]
    # never more than the limit owed, fee included
    d = result.daily
    assert d["loan_owed_usd"].max() <= 30000 + 1e-6
    # every repayment is 15% of the payout that landed that day (or what was left), split 1 : 0.12
    payouts = led[led["category"] == "payout"]
    payouts = payouts[payouts["account"] == "bank"].groupby("day")["amount_usd"].sum()
    principal = -led[led["category"] == "loan_repayment"].groupby("day")["amount_usd"].sum()
    fee = -led[led["category"] == "interest"].groupby("day")["amount_usd"].sum()
    assert len(principal) > 5
    np.testing.assert_allclose(fee.loc[principal.index], principal * 0.12, rtol=1e-9)
    paid = principal + fee
    full = np.isclose(paid, 0.15 * payouts.loc[paid.index], rtol=1e-9)
    cleared = d["loan_owed_usd"].to_numpy()[paid.index] < 1e-6  # the last one takes only what was left
    assert (full | cleared).all() and full.sum() >= len(paid) - 3
    assert (paid <= 0.15 * payouts.loc[paid.index] + 1e-6).all()
    # what was advanced comes back with its fee: repaid plus still owed
    assert paid.sum() + d["loan_owed_usd"].iloc[-1] == pytest.approx(advances["amount_usd"].sum() * 1.12)
    assert result.summary["inventory_loans_usd"] == pytest.approx(advances["amount_usd"].sum(), abs=0.01)
    assert result.summary["final_loan_owed_usd"] == pytest.approx(d["loan_owed_usd"].iloc[-1], abs=0.01)
    owed = d["loan_owed_usd"].iloc[-1]
    assert owed > 0, "the premise: a loan still open at the end"
    assert result.summary["final_cash_less_loans_usd"] == pytest.approx(d["cash_usd"].iloc[-1] - owed, abs=0.01)
    np.testing.assert_allclose(d["profit_usd"], d["sde_usd"] - d["owners_pay_usd"] - d["interest_usd"])


def test_without_loans_nothing_is_advanced_or_withheld(load) -> None:
    result = run_scenario(load("solo_then_hire", "simulation.days=300"))
    categories = set(result.ledger["category"])
    assert not categories & {"loan", "loan_repayment", "interest"}
    assert result.summary["inventory_loans_usd"] == 0 and result.summary["final_loan_owed_usd"] == 0


def test_the_lender_funds_only_a_seller_with_sales_history(load) -> None:
    """The default terms (six months of sales and $10k a month): a new seller's first orders are its own."""
    world = "simulation.seed=3"  # a world where the company grows enough to qualify
    result = run_scenario(load("solo_then_hire", world, "strategy.financing.inventory_loans.share_of_order=0.7"))
    led, events = result.ledger, result.events
    advances = led[led["category"] == "loan"]
    first_order = events.loc[events["kind"] == "purchase_order", "day"].min()
    assert len(advances) > 0, "the premise: the company grows enough to qualify"
    assert advances["day"].min() >= 180 and advances["day"].min() > first_order
    revenue = result.daily["revenue_usd"].to_numpy()
    for day in advances["day"]:
        assert revenue[day - 90 : day].sum() / 3 >= 10000 * 0.9  # the last three months' average, give or take a day
