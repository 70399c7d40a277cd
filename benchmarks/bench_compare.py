"""Throughput of ``sellersim compare``: runs per second with 1 and 2 workers, against the targets.

    .venv/bin/python benchmarks/bench_compare.py [--replications 10]

Compares the shipped strategies (``scenarios/strategies/*.yaml``, full horizon) with
``--replications`` replications each, once with 1 worker and once with 2. Only ``compare()`` is
timed: loading the files, the runs, and the statistics; a short warm-up comparison runs first so
first calls into numpy, pandas and pyarrow are not counted. The folder is then written without its
report (untimed) to show its size.

Printed: throughput (runs per second) for each worker count, the parallel efficiency
(throughput with 2 workers / (2 x throughput with 1)), and the projected time of every shipped
strategy x 100 replications at the 2-worker rate, next to the targets (under 5 minutes; efficiency >= 85%),
and the peak RSS of the driver process. Each time is also printed as a ratio to the yardstick
(``yardstick.py``), measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRATEGIES = sorted((ROOT / "scenarios" / "strategies").glob("*.yaml"))
WORKERS = (1, 2)
PROJECTED_RUNS = len(STRATEGIES) * 100
TARGET_SECONDS = 5 * 60
TARGET_EFFICIENCY = 0.85


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far, in MB (ru_maxrss is in KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / 1024**2 if sys.platform == "darwin" else peak / 1024


def folder_mb(path: Path) -> float:
    """Total size of the files in ``path``, in MB."""
    return sum(f.stat().st_size for f in path.iterdir()) / 1024**2


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=25, help="replications per strategy (default 25)")
    args = parser.parse_args(argv)
    if args.replications < 1:
        parser.error("--replications must be at least 1")

    from pandas.testing import assert_frame_equal
    from yardstick import yardstick_seconds

    from sellersim.experiments.compare import compare
    from sellersim.experiments.engine import default_workers

    n = args.replications
    runs = len(STRATEGIES) * n
    print(f"SellerSim compare benchmark: {len(STRATEGIES)} strategies x {n} replications = {runs} runs per setting")
    print(f"  cores available to this process: {default_workers()}; load average {os.getloadavg()[0]:.2f}")
    compare(STRATEGIES[:2], replications=1, workers=1, overrides=["simulation.days=60"])  # warm-up
    rss_warm = peak_rss_mb()
    yardstick = yardstick_seconds()
    print(f"  yardstick {yardstick:.3f} s (best of 3: a 10-million-step Python loop)")

    seconds: dict[int, float] = {}
    results = {}
    for workers in WORKERS:
        started = time.perf_counter()
        results[workers] = compare(STRATEGIES, replications=n, workers=workers)
        seconds[workers] = time.perf_counter() - started
    assert_frame_equal(results[1].runs, results[2].runs, check_exact=True)  # same results, as promised

    first = results[1]
    horizon = first.comparison["horizon_days"]
    failed = sum(first.comparison["failed_runs"].values())
    print(f"  horizon {horizon} days; {failed} failed runs")
    throughput = {w: runs / seconds[w] for w in WORKERS}
    for w in WORKERS:
        # a run's own wall time inside its worker: higher with 2 workers means the cores are contended
        per_run = results[w].comparison["provenance"]["run_cpu_seconds"] / runs
        print(
            f"  {w} worker{'s' * (w > 1)}: {seconds[w]:7.2f} s   {throughput[w]:6.2f} runs/s   "
            f"({per_run:.3f} s = {per_run / yardstick:.2f} x yardstick per run inside the worker)"
        )
    efficiency = throughput[2] / (2 * throughput[1])
    verdict = "ok" if efficiency >= TARGET_EFFICIENCY else "MISSED"
    print(f"  parallel efficiency (2 workers): {efficiency:.0%}   target >= {TARGET_EFFICIENCY:.0%}: {verdict}")
    projected = PROJECTED_RUNS / throughput[2]
    verdict = "ok" if projected < TARGET_SECONDS else "MISSED"
    print(
        f"  projected {len(STRATEGIES)} strategies x 100 replications at the 2-worker rate: {projected:6.1f} s "
        f"({projected / 60:.1f} min, {projected / yardstick:.0f} x yardstick)   "
        f"target < {TARGET_SECONDS / 60:.0f} min: {verdict}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = first.write(Path(tmp) / "cmp")
        size = folder_mb(out)
    print(f"  comparison folder without report.html: {size:.1f} MB")
    # workers are children of the forkserver, not of this process, so only the driver is measured here
    print(f"  peak RSS of the driver {peak_rss_mb():.0f} MB (after warm-up {rss_warm:.0f} MB)")


if __name__ == "__main__":
    main()
