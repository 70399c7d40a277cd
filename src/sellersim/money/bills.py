"""Monthly bills: salaries (pro rata for partial months), tools, the seller plan, the founder's draw."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sellersim.calendar import SimCalendar
from sellersim.money.ledger import AMAZON, BANK, Ledger
from sellersim.scenario.schema import Company, Fees


class Payee(Protocol):
    salary_usd_per_month: float
    hired_day: int
    left_day: int | None


class MonthlyBills:
    """Pays the month's bills on its last day."""

    def __init__(self, company: Company, fees: Fees, ledger: Ledger, calendar: SimCalendar) -> None:
        self.company = company
        self.fees = fees
        self.ledger = ledger
        self.calendar = calendar

    def end_of_day(self, day: int, payees: Iterable[Payee]) -> None:
        """On a month's last day, pay salaries for the days each person was employed, then overheads."""
        cal = self.calendar
        if cal.day_of_month[day + 1] != 1:
            return
        days_in_month = int(cal.day_of_month[day])
        first = day - days_in_month + 1
        payroll = 0.0
        for p in payees:
            start = max(p.hired_day, first)
            end = min(day + 1 if p.left_day is None else p.left_day, day + 1)
            if end > start:
                payroll += p.salary_usd_per_month * (end - start) / days_in_month
        led = self.ledger
        led.post(day, BANK, "salaries", -payroll)
        led.post(day, BANK, "tools", -self.company.tools_usd_per_month)
        led.post(day, AMAZON, "seller_plan", -self.fees.seller_plan_usd_per_month)
        led.post(day, BANK, "founder_draw", -self.company.founder.draw_usd_per_month)
