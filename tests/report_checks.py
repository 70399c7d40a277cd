"""Checks shared by the report tests."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import numpy as np

from sellersim.report.page import plotly_js


def assert_self_contained(page: str) -> None:
    """plotly.js is inlined once in the head, and nothing else is loaded from anywhere."""
    plotlyjs = plotly_js()
    assert page.count(plotlyjs) == 1
    assert page.index(plotlyjs) < page.index("</head>")
    rest = page.replace(plotlyjs, "")
    assert "Plotly.newPlot" in rest
    assert not re.search(r"<script[^>]*\bsrc=", rest, flags=re.I)
    assert not re.search(r"<link\b|@import|url\(|@font-face", rest, flags=re.I)
    assert "cdn.plot.ly" not in rest
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/", rest, flags=re.I)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def sections(page: str) -> dict[str, str]:
    """Each ``<section id=...>``'s body, by id."""
    return {m.group(1): m.group(2) for m in re.finditer(r'<section id="([\w-]+)">(.*?)</section>', page, flags=re.S)}


def figures(page: str) -> dict[str, list[dict[str, Any]]]:
    """Each section's ``Plotly.newPlot`` calls: data and layout."""
    decoder = json.JSONDecoder(parse_constant=_reject_constant)
    figures: dict[str, list[dict[str, Any]]] = {}
    for key, body in sections(page).items():
        for call in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*', body):
            data, end = decoder.raw_decode(body, call.end())
            layout, _ = decoder.raw_decode(body, re.compile(r",\s*").match(body, end).end())
            figures.setdefault(key, []).append({"data": data, "layout": layout})
    return figures


def trace_values(array: Any) -> np.ndarray:
    """A trace array, decoded from plotly's typed-array form where it uses it."""
    if isinstance(array, dict):
        values = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        if "shape" in array:
            values = values.reshape([int(n) for n in str(array["shape"]).split(",")])
        return values.astype(float)
    return np.asarray([np.nan if v is None else v for v in array], dtype=object)
