"""The comparison report: self-contained, every section drawn from the numbers, one colour per strategy."""

from __future__ import annotations

import dataclasses
import html
import re
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from conftest import STRATEGY_FILES
from fake_compare import make_comparison
from report_checks import assert_self_contained
from report_checks import figures as _figures
from report_checks import sections as _sections
from report_checks import trace_values as _values
from sellersim.experiments.decision import decision_table
from sellersim.formatting import DAYS_PER_MONTH, money, month_of, share
from sellersim.report.compare_report import DAY_MS, MAX_BANDS_SHOWN, SECTIONS, build_compare_report
from sellersim.report.page import plotly_js
from sellersim.report.theme import BASELINE_LINE, STRATEGY_PALETTE, strategy_colors
from sellersim.results.comparison import ComparisonResult
from sellersim.results.figures import FIGURE_BY_NAME, FIGURES

CHART_SECTIONS = {
    "cash": 1,
    "revenue": 1,
    "profit": 1,
    "survival": 1,
    "staff": 1,
    "paired": 1,
    "final-cash": 1,
    "hires": 1,
}
TABLE_SECTIONS = ("figures", "paired", "hires")
ALL_SECTIONS = (
    "strategies",
    "cash",
    "revenue",
    "profit",
    "survival",
    "staff",
    "figures",
    "paired",
    "final-cash",
    "hires",
    "errors",
    "provenance",
)


@cache
def _result(**kwargs: Any) -> ComparisonResult:
    return make_comparison(**kwargs)


@cache
def _html(**kwargs: Any) -> str:
    return build_compare_report(_result(**kwargs))


def _numbers(trace: dict[str, Any]) -> np.ndarray:
    """A trace's numeric values: its y, or its x where y holds categories."""
    y = _values(trace["y"])
    if len(y) and isinstance(y[0], str):
        return _values(trace["x"]).astype(float)
    return y.astype(float)


