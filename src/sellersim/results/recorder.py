"""The run's record: preallocated daily arrays for the company and its products, weekly rows for staff.

Collected once per simulated day. Plain numpy arrays rather than Mesa's
DataCollector: a run records about 60 company columns and 7 per product every
day, and writing into preallocated arrays keeps collection a small share of a
run (see ``benchmarks/``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from sellersim.domains import DOMAINS
from sellersim.market.catalog import Catalog
from sellersim.market.daily import MarketDay

FEE_COLUMNS = (
    "referral_fees_usd",
    "fba_fees_usd",
    "storage_fees_usd",
    "aged_inventory_fees_usd",
    "low_inventory_fees_usd",
    "placement_fees_usd",
    "vine_fees_usd",
    "removal_fees_usd",
)
COMPANY_COLUMNS = (
    "cash_usd", "amazon_balance_usd", "revenue_usd", "units_sold", "returned_units", "lost_sales_units", "refunds_usd",
    *FEE_COLUMNS, "seller_plan_usd", "reimbursements_usd", "ad_spend_usd", "ad_sales_usd", "cogs_usd",
    "payroll_usd", "overhead_usd", "profit_usd", "inventory_units", "inbound_units", "stockout_products",
    "live_products", "products_in_development", "headcount", "open_positions", "founder_hours",
    "founder_load", "founder_fatigue", "order_defect_rate", "avg_rating", "acos", "tacos",
)  # fmt: skip
PRODUCT_COLUMNS = ("revenue_usd", "units_sold", "stock_units", "rank", "reviews", "rating", "ad_spend_usd")


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
        )
        self.daily = {c: np.full(days, np.nan) for c in columns}
        self.suspended = np.zeros(days, dtype=bool)
        self._cap = 16
        self.product = {c: np.zeros((days, self._cap)) for c in PRODUCT_COLUMNS}
        self.product_exists = np.zeros((days, self._cap), dtype=bool)
        self.staff_rows: list[tuple] = []
        self.founder_loads: list[float] = []
        self.last_day = -1

    def record_day(self, day: int, values: Mapping[str, float]) -> None:
        """Store one day's company figures."""
        for key, value in values.items():
            self.daily[key][day] = value
        self.last_day = day

    def record_products(self, day: int, catalog: Catalog, market: MarketDay) -> None:
        """Store one day's figures for every product that was in the market today."""
        n = len(market.units)  # a product listed later today shows from tomorrow
        if n > self._cap:
            self._grow(n)
        p = self.product
        p["revenue_usd"][day, :n] = market.revenue_usd
        p["units_sold"][day, :n] = market.units
        p["stock_units"][day, :n] = catalog.stock[:n]
        p["rank"][day, :n] = catalog.rank[:n]
        reviews = catalog.reviews[:n]
        p["reviews"][day, :n] = reviews
        p["rating"][day, :n] = np.divide(catalog.star_sum[:n], reviews, out=np.full(n, np.nan), where=reviews > 0)
        p["ad_spend_usd"][day, :n] = market.ad_spend_usd
        self.product_exists[day, :n] = True

    def record_week(self, week: int, day: int, rows: Iterable[tuple]) -> None:
        """Store one row per person: (person_id, name, role, hours_worked, load, fatigue, productivity)."""
        self.staff_rows.extend((week, day, *r) for r in rows)

    def _grow(self, n: int) -> None:
        cap = max(n, 2 * self._cap)
        for key, arr in self.product.items():
            grown = np.zeros((self.days, cap))
            grown[:, : self._cap] = arr
            self.product[key] = grown
        exists = np.zeros((self.days, cap), dtype=bool)
        exists[:, : self._cap] = self.product_exists
        self.product_exists = exists
        self._cap = cap

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
        days, pid = np.nonzero(self.product_exists[:n])
        df = pd.DataFrame(
            {
                "day": days.astype(np.int32),
                "date": pd.to_datetime(dates[days]),
                "product_id": pid.astype(np.int32),
                "name": pd.Categorical([names[i] for i in pid], categories=names),
            }
        )
        for key, arr in self.product.items():
            df[key] = arr[days, pid]
        return df.sort_values(["product_id", "day"], ignore_index=True)

    def staff_frame(self, dates: np.ndarray) -> pd.DataFrame:
        """One row per person per week."""
        cols = ["week", "day", "person_id", "name", "role", "hours_worked", "load", "fatigue", "productivity"]
        df = pd.DataFrame(self.staff_rows, columns=cols)
        df.insert(1, "date", pd.to_datetime(dates[df["day"].to_numpy(dtype=int)]))
        return df.astype({"week": "int32", "day": "int32", "person_id": "int32"})
