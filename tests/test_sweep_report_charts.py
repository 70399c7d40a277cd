"""Every chart of the sweep report plots what its runs say, and every label in a heat-map cell reads on it.

Each value is read off the page (the Plotly JSON the browser gets) and computed again here from the sweep's
runs, its summary table: a main effect's point and interval from the runs at that level (or in that
equal-count bin), a heat map's cell from the runs in the cell, a difference grid's cell as strategy A
minus strategy B over the replications both finished, a verdict map's cell as the best safe strategy there,
and Sobol indices from the points' means. The analysis that drew the charts is not consulted, except for
the bootstrap half-widths of the sensitivity indices and for Morris indices.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from fake_sweep import CASH, CPC, FIGURES, FREIGHT, PM, STRATEGIES, VERDICT, make_sweep
from report_checks import figures, trace_values
from sellersim.experiments.sweep.labels import parameter
from sellersim.formatting import money, share
from sellersim.report.sweep_report import MAX_PANELS_PER_ROW, build_sweep_report
from sellersim.results.figures import FIGURE_BY_NAME
from sellersim.results.sweep import SweepResult

BINS = 5
"""Equal-count bins a range of a random or quasi-random design is cut into."""
A, B = STRATEGIES
VERSUS_FIGURE = "final_cash_usd"
"""What strategies are set against each other on: the verdict's figure, here also the one the sweep has."""
AA_CONTRAST = 4.5
"""WCAG's least contrast of normal-size text against its background."""


@cache
def _result(design: str, **kwargs: Any) -> SweepResult:
    return make_sweep(design, **kwargs)


@cache
def _charts(design: str, **kwargs: Any) -> dict[str, list[dict[str, Any]]]:
    return figures(build_sweep_report(_result(design, **kwargs)))


def _ok(result: SweepResult, strategy: str) -> pd.DataFrame:
    s = result.summary
    return s[(s["strategy"] == strategy) & (s["status"] == "ok")]


def _paths(result: SweepResult) -> list[str]:
    return [p.path for p in result.spec.parameters]


def _interval(figure: str, values: np.ndarray) -> tuple[float, float, float, int]:
    """Mean, 95% interval (Wilson for a share, Student's t otherwise) and count of ``values``."""
    n = len(values)
    mean = float(np.mean(values))
    if FIGURE_BY_NAME[figure].unit == "share":
        low, high = proportion_confint(values.sum(), n, alpha=0.05, method="wilson")
    else:
        low, high = stats.t.interval(0.95, n - 1, loc=mean, scale=stats.sem(values))
    return mean, float(low), float(high), n


def _short(figure: str) -> Callable[[float], str]:
    """How a heat-map cell writes a value of ``figure``."""
    return {"share": share, "usd": money}[FIGURE_BY_NAME[figure].unit]


def _level_name(path: str, value: Any) -> str:
    """A level as a category axis names it: a choice as itself, a number in its unit."""
    return value if isinstance(value, str) else parameter(path).value(value)


def _groups(result: SweepResult, runs: pd.DataFrame, path: str) -> list[tuple[Any, np.ndarray]]:
    """(level, which runs) in the order an effects panel draws them: listed levels as listed, a grid's levels
    ascending, the range of a random design in equal-count bins (right-closed, the first closed) at their centres."""
    values = runs[path]
    spec = next(p for p in result.spec.parameters if p.path == path)
    if hasattr(spec, "values"):
        return [(v, (values == v).to_numpy()) for v in spec.values]
    numbers = values.astype(float).to_numpy()
    if result.spec.design.kind == "grid":
        return [(v, numbers == v) for v in np.unique(numbers)]
    edges = np.unique(np.quantile(numbers, np.linspace(0, 1, BINS + 1)))
    inside = [(numbers > low) & (numbers <= high) for low, high in pairwise(edges)]
    inside[0] |= numbers == edges[0]
    return [((low + high) / 2, mask) for low, high, mask in zip(edges[:-1], edges[1:], inside, strict=True)]


def _panel(trace: dict[str, Any], letter: str = "x") -> str:
    """The layout key of a trace's axis: ``xaxis``, ``xaxis3``."""
    return f"{letter}axis{trace.get(f'{letter}axis', letter)[1:]}"