def _by_strategy(figure: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [t for t in figure["data"] if t.get("legendgroup") == name]


def _median(figure: dict[str, Any], name: str) -> dict[str, Any]:
    (median,) = [t for t in _by_strategy(figure, name) if "hovertemplate" in t]
    return median


def _header(page: str) -> str:
    return page[page.index("<header>") : page.index("</header>")]


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


class Cell(NamedTuple):
    attrs: str
    body: str

    @property
    def text(self) -> str:
        return _text(self.body)


def _rows(table_html: str) -> dict[str, list[Cell]]:
    """A table's body rows: the first cell's text -> the other (``td``) cells."""
    rows = {}
    for row in re.finditer(r"<tr>(.*?)</tr>", table_html.split("<tbody>", 1)[1], flags=re.S):
        first = re.match(r"\s*<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), flags=re.S)
        tds = re.findall(r"<td([^>]*)>(.*?)</td>", row.group(1)[first.end() :], flags=re.S)
        rows[_text(first.group(1))] = [Cell(*td) for td in tds]
    return rows


def _ranked(result: ComparisonResult) -> list[str]:
    """The strategies in the order the report shows them: the decision table's ranking."""
    return [row["strategy"] for row in result.comparison["decision"]["rows"]]


def _table(section: str, css_class: str) -> str:
    return re.search(rf'<table class="grid {css_class}"[^>]*>.*?</table>', section, flags=re.S).group(0)


# ---------------------------------------------------------------- structure


def test_plotlyjs_is_inlined_once_and_nothing_is_loaded_from_the_network() -> None:
    assert_self_contained(_html())


def test_every_section_is_present_with_data() -> None:
    page = _html()
    sections = _sections(page)
    assert tuple(sections) == ALL_SECTIONS == tuple(s.key for s in SECTIONS)
    figures = _figures(page)
    assert {k: len(v) for k, v in figures.items()} == CHART_SECTIONS
    for key, charts in figures.items():
        for figure in charts:
            traces = [t for t in figure["data"] if t.get("legendgroup")]
            assert traces, key
            for trace in traces:
                values = _numbers(trace)
                assert len(values) and np.isfinite(values).any(), (key, trace.get("name"))
    for key in TABLE_SECTIONS:
        assert "<table" in sections[key], key
    for key in ALL_SECTIONS:
        assert f'<a href="#{key}">' in page


def test_headline_sentences_come_first() -> None:
    page, result = _html(), _result()
    header = _header(page)
    sentences = result.comparison["sentences"]
    assert len(sentences) >= 2
    items = re.search(r'<ul class="headline">(.*?)</ul>', header, flags=re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", items) == [html.escape(s) for s in sentences]
    assert page.index('class="headline"') < page.index("<section")


def test_header_names_baseline_strategies_replications_and_stopping() -> None:
    result = _result()
    header = _text(_header(_html()))
    assert result.meta["title"] in header
    assert "Baseline solo_then_hire" in header
    assert "7 strategies" in header
    assert "100 replications each" in header
    assert "1,095-day horizon from 2027-01-04" in header
    assert f"stopped: {result.comparison['stopping']['reason']}" in header
    for name in result.comparison["strategies"]:
        assert name in header


def test_stopping_target_and_unequal_replications_are_shown() -> None:
    result = _result()
    comparison = {
        **result.comparison,
        "stopping": {"reason": "target precision reached", "target": {"figure": "final_cash_usd", "half_width": 5000}},
        "replications": {name: 40 + 10 * i for i, name in enumerate(result.comparison["strategies"])},
    }
    comparison["provenance"] = {**comparison["provenance"], "replications": 100, "software": {}}
    page = build_compare_report(dataclasses.replace(result, comparison=comparison))
    header = _text(_header(page))
    provenance = _text(_sections(page)["provenance"])
    assert "Replications 100 " in provenance and "Software — " in provenance
    assert "stopped: target precision reached (target figure=final_cash_usd, half_width=5000)" in header
    order = _ranked(result)  # the header lists the replications in the report's order
    wanted = {name: 40 + 10 * i for i, name in enumerate(result.comparison["strategies"])}
    assert ", ".join(f"{name}: {wanted[name]}" for name in order[:2]) in header


# ---------------------------------------------------------------- charts


@pytest.mark.parametrize(
    ("section", "metric"), [("cash", "cash_usd"), ("revenue", "revenue_30d_usd"), ("profit", "profit_month_usd")]
)
def test_fan_charts_show_median_and_both_bands_per_strategy(section: str, metric: str) -> None:
    result = _result()
    dq = result.daily_quantiles
    (figure,) = _figures(_html())[section]
    assert figure["layout"]["xaxis"]["type"] == "date"
    for name in result.comparison["strategies"]:
        traces = _by_strategy(figure, name)
        assert len(traces) == 5, name
        q = dq[(dq["strategy"] == name) & (dq["metric"] == metric)].sort_values("day")
        for trace in traces:
            assert trace["x0"] == "2027-01-04" and trace["dx"] == DAY_MS
            assert len(_values(trace["y"])) == 1095
        low, high, low_mid, high_mid, median = (_values(t["y"]) for t in traces)
        assert [t.get("fill") for t in traces] == [None, "tonexty", None, "tonexty", None]
        np.testing.assert_allclose(low, q["q10"], rtol=1e-6, atol=0.01)
        np.testing.assert_allclose(high, q["q90"], rtol=1e-6, atol=0.01)
        np.testing.assert_allclose(low_mid, q["q25"], rtol=1e-6, atol=0.01)
        np.testing.assert_allclose(high_mid, q["q75"], rtol=1e-6, atol=0.01)
        np.testing.assert_allclose(median, q["q50"], rtol=1e-6, atol=0.01)
        assert [t.get("showlegend") for t in traces] == [False, False, False, False, True]
        hover = _values(_median(figure, name)["customdata"])
        assert hover.shape == (1095, 2)
    buttons = figure["layout"]["updatemenus"][0]["buttons"]
    assert [b["label"] for b in buttons] == ["Medians and bands", "Medians only"]
    median_lines = {
        i for i, t in enumerate(figure["data"]) if t.get("showlegend", True) and t.get("line", {}).get("width")
    }
    bands = [i for i, t in enumerate(figure["data"]) if i not in median_lines and t.get("line", {}).get("width") == 0]
    assert len(bands) == 4 * len(result.comparison["strategies"])  # both edges of both bands
    for button, visible in zip(buttons, (True, False), strict=True):
        trace_update, layout_update, indices = button["args"]
        assert trace_update == {"visible": visible} and indices == bands  # the medians stay
        assert layout_update == {"yaxis.autorange": True}  # the axis fits what is shown
    few = len(result.comparison["strategies"]) <= MAX_BANDS_SHOWN
    assert {figure["data"][i].get("visible", True) for i in bands} == {few}
    assert figure["layout"]["updatemenus"][0]["active"] == (0 if few else 1)


def test_survival_curves_have_a_wilson_band() -> None:
    result = _result()
    dq = result.daily_quantiles
    (figure,) = _figures(_html())["survival"]
    for name in result.comparison["strategies"]:
        low, high, solvent = (_values(t["y"]) for t in _by_strategy(figure, name))
        expected = dq[(dq["strategy"] == name) & (dq["metric"] == "solvent")].sort_values("day")["mean"]
        np.testing.assert_allclose(solvent, expected, atol=1e-6)
        assert (low <= solvent + 1e-6).all() and (solvent <= high + 1e-6).all()
        assert ((low >= 0) & (high <= 1)).all()
        # On the last day the curve is the share of runs that survived, with the comparison's Wilson interval.
        survived = result.comparison["figures"][name]["survived"]
        assert (low[-1], solvent[-1], high[-1]) == pytest.approx(
            (survived["low"], survived["estimate"], survived["high"]), abs=1e-6
        )
    assert any(0 < f["survived"]["estimate"] < 1 for f in result.comparison["figures"].values())


def test_staff_chart_has_headcount_and_founder_load() -> None:
    result = _result()
    (figure,) = _figures(_html())["staff"]
    dq = result.daily_quantiles
    for name in result.comparison["strategies"]:
        traces = _by_strategy(figure, name)
        assert len(traces) == 6
        assert {t.get("yaxis", "y") for t in traces[:3]} == {"y"}
        assert {t["yaxis"] for t in traces[3:]} == {"y2"}
        load = dq[(dq["strategy"] == name) & (dq["metric"] == "founder_load")].sort_values("day")
        np.testing.assert_allclose(_values(traces[5]["y"]), load["q50"], rtol=1e-6, atol=1e-4)
        assert sum(bool(t.get("showlegend")) for t in traces) == 1


def test_every_strategy_keeps_one_colour_everywhere() -> None:
    page, result = _html(), _result()
    names = result.comparison["strategies"]
    expected = strategy_colors(names)
    seen: dict[str, set[str]] = {name: set() for name in names}
    for key, charts in _figures(page).items():
        for figure in charts:
            for trace in figure["data"]:
                name = trace.get("legendgroup")
                if name is None:
                    continue
                for part in ("line", "marker"):
                    if "color" in trace.get(part, {}):
                        seen[name].add(trace[part]["color"])
                if "fillcolor" in trace:
                    r, g, b = (int(expected[name][i : i + 2], 16) for i in (1, 3, 5))
                    assert trace["fillcolor"].startswith(f"rgba({r},{g},{b},"), (key, name)
    assert seen == {name: {expected[name]} for name in names}
    assert len(set(expected.values())) == len(names)
    header = _header(page)
    for name, color in expected.items():
        assert f'<span class="swatch" style="background:{color}"></span>{name}' in header.replace("<wbr>", "")


def test_the_baseline_is_marked_by_its_line() -> None:
    page, result = _html(), _result()
    baseline = result.comparison["baseline"]
    for charts in _figures(page).values():
        for figure in charts:
            for trace in figure["data"]:
                line = trace.get("line", {})
                if trace.get("mode") != "lines" or not line.get("width"):
                    continue  # band edges and marks
                heavy = line.get("dash") == BASELINE_LINE["dash"] and line.get("width") == BASELINE_LINE["width"]
                assert heavy == (trace.get("legendgroup") == baseline), trace.get("name")


def _contrast_on_white(color: str) -> float:
    """WCAG contrast ratio of ``color`` against white."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_strategy_colours_are_distinct_legible_and_kept_across_reports() -> None:
    assert min(_contrast_on_white(c) for c in STRATEGY_PALETTE) >= 3.0  # lines and marks on white
    names = [f"strategy_{k}" for k in range(len(STRATEGY_PALETTE))]
    colors = strategy_colors(names)
    assert len(set(colors.values())) == len(names)
    assert strategy_colors(names[::-1]) == colors  # the order they are listed in does not matter
    alone = {name: strategy_colors([name])[name] for name in names}
    kept = sum(alone[n] == colors[n] for n in names)
    assert kept >= len(names) // 2  # most keep the colour they have alone; a clash moves the later name
    shipped = [p.stem for p in sorted(STRATEGY_FILES.values())]
    assert len(shipped) == len(STRATEGY_PALETTE)
    every = strategy_colors(shipped)
    assert len(set(every.values())) == len(shipped)
    for k in range(len(shipped)):  # a shipped strategy has its colour in any report, whoever else is in it
        some = shipped[k:] + shipped[: k // 2]
        assert strategy_colors(some) == {s: every[s] for s in some}


def test_forest_plot_shows_each_difference_with_its_interval() -> None:
    result = _result()
    (forest,) = _figures(_html())["paired"]
    baseline = result.comparison["baseline"]
    others = [s for s in _ranked(result) if s != baseline]
    ok = result.runs[result.runs["status"] == "ok"].set_index("replication")
    for axis, figure in zip(("x", "x2", "x3"), ("final_cash_usd", "cumulative_profit_usd", "survived"), strict=True):
        traces = [t for t in forest["data"] if t.get("xaxis", "x") == axis]
        assert [t["y"] for t in traces] == [[name] for name in others]
        base = ok.loc[ok["strategy"] == baseline, figure].astype(float)
        for trace in traces:
            name = trace["legendgroup"]
            diff = result.comparison["paired"][name][figure]["difference"]
            assert trace["x"] == [pytest.approx(diff["estimate"])]
            # The strategy less the baseline, replication by replication, as the runs have it.
            mine, theirs = ok.loc[ok["strategy"] == name, figure].astype(float).align(base, join="inner")
            assert trace["x"] == [pytest.approx((mine - theirs).mean())]
            assert trace["error_x"]["array"] == [pytest.approx(diff["high"] - diff["estimate"])]
            assert trace["error_x"]["arrayminus"] == [pytest.approx(diff["estimate"] - diff["low"])]
    titles = [a["text"] for a in forest["layout"]["annotations"]]
    assert titles == [
        "Final cash (all paired runs)",
        "Cumulative profit after owner's pay (all paired runs)",
        "Survives the horizon (all paired runs)",
    ]


def test_final_cash_and_hire_timing_distributions() -> None:
    result = _result(error_runs=3)
    figures = _figures(_html(error_runs=3))
    (cash,) = figures["final-cash"]
    runs = result.runs[result.runs["status"] == "ok"]
    for name in result.comparison["strategies"]:
        (box,) = _by_strategy(cash, name)
        expected = runs.loc[runs["strategy"] == name, "final_cash_usd"].to_numpy()
        np.testing.assert_allclose(_values(box["y"]), expected, rtol=1e-6)
    assert len(_values(_by_strategy(cash, "product_team_first")[0]["y"])) == 97

    (timing,) = figures["hires"]
    assert timing["layout"]["boxmode"] == "group"
    hires = result.hires
    drawn = {t["legendgroup"] for t in timing["data"]}
    assert drawn == set(hires["strategy"]) and "never_hire" not in drawn
    (box,) = _by_strategy(timing, "hire_on_fixed_schedule")
    these = hires[(hires["strategy"] == "hire_on_fixed_schedule") & (hires["hire_number"] <= 3)]
    assert sorted(set(box["x"])) == ["1st hire", "2nd hire", "3rd hire"]
    np.testing.assert_allclose(sorted(_values(box["y"])), sorted(these["day"].astype(float) / DAYS_PER_MONTH))
    assert timing["layout"]["yaxis"]["title"]["text"] == "months since the start"
    section = _sections(_html(error_runs=3))["hires"]
    rows = _rows(_table(section, "hires-made"))
    finished = runs.groupby("strategy").size()
    for name in result.comparison["strategies"]:
        these = hires[hires["strategy"] == name]
        made = [these.loc[these["hire_number"] == k, "replication"].nunique() / finished[name] for k in (1, 2, 3)]
        assert [c.text for c in rows[name][:3]] == [share(m) for m in made], name
        first = these[these["hire_number"] == 1]
        if first.empty:
            assert rows[name][-1].text == "no hires", name
            continue
        roles = first["role"].value_counts()
        low, mid, high = np.percentile(first["day"], (10, 50, 90))
        role = roles.index[0].replace("_", " ")
        usual = role if len(roles) == 1 else f"{role} ({share(roles.iloc[0] / len(first))})"
        assert rows[name][-1].text.startswith(
            f"1st hire: {usual}, median {month_of(mid)}, 10–90%: {month_of(low)} to {month_of(high)}"
        ), name
    assert rows["never_hire"][-1].text == "no hires"
    timeline = rows["hire_on_fixed_schedule"][-1].text  # hires on days 180-187, 365-372 and 540-547
    assert timeline == (
        "1st hire: operator, median month 7, 10–90%: month 6 to month 7 "
        "2nd hire: ads specialist, median month 13, 10–90%: month 13 to month 13 "
        "3rd hire: customer service, median month 18, 10–90%: month 18 to month 18"
    )


# ---------------------------------------------------------------- tables


def _direction(f: Any) -> str:
    return {True: "higher is better", False: "lower is better", None: "neither way is better"}[f.higher_is_better]


def test_figures_table_shows_intervals_and_highlights_the_best() -> None:
    result = _result()
    names = _ranked(result)
    rows = _rows(_table(_sections(_html())["figures"], "figures"))
    assert len(rows) == len(FIGURES)
    cash = result.comparison["figures"]["solo_then_hire"]["final_cash_usd"]
    cell = rows["Final cash higher is better"][names.index("solo_then_hire")].text
    assert cell == f"{money(cash['estimate'])} ({money(cash['low'])} to {money(cash['high'])})"
    survived = result.comparison["figures"]["never_hire"]["survived"]
    cell = rows["Survives the horizon higher is better"][names.index("never_hire")].text
    assert cell == f"{share(survived['estimate'])} ({share(survived['low'])} to {share(survived['high'])})"
    survives = result.runs[result.runs["status"] == "ok"].groupby("strategy")["survived"].mean()
    mostly = [n for n in names if survives[n] > 0.5]
    assert 2 <= len(mostly) < len(names), "the premise: some strategies fail in most runs"
    for f in FIGURES:
        cells = rows[f"{f.label} {_direction(f)}"]
        highlighted = [n for n, c in zip(names, cells, strict=True) if 'class="best"' in c.attrs]
        assert all('title="n = ' in c.attrs for c in cells)
        if f.higher_is_better is None:
            assert highlighted == [], f.name
            continue
        estimates = {n: result.comparison["figures"][n][f.name]["estimate"] for n in mostly}
        best = (max if f.higher_is_better else min)(estimates.values())
        assert highlighted == [n for n, e in estimates.items() if e == best], f.name
    assert "Peak headcount neither way is better" in rows


def test_a_strategy_that_fails_in_every_run_is_never_highlighted() -> None:
    kwargs = {"strategies": ("solo_then_hire", "never_hire"), "doomed": "always_broke", "replications": 40}
    rows = _rows(_table(_sections(_html(**kwargs))["figures"], "figures"))
    result = _result(**kwargs)
    stockouts = {
        n: result.comparison["figures"][n]["stockout_days"]["estimate"] for n in ("never_hire", "always_broke")
    }
    assert stockouts["always_broke"] < stockouts["never_hire"], "the premise: the failed company has fewest stock-outs"
    broke = _ranked(result).index("always_broke")
    for cells in rows.values():
        assert 'class="best"' not in cells[broke].attrs


def test_paired_table_marks_clear_wins_and_losses() -> None:
    result = _result()
    others = [s for s in _ranked(result) if s != result.comparison["baseline"]]
    rows = _rows(_table(_sections(_html())["paired"], "paired"))
    for f in FIGURES:
        cells = rows[f"{f.label} {_direction(f)}"]
        assert len(cells) == len(others)
        for name, cell in zip(others, cells, strict=True):
            paired = result.comparison["paired"][name][f.name]
            diff, beats = paired["difference"], paired["p_beats_baseline"]
            if f.higher_is_better is None:
                assert "better" not in cell.body and "worse" not in cell.body and "beats" not in cell.text
                assert beats["n"] == 0, "neither way is better: there is nothing to beat"
                continue
            good = diff["low"] > 0 if f.higher_is_better else diff["high"] < 0
            bad = diff["high"] < 0 if f.higher_is_better else diff["low"] > 0
            assert ('class="better"' in cell.body) == good, (f.name, name)
            assert ('class="worse"' in cell.body) == bad, (f.name, name)
            assert f"beats in {share(beats['estimate'])} ({share(beats['low'])} to {share(beats['high'])})" in cell.text
    survival = rows["Survives the horizon higher is better"][others.index("never_hire")].text
    diff = result.comparison["paired"]["never_hire"]["survived"]["difference"]
    sign = "+" if diff["estimate"] >= 0 else "−"
    assert survival.startswith(f"{sign}{abs(diff['estimate']) * 100:.0f} pts (")


def test_errored_runs_are_listed_with_their_error() -> None:
    section = _sections(_html(error_runs=3))["errors"]
    text = _text(section)
    assert "3 of 700 runs stopped with an error" in text
    failed = _result(error_runs=3).runs.query("status != 'ok'")
    assert len(failed) == 3
    for run in failed.itertuples():
        assert f"{run.strategy} {run.replication} {run.seed}" in text
        assert " ".join(run.error.split()) in text
    assert "all 700 runs finished without an error" in _text(_sections(_html())["errors"])


def test_error_without_a_message_and_long_lists() -> None:
    result = _result(error_runs=3)
    runs = result.runs.copy()
    runs.loc[runs["status"] == "error", "error"] = None
    runs.loc[runs.index[:250], "status"] = "error"
    text = _text(_sections(build_compare_report(dataclasses.replace(result, runs=runs)))["errors"])
    assert "253 of 700 runs stopped with an error" in text
    assert "no error message" in text
    assert "… and 53 more" in text


def test_provenance_lists_files_seed_workers_versions_and_time() -> None:
    result = _result()
    body = _sections(_html())["provenance"]
    text = _text(body)
    provenance = result.comparison["provenance"]
    for name, entry in provenance["scenario_files"].items():  # the hash shortened, whole on hover
        assert f"{name} {entry['file']} sha256 {entry['sha256'][:12]}…" in text
        assert f'title="sha256 {entry["sha256"]}"' in body
    assert f"Master seed {provenance['master_seed']}" in text
    assert "Workers 8" in text
    for package, version in provenance["software"].items():
        assert f"{package} {version}" in text
    assert f"({provenance['run_seconds']:,.0f} s)" in text
    assert "Started 2027-01-04T09:30:00+00:00" in text


# ---------------------------------------------------------------- edge cases


def test_a_single_strategy_against_the_baseline() -> None:
    kwargs = {"strategies": ("solo_then_hire", "never_hire"), "replications": 30}
    page, result = _html(**kwargs), _result(**kwargs)
    figures = _figures(page)
    assert {k: len(v) for k, v in figures.items()} == CHART_SECTIONS
    (cash,) = figures["cash"]
    assert {t["legendgroup"] for t in cash["data"] if "legendgroup" in t} == {"solo_then_hire", "never_hire"}
    (forest,) = figures["paired"]
    assert {t["legendgroup"] for t in forest["data"]} == {"never_hire"}
    assert "2 strategies · 30 replications each" in _text(_header(page))
    rows = _rows(_table(_sections(page)["paired"], "paired"))
    assert all(len(cells) == 1 for cells in rows.values())
    assert "solo_then_hire" not in _table(_sections(page)["paired"], "paired").split("<tbody>")[0]
    assert result.comparison["sentences"][0] in html.unescape(page)


def test_only_the_baseline() -> None:
    result = _result(strategies=("solo_then_hire",), replications=20)
    comparison = {**result.comparison, "paired": {}}
    page = build_compare_report(dataclasses.replace(result, comparison=comparison))
    figures = _figures(page)
    assert "paired" not in figures
    assert "nothing to compare it with" in _sections(page)["paired"]
    assert {k for k in figures} == set(CHART_SECTIONS) - {"paired"}


def test_a_strategy_that_always_fails() -> None:
    kwargs = {"strategies": ("solo_then_hire", "never_hire"), "doomed": "always_broke", "replications": 40}
    page, result = _html(**kwargs), _result(**kwargs)
    figures = _figures(page)  # no NaN literal in any figure's JSON
    (survival,) = figures["survival"]
    solvent = _values(_median(survival, "always_broke")["y"])
    assert solvent[0] == 1 and solvent[-1] == 0
    low, high = (
        _values(_by_strategy(survival, "always_broke")[0]["y"]),
        _values(_by_strategy(survival, "always_broke")[1]["y"]),
    )
    assert low[-1] == 0 and 0 < high[-1] < 0.1
    months = result.comparison["figures"]["always_broke"]["months_to_first_profitable_month"]
    assert months["estimate"] is None  # no run of it ever had a profitable month
    rows = _rows(_table(_sections(page)["figures"], "figures"))
    assert rows["Months to first profitable month lower is better"][2].body == "—"
    survived = result.comparison["figures"]["always_broke"]["survived"]
    assert survived["estimate"] == 0
    assert rows["Survives the horizon higher is better"][2].text == f"0% (0% to {share(survived['high'])})"
    paired = _rows(_table(_sections(page)["paired"], "paired"))
    assert paired["Months to first profitable month lower is better"][1].text == "—"
    (forest,) = figures["paired"]
    assert [t["y"] for t in forest["data"] if t.get("xaxis", "x") == "x3"] == [["never_hire"], ["always_broke"]]
    visible = _text(re.sub(r"<script.*?</script>", "", page.split("<body>", 1)[1], flags=re.S))
    assert "Failed runs" in visible and "Provenance" in visible
    assert not re.search(r"\bnan\b|\binf\b|None", visible, flags=re.I)


def test_text_is_escaped() -> None:
    result = _result(strategies=("solo_then_hire", "never_hire"), replications=30)
    comparison = {**result.comparison, "sentences": ["Cash <script>alert(1)</script> & more"]}
    meta = {"title": "A <b>bold</b> title"}
    page = build_compare_report(dataclasses.replace(result, comparison=comparison, meta=meta))
    assert "<script>alert(1)</script>" not in page
    assert "Cash &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<title>A &lt;b&gt;bold&lt;/b&gt; title</title>" in page


def test_names_in_charts_are_text_never_markup() -> None:
    """A strategy named with <a href> became a live link in Plotly legends; a role in the hover of hires too."""
    evil, role = '<a href="https://example.com">evil</a>', "<b>ops</b>"
    result = _result(strategies=(evil, "never_hire"), replications=30)
    page = build_compare_report(dataclasses.replace(result, hires=result.hires.assign(role=role)))
    plots = page[page.index("Plotly.newPlot") :]
    assert "\\u003ca href" not in plots and "\\u003cb\\u003eops" not in plots, "no name reaches Plotly as markup"
    assert '&lt;a href=\\"https:\\u002f\\u002fexample.com\\"&gt;evil&lt;\\u002fa&gt;' in plots
    assert "&lt;b&gt;ops&lt;\\u002fb&gt;" in plots


def test_number_formats() -> None:
    from sellersim.report.compare_report import _interval

    def shown(cell, unit, sign=False):  # a cell as its table shows it: the estimate, then its interval in brackets
        value = _interval(cell, unit, sign)
        return value.estimate + (f" ({value.ci})" if value.ci else "")

    money_ = {"estimate": 41_234.0, "low": 35_100.0, "high": 47_400.0, "n": 100}
    assert shown(money_, "usd") == "$41k ($35k to $47k)"
    assert shown({"estimate": 0.82, "low": 0.74, "high": 0.88}, "share") == "82% (74% to 88%)"
    diff = {"estimate": -5_200.0, "low": -9_300.0, "high": 1_100.0}
    assert shown(diff, "usd", sign=True) == "−$5.2k (−$9.3k to +$1.1k)"
    pts = {"estimate": 0.12, "low": 0.04, "high": 0.2}
    assert shown(pts, "share", sign=True) == "+12 pts (+4 pts to +20 pts)"
    assert shown({"estimate": 1_250_000.0, "low": 980_000.0, "high": 1.5e6}, "usd") == "$1.2M ($980k to $1.5M)"
    assert shown({"estimate": 7.24, "low": float("nan"), "high": None}, "months") == "7.2"
    assert shown({"estimate": float("nan")}, "usd") == "—"
    assert shown(None, "count") == "—"
    assert FIGURE_BY_NAME["survived"].unit == "share"


# ---------------------------------------------------------------- files


def test_compare_report_of_7_strategies_x_100_replications_stays_small() -> None:
    size = len(_html().encode())
    assert size - len(plotly_js()) < 2_500_000, f"{size:,} bytes"


def test_report_is_deterministic() -> None:
    assert build_compare_report(make_comparison()) == _html()


# ---------------------------------------------------------------- the decision table


def _ranked_by_the_rule(runs: Any, figure: str) -> list[str]:
    """The strategies in the order the caption's rule gives, worked out here from the runs alone: risk tiers
    (a tier opens at its safest strategy and takes those whose Wilson intervals overlap it), then the mean of
    ``figure``, highest first."""
    ok = runs[runs["status"] == "ok"]
    entries = []
    for name, these in ok.groupby("strategy"):
        failed = int((~these["survived"].astype(bool)).sum())
        low, high = proportion_confint(failed, len(these), method="wilson")
        entries.append((failed / len(these), low, high, these[figure].mean(), name))
    entries.sort(key=lambda e: (e[0], -e[3]))
    tiers: list[list[tuple]] = []
    for e in entries:
        if tiers and tiers[-1][0][1] <= e[2] and e[1] <= tiers[-1][0][2]:
            tiers[-1].append(e)
        else:
            tiers.append([e])
    return [e[4] for tier in tiers for e in sorted(tier, key=lambda e: -e[3])]


@pytest.mark.parametrize(("rank_by", "figure"), [("sde", "cumulative_sde_usd"), ("final_cash", "final_cash_usd")])
def test_the_decision_table_ranks_by_the_stated_rule(rank_by: str, figure: str) -> None:
    result = _result(rank_by=rank_by)
    decision = result.comparison["decision"]
    assert decision["rank_by"] == figure
    ranked = [row["strategy"] for row in decision["rows"]]
    assert ranked == _ranked_by_the_rule(result.runs, figure)
    assert [row["rank"] for row in decision["rows"]] == list(range(1, len(ranked) + 1))
    assert len({row["risk_tier"] for row in decision["rows"]}) > 1, "the premise: risks that differ clearly"
    words = {"sde": "mean cumulative SDE", "final_cash": "mean final cash"}[rank_by]
    assert (
        f"Ranked by the risk of running out of cash (lowest first), then by {words} (highest first)"
        in (decision["rule"])
    )
    table = _table(_header(build_compare_report(result)), "decision")
    assert html.escape(decision["rule"]) in table.split("<thead>")[0], "the rule is the table's caption"
    table = table.replace("<wbr>", "")  # a long name may wrap after an underscore
    assert [table.index(f"</span>{name}") for name in ranked] == sorted(table.index(f"</span>{n}") for n in ranked)


def test_the_decision_table_says_what_the_runs_say() -> None:
    result = _result()
    runs = result.runs[result.runs["status"] == "ok"]
    baseline = result.comparison["baseline"]
    base = runs[runs["strategy"] == baseline].set_index("replication")
    table = _rows(_table(_header(_html()), "decision"))
    for row in result.comparison["decision"]["rows"]:
        these = runs[runs["strategy"] == row["strategy"]].set_index("replication")
        failed = int((~these["survived"].astype(bool)).sum())
        low, high = proportion_confint(failed, len(these), method="wilson")
        risk = row["risk_of_running_out"]
        assert (risk["estimate"], risk["low"], risk["high"]) == pytest.approx((failed / len(these), low, high))
        assert row["rank_figure"]["estimate"] == pytest.approx(these["cumulative_sde_usd"].mean())
        # Over all runs: a company that ran out of cash counts with its cash on the day it failed.
        assert row["final_cash_p10_usd"] == pytest.approx(np.percentile(these["final_cash_usd"], 10))
        assert row["lowest_cash_median_usd"] == pytest.approx(these["lowest_cash_usd"].median())
        assert row["founder_weekly_hours"] == pytest.approx(these["founder_mean_weekly_hours"].mean())
        assert row["payroll_usd"] == pytest.approx(these["cumulative_payroll_usd"].mean())
        assert row["quits"] == pytest.approx(these["quits"].mean())
        if row["strategy"] == baseline:
            assert row["beats_baseline"] is None
        else:
            x, y = these["cumulative_sde_usd"].align(base["cumulative_sde_usd"], join="inner")
            assert row["beats_baseline"]["n"] == len(x) == len(these)
            assert row["beats_baseline"]["estimate"] == pytest.approx(((x > y) + 0.5 * (x == y)).mean())
        cells = table[str(row["rank"])]
        assert [c.text for c in cells[2:7]] == [
            money(row["final_cash_p10_usd"]),
            money(row["lowest_cash_median_usd"]),
            f"{row['founder_weekly_hours']:,.0f} h",
            money(row["payroll_usd"]),
            f"{row['quits']:.1f}",
        ]
        assert cells[0].text == f"{share(failed / len(these))} ({share(low)} to {share(high)})"
        assert cells[1].text.startswith(money(these["cumulative_sde_usd"].mean()))
    described = _header(_html())
    assert "The founder does everything, for the whole run." in _text(described), "the strategy file's description"


def test_the_decision_table_and_its_recommendation_lead_the_report() -> None:
    page = _html()
    recommendation = html.escape(_result().comparison["decision"]["recommendation"])
    assert (
        page.index('<table class="grid decision" id="decision">')
        < page.index(recommendation)
        < page.index('class="headline"')
    )


TWO = {"strategies": ("solo_then_hire", "never_hire")}


def _planted(runs: Any, name: str, sde_gain: float) -> Any:
    """``runs`` with a copy of ``name``'s runs as ``name_twin``, its SDE raised by ``sde_gain`` in every run."""
    twin = runs[runs["strategy"] == name].assign(strategy=f"{name}_twin")
    twin["cumulative_sde_usd"] += sde_gain
    return pd.concat([runs, twin], ignore_index=True)


def test_the_recommendation_says_no_strategy_is_clearly_ahead_between_equals() -> None:
    runs = _planted(_result(**TWO).runs, "never_hire", 0.0)
    strategies = [*TWO["strategies"], "never_hire_twin"]
    decision = decision_table(runs, strategies, "solo_then_hire", "sde")
    assert {row["strategy"] for row in decision["rows"][:2]} == {"never_hire", "never_hire_twin"}
    assert decision["recommendation"].startswith("No strategy is clearly ahead: never_hire")
    assert "with $0 mean cumulative SDE against never_hire_twin over all 100 paired runs" in decision["recommendation"]


def test_the_recommendation_names_a_leader_planted_clearly_ahead() -> None:
    runs = _planted(_result(**TWO).runs, "never_hire", 20_000.0)
    strategies = [*TWO["strategies"], "never_hire_twin"]
    decision = decision_table(runs, strategies, "solo_then_hire", "sde")
    assert decision["rows"][0]["strategy"] == "never_hire_twin"
    assert decision["recommendation"].startswith(
        "never_hire_twin is clearly ahead: +$20k mean cumulative SDE against never_hire over all 100 paired runs"
        " (95% CI +$20k to +$20k); it runs out of cash in 0% of runs against 0% for never_hire."
    )


def test_a_safer_strategy_ranks_first_even_with_less_sde_and_the_sentence_says_why() -> None:
    result = _result(strategies=("solo_then_hire", "never_hire"), doomed="always_broke", replications=40)
    runs = result.runs.copy()
    runs.loc[runs["strategy"] == "always_broke", "cumulative_sde_usd"] = 1e7  # rich on paper, broke in every run
    decision = decision_table(runs, ["solo_then_hire", "never_hire", "always_broke"], "solo_then_hire", "sde")
    assert decision["rows"][-1]["strategy"] == "always_broke"
    assert decision["rows"][0]["strategy"] == "never_hire"


def test_the_page_is_the_same_in_every_process() -> None:
    """Same result, same page bytes: nothing in it may follow Python's per-process string hashing."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    tests = Path(__file__).parent
    code = (
        "import hashlib; from fake_compare import make_comparison; "
        "from sellersim.report.compare_report import build_compare_report; "
        "print(hashlib.sha256(build_compare_report(make_comparison(replications=20)).encode()).hexdigest())"
    )
    path = os.pathsep.join([str(tests), str(tests.parent / "sim")])
    pages = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONPATH": path, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")  # two orders of Python's string hashing at least
    }
    assert len(pages) == 1


def test_each_strategy_is_described_with_its_rules_in_the_decision_tables_order() -> None:
    result = _result()
    body = _sections(_html())["strategies"]
    entries = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", body, flags=re.S)
    ranked = [row["strategy"] for row in result.comparison["decision"]["rows"]]
    assert [_text(name).removesuffix(" baseline") for name, _ in entries] == ranked
    for name, about in zip(ranked, (about for _, about in entries), strict=True):
        rules = result.comparison["strategy_rules"].get(name, [])
        assert [_text(li) for li in re.findall(r"<li>(.*?)</li>", about, flags=re.S)] == list(rules), name
        description = result.comparison["strategies_described"][name]
        assert (description in _text(about)) if description else True
        if not rules and not description:
            assert _text(about) == "No description or rules given."
    assert any(result.comparison["strategy_rules"].get(s) for s in ranked)


def test_a_rule_shows_as_written() -> None:
    result = _result()
    name = result.comparison["strategies"][0]
    rules = {**result.comparison["strategy_rules"], name: ["Hires <b>nobody</b> & keeps `cash_usd >= 1`."]}
    page = build_compare_report(dataclasses.replace(result, comparison={**result.comparison, "strategy_rules": rules}))
    body = _sections(page)["strategies"]
    assert "Hires &lt;b&gt;nobody&lt;/b&gt; &amp; keeps `cash_usd &gt;= 1`." in body
