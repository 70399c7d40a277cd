"""A self-contained interactive HTML report comparing strategies over many replications.

:func:`build_compare_report` turns a :class:`~sellersim.results.comparison.ComparisonResult` into one
HTML page with plotly.js inlined once: the headline sentences first, then fan charts of cash, revenue
and profit, survival curves, staff and founder load, a table of every figure with its 95% interval,
paired differences against the baseline, the distributions of final cash and of hiring times, the runs
that crashed, and the provenance of the comparison. Each strategy keeps one colour throughout. The page
loads nothing from the network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sellersim.experiments.decision import figure_words
from sellersim.experiments.stats import wilson_interval
from sellersim.formatting import (
    DASH,
    DAYS_PER_MONTH,
    duration,
    finite,
    hours,
    interval,
    money,
    month_of,
    number,
    points,
    share,
)
from sellersim.report.page import esc, label, plot_div, rgba
from sellersim.report.templates import Block, render_page
from sellersim.report.theme import (
    BAD,
    BASELINE_LINE,
    GOOD,
    GRID,
    INK,
    MONEY_AXIS,
    MUTED,
    PAGE_CSS,
    SUMMARY_CSS,
    TEMPLATE,
    strategy_colors,
)
from sellersim.results.comparison import ComparisonResult
from sellersim.results.figures import FIGURE_BY_NAME, FIGURES, Figure

__all__ = ["build_compare_report"]

DAY_MS = 86_400_000
"""One day on a date axis, in milliseconds (the step of every daily series)."""

FOREST_FIGURES = ("final_cash_usd", "cumulative_profit_usd", "survived")
HIRE_ORDINALS = ("1st hire", "2nd hire", "3rd hire")
MAX_ERRORS_LISTED = 200
MOSTLY_SURVIVES = 0.5
"""A value is highlighted as best only among strategies that survive in more than this share of runs."""


COMPARE_CSS = f"""
.scroll {{ overflow-x: auto; }}
table.grid {{ border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }}
table.grid th, table.grid td {{ padding: 6px 10px; border-bottom: 1px solid {GRID}; text-align: right;
  vertical-align: top; }}
