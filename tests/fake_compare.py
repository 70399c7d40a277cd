"""A fabricated but plausible comparison result, in the engine's contract, for the comparison report's tests.

Each strategy's replications are simple random company paths (revenue ramping to a plateau, hires by
schedule or revenue threshold, cash failing below zero); the daily quantiles, run figures, intervals,
paired differences and headline sentences are all computed from those paths, so they agree the way
the engine's would.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from sellersim.experiments.stats import proportion_interval
from sellersim.results.comparison import ComparisonResult
from sellersim.results.figures import DAILY_METRICS, FIGURES, QUANTILES

START = pd.Timestamp("2027-01-04")
STARTING_CASH = 40_000.0
SALARY = {
    "operator": 2170.0,
    "ads_specialist": 2170.0,
    "customer_service": 1265.0,
    "designer": 1600.0,
    "product_developer": 2400.0,
    "offshore_va": 900.0,
    "logistics": 1500.0,
}
Z = 1.959963984540054


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
DOOMED = Profile(8_000, 700, 0.02, tuple(HireRule(r, day=0) for r in ("operator", "ads_specialist", "designer")))
"""A strategy that always runs out of cash."""

STRATEGIES = tuple(PROFILES)


class _Paths(NamedTuple):
    """One strategy's replications, day by day (arrays of shape replications x days)."""

    cash: np.ndarray
    revenue: np.ndarray
    profit: np.ndarray
    headcount: np.ndarray
    load: np.ndarray
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
    revenue, profit, headcount = (np.where(solvent, a, 0.0) for a in (revenue, profit, headcount))
    hire_days = np.where(hire_days <= failed_at[:, None], hire_days, np.inf)

    load = (0.75 + revenue / 45_000) / (1 + 0.45 * headcount) * (1 + 0.08 * _smooth_noise(rng, reps, days, 21))
    load = np.where(solvent, load, 0.0)
    return _Paths(cash, revenue, profit, headcount, load, solvent, hire_days, tuple(r.role for r in profile.hires))


