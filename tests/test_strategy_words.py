"""Each strategy's rules in words: every shipped file reads in plain sentences, every number of a condition is in
its sentence, parameters and salaries are substituted, groups and comparisons keep their meaning, and what the
phrases do not cover is quoted as code rather than dropped."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

from conftest import BASE, STRATEGY_FILES
from fake_compare import RULES, make_comparison
from sellersim.scenario import conditions
from sellersim.scenario.conditions import METRICS, Metric, parse_tree
from sellersim.scenario.errors import ScenarioError
from sellersim.scenario.loader import base_file, load_scenario
from sellersim.scenario.schema import Scenario
from sellersim.strategy.words import METRIC_PHRASES, base_strategy, describe_condition, describe_rules

NUMBER = re.compile(r"(?<![\w.])\$?(\d[\d,]*(?:\.\d+)?)(k|M|%)?")
SCALE = {"": 1.0, "k": 1e3, "M": 1e6, "%": 0.01}
SAMPLE_ARGS = {"int": 2, "domain": "ads", "role": "operator", "param": "profit_multiple"}


def rules_of(name: str, overrides: tuple[str, ...] = ()) -> tuple[str, ...]:
    path = STRATEGY_FILES[name]
    return describe_rules(load_scenario(path, overrides), base=base_strategy(path))


def numbers_in(sentence: str) -> list[float]:
    """Every number a sentence shows, in the units of the condition language ($20k is 20000, 85% is 0.85)."""
    return [float(n.replace(",", "")) * SCALE[unit] for n, unit in NUMBER.findall(sentence)]


def numbers_of(condition: str, scenario: Scenario) -> list[float]:
    """Every number a condition holds: its literals, its windows of months or weeks and its parameters' values."""
    tree = parse_tree(condition, tuple(scenario.roles), tuple(scenario.strategy.parameters))
    found = []
    for node in ast.walk(tree):
        match node:
            case ast.Call(func=ast.Name(id="param"), args=[ast.Constant(value=name)]):
                found.append(scenario.strategy.parameters[name])
            case ast.Constant(value=int() | float() as v) if not isinstance(v, bool):
                found.append(float(v))
    return found


def assert_numbers_told(condition: str, sentence: str, scenario: Scenario) -> None:
    shown = numbers_in(sentence)
    for value in numbers_of(condition, scenario):
        if value == 0 and "first day" in sentence:  # day 0 reads "the first day"
            continue
        if value == 1 and "their planned" in sentence:  # a workload of 1 reads "above their planned week"
            continue
        assert any(v == pytest.approx(value) for v in shown), f"{value} of {condition!r} missing from {sentence!r}"


@pytest.mark.parametrize("name", sorted(STRATEGY_FILES))
def test_every_shipped_strategy_reads_in_plain_sentences(name: str) -> None:
    sentences = rules_of(name)
    assert len(sentences) >= 4
    for s in sentences:
        assert s[0].isupper() and s.endswith("."), s
        assert not re.search(r"\w\(", s), f"function-call syntax left in {s!r}"
        assert "`" not in s and "_" not in s, f"code left in {s!r}"  # metric, role and setting names have "_"
        assert not any(metric in s for metric in METRICS if "_" in metric or metric == "param"), s


@pytest.mark.parametrize("name", sorted(STRATEGY_FILES))
def test_every_number_of_a_condition_is_in_its_sentence(name: str) -> None:
    scenario = load_scenario(STRATEGY_FILES[name])
    strategy = scenario.strategy
    sentences = rules_of(name)
    for rule, sentence in zip(strategy.staffing.rules, sentences, strict=False):
        assert sentence.startswith("Hires "), sentence
        assert_numbers_told(rule.when, sentence, scenario)
        assert str(rule.max_count) in sentence and (not rule.cooldown_days or f"{rule.cooldown_days} days" in sentence)
    (pay,) = [s for s in sentences if s.startswith("Owner's pay")]
    assert_numbers_told(strategy.owner_pay.when, pay, scenario)
    loans = strategy.financing.inventory_loans
    told = [s for s in sentences if "lender" in s]
    assert len(told) == (loans.share_of_order > 0)
    for sentence in told:
        assert_numbers_told(loans.when, sentence, scenario)


