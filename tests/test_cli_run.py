"""End to end: ``sellersim run`` writes a complete run folder and prints the summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import ROOT, STRATEGY_FILES
from sellersim.cli import app

SELLERSIM = Path(sys.executable).parent / "sellersim"
SCENARIO = STRATEGY_FILES["never_hire"]
FILES = (
    "daily.parquet",
    "products.parquet",
    "staff.parquet",
    "events.parquet",
    "ledger.parquet",
    "summary.json",
    "scenario.yaml",
    "report.html",
)

runner = CliRunner()


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One real ``sellersim run`` process, shared by the tests below."""
    assert SELLERSIM.exists(), f"console script not installed next to {sys.executable}"
    out = tmp_path_factory.mktemp("cli") / "run"
    args = [str(SELLERSIM), "run", str(SCENARIO), "--days", "200", "--seed", "3", "--out", str(out)]
    args += ["--set", "company.starting_cash_usd=50000"]
    proc = subprocess.run(args, capture_output=True, text=True, check=False, cwd=ROOT, timeout=120)
    return proc, out


def test_run_exits_cleanly(cli_run) -> None:
    proc, _ = cli_run
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_run_writes_every_file(cli_run) -> None:
    _, out = cli_run
    for name in FILES:
        path = out / name
        assert path.is_file(), f"{name} missing"
        assert path.stat().st_size > 0, f"{name} empty"
    daily = pd.read_parquet(out / "daily.parquet")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 3 and summary["days"] == 200
    assert len(daily) == summary["days_simulated"]
    assert summary["days_simulated"] == 200 or summary["failure_day"] is not None
    for name in ("products", "staff", "events", "ledger"):
        pd.read_parquet(out / f"{name}.parquet")  # readable
    assert "<html" in (out / "report.html").read_text().lower()


def test_run_prints_the_summary(cli_run) -> None:
    proc, out = cli_run
    summary = json.loads((out / "summary.json").read_text())
    text = proc.stdout
    assert "running never_hire: seed 3, 200 days" in text
    assert f"never_hire (seed 3): survived {summary['days_simulated']} days" in text
    assert f"final cash            ${summary['final_cash_usd']:>12,.0f}" in text
    assert f"products launched / live  {summary['products_launched']} / {summary['products_live']}" in text
    assert f"results in {out}" in text


def test_set_overrides_show_in_the_resolved_scenario(cli_run) -> None:
    _, out = cli_run
    resolved = YAML(typ="safe").load((out / "scenario.yaml").read_text())
    assert resolved["company"]["starting_cash_usd"] == 50000
    assert resolved["simulation"]["days"] == 200
    assert resolved["simulation"]["seed"] == 3
    assert resolved["strategy"]["name"] == "never_hire"
    daily = pd.read_parquet(out / "daily.parquet")
    ledger = pd.read_parquet(out / "ledger.parquet")
    day0 = ledger[(ledger["day"] == 0) & (ledger["account"] == "bank")]["amount_usd"].sum()
    assert daily["cash_usd"].iloc[0] == pytest.approx(50000 + day0)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("company.starting_cash_usd=lots", "--set:1:27: company.starting_cash_usd: must be a number, such as 2.5"),
        ("compny.name=x", "--set:1:1: compny: no such key; did you mean 'company'?"),
        ("nonsense", "--set:1:1: an override must look like dotted.path=value"),
        ("simulation.days=0", "--set:1:17: simulation.days: Input should be greater than or equal to 1"),
    ],
)
def test_bad_set_exits_2_without_a_traceback(tmp_path: Path, override: str, message: str) -> None:
    out = tmp_path / "run"
    result = runner.invoke(app, ["run", str(SCENARIO), "--set", override, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists(), "nothing is written for a bad scenario"


def test_bad_set_in_a_real_process(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = [str(SELLERSIM), "run", str(SCENARIO), "--set", "company.starting_cash_usd=-1", "--out", str(out)]
    proc = subprocess.run(args, capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 2
    assert "--set:1:27: company.starting_cash_usd" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not out.exists()


def test_quiet_run_prints_nothing(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = runner.invoke(app, ["run", str(SCENARIO), "--days", "60", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert (out / "summary.json").is_file()
