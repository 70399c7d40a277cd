"""What every report page is made of: the page shell, chart divs, escaping and colours."""

from __future__ import annotations

import html
from typing import Any, Final

import numpy as np
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

PLOTLY_CONFIG: Final = {"responsive": True, "displaylogo": False}


def html_page(title: str, css: str, header: str, nav: str, sections: str, footer: str) -> str:
    """A self-contained report page: plotly.js inlined once, so it opens offline.

    ``title`` is plain text (escaped here); ``header``, ``nav``, ``sections`` and ``footer`` are HTML.
    """
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{css}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head>\n'
        f"<body><main>{header}<nav>{nav}</nav>\n{sections}\n{footer}</main></body></html>\n"
    )


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
