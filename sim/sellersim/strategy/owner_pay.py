"""The owner's pay: what the founder takes out of the business, by a readable rule.

At the end of each month the strategy's ``owner_pay.when`` condition is read
over the company's metrics (the same language as staffing rules); when it holds
the founder is paid ``usd_per_month``. The pay is booked in the ledger as
``owners_pay``: profit is counted after it, and SDE (seller's discretionary
earnings, what buyers of such businesses value) is profit before it.
"""

from __future__ import annotations

from sellersim.scenario.conditions import MetricSource, parse_condition
from sellersim.scenario.schema import FOUNDER, OwnerPay


class OwnerPayPolicy:
    """Decides the owner's pay of a month."""

    def __init__(
        self, cfg: OwnerPay, *, metrics: MetricSource, roles: tuple[str, ...], params: tuple[str, ...]
    ) -> None:
        self.cfg = cfg
        self.metrics = metrics
        self.condition = parse_condition(cfg.when, roles, params)

    def amount_usd(self) -> float:
        """This month's pay: the set amount when the condition holds, else nothing."""
        return self.cfg.usd_per_month if self.condition.evaluate(self.metrics, FOUNDER) else 0.0
