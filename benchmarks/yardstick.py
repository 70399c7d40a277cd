"""The yardstick every benchmark figure is also given against: a plain Python loop on this machine.

Machines here differ two to three times in speed and are noisy, so a wall time alone says little.
The yardstick is the best of 3 timings of a plain 10-million-step Python loop inside a function,
measured in the same process as the figures it scales; a figure divided by it is comparable across
machines.
"""

from __future__ import annotations

import time

STEPS = 10_000_000


def _loop(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def yardstick_seconds(repeats: int = 3) -> float:
    """Best of ``repeats`` timings of a ``STEPS``-step loop, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        _loop(STEPS)
        best = min(best, time.perf_counter() - started)
    return best
