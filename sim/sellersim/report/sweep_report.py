"""A self-contained interactive HTML report of a parameter sweep.

:func:`build_sweep_report` turns a :class:`~sellersim.results.sweep.SweepResult` into one HTML page with
plotly.js inlined once: the sweep's design and the headline sentences first; then, for every figure, its
mean against each parameter with a 95% interval (every strategy in its own colour), heat maps of the mean
over pairs of parameters, the Sobol or Morris sensitivity indices when the design has them, the region of
parameters where each strategy fails most, the runs that crashed, and how the sweep ran. The page loads
nothing from the network.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sellersim.experiments.sweep.labels import ParameterLabel, parameter
from sellersim.experiments.sweep.spec import SweepSpec
from sellersim.formatting import DASH, duration, finite, interval, money, number, share
from sellersim.report.page import esc, label, plot_div, rgba
from sellersim.report.templates import Block, render_page
from sellersim.report.theme import (
    BAD,
    GOOD,
    GRID,
    INK,
    MONEY_AXIS,
    MUTED,
    PAGE_CSS,
    SUMMARY_CSS,
    TEMPLATE,
    label_colour,
    scale_colour,
    strategy_colors,
)
from sellersim.results.figures import FIGURE_BY_NAME, Figure
from sellersim.results.sweep import SweepResult

__all__ = ["build_sweep_report"]

MAX_ERRORS_LISTED = 200
EFFECT_COLUMNS = 4
"""Parameters side by side in a figure's effect chart before it wraps to another row."""
MAX_PAIRS_SHOWN = 3
"""Up to this many pairs of parameters are drawn at once; with more, a menu picks the pair."""
MAX_PANELS_PER_ROW = 3
"""Heat-map panels side by side before they wrap: a cell stays wide enough for its label."""
INDEX_ORDER = ("S1", "ST", "mu_star", "sigma")
INDEX_LABELS = {
    "S1": "S1 first-order",
    "ST": "ST total",
    "mu_star": "μ* mean |elementary effect|",
    "sigma": "σ spread of effects",
}
SWEEP_CSS = f"""
.kpis {{ margin-top: 14px; }}
.kpis dd {{ font-size: 16px; }}
.scroll {{ overflow-x: auto; }}
table.grid {{ border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }}
table.grid th, table.grid td {{ padding: 5px 12px 5px 0; border-bottom: 1px solid {GRID}; text-align: left;
  vertical-align: top; }}
table.grid thead th {{ color: {MUTED}; font-weight: 600; border-bottom: 2px solid {GRID}; }}
table.grid .num {{ text-align: right; }}
table.params {{ margin-top: 14px; }}
table.errors td {{ white-space: normal; }}
.errors-box {{ max-height: 420px; overflow: auto; }}
h3 {{ font-size: 14px; margin: 22px 0 4px; }}
h3:first-of-type {{ margin-top: 10px; }}
code {{ font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }}
.regions {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 14px; }}
.region {{ border: 1px solid {GRID}; border-radius: 6px; padding: 12px 16px; background: #fafafa; }}
.region h3 {{ margin: 0 0 6px; }}
.region p {{ margin: 0 0 8px; }}
.region .kpis {{ margin-top: 8px; grid-template-columns: repeat(2, 1fr); }}
.region .kpis dd {{ font-size: 14px; }}
.region .kpis .bad {{ color: {BAD}; }}
.conditions {{ display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0; list-style: none; }}
.conditions li {{ background: #fee2e2; color: {BAD}; border-radius: 4px; padding: 2px 8px; font-size: 12px; }}
.none {{ color: {GOOD}; }}
.legend-note {{ display: flex; gap: 18px; flex-wrap: wrap; color: {MUTED}; font-size: 12px; margin: -4px 0 8px; }}
.chip {{ display: inline-block; width: 22px; height: 10px; margin-right: 5px; vertical-align: -1px;
  border: 1px solid {INK}; }}
.chip.solid {{ background: {INK}; }}
.chip.light {{ background: rgba(31,41,55,0.25); }}
footer#meta {{ background: white; border: 1px solid {GRID}; border-radius: 8px; padding: 16px 24px;
  text-align: left; color: {INK}; font-size: 13px; }}
footer#meta h2 {{ font-size: 15px; margin-bottom: 8px; }}
footer#meta dl {{ display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 0; }}
footer#meta dt {{ color: {MUTED}; }}
footer#meta dd {{ margin: 0; }}
footer#meta .made {{ color: {MUTED}; font-size: 12px; margin: 12px 0 0; text-align: center; }}
"""


# ---------------------------------------------------------------- small helpers


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _axis_format(f: Figure) -> dict[str, Any]:
    """Tick and hover formats of a figure's values."""
    if f.unit == "share":
        return {"tickformat": ".0%", "hoverformat": ".1%"}
    if f.unit == "usd":
        return dict(MONEY_AXIS)
    return {"tickformat": "~s", "hoverformat": ",.1f"}


def _value_format(f: Figure) -> str:
    """A d3 format of one value of figure ``f`` in a hover template."""
    return {"share": ".0%", "usd": "$,.0f"}.get(f.unit, ",.1f")


