"""The scenario schema: every number the simulator uses, validated at the edge.

Calibrated values have no defaults here on purpose: they live in exactly one
place, ``scenarios/base.yaml``, with their sources in ``docs/calibration.md``.
Strategy files extend the base and change only the ``strategy`` section.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, field_validator, model_validator

from sellersim.domains import DEPARTMENTS, DOMAINS

LARGEST = 1e9
"""No number in a scenario may be larger: far beyond any seller modelled, and it keeps a typo from overflowing."""
MAX_DAYS = 3650
MAX_PRODUCTS = 2000  # a catalogue this large keeps a 10-year run under about 2 GB of daily records
MAX_STAFF = 200

Share = Annotated[float, Field(ge=0.0, le=1.0)]
MAX_ELASTICITY = 20
Elasticity = Annotated[float, Field(ge=0.0, le=MAX_ELASTICITY)]  # measured ones are below 10; powers stay finite
Positive = Annotated[float, Field(gt=0.0, le=LARGEST)]
NonNegative = Annotated[float, Field(ge=0.0, le=LARGEST)]
Days = Annotated[int, Field(ge=0, le=MAX_DAYS)]
Staff = Annotated[int, Field(ge=0, le=MAX_STAFF)]
WeekHours = Annotated[float, Field(gt=0.0, le=168.0)]  # a week has 168 hours
# dates and whole-number keys may also be written as text ("2027-01-04", "5": 0.72), as YAML dumps them
Date = Annotated[dt.date, Strict(False), Field(ge=dt.date(2000, 1, 1), le=dt.date(2099, 12, 31))]
IntKey = Annotated[int, Strict(False)]
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][\w .,()+-]{0,63}")


def _plain_name(name: str) -> str:
    """Names become file names, folder names, columns and chart labels: plain characters only (no / or <)."""
    if not _PLAIN_NAME.fullmatch(name):
        raise ValueError(
            "must be a name of letters, digits, spaces and _ - . , ( ) + (up to 64, starting with a letter or "
            "digit), such as solo_then_hire"
        )
    return name


Name = Annotated[str, AfterValidator(_plain_name)]
Domain = Literal[
    "selection", "design", "procurement",
    "listing", "ads", "after_sales", "vision",
    "hr", "finance", "logistics", "admin",
]  # fmt: skip
Department = Literal["product", "operations", "backend"]
FOUNDER = "founder"  # how assignments name the founder beside the roles
Freight = Literal["sea", "air"]

assert set(Domain.__args__) == set(DOMAINS), "Domain literal out of sync with sellersim.domains"
assert set(Department.__args__) == set(DEPARTMENTS)


class Section(BaseModel):
    """Base of every scenario section: unknown keys are errors, values are frozen.

    Strict: a count is a whole number (``true`` is not 1), a number is not a string, and no
    number is infinite or NaN.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


# --- distributions -----------------------------------------------------------------


class LogNormal(Section):
    """A log-normal draw given by its median and the sigma of its logarithm."""

    median: Positive
    sigma: float = Field(ge=0.0, le=5.0, description="sd of the logarithm (5 already spreads draws a million-fold)")


class Range(Section):
    """A uniform draw between ``low`` and ``high`` (both positive)."""

    low: Positive
    high: Positive

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self


class ShareRange(Range):
    """A uniform draw of a share: ``0 <= low <= high <= 1``."""

    low: Share
    high: Share


class Triangular(Section):
    """A triangular draw: ``low <= mode <= high``."""

    low: NonNegative
    mode: NonNegative
    high: NonNegative

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"need low <= mode <= high, got {self.low}, {self.mode}, {self.high}")
        return self


# --- simulation and company --------------------------------------------------------


class Simulation(Section):
    """Clock and randomness of one run."""

    start_date: Date
    days: int = Field(ge=1, le=MAX_DAYS, description="horizon in days")
    seed: int = Field(ge=0, lt=2**63)


class Founder(Section):
    """The founder: works every domain, sets priorities, never quits."""

    hours_per_week: WeekHours
    max_hours_per_week: WeekHours = Field(description="hours the founder will stretch to under load")
    skills: dict[Domain, Share]

    @model_validator(mode="after")
    def _stretch(self) -> Founder:
        if self.max_hours_per_week < self.hours_per_week:
            raise ValueError("max_hours_per_week must be at least hours_per_week")
        return self


class ExistingBusiness(Section):
    """What the company already has on day 0 (nothing, for a new seller)."""

    products: int = Field(ge=0, le=MAX_PRODUCTS, description="established products on sale at the start")
    product_quality: Share = Field(description="how well their research, design, sourcing and images were done")
    age_days: Days = Field(description="how long they have been on sale")
    reviews_per_product: LogNormal
    average_rating: float = Field(ge=1, le=5)
    stock_days: NonNegative = Field(description="days of expected sales in stock at the start")
    stock_age_days: Days
    staff: dict[str, Staff] = Field(description="employees already on the payroll, by role")