table.grid thead th {{ color: {MUTED}; font-weight: 600; border-bottom: 2px solid {GRID}; vertical-align: bottom; }}
table.grid tbody th {{ text-align: left; font-weight: 500; white-space: nowrap; }}
table.grid th:first-child, table.grid td.left {{ text-align: left; }}
table.grid td {{ white-space: nowrap; }}
table.grid .dir {{ display: block; color: {MUTED}; font-size: 11px; font-weight: 400; }}
table.grid .ci {{ display: block; color: {MUTED}; font-size: 12px; }}
table.grid td.best {{ background: #dcfce7; font-weight: 600; }}
table.grid td.best .ci {{ font-weight: 400; }}
.better {{ color: {GOOD}; font-weight: 600; }}
.worse {{ color: {BAD}; font-weight: 600; }}
.better .ci, .worse .ci {{ font-weight: 400; }}
table.grid tbody th {{ padding-right: 28px; }}
.pbeats {{ color: {MUTED}; font-size: 12px; white-space: normal; }}
table.grid .pbeats .ci {{ display: inline-block; white-space: nowrap; }}
table.errors td, table.errors th {{ white-space: normal; text-align: left; }}
table.errors .num {{ text-align: right; }}
.errors-box {{ max-height: 420px; overflow: auto; }}
.legend-note {{ display: flex; gap: 18px; flex-wrap: wrap; color: {MUTED}; font-size: 12px; margin: -4px 0 8px; }}
.band {{ display: inline-block; width: 22px; height: 10px; margin-right: 5px; vertical-align: -1px;
  background: rgba(31,41,55,0.12); }}
.band.mid {{ background: rgba(31,41,55,0.28); }}
.line {{ display: inline-block; width: 22px; height: 0; border-top: 2px solid {INK}; margin-right: 5px;
  vertical-align: 3px; }}
#provenance dl {{ display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; font-size: 13px; }}
#provenance dt {{ color: {MUTED}; }}
#provenance dd {{ margin: 0; }}
#provenance table td {{ padding: 0 16px 1px 0; }}
h3 {{ font-size: 14px; margin: 20px 0 0; }}
code, .hash {{ font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }}
.hash {{ color: {MUTED}; word-break: break-all; }}
table.decision {{ margin-top: 14px; }}
table.decision caption {{ caption-side: bottom; text-align: left; color: {MUTED}; font-size: 12px; padding-top: 6px;
  white-space: normal; }}
table.decision thead th:nth-child(2) {{ text-align: left; }}
table.decision tbody th {{ white-space: normal; min-width: 200px; }}
dl.strategy-rules {{ margin: 8px 0 0; }}
dl.strategy-rules dt {{ font-weight: 600; margin-top: 14px; }}
dl.strategy-rules dd {{ margin: 2px 0 0 16px; }}
dl.strategy-rules .about {{ margin: 0; color: {MUTED}; }}
ul.rules {{ margin: 4px 0 0; padding-left: 18px; font-size: 13px; line-height: 1.45; max-width: 72em; }}
table.decision .about {{ display: block; color: {MUTED}; font-size: 12px; font-weight: 400; white-space: normal; }}
/* on a phone: the strategy's name alone, so the figures come into view (its description is below) */
@media (max-width: 600px) {{
  table.decision tbody th {{ min-width: 120px; }}
  table.decision .about {{ display: none; }}
}}
.recommendation {{ margin: 12px 0 0; padding: 10px 14px; border-left: 4px solid {INK}; background: #f9fafb;
  font-weight: 600; }}
"""


# ---------------------------------------------------------------- numbers


def _value(value: Any, unit: str, sign: bool = False) -> str:
    """One number in its unit: money compact, a share as a percentage (a difference of shares in points)."""
    if unit == "usd":
        return money(value, sign=sign)
    if unit == "share":
        return points(value) if sign else share(value)
    return number(value, 1 if finite(value) and abs(float(value)) < 100 else 0, sign=sign)


class _Interval(NamedTuple):
    """A figure as a cell shows it: the estimate, and its interval in the same unit when it has one."""

    estimate: str
    ci: str | None = None


def _interval(cell: dict[str, Any] | None, unit: str, sign: bool = False) -> _Interval:
    """``$41k`` with ``$35k to $47k``: the estimate, then its interval when it has one."""
    cell = cell or {}
    estimate = _value(cell.get("estimate"), unit, sign)
    low, high = cell.get("low"), cell.get("high")
    if estimate == DASH or not (finite(low) and finite(high)):
        return _Interval(estimate)
    return _Interval(estimate, interval(low, high, lambda v: _value(v, unit, sign)))


def _f32(values: Any) -> np.ndarray:
    """A float32 array: half the bytes of float64 in the page, ample precision for a chart."""
    return np.asarray(values, dtype=np.float32)


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class _Data:
    """The result, with the strategy order, colours and daily series laid out for drawing."""

    result: ComparisonResult

    @cached_property
    def comparison(self) -> dict[str, Any]:
        return self.result.comparison or {}

    @cached_property
    def baseline(self) -> str:
        return str(self.comparison.get("baseline") or (self.strategies[0] if self.strategies else ""))

    @cached_property
    def strategies(self) -> list[str]:
        """The decision table's ranking (every table, chart and legend in the order a founder reads the answer),
        then the rest of the comparison's order, the baseline included, then any other strategy in the runs."""
        ranked = [str(row["strategy"]) for row in (self.comparison.get("decision") or {}).get("rows") or []]
        names = list(dict.fromkeys([*ranked, *(str(s) for s in self.comparison.get("strategies", []))]))
        baseline = self.comparison.get("baseline")
        if baseline is not None and str(baseline) not in names:
            names.insert(0, str(baseline))
        runs = self.result.runs
        extra = [] if runs is None or runs.empty else [str(s) for s in runs["strategy"].unique()]
        return list(dict.fromkeys([*names, *extra]))

    @cached_property
    def surviving(self) -> list[str]:
        """The strategies that survive the horizon in most of their runs."""
        return [
            s for s in self.strategies if ((self.figure(s, "survived") or {}).get("estimate") or 0) > MOSTLY_SURVIVES
        ]

    @cached_property
    def others(self) -> list[str]:
        return [s for s in self.strategies if s != self.baseline]

    @cached_property
    def colors(self) -> dict[str, str]:
        return strategy_colors(self.strategies)

    def line(self, strategy: str) -> dict[str, Any]:
        """A strategy's median line: its colour, the baseline's drawn heavier and dashed."""
        return {"color": self.colors[strategy], "width": 2} | (BASELINE_LINE if strategy == self.baseline else {})

    @cached_property
    def replications(self) -> dict[str, int]:
        given = self.comparison.get("replications") or {}
        runs = self.result.runs
        counted = {} if runs is None or runs.empty else runs.groupby("strategy").size().to_dict()
        return {s: int(given.get(s, counted.get(s, 0))) for s in self.strategies}

    @cached_property
    def finished(self) -> dict[str, int]:
        """Runs of each strategy that finished (a crashed run has no daily series)."""
        runs = self.result.runs
        ok = {} if runs is None or runs.empty else runs[runs["status"] == "ok"].groupby("strategy").size().to_dict()
        return {s: int(ok.get(s, 0)) for s in self.strategies}

    @cached_property
    def days(self) -> np.ndarray:
        dq = self.result.daily_quantiles
        if dq is None or dq.empty:
            return np.arange(0)
        return np.arange(int(dq["day"].min()), int(dq["day"].max()) + 1)

    @cached_property
    def start(self) -> pd.Timestamp | None:
        """The date of the first day."""
        dq = self.result.daily_quantiles
        if dq is None or dq.empty:
            return None
        first = dq.loc[dq["day"].idxmin()]
        return pd.Timestamp(first["date"]) - pd.Timedelta(days=int(first["day"]) - int(self.days[0]))

    @cached_property
    def _series(self) -> dict[tuple[str, str], pd.DataFrame]:
        dq = self.result.daily_quantiles
        if dq is None or dq.empty:
            return {}
        out = {}
        for (strategy, metric), group in dq.groupby(["strategy", "metric"], sort=False):
            out[str(strategy), str(metric)] = group.set_index("day").sort_index().reindex(self.days)
        return out

    def series(self, strategy: str, metric: str) -> pd.DataFrame | None:
        """One strategy's daily rows of ``metric``, one per day of the horizon (gaps as NaN)."""
        return self._series.get((strategy, metric))

    def figure(self, strategy: str, name: str) -> dict[str, Any] | None:
        return (self.comparison.get("figures") or {}).get(strategy, {}).get(name)

    def paired(self, strategy: str, name: str) -> dict[str, Any]:
        return (self.comparison.get("paired") or {}).get(strategy, {}).get(name) or {}


# ---------------------------------------------------------------- charts


def _time_figure(height: int, rows: int = 1) -> go.Figure:
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.08) if rows > 1 else go.Figure()
    fig.update_layout(template=TEMPLATE, height=height, legend={"y": -0.12 if rows == 1 else -0.08})
    fig.update_xaxes(type="date", hoverformat="%a %d %b %Y")
    return fig


def _add_fan(
    fig: go.Figure,
    d: _Data,
    strategy: str,
    q: pd.DataFrame,
    value_format: str,
    inner: bool = True,
    row: int | None = None,
    showlegend: bool = True,
    shape: str = "linear",
) -> None:
    """A median line over a shaded 10-90% band (and a darker 25-75% band when ``inner``)."""
    color = d.colors[strategy]
    where = {"row": row, "col": 1} if row else {}
    x = {"x0": f"{d.start:%Y-%m-%d}", "dx": DAY_MS}
    edge = {
        "mode": "lines",
        "line": {"width": 0, "color": color, "shape": shape},
        "hoverinfo": "skip",
        "showlegend": False,
    }
    bands = [("q10", "q90", 0.08)] + ([("q25", "q75", 0.14)] if inner else [])
    for low, high, alpha in bands:
        fig.add_scatter(y=_f32(q[low]), legendgroup=strategy, name=strategy, **x, **edge, **where)
        fig.add_scatter(
            y=_f32(q[high]),
            fill="tonexty",
            fillcolor=rgba(color, alpha),
            legendgroup=strategy,
            name=strategy,
            **x,
            **edge,
            **where,
        )
    fig.add_scatter(
        y=_f32(q["q50"]),
        customdata=_f32(np.column_stack([q["q10"], q["q90"]])),
        name=strategy,
        legendgroup=strategy,
        showlegend=showlegend,
        mode="lines",
        line={**d.line(strategy), "shape": shape},
        hovertemplate=f"%{{y:{value_format}}} <i>(10–90%: %{{customdata[0]:{value_format}}}"
        f" to %{{customdata[1]:{value_format}}})</i>",
        **x,
        **where,
    )


MAX_BANDS_SHOWN = 3
"""A fan chart of more strategies than this opens with the medians alone: their bands would hide one another."""


def _band_switch(fig: go.Figure, strategies: int) -> None:
    """Buttons that show or hide the shaded bands (not the medians), rescaling the axes to what is shown."""
    bands = [i for i, trace in enumerate(fig.data) if trace.line.width == 0]  # band edges and fills
    rescale = {
        f"{axis}.autorange": True for axis in sorted(fig.layout) if axis.startswith("yaxis")
    }  # the same page in every process
    shown = strategies <= MAX_BANDS_SHOWN
    for i in bands:
        fig.data[i].visible = shown
    fig.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "direction": "right",
                "showactive": True,
                "active": 0 if shown else 1,
                "x": 0,
                "xanchor": "left",
                "y": 1.02,
                "yanchor": "bottom",
                "pad": {"r": 0, "t": 0, "b": 0, "l": 0},
                "font": {"size": 11},
                "bgcolor": "#f9fafb",
                "bordercolor": GRID,
                "buttons": [
                    {"label": "Medians and bands", "method": "update", "args": [{"visible": True}, rescale, bands]},
                    {"label": "Medians only", "method": "update", "args": [{"visible": False}, rescale, bands]},
                ],
            }
        ],
        margin={"t": 44},
    )