def _path_of(title: str) -> str:
    """The parameter an axis is titled after."""
    (path,) = [p for p in (PM, FREIGHT, CPC, CASH) if parameter(p).axis == title]
    return path


def _custom(trace: dict[str, Any], columns: int) -> np.ndarray:
    """The numbers of the first ``columns`` of a trace's custom data, row by row (null as NaN)."""
    custom = trace["customdata"]
    if isinstance(custom, dict):
        return trace_values(custom)[..., :columns]
    return np.array([[np.nan if v is None else v for v in row[:columns]] for row in custom], dtype=float)


# ---------------------------------------------------------------- main effects


@pytest.mark.parametrize("design", ["grid", "lhs"])
def test_each_effect_point_and_its_interval_are_the_runs_at_that_level(design: str) -> None:
    result, charts = _result(design), _charts(design)
    for figure, chart in zip(FIGURES, charts["effects"], strict=True):
        for strategy in STRATEGIES:
            runs = _ok(result, strategy)
            y = runs[figure].astype(float).to_numpy()
            mine = [t for t in chart["data"] if t.get("legendgroup") == strategy]
            for panel, path in enumerate(_paths(result), start=1):
                at = "x" if panel == 1 else f"x{panel}"
                here = [t for t in mine if t.get("xaxis", "x") == at]
                (line,) = [t for t in here if "hovertemplate" in t]
                levels, masks = zip(*_groups(result, runs, path), strict=True)
                mean, low, high, n = (np.array(c) for c in zip(*(_interval(figure, y[m]) for m in masks), strict=True))
                where = (strategy, figure, path)
                np.testing.assert_allclose(trace_values(line["y"]).astype(float), mean, rtol=1e-9, err_msg=str(where))
                np.testing.assert_allclose(_custom(line, 3), np.column_stack([low, high, n]), rtol=1e-9)
                if isinstance(levels[0], str):  # choices: a dot per level with its interval as whiskers
                    assert chart["layout"][_panel(line)]["ticktext"] == list(levels)
                    np.testing.assert_allclose(trace_values(line["error_y"]["array"]), high - mean, rtol=1e-9)
                    np.testing.assert_allclose(trace_values(line["error_y"]["arrayminus"]), mean - low, rtol=1e-9)
                    continue
                x = np.asarray(levels, dtype=float)
                np.testing.assert_allclose(trace_values(line["x"]).astype(float), x, rtol=1e-9)
                (band,) = [t for t in here if t.get("fill") == "toself"]
                np.testing.assert_allclose(trace_values(band["x"]).astype(float), np.r_[x, x[::-1]], rtol=1e-9)
                np.testing.assert_allclose(
                    trace_values(band["y"]).astype(float), np.r_[high, low[::-1]], rtol=1e-9, err_msg=str(where)
                )


# ---------------------------------------------------------------- heat maps of pairs


def test_each_heat_map_cell_and_its_label_are_the_runs_in_that_cell() -> None:
    result, charts = _result("grid"), _charts("grid")
    for figure, chart in zip(FIGURES, charts["pairs"], strict=True):
        seen = 0
        for k, trace in enumerate(chart["data"]):
            if trace["type"] != "heatmap":
                continue
            labels = chart["data"][k + 1]  # each map's labels follow it
            assert labels["mode"] == "text" and _panel(labels) == _panel(trace)
            p1, p2 = (_path_of(chart["layout"][_panel(trace, c)]["title"]["text"]) for c in "xy")
            runs = _ok(result, trace["name"])
            cells = runs.groupby([p1, p2])[figure].agg(["mean", "size"])
            z, n = trace_values(trace["z"]), trace_values(trace["customdata"])
            xs, ys = list(trace["x"]), list(trace["y"])
            written = dict(zip(zip(labels["x"], labels["y"], strict=True), labels["text"], strict=True))
            assert len(written) == cells.shape[0] == z.size
            for (v1, v2), (mean, size) in cells.iterrows():
                x, y = _level_name(p1, v1), _level_name(p2, v2)
                assert z[ys.index(y), xs.index(x)] == pytest.approx(mean, rel=1e-9), (trace["name"], figure, x, y)
                assert n[ys.index(y), xs.index(x)] == size
                assert written[x, y] == _short(figure)(mean)
            seen += 1
        assert seen == 3 * len(STRATEGIES)  # three pairs of parameters