class Company(Section):
    """Starting position of the company."""

    name: str
    starting_cash_usd: NonNegative
    credit_line_usd: NonNegative = Field(description="the company fails when cash < -credit_line_usd")
    credit_line_apr: Share = Field(description="yearly interest on the part of the credit line drawn, charged monthly")
    income_tax_rate: Share = Field(
        description="income tax (federal, self-employment and state) as a share of the year's profit before the "
        "owner's pay, paid in quarterly estimates"
    )
    tools_usd_per_month: NonNegative
    late_filing_penalty_usd: NonNegative = Field(
        description="penalty for a quarterly filing (sales tax, estimated tax) missed; the chance of missing "
        "one is the share of finance work left undone"
    )
    founder: Founder
    existing: ExistingBusiness


# --- market ------------------------------------------------------------------------


class NicheTrend(Section):
    """How a niche's demand grows or shrinks: a growth rate that wanders around the market's."""

    mean_growth_per_year: float = Field(
        ge=-1.0, le=1.0, description="log growth a year that niches' growth rates revert to (the market's)"
    )
    growth_sd_per_year: float = Field(ge=0.0, le=1.0, description="spread (sd) of niches' yearly log growth rates")
    halflife_days: int = Field(ge=7, le=36500, description="days for a niche's lead over the market's growth to halve")


class Rivals(Section):
    """Copycats: success draws rivals, who take sales, cut the niche's price and raise its cost per click."""

    entries_per_year: NonNegative = Field(
        description="copycats a year drawn by an undifferentiated product earning the reference profit"
    )
    reference_profit_usd_per_day: Positive = Field(
        description="gross profit a day before ads (units x unit margin) at which entries_per_year holds; entry "
        "scales with it"
    )
    differentiation_protection: Share = Field(
        description="share of the entry rate a fully differentiated product avoids (harder to copy)"
    )
    entrant_share_of_sales: NonNegative = Field(
        description="what a copycat sells, as a share of the product's sales (before the listing's defence)"
    )
    listing_defence: Share = Field(description="share of a copycat's take a perfect listing keeps")
    price_cut: float = Field(
        ge=0, lt=1, description="the niche's price cut by the first copycat; the k-th cuts price_cut / k"
    )
    cpc_rise: NonNegative = Field(description="rise in the niche's cost per click with each copycat")
    copied_share: Share = Field(description="share of the product's differentiation each copycat copies")
    exit_margin_share: Share = Field(
        description="a copycat's margin a unit before ads (the niche's price less referral, FBA fee and the "
        "product's landed cost), as a share of the price, below which its copycats leave"
    )
    exits_per_year_when_unprofitable: NonNegative = Field(
        description="rate at which each copycat of a niche whose price no longer pays (see exit_margin_share) "
        "stops restocking and leaves"
    )


class Reception(Section):
    """How buyers take to a new product, beside what its niche's figures promise: known only once it sells."""

    sigma: float = Field(
        ge=0.0, le=3.0, description="sd of the logarithm of a product's conversion over its niche's (1 = as promised)"
    )
    fixed_by_design_share: Share = Field(
        description="share of a poorly received product's shortfall (in log conversion) that fully done design work "
        "finds and fixes before launch"
    )


class Niches(Section):
    """The distribution niches are drawn from when a product is selected."""

    sessions_per_day: LogNormal = Field(description="shopper sessions page one gets a day, at the median price")
    price_usd: LogNormal
    sessions_price_elasticity: Elasticity = Field(
        description="how fast sessions fall with a niche's price: x (price / median price) ** -elasticity"
    )
    unit_cost_share_of_price: ShareRange = Field(description="factory (FOB) unit cost as a share of price")
    cpc_usd: LogNormal
    base_conversion: ShareRange = Field(description="unit session % of a mature, well-rated listing")
    competition: ShareRange = Field(
        description="share of a top listing's potential sales that the niche's competitors keep"
    )
    max_organic_share: ShareRange = Field(description="share of niche sessions a top-ranked listing gets")
    return_rate: ShareRange
    weight_lb: LogNormal
    cuft_per_lb: Range = Field(description="packed volume per pound of shipping weight")
    small_standard_share: Share = Field(description="share of products under 1 lb that fit small standard")
    trend: NicheTrend
    reception: Reception
    min_expected_share: Share = Field(
        description="least organic sales a listing expects, as a share of a top listing's potential, however crowded "
        "its niche (page-one competitors never take every sale)"
    )


class Event(Section):
    """A demand event: a multiplier on demand on given days."""

    name: str
    rule: Literal["prime_day", "black_friday", "cyber_monday"]
    days: int = Field(ge=1, le=14)
    demand_multiplier: Positive
    deal_only: bool = Field(description="only products entered in the event's deal get the lift")
    deal_discount: Share = Field(
        default=0.0, description="price cut a product in the event's deal gives (deal events only)"
    )

    @model_validator(mode="after")
    def _discount_needs_a_deal(self) -> Event:
        if self.deal_discount and not self.deal_only:
            raise ValueError("deal_discount applies to deal events only: set deal_only: true or remove it")
        return self


