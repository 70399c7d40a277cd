"""Load scenario files: ``extends`` chains, ``--set`` overrides and validation.

Every value keeps the file, line and column it was written at through merging and
overriding, so every problem (YAML syntax, a bad override, a schema violation or a
cross-reference) is reported as an :class:`Issue` where the user can fix it.

Only plain YAML is read: files named ``*.yaml`` or ``*.yml`` that are regular files of at
most ``MAX_FILE_BYTES``, with no tags (``!!python/...``), no aliases (``*name``, which can
expand without bound) and at most ``MAX_DEPTH`` levels of nesting. These are checked on the
parser's events, before anything is built, and a file that fails them is never quoted.
"""

from __future__ import annotations

import functools
import io
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NamedTuple, get_args, get_origin

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent
from ruamel.yaml.scalarbool import ScalarBoolean

from sellersim.scenario.errors import Issue, ScenarioError
from sellersim.scenario.schema import Scenario, reference_errors
from sellersim.util import did_you_mean

OVERRIDE_FILE = "--set"
"""The file name given to issues in command-line overrides."""
MAX_FILE_BYTES = 1_000_000
"""A scenario is a few kilobytes; a file over a megabyte is not one."""
MAX_DEPTH = 32
"""Nesting levels of mappings and lists; the schema itself needs six."""

Key = str | int
Sources = dict[str, list[str]]  # file name -> its lines, for quoting them in issues


class Loc(NamedTuple):
    """A 1-based position in a file."""

    file: str
    line: int
    col: int