def _fan_chart(metric: str, money: bool = True) -> Callable[[_Data], go.Figure]:
    def draw(d: _Data) -> go.Figure:
        fig = _time_figure(height=460)
        for strategy in d.strategies:
            q = d.series(strategy, metric)
            if q is not None:
                _add_fan(fig, d, strategy, q, "$,.0f" if money else ",.1f")
        fig.add_hline(y=0, line={"color": "#9ca3af", "width": 1})
        fig.update_yaxes(rangemode="normal", **(MONEY_AXIS if money else {}))
        _band_switch(fig, len(d.strategies))
        return fig

    return draw


def _survival_chart(d: _Data) -> go.Figure:
    """Share of runs still solvent each day, with a 95% Wilson band."""
    fig = _time_figure(height=420)
    for strategy in d.strategies:
        q = d.series(strategy, "solvent")
        if q is None:
            continue
        share = q["mean"].to_numpy(dtype=float)
        n = d.finished[strategy]  # the share is of the runs that finished
        low, high = wilson_interval(share * n, n)
        color = d.colors[strategy]
        x = {"x0": f"{d.start:%Y-%m-%d}", "dx": DAY_MS}
        edge = {"mode": "lines", "line": {"width": 0, "color": color}, "hoverinfo": "skip", "showlegend": False}
        fig.add_scatter(y=_f32(low), legendgroup=strategy, name=strategy, **x, **edge)
        fig.add_scatter(
            y=_f32(high), fill="tonexty", fillcolor=rgba(color, 0.15), legendgroup=strategy, name=strategy, **x, **edge
        )
        fig.add_scatter(
            y=_f32(share),
            customdata=_f32(np.column_stack([low, high])),
            name=strategy,
            legendgroup=strategy,
            mode="lines",
            line={**d.line(strategy), "shape": "hv"},
            hovertemplate="%{y:.0%} <i>(95%: %{customdata[0]:.0%} to %{customdata[1]:.0%})</i>",
            **x,
        )
    fig.update_yaxes(range=[0, 1.03], tickformat=".0%", title_text="still solvent")
    return fig


