"""The ledger: every movement of money, with its account and category.

Two accounts hold money: ``bank`` (the company's cash) and ``amazon`` (the
seller balance that Amazon pays out on its cycle). A payout is two entries, one
out of ``amazon`` and one into ``bank``. Cash is always the starting cash plus
the sum of ``bank`` entries, exactly: balances are only ever changed by posting.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

BANK = "bank"
AMAZON = "amazon"

CATEGORIES = (
    "sales",
    "refunds",
    "referral_fee",
    "fba_fee",
    "storage_fee",
    "aged_inventory_fee",
    "low_inventory_fee",
    "placement_fee",
    "seller_plan",
    "vine_fee",
    "deal_fee",
    "removal_fee",
    "capacity_fee",
    "reimbursement",
    "supplier_credit",
    "payout",
    "card_charge",
    "ads",
    "product_cost",
    "freight",
    "duty",
    "salaries",
    "agency_fees",
    "hiring",
    "tools",
    "samples",
    "penalties",
    "owners_pay",
    "interest",
    "income_tax",
    "equity",
    "loan",
    "loan_repayment",
)
_KNOWN_CATEGORIES = frozenset(CATEGORIES)  # checked on every post
_ENTRY = ("day", "account", "category", "amount", "product")  # an entry's fields
OVERHEAD_CATEGORIES = ("tools", "seller_plan", "hiring", "samples", "penalties")
"""The P&L's overhead line: tools, the seller plan, hiring, product samples and penalties."""


class Ledger:
    """Append-only ledger with running balances per account and per-day category totals."""

    def __init__(self, starting_cash_usd: float) -> None:
        self.starting_cash_usd = float(starting_cash_usd)
        self._balance = {BANK: self.starting_cash_usd, AMAZON: 0.0}
        self._entries: list[tuple[int, str, str, float, int]] = []  # one tuple a post, in _ENTRY's order
        self.today: defaultdict[str, float] = defaultdict(float)  # category totals of the current day

    @property
    def cash_usd(self) -> float:
        """Money in the bank."""
        return self._balance[BANK]

    @property
    def amazon_balance_usd(self) -> float:
        """Seller balance held by Amazon, not yet paid out."""
        return self._balance[AMAZON]

    def post(self, day: int, account: str, category: str, amount_usd: float, product: int = -1) -> None:
        """Record ``amount_usd`` (positive in, negative out) on ``account``; zero amounts are skipped."""
        if amount_usd == 0.0:
            return
        if category not in _KNOWN_CATEGORIES:
            raise ValueError(f"unknown ledger category {category!r}")
        amount = float(amount_usd)
        self._balance[account] += amount
        self._entries.append((day, account, category, amount, product))
        self.today[category] += amount

    def transfer(self, day: int, category: str, amount_usd: float, source: str, target: str) -> None:
        """Move ``amount_usd`` from one account to the other as a pair of entries."""
        self.post(day, source, category, -amount_usd)
        self.post(day, target, category, amount_usd)

    def close_day(self) -> dict[str, float]:
        """Return the current day's category totals and start a new day."""
        totals = dict(self.today)
        self.today.clear()
        return totals

    def to_frame(self) -> pd.DataFrame:
        """All entries as a table: day, account, category, amount_usd, product_id (-1 for none)."""
        columns = [list(column) for column in zip(*self._entries, strict=True)] or [[] for _ in _ENTRY]
        day, account, category, amount, product = columns
        return pd.DataFrame(
            {
                "day": pd.array(day, dtype="int32"),
                "account": pd.Categorical(account, categories=[BANK, AMAZON]),
                "category": pd.Categorical(category, categories=list(CATEGORIES)),
                "amount_usd": pd.array(amount, dtype="float64"),
                "product_id": pd.array(product, dtype="int32"),
            }
        )
