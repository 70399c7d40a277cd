"""A corpus of bad scenario values that used to pass ``validate`` and then crashed, hung or misled.

Each case is a strategy file that extends a shipped one with one bad value; ``validate`` must exit 2
with the file, line and field and a message that says what to write instead, and no traceback.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from sellersim.api import run_model
from sellersim.cli import WORKERS_PER_CORE, _workers, app
from sellersim.experiments.engine import default_workers
from sellersim.scenario.loader import load_document, load_scenario

ROOT = Path(__file__).resolve().parents[1]
NEVER_HIRE = ROOT / "scenarios" / "strategies" / "never_hire.yaml"

runner = CliRunner()

# (what it was, YAML added to never_hire, message fragment)
CORPUS = [
    (
        "a boolean as the horizon (was a 1-day run)",
        "simulation: {days: true}",
        "simulation.days: must be a whole number",
    ),
    ("a boolean as the seed", "simulation: {seed: false}", "simulation.seed: must be a whole number"),
    (
        "a decimal as a count",
        "development: {max_candidates: 2.5}",
        "development.max_candidates: must be a whole number",
    ),
    ("infinite cash (overflowed on day 91)", "company: {starting_cash_usd: .inf}", "must be a finite number"),
    (
        "a NaN parameter (silently no hires)",
        "strategy: {parameters: {profit_multiple: .nan}}",
        "must be a finite number",
    ),
    (
        "a huge spread (NaN to int)",
        "market: {niches: {sessions_per_day: {median: 700, sigma: 1e308}}}",
        "sessions_per_day.sigma: Input should be less than or equal to 5",
    ),
    ("negative staff (was no staff)", "company: {existing: {staff: {operator: -3}}}", "greater than or equal to 0"),
    (
        "a hundred million products (hung)",
        "company: {existing: {products: 100000000}}",
        "company.existing.products: Input should be less than or equal to 2000",
    ),
    (
        "a billion research candidates (hung)",
        "development: {max_candidates: 1000000000}",
        "development.max_candidates: Input should be less than or equal to 100",
    ),
    ("a date past 9999 (traceback)", "simulation: {start_date: 9999-06-01}", "less than or equal to 2099-12-31"),
    (
        "a run past the last Chinese New Year listed (silently no shutdown)",
        "simulation: {start_date: 2035-01-01}",
        "supply.chinese_new_year: no date for 2036, 2037",
    ),
    (
        "a window of a trillion months (hung)",
        "strategy: {owner_pay: {when: 'months_profitable(1000000000000) >= 1', usd_per_month: 100}}",
        "months_profitable needs a whole number from 1 to 120",
    ),
    ("more hours than a week has", "company: {founder: {hours_per_week: 200}}", "less than or equal to 168"),
    ("an absurd amount of money", "company: {tools_usd_per_month: 1e300}", "less than or equal to 1000000000"),
    ("text where a number goes", "company: {starting_cash_usd: lots}", "must be a number, such as 2.5"),
    (
        "the whole company sold for equity",
        "strategy: {financing: {equity: [{when: day >= 0, amount_usd: 1000, share_of_company: 1}]}}",
        "strategy.financing.equity.0.share_of_company: Input should be less than 1",
    ),
    (
        "a negative raise",
        "strategy: {financing: {equity: [{when: day >= 0, amount_usd: -5, share_of_company: 0.1}]}}",
        "strategy.financing.equity.0.amount_usd: Input should be greater than 0",
    ),
    (
        "a raise whose rule does not parse",
        "strategy: {financing: {equity: [{when: cash_usd <, amount_usd: 5, share_of_company: 0.1}]}}",
        "strategy.financing.equity.0.when:",
    ),
    ("an interest rate over 100%", "company: {credit_line_apr: 15}", "company.credit_line_apr: Input should be"),
    ("a tax rate over 100%", "company: {income_tax_rate: 25}", "company.income_tax_rate: Input should be less"),
    ("a copycat that gives the product away", "market: {rivals: {price_cut: 1}}", "market.rivals.price_cut: Input"),
    (
        "copycats that leave at a margin above the whole price",
        "market: {rivals: {exit_margin_share: 1.5}}",
        "market.rivals.exit_margin_share: Input should be less than or equal to 1",
    ),
    (
        "a clearance that gives the stock away",
        "strategy: {retire: {clearance_discount: 1}}",
        "strategy.retire.clearance_discount: Input",
    ),
    ("a retirement window of no days", "strategy: {retire: {window_days: 0}}", "strategy.retire.window_days: Input"),
    (
        "a listing closed for returns at its category's own rate",
        "market: {listing_health: {flag_ratio: 1}}",
        "market.listing_health.flag_ratio: Input",
    ),
    (
        "an inspection that accepts every unit it checks",
        "supply: {supplier_events: {inspection_sample_units: 80, inspection_accept_defects: 80}}",
        "inspection_accept_defects must be fewer than inspection_sample_units",
    ),
    (
        "a price increase above the whole price",
        "supply: {supplier_events: {price_increase: {low: 0.05, high: 1.5}}}",
        "price_increase.high must be a share",
    ),
    (
        "a sample that passes more often than always",
        "development: {sample_rounds: {pass_best: 1.5}}",
        "development.sample_rounds.pass_best: Input should be less than or equal to 1",
    ),
    (
        "sample rounds where procurement work makes samples worse",
        "development: {sample_rounds: {pass_untended: 0.7, pass_best: 0.5}}",
        "pass_best (0.5) must be at least pass_untended (0.7)",
    ),
    (
        "no sample round at all",
        "development: {sample_rounds: {max_rounds: 0}}",
        "development.sample_rounds.max_rounds: Input should be greater than or equal to 1",
    ),
    (
        "a listing closed on certainty that cannot be had",
        "market: {listing_health: {confidence: 1}}",
        "market.listing_health.confidence: Input",
    ),
    ("an ad yardstick that does not exist", "strategy: {ads: {steer_on: roas}}", "strategy.ads.steer_on: Input"),
    (
        "a discount on an event that is not a deal",
        "market: {events: [{name: BF, rule: black_friday, days: 1, demand_multiplier: 1.5, deal_only: false, "
        "deal_discount: 0.2}]}",
        "deal_discount applies to deal events only",
    ),
    (
        "a loan with a negative fee",
        "strategy: {financing: {inventory_loans: {fee_share: -0.1}}}",
        "strategy.financing.inventory_loans.fee_share: Input should be greater than or equal to 0",
    ),
    (
        "an equity raise with no amount",
        "strategy: {financing: {equity: [{when: day >= 0, share_of_company: 0.1}]}}",
        "strategy.financing.equity.0.amount_usd",
    ),
    (
        "a capacity limit that does not parse",
        "supply: {fba_capacity: {months_of_sales: five}}",
        "supply.fba_capacity.months_of_sales: must be a number, such as 2.5",
    ),
    (
        "a negative capacity floor",
        "supply: {fba_capacity: {min_cuft: -25}}",
        "supply.fba_capacity.min_cuft: Input should be greater than or equal to 0",
    ),
    (
        "lender's terms that do not parse",
        "strategy: {financing: {inventory_loans: {when: 'revenue >'}}}",
        "strategy.financing.inventory_loans.when:",
    ),
]


@pytest.mark.parametrize(("what", "yaml", "fragment"), CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_value_exits_2_with_its_position_and_a_fix(tmp_path: Path, what: str, yaml: str, fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: '{NEVER_HIRE}'\n{yaml}\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, f"{what}: {result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), "no traceback"
    assert fragment in result.stderr, result.stderr
    assert re.search(r"\.yaml:\d+:\d+: ", result.stderr), "the file, line and column are named"


def test_too_many_workers_are_capped_with_a_warning() -> None:
    cores = default_workers()
    out = io.StringIO()
    err = Console(file=out, width=200)
    assert _workers(1000, err) == WORKERS_PER_CORE * cores
    assert f"--workers 1000: more than {WORKERS_PER_CORE} per core only adds memory" in out.getvalue()
    quiet = io.StringIO()
    assert _workers(WORKERS_PER_CORE * cores, Console(file=quiet)) == WORKERS_PER_CORE * cores
    assert _workers(None, Console(file=quiet)) == cores
    assert quiet.getvalue() == ""


# --- files the loader must refuse before reading or building them ----------------------------


def alias_bomb() -> str:
    """Ten levels of ten aliases each: 10**10 strings once expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return "\n".join(lines)


