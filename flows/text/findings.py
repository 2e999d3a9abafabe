"""Per-document data-quality findings (raw.findings → marts.fct_quality_flags).

`detect_findings` runs every check over one document and its `Understanding`; findings are data,
never failures.  The checks live in one module per family: `date_checks`, `chrome_checks`,
`encoding_checks`.
"""

from __future__ import annotations

import datetime as dt

from flows.text.chrome_checks import BlockIndex, chrome_findings
from flows.text.date_checks import build_context, date_findings, lowered
from flows.text.encoding_checks import encoding_findings
from flows.text.model import DocumentInput, Finding, Understanding

__all__ = ["detect_findings"]


def _as_utc(t: dt.datetime) -> dt.datetime:
    return t.replace(tzinfo=dt.timezone.utc) if t.tzinfo is None else t.astimezone(dt.timezone.utc)


def detect_findings(doc: DocumentInput, u: Understanding, *, now: dt.datetime) -> list[Finding]:
    """All findings for one document.  `now` (ingest time, UTC) stands in when `doc.fetched_at` is None."""
    index = BlockIndex(u.blocks)
    has_capture = doc.fetched_at is not None
    capture = _as_utc(doc.fetched_at if doc.fetched_at is not None else now)
    low = lowered(doc.text)
    ctx = build_context(doc.text, low, u, index, capture, has_capture)
    return date_findings(ctx) + chrome_findings(doc.text, low, u, index) + encoding_findings(doc.text)
