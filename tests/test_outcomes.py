"""A run's catalogue outcomes: how concentrated its revenue is, which launches flopped and which were soon
retired."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sellersim.api import load_scenario, run_model, run_scenario
from sellersim.experiments.replication import with_seed
from sellersim.experiments.validation.check import spreads
from sellersim.experiments.validation.measures import Outcomes, launches_short_of_plan, outcomes
from sellersim.results.summary import launches_flopped, launches_retired, top3_revenue_share


def product_days(revenue_by_product: dict[int, list[float]], proceeds_share: float = 0.5) -> pd.DataFrame:
    rows = [
        {"day": day, "product_id": pid, "revenue_usd": r, "proceeds_usd": proceeds_share * r}
        for pid, series in revenue_by_product.items()
        for day, r in enumerate(series)
    ]
    return pd.DataFrame(rows)


def test_top3_share_counts_only_the_last_year() -> None:
    days = 730
    # product 3 sold most in the first year; in the last year products 0, 1 and 3 carry 565 of 600
    series = {
        0: [0.0] * 365 + [265 / 365] * 365,
        1: [0.0] * 365 + [200 / 365] * 365,
        2: [0.0] * 365 + [35 / 365] * 365,
        3: [10.0] * 365 + [100 / 365] * 365,
        4: [0.0] * days,
    }
    share = top3_revenue_share(product_days(series))
    assert share == pytest.approx((265 + 200 + 100) / 600, abs=1e-4)
    assert top3_revenue_share(pd.DataFrame(columns=["day", "product_id", "revenue_usd"])) is None


def test_a_flop_is_a_launch_a_year_old_whose_proceeds_never_reached_its_first_order() -> None:
    products = product_days({0: [100.0] * 500, 1: [2.0] * 500, 2: [100.0] * 500})
    events = pd.DataFrame(
        [
            {"day": 10, "kind": "launch", "product_id": 0, "amount_usd": np.nan},
            {"day": 20, "kind": "launch", "product_id": 1, "amount_usd": np.nan},
            {"day": 200, "kind": "launch", "product_id": 2, "amount_usd": np.nan},  # not a year old at day 499
            {"day": 0, "kind": "purchase_order", "product_id": 0, "amount_usd": 10_000.0},
            {"day": 5, "kind": "purchase_order", "product_id": 1, "amount_usd": 10_000.0},
            {"day": 30, "kind": "purchase_order", "product_id": 1, "amount_usd": 1.0},  # a later order does not count
            {"day": 150, "kind": "purchase_order", "product_id": 2, "amount_usd": 10**9},
        ]
    )
    # product 0 brought back 50 a day x 500 = 25,000 > 10,000; product 1 only 500 < 10,000
    assert launches_flopped(events, products) == (2, 1)


def test_a_launch_retired_within_a_year_of_its_launch_counts_once_it_is_a_year_old() -> None:
    products = product_days({k: [1.0] * 800 for k in range(4)})
    events = pd.DataFrame(
        [
            {"day": 10, "kind": "launch", "product_id": 0},
            {"day": 300, "kind": "retired", "product_id": 0},  # within a year
            {"day": 20, "kind": "launch", "product_id": 1},
            {"day": 400, "kind": "retired", "product_id": 1},  # later
            {"day": 30, "kind": "launch", "product_id": 2},  # never retired
            {"day": 600, "kind": "launch", "product_id": 3},  # not a year old at day 799
            {"day": 700, "kind": "retired", "product_id": 3},
        ]
    )
    assert launches_retired(events, products) == (3, 1)


def test_a_launch_is_short_of_plan_when_its_first_year_sold_less_than_half_the_planned_year() -> None:
    products = product_days({k: [0.0] * 800 for k in range(3)})
    products["units_sold"] = 0
    sold = {0: (10, 4), 1: (20, 6), 2: (600, 100)}  # product: (launch day, units a day from then)
    for k, (day, units) in sold.items():
        products.loc[(products["product_id"] == k) & (products["day"] >= day), "units_sold"] = units
    events = pd.DataFrame([{"day": day, "kind": "launch", "product_id": k} for k, (day, _) in sold.items()])
    planned = np.array([10.0, 10.0, 1.0])  # 4 a day is under half of 10; 6 is not; product 2 is not a year old
    assert launches_short_of_plan(events, products, planned) == 1


def test_the_spread_pools_flops_and_takes_percentiles_over_runs() -> None:
    runs = [Outcomes(0.5 + 0.01 * k, 2, k % 2, int(k > 7), 1, 1000.0 * k, 100.0 * (k % 3)) for k in range(1, 11)]
    by = {s.measure: s for s in spreads(runs)}
    assert by["flop_share"].value == pytest.approx(5 / 20) and by["flop_share"].n == 20
    assert by["retired_share"].value == pytest.approx(3 / 20) and by["retired_share"].n == 20
    assert by["short_share"].value == pytest.approx(10 / 20)
    assert by["last_year_revenue_usd"].value == pytest.approx(5500.0)
    assert by["last_year_revenue_usd"].p10 == pytest.approx(np.percentile(np.arange(1, 11) * 1000.0, 10))
    assert by["top3_revenue_share"].n == 10
    assert by["last_year_owners_pay_usd"].value == pytest.approx(100.0)  # the median of 0-200 a run
    assert by["last_year_owners_pay_usd"].p90 == pytest.approx(200.0)


def test_a_runs_outcomes_count_the_owners_pay_of_its_last_year_only() -> None:
    scenario = load_scenario(Path(__file__).parent.parent / "scenarios" / "strategies" / "never_hire.yaml")
    model = run_model(with_seed(scenario, 6))
    pay = model.recorder.daily["owners_pay_usd"]
    last_year = float(pay[model.horizon_days - 365 : model.horizon_days].sum())
    assert 0 < last_year < float(pay.sum()), "this run pays its owner in the last year and before it"
    assert outcomes(model).last_year_owners_pay_usd == pytest.approx(last_year)


def test_a_runs_summary_has_its_lowest_cash_point_and_its_payroll() -> None:
    scenario = load_scenario(
        Path(__file__).parent.parent / "scenarios" / "strategies" / "offshore_va_first.yaml", ["simulation.days=400"]
    )
    result = run_scenario(with_seed(scenario, 3))
    daily, summary = result.daily, result.summary
    lowest = daily["cash_usd"].idxmin()
    assert summary["lowest_cash_usd"] == pytest.approx(daily.loc[lowest, "cash_usd"], abs=0.01)
    assert summary["lowest_cash_day"] == daily.loc[lowest, "day"]
    assert summary["lowest_cash_usd"] <= min(daily["cash_usd"].iloc[0], summary["final_cash_usd"])
    assert summary["cumulative_payroll_usd"] == pytest.approx(daily["payroll_usd"].sum(), abs=0.01)
    assert summary["cumulative_payroll_usd"] > 0, "the premise: an assistant is hired and paid"
