"""The result of one run: its tables, key figures, and the run folder they are written to.

:func:`run_model` and :func:`collect` are the two steps from a scenario to a :class:`RunResult`;
experiments and the Python API (:mod:`sellersim.api`) both take them from here. The run folder's
``report.html`` is drawn by whoever writes the folder (the CLI), passed in as a function, so the
page is written in the same whole-folder write as the tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

import sellersim
from sellersim.formatting import money_exact
from sellersim.model import SellerModel
from sellersim.results.folders import data_files, written_whole
from sellersim.results.summary import summarize
from sellersim.scenario.loader import dump_resolved
from sellersim.scenario.schema import Scenario

TABLES = ("daily", "products", "staff", "events", "ledger")


@dataclass(frozen=True)
class RunResult:
    """Everything one run produced; DataFrames are the Python API, :meth:`write` the run folder.

    Attributes:
        scenario: The resolved scenario the run used.
        daily: One row a day: cash, the income statement's lines, stock, staff, the founder, service levels.
        products: One row a product a day it was listed: units, revenue, stock, rank, reviews, ads.
        staff: One row a person a week: hours worked, effective and wrong hours, load, burnout.
        events: Launches, hires, quits, suspensions, supplier events, the failure; one row each.
        ledger: Every money movement, by day, account and category.
        summary: The key figures (:func:`~sellersim.results.summary.summarize`).
        meta: Strategy, scenario, seed, horizon, version and run time.
    """

    scenario: Scenario
    daily: pd.DataFrame
    products: pd.DataFrame
    staff: pd.DataFrame
    events: pd.DataFrame
    ledger: pd.DataFrame
    summary: dict[str, Any]
    meta: dict[str, Any]

    def write(self, out_dir: str | Path, *, report: Callable[[RunResult, tuple[str, ...]], str] | None = None) -> Path:
        """Write the run folder whole: it appears complete or not at all.

        Args:
            out_dir: The folder; an existing run folder there is replaced.
            report: A function from the result and the names of the data files beside it to its HTML
                page (which links them); None writes no ``report.html``.

        Returns:
            ``out_dir``, holding the Parquet tables, ``summary.json``, ``scenario.yaml`` and ``report.html``.
        """
        out = Path(out_dir)
        with written_whole(out) as tmp:
            for name in TABLES:
                getattr(self, name).to_parquet(tmp / f"{name}.parquet", index=False)
            (tmp / "summary.json").write_text(json.dumps({**self.meta, **self.summary}, indent=2) + "\n")
            (tmp / "scenario.yaml").write_text(dump_resolved(self.scenario))
            if report is not None:
                (tmp / "report.html").write_text(report(self, data_files(tmp)), encoding="utf-8")
        return out

    def summary_text(self) -> str:
        """A short plain-text summary for the terminal.

        Returns:
            Survival, cash (final and lowest), profit, revenue, products, the founder's hours, payroll and
            each hire, one per line.
        """
        s, m = self.summary, self.meta
        if not s["completed"]:
            status = f"STOPPED EARLY after {s['days_simulated']} of {s['horizon_days']} days"
        elif s["survived"]:
            status = f"survived {s['days_simulated']} days"
        else:
            status = f"FAILED on day {s['failure_day']} ({s['failure_cause']})"
        first_profit = s["months_to_first_profitable_month"]
        lines = [
            f"{m['strategy']} (seed {m['seed']}): {status}",
            f"  final cash            ${s['final_cash_usd']:>12,.0f}   "
            f"(lowest {money_exact(s['lowest_cash_usd'])} on day {s['lowest_cash_day']})",
            f"  cumulative profit     ${s['cumulative_profit_usd']:>12,.0f}   (income tax paid "
            f"${s['cumulative_income_tax_usd']:,.0f})",
            f"  peak monthly revenue  ${s['peak_monthly_revenue_usd']:>12,.0f}",
            f"  first profitable month {'never' if first_profit is None else f'month {first_profit}':>12}",
            f"  products launched / live  {s['products_launched']} / {s['products_live']}",
            f"  stock-out product-days    {s['stockout_days']:,}   lost sales {s['lost_sales_units']:,} units",
            f"  founder                   {s['founder_mean_weekly_hours']:.0f} h a week on average, "
            f"{s['founder_overload_weeks']} overload weeks",
            f"  payroll               ${s['cumulative_payroll_usd']:>12,.0f}",
            f"  hires                     {len(s['hires'])} (quits {s['quits']}, peak headcount {s['peak_headcount']})",
        ]
        if s["equity_raised_usd"] or s["cumulative_interest_usd"]:
            lines.insert(
                3,
                f"  outside money         ${s['equity_raised_usd']:>12,.0f} equity (founder keeps "
                f"{s['founder_ownership']:.0%}), ${s['cumulative_interest_usd']:,.0f} interest",
            )
        lines += [
            f"    day {h['day']:>4} ({h['date']}): {h['role']} at ${h['monthly_revenue_usd']:,.0f}/month revenue"
            for h in s["hires"]
        ]
        return "\n".join(lines)


def run_model(scenario: Scenario) -> SellerModel:
    """Build and run the model to its horizon (or failure) and return it, for inspection.

    Args:
        scenario: A validated scenario.

    Returns:
        The finished model; :func:`collect` turns it into tables.
    """
    model = SellerModel(scenario)
    model.run()
    return model


def collect(model: SellerModel, source: str | Path | None = None, seconds: float = float("nan")) -> RunResult:
    """Turn a finished model into a :class:`RunResult`.

    Args:
        model: A model that has run (to its horizon, its failure, or as far as it got).
        source: The scenario file, recorded in the metadata.
        seconds: The run's wall time, recorded in the metadata.

    Returns:
        The run's tables, summary and metadata.
    """
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
