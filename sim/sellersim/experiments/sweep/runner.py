"""Running a sweep: plan every (strategy, point, replication), run what is missing, store as it goes.

Replication ``r`` uses the same seed at every point and for every strategy (common
random numbers), so differences between points come from the parameters. Each
run has a stable id: a hash of its resolved scenario (seed included) and the
model version; a run already in the store is never run again.
"""

from __future__ import annotations

import copy
import hashlib
import json
import resource
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

import sellersim
from sellersim.experiments.backends import make_backend
from sellersim.experiments.replication import Task, replication_seed, run_task
from sellersim.experiments.sweep.designs import DesignTable, make_design
from sellersim.experiments.sweep.spec import SweepSpec
from sellersim.results.store import FLUSH_EVERY_RUNS, RunStore
from sellersim.scenario.errors import Issue, ScenarioError
from sellersim.scenario.loader import load_document, load_model, load_scenario
from sellersim.scenario.schema import Scenario
from sellersim.util import did_you_mean

_MAYBE_MISSING_NUMBERS = ("failure_day", "months_to_first_profitable_month", "tacos", "acos")


@dataclass(frozen=True)
class RunKey:
    """Which run: strategy, point and replication, with the point's parameter values."""

    strategy: str
    point: int
    replication: int
    seed: int
    params: dict[str, Any]


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sweep with its scenario resolved (or why it could not be) and its stable id."""

    key: RunKey
    scenario: Scenario | None
    problem: str | None  # why the point's values make no valid scenario
    run_id: str

    def base_row(self) -> dict[str, Any]:
        k = self.key
        return {
            "strategy": k.strategy,
            "point": k.point,
            "replication": k.replication,
            "seed": k.seed,
            "run_id": self.run_id,
            **k.params,
        }


def execute(run: PlannedRun) -> tuple[dict[str, Any], float]:
    """Run one planned run in a worker; return what it produced (figures or error, by run id) and wall time."""
    started = time.perf_counter()
    if run.scenario is None:
        return {"run_id": run.run_id, "status": "error", "error": run.problem}, 0.0
    k = run.key
    outcome = run_task(run.scenario, Task(k.strategy, k.replication, k.seed), keep_series=False)
    figures = {k: v for k, v in outcome.row.items() if k not in ("strategy", "replication", "seed")}
    for key in _MAYBE_MISSING_NUMBERS:  # None would make the column's type depend on the batch
        if key in figures and figures[key] is None:
            figures[key] = float("nan")
    return {"run_id": run.run_id, **figures}, time.perf_counter() - started


def _set_path(doc: dict, path: str, value: Any) -> None:
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    node: Any = doc
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value


def _check_path(doc: dict, path: str) -> str | None:
    node: Any = doc
    for key in path.split("."):
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            options = list(node) if isinstance(node, dict) else []
            return f"no {key!r} at this point of the scenario{did_you_mean(key, options) if options else ''}"
    return None


def _line_of(spec_path: Path, text: str) -> int:
    for n, line in enumerate(spec_path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return n
    return 1


def run_keys(spec: SweepSpec, design: DesignTable, strategies: Sequence[str]) -> list[RunKey]:
    """Every run of a sweep, in plan order: strategy by strategy, point by point, replication by replication.

    Args:
        spec: The sweep file (its parameters, replications and master seed).
        design: The sweep's points, from :func:`~sellersim.experiments.sweep.designs.make_design`.
        strategies: The names of the sweep's strategies.

    Returns:
        One key per run; replication ``r`` has the same seed at every point and for every strategy.
    """
    points = design.points.to_dict("records")
    return [
        RunKey(
            name,
            int(point["point"]),
            r,
            replication_seed(spec.seed, r),
            {p.path: _plain(point[p.path]) for p in spec.parameters},
        )
        for name in strategies
        for point in points
        for r in range(spec.replications)
    ]


class Plan:
    """Every run of a sweep as light keys; scenarios are resolved one at a time, when needed,
    so the driver's memory does not grow with the number of runs."""

    def __init__(self, spec: SweepSpec, spec_path: Path, design: DesignTable) -> None:
        self.spec = spec
        self._docs: dict[str, dict] = {}
        issues = []
        for strategy_file in spec.strategies:
            path = (spec_path.parent / strategy_file).resolve()
            line = _line_of(spec_path, strategy_file)
            try:
                load_scenario(path)  # checked as `validate` checks it, before any run
                doc = load_document(path)
            except OSError as exc:
                issues.append(Issue(str(spec_path), line, 1, "strategies", f"cannot read {path}: {exc.strerror}"))
                continue
            except ScenarioError as exc:
                issues.extend(exc.issues)
                continue
            for p in spec.parameters:
                if problem := _check_path(doc, p.path):
                    at = _line_of(spec_path, p.path)
                    issues.append(Issue(str(spec_path), at, 1, "parameters.path", f"{p.path}: {problem}"))
            name = doc["strategy"]["name"]
            if name in self._docs:
                message = f"two files name their strategy {name!r}: give each strategy its own name"
                issues.append(Issue(str(spec_path), line, 1, "strategies", message))
            self._docs[name] = doc
        if issues:
            raise ScenarioError(issues)
        self.keys = run_keys(spec, design, list(self._docs))

    def description(self) -> dict[str, Any]:
        """What the plan is made of, recorded with the store so that a resume can say what changed.

        Replications are left out: more of them extend the same sweep (its runs so far are reused); so is
        the verdict, which only reads the runs."""
        spec = self.spec.model_dump(mode="json", exclude={"replications", "verdict"})
        documents = {
            name: hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()
            for name, doc in self._docs.items()
        }
        return {**spec, "strategy_files": documents, "sellersim": sellersim.__version__}

    def resolve(self, key: RunKey) -> PlannedRun:
        """The run's scenario: the strategy's document with the point's values, horizon and seed."""
        doc = copy.deepcopy(self._docs[key.strategy])
        for path, value in key.params.items():
            _set_path(doc, path, value)
        if self.spec.days is not None:
            doc["simulation"]["days"] = self.spec.days
        doc["simulation"]["seed"] = key.seed
        try:
            scenario, problem = Scenario.model_validate(doc), None
            body: Any = scenario.model_dump(mode="json")
        except ValidationError as exc:
            scenario = None
            problem = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            body = {"invalid": key.params, "strategy": key.strategy, "seed": key.seed}
        text = json.dumps(body, sort_keys=True, default=str) + sellersim.__version__
        return PlannedRun(key, scenario, problem, hashlib.sha256(text.encode()).hexdigest()[:32])