@dataclass
class _Node:
    """A document value (``dict[Key, _Node]``, ``list[_Node]`` or a scalar) and where it was written."""

    value: Any
    key_at: Loc  # the mapping key or sequence item that holds the value
    value_at: Loc

    @property
    def at(self) -> Loc:
        """Where to point at this value: the value itself for a scalar, else its key."""
        plain_scalar = self.value is not None and not isinstance(self.value, dict | list)
        return self.value_at if plain_scalar else self.key_at

    def plain(self) -> Any:
        """The value as plain dicts, lists and scalars."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


# --- public API ---------------------------------------------------------------------


def load_scenario(path: str | os.PathLike[str], overrides: Sequence[str] = ()) -> Scenario:
    """Load, merge, override and validate a scenario file.

    Args:
        path: The scenario file; ``extends:`` chains are followed.
        overrides: ``dotted.path=value`` settings applied after the files, in order.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: Every problem found, each with its file, line, column, field and a fix, sorted
            by file and line.
        OSError: ``path`` itself cannot be read.
    """
    root, sources, override_issues = _resolve_all(path, overrides)
    try:
        scenario = Scenario.model_validate(root.plain())
    except ValidationError as exc:
        found = [_pydantic_issue(e, root, sources) for e in exc.errors()]
        raise ScenarioError(_sorted([*override_issues, *found])) from None
    if override_issues:  # every other value is fine: these are all there is to fix
        raise ScenarioError(override_issues)
    issues = []
    for where, message in reference_errors(scenario):
        node, exact = _locate(root, where)
        value = _show(node.value) if exact and not isinstance(node.value, (list, dict)) else None
        issues.append(_issue(sources, node.at if exact else node.key_at, where, message, value))
    if issues:
        raise ScenarioError(_sorted(issues))
    return scenario


def load_model[M: BaseModel](path: str | os.PathLike[str], model: type[M]) -> M:
    """Load any YAML file validated as ``model`` (a sweep file, say), with the same errors as scenarios."""
    root, sources = _resolve(path, ())
    try:
        return model.model_validate(root.plain())
    except ValidationError as exc:
        raise ScenarioError(_sorted(_pydantic_issue(e, root, sources, model) for e in exc.errors())) from None


def load_document(path: str | os.PathLike[str], overrides: Sequence[str] = ()) -> dict[Key, Any]:
    """The merged and overridden document of ``path`` as a plain dict, before validation."""
    return _resolve(path, overrides)[0].plain()


def base_file(path: str | os.PathLike[str]) -> Path:
    """The file at the root of ``path``'s ``extends`` chain (``path`` itself when it extends nothing).

    Raises:
        ScenarioError: A file of the chain is not plain YAML, or the chain is a cycle.
        OSError: A file of the chain cannot be read.
    """
    name = os.fspath(path)
    seen: set[Path] = set()
    while True:
        real = Path(name).resolve()
        stat_ = real.stat()
        extends = _extends(name, real, stat_.st_mtime_ns, stat_.st_size)
        if extends is None:
            return Path(name)
        seen.add(real)
        name = os.path.normpath(os.path.join(os.path.dirname(name), extends))
        if Path(name).resolve() in seen:
            raise ScenarioError([Issue(name, 1, 1, "extends", f"extends cycle through {name}")])


@functools.lru_cache(maxsize=64)
def _extends(name: str, real: Path, mtime_ns: int, size: int) -> str | None:
    """What file ``name`` extends, if any; kept while the file is unchanged (a base file takes a while to parse)."""
    text = _read(name)
    _check_plain_yaml(text, name)
    data = _parse_yaml(text, name, {name: text.splitlines()})
    extends = data.get("extends") if isinstance(data, CommentedMap) else None
    return extends if isinstance(extends, str) and extends else None


def dump_resolved(scenario: Scenario) -> str:
    """The fully resolved scenario as YAML text, keys in schema order."""
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 110
    out = io.StringIO()
    yaml.dump(scenario.model_dump(mode="json"), out)
    return out.getvalue()


# --- reading files and extends ------------------------------------------------------


def _resolve(path: str | os.PathLike[str], overrides: Sequence[str]) -> tuple[_Node, Sources]:
    root, sources, issues = _resolve_all(path, overrides)
    if issues:
        raise ScenarioError(issues)
    return root, sources


def _resolve_all(path: str | os.PathLike[str], overrides: Sequence[str]) -> tuple[_Node, Sources, list[Issue]]:
    """The merged document with every override that could be applied, and what is wrong with the others."""
    sources: Sources = {}
    root = _load_file(os.fspath(path), sources, chain=(), extends_at=None)
    sources[OVERRIDE_FILE] = list(overrides)
    issues = [i for n, text in enumerate(overrides, 1) if (i := _apply_override(root, n, text))]
    return root, sources, issues


def _load_file(name: str, sources: Sources, chain: tuple[tuple[Path, str], ...], extends_at: Loc | None) -> _Node:
    """Read ``name`` and everything it extends, merged.

    ``chain`` holds the (resolved path, name) of the files extending this one and
    ``extends_at`` where the last of them named it (``None`` for the user's file).
    """
    real = Path(name).resolve()
    if extends_at is not None and real in (p for p, _ in chain):
        cycle = " -> ".join([*(n for _, n in chain), name])
        raise ScenarioError([_issue(sources, extends_at, ("extends",), f"extends cycle: {cycle}")])
    try:
        text = _read(name)
    except UnicodeDecodeError as exc:
        raise ScenarioError([Issue(name, 1, 1, "", f"not UTF-8 text: {exc.reason}")]) from None
    except _NotAScenarioFile as exc:
        if extends_at is None:
            raise ScenarioError([Issue(name, 1, 1, "", str(exc))]) from None
        raise ScenarioError([_issue(sources, extends_at, ("extends",), f"base file {name}: {exc}")]) from None
    except OSError as exc:
        if extends_at is None:
            raise
        message = f"cannot read base file {name}: {exc.strerror or exc}"
        raise ScenarioError([_issue(sources, extends_at, ("extends",), message)]) from None
    _check_plain_yaml(text, name)
    sources[name] = text.splitlines()
    data = _parse_yaml(text, name, sources)
    start = Loc(name, 1, 1)
    if not isinstance(data, CommentedMap):
        what = "empty" if data is None else "not a mapping of sections"
        raise ScenarioError([_issue(sources, start, (), f"the scenario file is {what}")])
    root = _convert(data, name, start, start)
    extends = root.value.pop("extends", None)
    if extends is None:
        return root
    if not isinstance(extends.value, str) or not extends.value:
        message = "extends must be the path of a base scenario file"
        raise ScenarioError([_issue(sources, extends.at, ("extends",), message, _show(extends.value))])
    base_name = os.path.normpath(os.path.join(os.path.dirname(name), extends.value))
    base = _load_file(base_name, sources, (*chain, (real, name)), extends.value_at)
    return _merge(base, root)


class _NotAScenarioFile(Exception):
    """A path that is not a scenario file: wrong name, not a regular file, or far too large."""


def _read(name: str) -> str:
    """The text of scenario file ``name``, read only if it can be one (see the module docstring)."""
    path = Path(name)
    if path.suffix not in (".yaml", ".yml"):
        raise _NotAScenarioFile("scenario files are named *.yaml or *.yml")
    if not stat.S_ISREG(path.stat().st_mode):
        raise _NotAScenarioFile("not a regular file")
    with path.open("rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _NotAScenarioFile(f"larger than {MAX_FILE_BYTES:,} bytes; a scenario is a few kilobytes")
    return data.decode("utf-8")


def _check_plain_yaml(text: str, name: str) -> None:
    """Refuse tags, aliases and deep nesting, from the parser's events (nothing is built or expanded)."""
    depth = 0
    try:
        for event in YAML().parse(text):
            problem = None
            if isinstance(event, AliasEvent):
                problem = f"YAML aliases (*{event.anchor}) are not allowed: write the value out"
            elif isinstance(event, NodeEvent) and getattr(event, "tag", None) is not None:
                problem = "YAML tags (!...) are not allowed: write plain values"
            elif isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problem = f"nested more than {MAX_DEPTH} levels deep"
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            if problem:
                mark = event.start_mark
                raise ScenarioError([Issue(name, mark.line + 1, mark.column + 1, "", problem)])
    except YAMLError:
        return  # a syntax error: parsing again reports it with its position


def _parse_yaml(text: str, name: str, sources: Sources) -> Any:
    """Parse YAML in round-trip mode; syntax errors and duplicate keys become issues."""
    try:
        return YAML().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        at = Loc(name, mark.line + 1, mark.column + 1) if mark else Loc(name, 1, 1)
        message = getattr(exc, "problem", None) or str(exc)
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark:
            message += f" ({context} started on line {context_mark.line + 1})"
        raise ScenarioError([_issue(sources, at, (), message)]) from None


def _convert(data: Any, name: str, key_at: Loc, value_at: Loc) -> _Node:
    """Turn ruamel's round-trip data into nodes of plain values with positions."""

    def loc(entry: list[int] | None, offset: int) -> Loc:  # lc.data rows: [line, col(, line, col)]
        return Loc(name, entry[offset] + 1, entry[offset + 1] + 1) if entry else value_at

    if isinstance(data, CommentedMap):
        children: Any = {
            _scalar(k): _convert(v, name, loc(data.lc.data.get(k), 0), loc(data.lc.data.get(k), 2))
            for k, v in data.items()
        }
    elif isinstance(data, CommentedSeq):
        children = []
        for i, item in enumerate(data):
            at = loc(data.lc.data.get(i), 0)
            children.append(_convert(item, name, at, at))
    else:
        return _Node(_scalar(data), key_at, value_at)
    return _Node(children, key_at, value_at)


def _scalar(value: Any) -> Any:
    """Strip ruamel's scalar subclasses (they keep formatting) down to plain types."""
    for kind in (bool, int, float, str):
        if isinstance(value, kind) or (kind is bool and isinstance(value, ScalarBoolean)):
            return kind(value)
    return value


def _merge(base: _Node, over: _Node) -> _Node:
    """Deep-merge ``over`` onto ``base``: mappings key by key, anything else replaced."""
    if not (isinstance(base.value, dict) and isinstance(over.value, dict)):
        return over
    merged = dict(base.value)
    for key, node in over.value.items():
        merged[key] = _merge(merged[key], node) if key in merged else node
    return _Node(merged, over.key_at, over.value_at)


# --- overrides ----------------------------------------------------------------------


def _apply_override(root: _Node, line: int, text: str) -> Issue | None:
    """Apply ``dotted.path=value`` (line ``line`` of ``--set``) to ``root``; return what is wrong with it."""

    def issue(col: int, parts: Sequence[str], message: str) -> Issue:
        return Issue(OVERRIDE_FILE, line, col, ".".join(parts), message, source_line=text)

    dotted, eq, raw = text.partition("=")
    dotted = dotted.rstrip()
    parts = dotted.split(".")
    if not eq or not all(parts):
        return issue(1, (), "an override must look like dotted.path=value")
    value_col = len(text) - len(raw) + 1
    try:
        _check_plain_yaml(raw, OVERRIDE_FILE)
        value = YAML(typ="safe", pure=True).load(raw)
    except ScenarioError as exc:
        return issue(value_col + exc.issues[0].col - 1, parts, exc.issues[0].message)
    except YAMLError as exc:
        return issue(value_col, parts, f"cannot parse the value: {getattr(exc, 'problem', None) or exc}")
    node, col = root, 1
    for i, part in enumerate(parts):
        children, here = node.value, parts[: i + 1]
        if isinstance(children, dict):
            key: Key = int(part) if part.isdigit() and int(part) in children else part
            found = key in children
        elif isinstance(children, list):
            key = int(part) if part.isdigit() else -1
            found = 0 <= key < len(children)
            if not found:
                return issue(col, here, f"no item {part}; the list has {len(children)} items")
        else:
            return issue(col, parts[:i], "is a single value, not a mapping or a list")
        if i == len(parts) - 1:
            children[key] = _wrap(value, Loc(OVERRIDE_FILE, line, col), Loc(OVERRIDE_FILE, line, value_col))
        elif not found:
            return issue(col, here, f"no such key{did_you_mean(part, map(str, children))}")
        else:
            node, col = children[key], col + len(part) + 1
    return None


def _wrap(value: Any, key_at: Loc, value_at: Loc) -> _Node:
    """Nodes for a plain override value; everything inside points at the value."""
    if isinstance(value, dict):
        return _Node({k: _wrap(v, value_at, value_at) for k, v in value.items()}, key_at, value_at)
    if isinstance(value, list):
        return _Node([_wrap(v, value_at, value_at) for v in value], key_at, value_at)
    return _Node(value, key_at, value_at)


# --- turning problems into issues ---------------------------------------------------


_FIXES = {  # pydantic's own words for these say what is wrong but not what to write instead
    "int_type": "must be a whole number, such as 3 (not true/false, a decimal or text)",
    "float_type": "must be a number, such as 2.5 (not true/false or text)",
    "finite_number": "must be a finite number (not .inf or .nan)",
}


def _pydantic_issue(error: Any, root: _Node, sources: Sources, model: type[BaseModel] = Scenario) -> Issue:
    """Map one pydantic error to the position of the value (or key) it is about."""
    loc: tuple[Key, ...] = tuple(error["loc"])
    on_key = loc[-1:] == ("[key]",)
    loc = loc[:-1] if on_key else loc
    node, exact = _locate(root, loc)
    kind, message, given = error["type"], error["msg"], error.get("input")
    value = None if not exact or isinstance(given, dict) else _show(given)
    if kind == "extra_forbidden":
        value = None
        message = f"unknown key {loc[-1]!r}{did_you_mean(str(loc[-1]), _fields_at(loc[:-1], model))}"
    elif kind == "missing":
        message = f"required key {loc[-1]!r} is missing"
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
    elif kind == "literal_error" and isinstance(given, str):
        hint = did_you_mean(given, re.findall(r"'([^']*)'", error["ctx"]["expected"]))
        message += hint if hint.startswith("; did you mean") else ""
    elif kind in _FIXES:
        message = _FIXES[kind]
    at = node.at if exact and not on_key and kind != "extra_forbidden" else node.key_at
    return _issue(sources, at, loc, message, value)


def _locate(root: _Node, path: Sequence[Key]) -> tuple[_Node, bool]:
    """The node at ``path``, or its deepest existing ancestor; and whether it was found."""
    node = root
    for part in path:
        children = node.value
        in_list = isinstance(children, list) and isinstance(part, int) and 0 <= part < len(children)
        if not (in_list or (isinstance(children, dict) and part in children)):
            return node, False
        node = children[part]
    return node, True


def _fields_at(path: Sequence[Key], model: type[BaseModel] = Scenario) -> list[str]:
    """Field names of the schema model at ``path``, or ``[]`` when it is not a model."""
    tp: Any = model
    for part in path:
        if _is_model(tp):
            field = tp.model_fields.get(part)
            if field is None:
                return []
            tp = field.annotation
        else:
            args = get_args(tp)  # list[X] -> (X,), dict[K, V] -> (K, V)
            if not args:
                return []
            tp = args[-1]
        while get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        if not _is_model(tp):  # an optional section (X | None) is its model
            tp = next((a for a in get_args(tp) if _is_model(a)), tp)
    return list(tp.model_fields) if _is_model(tp) else []


def _is_model(tp: Any) -> bool:
    return get_origin(tp) is None and isinstance(tp, type) and issubclass(tp, BaseModel)


def _show(value: Any) -> str:
    """A short, YAML-flavoured rendering of a value for ``got:`` lines."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, str | list | dict):
        text = repr(value)
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _issue(sources: Sources, at: Loc, path: Sequence[Key], message: str, value: str | None = None) -> Issue:
    lines = sources.get(at.file, [])
    source = lines[at.line - 1] if 0 < at.line <= len(lines) else None
    return Issue(at.file, at.line, at.col, ".".join(map(str, path)), message, value, source)


def _sorted(issues: Iterable[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.file, i.line, i.col))
