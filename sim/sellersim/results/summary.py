"""Key figures of one run, computed from its tables."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sellersim.money.income import acos, tacos

YEAR_DAYS = 365  # the catalogue's concentration is read over the last year; a launch is judged a year on


def summarize(
    daily: pd.DataFrame, events: pd.DataFrame, staff: pd.DataFrame, products: pd.DataFrame, horizon_days: int
) -> dict[str, Any]:
    """Survival, cash, profit, growth, catalogue, hiring and strain figures of a run."""
    failure = events[events["kind"] == "failure"]
    monthly = daily.set_index("date")[["revenue_usd", "profit_usd"]].resample("MS").sum()
    profitable = np.flatnonzero(monthly["profit_usd"].to_numpy() > 0)
    hires = events[events["kind"] == "hire"]
    founder = staff[staff["role"] == "founder"]
    last = daily.iloc[-1]
    lowest = int(daily["cash_usd"].to_numpy().argmin())  # the first day cash was at its lowest
    error_columns = [c for c in daily.columns if c.startswith("errors_")]
    return {
        "completed": not failure.empty or len(daily) == horizon_days,
        "survived": failure.empty,
        "days_simulated": len(daily),
        "horizon_days": horizon_days,
        "failure_day": None if failure.empty else int(failure["day"].iloc[0]),
        "failure_cause": None if failure.empty else str(failure["detail"].iloc[0]),
        "final_cash_usd": round(float(last["cash_usd"]), 2),
        "lowest_cash_usd": round(float(daily["cash_usd"].iloc[lowest]), 2),
        "lowest_cash_day": int(daily["day"].iloc[lowest]),
        "final_amazon_balance_usd": round(float(last["amazon_balance_usd"]), 2),
        "cumulative_revenue_usd": round(float(daily["revenue_usd"].sum()), 2),
        "cumulative_profit_usd": round(float(daily["profit_usd"].sum()), 2),
        "cumulative_sde_usd": round(float(daily["sde_usd"].sum()), 2),
        "cumulative_payroll_usd": round(float(daily["payroll_usd"].sum()), 2),
        "cumulative_owners_pay_usd": round(float(daily["owners_pay_usd"].sum()), 2),
        "cumulative_interest_usd": round(float(daily["interest_usd"].sum()), 2),
        "cumulative_income_tax_usd": round(float(daily["income_tax_usd"].sum()), 2),
        "equity_raised_usd": round(float(daily["equity_usd"].sum()), 2),
        "founder_ownership": round(float(last["founder_ownership"]), 4),
        "inventory_loans_usd": round(float(daily["loans_usd"].sum()), 2),
        "final_loan_owed_usd": round(float(last["loan_owed_usd"]), 2),
        # what the bank holds once the inventory lender is repaid (a credit line's draws are already below zero)
        "final_cash_less_loans_usd": round(float(last["cash_usd"] - last["loan_owed_usd"]), 2),
        "peak_monthly_revenue_usd": round(float(monthly["revenue_usd"].max()), 2),
        "final_monthly_revenue_usd": round(float(daily["revenue_usd"].tail(30).sum()), 2),
        "months_to_first_profitable_month": int(profitable[0]) + 1 if len(profitable) else None,
        "hires": [
            {
                "person_id": int(h.person_id),
                "role": str(h.role),
                "day": int(h.day),
                "date": pd.Timestamp(h.date).date().isoformat(),
                "monthly_revenue_usd": round(float(h.amount_usd), 2),
            }
            for h in hires.itertuples()
        ],
        "quits": int((events["kind"] == "quit").sum()),
        "peak_headcount": int(daily["headcount"].max()),
        "final_headcount": int(last["headcount"]),
        "products_launched": int((events["kind"] == "launch").sum()),
        "products_live": int(last["live_products"]),
        "copycats": int((events["kind"] == "copycat").sum()),
        "products_retired": int((events["kind"] == "retired").sum()),
        "top3_revenue_share": top3_revenue_share(products),
        "flop_share": _share(*launches_flopped(events, products)),
        "stockout_days": int(daily["stockout_products"].sum()),
        "lost_sales_units": int(daily["lost_sales_units"].sum()),
        "capacity_bound_days": int(daily["capacity_bound"].sum()),
        "capacity_limited_days": int(daily["fba_limit_cuft"].notna().sum()),
        "peak_awd_units": int(daily["awd_units"].max()),
        "capacity_fees_usd": round(float(daily["capacity_fees_usd"].sum()), 2),
        "founder_overload_weeks": int((founder["load"] > 1).sum()),  # more work asked than the week's hours
        "founder_mean_weekly_hours": round(float(founder["hours_worked"].mean()), 1) if len(founder) else 0.0,
        "founder_peak_burnout": round(float(founder["burnout"].max()), 3) if len(founder) else 0.0,
        "founder_breakdowns": int(((events["kind"] == "breakdown") & (events["role"] == "founder")).sum()),
        "founder_cut_back_weeks": int(founder["cut_back"].sum()),
        "founder_sick_days": int(founder["sick_days"].sum()),
        "founder_managing_hours": round(float(founder["managing_hours"].sum()), 1),
        "error_hours": round(float(daily[error_columns].to_numpy().sum()), 1),
        "stages_rushed": int((events["kind"] == "stage_rushed").sum()),
        "samples_rejected": int((events["kind"] == "sample_rejected").sum()),
        "failed_searches": int((events["kind"] == "search_failed").sum()),
        "suspensions": int((events["kind"] == "suspension").sum()),
        "listings_closed": int((events["kind"] == "listing_closed").sum()),
        "total_ad_spend_usd": round(float(daily["ad_spend_usd"].sum()), 2),
        "tacos": _rounded(tacos(daily["ad_spend_usd"].sum(), daily["revenue_usd"].sum())),
        "acos": _rounded(acos(daily["ad_spend_usd"].sum(), daily["ad_sales_usd"].sum())),
    }


def top3_revenue_share(products: pd.DataFrame) -> float | None:
    """Share of the last year's revenue that the three best-selling products brought in (None with no sales)."""
    if products.empty:
        return None
    last = products[products["day"] > products["day"].max() - YEAR_DAYS]
    revenue = last.groupby("product_id")["revenue_usd"].sum()
    return _ratio(revenue.nlargest(3).sum(), revenue.sum())