def _staff_chart(d: _Data) -> go.Figure:
    """Employees (row 1) and founder load (row 2): median and 10-90% band."""
    fig = _time_figure(height=620, rows=2)
    for row, metric, fmt, shape in ((1, "headcount", ".1f", "hv"), (2, "founder_load", ".2f", "linear")):
        for strategy in d.strategies:
            q = d.series(strategy, metric)
            if q is not None:
                _add_fan(fig, d, strategy, q, fmt, inner=False, row=row, showlegend=row == 1, shape=shape)
    fig.add_hline(y=1, line={"color": BAD, "width": 1, "dash": "dash"}, row=2, col=1)
    fig.add_annotation(
        x=1, xref="x2 domain", xanchor="right", y=1, yref="y2", yanchor="top", text="overload above 1.0",
        showarrow=False, font={"color": BAD, "size": 11},
    )  # fmt: skip
    _band_switch(fig, len(d.strategies))
    fig.update_yaxes(title_text="employees", row=1, col=1)
    fig.update_yaxes(title_text="founder load", row=2, col=1)
    return fig


def _forest_title(d: _Data) -> str:
    if not d.others:
        return ""
    return f"<h3>Difference from {esc(d.baseline)} over all paired runs, with 95% intervals</h3>"


def _forest_chart(d: _Data) -> go.Figure | str:
    """Each strategy's difference from the baseline with its 95% interval, for the key figures."""
    if not d.others:
        return ""
    figures = [FIGURE_BY_NAME[name] for name in FOREST_FIGURES]
    fig = make_subplots(
        rows=1,
        cols=len(figures),
        shared_yaxes=True,
        horizontal_spacing=0.05,
        subplot_titles=[f"{f.label} (all paired runs)" for f in figures],
    )
    for col, f in enumerate(figures, start=1):
        for strategy in d.others:
            cell = d.paired(strategy, f.name)
            diff, beats = cell.get("difference") or {}, cell.get("p_beats_baseline") or {}
            est, low, high = (diff.get(k) for k in ("estimate", "low", "high"))
            if not finite(est):
                continue
            has_ci = finite(low) and finite(high)
            color = d.colors[strategy]
            fmt = "+.1%" if f.unit == "share" else "$,.0f"
            fig.add_scatter(
                x=[est],
                y=[strategy],
                mode="markers",
                marker={"color": color, "size": 11, "line": {"color": "white", "width": 1}},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [high - est if has_ci else 0],
                    "arrayminus": [est - low if has_ci else 0],
                    "color": color,
                    "thickness": 2.5,
                    "width": 5,
                },
                name=strategy,
                legendgroup=strategy,
                showlegend=col == 1,
                customdata=[[low, high, beats.get("estimate")]],
                hovertemplate=f"<b>{esc(strategy)}</b> vs {esc(d.baseline)}<br>{esc(f.label)}:"
                f" %{{x:{fmt}}} (95%: %{{customdata[0]:{fmt}}} to %{{customdata[1]:{fmt}}})"
                "<br>P(beats baseline): %{customdata[2]:.0%}<extra></extra>",
                row=1,
                col=col,
            )
        fig.add_vline(x=0, line={"color": INK, "width": 1}, row=1, col=col)
        axis = {"tickformat": "+.0%", "hoverformat": "+.1%"} if f.unit == "share" else MONEY_AXIS
        fig.update_xaxes(zeroline=False, row=1, col=col, **axis)
    fig.update_layout(
        template=TEMPLATE,
        height=150 + 44 * max(1, len(d.others)),
        hovermode="closest",
        showlegend=False,
        margin={"t": 40, "b": 36},
    )
    fig.update_yaxes(autorange="reversed", type="category", rangemode="normal")
    fig.update_annotations(font={"size": 13})
    return fig


