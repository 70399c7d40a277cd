"""One replication of one strategy, as a worker process runs it.

Replication ``i`` of every strategy gets the same seed, so every random source
(niche draws, daily demand, reviews, lead times, recruiting, quits...) gives the
same draws to every strategy: common random numbers. Differences between
strategies in replication ``i`` then come from the strategies, not from luck.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sellersim.model import SellerModel
from sellersim.results.figures import DAILY_METRICS
from sellersim.results.run import collect
from sellersim.scenario.schema import Scenario

_MONTH_DAYS = 30


def replication_seed(master_seed: int, replication: int) -> int:
    """The seed of replication ``replication``: independent streams per replication, shared by strategies."""
    return int(np.random.SeedSequence([master_seed, replication]).generate_state(1)[0])


def with_seed(scenario: Scenario, seed: int) -> Scenario:
    """``scenario`` with ``simulation.seed`` replaced."""
    return scenario.model_copy(update={"simulation": scenario.simulation.model_copy(update={"seed": seed})})


@dataclass(frozen=True)
class Task:
    """What a worker is asked to run."""

    strategy: str
    replication: int
    seed: int


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back: the run's figures, its hires and its daily series (or its error)."""

    task: Task
    row: dict[str, Any]
    hires: list[dict[str, Any]] = field(default_factory=list)
    series: np.ndarray | None = None  # len(DAILY_METRICS) x horizon days, float32
    wall_seconds: float = 0.0  # kept out of the row: results must not depend on the machine


def run_task(scenario: Scenario, task: Task, keep_series: bool = True) -> Outcome:
    """Run one replication; an exception becomes a failed outcome, never a crash of the comparison.

    ``keep_series=False`` leaves out the daily series (sweeps keep only the figures).
    """
    started = time.perf_counter()
    base = {"strategy": task.strategy, "replication": task.replication, "seed": task.seed}
    try:
        model = SellerModel(with_seed(scenario, task.seed))
        model.run()
        result = collect(model)
    except Exception:
        row = {**base, "status": "error", "error": traceback.format_exc(limit=8)}
        return Outcome(task, row, wall_seconds=time.perf_counter() - started)
    summary = result.summary
    row = {**base, "status": "ok", "error": None}
    row.update({k: v for k, v in summary.items() if not isinstance(v, (list, dict))})
    hires = [
        {
            **base,
            "hire_number": k + 1,
            "role": h["role"],
            "day": h["day"],
            "monthly_revenue_usd": h["monthly_revenue_usd"],
        }
        for k, h in enumerate(summary["hires"])
    ]
    series = daily_series(model, scenario.simulation.days) if keep_series else None
    return Outcome(task, row, hires, series, time.perf_counter() - started)


def last_month_totals(values: np.ndarray, day_of_month: np.ndarray) -> np.ndarray:
    """Each day's total of ``values`` over the last whole calendar month that ended by that day (NaN before
    the first one ends; the run's first month counts only if it starts on the 1st).

    Monthly bills (payroll, storage, owner's pay) land once a month, so a sum over a trailing 30-day window
    holds two of them or none around short and long months and jumps by a month's bills; a calendar month
    holds one. ``day_of_month`` runs one day past ``values`` (it tells whether the last day ends a month).
    """
    n = len(values)
    month = np.cumsum(day_of_month[:n] == 1)  # each day's month: 0 for the days before the first 1st
    totals = np.bincount(month, weights=values)
    ends = day_of_month[1 : n + 1] == 1  # the day closes its month
    whole = ends & (month > 0)  # month 0 is the days before the first 1st: not a whole month
    latest = np.maximum.accumulate(np.where(whole, month, -1))  # the last whole month closed by each day
    return np.where(latest >= 0, totals[np.maximum(latest, 0)], np.nan)


def daily_series(model: SellerModel, horizon_days: int) -> np.ndarray:
    """The run's :data:`DAILY_METRICS` over the full horizon; after a failure the company is gone.

    A failed company keeps its last cash and has no revenue, profit or staff from then on.
    """
    daily = model.recorder.daily
    n = model.recorder.last_day + 1
    out = np.zeros((len(DAILY_METRICS), horizon_days), dtype=np.float32)
    kernel = np.ones(_MONTH_DAYS)
    for k, metric in enumerate(DAILY_METRICS):
        match metric:
            case "cash_usd":
                values = daily["cash_usd"][:n]
                out[k, n:] = values[-1]
            case "revenue_30d_usd":
                values = np.convolve(daily["revenue_usd"][:n], kernel)[:n]
            case "profit_month_usd":
                values = last_month_totals(daily["profit_usd"][:n], model.calendar.day_of_month[: n + 1])
            case "headcount":
                values = daily["headcount"][:n]
            case "founder_load":
                values = daily["founder_load"][:n]
                out[k, n:] = np.nan
            case "solvent":
                values = np.ones(n)
                if model.failure is not None:
                    values[model.failure[0] :] = 0.0
        out[k, :n] = values
    return out
