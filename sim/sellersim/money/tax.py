"""Income tax on the business's profit, paid in quarterly estimates as a US seller pays it.

Most private-label sellers are pass-through businesses (a single-member LLC, a partnership, an
S corporation): the business's profit is taxed on its owners' returns whatever they take out of it,
so the owner's pay is not deductible, and the tax is paid with money taken from the business. The
taxable profit of a day is the day's profit before the owner's pay: SDE less interest. It is
accrual profit (stock is a cost when sold, not when bought), so a seller growing its inventory pays
tax on profit its cash does not yet show: the squeeze this module exists to show.

Estimates follow the IRS's annualised-income installments (Form 1040-ES): by each due date the
company has paid ``rate * max(0, profit of the year so far - losses carried in)``, counted to the
end of the period before it:

    =========  =====================
    due date   covers profit through
    =========  =====================
    15 April   31 March
    15 June    31 May
    15 Sept.   31 August
    15 Jan.    31 December (the year's settlement: an overpayment comes back)
    =========  =====================

A year that ends in a loss carries it into later years (net operating losses), deducted before
tax is due. Payments go through the ledger as ``income_tax``; profit and SDE do not count them
(the business is not the taxpayer), cash does. On the run's last day the company settles what it
owes for profit to the day before as if the year closed (the last day's own profit is known only
after its payments are booked), so a strategy that earns late is not spared
tax that a strategy that earned early has paid. Missing a payment when finance work is neglected
is the quarterly filing penalty of :mod:`sellersim.money.bills`. What is accrued and not yet paid
(:attr:`IncomeTax.owed_usd`) is a commitment like a factory balance: orders do not spend it.

Time model: no SimPy process; the model calls :meth:`IncomeTax.end_of_day` once a day before the
credit line's interest, and :meth:`IncomeTax.accrue` with each day's taxable profit once it is known.
"""

from __future__ import annotations

from sellersim.calendar import SimCalendar
from sellersim.money.ledger import BANK, Ledger

_PERIOD_END_MONTHS = (3, 5, 8, 12)  # an installment counts profit to the end of these months
_DUE = {3: (4, 15), 5: (6, 15), 8: (9, 15), 12: (1, 15)}  # period-end month -> (month, day) it is paid


class IncomeTax:
    """Tracks each tax year's profit and pays the installments it owes when they fall due."""

    def __init__(self, *, rate: float, ledger: Ledger, calendar: SimCalendar, last_day: int) -> None:
        self.rate = rate
        self.last_day = last_day
        self._ledger = ledger
        self._calendar = calendar
        self._profit_usd: dict[int, float] = {}  # tax year -> profit so far
        self._paid_usd: dict[int, float] = {}  # tax year -> estimates paid for it
        self._loss_in_usd: dict[int, float] = {}  # tax year -> losses carried into it
        self._due: list[tuple[int, int, float, bool]] = []  # (due day, tax year, profit counted, year's settlement)

    @property
    def owed_usd(self) -> float:
        """Tax accrued on profit so far and not yet paid (a refund due counts as nothing until it comes)."""
        return sum(
            max(self.rate * max(profit - self._loss_in_usd[year], 0.0) - self._paid_usd[year], 0.0)
            for year, profit in self._profit_usd.items()
        )

    def accrue(self, day: int, profit_usd: float) -> None:
        """Add a day's taxable profit to its tax year; at a period's end, schedule the installment."""
        cal = self._calendar
        year = int(cal.year[day])
        if year not in self._profit_usd:
            self._open_year(year)
        self._profit_usd[year] += profit_usd
        month = int(cal.month[day])
        if cal.day_of_month[day + 1] == 1 and month in _PERIOD_END_MONTHS:
            due_month, due_day = _DUE[month]
            due = self._day_of(year + (month == 12), due_month, due_day)
            self._due.append((due, year, self._profit_usd[year], month == 12))

    def end_of_day(self, day: int) -> None:
        """Pay the installments due today; on the run's last day, settle everything owed so far."""
        while self._due and self._due[0][0] <= day:
            _, year, profit, settles = self._due.pop(0)
            self._pay(day, year, profit, settle=settles)
        if day == self.last_day:
            for year in sorted(self._profit_usd):
                self._pay(day, year, self._profit_usd[year], settle=True)
            self._due.clear()

    def _open_year(self, year: int) -> None:
        last = year - 1
        carried = self._loss_in_usd.get(last, 0.0)
        if last in self._profit_usd:
            carried = max(carried - self._profit_usd[last], 0.0)
        self._profit_usd[year] = 0.0
        self._paid_usd[year] = 0.0
        self._loss_in_usd[year] = carried

    def _pay(self, day: int, year: int, profit_usd: float, *, settle: bool) -> None:
        """Pay what the year's estimates owe on ``profit_usd``; a settlement also returns an overpayment."""
        owed = self.rate * max(profit_usd - self._loss_in_usd[year], 0.0) - self._paid_usd[year]
        if owed > 0 or (owed < 0 and settle):
            self._ledger.post(day, BANK, "income_tax", -owed)
            self._paid_usd[year] += owed

    def _day_of(self, year: int, month: int, day_of_month: int) -> int:
        """The run day of a date, or past the run's end when the run stops before it."""
        cal = self._calendar
        hits = ((cal.year == year) & (cal.month == month) & (cal.day_of_month == day_of_month)).nonzero()[0]
        return int(hits[0]) if len(hits) else self.last_day + 1
