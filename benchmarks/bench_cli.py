"""Wall time of the command line as a new user meets it: ``--help``, ``validate`` and a whole ``run``.

    .venv/bin/python benchmarks/bench_cli.py [--repeats 3]

Each command runs in a fresh process (imports included, as a user pays them), ``--repeats`` times; the
best time is printed beside its target, as a ratio to the yardstick (``yardstick.py``) measured in this
process. ``--help`` and ``validate`` must not load the model, the experiments or the reports; ``run`` pays
for the model's imports (Mesa's alone take about a second), a three-year run, its tables and its report.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from yardstick import yardstick_seconds  # noqa: E402

SCENARIO = ROOT / "scenarios" / "strategies" / "solo_then_hire.yaml"
CLI = Path(sys.executable).with_name("sellersim")
CASES = {
    # name: (arguments after `sellersim`, target as a ratio to the yardstick)
    "--help": (["--help"], 2.0),
    "validate": (["validate", str(SCENARIO)], 2.5),
    "run": (["run", str(SCENARIO), "--out", "{out}"], 8.0),
}


def best_seconds(args: list[str], repeats: int) -> float:
    """Best wall time of ``sellersim args`` over ``repeats`` fresh processes (each run writes a fresh folder)."""
    best = float("inf")
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            command = [str(CLI), *(a.format(out=str(Path(tmp) / "run")) for a in args)]
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    yardstick = yardstick_seconds()
    print(f"SellerSim CLI benchmark: best of {repeats} fresh processes")
    print(f"  yardstick {yardstick:.3f} s (best of 3: a 10-million-step Python loop)")
    for name, (args, target) in CASES.items():
        seconds = best_seconds(args, repeats)
        ratio = seconds / yardstick
        verdict = "ok" if ratio < target else "MISSED"
        print(f"  {name:<9} {seconds:6.2f} s = {ratio:5.2f} x yardstick, target < {target:g}: {verdict}")


if __name__ == "__main__":
    main()
