"""Inventory loans: a lender advances part of each purchase order and is repaid from Amazon payouts.

This is how marketplace lenders fund FBA sellers: an advance against an order, a flat fee (a
factor rate: an advance of A is repaid as ``A (1 + fee_share)``), and repayment by a fixed share
of each Amazon disbursement until the debt is paid, with no schedule beyond that.

- **Advance.** When a purchase order is placed and the company meets the lender's terms (``when``,
  a condition such as six months of sales and $10k a month: lenders fund sales history, so a new
  seller's first orders are its own), the lender advances ``share_of_order`` of the order's
  factory value, as far as ``limit_usd`` of debt allows (``loan``, bank, positive).
- **Repayment.** When a payout lands in the bank, ``repay_share_of_payout`` of it goes to the
  lender until the debt is cleared. Each repayment is split pro rata into principal
  (``loan_repayment``) and fee (``interest``): the fee is a cost of financing, so profit counts it
  as it is paid and SDE does not.
- The debt still owed at the end of a run is reported (``final_loan_owed_usd``): cash alone would
  flatter a company that borrowed.

Time model: no SimPy process of its own; the supply chain calls :meth:`InventoryLender.advance`
when it places an order and the payout cycle calls :meth:`InventoryLender.repay` when a payout lands.
"""

from __future__ import annotations

from collections.abc import Callable

from sellersim.money.ledger import BANK, Ledger
from sellersim.scenario.schema import InventoryLoans


class InventoryLender:
    """Advances against purchase orders; takes its share of every payout until repaid."""

    def __init__(self, cfg: InventoryLoans, *, ledger: Ledger, eligible: Callable[[], bool]) -> None:
        self.cfg = cfg
        self.ledger = ledger
        self.eligible = eligible  # the lender's terms (``cfg.when``), read when an order is placed
        self.owed_usd = 0.0  # principal and fee still to repay
        self.advanced_usd = 0.0

    def advance(self, day: int, order_value_usd: float, product: int) -> float:
        """Advance the lender's share of an order placed today, within the debt limit; return it."""
        cfg = self.cfg
        if cfg.share_of_order <= 0 or not self.eligible():
            return 0.0
        room = (cfg.limit_usd - self.owed_usd) / (1 + cfg.fee_share)
        amount = max(0.0, min(cfg.share_of_order * order_value_usd, room))
        if amount <= 0:
            return 0.0
        self.owed_usd += amount * (1 + cfg.fee_share)
        self.advanced_usd += amount
        self.ledger.post(day, BANK, "loan", amount, product)
        return amount

    def repay(self, day: int, payout_usd: float) -> None:
        """Take the lender's share of a payout that landed today."""
        paid = min(self.owed_usd, self.cfg.repay_share_of_payout * payout_usd)
        if paid <= 0:
            return
        fee = paid * self.cfg.fee_share / (1 + self.cfg.fee_share)
        self.owed_usd -= paid
        if self.owed_usd < 1e-6:  # cleared: no dust of rounding left owing
            self.owed_usd = 0.0
        self.ledger.post(day, BANK, "loan_repayment", -(paid - fee))
        self.ledger.post(day, BANK, "interest", -fee)
