"""End to end: ``sellersim compare`` writes a comparison folder; bad options exit 2 without a traceback."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import ROOT, STRATEGY_FILES
from sellersim.cli import app
from sellersim.formatting import money, share

SELLERSIM = Path(sys.executable).parent / "sellersim"
A, B = STRATEGY_FILES["never_hire"], STRATEGY_FILES["ops_first_day_one"]
FAST = ["--replications", "3", "--set", "simulation.days=200", "--workers", "1"]
OUTPUTS = ("runs.parquet", "hires.parquet", "daily_quantiles.parquet", "comparison.json", "report.html")

needs_report = pytest.mark.skipif(
    importlib.util.find_spec("sellersim.report.compare_report") is None,
    reason="the comparison report module (sellersim.report.compare_report) is not written yet",
)

runner = CliRunner()


@needs_report
def test_compare_writes_every_file(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(A), str(B), *FAST, "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert result.stdout == "", "--quiet prints nothing"
    for name in OUTPUTS:
        assert (out / name).is_file(), f"{name} missing"
        assert (out / name).stat().st_size > 0, f"{name} empty"
    comparison = json.loads((out / "comparison.json").read_text())
    assert comparison["strategies"] == ["never_hire", "ops_first_day_one"]
    assert comparison["baseline"] == "never_hire"
    assert comparison["replications"] == {"never_hire": 3, "ops_first_day_one": 3}
    assert comparison["horizon_days"] == 200
    assert comparison["provenance"]["overrides"] == ["simulation.days=200"]
    assert comparison["provenance"]["workers"] == 1
    assert comparison["stopping"] == {
        "reason": "ran the 3 replications asked for",
        "interrupted": False,
        "target": None,
    }
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 6 and (runs["status"] == "ok").all()
    assert set(pd.read_parquet(out / "daily_quantiles.parquet")["strategy"]) == {"never_hire", "ops_first_day_one"}
    assert "<html" in (out / "report.html").read_text().lower()


@needs_report
def test_compare_prints_the_sentences_and_where_the_results_are(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    args = ["compare", str(A), str(B), *FAST, "--out", str(out), "--baseline", "ops_first_day_one"]
    args += ["--target-halfwidth", "survived=0.9", "--rank-by", "final_cash"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output + repr(result.exception)
    comparison = json.loads((out / "comparison.json").read_text())
    assert comparison["baseline"] == "ops_first_day_one"
    assert comparison["decision"]["rank_by"] == "final_cash_usd"
    assert comparison["decision"]["recommendation"] in result.stdout
    names = {row["strategy"] for row in comparison["decision"]["rows"]}
    table = [line for line in result.stdout.splitlines() if line.split()[:1] and line.split()[0] in names]
    for row, line in zip(comparison["decision"]["rows"], table, strict=True):  # the ranking, as the report has it
        assert line.split()[:3] == [row["strategy"], share(row["risk_of_running_out"]["estimate"]),
                                    money(row["rank_figure"]["estimate"])]  # fmt: skip
        assert "…" not in line, "a name or a figure cut to fit the terminal"
    assert comparison["stopping"]["target"] == {"figure": "survived", "half_width": 0.9, "max": 2000}
    for sentence in comparison["sentences"]:
        assert f"- {sentence}" in result.stdout
    assert comparison["stopping"]["reason"] in result.stdout
    assert f"results in {out}" in result.stdout


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--target-halfwidth", "bogus=5"], "--target-halfwidth bogus=5: expected FIGURE=WIDTH; "),
        (
            ["--target-halfwidth", "final_cash_usd=-3"],
            "--target-halfwidth final_cash_usd=-3: expected FIGURE=WIDTH; WIDTH",
        ),
        (["--baseline", "nope"], "baseline 'nope' is not one of the strategies"),
        (["--rank-by", "profit"], "rank_by must be one of sde, final_cash, got 'profit'"),
    ],
    ids=["unknown-figure", "negative-width", "unknown-baseline", "unknown-ranking"],
)
def test_bad_options_exit_2_with_a_message(tmp_path: Path, option: list[str], message: str) -> None:
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(A), str(B), *FAST, "--out", str(out), *option])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists(), "nothing is written after a bad option"


def test_bad_scenarios_exit_2_with_a_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", str(A), str(A), *FAST, "--out", str(tmp_path / "cmp")])
    assert result.exit_code == 2
    assert "strategy 'never_hire' is given twice" in result.stderr
    result = runner.invoke(app, ["compare", str(A), str(tmp_path / "nope.yaml"), *FAST])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_bad_options_in_a_real_process_print_no_traceback(tmp_path: Path) -> None:
    assert SELLERSIM.exists(), f"console script not installed next to {sys.executable}"
    out = tmp_path / "cmp"
    for option, message in (
        (["--target-halfwidth", "bogus=5"], "--target-halfwidth bogus=5: expected FIGURE=WIDTH"),
        (["--baseline", "nope"], "baseline 'nope' is not one of the strategies"),
    ):
        args = [str(SELLERSIM), "compare", str(A), str(B), *FAST, "--out", str(out), *option]
        proc = subprocess.run(args, capture_output=True, text=True, check=False, cwd=ROOT, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert message in proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        assert not out.exists()


def test_the_decision_table_is_never_cut_on_a_narrow_terminal() -> None:
    import io

    from rich.console import Console

    from fake_compare import make_comparison
    from sellersim.cli import _decision_table, _print_whole

    long_names = ("solo_with_inventory_loans", "hire_on_fixed_schedule", "full_team_day_one")
    decision = make_comparison(strategies=long_names, replications=20).comparison["decision"]
    out = io.StringIO()
    _print_whole(Console(width=60, file=out, emoji=False), _decision_table(decision))
    rows = [line.split() for line in out.getvalue().splitlines() if line.split()[:1] and line.split()[0] in long_names]
    assert len(rows) == len(long_names)
    for row, line in zip(decision["rows"], rows, strict=True):
        assert line[:3] == [row["strategy"], share(row["risk_of_running_out"]["estimate"]),
                            money(row["rank_figure"]["estimate"])]  # fmt: skip
    assert "…" not in out.getvalue()
    assert decision["rule"] in " ".join(out.getvalue().split()), "the ranking rule below it, whole"