class Conversion(Section):
    """How reviews, rating, listing, design and price shape conversion."""

    no_review_factor: Share = Field(description="conversion with no reviews relative to a well-reviewed listing")
    review_scale: Positive = Field(description="reviews over which most of the review lift arrives")
    rating_peak: float = Field(ge=1, le=5)
    rating_width_below: Positive
    rating_width_above: Positive
    listing_quality_weight: Share
    differentiation_lift: NonNegative
    differentiation_price_premium: NonNegative
    price_elasticity: Elasticity
    max_conversion: Share = Field(description="cap on unit session %")


class Rank(Section):
    """Organic rank: follows sales velocity relative to the niche, decays out of stock."""

    new_listing_rank: Share
    velocity_halflife_days: Positive
    climb_per_day: Share
    fall_per_day: Share
    out_of_stock_decay_per_day: Share


class Reviews(Section):
    """Who leaves a review and with how many stars."""

    review_rate: Share = Field(description="share of orders that leave a review")
    review_requests_lift: NonNegative = Field(description="extra review rate when listing work is fully done")
    vine_review_share: Share = Field(description="share of Vine units that come back as reviews")
    vine_review_days: Triangular = Field(description="days from launch to each Vine reviewer's review")
    star_shares: dict[IntKey, Share] = Field(description="shares of 1..5 stars for a flawless product")
    defect_review_weight: NonNegative = Field(description="how much likelier a buyer of a defective unit reviews")
    neglect_bad_review_share: Share = Field(description="reviews soured when after-sales work is not done at all")
    disliked_bad_review_share: NonNegative = Field(
        description="reviews soured per unit of a product's conversion shortfall against its niche's listings "
        "(1 - reception): buyers who take badly to a product review it worse"
    )
    bad_experience_to_one_star: Share = Field(description="share of bad-experience reviews that are 1 star (rest 2)")

    @field_validator("star_shares")
    @classmethod
    def _stars(cls, v: dict[int, float]) -> dict[int, float]:
        if sorted(v) != [1, 2, 3, 4, 5]:
            raise ValueError("star_shares needs keys 1, 2, 3, 4 and 5")
        if abs(sum(v.values()) - 1.0) > 1e-6:
            raise ValueError(f"star_shares must sum to 1, got {sum(v.values()):.4f}")
        return v


class Returns(Section):
    """Returns: lag after the sale and how many units can be sold again."""

    lag_days: int = Field(ge=1, le=365, description="days from sale to return")
    resellable_share: Share
    defect_return_multiplier: NonNegative = Field(description="extra returns per unit of defect rate")


class AccountHealth(Section):
    """Order defect rate and suspensions."""

    base_defect_rate: Share = Field(description="ODR with flawless product and after-sales")
    neglect_defect_rate: Share = Field(description="extra ODR when after-sales work is not done at all")
    limit: Share
    window_days: int = Field(ge=7, le=365)
    suspension_hazard_per_day: Share = Field(description="chance a day of being over the limit triggers a suspension")
    suspension_days: Triangular
    product_defect_weight: Share = Field(description="share of defective units that become order defects")
    min_window_orders: int = Field(
        ge=0, le=10**9, description="orders in the window below which Amazon does not act on ODR"
    )


class ListingHealth(Section):
    """Listings Amazon closes for returns far above their category's (:mod:`sellersim.market.listing_health`)."""

    enabled: bool = Field(description="whether Amazon closes listings for their buyers' dissatisfaction")
    window_days: int = Field(ge=7, le=365, description="days of orders and returns a listing is judged on")
    flag_ratio: float = Field(gt=1, le=100, description="returns over the category's usual rate that close a listing")
    min_window_orders: int = Field(ge=1, le=10**9, description="orders in the window below which nothing is judged")
    confidence: float = Field(
        ge=0.5, lt=1, description="how sure Amazon must be that returns exceed flag_ratio times the category's"
    )
    reinstatement_days: Triangular = Field(description="days to find the cause and win the listing back")


class Ads(Section):
    """Sponsored Products mechanics; ACoS and TACoS are outputs."""

    max_share_of_sessions: Share = Field(description="ad clicks available as a share of niche sessions")
    wasted_click_share_untended: Share = Field(description="irrelevant clicks when ads are not managed")
    new_campaign_waste_share: Share = Field(
        description="irrelevant clicks of a new campaign, before its search terms are harvested"
    )
    search_term_harvest_clicks: Positive = Field(
        description="managed clicks over which a campaign's waste falls by a factor e (negatives, exact match)"
    )
    bid_overpay_untended: NonNegative = Field(description="extra cost per click when bids are not managed")
    ad_conversion_relative: Positive = Field(description="conversion of a relevant ad click vs an organic session")
    bid_escalation: NonNegative = Field(
        description="extra cost per click when buying every available ad click (top-of-page bids)"
    )
    cpc_demand_elasticity: float = Field(
        ge=0, le=2, description="how cost per click follows the day's demand lift (season, events): x lift ** this"
    )


