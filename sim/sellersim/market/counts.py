"""Counts by inverse CDF: Poisson, binomial and multinomial draws whose luck is in given uniforms.

The market turns uniforms keyed by (product, day) into counts (units wanted, reviews, their stars,
returns), so the same product meets the same luck under every strategy. A count is the quantile
of its distribution at the uniform ``u``: the smallest integer ``k`` with ``CDF(k) >= u``.

Design: the quantile is found by search on the CDF, not by a root finder. A first guess from the
normal approximation with its skew correction (Cornish-Fisher, ``k ~ mean + z sd + (z^2 - 1)
skew sd / 6``, ``z = Phi^-1(u)``) is usually right or one off. One call of the CDF at ``k - 1`` and
``k`` confirms it (``CDF(k - 1) < u <= CDF(k)``) for every item at once; the search then steps the rest
up while ``CDF(k) < u`` and down while ``CDF(k - 1) >= u``. The CDFs are ``scipy.special.pdtr`` and
``bdtr`` (regularised incomplete gamma and beta functions), about ten times cheaper an element than
the root finders ``pdtrik`` and ``bdtrik``, and the answer is exactly the quantile those functions
define (``scipy.stats`` ``ppf``), not an answer within the root finder's tolerance. Counts of 0
(and of 1 for the binomial), which most products have on most days, need no search at all. A day's
few Poisson searches (a catalogue of a handful of products) run item by item on Python numbers: the same
search on the same CDF, without the fixed cost of numpy calls on arrays of one or two items.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy.special import bdtr, ndtri, pdtr

_FEW = 4  # items up to which a Poisson search is cheaper item by item than with arrays


def _smallest_reaching(
    cdf: Callable[[np.ndarray, np.ndarray], np.ndarray], u: np.ndarray, k: np.ndarray, low: int
) -> np.ndarray:
    """The smallest ``k >= low`` with ``cdf(k, at) >= u``, searched from the guess ``k`` (changed in place).

    ``cdf(k, at)`` is the CDF at counts ``k`` of the items ``at`` (indices into ``u``).
    """
    n = len(u)
    every = np.arange(n)
    # the guess is usually right: CDF(k - 1) < u <= CDF(k) for every item, read in one call
    both = cdf(np.concatenate((k - 1, k)), np.concatenate((every, every)))
    short, high = both[n:] < u, (both[:n] >= u) & (k > low)
    while np.count_nonzero(short):  # the guess was low: step up
        at = short.nonzero()[0]
        k[at] += 1
        short[at] = cdf(k[at], at) < u[at]
    at = high.nonzero()[0]
    while len(at):  # the guess was high: step down while one less still reaches u
        k[at] -= 1
        at = at[k[at] > low]
        at = at[cdf(k[at] - 1, at) >= u[at]]
    return k


def _first_guess(u: np.ndarray, mean: np.ndarray, sd: np.ndarray, skew_sd: np.ndarray | float) -> np.ndarray:
    """The nearest count to the Cornish-Fisher quantile (normal, corrected for skew); ``skew_sd`` is the skewness
    times the standard deviation (1 for the Poisson, ``1 - 2p`` for the binomial)."""
    z = ndtri(u)
    return np.floor(mean + sd * z + (z * z - 1) * (skew_sd / 6) + 0.5)


def poisson_quantile(u: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Poisson counts with ``mean`` at probabilities ``u`` (inverse CDF): the luck is in ``u`` alone."""
    more = u > np.exp(-mean)  # past P(0)
    k = more.astype(np.int64)
    at = more.nonzero()[0]
    if len(at) <= _FEW:  # the usual day: a few items, each searched with Python numbers
        for i, v, m in zip(at.tolist(), u[at].tolist(), mean[at].tolist(), strict=True):
            k[i] = _poisson_one(v, m)
    else:
        m, v = mean[at], u[at]
        sd = np.sqrt(m)
        guess = np.maximum(_first_guess(v, m, sd, 1.0), 1).astype(np.int64)
        k[at] = _smallest_reaching(lambda kk, i: pdtr(kk, m[i]), v, guess, 1)
    return k


def _poisson_one(u: float, mean: float) -> int:
    """The Poisson count with ``mean`` at ``u`` past P(0): the search of :func:`_smallest_reaching` for one item."""
    z = float(ndtri(u))
    k = max(math.floor(mean + math.sqrt(mean) * z + (z * z - 1) / 6 + 0.5), 1)
    while pdtr(k, mean) < u:
        k += 1
    while k > 1 and pdtr(k - 1, mean) >= u:
        k -= 1
    return k


def binomial_quantile(u: np.ndarray, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """Binomial(n, p) counts at probabilities ``u`` (inverse CDF); 0 where ``n`` is 0.

    Zeros (``u <= P(0)``) and ones (``u <= P(0) + P(1)``) are read off directly; only the rest are
    searched. Most daily counts (reviews, returns) are 0 or 1.
    """
    q = 1 - p  # a float stays a float: no 0-d array to build on the days most counts are 0
    none = q**n  # P(0)
    some = u > none
    if not np.count_nonzero(some):
        return np.zeros(len(u), dtype=np.int64)
    k = some.astype(np.int64)
    more = u > none + n * (1 - q) * q ** np.maximum(n - 1, 0)  # past P(0) + P(1)
    at = more.nonzero()[0]
    if len(at):
        n_at, v = n[at], u[at]
        p_at = 1 - q[at] if isinstance(q, np.ndarray) else np.full(len(at), 1 - q)
        mean, sd = n_at * p_at, np.sqrt(n_at * p_at * (1 - p_at))
        guess = np.minimum(np.maximum(_first_guess(v, mean, sd, 1 - 2 * p_at), 2), n_at).astype(np.int64)
        k[at] = _smallest_reaching(lambda kk, i: bdtr(kk, n_at[i], p_at[i]), v, guess, 2)
    return k


def multinomial_quantile(u: np.ndarray, n: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Multinomial(n, probs) counts, one row per item, from ``k - 1`` uniforms a row (``k`` categories): each
    category but the last is a binomial of what is left, at its share of the probability left
    (:func:`binomial_quantile`), and the last takes the rest. The luck is in ``u`` alone."""
    counts = np.zeros(probs.shape, dtype=np.int64)
    left, mass = n.astype(np.int64), np.ones(len(n))
    for k in range(probs.shape[1] - 1):
        share = np.divide(probs[:, k], mass, out=np.zeros(len(n)), where=mass > 0)
        counts[:, k] = binomial_quantile(u[:, k], left, np.minimum(share, 1.0))
        left -= counts[:, k]
        mass -= probs[:, k]
    counts[:, -1] = left
    return counts
