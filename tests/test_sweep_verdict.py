"""The verdict of a real grid sweep over several strategies: the winner per cell, in the report and its text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from report_checks import figures, sections, trace_values
from sellersim.experiments.sweep.spec import SweepSpec
from sellersim.experiments.sweep.sweep import run_and_analyse
from sellersim.report.sweep_report import build_sweep_report
from sellersim.scenario.errors import ScenarioError
from sellersim.scenario.loader import load_model

STRATEGIES = Path(__file__).resolve().parent.parent / "scenarios" / "strategies"


def test_a_grid_of_strategies_names_a_winner_per_cell_in_the_report(tmp_path: Path) -> None:
    spec = tmp_path / "verdict.yaml"
    spec.write_text(
        f"name: verdict_test\n"
        f"strategies: [{STRATEGIES / 'never_hire.yaml'}, {STRATEGIES / 'full_team_day_one.yaml'}]\n"
        "parameters:\n"
        "  - {path: company.starting_cash_usd, values: [20000, 160000]}\n"
        "  - {path: market.niches.price_usd.median, values: [27]}\n"
        "design: {kind: grid}\nreplications: 4\nfigures: [survived, cumulative_sde_usd]\nseed: 3\ndays: 150\n"
        "verdict: {figure: cumulative_sde_usd, max_failure_share: 0.25}\n"
    )
    result = run_and_analyse(spec, tmp_path / "out", workers=1)
    verdict = result.analysis["verdict"]
    summary = result.summary
    for row in verdict.to_dict("records"):  # the analysis agrees with the runs it read
        cell = summary[summary["point"] == row["point"]]
        sde = cell.groupby("strategy")["cumulative_sde_usd"].mean()
        failed = 1 - cell.groupby("strategy")["survived"].mean()
        safe = failed[failed <= 0.25].index
        assert row["winner"] == sde[safe].idxmax()
    page = build_sweep_report(result)
    body = sections(page)["verdict"]
    heat = figures(page)["verdict"][0]["data"][0]
    codes = trace_values(heat["z"]).ravel()
    strategies = result.analysis["strategies"]
    assert strategies == ["never_hire", "full_team_day_one"], "the sweep file's order, which the colours follow"
    pairs = zip(verdict["winner"], verdict["clear"], strict=True)
    clear = [strategies.index(w) if c else len(strategies) for w, c in pairs]
    np.testing.assert_array_equal(codes, clear)  # one row (one price), cash across
    assert sum(s.startswith("At ") for s in result.analysis["sentences"]) == len(verdict) == 2
    assert "At starting cash $20k and median selling price $27: " in body


def test_the_map_places_cells_by_value_and_marks_cells_where_nobody_is_safe(tmp_path: Path) -> None:
    """Levels that print alike (27.001 and 27.004) are still two columns; a cell where nobody is safe is white."""
    from sellersim.experiments.sweep.designs import make_design
    from sellersim.experiments.sweep.sweep import analyse
    from sellersim.results.sweep import SweepResult

    spec = SweepSpec(
        name="t", strategies=["a.yaml", "b.yaml"], replications=3, figures=["survived", "cumulative_sde_usd"],
        seed=1, design={"kind": "grid"},
        parameters=[{"path": "market.niches.price_usd.median", "values": [27.001, 27.004]},
                    {"path": "strategy.reorder.freight", "values": ["sea", "air"]}],
        verdict={"max_failure_share": 0.0},
    )  # fmt: skip
    design = make_design(spec)
    rows = []
    for point in design.points.to_dict("records"):
        k = point["point"]
        for strategy in ("a", "b"):
            for r in range(3):
                survived = not (k == 3 or (strategy == "a" and k == 1))
                rows.append({**point, "strategy": strategy, "replication": r, "status": "ok", "survived": survived,
                             "cumulative_sde_usd": 100.0 * r + (strategy == "b")})  # fmt: skip
    summary = pd.DataFrame(rows)
    result = SweepResult(spec, summary, analyse(spec, design, summary), {}, tmp_path)
    verdict = result.analysis["verdict"]
    assert verdict["winner"].tolist().count(None) == 1, "nobody survives at the last point"
    heat = figures(build_sweep_report(result))["verdict"][0]["data"][0]
    assert heat["x"] == ["27.001", "27.004"] and heat["y"] == ["sea", "air"]
    z = trace_values(heat["z"])
    unclear, none = 2, 3  # after the two strategies' colours
    for row in verdict.to_dict("records"):
        at = (
            heat["y"].index(row["strategy.reorder.freight"]),
            heat["x"].index(str(row["market.niches.price_usd.median"])),
        )
        w = row["winner"]
        assert z[at] == (none if w is None else ["a", "b"].index(w) if row["clear"] else unclear)


@pytest.mark.parametrize(
    ("verdict", "design", "message"),
    [
        ("{figure: survived}", "{kind: grid}", r"sweep.yaml:9:\d+: verdict.figure: .*risk limit"),
        ("{max_failure_share: 2}", "{kind: grid}", r"sweep.yaml:9:\d+: verdict.max_failure_share: "),
        ("{max_failure_share: 0.1}", "{kind: lhs, samples: 4}", r"sweep.yaml:9:\d+: verdict: .*design kind grid"),
        ("{max_failures: 0.1}", "{kind: grid}", r"sweep.yaml:9:\d+: verdict.max_failures: .*max_failure_share"),
    ],
)
def test_a_bad_verdict_is_reported_at_its_line(tmp_path: Path, verdict: str, design: str, message: str) -> None:
    path = tmp_path / "sweep.yaml"
    path.write_text(
        "name: v\nstrategies: [a.yaml, b.yaml]\nparameters:\n  - {path: supply.duty_rate, values: [0.1, 0.3]}\n"
        f"design: {design}\nreplications: 1\nfigures: [survived]\nseed: 4\nverdict: {verdict}\n"
    )
    with pytest.raises(ScenarioError, match=message):
        load_model(path, SweepSpec)


def test_editing_only_the_verdict_resumes_with_every_run_reused(tmp_path: Path) -> None:
    spec = tmp_path / "verdict.yaml"
    body = (
        f"name: verdict_resume\n"
        f"strategies: [{STRATEGIES / 'never_hire.yaml'}, {STRATEGIES / 'solo_then_hire.yaml'}]\n"
        "parameters:\n  - {path: company.starting_cash_usd, values: [40000]}\n"
        "design: {kind: grid}\nreplications: 2\nfigures: [survived, cumulative_sde_usd]\nseed: 3\ndays: 60\n"
    )
    spec.write_text(body + "verdict: {max_failure_share: 0.1}\n")
    first = run_and_analyse(spec, tmp_path / "out", workers=1)
    spec.write_text(body + "verdict: {figure: final_cash_usd, max_failure_share: 0.5}\n")
    again = run_and_analyse(spec, tmp_path / "out", workers=1, resume=True)
    assert first.meta["runs_this_session"] == 4 and again.meta["runs_this_session"] == 0
    assert again.analysis["verdict"].attrs["figure"] == "final_cash_usd"
