"""How numbers read in SellerSim's sentences, tables and hovers: one way for each kind of number.

- Money is compact where it is read at a glance (``$850``, ``$4.4k``, ``$41k``, ``$1.2M``) and exact
  where it is looked up (``$41,234``).
- A share is a percentage (``45%``); a difference of two shares is in percentage points
  (``+4 pts``), never a percentage, so "+4 pts" cannot be read as "4% more".
- Negative numbers carry the typographic minus (U+2212), and only a difference carries a plus;
  an interval is written "low to high", so a minus is never mistaken for a range dash.
- A missing value (None, NaN, infinite) is shown as an em dash.

Layer: the bottom one, beside :mod:`sellersim.util`; the experiments write sentences with it and the
reports their tables, so a figure reads the same in both.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final

MINUS: Final = "\u2212"
"""The minus sign of every negative number shown."""
DASH: Final = "\u2014"
"""Shown where a value is missing."""
DAYS_PER_MONTH: Final = 365.25 / 12


def finite(value: Any) -> bool:
    """Whether ``value`` is a real number (not None, NaN or infinite)."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _signed(text: str, value: float, sign: bool) -> str:
    """``text`` (the magnitude) with a minus when ``value`` is negative, a plus when ``sign`` asks for one;
    a magnitude that shows as zero gets neither."""
    if not any(c in "123456789" for c in text):
        return text
    if value < 0:
        return MINUS + text
    return "+" + text if sign else text


def money(value: Any, *, sign: bool = False) -> str:
    """Compact dollars: ``$850``, ``$4.4k``, ``$41k``, ``$1.2M``; ``sign`` puts a plus on gains (differences)."""
    if not finite(value):
        return DASH
    v = float(value)
    a = abs(v)
    if a >= 999_500:  # the thresholds are where the shorter form's rounding would carry over
        text = f"${a / 1e6:,.1f}M"
    elif a >= 9_950:
        text = f"${a / 1e3:,.0f}k"
    elif a >= 999.5:
        text = f"${a / 1e3:.1f}k"
    else:
        text = f"${a:,.0f}"
    return _signed(text, v, sign)


def money_exact(value: Any, *, sign: bool = False) -> str:
    """Whole dollars with separators: ``$41,234``, ``−$1,250``."""
    if not finite(value):
        return DASH
    v = float(value)
    return _signed(f"${abs(v):,.0f}", v, sign)


def share(value: Any) -> str:
    """A share as a percentage: ``45%``; one decimal below 10% (``2.5%``), so small risks do not read as 0%."""
    if not finite(value):
        return DASH
    v = 100 * float(value)
    text = f"{abs(v):.1f}%" if 0 < abs(v) < 9.95 else f"{abs(v):.0f}%"
    return _signed(text, v, False)


def points(value: Any) -> str:
    """A difference of two shares in percentage points, always signed: ``+4 pts``, ``−12 pts``, ``0 pts``."""
    if not finite(value):
        return DASH
    v = 100 * float(value)
    return _signed(f"{abs(v):.0f} pts", v, True)


def number(value: Any, digits: int = 0, *, sign: bool = False) -> str:
    """A plain number with separators and ``digits`` decimals: ``1,234``, ``−0.5``."""
    if not finite(value):
        return DASH
    v = float(value)
    return _signed(f"{abs(v):,.{digits}f}", v, sign)


def interval(low: Any, high: Any, fmt: Callable[[Any], str]) -> str:
    """``low to high`` in ``fmt`` (:func:`money`, :func:`share`...), or a dash when either end is missing."""
    if not (finite(low) and finite(high)):
        return DASH
    return f"{fmt(low)} to {fmt(high)}"


def month_of(day: Any) -> str:
    """The month of the run a day falls in, counted from 1: day 0 is ``month 1``, day 500 ``month 17``."""
    if not finite(day):
        return DASH
    return f"month {int(float(day) // DAYS_PER_MONTH) + 1}"


def hours(value: Any) -> str:
    """Hours: ``52 h``."""
    if not finite(value):
        return DASH
    return f"{float(value):,.0f} h"


def duration(seconds: Any) -> str:
    """Seconds as ``12.3 s``, ``4.5 min (270 s)`` or ``2.1 h (7,560 s)``."""
    if not finite(seconds):
        return DASH
    s = float(seconds)
    if s < 120:
        return f"{s:,.1f} s"
    if s < 7200:
        return f"{s / 60:,.1f} min ({s:,.0f} s)"
    return f"{s / 3600:,.1f} h ({s:,.0f} s)"


def money_cents(value: Any, *, sign: bool = False) -> str:
    """Small prices to the cent (``$1.40``, ``$27``, ``$27.50``); from $100 up, :func:`money`."""
    if not finite(value):
        return DASH
    v = float(value)
    a = abs(v)
    if a >= 99.995:
        return money(v, sign=sign)
    text = f"${a:.0f}" if round(a, 2) == round(a) else f"${a:.2f}"
    return _signed(text, v, sign)
