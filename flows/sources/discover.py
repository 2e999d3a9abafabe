"""Expand input arguments (files, folders, globs) into file paths, in a deterministic order.

* A file is taken as given (even a hidden one: the user named it).
* A folder is walked recursively, entries sorted by name (code-point order) at every level; hidden
  entries (name starting with ".") and our own outputs (warehouse / cache files, see `OUTPUT_SUFFIXES`,
  `OUTPUT_DIRS`) are skipped, as are FIFOs/sockets; symlinked folders are not followed (no loops),
  symlinked files are read.
* An argument that does not exist but contains glob magic (``* ? [``) is expanded with
  `glob.glob(recursive=True)`, matches sorted, folders among them walked as above.
* An argument that exists nowhere (or a glob matching nothing) is still returned, so `read_inputs`
  reports it as `unreadable` instead of dropping it silently.
* Paths are absolute: the argument resolved once; files under a folder are joined to it.  Each path
  appears once, at its first position.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

# Files the pipeline itself writes (warehouse, WAL, exports, caches): never read back as input.
OUTPUT_SUFFIXES = (".duckdb", ".duckdb.wal", ".wal", ".parquet", ".pyc", ".lock", ".tmp", ".part")
OUTPUT_DIRS = frozenset({"__pycache__", "dbt_packages", "uncommitted"})
_GLOB_MAGIC = frozenset("*?[")


def _walk(root: str) -> Iterator[str]:
    """Files under folder `root`, sorted by name per level, skipping hidden entries and outputs."""
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        yield root  # an unreadable folder: read_inputs reports it
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:  # a real folder (symlinked folders are not followed: no loops)
            if name not in OUTPUT_DIRS:
                yield from _walk(entry.path)
            continue
        try:
            if not entry.is_file():
                continue  # a symlinked folder (not followed), a FIFO, a socket, a dangling link
        except OSError:
            continue
        if name.lower().endswith(OUTPUT_SUFFIXES):
            continue
        # a symlinked file is known by its target (as when it is named directly), so a path this
        # yields is already in its final form and can be read without resolving it again
        yield _absolute(entry.path) if entry.is_symlink() else entry.path


def _absolute(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):  # symlink loop, permission: keep it as given, made absolute
        return os.path.abspath(path)


def iter_paths(paths: Sequence[str | Path]) -> Iterator[str]:
    """Stream the expanded absolute file paths (as str) for `paths`; see the module docstring."""
    seen: set[str] = set()
    for arg in paths:
        raw = os.fspath(arg)
        if os.path.lexists(raw):
            candidates = [raw]
        elif _GLOB_MAGIC.intersection(raw):
            matches = sorted(
                m for m in glob.glob(os.path.expanduser(raw), recursive=True) if not m.lower().endswith(OUTPUT_SUFFIXES)
            )
            candidates = matches or [raw]
        else:
            candidates = [raw]
        for cand in candidates:
            absolute = _absolute(cand)
            files = _walk(absolute) if os.path.isdir(absolute) else iter((absolute,))
            for file in files:
                if file not in seen:
                    seen.add(file)
                    yield file


def discover(paths: Sequence[str | Path]) -> list[str]:
    """The file paths `read_inputs` will read for `paths` (missing ones included, reported later), as
    absolute str paths: what the readers and the stamp lookups take (no Path objects for 100,000 files)."""
    return list(iter_paths(paths))