def _figure_title(f: Figure) -> str:
    """A figure's axis title with its unit: ``Final cash ($)``, ``Survives the horizon (% of runs)``."""
    unit = {"usd": "$", "share": "% of runs", "hours": "h a week" if "weekly" in f.name else "h"}.get(f.unit, f.unit)
    return f"{f.label} ({unit})" if unit not in ("count", "units") else f.label


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class _Data:
    """The result, with the strategy order, colours, parameters and figures laid out for drawing."""

    result: SweepResult

    @cached_property
    def spec(self) -> SweepSpec:
        return self.result.spec

    @cached_property
    def summary(self) -> pd.DataFrame:
        s = self.result.summary
        return s if s is not None else pd.DataFrame(columns=["strategy", "status"])

    @cached_property
    def analysis(self) -> dict[str, Any]:
        return self.result.analysis or {}

    @cached_property
    def meta(self) -> dict[str, Any]:
        return self.result.meta or {}

    @cached_property
    def strategies(self) -> list[str]:
        """The strategies in the sweep file's order (the analysis' ``strategies``), then any other in the runs."""
        names = [str(s) for s in self.analysis.get("strategies", [])]
        extra = [str(s) for s in self.summary["strategy"].unique()] if len(self.summary) else []
        return list(dict.fromkeys([*names, *extra]))

    @cached_property
    def colors(self) -> dict[str, str]:
        """One colour per strategy, as in a comparison report (:func:`~sellersim.report.theme.strategy_colors`)."""
        return strategy_colors(self.strategies)

    def of(self, strategy: str) -> dict[str, Any]:
        found = self.analysis.get(strategy)
        return found if isinstance(found, dict) else {}

    @cached_property
    def parameters(self) -> list[Any]:
        return list(self.spec.parameters)

    @cached_property
    def paths(self) -> list[str]:
        return [p.path for p in self.parameters]

    def label(self, path: str) -> str:
        """A parameter's name in words."""
        return parameter(str(path)).name

    def unit(self, path: str) -> ParameterLabel:
        """A parameter's label, which also writes its values and its axis title."""
        return parameter(str(path))

    @cached_property
    def binned(self) -> bool:
        """Whether ranges were analysed in bins (random and quasi-random designs) or at the levels simulated."""
        return str(self.spec.design.kind) not in ("grid", "morris")

    def categories(self, path: str) -> list[str] | None:
        """A categorical parameter's levels as text, in the sweep file's order; None if numeric."""
        for p in self.parameters:
            if p.path == path and hasattr(p, "values") and not getattr(p, "numeric", True):
                return [str(v) for v in p.values]
        return None

    def listed(self, path: str) -> list[str] | None:
        """A parameter's listed levels (numbers or choices) as text, in the sweep file's order; None for a range."""
        for p in self.parameters:
            if p.path == path and hasattr(p, "values"):
                return [self.unit(path).value(v) for v in p.values]
        return None

    @cached_property
    def figures(self) -> list[Figure]:
        return [FIGURE_BY_NAME.get(n) or Figure(n, n.replace("_", " "), "units", True) for n in self.spec.figures]

    @cached_property
    def runs(self) -> int:
        given = self.meta.get("runs")
        return int(given) if finite(given) else len(self.summary)

    @cached_property
    def failed(self) -> pd.DataFrame:
        s = self.summary
        if s.empty or "status" not in s:
            return s.iloc[0:0]
        return s[s["status"] != "ok"]

    @cached_property
    def failed_count(self) -> int:
        given = self.meta.get("failed_runs")
        return int(given) if finite(given) else len(self.failed)

    @cached_property
    def points(self) -> int | None:
        s = self.summary
        return int(s["point"].nunique()) if "point" in s and len(s) else None

    def frame(self, strategy: str, kind: str, figure: str) -> Any:
        """One strategy's ``effects``/``pairs``/``sensitivity`` entry for ``figure`` (None if missing)."""
        block = self.of(strategy).get(kind) or {}
        return block.get(figure) if isinstance(block, dict) else None


def _levels(d: _Data, path: str, values: Any) -> list[Any]:
    """The distinct levels of a parameter, ordered: categories as listed, numbers ascending."""
    cats = d.categories(path)
    present = list(dict.fromkeys(values))
    if cats is not None or not all(_is_number(v) for v in present):
        text = [str(v) for v in present]
        order = [c for c in (cats or []) if c in text]
        return order + [t for t in text if t not in order]
    return sorted(float(v) for v in present)


def _is_categorical(d: _Data, path: str, values: Any) -> bool:
    return d.categories(path) is not None or not all(_is_number(v) for v in values)


# ---------------------------------------------------------------- charts


