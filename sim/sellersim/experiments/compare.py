"""Compare strategies: replications in batches on common random numbers, kept in a run store, and paired statistics.

>>> from sellersim.experiments.compare import compare
>>> result = compare(["scenarios/strategies/solo_then_hire.yaml",
...                   "scenarios/strategies/never_hire.yaml"], replications=50)
>>> result.comparison["sentences"]
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import BrokenExecutor
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import sellersim
from sellersim.calendar import SimCalendar
from sellersim.experiments.decision import decision_table, rank_figure
from sellersim.experiments.engine import Runner, paths_by_strategy, scenario_hash, tasks_for
from sellersim.experiments.narrative import headline_sentences
from sellersim.experiments.provenance import software, started_now
from sellersim.experiments.replication import Outcome, Task, with_seed
from sellersim.experiments.stats import (
    Interval,
    StoppingRule,
    mean_band,
    mean_interval,
    paired_difference,
    probability_of_beating,
    proportion_interval,
    quantile_bands,
)
from sellersim.results.comparison import ComparisonResult
from sellersim.results.figures import DAILY_METRICS, FIGURES, QUANTILES
from sellersim.results.store import FLUSH_EVERY_RUNS, RunStore
from sellersim.scenario.errors import Issue, ScenarioError
from sellersim.scenario.loader import load_scenario
from sellersim.scenario.schema import Scenario
from sellersim.strategy.words import base_strategy, describe_rules


def load_strategies(files: Sequence[str | Path], overrides: Sequence[str] = ()) -> dict[str, tuple[Scenario, Path]]:
    """Load each strategy file; names must be unique and horizons equal, for paired comparisons."""
    loaded: dict[str, tuple[Scenario, Path]] = {}
    issues: list[Issue] = []
    for file in files:
        scenario = load_scenario(file, overrides)
        name = scenario.strategy.name
        if name in loaded:
            issues.append(Issue(str(file), 1, 1, "strategy.name", f"strategy {name!r} is given twice", None, None))
        loaded[name] = (scenario, Path(file))
    horizons = {(s.simulation.start_date, s.simulation.days) for s, _ in loaded.values()}
    if len(horizons) > 1:
        first = str(next(iter(loaded.values()))[1])
        issues.append(
            Issue(first, 1, 1, "simulation", "strategies must share start_date and days to be compared", None, None)
        )
    if issues:
        raise ScenarioError(issues)
    return loaded


def compare(
    files: Sequence[str | Path],
    *,
    baseline: str | None = None,
    replications: int = 200,
    workers: int = 1,
    seed: int | None = None,
    stopping: StoppingRule | None = None,
    overrides: Sequence[str] = (),
    progress: Callable[[Outcome, int], None] | None = None,
    store: str | Path | None = None,
    flush_every_runs: int = FLUSH_EVERY_RUNS,
    resume: bool = False,
    rank_by: str = "sde",
) -> ComparisonResult:
    """Run every strategy ``replications`` times (more in batches when ``stopping`` asks) and compare.

    Ctrl-C (or a worker killed under the pool) stops the runs and returns what finished
    (``comparison["stopping"]["interrupted"]``, with the reason). Replication ``r`` of every
    strategy has the same seed, so the strategies are compared on common luck.

    Args:
        files: The strategy files, one per strategy; they must share the start date and horizon.
        baseline: The strategy the others are paired with; the first file's by default.
        replications: Runs of each strategy (the first batch, when ``stopping`` is given).
        workers: Processes to run them on; results do not depend on it.
        seed: The master seed replications derive theirs from; the first file's own by default.
        stopping: Add replications in batches until a figure's interval is narrow enough.
        overrides: ``dotted.path=value`` settings applied to every strategy file.
        progress: Called with each finished run and the number of runs planned.
        store: A folder that keeps every finished run as it arrives; runs it already holds are not
            run again, so a comparison killed at any moment resumes where it stopped.
        flush_every_runs: How many runs the store gathers before it writes them.
        resume: Insist that ``store`` holds runs of this same comparison (more replications aside).
        rank_by: The figure the decision table ranks by after the risk of running out of cash:
            ``"sde"`` (cumulative SDE, the default) or ``"final_cash"``.

    Returns:
        The runs, hires and daily quantiles, with the decision table, intervals, paired differences,
        sentences, why the runs stopped and their provenance.

    Raises:
        ScenarioError: A strategy file is invalid, or the files do not share a horizon.
        PlanChangedError: ``resume`` and the store holds runs of another comparison.
        ValueError: ``baseline`` is not one of the strategies, or ``rank_by`` is unknown.
    """
    rank_figure(rank_by)  # an unknown figure fails before any run
    started = time.perf_counter()
    started_at = started_now()
    loaded = load_strategies(files, overrides)
    scenarios = {name: s for name, (s, _) in loaded.items()}
    strategies = list(scenarios)
    baseline = baseline or strategies[0]
    if baseline not in scenarios:
        from sellersim.util import did_you_mean

        raise ValueError(f"baseline {baseline!r} is not one of the strategies{did_you_mean(baseline, strategies)}")
    first = scenarios[strategies[0]]
    master_seed = first.simulation.seed if seed is None else seed
    outcomes: dict[tuple[str, int], Outcome] = {}
    done, reason, interrupted = 0, f"ran the {replications} replications asked for", False
    plan = comparison_plan(scenarios, master_seed)
    kept = (
        RunStore(store, plan, flush_every_runs=flush_every_runs, same_plan_only=resume)
        if store is not None
        else nullcontext(None)
    )
    ran = 0
    with kept as runs_store, Runner(scenarios, workers) as runner:
        stored = _stored_records(runs_store)
        batch = range(replications)
        try:
            while batch:
                todo = []
                for task in tasks_for(strategies, batch, master_seed):
                    record = stored.get(run_id(plan, task))
                    if record is None:
                        todo.append(task)
                        continue
                    outcomes[(task.strategy, task.replication)] = _outcome(task, record)
                    if progress is not None:
                        progress(outcomes[(task.strategy, task.replication)], len(strategies) * batch.stop)
                for finished in runner.run(todo):
                    record = _record(finished, run_id(plan, finished.task))
                    if runs_store is not None:
                        runs_store.add(record, finished.wall_seconds)
                    outcome = _outcome(finished.task, record, finished.wall_seconds)  # one path, stored or not
                    outcomes[(outcome.task.strategy, outcome.task.replication)] = outcome
                    ran += 1
                    if progress is not None:
                        progress(outcome, len(strategies) * batch.stop)
                done = batch.stop
                batch = range(0)
                if stopping is not None:
                    stop, reason = stopping.decide(_samples(outcomes, strategies, stopping.figure), done)
                    if not stop:
                        batch = range(done, min(done + stopping.batch, stopping.max_replications))
        except KeyboardInterrupt:
            interrupted = True
            reason = f"interrupted after {len(outcomes)} runs; results cover the runs that finished"
        except BrokenExecutor:  # a worker was killed (out of memory, or by hand): keep what finished
            interrupted = True
            reason = f"a worker process died after {len(outcomes)} runs; results cover the runs that finished"
        warnings = runs_store.warnings if runs_store is not None else []
    calendar = SimCalendar.build(first.simulation.start_date, first.simulation.days, first.market, first.supply)
    return comparison_from_outcomes(
        outcomes,
        strategies=strategies,
        baseline=baseline,
        rank_by=rank_by,
        descriptions={name: s.strategy.description for name, s in scenarios.items()},
        rules={name: describe_rules(s, base=base_strategy(loaded[name][1])) for name, s in scenarios.items()},
        dates=calendar.dates[: first.simulation.days],
        stopping={
            "reason": reason,
            "interrupted": interrupted,
            "target": None
            if stopping is None
            else {
                "figure": stopping.figure,
                "half_width": stopping.target_half_width,
                "max": stopping.max_replications,
            },
        },
        provenance={
            "scenario_files": paths_by_strategy(scenarios, {n: p for n, (_, p) in loaded.items()}),
            "master_seed": master_seed,
            "workers": workers,
            "overrides": list(overrides),
            "software": software(),
            "started": started_at,
            "run_seconds": round(time.perf_counter() - started, 2),
            "run_cpu_seconds": round(sum(o.wall_seconds for o in outcomes.values()), 2),
            "runs_this_session": ran,
            "runs_reused": len(outcomes) - ran,
        },
        meta={"title": f"{len(strategies)} strategies against {baseline}", "warnings": warnings},
    )


def comparison_from_outcomes(
    outcomes: Mapping[tuple[str, int], Outcome],
    *,
    strategies: Sequence[str],
    baseline: str,
    dates: np.ndarray,
    stopping: Mapping[str, Any],
    provenance: Mapping[str, Any],
    meta: Mapping[str, Any],
    rank_by: str = "sde",
    descriptions: Mapping[str, str] | None = None,
    rules: Mapping[str, Sequence[str]] | None = None,
) -> ComparisonResult:
    """The comparison of finished runs: their tables, daily quantiles, intervals, paired differences and sentences.

    Args:
        outcomes: Every finished run by (strategy, replication), failed ones included.
        strategies: The strategies in the order the comparison shows them.
        baseline: The strategy the others are paired with.
        dates: The date of each day of the horizon, one per column of the runs' daily series.
        stopping: Why the runs stopped (``reason``, ``interrupted``, ``target``).
        provenance: What produced the runs (scenario files, seed, workers, software, times); the number of
            runs of each strategy is added as its ``replications``.
        meta: The result's title and the warnings of the run store.
        rank_by: The figure the decision table ranks by after the risk of running out of cash
            (``"sde"`` or ``"final_cash"``).
        descriptions: Each strategy's description, from its strategy file.
        rules: Each strategy's rules in words (:func:`~sellersim.strategy.words.describe_rules`).

    Returns:
        The result, in the order of ``strategies`` then replications whatever order the runs finished in.
    """
    runs = _runs_frame(outcomes, strategies)
    comparison = summarize_comparison(runs, strategies, baseline, rank_by)
    comparison["strategies_described"] = {s: (descriptions or {}).get(s, "") for s in strategies}
    comparison["strategy_rules"] = {s: list((rules or {}).get(s, ())) for s in strategies}
    comparison["stopping"] = dict(stopping)
    comparison["provenance"] = {**provenance, "replications": comparison["replications"]}
    return ComparisonResult(
        runs=runs,
        hires=_hires_frame(outcomes, strategies),
        daily_quantiles=_daily_quantiles(outcomes, strategies, dates),
        comparison=comparison,
        meta=dict(meta),
    )


_LABELS = ("strategy", "replication", "seed")
_NO_JUDGEMENT = Interval(np.nan, np.nan, np.nan, 0)
"""The chance of beating the baseline on a figure where neither way is better: none."""


def comparison_plan(scenarios: Mapping[str, Scenario], master_seed: int) -> dict[str, Any]:
    """What a comparison's runs are made of: each strategy's resolved scenario (seed aside) and the seed."""
    return {
        "strategies": {name: scenario_hash(with_seed(s, 0)) for name, s in scenarios.items()},
        "master_seed": master_seed,
        "sellersim": sellersim.__version__,
    }


def run_id(plan: Mapping[str, Any], task: Task) -> str:
    """The stable id of a run: what it computes (the strategy's scenario, the seed, the model's version)."""
    text = f"{plan['strategies'][task.strategy]}:{task.seed}:{plan['sellersim']}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _record(outcome: Outcome, run: str) -> dict[str, Any]:
    """What the store keeps of a run: its figures and hires as JSON (exact for Python numbers, NaN
    included) and its daily series as raw float32; the labels are the plan's to give back."""
    row = {k: v for k, v in outcome.row.items() if k not in _LABELS}
    hires = [{k: v for k, v in h.items() if k not in _LABELS} for h in outcome.hires]
    return {
        "run_id": run,
        "status": row["status"],
        "error": row["error"],
        "row_json": json.dumps(row),
        "hires_json": json.dumps(hires),
        "series": None if outcome.series is None else outcome.series.astype(np.float32).tobytes(),
    }


