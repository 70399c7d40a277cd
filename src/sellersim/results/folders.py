"""Output folders: checked before any work, and written whole or not at all.

A run or comparison folder is written into a hidden temporary folder beside it and renamed
into place when every file is in, so a reader (or a re-run that is killed half-way) never
sees a new ``daily.parquet`` beside an old ``summary.json``. Replacing an existing folder
moves the old one aside first and deletes it last: a kill in between leaves the old folder
under a hidden name, never a mix.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OutputFolderError(ValueError):
    """Results could not be written to the folder asked for; raised before any work."""


def output_problem(out: Path) -> str | None:
    """Why results cannot be written to folder ``out``, or ``None`` when they can."""
    if out.exists() and not out.is_dir():
        return "exists and is not a folder"
    existing = out
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        return f"cannot write in {existing}: {exc.strerror or exc}"
    return None


@contextmanager
def written_whole(out: Path) -> Iterator[Path]:
    """Yield a temporary folder to write into; on success it becomes ``out`` (replacing any old one)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if out.exists():  # renamed onto an empty folder of a unique name: a stale one can never be in the way
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
