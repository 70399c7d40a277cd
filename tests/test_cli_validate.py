"""The ``sellersim`` command line: exit codes and messages, never a traceback."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sellersim.cli import app
from sellersim.scenario.loader import load_scenario
from sellersim.scenario.schema import Scenario
from sellersim.strategy.words import base_strategy, describe_rules

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "base.yaml"
STRATEGIES = sorted((ROOT / "scenarios" / "strategies").glob("*.yaml"))

runner = CliRunner()


def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: '{BASE}'\ncompany:\n  starting_cash_usd: -5\n")
    return path


def test_validate_good_files() -> None:
    result = runner.invoke(app, ["validate", *map(str, STRATEGIES)])
    assert result.exit_code == 0, result.output
    for path in STRATEGIES:
        assert f"ok  {path} (strategy {path.stem}, 1095 days)" in result.stdout
    blocks = result.stdout.split("ok  ")[1:]
    assert len(blocks) == len(STRATEGIES)
    for path, block in zip(STRATEGIES, blocks, strict=True):  # each file's rules in words under its line
        rules = describe_rules(load_scenario(path), base=base_strategy(path))
        assert block.splitlines()[1:] == [f"    {sentence}" for sentence in rules]


def test_validate_bad_file_exits_2_with_position(tmp_path: Path) -> None:
    path = bad_file(tmp_path)
    result = runner.invoke(app, ["validate", str(STRATEGIES[0]), str(path)])
    assert result.exit_code == 2
    assert f"ok  {STRATEGIES[0]}" in result.stdout
    assert f"{path}:3:22: company.starting_cash_usd: Input should be greater than or equal to 0" in result.stderr
    assert "got: -5" in result.stderr
    assert "Traceback" not in result.output


def test_validate_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "cannot read it: No such file or directory" in result.stderr
    assert "Traceback" not in result.output


def test_validate_in_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    code = "from sellersim.cli import app; app()"
    args = [sys.executable, "-c", code, "validate", str(bad_file(tmp_path)), str(tmp_path / "nope.yaml")]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert ":3:22: company.starting_cash_usd" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


# --- run, with a stand-in for the model ---------------------------------------------


class FakeResult:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    def write(self, out_dir: Path, *, report: Any = None) -> None:
        Path(out_dir).mkdir(parents=True)

    def summary_text(self) -> str:
        return "[bold]summary[/bold] of the run"


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Scenario, Any]]:
    """Replace ``sellersim.api`` with a stand-in; returns the (scenario, source) of each run."""
    calls: list[tuple[Scenario, Any]] = []

    def run_keeping_partial(scenario: Scenario, source: Any) -> tuple[FakeResult, None]:
        calls.append((scenario, source))
        return FakeResult(scenario), None

    monkeypatch.setitem(sys.modules, "sellersim.api", types.SimpleNamespace(run_keeping_partial=run_keeping_partial))
    return calls


def test_run_applies_shorthands_and_overrides(runs: list, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["run", str(STRATEGIES[0]), "--seed", "7", "--days", "30", "--set", "company.starting_cash_usd=5"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    (scenario, source), *_ = runs
    assert (scenario.simulation.seed, scenario.simulation.days) == (7, 30)
    assert scenario.company.starting_cash_usd == 5
    assert source == str(STRATEGIES[0])
    assert out.is_dir()
    assert "summary of the run" in result.stdout
    assert str(out) in result.stdout


def test_run_default_folder_and_quiet(runs: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run", str(STRATEGIES[0]), "--seed", "3", "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    (folder,) = (tmp_path / "results").iterdir()
    assert folder.name.startswith(f"{STRATEGIES[0].stem}-seed3-")


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["--set", "company.strating_cash_usd=5"], "--set:1:"),
        (["--days", "0"], "'--days'"),  # it was reported at --set:1:17, an option never typed
        (["--seed", "-1"], "'--seed'"),
        (["--set", "nonsense"], "--set:1:"),
    ],
)
def test_run_bad_overrides_exit_2(runs: list, args: list[str], where: str) -> None:
    result = runner.invoke(app, ["run", str(STRATEGIES[0]), *args, "--quiet"])
    assert result.exit_code == 2
    assert where in result.stderr
    assert "Traceback" not in result.output
    assert runs == []


def test_every_override_mistake_is_reported_at_once(runs: list) -> None:
    """A path that cannot be followed stopped the check: the bad values after it went unreported."""
    mistakes = ["simulation.days.x=3", "company.starting_cash_usd=-5", "nonsense", "simulation.seed=-2"]
    result = runner.invoke(app, ["run", str(STRATEGIES[0]), *(a for m in mistakes for a in ("--set", m))])
    assert result.exit_code == 2
    for line in (1, 2, 3, 4):
        assert f"--set:{line}:" in result.stderr, result.stderr
    assert "4 problems" in result.stderr
    assert runs == []


def test_run_missing_file_exits_2(runs: list, tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "cannot read it" in result.stderr
    assert runs == []


@pytest.mark.parametrize(
    ("command", "written"),
    [
        ("run", "[default: results/STRATEGY-seedSEED-TIME]"),
        ("compare", "[default: all cores]"),
        ("sweep", "[default: a local cluster]"),
        ("check-model", "[default: the default company and strategy]"),
    ],
)
def test_help_shows_the_defaults_written_in_brackets(command: str, written: str) -> None:
    """Rich would read "[default: ...]" as markup and drop it; the help must show it."""
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert written in " ".join(result.stdout.split())
