"""Runs strategies over replications, locally or in a process pool, and gathers the results.

Results are keyed by (strategy, replication) and assembled in that order, so they
are identical for any number of workers and any order of completion. A run that
raises is recorded with its error and the rest go on. Ctrl-C stops the
comparison and keeps every run that finished.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from sellersim.experiments.backends import LocalBackend
from sellersim.experiments.replication import Outcome, Task, replication_seed, run_task
from sellersim.scenario.loader import dump_resolved
from sellersim.scenario.schema import Scenario


def _run_item(item: tuple[Scenario, Task]) -> Outcome:
    return run_task(*item)


def tasks_for(strategies: Sequence[str], replications: range, master_seed: int) -> list[Task]:
    """Every (strategy, replication) task, replication-major so early results cover all strategies."""
    return [Task(s, r, replication_seed(master_seed, r)) for r in replications for s in strategies]


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the fully resolved scenario, for provenance."""
    return hashlib.sha256(dump_resolved(scenario).encode()).hexdigest()


class Runner:
    """Runs comparison tasks on the local process pool and yields outcomes as they finish."""

    def __init__(self, scenarios: Mapping[str, Scenario], workers: int) -> None:
        self.scenarios = dict(scenarios)
        self._pool = LocalBackend(workers)

    @property
    def workers(self) -> int:
        return self._pool.workers

    def __enter__(self) -> Runner:
        self._pool.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.__exit__(*exc)

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Yield the outcome of every task, in order of completion."""
        yield from self._pool.map_unordered(_run_item, ((self.scenarios[t.strategy], t) for t in tasks))


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def paths_by_strategy(scenarios: Mapping[str, Scenario], files: Mapping[str, Path]) -> dict[str, dict[str, str]]:
    """Provenance of each strategy: its file and the hash of its resolved scenario."""
    return {name: {"file": str(files[name]), "sha256": scenario_hash(s)} for name, s in scenarios.items()}
