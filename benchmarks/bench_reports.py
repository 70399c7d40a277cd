"""How big the three HTML reports are and how fast they open in headless Chromium, against the target.

    .venv/bin/python benchmarks/bench_reports.py [--opens 5]

Builds the run, comparison and sweep reports from the test suite's fakes (``tests/fake_run.py``,
``tests/fake_compare.py``, ``tests/fake_sweep.py``, at their default sizes), writes each to a file and
opens it ``--opens`` times in Debian's chromium (``/usr/bin/chromium``, driven by Playwright; each open in
a fresh browser context, so nothing is cached), offline: any request that is not a ``file:`` URL is
aborted. The time of one open is the wall time from navigation to every chart drawn.

Printed per report: the page size, the median and slowest open (target: median under 1.5 s), each also as a
ratio to the yardstick (``yardstick.py``) measured in this process, the median CPU time of the page's renderer
process (less swayed than wall time by other work on the machine), and any aborted request or console error.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))  # the fakes, and the browser helper the tests use

from yardstick import yardstick_seconds  # noqa: E402

TARGET_SECONDS = 1.5


def reports() -> dict[str, Callable[[], str]]:
    """Each report's name and how to build its page from the fakes."""
    from fake_compare import make_comparison
    from fake_run import make_run
    from fake_sweep import make_sweep
    from sellersim.report.compare_report import build_compare_report
    from sellersim.report.run_report import build_run_report
    from sellersim.report.sweep_report import build_sweep_report

    return {
        "run": lambda: build_run_report(make_run()),
        "comparison": lambda: build_compare_report(make_comparison()),
        "sweep": lambda: build_sweep_report(make_sweep()),
    }


def renderer_cpu_seconds(page: Any) -> float:
    """CPU time used so far by the process that renders ``page`` (each fresh context gets its own)."""
    session = page.context.new_cdp_session(page)
    session.send("Performance.enable")
    metrics = session.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ProcessTime")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=5, help="opens per report (default 5)")
    opens = parser.parse_args().opens
    if opens < 1:
        parser.error("--opens must be at least 1")

    from playwright.sync_api import sync_playwright

    from report_browser import launch, opened

    yardstick = yardstick_seconds()
    print(f"SellerSim report benchmark: each report opened {opens} times in headless Chromium, offline")
    print(f"  yardstick {yardstick:.3f} s (best of 3: a 10-million-step Python loop)")
    print(f"  load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = launch(p)
        for name, build in reports().items():
            path = Path(tmp) / f"{name}.html"
            path.write_text(build(), encoding="utf-8")
            seconds, cpu, trouble = [], [], []
            for _ in range(opens):
                with opened(browser, path) as (page, check):
                    seconds.append(check.seconds)
                    cpu.append(renderer_cpu_seconds(page))
                    if not check.ok:
                        trouble.append(str(check))
            median, slowest = statistics.median(seconds), max(seconds)
            verdict = "ok" if median < TARGET_SECONDS else "MISSED"
            print(
                f"  {name:<10} {path.stat().st_size / 1e6:5.2f} MB   open median {median:5.2f} s"
                f" = {median / yardstick:5.2f} x yardstick, slowest {slowest:5.2f} s = {slowest / yardstick:5.2f} x"
                f"   target < {TARGET_SECONDS:g} s: {verdict}   renderer CPU {statistics.median(cpu):5.2f} s"
            )
            for problem in sorted(set(trouble)):
                print(f"    NOT CLEAN: {problem}")
        browser.close()


if __name__ == "__main__":
    main()