def test_the_seeds_order_in_words() -> None:
    """The example docs/compare.md shows, clause by clause."""
    hire_operator, hire_developer, *rest = rules_of("solo_then_hire")
    assert hire_operator == (
        "Hires an operator when the last 3 months' average monthly profit is at least $3,255 (1.5 × an operator's "
        "salary of $2,170 a month) and either the founder's workload over the last 4 weeks is above their planned "
        "60 h week, the share of listing work done is below 85% or the share of ads work done is below 85%; up to "
        "a headcount of 6, at least 90 days apart."
    )
    assert "the operator headcount is at least 2" in hire_developer
    assert "Replaces anyone who quits." in rest
    assert (
        "Selection, design and procurement work goes to the founder first, then a product developer; nobody else "
        "does it." in rest
    )
    assert "The founder reviews the product work others do, in hours equal to 25% of theirs." in rest
    assert (
        "Owner's pay: $2,500 at the end of each month in which each of the last 3 months was profitable and cash in "
        "the bank is at least $20,000; otherwise nothing." in rest
    )
    assert "No outside money: no credit line, equity or inventory loans." in rest
    assert any(s.startswith("Ads: $40 a day") and "25% ACoS" in s for s in rest)


def test_a_changed_parameter_or_salary_changes_the_sentence() -> None:
    before = rules_of("solo_then_hire")[0]
    raised = rules_of("solo_then_hire", ("strategy.parameters.profit_multiple=2.5",))[0]
    assert "$3,255 (1.5 × an operator's salary" in before and "$5,425 (2.5 × an operator's salary" in raised
    assert "1.5" not in raised
    paid_more = rules_of("solo_then_hire", ("roles.operator.salary_usd_per_month=3000",))[0]
    assert "$4,500 (1.5 × an operator's salary of $3,000 a month)" in paid_more and "$2,170" not in paid_more


def test_financing_a_credit_line_and_the_calendar_in_words() -> None:
    funded = rules_of("full_team_day_one")
    assert "Raises $200,000 for 20% of the company on the first day." in funded
    later = rules_of("full_team_day_one", ("strategy.financing.equity.0.when=cash_usd < 5000",))
    assert "Raises $200,000 for 20% of the company on the first day when cash in the bank is below $5,000." in later
    assert "Hires an operator from the first day; up to a headcount of 2." in funded
    scheduled = rules_of("hire_on_fixed_schedule")
    assert "Hires a designer and photographer from day 730 (month 24); up to a headcount of 1." in scheduled
    credit = rules_of("never_hire", ("company.credit_line_usd=25000", "company.credit_line_apr=0.12"))
    assert "A credit line of $25,000 at 12% a year on what is drawn: cash may go down to −$25,000." in credit
    assert not any(s.startswith("No outside money") for s in credit)


def test_the_agency_and_let_go_rules_in_words() -> None:
    agency = rules_of("agency_for_ads")
    assert "A PPC agency charges 12% of ad spend, at least $1,000 a month." in agency
    assert any("$1,500 (1.5 × a PPC agency's minimum fee of $1,000 a month)" in s for s in agency)
    assert "Ads work goes to a PPC agency first, then an operator, then the founder; nobody else does it." in agency
    strict = rules_of("solo_then_hire", ("strategy.staffing.let_go_below_skill_share=0.8",))
    assert (
        "After 90 days' probation, lets go a hire whose skills average below 80% of the role's, and hires again."
        in (strict)
    )
    assert not any("lets go" in s for s in rules_of("solo_then_hire"))


def test_the_founders_priorities_always_and_other_changes_only_where_they_differ_from_the_base_file() -> None:
    product_first = rules_of("product_team_first")
    assert product_first[-1] == (
        "The founder's own hours go to listing, ads, after-sales, HR, procurement, selection, design, image, "
        "finance, logistics and admin work, in that order."
    )
    seed_order = rules_of("solo_then_hire")  # the base file's own order, told all the same
    assert seed_order[-1].startswith("The founder's own hours go to selection, design, procurement, HR, listing")
    changed = rules_of("never_hire", ("strategy.launch.max_in_development=2", "strategy.ads.steer_on=tacos"))
    assert changed[-1] == "Also sets `strategy.launch.max_in_development` to 2 (base file: 1)."
    assert any("toward a 10% TACoS" in s for s in changed)
    assert base_strategy(BASE) is None
    assert any("founder's own hours go" in s for s in describe_rules(load_scenario(BASE)))  # no base: told too


