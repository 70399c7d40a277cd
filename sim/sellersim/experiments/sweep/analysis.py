"""What a sweep says: sensitivity indices, main effects, pair grids, failure regions, rankings, verdicts.

Everything works on a ``runs`` frame with one row per run: ``strategy``, ``point``,
``replication``, ``status`` (``"ok"``/``"error"``), one column per parameter path (the value set)
and one column per figure (``survived`` a bool, the others numbers). Only ``ok`` runs count.

Frames returned here carry ``attrs`` (``figure``, ``strategy``, ``kind`` and, when something
needed saying, ``note``) so :func:`ranking_text` can phrase them.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sellersim.experiments.stats import mean_interval, paired_difference, proportion_interval
from sellersim.experiments.sweep.designs import DesignTable
from sellersim.experiments.sweep.labels import parameter
from sellersim.experiments.sweep.spec import Levels, Span, Verdict
from sellersim.formatting import interval, money, number, points, share
from sellersim.results.figures import FIGURE_BY_NAME

__all__ = [
    "difference_grid",
    "effects",
    "failure_region",
    "pair_grid",
    "point_means",
    "ranking_text",
    "sensitivity",
    "verdict_map",
    "verdict_text",
]

_QUANTILES = (0.2, 0.4, 0.6, 0.8)


# --------------------------------------------------------------------------------------- helpers


def _ok(runs: pd.DataFrame, strategy: str) -> pd.DataFrame:
    sel = (runs["strategy"] == strategy) & (runs["status"] == "ok")
    return runs.loc[sel]


def _numbers(col: pd.Series) -> np.ndarray:
    """A figure column as float64 (bools as 0/1, None as NaN)."""
    return pd.to_numeric(col.astype(object).where(col.notna(), np.nan), errors="coerce").astype(float).to_numpy()


def _is_share(figure: str, values: pd.Series | None = None) -> bool:
    fig = FIGURE_BY_NAME.get(figure)
    if fig is not None:
        return fig.unit == "share"
    return values is not None and values.dtype == np.bool_


def _interval(values: np.ndarray, share: bool) -> tuple[float, float, float, int]:
    v = values[~np.isnan(values)]
    iv = proportion_interval(float(v.sum()), int(v.size)) if share else mean_interval(v)
    return iv.estimate, iv.low, iv.high, iv.n


def _figure_value(figure: str, v: float, *, sign: bool = False) -> str:
    """A value of a figure in its unit: ``$41k``, ``45%`` (a difference of shares in points), ``52 h``."""
    fig = FIGURE_BY_NAME.get(figure)
    unit = fig.unit if fig is not None else "units"
    if unit == "usd":
        return money(v, sign=sign)
    if unit == "share":
        return points(v) if sign else share(v)
    if unit == "hours":
        return number(v, sign=sign) + " h"
    return number(v, 1, sign=sign) + ("" if unit in ("count", "units") else f" {unit}")


def _figure_name(figure: str) -> str:
    """A figure as a sentence names it: ``final cash``, ``survival``."""
    if figure == "survived":
        return "survival"
    fig = FIGURE_BY_NAME.get(figure)
    text = fig.label if fig is not None else figure.replace("_", " ")
    return text[:1].lower() + text[1:]


def _bin_edges(values: np.ndarray, bins: int) -> np.ndarray:
    """Edges of up to ``bins`` equal-count bins (fewer when values repeat), from min to max."""
    v = values[~np.isnan(values)]
    if v.size == 0:
        return np.array([])
    edges = np.unique(np.quantile(v, np.linspace(0.0, 1.0, max(int(bins), 1) + 1)))
    if edges.size == 1:  # one distinct value: one degenerate bin
        edges = np.array([edges[0], edges[0]])
    return edges


def _assign_bins(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Bin index of each value (right-closed bins, the first also closed on the left); -1 for NaN."""
    idx = np.searchsorted(edges, values, side="left") - 1
    idx = np.clip(idx, 0, edges.size - 2)
    return np.where(np.isnan(values), -1, idx)


