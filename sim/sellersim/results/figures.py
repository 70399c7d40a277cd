"""The summary figures a comparison reports, with their units and which way is better."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One figure of a run's summary, as a comparison shows it."""

    name: str  # column in runs.parquet (a key of the run summary)
    label: str
    unit: str  # "usd", "days", "months", "units", "weeks", "hours", "count", "share"
    higher_is_better: bool | None  # None: neither way is better for a founder (headcount is a choice, not a score)


FIGURES: tuple[Figure, ...] = (
    Figure("survived", "Survives the horizon", "share", True),
    Figure("final_cash_usd", "Final cash", "usd", True),
    Figure("final_cash_less_loans_usd", "Final cash less loans owed", "usd", True),
    Figure("lowest_cash_usd", "Lowest cash point", "usd", True),
    Figure("lowest_cash_day", "Day of the lowest cash point", "days", None),
    Figure("cumulative_profit_usd", "Cumulative profit after owner's pay", "usd", True),
    Figure("cumulative_sde_usd", "Cumulative SDE (profit before owner's pay)", "usd", True),
    Figure("cumulative_owners_pay_usd", "Owner's pay", "usd", True),
    Figure("peak_monthly_revenue_usd", "Peak monthly revenue", "usd", True),
    Figure("final_monthly_revenue_usd", "Monthly revenue at the end", "usd", True),
    Figure("months_to_first_profitable_month", "Months to first profitable month", "months", False),
    Figure("products_launched", "Products launched", "count", True),
    Figure("peak_headcount", "Peak headcount", "count", None),
    Figure("cumulative_payroll_usd", "Payroll over the run", "usd", None),
    Figure("stockout_days", "Stock-out product-days", "days", False),
    Figure("lost_sales_units", "Lost sales", "units", False),
    Figure("founder_overload_weeks", "Founder overload weeks", "weeks", False),
    Figure("founder_mean_weekly_hours", "Founder's average weekly hours", "hours", False),
    Figure("founder_cut_back_weeks", "Founder weeks cut back after a breakdown", "weeks", False),
    Figure("error_hours", "Hours of work done wrong", "hours", False),
    Figure("quits", "Quits", "count", False),
)

FIGURE_BY_NAME = {f.name: f for f in FIGURES}

# Daily series summarised across replications in daily_quantiles.parquet. Revenue is a trailing 30-day
# sum; profit is the last whole calendar month's (a month's bills land once a month, so a trailing window
# would jump by them); after a failure a company has no revenue, profit or staff.
DAILY_METRICS = ("cash_usd", "revenue_30d_usd", "profit_month_usd", "headcount", "founder_load", "solvent")
QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
