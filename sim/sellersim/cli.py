"""The ``sellersim`` command line: validate scenario files and run them.

Problems with a scenario (bad YAML, bad values, unreadable files) are printed to
stderr with their file and line and end the command with exit code 2.
"""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from sellersim.scenario.errors import ScenarioError
from sellersim.scenario.loader import load_scenario
from sellersim.scenario.schema import MAX_DAYS, Scenario

if TYPE_CHECKING:
    from sellersim.experiments.replication import Outcome

app = typer.Typer(
    help="SellerSim: simulate a growing Amazon FBA seller company under a staffing strategy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

BAD_SCENARIO = 2
"""Exit code for a scenario that cannot be loaded."""


def _console(**options: Any) -> Console:
    """A console that prints text as given: no emoji codes (``:x:``) from names or messages."""
    return Console(emoji=False, **options)


INTERRUPTED = 130
"""Exit code after Ctrl-C (128 + SIGINT), as shells use."""
WORKERS_PER_CORE = 4
"""Local worker processes beyond this many per core only add memory (each holds a model and its records)."""


def _workers(requested: int | None, err: Console) -> int:
    """Local worker processes to start: every core by default, at most ``WORKERS_PER_CORE`` per core."""
    from sellersim.experiments.engine import default_workers

    cores = default_workers()
    cap = WORKERS_PER_CORE * cores
    if requested is None:
        return cores
    if requested > cap:
        err.print(f"--workers {requested}: more than {WORKERS_PER_CORE} per core only adds memory; using {cap}")
        return cap
    return requested


def _check_out(out: Path, err: Console) -> None:
    """Stop with exit code 2, before any work, when results could not be written to ``out``."""
    from sellersim.results.folders import output_problem

    if problem := output_problem(out):
        err.print(f"[red]bad[/] --out {escape(str(out))}: {escape(problem)}")
        raise typer.Exit(BAD_SCENARIO)


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
    """Check scenario files and report every problem with its file and line; print each good file's rules."""
    from sellersim.strategy.words import base_strategy, describe_rules

    out, err = _console(soft_wrap=True), _console(stderr=True, soft_wrap=True)
    bad = False
    for file in files:
        scenario = _load(file, [], err)
        if scenario is None:
            bad = True
            continue
        name, days = escape(scenario.strategy.name), scenario.simulation.days
        out.print(f"[green]ok[/]  {escape(file)} (strategy {name}, {days} days)")
        for sentence in describe_rules(scenario, base=base_strategy(file)):
            out.print(f"    {sentence}", markup=False, highlight=False)
    if bad:
        raise typer.Exit(BAD_SCENARIO)


@app.command()
def run(
    file: Annotated[str, typer.Argument(help="Scenario YAML file.", show_default=False)],
    seed: Annotated[
        int | None, typer.Option(min=0, max=2**63 - 1, help="Shorthand for --set simulation.seed=N.")
    ] = None,
    days: Annotated[
        int | None, typer.Option(min=1, max=MAX_DAYS, help="Shorthand for --set simulation.days=N.")
    ] = None,
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a value: dotted.path=value (repeatable).", show_default=False),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Output folder \\[default: results/STRATEGY-seedSEED-TIME].", show_default=False),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Run one scenario and write its results to a folder."""
    console, err = _console(quiet=quiet, soft_wrap=True), _console(stderr=True, soft_wrap=True)
    shorthands = {"simulation.seed": seed, "simulation.days": days}
    overrides = [*(overrides or []), *(f"{k}={v}" for k, v in shorthands.items() if v is not None)]
    scenario = _load(file, overrides, err)
    if scenario is None:
        raise typer.Exit(BAD_SCENARIO)
    from sellersim.api import run_keeping_partial  # the model is imported only when a run needs it
    from sellersim.report.run_report import build_run_report

    sim = scenario.simulation
    name = scenario.strategy.name
    out_dir = out or Path("results") / f"{name}-seed{sim.seed}-{dt.datetime.now():%Y%m%d-%H%M%S}"
    _check_out(out_dir, err)
    console.print(f"running {escape(name)}: seed {sim.seed}, {sim.days} days from {sim.start_date}")
    with _sigterm_as_interrupt():
        result, stopped = run_keeping_partial(scenario, source=file)
    result.write(out_dir, report=build_run_report)
    console.print(result.summary_text())
    console.print(f"results in {escape(str(out_dir))}")
    if isinstance(stopped, KeyboardInterrupt):
        err.print(f"interrupted: the {result.summary['days_simulated']} days done are in {escape(str(out_dir))}")
        raise typer.Exit(INTERRUPTED)
    if stopped is not None:
        err.print(f"the run stopped with an error; the days done are in {escape(str(out_dir))}")
        raise stopped


@app.command("compare")
def compare_command(
    files: Annotated[list[str], typer.Argument(help="Strategy scenario files to compare.", show_default=False)],
    replications: Annotated[int, typer.Option(min=2, help="Replications per strategy.")] = 200,
    baseline: Annotated[
        str | None, typer.Option(help="Strategy the others are compared with \\[default: the first file's].")
    ] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes \\[default: all cores].")] = None,
    seed: Annotated[int | None, typer.Option(help="Master seed \\[default: the first file's simulation.seed].")] = None,
    target_halfwidth: Annotated[
        str | None,
        typer.Option(help="FIGURE=WIDTH: add replications until every 95% interval of FIGURE is this narrow."),
    ] = None,
    max_replications: Annotated[int, typer.Option(min=2, help="Cap on replications with --target-halfwidth.")] = 2000,
    overrides: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="Override a value in every file: dotted.path=value (repeatable).", show_default=False
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Output folder \\[default: results/compare-TIME].", show_default=False)
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Reuse the runs an interrupted comparison kept (in --out, or the newest results/compare-*); "
            "re-running into the same --out always does.",
        ),
    ] = False,
    rank_by: Annotated[
        str,
        typer.Option(
            help="What the decision table ranks by after the risk of running out of cash: sde (cumulative SDE) "
            "or final_cash."
        ),
    ] = "sde",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Compare strategies over many replications with common random numbers and write a report.

    Every finished run is kept in the folder's store/ as it arrives: after Ctrl-C, SIGTERM or a
    kill, the same command with --resume runs only what is missing."""
    console, err = _console(quiet=quiet, soft_wrap=True), _console(stderr=True, soft_wrap=True)
    from sellersim.experiments.compare import compare
    from sellersim.experiments.stats import StoppingRule
    from sellersim.report.compare_report import build_compare_report
    from sellersim.results.figures import FIGURE_BY_NAME
    from sellersim.util import did_you_mean

    stopping = None
    if target_halfwidth is not None:
        figure, _, width = target_halfwidth.partition("=")
        if figure not in FIGURE_BY_NAME or not _is_positive_number(width):
            hint = did_you_mean(figure, FIGURE_BY_NAME) if figure not in FIGURE_BY_NAME else "; WIDTH must be > 0"
            err.print(f"--target-halfwidth {escape(target_halfwidth)}: expected FIGURE=WIDTH{escape(hint)}")
            raise typer.Exit(BAD_SCENARIO)
        batch = max(replications // 2, 10)
        stopping = StoppingRule(figure, float(width), max(max_replications, replications), batch)
    from sellersim.results.comparison import STORE
    from sellersim.results.store import PlanChangedError, StoreInUseError

    if resume and out is None:
        out = _newest_comparison(err, STORE)
    out_dir = out or Path("results") / f"compare-{dt.datetime.now():%Y%m%d-%H%M%S}"
    _check_out(out_dir, err)
    if resume and not (out_dir / STORE).is_dir():
        err.print(f"--resume: {escape(str(out_dir))} holds no stored runs of a comparison; leave out --resume")
        raise typer.Exit(BAD_SCENARIO)
    workers = _workers(workers, err)
    with _ComparisonProgress(console, quiet) as progress, _sigterm_as_interrupt():
        try:
            result = compare(
                files,
                baseline=baseline,
                replications=replications,
                workers=workers,
                seed=seed,
                stopping=stopping,
                overrides=overrides or [],
                progress=progress,
                store=out_dir / STORE,
                resume=resume,
                rank_by=rank_by,
            )
        except ScenarioError as exc:
            err.print(str(exc), markup=False, highlight=False)
            raise typer.Exit(BAD_SCENARIO) from None
        except OSError as exc:
            err.print(f"[red]bad[/] cannot read a scenario file: {escape(str(exc))}")
            raise typer.Exit(BAD_SCENARIO) from None
        except (ValueError, StoreInUseError, PlanChangedError) as exc:
            err.print(f"[red]bad[/] {escape(str(exc))}")
            raise typer.Exit(BAD_SCENARIO) from None
        except KeyboardInterrupt:  # after the runs, while the tables were made: the runs are kept all the same
            err.print(f"interrupted: finished runs are kept{_resume_hint(out_dir)}")
            raise typer.Exit(INTERRUPTED) from None
    for warning in result.meta["warnings"]:
        err.print(f"warning: {escape(warning)}")
    result.write(out_dir, report=build_compare_report)
    _print_whole(console, _decision_table(result.comparison["decision"]))
    console.print(escape(result.comparison["decision"]["recommendation"]))
    for sentence in result.comparison["sentences"]:
        console.print(f"- {escape(sentence)}")
    stopping = result.comparison["stopping"]
    if not stopping["interrupted"]:
        console.print(escape(stopping["reason"]))
    console.print(f"results in {escape(str(out_dir))}")
    if stopping["interrupted"]:
        err.print(f"{escape(stopping['reason'])}{_resume_hint(out_dir)}")
        raise typer.Exit(INTERRUPTED)


def _print_whole(console: Console, table: Any) -> None:
    """Print ``table`` at its own width when the terminal is narrower (the terminal wraps its lines): a name or a
    figure is never cut to fit."""
    natural = console.measure(table, options=console.options.update(max_width=10_000)).maximum
    (console if console.width >= natural else _console(width=natural, file=console.file)).print(table)


def _decision_table(decision: dict[str, Any]) -> Any:
    """The comparison's decision table for the terminal, best first, as in the report."""
    from rich import box
    from rich.table import Table

    from sellersim.formatting import hours, money, share

    rows = []
    for row in decision["rows"]:
        beats = row["beats_baseline"]
        rows.append(
            (
                escape(row["strategy"]),
                share(row["risk_of_running_out"]["estimate"]),
                money(row["rank_figure"]["estimate"]),
                money(row["final_cash_p10_usd"]),
                money(row["lowest_cash_median_usd"]),
                hours(row["founder_weekly_hours"]),
                money(row["payroll_usd"]),
                "baseline" if beats is None else share(beats["estimate"]),
            )
        )
    # No vertical rules and headers on two lines, so the table is narrow; a name or a figure is never cut.
    table = Table(
        title="Strategies ranked",
        caption=escape(decision["rule"]),
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    figure = "SDE" if decision["rank_by"] == "cumulative_sde_usd" else "final\ncash"
    headers = ("strategy", "out of\ncash", f"mean\n{figure}", "cash,\n10th pct", "lowest\ncash", "hours\na week",
               "payroll", "beats\nbaseline")  # fmt: skip
    for k, column in enumerate(headers):
        widest = max([len(r[k]) for r in rows] + [len(line) for line in column.split("\n")])
        table.add_column(column, no_wrap=True, min_width=widest, justify="left" if k == 0 else "right")
    for r in rows:
        table.add_row(*r)
    return table


def _resume_hint(out_dir: Path) -> str:
    return f"; add --resume --out {escape(str(out_dir))} to go on"


def _newest_comparison(err: Console, store: str) -> Path:
    """The newest ``results/compare-*`` folder that keeps stored runs (in ``store``), for ``--resume`` without
    ``--out``."""
    folders = sorted((p for p in Path("results").glob("compare-*") if (p / store).is_dir()), key=lambda p: p.name)
    if not folders:
        err.print("--resume: no results/compare-* folder holds stored runs; give --out FOLDER")
        raise typer.Exit(BAD_SCENARIO)
    err.print(f"resuming {escape(str(folders[-1]))}")
    return folders[-1]


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While long work runs, SIGTERM (a shutdown, ``kill``, a scheduler's stop) stops it as Ctrl-C does:
    finished runs are kept, workers are shut down, and the command exits 130."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _is_positive_number(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


def _runs_bar(verb: str, console: Console, quiet: bool) -> tuple[Any, Any]:
    """A rich progress bar of runs: done of planned, failures, time left (hidden with --quiet)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn(verb),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("runs, {task.fields[failed]} failed"),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
        transient=True,
    )
    return bar, bar.add_task("runs", total=None, failed=0)


class _ComparisonProgress:
    """A rich progress bar fed one finished run at a time: runs done, failures, time left."""

    def __init__(self, console: Console, quiet: bool) -> None:
        self._progress, self._task = _runs_bar("comparing", console, quiet)
        self._failed = 0

    def __enter__(self) -> _ComparisonProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)

    def __call__(self, outcome: Outcome, planned_runs: int) -> None:
        self._failed += outcome.row["status"] != "ok"
        self._progress.update(self._task, advance=1, total=planned_runs, failed=self._failed)


@app.command("sweep")
def sweep_command(
    spec: Annotated[str, typer.Argument(help="Sweep file (scenarios/sweeps/*.yaml).", show_default=False)],
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes \\[default: all cores].")] = None,
    backend: Annotated[str, typer.Option(help="local (a process pool) or dask.")] = "local",
    address: Annotated[
        str | None, typer.Option(help="Dask scheduler tcp://host:port \\[default: a local cluster].")
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Run only what is missing of this same sweep in the folder (re-running into it always reuses runs "
            "that match; --resume refuses a folder of another sweep).",
        ),
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="Output folder \\[default: results/sweep-NAME].", show_default=False)
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Run a parameter sweep (resumable), analyse it and write its report."""
    console, err = _console(quiet=quiet, soft_wrap=True), _console(stderr=True, soft_wrap=True)
    from sellersim.experiments.engine import default_workers
    from sellersim.experiments.sweep.sweep import run_and_analyse
    from sellersim.report.sweep_report import build_sweep_report
    from sellersim.results.folders import OutputFolderError, data_files
    from sellersim.results.store import PlanChangedError, StoreInUseError

    if backend not in ("local", "dask"):
        err.print(f"--backend {escape(backend)}: use local or dask")
        raise typer.Exit(BAD_SCENARIO)
    bar, task = _runs_bar("sweeping", console, quiet)

    def progress(done: int, total: int, failed: int) -> None:
        bar.update(task, completed=done, total=total, failed=failed)

    try:
        with bar, _sigterm_as_interrupt():
            result = run_and_analyse(
                spec,
                out,
                workers=_workers(workers, err) if backend == "local" else workers or default_workers(),
                backend=backend,
                address=address,
                progress=progress,
                resume=resume,
            )
            report = build_sweep_report(result, data_files(result.folder))
            (result.folder / "report.html").write_text(report, encoding="utf-8")
    except ScenarioError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(BAD_SCENARIO) from None
    except (OutputFolderError, StoreInUseError, PlanChangedError) as exc:
        err.print(f"[red]bad[/] {escape(str(exc))}")
        raise typer.Exit(BAD_SCENARIO) from None
    except OSError as exc:
        err.print(f"[red]bad[/] cannot read {escape(spec)}: {escape(exc.strerror or str(exc))}")
        raise typer.Exit(BAD_SCENARIO) from None
    for warning in result.meta["warnings"]:
        err.print(f"warning: {escape(warning)}")
    for sentence in result.analysis.get("sentences", []):
        console.print(f"- {escape(sentence)}")
    m = result.meta
    console.print(
        f"{m['runs']} runs ({m['runs_this_session']} run now, {m['failed_runs']} failed), "
        f"{m['runs_per_second']} runs/s on {m['workers']} {m['backend']} workers"
    )
    console.print(f"results in {escape(str(result.folder))}")
    if m["interrupted"]:
        err.print("interrupted: finished runs are stored; run the same command again to resume")
        raise typer.Exit(INTERRUPTED)


@app.command("check-model")
def check_model_command(
    file: Annotated[
        str, typer.Argument(help="Scenario YAML file \\[default: the default company and strategy].")
    ] = "scenarios/strategies/solo_then_hire.yaml",
    replications: Annotated[int, typer.Option(min=2, help="Replications to pool.")] = 100,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes \\[default: all cores].")] = None,
    seed: Annotated[int | None, typer.Option(help="Master seed \\[default: the file's simulation.seed].")] = None,
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a value: dotted.path=value (repeatable).", show_default=False),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the check to this JSON file.", show_default=False)
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the table.")] = False,
) -> None:
    """Hold a scenario to the published figures it is calibrated to; exit code 1 if any figure misses."""
    import sys

    console = _console(soft_wrap=True, width=None if sys.stdout.isatty() else 120)  # a log gets the whole table
    err = _console(stderr=True, soft_wrap=True)
    scenario = _load(file, overrides or [], err)
    if scenario is None:
        raise typer.Exit(BAD_SCENARIO)
    import json

    from rich.table import Table

    from sellersim.experiments.validation.check import check_model

    bar, task = _runs_bar("checking", _console(quiet=quiet), quiet)
    with bar, _sigterm_as_interrupt():
        check = check_model(
            scenario,
            replications,
            workers=_workers(workers, err),
            master_seed=seed,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    table = Table(title=f"{escape(check.scenario)}: {check.replications} runs, {check.failed_runs} ran out of cash")
    for column, justify in (("figure", "left"), ("target", "right"), ("simulated (95% CI)", "right")):
        table.add_column(column, justify=justify)
    for column in ("middle 90%", "n", "result"):
        table.add_column(column, justify="right")
    for row in check.rows():
        style = "green" if row["result"] == "pass" else "bold red"
        table.add_row(*(escape(v) for v in row.values()), style=style)
    console.print(table)
    spread = Table(title="How outcomes spread across the runs (read, not checked)")
    for column in ("outcome", "median", "10-90%", "n", "what is known"):
        spread.add_column(column, justify="left" if column in ("outcome", "what is known") else "right")
    for s in check.spreads:
        spread.add_row(*(escape(v) for v in s.row().values()))
    console.print(spread)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(check.to_dict(), indent=2, allow_nan=True))
        console.print(f"written to {escape(str(json_out))}")
    if check.interrupted:
        err.print(f"interrupted: the table pools the {check.replications} runs that finished")
        raise typer.Exit(INTERRUPTED)
    if not check.passed:
        raise typer.Exit(1)


if __name__ == "__main__":  # python -m sellersim.cli
    app()
