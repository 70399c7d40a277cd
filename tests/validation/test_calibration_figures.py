"""The default company reproduces the published figures it is calibrated to (``sellersim check-model``)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from sellersim.cli import app
from sellersim.experiments.validation.check import PROBE_SHARE, ModelCheck, check_model, pool
from sellersim.experiments.validation.measures import MEASURES, Sample
from sellersim.experiments.validation.targets import TARGETS

REPLICATIONS = 100  # as check-model: an operator is hired in about a fifth of the runs, and that many must show it
MIN_RUNS = 15  # runs that show a figure (an operator hired in some runs only): fewer leave too wide an interval


@pytest.fixture(scope="module")
def default_check(load) -> ModelCheck:
    return check_model(load("solo_then_hire"), REPLICATIONS, workers=2)


@pytest.mark.parametrize("target", TARGETS, ids=[t.measure for t in TARGETS])
def test_default_company_meets_the_published_figure(default_check: ModelCheck, target) -> None:
    figure = next(f for f in default_check.figures if f.target is target)
    made = max(2, REPLICATIONS // PROBE_SHARE) if target.probe else REPLICATIONS
    assert figure.runs >= min(MIN_RUNS, made // 3), "the figure must be seen in enough runs to be checked"
    assert figure.passed, (
        f"{target.label}: {figure.value:.4g} (95% CI {figure.ci_low:.4g}-{figure.ci_high:.4g}, "
        f"middle 90% {figure.spread_low:.4g}-{figure.spread_high:.4g}) outside {target.low:.4g}-{target.high:.4g}"
    )


def test_every_target_has_a_measure_and_a_sourced_range() -> None:
    assert {t.measure for t in TARGETS} <= set(MEASURES)
    assert all(t.low < t.high and t.source for t in TARGETS)


def test_pooling_is_a_ratio_of_sums_with_an_interval_that_covers() -> None:
    target = TARGETS[0]
    rng = np.random.default_rng(3)
    covered = 0
    for _ in range(400):
        weights = rng.uniform(50, 150, 30)
        samples = [Sample(float(w * rng.normal(0.45, 0.05)), float(w)) for w in weights]
        figure = pool(target, samples)
        assert figure.value == pytest.approx(sum(s.total for s in samples) / weights.sum())
        covered += figure.ci_low <= 0.45 <= figure.ci_high
    assert 0.92 <= covered / 400 <= 0.98


def test_spread_is_the_weighted_middle_90_percent_of_single_values() -> None:
    target = next(t for t in TARGETS if t.spread)
    values = np.arange(1.0, 101.0)
    figure = pool(target, [Sample.of(values[:50]), Sample.of(values[50:])])
    assert figure.value == pytest.approx(50.5)
    assert (figure.spread_low, figure.spread_high) == (5.0, 95.0)
    heavy = pool(target, [Sample.of(np.array([10.0, 30.0]), np.array([1.0, 99.0]))])
    assert heavy.spread_low == heavy.spread_high == 30.0
    assert not pool(target, [Sample.of(np.array([5.0, 12.0, 30.0]))]).passed, "a tail outside the range fails"


def test_check_is_the_same_on_any_number_of_workers(load) -> None:
    short = load("solo_then_hire", "simulation.days=500")
    one, two = (check_model(short, 4, workers=w).to_dict() for w in (1, 2))
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)


def test_cli_prints_the_table_writes_json_and_exits_1_on_a_miss(tmp_path) -> None:
    out = tmp_path / "check.json"
    args = ["check-model", "--replications", "2", "--workers", "1", "--set", "simulation.days=400", "--json", str(out)]
    result = CliRunner().invoke(app, args)
    written = json.loads(out.read_text())
    assert result.exit_code == (0 if written["passed"] else 1)
    assert not written["passed"], "400 days cannot show a full year of Q4 share"
    assert all(f["label"] in result.stdout for f in written["figures"])
    assert "FAIL" in result.stdout and "pass" in result.stdout


def test_cli_rejects_a_bad_override_with_exit_code_2() -> None:
    result = CliRunner().invoke(app, ["check-model", "--set", "market.niches.price_usd.median=-3"])
    assert result.exit_code == 2
    assert "price_usd" in result.stderr


def test_ctrl_c_keeps_the_runs_that_finished(load) -> None:
    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    check = check_model(load("solo_then_hire", "simulation.days=400"), 6, workers=1, progress=stop_after_two)
    assert check.interrupted and check.replications == 2
    assert all(f.runs <= 2 for f in check.figures) and any(f.runs == 2 for f in check.figures)
