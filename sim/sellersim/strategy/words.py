"""A strategy's rules in plain words: whom it hires and when, who does which work, the owner's pay,
financing, the ad policy, and whatever else it changes from its base file.

Conditions are translated by walking their checked syntax tree (:func:`sellersim.scenario.conditions.parse_tree`):
a phrase for each metric, comparison, arithmetic operator and ``and``/``or``/``not``, with parameters
replaced by their values and every number written by :mod:`sellersim.formatting` in the unit of the metric
it is compared with. A group inside ``and``/``or`` reads "either ... or ..." or "both ... and ...", so the
grouping of the text survives. What the phrases do not cover (a metric added to the language without a
phrase, a condition that does not parse) is quoted as code between backticks rather than dropped.

Layer: a part beside the strategy's mechanisms; it reads only scenarios (the one it describes, and the base
file it tells changes from) and formatting, so the ``validate`` command imports no model; it decides nothing.
"""

from __future__ import annotations

import ast
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sellersim.domains import DOMAINS
from sellersim.formatting import hours, money_exact, month_of, number, share
from sellersim.scenario.conditions import DEFAULT_WINDOWS, ConditionError, parse_tree
from sellersim.scenario.errors import ScenarioError
from sellersim.scenario.loader import base_file, load_scenario
from sellersim.scenario.schema import FOUNDER, Role, Scenario, Strategy

WORK: dict[str, str] = {
    "selection": "selection",
    "design": "design",
    "procurement": "procurement",
    "listing": "listing",
    "ads": "ads",
    "after_sales": "after-sales",
    "vision": "image",
    "hr": "HR",
    "finance": "finance",
    "logistics": "logistics",
    "admin": "admin",
}
"""Each work domain as a seller names it, before the word "work"."""

DESCRIBED: tuple[str, ...] = (
    "name",
    "description",
    "founder_priorities",
    "owner_pay",
    "assignments",
    "founder_review_share",
    "parameters",
    "staffing.rules",
    "staffing.replace_quits",
    "staffing.probation_days",
    "staffing.let_go_below_skill_share",
    "financing",
    "ads.launch_days",
    "ads.launch_budget_usd_per_day",
    "ads.steer_on",
    "ads.target_acos",
    "ads.target_tacos",
    "ads.min_budget_usd_per_day",
    "ads.max_budget_usd_per_day",
    "ads.adjust_every_days",
)
"""Strategy settings the sentences tell in words; any other that differs from the base file is listed by name."""

_COMPARED = {
    ast.GtE: "is at least",
    ast.Gt: "is above",
    ast.LtE: "is at most",
    ast.Lt: "is below",
    ast.Eq: "is",
    ast.NotEq: "is not",
}
_FLIPPED = {ast.GtE: ast.LtE, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.Lt: ast.Gt, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}
_ON_DAY = {
    ast.GtE: "it is {} or later",
    ast.Gt: "it is past {}",
    ast.LtE: "it is {} or earlier",
    ast.Lt: "it is before {}",
    ast.Eq: "it is {}",
    ast.NotEq: "it is not {}",
}
_ARITHMETIC = {ast.Mult: "×", ast.Div: "÷", ast.Add: "plus", ast.Sub: "minus"}

Format = Callable[[float], str]
"""How a number reads beside a metric: ``$20,000``, ``85%``, ``2``."""


@dataclass(frozen=True)
class _Context:
    """What a condition's words need beside its tree: the scenario, and whose rule it is (a role or the founder)."""

    scenario: Scenario
    role: str


@dataclass(frozen=True)
class _Metric:
    """A metric in words, and how a number compared with it reads."""

    subject: str
    fmt: Format


