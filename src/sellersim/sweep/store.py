"""The sweep's store: Parquet part files written atomically, and a manifest line per run.

The driver is the only writer. Each batch of finished runs becomes one part file,
written under a temporary name and renamed into place, so a part is either whole
or absent whatever moment the process is killed at; then one manifest line per run
is appended. The parts are the record of what is done: a run whose part was
written counts as done, and a resumed sweep runs only the rest. A run killed
between its part and its manifest line is simply run again, with the same result,
and duplicates are dropped by run id when reading.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

PARTS = "parts"
MANIFEST = "manifest.jsonl"


class SweepStore:
    """Reads and appends the results of one sweep folder."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.parts = self.folder / PARTS
        self.parts.mkdir(parents=True, exist_ok=True)
        self.manifest = self.folder / MANIFEST
        self._next = len(list(self.parts.glob("part-*.parquet")))

    def done_ids(self) -> set[str]:
        """Run ids already stored in a part file."""
        ids: set[str] = set()
        for part in sorted(self.parts.glob("part-*.parquet")):
            ids.update(pq.read_table(part, columns=["run_id"]).column("run_id").to_pylist())
        return ids

    def append(self, rows: list[Mapping[str, Any]], timings: Mapping[str, float]) -> None:
        """Store finished runs: one atomic part file, then their manifest lines."""
        if not rows:
            return
        table = pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)
        final = self.parts / f"part-{self._next:06d}.parquet"
        temp = final.with_suffix(".parquet.tmp")
        pq.write_table(table, temp)
        with open(temp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(temp, final)
        self._next += 1
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

    def runs(self, order: Iterable[str] = ("strategy", "point", "replication")) -> pd.DataFrame:
        """Every stored run once, in a stable order (the same however the sweep was interrupted)."""
        parts = sorted(self.parts.glob("part-*.parquet"))
        if not parts:
            return pd.DataFrame()
        df = pd.concat((pd.read_parquet(p) for p in parts), ignore_index=True)
        df = df.drop_duplicates("run_id", keep="first")
        return df.sort_values(list(order), kind="stable", ignore_index=True)

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