class Market(Section):
    """Niches, seasons, events and shopper behaviour."""

    niches: Niches
    seasonality: list[Positive] = Field(min_length=12, max_length=12, description="monthly index Jan..Dec")
    events: list[Event]
    conversion: Conversion
    rank: Rank
    reviews: Reviews
    returns: Returns
    account_health: AccountHealth
    listing_health: ListingHealth
    ads: Ads
    rivals: Rivals


# --- fees and money ----------------------------------------------------------------


class WeightTier(Section):
    """One line of a fee table: up to ``max_weight_lb`` costs ``fee_usd``."""

    max_weight_lb: Positive
    fee_usd: NonNegative


class AgedTier(Section):
    """Aged-inventory surcharge for units older than ``min_age_days``."""

    min_age_days: Days
    usd_per_cuft: NonNegative


class Fees(Section):
    """Amazon's US fee schedule, as data."""

    referral_rate: Share
    referral_min_usd: NonNegative
    refund_admin_share: Share = Field(description="share of the referral fee Amazon keeps on a refund")
    refund_admin_max_usd: NonNegative
    fba_small_standard: list[WeightTier] = Field(min_length=1)
    fba_large_standard: list[WeightTier] = Field(min_length=1)
    fba_large_standard_per_4oz_above_usd: NonNegative = Field(
        description="added per started 4 oz above the second-to-last large-standard tier (3 lb)"
    )
    fba_increase_by_year_usd: dict[IntKey, Annotated[float, Field(ge=-LARGEST, le=LARGEST)]] = Field(
        description="per-unit change in force from 15 January of a year"
    )
    storage_usd_per_cuft_month: NonNegative
    storage_q4_usd_per_cuft_month: NonNegative
    aged_surcharge: list[AgedTier]
    low_inventory_days: NonNegative
    low_inventory_usd_per_unit: NonNegative
    inbound_placement_usd_per_unit: NonNegative
    seller_plan_usd_per_month: NonNegative
    vine_enrollment_usd: NonNegative
    deal_fee_usd: NonNegative = Field(description="what Amazon charges for each product entered in an event's deal")
    removal_usd_per_unit: NonNegative

    @field_validator("fba_small_standard", "fba_large_standard", "aged_surcharge")
    @classmethod
    def _ascending(cls, v: list) -> list:
        keys = [t.max_weight_lb if isinstance(t, WeightTier) else t.min_age_days for t in v]
        if keys != sorted(keys):
            raise ValueError("tiers must be listed in ascending order")
        return v


class Payouts(Section):
    """Amazon's disbursement cycle."""

    cycle_days: int = Field(ge=1, le=365)
    delivery_days: Days
    reserve_days: Days = Field(description="DD+N: days after delivery before funds are released")
    transfer_days: Days


class SupplierEvents(Section):
    """Defective batches and price increases (:mod:`sellersim.supply.supplier_events`)."""

    enabled: bool = Field(description="whether factories ever ship a bad batch or raise their prices")
    bad_batch_chance: Share = Field(description="share of production runs that go wrong")
    bad_batch_defect_rate: Range = Field(description="extra defective share of a run that went wrong")
    inspection_sample_units: int = Field(ge=1, le=10**6, description="units a pre-shipment inspection checks")
    inspection_accept_defects: int = Field(
        ge=0, le=10**6, description="defective units in the sample up to which the run is accepted"
    )
    rework_days: Triangular = Field(description="days a caught run is held at the factory for rework")
    price_increase_chance_per_year: NonNegative = Field(
        le=52, description="expected price increases a year from one product's factory"
    )
    price_increase: Range = Field(description="share by which the factory asks to raise its price")
    negotiated_share: Share = Field(description="share of an increase that negotiation keeps off, at best")
    claim_share: Share = Field(
        description="share of a shipped defective batch's factory value (its defective units) that a claim wins "
        "back, as a discount on the product's next order"
    )

    @model_validator(mode="after")
    def _rates_are_shares(self) -> SupplierEvents:
        for name in ("bad_batch_defect_rate", "price_increase"):
            if getattr(self, name).high > 1:
                raise ValueError(f"{name}.high must be a share, at most 1")
        if self.inspection_accept_defects >= self.inspection_sample_units:
            raise ValueError("inspection_accept_defects must be fewer than inspection_sample_units")
        return self


class FbaCapacity(Section):
    """Amazon's monthly FBA capacity limit and the Amazon Warehousing and Distribution (AWD) buffer that holds
    what does not fit."""

    limit_free_weeks: int = Field(
        ge=0, le=520, description="weeks an account new to FBA sells with no capacity limit (its first stock's week 0)"
    )
    months_of_sales: float = Field(
        gt=0.0, le=24.0, description="months of projected sales volume (cubic feet) the monthly limit holds"
    )
    min_cuft: NonNegative = Field(description="the least limit an account gets, in cubic feet")
    healthy_sell_through: Positive = Field(
        description="90-day sell-through (units sold over 90 days / average units on hand) at and above which the "
        "limit is not cut; below it the limit shrinks in proportion (an IPI-like score)"
    )
    min_factor: Share = Field(description="the most a poor sell-through cuts the limit to, as a share of it")
    overage_usd_per_cuft_month: NonNegative = Field(
        description="fee on the daily average volume on hand above the limit, billed monthly (0: none)"
    )
    buffer_usd_per_cuft_month: NonNegative = Field(description="AWD storage of units waiting for room at FBA")
    buffer_handling_usd_per_cuft: NonNegative = Field(
        description="AWD processing in and out and transport to FBA, per cubic foot sent on"
    )
    buffer_to_fba_days: Triangular = Field(description="days from AWD to FBA, before FBA receiving")


