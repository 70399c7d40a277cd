"""Sweep analysis on synthetic runs: Sobol/Morris indices, effects, pair grids, failure regions."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sellersim.experiments.sweep.analysis import (
    difference_grid,
    effects,
    failure_region,
    pair_grid,
    point_means,
    ranking_text,
    sensitivity,
    verdict_map,
    verdict_text,
)
from sellersim.experiments.sweep.designs import DesignTable, make_design
from sellersim.experiments.sweep.labels import LABELS, parameter
from sellersim.experiments.sweep.spec import Levels, Span, SweepSpec, Verdict
from sellersim.formatting import money, share
from sellersim.scenario.loader import load_model


def spec(kind: str, parameters: list[dict[str, Any]], seed: int = 3, **design: Any) -> SweepSpec:
    return SweepSpec(
        name="t",
        strategies=["a.yaml"],
        parameters=parameters,
        design={"kind": kind, **design},
        replications=1,
        figures=["survived", "cumulative_profit_usd"],
        seed=seed,
    )


def fake_runs(
    design: DesignTable,
    fn: Callable[[pd.DataFrame], np.ndarray],
    figure: str = "cumulative_profit_usd",
    replications: int = 1,
    strategy: str = "s",
) -> pd.DataFrame:
    """One ok row per (point, replication), the figure computed from the point's values."""
    frames = []
    for r in range(replications):
        f = design.points.copy()
        f.insert(0, "strategy", strategy)
        f["replication"] = r
        f["status"] = "ok"
        f[figure] = fn(design.points)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def test_point_means_ignore_errors_and_other_strategies() -> None:
    runs = pd.DataFrame(
        {
            "strategy": ["s", "s", "s", "s", "t"],
            "point": [0, 0, 2, 2, 1],
            "replication": [0, 1, 0, 1, 0],
            "status": ["ok", "ok", "ok", "error", "ok"],
            "survived": [True, False, True, None, True],
            "cumulative_profit_usd": [1.0, 3.0, 5.0, np.nan, 9.0],
        }
    )
    np.testing.assert_allclose(point_means(runs, "s", "cumulative_profit_usd", 3), [2.0, np.nan, 5.0])
    np.testing.assert_allclose(point_means(runs, "s", "survived", 3), [0.5, np.nan, 1.0])


def test_sobol_recovers_ishigami_first_order_indices() -> None:
    from SALib.test_functions import Ishigami

    params = [{"path": f"x{i}", "low": -math.pi, "high": math.pi} for i in (1, 2, 3)]
    design = make_design(spec("sobol", params, samples=1024))
    runs = fake_runs(design, lambda pts: Ishigami.evaluate(pts[["x1", "x2", "x3"]].to_numpy()))
    si = sensitivity(design, runs, "s", "cumulative_profit_usd", "sobol")
    assert list(si.columns) == ["parameter", "index", "value", "conf"]
    s1 = si[si["index"] == "S1"].set_index("parameter")
    for name, expected in {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}.items():
        value, conf = s1.loc[name, "value"], s1.loc[name, "conf"]
        assert 0 < conf < 0.1
        assert abs(value - expected) <= conf, (name, value, conf)
    st = si[si["index"] == "ST"].set_index("parameter")["value"]
    assert st["x1"] > st["x3"] > 0.1  # x3 acts only through its interaction with x1
    # a seeded bootstrap: same confidence twice
    again = sensitivity(design, runs, "s", "cumulative_profit_usd", "sobol")
    pd.testing.assert_frame_equal(si, again)
    text = ranking_text({"cumulative_profit_usd": si})
    assert text[0].startswith("cumulative profit after owner's pay depends most on x1 (total-order Sobol index 0.")
    assert "; then x2 (" in text[0]


def test_ranking_does_not_name_a_winner_whose_index_is_within_its_interval_of_zero() -> None:
    noisy = pd.DataFrame({"parameter": ["a", "b"], "index": ["ST", "ST"], "value": [1.37, 1.02], "conf": [3.02, 2.32]})
    text = ranking_text({"survived": noisy})[0]
    assert text == (
        "survival: no parameter stands out with these runs; the largest, a (1.37 ± 3.02), is within its 95% interval"
        " of 0 (add samples or replications)"
    )
    assert "depends most" not in text


