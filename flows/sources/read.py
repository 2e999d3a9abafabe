"""The entry point: `read_inputs(paths)` streams documents and quarantine records, never raising.

The format comes from the extension: ``.txt``/``.text`` → txt, ``.html``/``.htm``/``.xhtml``/``.shtml``
→ html, ``.jsonl``/``.ndjson`` → jsonl (one document per line), ``.warc``/``.warc.gz`` → warc (one per
HTML/text response).  Any other extension is read as text (or as HTML when it starts like a page) if
its bytes decode as text, else quarantined ``unsupported``.  Whole files are read one at a time (a
.txt/.html file is one document); JSONL and WARC files are streamed record by record, so a corpus
is never held in memory.  max_bytes bounds one document (a file, a JSONL line, a WARC payload).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from .decode import DecodeError, binary_kind, decode_bytes
from .discover import iter_paths
from .document import KnownDocument, Quarantined, RawDocument, quarantine, sha256_hex
from .file_stamps import stamp_of
from .html import read_html
from .jsonl import read_jsonl
from .txt import read_txt
from .warc import read_warc

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta")


def format_for(path: str) -> str | None:
    """"txt", "html", "jsonl", "warc" from the file name, None when the extension is unknown."""
    lower = path.lower()
    if lower.endswith(TXT_SUFFIXES):
        return "txt"
    if lower.endswith(HTML_SUFFIXES):
        return "html"
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(WARC_SUFFIXES):
        return "warc"
    return None


def _unreadable(path: str, exc: OSError) -> Quarantined:
    if isinstance(exc, FileNotFoundError):
        problem = "no file matches this pattern" if any(c in os.path.basename(path) for c in "*?[") else "no such file"
    elif isinstance(exc, IsADirectoryError):
        problem = "is a folder that cannot be listed"
    elif isinstance(exc, PermissionError):
        problem = "permission denied"
    else:
        problem = f"cannot be read ({exc.strerror or exc})"
    return quarantine(path, "unreadable", problem, None, None)


def _read_small(path: str, max_bytes: int) -> bytes | Quarantined:
    """A whole file's bytes, or a quarantine (unreadable / oversized)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
            if len(data) <= max_bytes:
                return data
            size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        return _unreadable(path, exc)
    return quarantine(path, "oversized", f"{size:,} bytes, over the limit of {max_bytes:,} bytes", None, size)


def _read_unknown(path: str, data: bytes) -> RawDocument | Quarantined:
    ext = os.path.splitext(path)[1] or "(no extension)"
    kind = binary_kind(data)
    if kind is None:
        try:
            decode_bytes(data)
        except DecodeError as exc:
            if exc.reason == "empty":
                return quarantine(path, "empty", str(exc), data)
            kind = "not decodable as text"
    if kind is not None:
        return quarantine(path, "unsupported", f"unsupported file type {ext}: {kind}", data)
    if data.lstrip()[:16].lower().startswith(_HTML_START):
        return read_html(path, data)
    return read_txt(path, data)


def _read_stream(path: str, fmt: str, max_bytes: int) -> Iterator[RawDocument | Quarantined]:
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield _unreadable(path, exc)
        return
    with fh:
        try:
            if os.fstat(fh.fileno()).st_size == 0:
                yield quarantine(path, "empty", "empty file", b"")
            elif fmt == "jsonl":
                yield from read_jsonl(path, fh, max_bytes=max_bytes)
            else:
                yield from read_warc(path, fh, max_bytes=max_bytes)
        except OSError as exc:
            yield _unreadable(path, exc)


def read_path(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, known: frozenset[str] | set[str] = frozenset(),
              stamps: list | None = None) -> Iterator[RawDocument | KnownDocument | Quarantined]:
    """The documents (or quarantine records) of one file path.  A one-document file whose sha256 is
    in `known` is not decoded again: it comes back as a `KnownDocument` (a sighting).  With a
    `stamps` list, a one-document file read as a document adds (path, FileStamp taken before
    reading, document id) to it (see `file_stamps`)."""
    fmt = format_for(path)
    if fmt in ("jsonl", "warc"):
        yield from _read_stream(path, fmt, max_bytes)
        return
    stamp = stamp_of(path) if stamps is not None else None
    data = _read_small(path, max_bytes)
    if isinstance(data, Quarantined):
        yield data
        return
    doc_id = sha256_hex(data) if known else None  # hashed once, whether known or not
    if doc_id is not None and doc_id in known:
        item = KnownDocument(doc_id, path)
    elif fmt == "txt":
        item = read_txt(path, data, document_id=doc_id)
    elif fmt == "html":
        item = read_html(path, data, document_id=doc_id)
    else:
        item = _read_unknown(path, data)
    if stamp is not None and not isinstance(item, Quarantined):
        stamps.append((path, stamp, item.document_id))
    yield item


def read_files(
    files: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES, known: frozenset[str] | set[str] = frozenset(),
    stamps: list | None = None,
) -> Iterator[RawDocument | KnownDocument | Quarantined]:
    """Like `read_inputs`, for paths `discover` already expanded (absolute, final): no re-resolution."""
    for path in files:
        yield from read_path(path, max_bytes=max_bytes, known=known, stamps=stamps)


def read_inputs(
    paths: Sequence[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, known: frozenset[str] | set[str] = frozenset()
) -> Iterator[RawDocument | KnownDocument | Quarantined]:
    """Stream every input under `paths` (files, folders, globs) as documents or quarantine records
    (files whose bytes are in `known` as `KnownDocument`s)."""
    for path in iter_paths(paths):
        yield from read_path(path, max_bytes=max_bytes, known=known)
