"""The run store of a comparison or sweep: finished runs kept as they arrive, so nothing is lost.

A store is a folder that one process at a time may write (``lock``, held with ``flock``, which
the system releases when the process dies however it dies). Each batch of finished runs becomes
one Parquet part under a unique name, written under a temporary name and renamed into place, so
a part is whole or absent whatever moment the process is killed at; then one manifest line per
run is appended. Finished runs are kept in memory until the next part: every
``flush_every_runs`` runs or ``flush_every_seconds`` seconds, and when the store is closed,
whatever stopped the work. The parts are the record of what is done: a resumed comparison or
sweep runs only the runs whose id no part holds.

Rows are keyed by ``run_id``, a hash of what the run computes (its resolved scenario, seed and
the model's version), and carry only what the run produced. Which strategy, point or replication
a run belongs to is the current plan's business: a caller joins its plan to the stored results
by id, so a run reused under an edited plan never brings a stale label with it.

Opening a store:

- removes part files a kill left under their temporary name;
- sets aside (into ``corrupt/``) any part that cannot be read whole, with a warning, so its
  runs are simply run again;
- compares the plan recorded in ``plan.json`` with the current one and warns, naming what
  changed, when they differ; only runs whose id still matches are reused.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

PARTS = "parts"
MANIFEST = "manifest.jsonl"
PLAN = "plan.json"
LOCK = "lock"
CORRUPT = "corrupt"
FLUSH_EVERY_RUNS = 50
FLUSH_EVERY_SECONDS = 5.0


class StoreInUseError(RuntimeError):
    """Another process is writing to the store."""


class PlanChangedError(RuntimeError):
    """A resume was asked for, but the store holds runs of a different plan."""


def plan_hash(plan: Mapping[str, Any]) -> str:
    """SHA-256 of a plan's canonical JSON."""
    return hashlib.sha256(json.dumps(plan, sort_keys=True, default=str).encode()).hexdigest()


class RunStore:
    """Finished runs of one comparison or sweep folder; use as a context manager (it holds the lock)."""

    def __init__(
        self,
        folder: str | Path,
        plan: Mapping[str, Any],
        *,
        flush_every_runs: int = FLUSH_EVERY_RUNS,
        flush_every_seconds: float = FLUSH_EVERY_SECONDS,
        same_plan_only: bool = False,
    ) -> None:
        self.folder = Path(folder)
        self.same_plan_only = same_plan_only  # a resume: a different plan is an error, not a warning
        self.parts = self.folder / PARTS
        self.manifest = self.folder / MANIFEST
        self.plan = dict(plan)
        self.warnings: list[str] = []
        self._flush_every_runs, self._flush_every_seconds = flush_every_runs, flush_every_seconds
        self._lock_file: Any = None
        self._done: set[str] = set()
        self._buffer: list[Mapping[str, Any]] = []
        self._timings: dict[str, float] = {}
        self._last_flush = time.monotonic()

    def __enter__(self) -> RunStore:
        self.parts.mkdir(parents=True, exist_ok=True)
        self._lock()
        for leftover in self.parts.glob("*.tmp"):  # a kill during a write; its runs are in no part
            leftover.unlink()
        self._check_parts()
        self._check_plan()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.flush()  # whatever stopped the work, what finished is kept
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing releases the lock
            self._lock_file = None

    def _lock(self) -> None:
        handle = open(self.folder / LOCK, "a+", encoding="utf-8")  # noqa: SIM115 - held until __exit__
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StoreInUseError(
                f"{self.folder} is being written by {holder}; wait for it to finish or use another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}\n")
        handle.flush()
        self._lock_file = handle

    def _check_parts(self) -> None:
        for part in self._part_files():
            try:
                ids = pq.read_table(part).column("run_id").to_pylist()  # read whole: a bad page fails here
            except (pa.ArrowException, OSError, KeyError) as exc:
                aside = self.folder / CORRUPT
                aside.mkdir(exist_ok=True)
                os.replace(part, aside / part.name)
                why = type(exc).__name__
                self.warnings.append(f"{part.name} could not be read ({why}); moved to {CORRUPT}/, its runs run again")
                continue
            self._done.update(ids)

    def _check_plan(self) -> None:
        path = self.folder / PLAN
        current = {"hash": plan_hash(self.plan), "plan": self.plan}
        if path.exists() and self._done:
            try:
                recorded = json.loads(path.read_text(encoding="utf-8"))
                old_hash, old_plan = recorded["hash"], recorded["plan"]
            except (ValueError, KeyError, TypeError):
                old_hash, old_plan = None, {}
            if old_hash != current["hash"]:
                changed = sorted(k for k in self.plan.keys() | old_plan.keys() if old_plan.get(k) != self.plan.get(k))
                what = f"{self.folder} holds runs of a different plan (changed: {', '.join(changed) or 'unknown'})"
                if self.same_plan_only:
                    self._unlock()
                    raise PlanChangedError(
                        f"{what}: nothing to resume there; give another --out, or leave out --resume"
                    )
                self.warnings.append(f"{what}; only runs that are exactly the same are reused, the rest are run now")
        elif self._done:
            self.warnings.append(f"{self.folder} holds runs with no plan recorded; only runs that match are reused")
        temp = path.with_suffix(".json.tmp")
        temp.write_text(json.dumps(current, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
        os.replace(temp, path)

    def _part_files(self) -> list[Path]:
        return sorted(self.parts.glob("part-*.parquet"))

    def done_ids(self) -> set[str]:
        """Run ids held by a readable part."""
        return set(self._done)

    def add(self, row: Mapping[str, Any], seconds: float) -> None:
        """Keep a finished run (with ``run_id``, ``status`` and ``error``); it is written with the next part,
        at most ``flush_every_runs`` runs or ``flush_every_seconds`` later, or when the store is closed."""
        self._buffer.append(row)
        self._timings[row["run_id"]] = seconds
        full = len(self._buffer) >= self._flush_every_runs
        if full or time.monotonic() - self._last_flush > self._flush_every_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the runs kept since the last part: one part, then their manifest lines."""
        rows, timings = self._buffer, self._timings
        self._buffer, self._timings, self._last_flush = [], {}, time.monotonic()
        if not rows:
            return
        table = pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)
        # unique (never derived from what is there), and in order of writing when listed
        final = self.parts / f"part-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.parquet"
        temp = final.with_suffix(".parquet.tmp")
        pq.write_table(table, temp)
        with open(temp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(temp, final)
        self._done.update(row["run_id"] for row in rows)
        with open(self.manifest, "a", encoding="utf-8") as f:
            for row in rows:
                entry = {
                    "run_id": row["run_id"],
                    "status": row["status"],
                    "error": row["error"],
                    "wall_seconds": round(timings.get(row["run_id"], float("nan")), 4),
                }
                f.write(json.dumps(entry) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def results(self, ids: Iterable[str] | None = None) -> pd.DataFrame:
        """Every stored run once (``run_id`` and what it produced), only those in ``ids`` if given."""
        parts = self._part_files()
        if not parts:
            return pd.DataFrame({"run_id": pd.Series(dtype=str)})
        df = pd.concat((pd.read_parquet(p) for p in parts), ignore_index=True)
        df = df.drop_duplicates("run_id", keep="first")  # a run stored twice gave the same result twice
        if ids is not None:
            df = df[df["run_id"].isin(set(ids))]
        return df.reset_index(drop=True)

    def manifest_entries(self) -> list[dict[str, Any]]:
        """Manifest lines (a line cut short by a kill is skipped)."""
        if not self.manifest.exists():
            return []
        entries = []
        for line in self.manifest.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return entries