def test_sobol_fills_points_without_ok_runs() -> None:
    params = [{"path": "a", "low": 0, "high": 1}, {"path": "b", "low": 0, "high": 1}]
    design = make_design(spec("sobol", params, samples=64))
    runs = fake_runs(design, lambda pts: 5 * pts["a"].to_numpy() + pts["b"].to_numpy())
    runs.loc[runs["point"].isin([3, 10]), "status"] = "error"
    si = sensitivity(design, runs, "s", "cumulative_profit_usd")
    assert "2 of 256 points" in si.attrs["note"]
    assert si["value"].notna().all()
    st = si[si["index"] == "ST"].set_index("parameter")["value"]
    assert st["a"] > st["b"]


def test_constant_figure_gives_zero_indices() -> None:
    params = [{"path": "a", "low": 0, "high": 1}, {"path": "b", "low": 0, "high": 1}]
    design = make_design(spec("sobol", params, samples=16))
    runs = fake_runs(design, lambda pts: np.ones(len(pts)))
    si = sensitivity(design, runs, "s", "cumulative_profit_usd")
    assert (si["value"] == 0).all()
    assert "does not vary" in si.attrs["note"]


def test_morris_ranks_inert_parameter_last() -> None:
    params = [
        {"path": "a", "low": 0, "high": 1},
        {"path": "inert", "low": 0, "high": 10},
        {"path": "b", "low": -1, "high": 1},
        {"path": "c", "values": [1, 2, 3, 4]},
    ]
    design = make_design(spec("morris", params, samples=20, levels=4))

    def fn(pts: pd.DataFrame) -> np.ndarray:
        return 10 * pts["a"].to_numpy() + 3 * pts["b"].to_numpy() ** 2 + 2 * pts["c"].to_numpy()

    runs = fake_runs(design, fn, replications=2)
    mo = sensitivity(design, runs, "s", "cumulative_profit_usd", "morris")
    mu = mo[mo["index"] == "mu_star"].set_index("parameter")["value"]
    assert mu.idxmin() == "inert"
    assert mu["inert"] == pytest.approx(0.0, abs=1e-9)
    assert mu.idxmax() == "a"
    assert set(mo["index"]) == {"mu_star", "sigma"}
    text = ranking_text([mo])
    assert text == [text[0]]
    assert text[0].startswith("cumulative profit after owner's pay depends most on a (mean absolute effect μ* $")


def test_sensitivity_refuses_other_designs() -> None:
    design = make_design(spec("lhs", [{"path": "a", "low": 0, "high": 1}], samples=8))
    runs = fake_runs(design, lambda pts: pts["a"].to_numpy())
    with pytest.raises(ValueError, match="sobol or morris"):
        sensitivity(design, runs, "s", "cumulative_profit_usd")


def test_effects_recover_linear_trend() -> None:
    params = [{"path": "a", "low": 0, "high": 10}, {"path": "mode", "values": ["sea", "air"]}]
    design = make_design(spec("random", params, samples=2000))
    rng = np.random.default_rng(0)

    def fn(pts: pd.DataFrame) -> np.ndarray:
        bonus = np.where(pts["mode"] == "air", 5.0, 0.0)
        return 2.0 * pts["a"].to_numpy() + bonus + rng.normal(0, 1, len(pts))

    runs = fake_runs(design, fn)
    span = Span(path="a", low=0, high=10)
    levels = Levels(path="mode", values=["sea", "air"])
    eff = effects(runs, [span, levels], "s", "cumulative_profit_usd", bins=5)
    a = eff[eff["parameter"] == "a"]
    assert len(a) == 5
    assert a["n"].sum() == 2000 and a["n"].between(390, 410).all()  # equal-count bins
    slope = np.polyfit(a["level"].astype(float), a["mean"].astype(float), 1)[0]
    assert slope == pytest.approx(2.0, rel=0.1)
    assert (a["low"] < a["mean"]).all() and (a["mean"] < a["high"]).all()
    m = eff[eff["parameter"] == "mode"].set_index("level")
    assert m.loc["air", "mean"] - m.loc["sea", "mean"] == pytest.approx(5.0, abs=0.7)
    text = ranking_text({"cumulative_profit_usd": eff})
    top, bottom = a.loc[a["mean"].idxmax()], a.loc[a["mean"].idxmin()]
    assert text[0].startswith(
        f"cumulative profit after owner's pay depends most on a: {money(top['mean'])} on average at "
        f"{parameter('a').value(top['bin_low'])} to {parameter('a').value(top['bin_high'])},"
        f" {money(bottom['mean'])} at "
    ), "the highest and lowest means, at the bins' ranges (not at bin centres never simulated)"
    assert "; then mode ($" in text[0] and text[0].endswith(" between its levels)")


