"""The sweep file: base strategies, parameters to vary, a design, replications and figures.

    name: hiring_threshold_cash_cpc
    strategies: [../strategies/solo_then_hire.yaml, ../strategies/ops_first_day_one.yaml]
    parameters:
      - {path: strategy.parameters.profit_multiple, low: 0.5, high: 3.0}
      - {path: company.starting_cash_usd, values: [20000, 40000, 80000]}
      - {path: market.niches.cpc_usd.median, low: 0.6, high: 1.6}
    design: {kind: grid, levels: 4}
    replications: 10
    figures: [survived, cumulative_profit_usd, final_cash_usd]
    seed: 7

Paths are dotted paths into the resolved scenario, checked like ``--set`` overrides.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import Discriminator, Field, Tag, ValidationInfo, field_validator, model_validator
from scipy import stats

from sellersim.results.figures import FIGURE_BY_NAME
from sellersim.scenario.schema import Name, Section
from sellersim.util import did_you_mean


class Levels(Section):
    """A parameter that takes listed values (numbers, or choices such as ``sea``/``air``)."""

    path: str
    values: list[Any] = Field(min_length=1)

    @property
    def numeric(self) -> bool:
        return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in self.values)


class Span(Section):
    """A numeric parameter drawn between ``low`` and ``high`` (whole numbers when ``integer``)."""

    path: str
    low: float
    high: float
    integer: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self


_TAIL = 0.005  # a drawn parameter's range for charts: its 0.5% to 99.5% quantiles
MAX_RUNS = 200_000  # about 11 hours at 5 runs a second; a design past it is surely a typo (or needs splitting)


class Drawn(Section):
    """A numeric parameter drawn from a distribution; grids take its quantiles.

    ``normal``: ``mean`` and ``sd``; ``lognormal``: ``median`` and ``sigma`` (of the log);
    ``triangular``: ``low``, ``mode`` and ``high``.
    """

    path: str
    distribution: Literal["normal", "lognormal", "triangular"]
    mean: float | None = None
    sd: float | None = Field(default=None, gt=0)
    median: float | None = Field(default=None, gt=0)
    sigma: float | None = Field(default=None, gt=0)
    bottom: float | None = Field(default=None, alias="low")
    mode: float | None = None
    top: float | None = Field(default=None, alias="high")

    integer: ClassVar[bool] = False
    numeric: ClassVar[bool] = True

    @model_validator(mode="after")
    def _complete(self) -> Drawn:
        needs = {"normal": ("mean", "sd"), "lognormal": ("median", "sigma"), "triangular": ("bottom", "mode", "top")}
        names = {"bottom": "low", "top": "high"}
        missing = [names.get(n, n) for n in needs[self.distribution] if getattr(self, n) is None]
        if missing:
            raise ValueError(f"a {self.distribution} distribution needs {', '.join(missing)}")
        if self.distribution == "triangular" and not (self.bottom <= self.mode <= self.top and self.bottom < self.top):
            raise ValueError("a triangular distribution needs low <= mode <= high and low < high")
        return self

    def ppf(self, u: Any) -> Any:
        """The values at quantiles ``u`` (kept off 0 and 1, where some tails are infinite)."""
        u = np.clip(u, _TAIL / 10, 1 - _TAIL / 10)
        match self.distribution:
            case "normal":
                return stats.norm.ppf(u, loc=self.mean, scale=self.sd)
            case "lognormal":
                return stats.lognorm.ppf(u, s=self.sigma, scale=self.median)
            case _:
                width = self.top - self.bottom
                return stats.triang.ppf(u, (self.mode - self.bottom) / width, loc=self.bottom, scale=width)

    @property
    def low(self) -> float:
        return float(self.ppf(_TAIL))

    @property
    def high(self) -> float:
        return float(self.ppf(1 - _TAIL))


def _parameter_kind(data: Any) -> str:
    fields = data if isinstance(data, dict) else vars(data)  # a file's mapping, or a parameter being dumped
    if "values" in fields:
        return "levels"
    return "drawn" if "distribution" in fields else "span"


# `values` make levels, `distribution` a drawn parameter, low/high a span: errors speak of one kind.
Parameter = Annotated[
    Annotated[Levels, Tag("levels")] | Annotated[Span, Tag("span")] | Annotated[Drawn, Tag("drawn")],
    Discriminator(_parameter_kind),
]


class Design(Section):
    """How parameter points are chosen.

    ``grid``: every combination (spans cut into ``levels`` evenly spaced values); ``random`` and
    ``lhs``: ``samples`` points; ``sobol``: Saltelli's scheme with ``samples`` base points
    (``samples * (parameters + 2)`` points, a power of two for balance); ``morris``:
    ``samples`` trajectories of ``parameters + 1`` points on ``levels`` levels.
    """

    kind: Literal["grid", "random", "lhs", "sobol", "morris"]
    samples: int = Field(default=64, ge=1, le=100_000)
    levels: int = Field(default=4, ge=2, le=1000)


class Verdict(Section):
    """Which strategy wins each cell of a grid: the best mean ``figure`` among the strategies that ran out of
    cash in at most ``max_failure_share`` of the cell's runs."""

    figure: str = "cumulative_sde_usd"
    max_failure_share: float = Field(default=0.1, ge=0.0, le=1.0)

    @field_validator("figure")
    @classmethod
    def _known_figure(cls, v: str) -> str:
        if v == "survived":
            raise ValueError("survival is the verdict's risk limit (max_failure_share): name a money or count figure")
        if v not in FIGURE_BY_NAME:
            raise ValueError(f"unknown figure {v!r}{did_you_mean(v, FIGURE_BY_NAME)}")
        if FIGURE_BY_NAME[v].higher_is_better is None:
            raise ValueError(f"{v} is neither better high nor low, so it cannot name a winner: name another figure")
        return v


