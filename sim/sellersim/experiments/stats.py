"""Intervals for comparing strategies run on common random numbers, and when to stop replicating.

Replication ``i`` of every strategy draws from the same random streams, so two strategies are
compared pair by pair (:func:`paired_difference`, :func:`probability_of_beating`): the shared luck
cancels and the interval on the difference is far narrower than one built from two independent
samples. Missing values (NaN) are ignored throughout; functions never raise on too little data but
return NaN bounds instead.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats as _sps
from statsmodels.stats.proportion import proportion_confint

from sellersim.results.figures import FIGURE_BY_NAME

__all__ = [
    "Interval",
    "StoppingRule",
    "half_width",
    "mean_band",
    "mean_interval",
    "paired_difference",
    "precision_reached",
    "probability_of_beating",
    "proportion_interval",
    "quantile_bands",
    "wilson_interval",
]

_NAN = float("nan")


@dataclass(frozen=True)
class Interval:
    """A point estimate with a two-sided confidence interval ``[low, high]`` from ``n`` values."""

    estimate: float
    low: float
    high: float
    n: int

    @property
    def half_width(self) -> float:
        """Half the interval's width (NaN when the bounds are undefined)."""
        return (self.high - self.low) / 2.0

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies within the closed interval; False when the bounds are undefined."""
        return bool(self.low <= x <= self.high)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping; NaN becomes None."""
        return {
            "estimate": _json_float(self.estimate),
            "low": _json_float(self.low),
            "high": _json_float(self.high),
            "half_width": _json_float(self.half_width),
            "n": int(self.n),
        }


def _json_float(v: float) -> float | None:
    v = float(v)
    return None if math.isnan(v) else v


def _check_confidence(confidence: float) -> None:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")


@lru_cache(maxsize=1024)
def _t_quantile(confidence: float, df: int) -> float:
    return float(_sps.t.ppf(0.5 + confidence / 2.0, df))


def _values(x: ArrayLike) -> np.ndarray:
    """``x`` flattened to float64 with NaN dropped."""
    a = np.asarray(x, dtype=float).ravel()
    return a[~np.isnan(a)]


def mean_interval(x: ArrayLike, confidence: float = 0.95) -> Interval:
    """Student-t interval for the mean of ``x``, ignoring NaN.

    With fewer than two values the bounds are NaN (the estimate is NaN for none); constant data
    gives a zero-width interval.
    """
    _check_confidence(confidence)
    a = _values(x)
    n = int(a.size)
    if n == 0:
        return Interval(_NAN, _NAN, _NAN, 0)
    mean = float(a.mean())
    if n == 1:
        return Interval(mean, _NAN, _NAN, 1)
    sd = float(a.std(ddof=1))
    hw = _t_quantile(confidence, n - 1) * sd / math.sqrt(n)
    return Interval(mean, mean - hw, mean + hw, n)


