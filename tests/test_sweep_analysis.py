"""Sweep analysis on synthetic runs: Sobol/Morris indices, effects, pair grids, failure regions."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sellersim.experiments.sweep.analysis import (
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
from sellersim.experiments.sweep.spec import Levels, Span, SweepSpec, Verdict


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
    assert text[0].startswith("cumulative_profit_usd depends most on x1 (total-order index 0.")
    assert ", then x2 (" in text[0]


def test_ranking_does_not_name_a_winner_whose_index_is_within_its_interval_of_zero() -> None:
    noisy = pd.DataFrame({"parameter": ["a", "b"], "index": ["ST", "ST"], "value": [1.37, 1.02], "conf": [3.02, 2.32]})
    text = ranking_text({"survived": noisy})[0]
    assert "no parameter stands out" in text and "a (total-order index 1.37 ± 3.02)" in text
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
    assert text == [text[0]] and text[0].startswith("cumulative_profit_usd depends most on a (mu* $")


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
    assert text[0].startswith("cumulative_profit_usd depends most on a (means range over $")
    assert "then mode" in text[0]


def test_effects_survival_uses_wilson() -> None:
    params = [{"path": "a", "low": 0, "high": 1}]
    design = make_design(spec("random", params, samples=500))
    runs = fake_runs(design, lambda pts: (pts["a"] < 0.8).to_numpy(), figure="survived")
    eff = effects(runs, [Span(path="a", low=0, high=1)], "s", "survived", bins=5)
    assert eff["mean"].iloc[0] == 1.0 and eff["high"].iloc[0] == 1.0 and eff["low"].iloc[0] < 1.0
    assert eff["mean"].iloc[-1] < 0.2 and (eff["low"] >= 0).all()
    assert ranking_text([eff])[0].startswith("survived depends most on a (share ranges over 8")


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
    region = failure_region(runs, spans, "s", min_support=0.03)
    assert region is not None
    conds = {c["path"]: c for c in region["conditions"]}
    assert set(conds) == {x, y}
    assert conds[x]["op"] == ">" and conds[x]["value"] == pytest.approx(0.8, abs=0.03)
    assert conds[y]["op"] == "<" and conds[y]["value"] == pytest.approx(0.2, abs=0.03)
    assert region["failure_share"] == 1.0
    assert region["support"] == pytest.approx(0.04, abs=0.01)
    assert region["baseline_failure_share"] == pytest.approx(0.09, abs=0.015)
    assert x in region["text"] and y in region["text"]
    assert region["text"].startswith("runs out of cash in 100% of runs when ")
    assert re.search(
        r"median > \$0\.8\d? and company\.starting_cash_usd < \$0\.[12]\d? \(against \d+% overall\)$", region["text"]
    )


def test_failure_region_prefers_larger_support_and_respects_min_support() -> None:
    params = [{"path": "a", "low": 0, "high": 1}, {"path": "b_usd", "low": 0, "high": 100000}]
    design = make_design(spec("lhs", params, samples=1000))
    runs = fake_runs(design, lambda pts: ~((pts["a"] > 0.6) & (pts["b_usd"] < 40000)).to_numpy(), figure="survived")
    spans = [Span(path="a", low=0, high=1), Span(path="b_usd", low=0, high=100000)]
    region = failure_region(runs, spans, "s", min_support=0.1)
    assert region is not None and region["failure_share"] == 1.0
    assert region["support"] == pytest.approx(0.16, abs=0.01)
    assert "b_usd < $40,000" in region["text"] and "a > 0.6" in region["text"]
    assert failure_region(runs, spans, "s", min_support=0.5)["support"] >= 0.5


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
    assert text[0].startswith("At company.starting_cash_usd = $20,000: calm leads plain")
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
    assert text[0].startswith("At strategy.reorder.freight = sea: no clear winner: bold leads calm")
    assert text[0].endswith("Not judged, their runs failed with errors: odd.")
    assert (
        text[1]
        == "At strategy.reorder.freight = air: calm, the only strategy that runs out of cash in 10% of runs or fewer."
    )
    assert text[2] == "At strategy.reorder.freight = rail: no strategy runs out of cash in 10% of runs or fewer."
