"""The reports' templates: autoescape on, only our own HTML marked safe, and user text escaped wherever it shows."""

from __future__ import annotations

import dataclasses
import re
from importlib.resources import files

from fake_compare import make_comparison
from fake_sweep import make_sweep
from sellersim.report.compare_report import build_compare_report
from sellersim.report.page import plotly_js
from sellersim.report.sweep_report import build_sweep_report
from sellersim.report.templates import ENVIRONMENT

EVIL = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
SAFE_VALUES = {"plotly_js", "css", "table_script", "div"}
"""The values a template may mark ``|safe``: the plotly.js bundle, the page CSS, the table script and a chart div."""


def _templates() -> dict[str, str]:
    folder = files("sellersim.report") / "templates"
    return {t.name: t.read_text(encoding="utf-8") for t in folder.iterdir() if t.name.endswith(".html.j2")}


def _body(page: str) -> str:
    """The page without plotly.js (which holds script tags of its own)."""
    return page.replace(plotly_js(), "")


def test_only_our_own_html_is_marked_safe() -> None:
    templates = _templates()
    assert {"base.html.j2", "macros.html.j2", "run_report.html.j2", "compare_report.html.j2"} <= set(templates)
    assert ENVIRONMENT.autoescape is True
    marked = {m for text in templates.values() for m in re.findall(r"([\w.]+)\s*\|\s*safe\b", text)}
    assert marked == SAFE_VALUES
    assert not [name for name, text in templates.items() if re.search(r"autoescape\s+false", text)]
    modules = files("sellersim.report")
    assert not [m.name for m in modules.iterdir() if m.name.endswith(".py") and "Markup(" in m.read_text()]


def test_user_text_in_a_comparison_shows_as_written() -> None:
    """Strategy names, their descriptions, error messages and data file names are text, never markup."""
    name = f"{EVIL}_plan"
    result = make_comparison(strategies=("solo_then_hire", name), replications=20, error_runs=1)
    described = {"solo_then_hire": f"{EVIL} hires from profit", name: f"{EVIL} never hires"}
    runs = result.runs.assign(error=result.runs["error"].where(result.runs["status"] == "ok", f"{EVIL} crashed"))
    comparison = {**result.comparison, "strategies_described": described}
    page = _body(
        build_compare_report(dataclasses.replace(result, comparison=comparison, runs=runs), data_files=(f"{EVIL}.csv",))
    )
    assert "<script>alert" not in page
    assert f'<span class="about">{ESCAPED} hires from profit</span>' in page
    assert f'<span class="about">{ESCAPED} never hires</span>' in page
    assert f"<code>{ESCAPED} crashed</code>" in page
    assert f'<a href="%3Cscript%3Ealert%281%29%3C/script%3E.csv">{ESCAPED}.csv</a>' in page
    assert f"{ESCAPED}_<wbr>plan" in page, "a name that may wrap is escaped part by part"


def test_user_text_in_a_sweep_shows_as_written() -> None:
    result = make_sweep("grid", error_runs=1)
    summary = result.summary.assign(error=result.summary["error"].where(result.summary["status"] == "ok", EVIL))
    spec = result.spec.model_copy(update={"seed": EVIL})
    page = _body(build_sweep_report(dataclasses.replace(result, summary=summary, spec=spec)))
    assert "<script>alert" not in page
    assert f"<code>{ESCAPED}</code>" in page.split('<section id="errors">')[1].split("</section>")[0]
    assert f"<dt>Master seed</dt><dd><code>{ESCAPED}</code></dd>" in page
