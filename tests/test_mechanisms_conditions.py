"""The staffing rule language: what it rejects, and how it evaluates what it accepts."""

from __future__ import annotations

import math
from typing import Any

import pytest

from sellersim.model import SellerModel
from sellersim.scenario.conditions import METRICS, ConditionError, parse_condition

ROLES = ("operator", "designer")


class FakeMetrics:
    """A MetricSource with fixed values that records every call."""

    def __init__(self, **values: float) -> None:
        self.values = {
            "day": 100.0,
            "cash_usd": 50_000.0,
            "monthly_profit_usd": 4000.0,
            "founder_load": 1.2,
            "staff": 2.0,
            "salary_usd": 2000.0,
            "service_level": 0.8,
            **values,
        }
        self.calls: list[tuple[str, tuple[Any, ...], str]] = []

    def metric(self, name: str, args: tuple[Any, ...], role: str) -> float:
        self.calls.append((name, args, role))
        return self.values[name]


def holds(text: str, role: str = "operator", **values: float) -> bool:
    return parse_condition(text, ROLES).evaluate(FakeMetrics(**values), role)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('echo hi')",
        "cash_usd.real > 0",
        "(lambda: 1)() > 0",
        "import os",
        "[1 for x in []]",
        "day if day else 0",
        "day ** 2 > 3",
        "day // 2 > 3",
        "day % 2 == 0",
        "'text' == day",
        "True",
        "day in (1, 2)",
        "day is 1",
        "day > 1; day < 2",
        "service_level(domain='ads') > 0.5",
        "f'{day}' == 1",
    ],
)
def test_rejects_anything_but_the_safe_language(text: str) -> None:
    with pytest.raises(ConditionError):
        parse_condition(text, ROLES)


def test_rejects_attribute_access_naming_it() -> None:
    with pytest.raises(ConditionError, match=r"'cash_usd\.real' is not allowed"):
        parse_condition("cash_usd.real > 0", ROLES)


def test_rejects_bad_syntax_with_position() -> None:
    with pytest.raises(ConditionError, match="does not parse"):
        parse_condition("day >= ", ROLES)


def test_unknown_metric_suggests_the_closest() -> None:
    with pytest.raises(
        ConditionError, match=r"unknown metric 'monthly_proft_usd'; did you mean 'monthly_profit_usd'\?"
    ):
        parse_condition("monthly_proft_usd(3) > 0", ROLES)


def test_unknown_metric_without_a_close_match_lists_the_valid_ones() -> None:
    with pytest.raises(ConditionError, match="valid names are: "):
        parse_condition("zzzz > 0", ROLES)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("monthly_profit_usd(1, 2) > 0", "monthly_profit_usd takes 0 to 1 argument(s), got 2"),
        ("service_level() > 0", "service_level takes 1 argument(s), got 0"),
        ("day(3) > 0", "day takes 0 argument(s), got 1"),
        ("monthly_profit_usd(0) > 0", "needs a whole number from 1 to 120, got 0"),
        ("monthly_profit_usd(2.5) > 0", "needs a whole number from 1 to 120, got 2.5"),
        ("monthly_profit_usd(True) > 0", "needs a whole number from 1 to 120, got True"),
        ("monthly_profit_usd('3') > 0", "needs a whole number from 1 to 120"),
        ("monthly_profit_usd(day) > 0", "needs a whole number from 1 to 120, got day"),
        ("months_profitable(121) > 0", "needs a whole number from 1 to 120, got 121"),
        ("months_profitable(1000000000000) > 0", "needs a whole number from 1 to 120, got 1000000000000"),
        ("day > " + "1 + " * 300 + "1", "condition is 1207 characters long; keep it under 1000"),
        ("(" * 300 + "day" + ")" * 300 + " > 1", "condition does not parse: too many nested parentheses"),
        ("service_level('ad') > 0", "unknown domain 'ad'; did you mean 'ads'?"),
        ("service_level(3) > 0", "unknown domain 3"),
        ("staff('operater') > 0", "unknown role 'operater'; did you mean 'operator'?"),
        ("salary_usd('ceo') > 0", "unknown role 'ceo'"),
    ],
)
def test_rejects_wrong_arguments(text: str, message: str) -> None:
    with pytest.raises(ConditionError) as exc:
        parse_condition(text, ROLES)
    assert message in str(exc.value)


