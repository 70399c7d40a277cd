"""What one finished run says about each calibration figure.

Each measure returns a :class:`Sample`: a total and a weight whose ratio is the
figure (for example ad spend over ad sales, or days summed over orders), so
that replications pool as a ratio of sums. Measures built from single events
(an order's lead time, a day's sale-to-cash lag) keep those values too, so that
their spread can be read.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sellersim.market.catalog import AWAITING
from sellersim.model import SellerModel
from sellersim.money.income import FEE_COLUMNS
from sellersim.results.summary import (
    YEAR_DAYS,
    launches_a_year_old,
    launches_flopped,
    launches_retired,
    top3_revenue_share,
)

_LAUNCH_DAYS = 60  # "the first 2 months" after launch
_MATURE_DAYS = 90  # launch, then a month for ad budgets to settle from the launch push to the target ACoS
_Q4_MONTHS = (10, 11, 12)
_MIN_IN_STOCK_SHARE = 0.95  # a product-year counts for the Q4 share only if it was almost never out of stock
_FULL_RAMP_UP = 0.95  # share of full productivity that counts as "productive"


@dataclass(frozen=True)
class Sample:
    """A run's contribution to one figure: ``total / weight``, and the single values behind it."""

    total: float
    weight: float
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @classmethod
    def of(cls, values: np.ndarray, weights: np.ndarray | None = None) -> Sample:
        """The weighted mean of ``values`` (unit weights when None), keeping the values."""
        values = np.asarray(values, dtype=float)
        w = np.ones(len(values)) if weights is None else np.asarray(weights, dtype=float)
        return cls(float(values @ w), float(w.sum()), values, w)


@dataclass(frozen=True)
class RunView:
    """The tables of one run that the measures read, built once per run."""

    model: SellerModel
    daily: pd.DataFrame
    products: pd.DataFrame  # one row per product per day listed, with age since launch

    @classmethod
    def of(cls, model: SellerModel) -> RunView:
        dates = model.calendar.dates
        products = model.recorder.products_frame(dates, model.catalog.names)
        launch_day = model.catalog.launch_day
        launched = model.catalog.status != AWAITING
        pid = products["product_id"].to_numpy()
        age = np.where(launched[pid], products["day"].to_numpy() - launch_day[pid], -1)
        products["age_days"] = age
        products["new_reviews"] = products.groupby("product_id", observed=True)["reviews"].diff().fillna(0.0)
        return cls(model, model.recorder.daily_frame(dates), products)


def amazon_share_of_revenue(run: RunView) -> Sample:
    """Referral, FBA, storage and every other Amazon fee, plus ads, over gross sales."""
    d = run.daily
    amazon = d[list(FEE_COLUMNS)].to_numpy().sum() + d["seller_plan_usd"].sum() + d["ad_spend_usd"].sum()
    return Sample(float(amazon), float(d["revenue_usd"].sum()))


def _product_days(run: RunView, launching: bool) -> pd.DataFrame:
    age = run.products["age_days"]
    return run.products[(age >= 0) & (age < _LAUNCH_DAYS) if launching else age >= _MATURE_DAYS]


def acos_launch(run: RunView) -> Sample:
    """Ad spend over ad sales of products in their first 2 months on sale."""
    p = _product_days(run, launching=True)
    return Sample(float(p["ad_spend_usd"].sum()), float(p["ad_sales_usd"].sum()))


def acos_mature(run: RunView) -> Sample:
    """Ad spend over ad sales of products at least 3 months on sale."""
    p = _product_days(run, launching=False)
    return Sample(float(p["ad_spend_usd"].sum()), float(p["ad_sales_usd"].sum()))


def tacos_mature(run: RunView) -> Sample:
    """Ad spend over all sales of products at least 3 months on sale."""
    p = _product_days(run, launching=False)
    return Sample(float(p["ad_spend_usd"].sum()), float(p["revenue_usd"].sum()))


def reviews_per_order(run: RunView) -> Sample:
    """Reviews left per unit sold by products at least 3 months on sale (their Vine reviews are all in)."""
    p = _product_days(run, launching=False)
    return Sample(float(p["new_reviews"].sum()), float(p["units_sold"].sum()))


def return_rate(run: RunView) -> Sample:
    """Units returned over units sold."""
    d = run.daily
    return Sample(float(d["returned_units"].sum()), float(d["units_sold"].sum()))


def q4_share(run: RunView) -> Sample:
    """Share of a calendar year's units sold in Oct-Dec, for products on sale and in stock all year."""
    p = run.products
    dates = pd.DatetimeIndex(p["date"])
    frame = pd.DataFrame(
        {
            "product_id": p["product_id"].to_numpy(),
            "year": dates.year,
            "q4": dates.month.isin(_Q4_MONTHS),
            "units": p["units_sold"].to_numpy(),
            "in_stock": p["stock_units"].to_numpy() > 0,
            "settled": p["age_days"].to_numpy() >= _LAUNCH_DAYS,  # past the launch ramp, which would tilt the year
        }
    )
    frame["q4_units"] = frame["units"] * frame["q4"]
    years = frame.groupby(["product_id", "year"]).agg(
        settled=("settled", "sum"), in_stock=("in_stock", "mean"),
        units=("units", "sum"), q4_units=("q4_units", "sum"),
    )  # fmt: skip
    days_in_year = np.array([365 + calendar.isleap(y) for y in years.index.get_level_values("year")])
    whole = (years["settled"].to_numpy() == days_in_year) & (years["in_stock"].to_numpy() >= _MIN_IN_STOCK_SHARE)
    years = years[whole & (years["units"].to_numpy() > 0)]
    return Sample.of((years["q4_units"] / years["units"]).to_numpy())


