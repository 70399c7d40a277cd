"""A fabricated but self-consistent sweep result, in the sweep's contract, for the sweep report's tests.

Every run's figures come from a planted model: profit rises with the profit multiple, falls with
the cost per click (much more for ``ops_first_day_one``, which pays staff from day one) and a
little with air freight; a company whose cash plus profit falls below a cushion fails. The effects,
pair heat maps, sensitivity indices, failure regions and headline sentences are then all computed
from the summary the same way for every strategy, so they agree with one another and with it.

A ``sobol`` or ``morris`` design needs numeric parameters (the spec's rule), so the third parameter
is the numeric starting cash there and the categorical freight mode (``sea``/``air``) otherwise.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sellersim.experiments.stats import mean_interval, proportion_interval
from sellersim.experiments.sweep.spec import Levels, SweepSpec
from sellersim.results.sweep import SweepResult

PM = "strategy.parameters.profit_multiple"
CPC = "market.niches.cpc_usd.median"
CASH = "company.starting_cash_usd"
FREIGHT = "supply.freight.mode"
STRATEGIES = ("solo_then_hire", "ops_first_day_one")
FIGURES = ("survived", "cumulative_profit_usd", "final_cash_usd")
BINS = 4
MIN_SUPPORT = 0.1
QUANTILES = (0.2, 0.4, 0.6, 0.8)

# Per strategy: profit at the centre, per unit of profit multiple, per $1 of CPC above 1.0, noise.
PROFILES = {
    "solo_then_hire": {"base": 18_000.0, "pm": 26_000.0, "cpc": -55_000.0, "noise": 14_000.0},
    "ops_first_day_one": {"base": 6_000.0, "pm": 34_000.0, "cpc": -90_000.0, "noise": 18_000.0},
}
CUSHION = 6_000.0
AIR_COST = 9_000.0


def make_spec(design: str = "sobol", *, strategies: Sequence[str] = STRATEGIES, samples: int = 8) -> SweepSpec:
    """The sweep file: profit multiple and CPC ranges, plus starting cash (sobol/morris) or freight mode."""
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
        }
    )


def _points(spec: SweepSpec, rng: np.random.Generator) -> pd.DataFrame:
    """The design's parameter points: every combination for a grid, otherwise ``samples`` per parameter + 2."""
    kind = spec.design.kind
    if kind == "grid":
        axes = [
            list(p.values) if isinstance(p, Levels) else list(np.linspace(p.low, p.high, spec.design.levels))
            for p in spec.parameters
        ]
        return pd.DataFrame(list(itertools.product(*axes)), columns=[p.path for p in spec.parameters])
    n = spec.design.samples * (len(spec.parameters) + 2) if kind in ("sobol", "morris") else spec.design.samples
    columns = {}
    for p in spec.parameters:
        if isinstance(p, Levels):
            columns[p.path] = [p.values[i] for i in rng.integers(0, len(p.values), n)]
        else:
            # Stratified like a Latin hypercube: one draw in each of n slices, shuffled.
            u = (rng.permutation(n) + rng.random(n)) / n
            columns[p.path] = p.low + u * (p.high - p.low)
    return pd.DataFrame(columns)


def _bins(spec: SweepSpec, path: str, values: pd.Series) -> pd.Series:
    """Each value's level: the value itself for listed levels, the centre of its bin for a range."""
    p = next(q for q in spec.parameters if q.path == path)
    if isinstance(p, Levels):
        return values.map(lambda v: v if isinstance(v, str) else float(v))
    width = (p.high - p.low) / BINS
    index = np.clip(((values.astype(float) - p.low) / width).astype(int), 0, BINS - 1)
    return p.low + (index + 0.5) * width


def _interval(values: pd.Series, share: bool) -> tuple[float, float, float, int]:
    """The engine's own intervals: Wilson for a share, Student's t for a mean."""
    v = values.dropna().astype(float).to_numpy()
    iv = proportion_interval(float(v.sum()), int(v.size)) if share else mean_interval(v)
    return iv.estimate, iv.low, iv.high, iv.n


def _effects(spec: SweepSpec, ok: pd.DataFrame, figure: str) -> pd.DataFrame:
    rows = []
    for p in spec.parameters:
        levels = _bins(spec, p.path, ok[p.path])
        for level, group in ok[figure].astype(float).groupby(levels, sort=True):
            mean, low, high, n = _interval(group, figure == "survived")
            rows.append({"parameter": p.path, "level": level, "mean": mean, "low": low, "high": high, "n": n})
    return pd.DataFrame(rows, columns=["parameter", "level", "mean", "low", "high", "n"])