def launches_flopped(events: pd.DataFrame, products: pd.DataFrame) -> tuple[int, int]:
    """Products launched at least a year before the run's end, and how many of them flopped: their proceeds
    (sales less Amazon's fees and ads) never reached the factory value of their first order."""
    if products.empty:
        return 0, 0
    launches = launches_a_year_old(events, products)
    first_order = events[events["kind"] == "purchase_order"].groupby("product_id")["amount_usd"].first()
    proceeds = products.groupby("product_id")["proceeds_usd"].sum()
    ids = launches["product_id"].astype(int)
    flopped = proceeds.reindex(ids).to_numpy() < first_order.reindex(ids).to_numpy()
    return len(ids), int(flopped.sum())


def launches_retired(events: pd.DataFrame, products: pd.DataFrame) -> tuple[int, int]:
    """Products launched at least a year before the run's end, and how many of them were retired within a year of
    their launch: the seller stopped ordering them, and they sold off and closed."""
    if products.empty:
        return 0, 0
    launches = launches_a_year_old(events, products)
    retired_day = events[events["kind"] == "retired"].groupby("product_id")["day"].first()
    ids = launches["product_id"].astype(int)
    days_on_sale = retired_day.reindex(ids).to_numpy() - launches["day"].to_numpy()
    return len(ids), int((days_on_sale <= YEAR_DAYS).sum())  # never retired: NaN, not counted


def launches_a_year_old(events: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """The launch events of products launched at least a year before the run's end (the last day of ``products``)."""
    return events[(events["kind"] == "launch") & (events["day"] <= products["day"].max() - YEAR_DAYS)]


def _share(judged: int, count: int) -> float | None:
    return round(count / judged, 4) if judged else None


def _rounded(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 4)


def _ratio(a: float, b: float) -> float | None:
    return round(float(a / b), 4) if b > 0 else None
