"""Checks shared by the report tests."""

from __future__ import annotations

import re

from plotly.offline import get_plotlyjs


def assert_self_contained(page: str) -> None:
    """plotly.js is inlined once in the head, and nothing else is loaded from anywhere."""
    plotlyjs = get_plotlyjs()
    assert page.count(plotlyjs) == 1
    assert page.index(plotlyjs) < page.index("</head>")
    rest = page.replace(plotlyjs, "")
    assert "Plotly.newPlot" in rest
    assert not re.search(r"<script[^>]*\bsrc=", rest, flags=re.I)
    assert not re.search(r"<link\b|@import|url\(|@font-face", rest, flags=re.I)
    assert "cdn.plot.ly" not in rest
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/", rest, flags=re.I)