def test_effects_survival_uses_wilson() -> None:
    params = [{"path": "a", "low": 0, "high": 1}]
    design = make_design(spec("random", params, samples=500))
    runs = fake_runs(design, lambda pts: (pts["a"] < 0.8).to_numpy(), figure="survived")
    eff = effects(runs, [Span(path="a", low=0, high=1)], "s", "survived", bins=5)
    assert eff["mean"].iloc[0] == 1.0 and eff["high"].iloc[0] == 1.0 and eff["low"].iloc[0] < 1.0
    assert eff["mean"].iloc[-1] < 0.2 and (eff["low"] >= 0).all()
    assert ranking_text([eff])[0].startswith("survival depends most on a: 100% on average at 0")


def test_pair_grid_is_complete_long_frame() -> None:
    params = [{"path": "x", "low": 0, "high": 1}, {"path": "y", "values": [1, 2, 3]}]
    design = make_design(spec("random", params, samples=600))
    runs = fake_runs(design, lambda pts: pts["x"].to_numpy() * pts["y"].to_numpy())
    grid = pair_grid(
        runs, Span(path="x", low=0, high=1), Levels(path="y", values=[1, 2, 3, 4]), "s", "cumulative_profit_usd", bins=4
    )
    assert list(grid.columns) == ["x", "y", "mean", "n"]
    assert len(grid) == 4 * 4
    assert grid["n"].sum() == 600
    empty = grid[grid["y"] == 4]
    assert (empty["n"] == 0).all() and empty["mean"].isna().all()
    top = grid[(grid["y"] == 3)].sort_values("x")
    assert top["mean"].is_monotonic_increasing


def _recount(runs: pd.DataFrame, region: dict[str, Any]) -> dict[str, Any]:
    """A failure region's measures counted again from the runs, with the bounds as stated."""
    ops = {">": np.greater, "<": np.less, ">=": np.greater_equal, "<=": np.less_equal}
    inside = np.logical_and.reduce([ops[c["op"]](runs[c["path"]], c["value"]) for c in region["conditions"]])
    failed = ~runs["survived"].astype(bool)
    return {
        "n": int(inside.sum()),
        "failures": int((inside & failed).sum()),
        "density": (inside & failed).sum() / inside.sum(),
        "coverage": (inside & failed).sum() / failed.sum(),
        "mass": inside.mean(),
        "overall_density": failed.mean(),
    }


def test_failure_region_finds_planted_region() -> None:
    params = [
        {"path": "market.niches.cpc_usd.median", "low": 0, "high": 1},
        {"path": "company.starting_cash_usd", "low": 0, "high": 1},
        {"path": "z", "low": 0, "high": 1},
    ]
    design = make_design(spec("random", params, samples=4000))
    x, y = "market.niches.cpc_usd.median", "company.starting_cash_usd"
    runs = fake_runs(design, lambda pts: ~((pts[x] > 0.7) & (pts[y] < 0.3)).to_numpy(), figure="survived")
    spans = [Span(path=p["path"], low=0, high=1) for p in params]
    region = failure_region(runs, spans, "s", min_mass=0.03)
    assert region is not None
    conds = {c["path"]: c for c in region["conditions"]}
    assert set(conds) == {x, y}
    assert conds[x]["op"] == ">" and conds[x]["value"] == pytest.approx(0.8, abs=0.03)
    assert conds[y]["op"] == "<" and conds[y]["value"] == pytest.approx(0.2, abs=0.03)
    for c in conds.values():
        assert c["value"] == round(c["value"], 2), (
            "a quantile rounded to two digits: the bound counted is the one stated"
        )
    assert region["density"] == 1.0
    assert region["mass"] == pytest.approx(0.04, abs=0.01)
    assert region["overall_density"] == pytest.approx(0.09, abs=0.015)
    assert {k: region[k] for k in _recount(runs, region)} == pytest.approx(_recount(runs, region))
    assert [c["text"] for c in region["conditions"]] == [
        f"median cost per click above ${conds[x]['value']:.2f}",
        f"starting cash below ${conds[y]['value']:.2f}",
    ]
    n, failures, total = region["n"], region["failures"], region["total_failures"]
    assert region["text"] == (
        f"runs out of cash in 100% of the {n:,} runs with {region['conditions'][0]['text']} and"
        f" {region['conditions'][1]['text']} ({failures:,} of its {total:,} failures,"
        f" a coverage of {share(failures / total)}), against"
        f" {share(total / 4000)} of all its 4,000 runs"
    )


