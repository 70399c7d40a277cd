"""Shared fixtures for the model tests: scenario paths, a loader, and a made-up product."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sellersim.api import load_scenario
from sellersim.market.catalog import NewProduct
from sellersim.model import SellerModel
from sellersim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "base.yaml"
STRATEGY_FILES = {p.stem: p for p in sorted((ROOT / "scenarios" / "strategies").glob("*.yaml"))}

# A niche in catalogue columns (what development hands over), chosen by hand so tests
# do not depend on niche draws.
TEST_NICHE = {
    "sessions_per_day": 1000.0,
    "niche_price_usd": 30.0,
    "cpc_usd": 1.0,
    "base_conversion": 0.12,
    "competitor_units_per_day": 8.0,
    "max_organic_share": 0.15,
    "return_rate": 0.0,
    "weight_lb": 0.8,
    "cuft": 0.15,
    "expected_units_per_day": 10.0,
    "small_standard": 0.0,
    "planned_units_per_day": 10.0,
    "growth_per_year": 0.08,  # the base market's growth, seen as it is
    "growth_seen_per_year": 0.08,
    "reception": 1.0,  # buyers take to it as the niche's figures promise
}


def make_product(name: str = "T", **changes: float) -> NewProduct:
    """A product in :data:`TEST_NICHE`; keyword arguments replace niche columns."""
    niche = {**TEST_NICHE, **changes}
    return NewProduct(
        name=name,
        niche=niche,
        price_usd=niche["niche_price_usd"],
        price_index=1 / 1.075,  # the niche price: below the base premium (0.15) at differentiation 0.5
        fob_usd=6.0,
        defect_rate=0.0,
        differentiation=0.5,
        listing_quality=1.0,
        fba_fee_usd=4.0,
        referral_usd=4.5,
    )


def one_product_on_sale(scenario: Scenario) -> tuple[SellerModel, int]:
    """A model whose catalogue holds one product, launched on day 0 with ample stock; and its id."""
    model = SellerModel(scenario)
    i = model.catalog.add(make_product(), 0.4, 20.0)
    model.catalog.receive(i, 10_000, 0, 10.0)
    model.market.launch(i, 0)
    return model, i


@pytest.fixture(scope="session")
def load() -> Callable[..., Scenario]:
    """``load(name_or_path, *overrides)``: a shipped strategy by name, ``"base"``, or a path."""

    def _load(which: str | Path = "base", *overrides: str) -> Scenario:
        path = BASE if which == "base" else STRATEGY_FILES.get(str(which), which)
        return load_scenario(path, list(overrides))

    return _load


@pytest.fixture(scope="session")
def base(load: Callable[..., Scenario]) -> Scenario:
    """The base scenario, shortened to 400 days."""
    return load("base", "simulation.days=400")