def _final_cash_chart(d: _Data) -> go.Figure:
    """Final cash of every completed run, a box and the points per strategy."""
    runs = d.result.runs
    ok = runs[runs["status"] == "ok"] if runs is not None and not runs.empty else runs
    fig = go.Figure()
    for strategy in d.strategies:
        these = ok[ok["strategy"] == strategy]
        these = these[np.isfinite(pd.to_numeric(these["final_cash_usd"], errors="coerce").to_numpy(dtype=float))]
        if these.empty:
            continue
        _add_strategy_box(
            fig,
            strategy,
            d.colors[strategy],
            y=_f32(these["final_cash_usd"]),
            x=[strategy] * len(these),
            jitter=0.45,
            boxmean=True,
            customdata=these["replication"].to_numpy(),
            hovertemplate="replication %{customdata}: %{y:$,.0f}",
        )
    fig.add_hline(y=0, line={"color": BAD, "width": 1})
    fig.update_layout(template=TEMPLATE, height=460, hovermode="closest", showlegend=False)
    fig.update_xaxes(type="category", tickfont={"size": 12}, automargin=True)  # long names: room below
    fig.update_yaxes(rangemode="normal", title_text="final cash", **MONEY_AXIS)
    return fig


def _add_strategy_box(fig: go.Figure, strategy: str, color: str, **kwargs: Any) -> None:
    """A box of one strategy's runs in its colour, every run shown as a dot."""
    fig.add_box(
        name=strategy,
        legendgroup=strategy,
        marker={"color": color, "size": 4, "opacity": 0.55},
        line={"color": color, "width": 1.5},
        fillcolor=rgba(color, 0.12),
        boxpoints="all",
        pointpos=0,
        **kwargs,
    )


def _hires_chart(d: _Data) -> go.Figure:
    """When each run made its 1st, 2nd and 3rd hire, in months since the start, grouped by strategy."""
    hires = d.result.hires
    fig = go.Figure()
    for strategy in d.strategies:
        these = (
            hires[(hires["strategy"] == strategy) & hires["hire_number"].between(1, len(HIRE_ORDINALS))]
            if hires is not None and not hires.empty
            else pd.DataFrame(columns=["hire_number", "day", "role", "replication"])
        )
        if these.empty:
            continue
        _add_strategy_box(
            fig,
            strategy,
            d.colors[strategy],
            x=[HIRE_ORDINALS[int(n) - 1] for n in these["hire_number"]],
            y=these["day"].to_numpy(dtype=float) / DAYS_PER_MONTH,
            jitter=0.5,
            customdata=[
                [label(str(r).replace("_", " ")), int(rep), month_of(day)]
                for r, rep, day in zip(these["role"], these["replication"], these["day"], strict=True)
            ],
            hovertemplate="%{customdata[2]}: %{customdata[0]} (replication %{customdata[1]})",
        )
    fig.update_layout(template=TEMPLATE, height=480, hovermode="closest", boxmode="group", boxgroupgap=0.25)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(HIRE_ORDINALS))
    fig.update_yaxes(title_text="months since the start", hoverformat=".1f")
    return fig


# ---------------------------------------------------------------- tables


def _strategy(d: _Data, strategy: str) -> dict[str, Any]:
    """What a table shows of a strategy: its name, colour, and whether it is the baseline."""
    return {"name": strategy, "color": d.colors.get(strategy), "baseline": strategy == d.baseline}