def _pairs(spec: SweepSpec, ok: pd.DataFrame, figure: str) -> list[pd.DataFrame]:
    out = []
    for a, b in itertools.combinations([p.path for p in spec.parameters], 2):
        cells = ok.assign(x=_bins(spec, a, ok[a]), y=_bins(spec, b, ok[b])).groupby(["x", "y"])[figure]
        frame = cells.agg(mean=lambda v: float(v.astype(float).mean()), n="count")
        # Every cell is listed, as the analysis does: an empty one with n = 0 and a NaN mean.
        full = pd.MultiIndex.from_product(frame.index.levels, names=["x", "y"])
        frame = frame.reindex(full).fillna({"n": 0}).astype({"n": int}).reset_index()
        frame.insert(0, "p2", b)
        frame.insert(0, "p1", a)
        out.append(frame[["p1", "p2", "x", "y", "mean", "n"]])
    return out


def _sensitivity(spec: SweepSpec, ok: pd.DataFrame, figure: str, rng: np.random.Generator) -> pd.DataFrame:
    """Sobol-like indices from binned main effects (S1) plus an interaction share (ST); Morris: μ*, σ."""
    y = ok[figure].astype(float)
    var = float(y.var()) or 1.0
    rows = []
    for p in spec.parameters:
        means = y.groupby(_bins(spec, p.path, ok[p.path])).mean()
        if spec.design.kind == "morris":
            steps = np.abs(np.diff(means.to_numpy()))
            mu_star = float(steps.mean()) if steps.size else 0.0
            rows.append({"parameter": p.path, "index": "mu_star", "value": mu_star, "conf": 0.2 * mu_star})
            rows.append({"parameter": p.path, "index": "sigma", "value": float(steps.std()), "conf": math.nan})
            continue
        weights = y.groupby(_bins(spec, p.path, ok[p.path])).count()
        s1 = float(((means - y.mean()) ** 2 * weights).sum() / weights.sum()) / var
        st = min(1.0, s1 * 1.25 + 0.02)
        rows.append({"parameter": p.path, "index": "S1", "value": s1, "conf": 0.03 + 0.04 * rng.random()})
        rows.append({"parameter": p.path, "index": "ST", "value": st, "conf": 0.03 + 0.05 * rng.random()})
    return pd.DataFrame(rows, columns=["parameter", "index", "value", "conf"])


def _failure_region(spec: SweepSpec, ok: pd.DataFrame) -> dict[str, Any] | None:
    """As the analysis finds it: the one or two thresholds (20-80% quantiles) with the highest failure share."""
    failed = ~ok["survived"].astype(bool).to_numpy()
    if not failed.any():
        return None
    conds, masks = [], []
    for p in spec.parameters:
        if isinstance(p, Levels) and not p.numeric:
            continue
        x = ok[p.path].astype(float).to_numpy()
        for q in np.unique(np.quantile(x, QUANTILES)):
            for op, mask in ((">", x > q), ("<", x < q)):
                conds.append((p.path, op, float(q)))
                masks.append(mask)
    best: tuple[float, float, tuple[int, ...]] | None = None
    for chosen in [(c,) for c in range(len(conds))] + list(itertools.combinations(range(len(conds)), 2)):
        if len({conds[c][0] for c in chosen}) < len(chosen):
            continue
        mask = np.logical_and.reduce([masks[c] for c in chosen])
        support = mask.mean()
        if support >= MIN_SUPPORT and (best is None or failed[mask].mean() > best[0]):
            best = (float(failed[mask].mean()), float(support), chosen)
    if best is None:
        return None
    share, support, chosen = best
    conditions = [{"path": conds[c][0], "op": conds[c][1], "value": conds[c][2]} for c in chosen]
    where = " and ".join(f"{c['path']} {c['op']} {c['value']:.2g}" for c in conditions)
    baseline = float(failed.mean())
    return {
        "conditions": conditions,
        "failure_share": share,
        "support": support,
        "baseline_failure_share": baseline,
        "text": f"runs out of cash in {share:.0%} of runs when {where} (against {baseline:.0%} overall)",
    }


