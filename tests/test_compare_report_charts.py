"""Every chart of the comparison report plots what its result holds.

Each value is read off the page (the Plotly JSON the browser gets, sent as float32) and taken again here
from the result's own tables: the fan charts' lines and bands are the daily quantiles of their own metric
(and the cash fan ends where the runs' final cash does), the survival curve is the share of finished runs
not yet failed on each day with its Wilson interval, the forest plot's points and whiskers are each
strategy's paired differences from the baseline recomputed from the runs, the final-cash box holds every
finished run's final cash, and the hires chart every run's 1st to 3rd hire in months.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from fake_compare import make_comparison
from report_checks import figures, trace_values
from sellersim.formatting import DAYS_PER_MONTH, month_of
from sellersim.report.compare_report import build_compare_report
from sellersim.results.comparison import ComparisonResult
from sellersim.results.figures import FIGURE_BY_NAME

FLOAT32 = {"rtol": 1e-6, "atol": 1e-6}
"""How close a value sent as float32 is to the float64 it was made from."""
QUANTILE_EDGES = (("q10", "q90"), ("q25", "q75"))
"""The fan's bands, outer then inner, as its traces are drawn: lower edge, then upper edge filled to it."""
FOREST = {
    f"{FIGURE_BY_NAME[f].label} (all paired runs)": f for f in ("final_cash_usd", "cumulative_profit_usd", "survived")
}
"""The forest plot's panels by title, left to right."""
HIRES_SHOWN = ("1st hire", "2nd hire", "3rd hire")
ERRORS = 3
"""Runs of the last strategy that crash: the charts hold the runs that finished, and only those."""


@cache
def _result(**kwargs: Any) -> ComparisonResult:
    return make_comparison(**kwargs)


@cache
def _charts(**kwargs: Any) -> dict[str, list[dict[str, Any]]]:
    return figures(build_compare_report(_result(**kwargs)))


