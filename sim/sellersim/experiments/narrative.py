"""Headline sentences of a comparison, written from its numbers (never by hand)."""

from __future__ import annotations

import math
from typing import Any

from sellersim.experiments.decision import figure_words
from sellersim.formatting import interval, money, share


def interval_of(ci: dict[str, Any], fmt: Any) -> str:
    """An interval dict's ``low to high`` in ``fmt``."""
    return interval(ci["low"], ci["high"], fmt)


def _share(interval: dict[str, Any]) -> str:
    return f"{share(interval['estimate'])} of runs (95% CI {interval_of(interval, share)})"


def _money_ci(interval: dict[str, Any]) -> str:
    """`` (95% CI $1k to $5k)``, or nothing when the interval is undefined (a single run)."""
    if interval["low"] is None or interval["high"] is None:
        return ""
    return f" (95% CI {interval_of(interval, money)})"


def _horizon(days: int) -> str:
    years = days / 365
    return f"{years:.0f} years" if abs(years - round(years)) < 0.05 and years >= 1 else f"{days} days"


def _cash_clause(name: str, diff: dict[str, Any]) -> str:
    est, low, high, n = diff["estimate"], diff["low"], diff["high"], diff["n"]
    if not n:
        return "the two never both survive, so their final cash cannot be paired"
    if n < 2 or low is None or high is None or math.isnan(low):
        return f"when both survive (once), {name} ends with {money(est)} more cash"
    if low <= 0 <= high:
        return (
            f"when both survive ({n} runs) final cash shows no clear difference (95% CI {money(low)} to {money(high)})"
        )
    word = "more" if est > 0 else "less"
    return (
        f"when both survive ({n} runs) {name} ends with {money(abs(est))} {word} cash "
        f"(95% CI {money(abs(low if est > 0 else high))} to {money(abs(high if est > 0 else low))} {word})"
    )


def _outside_money(financing: dict[str, float] | None) -> str:
    """`` (its cash includes $200k of equity raised, for 20% of the company)``: cash a strategy did not earn."""
    if not financing:
        return ""
    parts = []
    if financing["equity_raised_usd"] > 0:
        parts.append(
            f"{money(financing['equity_raised_usd'])} of equity raised, for "
            f"{share(1 - financing['founder_ownership'])} of the company"
        )
    if financing["final_loan_owed_usd"] > 0:
        parts.append(f"{money(financing['final_loan_owed_usd'])} still owed to a lender at the end, on average")
    return f" (its cash includes {' and '.join(parts)})"


def headline_sentences(result: dict[str, Any]) -> list[str]:
    """Plain sentences comparing every strategy with the baseline in the order of the decision table, then
    the highest and lowest mean of the figure it ranks by.

    Args:
        result: The comparison, with its ``decision`` table.

    Returns:
        The sentences; each paired figure says which runs it uses ("when both survive" or "all paired runs").
    """
    baseline, figures, paired = result["baseline"], result["figures"], result["paired"]
    figure = result["decision"]["rank_by"]
    words = figure_words(figure)
    horizon = _horizon(result.get("horizon_days", 0))
    sentences = []
    base_survival = figures[baseline]["survived"]
    ranked = [row["strategy"] for row in result["decision"]["rows"]]
    for name in ranked:
        if name == baseline or name not in paired:
            continue
        p = paired[name]
        beats = p[figure]["p_beats_baseline"]
        if not figures[name]["survived"]["n"] or not base_survival["n"]:  # every run failed or was interrupted
            who = name if not figures[name]["survived"]["n"] else baseline
            sentences.append(f"{name} cannot be compared with {baseline}: {who} has no successful runs.")
            continue
        survival = (
            f"{name} survives {horizon} in {_share(figures[name]['survived'])} against "
            f"{share(base_survival['estimate'])} for {baseline}"
        )
        if not beats["n"]:  # interrupted before any replication finished for both
            sentences.append(f"{survival}; no replication finished for both, so they cannot be paired.")
            continue
        outside = _outside_money(result.get("financing", {}).get(name))
        sentences.append(
            f"{survival}; "
            f"{_cash_clause(name, p['final_cash_usd_when_both_survive']['difference'])}{outside}; "
            f"it beats {baseline} on {words} in {share(beats['estimate'])} of all {beats['n']} paired runs "
            f"(95% CI {interval_of(beats, share)})."
        )
    means = {s: figures[s][figure] for s in result["strategies"]}
    by_mean = sorted((s for s in means if means[s]["estimate"] is not None), key=lambda s: -means[s]["estimate"])
    if len(by_mean) > 1:
        top, bottom = means[by_mean[0]], means[by_mean[-1]]
        sentences.append(
            f"Highest mean {words} over all runs: {by_mean[0]} at {money(top['estimate'])}{_money_ci(top)}; "
            f"lowest: {by_mean[-1]} at {money(bottom['estimate'])}{_money_ci(bottom)}."
        )
    return sentences