# ---------------------------------------------------------------- strategy against strategy


def _paired(result: SweepResult, figure: str) -> pd.DataFrame:
    """A's and B's runs of the same point and replication, with A minus B."""
    keys = ["point", "replication"]
    a = _ok(result, A).set_index(keys)
    b = _ok(result, B).set_index(keys)[[figure]].rename(columns={figure: "b"})
    both = a.join(b, how="inner")
    return both.assign(diff=both[figure].astype(float) - both["b"].astype(float))


def test_each_difference_cell_is_a_minus_b_over_the_runs_both_finished() -> None:
    result, (chart,) = _result("grid"), _charts("grid")["versus"]
    paired = _paired(result, VERSUS_FIGURE)
    buttons = chart["layout"]["updatemenus"][0]["buttons"]
    assert len(chart["data"]) == 3 * len(buttons) == 9  # a map per pair of parameters
    for k, button in enumerate(buttons):
        coloured, grey, labels = chart["data"][3 * k : 3 * k + 3]
        assert coloured["name"] == f"{A} − {B}"
        assert "Final cash" in button["args"][1]["coloraxis.colorbar.title.text"]
        p1, p2 = (_path_of(button["args"][1][f"{c}axis.title.text"]) for c in "xy")
        diff, low, high, pairs = np.moveaxis(_custom(coloured, 4), -1, 0)
        colour, shade = trace_values(coloured["z"]), trace_values(grey["z"])
        xs, ys = list(coloured["x"]), list(coloured["y"])
        written = dict(zip(zip(labels["x"], labels["y"], strict=True), labels["text"], strict=True))
        cells = 0
        for (v1, v2), cell in paired.groupby([p1, p2]):
            at = (ys.index(_level_name(p2, v2)), xs.index(_level_name(p1, v1)))
            mean, lo, hi, n = _interval(VERSUS_FIGURE, cell["diff"].to_numpy())
            clear = lo > 0 or hi < 0
            assert (diff[at], low[at], high[at], pairs[at]) == pytest.approx((mean, lo, hi, n), rel=1e-9)
            assert colour[at] == pytest.approx(mean, rel=1e-9) if clear else np.isnan(colour[at])
            assert shade[at] == 0 if not clear else np.isnan(shade[at])
            label = money(mean, sign=True) if clear else "no clear<br>difference"
            assert written[_level_name(p1, v1), _level_name(p2, v2)] == label
            cells += 1
        assert cells == len(written) == diff.size


# ---------------------------------------------------------------- verdict map


def _winner(cell: pd.DataFrame) -> tuple[str | None, str | None, float, bool]:
    """Winner, runner-up, the winner's paired margin and whether it is clear, from one cell's runs."""
    figure, limit = VERDICT["figure"], VERDICT["max_failure_share"]
    ok = cell[cell["status"] == "ok"]
    by = {s: g.set_index("replication") for s, g in ok.groupby("strategy")}
    safe = [s for s, g in by.items() if 1 - g["survived"].astype(float).mean() <= limit]
    safe.sort(key=lambda s: -by[s][figure].astype(float).mean())  # more final cash is better
    if not safe:
        return None, None, np.nan, False
    if len(safe) == 1:
        return safe[0], None, np.nan, True
    first, second = by[safe[0]][figure].align(by[safe[1]][figure], join="inner")
    mean, low, _, _ = _interval(figure, (first - second).astype(float).to_numpy())
    return safe[0], safe[1], mean, low > 0


