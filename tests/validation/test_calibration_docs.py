"""docs/calibration.md lists every default of the base scenario, and the fee schedule is data."""

from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML

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
    fee_code = (ROOT / "src" / "sellersim" / "money" / "fees.py").read_text()
    numbers = set(re.findall(r"(?<![\w.])\d+\.\d+", fee_code))
    assert numbers <= {"0.0", "0.25"}, f"fee amounts belong in base.yaml, not in money/fees.py: {sorted(numbers)}"