def _best(d: _Data, f: Figure) -> set[str]:
    """The strategies with the best estimate of figure ``f`` (ties all best) among those that survive in most
    runs: a company that failed has no stock-outs and no payroll, which is no merit. None when ``f`` has no
    better direction or fewer than two such strategies differ."""
    if f.higher_is_better is None:
        return set()
    estimates = {
        s: float(c["estimate"]) for s in d.surviving if finite((c := d.figure(s, f.name) or {}).get("estimate"))
    }
    if len(estimates) < 2 or len(set(estimates.values())) < 2:
        return set()
    best = max(estimates.values()) if f.higher_is_better else min(estimates.values())
    return {s for s, v in estimates.items() if v == best}


def _direction(f: Figure) -> str:
    if f.higher_is_better is None:
        return "neither way is better"
    return "higher is better" if f.higher_is_better else "lower is better"


def _decision_table(d: _Data) -> dict[str, Any] | None:
    """The ranked strategies with what a founder weighs: risk, the ranking figure, bad-luck cash, own hours and
    payroll; the caption states the user's ranking rule."""
    decision = d.comparison.get("decision") or {}
    rows = decision.get("rows") or []
    if not rows:
        return None
    words = figure_words(decision["rank_by"])
    described = d.comparison.get("strategies_described") or {}
    body = []
    for row in rows:
        beats = row.get("beats_baseline")
        cells = (
            _interval(row["risk_of_running_out"], "share"),
            _interval(row["rank_figure"], "usd"),
            _Interval(money(row["final_cash_p10_usd"])),
            _Interval(money(row["lowest_cash_median_usd"])),
            _Interval(hours(row["founder_weekly_hours"])),
            _Interval(money(row["payroll_usd"])),
            _Interval(number(row["quits"], 1)),
            _Interval("baseline") if beats is None else _interval(beats, "share"),
        )
        body.append(
            {
                "rank": int(row["rank"]),
                "strategy": _strategy(d, row["strategy"]),
                "about": described.get(row["strategy"]) or "",
                "cells": cells,
            }
        )
    head = (
        "Rank",
        "Strategy",
        "Risk of running out of cash",
        f"Mean {words}",
        "Final cash, 10th percentile",
        "Lowest cash point (median run)",
        "Founder's hours a week",
        "Payroll over the run",
        "Quits per run",
        f"Beats {d.baseline} on {words} (share of all paired runs)",
    )
    return {"rule": decision["rule"], "head": head, "rows": body, "recommendation": decision["recommendation"]}


def _strategies_block(d: _Data) -> Block | str:
    """Each strategy in the decision table's order: its description and its rules in words."""
    rules = d.comparison.get("strategy_rules") or {}
    described = d.comparison.get("strategies_described") or {}
    if not rules and not any(described.values()):
        return ""
    return Block(
        "strategies",
        [
            {"strategy": _strategy(d, s), "about": described.get(s) or "", "rules": list(rules.get(s) or ())}
            for s in d.strategies
        ],
    )


def _figures_table(d: _Data) -> Block:
    rows = []
    for f in FIGURES:
        best = _best(d, f)
        cells = []
        for strategy in d.strategies:
            cell = d.figure(strategy, f.name)
            n = (cell or {}).get("n")
            cells.append(
                {
                    "best": strategy in best,
                    "title": f"n = {int(n)} runs" if finite(n) else None,
                    "value": _interval(cell, f.unit),
                }
            )
        rows.append({"label": f.label, "direction": _direction(f), "cells": cells})
    return Block("figures_table", {"head": [_strategy(d, s) for s in d.strategies], "rows": rows})


def _verdict(f: Figure, diff: dict[str, Any]) -> str:
    """``"better"``/``"worse"`` when the difference's interval lies wholly on one side of zero."""
    low, high = diff.get("low"), diff.get("high")
    if f.higher_is_better is None or not (finite(low) and finite(high)):
        return ""
    if low > 0 or high < 0:
        return "better" if (low > 0) == f.higher_is_better else "worse"
    return ""


def _paired_table(d: _Data) -> Block:
    if not d.others:
        return Block("note", "Only the baseline was run: there is nothing to compare it with.")
    rows = []
    for f in FIGURES:
        cells = []
        for strategy in d.others:
            cell = d.paired(strategy, f.name)
            diff, beats = cell.get("difference") or {}, cell.get("p_beats_baseline") or {}
            chance = _interval(beats, "share")
            cells.append(
                {
                    "verdict": _verdict(f, diff),
                    "difference": _interval(diff, f.unit, sign=True),
                    "beats": None if chance.estimate == DASH else chance,
                }
            )
        rows.append({"label": f.label, "direction": _direction(f), "cells": cells})
    return Block("paired_table", {"head": [_strategy(d, s) for s in d.others], "rows": rows})


