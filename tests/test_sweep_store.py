"""The sweep store: resuming runs only what is missing, and a SIGKILL at any moment loses nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sellersim.sweep.runner import run_sweep
from sellersim.sweep.store import SweepStore

ROOT = Path(__file__).resolve().parents[1]


def write_spec(folder: Path, replications: int = 3) -> Path:
    strategies = [ROOT / "scenarios" / "strategies" / f"{s}.yaml" for s in ("solo_then_hire", "never_hire")]
    spec = folder / "sweep.yaml"
    spec.write_text(
        f"""name: kill_test
strategies: [{", ".join(str(s) for s in strategies)}]
parameters:
  - {{path: company.starting_cash_usd, low: 20000, high: 60000}}
  - {{path: strategy.launch.first_order_freight, values: [sea, air]}}
design: {{kind: grid, levels: 2}}
replications: {replications}
figures: [survived, cumulative_profit_usd]
seed: 3
days: 150
"""
    )
    return spec


def test_rerunning_a_finished_sweep_runs_nothing(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, replications=2)
    first = run_sweep(spec, tmp_path / "out")
    assert first.meta["runs_this_session"] == first.meta["runs"] == 16
    again = run_sweep(spec, tmp_path / "out")
    assert again.meta["runs_this_session"] == 0
    pd.testing.assert_frame_equal(first.summary, again.summary)
    assert len({e["run_id"] for e in SweepStore(tmp_path / "out").manifest_entries()}) == 16


@pytest.mark.parametrize("parts_before_kill", [1, 4])
def test_a_sweep_killed_with_sigkill_resumes_to_the_uninterrupted_result(
    tmp_path: Path, parts_before_kill: int
) -> None:
    spec = write_spec(tmp_path)
    reference = run_sweep(spec, tmp_path / "reference").summary

    out = tmp_path / "killed"
    code = f"from sellersim.sweep.runner import run_sweep; run_sweep({str(spec)!r}, {str(out)!r}, flush_every_runs=2)"
    proc = subprocess.Popen([sys.executable, "-c", code])
    parts = out / "parts"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.exists() and len(list(parts.glob("part-*.parquet"))) >= parts_before_kill:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = SweepStore(out).runs()
    assert 0 < len(stored) < len(reference), "the kill should land in the middle of the sweep"

    resumed = run_sweep(spec, out)
    assert resumed.meta["runs_this_session"] == len(reference) - len(stored)
    pd.testing.assert_frame_equal(resumed.summary, reference)


def test_ctrl_c_stores_every_finished_run_and_a_rerun_completes(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, replications=2)

    def stop_after_three(done: int, total: int, failed: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    stopped = run_sweep(spec, tmp_path / "out", progress=stop_after_three)
    assert stopped.meta["interrupted"] is True
    assert len(SweepStore(tmp_path / "out").runs()) == 3 == len(stopped.summary)
    finished = run_sweep(spec, tmp_path / "out")
    assert finished.meta["runs_this_session"] == 13 and len(finished.summary) == 16
