"""The model's numbers live in the scenario: its parts and the model hold only units, rules and guards.

Every number in a part's code (outside docstrings) must be 0, 1, 2, -1 or 0.5, a numerical guard
(below 1e-5), or listed here with why it is not a calibration: a unit or calendar conversion, a rule
of Amazon's or the IRS's, a size or an index. A new behavioural number goes to ``scenarios/base.yaml``
and its source to ``docs/calibration.md`` instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "sim" / "sellersim"
SCANNED = ("market", "money", "people", "product", "strategy", "supply", "model.py")
PLAIN = {0, 1, 2, -1, 0.5}
GUARD = 1e-5
ALLOWED: dict[str, dict[float, str]] = {
    "market/catalog.py": {12: "stock lots kept a product (the FIFO's resolution)", 16: "first array capacity"},
    "market/counts.py": {
        4: "items up to which a search by Python numbers beats arrays (a speed threshold)",
        6: "the Cornish-Fisher skew term's divisor",
    },
    "market/daily.py": {
        3: "column of the FBA fee in the per-unit block",
        4: "the quadratic formula",
        6: "star ratings 1 to 5",
        16: "first array capacity",
        30: "30-day velocity, Amazon's window",
        90: "90-day velocity, Amazon's window",
    },
    "market/listing_health.py": {16: "first array capacity"},
    "market/rivals.py": {7: "days a week", 365: "days a year"},
    "market/trends.py": {7: "days a week", 365: "days a year"},
    "money/bills.py": {3: "months a quarter", 32: "days of a month, plus one"},
    "money/credit.py": {365: "days a year"},
    "money/fees.py": {0.25: "pounds in 4 oz, the unit of Amazon's weight tiers"},
    "money/storage.py": {15: "Amazon assesses aged inventory on the 15th"},
    "money/tax.py": {
        3: "IRS estimated-tax periods: months and due dates",
        4: "IRS due month",
        5: "IRS period end month",
        6: "IRS due month",
        8: "IRS period end month",
        9: "IRS due month",
        12: "months a year",
        15: "IRS due day of the month",
    },
    "people/agents.py": {5: "work days a week", 52: "weeks a year"},
    "people/work.py": {6: "six running totals", 7: "days a week", 1e4: "the revenue driver counts $10k"},
    "product/development.py": {7: "days a week", 16: "first array capacity"},
    "product/quality.py": {3: "the mean of three services"},
    "product/retirement.py": {12: "months a year", 365.25: "days a year"},
    "strategy/metrics.py": {30: "a condition's month is 30 days"},
    "strategy/words.py": {3: "the most decimals a number in words shows", 8: "base files kept read at once"},
    "strategy/staffing.py": {9: "a never-opened rule's sentinel day, -10**9", 10: "its base"},
    "supply/capacity.py": {
        7: "days a week",
        12: "months a year",
        30: "Amazon's 30-day demand window",
        90: "Amazon's 90-day sell-through window",
        365.25: "days a year",
    },
    "supply/purchase_orders.py": {0.0283168: "cubic metres in a cubic foot", 0.453592: "kilograms in a pound"},
    "supply/supplier_events.py": {3: "three draws", 52: "weeks a year"},
    "model.py": {7: "days a week", 30: "revenue over the last 30 days, at a hire"},
}


def _numbers(path: Path) -> list[tuple[int, float]]:
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and type(node.value) in (int, float)
        and id(node) not in docstrings
        and node.value not in PLAIN
        and abs(node.value) >= GUARD
    ]


def _scanned() -> list[Path]:
    return sorted(
        p for name in SCANNED for p in ([PACKAGE / name] if name.endswith(".py") else (PACKAGE / name).glob("*.py"))
    )


def test_parts_hold_no_calibration_numbers() -> None:
    stray = [
        f"{path.relative_to(PACKAGE)}:{line}: {value!r}"
        for path in _scanned()
        for line, value in _numbers(path)
        if value not in ALLOWED.get(path.relative_to(PACKAGE).as_posix(), {})
    ]
    assert not stray, (
        "numbers in code belong in scenarios/base.yaml, with their source in docs/calibration.md "
        f"(or, if a unit, a rule or a size, in ALLOWED with the reason): {stray}"
    )


def test_every_allowed_number_is_still_used() -> None:
    """An allowance outlives its number only by mistake: it would let a calibration in unnoticed."""
    used = {path.relative_to(PACKAGE).as_posix(): {v for _, v in _numbers(path)} for path in _scanned()}
    unused = [f"{f}: {v!r}" for f, numbers in ALLOWED.items() for v in numbers if v not in used.get(f, set())]
    assert not unused, f"remove these allowances: {unused}"
