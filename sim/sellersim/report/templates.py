"""The reports' Jinja2 environment: Python computes and formats the values, templates place them.

Templates live in ``report/templates/`` (package data): ``base.html.j2`` is the page shell every report
extends, ``macros.html.j2`` the pieces they repeat, one template per report, and for the comparison and
the sweep the blocks their sections are made of (``compare_blocks.html.j2``, ``sweep_blocks.html.j2``).
Autoescape is on, so every value is escaped as HTML (strategy names, descriptions, parameter names, file
names, warnings and error messages included); only four values are marked ``|safe`` in the templates, all
made by us: the inlined plotly.js bundle, the page CSS, the table script, and the chart divs of
:func:`~sellersim.report.page.plot_div` (Plotly's own HTML, whose labels are escaped there).
``StrictUndefined`` turns a value a template names but is not given into an error, not an empty string.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined

from sellersim.formatting import DASH
from sellersim.report.page import TABLE_SCRIPT, plotly_js

ENVIRONMENT = Environment(
    loader=PackageLoader("sellersim.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENVIRONMENT.globals["DASH"] = DASH  # what an empty cell shows, as everywhere else


class Block(NamedTuple):
    """A piece of a report section that is not a chart: the macro of the report's blocks template that draws it,
    and the values it shows."""

    macro: str
    values: Any


def render_page(template: str, *, title: str, css: str, data_files: tuple[str, ...] = (), **values: Any) -> str:
    """One report page: ``template`` (which extends ``base.html.j2``) filled with ``values``.

    Args:
        template: The report's template file, in ``report/templates/``.
        title: The page's title, plain text.
        css: The page's style sheet.
        data_files: The files written beside the page, linked relatively from its top.
        **values: What the report's template places.

    Returns:
        The self-contained HTML page: plotly.js inlined once, so it opens offline.
    """
    return ENVIRONMENT.get_template(template).render(
        title=title, css=css, data_files=data_files, plotly_js=plotly_js(), table_script=TABLE_SCRIPT, **values
    )
