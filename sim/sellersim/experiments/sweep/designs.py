"""Parameter points for a sweep: grid, random, Latin hypercube, Sobol (Saltelli) and Morris designs.

:func:`make_design` turns a :class:`~sellersim.experiments.sweep.spec.SweepSpec` into a :class:`DesignTable`,
deterministically from ``spec.seed``. The table holds the values to set (``points``), the same
points in the space SALib's analysis expects (``unit``) and the SALib ``problem``.

The sample space, one column per parameter:

* a :class:`Span` has bounds ``[low, high]``; the sample ``x`` is the value to set (rounded to a
  whole number when ``integer``);
* a :class:`Levels` parameter has bounds ``[0, 1]``; a sample ``u`` picks the listed value with
  index ``floor(u * len(values))`` (``u = 1``, which Morris designs produce, picks the last), so
  every listed value gets an equal share of ``[0, 1]``. In a grid the listed values are used
  directly and the sample is the centre of the value's share, ``(i + 0.5) / len(values)``.

Random and Latin hypercube designs draw ``u`` uniformly in ``[0, 1)`` and scale it to the bounds;
Sobol and Morris designs come from SALib unchanged, row order included, since
``SALib.analyze.sobol`` and ``SALib.analyze.morris`` depend on it.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sellersim.experiments.sweep.spec import Drawn, Levels, Span, SweepSpec

__all__ = ["DesignTable", "make_design", "problem_for", "values_from_sample"]


@dataclass(frozen=True)
class DesignTable:
    """The points of a sweep.

    ``points``: one row per point, column ``point`` (0..n-1) then one column per parameter path with
    the value to set. ``unit``: (points x parameters) sample in the problem's space, same row
    order. ``problem``: SALib problem (``num_vars``, ``names`` = paths, ``bounds``). ``kind``,
    ``levels`` and ``seed`` record the design (Morris analysis needs ``levels``).
    """

    points: pd.DataFrame
    unit: np.ndarray
    problem: dict
    kind: str = "grid"
    levels: int = 4
    seed: int = 0

    @property
    def paths(self) -> list[str]:
        return list(self.problem["names"])

    def __len__(self) -> int:
        return len(self.points)


def problem_for(parameters: list[Levels | Span]) -> dict:
    """SALib problem: spans sample ``[low, high]``; levels and drawn parameters a quantile in ``[0, 1]``."""
    return {
        "num_vars": len(parameters),
        "names": [p.path for p in parameters],
        "bounds": [[float(p.low), float(p.high)] if isinstance(p, Span) else [0.0, 1.0] for p in parameters],
    }


def _span_value(p: Span, x: float) -> float | int:
    if p.integer:
        return round(float(x))
    return float(x)


def _level_index(p: Levels, u: float) -> int:
    k = len(p.values)
    return min(max(math.floor(u * k), 0), k - 1)


def values_from_sample(parameters: list[Levels | Span], sample: np.ndarray) -> pd.DataFrame:
    """Points frame (``point`` then one column per path) from a sample in the problem's space."""
    sample = np.asarray(sample, dtype=float)
    columns: dict[str, Any] = {"point": np.arange(sample.shape[0], dtype=np.int64)}
    for j, p in enumerate(parameters):
        col = sample[:, j]
        if isinstance(p, Span):
            columns[p.path] = _column([_span_value(p, x) for x in col], p)
        elif isinstance(p, Drawn):
            columns[p.path] = np.asarray(p.ppf(col), dtype=float)
        else:
            columns[p.path] = _column([p.values[_level_index(p, u)] for u in col], p)
    return pd.DataFrame(columns)


def _column(values: list[Any], p: Levels | Span) -> pd.Series | np.ndarray:
    if isinstance(p, Drawn):
        return np.asarray(values, dtype=float)
    if isinstance(p, Span):
        return np.asarray(values, dtype=np.int64 if p.integer else float)
    if p.numeric:
        if all(isinstance(v, int) for v in p.values):
            return np.asarray(values, dtype=np.int64)
        return np.asarray(values, dtype=float)
    return pd.Series(values, dtype=object)


