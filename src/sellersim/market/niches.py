"""Niches: what a product's market looks like, drawn when the product is selected.

Niches are heterogeneous and heavy-tailed (log-normal traffic, price and cost per
click), so most products are modest, a few are hits and some never take off.
Each niche also has a demand trend (:mod:`sellersim.market.trends`). Research
compares several candidate niches through noisy estimates of what each would earn
over the research horizon, trend included; better research looks at more of them
and estimates them better, and so also finds better trends.
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
    niche["expected_units_per_day"] = expected_units_per_day(niche)
    return niche


def expected_units_per_day(niche: dict[str, float]) -> float:
    """Organic sales a well-run, well-reviewed listing settles at in this niche.

    Rank follows velocity v as v / (v + k), k being what a page-one competitor
    sells; with sessions Q, top share m and conversion c the organic steady state
    is v = Q*m*c - k.
    """
    qmc = niche["sessions_per_day"] * niche["max_organic_share"] * niche["base_conversion"]
    return max(qmc - niche["competitor_units_per_day"], 0.05 * qmc)


UnitMargin = Callable[[dict[str, float]], float]
"""Contribution per unit sold in a niche before ads: price less Amazon's fees and the landed cost."""


def select_niche(
    rng: np.random.Generator,
    cfg: Niches,
    candidates: int,
    noise_sigma: float,
    unit_margin: UnitMargin,
    horizon_days: int,
) -> dict[str, float]:
    """Draw ``candidates`` niches and keep the one with the best *estimated* daily contribution.

    The yardstick is the expected organic volume times ``unit_margin``, grown by the niche's
    trend to the middle of the next ``horizon_days`` (the average level over them, near
    enough). Estimates carry log-normal error ``noise_sigma``, so careless research often
    picks a dud.
    """
    niches = [draw_niche(rng, cfg) for _ in range(candidates)]
    noise = np.exp(noise_sigma * rng.standard_normal(candidates))
    for n in niches:  # drawn last, so the niches and estimates are the same luck with or without trends
        n["growth_per_year"] = draw_growth(rng, cfg.trend)
    scores = np.array(
        [
            n["expected_units_per_day"]
            * unit_margin(n)
            * np.exp(expected_log_growth(n["growth_per_year"], horizon_days / 2, cfg.trend))
            for n in niches
        ]
    )
    estimates = np.where(scores > 0, scores * noise, scores / noise)
    return niches[int(np.argmax(estimates))]
