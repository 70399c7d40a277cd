"""Income tax: quarterly estimates on the year's profit before the owner's pay, losses carried forward."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sellersim.api import run_scenario
from sellersim.calendar import SimCalendar
from sellersim.money.ledger import BANK, Ledger
from sellersim.money.tax import IncomeTax

RATE = 0.25


def _taxed(base, days: int, daily_profit) -> tuple[SimCalendar, np.ndarray]:
    """Run the tax over ``days`` days from 1 January with a profit per day; return the tax paid per day."""
    cal = SimCalendar.build(dt.date(2027, 1, 1), days, base.market, base.supply)
    ledger = Ledger(0.0)
    tax = IncomeTax(rate=RATE, ledger=ledger, calendar=cal, last_day=days - 1)
    paid = np.zeros(days)
    for day in range(days):
        tax.end_of_day(day)
        paid[day] = -ledger.close_day().get("income_tax", 0.0)
        tax.accrue(day, daily_profit(day))
    return cal, paid


def _day(cal: SimCalendar, month: int, day: int, year: int = 2027) -> int:
    return int(((cal.year == year) & (cal.month == month) & (cal.day_of_month == day)).nonzero()[0][0])


def test_estimates_fall_due_on_the_irs_dates_for_the_profit_to_each_period_end(base) -> None:
    cal, paid = _taxed(base, 500, lambda day: 100.0)
    due = {(4, 15): 90, (6, 15): 151, (9, 15): 243}  # days of profit through 31 March, 31 May, 31 August
    counted = 0
    for (month, day), days_counted in due.items():
        assert paid[_day(cal, month, day)] == pytest.approx(RATE * 100 * (days_counted - counted))
        counted = days_counted
    assert paid[_day(cal, 1, 15, 2028)] == pytest.approx(RATE * 100 * (365 - 243)), "the year's settlement"
    paydays = set(np.flatnonzero(paid))
    expected = {_day(cal, m, d) for m, d in due} | {_day(cal, 1, 15, 2028), _day(cal, 4, 15, 2028), 499}
    assert paydays == expected
    assert paid.sum() == pytest.approx(RATE * 100 * 499), "the last day settles the profit to the day before"


def test_an_early_profit_then_losses_is_paid_in_the_year_and_refunded_at_its_settlement(base) -> None:
    # 100 a day to the end of June, then 150 a day lost: the year ends 18,100 - 27,600 = 9,500 down
    cal, paid = _taxed(base, 400, lambda day: 100.0 if cal_month(day) <= 6 else -150.0)
    june = _day(cal, 6, 15)
    assert paid[june] > 0
    assert paid[_day(cal, 9, 15)] == 0, "no refund in the year: estimates are only ever topped up"
    refund = paid[_day(cal, 1, 15, 2028)]
    assert refund == pytest.approx(-paid[: _day(cal, 12, 31)].sum()), "the settlement returns every estimate"
    # the next year's profit is taxed only beyond the loss carried in
    later = paid[_day(cal, 1, 16, 2028) :].sum()
    assert later == 0.0, "the 9,500 carried in covers the 2028 days' -150 a day too"


def cal_month(day: int) -> int:
    return (dt.date(2027, 1, 1) + dt.timedelta(days=day)).month


def test_a_loss_carried_forward_shields_the_next_years_profit(base) -> None:
    # the first year loses 50 a day (18,250); the second earns 100 a day
    cal, paid = _taxed(base, 730, lambda day: -50.0 if day < 365 else 100.0)
    assert paid[:365].sum() == 0
    first_due = _day(cal, 4, 15, 2028)
    assert paid[first_due] == 0, "90 days x 100 = 9,000 < the 18,250 carried in"
    second = paid[_day(cal, 6, 15, 2028)]
    assert second == 0, "151 x 100 = 15,100 is still under it"
    third = paid[_day(cal, 9, 15, 2028)]
    assert third == pytest.approx(RATE * (244 * 100 - 18_250)), "2028 is a leap year: 244 days to 31 August"


def test_tax_takes_cash_but_not_profit_and_is_the_rate_on_profit_before_owners_pay(load) -> None:
    world = "simulation.seed=3"  # a world where the company loses money in its first year and then earns
    taxed = run_scenario(load("base", world))
    untaxed = run_scenario(load("base", world, "company.income_tax_rate=0"))
    d = taxed.daily
    assert untaxed.daily["income_tax_usd"].sum() == 0
    before_pay = (d["sde_usd"] - d["interest_usd"]).iloc[:-1]
    assert before_pay.sum() > 20_000, "the premise: a profitable run"
    by_year = before_pay.groupby(d["date"].dt.year.iloc[:-1]).sum()
    assert (by_year < 0).any(), "the premise: a first year's loss is carried forward"
    owed, carried = 0.0, 0.0
    for profit in by_year:
        owed += RATE * max(profit - carried, 0.0)
        carried = max(carried - profit, 0.0)
    assert d["income_tax_usd"].sum() == pytest.approx(owed, rel=1e-9)
    assert taxed.summary["cumulative_income_tax_usd"] == pytest.approx(d["income_tax_usd"].sum(), abs=0.01)
    np.testing.assert_allclose(d["profit_usd"], d["sde_usd"] - d["owners_pay_usd"] - d["interest_usd"])
    ledger = taxed.ledger
    paid_from_bank = ledger[(ledger["category"] == "income_tax") & (ledger["account"] == BANK)]["amount_usd"].sum()
    assert -paid_from_bank == pytest.approx(d["income_tax_usd"].sum(), abs=0.01), "the tax leaves the bank"


def test_tax_leaves_less_cash_at_the_end_paired_over_worlds(load) -> None:
    """Paired over eight worlds: the taxed company ends with less cash than the untaxed one on average. (By less
    than the tax: it keeps back what it owes when it orders, so it holds less stock, and single worlds differ.)"""
    cash_gap, tax = [], []
    for seed in range(1, 9):
        world = f"simulation.seed={seed}"
        taxed = run_scenario(load("base", world))
        untaxed = run_scenario(load("base", world, "company.income_tax_rate=0"))
        cash_gap.append(taxed.summary["final_cash_usd"] - untaxed.summary["final_cash_usd"])
        tax.append(taxed.summary["cumulative_income_tax_usd"])
    assert np.mean(tax) > 5_000, "the premise: the company pays tax"
    assert np.mean(cash_gap) < 0
