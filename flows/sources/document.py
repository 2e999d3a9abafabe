"""What the readers yield: one `RawDocument` per readable page, one `Quarantined` per failure."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

FORMATS = ("txt", "html", "jsonl", "warc")
QUARANTINE_REASONS = (
    "empty",  # no bytes, or only whitespace
    "binary",  # NUL bytes, control characters or a known binary magic number
    "undecodable",  # no encoding gives sensible text
    "oversized",  # larger than max_bytes (the bytes are not kept)
    "unreadable",  # missing path, no file matches a glob, permission denied, I/O error
    "malformed_json",  # a JSONL line that is not a JSON object or has neither text nor html
    "malformed_warc",  # a truncated / corrupt WARC: everything from the damage on
    "malformed_html",  # HTML that lxml cannot parse at all
    "no_text",  # HTML (or a record) that renders to no text
    "unsupported",  # an unknown extension whose content is not text
)


@dataclass(slots=True)
class RawDocument:
    """One input page: the bytes as given plus the decoded text every later offset indexes."""

    document_id: str  # sha256 hex of raw_bytes
    uri: str  # absolute file path, + "#line=N" (JSONL, 1-based) / "#offset=N" (WARC record byte offset)
    raw_bytes: bytes  # the bytes exactly as given (file / JSONL line / WARC HTTP payload)
    format: str  # one of FORMATS
    text: str  # decoded text (HTML rendered one block per line); all char offsets index this
    encoding: str  # "utf-8", "windows-1252", "iso-8859-1", "utf-16", ...
    url: str | None = None  # page URL when known
    fetched_at: dt.datetime | None = None  # capture time, tz-aware UTC
    hints: dict = field(default_factory=dict)  # title, meta_dates, body, author, date (only keys found)


@dataclass(slots=True)
class KnownDocument:
    """A file whose bytes the warehouse already holds: only the sighting is recorded, nothing is decoded."""

    document_id: str  # sha256 hex of the file's bytes
    uri: str


@dataclass(slots=True)
class Quarantined:
    """An input that could not become a document; kept (with its bytes when readable) so nothing disappears."""

    uri: str
    reason: str  # one of QUARANTINE_REASONS
    error: str  # one human line naming the file and the problem
    raw_bytes: bytes | None  # None when unreadable or oversized
    size_bytes: int | None


def sha256_hex(data: bytes) -> str:
    """The document id of `data`."""
    return hashlib.sha256(data).hexdigest()


def display_name(uri: str) -> str:
    """`uri` safe for a one-line message: control characters (newlines in file names) escaped."""
    if uri.isprintable():
        return uri
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in uri)


def quarantine(
    uri: str, reason: str, problem: str, raw_bytes: bytes | None, size: int | None = None, *, where: str | None = None
) -> Quarantined:
    """Build a `Quarantined` whose error line names the input (`where`, default the uri) and the problem."""
    if size is None and raw_bytes is not None:
        size = len(raw_bytes)
    return Quarantined(uri, reason, f"{display_name(where or uri)}: {problem}", raw_bytes, size)


def parse_iso_utc(value: str) -> dt.datetime | None:
    """An ISO-8601 timestamp as tz-aware UTC (naive ones are taken as UTC); None when unparseable."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)
