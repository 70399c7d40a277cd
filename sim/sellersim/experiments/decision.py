"""The decision table of a comparison: strategies ranked by a rule the user states, and one recommendation.

The rule is the user's, never the code's: strategies are ranked first by their risk of running out of cash
(lower first) and then by the mean of the figure the user ranks by (cumulative SDE or final cash, higher
first). Two risks whose 95% intervals overlap are not told apart: such strategies share a risk tier and
are ordered by the figure alone. Every figure of the table uses every finished run (a run that ran out of
cash counts with its figures as they stood when it failed), so the table's columns share one definition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from sellersim.experiments.stats import (
    Interval,
    mean_interval,
    paired_difference,
    probability_of_beating,
    proportion_interval,
)
from sellersim.formatting import interval, money, share
from sellersim.results.figures import FIGURE_BY_NAME

RANK_BY: Mapping[str, str] = {"sde": "cumulative_sde_usd", "final_cash": "final_cash_usd"}
"""The figures a user may rank by, by the name the command line takes."""
CASH_PERCENTILE = 10
"""The bad-luck cash: the final cash that one run in ten ends below."""


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One strategy's line in the decision table; intervals as :meth:`Interval.to_dict` gives them."""

    rank: int
    strategy: str
    risk_tier: int  # strategies of one tier have overlapping risk intervals: the figure alone orders them
    runs: int
    risk_of_running_out: dict[str, Any]
    rank_figure: dict[str, Any]
    final_cash_p10_usd: float | None
    lowest_cash_median_usd: float | None
    founder_weekly_hours: float | None
    payroll_usd: float | None
    quits: float | None
    beats_baseline: dict[str, Any] | None  # None for the baseline itself


def rank_figure(rank_by: str) -> str:
    """The run figure behind ``rank_by`` (``"sde"`` or ``"final_cash"``, or the figure's own name).

    Raises:
        ValueError: for any other name.
    """
    figure = RANK_BY.get(rank_by, rank_by)
    if figure not in RANK_BY.values():
        raise ValueError(f"rank_by must be one of {', '.join(RANK_BY)}, got {rank_by!r}")
    return figure


def decision_table(runs: pd.DataFrame, strategies: Sequence[str], baseline: str, rank_by: str) -> dict[str, Any]:
    """The ranked decision table, the rule that ranked it and the recommendation sentence.

    Args:
        runs: One row per finished or errored run (``status``, ``replication`` and the run figures).
        strategies: The strategies compared.
        baseline: The strategy "beats the baseline" is counted against.
        rank_by: ``"sde"`` or ``"final_cash"`` (see :data:`RANK_BY`).

    Returns:
        ``rank_by`` (the figure's name), ``rule`` (the ranking rule in words, for the table's caption),
        ``rows`` (one :class:`DecisionRow` dict per strategy, best rank first) and ``recommendation``.
    """
    figure = rank_figure(rank_by)
    ok = runs[runs["status"] == "ok"]
    by = {s: ok[ok["strategy"] == s].set_index("replication") for s in strategies}
    base = by[baseline]
    unranked = []
    for s in strategies:
        these = by[s]
        values = these[figure].to_numpy(dtype=float)
        failed = int((~these["survived"].astype(bool)).sum())
        both = these.index.intersection(base.index)
        beats = (
            None
            if s == baseline
            else probability_of_beating(these.loc[both, figure].to_numpy(float), base.loc[both, figure].to_numpy(float))
        )
        unranked.append(
            {
                "strategy": s,
                "runs": len(these),
                "risk": proportion_interval(failed, len(these)),
                "figure": mean_interval(values),
                "final_cash_p10_usd": _percentile(these["final_cash_usd"], CASH_PERCENTILE),
                "lowest_cash_median_usd": _percentile(these["lowest_cash_usd"], 50),
                "founder_weekly_hours": _mean(these["founder_mean_weekly_hours"]),
                "payroll_usd": _mean(these["cumulative_payroll_usd"]),
                "quits": _mean(these["quits"]),
                "beats_baseline": None if beats is None else beats.to_dict(),
            }
        )
    ranked = _ranked(unranked)
    rows = [
        DecisionRow(
            rank=rank,
            strategy=u["strategy"],
            risk_tier=tier,
            runs=u["runs"],
            risk_of_running_out=u["risk"].to_dict(),
            rank_figure=u["figure"].to_dict(),
            final_cash_p10_usd=u["final_cash_p10_usd"],
            lowest_cash_median_usd=u["lowest_cash_median_usd"],
            founder_weekly_hours=u["founder_weekly_hours"],
            payroll_usd=u["payroll_usd"],
            quits=u["quits"],
            beats_baseline=u["beats_baseline"],
        )
        for rank, (tier, u) in enumerate(ranked, start=1)
    ]
    return {
        "rank_by": figure,
        "rule": ranking_rule(figure),
        "rows": [asdict(r) for r in rows],
        "recommendation": recommendation(ranked, by, figure),
    }


