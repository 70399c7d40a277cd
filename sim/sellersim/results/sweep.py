"""The result of a parameter sweep: its runs, their analysis, and how it ran.

``summary`` has one row per run (``strategy``, ``point``, ``replication``, ``seed``, ``run_id``,
``status``, ``error``, one column per parameter path and per figure); ``analysis`` holds, per
strategy, its ``effects``, ``pairs``, ``sensitivity`` and ``failure_region``, plus the top-level
``sentences`` (and ``verdict`` when the sweep file asks for one); ``meta`` how the sweep ran.
The sweep folder itself is written as the sweep goes (its run store makes it resumable).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # a name for type checkers only: the sweep file's schema belongs to the experiments above
    from sellersim.experiments.sweep.spec import SweepSpec


@dataclass
class SweepResult:
    """A sweep's file, its runs, their analysis, and how it ran.

    Attributes:
        spec: The sweep file: strategies, parameters, design, replications, figures.
        summary: One row a run: strategy, point, replication, seed, the parameters' values and the figures.
        analysis: Effects, pair grids, sensitivity indices, failure regions, the verdict map and sentences.
        meta: How it ran: runs, workers, backend, times, software.
        folder: Where the sweep's files are.
    """

    spec: SweepSpec
    summary: pd.DataFrame
    analysis: dict[str, Any]
    meta: dict[str, Any]
    folder: Path
