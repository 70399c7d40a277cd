"""Shared look of SellerSim reports: chart template, colours, event markers, readable cell labels and page CSS."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from typing import Any, Final, NamedTuple

import numpy as np
import plotly.graph_objects as go

PALETTE: Final[tuple[str, ...]] = (
    "#4C78A8",
    "#F58518",
    "#54A24B",
    "#E45756",
    "#72B7B2",
    "#B279A2",
    "#EECA3B",
    "#FF9DA6",
    "#9D755D",
    "#BAB0AC",
    "#2F4B7C",
    "#A05195",
)
"""Qualitative colours, cycled for roles, domains and products."""

INK: Final = "#1f2937"
MUTED: Final = "#6b7280"
GRID: Final = "#e5e7eb"
GOOD: Final = "#15803d"
BAD: Final = "#b91c1c"

TEMPLATE: Final = go.layout.Template(
    layout={
        "font": {
            "family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
            "size": 12,
            "color": INK,
        },
        "colorway": list(PALETTE),
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 64, "r": 24, "t": 36, "b": 40},
        "hovermode": "x unified",
        "hoverlabel": {"font": {"size": 12}, "namelength": -1},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0, "font": {"size": 11}},
        "xaxis": {"gridcolor": GRID, "linecolor": "#9ca3af", "zeroline": False, "ticks": "outside"},
        "yaxis": {
            "gridcolor": GRID,
            "linecolor": "#9ca3af",
            "zerolinecolor": "#9ca3af",
            "rangemode": "tozero",
            "automargin": True,
        },
    }
)
"""A small template: plotly's built-in ones add ~10 kB of unused styling to every figure."""


class EventStyle(NamedTuple):
    """How one kind of run event is drawn on a time axis."""

    label: str
    color: str
    symbol: str


EVENT_STYLES: Final[dict[str, EventStyle]] = {
    "launch": EventStyle("Launch", "#16a34a", "triangle-up"),
    "hire": EventStyle("Hire", "#2563eb", "circle"),
    "quit": EventStyle("Quit", "#dc2626", "x"),
    "suspension": EventStyle("Suspension", "#d97706", "diamond"),
    "reinstated": EventStyle("Reinstated", "#0d9488", "diamond-open"),
    "listing_closed": EventStyle("Listing closed", "#b45309", "square"),
    "listing_reopened": EventStyle("Listing reopened", "#0d9488", "square-open"),
    "failure": EventStyle("Failure", "#111827", "star"),
}
"""Event kinds marked on the run report's cash chart, top to bottom."""

MONEY_AXIS: Final = {"tickformat": "$~s", "hoverformat": "$,.0f"}
"""Axis settings of a money axis: $40k ticks, $40,123 on hover."""

# A table's caption stays at the left of the box that scrolls the table, no wider than the box (100cqw: the
# box is a size container), so a long one (the decision table's ranking rule) wraps on a phone instead of
# running off the screen with the table.
# Sections off screen are laid out only when scrolled to (content-visibility): drawing a chart measures its
# text, which lays out the page, and a page that lays out only what is on screen opens about 10% sooner.
PAGE_CSS: Final = f"""
* {{ box-sizing: border-box; }}
body {{ margin: 0; background: #f3f4f6; color: {INK};
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }}
main {{ max-width: 1280px; margin: 0 auto; padding: 24px 24px 48px; }}
header, section {{ background: white; border: 1px solid {GRID}; border-radius: 8px;
  padding: 20px 24px; margin-bottom: 20px; }}
section {{ content-visibility: auto; contain-intrinsic-size: auto 600px; }}
h1 {{ font-size: 24px; margin: 0 0 4px; }}
h2 {{ font-size: 17px; margin: 0 0 2px; }}
.sub, .note {{ color: {MUTED}; margin: 0 0 12px; }}
header .note {{ margin: 14px 0 0; }}
.outcome {{ display: inline-block; font-weight: 600; padding: 6px 12px; border-radius: 6px;
  margin: 4px 0 16px; }}
.outcome.ok {{ background: #dcfce7; color: {GOOD}; }}
.outcome.failed {{ background: #fee2e2; color: {BAD}; }}
.kpis {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin: 0; }}
.kpis div {{ background: #f9fafb; border: 1px solid {GRID}; border-radius: 6px; padding: 8px 12px; }}
.kpis dt {{ color: {MUTED}; font-size: 12px; }}
.kpis dd {{ margin: 2px 0 0; font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }}
details.rules {{ margin-top: 14px; font-size: 13px; }}
details.rules summary {{ cursor: pointer; font-weight: 600; }}
details.rules ul {{ margin: 6px 0 0; padding-left: 18px; line-height: 1.45; max-width: 72em; }}
.hires {{ margin-top: 16px; border-collapse: collapse; font-variant-numeric: tabular-nums; }}
.hires caption {{ text-align: left; font-weight: 600; padding-bottom: 4px; }}
.hires th, .hires td {{ text-align: left; padding: 3px 16px 3px 0; border-bottom: 1px solid {GRID}; }}
.hires th {{ color: {MUTED}; font-weight: 500; }}
nav {{ display: flex; flex-wrap: wrap; gap: 4px 14px; margin: -8px 0 20px; font-size: 13px; }}
nav a, .data-files a, a.csv {{ color: #2563eb; text-decoration: none; white-space: nowrap; }}
.data-files {{ margin: -12px 0 20px; font-size: 13px; color: {MUTED}; }}
footer {{ color: {MUTED}; font-size: 12px; text-align: center; }}
.scroll {{ overflow-x: auto; container-type: inline-size; }}
caption {{ position: sticky; left: 0; max-width: 100cqw; }}
a.csv {{ display: table; margin: 8px 0 2px auto; font-size: 12px; }}
dd {{ min-width: 0; }}
code {{ overflow-wrap: anywhere; }}
@media (max-width: 640px) {{
  main {{ padding: 8px 8px 32px; }}
  header, section {{ padding: 14px 12px; margin-bottom: 12px; }}
  h1 {{ font-size: 20px; }}
  .kpis {{ grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); }}
}}
"""