def test_every_metric_parses_and_reads_a_number_from_a_running_company(load) -> None:
    """Each metric the language accepts, with its arguments or without the optional ones, reads a finite
    number from a company a year in (a metric the parser knows and the company does not would raise)."""
    model = SellerModel(load("solo_then_hire", "simulation.days=400"))
    model.run_for(365)
    roles, params = tuple(model.config.roles), tuple(model.config.strategy.parameters)
    samples = {"int": "3", "domain": "'ads'", "role": "'operator'", "param": f"'{params[0]}'"}
    read = {}
    for name, m in METRICS.items():
        args = ", ".join(samples[k] for k in m.args)
        texts = [f"{name}({args})" if m.args else name] + ([f"{name}()"] if m.optional else [])
        for text in texts:
            value = parse_condition(f"{text} + 0", roles, params).evaluator(model.metrics, "operator")
            assert isinstance(value, float) and math.isfinite(value), f"{text} read {value!r}"
            read[text] = value
    assert read["day"] == 364 and read["cash_usd"] == model.ledger.cash_usd
    assert read["monthly_revenue_usd(3)"] > 0 and read["live_products"] >= 1
    assert read[f"param('{params[0]}')"] == model.config.strategy.parameters[params[0]]


def test_param_reads_strategy_parameters_and_rejects_unknown_ones() -> None:
    cond = parse_condition("param('multiple') * 2 > 2.5", ROLES, ["multiple"])
    assert cond.evaluate(FakeMetrics(param=1.5), "operator")
    assert not cond.evaluate(FakeMetrics(param=1.0), "operator")
    with pytest.raises(ConditionError, match="unknown param 'multipel'; did you mean 'multiple'"):
        parse_condition("param('multipel') > 1", ROLES, ["multiple"])
    with pytest.raises(ConditionError, match="none are defined"):
        parse_condition("param('multiple') > 1", ROLES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("day >= 100", True),
        ("day > 100", False),
        ("day == 100 and cash_usd > 40000", True),
        ("day == 100 and cash_usd > 60000", False),
        ("day < 0 or cash_usd > 40000", True),
        ("day < 0 or cash_usd > 60000", False),
        ("not day > 100", True),
        ("not (day >= 100 and cash_usd > 0)", False),
        ("day < 0 or day > 50 and cash_usd < 0", False),  # and binds tighter than or
        ("(day < 0 or day > 50) and cash_usd > 0", True),
        ("monthly_profit_usd(3) >= 1.5 * salary_usd()", True),  # 4000 >= 3000
        ("monthly_profit_usd(3) >= 2.5 * salary_usd()", False),
        ("cash_usd - 10 * salary_usd() == 30000", True),
        ("cash_usd / 2 + 1 == 25001", True),
        ("-day < -99", True),
        ("2 - 3 - 4 == -5", True),  # left associative
        ("2 + 3 * 4 == 14", True),
        ("0 < founder_load(4) < 1.5", True),
        ("0 < founder_load(4) < 1.1", False),
        ("1 < 2 < 3 < 2", False),
        ("1 < 3 > 2", True),
        ("cash_usd / 0 > 1e12", True),  # dividing by zero is +inf for a positive number, not an error
        ("-cash_usd / 0 < -1e12", True),  # and -inf for a negative one
        ("0 / 0 == 0", False),  # 0 / 0 is NaN: unequal to everything, and every other comparison is false
        ("0 / 0 != 0", True),
        ("not 0 / 0 > 1", True),
        ("0 / 0", False),  # on its own, NaN counts as false
        ("0 / 0 or day > 50", True),
        ("not 0 / 0", True),
        ("staff('operator') >= 2 and service_level('ads') < 0.85", True),
    ],
)
def test_evaluates_against_metrics(text: str, expected: bool) -> None:
    assert holds(text) is expected


def test_passes_arguments_and_role_to_the_source() -> None:
    source = FakeMetrics()
    cond = parse_condition("staff('designer') >= 0 and salary_usd() > 0 and service_level('vision') > 0", ROLES)
    assert cond.evaluate(source, "operator")
    assert source.calls == [
        ("staff", ("designer",), "operator"),
        ("salary_usd", (), "operator"),
        ("service_level", ("vision",), "operator"),
    ]


def test_and_or_short_circuit() -> None:
    source = FakeMetrics()
    parse_condition("day < 0 and cash_usd > 0", ROLES).evaluate(source, "operator")
    assert [c[0] for c in source.calls] == ["day"]
    source.calls.clear()
    parse_condition("day > 0 or cash_usd > 0", ROLES).evaluate(source, "operator")
    assert [c[0] for c in source.calls] == ["day"]


def test_chained_comparison_reads_each_side_once_per_step() -> None:
    assert holds("0 < founder_load < 2", founder_load=1.0)
    assert not holds("0 < founder_load < 2", founder_load=2.0)
    assert not holds("0 < founder_load < 2", founder_load=0.0)