def ranking_rule(figure: str) -> str:
    """The ranking rule in words, as the table's caption states it."""
    return (
        "Ranked by the risk of running out of cash (lowest first), then by mean "
        f"{figure_words(figure)} (highest first). Risks whose 95% intervals overlap the safest of their "
        "group are not told apart: those strategies are ordered by the figure alone. Every column uses "
        "all finished runs; a run that ran out of cash counts with its figures at the day it failed."
    )


def _ranked(unranked: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """Risk tiers (a tier opens at its safest strategy and takes each one whose risk interval overlaps that
    one's), then the figure, highest first, within a tier; a strategy with no runs comes last."""
    known = sorted((u for u in unranked if u["runs"]), key=lambda u: (u["risk"].estimate, -_or_low(u["figure"])))
    tiers: list[list[dict[str, Any]]] = []
    for u in known:
        if tiers and _overlap(tiers[-1][0]["risk"], u["risk"]):
            tiers[-1].append(u)
        else:
            tiers.append([u])
    ordered = [(k, u) for k, tier in enumerate(tiers) for u in sorted(tier, key=lambda u: -_or_low(u["figure"]))]
    return ordered + [(len(tiers), u) for u in unranked if not u["runs"]]


def recommendation(ranked: Sequence[tuple[int, dict[str, Any]]], by: Mapping[str, pd.DataFrame], figure: str) -> str:
    """One sentence: which strategy leads, by how much over the runner-up, and whether the lead is clear.

    The lead is clear when the leader's paired difference from the runner-up on ``figure`` (over all paired
    runs) has a 95% interval above zero and its risk of running out of cash is not clearly worse (its
    interval does not lie wholly above the runner-up's).

    Args:
        ranked: (risk tier, strategy's entry with ``strategy``, ``runs`` and ``risk``), best rank first.
        by: Each strategy's finished runs, indexed by replication.
        figure: The figure ranked by.

    Returns:
        The sentence.
    """
    if len(ranked) < 2 or not ranked[1][1]["runs"]:
        return "There is nothing to recommend: fewer than two strategies have finished runs."
    (tier, leader), (runner_tier, runner) = ranked[0], ranked[1]
    name, other = leader["strategy"], runner["strategy"]
    x, y = by[name], by[other]
    both = x.index.intersection(y.index)
    diff = paired_difference(x.loc[both, figure].to_numpy(float), y.loc[both, figure].to_numpy(float))
    by_how_much = (
        f"{money(diff.estimate, sign=True)} mean {figure_words(figure)} against {other} over all {diff.n} "
        f"paired runs (95% CI {interval(diff.low, diff.high, lambda v: money(v, sign=True))})"
    )
    risks = (
        f"it runs out of cash in {share(leader['risk'].estimate)} of runs against "
        f"{share(runner['risk'].estimate)} for {other}"
    )
    clearly_worse = leader["risk"].low > runner["risk"].high
    if diff.low > 0 and not clearly_worse:
        return f"{name} is clearly ahead: {by_how_much}; {risks}."
    if tier < runner_tier:
        return (
            f"No strategy is clearly ahead: {name} ranks first because {risks} (their 95% intervals do not "
            f"overlap), with {by_how_much}."
        )
    if clearly_worse:
        why = "its risk of running out of cash is clearly worse"
    elif np.isnan(diff.low):
        why = "too few paired runs to tell"
    else:
        why = "the 95% interval of the difference is not wholly above zero"
    return f"No strategy is clearly ahead: {name} ranks first with {by_how_much}, but {why}; {risks}."


def figure_words(figure: str) -> str:
    """How a sentence names ``figure``: ``cumulative SDE``, ``final cash``, else its label in lower case."""
    return {"cumulative_sde_usd": "cumulative SDE", "final_cash_usd": "final cash"}.get(
        figure, FIGURE_BY_NAME[figure].label.lower()
    )


def _overlap(a: Interval, b: Interval) -> bool:
    return bool(a.low <= b.high and b.low <= a.high)


def _or_low(i: Interval) -> float:
    """The estimate, or minus infinity when there is none (such a strategy sorts last)."""
    return -np.inf if np.isnan(i.estimate) else i.estimate


def _values(column: pd.Series) -> np.ndarray:
    a = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    return a[np.isfinite(a)]


def _percentile(column: pd.Series, q: float) -> float | None:
    a = _values(column)
    return float(np.percentile(a, q)) if a.size else None


def _mean(column: pd.Series) -> float | None:
    a = _values(column)
    return float(a.mean()) if a.size else None
