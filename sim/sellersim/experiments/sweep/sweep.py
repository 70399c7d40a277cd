"""A sweep end to end: run what is missing, analyse every stored run, write the summary and how it ran.

The report is the caller's to draw from the result (the CLI writes it into the folder).

>>> from sellersim.experiments.sweep.sweep import run_and_analyse
>>> result = run_and_analyse("scenarios/sweeps/hiring_threshold_cash_cpc.yaml", workers=2)
>>> result.analysis["sentences"]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd

from sellersim.experiments.provenance import software, started_now
from sellersim.experiments.sweep.analysis import (
    difference_grid,
    effects,
    failure_region,
    pair_grid,
    ranking_text,
    sensitivity,
    verdict_map,
    verdict_text,
)
from sellersim.experiments.sweep.designs import DesignTable
from sellersim.experiments.sweep.runner import run_sweep
from sellersim.experiments.sweep.spec import Levels, SweepSpec
from sellersim.results.folders import OutputFolderError, output_problem
from sellersim.results.sweep import SweepResult
from sellersim.scenario.loader import load_model

DIFFERENCE_FIGURES = ("cumulative_sde_usd", "final_cash_usd")
"""The figures a strategy-against-strategy map shows, the first the sweep has (the verdict's figure first)."""


def analyse(
    spec: SweepSpec, design: DesignTable, summary: pd.DataFrame, strategies: Sequence[str] = ()
) -> dict[str, Any]:
    """Effects, pair grids, sensitivity indices and the failure region, per strategy; the verdict per cell;
    strategy against strategy over each pair of parameters.

    ``strategies``: the sweep's strategy names in the sweep file's order (``strategies`` of the
    result; colours follow it); strategies in the runs but not named come after, by name. A grid
    or Morris design is analysed at the levels it simulated; other designs in bins.
    """
    result: dict[str, Any] = {"sentences": []}
    if summary.empty:
        return result
    present = sorted(str(s) for s in summary["strategy"].unique())
    order = [s for s in strategies if s in present] + [s for s in present if s not in strategies]
    result["strategies"] = order
    binned = spec.design.kind not in ("grid", "morris")
    if spec.verdict is not None:
        result["verdict"] = verdict_map(summary, spec.parameters, spec.verdict)
        result["sentences"] += verdict_text(result["verdict"], spec.parameters)
    numeric = [p for p in spec.parameters if not isinstance(p, Levels) or p.numeric]
    for strategy in order:
        per: dict[str, Any] = {
            "effects": {f: effects(summary, spec.parameters, strategy, f, binned=binned) for f in spec.figures},
            "pairs": {
                f: [_pair(summary, a, b, strategy, f, binned) for a, b in combinations(spec.parameters, 2)]
                for f in spec.figures
            },
            "sensitivity": {},
            "failure_region": failure_region(summary, numeric, strategy, binned=binned) if numeric else None,
        }
        if spec.design.kind in ("sobol", "morris"):
            per["sensitivity"] = {f: sensitivity(design, summary, strategy, f, spec.design.kind) for f in spec.figures}
        ranked = ranking_text(per["sensitivity"] or per["effects"])
        result["sentences"] += [f"{strategy}: {s}." for s in ranked]
        if per["failure_region"]:
            result["sentences"].append(f"{strategy} {per['failure_region']['text']}.")
        result[strategy] = per
    figure = _difference_figure(spec)
    if len(order) > 1 and len(spec.parameters) > 1 and figure is not None:
        result["differences"] = {
            "figure": figure,
            "maps": [
                _difference(summary, p1, p2, a, b, figure, binned)
                for a, b in combinations(order, 2)
                for p1, p2 in combinations(spec.parameters, 2)
            ],
        }
    return result


def _difference_figure(spec: SweepSpec) -> str | None:
    """The figure strategies are set against each other on: the verdict's, else SDE or final cash."""
    wanted = ([spec.verdict.figure] if spec.verdict is not None else []) + list(DIFFERENCE_FIGURES)
    return next((f for f in wanted if f in spec.figures), None)


def _pair(summary: pd.DataFrame, a: Any, b: Any, strategy: str, figure: str, binned: bool) -> pd.DataFrame:
    grid = pair_grid(summary, a, b, strategy, figure, binned=binned)
    return grid.rename(columns={a.path: "x", b.path: "y"}).assign(p1=a.path, p2=b.path)


def _difference(summary: pd.DataFrame, p1: Any, p2: Any, a: str, b: str, figure: str, binned: bool) -> pd.DataFrame:
    grid = difference_grid(summary, p1, p2, a, b, figure, binned=binned)
    return grid.rename(columns={p1.path: "x", p2.path: "y"}).assign(p1=p1.path, p2=p2.path, a=a, b=b)


def run_and_analyse(
    spec_path: str | Path,
    out_dir: str | Path | None = None,
    *,
    workers: int = 1,
    backend: str = "local",
    address: str | None = None,
    progress: Callable[[int, int, int], None] | None = None,
    resume: bool = False,
) -> SweepResult:
    """Run the sweep (resuming what a folder already holds), analyse it, and write the folder.

    Replication ``r`` has the same seed at every point and for every strategy, so effects and
    differences are paired; the results do not depend on the backend or the number of workers.

    Args:
        spec_path: The sweep file: strategies, parameters, design, replications, figures, verdict.
        out_dir: The folder; ``results/sweep-<name>`` by default. Runs it already holds are not run again.
        workers: Processes of the local pool, or of a local Dask cluster when no ``address`` is given.
        backend: ``"local"`` (a process pool) or ``"dask"``.
        address: A Dask scheduler to use, for the ``"dask"`` backend; its workers then do the runs.
        progress: Called as runs finish (see :func:`~sellersim.experiments.sweep.runner.run_sweep`).
        resume: Insist that the folder holds runs of this same sweep.

    Returns:
        The sweep file, one row per run, the analysis and how it ran; the folder holds
        ``summary.parquet``, ``analysis.json``, ``sweep.json`` and the store's parts and manifest.

    Raises:
        ScenarioError: The sweep file or a strategy file is invalid.
        OutputFolderError: ``out_dir`` cannot take the sweep (a file, or another kind of folder).
    """
    started = started_now()
    spec_path = Path(spec_path)
    name = load_model(spec_path, SweepSpec).name
    folder = Path(out_dir) if out_dir is not None else Path("results") / f"sweep-{name}"
    if problem := output_problem(folder):
        raise OutputFolderError(f"--out {folder}: {problem}")
    outcome = run_sweep(
        spec_path, folder, workers=workers, backend=backend, address=address, progress=progress, resume=resume
    )
    analysis = analyse(outcome.spec, outcome.design, outcome.summary, outcome.meta["strategies"])
    meta = {
        **outcome.meta,
        "sweep_file": str(spec_path),
        "started": started,
        "software": software(),
    }
    outcome.summary.to_parquet(folder / "summary.parquet", index=False)
    (folder / "analysis.json").write_text(json.dumps(_jsonable(analysis), indent=2, default=str) + "\n")
    (folder / "sweep.json").write_text(json.dumps(meta, indent=2) + "\n")
    return SweepResult(outcome.spec, outcome.summary, analysis, meta, folder)


def _jsonable(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return value.to_dict(orient="records")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
