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
    "selection",
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

    def keyed(self, name: str, key: int) -> np.random.Generator:
        """A generator for item ``key`` of a source (the k-th product's niche candidates, say).

        Keyed streams give the same draws to the same item whatever happened before it.
        """
        return self._make(name, key)
