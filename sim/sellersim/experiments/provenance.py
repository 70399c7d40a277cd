"""Provenance of an experiment: when it started and the software it ran on.

Comparisons and sweeps record the same facts, so that any two folders of results can be told
apart by the versions that made them.
"""

from __future__ import annotations

import datetime as dt
import platform
from importlib.metadata import version

import sellersim

PACKAGES = ("mesa", "simpy", "numpy", "pandas", "plotly", "pydantic", "scipy", "statsmodels", "SALib")
"""The installed packages whose versions can change an experiment's numbers or pages."""


def started_now() -> str:
    """The current time in UTC, to the second, as ISO 8601: when an experiment started."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def software() -> dict[str, str]:
    """The versions of Python, SellerSim and :data:`PACKAGES`."""
    return {"python": platform.python_version(), "sellersim": sellersim.__version__} | {
        name: version(name) for name in PACKAGES
    }