class Supply(Section):
    """Factories, freight and FBA receiving."""

    production_days: Triangular
    production_extra_days_untended: NonNegative = Field(
        description="extra production days at worst when purchase orders are not followed up"
    )
    balance_late_days_untended: NonNegative = Field(
        description="days a balance is paid late, and the goods held, when no finance work is done"
    )
    deposit_share: Share
    min_order_units: int = Field(ge=1, le=10**7)
    duty_rate: NonNegative
    defect_rate_best: Share
    defect_rate_untended: Share
    unit_cost_markup_untended: NonNegative = Field(description="extra unit cost when nobody negotiates")
    sea_transit_days: Triangular
    air_transit_days: Triangular
    sea_usd_per_cbm: NonNegative
    air_usd_per_kg: NonNegative
    shipment_fixed_usd: NonNegative = Field(description="brokerage, customs clearance and drayage per shipment")
    air_volumetric_kg_per_cuft: Positive
    receiving_days: Triangular
    receiving_q4_extra_days: Triangular
    logistics_problem_chance_untended: Share
    logistics_problem_delay_days: Triangular
    warehouse_loss_share: Share = Field(description="units lost or damaged at FBA, reimbursable on claim")
    chinese_new_year: list[Date]
    cny_slowdown_days_before: Days
    cny_closed_days_before: Days
    cny_closed_days_after: Days
    cny_ramp_days_after: Days
    cny_slowdown_capacity: Share
    cny_ramp_capacity: Share
    supplier_events: SupplierEvents
    fba_capacity: FbaCapacity
    forecast_noise_untended: float = Field(
        ge=0.0, le=5.0, description="log sd of a sales forecast made with no inventory-control work done"
    )


# --- people and work ---------------------------------------------------------------


class Role(Section):
    """A job the company can hire for; users may add their own."""

    title: str
    department: Department
    skills: dict[Domain, Annotated[float, Field(gt=0.0, le=1.0)]] = Field(min_length=1)
    hours_per_week: WeekHours
    salary_usd_per_month: NonNegative
    time_to_hire_days: float = Field(gt=0.0, le=MAX_DAYS)
    ramp_up_days: float = Field(gt=0.0, le=MAX_DAYS)
    annual_quit_rate: Share
    hiring_cost_usd: NonNegative
    coordination_overhead_share: Share = Field(
        description="share of paid hours lost to coordination across time zones and languages (offshore staff)"
    )
    fee_share_of_ad_spend: NonNegative = Field(
        description="an agency's fee as a share of the month's ad spend; salary_usd_per_month is then its minimum"
    )


class People(Section):
    """Hours and health, errors, ramp-up, hiring and quitting of everyone who works."""

    employee_overtime_share: NonNegative = Field(description="how far past their hours staff stretch")
    healthy_hours_per_week: WeekHours = Field(description="weekly hours above which output per hour falls")
    overtime_hour_yield: float = Field(
        gt=0.0, le=1.0, description="output of an hour past the healthy level, against a healthy hour"
    )
    burnout_gain_per_week: NonNegative = Field(
        description="burnout added a week for hours above the healthy level, per healthy week's worth of them"
    )
    burnout_drain_per_week: Share = Field(description="share of the burnout stock that drains each week")
    burnout_crash_level: Share = Field(description="burnout at which a person breaks down and cuts back")
    crash_weeks: int = Field(ge=0, le=52, description="weeks of cut-back hours after a breakdown")
    crash_hours_share: Share = Field(description="share of the healthy hours worked during a cut-back")
    sick_days_per_year: NonNegative = Field(description="sick days a year of a rested person")
    burnout_sick_day_multiplier: NonNegative = Field(description="extra sick days at full burnout, as a multiple")
    error_share_unskilled: Share = Field(description="share of the work done with a mistake at skill zero")
    burnout_error_multiplier: NonNegative = Field(description="extra mistakes at full burnout, as a multiple")
    overtime_error_multiplier: NonNegative = Field(
        description="mistakes of an hour past the healthy level, as a multiple"
    )
    burnout_quit_multiplier: NonNegative = Field(description="quit hazard multiplier at full burnout")
    ramp_up_start: Share = Field(description="productivity of a new hire on day one")
    time_to_hire_sigma: NonNegative = Field(description="log-normal spread (luck) of each time to hire")
    hr_neglect_delay: NonNegative = Field(
        description="extra share of the time to hire when nobody does the HR work (screening, interviews)"
    )
    hire_skill_sigma: NonNegative = Field(description="log-normal spread of a hire's skills around the role's")
    hr_neglect_skill_loss: Share = Field(description="share of skill lost from the hire when no HR work is done")
    failed_search_share: Share = Field(
        description="share of searches that end without a hire and start again when no HR work (screening) is done"
    )
    supervision_hours_per_report: NonNegative = Field(
        description="manager's hours a week per direct report of full skill (one-to-ones, checking work)"
    )
    supervision_unskilled_multiplier: NonNegative = Field(
        description="extra supervision of a report with no skill, as a multiple (scales with 1 - skill)"
    )
    training_hours_per_week: NonNegative = Field(description="an experienced person's hours a week per hire in ramp-up")
    admin_neglect_hours_lost_share: Share = Field(
        description="share of everyone's hours lost (missing papers, locked accounts, broken tools) when no "
        "admin work is done"
    )


