"""The WARC reader (.warc, .warc.gz, via warcio): HTML/text responses → documents.

* ``response`` (status 2xx) and ``resource`` records whose Content-Type is HTML (``text/html``,
  ``application/xhtml+xml``) or plain text become documents; a record without a Content-Type is
  sniffed.  Every other record (warcinfo, request, metadata, revisit, images, redirects, errors) is
  skipped, not quarantined.
* raw_bytes is the HTTP payload with transfer/content encoding (chunked, gzip) undone, i.e. the page's
  bytes as served; so the same page read from a .html file gets the same document_id.
* uri is ``<file>#offset=N``, N the record's byte offset in the (compressed) file; url is
  WARC-Target-URI, fetched_at WARC-Date (UTC); the charset comes from the HTTP Content-Type, else
  ``<meta>``, else detection.
* A truncated or corrupt WARC yields the records before the damage and one ``malformed_warc``
  quarantine for the rest (with the remaining bytes when they fit in max_bytes).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from typing import BinaryIO

from .document import Quarantined, RawDocument, parse_iso_utc, quarantine
from .html import read_html
from .txt import read_txt

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_SNIFF_HTML = re.compile(rb"^\s*<(!doctype\s+html|html|head|body)", re.I)


def _warc_date(value: str | None) -> dt.datetime | None:
    return parse_iso_utc(value) if value else None


def _kind(content_type: str, payload: bytes) -> str | None:
    """"html", "text" or None (skip) for a payload of `content_type`."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in HTML_TYPES:
        return "html"
    if media in TEXT_TYPES:
        return "text"
    if not media:
        return "html" if _SNIFF_HTML.match(payload[:1024]) else None
    return None


class _DamagedMember(EOFError):
    """A gzip member that ended before its gzip trailer (warcio reads such a member silently)."""

    def __init__(self, offset: int) -> None:
        super().__init__("gzip member truncated or corrupt")
        self.offset = offset


def _check_member(member, offset: int) -> None:  # noqa: ANN001 - a zlib decompressor or None
    if member is not None and hasattr(member, "eof") and not member.eof:
        raise _DamagedMember(offset)


def _wanted_content_type(record) -> str | None:  # noqa: ANN001 - warcio's ArcWarcRecord
    """The Content-Type of a record to read (2xx response / resource, HTML or text), None to skip it."""
    if record.rec_type not in ("response", "resource"):
        return None
    if record.rec_type == "response":
        status = record.http_headers.get_statuscode() if record.http_headers else None
        if not status or not status.startswith("2"):
            return None
    headers = record.http_headers or record.rec_headers
    content_type = headers.get_header("Content-Type", "") or ""
    media = content_type.split(";", 1)[0].strip().lower()
    return content_type if not media or media in HTML_TYPES + TEXT_TYPES else None


def _drain(record) -> None:  # noqa: ANN001 - warcio's ArcWarcRecord
    """Read the rest of the record; raise EOFError when the file ends before the record does."""
    while record.raw_stream.read(65536):
        pass
    missing = getattr(record.raw_stream, "limit", 0)  # a LimitReader when the record has a Content-Length
    if missing > 0:
        raise EOFError(f"record truncated: {missing:,} bytes missing")


def _file_size(fh: BinaryIO) -> int | None:
    try:
        return os.fstat(fh.fileno()).st_size
    except (OSError, ValueError):
        return None


def _rest(path: str, fh: BinaryIO, offset: int, max_bytes: int) -> tuple[bytes | None, int | None]:
    """The file's bytes from `offset` to the end (None when more than max_bytes)."""
    try:
        size = os.fstat(fh.fileno()).st_size - offset
        if size > max_bytes:
            return None, size
        fh.seek(offset)
        return fh.read(), size
    except (OSError, ValueError):
        return None, None


def read_warc(path: str, fh: BinaryIO, *, max_bytes: int) -> Iterator[RawDocument | Quarantined]:
    """Stream the documents of one open WARC file (see the module docstring)."""
    from warcio.archiveiterator import ArchiveIterator  # imported when a WARC is read

    records = ArchiveIterator(fh)
    offset = 0
    member = None  # the gzip member (zlib decompressor) of the previous record, .warc.gz only
    try:
        for record in records:
            _check_member(member, offset)
            offset = records.offset
            member = getattr(records.reader, "decompressor", None)
            if record.format != "warc":  # warcio falls back to ARC parsing on anything else
                raise ValueError("no WARC record header here")
            if record.length is None:  # Content-Length is mandatory: the header block was cut
                raise EOFError("record header incomplete (no Content-Length)")
            content_type = _wanted_content_type(record)
            if content_type is None:
                _drain(record)
                continue
            payload = record.content_stream().read(max_bytes + 1)
            _drain(record)
            uri = f"{path}#offset={offset}"
            if len(payload) > max_bytes:
                yield quarantine(uri, "oversized", f"record payload over the limit of {max_bytes:,} bytes", None, None)
                continue
            kind = _kind(content_type, payload)
            if kind is None:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            fetched_at = _warc_date(record.rec_headers.get_header("WARC-Date"))
            if kind == "html":
                charset = _CHARSET.search(content_type)
                yield read_html(
                    uri, payload, fmt="warc", url=url, fetched_at=fetched_at, charset=charset and charset.group(1)
                )
            else:
                doc = read_txt(uri, payload, fmt="warc")
                if isinstance(doc, RawDocument):
                    doc.url, doc.fetched_at = url, fetched_at
                yield doc
        _check_member(member, offset)
        end = _file_size(fh)
        if end is not None and records.offset < end:
            raise EOFError("data after the last complete record is not a readable WARC record")
    except Exception as exc:  # noqa: BLE001 - warcio/zlib raise many types; all mean a damaged file
        damaged = exc.offset if isinstance(exc, _DamagedMember) else max(records.offset, offset)
        rest, size = _rest(path, fh, damaged, max_bytes)
        yield quarantine(
            f"{path}#offset={damaged}", "malformed_warc",
            f"corrupt or truncated WARC from byte {damaged:,} ({type(exc).__name__}: {exc})".rstrip(), rest, size,
        )
