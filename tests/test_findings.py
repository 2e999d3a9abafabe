"""Per-document quality findings on the seeds and on our own fixtures.

The Understandings here are built by hand (what a correct upstream produces), so these tests do not
depend on the accuracy of segment/dates/claims; `tests/test_findings_seeds.py` runs the real modules.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flows.text.date_checks import scan_date_mentions
from flows.text.findings import detect_findings
from flows.text.model import (
    Block,
    Claim,
    DateCandidate,
    DocumentInput,
    Metadata,
    PublicationDate,
    Understanding,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "articles"
FIXTURES = ROOT / "tests" / "resources" / "findings"
UTC = dt.timezone.utc
NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
EST = dt.timezone(dt.timedelta(hours=-5))


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def make_blocks(text: str, sections: list[tuple[str, str]], lines: dict[str, str] | None = None) -> list[Block]:
    """One block per non-empty line.  `sections` = (line prefix, label) in document order: each switches
    the label of that line and the following ones; `lines` overrides the label of single lines."""
    blocks: list[Block] = []
    label, pending, pos = "body", list(sections), 0
    for raw in text.splitlines(keepends=True):
        start, pos = pos, pos + len(raw)
        line = raw.strip()
        if not line:
            continue
        if pending and line.startswith(pending[0][0]):
            label = pending.pop(0)[1]
        this = next((lab for p, lab in (lines or {}).items() if line.startswith(p)), label)
        s = start + (len(raw) - len(raw.lstrip()))
        blocks.append(Block(len(blocks), s, s + len(line), line, this, "hand", 1.0))
    assert not pending, f"section prefixes not found: {pending}"
    return blocks


def cand(text: str, s: str, location: str, granularity: str, value: dt.date | None, *, nth: int = 0,
         **kw) -> DateCandidate:
    start = -1
    for _ in range(nth + 1):
        start = text.index(s, start + 1)
    return DateCandidate(start, start + len(s), s, location, granularity, "hand", 0.9, value_date=value, **kw)


def claim(text: str, s: str, **kw) -> Claim:
    start = text.index(s)
    return Claim(0, "event", s, start, start + len(s), None, "hand", 0.8, **kw)


def published(cands: list[DateCandidate], i: int | None, **kw) -> PublicationDate:
    if i is None:
        return PublicationDate(None, None, None, "none", 0.0, None)
    c = cands[i]
    return PublicationDate(c.value_date, c.value_utc, c.text, c.location, 0.9, i, **kw)


def understanding(text: str, blocks: list[Block], cands: list[DateCandidate], pub: PublicationDate,
                  claims: list[Claim] = (), ratio: float | None = None) -> Understanding:
    body = "\n\n".join(b.text for b in blocks if b.label == "body")
    if ratio is None:
        ratio = 1 - len(body) / max(1, len(text))
    return Understanding("doc", blocks, body, ratio, Metadata(), cands, pub, [], list(claims), [])


def run(text: str, u: Understanding, fetched_at: dt.datetime | None = None):
    doc = DocumentInput("doc", text, "mem://doc", "txt", fetched_at=fetched_at)
    return detect_findings(doc, u, now=NOW)


def names(findings) -> list[str]:
    return [f.check_name for f in findings]


# --- the five seeds, as a correct upstream would understand them -----------------------------
def seed_000() -> tuple[str, Understanding]:
    text = seed("000")
    blocks = make_blocks(text, [
        ("North Korea ratifies", "headline"), ("• World", "navigation"), ("• Tuesday", "timestamp"),
        ("FILE PHOTO", "caption"), ("SEOUL (Reuters)", "body"), ("(Reporting by", "credit"),
        ("Follow us", "newsletter"), ("Next In World", "related"),
    ])
    cands = [
        cand(text, "Tuesday, 12 Nov 2024", "header", "day", dt.date(2024, 11, 12)),
        # the caption's date sits above the body: even labelled "header" it must not count
        cand(text, "June 19, 2024", "header", "day", dt.date(2024, 6, 19)),
        cand(text, "in June", "body", "month", dt.date(2024, 6, 1)),
    ]
    claims = [claim(text, "North Korea has ratified a mutual defence treaty with Russia signed by the two "
                          "countries' leaders in June", event_date_low=dt.date(2024, 6, 1),
                    event_date_high=dt.date(2024, 6, 30), event_date_anchor="published 2024-11-12")]
    return text, understanding(text, blocks, cands, published(cands, 0), claims)


def seed_001() -> tuple[str, Understanding]:
    text = seed("001")
    blocks = make_blocks(text, [
        ("date 2024-11-10", "metadata"), ("Putin signs", "headline"), ("Accord calls", "standfirst"),
        ("10 November 2024", "timestamp"), ("by Agency Staff", "byline"), ("Russia's President", "caption"),
        ("Russian President Vladimir Putin signed", "body"), ("Reuters", "credit"),
        ("Putin says Russia", "related"),
    ])
    cands = [
        cand(text, "2024-11-10", "header", "day", dt.date(2024, 11, 10)),
        cand(text, "10 November 2024 - 14:13", "byline", "datetime", dt.date(2024, 11, 10), local_time="14:13"),
        cand(text, "June 19 2024", "body", "day", dt.date(2024, 6, 19)),
    ] + [cand(text, s, "related", "relative", None, nth=n, is_relative=True)
         for s, n in (("2 days ago", 0), ("2 days ago", 1), ("4 days ago", 0), ("6 days ago", 0))]
    return text, understanding(text, blocks, cands, published(cands, 1))


def seed_002(inferred: bool = False) -> tuple[str, Understanding]:
    text = seed("002")
    blocks = make_blocks(text, [
        ("North Korea ratifies", "headline"), ("Anh Vũ |", "byline"), ("North Korea has ratified", "standfirst"),
        ("On November 12", "body"), ("Anh Vũ", "byline"), ("RELATED NEWS", "related"),
    ])
    cands = [
        cand(text, "November 12", "body", "day", None),
        cand(text, "June 2024", "body", "month", dt.date(2024, 6, 1)),
        cand(text, "November 11", "body", "day", None),
        cand(text, "February 13", "related", "day", None),
    ]
    if inferred:
        pub = PublicationDate(dt.date(2024, 11, 12), None, "November 12", "inferred_lower_bound", 0.3, 0,
                              is_inferred=True)
    else:
        pub = published(cands, None)
    return text, understanding(text, blocks, cands, pub)


def seed_003() -> tuple[str, Understanding]:
    text = seed("003")
    blocks = make_blocks(text, [
        ("Kim Jong Un welcomed", "caption"), ("AFP: North Korea", "body"), ("-", "navigation"),
        ("- 12 November 2024", "metadata"), ("In World", "related"), ("Leave a review", "comments"),
    ], lines={"- Politics": "navigation"})
    cands = [
        cand(text, "12 November 2024 10:05", "footer_metadata", "datetime", dt.date(2024, 11, 12), local_time="10:05"),
        cand(text, "March 2024", "related", "month", dt.date(2024, 3, 1)),
        cand(text, "October 2023", "related", "month", dt.date(2023, 10, 1)),
    ]
    return text, understanding(text, blocks, cands, published(cands, 0))


def seed_004() -> tuple[str, Understanding]:
    text = seed("004")
    blocks = make_blocks(text, [
        ("Tags:", "tags"), ("North Korea Ratifies", "headline"), ("North Korea Ratifies", "teaser"),
        ("Monday, 11 November 2024 11:01 PM EST", "timestamp"), ("SEOUL, South Korea (AP)", "body"),
        ("Copyright 2024", "copyright"), ("GlobalTalk", "related"), ("North Korea ratified", "teaser"),
        ("north korea russia", "tags"), ("359", "metadata"), ("Newsmax Media, Inc.", "copyright"),
        ("Sign up for", "newsletter"), ("Join the Newsmax", "comments"), ("TOP", "navigation"),
        ("Newsmax, Moneynews", "copyright"),
    ])
    cands = [
        cand(text, "Monday, 11 November 2024 11:01 PM EST", "byline", "datetime", dt.date(2024, 11, 11),
             value_utc=dt.datetime(2024, 11, 12, 4, 1, tzinfo=UTC), local_time="23:01", tz_name="EST"),
        cand(text, "2024-01-11", "footer_metadata", "day", dt.date(2024, 1, 11)),
        cand(text, "Monday, 11 November 2024 11:01 PM", "footer_metadata", "datetime", dt.date(2024, 11, 11),
             nth=1, local_time="23:01"),
        cand(text, "since August 2023", "body", "month", dt.date(2023, 8, 1)),
    ]
    claims = [claim(text, "Russia had completed the ratification of the treaty last week after it was signed "
                          "by Russian President Vladimir Putin and North Korean leader Kim Jong Un in June.",
                    event_verb="sign", event_date_low=dt.date(2024, 6, 1), event_date_high=dt.date(2024, 6, 30),
                    event_date_granularity="month", event_date_anchor="published 2024-11-11")]
    return text, understanding(text, blocks, cands, published(cands, 0), claims)


def test_seed_004_newsmax_conflict_and_date_before_events():
    text, u = seed_004()
    found = run(text, u)
    assert names(found) == ["date_conflict", "date_before_events"]
    conflict, before = found
    assert conflict.evidence == "metadata '2024-01-11' vs byline 'Monday, 11 November 2024 11:01 PM EST'"
    assert text[conflict.char_start:conflict.char_end] == "2024-01-11"
    # year and day agree; the month "01" is the minute of 11:01 (a yyyy-mm-dd pattern with mm = minutes)
    assert conflict.likely_cause == "minute_as_month"
    assert conflict.severity == "warn"
    assert "'2024-01-11'" in before.evidence and "in June" in before.evidence and "2024-06" in before.evidence
    assert text[before.char_start:before.char_end] == "2024-01-11"


def test_seed_004_without_claims_still_dates_events_from_the_body_text():
    text, u = seed_004()
    u.claims = []
    found = run(text, u)
    assert names(found) == ["date_conflict", "date_before_events"]
    assert "2024-06" in found[1].evidence


def test_seed_002_missing_date_and_later_dated_chrome():
    text, u = seed_002()
    found = run(text, u)
    assert names(found) == ["missing_publication_date", "later_dated_chrome"]
    chrome = found[1]
    assert "'February 13'" in chrome.evidence and "2025-02-13" in chrome.observed
    assert text[chrome.char_start:chrome.char_end] == "February 13"
    assert chrome.severity == "info"


def test_seed_002_inferred_date_and_later_dated_chrome():
    text, u = seed_002(inferred=True)
    assert names(run(text, u)) == ["inferred_publication_date", "later_dated_chrome"]


def test_seed_001_relative_chrome_dates_without_capture_time():
    text, u = seed_001()
    found = run(text, u)
    assert names(found) == ["unresolved_relative_date"]
    assert found[0].evidence.startswith("'2 days ago', '2 days ago', '4 days ago'")
    assert "4 relative" in found[0].observed
    assert text[found[0].char_start:found[0].char_end] == "2 days ago"


def test_seed_001_capture_time_resolves_relative_dates():
    text, u = seed_001()
    assert run(text, u, fetched_at=dt.datetime(2024, 11, 12, 8, tzinfo=UTC)) == []


def test_seed_001_relative_dates_found_in_chrome_even_without_candidates():
    text, u = seed_001()
    u.date_candidates = u.date_candidates[:3]
    found = run(text, u)
    assert names(found) == ["unresolved_relative_date"] and "4 relative" in found[0].observed


@pytest.mark.parametrize("make", [seed_000, seed_001, seed_003])
def test_no_date_conflict_on_consistent_seeds(make):
    text, u = make()
    assert "date_conflict" not in names(run(text, u))


@pytest.mark.parametrize("make", [seed_000, seed_003])
def test_clean_seeds_have_no_findings(make):
    text, u = make()
    assert run(text, u) == []


# --- date_conflict ----------------------------------------------------------------------------
def test_day_month_swap_conflict():
    text = fixture("conflict_swap.txt")
    blocks = make_blocks(text, [("Port authority", "headline"), ("date 2024", "metadata"),
                                ("3 November", "timestamp"), ("by Staff", "byline"), ("The port", "body")])
    cands = [cand(text, "2024-03-11", "header", "day", dt.date(2024, 3, 11)),
             cand(text, "3 November 2024 - 09:40", "byline", "datetime", dt.date(2024, 11, 3), local_time="09:40")]
    found = run(text, understanding(text, blocks, cands, published(cands, 1)))
    assert names(found) == ["date_conflict"]
    assert found[0].likely_cause == "day_month_swap"
    assert found[0].evidence == "header '2024-03-11' vs byline '3 November 2024 - 09:40'"


def test_wrong_year_conflict():
    text = fixture("conflict_swap.txt").replace("2024-03-11", "2023-11-03")
    blocks = make_blocks(text, [("Port authority", "headline"), ("date 2023", "metadata"),
                                ("3 November", "timestamp"), ("by Staff", "byline"), ("The port", "body")])
    cands = [cand(text, "2023-11-03", "header", "day", dt.date(2023, 11, 3)),
             cand(text, "3 November 2024 - 09:40", "byline", "datetime", dt.date(2024, 11, 3), local_time="09:40")]
    found = run(text, understanding(text, blocks, cands, published(cands, 1)))
    assert names(found) == ["date_conflict"] and found[0].likely_cause == "wrong_year"


def test_utc_vs_local_date_around_midnight_is_not_a_conflict():
    text = fixture("conflict_midnight.txt")
    blocks = make_blocks(text, [("Storm closes", "headline"), ("Sunday, 10", "timestamp"), ("Heavy rain", "body")])
    cands = [
        cand(text, "Sunday, 10 November 2024 11:40 PM EST", "byline", "datetime", dt.date(2024, 11, 10),
             value_utc=dt.datetime(2024, 11, 11, 4, 40, tzinfo=UTC), local_time="23:40", tz_name="EST"),
        DateCandidate(None, None, "2024-11-11T04:40:00Z", "html_meta", "datetime", "hand", 0.9,
                      value_date=dt.date(2024, 11, 11), value_utc=dt.datetime(2024, 11, 11, 4, 40, tzinfo=UTC)),
        DateCandidate(None, None, "/2024/11/11/", "url", "day", "hand", 0.8, value_date=dt.date(2024, 11, 11)),
    ]
    assert run(text, understanding(text, blocks, cands, published(cands, 0))) == []


def test_ambiguous_candidate_matching_in_one_reading_is_not_a_conflict():
    text = fixture("conflict_swap.txt").replace("2024-03-11", "03/11/2024")
    blocks = make_blocks(text, [("Port authority", "headline"), ("date 03", "metadata"),
                                ("3 November", "timestamp"), ("by Staff", "byline"), ("The port", "body")])
    cands = [cand(text, "03/11/2024", "header", "day", dt.date(2024, 3, 11), is_ambiguous=True,
                  alternatives=(dt.date(2024, 3, 11), dt.date(2024, 11, 3))),
             cand(text, "3 November 2024 - 09:40", "byline", "datetime", dt.date(2024, 11, 3))]
    assert run(text, understanding(text, blocks, cands, published(cands, 1))) == []


# --- date_before_events -----------------------------------------------------------------------
def _visit(name: str) -> tuple[str, Understanding]:
    text = fixture(name)
    blocks = make_blocks(text, [("Minister", "headline"), ("2 March 2024", "timestamp"), ("The foreign", "body")])
    cands = [cand(text, "2 March 2024", "byline", "day", dt.date(2024, 3, 2))]
    return text, understanding(text, blocks, cands, published(cands, 0))


def test_publication_date_before_explicitly_dated_past_event():
    text, u = _visit("events_past.txt")
    found = run(text, u)
    assert names(found) == ["date_before_events"]
    assert "byline '2 March 2024'" in found[0].evidence and "June 2024" in found[0].evidence
    assert found[0].likely_cause == "wrong_publication_date"


def test_future_events_do_not_count():
    text, u = _visit("events_future.txt")
    assert run(text, u) == []


def test_future_claim_does_not_count():
    text, u = _visit("events_future.txt")
    u.claims = [claim(text, "the president will visit Hanoi in June 2024", event_date=dt.date(2024, 6, 1))]
    assert run(text, u) == []


# --- future_date ------------------------------------------------------------------------------
def test_future_date_after_capture_time():
    text, u = _visit("events_future.txt")
    found = run(text, u, fetched_at=dt.datetime(2024, 2, 20, tzinfo=UTC))
    assert names(found) == ["future_date"]
    assert found[0].severity == "error" and text[found[0].char_start:found[0].char_end] == "2 March 2024"


def test_date_one_day_after_capture_is_tolerated():
    text, u = _visit("events_future.txt")
    assert run(text, u, fetched_at=dt.datetime(2024, 3, 1, 20, tzinfo=UTC)) == []


def test_future_date_uses_now_without_capture_time():
    text, u = _visit("events_future.txt")
    doc = DocumentInput("doc", text, "mem://doc", "txt")
    found = detect_findings(doc, u, now=dt.datetime(2024, 1, 5, tzinfo=UTC))
    assert names(found) == ["future_date"] and "ingest time" in found[0].observed


# --- weekday_mismatch -------------------------------------------------------------------------
def test_weekday_mismatch_in_three_languages():
    text = fixture("weekday.txt")
    blocks = make_blocks(text, [("City council", "headline"), ("Monday", "timestamp"), ("The council", "body")])
    pub_cand = [cand(text, "Tuesday, 12 Nov 2024", "byline", "day", dt.date(2024, 11, 12))]
    found = run(text, understanding(text, blocks, pub_cand, published(pub_cand, 0)))
    assert names(found) == ["weekday_mismatch"] * 3
    evidence = [f.evidence for f in found]
    assert evidence == ["Monday, 12 November 2024", "Montag, 12. November 2024", "martes, 11 de noviembre de 2024"]
    assert "Tuesday" in found[0].observed


def test_weekday_from_candidate_text():
    text = "Storm report\nMonday, 12 November 2024 10:00\nRain fell all day.\n"
    blocks = make_blocks(text, [("Storm", "headline"), ("Monday", "timestamp"), ("Rain", "body")])
    cands = [cand(text, "Monday, 12 November 2024 10:00", "byline", "datetime", dt.date(2024, 11, 12))]
    found = run(text, understanding(text, blocks, cands, published(cands, 0)))
    assert names(found) == ["weekday_mismatch"] and found[0].char_start == 13


# --- boilerplate_in_body ----------------------------------------------------------------------
def test_boilerplate_patterns_teaser_and_claim_from_chrome():
    text = fixture("boilerplate.txt")
    blocks = make_blocks(text, [("Factory output rises", "headline"), ("LONDON", "body"),
                                ("RELATED STORIES", "related")])
    u = understanding(text, blocks, [], PublicationDate(dt.date(2024, 11, 4), None, None, "url", 0.8, None),
                      claims=[claim(text, "Exporters cut prices to win back orders, with 3,000 jobs added")])
    found = [f for f in run(text, u) if f.check_name == "boilerplate_in_body"]
    causes = [(f.likely_cause, f.rule.rsplit(".", 1)[-1]) for f in found]
    assert causes == [("chrome_pattern", "follow_prompt"), ("chrome_pattern", "rights_reserved"),
                      ("teaser_duplicate", "teaser_duplicate"), ("claim_from_chrome", "claim_from_chrome")]
    assert text[found[2].char_start:found[2].char_end].endswith("new orders from...")
    assert "related" in found[3].observed


def test_clean_body_mentioning_newsletters_and_copyright_has_no_boilerplate():
    text = fixture("clean_body.txt")
    blocks = make_blocks(text, [("Publishers test", "headline"), ("Several", "body")])
    u = understanding(text, blocks, [], PublicationDate(dt.date(2024, 11, 5), None, None, "url", 0.8, None))
    assert run(text, u) == []


def test_short_body_on_a_long_page_and_high_boilerplate_ratio():
    text = seed("002")
    blocks = make_blocks(text, [("North Korea ratifies", "headline"), ("Anh Vũ |", "body"),
                                ("North Korea has ratified", "related")])
    u = understanding(text, blocks, [], PublicationDate(dt.date(2024, 11, 12), None, None, "url", 0.8, None))
    found = [f for f in run(text, u) if f.check_name == "boilerplate_in_body"]
    assert [(f.severity, f.likely_cause) for f in found] == [("warn", "short_body"), ("info", "high_boilerplate_ratio")]


# --- encoding_damage --------------------------------------------------------------------------
def test_mojibake_and_replacement_characters():
    text = fixture("encoding_damaged.txt")
    blocks = make_blocks(text, [("Caf", "headline"), ("The owners", "body")])
    u = understanding(text, blocks, [], PublicationDate(dt.date(2024, 11, 5), None, None, "url", 0.8, None))
    found = run(text, u)
    assert names(found) == ["encoding_damage", "encoding_damage"]
    moji, fffd = found
    assert text[moji.char_start:moji.char_end] == "Ã\u0083Â©" or text[moji.char_start:moji.char_end] == "Ã©"
    assert "3 mojibake" in moji.observed
    assert fffd.likely_cause == "undecodable_bytes" and "S\ufffdo Paulo" in fffd.evidence


def test_accented_text_is_not_mojibake():
    text = fixture("encoding_clean.txt")
    blocks = make_blocks(text, [("Café", "headline"), ("NÃO", "body")])
    u = understanding(text, blocks, [], PublicationDate(dt.date(2024, 11, 5), None, None, "url", 0.8, None))
    assert run(text, u) == []


# --- scanner and speed ------------------------------------------------------------------------
def test_scanner_reads_multilingual_dates_and_skips_modal_may():
    found = [(m.text, m.month, m.day, m.year) for m in scan_date_mentions(
        "It may rain. Signed in June, on 12. November 2024, em 3 de março de 2023, since August 2023, "
        "on Nov. 4, and 2024-01-11.")]
    assert found == [("in June", 6, None, None), ("12. November 2024", 11, 12, 2024),
                     ("3 de março de 2023", 3, 3, 2023), ("since August 2023", 8, None, 2023),
                     ("Nov. 4", 11, 4, None), ("2024-01-11", 1, 11, 2024)]