def describe_rules(scenario: Scenario, *, base: Strategy | None = None) -> tuple[str, ...]:
    """A strategy's rules as plain sentences in a seller's words, each number in its unit.

    Args:
        scenario: The resolved scenario; its ``strategy`` is described, read with its roles and company.
        base: The strategy of the file at the root of the strategy file's ``extends`` chain
            (``scenarios/base.yaml`` for the shipped ones). The founder's priorities are told only when they
            differ from it, and other settings that differ from it are listed by name; without it, the
            priorities are always told and nothing else is listed.

    Returns:
        The sentences: hiring, who does which work, the owner's pay, financing, ads, then the rest.
    """
    strategy = scenario.strategy
    sentences = [
        *_hiring(scenario),
        *_assignments(scenario),
        _owner_pay(scenario),
        *_financing(scenario),
        _ads(strategy),
    ]
    order = _listed([WORK[d] for d in strategy.founder_priorities])
    sentences.append(f"The founder's own hours go to {order} work, in that order.")
    if base is not None:
        sentences.extend(_other_changes(strategy, base))
    return tuple(sentences)


def base_strategy(path: str | os.PathLike[str]) -> Strategy | None:
    """The strategy of the file at the root of ``path``'s ``extends`` chain, what :func:`describe_rules` tells
    changes from; None when ``path`` extends nothing or its root is not a whole scenario on its own."""
    try:
        root = base_file(path).resolve()
        if root == Path(path).resolve():
            return None
        return _strategy_of(root, root.stat().st_mtime_ns)
    except (ScenarioError, OSError):
        return None


@functools.lru_cache(maxsize=8)
def _strategy_of(root: Path, mtime_ns: int) -> Strategy:
    """The strategy of a whole scenario file, kept while the file is unchanged (the strategies of a comparison
    share one base file)."""
    return load_scenario(root).strategy


def describe_condition(text: str, scenario: Scenario, *, role: str = FOUNDER) -> str:
    """A condition in words: what must hold for a rule of ``role`` (the founder's: the owner's pay, financing).

    A condition that does not parse is quoted whole as code.
    """
    tree = _tree(text, scenario)
    return _code(text) if tree is None else _clause(tree, _Context(scenario, role), nested=False)


def _tree(text: str, scenario: Scenario) -> ast.expr | None:
    try:
        return parse_tree(text, roles=tuple(scenario.roles), params=tuple(scenario.strategy.parameters))
    except ConditionError:
        return None


# --- conditions -----------------------------------------------------------------------


def _clause(node: ast.expr, ctx: _Context, *, nested: bool) -> str:
    """A condition (a truth value) in words; ``nested`` marks an ``and``/``or`` inside another as a group."""
    match node:
        case ast.BoolOp(op=op, values=values):
            parts = [_clause(v, ctx, nested=True) for v in _flattened(op, values)]
            word = "and" if isinstance(op, ast.And) else "or"
            if not nested:
                return _listed(parts, word)
            lead = "either" if word == "or" else ("both" if len(parts) == 2 else "all of")
            return f"{lead} {_listed(parts, word)}"
        case ast.UnaryOp(op=ast.Not(), operand=inner):
            return f"it is not so that {_clause(inner, ctx, nested=True)}"
        case ast.Compare():
            return _comparison(node, ctx)
    return f"{_amount(node, ctx, _plain)} is not zero"  # a bare number or metric holds when it is not 0


def _flattened(op: ast.boolop, values: Sequence[ast.expr]) -> list[ast.expr]:
    """``a and (b and c)`` as ``a, b and c``: the same operator nested reads as one list."""
    out: list[ast.expr] = []
    for v in values:
        out.extend(_flattened(op, v.values) if isinstance(v, ast.BoolOp) and type(v.op) is type(op) else [v])
    return out