def _sentences(strategy: str, a: dict[str, Any]) -> list[str]:
    """As the analysis phrases them: the two parameters that matter most per figure, then the failure region."""
    out = []
    for figure in FIGURES:
        frame = a["sensitivity"].get(figure)
        if frame is not None:
            index = "ST" if (frame["index"] == "ST").any() else "mu_star"
            ranked = frame[frame["index"] == index].sort_values("value", ascending=False)
            what = "total-order index " if index == "ST" else "mu* "
            parts = [f"{r.parameter} ({r.value:.2f} ± {r.conf:.2f})" for r in ranked.head(2).itertuples()]
        else:
            spread = a["effects"][figure].groupby("parameter")["mean"].agg(lambda m: m.max() - m.min())
            what = "means range over "
            parts = [f"{k} ({v:,.2f})" for k, v in spread.sort_values(ascending=False).head(2).items()]
        first = parts[0].replace(" (", f" ({what}", 1)
        out.append(f"{strategy}: {figure} depends most on {first}, then {parts[1]}")
    if a["failure_region"]:
        out.append(f"{strategy} {a['failure_region']['text']}.")
    return out


def make_sweep(
    design: str = "sobol",
    *,
    strategies: Sequence[str] = STRATEGIES,
    samples: int | None = None,
    error_runs: int = 0,
    failure_regions: bool = True,
    seed: int = 3,
) -> SweepResult:
    """A sweep of ``strategies`` over a ``design`` (40 points by default for sobol/morris/lhs/random), 5 replications.

    ``error_runs`` runs of the last strategy crash; ``failure_regions=False`` makes the market so
    profitable that every company survives (no failure region anywhere).
    """
    if samples is None:
        samples = 8 if design in ("sobol", "morris") else 40
    spec = make_spec(design, strategies=strategies, samples=samples)
    rng = np.random.default_rng(seed)
    points = _points(spec, rng)
    rows = []
    boom = 0.0 if failure_regions else 150_000.0
    for strategy in strategies:
        profile = PROFILES.get(strategy, PROFILES["solo_then_hire"])
        for point, values in points.iterrows():
            for rep in range(spec.replications):
                run_seed = spec.seed * 1_000_003 + (int(point) * spec.replications + rep) * 7919
                cash = float(values.get(CASH, 40_000))
                profit = (
                    profile["base"]
                    + boom
                    + profile["pm"] * (float(values[PM]) - 1.75)
                    + profile["cpc"] * (float(values[CPC]) - 1.0)
                    - (AIR_COST if values.get(FREIGHT) == "air" else 0.0)
                    + rng.normal(0, profile["noise"])
                )
                survived = cash + profit > CUSHION
                final = cash + profit if survived else -rng.uniform(0, 2_500)
                rows.append(
                    {
                        "strategy": strategy,
                        "point": int(point),
                        "replication": rep,
                        "seed": run_seed,
                        "run_id": f"{strategy}-p{int(point):04d}-r{rep:02d}",
                        "status": "ok",
                        "error": None,
                        **values.to_dict(),
                        "survived": bool(survived),
                        "cumulative_profit_usd": profit if survived else final - cash,
                        "final_cash_usd": final,
                    }
                )
    summary = pd.DataFrame(rows)
    if error_runs:
        last = summary.index[summary["strategy"] == strategies[-1]][-error_runs:]
        summary.loc[last, "status"] = "error"
        summary.loc[last, "error"] = [
            f"ValueError: negative stock for product P{i} on day {100 + 13 * i}" for i in range(len(last))
        ]
        summary.loc[last[:1], "error"] = None
        for figure in FIGURES:
            summary[figure] = summary[figure].astype(object if figure == "survived" else float)
            summary.loc[last, figure] = None
    analysis: dict[str, Any] = {"sentences": []}
    for strategy in strategies:
        ok = summary[(summary["strategy"] == strategy) & (summary["status"] == "ok")].copy()
        ok["survived"] = ok["survived"].astype(bool)
        analysis[strategy] = {
            "effects": {f: _effects(spec, ok, f) for f in FIGURES},
            "pairs": {f: _pairs(spec, ok, f) for f in FIGURES},
            "sensitivity": (
                {f: _sensitivity(spec, ok, f, rng) for f in FIGURES} if design in ("sobol", "morris") else {}
            ),
            "failure_region": _failure_region(spec, ok),
        }
        analysis["sentences"] += _sentences(strategy, analysis[strategy])
    runs = len(summary)
    failed = int((summary["status"] != "ok").sum())
    meta = {
        "runs": runs,
        "failed_runs": failed,
        "runs_per_second": 23.4,
        "workers": 8,
        "backend": "local",
        "efficiency": 0.86,
        "peak_memory_mb": 742.5,
        "run_seconds": runs / 23.4,
        "software": {"sellersim": "0.3.0", "python": "3.12.3", "numpy": np.__version__, "pandas": pd.__version__},
        "started": "2027-01-04T09:30:00+00:00",
    }
    return SweepResult(spec, summary, analysis, meta, folder=Path("results") / f"sweep-{spec.name}")
