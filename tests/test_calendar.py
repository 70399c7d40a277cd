"""The calendar: event dates, seasonality with event days, fee years and factory capacity."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sellersim.calendar import SimCalendar, black_friday, prime_day
from sellersim.scenario.schema import Scenario


@pytest.fixture
def calendar(base: Scenario) -> SimCalendar:
    return SimCalendar.build(dt.date(2027, 1, 4), 1095, base.market, base.supply)


def test_event_dates_follow_the_us_calendar() -> None:
    assert black_friday(2026) == dt.date(2026, 11, 27)
    assert black_friday(2027) == dt.date(2027, 11, 26)
    assert prime_day(2025) == dt.date(2025, 7, 8)  # second Tuesday of July
    assert prime_day(2027).weekday() == 1


def test_event_months_keep_their_monthly_index(calendar: SimCalendar, base: Scenario) -> None:
    """Black Friday and Cyber Monday lift their days; the rest of November gives way, so the
    month's average demand stays on November's index instead of counting the events twice."""
    nov = (calendar.year == 2027) & (calendar.month == 11)
    demand = calendar.seasonality[nov] * calendar.event_lift[nov]
    assert demand.mean() == pytest.approx(base.market.seasonality[10])
    bf = (black_friday(2027) - calendar.start).days
    assert calendar.event_lift[bf] == pytest.approx(1.7)
    assert calendar.seasonality[bf - 7] < base.market.seasonality[10]
    oct_ = (calendar.year == 2027) & (calendar.month == 10)
    assert np.allclose(calendar.seasonality[oct_], base.market.seasonality[9])


def test_fee_year_turns_in_mid_january(calendar: SimCalendar) -> None:
    day = (dt.date(2028, 1, 14) - calendar.start).days
    assert calendar.fee_year[day] == 2027
    assert calendar.fee_year[day + 1] == 2028


def test_chinese_new_year_closes_factories(calendar: SimCalendar, base: Scenario) -> None:
    cny = (dt.date(2028, 1, 26) - calendar.start).days
    assert calendar.factory_capacity[cny] == 0.0
    assert calendar.factory_capacity[cny - base.supply.cny_slowdown_days_before] == base.supply.cny_slowdown_capacity
    summer = (dt.date(2028, 7, 1) - calendar.start).days
    assert calendar.production_end(summer, 35) - summer == 35
    assert calendar.production_end(cny - 20, 35) - (cny - 20) > 35 + base.supply.cny_closed_days_after
