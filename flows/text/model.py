"""The data contract between the text stages.

Every offset (`char_start`, `char_end`) indexes the document's decoded text (`raw.documents.text`),
half-open, so ``text[char_start:char_end]`` is the evidence (SQL: ``substr(text, char_start + 1,
char_end - char_start)``).  Every extracted value names the `rule` that produced it and a
`confidence` in [0, 1].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Block labels (raw.blocks.label).  Content labels first, page chrome after.
CONTENT_LABELS = ("headline", "standfirst", "byline", "dateline", "timestamp", "caption", "body")
CHROME_LABELS = (
    "related",  # related-headline lists, "Next In World", "RELATED NEWS" and their items/teasers
    "navigation",  # menus, section labels, breadcrumbs, "TOP", login prompts
    "tags",  # tag lists, keywords
    "newsletter",  # newsletter / app / social / follow-us prompts
    "comments",  # comment prompts, community guidelines
    "copyright",  # copyright / legal / trademark footers, publisher credit lines
    "teaser",  # a duplicate of the headline or lede shown elsewhere on the page
    "ad",  # advertisement labels
    "metadata",  # stray metadata values (view counts, raw dates, ids) in page chrome
    "credit",  # reporting/editing credit lines "(Reporting by …)", trailing agency credit "Reuters"
    "other",  # anything else that is not body
)
BLOCK_LABELS = CONTENT_LABELS + CHROME_LABELS
# Labels whose characters count as article content in boilerplate_ratio.
NON_BOILERPLATE_LABELS = CONTENT_LABELS + ("credit",)

# Where a date candidate was found (raw.date_candidates.location).
DATE_LOCATIONS = (
    "header",  # top of page before the body (near headline)
    "byline",  # byline / timestamp line of the article
    "dateline",  # "SEOUL, Nov 12 (Reuters) -"
    "body",  # inside a body paragraph (usually an event date, not the publication date)
    "footer_metadata",  # raw metadata values after the body (e.g. Newsmax's 2024-01-11)
    "related",  # inside related lists / teasers / other chrome
    "url",  # the document URL (/2024/11/12/)
    "html_meta",  # <meta> tags / JSON-LD / a JSONL record's date field
    "capture",  # the capture time (WARC-Date, fetched_at): a bound, not a publication date
)
DATE_GRANULARITIES = ("datetime", "day", "month", "year", "relative")


@dataclass(slots=True)
class Block:
    """One line/paragraph of the document with its label."""

    block_index: int
    char_start: int
    char_end: int
    text: str
    label: str  # one of BLOCK_LABELS
    rule: str  # which rule or score chose the label
    confidence: float


@dataclass(slots=True)
class DateCandidate:
    char_start: int | None  # None for candidates that are not in the text (url, html_meta, capture)
    char_end: int | None
    text: str  # the date string as written
    location: str  # one of DATE_LOCATIONS
    granularity: str  # one of DATE_GRANULARITIES
    rule: str
    confidence: float
    value_date: dt.date | None = None  # local calendar date as written (None when unresolved)
    value_utc: dt.datetime | None = None  # UTC instant when a time (and zone) is given, tz-aware
    local_time: str | None = None  # "23:01" when a time was written
    tz_name: str | None = None  # "EST", "+09:00", "UTC" as written / resolved
    is_ambiguous: bool = False  # e.g. 06-11-2024 with no evidence to decide day/month order
    alternatives: tuple[dt.date, ...] = ()  # the readings of an ambiguous date
    is_relative: bool = False  # "2 days ago", "yesterday"
    block_index: int | None = None


@dataclass(slots=True)
class PublicationDate:
    value_date: dt.date | None
    value_utc: dt.datetime | None  # tz-aware UTC when a time was known
    local_form: str | None  # the text as written
    source: str  # e.g. "byline", "dateline", "url", "html_meta", "inferred_lower_bound", "none"
    confidence: float
    candidate_index: int | None  # index into the candidates list
    is_inferred: bool = False


@dataclass(slots=True)
class FieldValue:
    """One metadata value with its evidence (raw.fields)."""

    field: str  # headline, standfirst, author, wire_agency, dateline, publisher, language
    value: str
    char_start: int | None
    char_end: int | None
    rule: str
    confidence: float


@dataclass(slots=True)
class Metadata:
    headline: str | None = None
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    wire_agency: str | None = None  # canonical: "Reuters", "AFP", "AP", ...
    dateline: str | None = None  # city as written: "SEOUL"
    publisher: str | None = None
    language: str | None = None  # ISO 639-1
    fields: list[FieldValue] = field(default_factory=list)  # evidence for each value above


@dataclass(slots=True)
class Sentence:
    sentence_index: int
    block_index: int
    char_start: int
    char_end: int
    text: str


@dataclass(slots=True)
class Mention:
    """A named source/entity mention (raw.mentions)."""

    mention_index: int
    text: str  # as written
    canonical_name: str  # merged variant: "Volodymyr Zelensky", "KCNA"
    entity_type: str  # person, organisation, government, agency, media, place, group
    char_start: int
    char_end: int
    rule: str
    confidence: float


@dataclass(slots=True)
class Claim:
    claim_index: int
    claim_type: str  # quantity, event, quote, statement
    claim_text: str
    char_start: int
    char_end: int
    sentence_index: int | None
    rule: str
    confidence: float
    quantity_value: float | None = None
    quantity_low: float | None = None
    quantity_high: float | None = None
    quantity_unit: str | None = None  # object counted: troops, containers, people, usd ...
    qualifier: str | None = None  # as written: "more than", "up to", "around"
    attributed_to: str | None = None  # canonical source name
    attribution_text: str | None = None  # speaker as written
    attribution_verb: str | None = None  # said, according to, reported, citing ...
    event_verb: str | None = None  # ratify, sign, send, deploy, visit ...
    event_date: dt.date | None = None
    event_date_low: dt.date | None = None
    event_date_high: dt.date | None = None
    event_date_granularity: str | None = None  # day, week, month, year
    event_date_anchor: str | None = None  # what the relative date was resolved against
    subject: str | None = None  # who/what the claim is about (for clustering)


@dataclass(slots=True)
class DocumentInput:
    """What the understand stage gets for one document."""

    document_id: str
    text: str  # decoded text; offsets index this
    uri: str
    format: str  # txt, html, jsonl, warc
    url: str | None = None  # the page URL when known (jsonl/warc/html canonical)
    fetched_at: dt.datetime | None = None  # capture time when known (WARC-Date), tz-aware UTC
    hints: dict = field(default_factory=dict)  # reader hints: title, html meta dates, extracted body …


@dataclass(slots=True)
class Understanding:
    """Everything the understand stage derives from one document."""

    document_id: str
    blocks: list[Block]
    body_text: str
    boilerplate_ratio: float
    metadata: Metadata
    date_candidates: list[DateCandidate]
    published: PublicationDate
    sentences: list[Sentence]
    claims: list[Claim]
    mentions: list[Mention]


# Data-quality checks computed per document (raw.findings → marts.fct_quality_flags).
SEVERITIES = ("info", "warn", "error")


@dataclass(slots=True)
class Finding:
    check_name: str  # e.g. date_conflict, date_before_events, future_date, weekday_mismatch …
    severity: str  # one of SEVERITIES
    observed: str  # what was seen, short
    expected: str  # what a healthy article would show, short
    evidence: str  # the source text (both strings for a conflict), readable on its own
    rule: str
    char_start: int | None = None  # offsets of the main evidence in the document text
    char_end: int | None = None
    likely_cause: str | None = None  # e.g. day_month_swap, wrong_month, timezone
