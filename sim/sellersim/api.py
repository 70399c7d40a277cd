"""The Python API: load a scenario, run it, get the results as DataFrames.

    >>> from sellersim.api import load_scenario, run_scenario
    >>> result = run_scenario(load_scenario("scenarios/strategies/solo_then_hire.yaml"))
    >>> result.daily[["date", "cash_usd", "revenue_usd"]]

The CLI and the reports are thin layers over these two functions.
"""

from __future__ import annotations

import time
from pathlib import Path

from sellersim.model import SellerModel
from sellersim.results.run import RunResult, collect, run_model
from sellersim.scenario.loader import load_scenario
from sellersim.scenario.schema import Scenario

__all__ = ["RunResult", "collect", "load_scenario", "run_keeping_partial", "run_model", "run_scenario"]


def run_scenario(scenario: Scenario, source: str | Path | None = None) -> RunResult:
    """Run ``scenario`` to its horizon (or until the company fails) and return its tables and key figures.

    Args:
        scenario: A validated scenario, from :func:`load_scenario`.
        source: The file it came from, recorded in the result's metadata.

    Returns:
        The run's daily, product, staff, event and ledger tables, its summary and metadata.
    """
    started = time.perf_counter()
    model = run_model(scenario)
    return collect(model, source, time.perf_counter() - started)


def run_keeping_partial(scenario: Scenario, source: str | Path | None = None) -> tuple[RunResult, BaseException | None]:
    """Run ``scenario``; if it is interrupted (Ctrl-C) or raises, keep the days done so far.

    Args:
        scenario: A validated scenario, from :func:`load_scenario`.
        source: The file it came from, recorded in the result's metadata.

    Returns:
        The result (partial when stopped early: ``summary["completed"]`` is False) and the exception
        that stopped it, if any, for the caller to report.
    """
    started = time.perf_counter()
    model = SellerModel(scenario)
    stopped: BaseException | None = None
    try:
        model.run()
    except (KeyboardInterrupt, Exception) as exc:  # the caller reports it, after saving what was done
        stopped = exc
    return collect(model, source, time.perf_counter() - started), stopped
