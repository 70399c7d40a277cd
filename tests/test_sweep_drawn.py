"""Parameters drawn from distributions: quantiles in grids, draws in sampled designs, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sellersim.experiments.sweep.designs import make_design
from sellersim.experiments.sweep.spec import Drawn, SweepSpec
from sellersim.scenario.errors import ScenarioError
from sellersim.scenario.loader import load_model


def spec_file(tmp_path: Path, parameter: str, design: str) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(
        f"""name: drawn
strategies: [a.yaml]
parameters:
  - {parameter}
design: {design}
replications: 1
figures: [survived]
seed: 4
"""
    )
    return path


def test_lognormal_draws_follow_the_distribution(tmp_path: Path) -> None:
    spec = load_model(
        spec_file(
            tmp_path,
            "{path: market.niches.cpc_usd.median, distribution: lognormal, median: 1.0, sigma: 0.3}",
            "{kind: lhs, samples: 400}",
        ),
        SweepSpec,
    )
    values = make_design(spec).points["market.niches.cpc_usd.median"].to_numpy()
    assert np.median(values) == pytest.approx(1.0, rel=0.03)
    assert np.std(np.log(values)) == pytest.approx(0.3, rel=0.08)
    assert values.min() > 0


def test_grid_takes_equally_likely_slices(tmp_path: Path) -> None:
    spec = load_model(
        spec_file(
            tmp_path,
            "{path: supply.duty_rate, distribution: triangular, low: 0.1, mode: 0.3, high: 0.5}",
            "{kind: grid, levels: 4}",
        ),
        SweepSpec,
    )
    values = make_design(spec).points["supply.duty_rate"].to_numpy()
    assert len(values) == 4 and np.all(np.diff(values) > 0)
    assert values[0] > 0.1 and values[-1] < 0.5
    drawn = spec.parameters[0]
    assert isinstance(drawn, Drawn) and drawn.low < values[0] and drawn.high > values[-1]


def test_a_distribution_missing_its_shape_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = spec_file(tmp_path, "{path: supply.duty_rate, distribution: lognormal, median: 0.3}", "{kind: lhs}")
    with pytest.raises(
        ScenarioError, match=r"sweep.yaml:4:5: parameters.0.drawn: a lognormal distribution needs sigma"
    ):
        load_model(path, SweepSpec)