def test_each_verdict_cell_names_the_best_safe_strategy_of_its_runs() -> None:
    result = _result("grid", verdict=True)
    (chart,) = _charts("grid", verdict=True)["verdict"]
    heat, labels = chart["data"]
    z = trace_values(heat["z"])
    xs, ys = list(heat["x"]), list(heat["y"])
    written = dict(zip(zip(labels["x"], labels["y"], strict=True), labels["text"], strict=True))
    unclear, nobody = len(STRATEGIES), len(STRATEGIES) + 1
    kinds = set()
    for (pm, mode, cpc), cell in result.summary.groupby([PM, FREIGHT, CPC]):
        x, y = parameter(PM).value(pm), f"{mode}, {parameter(CPC).value(cpc)}"
        winner, runner_up, margin, clear = _winner(cell)
        code = nobody if winner is None else STRATEGIES.index(winner) if clear else unclear
        assert z[ys.index(y), xs.index(x)] == code, (x, y)
        if winner is None:
            text = "nobody safe enough"
        elif runner_up is None:
            text = f"{winner}<br>the only one safe"
        else:
            text = f"{winner}<br>+{money(margin)}" + ("" if clear else " (unclear)")
        assert written[x, y] == text
        kinds.add((winner is None, runner_up is None, clear))
    assert len(written) == z.size == 32
    assert len(kinds) >= 3, "the fake sweep has cells of several kinds"


# ---------------------------------------------------------------- sensitivity


def _sobol(y: np.ndarray, parameters: int) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total Sobol indices of Saltelli's design without second-order terms (each base point's
    block: A, A with each parameter from B, B), by Saltelli's and Jansen's estimators on standardised output."""
    y = (y - y.mean()) / y.std()
    step = parameters + 2
    a, b = y[0::step], y[step - 1 :: step]
    ab = np.column_stack([y[j + 1 :: step] for j in range(parameters)])
    variance = np.var(np.r_[a, b])
    first = np.mean(b[:, None] * (ab - a[:, None]), axis=0) / variance
    total = 0.5 * np.mean((a[:, None] - ab) ** 2, axis=0) / variance
    return first, total


def _bars(chart: dict[str, Any], strategy: str) -> list[dict[str, Any]]:
    """A strategy's bars: its panel is the one titled by its name."""
    titles = [a["text"] for a in chart["layout"]["annotations"]]
    k = titles.index(strategy)
    axis = "x" if k == 0 else f"x{k + 1}"
    return [t for t in chart["data"] if t["type"] == "bar" and t["xaxis"] == axis]


