"""Output folders: checked before any work, and written whole or not at all.

A run or comparison folder is written into a hidden temporary folder beside it and renamed
into place when every file is in, so a reader (or a re-run that is killed half-way) never
sees a new ``daily.parquet`` beside an old ``summary.json``. Replacing an existing folder
moves the old one aside first and deletes it last: a kill in between leaves the old folder
under a hidden name, never a mix.

Writers of folders in one parent take turns (``flock`` on the parent, released by the system
when a writer dies), so whoever holds it knows that any hidden folder of ``out`` left beside it
belongs to a writer that was killed: unfinished ones are removed, and an old folder whose
replacement never arrived is put back.
"""

from __future__ import annotations

import fcntl
import glob
import os
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
def written_whole(out: Path, keep: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield a temporary folder to write into; on success it becomes ``out`` (replacing any old one).

    Sub-folders of the old ``out`` named in ``keep`` are carried into the new one as hard links, so
    their files are in ``out`` at every moment (before the swap in the old folder, after it in the new).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    parent = os.open(out.parent, os.O_RDONLY)
    try:
        fcntl.flock(parent, fcntl.LOCK_EX)  # writes are short: wait for the turn
        _tidy_leftovers(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        try:
            yield tmp
            for name in keep:
                if (out / name).is_dir():
                    shutil.copytree(out / name, tmp / name, copy_function=os.link)
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
    finally:
        os.close(parent)  # closing releases the turn


DATA_SUFFIXES = (".parquet", ".json", ".yaml")
"""What a results folder's data files end with; a run store's lock and manifest are not for reading."""


def data_files(folder: Path) -> tuple[str, ...]:
    """The names of the data files in ``folder``, for the report written there to link to."""
    return tuple(sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix in DATA_SUFFIXES))


def _tidy_leftovers(out: Path) -> None:
    """Remove the hidden folders killed writers of ``out`` left; put back an old ``out`` never replaced."""
    leftovers = sorted(out.parent.glob(f".{glob.escape(out.name)}.*"), key=lambda p: -p.stat().st_mtime)  # newest first
    for path in leftovers:
        if not path.is_dir():
            continue
        if path.suffix == ".old" and not out.exists():
            path.rename(out)
        elif path.suffix in (".tmp", ".old"):
            shutil.rmtree(path, ignore_errors=True)
