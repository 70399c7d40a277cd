"""Problems found in a scenario, each pinned to a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem in a scenario.

    ``file`` is the name as the user gave it (or ``--set`` for a command-line
    override), ``line`` and ``col`` are 1-based, ``path`` is the dotted field path
    (empty when the problem is not in one field), ``value`` the offending value as
    shown to the user and ``source_line`` the text of the line, when known.
    """

    file: str
    line: int
    col: int
    path: str
    message: str
    value: str | None = None
    source_line: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}: "
        lines = [where + (f"{self.path}: " if self.path else "") + self.message]
        if self.value is not None:
            lines.append(f"  got: {self.value}")
        if self.source_line is not None:
            text = self.source_line.rstrip("\n")
            pad = "".join(c if c == "\t" else " " for c in text[: self.col - 1])
            lines += [f"    {text}", f"    {pad}^"]
        return "\n".join(lines)


class ScenarioError(Exception):
    """A scenario that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(issues)
        self.issues = issues

    def __str__(self) -> str:
        return "\n".join(str(issue) for issue in self.issues)