def _effects_chart(d: _Data, f: Figure) -> go.Figure | None:
    """The figure's mean against each parameter with its 95% interval, one panel per parameter.

    Numeric levels: a line with the interval as a band. Categories: each strategy's dot with
    whiskers, side by side around the category's tick.
    """
    frames = {s: d.frame(s, "effects", f.name) for s in d.strategies}
    frames = {s: e for s, e in frames.items() if isinstance(e, pd.DataFrame) and not e.empty}
    if not frames:
        return None
    found = [str(p) for e in frames.values() for p in e["parameter"].unique()]
    paths = list(dict.fromkeys([*(p for p in d.paths if p in found), *found]))
    cols = min(len(paths), EFFECT_COLUMNS)
    rows = math.ceil(len(paths) / cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        shared_yaxes="all",
        horizontal_spacing=0.035,
        vertical_spacing=0.25 / rows if rows > 1 else 0.0,
    )
    fmt = _value_format(f)
    legend_done: set[str] = set()
    width = 0.5 / max(len(frames), 1)  # each strategy's slot within a category
    for i, path in enumerate(paths):
        row, col = i // cols + 1, i % cols + 1
        title = esc(d.label(path))
        all_levels = pd.concat([e.loc[e["parameter"] == path, "level"] for e in frames.values()])
        categorical = _is_categorical(d, path, all_levels)
        order = _levels(d, path, all_levels)
        for j, (strategy, e) in enumerate(frames.items()):
            these = e[e["parameter"] == path]
            if these.empty:
                continue
            color = d.colors[strategy]
            key = these["level"].map(str) if categorical else these["level"].astype(float)
            these = these.assign(_key=key).dropna(subset=["_key"]).set_index("_key").reindex(order)
            mean, low, high, n = (these[c].to_numpy(dtype=float) for c in ("mean", "low", "high", "n"))
            if categorical:
                x = np.arange(len(order)) + (j - (len(frames) - 1) / 2) * width
                names = [label(v) for v in order]
            else:
                x = np.asarray(order, dtype=float)
                ends = zip(these["bin_low"], these["bin_high"], strict=True)
                names = [_level_text(d, path, lo, hi) for lo, hi in ends]
            common = {"legendgroup": strategy, "name": strategy, "row": row, "col": col}
            if not categorical and len(x) > 1:
                ok = np.isfinite(low) & np.isfinite(high)
                fig.add_scatter(
                    x=np.concatenate([x[ok], x[ok][::-1]]),
                    y=np.concatenate([high[ok], low[ok][::-1]]),
                    fill="toself",
                    fillcolor=rgba(color, 0.16),
                    line={"width": 0, "color": color},
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    **common,
                )
            whiskers = categorical or len(x) == 1
            fig.add_scatter(
                x=x,
                y=mean,
                mode="markers" if whiskers else "lines+markers",
                marker={"color": color, "size": 8 if whiskers else 7, "line": {"color": "white", "width": 1}},
                line={"color": color, "width": 2},
                error_y=(
                    {
                        "type": "data",
                        "symmetric": False,
                        "array": np.nan_to_num(high - mean),
                        "arrayminus": np.nan_to_num(mean - low),
                        "color": color,
                        "thickness": 2,
                        "width": 6,
                    }
                    if whiskers
                    else None
                ),
                customdata=np.column_stack([low, high, n, np.asarray(names, dtype=object)]),
                hovertemplate=f"<b>{esc(strategy)}</b><br>{title} %{{customdata[3]}}: <b>%{{y:{fmt}}}</b><br>"
                f"95%: %{{customdata[0]:{fmt}}} to %{{customdata[1]:{fmt}}}<br>n = %{{customdata[2]:,.0f}} runs"
                "<extra></extra>",
                showlegend=strategy not in legend_done,
                **common,
            )
            legend_done.add(strategy)
        span = next((p for p in d.parameters if p.path == path and hasattr(p, "low")), None)
        if span is not None and not categorical:
            pad = (span.high - span.low) * 0.03
            fig.update_xaxes(range=[span.low - pad, span.high + pad], row=row, col=col)
        if categorical:
            fig.update_xaxes(
                tickvals=list(range(len(order))),
                ticktext=[esc(v) for v in order],
                range=[-0.5, len(order) - 0.5],
                showgrid=False,
                row=row,
                col=col,
            )
        elif not d.binned or d.listed(path) is not None:  # ticks at the levels simulated, and only there
            fig.update_xaxes(tickvals=list(order), ticktext=[d.unit(path).value(v) for v in order], row=row, col=col)
        fig.update_xaxes(title_text=d.unit(path).axis, row=row, col=col)
    axis = _axis_format(f)
    if f.unit == "share":
        fig.update_yaxes(range=[0, 1.04], **axis)
    else:
        fig.update_yaxes(rangemode="normal", **axis)
    for r in range(1, rows + 1):
        fig.update_yaxes(title_text=_figure_title(f), row=r, col=1)
    fig.update_layout(
        template=TEMPLATE,
        height=130 + 290 * rows,
        hovermode="closest",
        margin={"t": 20, "b": 60},
        legend={"y": -0.4 / rows if rows > 1 else -0.25},
    )
    return fig


def _level_text(d: _Data, path: str, low: Any, high: Any) -> str:
    """A level of a parameter as a hover shows it: the value simulated, or a bin's range ``$0.60 to $0.80``."""
    unit = d.unit(path)
    if isinstance(low, str) or low == high or not (finite(low) and finite(high)):
        return unit.value(low)
    return interval(low, high, unit.value)


def _pair_key(frame: pd.DataFrame) -> tuple[str, str] | None:
    if frame is None or frame.empty:
        return None
    return str(frame["p1"].iloc[0]), str(frame["p2"].iloc[0])


def _colour_axis(f: Figure, values: np.ndarray) -> dict[str, Any]:
    """One colour scale for every heat map of a figure: red-to-green shares, diverging money around zero.

    Its ends are set (not left to plotly.js), so each cell's colour, and the label written on it, is known here.
    """
    scale: dict[str, Any] = {"colorbar": {"title": {"text": _figure_title(f), "side": "right"}, "thickness": 14}}
    finite = values[np.isfinite(values)]
    fmt = _axis_format(f)["tickformat"]
    scale["colorbar"]["tickformat"] = fmt
    if f.unit == "share":
        return scale | {"colorscale": [[0, BAD], [0.5, "#fde68a"], [1, GOOD]], "cmin": 0, "cmax": 1}
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if low < 0 < high:
        top = max(-low, high)
        return scale | {"colorscale": "RdBu", "cmin": -top, "cmax": top}
    if low == high:  # one value: it sits mid-scale
        low, high = low - 0.5, high + 0.5
    return scale | {"colorscale": "Viridis", "cmin": low, "cmax": high}


def _heatmap(d: _Data, f: Figure, strategy: str, frame: pd.DataFrame) -> go.Heatmap:
    p1, p2 = _pair_key(frame) or ("", "")
    xcat, ycat = _pair_axis_is_category(d, p1), _pair_axis_is_category(d, p2)
    xs, fx = _pair_levels(d, p1, frame["x"], xcat)
    ys, fy = _pair_levels(d, p2, frame["y"], ycat)
    cells = frame.assign(_x=fx, _y=fy)
    z = cells.pivot_table(index="_y", columns="_x", values="mean", aggfunc="mean").reindex(index=ys, columns=xs)
    n = cells.pivot_table(index="_y", columns="_x", values="n", aggfunc="sum").reindex(index=ys, columns=xs)
    fmt = _value_format(f)
    return go.Heatmap(
        x=xs if xcat else np.asarray(xs, dtype=float),
        y=ys if ycat else np.asarray(ys, dtype=float),
        z=z.to_numpy(dtype=float),
        customdata=n.to_numpy(dtype=float),
        coloraxis="coloraxis",
        name=strategy,
        legendgroup=strategy,
        xgap=1,
        ygap=1,
        hovertemplate=f"<b>{esc(strategy)}</b><br>{esc(d.label(p1))} %{{x}}<br>{esc(d.label(p2))} %{{y}}"
        f"<br>{esc(f.label)}: %{{z:{fmt}}}<br>n = %{{customdata:,.0f}} runs<extra></extra>",
    )


