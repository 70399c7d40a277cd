"""Every default of the base scenario is documented, the fee schedule is data, salaries are as published."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from sellersim.experiments.validation.targets import EMPLOYER_UPLIFT, RMB_PER_USD

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "calibration.md").read_text()
BASE = YAML(typ="safe").load((ROOT / "scenarios" / "base.yaml").read_text())
# keys of small distributions and ranges are documented together, under their parent
_DISTRIBUTION_KEYS = {"low", "mode", "high", "median", "sigma"}


def _leaves(node: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(node, dict) and node:
        return [leaf for k, v in node.items() for leaf in _leaves(v, (*path, str(k)))]
    return [path]  # a list (a table such as fee tiers or seasonality) is one default


def _documented(path: tuple[str, ...]) -> bool:
    if path[0] == "roles":  # one table row per role, one column per field
        return re.search(rf"^\| {re.escape(path[1])} \(", DOC, re.MULTILINE) is not None
    if path[:2] == ("work", "drivers"):  # one row per driver, listing its domains
        row = re.search(rf"^\| work\.drivers\.{re.escape(path[2])} \|.*$", DOC, re.MULTILINE)
        return row is not None and path[3] in row.group(0)
    candidates = [".".join(path)]
    if path[-1] in _DISTRIBUTION_KEYS:
        candidates.append(".".join(path[:-1]))
    return any(re.search(rf"(?<![\w.]){re.escape(c)}(?![\w])", DOC) for c in candidates)


def test_every_default_of_the_base_scenario_is_in_the_calibration_page() -> None:
    missing = [".".join(p) for p in _leaves(BASE) if p[0] != "extends" and not _documented(p)]
    assert not missing, f"add these defaults to docs/calibration.md: {missing}"


def test_the_fee_schedule_is_data_in_the_base_scenario() -> None:
    fees = BASE["fees"]
    for tier in ("fba_small_standard", "fba_large_standard"):
        weights = [t["max_weight_lb"] for t in fees[tier]]
        assert weights == sorted(weights) and len(weights) >= 4, f"{tier} is a table by weight"
    assert fees["fba_increase_by_year_usd"], "yearly changes are data too"
    fee_code = (ROOT / "sim" / "sellersim" / "money" / "fees.py").read_text()
    numbers = set(re.findall(r"(?<![\w.])\d+\.\d+", fee_code))
    assert numbers <= {"0.0", "0.25"}, f"fee amounts belong in base.yaml, not in money/fees.py: {sorted(numbers)}"


# published monthly pay by role: gross RMB for China-based staff, USD for an offshore assistant
PUBLISHED_PAY = {
    "operator": ("RMB", 7_000, 18_000),
    "ads_specialist": ("RMB", 7_000, 18_000),  # about as an operator
    "product_developer": ("RMB", 8_000, 15_000),
    "designer": ("RMB", 8_000, 18_000),  # junior 8-12k, senior 18k and more
    "customer_service": ("RMB", 6_000, 8_000),
    "procurement": ("RMB", 6_000, 15_000),
    "logistics": ("RMB", 6_000, 8_000),
    "offshore_va": ("USD", 400, 1_200),
}


@pytest.mark.parametrize("role", sorted(PUBLISHED_PAY))
def test_salaries_are_the_employer_cost_of_published_pay(role: str) -> None:
    currency, low, high = PUBLISHED_PAY[role]
    to_usd = EMPLOYER_UPLIFT / RMB_PER_USD if currency == "RMB" else 1.0
    assert low * to_usd <= BASE["roles"][role]["salary_usd_per_month"] <= high * to_usd
