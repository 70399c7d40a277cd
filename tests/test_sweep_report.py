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
from scipy import stats

from fake_sweep import CPC, FIGURES, FREIGHT, PM, STRATEGIES, make_sweep
from report_checks import assert_self_contained
from report_checks import figures as _figures
from report_checks import sections as _sections
from report_checks import trace_values as _values
from sellersim.experiments.sweep.labels import parameter
from sellersim.formatting import share
from sellersim.report.sweep_report import build_sweep_report
from sellersim.report.theme import STRATEGY_PALETTE, strategy_colors
from sellersim.results.sweep import SweepResult

SECTIONS = ("verdict", "versus", "effects", "pairs", "sensitivity", "failure", "errors")


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
    assert {k: len(v) for k, v in figures.items()} == {"versus": 1, "effects": 3, "pairs": 3, "sensitivity": 3}
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
    assert "freight mode supply.freight.mode choices: sea, air" in header
    assert "hiring threshold strategy.parameters.profit_multiple range: 0.5 salaries to 3 salaries" in header
    assert "median cost per click market.niches.cpc_usd.median range: $0.60 to $1.60" in header


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
        titles = [chart["layout"][f"xaxis{i or ''}"]["title"]["text"] for i in (0, 2, 3)]
        assert titles == ["hiring threshold (3-month profit in salaries)", "freight mode", "median cost per click ($)"]
        assert (
            chart["layout"]["yaxis"]["title"]["text"]
            == {
                "survived": "Survives the horizon (% of runs)",
                "cumulative_profit_usd": "Cumulative profit after owner's pay ($)",
                "final_cash_usd": "Final cash ($)",
            }[figure]
        )
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
    coloraxis = chart["layout"]["coloraxis"]
    assert coloraxis["cmin"] == -coloraxis["cmax"] < 0


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
    assert set(colors.values()) <= set(STRATEGY_PALETTE)
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


def _recount(runs: pd.DataFrame, conditions: list[dict[str, Any]]) -> tuple[int, int, int, int]:
    """(runs inside, failures inside, runs, failures) counted again from the runs, with the bounds as stated."""
    ops = {">": np.greater, "<": np.less, ">=": np.greater_equal, "<=": np.less_equal}
    inside = np.logical_and.reduce([ops[c["op"]](runs[c["path"]], c["value"]) for c in conditions])
    failed = ~runs["survived"].astype(bool).to_numpy()
    return int(inside.sum()), int((inside & failed).sum()), len(runs), int(failed.sum())


@pytest.mark.parametrize("design", ["grid", "lhs"])
def test_failure_cards_give_n_density_and_coverage_recounted_from_the_runs(design: str) -> None:
    result, page = _result(design, error_runs=3), _html(design, error_runs=3)
    failure = _sections(page)["failure"]
    cards = re.findall(r'<div class="region">(.*?</dl>)</div>', failure, flags=re.S)
    assert len(cards) == len(STRATEGIES)
    s = result.summary
    for strategy, card in zip(result.analysis["strategies"], cards, strict=True):
        region = result.analysis[strategy]["failure_region"]
        ok = s[(s["strategy"] == strategy) & (s["status"] == "ok")]
        n, failures, runs, total = _recount(ok, region["conditions"])
        assert (region["n"], region["failures"], region["runs"], region["total_failures"]) == (n, failures, runs, total)
        text = _text(card)
        assert f"Runs in the region (n) {n:,} of {runs:,}" in text
        assert f"Density: share that fail {share(failures / n)} ({failures:,} of {n:,})" in text
        assert f"Coverage: share of all failures {share(failures / total)} ({failures:,} of {total:,})" in text
        assert f"Fail overall {share(total / runs)}" in text
        sentence = _text(re.search(r"<p>(.*?)</p>", card, flags=re.S).group(1))
        assert sentence == f"{strategy} {region['text']}."
        assert f"in {share(failures / n)} of the {n:,} runs with" in sentence
        chips = [_text(c) for c in re.findall(r"<li>(.*?)</li>", card)]
        assert chips == [c["text"] for c in region["conditions"]]
        for chip, c in zip(chips, region["conditions"], strict=True):
            bound = parameter(c["path"]).value(c["value"])
            assert chip.endswith((f" {bound} or more", f" {bound} or less", f" above {bound}", f" below {bound}"))
            assert chip in sentence, "the sentence states the chip's bound, rounded the same way"
            if design == "grid":  # bounds at the levels simulated
                assert c["value"] in set(ok[c["path"]])


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
    assert re.search(r"freight mode (sea|air), median cost per click \$\d\.\d\d ", _text(errors))
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
        "hiring threshold × freight mode",
        "hiring threshold × median cost per click",
        "freight mode × median cost per click",
    ]
    assert "needs two or more strategies" in _text(_sections(page)["versus"])
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
        n, failures, runs, total = _recount(ok, region["conditions"])
        assert region["density"] == failures / n > total / runs == region["overall_density"]
        assert f"Runs in the region (n) {n:,} of {runs:,}" in failure


# ---------------------------------------------------------------- plotted values against the runs


def _cell_values(trace: dict[str, Any], key: str = "z") -> dict[tuple[Any, Any], float]:
    """A heat map's values (the first of each cell's custom data) by (x, y) as its axes label them."""
    z = _values(trace[key]).astype(float)
    z = z[..., 0] if z.ndim == 3 else z
    xs, ys = _values(trace["x"]).tolist(), _values(trace["y"]).tolist()
    return {(x, y): z[i, j] for i, y in enumerate(ys) for j, x in enumerate(xs)}


