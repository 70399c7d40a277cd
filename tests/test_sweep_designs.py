"""Sweep designs: grid, random, Latin hypercube, Sobol and Morris points from a sweep spec."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sellersim.experiments.sweep.designs import DesignTable, make_design
from sellersim.experiments.sweep.spec import SweepSpec

CASH = {"path": "company.starting_cash_usd", "values": [20000, 40000, 80000]}
CPC = {"path": "market.niches.cpc_usd.median", "low": 0.6, "high": 1.6}
MULT = {"path": "strategy.parameters.profit_multiple", "low": 0.5, "high": 3.0}
HIRES = {"path": "strategy.parameters.max_hires", "low": 1, "high": 6, "integer": True}
MODE = {"path": "supply.mode", "values": ["sea", "air"]}


def spec(kind: str, parameters: list[dict[str, Any]], seed: int = 7, **design: Any) -> SweepSpec:
    return SweepSpec(
        name="t",
        strategies=["a.yaml"],
        parameters=parameters,
        design={"kind": kind, **design},
        replications=2,
        figures=["survived"],
        seed=seed,
    )


def test_grid_has_every_combination_with_exact_values() -> None:
    t = make_design(spec("grid", [MULT, CASH, CPC], levels=4))
    assert isinstance(t, DesignTable)
    assert len(t.points) == 4 * 3 * 4
    assert list(t.points.columns) == ["point", MULT["path"], CASH["path"], CPC["path"]]
    assert t.points["point"].tolist() == list(range(48))
    assert sorted(set(t.points[MULT["path"]])) == pytest.approx([0.5, 0.5 + 2.5 / 3, 0.5 + 5 / 3, 3.0])
    assert sorted(set(t.points[CPC["path"]])) == pytest.approx([0.6, 0.6 + 1 / 3, 0.6 + 2 / 3, 1.6])
    assert sorted(set(t.points[CASH["path"]])) == [20000, 40000, 80000]
    assert not t.points.drop(columns="point").duplicated().any()
    assert t.unit.shape == (48, 3)
    assert t.problem == {
        "num_vars": 3,
        "names": [MULT["path"], CASH["path"], CPC["path"]],
        "bounds": [[0.5, 3.0], [0.0, 1.0], [0.6, 1.6]],
    }


def test_categorical_levels_in_grid_and_random() -> None:
    g = make_design(spec("grid", [MODE, CPC], levels=3))
    assert len(g.points) == 6
    assert g.points[MODE["path"]].tolist() == ["sea"] * 3 + ["air"] * 3
    assert all(isinstance(v, str) for v in g.points[MODE["path"]])
    r = make_design(spec("random", [MODE, CPC], samples=200))
    assert set(r.points[MODE["path"]]) == {"sea", "air"}
    assert all(isinstance(v, str) for v in r.points[MODE["path"]])
    # the unit sample picks the value: floor(u * len(values))
    idx = np.floor(r.unit[:, 0] * 2).astype(int)
    assert [MODE["values"][i] for i in idx] == r.points[MODE["path"]].tolist()


@pytest.mark.parametrize("kind", ["random", "lhs", "sobol", "morris"])
def test_sampled_designs_are_deterministic_and_within_bounds(kind: str) -> None:
    params = [MULT, CASH, CPC, HIRES]
    a = make_design(spec(kind, params, samples=16, levels=4))
    b = make_design(spec(kind, params, samples=16, levels=4))
    c = make_design(spec(kind, params, seed=8, samples=16, levels=4))
    pd.testing.assert_frame_equal(a.points, b.points)
    np.testing.assert_array_equal(a.unit, b.unit)
    assert not np.array_equal(a.unit, c.unit)
    expected = {"random": 16, "lhs": 16, "sobol": 16 * (4 + 2), "morris": 16 * (4 + 1)}[kind]
    assert len(a.points) == expected == a.unit.shape[0]
    assert a.points["point"].tolist() == list(range(expected))
    assert a.points[MULT["path"]].between(0.5, 3.0).all()
    assert a.points[CPC["path"]].between(0.6, 1.6).all()
    assert set(a.points[CASH["path"]]) <= {20000, 40000, 80000}
    assert a.points[HIRES["path"]].between(1, 6).all()
    bounds = np.asarray(a.problem["bounds"])
    assert ((a.unit >= bounds[:, 0]) & (a.unit <= bounds[:, 1])).all()


def test_sobol_keeps_salib_row_order() -> None:
    from SALib.sample import sobol

    t = make_design(spec("sobol", [MULT, CPC], samples=8))
    expected = sobol.sample(t.problem, N=8, calc_second_order=False, seed=7)
    np.testing.assert_array_equal(t.unit, expected)
    np.testing.assert_allclose(t.points[MULT["path"]], expected[:, 0])


def test_lhs_is_stratified() -> None:
    t = make_design(spec("lhs", [MULT, CPC], samples=10))
    u = (t.points[CPC["path"]].to_numpy() - 0.6) / 1.0
    assert sorted(np.floor(u * 10).astype(int)) == list(range(10))


@pytest.mark.parametrize("kind", ["grid", "random", "lhs", "sobol", "morris"])
def test_integer_spans_give_ints(kind: str) -> None:
    t = make_design(spec(kind, [HIRES, CPC], samples=8, levels=4))
    col = t.points[HIRES["path"]]
    assert col.dtype == np.int64
    assert all(isinstance(v, int) for v in col.tolist())
    if kind == "grid":
        assert sorted(set(col)) == [1, 3, 4, 6]  # linspace(1, 6, 4) rounded


def test_integer_grid_drops_merged_values() -> None:
    t = make_design(spec("grid", [{"path": "x", "low": 0, "high": 2, "integer": True}], levels=5))
    assert t.points["x"].tolist() == [0, 1, 2]  # 0, 0.5, 1, 1.5, 2 rounded (half to even) then deduplicated


def test_morris_uses_levels_grid() -> None:
    t = make_design(spec("morris", [MULT, CASH], samples=4, levels=4))
    u = (t.points[MULT["path"]].to_numpy() - 0.5) / 2.5
    assert all(math.isclose(x * 3, round(x * 3), abs_tol=1e-9) for x in u)
    assert t.levels == 4 and t.kind == "morris"


@pytest.mark.parametrize(
    ("kind", "design"),
    [("grid", {"levels": 3}), ("random", {"samples": 5}), ("lhs", {"samples": 5}), ("sobol", {"samples": 8}),
     ("morris", {"samples": 3, "levels": 4})],
)  # fmt: skip
def test_the_size_checked_at_load_is_the_designs_size(kind: str, design: dict[str, int]) -> None:
    """The load-time limit on runs counts the points the design really makes."""
    s = spec(kind, [MULT, CPC, CASH] if kind == "grid" else [MULT, CPC], **design)
    assert len(make_design(s).points) == s.points()
