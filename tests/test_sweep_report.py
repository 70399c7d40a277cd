"""The sweep report: self-contained, every section drawn from the analysis, for every kind of design."""

from __future__ import annotations

import dataclasses
import html
import re
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

from fake_sweep import CASH, CPC, FIGURES, FREIGHT, PM, STRATEGIES, make_sweep
from report_checks import assert_self_contained
from report_checks import figures as _figures
from report_checks import sections as _sections
from report_checks import trace_values as _values
from sellersim.report.sweep_report import build_sweep_report
from sellersim.report.theme import PALETTE
from sellersim.results.sweep import SweepResult

SECTIONS = ("verdict", "effects", "pairs", "sensitivity", "failure", "errors")


@cache
def _result(design: str = "sobol", **kwargs: Any) -> SweepResult:
    return make_sweep(design, **kwargs)


@cache
def _html(design: str = "sobol", **kwargs: Any) -> str:
    return build_sweep_report(_result(design, **kwargs))


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _header(page: str) -> str:
    return _text(page[page.index("<header>") : page.index("</header>")])


def _lines(figure: dict[str, Any], strategy: str) -> list[dict[str, Any]]:
    """A strategy's mean traces (the ones with a hover template) in an effects chart, panel by panel."""
    return [t for t in figure["data"] if t.get("legendgroup") == strategy and "hovertemplate" in t]


# ---------------------------------------------------------------- structure


def test_plotlyjs_is_inlined_once_and_nothing_is_loaded_from_the_network() -> None:
    for design in ("sobol", "lhs", "grid", "morris"):
        assert_self_contained(_html(design))


def test_every_section_is_present_with_data() -> None:
    page = _html()
    sections = _sections(page)
    assert list(sections) == list(SECTIONS)
    figures = _figures(page)
    assert {k: len(v) for k, v in figures.items()} == {"effects": 3, "pairs": 3, "sensitivity": 3}
    for charts in figures.values():
        for chart in charts:
            assert chart["data"], "a chart without traces"
    assert 'id="meta"' in page and "How the sweep ran" in page
    ids = re.findall(r'<div id="(fig-[\w-]+)"', page)
    assert len(ids) == len(set(ids)) == 9


def test_header_names_the_sweep_design_and_counts() -> None:
    header = _header(_html("lhs", error_runs=3))
    spec = _result("lhs", error_runs=3).spec
    assert header.startswith(spec.name)
    assert spec.description in header
    for strategy in STRATEGIES:
        assert strategy in header
    assert "lhs (40 samples)" in header
    assert "Parameter points 40" in header
    assert "Replications 5 per point" in header
    assert "Runs 400" in header
    assert "Failed runs 3 (0.8%)" in header
    assert "freight.mode" in header and "choices: sea, air" in header
    assert "range: 0.5 to 3" in header


def test_sentences_come_first_in_the_header() -> None:
    page = _html()
    sentences = _result().analysis["sentences"]
    assert len(sentences) == 8
    headline = page[page.index('<ul class="headline">') : page.index("</ul>", page.index('<ul class="headline">'))]
    assert [_text(li) for li in re.findall(r"<li>(.*?)</li>", headline)] == sentences
    assert page.index('<ul class="headline">') < page.index("<section")


# ---------------------------------------------------------------- charts


