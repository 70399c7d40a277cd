"""What every report page is made of besides its template: plotly.js, the table script, chart divs, escaping of
chart labels and colours (the page shell is ``templates/base.html.j2``)."""

from __future__ import annotations

import html
from functools import cache
from importlib.resources import files
from typing import Any, Final

import numpy as np
import plotly.graph_objects as go

PLOTLY_BUNDLE: Final = "plotly-cartesian.min.js"
"""plotly.js's cartesian partial bundle, the version plotly.py draws for (see ``vendor/README.md``)."""

BUNDLE_TRACES: Final = frozenset(
    {
        "bar",
        "box",
        "contour",
        "heatmap",
        "histogram",
        "histogram2d",
        "histogram2dcontour",
        "image",
        "pie",
        "scatter",
        "scatterternary",
        "violin",
    }
)
"""The trace types the bundle draws; any other would leave its chart blank."""

# No "Share chart" button: it uploads the chart's data to Plotly's cloud.
PLOTLY_CONFIG: Final = {"responsive": True, "displaylogo": False, "showSendToCloud": False}

TABLE_SCRIPT: Final = r"""
(() => {
  // Each table gets a box that scrolls sideways (a narrow screen scrolls the table, not the page) and a "CSV"
  // link to its cells as shown (no cell a formula), made when clicked (reading cells costs layout; opening must not).
  const text = (cell) => cell.innerText.replace(/\s+/g, " ").trim();
  // A spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a formula (OWASP's "CSV injection"):
  // a strategy named "=HYPERLINK(...)", or our own "+7 pts". Such a cell is written after a quote, which shows
  // it as text, unless it is a plain number the spreadsheet reads as one ("-12", "+1,250.5", "-4%"). Our minus
  // sign (U+2212) starts no formula.
  const number = /^[+-]?[0-9][0-9,]*(\.[0-9]+)?%?$/;
  const guard = (value) => (/^[=+\-@\t\r]/.test(value) && !number.test(value) ? "'" + value : value);
  const field = (value) => (/[",\r\n]/.test(value) ? '"' + value.replaceAll('"', '""') + '"' : value);
  const cells = (row) => Array.from(row.cells)
    .flatMap((cell) => [guard(text(cell)), ...Array(cell.colSpan - 1).fill("")]);
  const csv = (table) => Array.from(table.rows, (row) => cells(row).map(field).join(",") + "\r\n").join("");
  const taken = new Map();
  for (const table of document.querySelectorAll("main table")) {
    let box = table.parentElement;
    if (!box.classList.contains("scroll")) {
      box = document.createElement("div");
      box.className = "scroll";
      table.replaceWith(box);
      box.append(table);
    }
    const base = (table.id || table.closest("section[id], footer[id]")?.id || table.caption?.textContent || "table")
      .trim().toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 60);  // a caption can be long: a short file name
    const n = (taken.get(base) || 0) + 1;
    taken.set(base, n);
    const link = document.createElement("a");
    link.className = "csv";
    link.textContent = "CSV";
    link.title = "Download this table as a CSV file";
    link.download = (n > 1 ? `${base}-${n}` : base) + ".csv";
    link.href = "#";
    link.addEventListener("click", () => {
      // the byte-order mark makes Excel read the file as UTF-8
      link.href = "data:text/csv;charset=utf-8," + encodeURIComponent("\ufeff" + csv(table));
    });
    box.before(link);
  }
})();
"""


@cache
def plotly_js() -> str:
    """The plotly.js bundle every page inlines."""
    return (files("sellersim.report") / "vendor" / PLOTLY_BUNDLE).read_text(encoding="utf-8")


def plot_div(fig: go.Figure, div_id: str) -> str:
    """A chart's div and script, without plotly.js (the page carries it once).

    Plotly renders tags such as ``<a href>`` and ``<br>`` in trace names, categories, annotations
    and axis titles; ours are plain text, so every one of them is escaped here (in ``fig`` itself), and a
    strategy or role name can never become a link or markup. Hover templates carry our own
    markup: user text is escaped with :func:`label` where it is put into them.
    """
    for trace in fig.data:
        if isinstance(trace.name, str):
            trace.name = label(trace.name)
        if isinstance(getattr(trace, "legendgroup", None), str):  # not shown, but kept the same as the names
            trace.legendgroup = label(trace.legendgroup)
        for axis in ("x", "y"):  # categories (strategy names, levels) are shown as tick labels
            values = getattr(trace, axis, None)
            if values is not None and np.asarray(values).dtype.kind in "OUS":
                trace[axis] = [label(v) if isinstance(v, str) else v for v in values]
    for note in fig.layout.annotations:
        if isinstance(note.text, str):
            note.text = label(note.text)
    fig.for_each_xaxis(_escape_title)
    fig.for_each_yaxis(_escape_title)
    missing = {trace.type for trace in fig.data} - BUNDLE_TRACES
    if missing:
        raise ValueError(f"{div_id}: plotly.js as bundled cannot draw {', '.join(sorted(missing))} traces")
    return fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config=PLOTLY_CONFIG,
        default_height=f"{fig.layout.height}px",
    )


def _escape_title(axis: Any) -> None:
    if isinstance(axis.title.text, str):
        axis.title.text = label(axis.title.text)


def label(value: Any) -> str:
    """``value`` as text for a Plotly label or hover: ``<``, ``>`` and ``&`` escaped (Plotly shows them as written)."""
    return html.escape(str(value), quote=False)


def esc(value: Any) -> str:
    """``value`` as text, escaped for HTML."""
    return html.escape(str(value))


def rgba(color: str, alpha: float) -> str:
    """``"#4C78A8"``, 0.2 -> ``"rgba(76,120,168,0.2)"``."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
