"""One way to write each kind of number: money, shares, points, intervals, spans of time."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellersim.formatting import (
    DASH,
    MINUS,
    duration,
    interval,
    money,
    money_cents,
    money_exact,
    month_of,
    number,
    points,
    share,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (850, "$850"),
        (999.4, "$999"),
        (999.6, "$1.0k"),
        (4_449, "$4.4k"),
        (9_960, "$10k"),
        (41_234, "$41k"),
        (999_999, "$1.0M"),
        (1_250_000, "$1.2M"),
        (-227, f"{MINUS}$227"),
        (-90_400, f"{MINUS}$90k"),
        (-0.4, "$0"),
    ],
)
def test_money_is_compact_with_one_minus_sign(value: float, text: str) -> None:
    assert money(value) == text


def test_differences_carry_a_plus_and_zero_carries_no_sign() -> None:
    assert money(4_400, sign=True) == "+$4.4k"
    assert money(-4_400, sign=True) == f"{MINUS}$4.4k"
    assert money(0.2, sign=True) == "$0"
    assert points(0.04) == "+4 pts"
    assert points(-0.123) == f"{MINUS}12 pts"
    assert points(0.001) == "0 pts"
    assert number(-0.5, 1) == f"{MINUS}0.5"
    assert money_exact(-1_250) == f"{MINUS}$1,250"


def test_small_prices_keep_their_cents() -> None:
    assert money_cents(1.4) == "$1.40"
    assert money_cents(27) == "$27"
    assert money_cents(27.5) == "$27.50"
    assert money_cents(-0.6) == f"{MINUS}$0.60"
    assert money_cents(40_000) == "$40k"


def test_shares_keep_small_risks_visible() -> None:
    assert share(0.45) == "45%"
    assert share(0.025) == "2.5%"
    assert share(0.0) == "0%"
    assert share(1.0) == "100%"
    assert share(0.0996) == "10%"


def test_an_interval_reads_low_to_high_and_a_missing_end_is_a_dash() -> None:
    assert interval(-227, 9_100, lambda v: money(v, sign=True)) == f"{MINUS}$227 to +$9.1k"
    assert interval(0.826, 0.945, share) == "83% to 94%"
    assert interval(None, 3, share) == DASH
    assert interval(math.nan, 3, share) == DASH


def test_spans_of_time() -> None:
    assert month_of(0) == "month 1"
    assert month_of(500) == "month 17"
    assert duration(12.34) == "12.3 s"
    assert duration(270) == "4.5 min (270 s)"


def _parses(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@given(
    st.one_of(st.none(), st.just(math.nan), st.just(-math.inf), st.text(max_size=4).filter(lambda t: not _parses(t)))
)
def test_anything_not_a_number_is_a_dash(value: object) -> None:
    for fmt in (money, money_exact, share, points, number, month_of, duration):
        assert fmt(value) == DASH


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_a_negative_amount_has_exactly_one_minus_and_no_hyphen(value: float) -> None:
    for text in (money(value), money(value, sign=True), money_exact(value), number(value, 2)):
        assert "-" not in text
        assert text.count(MINUS) == (1 if text.startswith(MINUS) else 0)
        if value < 0 and any(c in "123456789" for c in text):
            assert text.startswith(MINUS)