def _comparison(node: ast.Compare, ctx: _Context) -> str:
    """``a >= b`` (or a chain ``a < b < c``) in words, with the metric as the subject."""
    left, ops, rights = node.left, list(node.ops), list(node.comparators)
    if len(ops) == 1 and _value(left, ctx) is not None and _value(rights[0], ctx) is None:
        left, ops, rights = rights[0], [_FLIPPED[type(ops[0])]()], [left]  # "5 < x" reads "x is above 5"
    if len(ops) == 1 and (value := _value(rights[0], ctx)) is not None:
        match left, ops[0]:
            case ast.Name(id="day"), op:
                return _ON_DAY[type(op)].format(_day(value))
            case ast.Call(func=ast.Name(id="months_profitable"), args=args), ast.GtE():
                if value == (months := _window("months_profitable", _args(args))):
                    return f"each of the last {months} months was profitable"
    fmt = next((f for f in (_format(x, ctx) for x in (left, *rights)) if f is not None), _plain)
    words = f"{_amount(left, ctx, fmt)} {_COMPARED[type(ops[0])]} {_amount(rights[0], ctx, fmt)}"
    for op, right in zip(ops[1:], rights[1:], strict=True):
        words += f", which {_COMPARED[type(op)]} {_amount(right, ctx, fmt)}"
    return words


def _amount(node: ast.expr, ctx: _Context, fmt: Format) -> str:
    """A number, metric or sum in words; a bare number reads in ``fmt``, the unit of what it is compared with."""
    value = _value(node, ctx)
    if value is not None:
        return fmt(value)
    match node:
        case ast.Name(id=name):
            return _metric(name, (), ctx).subject
        case ast.Call(func=ast.Name(id=name), args=args):
            return _metric(name, _args(args), ctx).subject
        case ast.UnaryOp(op=ast.USub(), operand=inner):
            return f"minus {_amount(inner, ctx, fmt)}"
        case ast.BinOp(left=a, op=ast.Mult(), right=b) if (pay := _pay_multiple(a, b, ctx)) is not None:
            return pay
        case ast.BinOp(left=a, op=op, right=b) if type(op) in _ARITHMETIC:
            scaling = isinstance(op, ast.Mult | ast.Div)  # a number that scales a metric is a plain multiple
            words = []
            for side in (a, b):
                text = _amount(side, ctx, _plain if scaling else fmt)
                words.append(f"({text})" if isinstance(side, ast.BinOp) else text)
            return f"{words[0]} {_ARITHMETIC[type(op)]} {words[1]}"
    return _code(ast.unparse(node))


def _args(args: Sequence[ast.expr]) -> tuple[Any, ...]:
    """A metric call's arguments (literals: the language allows nothing else)."""
    return tuple(a.value if isinstance(a, ast.Constant) else ast.unparse(a) for a in args)


def _value(node: ast.expr, ctx: _Context) -> float | None:
    """The number ``node`` stands for when it reads no metric (a number, a parameter, minus either), else None."""
    match node:
        case ast.Constant(value=v) if isinstance(v, int | float) and not isinstance(v, bool):
            return float(v)
        case ast.Call(func=ast.Name(id="param"), args=[ast.Constant(value=str(name))]):
            return ctx.scenario.strategy.parameters.get(name)
        case ast.UnaryOp(op=ast.USub(), operand=inner):
            v = _value(inner, ctx)
            return None if v is None else -v
    return None


def _format(node: ast.expr, ctx: _Context) -> Format | None:
    """How a number compared with ``node`` reads: in the unit of its metric (None: ``node`` reads no metric)."""
    if _value(node, ctx) is not None:
        return None
    match node:
        case ast.Name(id=name):
            return _metric(name, (), ctx).fmt
        case ast.Call(func=ast.Name(id=name), args=args):
            return _metric(name, _args(args), ctx).fmt
        case ast.UnaryOp(operand=inner):
            return _format(inner, ctx)
        case ast.BinOp(left=a, op=ast.Add() | ast.Sub(), right=b):
            return _format(a, ctx) or _format(b, ctx)
        case ast.BinOp(left=a, op=ast.Mult(), right=b) if _value(a, ctx) is not None or _value(b, ctx) is not None:
            return _format(a, ctx) or _format(b, ctx)  # 1.5 × a salary is money
        case ast.BinOp(left=a, op=ast.Div(), right=b) if _value(b, ctx) is not None:
            return _format(a, ctx)
    return _plain  # a product or ratio of two metrics is a plain number


