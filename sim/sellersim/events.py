"""The event log: hires, breakdowns, quits, launches, orders, arrivals, capacity limits binding, stock-outs,
suspensions, retirements, failure."""

from __future__ import annotations

import math

import pandas as pd

KINDS = (
    "position_opened",
    "search_failed",
    "hire",
    "breakdown",
    "quit",
    "let_go",
    "development_started",
    "stage_rushed",
    "sample_rejected",
    "launch",
    "purchase_order",
    "shipped",
    "arrived",
    "batch_reworked",
    "defective_batch",
    "batch_removed",
    "batch_claimed",
    "price_increase",
    "capacity_bound",
    "stockout",
    "restock",
    "suspension",
    "reinstated",
    "listing_closed",
    "listing_reopened",
    "penalty",
    "copycat",
    "copycat_left",
    "retired",
    "delisted",
    "equity_raised",
    "failure",
)


class EventLog:
    """Append-only list of dated events."""

    def __init__(self) -> None:
        self._rows: list[tuple] = []

    def add(
        self,
        day: int,
        kind: str,
        *,
        product_id: int | None = None,
        person_id: int | None = None,
        role: str | None = None,
        detail: str = "",
        amount_usd: float = math.nan,
    ) -> None:
        """Record an event of ``kind`` on ``day``."""
        if kind not in KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        self._rows.append((day, kind, product_id, person_id, role, detail, amount_usd))

    def of_kind(self, kind: str) -> list[tuple]:
        """Rows of one kind, in order."""
        return [r for r in self._rows if r[1] == kind]

    def to_frame(self, dates: pd.DatetimeIndex | None = None) -> pd.DataFrame:
        """Events as a table; ``dates`` maps day numbers to calendar dates."""
        cols = ["day", "kind", "product_id", "person_id", "role", "detail", "amount_usd"]
        df = pd.DataFrame(self._rows, columns=cols)
        df["day"] = df["day"].astype("int32")
        df["product_id"] = df["product_id"].astype("Int32")
        df["person_id"] = df["person_id"].astype("Int32")
        df["role"] = df["role"].astype("string")
        df["detail"] = df["detail"].astype("string")
        df["amount_usd"] = df["amount_usd"].astype("float64")
        df["kind"] = pd.Categorical(df["kind"], categories=list(KINDS))
        if dates is not None:
            df.insert(1, "date", dates[df["day"].to_numpy()])
        return df
