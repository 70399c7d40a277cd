"""Made-up runs of a comparison, fed through the engine's own assembly, for the comparison report's tests.

Each strategy's replications are simple random company paths (revenue ramping to a plateau, hires by
schedule or revenue threshold, cash failing below zero). From them the fake makes up only what a run
would send back (its row of figures, its hires and its daily series); the runs table, daily quantiles,
intervals, paired differences and headline sentences are then the engine's
(:func:`~sellersim.experiments.compare.comparison_from_outcomes`), as a real comparison makes them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from sellersim.experiments.compare import comparison_from_outcomes
from sellersim.experiments.engine import tasks_for
from sellersim.experiments.replication import Outcome, Task
from sellersim.results.comparison import ComparisonResult

START = pd.Timestamp("2027-01-04")
STARTING_CASH = 40_000.0
MASTER_SEED = 20270104
WORKERS = 8
SALARY = {
    "operator": 2170.0,
    "ads_specialist": 2170.0,
    "customer_service": 1265.0,
    "designer": 1600.0,
    "product_developer": 2400.0,
    "offshore_va": 900.0,
    "logistics": 1500.0,
}


class HireRule(NamedTuple):
    """Hire ``role`` on ``day`` (with a little jitter), or once monthly revenue reaches ``revenue``."""

    role: str
    day: int | None = None
    revenue: float | None = None


class Profile(NamedTuple):
    """How one fake strategy's companies grow: plateau monthly revenue, ramp (days), margin, hires."""

    revenue: float
    ramp: float
    margin: float
    hires: tuple[HireRule, ...]
    launches_per_year: float = 3.0


PROFILES: dict[str, Profile] = {
    "solo_then_hire": Profile(
        90_000, 420, 0.16, (HireRule("operator", revenue=30_000), HireRule("ads_specialist", revenue=60_000))
    ),
    "never_hire": Profile(55_000, 380, 0.18, ()),
    "full_team_day_one": Profile(
        140_000,
        330,
        0.22,
        (
            HireRule("operator", day=0),
            HireRule("ads_specialist", day=7),
            HireRule("customer_service", day=14),
            HireRule("designer", day=21),
        ),
        launches_per_year=6.0,
    ),
    "hire_on_fixed_schedule": Profile(
        100_000,
        450,
        0.16,
        (HireRule("operator", day=180), HireRule("ads_specialist", day=365), HireRule("customer_service", day=540)),
    ),
    "offshore_va_first": Profile(
        80_000,
        400,
        0.17,
        (
            HireRule("offshore_va", revenue=15_000),
            HireRule("offshore_va", revenue=35_000),
            HireRule("operator", revenue=60_000),
        ),
    ),
    "ops_first_day_one": Profile(
        95_000, 430, 0.16, (HireRule("operator", day=0), HireRule("ads_specialist", revenue=50_000))
    ),
    "product_team_first": Profile(
        110_000,
        520,
        0.16,
        (HireRule("product_developer", day=60), HireRule("designer", day=120), HireRule("operator", revenue=70_000)),
        launches_per_year=5.0,
    ),
}
DESCRIPTIONS = {
    "solo_then_hire": "The founder alone until revenue pays for an operator, then an ads specialist.",
    "never_hire": "The founder does everything, for the whole run.",
    "full_team_day_one": "Four hires in the first month, funded by an equity round.",
}
"""What some strategy files say their strategy is (the others leave it empty)."""
RULES = {
    "solo_then_hire": (
        "Hires an operator when the last 3 months' average monthly revenue is at least $30,000; up to a headcount "
        "of 1.",
        "Hires an ads specialist when the last 3 months' average monthly revenue is at least $60,000 and either "
        "the share of ads work done is below 85% or the founder's workload over the last 4 weeks is above "
        "1.1 × their normal 60 h week; up to a headcount of 1, at least 90 days apart.",
        "Owner's pay: $2,500 at the end of each month in which each of the last 3 months was profitable and cash "
        "in the bank is at least $20,000; otherwise nothing.",
    ),
    "never_hire": (
        "Never hires: the founder works alone.",
        "No outside money: no credit line, equity or inventory loans.",
    ),
    "full_team_day_one": (
        "Hires an operator from the first day; up to a headcount of 1.",
        "Hires an ads specialist from day 7 (month 1); up to a headcount of 1.",
        "Hires a customer service from day 14 (month 1); up to a headcount of 1.",
        "Hires a designer and photographer from day 21 (month 1); up to a headcount of 1.",
        "Raises $200,000 for 20% of the company on the first day.",
    ),
}
"""The rules in words of the strategies described (in the words of :mod:`sellersim.strategy.words`)."""