def _short_value(f: Figure, value: float) -> str:
    """A cell's value in a few characters: ``85%``, ``$41k``, ``−$3.2k``, ``12``."""
    if not math.isfinite(value):
        return ""
    return {"share": share, "usd": money}.get(f.unit, lambda v: number(v, 1))(value)


def _cell_colours(values: np.ndarray, axis: dict[str, Any]) -> list[str]:
    """The colour each of ``values`` gets on the colour axis ``axis`` (its scale and its ends)."""
    scale = go.layout.Coloraxis(colorscale=axis["colorscale"]).colorscale  # a named scale as its stops
    low, high = float(axis["cmin"]), float(axis["cmax"])
    return [scale_colour(scale, (float(v) - low) / (high - low)) for v in values]


def _cell_text(
    x: Sequence[Any], y: Sequence[Any], text: Sequence[str], cells: Sequence[str], **trace: Any
) -> go.Scatter:
    """Labels written in heat-map cells at (``x``, ``y``), each white or black, whichever reads better on the
    colour of its cell (``cells``)."""
    return go.Scatter(
        x=list(x),
        y=list(y),
        text=list(text),
        mode="text",
        textfont={"size": 11, "color": [label_colour(c) for c in cells]},
        hoverinfo="skip",
        showlegend=False,
        **trace,
    )


def _cell_labels(heat: go.Heatmap, f: Figure, axis: dict[str, Any]) -> go.Scatter:
    """Each cell's mean written in it, in the colour that reads on the cell's colour."""
    z = np.asarray(heat.z, dtype=float)
    rows, cols = np.nonzero(np.isfinite(z))
    return _cell_text(
        np.asarray(heat.x, dtype=object)[cols],
        np.asarray(heat.y, dtype=object)[rows],
        [_short_value(f, v) for v in z[rows, cols]],
        _cell_colours(z[rows, cols], axis),
        name=heat.name,
        legendgroup=heat.legendgroup,
    )


def _pair_axis_is_category(d: _Data, path: str) -> bool:
    """Listed levels and a grid's levels sit evenly on a heat map's axis; bins of a range on a number line."""
    return d.listed(path) is not None or not d.binned


def _pair_levels(d: _Data, path: str, values: pd.Series, category: bool) -> tuple[list[Any], pd.Series]:
    """The ordered levels of one heat-map axis and each cell's level, as text (in the parameter's unit) on a
    category axis."""
    ordered = _levels(d, path, values)
    if not category:
        return ordered, values.astype(float)
    if _is_categorical(d, path, values):
        return ordered, values.map(str)
    names = _distinct([d.unit(path).value(v) for v in ordered], ordered)
    lookup = dict(zip(ordered, names, strict=True))
    return names, values.map(lambda v: lookup[float(v)])


def _axis_name(letter: str, k: int) -> str:
    return f"{letter}axis" if k == 1 else f"{letter}axis{k}"