def _metric(name: str, args: tuple[Any, ...], ctx: _Context) -> _Metric:
    """A metric call in words, or the call as code when it has no phrase."""
    phrase = METRIC_PHRASES.get(name)
    if phrase is None:
        return _Metric(_code(f"{name}({', '.join(map(repr, args))})" if args else name), _plain)
    return phrase(ctx, args)


def _window(name: str, args: tuple[Any, ...]) -> int:
    """The months or weeks a metric reads: its argument, or the metric's default."""
    return int(args[0]) if args else DEFAULT_WINDOWS[name]


def _months(name: str, args: tuple[Any, ...], what: str) -> _Metric:
    months = _window(name, args)
    span = "last month's" if months == 1 else f"the last {months} months' average monthly"
    return _Metric(f"{span} {what}", money_exact)


def _pay(ctx: _Context, args: tuple[Any, ...]) -> tuple[str, float]:
    """Whose monthly pay ``salary_usd(...)`` reads, and how much: an operator's salary, an agency's minimum fee,
    or (in the founder's rules) the owner's pay."""
    role = args[0] if args else ctx.role
    if role == FOUNDER:  # the founder's rules read the owner's pay as their salary
        return "the owner's pay", ctx.scenario.strategy.owner_pay.usd_per_month
    r = ctx.scenario.roles[role]
    return f"{_a(r)}'s {'minimum fee' if r.fee_share_of_ad_spend else 'salary'}", r.salary_usd_per_month


def _salary(ctx: _Context, args: tuple[Any, ...]) -> _Metric:
    whose, usd = _pay(ctx, args)
    return _Metric(f"{whose} ({money_exact(usd)} a month)", money_exact)


def _pay_multiple(a: ast.expr, b: ast.expr, ctx: _Context) -> str | None:
    """``1.5 * salary_usd()`` as the sum it stands for, "$3,255 (1.5 × an operator's salary of $2,170 a month)";
    None when the product is not a number times a pay."""
    for factor, call in ((a, b), (b, a)):
        times = _value(factor, ctx)
        if times is not None and isinstance(call, ast.Call) and getattr(call.func, "id", None) == "salary_usd":
            whose, usd = _pay(ctx, _args(call.args))
            return f"{money_exact(times * usd)} ({_plain(times)} × {whose} of {money_exact(usd)} a month)"
    return None


def _founder_load(ctx: _Context, args: tuple[Any, ...]) -> _Metric:
    weeks = _window("founder_load", args)
    span = "last week" if weeks == 1 else f"the last {weeks} weeks"
    week = hours(ctx.scenario.company.founder.hours_per_week)
    return _Metric(
        f"the founder's workload over {span}",
        lambda v: f"their planned {week} week" if v == 1 else f"{_plain(v)} × their planned {week} week",
    )


def _staff(ctx: _Context, args: tuple[Any, ...]) -> _Metric:
    who = f"the {_title(ctx.scenario.roles[args[0]])} headcount" if args else "the headcount (all staff)"
    return _Metric(who, _plain)


