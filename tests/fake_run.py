"""A fabricated but plausible run result, its tables in the recorder's column contract, for report tests."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from conftest import STRATEGY_FILES
from sellersim.domains import DOMAINS
from sellersim.money.income import FEE_COLUMNS
from sellersim.results.run import RunResult
from sellersim.scenario.loader import load_scenario
from sellersim.scenario.schema import Scenario

ROLES = (
    "operator",
    "ads_specialist",
    "customer_service",
    "designer",
    "product_developer",
    "procurement",
    "logistics",
    "finance_admin",
    "offshore_va",
)
START = pd.Timestamp("2027-01-04")
STARTING_CASH = 40_000.0
FOUNDER_HOURS = 50.0


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
SALARY = {"operator": 2170, "ads_specialist": 2170, "customer_service": 1265}


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
    day = np.arange(days)
    dates = START + pd.to_timedelta(day, unit="D")
    launch_days = np.linspace(60, 0.8 * days, n_products).astype(int)
    names = [f"P{i + 1} {rng.choice(['kitchen', 'garden', 'pet', 'office', 'baby'])}" for i in range(n_products)]

    products, events, stock_all = _products(rng, day, dates, launch_days, names)
    p = products.groupby("day")
    daily = pd.DataFrame({"day": day, "date": dates})
    for col in ("revenue_usd", "units_sold", "ad_spend_usd"):
        daily[col] = p[col].sum().reindex(day, fill_value=0.0).to_numpy()
    daily["lost_sales_units"] = p["lost_units"].sum().reindex(day, fill_value=0.0).to_numpy()
    daily["inventory_units"] = stock_all
    daily["inbound_units"] = np.where((day % 60) < 40, 1500.0 * (daily["revenue_usd"] > 0), 0.0)
    daily["stockout_products"] = p["stock_units"].apply(lambda s: int((s <= 0).sum())).reindex(day, fill_value=0)
    daily["live_products"] = (launch_days[None, :] <= day[:, None]).sum(axis=1)
    rev = daily["revenue_usd"]
    daily["refunds_usd"] = 0.03 * rev
    for col, share in zip(FEE_COLUMNS, (0.15, 0.18, 0.015, 0.002, 0.003, 0.01, 0.001, 0.001, 0.001, 0.0), strict=True):
        daily[col] = share * rev
    daily["cogs_usd"] = 0.25 * rev
    daily["ad_sales_usd"] = daily["ad_spend_usd"] / rng.uniform(0.25, 0.45, days)
    daily["overhead_usd"] = 25.0

    headcount = {role: np.zeros(days, dtype=int) for role in ROLES}
    payroll = np.zeros(days)
    for h in hires:
        end = days if h.quit_day is None else h.quit_day
        headcount[h.role][h.day : end] += 1
        payroll[h.day : end] += SALARY.get(h.role, 1500) / 30
    daily["payroll_usd"] = payroll
    daily["owners_pay_usd"] = np.where((day % 30 == 29) & (day > 400), 2500.0, 0.0)
    daily["sde_usd"] = (
        rev
        - daily[["refunds_usd", *FEE_COLUMNS]].sum(axis=1)
        - daily[["ad_spend_usd", "cogs_usd", "payroll_usd", "overhead_usd"]].sum(axis=1)
    )
    daily["profit_usd"] = daily["sde_usd"] - daily["owners_pay_usd"]
    daily["amazon_balance_usd"] = (0.6 * rev).rolling(14, min_periods=1).sum()
    cash = (STARTING_CASH + daily["profit_usd"].cumsum() - daily["amazon_balance_usd"]).to_numpy(copy=True)
    cash -= 8000 * np.searchsorted(launch_days - 75, day, side="right").clip(max=4)
    if failure_day is not None:
        cash[: failure_day + 1] -= np.linspace(0, cash[failure_day] + 2500, failure_day + 1)
    daily["cash_usd"] = cash
    daily["headcount"] = sum(headcount.values())
    for role in ROLES:
        daily[f"headcount_{role}"] = headcount[role]

    staff, founder = _staff(rng, days, hires, daily)
    daily["founder_hours"] = np.repeat(founder["hours_worked"].to_numpy(), 7)[:days]
    daily["founder_load"] = np.repeat(founder["load"].to_numpy(), 7)[:days]
    wave = np.sin(day / 45)
    for i, domain in enumerate(DOMAINS):
        service = (0.75 + 0.2 * np.sin(day / 40 + i) + rng.normal(0, 0.03, days)).clip(0, 1)
        daily[f"service_{domain}"] = service
        daily[f"backlog_{domain}_hours"] = (1 - service) * (20 + 10 * wave)
        daily[f"errors_{domain}_hours"] = 0.1 * (1 + service) * (1 + 0.2 * i)
    daily["acos"] = (daily["ad_spend_usd"] / daily["ad_sales_usd"]).where(daily["ad_spend_usd"] > 0)
    daily["tacos"] = (daily["ad_spend_usd"] / rev).where(rev > 0)
    daily["avg_rating"] = np.where(day > launch_days[0] + 30, 4.3, np.nan)
    daily["suspended"] = (day >= 500) & (day < 507)

    events = pd.concat([events, _people_events(hires, days), _other_events(daily, failure_day)])
    events["date"] = START + pd.to_timedelta(events["day"], unit="D")
    events = events.sort_values("day", kind="stable").reset_index(drop=True)
    events = events.astype({"product_id": "Int64", "person_id": "Int64", "amount_usd": float})
    events = events[["day", "date", "kind", "product_id", "person_id", "role", "detail", "amount_usd"]]

    last = days - 1 if failure_day is None else failure_day
    daily = daily[daily["day"] <= last].reset_index(drop=True)
    products = products[products["day"] <= last].drop(columns="lost_units").reset_index(drop=True)
    staff = staff[staff["week"] * 7 <= last].reset_index(drop=True)
    events = events[events["day"] <= last].reset_index(drop=True)
    return RunResult(
        scenario=_scenario(),
        daily=daily,
        products=products,
        staff=staff,
        events=events,
        ledger=pd.DataFrame(columns=["day", "date"]),  # the report draws nothing from the ledger
        summary=_summary(daily, staff, hires, failure_day),
        meta={
            "scenario": "base",
            "strategy": "solo_then_hire",
            "seed": seed,
            "days": days,
            "start_date": START.date(),
            "sellersim_version": "0.1.0",
        },
    )


def _products(
    rng: np.random.Generator,
    day: np.ndarray,
    dates: pd.DatetimeIndex,
    launch_days: np.ndarray,
    names: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Per-product daily rows, product events and total sellable stock per day."""
    rows, events = [], []
    stock_all = np.zeros(len(day))
    q4 = 1 + 0.5 * ((dates.month >= 11) | (dates.month == 12))
    for pid, (launch, name) in enumerate(zip(launch_days, names, strict=True), start=1):
        events += [
            (max(0, launch - 100), "development_started", pid, f"Started developing {name}", np.nan),
            (max(0, launch - 75), "purchase_order", pid, f"Ordered 800 units of {name}", 6400.0),
            (max(0, launch - 5), "arrived", pid, f"800 units of {name} arrived", np.nan),
            (launch, "launch", pid, f"Launched {name}", np.nan),
        ]
        potential = rng.lognormal(np.log(90), 0.8)
        price = rng.uniform(18, 45)
        stock, restock_day = 800.0, None
        for d in day[launch:]:
            demand = potential * min(1.0, (d - launch + 1) / 60) * q4[d] * rng.lognormal(0, 0.2) / price
            sold = min(stock, demand)
            stock -= sold
            if stock <= 0 and restock_day is None:
                restock_day = d + 20
                events.append((d, "stockout", pid, f"{name} sold out", np.nan))
            if restock_day == d:
                stock, restock_day = 800.0, None
                events.append((d, "restock", pid, f"{name} back in stock", np.nan))
            stock_all[d] += stock
            revenue = sold * price
            rows.append(
                (
                    d,
                    pid,
                    name,
                    revenue,
                    sold,
                    demand - sold,
                    stock,
                    rng.uniform(),
                    d // 10,
                    4.4,
                    0.12 * revenue,
                )
            )
    products = pd.DataFrame(
        rows,
        columns=[
            "day",
            "product_id",
            "name",
            "revenue_usd",
            "units_sold",
            "lost_units",
            "stock_units",
            "rank",
            "reviews",
            "rating",
            "ad_spend_usd",
        ],
    )
    products.insert(1, "date", START + pd.to_timedelta(products["day"], unit="D"))
    events_df = pd.DataFrame(events, columns=["day", "kind", "product_id", "detail", "amount_usd"])
    return products, events_df.assign(person_id=pd.NA, role=None), stock_all


