"""The Python API: load a scenario, run it, get the results as DataFrames.

    >>> from sellersim.api import load_scenario, run_scenario
    >>> result = run_scenario(load_scenario("scenarios/strategies/solo_then_hire.yaml"))
    >>> result.daily[["date", "cash_usd", "revenue_usd"]]

The CLI and the reports are thin layers over these two functions.
"""

from __future__ import annotations

import time
from pathlib import Path

import sellersim
from sellersim.model import SellerModel
from sellersim.results.run import RunResult
from sellersim.results.summary import summarize
from sellersim.scenario.loader import load_scenario
from sellersim.scenario.schema import Scenario

__all__ = ["RunResult", "collect", "load_scenario", "run_keeping_partial", "run_model", "run_scenario"]


def run_model(scenario: Scenario) -> SellerModel:
    """Build and run the model to its horizon (or failure) and return it, for inspection."""
    model = SellerModel(scenario)
    model.run()
    return model


def run_scenario(scenario: Scenario, source: str | Path | None = None) -> RunResult:
    """Run ``scenario`` and return its tables and key figures."""
    started = time.perf_counter()
    model = run_model(scenario)
    return collect(model, source, time.perf_counter() - started)


def run_keeping_partial(scenario: Scenario, source: str | Path | None = None) -> tuple[RunResult, BaseException | None]:
    """Run ``scenario``; if it is interrupted (Ctrl-C) or raises, keep the days done so far.

    Returns the result (partial when stopped early: ``summary["completed"]`` is False) and the
    exception that stopped it, if any, for the caller to report.
    """
    started = time.perf_counter()
    model = SellerModel(scenario)
    stopped: BaseException | None = None
    try:
        model.run()
    except (KeyboardInterrupt, Exception) as exc:  # the caller reports it, after saving what was done
        stopped = exc
    return collect(model, source, time.perf_counter() - started), stopped


def collect(model: SellerModel, source: str | Path | None = None, seconds: float = float("nan")) -> RunResult:
    """Turn a finished model into a :class:`RunResult`."""
    scenario = model.config
    dates = model.calendar.dates
    rec = model.recorder
    daily = rec.daily_frame(dates)
    staff = rec.staff_frame(dates)
    events = model.events.to_frame(dates)
    ledger = model.ledger.to_frame()
    ledger.insert(1, "date", dates[ledger["day"].to_numpy()])
    meta = {
        "scenario": scenario.company.name,
        "strategy": scenario.strategy.name,
        "source": None if source is None else str(source),
        "seed": scenario.simulation.seed,
        "days": scenario.simulation.days,
        "start_date": scenario.simulation.start_date.isoformat(),
        "sellersim_version": sellersim.__version__,
        "run_seconds": round(seconds, 3),
    }
    products = rec.products_frame(dates, model.catalog.names)
    return RunResult(
        scenario=scenario,
        daily=daily,
        products=products,
        staff=staff,
        events=events,
        ledger=ledger,
        summary=summarize(daily, events, staff, products, model.horizon_days),
        meta=meta,
    )