DRIVERS = (
    "base",
    "live_products",
    "launching_products",
    "orders",
    "returns",
    "open_purchase_orders",
    "shipments_in_transit",
    "open_positions",
    "new_hires",
    "employees",
    "revenue_10k_usd",
    "events",
)


class Work(Section):
    """Weekly hours of work each driver creates in each domain."""

    drivers: dict[str, dict[Domain, NonNegative]]
    backlog_carry_share: Share = Field(description="share of undone work that is still there next week")
    service_smoothing_weeks: Positive
    launch_period_days: Days
    event_prep_days: Days = Field(description="days before a deal event in which its submissions and prep add work")
    listing_drift_per_week: Share = Field(
        description="share of the gap to its target a listing's quality closes a week"
    )
    listing_quality_untended: Share = Field(
        description="share of its launch quality a listing keeps when listing and image work is not done at all"
    )
    differentiation_drift_per_week: Share = Field(
        description="share of the gap to its target a product's differentiation closes a week (design refreshes)"
    )
    differentiation_untended: Share = Field(
        description="share of its launch differentiation a product keeps when design work is not done at all "
        "(rivals catch up)"
    )
    defect_drift_per_week: Share = Field(
        description="share of the gap to its target a product's defect rate closes a week (procurement follow-up)"
    )

    @field_validator("drivers")
    @classmethod
    def _known_drivers(cls, v: dict) -> dict:
        unknown = sorted(set(v) - set(DRIVERS))
        if unknown:
            raise ValueError(f"unknown driver {unknown[0]!r}; drivers are {', '.join(DRIVERS)}")
        return v


class Stage(Section):
    """One stage of developing a new product."""

    name: str
    domain: Domain
    hours: Positive
    min_days: Days
    max_days: int = Field(
        ge=1, le=MAX_DAYS, description="the stage closes by then, rushed if its hours are not all done"
    )
    max_hours_per_week: Positive

    @model_validator(mode="after")
    def _window(self) -> Stage:
        if self.max_days < self.min_days:
            raise ValueError(f"max_days ({self.max_days}) must be at least min_days ({self.min_days})")
        return self


class SampleRounds(Section):
    """Samples that fail and are made again (:mod:`sellersim.product.development`)."""

    pass_untended: Share = Field(description="chance a sample passes when its round had no procurement work")
    pass_best: Share = Field(description="chance a sample passes when its round was fully done at full skill")
    max_rounds: int = Field(
        ge=1,
        le=20,
        description="sample rounds at most; after the last the project goes on with a sample never approved",
    )
    hours_share: Share = Field(description="share of the sampling stage's hours that another round takes")
    days: Triangular = Field(description="days a new sample takes to be made and couriered after feedback")
    cost_usd: Range = Field(description="sample fee and express courier of one round")

    @model_validator(mode="after")
    def _better_with_work(self) -> SampleRounds:
        if self.pass_best < self.pass_untended:
            raise ValueError(f"pass_best ({self.pass_best}) must be at least pass_untended ({self.pass_untended})")
        if self.days.high > MAX_DAYS:
            raise ValueError(f"days.high must be at most {MAX_DAYS}")
        return self


class Development(Section):
    """From idea to first order."""

    stages: list[Stage] = Field(min_length=1)
    max_candidates: int = Field(ge=1, le=100, description="niches a thorough researcher compares")
    estimate_noise_untended: float = Field(
        ge=0.0, le=5.0, description="error (log sd) of a poor researcher's estimates"
    )
    estimate_noise_best: float = Field(ge=0.0, le=5.0)
    research_horizon_days: int = Field(
        ge=1, le=MAX_DAYS, description="how far ahead research values a niche's demand, with its trend"
    )
    sample_rounds: SampleRounds
    capacity_weeks: int = Field(
        ge=1, le=52, description="a new project needs spare product-work hours in each of this many past weeks"
    )
    price_spread: float = Field(
        ge=0.0, le=2.0, description="log sd of a new product's price around its niche's price for its design"
    )
    design_differentiation: ShareRange = Field(
        description="differentiation a design stage reaches, as a share of its quality (a uniform draw)"
    )
    listing_quality_unshot: Share = Field(
        description="listing quality with no photography or images done; photography at quality q lifts it to "
        "unshot + (1 - unshot) q"
    )


