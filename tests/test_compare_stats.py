"""Intervals for comparing strategies and the stopping rule: coverage in simulation, exact cases, edges."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats as sps

from sellersim.experiments.stats import (
    Interval,
    StoppingRule,
    half_width,
    mean_band,
    mean_interval,
    paired_difference,
    precision_reached,
    probability_of_beating,
    proportion_interval,
    quantile_bands,
)

TRIALS = 2000


# --- coverage in simulation -------------------------------------------------------------------------


def test_t_interval_covers_a_normal_mean_at_its_nominal_rate() -> None:
    rng = np.random.default_rng(20240601)
    covered = sum(mean_interval(rng.normal(10.0, 3.0, 30)).contains(10.0) for _ in range(TRIALS))
    assert 0.93 <= covered / TRIALS <= 0.97


def test_t_interval_covers_a_skewed_mean_nearly_at_its_nominal_rate() -> None:
    rng = np.random.default_rng(7)
    sigma = 0.5
    true_mean = math.exp(sigma**2 / 2)
    covered = sum(mean_interval(rng.lognormal(0.0, sigma, 30)).contains(true_mean) for _ in range(TRIALS))
    assert covered / TRIALS >= 0.90


@pytest.mark.parametrize("p", [0.05, 0.5, 0.92])
@pytest.mark.parametrize("n", [50, 100, 200])
def test_wilson_covers_a_known_proportion(p: float, n: int) -> None:
    rng = np.random.default_rng(int(p * 1000) + n)
    successes = rng.binomial(n, p, TRIALS)
    covered = sum(proportion_interval(int(k), n).contains(p) for k in successes)
    assert 0.92 <= covered / TRIALS <= 0.98
    # and exactly, summing the binomial probabilities of the outcomes whose interval covers p
    exact = sum(sps.binom.pmf(k, n, p) for k in range(n + 1) if proportion_interval(k, n).contains(p))
    assert 0.92 <= exact <= 0.98


def _crn_pairs(rng: np.random.Generator, n: int, diff: float) -> tuple[np.ndarray, np.ndarray]:
    """Two strategies sharing each replication's luck (sd 1000) with small own noise (sd 50)."""
    luck = rng.normal(0.0, 1000.0, n)
    return luck + diff + rng.normal(0.0, 50.0, n), luck + rng.normal(0.0, 50.0, n)


def test_paired_difference_covers_the_true_difference() -> None:
    rng = np.random.default_rng(11)
    covered = sum(paired_difference(*_crn_pairs(rng, 30, 200.0)).contains(200.0) for _ in range(TRIALS))
    assert 0.93 <= covered / TRIALS <= 0.97


def test_pairing_by_replication_narrows_the_interval() -> None:
    """The point of common random numbers: the shared luck cancels in the paired difference."""
    rng = np.random.default_rng(12)
    x, y = _crn_pairs(rng, 40, 200.0)
    paired = paired_difference(x, y)
    unpaired_hw = math.hypot(mean_interval(x).half_width, mean_interval(y).half_width)
    assert paired.half_width < 0.1 * unpaired_hw
    assert paired.contains(200.0)
    assert not paired.contains(0.0)
    assert paired.n == 40


def test_paired_difference_drops_pairs_with_a_missing_side() -> None:
    x = np.array([1.0, 2.0, np.nan, 4.0, 5.0])
    y = np.array([0.0, 1.0, 3.0, np.inf, 4.0])
    d = paired_difference(x, y)
    assert d.n == 3
    assert d.estimate == pytest.approx(1.0)
    assert d.half_width == 0.0
    with pytest.raises(ValueError):
        paired_difference([1.0, 2.0], [1.0])


# --- probability of beating -------------------------------------------------------------------------


def test_probability_of_beating_counts_ties_as_half() -> None:
    x = np.array([5.0, 3.0, 2.0, 7.0, 1.0, np.nan])
    y = np.array([4.0, 3.0, 6.0, 7.0, 0.0, 1.0])
    # pairs: win, tie, loss, tie, win; the last pair is dropped
    p = probability_of_beating(x, y)
    assert p.n == 5
    assert p.estimate == pytest.approx((2 + 0.5 * 2) / 5)
    assert p.low < p.estimate < p.high
    w = proportion_interval(3.0, 5)
    assert (p.low, p.high) == pytest.approx((w.low, w.high))