def test_effects_show_each_parameter_with_the_interval_per_strategy() -> None:
    page = _html("lhs")
    result = _result("lhs")
    for k, figure in enumerate(FIGURES):
        chart = _figures(page)["effects"][k]
        titles = [a["text"] for a in chart["layout"]["annotations"]]
        assert titles == ["profit_multiple", "freight.mode", "cpc_usd.median"]
        for strategy in STRATEGIES:
            effects = result.analysis[strategy]["effects"][figure]
            lines = _lines(chart, strategy)
            assert len(lines) == 3  # one per parameter
            for line, path in zip(lines, (PM, FREIGHT, CPC), strict=True):
                rows = effects[effects["parameter"] == path]
                if path == FREIGHT:
                    rows = rows.set_index("level").loc[["sea", "air"]]  # as listed in the sweep file
                    assert line["mode"] == "markers" and line["error_y"]["type"] == "data"
                    high = _values(line["error_y"]["array"]) + _values(line["y"])
                    np.testing.assert_allclose(high, rows["high"], rtol=1e-9)
                else:
                    rows = rows.sort_values("level")
                    assert line["mode"] == "lines+markers"
                    np.testing.assert_allclose(_values(line["x"]), rows["level"].astype(float))
                np.testing.assert_allclose(_values(line["y"]).astype(float), rows["mean"], rtol=1e-9)
            bands = [t for t in chart["data"] if t.get("legendgroup") == strategy and t.get("fill") == "toself"]
            assert len(bands) == 2  # the two numeric parameters
    # Categories sit at ticks named by their level.
    cat_axis = _figures(page)["effects"][0]["layout"]["xaxis2"]
    assert cat_axis["ticktext"] == ["sea", "air"]


def test_effects_axes_follow_the_figure_unit() -> None:
    charts = _figures(_html())["effects"]
    assert charts[0]["layout"]["yaxis"]["tickformat"] == ".0%"
    assert charts[0]["layout"]["yaxis"]["range"] == [0, 1.04]
    assert charts[2]["layout"]["yaxis"]["tickformat"].startswith("$")


def test_heat_maps_hold_the_mean_per_cell_and_its_run_count() -> None:
    page = _html("lhs")
    result = _result("lhs")
    chart = _figures(page)["pairs"][2]  # final cash
    maps = [t for t in chart["data"] if t["type"] == "heatmap"]
    assert len(maps) == 3 * len(STRATEGIES)
    assert all(t["coloraxis"] == "coloraxis" for t in maps)
    for strategy in STRATEGIES:
        mine = [t for t in maps if t["name"] == strategy]
        for trace, frame in zip(mine, result.analysis[strategy]["pairs"]["final_cash_usd"], strict=True):
            z, n = _values(trace["z"]), _values(trace["customdata"])
            assert z.shape == n.shape
            assert np.nansum(n) == frame["n"].sum()
            assert np.nanmean(z) == pytest.approx(frame["mean"].mean(), rel=1e-9)
            assert "n = %{customdata" in trace["hovertemplate"]
    # The categorical freight mode is an axis of named levels.
    first = next(t for t in maps if t["name"] == STRATEGIES[0])
    assert list(first["y"]) == ["sea", "air"]
    # Money that runs from losses to gains gets a diverging scale around zero.
    assert chart["layout"]["coloraxis"]["cmid"] == 0


def test_survival_heat_maps_use_a_fixed_share_scale() -> None:
    chart = _figures(_html())["pairs"][0]
    assert (chart["layout"]["coloraxis"]["cmin"], chart["layout"]["coloraxis"]["cmax"]) == (0, 1)


def test_many_pairs_are_picked_from_a_menu() -> None:
    result = _result()
    analysis = {k: v for k, v in result.analysis.items()}
    for strategy in STRATEGIES:
        pairs = dict(analysis[strategy]["pairs"])
        extra = [f.rename(columns={"x": "y", "y": "x"}).assign(p1=f["p2"], p2=f["p1"]) for f in pairs["survived"]]
        pairs["survived"] = pairs["survived"] + extra[:2]
        analysis[strategy] = {**analysis[strategy], "pairs": pairs}
    page = build_sweep_report(dataclasses.replace(result, analysis=analysis))
    chart = _figures(page)["pairs"][0]
    menu = chart["layout"]["updatemenus"][0]
    assert len(menu["buttons"]) == 5
    assert sum(t.get("visible", True) is True for t in chart["data"]) == 2 * len(STRATEGIES)  # map + labels
    for button in menu["buttons"]:
        visible = button["args"][0]["visible"]
        assert sum(visible) == 2 * len(STRATEGIES)
        assert "xaxis.title.text" in button["args"][1]
    assert "updatemenus" not in _figures(page)["pairs"][1]["layout"]


