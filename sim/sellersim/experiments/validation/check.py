"""Run a scenario over many replications and hold each figure to its published range.

Replication ``r`` uses the same seed as replication ``r`` of a comparison, and
results are assembled in replication order, so the check gives the same
numbers on any number of workers. A figure the company seldom shows (air
freight, used only to rescue a stock-out) is measured on probe runs of the same
company with one policy changed, a quarter as many as the replications.

Beside the figures, the check reports how outcomes spread over the runs (the
catalogue's concentration, the launches that flopped, were soon retired or sold
far below their plan, the last year's revenue), with what public figures say
about them; those are read, not held to a range.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel
from scipy import stats

from sellersim.experiments.backends import LocalBackend
from sellersim.experiments.replication import replication_seed, with_seed
from sellersim.experiments.validation.measures import Outcomes, Sample, measure, outcomes
from sellersim.experiments.validation.targets import SPREADS, TARGETS, Target
from sellersim.results.run import run_model
from sellersim.scenario.schema import Scenario

_SPREAD = (5.0, 95.0)  # percentiles of single values shown as their spread
# shares of launches, pooled over runs
_POOLED = {"flop_share": "launches_flopped", "retired_share": "launches_retired", "short_share": "launches_short"}
PROBE_SHARE = 4  # probe runs are a quarter of the replications: each gives many observations


@dataclass(frozen=True)
class Figure:
    """One target checked: the pooled value, its 95% interval and whether it holds."""

    target: Target
    value: float
    ci_low: float
    ci_high: float
    spread_low: float  # 5th and 95th percentiles of single values (NaN for pure ratios)
    spread_high: float
    observations: float  # the pooled weight: orders, units, product-years, hires...
    runs: int  # replications that contributed

    @property
    def passed(self) -> bool:
        """The value lies in the range and, where the target asks, so does the spread of single values."""
        if not np.isfinite(self.value) or not self.target.holds(self.value):
            return False
        return not self.target.spread or (self.target.holds(self.spread_low) and self.target.holds(self.spread_high))


@dataclass(frozen=True)
class Spread:
    """How one outcome spreads over the runs: its middle value and 10th-90th percentiles, beside what is known."""

    measure: str
    label: str
    unit: str  # "share" or "USD"
    value: float  # the median over runs; for a pooled share, the share of everything counted
    p10: float
    p90: float
    n: int  # runs, or the things counted (launches)
    reference: str

    def row(self) -> dict[str, str]:
        def fmt(x: float) -> str:
            if not np.isfinite(x):
                return "n/a"
            return f"{100 * x:.0f}%" if self.unit == "share" else f"${x:,.0f}"

        return {
            "outcome": self.label,
            "median": fmt(self.value),
            "10-90%": "" if np.isnan(self.p10) else f"{fmt(self.p10)} - {fmt(self.p90)}",
            "n": f"{self.n:,}",
            "what is known": self.reference,
        }


def spreads(runs: Sequence[Outcomes]) -> tuple[Spread, ...]:
    """The spread of each outcome over ``runs`` (see :data:`~sellersim.experiments.validation.targets.SPREADS`)."""
    rows = []
    for measure_, label, unit, reference in SPREADS:
        if measure_ in _POOLED:  # a pooled share: each run launches only a few products
            judged = sum(o.launches_judged for o in runs)
            value = sum(getattr(o, _POOLED[measure_]) for o in runs) / judged if judged else np.nan
            rows.append(Spread(measure_, label, unit, value, np.nan, np.nan, judged, reference))
            continue
        values = np.array([getattr(o, measure_) for o in runs], dtype=float)
        values = values[np.isfinite(values)]
        p10, p50, p90 = np.percentile(values, (10, 50, 90)) if len(values) else (np.nan,) * 3
        rows.append(Spread(measure_, label, unit, float(p50), float(p10), float(p90), len(values), reference))
    return tuple(rows)


@dataclass(frozen=True)
class ModelCheck:
    """Every figure of one scenario, checked over ``replications`` runs."""

    scenario: str
    replications: int  # runs that finished (fewer than asked when interrupted)
    failed_runs: int  # runs in which the company ran out of cash (their days up to then still count)
    figures: tuple[Figure, ...]
    spreads: tuple[Spread, ...] = ()
    interrupted: bool = False

    @property
    def passed(self) -> bool:
        return all(f.passed for f in self.figures)

    def rows(self) -> list[dict[str, str]]:
        """The check as a table of text: figure, target range, value with interval, spread, observations, result."""
        return [
            {
                "figure": f.target.label,
                "target": f"{_fmt(f.target, f.target.low)}-{_fmt(f.target, f.target.high)} {_UNITS[f.target.unit]}",
                "simulated": f"{_fmt(f.target, f.value)} ({_fmt(f.target, f.ci_low)}-{_fmt(f.target, f.ci_high)})",
                "spread": ""
                if np.isnan(f.spread_low)
                else f"{_fmt(f.target, f.spread_low)}-{_fmt(f.target, f.spread_high)}",
                "n": f"{f.observations:,.0f}",
                "result": "pass" if f.passed else "FAIL",
            }
            for f in self.figures
        ]

    def to_dict(self) -> dict:
        """Everything in plain types, for JSON."""
        return {
            "scenario": self.scenario,
            "replications": self.replications,
            "failed_runs": self.failed_runs,
            "interrupted": self.interrupted,
            "passed": self.passed,
            "figures": [
                {
                    "measure": f.target.measure,
                    "label": f.target.label,
                    "unit": f.target.unit,
                    "low": f.target.low,
                    "high": f.target.high,
                    "source": f.target.source,
                    "value": f.value,
                    "ci_low": f.ci_low,
                    "ci_high": f.ci_high,
                    "spread_low": f.spread_low,
                    "spread_high": f.spread_high,
                    "observations": f.observations,
                    "runs": f.runs,
                    "passed": f.passed,
                }
                for f in self.figures
            ],
            "spreads": [
                {k: getattr(s, k) for k in ("measure", "label", "unit", "value", "p10", "p90", "n", "reference")}
                for s in self.spreads
            ],
        }


_UNITS = {"share": "%", "days": "days", "USD/month": "USD/month"}


def _fmt(target: Target, x: float) -> str:
    if not np.isfinite(x):
        return "n/a"
    return f"{100 * x:.1f}" if target.unit == "share" else f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.1f}"


def _run(item: tuple[tuple, int, Scenario, int]) -> tuple[tuple, int, dict[str, Sample], Outcomes, bool]:
    """Replication ``r`` of a probe (``()`` for the company as it is): its samples, its outcomes and whether it
    ran out of cash."""
    probe, r, scenario, seed = item
    model = run_model(with_seed(scenario, seed))
    return probe, r, measure(model), outcomes(model), model.failure is not None


def _changed(section: BaseModel, path: str, value: object) -> BaseModel:
    """A copy of ``section`` with the dotted ``path`` set to ``value``."""
    head, _, rest = path.partition(".")
    new = _changed(getattr(section, head), rest, value) if rest else value
    return section.model_copy(update={head: new})


def pool(target: Target, samples: Sequence[Sample]) -> Figure:
    """The ratio of sums over runs with a delta-method 95% interval, and the spread of single values."""
    used = [s for s in samples if s.weight > 0]
    n = len(used)
    total = np.array([s.total for s in used])
    weight = np.array([s.weight for s in used])
    value = float(total.sum() / weight.sum()) if n else np.nan
    half = np.nan
    if n > 1:
        residual = total - value * weight
        se = np.sqrt(n / (n - 1) * float(residual @ residual)) / weight.sum()
        half = float(stats.t.ppf(0.975, n - 1) * se)
    values = np.concatenate([s.values for s in used]) if n else np.zeros(0)
    low = high = np.nan
    if len(values):
        weights = np.concatenate([s.weights for s in used])
        order = np.argsort(values, kind="stable")
        cumulative = np.cumsum(weights[order]) / weights.sum() * 100
        low, high = (float(values[order][np.searchsorted(cumulative, q)]) for q in _SPREAD)
    return Figure(target, value, value - half, value + half, low, high, float(weight.sum()), n)


def check_model(
    scenario: Scenario,
    replications: int = 100,
    workers: int = 1,
    master_seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ModelCheck:
    """Run ``scenario`` ``replications`` times and check every published target.

    Args:
        scenario: The company to check (the default: ``scenarios/base.yaml`` with its strategy).
        replications: Runs of the scenario; the probes that change one setting run a share of them.
        workers: Processes to run them on.
        master_seed: The seed replications derive theirs from; the scenario's own by default.
        progress: Called with (runs done, runs in all) as runs finish.

    Returns:
        Each target's pooled value, interval and range, the spread of outcomes, and whether all passed.
    """
    master = scenario.simulation.seed if master_seed is None else master_seed
    jobs = [((), r, scenario, replication_seed(master, r)) for r in range(replications)]
    for probe in dict.fromkeys(t.probe for t in TARGETS if t.probe):
        probed = scenario
        for path, value in probe:
            probed = _changed(probed, path, value)
        jobs += [(probe, r, probed, replication_seed(master, r)) for r in range(max(2, replications // PROBE_SHARE))]
    results: dict[tuple, dict[int, tuple[dict[str, Sample], Outcomes, bool]]] = {}
    interrupted = False
    try:
        with LocalBackend(workers) as backend:
            for probe, r, samples, outcome, failed in backend.map_unordered(_run, jobs):
                results.setdefault(probe, {})[r] = samples, outcome, failed
                if progress is not None:
                    progress(sum(map(len, results.values())), len(jobs))
    except KeyboardInterrupt:  # check what finished
        interrupted = True

    def ordered(probe: tuple) -> list[tuple[dict[str, Sample], Outcomes, bool]]:
        runs = results.get(probe, {})
        return [runs[r] for r in sorted(runs)]

    figures = tuple(pool(t, [samples[t.measure] for samples, _, _ in ordered(t.probe)]) for t in TARGETS)
    company = ordered(())
    failed_runs = sum(f for _, _, f in company)
    spread = spreads([o for _, o, _ in company])
    return ModelCheck(scenario.strategy.name, len(company), failed_runs, figures, spread, interrupted)