def wilson_interval(successes: ArrayLike, n: int, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval ``(low, high)`` of the proportions ``successes / n``, element by element.

    Unlike the normal (Wald) interval it stays inside [0, 1] and keeps a positive width at 0 and
    ``n`` successes. ``successes`` may be fractional (ties counted as halves), which is why this is
    statsmodels' interval rather than scipy's (``binomtest`` takes whole counts only). ``n = 0`` gives NaN.
    """
    _check_confidence(confidence)
    k = np.asarray(successes, dtype=float)
    if n <= 0:
        return np.full_like(k, np.nan), np.full_like(k, np.nan)
    low, high = proportion_confint(k, n, alpha=1.0 - confidence, method="wilson")  # NaN counts stay NaN
    p = k / n
    # Wilson's interval always contains p; clamping keeps rounding (e.g. 10 of 10 -> high 0.9999999999999999)
    # from putting p outside it.
    return np.minimum(low, p), np.maximum(high, p)


def proportion_interval(successes: float, n: int, confidence: float = 0.95) -> Interval:
    """The Wilson interval (:func:`wilson_interval`) of the proportion ``successes / n``."""
    n = int(n)
    if n < 0 or not 0.0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes}, n={n}")
    low, high = wilson_interval(successes, n, confidence)
    return Interval(successes / n if n else _NAN, float(low), float(high), n)


def _pairs(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(x, dtype=float).ravel()
    b = np.asarray(y, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"paired samples differ in length: {a.size} and {b.size}")
    keep = np.isfinite(a) & np.isfinite(b)
    return a[keep], b[keep]


def paired_difference(x: ArrayLike, y: ArrayLike, confidence: float = 0.95) -> Interval:
    """t-interval for the mean of ``x - y`` over the pairs (same replication) where both are finite."""
    a, b = _pairs(x, y)
    return mean_interval(a - b, confidence)


def probability_of_beating(
    x: ArrayLike, y: ArrayLike, higher_is_better: bool = True, confidence: float = 0.95
) -> Interval:
    """Share of pairs in which ``x`` does better than ``y``, ties counting one half.

    The interval is Wilson's, with ``share * n`` as the number of successes; pairs where either
    value is missing are dropped.
    """
    a, b = _pairs(x, y)
    n = int(a.size)
    wins = np.count_nonzero(a > b if higher_is_better else a < b)
    ties = np.count_nonzero(a == b)
    return proportion_interval(wins + 0.5 * ties, n, confidence)


def quantile_bands(values: np.ndarray, quantiles: Sequence[float]) -> np.ndarray:
    """Per-day quantiles of a (replications x days) array, ignoring NaN.

    Returns a (len(quantiles) x days) array; a day without any value gets NaN.
    See :func:`mean_band` for the per-day mean.
    """
    v = _matrix(values)
    q = np.asarray(quantiles, dtype=float)
    out = np.full((q.size, v.shape[1]), _NAN)
    # np.nanquantile loops over the days in Python (some 40 ms for 1,095 days, run by the driver
    # alone); np.quantile is vectorised. Days with the same number of values are done together,
    # on their values sorted NaN-last: the same numbers as np.nanquantile.
    counts = np.count_nonzero(~np.isnan(v), axis=0)
    ordered = np.sort(v, axis=0)
    for k in np.unique(counts[counts > 0]):
        days = counts == k
        out[:, days] = np.quantile(ordered[:k, days], q, axis=0).reshape(q.size, -1)
    return out


def mean_band(values: np.ndarray) -> np.ndarray:
    """Per-day mean of a (replications x days) array, ignoring NaN; NaN for a day without values."""
    v = _matrix(values)
    if v.shape[0] == 0:
        return np.full(v.shape[1], _NAN)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN days
        return np.nanmean(v, axis=0)


def _matrix(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError(f"expected a (replications x days) array, got shape {v.shape}")
    return v


def half_width(sample: ArrayLike, confidence: float = 0.95, proportion: bool | None = None) -> float:
    """Half-width of the interval for one strategy's sample.

    Proportions (0/1 outcomes) use the Wilson interval, anything else the t-interval. With
    ``proportion=None`` a boolean array counts as a proportion. NaN with fewer than two values
    (t) or none (Wilson).
    """
    if proportion is None:
        proportion = np.asarray(sample).dtype == np.bool_
    if proportion:
        a = _values(sample)
        return proportion_interval(float(a.sum()), int(a.size), confidence).half_width
    return mean_interval(sample, confidence).half_width


def precision_reached(
    samples: Mapping[str, ArrayLike],
    target_half_width: float,
    confidence: float = 0.95,
    proportion: bool | None = None,
) -> dict[str, bool]:
    """For each strategy, whether its interval's half-width is at most ``target_half_width``.

    An undefined half-width (too few values) never reaches the target. ``proportion`` as in
    :func:`half_width`.
    """
    return {name: bool(half_width(s, confidence, proportion) <= target_half_width) for name, s in samples.items()}


@dataclass(frozen=True)
class StoppingRule:
    """Replicate in batches until every strategy's interval on ``figure`` is narrow enough.

    ``target_half_width`` is in the figure's unit (a share for ``survived``, which uses Wilson's
    interval; other figures use the t-interval of the mean).
    """

    figure: str
    target_half_width: float
    max_replications: int
    batch: int
    confidence: float = 0.95

    def __post_init__(self) -> None:
        if not self.target_half_width > 0:
            raise ValueError(f"target_half_width must be positive, got {self.target_half_width}")
        if self.max_replications < 1 or self.batch < 1:
            raise ValueError("max_replications and batch must be at least 1")
        _check_confidence(self.confidence)

    @property
    def is_proportion(self) -> bool:
        """Whether the figure is a share of replications (Wilson interval)."""
        fig = FIGURE_BY_NAME.get(self.figure)
        return fig is not None and fig.unit == "share"

    def half_widths(self, samples: Mapping[str, ArrayLike]) -> dict[str, float]:
        """Each strategy's current half-width on the figure."""
        prop = True if self.is_proportion else None
        return {name: half_width(s, self.confidence, prop) for name, s in samples.items()}

    def next_batch(self, done: int) -> int:
        """How many replications to run next: a batch, but never past the maximum."""
        return max(0, min(self.batch, self.max_replications - done))

    def decide(self, samples: Mapping[str, ArrayLike], done: int) -> tuple[bool, str]:
        """Whether to stop after ``done`` replications, with a plain-language reason.

        Stops when every strategy's half-width is within the target, or at the maximum.
        """
        widths = self.half_widths(samples)
        level = f"{self.confidence * 100:g}%"
        target = _fmt(self.target_half_width)
        if widths and all(w <= self.target_half_width for w in widths.values()):
            return True, (
                f"{level} interval of {self.figure} narrower than ±{target} for every strategy "
                f"after {done:,} replications"
            )
        widest = _widest(widths)
        if done >= self.max_replications:
            return True, f"reached the maximum of {self.max_replications:,} replications; widest half-width {widest}"
        return False, (
            f"after {done:,} replications the widest {level} half-width of {self.figure} is {widest}, "
            f"target ±{target}; running {self.next_batch(done):,} more"
        )


def _widest(widths: Mapping[str, float]) -> str:
    if not widths:
        return "undefined (no strategies)"
    name, w = max(widths.items(), key=lambda kv: math.inf if math.isnan(kv[1]) else kv[1])
    if math.isnan(w):
        return f"undefined ({name}: too few values)"
    return f"±{_fmt(w)} ({name})"


def _fmt(v: float) -> str:
    """Readable number: thousands separators for large values, three significant digits for small."""
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"
