"""Loading scenario files: extends, overrides, and errors that point at the right line."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from sellersim.scenario.errors import Issue, ScenarioError
from sellersim.scenario.loader import dump_resolved, load_document, load_scenario
from sellersim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "base.yaml"
STRATEGIES = sorted((ROOT / "scenarios" / "strategies").glob("*.yaml"))
SOLO = ROOT / "scenarios" / "strategies" / "solo_then_hire.yaml"


def write(path: Path, body: str, extends: Path | str | None = BASE) -> Path:
    """Write a scenario file; with ``extends`` its first line names the base, so ``body`` starts on line 2."""
    head = f"extends: '{extends}'\n" if extends is not None else ""
    path.write_text(head + textwrap.dedent(body))
    return path


def issues_of(path: Path, overrides: tuple[str, ...] = ()) -> list[Issue]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides)
    return info.value.issues


def only_issue(path: Path, overrides: tuple[str, ...] = ()) -> Issue:
    issues = issues_of(path, overrides)
    assert len(issues) == 1, issues
    return issues[0]


# --- good files ---------------------------------------------------------------------


def test_shipped_files_exist() -> None:
    assert BASE.is_file()
    assert len(STRATEGIES) >= 3


@pytest.mark.parametrize("path", [BASE, *STRATEGIES], ids=lambda p: p.stem)
def test_shipped_scenarios_load(path: Path) -> None:
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario)
    if path != BASE:
        assert scenario.strategy.name == path.stem


def test_strategy_file_inherits_base_and_replaces_lists() -> None:
    scenario = load_scenario(SOLO)
    assert scenario.company.starting_cash_usd == 40000  # from the base
    assert scenario.strategy.staffing.review_every_days == 7  # merged key by key
    assert [r.role for r in scenario.strategy.staffing.rules] == [
        "operator",
        "product_developer",
        "finance_admin",
    ]


def test_load_document_merges_and_drops_extends() -> None:
    doc = load_document(SOLO)
    assert "extends" not in doc
    assert doc["strategy"]["name"] == "solo_then_hire"
    assert doc["simulation"]["start_date"] == dt.date(2027, 1, 4)
    assert type(doc["company"]["starting_cash_usd"]) is int


def test_dump_resolved_round_trips_in_schema_order(tmp_path: Path) -> None:
    scenario = load_scenario(SOLO)
    text = dump_resolved(scenario)
    top_keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert top_keys == list(Scenario.model_fields)
    assert load_scenario(write(tmp_path / "resolved.yaml", text, extends=None)) == scenario


# --- values the schema rejects ------------------------------------------------------


def test_wrong_type(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", "simulation:\n  days: many\n")
    issue = only_issue(path)
    assert (issue.file, issue.line, issue.col, issue.path) == (str(path), 3, 9, "simulation.days")
    assert "must be a whole number" in issue.message
    assert issue.value == "'many'"


def test_negative_price(tmp_path: Path) -> None:
    path = write(
        tmp_path / "s.yaml",
        """\
        market:
          niches:
            price_usd:
              median: -3
        """,
    )
    issue = only_issue(path)
    assert (issue.line, issue.col, issue.path) == (5, 15, "market.niches.price_usd.median")
    assert issue.message == "Input should be greater than 0"
    assert issue.value == "-3"
    assert issue.source_line == "      median: -3"


def test_zero_day_horizon(tmp_path: Path) -> None:
    issue = only_issue(write(tmp_path / "s.yaml", "simulation: {days: 0}\n"))
    assert (issue.line, issue.col, issue.path) == (2, 20, "simulation.days")
    assert issue.message == "Input should be greater than or equal to 1"


def test_share_above_one(tmp_path: Path) -> None:
    issue = only_issue(write(tmp_path / "s.yaml", "fees:\n  referral_rate: 1.5\n"))
    assert (issue.line, issue.col, issue.path) == (3, 18, "fees.referral_rate")
    assert issue.message == "Input should be less than or equal to 1"
    assert issue.value == "1.5"


def test_unknown_key_suggests_the_closest_field(tmp_path: Path) -> None:
    issue = only_issue(write(tmp_path / "s.yaml", "company:\n  strating_cash_usd: 50000\n"))
    assert (issue.line, issue.col, issue.path) == (3, 3, "company.strating_cash_usd")
    assert issue.message == "unknown key 'strating_cash_usd'; did you mean 'starting_cash_usd'?"


def test_unknown_dict_key_suggests_the_closest_choice(tmp_path: Path) -> None:
    issue = only_issue(write(tmp_path / "s.yaml", "roles:\n  operator:\n    skills: {listng: 0.5}\n"))
    assert (issue.line, issue.col, issue.path) == (4, 14, "roles.operator.skills.listng")
    assert issue.message.endswith("; did you mean 'listing'?")


def test_model_rule_points_at_the_mapping(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", "market:\n  niches:\n    unit_cost_share_of_price: {low: 0.9}\n")
    issue = only_issue(path)
    assert (issue.line, issue.col, issue.path) == (4, 5, "market.niches.unit_cost_share_of_price")
    assert issue.message == "low (0.9) must not exceed high (0.25)"


def test_missing_key_points_at_its_parent(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", "simulation:\n  days: 10\n", extends=None)
    issues = {i.path: i for i in issues_of(path)}
    seed = issues["simulation.seed"]
    assert (seed.line, seed.col, seed.message) == (1, 1, "required key 'seed' is missing")
    assert (issues["company"].line, issues["company"].col) == (1, 1)


def test_several_errors_in_one_pass_sorted_by_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "s.yaml",
        """\
        simulation:
          days: 0
        company:
          starting_cash_usd: -5
          strating_cash_usd: 1
        fees:
          referral_rate: 2
        """,
    )
    issues = issues_of(path)
    assert [(i.line, i.path) for i in issues] == [
        (3, "simulation.days"),
        (5, "company.starting_cash_usd"),
        (6, "company.strating_cash_usd"),
        (8, "fees.referral_rate"),
    ]


# --- YAML problems ------------------------------------------------------------------


def test_duplicate_key(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", "company:\n  starting_cash_usd: 1\n  starting_cash_usd: 2\n")
    issue = only_issue(path)
    assert (issue.file, issue.line, issue.col) == (str(path), 4, 3)
    assert 'duplicate key "starting_cash_usd"' in issue.message


def test_yaml_syntax_error(tmp_path: Path) -> None:
    issue = only_issue(write(tmp_path / "s.yaml", "market:\n  seasonality: [1, 2\n"))
    assert issue.line == 4
    assert "flow sequence started on line 3" in issue.message


@pytest.mark.parametrize(("text", "what"), [("", "empty"), ("- a\n- b\n", "not a mapping of sections")])
def test_file_that_is_not_a_mapping(tmp_path: Path, text: str, what: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    issue = only_issue(path)
    assert (issue.line, issue.col, issue.message) == (1, 1, f"the scenario file is {what}")


def test_unreadable_main_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_scenario(tmp_path / "nope.yaml")


# --- staffing rules -----------------------------------------------------------------


def rules_file(tmp_path: Path, role: str, when: str) -> Path:
    """A file whose one staffing rule has ``role`` on line 5 and ``when`` on line 6."""
    rule = f"      - role: {role}\n        when: {when}\n        max_count: 1\n"
    return write(tmp_path / "s.yaml", "strategy:\n  staffing:\n    rules:\n" + rule)


def test_condition_that_does_not_parse(tmp_path: Path) -> None:
    issue = only_issue(rules_file(tmp_path, "operator", "day >>> 3"))
    assert (issue.line, issue.col, issue.path) == (6, 15, "strategy.staffing.rules.0.when")
    assert issue.message.startswith("condition does not parse")
    assert issue.value == "'day >>> 3'"


def test_unknown_metric_suggests_the_closest(tmp_path: Path) -> None:
    issue = only_issue(rules_file(tmp_path, "operator", "dya >= 30"))
    assert (issue.line, issue.path) == (6, "strategy.staffing.rules.0.when")
    assert issue.message == "unknown metric 'dya'; did you mean 'day'?"


def test_unknown_role(tmp_path: Path) -> None:
    issue = only_issue(rules_file(tmp_path, "opertor", "day >= 30"))
    assert (issue.line, issue.col, issue.path) == (5, 15, "strategy.staffing.rules.0.role")
    assert issue.message == "unknown role 'opertor'; did you mean 'operator'?"


# --- the founder: assignments, owner's pay ---------------------------------------------------------


def test_assignment_to_an_unknown_domain(tmp_path: Path) -> None:
    issue = only_issue(write(tmp_path / "s.yaml", "strategy:\n  assignments:\n    desing: [founder]\n"))
    assert (issue.line, issue.path) == (4, "strategy.assignments.desing")
    assert issue.value == "'desing'" and issue.message.endswith("did you mean 'design'?")


def test_assignment_to_an_unknown_role(tmp_path: Path) -> None:
    issue = only_issue(write(tmp_path / "s.yaml", "strategy:\n  assignments:\n    design: [founder, desinger]\n"))
    assert (issue.line, issue.col, issue.path) == (4, 23, "strategy.assignments.design.1")
    assert issue.message == "unknown person 'desinger'; did you mean 'designer'?"


def test_assignment_to_nobody(tmp_path: Path) -> None:
    issue = only_issue(write(tmp_path / "s.yaml", "strategy:\n  assignments:\n    design: []\n"))
    assert (issue.line, issue.path) == (4, "strategy.assignments.design")
    assert "at least 1 item" in issue.message


def test_owner_pay_rule_that_does_not_parse(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", "strategy:\n  owner_pay:\n    when: months_profitable(3) >=\n")
    issue = only_issue(path)
    assert (issue.line, issue.col, issue.path) == (4, 11, "strategy.owner_pay.when")
    assert issue.message.startswith("condition does not parse")


def test_negative_owner_pay(tmp_path: Path) -> None:
    issue = only_issue(write(tmp_path / "s.yaml", "strategy:\n  owner_pay:\n    usd_per_month: -2500\n"))
    assert (issue.line, issue.col, issue.path) == (4, 20, "strategy.owner_pay.usd_per_month")
    assert issue.message == "Input should be greater than or equal to 0"


def test_a_role_may_not_be_called_founder(tmp_path: Path) -> None:
    body = (
        "roles:\n  founder:\n    title: F\n    department: product\n    skills: {design: 0.5}\n"
        "    hours_per_week: 40\n    salary_usd_per_month: 1\n    time_to_hire_days: 1\n    ramp_up_days: 1\n"
        "    annual_quit_rate: 0\n    hiring_cost_usd: 0\n    coordination_overhead_share: 0\n"
        "    fee_share_of_ad_spend: 0\n"
    )
    issue = only_issue(write(tmp_path / "s.yaml", body))
    assert (issue.line, issue.path) == (3, "roles.founder")
    assert "founder" in issue.message


# --- extends ------------------------------------------------------------------------


def test_missing_base_points_at_extends(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", "company: {name: x}\n", extends="nope.yaml")
    issue = only_issue(path)
    assert (issue.file, issue.line, issue.col, issue.path) == (str(path), 1, 10, "extends")
    assert issue.message == f"cannot read base file {tmp_path / 'nope.yaml'}: No such file or directory"


def test_extends_cycle(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    write(a, "company: {name: a}\n", extends="b.yaml")
    write(b, "company: {name: b}\n", extends="a.yaml")
    issue = only_issue(a)
    assert (issue.file, issue.line, issue.col) == (str(b), 1, 10)
    assert issue.message == f"extends cycle: {a} -> {b} -> {a}"


def test_errors_point_into_the_file_that_wrote_the_value(tmp_path: Path) -> None:
    middle = write(tmp_path / "middle.yaml", "# a team base\nfees:\n  referral_rate: 3\n")
    child = write(tmp_path / "child.yaml", "simulation: {days: 0}\n", extends="middle.yaml")
    issues = issues_of(child)
    assert [(i.file, i.line, i.col, i.path) for i in issues] == [
        (str(child), 2, 20, "simulation.days"),
        (str(middle), 4, 18, "fees.referral_rate"),
    ]


def test_child_value_replaces_the_base_position(tmp_path: Path) -> None:
    middle = write(tmp_path / "middle.yaml", "fees:\n  referral_rate: 3\n")
    child = write(tmp_path / "child.yaml", "\n\nfees: {referral_rate: 4}\n", extends="middle.yaml")
    issue = only_issue(child)
    assert (issue.file, issue.line, issue.col) == (str(child), 4, 23)
    assert issue.value == "4"
    assert middle.exists()


def test_relative_names_stay_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "middle.yaml", "fees:\n  referral_rate: 3\n")
    write(tmp_path / "sub" / "child.yaml", "simulation: {days: 0}\n", extends="../middle.yaml")
    monkeypatch.chdir(tmp_path)
    issues = issues_of(Path("sub/child.yaml"))
    assert [i.file for i in issues] == ["middle.yaml", str(Path("sub/child.yaml"))]


# --- overrides ----------------------------------------------------------------------


def test_override_changes_a_value() -> None:
    scenario = load_scenario(SOLO, ["company.starting_cash_usd=50000", "simulation.start_date=2027-02-01"])
    assert scenario.company.starting_cash_usd == 50000
    assert scenario.simulation.start_date == dt.date(2027, 2, 1)


def test_override_indexes_lists_and_takes_flow_values() -> None:
    overrides = ["strategy.staffing.rules.0.when=day >= 30", "strategy.founder_priorities=[ads, listing]"]
    strategy = load_scenario(SOLO, overrides).strategy
    assert strategy.staffing.rules[0].when == "day >= 30"
    assert strategy.founder_priorities == ["ads", "listing"]


def test_bad_override_value() -> None:
    issue = only_issue(SOLO, ("simulation.days=2", "company.starting_cash_usd=lots"))
    assert (issue.file, issue.line, issue.col, issue.path) == ("--set", 2, 27, "company.starting_cash_usd")
    assert issue.source_line == "company.starting_cash_usd=lots"
    assert issue.value == "'lots'"


def test_unknown_override_key_suggests_the_closest() -> None:
    issue = only_issue(SOLO, ("company.strating_cash_usd=5",))
    assert (issue.file, issue.line, issue.col) == ("--set", 1, 9)
    assert issue.message == "unknown key 'strating_cash_usd'; did you mean 'starting_cash_usd'?"


@pytest.mark.parametrize(
    ("override", "col", "message"),
    [
        ("compny.name=x", 1, "no such key; did you mean 'company'?"),
        ("company.name.first=x", 14, "is a single value, not a mapping or a list"),
        ("strategy.staffing.rules.9.when=day > 1", 25, "no item 9; the list has 3 items"),
        ("company.name", 1, "an override must look like dotted.path=value"),
        ("company.name=[x", 14, "cannot parse the value"),
    ],
)
def test_bad_override_path(override: str, col: int, message: str) -> None:
    issue = only_issue(SOLO, (override,))
    assert (issue.file, issue.line, issue.col) == ("--set", 1, col)
    assert issue.message.startswith(message)


def test_override_values_are_validated_with_reference_checks() -> None:
    issue = only_issue(SOLO, ("strategy.staffing.rules.1.role=designr",))
    assert (issue.file, issue.col, issue.path) == ("--set", 32, "strategy.staffing.rules.1.role")
    assert issue.message == "unknown role 'designr'; did you mean 'designer'?"


# --- rendering ----------------------------------------------------------------------


def test_error_text(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", "company:\n  starting_cash_usd: -5\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == (
        f"{path}:3:22: company.starting_cash_usd: Input should be greater than or equal to 0\n"
        "  got: -5\n"
        "      starting_cash_usd: -5\n"
        "                         ^"
    )


def test_issue_without_path_value_or_source() -> None:
    assert str(Issue("a.yaml", 1, 1, "", "the scenario file is empty")) == "a.yaml:1:1: the scenario file is empty"
