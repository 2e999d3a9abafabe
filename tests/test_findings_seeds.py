"""Findings on the five seeds through the real understand modules (segment, dates, metadata, claims,
body).  `tests/test_findings.py` checks the same cases on hand-built Understandings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flows.text.findings import detect_findings
from flows.text.model import DocumentInput
from flows.understand import understand_document

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "articles"
NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


def findings_for(prefix: str, fetched_at: dt.datetime | None = None):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    doc = DocumentInput(path.stem, text, path.as_uri(), "txt", fetched_at=fetched_at)
    return text, detect_findings(doc, understand_document(doc), now=NOW)


def test_newsmax_metadata_date_conflicts_and_precedes_events():
    text, found = findings_for("004")
    names = [f.check_name for f in found]
    assert names.count("date_conflict") == 1 and names.count("date_before_events") == 1
    conflict = next(f for f in found if f.check_name == "date_conflict")
    assert "'2024-01-11'" in conflict.evidence and "'Monday, 11 November 2024 11:01 PM EST'" in conflict.evidence
    assert text[conflict.char_start:conflict.char_end] == "2024-01-11"
    before = next(f for f in found if f.check_name == "date_before_events")
    assert "'2024-01-11'" in before.evidence


def test_vietnamese_page_has_no_stated_date_and_later_dated_related_news():
    text, found = findings_for("002")
    names = [f.check_name for f in found]
    assert ("missing_publication_date" in names) != ("inferred_publication_date" in names)
    chrome = next(f for f in found if f.check_name == "later_dated_chrome")
    assert text[chrome.char_start:chrome.char_end] == "February 13"


def test_businesslive_relative_dates_unresolved_without_capture_time():
    _, found = findings_for("001")
    assert [f.check_name for f in found].count("unresolved_relative_date") == 1
    _, found = findings_for("001", fetched_at=dt.datetime(2024, 11, 12, tzinfo=dt.timezone.utc))
    assert "unresolved_relative_date" not in [f.check_name for f in found]


@pytest.mark.parametrize("prefix", ["000", "001", "003"])
def test_no_date_conflict_on_consistent_seeds(prefix):
    _, found = findings_for(prefix)
    assert "date_conflict" not in [f.check_name for f in found]
    assert "date_before_events" not in [f.check_name for f in found]