def test_sobol_indices_are_bars_with_their_confidence() -> None:
    result = _result()
    page = _html()
    colors = {name: color for color, name in re.findall(r'background:(#\w+)"></span>(\w+)</li>', page)}
    assert set(colors) == set(STRATEGIES) and len(set(colors.values())) == len(STRATEGIES)
    assert set(colors.values()) <= set(PALETTE)
    charts = _figures(page)["sensitivity"]
    for chart, figure in zip(charts, FIGURES, strict=True):
        bars = [t for t in chart["data"] if t["type"] == "bar"]
        assert len(bars) == 2 * len(STRATEGIES)
        panels = [a["text"] for a in chart["layout"]["annotations"]]  # one panel per strategy, titled by it
        assert sorted(panels) == sorted(STRATEGIES)
        for i, strategy in enumerate(panels):
            frame = result.analysis[strategy]["sensitivity"][figure]
            mine = [t for t in bars if t["xaxis"] == ("x" if i == 0 else f"x{i + 1}")]
            assert [t["legendgroup"] for t in mine] == ["S1", "ST"]
            assert mine[0]["marker"]["color"] == colors[strategy]
            for trace, index in zip(mine, ("S1", "ST"), strict=True):
                rows = frame[frame["index"] == index].set_index("parameter").loc[[PM, "company.starting_cash_usd", CPC]]
                np.testing.assert_allclose(_values(trace["x"]).astype(float), rows["value"], rtol=1e-6)
                np.testing.assert_allclose(_values(trace["error_x"]["array"]), rows["conf"], rtol=1e-6)
    assert "S1: share of the variance" in _sections(_html())["sensitivity"]


def test_morris_indices_are_drawn_in_the_figure_units() -> None:
    page = _html("morris")
    charts = _figures(page)["sensitivity"]
    names = {t["name"] for t in charts[0]["data"]}
    assert names == {"μ* mean |elementary effect|", "σ spread of effects"}
    assert charts[2]["layout"]["xaxis"]["tickformat"].startswith("$")
    assert "μ*: mean absolute effect" in _sections(page)["sensitivity"]


def test_a_grid_has_no_sensitivity_charts_but_says_why() -> None:
    page = _html("grid")
    assert "sensitivity" not in _figures(page)
    assert "this sweep used grid" in _text(_sections(page)["sensitivity"])
    assert len(_figures(page)["effects"]) == 3 and len(_figures(page)["pairs"]) == 3


# ---------------------------------------------------------------- text blocks


def test_failure_regions_are_described_per_strategy() -> None:
    page = _html()
    failure = _sections(page)["failure"]
    text = _text(failure)
    for strategy in STRATEGIES:
        region = _result().analysis[strategy]["failure_region"]
        assert region is not None
        assert f"{strategy} {region['text']}." in text
        assert f"{region['failure_share']:.0%}" in text
        assert f"{region['support']:.0%} of runs" in text
        for c in region["conditions"]:
            short = {PM: "profit_multiple", CPC: "cpc_usd.median", CASH: "starting_cash_usd"}[c["path"]]
            assert f"{short} {c['op']}" in text
    assert text.count("Fail in the region") == len(STRATEGIES)


def test_no_failure_region() -> None:
    result = _result("grid", strategies=("solo_then_hire",), failure_regions=False)
    assert result.analysis["solo_then_hire"]["failure_region"] is None
    text = _text(_sections(_html("grid", strategies=("solo_then_hire",), failure_regions=False))["failure"])
    assert "No region of the parameters stands out" in text
    assert "0% of its runs failed" in text


def test_errored_runs_are_listed_with_their_parameters_and_error() -> None:
    page = _html("lhs", error_runs=3)
    errors = _sections(page)["errors"]
    failed = _result("lhs", error_runs=3).summary.query("status != 'ok'")
    assert len(re.findall(r"<tr><td>", errors)) == 3
    for message in failed["error"].dropna():
        assert html.escape(message) in errors
    assert "no error message" in errors
    assert "3 of 400 runs stopped with an error" in _text(errors)
    assert "freight.mode=" in _text(errors)
    # The charts come from the runs that finished: no NaN leaks into them.
    assert _figures(page)["effects"]


def test_no_errors() -> None:
    assert "No run failed: all 400 runs finished without an error." in _text(_sections(_html())["errors"])


