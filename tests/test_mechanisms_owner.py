"""Money the founder's choices move: the owner's pay, agency fees and filing penalties."""

from __future__ import annotations

import numpy as np
import pytest

from sellersim.api import run_scenario
from sellersim.model import SellerModel


def test_owners_pay_is_paid_when_its_rule_holds_and_profit_is_counted_after_it(load) -> None:
    always = run_scenario(
        load("never_hire", "simulation.days=200", "strategy.owner_pay={when: 'day >= 0', usd_per_month: 1000}")
    )
    never = run_scenario(
        load("never_hire", "simulation.days=200", "strategy.owner_pay={when: 'day < 0', usd_per_month: 1000}")
    )
    d = always.daily
    paid = d.loc[d["owners_pay_usd"] > 0]
    assert (paid["owners_pay_usd"] == 1000).all()
    assert list(paid["date"].dt.is_month_end) == [True] * len(paid) and len(paid) == 6
    np.testing.assert_allclose(d["profit_usd"], d["sde_usd"] - d["owners_pay_usd"])
    assert never.daily["owners_pay_usd"].sum() == 0
    assert always.summary["cumulative_owners_pay_usd"] == 6000
    assert always.summary["cumulative_sde_usd"] == pytest.approx(always.summary["cumulative_profit_usd"] + 6000)
    # the pay leaves the bank, so the company paying itself has less cash by exactly that much at first
    month = d["date"].dt.month == 1
    assert never.daily.loc[month, "cash_usd"].iloc[-1] - d.loc[month, "cash_usd"].iloc[-1] == pytest.approx(1000)


def test_an_agency_is_paid_a_share_of_ad_spend_with_a_minimum(base) -> None:
    m = SellerModel(base)
    spec = base.roles["ppc_agency"]
    agency = m.recruiter.hire("ppc_agency", 0)
    bills, led = m.bills, m.ledger
    month_end = int(np.flatnonzero(m.calendar.day_of_month[1:] == 1)[0])  # last day of the first month
    for day in range(month_end + 1):
        led.post(day, "bank", "ads", -400.0)  # $400 of ads a day
        bills.end_of_day(day, [m.founder, agency], lambda: 0.0)
        led.close_day()
    fees = led.to_frame().query("category == 'agency_fees'")["amount_usd"]
    spend = 400.0 * (month_end + 1)
    assert fees.sum() == pytest.approx(-max(spec.salary_usd_per_month, spec.fee_share_of_ad_spend * spend))
    assert spec.fee_share_of_ad_spend * spend > spec.salary_usd_per_month, "the share, not the minimum, applies here"


@pytest.mark.parametrize(("service", "expected"), [(1.0, 0), (0.0, 4)])
def test_quarterly_filings_are_missed_only_when_finance_work_is_not_done(base, service, expected) -> None:
    m = SellerModel(base)
    m.bills.finance_service = lambda: service
    for day in range(364):
        m.bills.end_of_day(day, [m.founder], lambda: 0.0)
    penalties = m.ledger.to_frame().query("category == 'penalties'")["amount_usd"]
    assert len(penalties) == expected
    assert (penalties == -base.company.late_filing_penalty_usd).all()
