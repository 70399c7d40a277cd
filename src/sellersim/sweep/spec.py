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

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from sellersim.compare.figures import FIGURE_BY_NAME
from sellersim.scenario.schema import Section
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


def _parameter_kind(data: Any) -> str:
    return "levels" if isinstance(data, dict) and "values" in data else "span"


# A parameter with `values` is levels, any other a span: errors then speak of one kind only.
Parameter = Annotated[Annotated[Levels, Tag("levels")] | Annotated[Span, Tag("span")], Discriminator(_parameter_kind)]


class Design(Section):
    """How parameter points are chosen.

    ``grid``: every combination (spans cut into ``levels`` evenly spaced values); ``random`` and
    ``lhs``: ``samples`` points; ``sobol``: Saltelli's scheme with ``samples`` base points
    (``samples * (parameters + 2)`` points, a power of two for balance); ``morris``:
    ``samples`` trajectories of ``parameters + 1`` points on ``levels`` levels.
    """

    kind: Literal["grid", "random", "lhs", "sobol", "morris"]
    samples: int = Field(default=64, ge=1)
    levels: int = Field(default=4, ge=2)


class SweepSpec(Section):
    """A whole sweep, validated at load time."""

    name: str
    description: str = ""
    strategies: list[str] = Field(min_length=1, description="scenario files, relative to the sweep file")
    parameters: list[Parameter] = Field(min_length=1)
    design: Design
    replications: int = Field(ge=1)
    figures: list[str] = Field(min_length=1)
    seed: int = Field(ge=0)
    days: int | None = Field(default=None, ge=1, le=3650, description="horizon override for every run")

    @field_validator("figures")
    @classmethod
    def _known_figures(cls, v: list[str]) -> list[str]:
        for name in v:
            if name not in FIGURE_BY_NAME:
                raise ValueError(f"unknown figure {name!r}{did_you_mean(name, FIGURE_BY_NAME)}")
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
        return self