DOOMED = Profile(8_000, 700, 0.02, tuple(HireRule(r, day=0) for r in ("operator", "ads_specialist", "designer")))
"""A strategy that always runs out of cash."""

STRATEGIES = tuple(PROFILES)


class _Paths(NamedTuple):
    """One strategy's replications, day by day (arrays of shape replications x days)."""

    cash: np.ndarray
    revenue: np.ndarray
    profit: np.ndarray
    headcount: np.ndarray
    payroll: np.ndarray  # a month's salaries, day by day
    load: np.ndarray  # NaN once the company is gone, as a run records it
    solvent: np.ndarray
    hire_days: np.ndarray  # replications x rules, inf when never hired
    roles: tuple[str, ...]


def _smooth_noise(rng: np.random.Generator, reps: int, days: int, window: int = 45) -> np.ndarray:
    """Slowly varying noise of standard deviation about 1."""
    white = rng.normal(0, 1, (reps, days + window))
    c = np.cumsum(white, axis=1)
    return (c[:, window:] - c[:, :-window]) / math.sqrt(window)


def _simulate(rng: np.random.Generator, profile: Profile, reps: int, days: int) -> _Paths:
    t = np.arange(days, dtype=float)
    plateau = profile.revenue * rng.lognormal(0, 0.45, reps)
    ramp = profile.ramp * rng.lognormal(0, 0.25, reps)
    season = 1 + 0.25 * np.exp(-(((t % 365) - 330) ** 2) / (2 * 20**2))
    revenue = plateau[:, None] * (1 - np.exp(-t / ramp[:, None])) * season * (1 + 0.12 * _smooth_noise(rng, reps, days))
    revenue = revenue.clip(min=0)

    hire_days = np.full((reps, len(profile.hires)), np.inf)
    for i, rule in enumerate(profile.hires):
        if rule.day is not None:
            hire_days[:, i] = rule.day + rng.integers(0, 8, reps)
        else:
            reached = revenue >= rule.revenue
            first = reached.argmax(axis=1).astype(float)
            first[~reached.any(axis=1)] = np.inf
            hire_days[:, i] = first + 30
    employed = hire_days[:, :, None] <= t[None, None, :]
    salaries = np.array([SALARY[r.role] for r in profile.hires]).reshape(1, -1, 1)
    payroll = (employed * salaries).sum(axis=1) if profile.hires else np.zeros((reps, days))
    headcount = employed.sum(axis=1).astype(float) if profile.hires else np.zeros((reps, days))

    margin = profile.margin + rng.normal(0, 0.04, reps)
    launch_spend = 9000 * np.exp(-t / 60) / 30
    profit = margin[:, None] * revenue - payroll - 1500 - 30 * launch_spend
    cash = STARTING_CASH + np.cumsum(profit / 30, axis=1) - 0.35 * revenue
    broke = cash < 0
    failed_at = np.where(broke.any(axis=1), broke.argmax(axis=1), days)
    solvent = t[None, :] < failed_at[:, None]
    frozen = cash[np.arange(reps), np.minimum(failed_at, days - 1)]
    cash = np.where(solvent, cash, frozen[:, None])
    revenue, profit, headcount, payroll = (np.where(solvent, a, 0.0) for a in (revenue, profit, headcount, payroll))
    hire_days = np.where(hire_days <= failed_at[:, None], hire_days, np.inf)

    load = (0.75 + revenue / 45_000) / (1 + 0.45 * headcount) * (1 + 0.08 * _smooth_noise(rng, reps, days, 21))
    load = np.where(solvent, load, np.nan)
    return _Paths(
        cash, revenue, profit, headcount, payroll, load, solvent, hire_days, tuple(r.role for r in profile.hires)
    )