def summary_table(planned: Sequence[Mapping[str, Any]], results: pd.DataFrame) -> pd.DataFrame:
    """The sweep's summary: one row per planned run that has a result, its plan labels joined to it by run id.

    Labels (strategy, point, parameter values) always come from the current plan, so a run reused
    after the spec was edited is filed under its place in the plan as it is now.

    Args:
        planned: Every planned run's labels (:meth:`PlannedRun.base_row`), ``run_id`` included.
        results: What the runs produced, one row per ``run_id`` (as :func:`execute` returns them).

    Returns:
        The joined rows in plan order (strategy, point, replication); empty when no run has a result.
    """
    if results.empty:
        return pd.DataFrame()
    labels = pd.DataFrame(planned)
    summary = labels.merge(results, on="run_id", how="inner", validate="many_to_one")
    return summary.sort_values(["strategy", "point", "replication"], kind="stable", ignore_index=True)


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


@dataclass
class SweepOutcome:
    """What running a sweep did: the spec, design, every stored run of it, and how it went."""

    spec: SweepSpec
    design: DesignTable
    summary: Any  # DataFrame, one row per run
    meta: dict[str, Any]


def run_sweep(
    spec_path: str | Path,
    out_dir: str | Path,
    *,
    workers: int = 1,
    backend: str = "local",
    address: str | None = None,
    progress: Callable[[int, int, int], None] | None = None,
    flush_every_runs: int = FLUSH_EVERY_RUNS,
    resume: bool = False,
) -> SweepOutcome:
    """Run what is missing of the sweep in ``spec_path`` into ``out_dir`` and return every run of it.

    ``progress(done, total, failed)`` is called after each finished run. Ctrl-C (and SIGTERM,
    which the command line turns into it) or a worker killed under the pool stops the sweep after
    storing every finished run (``meta["interrupted"]``); run it again to resume. ``resume``
    insists that the folder holds runs of this same sweep (:class:`~sellersim.results.store.PlanChangedError`).
    """
    started = time.perf_counter()
    spec_path = Path(spec_path)
    spec = load_model(spec_path, SweepSpec)
    design = make_design(spec)
    plan = Plan(spec, spec_path, design)
    done_ids: set[str] = set()
    planned: list[dict[str, Any]] = []  # every planned run's labels, in plan order
    total, finished, failed, ran, interrupted = len(plan.keys), 0, 0, 0, False
    run_seconds = 0.0

    def missing() -> Iterator[PlannedRun]:
        nonlocal finished
        for key in plan.keys:
            run = plan.resolve(key)
            planned.append(run.base_row())
            if run.run_id in done_ids:
                finished += 1
            else:
                yield run

    kept = RunStore(out_dir, plan.description(), flush_every_runs=flush_every_runs, same_plan_only=resume)
    with kept as store, make_backend(backend, workers, address) as pool:
        done_ids = store.done_ids()
        try:
            for row, seconds in pool.map_unordered(execute, missing()):
                store.add(row, seconds)
                run_seconds += seconds
                finished += 1
                ran += 1
                failed += row["status"] != "ok"
                if progress is not None:
                    progress(finished, total, failed)
        except (KeyboardInterrupt, BrokenExecutor):  # Ctrl-C, SIGTERM, or a worker killed: keep what finished
            interrupted = True
        store.flush()
        workers_used = pool.workers
        if interrupted:  # runs never reached still belong to the sweep
            planned.extend(plan.resolve(k).base_row() for k in plan.keys[len(planned) :])
        summary = summary_table(planned, store.results({row["run_id"] for row in planned}))
        warnings = store.warnings
    wall = time.perf_counter() - started
    meta = {
        "runs": total,
        "runs_this_session": ran,
        "failed_runs": int((summary["status"] != "ok").sum()) if len(summary) else 0,
        "interrupted": interrupted,
        "backend": backend,
        "workers": workers_used,
        "run_seconds": round(wall, 2),
        "runs_per_second": round(ran / wall, 3) if wall > 0 else None,
        "efficiency": round(run_seconds / (wall * workers_used), 3) if ran and wall > 0 else None,
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "sellersim_version": sellersim.__version__,
        "warnings": warnings,
        "strategies": list(dict.fromkeys(k.strategy for k in plan.keys)),  # the sweep file's order
    }
    return SweepOutcome(spec, design, summary, meta)