def _outcome(task: Task, record: Mapping[str, Any], wall_seconds: float = 0.0) -> Outcome:
    """The run ``record`` holds, labelled as ``task``."""
    labels = {"strategy": task.strategy, "replication": task.replication, "seed": task.seed}
    series = record["series"] if isinstance(record["series"], bytes) else None  # a failed run has none
    return Outcome(
        task,
        {**labels, **json.loads(record["row_json"])},
        [{**labels, **h} for h in json.loads(record["hires_json"])],
        None if series is None else np.frombuffer(series, dtype=np.float32).reshape(len(DAILY_METRICS), -1),
        wall_seconds,
    )


def _stored_records(store: RunStore | None) -> dict[str, dict[str, Any]]:
    """The store's runs by id (none without a store)."""
    if store is None:
        return {}
    return {record["run_id"]: record for record in store.results().to_dict("records")}


def _ordered(outcomes: Mapping[tuple[str, int], Outcome], strategies: Sequence[str]) -> list[Outcome]:
    rank = {s: i for i, s in enumerate(strategies)}
    return [outcomes[k] for k in sorted(outcomes, key=lambda k: (rank[k[0]], k[1]))]


def _samples(outcomes: Mapping[tuple[str, int], Outcome], strategies: Sequence[str], figure: str) -> dict:
    runs = _runs_frame(outcomes, strategies)
    ok = runs[runs["status"] == "ok"]
    return {s: ok.loc[ok["strategy"] == s, figure].to_numpy(dtype=float) for s in strategies}