def _pairs_chart(d: _Data, f: Figure) -> go.Figure | None:
    """Heat maps of the figure's mean over pairs of parameters, one panel per strategy (and pair)."""
    by_pair: dict[tuple[str, str], dict[str, pd.DataFrame]] = {}
    for strategy in d.strategies:
        for frame in d.frame(strategy, "pairs", f.name) or []:
            key = _pair_key(frame) if isinstance(frame, pd.DataFrame) else None
            if key is not None:
                by_pair.setdefault(key, {})[strategy] = frame
    if not by_pair:
        return None
    pairs = list(by_pair)
    strategies = [s for s in d.strategies if any(s in v for v in by_pair.values())]
    menu = len(pairs) > MAX_PAIRS_SHOWN
    # Panels: (pair, strategy, panel number); with a menu every pair reuses the same panels.
    if menu:
        cols = min(len(strategies), MAX_PANELS_PER_ROW)
        slots = len(strategies)
        place = {(p, s): j for p in pairs for j, s in enumerate(strategies)}
        titles = list(strategies)
    else:
        cols = min(len(strategies) if len(strategies) > 1 else len(pairs), MAX_PANELS_PER_ROW)
        slots = len(pairs) * len(strategies)
        place = {(p, s): i * len(strategies) + j for i, p in enumerate(pairs) for j, s in enumerate(strategies)}
        titles = (
            [s for _ in pairs for s in strategies]
            if len(strategies) > 1
            else [f"{d.label(a)} × {d.label(b)}" for a, b in pairs]
        )
    rows = math.ceil(slots / cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        horizontal_spacing=0.09 if cols > 1 else 0.0,
        vertical_spacing=0.3 / rows if rows > 1 else 0.0,
    )
    allmeans = np.concatenate([frame["mean"].to_numpy(dtype=float) for v in by_pair.values() for frame in v.values()])
    colours = _colour_axis(f, allmeans)
    visible_by_pair: dict[tuple[str, str], list[bool]] = {}
    traces: list[tuple[tuple[str, str], int]] = []
    for pair in pairs:
        for strategy in strategies:
            frame = by_pair[pair].get(strategy)
            if frame is None:
                continue
            slot = place[pair, strategy]
            heat = _heatmap(d, f, strategy, frame)
            for trace in (heat, _cell_labels(heat, f, colours)):
                trace.visible = True if not menu else pair == pairs[0]
                fig.add_trace(trace, row=slot // cols + 1, col=slot % cols + 1)
                traces.append((pair, slot))
    for pair in pairs:
        visible_by_pair[pair] = [p == pair for p, _ in traces]

    def axes(pair: tuple[str, str], slot: int) -> dict[str, Any]:
        k = slot + 1
        out = {}
        for letter, path in zip("xy", pair, strict=True):
            name = _axis_name(letter, k)
            cat = _pair_axis_is_category(d, path)
            out[f"{name}.title.text"] = d.unit(path).axis
            out[f"{name}.type"] = "category" if cat else "linear"
            out[f"{name}.autorange"] = True
        return out

    layout_for = {pair: {} for pair in pairs}
    for pair in pairs:
        for p, slot in traces:
            if p == pair or menu:
                layout_for[pair].update(axes(pair, slot))
    for key, value in layout_for[pairs[0]].items() if menu else ():
        fig.update_layout({key: value})
    if not menu:
        for pair, slot in traces:
            fig.update_layout(axes(pair, slot))
    else:
        fig.update_layout(
            updatemenus=[
                {
                    "type": "dropdown",
                    "direction": "down",
                    "x": 0,
                    "xanchor": "left",
                    "y": 1.0 + 70 / (140 + 330 * rows),
                    "yanchor": "bottom",
                    "showactive": True,
                    "bgcolor": "white",
                    "bordercolor": "#9ca3af",
                    "font": {"size": 12},
                    "buttons": [
                        {
                            "label": f"{d.label(a)} × {d.label(b)}",
                            "method": "update",
                            "args": [{"visible": visible_by_pair[(a, b)]}, layout_for[(a, b)]],
                        }
                        for a, b in pairs
                    ],
                }
            ]
        )
    fig.update_layout(
        template=TEMPLATE,
        coloraxis=colours,
        height=(140 if menu else 80) + 330 * rows,
        hovermode="closest",
        margin={"t": 90 if menu else 40, "b": 56, "r": 24},
    )
    fig.update_xaxes(showgrid=False, ticks="outside")
    fig.update_yaxes(showgrid=False, rangemode="normal")
    fig.update_annotations(font={"size": 12})
    for strategy in strategies:
        # Colour each panel title like its strategy.
        for ann in fig.layout.annotations:
            if ann.text == strategy:
                ann.font.color = d.colors[strategy]
    return fig


def _index_names(frames: dict[str, pd.DataFrame]) -> list[str]:
    found = list(dict.fromkeys(str(i) for e in frames.values() for i in e["index"]))
    return [i for i in INDEX_ORDER if i in found] + [i for i in found if i not in INDEX_ORDER]


def _sensitivity_chart(d: _Data, f: Figure) -> go.Figure | None:
    """Sobol (S1, ST) or Morris (μ*, σ) indices per parameter, one panel per strategy, with error bars."""
    frames = {s: d.frame(s, "sensitivity", f.name) for s in d.strategies}
    frames = {s: e for s, e in frames.items() if isinstance(e, pd.DataFrame) and not e.empty}
    if not frames:
        return None
    names = _index_names(frames)
    strategies = list(frames)
    cols = min(len(strategies), 3)
    rows = math.ceil(len(strategies) / cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        shared_yaxes=True,
        subplot_titles=strategies,
        horizontal_spacing=0.03,
        vertical_spacing=0.25 / rows if rows > 1 else 0.0,
    )
    paths = list(
        dict.fromkeys([*[p for p in d.paths if any((e["parameter"] == p).any() for e in frames.values())],
                       *[str(p) for e in frames.values() for p in e["parameter"]]])
    )  # fmt: skip
    labels = [d.label(p) for p in paths]
    morris = any(n in ("mu_star", "sigma") for n in names)
    fmt = _value_format(f) if morris else ".2f"
    for i, strategy in enumerate(strategies):
        e = frames[strategy]
        color = d.colors[strategy]
        for j, name in enumerate(names):
            these = e[e["index"].map(str) == name].assign(parameter=lambda t: t["parameter"].map(str))
            these = these.set_index("parameter").reindex(paths)
            value, conf = these["value"].to_numpy(dtype=float), these["conf"].to_numpy(dtype=float)
            fig.add_bar(
                x=value,
                y=labels,
                orientation="h",
                name=INDEX_LABELS.get(name, name),
                legendgroup=name,
                showlegend=False,
                marker={
                    "color": color if j == 0 else rgba(color, max(0.2, 0.45 - 0.1 * (j - 1))),
                    "line": {"color": color, "width": 1},
                },
                error_x={
                    "type": "data",
                    "array": np.nan_to_num(conf),
                    "visible": bool(np.isfinite(conf).any()),
                    "color": INK,
                    "thickness": 1.2,
                    "width": 3,
                },
                customdata=np.column_stack([conf, np.asarray(paths, dtype=object)]),
                hovertemplate=f"<b>{esc(strategy)}</b> · %{{customdata[1]}}<br>{esc(INDEX_LABELS.get(name, name))}:"
                f" %{{x:{fmt}}} ± %{{customdata[0]:{fmt}}}<extra></extra>",
                row=i // cols + 1,
                col=i % cols + 1,
            )
    axis = _axis_format(f) if morris else {"tickformat": ".2~f", "hoverformat": ".2f"}
    fig.update_xaxes(rangemode="tozero", zeroline=True, zerolinecolor="#9ca3af", matches="x", **axis)
    fig.update_xaxes(title_text=f"{f.label} (μ*, σ)" if morris else "share of variance", row=rows)
    fig.update_yaxes(autorange="reversed", type="category", rangemode="normal")
    fig.update_layout(
        template=TEMPLATE,
        barmode="group",
        bargap=0.25,
        bargroupgap=0.05,
        hovermode="closest",
        height=max(240, 90 + len(paths) * len(names) * 16) * rows + 60,
        margin={"t": 40, "b": 48},
    )
    for ann in fig.layout.annotations:
        if ann.text in d.colors:
            ann.font = {"color": d.colors[ann.text], "size": 12}
    return fig


# ---------------------------------------------------------------- html blocks


def _strategy(d: _Data, strategy: str) -> dict[str, Any]:
    """What a list or table shows of a strategy: its name and colour."""
    return {"name": strategy, "color": d.colors.get(strategy, MUTED)}


def _design_text(d: _Data) -> str:
    design = d.spec.design
    kind = str(design.kind)
    detail = {
        "grid": f"{design.levels} levels per range",
        "random": f"{design.samples:,} samples",
        "lhs": f"{design.samples:,} samples",
        "sobol": f"{design.samples:,} base samples",
        "morris": f"{design.samples:,} trajectories on {design.levels} levels",
    }.get(kind, "")
    return f"{kind} ({detail})" if detail else kind


def _parameter_range(d: _Data, p: Any) -> str:
    unit = d.unit(p.path)
    if hasattr(p, "values"):
        kind = "levels" if getattr(p, "numeric", True) else "choices"
        return f"{kind}: " + ", ".join(unit.value(v) for v in p.values)
    span = interval(p.low, p.high, unit.value)
    if not d.binned:  # a grid (or Morris design) runs a range at a few levels: name them
        found = d.summary[p.path].dropna().unique() if p.path in d.summary else []
        levels = ", ".join(unit.value(v) for v in sorted(float(v) for v in found))
        return f"range: {span}, simulated at {levels}" if levels else f"range: {span}"
    return f"range: {span}{' (whole numbers)' if getattr(p, 'integer', False) else ''}"


def _header(d: _Data) -> dict[str, Any]:
    """The sweep's name and description, the headline sentences, the strategies, key figures and parameters."""
    spec = d.spec
    files = {Path(str(f)).stem: str(f) for f in spec.strategies}
    failed = d.failed_count
    return {
        "name": spec.name,
        "description": getattr(spec, "description", ""),
        "sentences": d.analysis.get("sentences") or [],
        "strategies": [_strategy(d, s) | {"file": files.get(s, s)} for s in d.strategies],
        "files": [str(f) for f in spec.strategies],
        "kpis": {
            "Design": _design_text(d),
            "Parameter points": f"{d.points:,}" if d.points is not None else DASH,
            "Replications": f"{int(spec.replications):,} per point",
            "Runs": f"{d.runs:,}",
            "Failed runs": f"{failed:,}" + (f" ({failed / d.runs:.1%})" if d.runs and failed else ""),
            "Figures": f"{len(d.figures)}",
        }.items(),
        "parameters": [(d.label(p.path), p.path, _parameter_range(d, p)) for p in d.parameters],
    }


def _chart_blocks(d: _Data, key: str, draw: Any, empty: str) -> Block:
    """A chart per figure, under the figure's name; ``empty`` when no figure has one."""
    charts = []
    for k, f in enumerate(d.figures):
        fig = draw(d, f)
        if fig is not None:
            charts.append((f.label, plot_div(fig, f"fig-{key}-{k}")))
    return Block("charts", {"charts": charts, "empty": empty})


def _effects(d: _Data) -> Block:
    return _chart_blocks(d, "effects", _effects_chart, "No effects were computed (no run finished).")


def _pairs(d: _Data) -> Block:
    return _chart_blocks(d, "pairs", _pairs_chart, "No pairs of parameters to show (a single parameter was varied).")


def _sensitivity(d: _Data) -> Block:
    kind = str(d.spec.design.kind)
    if kind not in ("sobol", "morris") and not any(d.of(s).get("sensitivity") for s in d.strategies):
        return Block("no_sensitivity", kind)
    charts = _chart_blocks(d, "sensitivity", _sensitivity_chart, "No sensitivity indices were computed.")
    return Block("sensitivity", charts.values | {"morris": kind == "morris"})


def _failure(d: _Data) -> Block:
    """A card per strategy: the region where it runs out of cash most, its bounds as chips, and n, density and
    coverage as scenario discovery reports them."""
    cards = []
    for strategy in d.strategies:
        region = d.of(strategy).get("failure_region")
        card: dict[str, Any] = {"strategy": _strategy(d, strategy), "region": region}
        if not region:
            survived = _survival_share(d, strategy)
            card["fails"] = share(1 - survived) if finite(survived) else None
        else:
            # The chips are the sentence's own bounds, so both say the same value rounded the same way.
            card |= {
                "runs": f"{region['n']:,} of {region['runs']:,}",
                "density": share(region["density"]),
                "failing": f"{region['failures']:,} of {region['n']:,}",
                "coverage": f"{share(region['coverage'])} ({region['failures']:,} of {region['total_failures']:,})",
                "overall": share(region["overall_density"]),
            }
        cards.append(card)
    return Block("failure", cards)


UNCLEAR, NONE_SAFE = "#d1d5db", "#ffffff"  # cells with no clear winner, and cells where nobody is safe enough


def _distinct(labels: list[str], values: Sequence[Any]) -> list[str]:
    """``labels``, or the values written out in full where rounding made two labels alike."""
    return labels if len(set(labels)) == len(labels) else [str(v) for v in values]


def _verdict_chart(d: _Data, frame: pd.DataFrame) -> go.Figure:
    """The winner of each cell in its strategy's colour: the first parameter across, the others down."""
    paths = [p.path for p in d.parameters]
    # Cells are placed by the levels' own values, in the grid's order; labels only name them.
    col, xs = pd.factorize(frame[paths[0]])
    rest = pd.Series(list(zip(*(frame[p] for p in paths[1:]), strict=True)), dtype=object)
    row, ys = pd.factorize(rest)
    x_text = _distinct([d.unit(paths[0]).value(v) for v in xs], xs)
    y_text = _distinct([", ".join(d.unit(p).value(v) for p, v in zip(paths[1:], key, strict=True)) for key in ys], ys)
    strategies = d.strategies
    unclear, none = len(strategies), len(strategies) + 1
    colours = [d.colors[s] for s in strategies] + [UNCLEAR, NONE_SAFE]
    k = len(colours)
    scale = [[pos, c] for i, c in enumerate(colours) for pos in (i / k, (i + 1) / k)]
    f = FIGURE_BY_NAME[frame.attrs["figure"]]
    z = np.full((len(ys), len(xs)), np.nan)
    text = np.full((len(ys), len(xs)), "", dtype=object)
    for r, c, w, m, clear in zip(row, col, frame["winner"], frame["margin"], frame["clear"], strict=True):
        z[r, c] = none if w is None else strategies.index(w) if clear else unclear
        margin = "+" + _short_value(f, m) if finite(m) else "the only one safe"
        text[r, c] = "nobody safe enough" if w is None else f"{esc(w)}<br>{margin}" + ("" if clear else " (unclear)")
    heat = go.Heatmap(
        x=x_text,
        y=y_text,
        z=z,
        text=text,
        colorscale=scale,
        zmin=-0.5,
        zmax=k - 0.5,
        showscale=False,
        xgap=2,
        ygap=2,
        hovertemplate="%{text}<extra></extra>",
    )
    cells = [colours[int(z[r, c])] for r, c in zip(row, col, strict=True)]
    fig = go.Figure([heat, _cell_text([x_text[c] for c in col], [y_text[r] for r in row], text[row, col], cells)])
    fig.update_layout(
        template=TEMPLATE,
        height=140 + 70 * len(ys),
        margin={"l": 10, "r": 10, "t": 10, "b": 60},
        xaxis={"title": {"text": d.unit(paths[0]).axis}, "type": "category"},
        yaxis={"title": {"text": ", ".join(d.unit(p).axis for p in paths[1:])}, "type": "category"},
    )
    return fig


def _lower_first(text: str) -> str:
    """``"Final cash"`` -> ``"final cash"``, for a figure's name inside a sentence."""
    return text[:1].lower() + text[1:]


def _verdict(d: _Data) -> Block:
    frame = d.analysis.get("verdict")
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        return Block("verdict", None)
    f = FIGURE_BY_NAME[frame.attrs["figure"]]
    return Block(
        "verdict",
        {
            "figure": _lower_first(f.label),
            "limit": f"{frame.attrs['max_failure_share']:.0%}",
            "chart": plot_div(_verdict_chart(d, frame), "verdict-map"),
            "sentences": [s for s in d.analysis.get("sentences", []) if str(s).startswith("At ")],
        },
    )


def _difference_traces(d: _Data, f: Figure, frame: pd.DataFrame, axis: dict[str, Any]) -> list[go.BaseTraceType]:
    """One A-minus-B map: cells with a clear difference coloured by it, the others grey and labelled so."""
    p1, p2, a, b = (str(frame[c].iloc[0]) for c in ("p1", "p2", "a", "b"))
    xcat, ycat = _pair_axis_is_category(d, p1), _pair_axis_is_category(d, p2)
    xs, fx = _pair_levels(d, p1, frame["x"], xcat)
    ys, fy = _pair_levels(d, p2, frame["y"], ycat)
    cells = frame.assign(_x=fx, _y=fy, clear=frame["clear"].astype(float))

    def grid(column: str) -> np.ndarray:
        table = cells.pivot_table(index="_y", columns="_x", values=column, aggfunc="first", dropna=False)
        return table.reindex(index=ys, columns=xs).to_numpy(dtype=float)

    diff, low, high, pairs, clear = (grid(c) for c in ("diff", "low", "high", "pairs", "clear"))
    clear = clear == 1
    unclear = ~clear & np.isfinite(diff)
    x = xs if xcat else np.asarray(xs, dtype=float)
    y = ys if ycat else np.asarray(ys, dtype=float)
    fmt = _value_format(f)
    hover = (
        f"<b>{label(a)} − {label(b)}</b><br>{esc(d.label(p1))} %{{x}}<br>{esc(d.label(p2))} %{{y}}<br>"
        f"{esc(f.label)}: %{{customdata[0]:{fmt}}}<br>95% interval %{{customdata[1]:{fmt}}} to"
        f" %{{customdata[2]:{fmt}}}<br>%{{customdata[3]:,.0f}} paired runs"
    )
    custom = np.dstack([diff, low, high, pairs])
    common = {"x": x, "y": y, "customdata": custom, "xgap": 2, "ygap": 2, "name": f"{a} − {b}"}
    coloured = go.Heatmap(
        z=np.where(clear, diff, np.nan), coloraxis="coloraxis", hovertemplate=hover + "<extra></extra>", **common
    )
    grey = go.Heatmap(
        z=np.where(unclear, 0.0, np.nan),
        colorscale=[[0, UNCLEAR], [1, UNCLEAR]],
        showscale=False,
        hovertemplate=hover + "<br>no clear difference<extra></extra>",
        **common,
    )
    rows, cols = np.nonzero(clear | unclear)
    text = _cell_text(
        [x[c] for c in cols],
        [y[r] for r in rows],
        [
            _signed_value(f, diff[r, c]) if clear[r, c] else "no clear<br>difference"
            for r, c in zip(rows, cols, strict=True)
        ],
        np.where(clear[rows, cols], _cell_colours(diff[rows, cols], axis), UNCLEAR),
        name=f"{a} − {b}",
    )
    return [coloured, grey, text]


def _signed_value(f: Figure, value: float) -> str:
    """A difference as a cell shows it: ``+$4.4k``, ``−12 pts``."""
    return money(value, sign=True) if f.unit == "usd" else number(value, 1, sign=True)


def _versus_chart(d: _Data) -> go.Figure | None:
    """Strategy A minus strategy B per cell of two parameters; a menu picks the pair of strategies and parameters."""
    block = d.analysis.get("differences") or {}
    maps = [m for m in block.get("maps", []) if isinstance(m, pd.DataFrame) and not m.empty]
    if not maps:
        return None
    f = FIGURE_BY_NAME[block["figure"]]
    values = np.concatenate([m.loc[m["clear"], "diff"].to_numpy(dtype=float) for m in maps])
    top = float(np.nanmax(np.abs(values))) if values.size and np.isfinite(values).any() else 1.0
    axis = {"colorscale": "RdBu", "cmin": -top, "cmax": top}
    fig = go.Figure()
    visible: list[list[bool]] = []
    layouts: list[dict[str, Any]] = []
    for k, frame in enumerate(maps):
        for trace in _difference_traces(d, f, frame, axis):
            trace.visible = k == 0
            fig.add_trace(trace)
        visible.append([j // 3 == k for j in range(3 * len(maps))])
        p1, p2 = str(frame["p1"].iloc[0]), str(frame["p2"].iloc[0])
        layouts.append(
            {
                "xaxis.title.text": d.unit(p1).axis,
                "xaxis.type": "category" if _pair_axis_is_category(d, p1) else "linear",
                "yaxis.title.text": d.unit(p2).axis,
                "yaxis.type": "category" if _pair_axis_is_category(d, p2) else "linear",
                "coloraxis.colorbar.title.text": f"{frame['a'].iloc[0]} − {frame['b'].iloc[0]} ({_figure_title(f)})",
            }
        )
    fig.update_layout(
        template=TEMPLATE,
        height=520,
        hovermode="closest",
        margin={"t": 70, "b": 60, "r": 24},
        coloraxis=axis | {"colorbar": {"thickness": 14, "tickformat": _axis_format(f)["tickformat"]}},
    )
    fig.update_layout(layouts[0])
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(showgrid=False, rangemode="normal")
    if len(maps) > 1:
        buttons = [
            {
                "label": f"{m['a'].iloc[0]} − {m['b'].iloc[0]}: "
                f"{d.label(m['p1'].iloc[0])} × {d.label(m['p2'].iloc[0])}",
                "method": "update",
                "args": [{"visible": visible[k]}, layouts[k]],
            }
            for k, m in enumerate(maps)
        ]
        fig.update_layout(
            updatemenus=[{"type": "dropdown", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
                          "bgcolor": "white", "bordercolor": "#9ca3af", "font": {"size": 12}, "buttons": buttons}]
        )  # fmt: skip
    return fig


def _versus(d: _Data) -> Block:
    fig = _versus_chart(d)
    if fig is None:
        return Block("versus", None)
    f = FIGURE_BY_NAME[d.analysis["differences"]["figure"]]
    return Block("versus", {"figure": _lower_first(f.label), "chart": plot_div(fig, "versus-map")})


def _survival_share(d: _Data, strategy: str) -> float:
    s = d.summary
    if "survived" not in s or s.empty:
        return math.nan
    ok = s[(s["strategy"] == strategy) & (s["status"] == "ok")]["survived"]
    return float(ok.astype(float).mean()) if len(ok) else math.nan


def _errors(d: _Data) -> Block:
    failed = d.failed
    if failed.empty:
        return Block("errors", {"total": f"{d.runs:,}", "rows": []})
    shown = failed.head(MAX_ERRORS_LISTED)
    paths = [p for p in d.paths if p in shown.columns]
    rows = []
    for r in shown.to_dict("records"):
        error = r.get("error")
        rows.append(
            {
                "strategy": _strategy(d, str(r.get("strategy", ""))),
                "point": r.get("point", DASH),
                "replication": r.get("replication", DASH),
                "seed": r.get("seed", DASH),
                "parameters": ", ".join(f"{d.label(p)} {d.unit(p).value(r[p])}" for p in paths),
                "error": error if isinstance(error, str) and error else "no error message",
            }
        )
    more = f"{len(failed) - len(shown):,}" if len(failed) > len(shown) else None
    return Block("errors", {"failed": f"{len(failed):,}", "total": f"{d.runs:,}", "rows": rows, "more": more})


def _software(meta: dict[str, Any]) -> dict[str, Any]:
    found = meta.get("software") or meta.get("versions") or {}
    found = dict(found) if isinstance(found, dict) else {}
    for key, value in meta.items():
        if key.endswith("_version"):
            found.setdefault(key.removesuffix("_version"), value)
    return found


def _footer(d: _Data) -> dict[str, Any]:
    """How the sweep ran: runs, speed, workers, memory, time, seed and software."""
    m = d.meta
    rate = m.get("runs_per_second")
    workers = m.get("workers")
    efficiency = m.get("efficiency")
    memory = m.get("peak_memory_mb")
    software = _software(m)
    return {
        "runs": f"{d.runs:,} ({d.failed_count:,} failed)",
        "speed": f"{float(rate):,.1f} runs per second" if finite(rate) else DASH,
        "workers": f"{workers} on the {m.get('backend', DASH)} backend" if workers is not None else DASH,
        "efficiency": f"{float(efficiency):.0%}" if finite(efficiency) else "not measured",
        "memory": f"{float(memory):,.0f} MB" if finite(memory) else DASH,
        "run_time": duration(m.get("run_seconds")),
        "started": m.get("started", DASH),
        "seed": d.spec.seed,
        "software": list(software.items()),
        "interrupted": bool(m.get("interrupted")),
        "version": software.get("sellersim", ""),
    }


SECTIONS: tuple[tuple[str, str, str, Any], ...] = (
    ("verdict", "Which strategy wins where", "", _verdict),
    ("versus", "Strategy against strategy", "", _versus),
    (
        "effects",
        "Effects of each parameter",
        "Mean of each figure over the runs at each level of a parameter (all other parameters varying),"
        " with its 95% interval as a band or whiskers. Panels share the vertical scale, so steeper means"
        " stronger. Click a strategy in the legend to hide it.",
        _effects,
    ),
    (
        "pairs",
        "Pairs of parameters",
        "Mean of the figure in each cell of two parameters; hover a cell for the number of runs behind it."
        " All heat maps of a figure share one colour scale.",
        _pairs,
    ),
    (
        "sensitivity",
        "Sensitivity",
        "How much of each figure's variation each parameter explains.",
        _sensitivity,
    ),
    (
        "failure",
        "Where strategies fail",
        "The region of the parameters where each strategy runs out of cash most often.",
        _failure,
    ),
    ("errors", "Failed runs", "", _errors),
)


def build_sweep_report(result: SweepResult, data_files: tuple[str, ...] = ()) -> str:
    """The sweep report as a self-contained HTML page."""
    d = _Data(result)
    return render_page(
        "sweep_report.html.j2",
        title=f"SellerSim sweep: {d.spec.name}",
        css=PAGE_CSS + SUMMARY_CSS + SWEEP_CSS,
        data_files=data_files,
        header=_header(d),
        nav=[*((key, name) for key, name, _, _ in SECTIONS), ("meta", "How it ran")],
        sections=[(key, name, note, draw(d)) for key, name, note, draw in SECTIONS],
        footer=_footer(d),
    )