def _scale(parameters: list[Levels | Span], u: np.ndarray) -> np.ndarray:
    """Uniform ``[0, 1)`` draws scaled to each parameter's bounds."""
    bounds = np.asarray(problem_for(parameters)["bounds"], dtype=float)
    return bounds[:, 0] + u * (bounds[:, 1] - bounds[:, 0])


def _grid_axis(p: Levels | Span, levels: int) -> tuple[list[Any], list[float]]:
    """(values to set, their sample coordinates) along one grid axis."""
    if isinstance(p, Levels):
        k = len(p.values)
        return list(p.values), [(i + 0.5) / k for i in range(k)]
    if isinstance(p, Drawn):  # equally likely slices of the distribution, at their middles
        us = [(i + 0.5) / levels for i in range(levels)]
        return [float(v) for v in p.ppf(np.array(us))], us
    xs = np.linspace(p.low, p.high, levels)
    if not p.integer:
        return [float(x) for x in xs], [float(x) for x in xs]
    seen: dict[int, None] = {}  # rounding can merge neighbours on a narrow integer span
    for x in xs:
        seen.setdefault(round(float(x)), None)
    vals = list(seen)
    return vals, [float(v) for v in vals]


def _grid(parameters: list[Levels | Span], levels: int) -> tuple[pd.DataFrame, np.ndarray]:
    axes = [_grid_axis(p, levels) for p in parameters]
    idx = list(itertools.product(*(range(len(vals)) for vals, _ in axes)))
    unit = np.array([[axes[j][1][i] for j, i in enumerate(row)] for row in idx], dtype=float)
    columns: dict[str, Any] = {"point": np.arange(len(idx), dtype=np.int64)}
    for j, p in enumerate(parameters):
        columns[p.path] = _column([axes[j][0][row[j]] for row in idx], p)
    return pd.DataFrame(columns), unit.reshape(len(idx), len(parameters))


def make_design(spec: SweepSpec) -> DesignTable:
    """The points of ``spec``'s design, deterministic from ``spec.seed``.

    ``grid``: every combination, the first parameter varying slowest (spans cut into
    ``design.levels`` evenly spaced values including both ends; integer spans drop values that
    round to the same whole number). ``random``: ``samples`` uniform points. ``lhs``: ``samples``
    Latin hypercube points. ``sobol``: Saltelli's scheme without second-order terms,
    ``samples * (parameters + 2)`` points. ``morris``: ``samples`` trajectories on
    ``design.levels`` levels, ``samples * (parameters + 1)`` points.
    """
    parameters = list(spec.parameters)
    design = spec.design
    problem = problem_for(parameters)
    d = len(parameters)
    seed = int(spec.seed)
    if design.kind == "grid":
        points, unit = _grid(parameters, design.levels)
    else:
        if design.kind == "random":
            unit = _scale(parameters, np.random.default_rng(seed).random((design.samples, d)))
        elif design.kind == "lhs":
            from scipy.stats import qmc

            u = qmc.LatinHypercube(d, rng=np.random.default_rng(seed)).random(design.samples)
            unit = _scale(parameters, u)
        elif design.kind == "sobol":
            from SALib.sample import sobol

            with warnings.catch_warnings():
                # SALib warns when samples is not a power of two; the spec documents the advice.
                warnings.simplefilter("ignore", UserWarning)
                unit = sobol.sample(problem, N=design.samples, calc_second_order=False, seed=seed)
        elif design.kind == "morris":
            from SALib.sample import morris

            unit = morris.sample(problem, N=design.samples, num_levels=design.levels, seed=seed)
        else:  # pragma: no cover - the spec's Literal rules this out
            raise ValueError(f"unknown design kind {design.kind!r}")
        unit = np.asarray(unit, dtype=float).reshape(-1, d)
        points = values_from_sample(parameters, unit)
    return DesignTable(points=points, unit=unit, problem=problem, kind=design.kind, levels=design.levels, seed=seed)
