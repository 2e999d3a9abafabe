"""The JSONL reader: one record per line → one document; a bad line is quarantined, the rest load.

A record is a JSON object with ``text`` (or ``content`` / ``body`` / ``article``) and/or ``html``
(or ``raw_html``); text wins when both are present, html is rendered as in `html.py`.  Optional:
``url`` (or ``link``/``source_url``), ``title``, ``author``/``authors``, a date (``date``, ``published``, ``published_at``, ...:
all reported in hints ``meta_dates``, the first as ``date``) and a capture time (``fetched_at``,
``crawled_at``, ... → `fetched_at`, UTC).  raw_bytes is the line without its line break; the uri is
``<file>#line=N`` (1-based, RFC 5147 style).  Blank lines are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator

from .decode import DecodeError, decode_bytes
from .document import Quarantined, RawDocument, parse_iso_utc, quarantine, sha256_hex
from .html import HtmlError, analyse_html

TEXT_KEYS = ("text", "content", "body", "article", "maintext")
HTML_KEYS = ("html", "raw_html", "raw_content")
DATE_KEYS = ("date", "published", "published_at", "publish_date", "date_published", "datePublished", "pubdate")
FETCH_KEYS = ("fetched_at", "crawled_at", "fetch_time", "crawl_time", "retrieved_at", "downloaded_at")
TITLE_KEYS = ("title", "headline")
URL_KEYS = ("url", "link", "source_url", "canonical_url")
AUTHOR_KEYS = ("author", "authors", "byline")


def parse_timestamp(value: object) -> dt.datetime | None:
    """ISO-8601 string or epoch seconds/milliseconds → tz-aware UTC datetime (naive taken as UTC)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    return parse_iso_utc(value)


def _first_str(record: dict, keys: tuple[str, ...]) -> tuple[str, str] | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return key, value
    return None


def _authors(record: dict) -> str | None:
    for key in AUTHOR_KEYS:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, list):
            names = [v.strip() for v in value if isinstance(v, str) and v.strip()]
            if names:
                return ", ".join(names)
    return None


def _where(uri: str, lineno: int) -> str:
    return f"{uri.rpartition('#')[0]}, line {lineno}"


def record_document(uri: str, line: bytes, lineno: int) -> RawDocument | Quarantined:
    """One JSONL line → a document, or a quarantine naming the file and line number."""
    try:
        decoded, encoding = decode_bytes(line)
        record = json.loads(decoded)
    except DecodeError as exc:
        return quarantine(uri, "malformed_json", str(exc), line, where=_where(uri, lineno))
    except ValueError as exc:
        return quarantine(uri, "malformed_json", f"not valid JSON ({exc})", line, where=_where(uri, lineno))
    if not isinstance(record, dict):
        problem = f"a JSON {type(record).__name__}, not an object"
        return quarantine(uri, "malformed_json", problem, line, where=_where(uri, lineno))
    url_field = _first_str(record, URL_KEYS)
    url = url_field[1].strip() if url_field else None
    hints: dict = {}
    text_field = _first_str(record, TEXT_KEYS)
    html_field = _first_str(record, HTML_KEYS)
    if text_field:
        text = text_field[1]
    elif html_field:
        try:
            text, hints = analyse_html(html_field[1], url)
        except HtmlError as exc:
            return quarantine(uri, exc.reason, str(exc), line, where=_where(uri, lineno))
    else:
        if any(isinstance(record.get(k), str) for k in TEXT_KEYS + HTML_KEYS):
            return quarantine(uri, "empty", "the record's text is empty", line, where=_where(uri, lineno))
        problem = "the record has neither text nor html"
        return quarantine(uri, "malformed_json", problem, line, where=_where(uri, lineno))
    title = _first_str(record, TITLE_KEYS)
    if title:
        hints["title"] = title[1].strip()
    author = _authors(record)
    if author:
        hints["author"] = author
    dates = [(k, record[k].strip()) for k in DATE_KEYS if isinstance(record.get(k), str) and record[k].strip()]
    if dates:
        hints["meta_dates"] = dates + [d for d in hints.get("meta_dates", []) if d not in dates]
        hints["date"] = dates[0][1]
    fetched_at = next((t for k in FETCH_KEYS if (t := parse_timestamp(record.get(k))) is not None), None)
    return RawDocument(
        sha256_hex(line), uri, line, "jsonl", text, encoding, url or hints.get("canonical_url"), fetched_at, hints
    )


def read_jsonl(path: str, lines: Iterable[bytes], *, max_bytes: int) -> Iterator[RawDocument | Quarantined]:
    """Stream the records of one JSONL file given its (binary) lines."""
    blank = True
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            continue
        blank = False
        uri = f"{path}#line={lineno}"
        if len(line) > max_bytes:
            problem = f"{len(line):,} bytes, over the limit of {max_bytes:,} bytes"
            yield quarantine(uri, "oversized", problem, None, len(line), where=_where(uri, lineno))
            continue
        yield record_document(uri, line, lineno)
    if blank:
        yield quarantine(path, "empty", "no JSONL records (empty or blank lines only)", b"")