def test_failure_region_on_a_grid_is_bounded_at_the_levels_simulated() -> None:
    """Bounds on a grid are its levels, inclusive: never a value between two levels that no run had."""
    params = [{"path": "strategy.parameters.profit_multiple", "low": 0.5, "high": 3.0},
              {"path": "company.starting_cash_usd", "values": [20_000, 40_000, 70_000, 100_000]}]  # fmt: skip
    design = make_design(spec("grid", params, levels=4))
    pm, cash = (p["path"] for p in params)
    rng = np.random.default_rng(2)
    runs = fake_runs(design, lambda pts: rng.random(len(pts)) > np.where(pts[pm] < 1.5, 0.8, 0.1), "survived", 20)
    region = failure_region(runs, [Span(**params[0]), Levels(**params[1])], "s", binned=False)
    levels = {pm: set(design.points[pm]), cash: set(design.points[cash])}
    for c in region["conditions"]:
        assert c["op"] in (">=", "<=") and c["value"] in levels[c["path"]]
    assert region["conditions"][0] == {
        "path": pm, "op": "<=", "value": pytest.approx(4 / 3), "text": "hiring threshold 1.33 salaries or less"
    }  # fmt: skip
    assert {k: region[k] for k in _recount(runs, region)} == pytest.approx(_recount(runs, region))
    assert region["coverage"] == region["failures"] / region["total_failures"]


def test_failure_region_prefers_larger_support_and_respects_min_support() -> None:
    params = [{"path": "a", "low": 0, "high": 1}, {"path": "b_usd", "low": 0, "high": 100000}]
    design = make_design(spec("lhs", params, samples=1000))
    runs = fake_runs(design, lambda pts: ~((pts["a"] > 0.6) & (pts["b_usd"] < 40000)).to_numpy(), figure="survived")
    spans = [Span(path="a", low=0, high=1), Span(path="b_usd", low=0, high=100000)]
    region = failure_region(runs, spans, "s", min_mass=0.1)
    assert region is not None and region["density"] == 1.0
    assert region["mass"] == pytest.approx(0.16, abs=0.01)
    assert "b below $40k" in region["text"] and "a above 0.6" in region["text"]
    assert failure_region(runs, spans, "s", min_mass=0.5)["mass"] >= 0.5


def test_failure_region_none_when_nothing_failed() -> None:
    design = make_design(spec("random", [{"path": "a", "low": 0, "high": 1}], samples=50))
    runs = fake_runs(design, lambda pts: np.ones(len(pts), dtype=bool), figure="survived")
    assert failure_region(runs, [Span(path="a", low=0, high=1)], "s") is None


# --- verdicts -----------------------------------------------------------------------------------


def verdict_runs(rng: np.random.Generator) -> pd.DataFrame:
    """Three strategies on a 2-cell grid, 30 paired replications each.

    Cell 0: ``bold`` earns most but fails in 40% of runs; ``calm`` beats ``plain`` by 1,000 a run (paired
    noise 100) and is the clear winner. Cell 1: ``calm`` and ``plain`` tie up to paired noise.
    """
    rows = []
    for point, cash in enumerate((20_000, 80_000)):
        for r in range(30):
            common = rng.normal(50_000, 20_000)  # luck shared by the strategies in a replication
            lead = 1_000.0 if point == 0 else 0.0
            for strategy, sde, survived in (
                ("bold", common + 30_000, r % 5 >= 2),
                ("calm", common + lead + rng.normal(0, 100), True),
                ("plain", common + rng.normal(0, 100), r != 0),
            ):
                rows.append(
                    {"strategy": strategy, "point": point, "replication": r, "status": "ok",
                     "company.starting_cash_usd": cash, "survived": survived, "cumulative_sde_usd": sde}
                )  # fmt: skip
    return pd.DataFrame(rows)


