"""The ``sellersim`` command line: validate scenario files and run them.

Problems with a scenario (bad YAML, bad values, unreadable files) are printed to
stderr with their file and line and end the command with exit code 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from sellersim.scenario.errors import ScenarioError
from sellersim.scenario.loader import load_scenario
from sellersim.scenario.schema import Scenario

app = typer.Typer(
    help="SellerSim: simulate a growing Amazon FBA seller company under a staffing strategy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

BAD_SCENARIO = 2
"""Exit code for a scenario that cannot be loaded."""
INTERRUPTED = 130
"""Exit code after Ctrl-C (128 + SIGINT), as shells use."""


def _load(file: str, overrides: list[str], err: Console) -> Scenario | None:
    """Load ``file``, or print why it cannot be loaded to ``err`` and return ``None``."""
    try:
        return load_scenario(file, overrides)
    except ScenarioError as exc:
        count = len(exc.issues)
        err.print(f"[red]bad[/] {escape(file)}: {count} problem{'s' * (count != 1)}", highlight=False)
        err.print(str(exc), markup=False, highlight=False)
    except OSError as exc:
        err.print(f"[red]bad[/] {escape(file)}: cannot read it: {escape(exc.strerror or str(exc))}")
    return None


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(help="Scenario YAML files to check.", show_default=False)],
) -> None:
    """Check scenario files and report every problem with its file and line."""
    out, err = Console(soft_wrap=True), Console(stderr=True, soft_wrap=True)
    bad = False
    for file in files:
        scenario = _load(file, [], err)
        if scenario is None:
            bad = True
            continue
        name, days = escape(scenario.strategy.name), scenario.simulation.days
        out.print(f"[green]ok[/]  {escape(file)} (strategy {name}, {days} days)")
    if bad:
        raise typer.Exit(BAD_SCENARIO)


@app.command()
def run(
    file: Annotated[str, typer.Argument(help="Scenario YAML file.", show_default=False)],
    seed: Annotated[int | None, typer.Option(help="Shorthand for --set simulation.seed=N.")] = None,
    days: Annotated[int | None, typer.Option(help="Shorthand for --set simulation.days=N.")] = None,
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a value: dotted.path=value (repeatable).", show_default=False),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Output folder [default: results/STRATEGY-seedSEED-TIME].", show_default=False),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Run one scenario and write its results to a folder."""
    console, err = Console(quiet=quiet, soft_wrap=True), Console(stderr=True, soft_wrap=True)
    shorthands = {"simulation.seed": seed, "simulation.days": days}
    overrides = [*(overrides or []), *(f"{k}={v}" for k, v in shorthands.items() if v is not None)]
    scenario = _load(file, overrides, err)
    if scenario is None:
        raise typer.Exit(BAD_SCENARIO)
    from sellersim.api import run_keeping_partial  # the model is imported only when a run needs it

    sim = scenario.simulation
    name = scenario.strategy.name
    console.print(f"running {escape(name)}: seed {sim.seed}, {sim.days} days from {sim.start_date}")
    result, stopped = run_keeping_partial(scenario, source=file)
    out_dir = out or Path("results") / f"{name}-seed{sim.seed}-{dt.datetime.now():%Y%m%d-%H%M%S}"
    result.write(out_dir)
    console.print(result.summary_text())
    console.print(f"results in {escape(str(out_dir))}")
    if isinstance(stopped, KeyboardInterrupt):
        err.print(f"interrupted: the {result.summary['days_simulated']} days done are in {escape(str(out_dir))}")
        raise typer.Exit(INTERRUPTED)
    if stopped is not None:
        err.print(f"the run stopped with an error; the days done are in {escape(str(out_dir))}")
        raise stopped