def _groups(
    frame: pd.DataFrame, p: Levels | Span, bins: int, binned: bool
) -> tuple[np.ndarray, list[Any], list[tuple]]:
    """(group index per row, group labels, (low, high) per group) for one parameter.

    Listed levels group by value; so does a range when ``binned`` is False (a grid or Morris
    design sets it at a few levels, which are shown as simulated); otherwise a range is cut into
    ``bins`` equal-count bins labelled by their centres.
    """
    col = frame[p.path]
    if isinstance(p, Levels):
        labels = list(p.values)
        lookup = {_key(v): i for i, v in enumerate(labels)}
        idx = np.array([lookup.get(_key(v), -1) for v in col], dtype=np.int64)
        return idx, labels, [(v, v) for v in labels]
    values = pd.to_numeric(col, errors="coerce").astype(float).to_numpy()
    if not binned:
        levels = np.unique(values[~np.isnan(values)])
        idx = np.where(np.isnan(values), -1, np.searchsorted(levels, values))
        return idx.astype(np.int64), [float(v) for v in levels], [(float(v), float(v)) for v in levels]
    edges = _bin_edges(values, bins)
    if edges.size == 0:
        return np.full(len(values), -1), [], []
    centres = [float((edges[i] + edges[i + 1]) / 2) for i in range(edges.size - 1)]
    ranges = [(float(edges[i]), float(edges[i + 1])) for i in range(edges.size - 1)]
    return _assign_bins(values, edges), centres, ranges


def _key(v: Any) -> Any:
    """Hashable comparison key: numbers by value (1 == 1.0), anything else as itself."""
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
        return ("n", float(v))
    return ("o", v)


# ----------------------------------------------------------------------------------- point means


def point_means(runs: pd.DataFrame, strategy: str, figure: str, n_points: int) -> np.ndarray:
    """Mean of ``figure`` over the ``ok`` replications at each point 0..n_points-1 (NaN where none)."""
    ok = _ok(runs, strategy)
    y = _numbers(ok[figure])
    frame = pd.DataFrame({"point": ok["point"].to_numpy(), "y": y}).dropna(subset=["y"])
    means = frame.groupby("point")["y"].mean()
    return means.reindex(range(int(n_points))).to_numpy(dtype=float)


# ----------------------------------------------------------------------------------- sensitivity


