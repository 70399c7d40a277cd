"""Amazon's payout cycle: proceeds are held (DD+7), paid out every cycle, and land days later."""

from __future__ import annotations

import pytest
import simpy

from sellersim.money.ledger import AMAZON, BANK, Ledger
from sellersim.money.payouts import PayoutCycle

HORIZON = 120


def cycle(base) -> tuple[simpy.Environment, Ledger, PayoutCycle]:
    env = simpy.Environment()
    ledger = Ledger(1000.0)
    return (
        env,
        ledger,
        PayoutCycle(env=env, ledger=ledger, cfg=base.payouts, horizon_days=HORIZON, on_payout=lambda day, amount: None),
    )


def sell(env: simpy.Environment, ledger: Ledger, payouts: PayoutCycle, day: int, amount: float) -> None:
    """Book a sale on ``day`` the way the market does: into the Amazon balance, held until release."""
    env.run(until=day + 1)  # the day's SimPy events run before the market sells
    ledger.post(day, AMAZON, "sales", amount)
    payouts.hold(day, amount)


def arrival_day(ledger: Ledger) -> int:
    led = ledger.to_frame()
    payouts = led[(led["category"] == "payout") & (led["account"] == BANK)]
    assert len(payouts) == 1, payouts
    return int(payouts["day"].iloc[0])


@pytest.mark.parametrize("sale_day", range(0, 40))
def test_cash_of_one_sale_lands_11_to_25_days_later(base, sale_day: int) -> None:
    env, ledger, payouts = cycle(base)
    sell(env, ledger, payouts, sale_day, 500.0)
    env.run(until=HORIZON)
    lag = arrival_day(ledger) - sale_day
    assert 11 <= lag <= 25
    assert ledger.cash_usd == pytest.approx(1500.0)
    assert ledger.amazon_balance_usd == pytest.approx(0.0)


def test_lag_follows_the_configured_cycle(base) -> None:
    """The lag is hold + wait for the next payout day + transfer; over a cycle every wait occurs once."""
    p = base.payouts
    hold = p.delivery_days + p.reserve_days
    lags = []
    for sale_day in range(p.cycle_days, 2 * p.cycle_days):
        env, ledger, payouts = cycle(base)
        sell(env, ledger, payouts, sale_day, 100.0)
        env.run(until=HORIZON)
        lags.append(arrival_day(ledger) - sale_day)
    assert min(lags) == hold + p.transfer_days
    assert max(lags) == hold + p.cycle_days - 1 + p.transfer_days
    assert len(set(lags)) == p.cycle_days


def test_held_proceeds_are_not_paid_out_early(base) -> None:
    """A sale just before a payout day stays in the Amazon balance through that payout."""
    env, ledger, payouts = cycle(base)
    c = base.payouts.cycle_days
    sell(env, ledger, payouts, 2 * c - 1, 300.0)
    env.run(until=2 * c + base.payouts.transfer_days + 1)
    assert ledger.cash_usd == pytest.approx(1000.0)
    assert ledger.amazon_balance_usd == pytest.approx(300.0)
    assert payouts.held_usd(2 * c) == pytest.approx(300.0)


def test_daily_sales_are_all_paid_out_eventually(base) -> None:
    env, ledger, payouts = cycle(base)
    for day in range(60):
        sell(env, ledger, payouts, day, 10.0 + day)
    env.run(until=HORIZON)
    total = sum(10.0 + d for d in range(60))
    assert ledger.cash_usd == pytest.approx(1000.0 + total)
    assert ledger.amazon_balance_usd == pytest.approx(0.0)


def test_negative_amazon_balance_is_charged_to_the_bank(base) -> None:
    env, ledger, _ = cycle(base)
    env.run(until=3)
    ledger.post(2, AMAZON, "storage_fee", -250.0)
    c = base.payouts.cycle_days
    env.run(until=c + 1)
    led = ledger.to_frame()
    charges = led[led["category"] == "card_charge"]
    assert set(charges["day"]) == {c}
    assert dict(zip(charges["account"].astype(str), charges["amount_usd"], strict=True)) == {
        BANK: -250.0,
        AMAZON: 250.0,
    }
    assert ledger.cash_usd == pytest.approx(750.0)
    assert ledger.amazon_balance_usd == pytest.approx(0.0)
    assert not (led["category"] == "payout").any()