def test_sobol_bars_are_the_indices_of_the_points_means() -> None:
    result, charts = _result("sobol"), _charts("sobol")
    paths = _paths(result)
    points = int(result.summary["point"].max()) + 1
    for figure, chart in zip(FIGURES, charts["sensitivity"], strict=True):
        for strategy in STRATEGIES:
            means = _ok(result, strategy).groupby("point")[figure].apply(lambda v: v.astype(float).mean())
            first, total = _sobol(means.reindex(range(points)).to_numpy(), len(paths))
            s1, st = _bars(chart, strategy)
            assert (s1["legendgroup"], st["legendgroup"]) == ("S1", "ST")
            assert list(s1["y"]) == [parameter(p).name for p in paths]
            np.testing.assert_allclose(trace_values(s1["x"]).astype(float), first, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(trace_values(st["x"]).astype(float), total, rtol=1e-9, atol=1e-12)
            table = result.analysis[strategy]["sensitivity"][figure].set_index(["index", "parameter"])["conf"]
            for bar, index in ((s1, "S1"), (st, "ST")):
                conf = [table[index, p] for p in paths]  # SALib's bootstrap half-widths
                np.testing.assert_allclose(trace_values(bar["error_x"]["array"]), conf, rtol=1e-9)


def test_morris_bars_are_the_strategys_own_indices() -> None:
    result, charts = _result("morris"), _charts("morris")
    paths = _paths(result)
    for figure, chart in zip(FIGURES, charts["sensitivity"], strict=True):
        for strategy in STRATEGIES:
            table = result.analysis[strategy]["sensitivity"][figure].set_index(["index", "parameter"])
            mu, sigma = _bars(chart, strategy)
            assert list(mu["y"]) == [parameter(p).name for p in paths]
            for bar, index in ((mu, "mu_star"), (sigma, "sigma")):
                np.testing.assert_allclose(
                    trace_values(bar["x"]).astype(float), [table.loc[(index, p), "value"] for p in paths], rtol=1e-9
                )
            conf = [table.loc[("mu_star", p), "conf"] for p in paths]
            np.testing.assert_allclose(trace_values(mu["error_x"]["array"]), conf, rtol=1e-9)


# ---------------------------------------------------------------- labels that read on their cells


def _rgb(colour: str) -> np.ndarray:
    if colour.startswith("#"):
        return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return np.array([float(v) for v in re.findall(r"[\d.]+", colour)[:3]])


def _painted(scale: list[list[Any]], low: float, high: float, value: float) -> np.ndarray:
    """The colour plotly.js paints ``value`` with on ``scale`` from ``low`` to ``high``: linear in RGB."""
    at = np.clip((value - low) / (high - low), 0, 1)
    stops = [float(s) for s, _ in scale]
    colours = np.array([_rgb(c) for _, c in scale])
    return np.array([np.interp(at, stops, colours[:, k]) for k in range(3)])


def _luminance(rgb: np.ndarray) -> float:
    """WCAG 2's relative luminance."""
    c = rgb / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def _contrast(a: np.ndarray, b: np.ndarray) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _labelled_cells(chart: dict[str, Any], heat: dict[str, Any], labels: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(cell colour, label colour) of every label written on the heat map ``heat``."""
    axis = chart["layout"].get(heat.get("coloraxis", ""), heat)
    scale = axis["colorscale"]
    # a colour axis' ends, else the map's own; a scale of one colour (the grey of unclear cells) needs none
    low, high = axis.get("cmin", axis.get("zmin", 0)), axis.get("cmax", axis.get("zmax", 1))
    z = trace_values(heat["z"])
    xs, ys = (trace_values(heat[c]).tolist() for c in "xy")
    out = []
    at = (trace_values(labels[c]).tolist() for c in "xy")
    for x, y, colour in zip(*at, labels["textfont"]["color"], strict=True):
        value = z[ys.index(y), xs.index(x)]
        if np.isfinite(value):
            out.append((_painted(scale, low, high, value), _rgb(colour)))
    return out


def _every_label() -> list[tuple[Any, Any]]:
    """The cell and label colours of every label in the heat maps, difference grids and verdict map."""
    found = []
    for design in ("grid", "sobol"):
        for chart in _charts(design)["pairs"]:
            data = chart["data"]
            found += [
                c for k, t in enumerate(data) if t["type"] == "heatmap" for c in _labelled_cells(chart, t, data[k + 1])
            ]
    (versus,) = _charts("grid")["versus"]
    for k in range(0, len(versus["data"]), 3):
        coloured, grey, labels = versus["data"][k : k + 3]
        found += _labelled_cells(versus, coloured, labels) + _labelled_cells(versus, grey, labels)
    (verdict,) = _charts("grid", verdict=True)["verdict"]
    found += _labelled_cells(verdict, *verdict["data"])
    return found


def test_every_heat_map_label_reads_on_its_cell_white_on_dark_and_black_on_light() -> None:
    found = _every_label()
    assert len(found) > 300
    for cell, label in found:
        assert _contrast(cell, label) >= AA_CONTRAST, (cell, label)
    darkest = min(found, key=lambda c: _luminance(c[0]))
    lightest = max(found, key=lambda c: _luminance(c[0]))
    assert _luminance(darkest[0]) < 0.1 and _luminance(lightest[0]) > 0.8
    assert list(darkest[1]) == [255, 255, 255]
    assert _luminance(lightest[1]) < 0.01


def test_heat_map_panels_wrap_so_each_cell_has_room() -> None:
    """Nine strategies' panels of one pair of parameters: three to a row, not nine."""
    many = ("solo_then_hire", "ops_first_day_one", "never_hire", "agency_for_ads", "offshore_va_first")
    result = _result("grid", strategies=many)
    charts = _charts("grid", strategies=many)["pairs"]
    assert charts
    for chart in charts:
        layout = chart["layout"]
        starts = {layout[k]["domain"][0] for k in layout if k.startswith("xaxis")}  # left edges: columns
        assert 1 < len(starts) <= MAX_PANELS_PER_ROW, starts
        heat = [t for t in chart["data"] if t["type"] == "heatmap"]
        assert len(heat) >= len(result.meta["strategies"]), "every strategy keeps its panel"
