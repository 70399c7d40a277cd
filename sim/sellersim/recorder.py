"""The run's record: a preallocated daily table for the company, daily arrays per product, weekly rows for staff.

Collected once per simulated day. Plain numpy arrays rather than Mesa's
DataCollector: a run records about 60 company columns and 8 per product every
day. The company's day is one write into a preallocated table; the products'
day is a handful of arrays kept in lists (the catalogue grows, so no size is
fixed up front) and joined only when the table is asked for. Collection stays
a small share of a run (see ``benchmarks/``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from sellersim.domains import DOMAINS
from sellersim.market.catalog import Catalog
from sellersim.market.daily import MarketDay
from sellersim.money.income import LINES

COMPANY_COLUMNS = (
    "cash_usd", "amazon_balance_usd", "units_sold", "returned_units", "lost_sales_units", *LINES,
    "founder_ownership", "loan_owed_usd", "inventory_units", "inbound_units",
    "fba_limit_cuft", "fba_used_cuft", "awd_units", "capacity_bound", "stockout_products",
    "live_products", "products_in_development", "headcount", "open_positions", "founder_hours", "founder_load",
    "founder_burnout", "founder_sick_days", "founder_managing_hours", "order_defect_rate", "avg_rating",
    "listing_quality", "differentiation",
)  # fmt: skip
PRODUCT_COLUMNS = (
    "revenue_usd", "units_sold", "stock_units", "rank", "reviews", "rating", "ad_spend_usd", "ad_sales_usd",
    "proceeds_usd", "niche_growth_per_year", "growth_seen_per_year",
)  # fmt: skip
_PRODUCT_SOURCES = (
    "revenue_usd", "units_sold", "stock_units", "rank", "reviews", "star_sum", "ad_spend_usd", "ad_sales_usd",
    "proceeds_usd", "niche_growth_per_year", "growth_seen_per_year",
)  # fmt: skip


class Recorder:
    """Holds every series of a run while it runs."""

    def __init__(self, days: int, roles: Iterable[str]) -> None:
        self.days = days
        self.roles = tuple(roles)
        columns = (
            *COMPANY_COLUMNS,
            *(f"headcount_{r}" for r in self.roles),
            *(f"service_{d}" for d in DOMAINS),
            *(f"backlog_{d}_hours" for d in DOMAINS),
            *(f"errors_{d}_hours" for d in DOMAINS),
        )
        # One row per day, so a day is one write to adjacent memory; each series is a view down a column.
        self._table = np.full((days, len(columns)), np.nan)
        self.daily = dict(zip(columns, self._table.T, strict=True))  # column name -> its series (views)
        self.suspended = np.zeros(days, dtype=bool)
        # per product: one array a day of every product listed that day (the catalogue only grows)
        self._products: dict[str, list[np.ndarray]] = {c: [] for c in _PRODUCT_SOURCES}
        self._domain_row: list[float] = []  # see record_work_week
        self.staff_rows: list[tuple] = []
        self.founder_loads: list[float] = []
        self.last_day = -1

    def record_day(self, day: int, values: Mapping[str, float], headcount: Mapping[str, int]) -> None:
        """Store one day's company figures.

        ``values`` holds the columns of :data:`COMPANY_COLUMNS` in that order (checked on the first
        day: the model builds the same keys every day); ``headcount`` counts employees by role. The
        domain columns repeat what :meth:`record_work_week` last stored.
        """
        if self.last_day < 0 and tuple(values) != COMPANY_COLUMNS:  # the same keys every day: checked once
            wrong = sorted(set(values) ^ set(COMPANY_COLUMNS)) or "their order"
            raise KeyError(f"company figures must be COMPANY_COLUMNS, in order; they differ in {wrong}")
        row = list(values.values())
        row += [headcount.get(r, 0) for r in self.roles]
        row += self._domain_row
        self._table[day] = row
        self.last_day = day

    def record_work_week(
        self, service: np.ndarray, backlog_hours: np.ndarray, error_hours_per_week: np.ndarray
    ) -> None:
        """Set the domain columns every day records until the next work week.

        ``service``, ``backlog_hours`` and ``error_hours_per_week`` have one entry per domain, in
        ``DOMAINS`` order; they change only when the week's work is done. Errors are stored as a
        daily rate (a seventh of the week's), so that they add up over days.
        """
        self._domain_row = [*service.tolist(), *backlog_hours.tolist(), *(error_hours_per_week / 7).tolist()]

    def record_products(self, day: int, catalog: Catalog, market: MarketDay) -> None:
        """Store one day's figures for every product that was in the market today (call once a day, in order).

        The market's arrays are fresh each day and never changed afterwards, so they are kept as they
        are; the catalogue's columns change in place, so they are copied.
        """
        n = len(market.units)  # a product listed later today shows from tomorrow
        p = self._products
        p["revenue_usd"].append(market.revenue_usd)
        p["units_sold"].append(market.units)
        p["stock_units"].append(catalog.stock[:n].copy())
        p["rank"].append(catalog.rank[:n].copy())
        p["reviews"].append(catalog.reviews[:n].copy())
        p["star_sum"].append(catalog.star_sum[:n].copy())
        p["ad_spend_usd"].append(market.ad_spend_usd)
        p["ad_sales_usd"].append(market.ad_sales_usd)
        p["proceeds_usd"].append(market.proceeds_usd)
        p["niche_growth_per_year"].append(catalog.growth_per_year[:n].copy())
        p["growth_seen_per_year"].append(catalog.growth_seen_per_year[:n].copy())

    def record_week(self, week: int, day: int, rows: Iterable[tuple]) -> None:
        """Store one row per person: (person_id, name, role, hours_worked, effective_hours, error_hours,
        managing_hours, sick_days, load, burnout, cut_back, ramp_up)."""
        self.staff_rows.extend((week, day, *r) for r in rows)

    # --- tables -------------------------------------------------------------------

    def daily_frame(self, dates: np.ndarray) -> pd.DataFrame:
        """Company series, one row per simulated day."""
        n = self.last_day + 1
        df = pd.DataFrame({k: v[:n] for k, v in self.daily.items()})
        df.insert(0, "date", pd.to_datetime(dates[:n]))
        df.insert(0, "day", np.arange(n, dtype=np.int32))
        df["suspended"] = self.suspended[:n]
        return df

    def products_frame(self, dates: np.ndarray, names: list[str]) -> pd.DataFrame:
        """Per-product series, one row per product per day it was listed."""
        n = self.last_day + 1
        by_day = {c: arrays[:n] for c, arrays in self._products.items()}
        listed = np.array([len(a) for a in by_day["units_sold"]], dtype=np.int64)  # products on each day
        days = np.repeat(np.arange(n), listed)
        pid = np.arange(len(days)) - np.repeat(np.cumsum(listed) - listed, listed)  # 0..listed-1 each day
        column = {c: np.concatenate(arrays) if n else np.zeros(0) for c, arrays in by_day.items()}
        reviews = column["reviews"]
        column["rating"] = np.divide(column["star_sum"], reviews, out=np.full(len(reviews), np.nan), where=reviews > 0)
        order = np.lexsort((days, pid))  # by product, then day
        days, pid = days[order], pid[order]
        df = pd.DataFrame(
            {
                "day": days.astype(np.int32),
                "date": pd.to_datetime(dates[days]),
                "product_id": pid.astype(np.int32),
                "name": pd.Categorical.from_codes(pid, categories=names),  # product ids index names
            }
        )
        for key in PRODUCT_COLUMNS:
            df[key] = column[key][order].astype(np.float64)
        return df

    def staff_frame(self, dates: np.ndarray) -> pd.DataFrame:
        """One row per person per week."""
        cols = [
            "week", "day", "person_id", "name", "role", "hours_worked", "effective_hours", "error_hours",
            "managing_hours", "sick_days", "load", "burnout", "cut_back", "ramp_up",
        ]  # fmt: skip
        df = pd.DataFrame(self.staff_rows, columns=cols)
        df.insert(1, "date", pd.to_datetime(dates[df["day"].to_numpy(dtype=int)]))
        return df.astype({"week": "int32", "day": "int32", "person_id": "int32"})
