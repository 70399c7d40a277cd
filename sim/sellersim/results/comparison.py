"""The result of a comparison of strategies, and the comparison folder it is written to.

``runs`` has one row per (strategy, replication) with ``status``, ``error`` and every figure of
:mod:`sellersim.results.figures`; ``hires`` one row per hire; ``daily_quantiles`` the daily series'
mean and quantiles across replications, per strategy and metric; ``comparison`` the intervals, paired
differences, headline sentences and provenance; ``meta`` a title and the warnings of the run store.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sellersim.results.folders import data_files, written_whole

STORE = "store"
"""The sub-folder of a comparison folder that keeps its finished runs."""


@dataclass
class ComparisonResult:
    """Everything a comparison produced; :meth:`write` makes the comparison folder.

    Attributes:
        runs: One row a run: strategy, replication, seed, status and every figure of its summary.
        hires: One row a hire of every run: its number in the run, role, day and revenue at the hire.
        daily_quantiles: Each strategy's daily series (cash, revenue, profit, headcount, load, solvency)
            across its runs: mean and quantiles.
        comparison: Intervals per strategy, paired differences against the baseline, the headline
            sentences, why the runs stopped and their provenance.
        meta: The title and the run store's warnings.
    """

    runs: pd.DataFrame
    hires: pd.DataFrame
    daily_quantiles: pd.DataFrame
    comparison: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)

    def write(
        self, out_dir: str | Path, *, report: Callable[[ComparisonResult, tuple[str, ...]], str] | None = None
    ) -> Path:
        """Write the comparison folder whole: it appears complete or not at all.

        The folder's run store (``store/``, when the comparison kept one there) is carried into the new folder.

        Args:
            out_dir: The folder; an existing comparison folder there is replaced.
            report: A function from the result and the names of the data files beside it to its HTML
                page (which links them); None writes no ``report.html``.

        Returns:
            ``out_dir``, holding runs.parquet, hires.parquet, daily_quantiles.parquet, comparison.json and report.html.
        """
        out = Path(out_dir)
        with written_whole(out, keep=(STORE,)) as tmp:
            self.runs.to_parquet(tmp / "runs.parquet", index=False)
            self.hires.to_parquet(tmp / "hires.parquet", index=False)
            self.daily_quantiles.to_parquet(tmp / "daily_quantiles.parquet", index=False)
            (tmp / "comparison.json").write_text(json.dumps(self.comparison, indent=2, default=_json) + "\n")
            if report is not None:
                (tmp / "report.html").write_text(report(self, data_files(tmp)), encoding="utf-8")
        return out


def _json(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
