"""What a swept parameter is called in sentences and on axes, and how its values read.

A parameter is named by a label (``market.niches.cpc_usd.median`` -> "median cost per click"),
never by its dotted path; :data:`LABELS` holds the parameters the shipped sweeps use
(``scenarios/sweeps/``) and :func:`parameter` makes a readable one from any other path. Values
read through :mod:`sellersim.formatting`, so a threshold reads the same in a sentence, a chip and
an axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

from sellersim.formatting import DASH, finite, money_cents, number, share

__all__ = ["LABELS", "ParameterLabel", "parameter"]


@dataclass(frozen=True)
class ParameterLabel:
    """A parameter's name in words and the unit of its values.

    ``unit``: ``usd`` (dollars, to the cent below $100), ``share`` (a percentage), ``days``,
    ``salaries`` (a multiple of a salary) or ``number``.
    """

    name: str
    unit: str

    @property
    def axis(self) -> str:
        """An axis title: the name with its unit, ``median cost per click ($)``."""
        suffix = {"usd": "$", "share": "%", "days": "days", "salaries": "3-month profit in salaries"}.get(self.unit)
        return f"{self.name} ({suffix})" if suffix else self.name

    def value(self, v: Any) -> str:
        """One value in the parameter's unit: ``$1.40``, ``$40k``, ``30%``, ``35 days``, ``1.5 salaries``."""
        if isinstance(v, (str, bool)):
            return str(v)
        if not finite(v):
            return DASH
        x = float(v)
        match self.unit:
            case "usd":
                return money_cents(x)
            case "share":
                return share(x)
            case "days":
                return f"{_plain(x)} days"
            case "salaries":
                return f"{_plain(x)} salar{'y' if x == 1 else 'ies'}"
        return _plain(x)


def _plain(x: float) -> str:
    """A number with up to three significant digits below 100 and separators above: ``1.33``, ``750``, ``1,200``."""
    if x == 0 or abs(x) >= 100:
        return number(x)
    digits = max(0, 2 - math.floor(math.log10(abs(x))))
    return number(round(x, digits), digits).rstrip("0").rstrip(".")


LABELS: Final[dict[str, ParameterLabel]] = {
    "company.starting_cash_usd": ParameterLabel("starting cash", "usd"),
    "market.niches.cpc_usd.median": ParameterLabel("median cost per click", "usd"),
    "market.niches.price_usd.median": ParameterLabel("median selling price", "usd"),
    "market.niches.sessions_per_day.median": ParameterLabel("median sessions per day", "number"),
    "market.reviews.review_rate": ParameterLabel("reviews per order", "share"),
    "strategy.parameters.profit_multiple": ParameterLabel("hiring threshold", "salaries"),
    "supply.duty_rate": ParameterLabel("import duty rate", "share"),
    "supply.sea_transit_days.mode": ParameterLabel("typical sea transit", "days"),
}
"""The parameters of the shipped sweeps."""

_QUALIFIERS: Final = frozenset({"median", "mean", "low", "high"})
"""Last path segments that qualify the one before: ``cpc_usd.median`` -> "median cpc"."""
_VAGUE: Final = frozenset({"mode", "kind", "type", "value", "rate", "share"})
"""Last path segments too vague alone: ``freight.mode`` -> "freight mode"."""
_UNITS: Final = (("_usd", "usd"), ("_days", "days"), ("_rate", "share"), ("_share", "share"))


def parameter(path: str) -> ParameterLabel:
    """The label of a parameter: from :data:`LABELS`, or made from its path.

    The made-up name is the last segment in words, with a qualifier such as ``median`` put in
    front and a unit suffix (``_usd``, ``_days``, ``_rate``, ``_share``) read as the unit:
    ``supply.air_transit_days.median`` -> "median air transit" in days. Numbered list items
    (``rules.0.max_count``) keep their number: "max count (rules 0)"; a vague last segment takes
    the one before: ``supply.freight.mode`` -> "freight mode".
    """
    if path in LABELS:
        return LABELS[path]
    parts = path.split(".")
    qualifier = parts.pop() if len(parts) > 1 and parts[-1] in _QUALIFIERS else ""
    last = parts[-1]
    if len(parts) > 1 and last in _VAGUE:
        last = f"{parts[-2]}_{last}"
    unit = "number"
    for suffix, kind in _UNITS:
        if last.endswith(suffix):
            unit = kind
            last = last.removesuffix(suffix) if kind != "share" else last
            break
    words = " ".join(w for w in (qualifier, last.replace("_", " ")) if w)
    if len(parts) > 2 and parts[-2].isdigit():  # an item of a list: say which
        words += f" ({parts[-3].replace('_', ' ')} {parts[-2]})"
    return ParameterLabel(words, unit)