class SweepSpec(Section):
    """A whole sweep, validated at load time."""

    name: Name
    description: str = ""
    strategies: list[str] = Field(min_length=1, description="scenario files, relative to the sweep file")
    parameters: list[Parameter] = Field(min_length=1)
    design: Design
    replications: int = Field(ge=1, le=10_000)
    figures: list[str] = Field(min_length=1)
    seed: int = Field(ge=0)
    days: int | None = Field(default=None, ge=1, le=3650, description="horizon override for every run")
    verdict: Verdict | None = Field(default=None, description="name a winner per cell (a grid of several strategies)")

    @field_validator("figures")
    @classmethod
    def _known_figures(cls, v: list[str]) -> list[str]:
        for name in v:
            if name not in FIGURE_BY_NAME:
                raise ValueError(f"unknown figure {name!r}{did_you_mean(name, FIGURE_BY_NAME)}")
        return v

    @field_validator("verdict")
    @classmethod
    def _verdict_needs_a_grid_of_strategies(cls, v: Verdict | None, info: ValidationInfo) -> Verdict | None:
        design, strategies = info.data.get("design"), info.data.get("strategies") or []
        if v is not None and (design is None or design.kind != "grid" or len(strategies) < 2):
            raise ValueError("a verdict names a winner per cell of a grid: it needs design kind grid and 2+ strategies")
        return v

    @model_validator(mode="after")
    def _unique_paths(self) -> SweepSpec:
        paths = [p.path for p in self.parameters]
        dup = sorted({p for p in paths if paths.count(p) > 1})
        if dup:
            raise ValueError(f"parameter {dup[0]!r} is listed twice")
        if self.design.kind in ("sobol", "morris") and any(
            isinstance(p, Levels) and not p.numeric for p in self.parameters
        ):
            raise ValueError(f"a {self.design.kind} design needs numeric parameters (levels or low/high)")
        runs = self.points() * self.replications * len(self.strategies)
        if runs > MAX_RUNS:
            raise ValueError(
                f"this sweep makes {runs:,} runs, more than {MAX_RUNS:,}: use fewer levels, samples or replications"
            )
        return self

    def points(self) -> int:
        """How many parameter points the design makes (before replications and strategies)."""
        d, k = self.design, len(self.parameters)
        match d.kind:
            case "grid":
                return math.prod(len(p.values) if isinstance(p, Levels) else d.levels for p in self.parameters)
            case "sobol":
                return d.samples * (k + 2)
            case "morris":
                return d.samples * (k + 1)
        return d.samples
