"""Amazon's disbursement cycle as a SimPy process.

Net proceeds of a sale are held until ``delivery_days + reserve_days`` after it
(DD+7); every ``cycle_days`` the released balance is sent to the bank and lands
``transfer_days`` later. A negative seller balance is charged to the company's
card on payout day.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import numpy as np
import simpy

from sellersim.money.ledger import AMAZON, BANK, Ledger
from sellersim.scenario.schema import Payouts


class PayoutCycle:
    """Holds sale proceeds until release and pays the released balance out on a fixed cycle."""

    def __init__(
        self,
        *,
        env: simpy.Environment,
        ledger: Ledger,
        cfg: Payouts,
        horizon_days: int,
        on_payout: Callable[[int, float], None],
    ) -> None:
        self.env = env
        self.on_payout = on_payout  # (day, amount) when a payout lands: a lender takes its share
        self.ledger = ledger
        self.cfg = cfg
        self.hold_days = cfg.delivery_days + cfg.reserve_days
        self._held = np.zeros(horizon_days + self.hold_days + 1)  # proceeds by release day
        self._paid_through = -1  # last release day whose proceeds have been paid out
        self.cash_day = np.full(horizon_days, -1)  # day each day's sale proceeds land in the bank (-1: not yet)
        env.process(self._run())

    def hold(self, day: int, amount_usd: float) -> None:
        """Hold ``amount_usd`` of proceeds from ``day``'s sales until their release day."""
        self._held[day + self.hold_days] += amount_usd

    def proceeds_usd(self, days: int) -> np.ndarray:
        """Net proceeds of each of the first ``days`` days' sales."""
        return self._held[self.hold_days : self.hold_days + days].copy()

    def held_usd(self, day: int) -> float:
        """Proceeds not yet released on ``day``."""
        return float(self._held[day + 1 : day + self.hold_days + 1].sum())

    def _run(self) -> Generator[simpy.Event, None, None]:
        while True:
            yield self.env.timeout(self.cfg.cycle_days)
            day = int(self.env.now)
            balance = self.ledger.amazon_balance_usd
            if balance < 0:
                self.ledger.transfer(day, "card_charge", -balance, BANK, AMAZON)
                continue
            amount = balance - self.held_usd(day)
            if amount > 0:
                sales = slice(max(self._paid_through + 1 - self.hold_days, 0), max(day + 1 - self.hold_days, 0))
                self.cash_day[sales] = day + self.cfg.transfer_days
                self._paid_through = day
                self.env.process(self._transfer(amount))

    def _transfer(self, amount_usd: float) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(self.cfg.transfer_days)
        day = int(self.env.now)
        self.ledger.transfer(day, "payout", amount_usd, AMAZON, BANK)
        self.on_payout(day, amount_usd)
