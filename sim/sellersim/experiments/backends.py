"""Where sweep runs execute: a local process pool (default) or a Dask cluster.

Both yield results as runs finish; the driver orders them, so results do not
depend on the backend, the number of workers or the order of completion.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from itertools import islice
from typing import Any, Protocol

_IN_FLIGHT_PER_WORKER = 4


class Backend(Protocol):
    """Runs ``fn`` over items and yields each result when it is ready."""

    name: str
    workers: int

    def __enter__(self) -> Backend: ...

    def __exit__(self, *exc: object) -> None: ...

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]: ...


def _start_worker(driver_pid: int) -> None:
    """Leave Ctrl-C to the driver, and never outlive it.

    Ctrl-C reaches the whole terminal's process group; the driver handles it (it keeps what
    finished and shuts the pool down), so workers ignore it and finish the run in hand. SIGTERM
    keeps its default: the pool itself stops broken workers with it.

    A worker's parent is the forkserver, not the driver, and the forkserver lives as long as any
    worker does; so each worker watches the driver itself and exits the moment it is gone,
    however it died (``kill -9``, out of memory): no worker, forkserver or resource tracker is
    left running work nobody will read.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(driver_pid,), name="watch-driver", daemon=True).start()


def _exit_with(pid: int) -> None:
    """Exit this process when process ``pid`` ends (at once with a pidfd, else within a second)."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd on this system: look every second
        while _alive(pid):
            time.sleep(1.0)
        os._exit(1)
    select.select([handle], [], [])  # readable when the process has ended
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LocalBackend:
    """A pool of worker processes on this machine (``workers == 1`` runs in this process)."""

    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalBackend:
        if self.workers > 1:
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        if self._pool is None:
            yield from map(fn, items)
            return
        todo = iter(items)
        pending: set[Future[Any]] = set()

        def top_up() -> None:  # a few tasks per worker in flight: memory stays flat however many runs
            for item in islice(todo, _IN_FLIGHT_PER_WORKER * self.workers - len(pending)):
                pending.add(self._pool.submit(fn, item))

        top_up()
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                top_up()
        finally:
            for future in pending:
                future.cancel()


class DaskBackend:
    """A Dask distributed cluster: the scheduler at ``address``, or a local cluster of ``workers``."""

    name = "dask"

    def __init__(self, workers: int, address: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # an optional extra
            raise RuntimeError("the dask backend needs Dask: pip install 'sellersim[dask]'") from exc
        self.workers = max(1, workers)
        self._client_type, self._cluster_type = Client, LocalCluster
        self.address = address
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskBackend:
        if self.address:
            self._client = self._client_type(self.address)
            self.workers = len(self._client.scheduler_info()["workers"]) or self.workers
        else:
            self._cluster = self._cluster_type(
                n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self._client = self._client_type(self._cluster)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        from distributed import as_completed

        todo = iter(items)
        first = [
            self._client.submit(fn, item, pure=False) for item in islice(todo, _IN_FLIGHT_PER_WORKER * self.workers)
        ]
        queue = as_completed(first)
        try:
            for future in queue:
                yield future.result()
                for item in islice(todo, 1):
                    queue.add(self._client.submit(fn, item, pure=False))
        finally:
            queue.clear()


def make_backend(name: str, workers: int, address: str | None = None) -> Backend:
    """The backend called ``name`` ("local" or "dask")."""
    if name == "local":
        return LocalBackend(workers)
    if name == "dask":
        return DaskBackend(workers, address)
    raise ValueError(f"unknown backend {name!r}; use local or dask")
