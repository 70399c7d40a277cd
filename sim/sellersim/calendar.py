"""Calendar of a run: dates, seasonality, demand events and factory capacity per day.

Everything that depends only on the date is computed once, as arrays indexed by
the day number, so the daily market never looks a date up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sellersim.scenario.schema import Event, Market, Supply

# Factories keep producing past the horizon for orders placed near its end.
_PADDING_DAYS = 400
# Amazon's yearly US fee changes take effect in mid-January (15 Jan in 2024-2026).
_FEE_CHANGE_DAY_OF_JANUARY = 15


def prime_day(year: int) -> dt.date:
    """Prime Day's first day: the second Tuesday of July (the pattern of recent years)."""
    first = dt.date(year, 7, 1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7)


def black_friday(year: int) -> dt.date:
    """The day after the fourth Thursday of November."""
    first = dt.date(year, 11, 1)
    thanksgiving = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thanksgiving + dt.timedelta(days=1)


def event_start(event: Event, year: int) -> dt.date:
    """First day of ``event`` in ``year``."""
    match event.rule:
        case "prime_day":
            return prime_day(year)
        case "black_friday":
            return black_friday(year)
        case "cyber_monday":
            return black_friday(year) + dt.timedelta(days=3)


@dataclass(frozen=True)
class SimCalendar:
    """Per-day arrays for a run of ``days`` days from ``start``; index 0 is the first day."""

    start: dt.date
    days: int
    dates: np.ndarray  # datetime64[D]
    month: np.ndarray  # 1..12
    year: np.ndarray
    fee_year: np.ndarray  # the year whose fee schedule is in force
    day_of_month: np.ndarray
    weekday: np.ndarray  # Monday = 0
    seasonality: np.ndarray  # demand index, 1 = average month
    event_lift: np.ndarray  # multiplier for every product
    deal_lift: np.ndarray  # multiplier for products entered in the event's deal
    deal_discount: np.ndarray  # the price cut of products entered in the event's deal
    deal_day: np.ndarray  # a deal event runs (bool)
    factory_capacity: np.ndarray  # share of a normal production day (Chinese New Year)

    @classmethod
    def build(cls, start: dt.date, days: int, market: Market, supply: Supply) -> SimCalendar:
        """Compute every per-day array for ``days`` days plus padding for late orders."""
        n = days + _PADDING_DAYS
        dates = np.datetime64(start, "D") + np.arange(n)
        years = dates.astype("datetime64[Y]").astype(int) + 1970
        months = dates.astype("datetime64[M]").astype(int) % 12 + 1
        dom = (dates - dates.astype("datetime64[M]")).astype(int) + 1
        weekday = (dates.astype(int) - 4) % 7  # 1970-01-01 was a Thursday

        season = np.asarray(market.seasonality)[months - 1]
        event_lift = np.ones(n)
        deal_lift = np.ones(n)
        deal_discount = np.zeros(n)
        deal_day = np.zeros(n, dtype=bool)
        for year in range(int(years[0]), int(years[-1]) + 1):
            for event in market.events:
                first = (event_start(event, year) - start).days
                lo, hi = max(first, 0), min(first + event.days, n)
                if lo < hi:
                    target = deal_lift if event.deal_only else event_lift
                    target[lo:hi] *= event.demand_multiplier
                    deal_discount[lo:hi] = np.maximum(deal_discount[lo:hi], event.deal_discount)
                    deal_day[lo:hi] |= event.deal_only
        # The monthly index already holds the month's event days (Black Friday is in November's
        # 1.25), so the other days of an event month are scaled to keep the month on its index.
        month_of = dates.astype("datetime64[M]")
        for month in np.unique(month_of[event_lift != 1.0]):
            days_of_month = month_of == month
            season[days_of_month] *= days_of_month.sum() / event_lift[days_of_month].sum()
        fee_year = years - ((months == 1) & (dom < _FEE_CHANGE_DAY_OF_JANUARY))

        capacity = np.ones(n)
        for cny in supply.chinese_new_year:
            c = (cny - start).days
            spans = (
                (
                    c - supply.cny_slowdown_days_before,
                    c - supply.cny_closed_days_before,
                    supply.cny_slowdown_capacity,
                ),
                (c - supply.cny_closed_days_before, c + supply.cny_closed_days_after, 0.0),
                (c + supply.cny_closed_days_after, c + supply.cny_ramp_days_after, supply.cny_ramp_capacity),
            )
            for lo, hi, share in spans:
                lo, hi = max(lo, 0), min(hi, n)
                if lo < hi:
                    capacity[lo:hi] = np.minimum(capacity[lo:hi], share)
        return cls(
            start, days, dates, months, years, fee_year, dom, weekday, season, event_lift, deal_lift, deal_discount,
            deal_day, capacity,
        )  # fmt: skip

    def date(self, day: int) -> dt.date:
        """The calendar date of ``day``."""
        return self.start + dt.timedelta(days=int(day))

    def is_q4(self, day: int) -> bool:
        """Whether ``day`` falls in October to December (peak storage rate, slow receiving)."""
        return bool(self.month[min(day, len(self.month) - 1)] >= 10)

    def deal_event_within(self, day: int, days: int) -> bool:
        """Whether a deal event runs on any of the ``days`` days from ``day`` on."""
        return bool((self.deal_lift[day : day + days] > 1).any())

    def production_end(self, start_day: int, work_days: float) -> int:
        """First day on which ``work_days`` of normal production are done, starting ``start_day``.

        Days inside a Chinese New Year shutdown count for nothing, slowdown days for part.
        """
        done = np.cumsum(self.factory_capacity[start_day:])
        idx = int(np.searchsorted(done, work_days - 1e-9))
        return start_day + idx + 1
