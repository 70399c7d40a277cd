"""A corpus of bad scenario values that used to pass ``validate`` and then crashed, hung or misled.

Each case is a strategy file that extends a shipped one with one bad value; ``validate`` must exit 2
with the file, line and field and a message that says what to write instead, and no traceback.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from sellersim.cli import WORKERS_PER_CORE, _workers, app
from sellersim.compare.engine import default_workers

ROOT = Path(__file__).resolve().parents[1]
NEVER_HIRE = ROOT / "scenarios" / "strategies" / "never_hire.yaml"

runner = CliRunner()

# (what it was, YAML added to never_hire, message fragment)
CORPUS = [
    (
        "a boolean as the horizon (was a 1-day run)",
        "simulation: {days: true}",
        "simulation.days: must be a whole number",
    ),
    ("a boolean as the seed", "simulation: {seed: false}", "simulation.seed: must be a whole number"),
    (
        "a decimal as a count",
        "development: {max_candidates: 2.5}",
        "development.max_candidates: must be a whole number",
    ),
    ("infinite cash (overflowed on day 91)", "company: {starting_cash_usd: .inf}", "must be a finite number"),
    (
        "a NaN parameter (silently no hires)",
        "strategy: {parameters: {profit_multiple: .nan}}",
        "must be a finite number",
    ),
    (
        "a huge spread (NaN to int)",
        "market: {niches: {sessions_per_day: {median: 700, sigma: 1e308}}}",
        "sessions_per_day.sigma: Input should be less than or equal to 5",
    ),
    ("negative staff (was no staff)", "company: {existing: {staff: {operator: -3}}}", "greater than or equal to 0"),
    (
        "a hundred million products (hung)",
        "company: {existing: {products: 100000000}}",
        "company.existing.products: Input should be less than or equal to 2000",
    ),
    (
        "a billion research candidates (hung)",
        "development: {max_candidates: 1000000000}",
        "development.max_candidates: Input should be less than or equal to 100",
    ),
    ("a date past 9999 (traceback)", "simulation: {start_date: 9999-06-01}", "less than or equal to 2099-12-31"),
    (
        "a run past the last Chinese New Year listed (silently no shutdown)",
        "simulation: {start_date: 2035-01-01}",
        "supply.chinese_new_year: no date for 2036, 2037",
    ),
    (
        "a window of a trillion months (hung)",
        "strategy: {owner_pay: {when: 'months_profitable(1000000000000) >= 1', usd_per_month: 100}}",
        "months_profitable needs a whole number from 1 to 120",
    ),
    ("more hours than a week has", "company: {founder: {hours_per_week: 200}}", "less than or equal to 168"),
    ("an absurd amount of money", "company: {tools_usd_per_month: 1e300}", "less than or equal to 1000000000"),
    ("text where a number goes", "company: {starting_cash_usd: lots}", "must be a number, such as 2.5"),
]


@pytest.mark.parametrize(("what", "yaml", "fragment"), CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_value_exits_2_with_its_position_and_a_fix(tmp_path: Path, what: str, yaml: str, fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: '{NEVER_HIRE}'\n{yaml}\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, f"{what}: {result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), "no traceback"
    assert fragment in result.stderr, result.stderr
    assert re.search(r"\.yaml:\d+:\d+: ", result.stderr), "the file, line and column are named"


def test_too_many_workers_are_capped_with_a_warning() -> None:
    cores = default_workers()
    out = io.StringIO()
    err = Console(file=out, width=200)
    assert _workers(1000, err) == WORKERS_PER_CORE * cores
    assert f"--workers 1000: more than {WORKERS_PER_CORE} per core only adds memory" in out.getvalue()
    quiet = io.StringIO()
    assert _workers(WORKERS_PER_CORE * cores, Console(file=quiet)) == WORKERS_PER_CORE * cores
    assert _workers(None, Console(file=quiet)) == cores
    assert quiet.getvalue() == ""
