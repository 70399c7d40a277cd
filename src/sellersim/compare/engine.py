"""Runs strategies over replications, locally or in a process pool, and gathers the results.

Results are keyed by (strategy, replication) and assembled in that order, so they
are identical for any number of workers and any order of completion. A run that
raises is recorded with its error and the rest go on. Ctrl-C stops the
comparison and keeps every run that finished.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from sellersim.compare.replication import Outcome, Task, replication_seed, run_task
from sellersim.scenario.loader import dump_resolved
from sellersim.scenario.schema import Scenario

ProgressFn = Callable[[Outcome], None]

_scenarios: dict[str, Scenario] = {}  # a worker's copy, set once by the pool's initializer


def _init_worker(scenarios: Mapping[str, Scenario]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle: it keeps what finished
    _scenarios.clear()
    _scenarios.update(scenarios)


def _run_in_worker(task: Task) -> Outcome:
    return run_task(_scenarios[task.strategy], task)


def tasks_for(strategies: Sequence[str], replications: range, master_seed: int) -> list[Task]:
    """Every (strategy, replication) task, replication-major so early results cover all strategies."""
    return [Task(s, r, replication_seed(master_seed, r)) for r in replications for s in strategies]


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the fully resolved scenario, for provenance."""
    return hashlib.sha256(dump_resolved(scenario).encode()).hexdigest()


class Runner:
    """Runs tasks with ``workers`` processes (1: in this process) and yields outcomes as they finish."""

    def __init__(self, scenarios: Mapping[str, Scenario], workers: int) -> None:
        self.scenarios = dict(scenarios)
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Runner:
        if self.workers > 1:
            # forkserver, not fork: forking a driver that has threads (progress bars, notebooks) can deadlock
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_init_worker, initargs=(self.scenarios,)
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Yield the outcome of every task, in order of completion."""
        if self._pool is None:
            for task in tasks:
                yield run_task(self.scenarios[task.strategy], task)
            return
        pending: set[Future[Outcome]] = {self._pool.submit(_run_in_worker, t) for t in tasks}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def paths_by_strategy(scenarios: Mapping[str, Scenario], files: Mapping[str, Path]) -> dict[str, dict[str, str]]:
    """Provenance of each strategy: its file and the hash of its resolved scenario."""
    return {name: {"file": str(files[name]), "sha256": scenario_hash(s)} for name, s in scenarios.items()}