def test_a_grid_is_drawn_at_the_levels_it_simulated() -> None:
    """Effects put each range's points and ticks at the grid's levels; heat maps name those levels."""
    result, page = _result("grid"), _html("grid")
    s = result.summary
    pm_levels, cpc_levels = sorted(s[PM].unique()), sorted(s[CPC].unique())
    assert len(pm_levels) == len(cpc_levels) == 4
    for chart in _figures(page)["effects"]:
        for strategy in STRATEGIES:
            pm_line, _, cpc_line = _lines(chart, strategy)
            np.testing.assert_allclose(_values(pm_line["x"]).astype(float), pm_levels)
            np.testing.assert_allclose(_values(cpc_line["x"]).astype(float), cpc_levels)
        np.testing.assert_allclose(chart["layout"]["xaxis"]["tickvals"], pm_levels)
        assert chart["layout"]["xaxis"]["ticktext"] == [parameter(PM).value(v) for v in pm_levels]
        assert chart["layout"]["xaxis3"]["ticktext"] == ["$0.60", "$0.93", "$1.27", "$1.60"]
    maps = [t for t in _figures(page)["pairs"][0]["data"] if t["type"] == "heatmap"]
    assert list(maps[0]["x"]) == ["0.5 salaries", "1.33 salaries", "2.17 salaries", "3 salaries"]


@pytest.mark.parametrize("design", ["grid", "lhs"])
def test_each_heat_map_cell_is_that_cells_mean(design: str) -> None:
    result, page = _result(design), _html(design)
    for k, figure in enumerate(FIGURES):
        maps = [t for t in _figures(page)["pairs"][k]["data"] if t["type"] == "heatmap"]
        for strategy in STRATEGIES:
            mine = [t for t in maps if t["name"] == strategy]
            for trace, frame in zip(mine, result.analysis[strategy]["pairs"][figure], strict=True):
                drawn, counts = _cell_values(trace), _cell_values(trace, "customdata")
                xs, ys = (
                    _axis_names(frame[c], frame[p].iloc[0], _values(trace[c]).tolist())
                    for c, p in (("x", "p1"), ("y", "p2"))
                )
                for x, y, mean, n in zip(xs, ys, frame["mean"], frame["n"], strict=True):
                    assert drawn[x, y] == pytest.approx(mean, rel=1e-9, nan_ok=True)
                    assert counts[x, y] == n


def _axis_names(values: pd.Series, path: str, axis: list[Any]) -> list[Any]:
    """A frame's levels as a heat map's axis names them: the choice, the level in its unit, or the bin centre."""
    if all(isinstance(v, str) for v in axis):
        return [v if isinstance(v, str) else parameter(path).value(v) for v in values]
    return [float(v) for v in values]


def test_strategy_against_strategy_cells_are_the_paired_differences_of_the_runs() -> None:
    result, page = _result("grid"), _html("grid")
    (chart,) = _figures(page)["versus"]
    coloured, grey, text = chart["data"][:3]
    assert (coloured["name"], coloured["visible"], grey["visible"]) == (
        "solo_then_hire − ops_first_day_one",
        True,
        True,
    )
    assert chart["layout"]["xaxis"]["title"]["text"] == parameter(PM).axis
    assert chart["layout"]["yaxis"]["title"]["text"] == "freight mode"
    s = result.summary
    ok = s[s["status"] == "ok"]
    a = ok[ok["strategy"] == "solo_then_hire"].set_index(["point", "replication"])
    b = ok[ok["strategy"] == "ops_first_day_one"].set_index(["point", "replication"])
    paired = a.join(b[["final_cash_usd"]].rename(columns={"final_cash_usd": "final_cash_usd_b"}), how="inner")
    paired["diff"] = paired["final_cash_usd"] - paired["final_cash_usd_b"]
    diff, colour, shade = _cell_values(coloured, "customdata"), _cell_values(coloured), _cell_values(grey)
    seen = 0
    for (pm, mode), cell in paired.groupby([PM, FREIGHT]):
        at = (parameter(PM).value(pm), mode)
        interval = stats.ttest_1samp(cell["diff"], 0).confidence_interval()
        clear = interval.low > 0 or interval.high < 0
        assert diff[at] == pytest.approx(cell["diff"].mean())
        assert colour[at] == pytest.approx(cell["diff"].mean()) if clear else np.isnan(colour[at])
        assert np.isnan(shade[at]) if clear else shade[at] == 0
        seen += 1
    assert seen == 8
    labels = _values(text["text"]).tolist()
    assert "no clear<br>difference" in labels and any(t.startswith(("+$", "−$")) for t in labels)
    menu = chart["layout"]["updatemenus"][0]["buttons"]
    assert [b["label"] for b in menu] == [
        "solo_then_hire − ops_first_day_one: hiring threshold × freight mode",
        "solo_then_hire − ops_first_day_one: hiring threshold × median cost per click",
        "solo_then_hire − ops_first_day_one: freight mode × median cost per click",
    ]


def test_colours_are_the_strategies_own_whatever_the_order_of_the_sweep_file() -> None:
    """A strategy has the colour the comparison report gives it, however the sweep file lists it."""
    expected = strategy_colors(STRATEGIES)
    for order in (STRATEGIES, STRATEGIES[::-1]):
        page = build_sweep_report(make_sweep("grid", strategies=order))
        swatches = re.findall(
            r'<li title="[^"]*"><span class="swatch" style="background:(#\w+)"></span>(\w+)</li>', page
        )
        assert swatches == [(expected[s], s) for s in order]
        for chart in _figures(page)["effects"]:
            for strategy in order:
                assert {t["line"]["color"] for t in _lines(chart, strategy)} == {expected[strategy]}
