"""Run scenarios side by side over replications (common seeds) for the dynamics tests.

Replication ``r`` of every scenario gets the same seed, so paired differences
come from the scenarios, not from luck. Runs go to a process pool and come back
in replication order.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sellersim.api import collect
from sellersim.experiments.backends import LocalBackend
from sellersim.experiments.replication import replication_seed, with_seed
from sellersim.market.catalog import LIVE
from sellersim.model import SellerModel
from sellersim.people.agents import Employee
from sellersim.scenario.schema import Scenario

# SELLERSIM_TEST_SEED=<int> draws every validation test's luck again: a test must hold beyond one draw
MASTER_SEED = int(os.environ.get("SELLERSIM_TEST_SEED", "2027"))
OPERATIONS = ("listing", "ads", "after_sales")


@dataclass(frozen=True)
class Quit:
    """Force the first employee in ``role`` to quit on ``day``."""

    day: int
    role: str


@dataclass(frozen=True)
class Run:
    """What the dynamics tests read from one run."""

    daily: pd.DataFrame
    events: pd.DataFrame
    staff: pd.DataFrame
    stockout_share: float  # share of product-days on sale with no stock
    mean_rank: float  # mean organic rank over product-days on sale
    failed: bool
    differentiation: float  # mean at launch over the products developed (design's outcome), nan if none
    launch_listing_quality: float  # mean over the products developed (photography's outcome), nan if none
    trend_view_error: float  # mean |growth seen - true niche growth| over product-days, a year a year
    products: pd.DataFrame  # the product table (a row per product a day)

    def service_by_day(self) -> np.ndarray:
        """Mean service level of listing, ads and after-sales, day by day."""
        return self.daily[[f"service_{k}" for k in OPERATIONS]].to_numpy().mean(axis=1)

    def operations_service(self, days: slice) -> float:
        """Mean service level of listing, ads and after-sales over ``days``."""
        return float(self.service_by_day()[days].mean())

    def total(self, column: str, days: slice) -> float:
        return float(self.daily[column].iloc[days].sum())


def _run(job: tuple[str, int, Scenario, int, Quit | None]) -> tuple[str, int, Run]:
    name, r, scenario, seed, quit_ = job
    model = SellerModel(with_seed(scenario, seed))
    if quit_ is not None:
        while model.running and model.steps < quit_.day:
            model.step()
        leaver = next((e for e in model.employees if e.role == quit_.role), None)
        assert isinstance(leaver, Employee), f"no {quit_.role} to quit on day {quit_.day}"
        model.quit(leaver, quit_.day)
    model.run()
    result = collect(model)
    p, cat = result.products, model.catalog
    pid = p["product_id"].to_numpy()
    on_sale = (cat.status == LIVE)[pid] & (p["day"].to_numpy() >= cat.launch_day[pid])
    live = p[on_sale]
    stockout = float((live["stock_units"] == 0).mean()) if len(live) else np.nan
    rank = float(live["rank"].mean()) if len(live) else np.nan
    made = slice(scenario.company.existing.products, cat.n)  # products the run developed itself
    design = float(cat.launch_differentiation[made].mean()) if cat.n > made.start else np.nan
    photos = float(cat.launch_listing_quality[made].mean()) if cat.n > made.start else np.nan
    view_error = float((p["growth_seen_per_year"] - p["niche_growth_per_year"]).abs().mean()) if len(p) else np.nan
    failed = model.failure is not None
    run = Run(result.daily, result.events, result.staff, stockout, rank, failed, design, photos, view_error, p)
    return name, r, run


def replicate(
    scenarios: Mapping[str, Scenario],
    replications: int,
    quits: Mapping[str, Quit] | None = None,
    workers: int = 2,
) -> dict[str, list[Run]]:
    """Every scenario over ``replications`` common seeds; ``quits`` forces a quit in the named scenarios."""
    quits = quits or {}
    jobs = [
        (name, r, scenario, replication_seed(MASTER_SEED, r), quits.get(name))
        for r in range(replications)
        for name, scenario in scenarios.items()
    ]
    runs: dict[str, dict[int, Run]] = {name: {} for name in scenarios}
    with LocalBackend(workers) as backend:
        for name, r, run in backend.map_unordered(_run, jobs):
            runs[name][r] = run
    return {name: [by_r[r] for r in range(replications)] for name, by_r in runs.items()}


def paired_t(a: np.ndarray, b: np.ndarray) -> float:
    """t statistic of the mean paired difference ``a - b``."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(d.mean() / (d.std(ddof=1) / np.sqrt(len(d))))