def test_the_verdict_names_the_best_safe_strategy_per_cell_with_a_paired_margin() -> None:
    runs = verdict_runs(np.random.default_rng(4))
    cash = Levels(path="company.starting_cash_usd", values=[20_000, 80_000])
    frame = verdict_map(runs, [cash], Verdict(figure="cumulative_sde_usd", max_failure_share=0.1))
    first, second = frame.iloc[0], frame.iloc[1]
    assert first["winner"] == "calm" and first["runner_up"] == "plain", "the richer strategy fails too often"
    assert first["failure_shares"]["bold"] == pytest.approx(0.4)
    assert first["clear"] and first["margin_low"] > 0 and first["margin"] == pytest.approx(1_000, abs=100)
    assert first["pairs"] == 30
    assert not second["clear"], "a tie up to noise is no win"
    assert second["margin_low"] < 0 < second["margin_high"]
    loose = verdict_map(runs, [cash], Verdict(max_failure_share=0.5))
    assert list(loose["winner"]) == ["bold", "bold"], "a looser limit lets the risky strategy win"
    strict = verdict_map(runs, [cash], Verdict(max_failure_share=0.0))
    assert list(strict["winner"]) == ["calm", "calm"] and strict["clear"].all(), "the only safe strategy wins"
    text = verdict_text(frame, [cash])
    assert text[0] == (
        f"At starting cash $20k: calm leads plain on cumulative SDE (profit before owner's pay) by"
        f" {money(first['margin'], sign=True)} (95% interval {money(first['margin_low'])} to"
        f" {money(first['margin_high'])}, 30 paired runs)."
    )
    assert "no clear winner" in text[1]


def test_a_verdict_needs_a_grid_of_several_strategies() -> None:
    grid = {"kind": "grid", "levels": 2}
    base = {"name": "t", "parameters": [{"path": "company.starting_cash_usd", "values": [1, 2]}], "replications": 1,
            "figures": ["survived"], "seed": 1, "verdict": {"max_failure_share": 0.1}}  # fmt: skip
    SweepSpec(strategies=["a.yaml", "b.yaml"], design=grid, **base)
    with pytest.raises(ValueError, match="2\\+ strategies"):
        SweepSpec(strategies=["a.yaml"], design=grid, **base)
    with pytest.raises(ValueError, match="design kind grid"):
        SweepSpec(strategies=["a.yaml", "b.yaml"], design={"kind": "lhs", "samples": 4}, **base)
    with pytest.raises(ValueError, match="risk limit"):
        Verdict(figure="survived")
    with pytest.raises(ValueError, match="unknown figure"):
        Verdict(figure="cumulative_sdr_usd")


def test_the_verdict_says_when_nobody_or_one_is_safe_and_which_strategies_errored() -> None:
    rows = []
    for point, freight in enumerate(("sea", "air", "rail")):
        for r in range(4):
            for strategy in ("bold", "calm", "odd"):
                survived = strategy == "calm" if point == 1 else point == 0
                status = "error" if (strategy == "odd" and point == 0 and r == 2) else "ok"
                rows.append(
                    {"strategy": strategy, "point": point, "replication": r, "status": status,
                     "strategy.reorder.freight": freight, "survived": survived, "cumulative_sde_usd": float(r)}
                )  # fmt: skip
    freight = Levels(path="strategy.reorder.freight", values=["sea", "air", "rail"])
    frame = verdict_map(pd.DataFrame(rows), [freight], Verdict(max_failure_share=0.1))
    assert frame["winner"].tolist() == ["bold", "calm", None], "None, not NaN, where nobody is safe"
    assert frame["runner_up"].tolist() == ["calm", None, None]
    assert frame["errored"].tolist() == [["odd"], [], []] and "odd" not in frame["safe"].iloc[0]
    text = verdict_text(frame, [freight])
    assert text[0].startswith("At freight sea: no clear winner: bold leads calm")
    assert text[0].endswith("Not judged, their runs failed with errors: odd.")
    assert text[1] == "At freight air: calm, the only strategy that runs out of cash in 10% of runs or fewer."
    assert text[2] == "At freight rail: no strategy runs out of cash in 10% of runs or fewer."


# --- levels as simulated, labels, strategy against strategy ---------------------------------------