def _strategy(figure: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """A strategy's traces, in the order drawn."""
    return [t for t in figure["data"] if t.get("legendgroup") == name]


def _y(trace: dict[str, Any]) -> np.ndarray:
    return trace_values(trace["y"]).astype(float)


def _daily(result: ComparisonResult, strategy: str, metric: str) -> pd.DataFrame:
    dq = result.daily_quantiles
    return dq[(dq["strategy"] == strategy) & (dq["metric"] == metric)].sort_values("day")


def _finished(result: ComparisonResult, strategy: str) -> pd.DataFrame:
    runs = result.runs
    return runs[(runs["strategy"] == strategy) & (runs["status"] == "ok")].set_index("replication")


def _assert_on_the_days(trace: dict[str, Any], result: ComparisonResult) -> None:
    """A daily trace starts on the first date of the result and steps a day at a time."""
    first = pd.Timestamp(result.daily_quantiles["date"].min())
    assert trace["x0"] == f"{first:%Y-%m-%d}"
    assert trace["dx"] == pd.Timedelta(days=1) / pd.Timedelta(milliseconds=1)


# ---------------------------------------------------------------- fans of cash, revenue and profit


@pytest.mark.parametrize(
    ("section", "metric"), [("cash", "cash_usd"), ("revenue", "revenue_30d_usd"), ("profit", "profit_month_usd")]
)
def test_each_fan_is_the_daily_quantiles_of_its_own_metric(section: str, metric: str) -> None:
    result = _result()
    (chart,) = _charts()[section]
    for name in result.comparison["strategies"]:
        q = _daily(result, name, metric)
        *edges, median = _strategy(chart, name)
        for trace in (*edges, median):
            _assert_on_the_days(trace, result)
        drawn = [_y(t) for t in edges]
        expected = [q[column].to_numpy() for band in QUANTILE_EDGES for column in band]
        for values, wanted, column in zip(drawn, expected, (c for band in QUANTILE_EDGES for c in band), strict=True):
            np.testing.assert_allclose(values, wanted, **FLOAT32, err_msg=f"{name} {column}")
        np.testing.assert_allclose(_y(median), q["q50"], **FLOAT32, err_msg=f"{name} median")
        hover = trace_values(median["customdata"])  # the 10-90% range the hover states
        np.testing.assert_allclose(hover, q[["q10", "q90"]].to_numpy(), **FLOAT32)


def test_the_cash_fan_ends_at_the_quantiles_of_the_runs_final_cash() -> None:
    """The cash chart is cash: a company keeps its last cash once it has failed, so the fan's last day is the
    runs' final cash, a figure of the runs table rather than of the daily series."""
    result = _result()
    (chart,) = _charts()["cash"]
    for name in result.comparison["strategies"]:
        final = _finished(result, name)["final_cash_usd"].to_numpy(dtype=float)
        low, high, low_mid, high_mid, median = (_y(t)[-1] for t in _strategy(chart, name))
        wanted = np.quantile(final, (0.1, 0.9, 0.25, 0.75, 0.5))
        np.testing.assert_allclose([low, high, low_mid, high_mid, median], wanted, rtol=1e-6, atol=0.02, err_msg=name)


# ---------------------------------------------------------------- survival


def _solvent_share(runs: pd.DataFrame, days: int) -> np.ndarray:
    """The share of ``runs`` not yet failed on each day: a run that failed on day d is solvent before it."""
    failed_on = runs["failure_day"].astype(float).fillna(np.inf).to_numpy()
    return (np.arange(days)[None, :] < failed_on[:, None]).mean(axis=0)


def _assert_survival_of_the_finished_runs(**kwargs: Any) -> None:
    result = _result(**kwargs)
    (chart,) = _charts(**kwargs)["survival"]
    days = int(result.daily_quantiles["day"].max()) + 1
    for name in result.comparison["strategies"]:
        runs = _finished(result, name)
        share = _solvent_share(runs, days)
        low, high = proportion_confint(share * len(runs), len(runs), alpha=0.05, method="wilson")
        band_low, band_high, curve = _strategy(chart, name)
        _assert_on_the_days(curve, result)
        np.testing.assert_allclose(_y(curve), share, **FLOAT32, err_msg=name)
        np.testing.assert_allclose(_y(band_low), np.minimum(low, share), **FLOAT32, err_msg=f"{name} low")
        np.testing.assert_allclose(_y(band_high), np.maximum(high, share), **FLOAT32, err_msg=f"{name} high")
        hover = trace_values(curve["customdata"])
        np.testing.assert_allclose(hover, np.column_stack([np.minimum(low, share), np.maximum(high, share)]), **FLOAT32)
    assert any(0 < _finished(result, s)["survived"].mean() < 1 for s in result.comparison["strategies"])


def test_the_survival_curve_is_the_share_of_runs_not_yet_failed_with_its_wilson_interval() -> None:
    _assert_survival_of_the_finished_runs()


def test_the_survival_band_counts_only_the_runs_that_finished() -> None:
    _assert_survival_of_the_finished_runs(error_runs=ERRORS)


# ---------------------------------------------------------------- staff and founder load


def test_the_staff_chart_is_headcount_above_and_founder_load_below() -> None:
    result = _result()
    (chart,) = _charts()["staff"]
    for name in result.comparison["strategies"]:
        traces = _strategy(chart, name)
        for row, (axis, metric) in enumerate((("y", "headcount"), ("y2", "founder_load"))):
            low, high, median = traces[3 * row : 3 * row + 3]
            assert {t.get("yaxis", "y") for t in (low, high, median)} == {axis}
            q = _daily(result, name, metric)
            for trace, column in ((low, "q10"), (high, "q90"), (median, "q50")):
                _assert_on_the_days(trace, result)
                np.testing.assert_allclose(_y(trace), q[column], **FLOAT32, err_msg=f"{name} {metric} {column}")


# ---------------------------------------------------------------- paired differences


def test_each_forest_point_and_whisker_is_the_paired_difference_from_the_baseline() -> None:
    result = _result()
    (chart,) = _charts()["paired"]
    baseline = result.comparison["baseline"]
    others = [row["strategy"] for row in result.comparison["decision"]["rows"] if row["strategy"] != baseline]
    base = _finished(result, baseline)
    titles = [a["text"] for a in chart["layout"]["annotations"]]
    assert titles == list(FOREST)
    for k, figure in enumerate(FOREST.values()):
        axis = "x" if k == 0 else f"x{k + 1}"
        traces = [t for t in chart["data"] if t.get("xaxis", "x") == axis]
        assert [t["y"] for t in traces] == [[name] for name in others]
        for trace in traces:
            mine, theirs = (
                _finished(result, trace["legendgroup"])[figure]
                .astype(float)
                .align(base[figure].astype(float), join="inner")
            )
            diff = (mine - theirs).to_numpy()
            mean = diff.mean()
            low, high = stats.t.interval(0.95, len(diff) - 1, loc=mean, scale=stats.sem(diff))
            beats = (np.sum(diff > 0) + 0.5 * np.sum(diff == 0)) / len(diff)
            where = (figure, trace["legendgroup"])
            assert trace["x"] == [pytest.approx(mean, rel=1e-9)], where
            assert trace["error_x"]["array"] == [pytest.approx(high - mean, rel=1e-9)], where
            assert trace["error_x"]["arrayminus"] == [pytest.approx(mean - low, rel=1e-9)], where
            assert trace["customdata"] == [[pytest.approx(low), pytest.approx(high), pytest.approx(beats)]], where


# ---------------------------------------------------------------- distributions


def test_the_final_cash_box_holds_every_finished_runs_final_cash() -> None:
    result = _result(error_runs=ERRORS)
    (chart,) = _charts(error_runs=ERRORS)["final-cash"]
    for name in result.comparison["strategies"]:
        (box,) = _strategy(chart, name)
        drawn = pd.Series(_y(box), index=trace_values(box["customdata"]).astype(int)).sort_index()
        final = _finished(result, name)["final_cash_usd"].astype(float).sort_index()
        assert drawn.index.tolist() == final.index.tolist(), name  # every finished run, once, by replication
        np.testing.assert_allclose(drawn, final, rtol=1e-6, err_msg=name)
    (crashing,) = _strategy(chart, result.comparison["strategies"][-1])
    assert len(_y(crashing)) == 100 - ERRORS


def test_the_hires_chart_holds_every_runs_first_three_hires_in_months() -> None:
    result = _result()
    (chart,) = _charts()["hires"]
    hires = result.hires
    drawn_strategies = set()
    for box in chart["data"]:
        name = box["legendgroup"]
        drawn_strategies.add(name)
        months = _y(box)
        drawn = sorted(
            (ordinal, round(m, 9), role, int(rep), when)
            for ordinal, m, (role, rep, when) in zip(box["x"], months, box["customdata"], strict=True)
        )
        these = hires[(hires["strategy"] == name) & (hires["hire_number"] <= len(HIRES_SHOWN))]
        expected = sorted(
            (
                HIRES_SHOWN[h.hire_number - 1],
                round(h.day / DAYS_PER_MONTH, 9),
                h.role.replace("_", " "),
                h.replication,
                month_of(h.day),
            )
            for h in these.itertuples()
        )
        assert drawn == expected, name
    assert drawn_strategies == set(hires["strategy"])  # a strategy that never hires has no box