METRIC_PHRASES: dict[str, Callable[[_Context, tuple[Any, ...]], _Metric]] = {
    "day": lambda ctx, args: _Metric("the day", _day),
    "cash_usd": lambda ctx, args: _Metric("cash in the bank", money_exact),
    "monthly_revenue_usd": lambda ctx, args: _months("monthly_revenue_usd", args, "revenue"),
    "monthly_profit_usd": lambda ctx, args: _months("monthly_profit_usd", args, "profit"),
    "monthly_sde_usd": lambda ctx, args: _months("monthly_sde_usd", args, "SDE (profit before the owner's pay)"),
    "months_profitable": lambda ctx, args: _Metric(
        f"the number of profitable months among the last {_window('months_profitable', args)}", _plain
    ),
    "founder_burnout": lambda ctx, args: _Metric("the founder's burnout (0 rested, 1 breaking down)", _plain),
    "founder_load": _founder_load,
    "service_level": lambda ctx, args: _Metric(f"the share of {WORK[args[0]]} work done", share),
    "backlog_hours": lambda ctx, args: _Metric(f"the hours of {WORK[args[0]]} work waiting", hours),
    "staff": _staff,
    "salary_usd": _salary,
    "live_products": lambda ctx, args: _Metric("the number of products on sale or waiting for stock", _plain),
    "param": lambda ctx, args: _Metric(_code(f"param({args[0]!r})"), _plain),  # a defined one reads as its value
}
"""A phrase for each metric of the condition language (a test checks that none is missing)."""


def _day(day: float) -> str:
    return "the first day" if day == 0 else f"day {_plain(day)} ({month_of(day)})"


def _plain(value: float) -> str:
    """A number with as few decimals as it needs, up to 3: ``1``, ``1.5``, ``0.125``."""
    digits = next((d for d in range(3) if round(value, d) == value), 3)
    return number(value, digits)


def _code(text: str) -> str:
    return f"`{text}`"


# --- the sentences --------------------------------------------------------------------


def _hiring(scenario: Scenario) -> list[str]:
    staffing = scenario.strategy.staffing
    if not staffing.rules:
        return ["Never hires: the founder works alone."]
    sentences = []
    for rule in staffing.rules:
        when = _starting(rule.when, scenario, on_day="from", otherwise="when", role=rule.role)
        limits = [f"up to a headcount of {rule.max_count}"]
        if rule.cooldown_days:
            limits.append(f"at least {rule.cooldown_days} days apart")
        sentences.append(f"Hires {_a(scenario.roles[rule.role])} {when}; {', '.join(limits)}.")
    sentences.append("Replaces anyone who quits." if staffing.replace_quits else "Does not replace anyone who quits.")
    if staffing.let_go_below_skill_share:
        sentences.append(
            f"After {staffing.probation_days} days' probation, lets go a hire whose skills average below "
            f"{share(staffing.let_go_below_skill_share)} of the role's, and hires again."
        )
    for name in dict.fromkeys(rule.role for rule in staffing.rules):
        role = scenario.roles[name]
        if role.fee_share_of_ad_spend:
            sentences.append(
                f"{_capital(_a(role))} charges {share(role.fee_share_of_ad_spend)} of ad spend, at least "
                f"{money_exact(role.salary_usd_per_month)} a month."
            )
    return sentences


def _starting(text: str, scenario: Scenario, *, on_day: str, otherwise: str, role: str = FOUNDER) -> str:
    """When a rule acts: ``from day 180 (month 6)`` for a condition of the calendar alone, else the condition in
    words after ``otherwise`` (``when ...``)."""
    day = _from_day(text, scenario)
    if day is not None:
        return f"{on_day} {_day(day)}"
    return f"{otherwise} {describe_condition(text, scenario, role=role)}"


def _from_day(text: str, scenario: Scenario) -> float | None:
    """The day a condition of the calendar alone (``day >= N``) first holds; None for any other condition."""
    match _tree(text, scenario):
        case ast.Compare(left=ast.Name(id="day"), ops=[ast.GtE()], comparators=[ast.Constant(value=int(day))]):
            return float(day)
    return None


def _assignments(scenario: Scenario) -> list[str]:
    """Who does which work, domains with the same order of people in one sentence."""
    strategy = scenario.strategy
    groups: dict[tuple[str, ...], list[str]] = {}
    for domain in DOMAINS:
        if domain in strategy.assignments:
            groups.setdefault(tuple(strategy.assignments[domain]), []).append(WORK[domain])
    sentences = []
    for people, work in groups.items():
        who = ["the founder" if p == FOUNDER else _a(scenario.roles[p]) for p in people]
        if len(who) == 1:
            sentences.append(f"{_capital(_listed(work))} work goes to {who[0]} alone.")
        else:
            order = ", then ".join([f"{who[0]} first", *who[1:]])
            sentences.append(f"{_capital(_listed(work))} work goes to {order}; nobody else does it.")
    if groups:
        sentences.append("Other work goes to anyone able to do it, specialists first.")
    if strategy.founder_review_share:
        sentences.append(
            f"The founder reviews the product work others do, in hours equal to "
            f"{share(strategy.founder_review_share)} of theirs."
        )
    return sentences


