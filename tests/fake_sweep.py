"""Made-up runs of a sweep, fed through the engine's own design and analysis, for the sweep report's tests.

The points are the real design's (:func:`~sellersim.experiments.sweep.designs.make_design`) and the
runs the real plan's (:func:`~sellersim.experiments.sweep.runner.run_keys`). Each run's figures come
from a planted model: profit rises with the profit multiple, falls with the cost per click (much more
for ``ops_first_day_one``, which pays staff from day one) and a little with air freight; a company
whose cash plus profit falls below a cushion fails. The summary is joined as the runner joins it and
the effects, pair grids, sensitivity indices, failure regions and sentences are the engine's
(:func:`~sellersim.experiments.sweep.sweep.analyse`).

A ``sobol`` or ``morris`` design needs numeric parameters (the spec's rule), so the third parameter
is the numeric starting cash there and the categorical freight mode (``sea``/``air``) otherwise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sellersim.experiments.sweep.designs import make_design
from sellersim.experiments.sweep.runner import PlannedRun, RunKey, run_keys, summary_table
from sellersim.experiments.sweep.spec import SweepSpec
from sellersim.experiments.sweep.sweep import analyse
from sellersim.results.figures import FIGURES as ALL_FIGURES
from sellersim.results.sweep import SweepResult

PM = "strategy.parameters.profit_multiple"
CPC = "market.niches.cpc_usd.median"
CASH = "company.starting_cash_usd"
FREIGHT = "supply.freight.mode"
STRATEGIES = ("solo_then_hire", "ops_first_day_one")
FIGURES = ("survived", "cumulative_profit_usd", "final_cash_usd")
HORIZON_DAYS = 1095
RUNS_PER_SECOND = 23.4

# Per strategy: profit at the centre, per unit of profit multiple, per $1 of CPC above 1.0, noise.
PROFILES = {
    "solo_then_hire": {"base": 18_000.0, "pm": 26_000.0, "cpc": -55_000.0, "noise": 14_000.0},
    "ops_first_day_one": {"base": 6_000.0, "pm": 34_000.0, "cpc": -90_000.0, "noise": 18_000.0},
}
CUSHION = 6_000.0
AIR_COST = 9_000.0
BOOM = 150_000.0  # profit so large that every company survives


VERDICT = {"figure": "final_cash_usd", "max_failure_share": 0.25}
"""The winner per cell a grid sweep's ``verdict`` names, when it asks for one."""


def make_spec(
    design: str = "sobol", *, strategies: Sequence[str] = STRATEGIES, samples: int = 8, verdict: bool = False
) -> SweepSpec:
    """The sweep file: profit multiple and CPC ranges, plus starting cash (sobol/morris) or freight mode; with
    ``verdict`` (a grid only) it names a winner per cell."""
    third = (
        {"path": CASH, "values": [20_000, 40_000, 80_000]}
        if design in ("sobol", "morris")
        else {"path": FREIGHT, "values": ["sea", "air"]}
    )
    return SweepSpec.model_validate(
        {
            "name": "hiring_threshold_cash_cpc",
            "description": "How the profit multiple that triggers hiring, starting cash and ad costs decide survival.",
            "strategies": [f"../strategies/{s}.yaml" for s in strategies],
            "parameters": [{"path": PM, "low": 0.5, "high": 3.0}, third, {"path": CPC, "low": 0.6, "high": 1.6}],
            "design": {"kind": design, "samples": samples, "levels": 4},
            "replications": 5,
            "figures": list(FIGURES),
            "seed": 7,
            "verdict": VERDICT if verdict else None,
        }
    )