def _run_figures(rng: np.random.Generator, p: _Paths, profile: Profile, days: int) -> pd.DataFrame:
    """The run summary figures of each replication."""
    reps = p.cash.shape[0]
    survived = p.solvent[:, -1]
    failed_at = np.where(survived, np.nan, (~p.solvent).argmax(axis=1).astype(float))
    profitable = p.profit > 0
    months = np.where(profitable.any(axis=1), np.ceil((profitable.argmax(axis=1) + 1) / 30.44), np.nan)
    weekly_load = p.load[:, : days // 7 * 7].reshape(reps, -1, 7).mean(axis=2)
    lived = np.where(survived, days, failed_at)
    stockouts = rng.poisson(30 + 0.0004 * p.revenue.max(axis=1))
    hired = np.isfinite(p.hire_days).sum(axis=1)
    return pd.DataFrame(
        {
            "survived": survived,
            "final_cash_usd": p.cash[:, -1],
            "cumulative_profit_usd": p.profit.sum(axis=1) / 30,
            "cumulative_sde_usd": p.profit.sum(axis=1) / 30 + 2500 * lived / 365 * 6,
            "cumulative_owners_pay_usd": 2500 * lived / 365 * 6,
            "peak_monthly_revenue_usd": p.revenue.max(axis=1),
            "final_monthly_revenue_usd": p.revenue[:, -1],
            "months_to_first_profitable_month": months,
            "products_launched": 1 + rng.poisson(profile.launches_per_year * lived / 365),
            "peak_headcount": p.headcount.max(axis=1).astype(int),
            "stockout_days": stockouts,
            "lost_sales_units": (stockouts * rng.uniform(5, 25, reps)).round().astype(int),
            "founder_overload_weeks": (weekly_load > 1).sum(axis=1),
            "founder_mean_weekly_hours": 60 * weekly_load.mean(axis=1),
            "founder_cut_back_weeks": 8 * rng.poisson((weekly_load > 1.2).mean(axis=1)),
            "error_hours": rng.uniform(300, 900, reps),
            "quits": rng.binomial(hired, 0.25),
            "failure_day": failed_at,
        }
    )


def _quantiles(name: str, p: _Paths, days: int) -> pd.DataFrame:
    """The long ``daily_quantiles`` rows of one strategy."""
    frames = []
    day = np.arange(days)
    series = dict(
        zip(DAILY_METRICS, (p.cash, p.revenue, p.profit, p.headcount, p.load, p.solvent.astype(float)), strict=True)
    )
    for metric, values in series.items():
        frame = pd.DataFrame({"strategy": name, "day": day, "date": START + pd.to_timedelta(day, unit="D")})
        frame["metric"] = metric
        frame["mean"] = values.mean(axis=0) if len(values) else np.nan
        for q in QUANTILES:
            column = f"q{round(q * 100)}"
            frame[column] = np.nan if metric == "solvent" or not len(values) else np.quantile(values, q, axis=0)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _interval(values: np.ndarray, share: bool = False) -> dict[str, float]:
    values = values[~np.isnan(values)]
    n = len(values)
    if share:
        wilson = proportion_interval(float(values.sum()), n)
        estimate, low, high = wilson.estimate, wilson.low, wilson.high
    elif n == 0:
        estimate = low = high = math.nan
    else:
        estimate = float(values.mean())
        half = Z * float(values.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
        low, high = estimate - half, estimate + half
    return {"estimate": estimate, "low": low, "high": high, "n": n}


def _paired(runs: pd.DataFrame, baseline: str, name: str) -> dict[str, dict[str, dict[str, float]]]:
    ok = runs[runs["status"] == "ok"]
    both = ok[ok["strategy"] == name].merge(ok[ok["strategy"] == baseline], on="replication", suffixes=("", "_base"))
    out = {}
    for f in FIGURES:
        a = both[f.name].astype(float).to_numpy()
        b = both[f"{f.name}_base"].astype(float).to_numpy()
        keep = ~(np.isnan(a) | np.isnan(b))
        diff = a[keep] - b[keep]
        better = (diff > 0) if f.higher_is_better else (diff < 0)
        wins = better.sum() + 0.5 * (diff == 0).sum()
        beats = proportion_interval(float(wins), int(keep.sum()))
        out[f.name] = {
            "difference": _interval(diff) if f.name != "survived" else {**_interval(diff), "n": int(keep.sum())},
            "p_beats_baseline": {"estimate": beats.estimate, "low": beats.low, "high": beats.high, "n": beats.n},
        }
    return out


def _sentences(figures: dict[str, Any], paired: dict[str, Any], baseline: str) -> list[str]:
    """Headline sentences from the numbers, the way the engine words them."""
    cash = {s: v["final_cash_usd"]["estimate"] for s, v in figures.items()}
    best = max(cash, key=lambda s: -math.inf if math.isnan(cash[s]) else cash[s])
    survival = {s: v["survived"]["estimate"] for s, v in figures.items()}
    riskiest = min(survival, key=lambda s: survival[s])
    sentences = [
        f"{best} ends with the most cash: ${cash[best] / 1000:,.0f}k on average after three years,"
        f" against ${cash[baseline] / 1000:,.0f}k for {baseline}.",
        f"{riskiest} is the riskiest: {survival[riskiest]:.0%} of its companies survive,"
        f" against {survival[baseline]:.0%} for {baseline}.",
    ]
    if paired:
        name, p = max(paired.items(), key=lambda kv: kv[1]["cumulative_profit_usd"]["p_beats_baseline"]["estimate"])
        chance = p["cumulative_profit_usd"]["p_beats_baseline"]["estimate"]
        sentences.append(f"{name} makes more profit than {baseline} in {chance:.0%} of paired replications.")
    return sentences


def make_comparison(
    *,
    strategies: Sequence[str] = STRATEGIES,
    baseline: str | None = None,
    replications: int = 100,
    days: int = 1095,
    error_runs: int = 0,
    doomed: str | None = None,
    seed: int = 11,
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
    master_seed = 20270104
    runs, hires, quantiles = [], [], []
    for name in strategies:
        profile = DOOMED if name == doomed else PROFILES.get(name, PROFILES["solo_then_hire"])
        errored = set(range(replications - error_runs, replications)) if name == strategies[-1] else set()
        paths = _simulate(rng, profile, replications, days)
        ok = np.array([r not in errored for r in range(replications)])
        figures = _run_figures(rng, paths, profile, days)
        figures.insert(0, "strategy", name)
        figures.insert(1, "replication", np.arange(replications))
        figures.insert(2, "seed", master_seed + np.arange(replications) * 7919)
        figures.insert(3, "status", np.where(ok, "ok", "error"))
        figures.insert(4, "error", None)
        figures.insert(5, "wall_seconds", rng.uniform(1.5, 3.5, replications).round(3))
        if errored:
            numeric = [f.name for f in FIGURES] + ["failure_day"]
            figures[numeric] = figures[numeric].where(pd.Series(ok, index=figures.index), axis=0)
            figures.loc[~ok, "error"] = [
                f"ValueError: cannot restock product {r % 5 + 1}: negative order quantity" for r in sorted(errored)
            ]
        runs.append(figures)
        kept = _Paths(*(a[ok] for a in paths[:7]), roles=paths.roles)
        quantiles.append(_quantiles(name, kept, days))
        for rep in np.flatnonzero(ok):
            order = np.argsort(paths.hire_days[rep], kind="stable")
            for number, rule in enumerate(order[np.isfinite(paths.hire_days[rep][order])], start=1):
                day = int(paths.hire_days[rep, rule])
                hires.append((name, int(rep), number, paths.roles[rule], day, float(paths.revenue[rep, day])))

    runs_frame = pd.concat(runs, ignore_index=True)
    ok_runs = runs_frame[runs_frame["status"] == "ok"]
    figures_ci = {
        name: {f.name: _interval(group[f.name].astype(float).to_numpy(), share=f.unit == "share") for f in FIGURES}
        for name, group in ok_runs.groupby("strategy", sort=False)
    }
    paired = {name: _paired(runs_frame, baseline, name) for name in strategies if name != baseline}
    comparison = {
        "baseline": baseline,
        "strategies": strategies,
        "replications": {name: replications for name in strategies},
        "stopping": {"reason": f"fixed number of replications ({replications})", "target": None},
        "figures": figures_ci,
        "paired": paired,
        "sentences": _sentences(figures_ci, paired, baseline),
        "provenance": {
            "scenario_files": {
                f"scenarios/strategies/{name}.yaml": hashlib.sha256(name.encode()).hexdigest() for name in strategies
            }
            | {"scenarios/base.yaml": "9f2c" * 16},
            "master_seed": master_seed,
            "replications": {name: replications for name in strategies},
            "workers": 8,
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
            "run_seconds": float(runs_frame["wall_seconds"].sum() / 8),
        },
    }
    hires_frame = pd.DataFrame(
        hires, columns=["strategy", "replication", "hire_number", "role", "day", "monthly_revenue_usd"]
    )
    return ComparisonResult(
        runs=runs_frame,
        hires=hires_frame,
        daily_quantiles=pd.concat(quantiles, ignore_index=True),
        comparison=comparison,
        meta={"title": "Hiring strategies compared: 3 years from $40k"},
    )