def _owner_pay(scenario: Scenario) -> str:
    pay = scenario.strategy.owner_pay
    if not pay.usd_per_month:
        return "Owner's pay: none."
    when = describe_condition(pay.when, scenario)
    return f"Owner's pay: {money_exact(pay.usd_per_month)} at the end of each month in which {when}; otherwise nothing."


def _financing(scenario: Scenario) -> list[str]:
    company, financing = scenario.company, scenario.strategy.financing
    sentences = []
    if company.credit_line_usd:
        sentences.append(
            f"A credit line of {money_exact(company.credit_line_usd)} at {share(company.credit_line_apr)} a year "
            f"on what is drawn: cash may go down to {money_exact(-company.credit_line_usd)}."
        )
    for raise_ in financing.equity:
        when = _starting(raise_.when, scenario, on_day="on", otherwise="on the first day when")
        sentences.append(
            f"Raises {money_exact(raise_.amount_usd)} for {share(raise_.share_of_company)} of the company {when}."
        )
    loans = financing.inventory_loans
    if loans.share_of_order:
        sentences.append(
            f"When {describe_condition(loans.when, scenario)}, a lender advances {share(loans.share_of_order)} of "
            f"each purchase order for a {share(loans.fee_share)} flat fee, repaid from "
            f"{share(loans.repay_share_of_payout)} of each Amazon payout, up to {money_exact(loans.limit_usd)} owed."
        )
    return sentences or ["No outside money: no credit line, equity or inventory loans."]


def _ads(strategy: Strategy) -> str:
    ads = strategy.ads
    target = (
        f"a {share(ads.target_acos)} ACoS (ad spend over the sales its ads bring)"
        if ads.steer_on == "acos"
        else f"a {share(ads.target_tacos)} TACoS (ad spend over all its sales, organic included)"
    )
    return (
        f"Ads: {money_exact(ads.launch_budget_usd_per_day)} a day for each new product's first {ads.launch_days} "
        f"days, then its budget is steered every {ads.adjust_every_days} days toward {target}, between "
        f"{money_exact(ads.min_budget_usd_per_day)} and {money_exact(ads.max_budget_usd_per_day)} a day."
    )


def _other_changes(strategy: Strategy, base: Strategy) -> list[str]:
    """The settings the sentences do not tell that differ from the base file's, by name."""
    ours, theirs = _flat(strategy.model_dump(mode="json")), _flat(base.model_dump(mode="json"))
    changed = [
        f"{_code('strategy.' + path)} to {_shown(value)} (base file: {_shown(theirs.get(path))})"
        for path, value in ours.items()
        if value != theirs.get(path) and not any(path == d or path.startswith(d + ".") for d in DESCRIBED)
    ]
    return [f"Also sets {_listed(changed)}."] if changed else []


def _flat(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested settings tree as ``{"a.b": value}``."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _shown(value: Any) -> str:
    return _plain(value) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


# --- people and lists -----------------------------------------------------------------


def _title(role: Role) -> str:
    """A role's title inside a sentence: ``operator``, ``PPC agency``."""
    title = role.title
    return title if title[:2].isupper() else title[0].lower() + title[1:]


def _a(role: Role) -> str:
    """``an operator``, ``a PPC agency``."""
    title = _title(role)
    return f"{'an' if title[0].lower() in 'aeiou' else 'a'} {title}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _listed(items: Sequence[str], word: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