def _rows(rng: np.random.Generator, p: _Paths, profile: Profile, days: int) -> list[dict[str, Any]]:
    """Each replication's row of figures, as a finished run reports them (labels aside)."""
    reps = p.cash.shape[0]
    survived = p.solvent[:, -1]
    failed_at = (~p.solvent).argmax(axis=1)
    profitable = p.profit > 0
    first_profitable = np.ceil((profitable.argmax(axis=1) + 1) / 30.44)
    weekly_load = p.load[:, : days // 7 * 7].reshape(reps, -1, 7).mean(axis=2)  # NaN once the company is gone
    lived = np.where(survived, days, failed_at)
    owners_pay = 2500 * lived / 365 * 6
    profit = p.profit.sum(axis=1) / 30
    stockouts = rng.poisson(30 + 0.0004 * p.revenue.max(axis=1))
    lost = (stockouts * rng.uniform(5, 25, reps)).round()
    launched = 1 + rng.poisson(profile.launches_per_year * lived / 365)
    cut_back = 8 * rng.poisson(np.nan_to_num((weekly_load > 1.2).mean(axis=1)))
    error_hours = rng.uniform(300, 900, reps)
    quits = rng.binomial(np.isfinite(p.hire_days).sum(axis=1), 0.25)
    return [
        {
            "status": "ok",
            "error": None,
            "completed": True,
            "survived": bool(survived[r]),
            "days_simulated": int(lived[r]) if survived[r] else int(lived[r]) + 1,
            "horizon_days": days,
            "failure_day": None if survived[r] else int(failed_at[r]),
            "failure_cause": None if survived[r] else "cash ran out: a supplier invoice could not be paid",
            "final_cash_usd": round(float(p.cash[r, -1]), 2),
            "lowest_cash_usd": round(float(p.cash[r].min()), 2),
            "lowest_cash_day": int(p.cash[r].argmin()),
            "cumulative_profit_usd": round(float(profit[r]), 2),
            "cumulative_sde_usd": round(float(profit[r] + owners_pay[r]), 2),
            "cumulative_owners_pay_usd": round(float(owners_pay[r]), 2),
            "cumulative_payroll_usd": round(float(p.payroll[r].sum() / 30), 2),
            "equity_raised_usd": 0.0,
            "founder_ownership": 1.0,
            "final_loan_owed_usd": 0.0,
            "final_cash_less_loans_usd": round(float(p.cash[r, -1]), 2),
            "peak_monthly_revenue_usd": round(float(p.revenue[r].max()), 2),
            "final_monthly_revenue_usd": round(float(p.revenue[r, -1]), 2),
            "months_to_first_profitable_month": int(first_profitable[r]) if profitable[r].any() else None,
            "products_launched": int(launched[r]),
            "peak_headcount": int(p.headcount[r].max()),
            "stockout_days": int(stockouts[r]),
            "lost_sales_units": int(lost[r]),
            "founder_overload_weeks": int((weekly_load[r] > 1).sum()),
            "founder_mean_weekly_hours": round(float(60 * np.nanmean(weekly_load[r])), 1),
            "founder_cut_back_weeks": int(cut_back[r]),
            "error_hours": round(float(error_hours[r]), 1),
            "quits": int(quits[r]),
        }
        for r in range(reps)
    ]


def _hires(task: Task, p: _Paths) -> list[dict[str, Any]]:
    """One replication's hires in the order they were made."""
    labels = {"strategy": task.strategy, "replication": task.replication, "seed": task.seed}
    days = p.hire_days[task.replication]
    order = [k for k in np.argsort(days, kind="stable") if np.isfinite(days[k])]
    return [
        {
            **labels,
            "hire_number": number,
            "role": p.roles[k],
            "day": int(days[k]),
            "monthly_revenue_usd": round(float(p.revenue[task.replication, int(days[k])]), 2),
        }
        for number, k in enumerate(order, start=1)
    ]


def _series(p: _Paths, replication: int) -> np.ndarray:
    """One replication's daily series, in the order of ``DAILY_METRICS``."""
    metrics = (p.cash, p.revenue, p.profit, p.headcount, p.load, p.solvent)
    return np.stack([m[replication] for m in metrics]).astype(np.float32)


def _crash(task: Task) -> Outcome:
    """A run that raised: its row holds the traceback and no figures, as ``run_task`` records it."""
    message = f"ValueError: cannot restock product {task.replication % 5 + 1}: negative order quantity"
    trace = f'Traceback (most recent call last):\n  File "sellersim/supply/orders.py", line 88, in restock\n{message}\n'
    labels = {"strategy": task.strategy, "replication": task.replication, "seed": task.seed}
    return Outcome(task, {**labels, "status": "error", "error": trace}, wall_seconds=0.4)


def make_comparison(
    *,
    strategies: Sequence[str] = STRATEGIES,
    baseline: str | None = None,
    replications: int = 100,
    days: int = 1095,
    error_runs: int = 0,
    doomed: str | None = None,
    seed: int = 11,
    rank_by: str = "sde",
) -> ComparisonResult:
    """A comparison of ``strategies`` (baseline: the first), ``replications`` runs each over ``days`` days.

    ``error_runs`` runs of the last strategy crash with an error; ``doomed`` names a strategy (added
    if not in ``strategies``) whose companies all run out of cash.
    """
    strategies = list(strategies)
    if doomed is not None and doomed not in strategies:
        strategies.append(doomed)
    baseline = baseline or strategies[0]
    rng = np.random.default_rng(seed)
    outcomes: dict[tuple[str, int], Outcome] = {}
    for name in strategies:
        profile = DOOMED if name == doomed else PROFILES.get(name, PROFILES["solo_then_hire"])
        paths = _simulate(rng, profile, replications, days)
        rows = _rows(rng, paths, profile, days)
        seconds = rng.uniform(1.5, 3.5, replications).round(3)
        crashed = range(replications - error_runs, replications) if name == strategies[-1] else range(0)
        for task in tasks_for([name], range(replications), MASTER_SEED):
            r = task.replication
            labels = {"strategy": name, "replication": r, "seed": task.seed}
            outcomes[name, r] = (
                _crash(task)
                if r in crashed
                else Outcome(task, {**labels, **rows[r]}, _hires(task, paths), _series(paths, r), float(seconds[r]))
            )
    cpu_seconds = sum(o.wall_seconds for o in outcomes.values())
    return comparison_from_outcomes(
        outcomes,
        strategies=strategies,
        baseline=baseline,
        dates=(START + pd.to_timedelta(np.arange(days), unit="D")).to_numpy(),
        stopping={"reason": f"ran the {replications} replications asked for", "interrupted": False, "target": None},
        provenance={
            "scenario_files": {
                name: {"file": f"scenarios/strategies/{name}.yaml", "sha256": hashlib.sha256(name.encode()).hexdigest()}
                for name in strategies
            },
            "master_seed": MASTER_SEED,
            "workers": WORKERS,
            "overrides": [],
            "software": {
                "python": "3.12.3",
                "sellersim": "0.1.0",
                "mesa": "3.5.0",
                "simpy": "4.1.1",
                "numpy": "2.5.5",
                "pandas": "3.1.1",
                "plotly": "7.1.0",
            },
            "started": "2027-01-04T09:30:00+00:00",
            "run_seconds": round(cpu_seconds / WORKERS, 2),
            "run_cpu_seconds": round(cpu_seconds, 2),
            "runs_this_session": len(outcomes),
            "runs_reused": 0,
        },
        meta={"title": "Hiring strategies compared: 3 years from $40k", "warnings": []},
        rank_by=rank_by,
        descriptions={name: DESCRIPTIONS.get(name, "") for name in strategies},
        rules={name: RULES[name] for name in strategies if name in RULES},
    )
