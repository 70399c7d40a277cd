"""Named random streams, one per source of randomness.

Each source (niche draws, daily demand, reviews, lead times, recruiting...) has
its own generator derived from the run's seed with :class:`numpy.random.SeedSequence`.
Two strategies run with the same seed therefore see the same luck from each
source, which keeps comparisons between them paired (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np

SOURCES = (
    "niches",
    "pricing",
    "demand",
    "reviews",
    "returns",
    "account_health",
    "production",
    "freight",
    "receiving",
    "recruiting",
    "quits",
    "forecasts",
    "warehouse",
    "awd",
    "selection",
    "filings",
)


class RandomStreams:
    """Independent generators keyed by source name, all derived from one seed."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._streams = {name: self._make(name) for name in SOURCES}

    def _make(self, name: str, *key: int) -> np.random.Generator:
        seq = np.random.SeedSequence(self._seed, spawn_key=(zlib.crc32(name.encode()), *key))
        return np.random.Generator(np.random.PCG64(seq))

    def __getitem__(self, name: str) -> np.random.Generator:
        return self._streams[name]

    def keyed(self, name: str, *key: int) -> np.random.Generator:
        """A generator for item ``key`` of a source (the k-th product's niche candidates, say).

        Keyed streams give the same draws to the same item whatever happened before it.
        """
        return self._make(name, *key)


class KeyedUniforms:
    """One uniform draw per item per day that depends only on (item, day).

    Drawn in blocks of ``block_days`` days from a stream keyed by (item, block), so the k-th product
    sees the same luck on the same day under every strategy, however many products the catalogue
    holds and whatever else was drawn. Turned into counts by inverse CDF, this keeps common random
    numbers where a shared generator's variable consumption (Poisson, binomial) would lose them.
    With ``per_day`` above 1 each item gets that many uniforms a day (a row of them).
    """

    def __init__(self, streams: RandomStreams, name: str, block_days: int = 128, per_day: int = 1) -> None:
        self._streams = streams
        self._name = name
        self._block_days = block_days
        self._shape = (block_days,) if per_day == 1 else (block_days, per_day)
        self._block = -1
        self._bank = np.zeros((0, *self._shape))

    def today(self, day: int, n: int) -> np.ndarray:
        """Uniforms of items 0..n-1 on ``day`` (a view): one each, or a row of ``per_day`` each."""
        block = day // self._block_days
        have = 0 if block != self._block else len(self._bank)
        if have < n:
            rows = [self._streams.keyed(self._name, i, block).random(self._shape) for i in range(have, n)]
            self._bank = np.concatenate([self._bank[:have], np.array(rows)]) if have else np.array(rows)
            self._block = block
        return self._bank[:n, day % self._block_days]
