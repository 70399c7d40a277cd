"""A small, safe condition language for staffing rules.

A condition is one Python-like expression over named metrics, for example::

    monthly_profit_usd(3) >= 1.5 * salary_usd() and founder_load(4) > 1.05

Only numbers, metric names, metric calls with literal arguments, arithmetic,
comparisons and ``and``/``or``/``not`` are allowed. The text is parsed with
:mod:`ast`, checked, and compiled into nested closures; the text never reaches Python's ``eval``.
A condition is at most ``MAX_LENGTH`` characters, and a window of months or
weeks at most ``MAX_WINDOW``.

Division by zero does not stop a run: ``x / 0`` is +inf for positive ``x``,
-inf for negative ``x``, and NaN for ``0 / 0``. NaN is unequal to everything,
every other comparison with it is false, and on its own (``0 / 0 and ...``) it
counts as false. So ``monthly_profit_usd(3) / salary_usd() >= 1.5`` holds for
any profit when the salary is 0, and never when there is no profit either.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sellersim.domains import DOMAINS
from sellersim.util import did_you_mean


class ConditionError(ValueError):
    """A condition that does not parse or names something unknown."""


@dataclass(frozen=True)
class Metric:
    """Signature of a named metric: the kinds of its arguments and what it means."""

    args: tuple[str, ...]  # each "int", "domain", "role" or "param"
    optional: int  # how many trailing args may be left out
    doc: str


METRICS: dict[str, Metric] = {
    "day": Metric((), 0, "days since the start (0 on the first day)"),
    "cash_usd": Metric((), 0, "cash in the bank"),
    "monthly_revenue_usd": Metric(("int",), 1, "average monthly revenue over the last N 30-day months (1)"),
    "monthly_profit_usd": Metric(("int",), 1, "average monthly profit after owner's pay, last N 30-day months (1)"),
    "monthly_sde_usd": Metric(("int",), 1, "average monthly SDE (profit before owner's pay), last N 30-day months (1)"),
    "founder_burnout": Metric((), 0, "the founder's burnout stock, 0 (rested) to 1"),
    "founder_load": Metric(("int",), 1, "founder's demanded hours / normal hours, averaged over N weeks (4)"),
    "service_level": Metric(("domain",), 0, "smoothed share of a domain's work that gets done"),
    "backlog_hours": Metric(("domain",), 0, "hours of undone work waiting in a domain"),
    "staff": Metric(("role",), 1, "people employed in a role (all staff when no role is given)"),
    "salary_usd": Metric(
        ("role",), 1, "monthly salary of a role (the rule's own role, or the owner's pay, when left out)"
    ),
    "live_products": Metric((), 0, "products on sale or waiting for stock"),
    "param": Metric(("param",), 0, "a number from the strategy's `parameters` (so sweeps can vary it)"),
    "months_profitable": Metric(("int",), 1, "profitable 30-day months among the last N (3)"),
}

DEFAULT_WINDOWS: dict[str, int] = {
    "monthly_revenue_usd": 1,
    "monthly_profit_usd": 1,
    "monthly_sde_usd": 1,
    "founder_load": 4,
    "months_profitable": 3,
}
"""The months or weeks a metric reads when its call gives none (the numbers in brackets above)."""


class MetricSource(Protocol):
    """What a condition reads its metrics from."""

    def metric(self, name: str, args: tuple[Any, ...], role: str) -> float: ...


_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
MAX_LENGTH = 1000
MAX_WINDOW = 120  # months or weeks a metric may look back over: ten years of months


def _divide(a: float, b: float) -> float:
    """``a / b``, with division by zero as stated in the module docstring."""
    if b:
        return a / b
    return math.copysign(math.inf, a) if a else math.nan


_ARITH: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: _divide,
}


def _truth(value: Any) -> bool:
    """A value read as true or false: a number is true when it is not 0, and NaN is false."""
    return bool(value) and value == value  # NaN is the one value unequal to itself


Evaluator = Callable[[MetricSource, str], Any]  # (metrics, the rule's role) -> a number or a truth value


@dataclass(frozen=True)
class Condition:
    """A parsed condition, evaluated against a :class:`MetricSource`."""

    text: str
    evaluator: Evaluator  # the tree compiled once (see _compile): conditions are read every day

    def evaluate(self, source: MetricSource, role: str) -> bool:
        """Return whether the condition holds now for a rule hiring ``role``."""
        return _truth(self.evaluator(source, role))


def _compile(node: ast.expr) -> Evaluator:
    """Turn a checked tree into nested closures, so the tree is walked here once rather than at every reading."""
    match node:
        case ast.Constant(value=v):
            return lambda source, role: v
        case ast.Name(id=name):
            return lambda source, role: source.metric(name, (), role)
        case ast.Call(func=ast.Name(id=name), args=args):
            values = tuple(a.value for a in args)  # type: ignore[attr-defined]
            return lambda source, role: source.metric(name, values, role)
        case ast.BoolOp(op=ast.And(), values=values):
            parts = [_compile(v) for v in values]
            return lambda source, role: all(_truth(part(source, role)) for part in parts)
        case ast.BoolOp(op=ast.Or(), values=values):
            parts = [_compile(v) for v in values]
            return lambda source, role: any(_truth(part(source, role)) for part in parts)
        case ast.UnaryOp(op=ast.Not(), operand=x):
            inner = _compile(x)
            return lambda source, role: not _truth(inner(source, role))
        case ast.UnaryOp(op=ast.USub(), operand=x):
            inner = _compile(x)
            return lambda source, role: -inner(source, role)
        case ast.BinOp(left=a, op=op, right=b):
            left, right, arith = _compile(a), _compile(b), _ARITH[type(op)]
            return lambda source, role: arith(left(source, role), right(source, role))
        case ast.Compare(left=first, ops=ops, comparators=rights):
            start = _compile(first)
            links = [(_COMPARE[type(op)], _compile(r)) for op, r in zip(ops, rights, strict=True)]

            def chain(source: MetricSource, role: str) -> bool:
                a = start(source, role)
                for holds, next_ in links:
                    b = next_(source, role)
                    if not holds(a, b):
                        return False
                    a = b
                return True

            return chain
    raise ConditionError(f"cannot evaluate {ast.dump(node)}")  # _check rules this out


def parse_condition(text: str, roles: Sequence[str], params: Sequence[str] = ()) -> Condition:
    """Parse and check ``text`` against the scenario's roles and strategy parameters.

    Raises :class:`ConditionError` naming what is wrong.
    """
    return Condition(text, _compile(parse_tree(text, roles, params)))


def parse_tree(text: str, roles: Sequence[str], params: Sequence[str] = ()) -> ast.expr:
    """The checked syntax tree of ``text`` (what :func:`parse_condition` compiles, and what words describe).

    Raises :class:`ConditionError` naming what is wrong.
    """
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"condition is {len(text)} characters long; keep it under {MAX_LENGTH}")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ConditionError(f"condition does not parse: {exc.msg} at column {exc.offset}") from None
    except (RecursionError, MemoryError):
        raise ConditionError("condition is nested too deeply; split it into simpler parts") from None
    _check(tree, {"domain": DOMAINS, "role": tuple(roles), "param": tuple(params)})
    return tree


def _check(node: ast.AST, known: Mapping[str, tuple[str, ...]]) -> None:
    match node:
        case ast.Constant(value=v) if isinstance(v, (int, float)) and not isinstance(v, bool):
            return
        case ast.Name(id=name):
            _check_call(name, [], known)
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]):
            _check_call(name, args, known)
        case ast.BoolOp(values=values):
            for v in values:
                _check(v, known)
        case ast.UnaryOp(op=ast.Not() | ast.USub(), operand=x):
            _check(x, known)
        case ast.BinOp(op=op, left=a, right=b) if type(op) in _ARITH:
            _check(a, known)
            _check(b, known)
        case ast.Compare(left=left, ops=ops, comparators=rights) if all(type(o) in _COMPARE for o in ops):
            for x in (left, *rights):
                _check(x, known)
        case _:
            snippet = ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__
            raise ConditionError(f"{snippet!r} is not allowed; use numbers, metrics, + - * /, comparisons, and/or/not")


def _check_call(name: str, args: list[ast.expr], known: Mapping[str, tuple[str, ...]]) -> None:
    metric = METRICS.get(name)
    if metric is None:
        raise ConditionError(f"unknown metric {name!r}{did_you_mean(name, METRICS)}")
    lo, hi = len(metric.args) - metric.optional, len(metric.args)
    if not lo <= len(args) <= hi:
        want = f"{lo}" if lo == hi else f"{lo} to {hi}"
        raise ConditionError(f"{name} takes {want} argument(s), got {len(args)}")
    for kind, arg in zip(metric.args, args, strict=False):
        value = arg.value if isinstance(arg, ast.Constant) else None
        if kind == "int":
            if not (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_WINDOW):
                raise ConditionError(f"{name} needs a whole number from 1 to {MAX_WINDOW}, got {ast.unparse(arg)}")
        elif value not in known[kind]:
            hint = did_you_mean(str(value), known[kind]) if known[kind] else "; none are defined"
            raise ConditionError(f"{name}: unknown {kind} {ast.unparse(arg)}{hint}")
