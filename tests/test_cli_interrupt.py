"""An interrupted or crashing run keeps the days it simulated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sellersim.cli import INTERRUPTED, app
from sellersim.model import SellerModel

ROOT = Path(__file__).resolve().parents[1]
STRATEGY = str(ROOT / "scenarios" / "strategies" / "never_hire.yaml")


@pytest.mark.parametrize(("error", "exit_code"), [(KeyboardInterrupt(), INTERRUPTED), (RuntimeError("boom"), 1)])
def test_stopped_run_writes_the_days_done(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, error: BaseException, exit_code: int
) -> None:
    step = SellerModel.step

    def step_until_day_119(model: SellerModel) -> None:
        if model.steps == 119:  # days 0-118 are done: day 119 does not finish
            raise error
        step(model)

    monkeypatch.setattr(SellerModel, "step", step_until_day_119)
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", STRATEGY, "--days", "300", "--out", str(out)])
    assert result.exit_code == exit_code
    summary = json.loads((out / "summary.json").read_text())
    assert summary["completed"] is False
    assert summary["days_simulated"] == 119
    assert (out / "daily.parquet").exists()
    assert "partial results" in (out / "report.html").read_text()
