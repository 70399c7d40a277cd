"""The verdict of a real grid sweep over several strategies: the winner per cell, in the report and its text."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from report_checks import figures, sections, trace_values
from sellersim.report.sweep_report import build_sweep_report
from sellersim.sweep.sweep import run_and_report

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
    result = run_and_report(spec, tmp_path / "out", workers=1, report=False)
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
    strategies = sorted(summary["strategy"].unique())
    pairs = zip(verdict["winner"], verdict["clear"], strict=True)
    clear = [strategies.index(w) if c else len(strategies) for w, c in pairs]
    np.testing.assert_array_equal(codes, clear)  # one row (one price), cash across
    assert sum(s.startswith("At ") for s in result.analysis["sentences"]) == len(verdict) == 2
    assert "At company.starting_cash_usd = $20,000" in body