@pytest.fixture(scope="module")
def seed() -> Scenario:
    return load_scenario(STRATEGY_FILES["solo_then_hire"])


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("cash_usd >= 5000", "cash in the bank is at least $5,000"),
        ("cash_usd > 5000", "cash in the bank is above $5,000"),
        ("cash_usd <= 5000", "cash in the bank is at most $5,000"),
        ("cash_usd < 5000", "cash in the bank is below $5,000"),
        ("cash_usd == 5000", "cash in the bank is $5,000"),
        ("cash_usd != 5000", "cash in the bank is not $5,000"),
        ("5000 < cash_usd", "cash in the bank is above $5,000"),
        (
            "0 < live_products <= 3",
            "0 is below the number of products on sale or waiting for stock, which is at most 3",
        ),
        ("day < 90", "it is before day 90 (month 3)"),
        (
            "not founder_burnout > 0.5",
            "it is not so that the founder's burnout (0 rested, 1 breaking down) is above 0.5",
        ),
        ("backlog_hours('hr') > 40", "the hours of HR work waiting is above 40 h"),
        (
            "cash_usd - 1000 > 2 * salary_usd('designer')",
            "cash in the bank minus $1,000 is above $3,610 (2 × a designer and photographer's salary of $1,805",
        ),
        (
            "monthly_sde_usd() / salary_usd() >= 1.5",
            "last month's SDE (profit before the owner's pay) ÷ an operator's salary ($2,170 a month) is at least 1.5",
        ),
        ("months_profitable(6) >= 4", "the number of profitable months among the last 6 is at least 4"),
        ("months_profitable() >= 3", "each of the last 3 months was profitable"),
        ("cash_usd >= -2000", "cash in the bank is at least −$2,000"),
        ("cash_usd >= 1 and (day > 5 or staff() < 2)", "$1 and either it is past day 5"),
        ("(cash_usd >= 1 and day > 5) or staff() < 2", "both cash in the bank is at least $1 and it is past day 5"),
        ("cash_usd >= 1 and (day > 5 and staff() < 2)", "at least $1, it is past day 5 (month 1) and the headcount"),
    ],
)
def test_each_comparison_operator_and_group_has_its_phrase(condition: str, words: str, seed: Scenario) -> None:
    assert words in describe_condition(condition, seed, role="operator")


def test_every_metric_of_the_language_has_a_phrase(seed: Scenario) -> None:
    assert set(METRIC_PHRASES) == set(METRICS)
    for name, metric in METRICS.items():
        args = ", ".join(repr(SAMPLE_ARGS[kind]) for kind in metric.args)
        call = f"{name}({args})" if metric.args else name
        words = describe_condition(f"{call} >= 1", seed, role="operator")
        assert "`" not in words and "_" not in words and not re.search(r"\w\(", words), f"{call}: {words}"


def test_what_the_phrases_do_not_cover_is_quoted_as_code(monkeypatch: pytest.MonkeyPatch, seed: Scenario) -> None:
    monkeypatch.setitem(conditions.METRICS, "repeat_buyers", Metric(("int",), 1, "a metric without words yet"))
    words = describe_condition("repeat_buyers(2) > 10 and cash_usd >= 1000", seed)
    assert words == "`repeat_buyers(2)` is above 10 and cash in the bank is at least $1,000"
    assert describe_condition("cash_usd >=", seed) == "`cash_usd >=`"  # does not parse: the whole text


def test_the_made_up_comparison_carries_rules_for_the_report() -> None:
    result = make_comparison(replications=5, days=120)
    rules = result.comparison["strategy_rules"]
    assert list(rules) == result.comparison["strategies"]
    assert rules["solo_then_hire"] == list(RULES["solo_then_hire"])
    assert rules["ops_first_day_one"] == []  # a strategy without rules has an empty list, not a missing key


def test_the_docs_show_the_seeds_order_as_the_code_tells_it() -> None:
    docs = " ".join((BASE.parents[1] / "docs" / "compare.md").read_text().split())
    for sentence in rules_of("solo_then_hire"):
        assert f"- {sentence}" in docs, sentence


def test_base_files_are_read_again_once_edited_and_a_cycle_has_none(tmp_path: Path) -> None:
    base, strategy = tmp_path / "base.yaml", tmp_path / "mine.yaml"
    base.write_text(BASE.read_text())
    strategy.write_text("extends: base.yaml\nstrategy: {name: mine}\n")
    assert base_file(strategy) == base
    assert base_strategy(strategy).founder_priorities[0] == "selection"
    base.write_text(
        BASE.read_text().replace("founder_priorities: [selection, design,", "founder_priorities: [design, selection,")
    )
    os.utime(base, ns=(base.stat().st_atime_ns, base.stat().st_mtime_ns + 10**9))  # a later edit, whatever the clock
    assert base_strategy(strategy).founder_priorities[0] == "design"
    (tmp_path / "other.yaml").write_text(BASE.read_text())
    strategy.write_text("extends: other.yaml\nstrategy: {name: mine}\n")  # as long as before
    os.utime(strategy, ns=(strategy.stat().st_atime_ns, strategy.stat().st_mtime_ns + 10**9))
    assert base_file(strategy) == tmp_path / "other.yaml"
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    with pytest.raises(ScenarioError, match="extends cycle"):
        base_file(tmp_path / "a.yaml")
    assert base_strategy(tmp_path / "a.yaml") is None