# Shared by the reports of many runs (comparison, sweep): headline sentences and a strategy legend.
SUMMARY_CSS: Final = f"""
.headline {{ margin: 14px 0 0; padding: 12px 16px 12px 34px; background: #eff6ff; border-radius: 6px;
  font-size: 15px; }}
.headline li {{ margin: 3px 0; }}
.strategies {{ display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 10px 0 0; padding: 0; list-style: none; }}
.swatch {{ display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px;
  vertical-align: -1px; }}
.tag {{ color: {MUTED}; font-size: 12px; }}
"""


STRATEGY_PALETTE: Final[tuple[str, ...]] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#B27C00",  # ochre (Okabe-Ito's orange, darkened to 3.6:1 on white)
    "#3A8DC7",  # sky blue (darkened to 3.6:1)
    "#6A3D9A",  # purple
    "#8C564B",  # brown
    "#7A7A00",  # olive
)
"""Strategies' colours: Okabe and Ito's colour-blind-safe set (yellow left out, orange and sky blue
darkened), plus purple, brown and olive, enough for the nine shipped strategies; every one at least
3:1 against white, as lines and marks need."""
BASELINE_LINE: Final = {"width": 3, "dash": "dash"}
"""How the baseline strategy's lines stand out from the others (its colour stays its own)."""


COLOR_SALT: Final = "3914"
"""Salts the name checksum that picks a strategy's preferred colour: this one gives the nine shipped
strategies nine different preferences, so each keeps its colour in every report, whatever else is shown."""


def strategy_colors(strategies: Sequence[str]) -> dict[str, str]:
    """One colour per strategy, the same in every report that shows it.

    Each name prefers one colour of :data:`STRATEGY_PALETTE` (by a checksum of the name, so the
    preference does not depend on which reports or files it appears in); strategies take their
    preferred colour in name order, the next free one on a clash, and the palette repeats only past
    its nine colours. A baseline is marked by its line (:data:`BASELINE_LINE`), not its colour.

    Args:
        strategies: The strategies shown.

    Returns:
        Each strategy's colour.
    """
    colors: dict[str, str] = {}
    taken: set[str] = set()
    n = len(STRATEGY_PALETTE)
    for name in sorted(strategies):
        start = zlib.crc32(f"{COLOR_SALT}:{name}".encode()) % n
        free = [STRATEGY_PALETTE[(start + k) % n] for k in range(n) if STRATEGY_PALETTE[(start + k) % n] not in taken]
        colors[name] = free[0] if free else STRATEGY_PALETTE[start]
        taken.add(colors[name])
    return {s: colors[s] for s in strategies}


LABEL_LIGHT: Final = "#ffffff"
LABEL_DARK: Final = "#000000"
"""The two colours a label written in a coloured cell may take. With black (rather than the page's ink)
one of them always reaches WCAG's 4.5:1 contrast, whatever the cell's colour: against a mid-tone a
softer near-black falls to about 3.9:1."""


def _rgb(color: str) -> tuple[float, float, float]:
    """``"#4C78A8"`` or ``"rgb(76,120,168)"`` as its red, green and blue, 0 to 255."""
    if color.startswith("#"):
        r, g, b = (float(int(color[i : i + 2], 16)) for i in (1, 3, 5))
    else:
        r, g, b = (float(v) for v in re.findall(r"[\d.]+", color)[:3])
    return r, g, b


def scale_colour(colorscale: Sequence[Sequence[Any]], position: float) -> str:
    """The colour a Plotly colour scale gives ``position`` (0 to 1, clamped), as plotly.js paints it: mixed
    linearly in RGB between the two stops around it.

    Args:
        colorscale: ``(position, colour)`` stops in increasing position, as plotly resolves a scale.
        position: Where the value lies between the colour axis' ends.

    Returns:
        The colour as ``rgb(r,g,b)``.
    """
    at = [float(a) for a, _ in colorscale]
    channels = zip(*(_rgb(str(color)) for _, color in colorscale), strict=True)
    r, g, b = (round(float(np.interp(position, at, channel))) for channel in channels)
    return f"rgb({r},{g},{b})"


def _relative_luminance(color: str) -> float:
    """WCAG 2's relative luminance of a colour (0 for black, 1 for white)."""
    channels = [v / 255 for v in _rgb(color)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast_ratio(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    light, dark = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def label_colour(background: str) -> str:
    """The colour of a label written on ``background``: white or black, whichever contrasts more with it.

    Args:
        background: The cell's colour, ``#rrggbb`` or ``rgb(r,g,b)``.

    Returns:
        :data:`LABEL_LIGHT` or :data:`LABEL_DARK`.
    """
    return max((LABEL_LIGHT, LABEL_DARK), key=lambda label: _contrast_ratio(label, background))
