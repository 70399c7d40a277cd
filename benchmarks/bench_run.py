"""Wall time of a three-year run, and where it goes.

    .venv/bin/python benchmarks/bench_run.py [--repeats 7] [--case default|large]

Two cases: the default scenario (``scenarios/strategies/solo_then_hire.yaml``) and a large
established company (``benchmarks/large_company.yaml``: 300 products, 60 staff). Each case runs
in a fresh process, so its peak memory is its own. A case is loaded once, run once to warm up,
then run ``--repeats`` times; the median, min and max wall time of the run (``run_model``) and of
turning it into tables (``collect``) are printed next to the targets. Targets are ratios to the
yardstick (``yardstick.py``: the best of 3 timings of a plain 10-million-step Python loop), measured
in the same process, so they hold on faster and slower machines alike.

The split of the run's time comes from timing wrappers installed at runtime around
``Market.simulate`` (market), ``SellerModel._record`` (records, including the Recorder),
``SellerModel._work_week`` (agents/work) and ``simpy.Environment.run`` (SimPy); "rest" is the
run's time outside them. Time is counted exclusively: a wrapped call made inside another
counts only for the inner one. The wrappers cost about a microsecond a call, a few thousand
calls a run, so the shares come from ``SECTION_REPEATS`` further runs with them installed, and
the timed runs above are the model alone.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    # name: (scenario file, target for the run's median wall time as a ratio to the yardstick)
    "default": (ROOT / "scenarios" / "strategies" / "solo_then_hire.yaml", 0.8),
    "large": (ROOT / "benchmarks" / "large_company.yaml", 8.0),
}
SECTIONS = ("market", "records", "agents/work", "SimPy")
SECTION_REPEATS = 3  # instrumented runs for the split of the time


class SectionTimer:
    """Exclusive wall time per named section, from wrappers around methods."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(SECTIONS, 0.0)
        self._stack: list[list[float]] = []  # per open call: [start, time spent in nested calls]

    def reset(self) -> None:
        """Zero the totals (between repeats)."""
        self.seconds = dict.fromkeys(SECTIONS, 0.0)

    def wrap(self, owner: type, method: str, section: str) -> None:
        """Replace ``owner.method`` with a version that adds its time to ``section``."""
        inner = getattr(owner, method)
        stack, clock = self._stack, time.perf_counter

        def timed(*args, **kwargs):
            frame = [clock(), 0.0]
            stack.append(frame)
            try:
                return inner(*args, **kwargs)
            finally:
                stack.pop()
                elapsed = clock() - frame[0]
                self.seconds[section] += elapsed - frame[1]
                if stack:
                    stack[-1][1] += elapsed

        timed.__wrapped__ = inner
        setattr(owner, method, timed)


def install_timer() -> SectionTimer:
    """Wrap the four measured methods; the package itself is not changed."""
    import simpy

    from sellersim.market.daily import Market
    from sellersim.model import SellerModel

    timer = SectionTimer()
    timer.wrap(Market, "simulate", "market")
    timer.wrap(SellerModel, "_record", "records")
    timer.wrap(SellerModel, "_work_week", "agents/work")
    timer.wrap(simpy.Environment, "run", "SimPy")
    return timer


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is in KB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024**2 if sys.platform == "darwin" else peak / 1024


def measure(case: str, repeats: int) -> dict:
    """Run one case ``repeats`` times (after a warm-up) and return its timings and size."""
    from yardstick import yardstick_seconds

    from sellersim.api import collect, load_scenario, run_model
    from sellersim.market.catalog import LIVE

    path, _ = CASES[case]
    rss_imports = peak_rss_mb()
    started = time.perf_counter()
    scenario = load_scenario(path)
    load_seconds = time.perf_counter() - started
    collect(run_model(scenario))  # warm-up: first calls into numpy, pandas and pyarrow
    runs, tables, sections, timed = [], [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        model = run_model(scenario)
        runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        collect(model)
        tables.append(time.perf_counter() - started)
    timer = install_timer()
    for _ in range(SECTION_REPEATS):
        timer.reset()
        started = time.perf_counter()
        run_model(scenario)
        timed.append(time.perf_counter() - started)
        sections.append(dict(timer.seconds))
    cat = model.catalog
    yardstick = yardstick_seconds()
    return {
        "yardstick": yardstick,
        "case": case,
        "path": path.relative_to(ROOT),
        "days": model.steps,
        "load": load_seconds,
        "runs": runs,
        "tables": tables,
        "sections": sections,
        "timed": timed,
        "products": cat.n,
        "live": int((cat.status == LIVE).sum()),
        "staff": len(model.employees),
        "rss_imports": rss_imports,
        "rss_peak": peak_rss_mb(),
    }


def spread(values: list[float]) -> str:
    """Median with min and max."""
    return f"{statistics.median(values):7.3f} s  [{min(values):.3f} .. {max(values):.3f}]"


def report(r: dict, target: float) -> None:
    """Print one case."""
    median = statistics.median(r["runs"])
    ratio = median / r["yardstick"]
    verdict = "ok" if ratio < target else "MISSED"
    print(f"\n{r['case']}: {r['path']}, {r['days']} days, {len(r['runs'])} repeats")
    print(f"  yardstick {r['yardstick']:.3f} s (best of 3: a 10-million-step Python loop)")
    print(f"  run     {spread(r['runs'])}   = {ratio:.2f} x yardstick, target < {target:g}: {verdict}")
    tables = statistics.median(r["tables"]) / r["yardstick"]
    print(f"  tables  {spread(r['tables'])}   = {tables:.2f} x yardstick (collect: the run's DataFrames)")
    print(f"  load    {r['load']:7.3f} s   (scenario file, once)")
    print(f"  share of the run (mean over {len(r['timed'])} further runs, timed by section):")
    total = sum(r["timed"])
    mean = {s: sum(x[s] for x in r["sections"]) / len(r["timed"]) for s in SECTIONS}
    mean["rest"] = total / len(r["timed"]) - sum(mean.values())
    labels = {
        "market": "market      Market.simulate",
        "records": "records     SellerModel._record + Recorder",
        "agents/work": "agents/work SellerModel._work_week",
        "SimPy": "SimPy       env.run",
        "rest": "rest        everything else",
    }
    for s, label in labels.items():
        print(f"    {label:<45} {mean[s] * 1000:7.1f} ms  {mean[s] / (total / len(r['timed'])):6.1%}")
    print(f"  peak RSS {r['rss_peak']:.0f} MB (after imports {r['rss_imports']:.0f} MB)")
    print(f"  size at the end: {r['products']} products listed ({r['live']} live), {r['staff']} staff and the founder")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per case (default 7)")
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    cases = list(CASES) if args.case == "all" else [args.case]
    print(f"SellerSim benchmark: median [min .. max] wall time of {args.repeats} runs after one warm-up")
    spawn = multiprocessing.get_context("spawn")  # a fresh process per case: its own peak memory
    for case in cases:
        with spawn.Pool(1) as pool:
            result = pool.apply(measure, (case, args.repeats))
        report(result, CASES[case][1])


if __name__ == "__main__":
    main()
