"""A report opened in headless Chromium, offline: what the browser tests and ``benchmarks/bench_reports.py`` share.

Drives Debian's chromium (``/usr/bin/chromium``) through Playwright for Python; ``playwright install`` is
never needed. Every request that is not a ``file:`` URL is aborted and recorded, as are console errors
and uncaught exceptions, and the time from navigation to every chart drawn is measured.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
RENDER_TIMEOUT_MS = 15_000
DESKTOP = (1300, 900)
PHONE = (390, 844)
"""An iPhone 12-15's viewport in CSS pixels."""

# Per chart: its id, whether plotly drew its svg, and how many trace groups it holds.
CHARTS_JS = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(d => ({
    id: d.id,
    svg: d.querySelector('svg.main-svg') !== null,
    traces: d.querySelectorAll('.trace').length,
}))"""
ALL_DRAWN_JS = """() => {
    const divs = Array.from(document.querySelectorAll('.plotly-graph-div'));
    return divs.length > 0 && divs.every(d => d.querySelector('svg.main-svg') && d.querySelector('.trace'));
}"""


@dataclass
class PageCheck:
    """What loading one report offline showed, and how long until every chart was drawn."""

    charts: list[dict[str, Any]] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = float("nan")

    @property
    def ok(self) -> bool:
        return not (self.problems or self.aborted or self.console_errors or self.page_errors)

    def __str__(self) -> str:
        return (
            f"problems={self.problems} aborted={self.aborted} console={self.console_errors}"
            f" page_errors={self.page_errors} charts={self.charts}"
        )


def launch(p: Playwright) -> Browser:
    """Debian's chromium, headless."""
    return p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@contextmanager
def opened(browser: Browser, path: Path, viewport: tuple[int, int] = DESKTOP) -> Iterator[tuple[Page, PageCheck]]:
    """Open ``path`` from a file:// URL with every other request blocked; yield the page once its charts are drawn."""
    check = PageCheck()
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            check.aborted.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: check.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: check.page_errors.append(str(e)))
    try:
        started = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load")
        if page.evaluate("() => typeof window.Plotly") == "undefined":
            check.problems.append("plotly.js did not load")
        else:
            try:
                page.wait_for_function(ALL_DRAWN_JS, timeout=RENDER_TIMEOUT_MS)
                check.seconds = time.perf_counter() - started
            except PlaywrightTimeout:
                check.problems.append(f"charts not all drawn after {RENDER_TIMEOUT_MS} ms")
        check.charts = page.evaluate(CHARTS_JS)
        if not check.charts:
            check.problems.append("no .plotly-graph-div in the page")
        for chart in check.charts:
            if not chart["svg"]:
                check.problems.append(f"{chart['id']}: no svg.main-svg")
            elif chart["traces"] < 1:
                check.problems.append(f"{chart['id']}: no trace drawn")
        yield page, check
    finally:
        context.close()
