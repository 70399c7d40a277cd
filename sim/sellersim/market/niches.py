"""Niches: what a product's market looks like, drawn when the product is selected.

Niches are heterogeneous and heavy-tailed (log-normal traffic, price and cost per
click), so most products are modest, a few are hits and some never take off.
Each niche also has a demand trend (:mod:`sellersim.market.trends`). Research
compares several candidate niches through noisy estimates of what each would earn
over the research horizon, trend included; better research looks at more of them
and estimates them better, and so also finds better trends.

Reception: how buyers take to the company's product in a niche, beside what the
niche's figures promise. Each candidate ``j`` carries a log reception
``r_j = sigma * z_j``; the product converts ``c * exp(r)`` where its niche's
listings convert ``c``, while rivals keep selling what they did, so with sessions
``Q``, top share ``m`` and rivals' sales ``k`` its organic steady state is::

    units(r) = max(Q m c e^r - k, 0.05 Q m c e^r)

A product received a little worse than its rivals never wins the ranking, and
one received better takes more than its share. Research reads the reception
through the same error as its other estimates, sd ``s`` (reviews of rivals,
samples, polls): it sees ``x_j = r_j + s e_j`` and predicts the best linear guess
``r_seen_j = w x_j``, ``w = sigma^2 / (sigma^2 + s^2)``, so careful research
foresees much of it and careless research little. The rest is learned from sales.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sellersim.market.trends import draw_growth, expected_log_growth
from sellersim.scenario.schema import LogNormal, Niches, Range


def _lognormal(rng: np.random.Generator, d: LogNormal) -> float:
    return float(d.median * np.exp(d.sigma * rng.standard_normal()))


def _uniform(rng: np.random.Generator, r: Range) -> float:
    return float(rng.uniform(r.low, r.high))


def draw_niche(rng: np.random.Generator, cfg: Niches) -> dict[str, float]:
    """Draw one niche; keys are catalogue column names."""
    weight = _lognormal(rng, cfg.weight_lb)
    sessions = _lognormal(rng, cfg.sessions_per_day)
    price = _lognormal(rng, cfg.price_usd)
    niche = {
        # dearer niches draw fewer shoppers: at elasticity 1 a niche's sales in dollars do not depend on its price
        "sessions_per_day": sessions * (price / cfg.price_usd.median) ** -cfg.sessions_price_elasticity,
        "niche_price_usd": price,
        "cost_share": _uniform(rng, cfg.unit_cost_share_of_price),
        "cpc_usd": _lognormal(rng, cfg.cpc_usd),
        "base_conversion": _uniform(rng, cfg.base_conversion),
        "max_organic_share": _uniform(rng, cfg.max_organic_share),
        "competition": _uniform(rng, cfg.competition),
        "return_rate": _uniform(rng, cfg.return_rate),
        "weight_lb": weight,
        "cuft": weight * _uniform(rng, cfg.cuft_per_lb),
        "small_standard": float(weight <= 1.0 and rng.random() < cfg.small_standard_share),
    }
    top_listing = niche["sessions_per_day"] * niche["max_organic_share"] * niche["base_conversion"]
    niche["competitor_units_per_day"] = niche["competition"] * top_listing
    niche["expected_units_per_day"] = expected_units_per_day(niche, floor_share=cfg.min_expected_share)
    return niche


def expected_units_per_day(niche: dict[str, float], log_reception: float = 0.0, *, floor_share: float) -> float:
    """Organic sales a well-run, well-reviewed listing settles at in this niche, received ``exp(log_reception)``
    times as well as its niche's listings.

    Rank follows velocity v as v / (v + k), k being what a page-one competitor
    sells; with sessions Q, top share m and conversion c e^r the organic steady
    state is v = Q*m*c*e^r - k, and at least ``floor_share`` * Q*m*c*e^r however crowded the niche.
    """
    qmc = niche["sessions_per_day"] * niche["max_organic_share"] * niche["base_conversion"] * np.exp(log_reception)
    return float(max(qmc - niche["competitor_units_per_day"], floor_share * qmc))


UnitMargin = Callable[[dict[str, float]], float]
"""Contribution per unit sold in a niche before ads: price less Amazon's fees and the landed cost."""


def select_niche(
    rng: np.random.Generator,
    cfg: Niches,
    candidates: int,
    noise_sigma: float,
    unit_margin: UnitMargin,
    horizon_days: int,
    *,
    reception_luck: np.random.Generator,
) -> dict[str, float]:
    """Draw ``candidates`` niches and keep the one with the best *estimated* daily contribution.

    The yardstick is the organic volume at the reception research foresees (``log_reception_seen``)
    times ``unit_margin``, grown by the niche's trend to the middle of the next ``horizon_days`` (the
    average level over them, near enough). Estimates carry log-normal error ``noise_sigma``, so careless
    research often picks a dud. Receptions and research's reading of them come from ``reception_luck``, so the
    niches and their estimates are the same luck whatever the reception's spread. The niche kept holds its true
    ``log_reception``, the one foreseen, and the organic sales research estimated for it
    (``estimated_units_per_day``, the plan).
    """
    niches = [draw_niche(rng, cfg) for _ in range(candidates)]
    noise = np.exp(noise_sigma * rng.standard_normal(candidates))
    for n in niches:  # drawn last, so the niches and estimates are the same luck with or without trends
        n["growth_per_year"] = draw_growth(rng, cfg.trend)
    sigma = cfg.reception.sigma
    log_reception = sigma * reception_luck.standard_normal(candidates)
    signal = log_reception + noise_sigma * reception_luck.standard_normal(candidates)
    weight = sigma**2 / (sigma**2 + noise_sigma**2) if sigma > 0 else 0.0
    for n, r, seen in zip(niches, log_reception, weight * signal, strict=True):
        n["log_reception"], n["log_reception_seen"] = float(r), float(seen)
    scores = np.array(
        [
            expected_units_per_day(n, n["log_reception_seen"], floor_share=cfg.min_expected_share)
            * unit_margin(n)
            * np.exp(expected_log_growth(n["growth_per_year"], horizon_days / 2, cfg.trend))
            for n in niches
        ]
    )
    estimates = np.where(scores > 0, scores * noise, scores / noise)
    best = int(np.argmax(estimates))
    chosen = niches[best]
    # the plan is the estimate that won: the best of several noisy estimates is more often too high than too low
    chosen["estimated_units_per_day"] = expected_units_per_day(
        chosen, chosen["log_reception_seen"], floor_share=cfg.min_expected_share
    ) * float(noise[best])
    return chosen