def _order_days(run: RunView, freight: str) -> Sample:
    orders = [po for po in run.model.supply.arrived if po.freight == freight]
    return Sample.of(np.array([po.days["arrived"] - po.placed_day for po in orders]))


def po_to_sellable_sea(run: RunView) -> Sample:
    """Days from placing a sea-freight purchase order to sellable stock at FBA."""
    return _order_days(run, "sea")


def po_to_sellable_air(run: RunView) -> Sample:
    """Days from placing an air-freight purchase order to sellable stock at FBA."""
    return _order_days(run, "air")


def sale_to_cash(run: RunView) -> Sample:
    """Days from a sale to its proceeds landing in the bank, weighted by the proceeds."""
    payouts = run.model.payouts
    days = len(run.daily)
    cash_day = payouts.cash_day[:days]
    proceeds = payouts.proceeds_usd(days)
    paid = (cash_day >= 0) & (proceeds > 0)
    return Sample.of((cash_day - np.arange(days))[paid], proceeds[paid])


def _hires(run: RunView, role: str) -> list:
    return [p for p in run.model.roster if p.role == role and p.hired_day >= 0]


def operator_time_to_hire(run: RunView) -> Sample:
    """Days from opening an operator position to the hire."""
    return Sample.of(np.array([d for r, d in run.model.recruiter.times_to_hire if r == "operator"]))


def operator_ramp_up(run: RunView) -> Sample:
    """Days from an operator's hire to the first weekly review at which they are productive."""
    staff = run.model.recorder.staff_frame(run.model.calendar.dates)
    staff = staff[(staff["role"] == "operator") & (staff["ramp_up"] >= _FULL_RAMP_UP)]
    first_productive = staff.groupby("person_id")["day"].min()
    hired = {p.unique_id: p.hired_day for p in _hires(run, "operator")}
    return Sample.of(np.array([day - hired[pid] for pid, day in first_productive.items() if pid in hired]))


def operator_monthly_cost(run: RunView) -> Sample:
    """Employer's cost of an operator per month employed, in USD."""
    end = len(run.daily)
    people = _hires(run, "operator")
    months = np.array([((p.left_day if p.left_day is not None else end) - p.hired_day) / 30.4375 for p in people])
    return Sample.of(np.array([p.salary_usd_per_month for p in people]), months)


MEASURES: dict[str, Callable[[RunView], Sample]] = {
    f.__name__: f
    for f in (
        amazon_share_of_revenue, acos_launch, acos_mature, tacos_mature, reviews_per_order, return_rate, q4_share,
        po_to_sellable_sea, po_to_sellable_air, sale_to_cash, operator_time_to_hire, operator_ramp_up,
        operator_monthly_cost,
    )
}  # fmt: skip


def measure(model: SellerModel) -> dict[str, Sample]:
    """Every measure of one finished run."""
    run = RunView.of(model)
    return {name: f(run) for name, f in MEASURES.items()}


@dataclass(frozen=True)
class Outcomes:
    """How one run turned out, for the spread of outcomes over runs (not held to a range)."""

    top3_revenue_share: float  # the three best sellers' share of the last year's revenue (nan with no sales)
    launches_judged: int  # products launched at least a year before the run's end
    launches_flopped: int  # of those, the ones whose proceeds never reached their first order's factory value
    launches_retired: int  # of those, the ones retired within a year of their launch
    launches_short: int  # of those, the ones whose first year sold less than half of what research planned
    last_year_revenue_usd: float  # revenue over the horizon's last 365 days (0 after a failure)
    last_year_owners_pay_usd: float  # owner's pay over the horizon's last 365 days (0 after a failure)


def outcomes(model: SellerModel) -> Outcomes:
    """The catalogue's concentration, its flops and early retirements, and the last year's revenue and owner's pay
    of one finished run."""
    dates = model.calendar.dates
    products = model.recorder.products_frame(dates, model.catalog.names)
    events = model.events.to_frame()
    top3 = top3_revenue_share(products)
    judged, flopped = launches_flopped(events, products)
    _, retired = launches_retired(events, products)
    short = launches_short_of_plan(events, products, model.catalog.planned_units_per_day)
    daily = model.recorder.daily_frame(dates)
    last_year = daily[daily["day"] >= model.horizon_days - YEAR_DAYS]
    revenue, owners_pay = float(last_year["revenue_usd"].sum()), float(last_year["owners_pay_usd"].sum())
    return Outcomes(np.nan if top3 is None else top3, judged, flopped, retired, short, revenue, owners_pay)


def launches_short_of_plan(events: pd.DataFrame, products: pd.DataFrame, planned_units_per_day: np.ndarray) -> int:
    """Launches at least a year old whose first year on sale sold less than half of the year research planned
    (``planned_units_per_day``, by product id): the plan missed by more than half."""
    if products.empty:
        return 0
    launches = launches_a_year_old(events, products)
    launch_day = products["product_id"].map(launches.set_index("product_id")["day"])
    first_year = products[(products["day"] >= launch_day) & (products["day"] < launch_day + YEAR_DAYS)]
    sold = first_year.groupby("product_id")["units_sold"].sum()
    ids = launches["product_id"].astype(int).to_numpy()
    return int((sold.reindex(ids, fill_value=0).to_numpy() < 0.5 * YEAR_DAYS * planned_units_per_day[ids]).sum())
