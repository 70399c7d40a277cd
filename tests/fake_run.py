"""A made-up run fed through the engine's own recording and assembly, for the run report's tests.

The fake makes up what a model records as it runs: each product's sales and stock, the day's money (as the
ledger's category totals, turned into the P&L lines by the real income statement), the founder's and each
employee's weeks, and the event log. They go into the real :class:`~sellersim.recorder.Recorder` and
:class:`~sellersim.events.EventLog` day by day, in the model's order; the tables and the summary are then
:func:`~sellersim.results.run.collect`'s, as a real run's are. The ledger stays empty: the report draws
nothing from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from conftest import STRATEGY_FILES
from sellersim.domains import DOMAINS
from sellersim.events import EventLog
from sellersim.money.income import income_statement
from sellersim.money.ledger import Ledger
from sellersim.recorder import COMPANY_COLUMNS, Recorder
from sellersim.results.run import RunResult, collect
from sellersim.scenario.loader import load_scenario
from sellersim.scenario.schema import Scenario
from sellersim.strategy.words import describe_condition

START = np.datetime64("2027-01-04", "D")  # the scenario's start, a Monday: work weeks start on days 0, 7, 14...
FOUNDER_ID = 1  # the model's first agent; employees follow in order of hire
FOUNDER_HOURS = 50.0  # the founder's normal week: load is demanded hours over these
ORDER_UNITS = 300
UNIT_COST_USD = 8.0  # landed cost of a unit
RESTOCK_DAYS = 20  # from selling out to the next order's arrival
SUSPENSION = (500, 507)  # the account is suspended from the first day to the day before the second
FEE_SHARES = {  # Amazon's fees by ledger category, as shares of revenue
    "referral_fee": 0.15,
    "fba_fee": 0.18,
    "storage_fee": 0.015,
    "aged_inventory_fee": 0.002,
    "low_inventory_fee": 0.003,
    "placement_fee": 0.01,
    "vine_fee": 0.001,
    "removal_fee": 0.001,
    "deal_fee": 0.001,
}
REFUND_SHARE = 0.03
FOUNDER_DAILY = ("hours", "load", "burnout", "sick_days", "managing_hours")  # the daily founder_<name> columns


class Hire(NamedTuple):
    """An employee of the fake run: role, name, hire day and quit day (None: stays)."""

    role: str
    name: str
    day: int
    quit_day: int | None = None


DEFAULT_HIRES = (
    Hire("operator", "Operator 1", 150),
    Hire("ads_specialist", "Ads specialist 2", 330),
    Hire("customer_service", "Customer service 3", 420, quit_day=700),
)

Event = tuple[int, str, dict[str, Any]]  # day, kind, the event log's keyword fields


class _Sales(NamedTuple):
    """Each product's days: arrays of days x products, zero before its launch."""

    units: np.ndarray
    revenue: np.ndarray
    lost: np.ndarray
    stock: np.ndarray
    ad_spend: np.ndarray
    ad_sales: np.ndarray
    rank: np.ndarray
    reviews: np.ndarray
    inbound: np.ndarray  # units ordered and not yet arrived, all products, per day