FILES = [
    (
        "a Python tag (was an AttributeError)",
        "a: !!python/object/apply:os.system ['true']",
        "YAML tags (!...) are not allowed",
    ),
    ("a billion-string alias bomb (hung)", alias_bomb(), "YAML aliases (*a0) are not allowed"),
    ("300 levels of nesting (RecursionError)", "a: " + "[" * 300 + "]" * 300, "nested more than 32 levels deep"),
    ("a 2 MB file", "# " + "x" * 2_000_000, "larger than 1,000,000 bytes"),
]


@pytest.mark.parametrize(("what", "text", "fragment"), FILES, ids=[f[0] for f in FILES])
def test_file_that_is_not_plain_yaml_exits_2_quickly(tmp_path: Path, what: str, text: str, fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text + "\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, f"{what}: {result.output}"
    assert fragment in result.stderr, result.stderr


@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero", "/proc/self/environ"])
def test_extends_never_reads_or_prints_a_file_that_is_not_a_scenario(tmp_path: Path, target: str) -> None:
    """``extends: /dev/zero`` ate memory; ``/etc/passwd`` and ``/proc/self/environ`` printed their first line."""
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: {target}\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"base file {target}: scenario files are named *.yaml or *.yml" in result.stderr
    assert "root:" not in result.stderr and "PATH=" not in result.stderr


def test_a_special_file_named_yaml_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # reading it would block forever
    result = runner.invoke(app, ["validate", str(fifo)])
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr


@pytest.mark.parametrize(
    "name", ["../../outside", "a/b", '<a href="https://example.com">x</a>', ":x: boom", ".hidden", "x" * 65]
)
def test_names_that_would_become_paths_or_markup_are_refused(tmp_path: Path, name: str) -> None:
    """A strategy name with ``../`` wrote outside ``results/``; a link became live in chart legends."""
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: '{NEVER_HIRE}'\nstrategy: {{name: '{name}'}}\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "strategy.name: must be a name of letters, digits" in result.stderr


def test_messages_print_names_as_written_without_emoji(tmp_path: Path) -> None:
    folder = tmp_path / ":x:"
    folder.mkdir()
    path = folder / "bad.yaml"
    path.write_text(f"extends: '{NEVER_HIRE}'\nsimulation: {{days: 0}}\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2:20: simulation.days" in result.stderr
    assert "\u274c" not in result.stderr


# --- sweeps: strategies checked as `validate` checks them, before any run ------------------


def sweep_file(
    folder: Path,
    strategies: list[Path],
    design: str = "{kind: grid}",
    parameters: str = "[{path: company.starting_cash_usd, values: [30000, 60000]}]",
) -> Path:
    spec = folder / "sweep.yaml"
    spec.write_text(
        f"""name: bad_inputs
strategies: [{", ".join(f"'{s}'" for s in strategies)}]
parameters: {parameters}
design: {design}
replications: 2
figures: [survived]
seed: 3
days: 60
"""
    )
    return spec


def test_sweep_with_a_bad_condition_fails_before_running(tmp_path: Path) -> None:
    """It ran every run and then failed with KeyError 'survived'."""
    bad = tmp_path / "bad_when.yaml"
    bad.write_text(f"extends: '{NEVER_HIRE}'\nstrategy: {{name: bad_when, owner_pay: {{when: 'dya > 3'}}}}\n")
    result = runner.invoke(app, ["sweep", str(sweep_file(tmp_path, [bad])), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "strategy.owner_pay.when: unknown metric 'dya'; did you mean 'day'?" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.parquet")), "nothing ran"


def test_sweep_with_two_strategies_of_one_name_fails_before_running(tmp_path: Path) -> None:
    """Half the runs were silently dropped and the copy ran under the original's name."""
    copy = tmp_path / "copy.yaml"
    copy.write_text(f"extends: '{NEVER_HIRE}'\n")
    result = runner.invoke(app, ["sweep", str(sweep_file(tmp_path, [NEVER_HIRE, copy])), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert "two files name their strategy 'never_hire': give each strategy its own name" in result.stderr


# --- output folders: checked before any work, written whole or not at all ---------------------


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
@pytest.mark.parametrize("where", ["a_file", "/dev/full", "a_file/below"])
def test_an_unusable_out_is_refused_before_any_work(tmp_path: Path, command: str, where: str) -> None:
    """It was checked only after computing, so a whole comparison was lost with a traceback."""
    (tmp_path / "a_file").write_text("not a folder\n")
    out = where if where.startswith("/") else str(tmp_path / where)
    args = {
        "run": ["run", str(NEVER_HIRE), "--days", "30"],
        "compare": ["compare", str(NEVER_HIRE), str(ROOT / "scenarios" / "strategies" / "solo_then_hire.yaml")],
        "sweep": ["sweep", str(sweep_file(tmp_path, [NEVER_HIRE]))],
    }[command]
    result = runner.invoke(app, [*args, "--out", out])
    assert result.exit_code == 2, result.output
    assert f"--out {out}: " in result.stderr
    assert "running" not in result.output, "refused before the run started"


def test_a_run_folder_is_replaced_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-running into a folder with another seed and dying during the write left the new daily.parquet
    beside the old summary.json."""
    import sellersim.report.run_report as run_report

    out = tmp_path / "run"
    first = runner.invoke(app, ["run", str(NEVER_HIRE), "--days", "30", "--seed", "1", "--out", str(out)])
    assert first.exit_code == 0, first.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def dies(*args: object) -> None:
        raise MemoryError("killed while writing the report")

    monkeypatch.setattr(run_report, "build_run_report", dies)
    second = runner.invoke(app, ["run", str(NEVER_HIRE), "--days", "30", "--seed", "2", "--out", str(out)])
    assert isinstance(second.exception, MemoryError)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "the old folder is whole"
    assert [p.name for p in tmp_path.iterdir()] == ["run"], "no half-written folder is left behind"

    monkeypatch.undo()
    third = runner.invoke(app, ["run", str(NEVER_HIRE), "--days", "30", "--seed", "2", "--out", str(out)])
    assert third.exit_code == 0, third.output
    assert '"seed": 2' in (out / "summary.json").read_text()
    assert set(before) == {p.name for p in out.iterdir()}
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_the_next_write_clears_what_a_killed_writer_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """kill -9 during a write left hidden .tmp folders beside the results for good."""
    import sellersim.report.run_report as run_report

    out = tmp_path / "run"
    args = ["run", str(NEVER_HIRE), "--days", "30", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (tmp_path / ".run.k1ll3d.tmp").mkdir()
    (tmp_path / ".run.k1ll3d.tmp" / "daily.parquet").write_bytes(b"half")
    out.rename(tmp_path / ".run.sw4p.old")  # killed between moving the old folder aside and the swap

    def dies(*args: object) -> None:
        raise MemoryError("killed while writing the report")

    monkeypatch.setattr(run_report, "build_run_report", dies)
    failed = runner.invoke(app, args)
    assert isinstance(failed.exception, MemoryError)
    assert [p.name for p in tmp_path.iterdir()] == ["run"], "the unfinished folder is gone"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "the old folder is back, whole"


@pytest.mark.parametrize(
    ("design", "fragment"),
    [
        ("{kind: grid, levels: 100000}", "design.levels: Input should be less than or equal to 1000"),
        ("{kind: grid, levels: 500}", "this sweep makes 500,000 runs, more than 200,000"),
        ("{kind: sobol, samples: 50000}", "this sweep makes 400,000 runs, more than 200,000"),
    ],
)
def test_a_design_too_large_is_refused_before_any_work(tmp_path: Path, design: str, fragment: str) -> None:
    """A 100,000-level grid took 5.4 GB and then failed with a MemoryError."""
    two = (
        "[{path: company.starting_cash_usd, low: 20000, high: 60000},"
        " {path: strategy.parameters.profit_multiple, low: 0.5, high: 3}]"
    )
    spec = sweep_file(tmp_path, [NEVER_HIRE], design=design, parameters=two)
    result = runner.invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr


# --- mutated scenario files: exit 0 or 2 with a position, never a traceback -----------------

_BASE_DOC = load_document(NEVER_HIRE)


def _leaves(node: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(node, list):
        return [leaf for i, v in enumerate(node) for leaf in _leaves(v, (*path, i))] or [path]
    return [path]


_LEAVES = _leaves(_BASE_DOC)
_HOSTILE = st.one_of(
    st.sampled_from([True, False, None, "", "x", [], {}, ".inf", "-.inf", ".nan", "1e308", "-1", "0", "2e9"]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)


def _yaml_value(value: object) -> str:
    if isinstance(value, str) and value in (".inf", "-.inf", ".nan", "1e308", "-1", "0", "2e9"):
        return value  # unquoted: YAML reads these as numbers
    return json.dumps(value)  # JSON is YAML: quoted strings, lists, mappings, true/false/null


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(leaf=st.sampled_from(_LEAVES), value=_HOSTILE)
def test_a_mutated_scenario_is_accepted_or_refused_with_a_position(leaf: tuple, value: object) -> None:
    """One value anywhere in the resolved scenario replaced by a hostile one: validate exits 0, or 2 with
    ``file:line:col`` and no traceback; and a scenario it accepts runs 30 days without an error."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.yaml"
        doc = copy.deepcopy(_BASE_DOC)
        node = doc
        for key in leaf[:-1]:
            node = node[key]
        node[leaf[-1]] = "@@VALUE@@"
        doc.pop("extends", None)
        text = json.dumps(doc, default=str).replace('"@@VALUE@@"', _yaml_value(value))
        path.write_text(text)
        result = runner.invoke(app, ["validate", str(path)])
        event(f"exit {result.exit_code}")
        assert result.exit_code in (0, 2), f"{leaf}={value!r}: {result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), f"{leaf}={value!r}"
        if result.exit_code == 2:
            assert re.search(r"\.yaml:\d+:\d+: ", result.stderr), result.stderr
        else:
            run_model(load_scenario(path, ["simulation.days=30"]))