# --- strategy ----------------------------------------------------------------------


class StaffingRule(Section):
    """Hire ``role`` when ``when`` holds, up to ``max_count`` at a time."""

    role: str
    when: str
    max_count: int = Field(ge=1, le=MAX_STAFF)
    cooldown_days: Days = 0


class Staffing(Section):
    """Ordered hiring rules; on each review every rule that holds opens one position."""

    review_every_days: int = Field(ge=1, le=365)
    replace_quits: bool
    rules: list[StaffingRule]
    probation_days: Days = Field(description="days after which a hire's fit is judged")
    let_go_below_skill_share: Share = Field(
        description="at the end of probation, let go a hire whose skills average below this share of the "
        "role's (0: keep everyone); the position opens again"
    )


class LaunchPolicy(Section):
    """When to start developing a new product and how big its first order is."""

    max_live_products: int = Field(ge=0, le=MAX_PRODUCTS)
    max_in_development: int = Field(
        ge=0, le=50, description="projects at once; a new one starts only when product work has spare hours"
    )
    cash_reserve_usd: NonNegative
    first_order_days_of_sales: Positive
    first_order_freight: Freight
    first_order_units: Range
    vine_units: int = Field(ge=0, le=10**5, description="units given to Amazon Vine reviewers at launch (0: no Vine)")


class ReorderPolicy(Section):
    """Days-of-cover reorder rule, applied when inventory control work is done."""

    review_every_days: int = Field(ge=1, le=365)
    reorder_point_days: Positive = Field(description="reorder when days of cover fall below this")
    order_up_to_days: Positive
    freight: Freight
    expedite_by_air_below_days: NonNegative
    cash_reserve_usd: NonNegative
    remove_stock_older_than_days: Days = Field(
        description="remove overstocked units older than this (0: never), ahead of the costly aged-inventory tiers"
    )
    air_cover_days: Positive = Field(description="days of sales an air shipment carries, until sea stock lands")
    launch_forecast_floor_share: Share = Field(
        description="while launching, the forecast is at least this share of what research planned the product to sell"
    )
    min_forecast_units_per_day: NonNegative = Field(description="least daily sales a forecast assumes")


class RetirePolicy(Section):
    """When a product is retired: no more orders or ads, its stock cleared at a markdown, the listing closed."""

    enabled: bool
    judge_after_days: Days = Field(description="days after launch before a product is judged")
    window_days: int = Field(ge=7, le=365, description="span of recent sales a product is judged on")
    min_days_in_stock: Days = Field(description="days in stock, within the span, before a product is judged")
    below_usd_per_month: float = Field(
        ge=-LARGEST,
        le=LARGEST,
        description="retire a product whose contribution (sales less Amazon's fees, ads and landed cost) a month, "
        "projected along its niche's trend as watching sees it, falls below this",
    )
    clearance_discount: float = Field(ge=0.0, lt=1.0, description="markdown that clears a retired product's stock")

    @model_validator(mode="after")
    def _evidence_fits_the_span(self) -> RetirePolicy:
        if self.min_days_in_stock > self.window_days:
            raise ValueError(
                f"min_days_in_stock ({self.min_days_in_stock}) is more than window_days ({self.window_days}): no "
                "product could ever be judged; ask for at most the span's days"
            )
        return self


class AdPolicy(Section):
    """Launch push, then steer the budget to a target ACoS or TACoS."""

    launch_days: Days
    launch_budget_usd_per_day: NonNegative
    steer_on: Literal["acos", "tacos"] = Field(
        description="what each product's budget is steered on: its ACoS (ad spend over the sales its ads brought) "
        "or its TACoS (ad spend over all its sales), which keeps ads whose sales lift organic rank"
    )
    target_acos: Positive
    target_tacos: Positive
    min_budget_usd_per_day: NonNegative = Field(
        description="least daily budget of a product whose ads pay for themselves (the steered ratio at most the "
        "product's break-even ACoS); ads that lose money on each sale they are steered on are cut toward nothing"
    )
    max_budget_usd_per_day: NonNegative
    adjust_every_days: int = Field(ge=1, le=365)
    budget_change: Range = Field(description="least and most factor a budget changes by at one adjustment")


class OwnerPay(Section):
    """The founder's pay: ``usd_per_month`` paid at the end of each month in which ``when`` holds."""

    when: str
    usd_per_month: NonNegative


class EquityRaise(Section):
    """Outside money for a share of the company, raised once: the first day ``when`` holds."""

    when: str
    amount_usd: Annotated[float, Field(gt=0, le=LARGEST)]
    share_of_company: Annotated[float, Field(gt=0, lt=1)] = Field(description="the share the investors get")


