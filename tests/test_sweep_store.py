"""The sweep store: resuming runs only what is missing, a SIGKILL at any moment loses nothing, and an
edited spec, a damaged part or a second writer never mixes or drops results silently."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sellersim.experiments.sweep.runner import run_sweep
from sellersim.results.store import PlanChangedError, RunStore, StoreInUseError

ROOT = Path(__file__).resolve().parents[1]


CASH = "{path: company.starting_cash_usd, low: 20000, high: 60000}"
FREIGHT = "{path: strategy.launch.first_order_freight, values: [sea, air]}"


def write_spec(folder: Path, replications: int = 3, parameters: tuple[str, ...] = (CASH, FREIGHT)) -> Path:
    strategies = [ROOT / "scenarios" / "strategies" / f"{s}.yaml" for s in ("solo_then_hire", "never_hire")]
    spec = folder / "sweep.yaml"
    listed = "\n".join(f"  - {p}" for p in parameters)
    spec.write_text(
        f"""name: kill_test
strategies: [{", ".join(str(s) for s in strategies)}]
parameters:
{listed}
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
    assert len({e["run_id"] for e in RunStore(tmp_path / "out", {}).manifest_entries()}) == 16


@pytest.mark.parametrize("parts_before_kill", [1, 4])
def test_a_sweep_killed_with_sigkill_resumes_to_the_uninterrupted_result(
    tmp_path: Path, parts_before_kill: int
) -> None:
    spec = write_spec(tmp_path)
    reference = run_sweep(spec, tmp_path / "reference").summary

    out = tmp_path / "killed"
    code = (
        "from sellersim.experiments.sweep.runner import run_sweep; "
        f"run_sweep({str(spec)!r}, {str(out)!r}, flush_every_runs=2)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    parts = out / "parts"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.exists() and len(list(parts.glob("part-*.parquet"))) >= parts_before_kill:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = RunStore(out, {}).results()
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
    assert len(RunStore(tmp_path / "out", {}).results()) == 3 == len(stopped.summary)
    finished = run_sweep(spec, tmp_path / "out")
    assert finished.meta["runs_this_session"] == 13 and len(finished.summary) == 16


# --- a changed spec, damaged parts, a second writer ---------------------------------------------


def test_resuming_after_the_levels_were_reordered_files_every_run_under_its_new_point(tmp_path: Path) -> None:
    before = run_sweep(write_spec(tmp_path, replications=2), tmp_path / "out")
    reordered = "{path: strategy.launch.first_order_freight, values: [air, sea]}"
    spec = write_spec(tmp_path, replications=2, parameters=(CASH, reordered))
    fresh = run_sweep(spec, tmp_path / "fresh")
    resumed = run_sweep(spec, tmp_path / "out")
    assert resumed.meta["runs_this_session"] == 0, "the same runs, only at other points: all are reused"
    assert any("parameters" in w for w in resumed.meta["warnings"]), resumed.meta["warnings"]
    pd.testing.assert_frame_equal(resumed.summary, fresh.summary)
    moved = resumed.summary.set_index("run_id").loc[before.summary["run_id"], "point"].to_numpy()
    assert (moved != before.summary["point"].to_numpy()).any(), "the reorder moved runs to other points"


def test_resume_refuses_a_folder_of_another_sweep(tmp_path: Path) -> None:
    run_sweep(write_spec(tmp_path, replications=2), tmp_path / "out")
    edited = write_spec(tmp_path, replications=2, parameters=(CASH,))
    with pytest.raises(PlanChangedError, match="nothing to resume there"):
        run_sweep(edited, tmp_path / "out", resume=True)
    assert run_sweep(write_spec(tmp_path, replications=3), tmp_path / "out", resume=True).meta["runs"] == 24


def test_resuming_after_a_parameter_was_added_reuses_nothing_stale(tmp_path: Path) -> None:
    run_sweep(write_spec(tmp_path, replications=2), tmp_path / "out")
    added = "{path: fees.referral_rate, values: [0.15, 0.17]}"
    spec = write_spec(tmp_path, replications=2, parameters=(CASH, FREIGHT, added))
    fresh = run_sweep(spec, tmp_path / "fresh")
    resumed = run_sweep(spec, tmp_path / "out")
    assert resumed.meta["runs_this_session"] == 16, (
        "the points at the old referral rate (0.15) are reused, the rest run"
    )
    assert any("parameters" in w for w in resumed.meta["warnings"])
    pd.testing.assert_frame_equal(resumed.summary, fresh.summary)
    assert resumed.summary["fees.referral_rate"].notna().all()


@pytest.mark.parametrize("damage", ["delete", "truncate_to_10_bytes", "empty", "garble_the_middle"])
def test_a_damaged_part_is_set_aside_and_its_runs_run_again(tmp_path: Path, damage: str) -> None:
    spec = write_spec(tmp_path, replications=2)
    out = tmp_path / "out"
    reference = run_sweep(spec, tmp_path / "reference").summary
    run_sweep(spec, out, flush_every_runs=3)
    parts = sorted((out / "parts").glob("part-*.parquet"))
    assert len(parts) == 6
    victim = parts[2]
    lost = pd.read_parquet(victim)["run_id"].nunique()
    data = victim.read_bytes()
    match damage:
        case "delete":
            victim.unlink()
        case "truncate_to_10_bytes":
            victim.write_bytes(data[:10])
        case "empty":
            victim.write_bytes(b"")
        case "garble_the_middle":
            victim.write_bytes(data[:4] + bytes(len(data) - 8) + data[-4:])
    resumed = run_sweep(spec, out)
    assert resumed.meta["runs_this_session"] == lost
    pd.testing.assert_frame_equal(resumed.summary, reference)
    if damage != "delete":
        assert (out / "corrupt" / victim.name).exists()
        assert any(victim.name in w for w in resumed.meta["warnings"])
    assert len(list((out / "parts").glob("part-*.parquet"))) == 6, "no part was overwritten"
    again = run_sweep(spec, out)
    assert again.meta["runs_this_session"] == 0 and not again.meta["warnings"]


def test_a_part_left_under_its_temporary_name_is_removed(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, replications=2)
    out = tmp_path / "out"
    run_sweep(spec, out)
    leftover = out / "parts" / "part-cut-short.parquet.tmp"
    leftover.write_bytes(b"PAR1 half a part")
    run_sweep(spec, out)
    assert not leftover.exists()


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sellersim.cli import app

    spec = write_spec(tmp_path, replications=2)
    out = tmp_path / "out"
    with RunStore(out, {"first": "writer"}):
        with pytest.raises(StoreInUseError, match="is being written by process"):
            run_sweep(spec, out)
        result = CliRunner().invoke(app, ["sweep", str(spec), "--out", str(out)])
        assert result.exit_code == 2
        assert "is being written by process" in result.output and "Traceback" not in result.output
        assert not list((out / "parts").glob("part-*.parquet")), "the refused sweep ran nothing"
    assert run_sweep(spec, out).meta["runs"] == 16, "the lock goes with its holder"
