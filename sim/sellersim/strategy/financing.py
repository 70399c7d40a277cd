"""Equity rounds and a lender's terms: outside money, by readable rules.

Each raise in ``strategy.financing.equity`` happens once, on the first day its ``when``
condition holds (the same language as staffing rules; ``day >= 0`` raises on the first day).
The money is booked in the ledger as ``equity``: it is cash, never revenue or profit. The
investors' share dilutes the founder: after raises of shares s1, s2, ... the founder owns
``(1 - s1) (1 - s2) ...`` of the company, which the summary reports beside the profit, since a
funded company's SDE is no longer all the founder's.

Time model: no SimPy process; the model calls :meth:`EquityRaises.review` once a day, before
staffing, so money raised on a day can pay for the hires of that day.
"""

from __future__ import annotations

from collections.abc import Callable

from sellersim.events import EventLog
from sellersim.money.ledger import BANK, Ledger
from sellersim.scenario.conditions import MetricSource, parse_condition
from sellersim.scenario.schema import FOUNDER, Financing, InventoryLoans


class EquityRaises:
    """Raises each round of equity once, when its condition first holds."""

    def __init__(
        self,
        cfg: Financing,
        *,
        metrics: MetricSource,
        roles: tuple[str, ...],
        params: tuple[str, ...],
        ledger: Ledger,
        events: EventLog,
    ) -> None:
        self.metrics = metrics
        self.ledger = ledger
        self.events = events
        self._pending = [(r, parse_condition(r.when, roles, params)) for r in cfg.equity]
        self.founder_share = 1.0
        self.raised_usd = 0.0

    def review(self, day: int) -> None:
        """Raise every round whose condition holds today."""
        if not self._pending:
            return
        waiting = []
        for round_, condition in self._pending:
            if not condition.evaluate(self.metrics, FOUNDER):
                waiting.append((round_, condition))
                continue
            self.ledger.post(day, BANK, "equity", round_.amount_usd)
            self.founder_share *= 1 - round_.share_of_company
            self.raised_usd += round_.amount_usd
            detail = f"raised ${round_.amount_usd:,.0f} for {round_.share_of_company:.0%} of the company"
            self.events.add(day, "equity_raised", detail=detail, amount_usd=round_.amount_usd)
        self._pending = waiting


def lender_terms(
    cfg: InventoryLoans, *, metrics: MetricSource, roles: tuple[str, ...], params: tuple[str, ...]
) -> Callable[[], bool]:
    """Whether the company meets the inventory lender's terms today (``cfg.when``), for
    :class:`~sellersim.money.lending.InventoryLender`."""
    condition = parse_condition(cfg.when, roles, params)
    return lambda: condition.evaluate(metrics, FOUNDER)