def test_a_grid_is_analysed_at_the_levels_it_simulated() -> None:
    """Three levels stay three points at their own values: no quantile bins at values never run (1.125, 2.375)."""
    params = [{"path": "x", "low": 0.5, "high": 3.0}, {"path": "y", "values": [1, 2]}]
    design = make_design(spec("grid", params, levels=3))
    runs = fake_runs(design, lambda pts: pts["x"].to_numpy() * pts["y"].to_numpy(), replications=2)
    x, y = Span(path="x", low=0.5, high=3.0), Levels(path="y", values=[1, 2])
    eff = effects(runs, [x, y], "s", "cumulative_profit_usd", binned=False)
    levels = eff[eff["parameter"] == "x"]
    assert levels["level"].tolist() == [0.5, 1.75, 3.0] == sorted(design.points["x"].unique())
    assert (levels["bin_low"] == levels["bin_high"]).all() and levels["n"].tolist() == [4, 4, 4]
    np.testing.assert_allclose(levels["mean"], [0.75, 2.625, 4.5])
    grid = pair_grid(runs, x, y, "s", "cumulative_profit_usd", binned=False)
    assert sorted(grid["x"].unique()) == [0.5, 1.75, 3.0] and (grid["n"] == 2).all()
    binned = effects(runs, [x], "s", "cumulative_profit_usd", bins=2)  # what the report used to show
    assert not set(binned["level"]) <= {0.5, 1.75, 3.0}


def test_parameters_are_named_in_words_with_their_units() -> None:
    cpc = parameter("market.niches.cpc_usd.median")
    assert (cpc.name, cpc.axis, cpc.value(1.4)) == ("median cost per click", "median cost per click ($)", "$1.40")
    assert parameter("company.starting_cash_usd").value(40_000) == "$40k"
    assert parameter("supply.duty_rate").value(0.3) == "30%"
    assert parameter("strategy.parameters.profit_multiple").value(4 / 3) == "1.33 salaries"
    assert parameter("supply.sea_transit_days.mode").value(35) == "35 days"
    made = parameter("supply.air_transit_days.median")  # not in the table: made from the path
    assert (made.name, made.value(6.5)) == ("median air transit", "6.5 days")
    assert parameter("supply.freight.mode").name == "freight mode"
    assert parameter("strategy.staffing.rules.0.max_count").name == "max count (rules 0)"
    shipped = Path(__file__).resolve().parents[1] / "scenarios" / "sweeps"
    for path in shipped.glob("*.yaml"):
        for p in load_model(path, SweepSpec).parameters:
            assert p.path in LABELS, f"{path.name}: {p.path} has no label"


def test_strategy_against_strategy_is_the_paired_mean_difference_per_cell() -> None:
    params = [{"path": "x", "values": [1, 2]}, {"path": "y", "values": [10, 20]}]
    design = make_design(spec("grid", params))
    rng = np.random.default_rng(5)
    frames = []
    for strategy, edge in (("a", 1_000.0), ("b", 0.0)):
        luck = np.random.default_rng(1).normal(0, 5_000, (6, 4))  # shared by both: common random numbers
        f = fake_runs(design, lambda pts: np.zeros(len(pts)), replications=6, strategy=strategy)
        planted = np.where((f["x"] == 2) & (f["y"] == 20), edge, 0.0)
        f["cumulative_profit_usd"] = luck[f["replication"], f["point"]] + planted + rng.normal(0, 50, len(f))
        frames.append(f)
    runs = pd.concat(frames, ignore_index=True)
    runs.loc[(runs["strategy"] == "b") & (runs["point"] == 0) & (runs["replication"] == 0), "status"] = "error"
    grid = difference_grid(runs, Levels(**params[0]), Levels(**params[1]), "a", "b", "cumulative_profit_usd")
    for row in grid.to_dict("records"):
        cell = runs[(runs["x"] == row["x"]) & (runs["y"] == row["y"]) & (runs["status"] == "ok")]
        both = cell.pivot(index="replication", columns="strategy", values="cumulative_profit_usd").dropna()
        assert row["pairs"] == len(both), "only replications both finished are paired"
        assert row["diff"] == pytest.approx((both["a"] - both["b"]).mean())
        assert row["clear"] == (row["low"] > 0 or row["high"] < 0)
    planted = grid.set_index(["x", "y"]).loc[(2, 20)]
    assert planted["clear"] and planted["diff"] == pytest.approx(1_000, abs=100)
    assert grid["pairs"].tolist() == [5, 6, 6, 6]