def test_probability_of_beating_flips_with_the_direction() -> None:
    x = np.array([5.0, 3.0, 2.0, 7.0, 1.0])
    y = np.array([4.0, 3.0, 6.0, 8.0, 0.0])
    higher = probability_of_beating(x, y, higher_is_better=True)
    lower = probability_of_beating(x, y, higher_is_better=False)
    assert higher.estimate == pytest.approx(0.5)  # 2 wins, 1 tie of 5
    assert lower.estimate == pytest.approx(0.5)  # 2 wins, 1 tie of 5
    assert probability_of_beating([1, 2, 3], [2, 3, 4]).estimate == 0.0
    assert probability_of_beating([1, 2, 3], [2, 3, 4], higher_is_better=False).estimate == 1.0
    assert probability_of_beating([1, 2, 3], [0, 3, 4], higher_is_better=False).estimate == pytest.approx(2 / 3)


def test_probability_of_beating_on_survival_flags() -> None:
    x = np.array([True, True, False, True])
    y = np.array([True, False, False, False])
    assert probability_of_beating(x, y).estimate == pytest.approx((2 + 0.5 * 2) / 4)


# --- edge cases -------------------------------------------------------------------------------------


def test_mean_interval_with_too_few_values() -> None:
    empty = mean_interval([])
    assert empty.n == 0 and math.isnan(empty.estimate) and math.isnan(empty.low) and math.isnan(empty.high)
    one = mean_interval([3.0, np.nan])
    assert one.n == 1 and one.estimate == 3.0 and math.isnan(one.low) and math.isnan(one.half_width)
    assert not one.contains(3.0)
    all_nan = mean_interval(np.full(10, np.nan))
    assert all_nan.n == 0 and math.isnan(all_nan.estimate)


def test_constant_data_gives_a_zero_width_interval() -> None:
    c = mean_interval(np.full(50, 7.25))
    assert (c.estimate, c.low, c.high, c.half_width) == (7.25, 7.25, 7.25, 0.0)
    assert c.contains(7.25)


def test_mean_interval_ignores_nan_and_matches_scipy() -> None:
    x = np.array([1.0, 4.0, np.nan, 2.0, 8.0, 5.0])
    i = mean_interval(x, confidence=0.9)
    lo, hi = sps.t.interval(0.9, 4, loc=4.0, scale=sps.sem([1.0, 4.0, 2.0, 8.0, 5.0]))
    assert i.n == 5 and i.estimate == 4.0
    assert (i.low, i.high) == pytest.approx((lo, hi))


def test_wilson_at_the_extremes_stays_in_bounds_with_positive_width() -> None:
    all_in = proportion_interval(40, 40)
    assert all_in.estimate == 1.0 and all_in.high == 1.0 and 0.9 < all_in.low < 1.0
    none = proportion_interval(0, 40)
    assert none.estimate == 0.0 and none.low == 0.0 and 0.0 < none.high < 0.1
    assert none.half_width == pytest.approx(all_in.half_width)
    empty = proportion_interval(0, 0)
    assert empty.n == 0 and math.isnan(empty.estimate) and math.isnan(empty.half_width)
    one = proportion_interval(1, 1)
    assert one.estimate == 1.0 and 0.0 < one.low < 1.0
    with pytest.raises(ValueError):
        proportion_interval(5, 4)
    with pytest.raises(ValueError):
        mean_interval([1.0, 2.0], confidence=1.0)


def test_wilson_matches_the_textbook_formula() -> None:
    # 15 of 50 at 95%: Wilson (0.1910, 0.4375)
    i = proportion_interval(15, 50)
    assert (i.low, i.high) == pytest.approx((0.19102, 0.43749), abs=1e-4)


def test_probability_of_beating_without_pairs() -> None:
    p = probability_of_beating([np.nan, 1.0], [2.0, np.nan])
    assert p.n == 0 and math.isnan(p.estimate)


def test_interval_to_dict_is_json_ready() -> None:
    d = Interval(1.5, 1.0, 2.0, 12).to_dict()
    assert d == {"estimate": 1.5, "low": 1.0, "high": 2.0, "half_width": 0.5, "n": 12}
    undefined = mean_interval([4.0]).to_dict()
    assert undefined == {"estimate": 4.0, "low": None, "high": None, "half_width": None, "n": 1}
    json.dumps(undefined, allow_nan=False)


# --- daily bands ------------------------------------------------------------------------------------


def test_quantile_bands_ignore_nan_per_day() -> None:
    values = np.array(
        [
            [1.0, 10.0, np.nan],
            [2.0, np.nan, np.nan],
            [3.0, 30.0, np.nan],
            [4.0, 20.0, np.nan],
            [5.0, 40.0, np.nan],
        ]
    )
    bands = quantile_bands(values, (0.0, 0.5, 1.0))
    assert bands.shape == (3, 3)
    np.testing.assert_allclose(bands[:, 0], [1.0, 3.0, 5.0])
    np.testing.assert_allclose(bands[:, 1], [10.0, 25.0, 40.0])
    assert np.isnan(bands[:, 2]).all()
    np.testing.assert_allclose(mean_band(values), [3.0, 25.0, np.nan])
    assert quantile_bands(values, [0.5]).shape == (1, 3)
    assert quantile_bands(np.empty((0, 4)), (0.1, 0.9)).shape == (2, 4)
    with pytest.raises(ValueError):
        quantile_bands(np.arange(5.0), (0.5,))


