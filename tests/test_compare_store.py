"""A comparison keeps every finished run as it arrives: a SIGKILL, SIGTERM or Ctrl-C loses nothing
finished, the resumed comparison equals the uninterrupted one bit for bit, and no worker outlives it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from sellersim.cli import INTERRUPTED, app
from sellersim.experiments.compare import compare
from sellersim.results.comparison import STORE, ComparisonResult
from sellersim.results.store import RunStore

ROOT = Path(__file__).resolve().parents[1]
FILES = [str(ROOT / "scenarios" / "strategies" / f"{s}.yaml") for s in ("solo_then_hire", "never_hire")]
DAYS = ["simulation.days=150"]
SELLERSIM = Path(sys.executable).parent / "sellersim"
runner = CliRunner()


def assert_same_comparison(a: ComparisonResult, b: ComparisonResult) -> None:
    pd.testing.assert_frame_equal(a.runs, b.runs)
    pd.testing.assert_frame_equal(a.hires, b.hires)
    pd.testing.assert_frame_equal(a.daily_quantiles, b.daily_quantiles)
    strip = ("provenance", "stopping")
    assert {k: v for k, v in a.comparison.items() if k not in strip} == {
        k: v for k, v in b.comparison.items() if k not in strip
    }


def process_stats() -> Iterator[tuple[int, list[str]]]:
    """Every process: its pid and the fields of /proc/PID/stat after its name (state, ppid, group, session...)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                yield int(entry.name), (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # it ended while being read
                continue


def session_processes(session: int) -> list[int]:
    """Processes still alive in a session (zombies, already dead, are left out)."""
    return [pid for pid, fields in process_stats() if int(fields[3]) == session and fields[0] != "Z"]


def children(pid: int) -> list[int]:
    return [child for child, fields in process_stats() if int(fields[1]) == pid]


def wait_until_gone(session: int, seconds: float = 20) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := session_processes(session)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_a_stored_comparison_equals_one_kept_in_memory_and_a_rerun_runs_nothing(tmp_path: Path) -> None:
    in_memory = compare(FILES, replications=4, overrides=DAYS)
    stored = compare(FILES, replications=4, overrides=DAYS, store=tmp_path / "store")
    assert_same_comparison(stored, in_memory)
    assert stored.comparison["provenance"]["runs_this_session"] == 8
    again = compare(FILES, replications=4, overrides=DAYS, store=tmp_path / "store")
    assert again.comparison["provenance"]["runs_this_session"] == 0
    assert again.comparison["provenance"]["runs_reused"] == 8
    assert_same_comparison(again, in_memory)
    more = compare(FILES, replications=6, overrides=DAYS, store=tmp_path / "store")
    assert more.comparison["provenance"]["runs_this_session"] == 4, "only the two new replications run"
    assert_same_comparison(more, compare(FILES, replications=6, overrides=DAYS))


def test_a_changed_strategy_reuses_only_the_runs_that_are_the_same(tmp_path: Path) -> None:
    compare(FILES, replications=3, overrides=DAYS, store=tmp_path / "store")
    changed = compare(
        FILES, replications=3, overrides=[*DAYS, "company.starting_cash_usd=60000"], store=tmp_path / "store"
    )
    assert changed.comparison["provenance"]["runs_this_session"] == 6, "every scenario changed: nothing is reused"
    assert any("strategies" in w for w in changed.meta["warnings"]), changed.meta["warnings"]
    fresh = compare(FILES, replications=3, overrides=[*DAYS, "company.starting_cash_usd=60000"])
    assert_same_comparison(changed, fresh)


def test_ctrl_c_keeps_every_finished_run_and_the_rerun_completes(tmp_path: Path) -> None:
    seen: list[Any] = []

    def stop_after_three(outcome: Any, planned: int) -> None:
        seen.append(outcome)
        if len(seen) == 3:
            raise KeyboardInterrupt

    stopped = compare(FILES, replications=4, overrides=DAYS, store=tmp_path / "store", progress=stop_after_three)
    assert stopped.comparison["stopping"]["interrupted"] is True
    assert len(RunStore(tmp_path / "store", {}).results()) == 3 == len(stopped.runs)
    finished = compare(FILES, replications=4, overrides=DAYS, store=tmp_path / "store")
    assert finished.comparison["provenance"]["runs_this_session"] == 5
    assert_same_comparison(finished, compare(FILES, replications=4, overrides=DAYS))


@pytest.mark.parametrize("parts_before_kill", [1, 3])
def test_a_comparison_killed_with_sigkill_resumes_to_the_uninterrupted_result(
    tmp_path: Path, parts_before_kill: int
) -> None:
    reference = compare(FILES, replications=8, overrides=DAYS)
    store = tmp_path / "store"
    code = (
        "from sellersim.experiments.compare import compare; "
        f"compare({FILES!r}, replications=8, overrides={DAYS!r}, workers=2, store={str(store)!r}, flush_every_runs=2)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list((store / "parts").glob("part-*.parquet"))) >= parts_before_kill:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert wait_until_gone(proc.pid) == [], "the forkserver and workers die with the driver"
    kept = len(RunStore(store, {}).results())
    assert 0 < kept < 16, "the kill should land in the middle of the comparison"

    resumed = compare(FILES, replications=8, overrides=DAYS, workers=2, store=store)
    assert resumed.comparison["provenance"]["runs_this_session"] == 16 - kept
    assert_same_comparison(resumed, reference)


def start_comparison(out: Path) -> tuple[subprocess.Popen[str], list[str]]:
    """``sellersim compare`` of 120 runs on two workers in a session of its own, and its arguments."""
    args = [*FILES, "--replications", "60", "--set", DAYS[0], "--workers", "2", "--out", str(out), "-q"]
    proc = subprocess.Popen(
        [str(SELLERSIM), "compare", *args], start_new_session=True, stderr=subprocess.PIPE, text=True
    )
    return proc, args


def stored_parts(out: Path) -> list[Path]:
    return list((out / STORE / "parts").glob("part-*.parquet"))


def test_sigterm_stops_the_command_like_ctrl_c_and_resume_finishes_it(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    proc, args = start_comparison(out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not stored_parts(out):
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGTERM)  # as a shutdown or a scheduler sends it: to the whole group
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == INTERRUPTED, stderr
    assert "Traceback" not in stderr and "--resume" in stderr
    assert wait_until_gone(proc.pid) == [], "no worker, forkserver or resource tracker is left behind"
    kept = len(RunStore(out / STORE, {}).results())
    assert (out / "report.html").exists(), "the runs that finished are reported"
    assert 0 < kept < 120, "the first part is written after 50 runs or 5 s, well before the 120 runs end"

    resumed = runner.invoke(app, ["compare", *args, "--resume"])
    assert resumed.exit_code == 0, resumed.output
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 120
    reference = compare(FILES, replications=60, overrides=DAYS, workers=2)
    pd.testing.assert_frame_equal(runs, reference.runs)


def test_a_worker_killed_under_the_driver_stops_the_comparison_cleanly(tmp_path: Path) -> None:
    """Running out of memory kills a worker: the finished runs are kept and reported, no traceback."""
    out = tmp_path / "cmp"
    proc, _ = start_comparison(out)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and not (workers and stored_parts(out)):
        forkservers = [p for p in children(proc.pid) if b"forkserver" in Path(f"/proc/{p}/cmdline").read_bytes()]
        workers = [w for f in forkservers for w in children(f)]
        time.sleep(0.02)
    os.kill(workers[0], signal.SIGKILL)  # as the kernel's out-of-memory killer would
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == INTERRUPTED, stderr
    assert "a worker process died" in stderr and "Traceback" not in stderr
    assert (out / "report.html").exists() and len(RunStore(out / STORE, {}).results()) > 0
    assert wait_until_gone(proc.pid) == []


def test_rewriting_the_folder_keeps_the_store(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    args = ["compare", *FILES, "--replications", "2", "--set", DAYS[0], "--workers", "1", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    parts = {p.name for p in (out / STORE / "parts").iterdir()}
    assert parts
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert {p.name for p in (out / STORE / "parts").iterdir()} == parts, "nothing ran again, nothing was lost"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cmp"], "no hidden folder left beside it"


def test_resume_needs_a_folder_with_stored_runs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", *FILES, "--out", str(tmp_path / "nothing"), "--resume"])
    assert result.exit_code == 2
    assert "holds no stored runs" in result.stderr


def test_a_second_comparison_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    with RunStore(out / STORE, {"first": "writer"}):
        result = runner.invoke(app, ["compare", *FILES, "--replications", "2", "--set", DAYS[0], "--out", str(out)])
    assert result.exit_code == 2
    assert "is being written by process" in result.stderr and "Traceback" not in result.output


def test_resume_refuses_a_folder_of_another_comparison(tmp_path: Path, monkeypatch) -> None:
    """--resume without --out took the newest folder even when it compared other strategies, and replaced
    that comparison's report with this one's."""
    monkeypatch.chdir(tmp_path)
    first = ["compare", FILES[0], FILES[1], "--replications", "2", "--set", DAYS[0], "--workers", "1"]
    assert runner.invoke(app, first).exit_code == 0
    (folder,) = (tmp_path / "results").iterdir()
    report = (folder / "report.html").read_bytes()
    other = ["compare", FILES[0], "--replications", "2", "--set", "simulation.days=120", "--workers", "1", "--resume"]
    refused = runner.invoke(app, other)
    assert refused.exit_code == 2, refused.output
    assert "holds runs of a different plan" in refused.stderr and "nothing to resume" in refused.stderr
    assert (folder / "report.html").read_bytes() == report, "the other comparison is untouched"
    more = runner.invoke(app, [*first[:3], "--replications", "3", *first[5:], "--resume"])
    assert more.exit_code == 0, more.output
    assert len(pd.read_parquet(folder / "runs.parquet")) == 6, "the same comparison resumes with more runs"