def _staff(
    rng: np.random.Generator, days: int, hires: Sequence[Hire], daily: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Weekly rows for the founder (person 0) and each employee, and the founder's rows alone."""
    weeks = np.arange((days + 6) // 7)
    live = daily["live_products"].to_numpy()[np.minimum(weeks * 7, days - 1)]
    helpers = daily["headcount"].to_numpy()[np.minimum(weeks * 7, days - 1)]
    demanded = 30 + 4 * live - 12 * helpers + rng.normal(0, 3, len(weeks))
    load = demanded / FOUNDER_HOURS
    founder = pd.DataFrame(
        {
            "week": weeks,
            "person_id": 0,
            "name": "Founder",
            "role": "founder",
            "hours_worked": np.minimum(demanded, FOUNDER_HOURS * 1.3),
            "load": load,
            "burnout": np.clip(np.cumsum(np.where(load > 1.1, 0.1, -0.05)), 0, 1),
        }
    )
    frames = [founder]
    for pid, h in enumerate(hires, start=1):
        end = days if h.quit_day is None else h.quit_day
        w = np.arange(h.day // 7, (end - 1) // 7 + 1)
        frames.append(
            pd.DataFrame(
                {
                    "week": w,
                    "person_id": pid,
                    "name": h.name,
                    "role": h.role,
                    "hours_worked": 48.0,
                    "load": rng.uniform(0.7, 1.2, len(w)),
                    "burnout": 0.1,
                }
            )
        )
    staff = pd.concat(frames, ignore_index=True)
    staff["cut_back"] = staff["burnout"] > 0.8
    staff["managing_hours"] = np.where(staff["role"] == "founder", 2.0 * len(hires), 0.0)
    staff.insert(1, "date", START + pd.to_timedelta(staff["week"] * 7, unit="D"))
    return staff, founder


def _people_events(hires: Sequence[Hire], days: int) -> pd.DataFrame:
    """Position opened, hire and quit events of the employees."""
    rows = []
    for pid, h in enumerate(hires, start=1):
        title = h.role.replace("_", " ")
        rows += [
            (max(0, h.day - 45), "position_opened", pid, h.role, f"Opened a {title} position"),
            (h.day, "hire", pid, h.role, f"Hired {h.name} as {title}"),
        ]
        if h.quit_day is not None and h.quit_day < days:
            rows.append((h.quit_day, "quit", pid, h.role, f"{h.name} ({title}) quit"))
    frame = pd.DataFrame(rows, columns=["day", "kind", "person_id", "role", "detail"])
    return frame.assign(product_id=pd.NA, amount_usd=np.nan)


def _other_events(daily: pd.DataFrame, failure_day: int | None) -> pd.DataFrame:
    """A week-long account suspension, and the failure if any."""
    rows = [
        (500, "suspension", "Account suspended: policy review"),
        (507, "reinstated", "Account reinstated"),
    ]
    if failure_day is not None:
        rows.append((failure_day, "failure", "Bank balance below zero"))
    frame = pd.DataFrame(rows, columns=["day", "kind", "detail"])
    return frame.assign(product_id=pd.NA, person_id=pd.NA, role=None, amount_usd=np.nan)


def _summary(
    daily: pd.DataFrame, staff: pd.DataFrame, hires: Sequence[Hire], failure_day: int | None
) -> dict[str, object]:
    """The key figures of the (possibly truncated) run."""
    monthly = daily.set_index("date")[["revenue_usd", "profit_usd"]].resample("MS").sum()
    profitable = np.flatnonzero(monthly["profit_usd"].to_numpy() > 0)
    last = int(daily["day"].iloc[-1])
    founder = staff[staff["role"] == "founder"]
    return {
        "survived": failure_day is None,
        "failure_day": failure_day,
        "failure_cause": None if failure_day is None else "cash",
        "final_cash_usd": float(daily["cash_usd"].iloc[-1]),
        "cumulative_profit_usd": float(daily["profit_usd"].sum()),
        "cumulative_sde_usd": float(daily["sde_usd"].sum()),
        "cumulative_owners_pay_usd": float(daily["owners_pay_usd"].sum()),
        "founder_mean_weekly_hours": float(founder["hours_worked"].mean()),
        "founder_breakdowns": int(founder["cut_back"].diff().fillna(founder["cut_back"]).clip(lower=0).sum()),
        "peak_monthly_revenue_usd": float(monthly["revenue_usd"].max()),
        "months_to_first_profitable_month": int(profitable[0]) + 1 if len(profitable) else None,
        "hires": [
            {
                "role": h.role,
                "day": h.day,
                "date": START + pd.Timedelta(days=h.day),
                "monthly_revenue_usd": float(daily["revenue_usd"].iloc[max(0, h.day - 30) : h.day].sum()),
            }
            for h in hires
            if h.day <= last
        ],
        "peak_headcount": int(daily["headcount"].max()),
        "products_live": int(daily["live_products"].iloc[-1]),
        "stockout_days": int((daily["stockout_products"] > 0).sum()),
        "lost_sales_units": float(daily["lost_sales_units"].sum()),
        "founder_overload_weeks": int((founder["load"] > 1).sum()),
        "quits": sum(1 for h in hires if h.quit_day is not None and h.quit_day <= last),
    }


@cache
def _scenario() -> Scenario:
    """A real scenario for the result to carry (the report does not read it)."""
    return load_scenario(STRATEGY_FILES["solo_then_hire"])
