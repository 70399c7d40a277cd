"""Property-based: perturbed scenarios still keep every invariant of ``test_invariants``."""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import test_invariants as inv
from conftest import STRATEGY_FILES
from sellersim.api import load_scenario


@st.composite
def overrides(draw: st.DrawFn) -> tuple[str, list[str]]:
    strategy = draw(st.sampled_from(sorted(STRATEGY_FILES)))
    low = draw(st.integers(5, 40))
    mode = low + draw(st.integers(0, 20))
    high = mode + draw(st.integers(0, 20))
    sets = [
        f"simulation.seed={draw(st.integers(0, 2**31 - 1))}",
        f"simulation.days={draw(st.integers(60, 500) | st.integers(300, 500))}",
        f"company.starting_cash_usd={draw(st.integers(0, 200_000) | st.integers(30_000, 120_000))}",
        f"market.niches.cpc_usd.median={draw(st.floats(0.1, 4.0)):.3f}",
        f"supply.production_days={{low: {low}, mode: {mode}, high: {high}}}",
        f"market.reviews.review_rate={draw(st.floats(0.0, 0.2)):.4f}",
    ]
    return strategy, sets


@settings(max_examples=20, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=overrides())
def test_invariants_hold_in_perturbed_scenarios(case: tuple[str, list[str]]) -> None:
    strategy, sets = case
    scenario = load_scenario(STRATEGY_FILES[strategy], sets)
    model, result = inv.run(scenario)
    assert len(result.daily) == scenario.simulation.days or result.summary["failure_day"] is not None
    event(f"{strategy}: {'survived' if model.failure is None else 'failed'}")
    launched = result.summary["products_launched"]
    event(f"products launched: {'3+' if launched >= 3 else launched}")
    inv.check_all(model, result)


@settings(max_examples=15, deadline=None, derandomize=True, database=None)
@given(
    seed=st.integers(0, 10_000),
    cash=st.integers(20_000, 300_000),
    days=st.integers(200, 500),
)
def test_cash_floor_is_where_a_run_stops(seed: int, cash: int, days: int) -> None:
    """A run ends early only by failing, and only on the day cash first dropped below the floor."""
    scenario = load_scenario(
        STRATEGY_FILES["full_team_day_one"],
        [f"simulation.seed={seed}", f"simulation.days={days}", f"company.starting_cash_usd={cash}"],
    )
    model, result = inv.run(scenario)
    cash_series = result.daily["cash_usd"]
    floor = -scenario.company.credit_line_usd
    below = cash_series < floor
    if model.failure is None:
        assert len(result.daily) == days
        assert not below.any()
    else:
        day, cause = model.failure
        assert cause == "cash ran out"
        assert len(result.daily) == day + 1
        assert below.iloc[-1] and not below.iloc[:-1].any()
        assert result.summary["failure_day"] == day
    inv.check_ledger_balances(result)
