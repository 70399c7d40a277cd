"""The published figures the default company is held to, with their sources.

Each target names a measure in :mod:`sellersim.experiments.validation.measures` and the
range the real world gives for it. The ranges come from public benchmarks (see
``docs/calibration.md``); none was chosen to fit the model.
"""

from __future__ import annotations

from dataclasses import dataclass

RMB_PER_USD = 7.2
EMPLOYER_UPLIFT = 1.3  # social insurance and commission on top of the gross salary


@dataclass(frozen=True)
class Target:
    """A figure, the range it must fall in, and where the range comes from."""

    measure: str
    label: str
    low: float
    high: float
    unit: str  # "share", "days" or "USD/month"
    source: str
    spread: bool = False  # the middle 90% of single values must also fall in the range
    # measured on probe runs of the same company with these changes (a dotted path and its value), for a
    # figure the company itself seldom shows
    probe: tuple[tuple[str, object], ...] = ()

    def holds(self, value: float) -> bool:
        """Whether ``value`` lies within the range (ends included)."""
        return self.low <= value <= self.high


TARGETS: tuple[Target, ...] = (
    Target(
        "amazon_share_of_revenue", "Amazon's share of revenue (fees, ads)", 0.40, 0.55, "share",
        "Marketplace Pulse 2023: 15% referral, 20-35% FBA and storage, up to 15% ads; over 50% in 2022",
    ),
    Target("acos_launch", "ACoS, first 2 months", 0.60, 0.80, "share", "ad benchmark vendors (launch)"),
    Target("acos_mature", "ACoS, after 3 months", 0.15, 0.30, "share", "ad benchmark vendors (22-30% average)"),
    Target("tacos_mature", "TACoS, after 3 months", 0.0, 0.15, "share", "Marketplace Pulse and others"),
    Target("reviews_per_order", "Reviews per order", 0.01, 0.03, "share", "seller guidance (1-3%)"),
    Target("return_rate", "Returns per unit sold", 0.05, 0.15, "share", "most categories 5-15%"),
    Target(
        "q4_share", "Q4 share of units, all-year products", 0.30, 0.35, "share",
        "Amazon 10-K (Q4 30-35% of annual sales)",
    ),
    Target("po_to_sellable_sea", "Order to sellable, sea", 60, 100, "days", "sourcing guides, forwarders"),
    Target(
        "po_to_sellable_air", "Order to sellable, air", 40, 65, "days", "sourcing guides, forwarders",
        probe=(("strategy.reorder.freight", "air"),),  # the company itself only flies stock to rescue a stock-out
    ),
    Target("sale_to_cash", "Sale to cash in the bank", 10, 25, "days", "Amazon help (14-day cycle, DD+7)", True),
    Target("operator_time_to_hire", "Operator time to hire", 30, 60, "days", "trade press (about 45 days)"),
    Target(
        "operator_ramp_up", "Operator ramp-up (weekly reviews)", 21, 35, "days",
        "trade press (3-4 weeks to be productive)",
    ),
    Target(
        "operator_monthly_cost", "Operator cost to the employer", 7_000 * EMPLOYER_UPLIFT / RMB_PER_USD,
        18_000 * EMPLOYER_UPLIFT / RMB_PER_USD, "USD/month", "salary surveys (RMB 7-18k a month)",
    ),
)  # fmt: skip

# How outcomes spread over runs, read beside what public figures say (not held to a range: the figures
# measure related things, not the same one). (measure, label, unit, what is known)
SPREADS: tuple[tuple[str, str, str, str], ...] = (
    (
        "top3_revenue_share", "Top 3 products' share of the last year's revenue", "share",
        "a few products carry most revenue (the 80/20 pattern of retail assortments); read it only for "
        "catalogues of more than three products",
    ),
    (
        "flop_share", "Launches whose proceeds never reached their first order's factory value", "share",
        "about 40% of new consumer products fail commercially (a 2013 review of new-product failure rates, "
        "J. Product Innovation Management 30(5)), by a looser test than this one: missing its maker's goals",
    ),
    (
        "retired_share", "Launches retired within a year of their launch", "share",
        "25% of new consumer packaged goods are no longer bought a year after launch, about 40% two years after, "
        "more often for small brands (a 2021 study of new consumer goods' survival, Marketing Letters 32: "
        "83,719 new SKUs)",
    ),
    (
        "short_share", "Launches whose first year sold less than half their plan", "share",
        "firms' launch forecasts are too high for 65% of new products and miss by a median 26% (a 1967 study "
        "of firms' launch forecasts, Journal of Business 40(3)); about 40% of new products miss their makers' "
        "goals (a 2013 review of new-product failure rates, J. Product Innovation Management 30(5))",
    ),
    (
        "last_year_revenue_usd", "Revenue in the last year", "USD",
        "sellers' revenues span orders of magnitude (Jungle Scout's yearly State of the Amazon Seller "
        "surveys), so the top tenth of runs should be several times the median",
    ),
    (
        "last_year_owners_pay_usd", "Owner's pay in the last year (the strategy's draw rule)", "USD",
        "about half of US small business owners pay themselves a regular salary, averaging about $68,000 a "
        "year (American Express OPEN Small Business Monitor, fall 2013); a founder's draw is a strategy's "
        "choice here, so this row shows what the rule and the profit it waits for let out",
    ),
)  # fmt: skip
