"""The HTML reports in a real browser, offline: every chart renders, with no error and no network request.

Drives Debian's chromium (``/usr/bin/chromium``) through Playwright for Python; ``playwright install``
is never needed. The module is skipped when either is missing (CI installs both).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (pip install -e '.[dev]')"
)

from plotly.offline import get_plotlyjs  # noqa: E402

from fake_compare import make_comparison  # noqa: E402
from sellersim.api import load_scenario, run_scenario  # noqa: E402
from sellersim.report.compare_report import build_compare_report  # noqa: E402
from sellersim.report.run_report import CHARTS, build_run_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CDN_SCRIPT = '<script src="https://cdn.plot.ly/plotly-2.35.2.min.js"></script>'
RENDER_TIMEOUT_MS = 15_000

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no chromium at {CHROMIUM} (apt-get install chromium); browser tests skipped"
)

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
    """What loading one report offline showed."""

    charts: list[dict[str, Any]] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.problems or self.aborted or self.console_errors or self.page_errors)

    def __str__(self) -> str:
        return (
            f"problems={self.problems} aborted={self.aborted} console={self.console_errors}"
            f" page_errors={self.page_errors} charts={self.charts}"
        )


def check_report(browser: Any, path: Path, visible_texts: Sequence[str] = ()) -> PageCheck:
    """Open ``path`` from a file:// URL with every other request blocked and check each chart rendered."""
    check = PageCheck()
    context = browser.new_context(viewport={"width": 1300, "height": 900})

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
        page.goto(path.as_uri(), wait_until="load")
        if page.evaluate("() => typeof window.Plotly") == "undefined":
            check.problems.append("plotly.js did not load")
        else:
            try:
                page.wait_for_function(ALL_DRAWN_JS, timeout=RENDER_TIMEOUT_MS)
            except sync_api.TimeoutError:
                check.problems.append(f"charts not all drawn after {RENDER_TIMEOUT_MS} ms")
        check.charts = page.evaluate(CHARTS_JS)
        if not check.charts:
            check.problems.append("no .plotly-graph-div in the page")
        for chart in check.charts:
            if not chart["svg"]:
                check.problems.append(f"{chart['id']}: no svg.main-svg")
            elif chart["traces"] < 1:
                check.problems.append(f"{chart['id']}: no trace drawn")
        for text in visible_texts:
            if not page.get_by_text(text, exact=True).is_visible():
                check.problems.append(f"not visible: {text!r}")
    finally:
        context.close()
    return check


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def compare_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    result = make_comparison(error_runs=2, replications=60)
    path = tmp_path_factory.mktemp("compare") / "compare.html"
    path.write_text(build_compare_report(result), encoding="utf-8")
    return path, list(result.comparison["sentences"])


def test_run_report_renders_offline(browser: Any, tmp_path: Path) -> None:
    scenario = load_scenario(ROOT / "scenarios" / "strategies" / "solo_then_hire.yaml", ["simulation.days=400"])
    out = run_scenario(scenario).write(tmp_path / "run", report=build_run_report)
    check = check_report(browser, out / "report.html")
    assert check.ok, str(check)
    assert len(check.charts) == len(CHARTS)


def test_compare_report_renders_offline_with_its_headline(browser: Any, compare_report: tuple[Path, list[str]]) -> None:
    path, sentences = compare_report
    check = check_report(browser, path, visible_texts=sentences)
    assert check.ok, str(check)
    assert len(check.charts) == 8
    assert all(chart["traces"] >= 1 for chart in check.charts)


def test_a_report_needing_the_network_fails_the_check(
    browser: Any, compare_report: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, sentences = compare_report
    page = path.read_text(encoding="utf-8")
    inline = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    assert page.count(inline) == 1
    online = tmp_path / "online.html"
    online.write_text(page.replace(inline, CDN_SCRIPT), encoding="utf-8")

    check = check_report(browser, online, visible_texts=sentences)
    assert not check.ok
    assert check.aborted == ["https://cdn.plot.ly/plotly-2.35.2.min.js"]
    assert "plotly.js did not load" in check.problems
    assert all(not chart["svg"] for chart in check.charts) and len(check.charts) == 8
    assert any("Plotly is not defined" in e for e in check.page_errors)


def test_sweep_report_renders_offline_with_its_sentences(browser: Any, tmp_path: Path) -> None:
    from fake_sweep import make_sweep
    from sellersim.report.sweep_report import build_sweep_report

    result = make_sweep("sobol", error_runs=2)
    path = tmp_path / "report.html"
    path.write_text(build_sweep_report(result), encoding="utf-8")
    # A failure region's sentence also opens its card further down, so only the others are unique.
    sentences = [s for s in result.analysis["sentences"] if "runs out of cash" not in s]
    check = check_report(browser, path, visible_texts=sentences)
    assert check.ok, str(check)
    assert len(check.charts) == 10  # strategy against strategy; effects, pair heat maps and sensitivity for 3 figures
    assert all(chart["traces"] >= 1 for chart in check.charts)
