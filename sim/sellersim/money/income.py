"""The day's income statement: from what buyers paid down to SDE and profit.

Read from the ledger's category totals of the day (:meth:`Ledger.close_day`) and the market's
day. Every cost is a positive number on its line:

    SDE    = revenue - refunds - Amazon's fees - ad spend - COGS - payroll - overhead + reimbursements
    profit = SDE - owner's pay - interest

- Amazon's fees are one line each (:data:`FEE_LINES`); the seller plan is overhead's, kept on its own
  line too.
- COGS is the landed cost of the units sold, plus units given away (Vine), removed or lost.
- Reimbursements are Amazon's (for units it lost) and factories' credits for defective batches.
- Payroll is salaries and agency fees; overhead is tools, the seller plan, hiring, samples and
  penalties (:data:`~sellersim.money.ledger.OVERHEAD_CATEGORIES`).
- SDE (seller's discretionary earnings: profit before the owner's pay and interest) is the figure
  buyers of Amazon businesses price; income tax is owed on SDE less interest (:mod:`.tax`) and is
  paid from cash, below profit, as are equity raised and loans drawn.

ACoS is ad spend over the sales credited to ads; TACoS is ad spend over all revenue. Both are
undefined (NaN) without sales to divide by.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from sellersim.money.ledger import OVERHEAD_CATEGORIES

FEE_LINES = {  # the statement's line -> the ledger category it totals
    "referral_fees_usd": "referral_fee",
    "fba_fees_usd": "fba_fee",
    "storage_fees_usd": "storage_fee",
    "aged_inventory_fees_usd": "aged_inventory_fee",
    "low_inventory_fees_usd": "low_inventory_fee",
    "placement_fees_usd": "placement_fee",
    "vine_fees_usd": "vine_fee",
    "removal_fees_usd": "removal_fee",
    "deal_fees_usd": "deal_fee",
    "capacity_fees_usd": "capacity_fee",
}
FEE_COLUMNS = tuple(FEE_LINES)
LINES = (
    "revenue_usd", "refunds_usd", *FEE_COLUMNS, "seller_plan_usd", "reimbursements_usd", "ad_spend_usd",
    "ad_sales_usd", "cogs_usd", "payroll_usd", "overhead_usd", "sde_usd", "owners_pay_usd", "interest_usd",
    "profit_usd", "income_tax_usd", "equity_usd", "loans_usd", "acos", "tacos",
)  # fmt: skip


def acos(ad_spend_usd: float, ad_sales_usd: float) -> float:
    """Advertising cost of sales: ad spend over the sales credited to ads (NaN without any)."""
    return ad_spend_usd / ad_sales_usd if ad_sales_usd > 0 else math.nan


def tacos(ad_spend_usd: float, revenue_usd: float) -> float:
    """Total advertising cost of sales: ad spend over all revenue (NaN without any)."""
    return ad_spend_usd / revenue_usd if revenue_usd > 0 else math.nan


def income_statement(
    totals: Mapping[str, float],
    *,
    revenue_usd: float,
    refunds_usd: float,
    ad_spend_usd: float,
    ad_sales_usd: float,
    cogs_usd: float,
) -> dict[str, float]:
    """The day's :data:`LINES`, in that order, from the ledger's category ``totals`` (signed: money in is
    positive) and the market's figures of the day (``cogs_usd`` already holds the units written off)."""
    out = totals.get
    fees = {line: -out(category, 0.0) for line, category in FEE_LINES.items()}
    payroll = -out("salaries", 0.0) - out("agency_fees", 0.0)
    overhead = -sum(out(c, 0.0) for c in OVERHEAD_CATEGORIES)
    reimbursed = out("reimbursement", 0.0) + out("supplier_credit", 0.0)
    sde = revenue_usd - refunds_usd - sum(fees.values()) - ad_spend_usd - cogs_usd - payroll - overhead + reimbursed
    owners_pay, interest = -out("owners_pay", 0.0), -out("interest", 0.0)
    return {
        "revenue_usd": revenue_usd,
        "refunds_usd": refunds_usd,
        **fees,
        "seller_plan_usd": -out("seller_plan", 0.0),
        "reimbursements_usd": reimbursed,
        "ad_spend_usd": ad_spend_usd,
        "ad_sales_usd": ad_sales_usd,
        "cogs_usd": cogs_usd,
        "payroll_usd": payroll,
        "overhead_usd": overhead,
        "sde_usd": sde,
        "owners_pay_usd": owners_pay,
        "interest_usd": interest,
        "profit_usd": sde - owners_pay - interest,
        "income_tax_usd": -out("income_tax", 0.0),
        "equity_usd": out("equity", 0.0),
        "loans_usd": out("loan", 0.0),
        "acos": acos(ad_spend_usd, ad_sales_usd),
        "tacos": tacos(ad_spend_usd, revenue_usd),
    }
