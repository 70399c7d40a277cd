"""Niche trends: each niche's demand grows or shrinks, and the company sees it only by watching.

A niche's demand level ``L`` (its shopper sessions, and with them what its rivals sell) moves
with a growth rate ``g`` (log growth a year) that wanders around the market's rate ``mu``, an
Ornstein-Uhlenbeck process with reversion time ``tau = halflife / ln 2`` and stationary spread
``sigma``. Over a step of ``dt`` years::

    ln L(t + dt) = ln L(t) + g(t) dt
    g(t + dt)    = mu + (g(t) - mu) e^(-dt/tau) + sigma sqrt(1 - e^(-2 dt/tau)) z,   z ~ N(0, 1)

so a niche found growing fast tends to slow down, and one in decline tends to stop declining,
over a few ``tau``. Starting from rate ``g``, the expected log growth over the next ``t`` years is::

    mu t + (g - mu) tau (1 - e^(-t/tau))

Research values a niche with it (:func:`expected_log_growth`), and so do reorders.

Watching (selection's ongoing work: keyword volumes, rivals, best-seller ranks) keeps the
company's view of each product's growth rate, ``growth_seen_per_year``, current: each week the
view moves toward the true rate by the share of selection work done. Unwatched, it stays what
research saw, and reorders keep forecasting for a niche that has turned down (aged stock,
removal fees) or short for one that took off (stock-outs).

SimPy time model: none. The model calls :meth:`NicheTrends.advance_week` once a week, after the
week's work; a product's luck ``z`` is keyed by (product, day), the same under every strategy.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtri

from sellersim.market.catalog import Catalog
from sellersim.scenario.schema import NicheTrend
from sellersim.streams import KeyedUniforms

DAYS_PER_YEAR = 365.0
_WEEK_YEARS = 7 / DAYS_PER_YEAR
_U_EDGE = 1e-12  # keeps the normal quantile finite at a uniform of exactly 0
DEMAND_COLUMNS = ("sessions_per_day", "competitor_units_per_day", "expected_units_per_day")  # move with the trend


def _tau_years(cfg: NicheTrend) -> float:
    return cfg.halflife_days / DAYS_PER_YEAR / math.log(2)


def expected_log_growth(growth_per_year: np.ndarray | float, days: float, cfg: NicheTrend) -> np.ndarray | float:
    """Expected change in log demand over the next ``days`` days, from today's growth rate."""
    t, tau = days / DAYS_PER_YEAR, _tau_years(cfg)
    return cfg.mean_growth_per_year * t + (growth_per_year - cfg.mean_growth_per_year) * tau * (1 - math.exp(-t / tau))


def draw_growth(rng: np.random.Generator, cfg: NicheTrend) -> float:
    """A niche's growth rate when it is found: a draw from the process's stationary spread."""
    return cfg.mean_growth_per_year + cfg.growth_sd_per_year * float(rng.standard_normal())


def step_growth[T: (np.ndarray, float)](growth: T, z: T, years: float, cfg: NicheTrend) -> T:
    """Growth rates ``years`` later, given standard normal luck ``z`` (the exact transition)."""
    decay = math.exp(-years / _tau_years(cfg))
    shock = cfg.growth_sd_per_year * math.sqrt(1 - decay * decay)
    return cfg.mean_growth_per_year + (growth - cfg.mean_growth_per_year) * decay + shock * z


def age_niche(niche: dict[str, float], days: int, rng: np.random.Generator, cfg: NicheTrend) -> dict[str, float]:
    """The niche ``days`` after research found it: demand moved week by week, its growth rate with it."""
    aged = dict(niche)
    g, log_level = aged["growth_per_year"], 0.0
    for _ in range(days // 7):
        log_level += g * _WEEK_YEARS
        g = step_growth(g, float(rng.standard_normal()), _WEEK_YEARS, cfg)
    level = math.exp(log_level)
    for key in DEMAND_COLUMNS:
        aged[key] *= level
    aged["growth_per_year"] = g
    return aged


class NicheTrends:
    """Moves every listed product's niche one week along its trend, and the company's view of it."""

    def __init__(self, *, cfg: NicheTrend, catalog: Catalog, luck: KeyedUniforms) -> None:
        self.cfg = cfg
        self.catalog = catalog
        self.luck = luck

    def advance_week(self, day: int, watched_share: float) -> None:
        """Grow or shrink each niche's demand by a week of its trend; watching updates the view by ``watched_share``."""
        cat = self.catalog
        if not cat.n:
            return
        g = cat.growth_per_year
        level = np.exp(g * _WEEK_YEARS)
        for column in DEMAND_COLUMNS:
            getattr(cat, column)[:] *= level
        z = ndtri(np.clip(self.luck.today(day, cat.n), _U_EDGE, 1 - _U_EDGE))
        g[:] = step_growth(g, z, _WEEK_YEARS, self.cfg)
        cat.growth_seen_per_year += watched_share * (g - cat.growth_seen_per_year)