def _forest_title(d: _Data) -> Block | str:
    if not d.others:
        return ""
    return Block("subtitle", f"Difference from {d.baseline} over all paired runs, with 95% intervals")


def _hire_timeline(these: pd.DataFrame) -> list[str]:
    """Each hire in order: its usual role, the median month and the 10-90% months of the runs that made it
    (``1st hire: operator (70%), median month 17, 10–90%: month 11 to month 26``)."""
    lines = []
    for k, ordinal in enumerate(HIRE_ORDINALS, start=1):
        made = these[these["hire_number"] == k]
        if made.empty:
            break
        roles = made["role"].value_counts()
        low, mid, high = np.percentile(made["day"].to_numpy(dtype=float), (10, 50, 90))
        role = str(roles.index[0]).replace("_", " ")
        usual = role if len(roles) == 1 else f"{role} ({share(roles.iloc[0] / len(made))})"
        lines.append(f"{ordinal}: {usual}, median {month_of(mid)}, 10–90%: {interval(low, high, month_of)}")
    return lines


def _hires_table(d: _Data) -> Block:
    """Per strategy: the share of finished runs that made a 1st, 2nd and 3rd hire, and the hire timeline."""
    hires = d.result.hires
    runs = d.result.runs
    rows = []
    for strategy in d.strategies:
        ok = int(((runs["strategy"] == strategy) & (runs["status"] == "ok")).sum()) if runs is not None else 0
        these = (
            hires[hires["strategy"] == strategy]
            if hires is not None and not hires.empty
            else pd.DataFrame(columns=["hire_number", "role", "day", "replication"])
        )
        made = [these[these["hire_number"] == k]["replication"].nunique() for k in range(1, len(HIRE_ORDINALS) + 1)]
        shares = [share(n / ok) if ok else DASH for n in made]
        rows.append({"strategy": _strategy(d, strategy), "shares": shares, "timeline": _hire_timeline(these)})
    return Block("hires_table", {"ordinals": HIRE_ORDINALS, "rows": rows})


def _errors(d: _Data) -> Block:
    runs = d.result.runs
    total = 0 if runs is None else len(runs)
    failed = runs[runs["status"] != "ok"] if runs is not None and not runs.empty else runs
    if failed is None or failed.empty:
        return Block("note", f"No run failed: all {total:,} runs finished without an error.")
    shown = failed.head(MAX_ERRORS_LISTED)
    rows = [
        {
            "color": d.colors.get(str(r.strategy)),
            "strategy": r.strategy,
            "replication": r.replication,
            "seed": r.seed,
            "error": r.error if isinstance(r.error, str) and r.error else "no error message",
        }
        for r in shown.itertuples()
    ]
    more = f"{len(failed) - len(shown):,}" if len(failed) > len(shown) else None
    return Block("errors", {"failed": f"{len(failed):,}", "total": f"{total:,}", "rows": rows, "more": more})


def _replications_text(d: _Data, counts: dict[str, Any] | None = None) -> str:
    counts = counts or d.replications
    values = {int(v) for v in counts.values() if finite(v)}
    if len(values) == 1 and len(counts) > 1:
        return f"{values.pop():,} replications each"
    if len(counts) == 1:
        n = next(iter(counts.values()))
        return f"{int(n):,} replications" if finite(n) else DASH
    return ", ".join(f"{k}: {int(v):,}" for k, v in counts.items() if finite(v))


def _provenance(d: _Data) -> Block:
    p = d.comparison.get("provenance") or {}
    reps = p.get("replications")
    return Block(
        "provenance",
        {
            # per strategy: its file and the hash of its resolved scenario
            "files": [
                (name, entry["file"], entry["sha256"]) for name, entry in (p.get("scenario_files") or {}).items()
            ],
            "master_seed": p.get("master_seed", DASH),
            "replications": _replications_text(d, reps) if isinstance(reps, dict) and reps else reps or DASH,
            "workers": p.get("workers", DASH),
            "software": list((p.get("software") or {}).items()),
            "started": p.get("started", DASH),
            "run_time": duration(p.get("run_seconds")),
        },
    )


# ---------------------------------------------------------------- page


@dataclass(frozen=True)
class _Section:
    """One section of the report: charts and/or HTML blocks drawn from the data."""

    key: str
    title: str
    note: str
    parts: tuple[Callable[[_Data], go.Figure | Block | str], ...]