def sensitivity(
    design: DesignTable,
    runs: pd.DataFrame,
    strategy: str,
    figure: str,
    kind: str | None = None,
    seed: int | None = None,
    num_resamples: int = 100,
) -> pd.DataFrame:
    """Sobol or Morris indices of ``figure`` for one strategy, from the per-point means.

    Columns ``parameter``, ``index`` (``S1`` and ``ST`` for Sobol; ``mu_star`` and ``sigma`` for
    Morris), ``value`` and ``conf`` (SALib's 95% bootstrap half-width; NaN for ``sigma``).
    ``kind`` defaults to the design's; the bootstrap is seeded with ``seed`` (default the design's
    seed). Points without an ``ok`` run get the figure's overall mean so the design stays whole;
    ``attrs["note"]`` says how many. A figure that does not vary gets zero indices.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze

    kind = kind or design.kind
    if kind not in ("sobol", "morris"):
        raise ValueError(f"sensitivity indices need a sobol or morris design, not {kind!r}")
    if kind != design.kind:
        raise ValueError(f"a {kind} analysis needs a {kind} design; this one is {design.kind}")
    seed = design.seed if seed is None else seed
    names = list(design.problem["names"])
    index_names = ("S1", "ST") if kind == "sobol" else ("mu_star", "sigma")
    y = point_means(runs, strategy, figure, len(design.points))
    notes: list[str] = []
    missing = int(np.isnan(y).sum())
    rows: list[dict[str, Any]] = []
    if missing == y.size:
        notes.append(f"no ok runs of {strategy} with {figure}; indices undefined")
        rows = [{"parameter": n, "index": i, "value": math.nan, "conf": math.nan} for i in index_names for n in names]
        return _framed(rows, figure, strategy, kind, notes)
    if missing:
        fill = float(np.nanmean(y))
        y = np.where(np.isnan(y), fill, y)
        notes.append(
            f"{missing} of {y.size} points had no ok run of {strategy}; "
            f"filled with the overall mean of {figure} ({_figure_value(figure, fill)})"
        )
    if float(np.ptp(y)) == 0.0:
        notes.append(f"{figure} does not vary across the points; every index is zero")
        rows = [{"parameter": n, "index": i, "value": 0.0, "conf": 0.0} for i in index_names for n in names]
        return _framed(rows, figure, strategy, kind, notes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if kind == "sobol":
            si = sobol_analyze.analyze(
                design.problem, y, calc_second_order=False, num_resamples=num_resamples, conf_level=0.95, seed=seed
            )
            for idx in index_names:
                for j, n in enumerate(names):
                    rows.append(
                        {"parameter": n, "index": idx, "value": float(si[idx][j]), "conf": float(si[f"{idx}_conf"][j])}
                    )
        else:
            si = morris_analyze.analyze(
                design.problem,
                design.unit,
                y,
                num_resamples=num_resamples,
                conf_level=0.95,
                num_levels=design.levels,
                seed=seed,
            )
            for j, n in enumerate(names):
                rows.append(
                    {
                        "parameter": n,
                        "index": "mu_star",
                        "value": float(si["mu_star"][j]),
                        "conf": float(si["mu_star_conf"][j]),
                    }
                )
            for j, n in enumerate(names):
                rows.append({"parameter": n, "index": "sigma", "value": float(si["sigma"][j]), "conf": math.nan})
    return _framed(rows, figure, strategy, kind, notes)


def _framed(rows: list[dict[str, Any]], figure: str, strategy: str, kind: str, notes: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["parameter", "index", "value", "conf"])
    frame.attrs.update({"figure": figure, "strategy": strategy, "kind": kind})
    if notes:
        frame.attrs["note"] = "; ".join(notes)
    return frame


# --------------------------------------------------------------------------------------- effects


def effects(
    runs: pd.DataFrame,
    parameters: Sequence[Levels | Span],
    strategy: str,
    figure: str,
    bins: int = 5,
    *,
    binned: bool = True,
) -> pd.DataFrame:
    """Main effect of each parameter on ``figure``: the mean over runs per level or bin.

    Levels parameters group by listed value (levels without runs get ``n = 0``). Span parameters
    group by the values simulated when ``binned`` is False (grid and Morris designs); otherwise
    they are cut into ``bins`` equal-count bins by value (fewer when values repeat), labelled by
    the bin's centre. Columns ``parameter``, ``level`` (value or bin centre), ``bin_low``, ``bin_high``,
    ``mean``, ``low``, ``high`` (95% interval: Wilson for shares such as ``survived``, t otherwise)
    and ``n`` (runs).
    """
    ok = _ok(runs, strategy)
    y = _numbers(ok[figure])
    share = _is_share(figure, ok[figure])
    rows: list[dict[str, Any]] = []
    for p in parameters:
        idx, labels, ranges = _groups(ok, p, bins, binned)
        for g, label in enumerate(labels):
            mean, low, high, n = _interval(y[idx == g], share)
            rows.append(
                {
                    "parameter": p.path,
                    "level": label,
                    "bin_low": ranges[g][0],
                    "bin_high": ranges[g][1],
                    "mean": mean,
                    "low": low,
                    "high": high,
                    "n": n,
                }
            )
    frame = pd.DataFrame(rows, columns=["parameter", "level", "bin_low", "bin_high", "mean", "low", "high", "n"])
    frame.attrs.update({"figure": figure, "strategy": strategy, "kind": "effects"})
    return frame


def pair_grid(
    runs: pd.DataFrame,
    p1: Levels | Span,
    p2: Levels | Span,
    strategy: str,
    figure: str,
    bins: int = 5,
    *,
    binned: bool = True,
) -> pd.DataFrame:
    """Mean of ``figure`` over a grid of two parameters, in long format for a heat map.

    Columns ``p1.path`` and ``p2.path`` (level or bin centre, grouped as in :func:`effects`),
    ``mean`` and ``n``; every cell is listed, empty ones with ``n = 0`` and a NaN mean.
    """
    if p1.path == p2.path:
        raise ValueError(f"pair_grid needs two different parameters, got {p1.path!r} twice")
    ok = _ok(runs, strategy)
    y = _numbers(ok[figure])
    i1, labels1, _ = _groups(ok, p1, bins, binned)
    i2, labels2, _ = _groups(ok, p2, bins, binned)
    keep = (i1 >= 0) & (i2 >= 0) & ~np.isnan(y)
    sums = np.zeros((len(labels1), len(labels2)))
    counts = np.zeros((len(labels1), len(labels2)), dtype=np.int64)
    np.add.at(sums, (i1[keep], i2[keep]), y[keep])
    np.add.at(counts, (i1[keep], i2[keep]), 1)
    rows = []
    for a, la in enumerate(labels1):
        for b, lb in enumerate(labels2):
            n = int(counts[a, b])
            rows.append({p1.path: la, p2.path: lb, "mean": sums[a, b] / n if n else math.nan, "n": n})
    frame = pd.DataFrame(rows, columns=[p1.path, p2.path, "mean", "n"])
    frame.attrs.update({"figure": figure, "strategy": strategy, "kind": "pair_grid", "x": p1.path, "y": p2.path})
    return frame


# -------------------------------------------------------------------------------- failure region


def failure_region(
    runs: pd.DataFrame,
    parameters: Sequence[Levels | Span],
    strategy: str,
    min_mass: float = 0.1,
    *,
    binned: bool = True,
) -> dict[str, Any] | None:
    """The simple region of parameter space where ``strategy`` runs out of cash most often.

    A region is one bound, or two bounds on different numeric parameters. A parameter set at a
    few levels (listed levels, or a range when ``binned`` is False) is bounded at its levels,
    inclusively ("$1.27 or more"); a range drawn at random is bounded at its 20/40/60/80%
    quantiles rounded to two significant digits ("above $1.10"), and the rounded bound is the one
    counted, so what the text says is what was counted. Among regions holding at least
    ``min_mass`` of the strategy's finished runs, the one with the highest density wins (ties:
    higher coverage, then fewer bounds).

    Scenario discovery's measures (as PRIM reports them): ``n`` runs inside, ``failures`` of
    them that ran out of cash, ``density`` = failures / n, ``coverage`` = failures / every
    failure of the strategy (``total_failures``), ``mass`` = n / every finished run (``runs``),
    and ``overall_density`` = total_failures / runs. ``conditions`` hold each bound (``path``,
    ``op`` one of ``>``, ``<``, ``>=``, ``<=``, the exact ``value`` counted and its ``text``,
    which the report's chips show); ``text`` is the sentence, with the same bound texts. None
    when no run failed.
    """
    ok = _ok(runs, strategy)
    if "survived" not in ok.columns:
        return None
    ok = ok.loc[ok["survived"].notna().to_numpy()]
    if ok.empty:
        return None
    failed = ~ok["survived"].astype(bool).to_numpy()
    if not failed.any():
        return None

    bounds: list[tuple[int, str, str, float]] = []  # (parameter index, path, op, bound)
    masks: list[np.ndarray] = []
    numeric = [p for p in parameters if isinstance(p, Span) or p.numeric]
    for k, p in enumerate(numeric):
        x = pd.to_numeric(ok[p.path], errors="coerce").astype(float).to_numpy()
        if np.isnan(x).all():
            continue
        if isinstance(p, Levels) or not binned:
            levels = np.unique(x[~np.isnan(x)])
            cuts = [(">=", v) for v in levels[1:]] + [("<=", v) for v in levels[:-1]]
        else:
            rounded = np.unique([_sig(float(q)) for q in np.nanquantile(x, _QUANTILES)])
            cuts = [(op, v) for v in rounded for op in (">", "<")]
        for op, v in cuts:
            mask = _OPS[op](x, v)
            if mask.any() and not mask.all():
                bounds.append((k, p.path, op, float(v)))
                masks.append(mask)
    if not bounds:
        return None

    m = np.array(masks, dtype=np.int64)  # bounds x runs
    f = failed.astype(np.int64)
    runs_n, total_failures = len(ok), int(f.sum())
    regions = [((c,), int(m[c].sum()), int(m[c] @ f)) for c in range(len(bounds))]
    both_n, both_f = m @ m.T, (m * f) @ m.T
    regions += [
        ((a, b), int(both_n[a, b]), int(both_f[a, b]))
        for a, b in itertools.combinations(range(len(bounds)), 2)
        if bounds[a][0] != bounds[b][0]
    ]
    held = [r for r in regions if r[1] > 0 and r[1] / runs_n >= min_mass]
    if not held:
        return None
    chosen, n, failures = max(held, key=lambda r: (r[2] / r[1], r[2], -len(r[0])))
    conditions = []
    for c in chosen:
        _, path, op, value = bounds[c]
        label = parameter(path)
        conditions.append(
            {"path": path, "op": op, "value": value, "text": f"{label.name} {_OP_WORDS[op](label.value(value))}"}
        )
    region = {
        "conditions": conditions,
        "n": n,
        "failures": failures,
        "runs": runs_n,
        "total_failures": total_failures,
        "density": failures / n,
        "coverage": failures / total_failures,
        "mass": n / runs_n,
        "overall_density": total_failures / runs_n,
    }
    region["text"] = (
        f"runs out of cash in {share(region['density'])} of the {n:,} runs with "
        f"{' and '.join(c['text'] for c in conditions)} ({failures:,} of its {total_failures:,} failures, "
        f"a coverage of {share(region['coverage'])}), against {share(region['overall_density'])} of all its "
        f"{runs_n:,} runs"
    )
    return region


_OPS: dict[str, Any] = {">": np.greater, "<": np.less, ">=": np.greater_equal, "<=": np.less_equal}
_OP_WORDS: dict[str, Any] = {
    ">": "above {}".format,
    "<": "below {}".format,
    ">=": "{} or more".format,
    "<=": "{} or less".format,
}


def _sig(v: float, digits: int = 2) -> float:
    """``v`` rounded to ``digits`` significant digits (bounds read better as 1.4 than 1.4372)."""
    if v == 0 or not math.isfinite(v):
        return v
    return round(v, digits - 1 - math.floor(math.log10(abs(v))))


# -------------------------------------------------------------------------------------- verdicts


def verdict_map(runs: pd.DataFrame, parameters: Sequence[Any], verdict: Verdict) -> pd.DataFrame:
    """The winner of each cell (design point) of a grid swept over several strategies.

    A strategy may win a cell only if all its runs there finished without an error and it ran out of
    cash in at most ``verdict.max_failure_share`` of them. Among those, the best mean
    ``verdict.figure`` wins; its margin over the runner-up is the paired mean difference over the
    replications both ran (the same seed), oriented so that a positive margin favours the winner,
    with a 95% t-interval. The win is ``clear`` when that interval excludes 0, or when no other
    strategy was safe enough.

    One row per point: the parameter values, ``winner`` (None when no strategy is safe enough),
    ``runner_up`` (None when the winner was the only one), ``margin``, ``margin_low``,
    ``margin_high``, ``pairs``, ``clear``, ``safe`` (the strategies safe enough, in order of the
    figure), ``failure_shares`` (each judged strategy's) and ``errored`` (strategies with runs that
    failed with an error in the cell, not judged).
    """
    higher = FIGURE_BY_NAME[verdict.figure].higher_is_better
    rows = []
    for point, cell in runs.groupby("point", sort=True):
        errored = sorted(str(s) for s in cell.loc[cell["status"] != "ok", "strategy"].unique())
        judged = cell[(cell["status"] == "ok") & ~cell["strategy"].isin(errored)]
        by_strategy = {str(s): g.set_index("replication") for s, g in judged.groupby("strategy", sort=True)}
        failure = {s: 1.0 - float(_numbers(g["survived"]).mean()) for s, g in by_strategy.items()}
        mean = {s: float(np.nanmean(_numbers(g[verdict.figure]))) for s, g in by_strategy.items()}
        safe = sorted(
            (s for s in by_strategy if failure[s] <= verdict.max_failure_share and math.isfinite(mean[s])),
            key=lambda s: -mean[s] if higher else mean[s],
        )
        row: dict[str, Any] = {p.path: cell[p.path].iloc[0] for p in parameters}
        row.update(point=point, winner=None, runner_up=None, margin=np.nan, margin_low=np.nan, margin_high=np.nan)
        row.update(pairs=0, clear=False, safe=safe, failure_shares=failure, errored=errored)
        if safe:
            row["winner"] = safe[0]
            row["clear"] = len(safe) == 1
        if len(safe) > 1:
            first, second = by_strategy[safe[0]][verdict.figure], by_strategy[safe[1]][verdict.figure]
            first, second = first.align(second, join="inner")
            diff = paired_difference(_numbers(first), _numbers(second))
            sign = 1.0 if higher else -1.0
            low, high = sorted((sign * diff.low, sign * diff.high))
            row.update(runner_up=safe[1], margin=sign * diff.estimate, margin_low=low, margin_high=high)
            row.update(pairs=diff.n, clear=bool(low > 0))
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in ("winner", "runner_up"):  # names or None: never a string column that would turn None into NaN
        frame[column] = pd.Series([r[column] for r in rows], index=frame.index, dtype=object)
    frame.attrs.update(figure=verdict.figure, max_failure_share=verdict.max_failure_share, kind="verdict")
    return frame


def verdict_text(frame: pd.DataFrame, parameters: Sequence[Any]) -> list[str]:
    """One sentence per cell: who wins there, by how much and how sure, or that nobody is safe enough."""
    figure = frame.attrs["figure"]
    limit = share(frame.attrs["max_failure_share"])
    what = _figure_name(figure)
    out = []
    for row in frame.to_dict("records"):
        where = " and ".join(f"{parameter(p.path).name} {parameter(p.path).value(row[p.path])}" for p in parameters)
        winner, runner_up = row["winner"], row["runner_up"]
        if winner is None:
            text = f"At {where}: no strategy runs out of cash in {limit} of runs or fewer."
        elif runner_up is None:
            text = f"At {where}: {winner}, the only strategy that runs out of cash in {limit} of runs or fewer."
        else:
            ci = interval(row["margin_low"], row["margin_high"], lambda v: _figure_value(figure, v))
            margin = (
                f"{_figure_value(figure, row['margin'], sign=True)} (95% interval {ci}, {row['pairs']} paired runs)"
            )
            lead = f"{winner} leads {runner_up}" if row["clear"] else f"no clear winner: {winner} leads {runner_up}"
            text = f"At {where}: {lead} on {what} by {margin}."
        if row["errored"]:
            text += f" Not judged, their runs failed with errors: {', '.join(row['errored'])}."
        out.append(text)
    return out


# ---------------------------------------------------------------------------------- differences


def difference_grid(
    runs: pd.DataFrame,
    p1: Levels | Span,
    p2: Levels | Span,
    a: str,
    b: str,
    figure: str,
    bins: int = 5,
    *,
    binned: bool = True,
) -> pd.DataFrame:
    """Strategy ``a`` minus strategy ``b`` on ``figure`` over two parameters: where the verdict flips.

    Runs are paired by point and replication (the same seed, common random numbers), and only
    pairs where both finished count. Per cell (levels or bins as in :func:`pair_grid`): the paired
    mean difference ``diff`` with its 95% t-interval ``low``/``high``, ``pairs`` and ``clear``
    (the interval excludes 0). Every cell is listed; cells without pairs have NaN and ``pairs = 0``.
    """
    keys = ["point", "replication"]
    mine = _ok(runs, a).set_index(keys)
    theirs = _ok(runs, b).set_index(keys)[[figure]].rename(columns={figure: "_b"})
    both = mine.join(theirs, how="inner").reset_index()
    ya, yb = _numbers(both[figure]), _numbers(both["_b"])
    i1, labels1, _ = _groups(both, p1, bins, binned)
    i2, labels2, _ = _groups(both, p2, bins, binned)
    rows = []
    for g1, l1 in enumerate(labels1):
        for g2, l2 in enumerate(labels2):
            cell = (i1 == g1) & (i2 == g2)
            d = paired_difference(ya[cell], yb[cell])
            clear = bool(d.n >= 2 and (d.low > 0 or d.high < 0))
            rows.append({p1.path: l1, p2.path: l2, "diff": d.estimate, "low": d.low, "high": d.high, "pairs": d.n,
                         "clear": clear})  # fmt: skip
    frame = pd.DataFrame(rows, columns=[p1.path, p2.path, "diff", "low", "high", "pairs", "clear"])
    frame.attrs.update(figure=figure, a=a, b=b, kind="difference", x=p1.path, y=p2.path)
    return frame


# ------------------------------------------------------------------------------------- rankings


def ranking_text(frames: Mapping[str, pd.DataFrame] | Sequence[pd.DataFrame] | pd.DataFrame, top: int = 2) -> list[str]:
    """One sentence per figure, in plain words, naming the ``top`` parameters that matter most.

    ``frames``: frames from :func:`sensitivity` or :func:`effects`, as a mapping figure -> frame or
    a sequence (each frame's ``attrs["figure"]`` names its figure). Sobol frames rank by the
    total-order index ``ST``, Morris frames by ``mu_star`` (each with its 95% half-width) and
    effects frames by the spread of the level means (highest - lowest), the first parameter's
    sentence saying at which of its levels the figure is highest and lowest.
    """
    if isinstance(frames, pd.DataFrame):
        frames = [frames]
    items = (
        list(frames.items()) if isinstance(frames, Mapping) else [(f.attrs.get("figure", "figure"), f) for f in frames]
    )
    out: list[str] = []
    for figure, frame in items:
        sentence = _ranking_sentence(str(figure), frame, max(int(top), 1))
        if sentence:
            out.append(sentence)
    return out


def _ranking_sentence(figure: str, frame: pd.DataFrame, top: int) -> str | None:
    if frame.empty:
        return None
    what = _figure_name(figure)
    if "index" in frame.columns:
        kind = "sobol" if (frame["index"] == "ST").any() else "morris"
        idx = "ST" if kind == "sobol" else "mu_star"
        sel = frame.loc[frame["index"] == idx, ["parameter", "value", "conf"]]
        ranked = [(str(r.parameter), float(r.value), float(r.conf), None) for r in sel.itertuples()]
    else:
        kind = "effects"
        ranked = []
        for param, group in frame.groupby("parameter", sort=False):
            group = group[group["mean"].notna()]
            if len(group) >= 2:
                hi, lo = group.loc[group["mean"].idxmax()], group.loc[group["mean"].idxmin()]
                ranked.append((str(param), float(hi["mean"] - lo["mean"]), math.nan, (hi, lo)))
    ranked = [r for r in ranked if not math.isnan(r[1]) and r[1] > 0]
    if not ranked:
        return None  # nothing moves this figure: no sentence rather than "ranges over 0"
    ranked.sort(key=lambda r: -r[1])
    ranked = ranked[:top]

    def size(value: float, conf: float) -> str:
        if kind == "sobol":
            return f"{value:.2f}" + (f" ± {conf:.2f}" if not math.isnan(conf) else "")
        if kind == "morris":
            return _figure_value(figure, value) + (f" ± {_figure_value(figure, conf)}" if not math.isnan(conf) else "")
        spread = points(value).lstrip("+") if _is_share(figure) else _figure_value(figure, value)
        return f"{spread} between its levels"

    path, value, conf, ends = ranked[0]
    name = parameter(path).name
    rest = "".join(f"; then {parameter(p).name} ({size(v, c)})" for p, v, c, _ in ranked[1:])
    if kind != "effects" and not math.isnan(conf) and value - conf <= 0:
        return (
            f"{what}: no parameter stands out with these runs; the largest, {name} "
            f"({size(value, conf)}), is within its 95% interval of 0 (add samples or replications)"
        )
    if kind == "sobol":
        lead = f"{name} (total-order Sobol index {size(value, conf)}, the share of the variance it drives)"
    elif kind == "morris":
        lead = f"{name} (mean absolute effect μ* {size(value, conf)})"
    else:
        hi, lo = ends
        lead = (
            f"{name}: {_figure_value(figure, hi['mean'])} on average at {_where(path, hi)}, "
            f"{_figure_value(figure, lo['mean'])} at {_where(path, lo)}"
        )
    return f"{what} depends most on {lead}{rest}"


def _where(path: str, row: Mapping[str, Any]) -> str:
    """A level of an effects frame as text: the value simulated, or a bin's range ``$0.60 to $0.80``."""
    label = parameter(path)
    low, high = row["bin_low"], row["bin_high"]
    if isinstance(low, str) or low == high:
        return label.value(row["level"])
    return interval(low, high, label.value)
