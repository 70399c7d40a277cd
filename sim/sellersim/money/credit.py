"""The credit line: cash may go below zero, down to the line's limit, and what is drawn costs interest.

At the end of each day the amount drawn, ``max(0, -cash)``, accrues ``apr / 365`` of itself
(simple daily interest, as lines of credit charge it); the month's interest is charged on the
month's last day as ``interest``, through the ledger, so it is drawn from the same cash (and what
accrued in a run's last, unfinished month on its last day, so none goes uncounted). With
no line (a limit of 0) the company fails as soon as cash is below zero, and nothing accrues.

Interest is a cost of how the business is financed: profit counts it; SDE (seller's
discretionary earnings, what a buyer values before the owner's pay and financing) does not.

Time model: no SimPy process; the model calls :meth:`CreditLine.end_of_day` once a day, after
every other payment of the day.
"""

from __future__ import annotations

from sellersim.calendar import SimCalendar
from sellersim.money.ledger import BANK, Ledger

_DAYS_A_YEAR = 365


class CreditLine:
    """Accrues interest on what is drawn and charges it monthly."""

    def __init__(self, *, limit_usd: float, apr: float, ledger: Ledger, calendar: SimCalendar, last_day: int) -> None:
        self.limit_usd = limit_usd
        self.last_day = last_day  # the run's last day: what accrued since the last month's end is charged then
        self.floor_usd = -limit_usd  # the company fails below it
        self._daily_rate = apr / _DAYS_A_YEAR
        self._ledger = ledger
        self._calendar = calendar
        self._accrued_usd = 0.0

    def end_of_day(self, day: int) -> None:
        """Accrue today's interest on the amount drawn; on a month's last day (and the run's), charge it."""
        drawn = min(-self._ledger.cash_usd, self.limit_usd)  # below the line the company has failed
        if drawn > 0:
            self._accrued_usd += drawn * self._daily_rate
        if (self._calendar.day_of_month[day + 1] == 1 or day == self.last_day) and self._accrued_usd:
            self._ledger.post(day, BANK, "interest", -self._accrued_usd)
            self._accrued_usd = 0.0
