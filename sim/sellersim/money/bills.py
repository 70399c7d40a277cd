"""Monthly bills: salaries (pro rata for partial months), agency fees, tools, the seller plan, the owner's pay.

At the end of each quarter the company files (sales tax, estimated tax): the
chance that a filing is missed is the share of finance work left undone, and a
missed one costs ``late_filing_penalty_usd``. One uniform draw a quarter, taken
whatever the service level, keeps the luck paired across strategies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

import numpy as np

from sellersim.calendar import SimCalendar
from sellersim.events import EventLog
from sellersim.money.ledger import AMAZON, BANK, Ledger
from sellersim.scenario.schema import Company, Fees


class Payee(Protocol):
    salary_usd_per_month: float  # for an agency, its minimum fee
    fee_share_of_ad_spend: float
    hired_day: int
    left_day: int | None


class MonthlyBills:
    """Pays the month's bills on its last day."""

    def __init__(
        self,
        *,
        company: Company,
        fees: Fees,
        ledger: Ledger,
        calendar: SimCalendar,
        finance_service: Callable[[], float],
        rng: np.random.Generator,
        events: EventLog,
    ) -> None:
        self.company = company
        self.finance_service = finance_service
        self.rng = rng
        self.events = events
        self.fees = fees
        self.ledger = ledger
        self.calendar = calendar
        self._ad_spend_usd = np.zeros(32)  # this month's, by day of the month

    def end_of_day(self, day: int, payees: Iterable[Payee], owner_pay_usd: Callable[[], float]) -> None:
        """On a month's last day, pay salaries for the days each person was employed, agencies their share
        of the month's ad spend (at least their minimum), overheads, then the owner's pay the strategy
        grants (asked only then). Call after the day's ads are booked."""
        led, cal = self.ledger, self.calendar
        self._ad_spend_usd[cal.day_of_month[day]] -= led.today.get("ads", 0.0)
        if cal.day_of_month[day + 1] != 1:
            return
        days_in_month = int(cal.day_of_month[day])
        first = day - days_in_month + 1
        payroll = agencies = 0.0
        for p in payees:
            start = max(p.hired_day, first)
            end = min(day + 1 if p.left_day is None else p.left_day, day + 1)
            if end <= start:
                continue
            share = (end - start) / days_in_month
            if p.fee_share_of_ad_spend > 0:  # the share of the ad spend of the days it ran the ads
                spend = self._ad_spend_usd[start - first + 1 : end - first + 1].sum()
                agencies += max(p.salary_usd_per_month * share, p.fee_share_of_ad_spend * spend)
            else:
                payroll += p.salary_usd_per_month * share
        self._ad_spend_usd[:] = 0.0
        led.post(day, BANK, "salaries", -payroll)
        led.post(day, BANK, "agency_fees", -agencies)
        led.post(day, BANK, "tools", -self.company.tools_usd_per_month)
        led.post(day, AMAZON, "seller_plan", -self.fees.seller_plan_usd_per_month)
        led.post(day, BANK, "owners_pay", -owner_pay_usd())
        if cal.month[day] % 3 == 0 and self.rng.random() < 1 - self.finance_service():
            led.post(day, BANK, "penalties", -self.company.late_filing_penalty_usd)
            self.events.add(
                day, "penalty", detail="quarterly filing missed", amount_usd=self.company.late_filing_penalty_usd
            )
