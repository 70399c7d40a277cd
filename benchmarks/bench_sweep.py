"""Sweep throughput and driver memory.

Prints the throughput (runs per second) of a sweep of ``--runs`` runs with the local backend on 1
and 2 workers and with Dask on a local cluster of 2, the parallel efficiency of 2 local workers,
Dask's speed relative to the local pool, and the driver's peak memory for sweeps of 1,000 and
5,000 runs (short horizons: the driver's memory depends on the number of runs, not their length).

    .venv/bin/python benchmarks/bench_sweep.py                     # 1,000 runs of 3 years: long
    .venv/bin/python benchmarks/bench_sweep.py --runs 200 --days 365

Targets: efficiency >= 85% on 2 workers; Dask within 20% of the local pool; driver memory at
5,000 runs within 10% of that at 1,000.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPLICATIONS = 10


def write_spec(folder: Path, runs: int, days: int) -> Path:
    """A Latin-hypercube sweep of the seed's order over two parameters with ``runs`` runs."""
    spec = folder / f"bench-{runs}-{days}.yaml"
    solo = ROOT / "scenarios" / "strategies" / "solo_then_hire.yaml"
    spec.write_text(
        f"""name: bench_{runs}_{days}
strategies: [{solo}]
parameters:
  - {{path: company.starting_cash_usd, low: 20000, high: 100000}}
  - {{path: market.niches.cpc_usd.median, low: 0.6, high: 1.6}}
design: {{kind: lhs, samples: {max(runs // REPLICATIONS, 1)}}}
replications: {REPLICATIONS}
figures: [survived, cumulative_profit_usd]
seed: 1
days: {days}
"""
    )
    return spec


def timed(spec: Path, out: Path, workers: int, backend: str) -> dict:
    """Run a sweep in a fresh process and return its meta (runs/s, efficiency, peak memory)."""
    code = (
        "import json, sys; from sellersim.experiments.sweep.runner import run_sweep; "
        f"o = run_sweep({str(spec)!r}, {str(out)!r}, workers={workers}, backend={backend!r}); "
        "print(json.dumps(o.meta))"
    )
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    meta = json.loads(proc.stdout.strip().splitlines()[-1])
    meta["wall_with_startup"] = time.perf_counter() - started
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1000, help="runs in the throughput sweep (default 1000)")
    parser.add_argument("--days", type=int, default=1095, help="horizon of the throughput runs (default 1095)")
    parser.add_argument("--memory-days", type=int, default=30, help="horizon of the memory runs (default 30)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        spec = write_spec(folder, args.runs, args.days)
        print(f"SellerSim sweep benchmark: {args.runs} runs of {args.days} days (Latin hypercube x {REPLICATIONS})")
        rates = {}
        for label, workers, backend in (
            ("local, 1 worker", 1, "local"),
            ("local, 2 workers", 2, "local"),
            ("dask, 2 workers", 2, "dask"),
        ):
            meta = timed(spec, folder / label.replace(" ", "_").replace(",", ""), workers, backend)
            rates[label] = meta["runs_per_second"]
            print(
                f"  {label:18s} {meta['runs_per_second']:6.2f} runs/s"
                f"   workers busy {100 * (meta['efficiency'] or 0):4.0f}%"
                f"   driver peak {meta['peak_memory_mb']:.0f} MB   ({meta['run_seconds']:.1f} s)"
            )
        efficiency = rates["local, 2 workers"] / (2 * rates["local, 1 worker"])
        dask_ratio = rates["dask, 2 workers"] / rates["local, 2 workers"]
        verdict = "ok" if efficiency >= 0.85 else "MISSED"
        print(f"  parallel efficiency, 2 local workers: {100 * efficiency:.0f}%   target >= 85%: {verdict}")
        print(
            f"  dask / local pool: {100 * dask_ratio:.0f}%   target >= 80%: {'ok' if dask_ratio >= 0.8 else 'MISSED'}"
        )

        memory = {}
        for runs in (1000, 5000):
            meta = timed(write_spec(folder, runs, args.memory_days), folder / f"memory-{runs}", 2, "local")
            memory[runs] = meta["peak_memory_mb"]
            print(f"  driver peak memory at {runs:5d} runs ({args.memory_days}-day runs): {memory[runs]:.0f} MB")
        growth = memory[5000] / memory[1000] - 1
        print(
            f"  growth from 1,000 to 5,000 runs: {100 * growth:+.1f}%"
            f"   target <= +10%: {'ok' if growth <= 0.10 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