def test_a_single_strategy() -> None:
    page = _html("grid", strategies=("solo_then_hire",), failure_regions=False)
    figures = _figures(page)
    assert {t["legendgroup"] for c in figures["effects"] for t in c["data"]} == {"solo_then_hire"}
    titles = [a["text"] for a in figures["pairs"][0]["layout"]["annotations"]]
    assert titles[:3] == [
        "profit_multiple × freight.mode",
        "profit_multiple × cpc_usd.median",
        "freight.mode × cpc_usd.median",
    ]
    assert "Parameter points 32" in _header(page)
    assert "Runs 160" in _header(page)


def test_footer_lists_how_the_sweep_ran() -> None:
    page = _html()
    footer = _text(page[page.index('<footer id="meta">') :])
    for needle in (
        "23.4 runs per second",
        "8 on the local backend",
        "Parallel efficiency 86%",
        "Peak memory 742 MB",
        "Run time 17.1 s",
        "sellersim 0.3.0",
        "python 3.12.3",
        "Master seed 7",
    ):
        assert needle in footer, needle


def test_missing_meta_and_efficiency() -> None:
    result = dataclasses.replace(_result(), meta={"efficiency": None})
    footer = _text(build_sweep_report(result).split('<footer id="meta">')[1])
    assert "Parallel efficiency not measured" in footer
    assert "Runs 400 (0 failed)" in footer


def test_text_is_escaped() -> None:
    result = _result()
    spec = result.spec.model_copy(update={"name": "<b>sweep</b>", "description": "a & b"})
    analysis = {**result.analysis, "sentences": ["<script>alert(1)</script>"]}
    page = build_sweep_report(dataclasses.replace(result, spec=spec, analysis=analysis))
    assert "&lt;b&gt;sweep&lt;/b&gt;" in page and "a &amp; b" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>sweep</b>" not in page


def test_an_empty_analysis_still_renders() -> None:
    result = _result()
    empty = dataclasses.replace(result, summary=result.summary.iloc[0:0], analysis={"sentences": []}, meta={})
    page = build_sweep_report(empty)
    assert "No effects were computed" in page
    assert list(_sections(page)) == list(SECTIONS)


def test_sweep_report_stays_small() -> None:
    assert len(_html("lhs", error_runs=3).encode()) < 6_000_000


def test_report_is_deterministic() -> None:
    assert build_sweep_report(make_sweep()) == build_sweep_report(make_sweep())


def test_what_the_report_shows_is_what_the_runs_say() -> None:
    """Survival by freight mode and each failure card, read off the page, against the runs that finished."""
    result = _result("lhs", error_runs=3)
    page = _html("lhs", error_runs=3)
    s = result.summary
    assert len(s) == result.meta["runs"] and (s["status"] != "ok").sum() == result.meta["failed_runs"] == 3
    assert pd.isna(s.loc[s["status"] != "ok", "final_cash_usd"]).all()
    survival = _figures(page)["effects"][FIGURES.index("survived")]
    failure = _text(_sections(page)["failure"])
    for strategy in STRATEGIES:
        ok = s[(s["strategy"] == strategy) & (s["status"] == "ok")]
        survived = ok["survived"].astype(float)
        (by_mode,) = [t for t in _lines(survival, strategy) if t["mode"] == "markers"]
        expected = survived.groupby(ok[FREIGHT]).mean()
        np.testing.assert_allclose(_values(by_mode["y"]).astype(float), expected[["sea", "air"]], rtol=1e-9)
        region = result.analysis[strategy]["failure_region"]
        inside = np.logical_and.reduce(
            [
                (ok[c["path"]] > c["value"]) if c["op"] == ">" else (ok[c["path"]] < c["value"])
                for c in region["conditions"]
            ]
        )
        share, overall = 1 - survived[inside].mean(), 1 - survived.mean()
        assert region["failure_share"] > overall
        assert (region["failure_share"], region["baseline_failure_share"]) == pytest.approx((share, overall))
        assert f"Fail in the region {share:.0%} Fail overall {overall:.0%} Region holds {inside.mean():.0%}" in failure
