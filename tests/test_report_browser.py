"""The HTML reports in a real browser, offline: every chart renders, with no error and no network request;
no chart offers to upload itself; a 390 px phone scrolls no page sideways; every table has a CSV of its rows.

Drives Debian's chromium (``/usr/bin/chromium``) through Playwright for Python (``report_browser.py``);
``playwright install`` is never needed. The module is skipped when either is missing (CI installs both).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (pip install -e '.[dev]')"
)

from plotly.offline.offline import get_plotlyjs_version  # noqa: E402

from fake_compare import make_comparison  # noqa: E402
from fake_run import make_run  # noqa: E402
from fake_sweep import make_sweep  # noqa: E402
from report_browser import CHROMIUM, PHONE, PageCheck, launch, opened  # noqa: E402
from sellersim.api import load_scenario, run_scenario  # noqa: E402
from sellersim.report.compare_report import build_compare_report  # noqa: E402
from sellersim.report.page import TABLE_SCRIPT, plot_div, plotly_js  # noqa: E402
from sellersim.report.run_report import CHARTS, build_run_report  # noqa: E402
from sellersim.report.sweep_report import build_sweep_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CDN_SCRIPT = '<script src="https://cdn.plot.ly/plotly-2.35.2.min.js"></script>'
REPORTS = ("run", "comparison", "sweep")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no chromium at {CHROMIUM} (apt-get install chromium); browser tests skipped"
)

# Every modebar button of every chart: its title and what it does.
MODEBAR_JS = """() => Array.from(document.querySelectorAll('.plotly-graph-div .modebar-btn'), b =>
    `${b.getAttribute('data-title')} (${b.getAttribute('data-attr') || ''}=${b.getAttribute('data-val') || ''})`)"""

# At the viewport's width: how wide the page is, and every element that reaches past the right edge
# outside a box that scrolls sideways (a table's box, which may) or a chart's drawing.
OVERFLOW_JS = """() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const sticking = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('svg') || (el.parentElement && el.parentElement.closest('.scroll, .plotly-graph-div'))) continue;
        const box = el.getBoundingClientRect();
        if (box.width > 0 && (box.right > width + 1 || box.left < -1)) sticking.push(
            `${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.left)}-${Math.round(box.right)}`);
    }
    return {width, page: document.documentElement.scrollWidth, sticking,
            unscrollable: Array.from(document.querySelectorAll('.scroll')).filter(b => !scrolls(b)).length};
}"""

# Per table: whether each cell can be seen, by scrolling its box if need be, and is not cut inside itself.
TABLES_JS = """() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll('main table'), (table) => {
        const box = table.closest('.scroll');
        const boxRect = box ? box.getBoundingClientRect() : null;
        const reach = box && ['auto', 'scroll'].includes(getComputedStyle(box).overflowX)
            ? boxRect.left + box.scrollWidth : width;
        const cut = Array.from(table.querySelectorAll('th, td')).filter((cell) => {
            const r = cell.getBoundingClientRect();
            return r.right > reach + 1 || cell.scrollWidth > cell.clientWidth + 1;
        }).map(cell => cell.innerText.slice(0, 40));
        return {table: table.className, inViewport: !boxRect || boxRect.right <= width + 1, cut};
    });
}"""

# Every table caption's box: a caption as wide as its table would run past a phone's screen with the table.
CAPTIONS_JS = """() => Array.from(document.querySelectorAll('main table caption'), (caption) => {
    const box = caption.getBoundingClientRect();
    return {caption: caption.innerText.slice(0, 40), left: box.left, right: box.right};
})"""

# Each table's CSV link (the one just before its box), and the i-th table's cells as shown (white space collapsed;
# a table off screen is not laid out, so it is scrolled to first).
CSV_LINKS_JS = """() => Array.from(document.querySelectorAll('main table'), (table) => {
    const link = table.closest('.scroll')?.previousElementSibling;
    return link && link.matches('a.csv') ? link.getAttribute('download') : null;
})"""
TABLE_ROWS_JS = """(i) => {
    const table = document.querySelectorAll('main table')[i];
    table.scrollIntoView();
    return Array.from(table.rows, row => Array.from(row.cells).flatMap(
        cell => [cell.innerText.replace(/\\s+/g, ' ').trim(), ...Array(cell.colSpan - 1).fill('')]));
}"""


FORMULA = re.compile(r"[=+\-@\t\r]")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?%?")


def as_in_csv(cell: str) -> str:
    """A cell as its table's CSV writes it: after a quote if a spreadsheet would run it as a formula (it starts
    with = + - @, tab or CR and is not a plain number)."""
    return "'" + cell if FORMULA.match(cell) and not PLAIN_NUMBER.fullmatch(cell) else cell


def download_csv(page: Any, i: int) -> tuple[str, list[list[str]]]:
    """The i-th table's CSV, downloaded from its link: the file's name and its rows."""
    with page.expect_download() as download:
        page.locator("a.csv").nth(i).click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff"), "a byte-order mark, for Excel"
    return download.value.suggested_filename, list(csv.reader(io.StringIO(text[1:], newline="")))


def check_report(browser: Any, path: Path, visible_texts: Sequence[str] = ()) -> PageCheck:
    """Open ``path`` offline and check each chart rendered and each of ``visible_texts`` shows."""
    with opened(browser, path) as (page, check):
        for text in visible_texts:
            if not page.get_by_text(text, exact=True).is_visible():
                check.problems.append(f"not visible: {text!r}")
    return check


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def compare_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    result = make_comparison(error_runs=2, replications=60)
    path = tmp_path_factory.mktemp("compare") / "compare.html"
    path.write_text(build_compare_report(result), encoding="utf-8")
    return path, list(result.comparison["sentences"])


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, compare_report: tuple[Path, list[str]]) -> dict[str, Path]:
    """The three reports, made from the fakes (with failed runs, so the error tables are there too)."""
    folder = tmp_path_factory.mktemp("reports")
    pages = {"run": build_run_report(make_run()), "sweep": build_sweep_report(make_sweep("sobol", error_runs=2))}
    paths = {name: folder / f"{name}.html" for name in pages}
    for name, page in pages.items():
        paths[name].write_text(page, encoding="utf-8")
    return {**paths, "comparison": compare_report[0]}


def test_run_report_renders_offline_with_links_to_its_data(browser: Any, tmp_path: Path) -> None:
    scenario = load_scenario(ROOT / "scenarios" / "strategies" / "solo_then_hire.yaml", ["simulation.days=400"])
    out = run_scenario(scenario).write(tmp_path / "run", report=build_run_report)
    with opened(browser, out / "report.html") as (page, check):
        links = page.eval_on_selector_all(".data-files a", "links => links.map(a => a.getAttribute('href'))")
    assert check.ok, str(check)
    assert len(check.charts) == len(CHARTS)
    beside = {p.name for p in out.iterdir()} - {"report.html"}
    assert sorted(links) == sorted(beside) and len(beside) >= 7  # five tables, summary.json, scenario.yaml


def test_a_sweep_folder_links_its_data_files_but_not_its_run_store(browser: Any, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sellersim.cli import app

    strategies = ", ".join(
        str(ROOT / "scenarios" / "strategies" / f"{s}.yaml") for s in ("solo_then_hire", "never_hire")
    )
    spec = tmp_path / "sweep.yaml"
    spec.write_text(
        f"name: links\nstrategies: [{strategies}]\n"
        "parameters:\n  - {path: company.starting_cash_usd, low: 20000, high: 60000}\n"
        "design: {kind: grid, levels: 2}\nreplications: 1\nfigures: [survived, cumulative_profit_usd]\n"
        "seed: 3\ndays: 120\n"
    )
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["sweep", str(spec), "--out", str(out), "--workers", "1"]).exit_code == 0
    with opened(browser, out / "report.html") as (page, check):
        links = page.eval_on_selector_all(".data-files a", "links => links.map(a => a.href)")
    assert check.ok, str(check)
    files = [Path(link.removeprefix("file://")) for link in links]
    assert {f.name for f in files} >= {"summary.parquet", "analysis.json", "sweep.json"}
    assert all(f.parent == out and f.is_file() for f in files), "relative links, to files beside the report"
    assert not [f for f in files if f.name in ("lock", "manifest.jsonl", "report.html")]


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
    inline = f'<script type="text/javascript">{plotly_js()}</script>'
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
    result = make_sweep("sobol", error_runs=2)
    path = tmp_path / "report.html"
    path.write_text(build_sweep_report(result), encoding="utf-8")
    # A failure region's sentence also opens its card further down, so only the others are unique.
    sentences = [s for s in result.analysis["sentences"] if "runs out of cash" not in s]
    check = check_report(browser, path, visible_texts=sentences)
    assert check.ok, str(check)
    assert len(check.charts) == 10  # strategy against strategy; effects, pair heat maps and sensitivity for 3 figures
    assert all(chart["traces"] >= 1 for chart in check.charts)


@pytest.mark.parametrize("report", REPORTS)
def test_no_chart_offers_to_share_or_upload(browser: Any, reports: dict[str, Path], report: str) -> None:
    """plotly.js's "Share chart" button sends the chart's data to Plotly's cloud; a report's data stays here."""
    with opened(browser, reports[report]) as (page, check):
        buttons = page.evaluate(MODEBAR_JS)
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert check.ok, str(check)
    assert len(buttons) >= 5 * len(check.charts), "every chart keeps its toolbar (zoom, pan, download...)"
    assert not [b for b in buttons if any(word in b.lower() for word in ("share", "cloud", "studio", "edit"))]
    assert not [link for link in links if "plot.ly" in link or "plotly.com" in link]


@pytest.mark.parametrize("report", REPORTS)
def test_a_phone_scrolls_no_page_sideways_and_reads_every_table(
    browser: Any, reports: dict[str, Path], report: str
) -> None:
    with opened(browser, reports[report], viewport=PHONE) as (page, check):
        layout = page.evaluate(OVERFLOW_JS)
        tables = page.evaluate(TABLES_JS)
        captions = page.evaluate(CAPTIONS_JS)
        nav_links = page.eval_on_selector_all("nav a", "links => links.map(a => a.getBoundingClientRect().top)")
    assert check.ok, str(check)
    assert layout["page"] <= layout["width"] == PHONE[0], layout
    assert not layout["sticking"], layout["sticking"]
    assert layout["unscrollable"] == 0
    assert len(set(nav_links)) > 1, "the nav wraps onto several lines"
    assert tables, "every report has a table"
    for table in tables:
        assert table["inViewport"] and not table["cut"], table
    assert captions or report == "sweep", "the run's hires and the comparison's decision table have captions"
    for caption in captions:  # the caption (the decision table's ranking rule) wraps within the screen
        assert caption["left"] >= 0 and caption["right"] <= layout["width"] + 1, caption


@pytest.mark.parametrize("report", REPORTS)
def test_every_table_has_a_csv_of_its_rows(browser: Any, reports: dict[str, Path], report: str) -> None:
    with opened(browser, reports[report]) as (page, check):
        names = page.evaluate(CSV_LINKS_JS)
        assert names and page.locator("a.csv").count() == len(names)
        assert all(names), "each table's link is just above it"
        tables = []
        for i, name in enumerate(names):
            file, rows = download_csv(page, i)
            assert file == name
            tables.append(page.evaluate(TABLE_ROWS_JS, i))
            assert rows == [[as_in_csv(cell) for cell in row] for row in tables[-1]], name
    assert check.ok, str(check)
    assert len(set(names)) == len(names) and all(name.endswith(".csv") for name in names)
    assert any(len(rows) > 2 and len(rows[0]) > 2 and all(rows[0]) for rows in tables)


def test_a_csv_quotes_a_formula_but_not_a_plain_number(browser: Any, tmp_path: Path) -> None:
    """OWASP's advice for CSV injection: a cell a spreadsheet would run as a formula is written after a quote;
    a number a spreadsheet reads as written is left as it is."""
    written = {
        "-12": "-12",
        "+1,250.5": "+1,250.5",
        "-4%": "-4%",
        "7": "7",
        "+7 pts": "'+7 pts",
        "+$4.4k": "'+$4.4k",
        "-A1": "'-A1",
        "=1+2": "'=1+2",
        "@SUM(A1)": "'@SUM(A1)",
        "\u2212$195": "\u2212$195",
        "a=b": "a=b",
    }
    row = "".join(f"<td>{html.escape(cell)}</td>" for cell in written)
    path = tmp_path / "table.html"
    path.write_text(f"<main><table><tr>{row}</tr></table></main><script>{TABLE_SCRIPT}</script>", encoding="utf-8")
    with opened(browser, path) as (page, _):  # a page without charts: only its table script is checked
        assert download_csv(page, 0)[1] == [list(written.values())]


def test_a_csv_hands_a_spreadsheet_no_formula(browser: Any, tmp_path: Path) -> None:
    """Cells starting with = + - @ ran as formulas in a spreadsheet: a strategy's name, and our signed figures."""
    names = ("=HYPERLINK(1)", "@SUM(1) <b>x</b>")
    path = tmp_path / "compare.html"
    path.write_text(build_compare_report(make_comparison(strategies=("solo_then_hire", *names))), encoding="utf-8")
    with opened(browser, path) as (page, check):
        shown = page.locator("table.decision tbody th").all_inner_texts()
        classes = page.eval_on_selector_all("main table", "tables => tables.map(t => t.className)")
        _, decision = download_csv(page, classes.index("grid decision"))
        _, paired = download_csv(page, classes.index("grid paired"))
    assert check.ok, str(check)
    assert all(any(text.startswith(name) for text in shown) for name in names), "the names show as written"
    for name in names:  # the strategy's cell: its name, then its description
        assert any(row[1].startswith(f"'{name}") for row in decision[1:]), name
    assert [row[0] for row in decision[1:]] == ["1", "2", "3"], "plain numbers stay numbers"
    cells = [cell for row in paired[1:] for cell in row[1:]]
    assert any(cell.startswith("'+") for cell in cells), "a signed figure (+$4.4k, +7 pts) is text"
    assert any(cell.startswith("\u2212") for cell in cells), "our minus sign starts no formula: left as it is"
    assert not [c for row in decision + paired for c in row if FORMULA.match(c) and not PLAIN_NUMBER.fullmatch(c)]


def test_the_bundled_plotly_js_is_the_version_plotly_py_draws_for() -> None:
    assert plotly_js().startswith(f"/**\n* plotly.js (cartesian - minified) v{get_plotlyjs_version()}\n")
    with pytest.raises(ValueError, match="cannot draw scatter3d"):
        plot_div(go.Figure(go.Scatter3d(x=[1], y=[2], z=[3])), "fig-3d")