def _runs_frame(outcomes: Mapping[tuple[str, int], Outcome], strategies: Sequence[str]) -> pd.DataFrame:
    rows = [o.row for o in _ordered(outcomes, strategies)]
    df = pd.DataFrame(rows, columns=None if rows else ["strategy", "replication", "seed", "status", "error"])
    for f in FIGURES:
        if f.name not in df:
            df[f.name] = np.nan
    if "failure_day" in df:
        df["failure_day"] = df["failure_day"].astype(float)
    df["months_to_first_profitable_month"] = df["months_to_first_profitable_month"].astype(float)
    return df


def _hires_frame(outcomes: Mapping[tuple[str, int], Outcome], strategies: Sequence[str]) -> pd.DataFrame:
    cols = ["strategy", "replication", "seed", "hire_number", "role", "day", "monthly_revenue_usd"]
    rows = [h for o in _ordered(outcomes, strategies) for h in o.hires]
    return pd.DataFrame(rows, columns=cols)


def _daily_quantiles(
    outcomes: Mapping[tuple[str, int], Outcome], strategies: Sequence[str], dates: np.ndarray
) -> pd.DataFrame:
    frames = []
    days = np.arange(len(dates))
    for s in strategies:
        series = [o.series for o in _ordered(outcomes, strategies) if o.task.strategy == s and o.series is not None]
        if not series:
            continue
        stack = np.stack(series)  # replications x metrics x days
        for k, metric in enumerate(DAILY_METRICS):
            values = stack[:, k, :]
            bands = quantile_bands(values, QUANTILES)
            frame = pd.DataFrame({"strategy": s, "day": days, "date": pd.to_datetime(dates), "metric": metric})
            frame["mean"] = mean_band(values)
            for q, band in zip(QUANTILES, bands, strict=True):
                frame[f"q{round(q * 100)}"] = band
            frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def summarize_comparison(
    runs: pd.DataFrame, strategies: Sequence[str], baseline: str, rank_by: str = "sde"
) -> dict[str, Any]:
    """Intervals per strategy, paired differences against ``baseline``, the decision table and the sentences.

    Args:
        runs: One row per run (errored runs included, left out of every figure).
        strategies: The strategies in the order the comparison was given them.
        baseline: The strategy the others are paired with.
        rank_by: The figure the decision table ranks by after the risk of running out of cash.

    Returns:
        The comparison: figures and paired differences over every finished run (a company that ran out of
        cash counts with its figures at failure), except ``final_cash_usd_when_both_survive``; the
        ``decision`` table; the headline ``sentences`` in the order of its ranking.
    """
    ok = runs[runs["status"] == "ok"]
    by = {s: ok[ok["strategy"] == s].set_index("replication") for s in strategies}
    figures: dict[str, dict[str, Any]] = {}
    paired: dict[str, dict[str, Any]] = {}
    for s in strategies:
        figures[s] = {}
        for f in FIGURES:
            values = by[s][f.name].to_numpy(dtype=float)
            if f.name == "survived":
                figures[s][f.name] = proportion_interval(int(values.sum()), len(values)).to_dict()
            else:
                figures[s][f.name] = mean_interval(values).to_dict()
    base = by[baseline]
    for s in strategies:
        if s == baseline:
            continue
        both = by[s].index.intersection(base.index)
        x, y = by[s].loc[both], base.loc[both]
        paired[s] = {
            f.name: {
                "difference": paired_difference(x[f.name].to_numpy(float), y[f.name].to_numpy(float)).to_dict(),
                "p_beats_baseline": (
                    _NO_JUDGEMENT
                    if f.higher_is_better is None  # neither way is better: nothing to beat
                    else probability_of_beating(
                        x[f.name].to_numpy(float), y[f.name].to_numpy(float), f.higher_is_better
                    )
                ).to_dict(),
            }
            for f in FIGURES
        }
        survived = both[(x["survived"].to_numpy(bool)) & (y["survived"].to_numpy(bool))]
        paired[s]["final_cash_usd_when_both_survive"] = {
            "difference": paired_difference(
                by[s].loc[survived, "final_cash_usd"].to_numpy(float),
                base.loc[survived, "final_cash_usd"].to_numpy(float),
            ).to_dict()
        }
    outside = ("equity_raised_usd", "final_loan_owed_usd")
    financing = {
        s: {
            "equity_raised_usd": float(by[s]["equity_raised_usd"].mean()),
            "founder_ownership": float(by[s]["founder_ownership"].mean()),
            "final_loan_owed_usd": float(by[s]["final_loan_owed_usd"].mean()),
        }
        for s in strategies
        if all(c in by[s] for c in outside) and by[s][list(outside)].gt(0).any(axis=None)
    }
    result: dict[str, Any] = {
        "baseline": baseline,
        "horizon_days": int(runs["horizon_days"].max()) if "horizon_days" in runs else 0,
        "strategies": list(strategies),
        "replications": {s: int((runs["strategy"] == s).sum()) for s in strategies},
        "failed_runs": {s: int(((runs["strategy"] == s) & (runs["status"] != "ok")).sum()) for s in strategies},
        "figures": figures,
        "paired": paired,
        "financing": financing,  # strategies with outside money: mean equity raised, founder's share, debt left
        "decision": decision_table(runs, strategies, baseline, rank_by),
    }
    result["sentences"] = headline_sentences(result)
    return result
