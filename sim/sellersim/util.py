"""Small helpers shared by the scenario loader and the condition language."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest choice, or a list of the valid ones."""
    choices = sorted(choices)
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    if match:
        return f"; did you mean {match[0]!r}?"
    shown = ", ".join(choices[:12]) + (", ..." if len(choices) > 12 else "")
    return f"; valid names are: {shown}"