SECTIONS: tuple[_Section, ...] = (
    _Section(
        "strategies",
        "The strategies",
        "What each strategy does, in the decision table's order: its description, and its rules as its file sets"
        " them (hiring, who does which work, owner's pay, financing, ads).",
        (_strategies_block,),
    ),
    _Section("cash", "Cash", "Bank cash over time across replications.", (_fan_chart("cash_usd"),)),
    _Section("revenue", "Monthly revenue", "Revenue over the trailing 30 days.", (_fan_chart("revenue_30d_usd"),)),
    _Section(
        "profit",
        "Monthly profit",
        "Profit of the last whole calendar month, from the end of the first one (monthly bills such as payroll"
        " land once a month, so a month is the honest unit). A company that failed counts as zero from then on.",
        (_fan_chart("profit_month_usd"),),
    ),
    _Section(
        "survival",
        "Survival",
        "Share of runs still solvent each day, with an approximate 95% interval (Wilson).",
        (_survival_chart,),
    ),
    _Section(
        "staff",
        "Staff and founder load",
        "Employees (excluding the founder) and the founder's load (demanded over normal hours):"
        " median and 10–90% of runs.",
        (_staff_chart,),
    ),
    _Section(
        "figures",
        "Figures",
        "Mean and 95% interval per strategy over all finished runs (a company that ran out of cash counts with"
        " its figures on the day it failed). The best value of a row is highlighted only among the strategies"
        " that survive in most runs, and only where one way is better for a founder. Hover a cell for the"
        " number of runs behind it.",
        (_figures_table,),
    ),
    _Section(
        "paired",
        "Against the baseline",
        "Each strategy minus the baseline over all paired runs (the same replication of both, same seeds; a run"
        " that ran out of cash counts with its figures on the day it failed), with 95% intervals; green: better"
        " with 95% confidence, red: worse. “Beats in” is the share of all paired runs where the strategy does"
        " better than the baseline, a tie counting half (so 50% is even: on yes-or-no figures such as survival,"
        " most pairs tie). The headline's final-cash clause uses only the runs where both survive, and"
        " says so.",
        (_paired_table, _forest_title, _forest_chart),
    ),
    _Section(
        "final-cash",
        "Final cash",
        "Cash at the end of every finished run (a run that ran out of cash: its cash on the day it failed):"
        " box (quartiles, dashed mean) and each run as a dot.",
        (_final_cash_chart,),
    ),
    _Section(
        "hires",
        "Timing of hires",
        "When each run made its 1st, 2nd and 3rd hire, in months since the start; hover a dot for the role."
        " The table gives each hire's usual role and its median month. A hire comes weeks after the rule that"
        " opened its position held: recruiting takes time.",
        (_hires_chart, _hires_table),
    ),
    _Section("errors", "Failed runs", "", (_errors,)),
    _Section("provenance", "Provenance", "What produced these numbers, to reproduce them.", (_provenance,)),
)


FAN_SECTIONS = ("cash", "revenue", "profit")
"""The sections whose charts are fans, shown with a key to their lines and bands."""


def _parts(section: _Section, d: _Data) -> list[tuple[str, Any]]:
    """A section's pieces for the template: ``("chart", div)`` or ``(macro, values)``; a part with nothing to
    show (an empty string) is left out."""
    parts = []
    for i, part in enumerate(section.parts):
        out = part(d)
        if isinstance(out, go.Figure):
            parts.append(("chart", plot_div(out, f"fig-{section.key}-{i}")))
        elif isinstance(out, Block):
            parts.append(out)
    return parts


def _stopping(d: _Data) -> str | None:
    """Why the replications stopped, with the target when there was one; None when no reason is given."""
    stopping = d.comparison.get("stopping") or {}
    reason, target = stopping.get("reason"), stopping.get("target")
    if not reason:
        return None
    if isinstance(target, dict) and target:
        return f"{reason} (target {', '.join(f'{k}={v}' for k, v in target.items())})"
    return str(reason)


def build_compare_report(result: ComparisonResult, data_files: tuple[str, ...] = ()) -> str:
    """The comparison report as a self-contained HTML page."""
    d = _Data(result)
    title = str((result.meta or {}).get("title") or "SellerSim: strategies compared")
    software = ((d.comparison.get("provenance") or {}).get("software") or {}).get("sellersim", "")
    return render_page(
        "compare_report.html.j2",
        title=title,
        css=PAGE_CSS + SUMMARY_CSS + COMPARE_CSS,
        data_files=data_files,
        baseline=d.baseline,
        strategies=len(d.strategies),
        replications=_replications_text(d),
        horizon=f"{len(d.days):,}-day horizon from {d.start:%Y-%m-%d}" if d.start is not None and len(d.days) else None,
        stopping=_stopping(d),
        decision=_decision_table(d),
        sentences=d.comparison.get("sentences") or [],
        nav=[(s.key, s.title) for s in SECTIONS],
        sections=[(s, _parts(s, d)) for s in SECTIONS],
        fan_sections=FAN_SECTIONS,
        version=software,
    )