def make_run(
    *,
    days: int = 1095,
    n_products: int = 30,
    hires: Sequence[Hire] = DEFAULT_HIRES,
    failure_day: int | None = None,
    seed: int = 7,
) -> RunResult:
    """A run of ``days`` days with ``n_products`` launches and ``hires``; failed on ``failure_day``."""
    rng = np.random.default_rng(seed)
    scenario = _scenario(days, seed)
    last = days - 1 if failure_day is None else failure_day
    launch_days = np.linspace(60, 0.8 * days, n_products).astype(int)
    names = [f"P{i + 1} {rng.choice(['kitchen', 'garden', 'pet', 'office', 'baby'])}" for i in range(n_products)]
    suspended = np.zeros(days, dtype=bool)
    suspended[slice(*SUSPENSION)] = True
    sales, events = _products(rng, days, launch_days, names, suspended)
    hires = [h for h in hires if h.day <= last]  # the run ends before any later hire
    headcount = {role: np.zeros(days) for role in scenario.roles}
    payroll = np.zeros(days)
    for h in hires:
        employed = slice(h.day, days if h.quit_day is None else h.quit_day)
        headcount[h.role][employed] += 1
        payroll[employed] += scenario.roles[h.role].salary_usd_per_month / 30
    day = np.arange(days)
    listed = launch_days <= day[:, None]  # days x products
    lines = _income(sales, payroll)
    events += _people_events(scenario, hires, days, lines["revenue_usd"].to_numpy())
    events += [
        (SUSPENSION[0], "suspension", {"detail": f"order defect rate over 1%; {SUSPENSION[1] - SUSPENSION[0]} days"}),
        (SUSPENSION[1], "reinstated", {"detail": "selling account reinstated"}),
    ]
    cash, amazon = _cash(scenario, lines, events, failure_day)
    if failure_day is not None:  # the model records the day, then fails
        events.append((failure_day, "failure", {"detail": "cash ran out", "amount_usd": cash[failure_day]}))
    founder, staff_rows, founder_events = _weeks(scenario, rng, listed.sum(axis=1), hires)
    events += founder_events

    company = lines.assign(
        cash_usd=cash,
        amazon_balance_usd=amazon,
        units_sold=sales.units.sum(axis=1),
        returned_units=REFUND_SHARE * sales.units.sum(axis=1),
        lost_sales_units=sales.lost.sum(axis=1),
        founder_ownership=1.0,
        loan_owed_usd=0.0,
        inventory_units=sales.stock.sum(axis=1),
        inbound_units=sales.inbound,
        fba_limit_cuft=np.nan,  # no capacity limit set
        fba_used_cuft=0.15 * sales.stock.sum(axis=1),
        awd_units=0.0,
        capacity_bound=0.0,
        stockout_products=(listed & (sales.stock <= 0)).sum(axis=1),
        live_products=listed.sum(axis=1),
        products_in_development=((launch_days - 100 <= day[:, None]) & ~listed).sum(axis=1),
        headcount=sum(headcount.values()),
        open_positions=sum((h.day - 45 <= day) & (day < h.day) for h in hires) * 1.0,
        **{f"founder_{k}": founder[k].to_numpy()[day // 7] for k in FOUNDER_DAILY},
        order_defect_rate=0.004,
        avg_rating=np.where(sales.reviews.sum(axis=1) > 0, 4.4, np.nan),
        listing_quality=np.where(listed.any(axis=1), 0.8, np.nan),
        differentiation=np.where(listed.any(axis=1), 0.5, np.nan),
    )[list(COMPANY_COLUMNS)]
    domains = _domains(rng, days)

    recorder = Recorder(days, scenario.roles)
    catalog_columns = {"stock": sales.stock, "rank": sales.rank, "reviews": sales.reviews}
    proceeds = sales.revenue * (1 - sum(FEE_SHARES.values())) - sales.ad_spend  # sales less Amazon's fees and ads
    for d in range(last + 1):  # in the model's order: the week's work on Mondays, then the day's record
        if d % 7 == 0:
            recorder.record_work_week(*domains[d // 7])
            recorder.record_week(d // 7, d, staff_rows[d // 7])
        recorder.record_day(d, company.iloc[d].to_dict(), {r: int(c[d]) for r, c in headcount.items()})
        recorder.suspended[d] = suspended[d]
        n = int(listed[d].sum())
        catalog = SimpleNamespace(
            **{k: v[d] for k, v in catalog_columns.items()},
            star_sum=4.4 * sales.reviews[d],
            growth_per_year=np.full(n_products, 0.08),
            growth_seen_per_year=np.full(n_products, 0.08),
        )
        market = SimpleNamespace(
            units=sales.units[d, :n],
            revenue_usd=sales.revenue[d, :n],
            ad_spend_usd=sales.ad_spend[d, :n],
            ad_sales_usd=sales.ad_sales[d, :n],
            proceeds_usd=proceeds[d, :n],
        )
        recorder.record_products(d, catalog, market)
    log = EventLog()
    for d, kind, fields in sorted(events, key=lambda e: e[0]):  # stable: a day's events keep their order
        if d <= last:
            log.add(d, kind, **fields)
    model = SimpleNamespace(  # what collect reads of a finished model
        config=scenario,
        calendar=SimpleNamespace(dates=START + np.arange(days)),
        recorder=recorder,
        events=log,
        ledger=Ledger(scenario.company.starting_cash_usd),
        catalog=SimpleNamespace(names=names),
        horizon_days=days,
    )
    return collect(model)


def _products(
    rng: np.random.Generator, days: int, launch_days: np.ndarray, names: list[str], suspended: np.ndarray
) -> tuple[_Sales, list[Event]]:
    """Each product's daily sales and stock from its launch, and its development, order, launch and stock events."""
    shape = (days, len(names))
    units, revenue, lost, stock, ad_spend = (np.zeros(shape) for _ in range(5))
    reviews = np.zeros(shape)
    inbound = np.zeros(days)
    events: list[Event] = []
    months = (START + np.arange(days)).astype("datetime64[M]").astype(int) % 12 + 1
    q4 = np.where(months >= 11, 1.5, 1.0)

    def order(pid: int, placed: int, arrives: int, name: str) -> None:
        events.append(
            (
                placed,
                "purchase_order",
                {
                    "product_id": pid,
                    "detail": f"{ORDER_UNITS} units of {name}",
                    "amount_usd": ORDER_UNITS * UNIT_COST_USD,
                },
            )
        )
        events.append((arrives, "arrived", {"product_id": pid, "detail": f"{ORDER_UNITS} units of {name} sellable"}))
        inbound[placed:arrives] += ORDER_UNITS

    for pid, (launch, name) in enumerate(zip(launch_days, names, strict=True)):  # ids index the names
        events.append((max(0, launch - 100), "development_started", {"detail": f"{name} development started"}))
        order(pid, max(0, launch - 75), max(0, launch - 5), name)
        events.append((launch, "launch", {"product_id": pid, "detail": f"{name} launched"}))
        potential = rng.lognormal(np.log(90), 0.8)
        price = rng.uniform(18, 45)
        left, restock_day = float(ORDER_UNITS), None
        for d in range(launch, days):
            demand = (
                0.0
                if suspended[d]
                else potential * min(1.0, (d - launch + 1) / 60) * q4[d] * rng.lognormal(0, 0.2) / price
            )
            sold = min(left, demand)
            left -= sold
            if left <= 0 and restock_day is None:
                restock_day = d + RESTOCK_DAYS
                events.append((d, "stockout", {"product_id": pid, "detail": f"{name} out of stock"}))
                order(pid, d, restock_day, name)
            if restock_day == d:
                left, restock_day = float(ORDER_UNITS), None
                events.append((d, "restock", {"product_id": pid, "detail": f"{name} back in stock"}))
            units[d, pid], revenue[d, pid], lost[d, pid], stock[d, pid] = sold, sold * price, demand - sold, left
            ad_spend[d, pid] = 0.12 * sold * price
            reviews[d, pid] = (d - launch) // 10
    ad_sales = ad_spend / rng.uniform(0.25, 0.45, shape)
    rank = np.where(units + lost > 0, rng.uniform(1_000, 50_000, shape), 0.0)
    return _Sales(units, revenue, lost, stock, ad_spend, ad_sales, rank, reviews, inbound), events


def _income(sales: _Sales, payroll: np.ndarray) -> pd.DataFrame:
    """The P&L lines of each day, by the engine's income statement from the day's ledger totals."""
    days = len(payroll)
    revenue = sales.revenue.sum(axis=1)
    month_revenue = pd.Series(revenue).rolling(30, min_periods=1).sum().to_numpy()
    owners_pay = np.where((np.arange(days) % 30 == 29) & (month_revenue > 40_000), 2500.0, 0.0)  # once it can
    rows = []
    for d in range(days):
        totals = {category: -share * revenue[d] for category, share in FEE_SHARES.items()}  # money out: negative
        totals |= {"salaries": -payroll[d], "tools": -25.0, "owners_pay": -owners_pay[d]}
        rows.append(
            income_statement(
                totals,
                revenue_usd=revenue[d],
                refunds_usd=REFUND_SHARE * revenue[d],
                ad_spend_usd=sales.ad_spend[d].sum(),
                ad_sales_usd=sales.ad_sales[d].sum(),
                cogs_usd=UNIT_COST_USD * sales.units[d].sum(),
            )
        )
    return pd.DataFrame(rows)


def _cash(
    scenario: Scenario, lines: pd.DataFrame, events: list[Event], failure_day: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Bank cash and Amazon's balance each day: profit less what Amazon holds back, with stock paid for when
    ordered rather than as sold; below zero from ``failure_day``."""
    days = len(lines)
    amazon = (0.6 * lines["revenue_usd"]).rolling(14, min_periods=1).sum().to_numpy()
    ordered = np.zeros(days)
    for day, kind, fields in events:
        if kind == "purchase_order":
            ordered[day] += fields["amount_usd"]
    cash = scenario.company.starting_cash_usd + (lines["profit_usd"] + lines["cogs_usd"] - ordered).cumsum() - amazon
    cash = cash.to_numpy(copy=True)
    if failure_day is not None:
        cash[failure_day:] -= cash[failure_day] + 2500  # a bill the bank cannot cover
    return cash, amazon


def _weeks(
    scenario: Scenario, rng: np.random.Generator, live: np.ndarray, hires: Sequence[Hire]
) -> tuple[pd.DataFrame, list[list[tuple]], list[Event]]:
    """The founder's weeks, each week's staff rows (the recorder's), and the founder's breakdowns.

    Burnout builds with hours past the healthy level and drains by a share a week, as the scenario's
    people settings say; at the crash level the founder breaks down and cuts back for its weeks."""
    people = scenario.people
    mondays = np.arange(0, len(live), 7)
    employed = [np.array([h.day <= d and (h.quit_day is None or d < h.quit_day) for h in hires]) for d in mondays]
    helpers = np.array([e.sum() for e in employed])
    demanded = 30 + 4 * live[mondays] - 12 * helpers + rng.normal(0, 3, len(mondays))
    rows, events, founder = [], [], []
    burnout, cut_back_until = 0.0, -1
    for week, (day, asked) in enumerate(zip(mondays, demanded, strict=True)):
        cut_back = week < cut_back_until
        healthy = people.healthy_hours_per_week
        hours = people.crash_hours_share * healthy if cut_back else min(asked, 1.5 * FOUNDER_HOURS)
        burnout += people.burnout_gain_per_week * max(0.0, hours - healthy) / healthy
        burnout -= people.burnout_drain_per_week * burnout
        if burnout >= people.burnout_crash_level and not cut_back:
            cut_back_until = week + 1 + people.crash_weeks
            detail = f"Founder broke down and cuts back for {people.crash_weeks} weeks"
            events.append((int(day), "breakdown", {"person_id": FOUNDER_ID, "role": "founder", "detail": detail}))
        managing = 2.0 * helpers[week]
        load = asked / FOUNDER_HOURS
        # the recorder's row: person_id, name, role, hours_worked, effective_hours, error_hours, managing_hours,
        # sick_days, load, burnout, cut_back, ramp_up
        week_rows = [
            (FOUNDER_ID, "Founder", "founder", hours, 0.8 * hours, 0.03 * hours, managing, 0, load, burnout,
             cut_back, 1.0)
        ]  # fmt: skip
        for i, h in enumerate(hires):
            if employed[week][i]:
                role = scenario.roles[h.role]
                ramp_up = min(1.0, (day - h.day) / role.ramp_up_days)
                worked = role.hours_per_week
                week_rows.append(
                    (FOUNDER_ID + 1 + i, h.name, h.role, worked, 0.8 * worked, 0.05 * worked, 0.0, 0,
                     rng.uniform(0.7, 1.2), 0.1, False, ramp_up)
                )  # fmt: skip
        founder.append((hours, load, burnout, 0.0, managing))
        rows.append(week_rows)
    return pd.DataFrame(founder, columns=list(FOUNDER_DAILY)), rows, events


def _people_events(scenario: Scenario, hires: Sequence[Hire], days: int, revenue: np.ndarray) -> list[Event]:
    """Position opened, hire and quit events of the employees; a hire's amount is the month's revenue before it."""
    events: list[Event] = []
    for rule, (pid, h) in enumerate(enumerate(hires, start=FOUNDER_ID + 1), start=1):
        role = scenario.roles[h.role]
        # as a staffing rule on the calendar reads
        reason = f"rule {rule}: {describe_condition(f'day >= {max(0, h.day - 45)}', scenario, role=h.role)}"
        events += [
            (
                max(0, h.day - 45),
                "position_opened",
                {"role": h.role, "detail": reason, "amount_usd": role.hiring_cost_usd},
            ),
            (
                h.day,
                "hire",
                {
                    "person_id": pid,
                    "role": h.role,
                    "detail": f"{h.name} hired ({reason})",
                    "amount_usd": float(revenue[max(0, h.day - 30) : h.day].sum()),
                },
            ),
        ]
        if h.quit_day is not None and h.quit_day < days:
            events.append((h.quit_day, "quit", {"person_id": pid, "role": h.role, "detail": f"{h.name} quit"}))
    return events


def _domains(rng: np.random.Generator, days: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Each work week's service level, backlog hours and error hours per domain."""
    weeks = []
    for day in range(0, days, 7):
        i = np.arange(len(DOMAINS))
        service = (0.75 + 0.2 * np.sin(day / 40 + i) + rng.normal(0, 0.03, len(DOMAINS))).clip(0, 1)
        weeks.append((service, (1 - service) * (20 + 10 * np.sin(day / 45)), 0.7 * (1 + service) * (1 + 0.2 * i)))
    return weeks


@cache
def _scenario(days: int, seed: int) -> Scenario:
    """The real scenario the run says it ran: its horizon and seed are the run's."""
    return load_scenario(STRATEGY_FILES["solo_then_hire"], [f"simulation.days={days}", f"simulation.seed={seed}"])