# --- precision and the stopping rule ----------------------------------------------------------------


def test_half_width_picks_wilson_for_survival_flags() -> None:
    flags = np.array([True] * 30 + [False] * 10)
    assert half_width(flags) == pytest.approx(proportion_interval(30, 40).half_width)
    assert half_width(flags.astype(float), proportion=False) == pytest.approx(mean_interval(flags).half_width)
    # all survived: a Wald/t interval would collapse to zero width; Wilson does not
    assert half_width(np.ones(20, dtype=bool)) > 0.05
    assert mean_interval(np.ones(20)).half_width == 0.0


def test_precision_reached_per_strategy() -> None:
    rng = np.random.default_rng(3)
    samples = {"tight": rng.normal(0, 1, 100), "loose": rng.normal(0, 100, 100), "short": np.array([1.0])}
    assert precision_reached(samples, 1.0) == {"tight": True, "loose": False, "short": False}


def _samples(rng: np.random.Generator, n: int, sd: dict[str, float]) -> dict[str, np.ndarray]:
    return {name: rng.normal(50_000.0, s, n) for name, s in sd.items()}


def test_stopping_rule_stops_when_every_strategy_is_narrow_enough() -> None:
    rule = StoppingRule("cumulative_profit_usd", target_half_width=5000, max_replications=2000, batch=40)
    rng = np.random.default_rng(5)
    stop, reason = rule.decide(_samples(rng, 240, {"never_hire": 20_000, "hire_early": 25_000}), done=240)
    assert stop
    assert reason == (
        "95% interval of cumulative_profit_usd narrower than ±5,000 for every strategy after 240 replications"
    )


def test_stopping_rule_continues_while_one_strategy_is_too_wide() -> None:
    rule = StoppingRule("cumulative_profit_usd", target_half_width=5000, max_replications=2000, batch=40)
    rng = np.random.default_rng(6)
    stop, reason = rule.decide(_samples(rng, 80, {"never_hire": 60_000, "hire_early": 2_000}), done=80)
    assert not stop
    assert "never_hire" in reason and "±5,000" in reason and "40 more" in reason
    assert rule.next_batch(80) == 40
    assert rule.next_batch(1990) == 10
    assert rule.next_batch(2000) == 0


def test_stopping_rule_stops_at_the_maximum_naming_the_widest() -> None:
    rule = StoppingRule("cumulative_profit_usd", target_half_width=5000, max_replications=2000, batch=40)
    rng = np.random.default_rng(8)
    samples = _samples(rng, 2000, {"never_hire": 165_000, "hire_early": 20_000})
    stop, reason = rule.decide(samples, done=2000)
    widest = mean_interval(samples["never_hire"]).half_width
    assert widest > 5000
    assert stop
    assert reason == f"reached the maximum of 2,000 replications; widest half-width ±{widest:,.0f} (never_hire)"


def test_stopping_rule_uses_wilson_for_survival() -> None:
    rule = StoppingRule("survived", target_half_width=0.05, max_replications=2000, batch=100)
    # 400 replications, all survive: Wilson half-width ~0.0048; 200 at 50% survival: ~0.069
    assert rule.decide({"a": np.ones(400, dtype=bool), "b": np.ones(400)}, done=400)[0]
    stop, reason = rule.decide({"a": np.ones(200), "b": np.arange(200) % 2 == 0}, done=200)
    assert not stop and "(b)" in reason and "±0.05" in reason


def test_stopping_rule_never_stops_early_on_too_few_values() -> None:
    rule = StoppingRule("months_to_first_profitable_month", target_half_width=1.0, max_replications=100, batch=10)
    samples = {"never_profitable": np.full(50, np.nan), "ok": np.full(50, 6.0)}
    stop, reason = rule.decide(samples, done=50)
    assert not stop and "undefined" in reason
    stop, reason = rule.decide(samples, done=100)
    assert stop and reason.endswith("widest half-width undefined (never_profitable: too few values)")


def test_stopping_rule_validates_its_settings() -> None:
    with pytest.raises(ValueError):
        StoppingRule("final_cash_usd", target_half_width=0, max_replications=10, batch=5)
    with pytest.raises(ValueError):
        StoppingRule("final_cash_usd", target_half_width=1.0, max_replications=10, batch=0)