def _figures(key: RunKey, rng: np.random.Generator, boom: float) -> dict[str, Any]:
    """What one run produces (as the runner stores it, labels aside), from the planted model."""
    profile = PROFILES.get(key.strategy, PROFILES["solo_then_hire"])
    cash = float(key.params.get(CASH, 40_000))
    profit = (
        profile["base"]
        + boom
        + profile["pm"] * (float(key.params[PM]) - 1.75)
        + profile["cpc"] * (float(key.params[CPC]) - 1.0)
        - (AIR_COST if key.params.get(FREIGHT) == "air" else 0.0)
        + rng.normal(0, profile["noise"])
    )
    survived = cash + profit > CUSHION
    final = cash + profit if survived else -rng.uniform(0, 2_500)
    failure_day = None if survived else int(rng.integers(120, HORIZON_DAYS))
    row: dict[str, Any] = {
        "status": "ok",
        "error": None,
        "completed": True,
        "survived": bool(survived),
        "days_simulated": HORIZON_DAYS if survived else failure_day + 1,
        "horizon_days": HORIZON_DAYS,
        "failure_day": float("nan") if survived else failure_day,
        "failure_cause": None if survived else "cash ran out: a supplier invoice could not be paid",
        "cumulative_profit_usd": round(profit if survived else final - cash, 2),
        "final_cash_usd": round(final, 2),
    }
    # The figures the model does not plant get arbitrary values: the row has every figure a run's has.
    for f in ALL_FIGURES:
        row.setdefault(f.name, round(float(rng.uniform(0, 100)), 1) if f.unit != "count" else int(rng.integers(0, 9)))
    return row


def _crash(number: int) -> dict[str, Any]:
    """A run that raised: no figures, only the error (the first one without a message)."""
    if number == 0:
        return {"status": "error", "error": None}
    return {"status": "error", "error": f"ValueError: negative stock for product P{number} on day {100 + 13 * number}"}


def make_sweep(
    design: str = "sobol",
    *,
    strategies: Sequence[str] = STRATEGIES,
    samples: int | None = None,
    error_runs: int = 0,
    failure_regions: bool = True,
    seed: int = 3,
    verdict: bool = False,
) -> SweepResult:
    """A sweep of ``strategies`` over a ``design`` (by default 40 points, 32 for morris and grid), 5 replications.

    ``error_runs`` runs of the last strategy crash; ``failure_regions=False`` makes the market so
    profitable that every company survives (no failure region anywhere); ``verdict`` (a grid only) names a
    winner per cell.
    """
    if samples is None:
        samples = 8 if design in ("sobol", "morris") else 40
    spec = make_spec(design, strategies=strategies, samples=samples, verdict=verdict)
    table = make_design(spec)
    keys = run_keys(spec, table, strategies)
    rng = np.random.default_rng(seed)
    boom = 0.0 if failure_regions else BOOM
    last = [i for i, key in enumerate(keys) if key.strategy == strategies[-1]]
    crashed = last[len(last) - error_runs :]
    planned, results = [], []
    for i, key in enumerate(keys):
        run_id = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        planned.append(PlannedRun(key, None, None, run_id).base_row())
        produced = _crash(crashed.index(i)) if i in crashed else _figures(key, rng, boom)
        results.append({"run_id": run_id, **produced})
    summary = summary_table(planned, pd.DataFrame(results))
    runs = len(summary)
    meta = {
        "runs": runs,
        "runs_this_session": runs,
        "failed_runs": int((summary["status"] != "ok").sum()),
        "interrupted": False,
        "backend": "local",
        "workers": 8,
        "run_seconds": round(runs / RUNS_PER_SECOND, 2),
        "runs_per_second": RUNS_PER_SECOND,
        "efficiency": 0.86,
        "peak_memory_mb": 742.5,
        "sellersim_version": "0.3.0",
        "warnings": [],
        "strategies": list(strategies),
        "sweep_file": f"scenarios/sweeps/{spec.name}.yaml",
        "started": "2027-01-04T09:30:00+00:00",
        "software": {"sellersim": "0.3.0", "python": "3.12.3", "numpy": np.__version__, "pandas": pd.__version__},
    }
    return SweepResult(
        spec, summary, analyse(spec, table, summary, strategies), meta, folder=Path("results") / f"sweep-{spec.name}"
    )