class InventoryLoans(Section):
    """A marketplace lender's advances against purchase orders, repaid from payouts (0: none)."""

    when: str = Field(description="when the lender will fund an order (its terms: sales history, revenue)")
    share_of_order: Share = Field(description="share of each order's factory value advanced (0: no loans)")
    fee_share: Annotated[float, Field(ge=0, le=1)] = Field(description="flat fee on an advance (factor rate - 1)")
    repay_share_of_payout: Annotated[float, Field(ge=0.01, le=1)] = Field(
        description="share of each Amazon disbursement withheld until the debt is repaid"
    )
    limit_usd: NonNegative = Field(description="most owed at once, fee included")


class Financing(Section):
    """Outside money a strategy takes (the credit line is the company's: ``company.credit_line_usd``)."""

    equity: list[EquityRaise] = Field(max_length=20)
    inventory_loans: InventoryLoans


class Strategy(Section):
    """Everything a growth strategy decides."""

    name: Name
    description: str
    founder_priorities: list[Domain] = Field(min_length=1)
    owner_pay: OwnerPay
    assignments: dict[Domain, Annotated[list[str], Field(min_length=1)]] = Field(
        description="who works a domain, first to last ('founder' or a role); nobody else does. "
        "Domains left out are worked by anyone able to, specialists first"
    )
    founder_review_share: Share = Field(
        description="founder's review hours per effective hour others put into a product stage (0: no review)"
    )
    parameters: dict[str, Annotated[float, Field(ge=-LARGEST, le=LARGEST)]] = Field(
        description="named numbers conditions read with param('name')"
    )
    staffing: Staffing
    launch: LaunchPolicy
    reorder: ReorderPolicy
    retire: RetirePolicy
    ads: AdPolicy
    financing: Financing

    @field_validator("founder_priorities")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        dup = sorted({d for d in v if v.count(d) > 1})
        if dup:
            raise ValueError(f"domain {dup[0]!r} is listed twice")
        return v


class Scenario(Section):
    """A complete, resolved scenario."""

    simulation: Simulation
    company: Company
    market: Market
    fees: Fees
    payouts: Payouts
    supply: Supply
    people: People
    roles: dict[Name, Role] = Field(min_length=1)
    work: Work
    development: Development
    strategy: Strategy


def reference_errors(scenario: Scenario) -> list[tuple[tuple[str | int, ...], str]]:
    """Cross-field checks pydantic cannot express: Chinese New Year dates for every year of the run,
    roles, assignments and the conditions of the owner's pay, equity raises and staffing rules.

    Returns ``(path, message)`` pairs so the loader can point at the line in the file.
    """
    from sellersim.scenario.conditions import ConditionError, parse_condition
    from sellersim.util import did_you_mean

    errors: list[tuple[tuple[str | int, ...], str]] = []
    sim = scenario.simulation
    last_day = sim.start_date + dt.timedelta(days=sim.days - 1)
    listed = {d.year for d in scenario.supply.chinese_new_year}
    missing = [y for y in range(sim.start_date.year, last_day.year + 1) if y not in listed]
    if missing:
        years = ", ".join(map(str, missing))
        errors.append(
            (
                ("supply", "chinese_new_year"),
                f"no date for {years}, but the run lasts until {last_day}: add the Chinese New Year of every "
                "year the run touches (factories close around it)",
            )
        )
    if FOUNDER in scenario.roles:
        errors.append((("roles", FOUNDER), f"a role may not be called {FOUNDER!r}: assignments name the founder so"))
    for role in scenario.company.existing.staff:
        if role not in scenario.roles:
            path = ("company", "existing", "staff", role)
            errors.append((path, f"unknown role {role!r}{did_you_mean(role, scenario.roles)}"))
    strategy = scenario.strategy
    for domain, names in strategy.assignments.items():
        for k, who in enumerate(names):
            if who != FOUNDER and who not in scenario.roles:
                known = (FOUNDER, *scenario.roles)
                errors.append(
                    (("strategy", "assignments", domain, k), f"unknown person {who!r}{did_you_mean(who, known)}")
                )
    try:
        parse_condition(strategy.owner_pay.when, roles=tuple(scenario.roles), params=tuple(strategy.parameters))
    except ConditionError as exc:
        errors.append((("strategy", "owner_pay", "when"), str(exc)))
    for i, raise_ in enumerate(strategy.financing.equity):
        try:
            parse_condition(raise_.when, roles=tuple(scenario.roles), params=tuple(strategy.parameters))
        except ConditionError as exc:
            errors.append((("strategy", "financing", "equity", i, "when"), str(exc)))
    try:
        parse_condition(strategy.financing.inventory_loans.when, tuple(scenario.roles), tuple(strategy.parameters))
    except ConditionError as exc:
        errors.append((("strategy", "financing", "inventory_loans", "when"), str(exc)))
    for i, rule in enumerate(scenario.strategy.staffing.rules):
        path = ("strategy", "staffing", "rules", i)
        if rule.role not in scenario.roles:
            errors.append(((*path, "role"), f"unknown role {rule.role!r}{did_you_mean(rule.role, scenario.roles)}"))
        try:
            parse_condition(rule.when, roles=tuple(scenario.roles), params=tuple(scenario.strategy.parameters))
        except ConditionError as exc:
            errors.append(((*path, "when"), str(exc)))
    return errors
