"""Article metadata with evidence: headline, standfirst, authors, wire agency, dateline, publisher, language.

``extract_metadata`` works with labelled blocks from ``flows.text.segment`` and with unlabelled ones
(every block ``body``/``other``, or no blocks at all: then each line is a block).  Labels narrow where
each detector looks; without them the zones come from paragraph length:

* lead   — the first body paragraphs (and what precedes them): datelines, ``AFP:`` prefixes;
* header — the blocks before the first body paragraph, plus any ``byline`` block: bylines;
* tail   — the last body paragraphs and the few lines after them, plus ``credit`` blocks: trailing
  agency credits, ``(Reporting by …)``;
* footer — everything after the first body paragraph that is short: copyright / trademark lines.
Related lists and teasers are never searched, so other stories' credits do not leak in; navigation is
skipped in the lead and header only (strict tail/footer patterns may find a mislabelled credit there).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import regex

from flows.text.agencies import (
    AgencyCredit,
    Dateline,
    choose_agency,
    find_copyright_credit,
    find_dateline,
    find_photo_credits,
    find_plain_dateline,
    find_reuters_credit,
    find_trailing_credit,
)
from flows.text.bylines import Credit, find_byline, find_reporting_credits
from flows.text.language import MAX_CHARS, classify_language
from flows.text.model import Block, FieldValue, Metadata
from flows.text.publisher import PublisherCredit, choose_publisher, find_publisher_credits, publisher_from_url

_LINE = regex.compile(r"[^\s](?:[^\n]*[^\s])?")
_LONG = 150  # a block this long that ends a sentence is a paragraph when there are no labels
_TERMINAL = frozenset(".!?\"”’)…»")
_DATEISH = regex.compile(r"\d{1,4}[./:-]\d{1,2}|\b\d{1,2}\.?\s+\p{L}{3,}|\b\p{L}{3,}\.?\s+\d{1,2}\b|\b(?:19|20)\d\d\b")
_SENTENCE_END = frozenset(".!?\"”’…»")
_NEVER = frozenset({"related", "navigation", "teaser", "tags", "newsletter", "comments", "ad"})
# Tail and footer patterns are strict, so only blocks that hold other stories are skipped there (a
# credit line "(With AFP)" may well be labelled navigation or other).
_OTHER_STORIES = frozenset({"related", "teaser", "ad"})
_WIDE = frozenset({"body", "other", "dateline", "standfirst", "byline"})
_UNINFORMATIVE = frozenset({"body", "other"})
_MARKS = ("©", "opyright", "OPYRIGHT", "(c)", "(C)", "rademark", "Ⓒ")
_RUN_END = frozenset({"credit", "copyright", "related", "navigation", "newsletter", "comments", "tags", "teaser"})


@dataclass(slots=True)
class _Zones:
    blocks: list[Block] = field(default_factory=list)
    first: int = 0  # index of the first body block
    last: int = -1  # index of the last block of the article's own body run
    lead: list[Block] = field(default_factory=list)
    first_body: Block | None = None
    header: list[Block] = field(default_factory=list)
    tail: list[Block] = field(default_factory=list)
    footer_hits: list[Block] = field(default_factory=list)  # footer blocks with ©, "copyright", a domain …
    body: list[Block] = field(default_factory=list)
    labelled: bool = False


def _line_blocks(text: str) -> list[Block]:
    """One unlabelled block per non-empty line, stripped (used when no blocks are given)."""
    return [
        Block(i, m.start(), m.end(), m.group(), "body", "metadata_line_fallback", 0.0)
        for i, m in enumerate(_LINE.finditer(text))
    ]


def _wide(z: _Zones) -> list[Block]:
    """Non-chrome blocks up to the body's end (labelled pages only): the dateline fallback."""
    return [b for b in z.blocks[: z.last + 1] if b.label in _WIDE] if z.labelled else []


def _captions(z: _Zones) -> list[Block]:
    if z.labelled:
        return [b for b in z.blocks if b.label == "caption"]
    return z.blocks[: z.first + 3]


def _index_of(blocks: list[Block], b: Block) -> int:
    """Position of ``b`` in ``blocks`` (its block_index when that is its position)."""
    i = b.block_index
    if 0 <= i < len(blocks) and blocks[i] is b:
        return i
    return next((j for j, x in enumerate(blocks) if x is b), 0)


def _footer_hits(text: str, z: _Zones) -> list[Block]:
    """Footer blocks worth a closer look: a ©/copyright/trademark mark, or a bare domain (``NEWSMAX.COM``).

    Marks are found in the whole text (a few C-speed searches) and mapped to their blocks."""
    blocks = z.blocks
    skip = _OTHER_STORIES if z.labelled else frozenset()
    hit = {
        j for j in range(z.first + 1, len(blocks))
        if len(blocks[j].text) < 60 and " " not in blocks[j].text and "." in blocks[j].text
        and blocks[j].label not in skip
    }  # fmt: skip
    positions = []
    for mark in _MARKS:
        i = text.find(mark)
        while i != -1:
            positions.append(i)
            i = text.find(mark, i + len(mark))
    if positions:
        starts = [b.char_start for b in blocks]
        for p in positions:
            j = bisect.bisect_right(starts, p) - 1
            if j > z.first and j not in hit and p < blocks[j].char_end:
                b = blocks[j]
                if b.label not in skip and len(b.text) <= 400 and any(mark in b.text for mark in _MARKS):
                    hit.add(j)
    return [blocks[j] for j in sorted(hit)]


def _zones(blocks: list[Block]) -> _Zones:
    z = _Zones(blocks=blocks)
    labels = [b.label for b in blocks]
    label_set = set(labels)
    z.labelled = "body" in label_set and not label_set <= _UNINFORMATIVE
    if z.labelled:
        first = next(i for i, lab in enumerate(labels) if lab == "body" or lab == "dateline")
        run = []  # the article's own run of body blocks: stop at credit/copyright/related …
        for i in range(first, len(blocks)):
            label = labels[i]
            if label in _RUN_END:
                break
            if label == "body" or label == "dateline":
                run.append(i)
        last = run[-1]
        z.first, z.last = first, last
        z.body = [blocks[i] for i in run if labels[i] == "body"]
        z.first_body = blocks[first]
        third = run[min(2, len(run) - 1)]
        z.lead = [
            b for b in blocks[max(0, first - 6) : third + 1] if b.label not in _NEVER and b.label not in ("caption", "headline")
        ]
        z.header = [b for b in blocks[max(0, first - 15) : first] if b.label not in _NEVER] + [
            blocks[i] for i in range(first, last + 1) if labels[i] == "byline"
        ]
        tail_start = run[max(0, len(run) - 3)]
        z.tail = [b for b in blocks[tail_start : last + 6] if b.label not in _OTHER_STORIES]
        if "credit" in label_set:
            z.tail += [
                blocks[i] for i, lab in enumerate(labels) if lab == "credit" and not tail_start <= i < last + 6
            ]
    else:
        long_pos = [i for i, b in enumerate(blocks) if len(b.text) >= _LONG and b.text[-1] in _TERMINAL]
        first = long_pos[0] if long_pos else 0
        last = long_pos[-1] if long_pos else len(blocks) - 1
        z.first, z.last = first, last
        z.body = [blocks[i] for i in long_pos] or list(blocks)
        z.first_body = blocks[first] if blocks else None
        z.lead = blocks[max(0, first - 6) : first + 3]
        z.header = blocks[max(0, first - 15) : first + 1]
        tail_start = long_pos[max(0, len(long_pos) - 3)] if long_pos else 0
        z.tail = blocks[tail_start : last + 6]
    return z


def _field(name: str, value: str, start: int | None, end: int | None, rule: str, conf: float) -> FieldValue:
    return FieldValue(name, value, start, end, rule, round(conf, 3))


def _headline(text: str, blocks: list[Block], z: _Zones, hints: dict) -> FieldValue | None:
    for b in blocks:
        if b.label == "headline":
            return _field("headline", b.text.strip(), b.char_start, b.char_end, f"block_headline:{b.rule}", b.confidence)
    title = hints.get("title")
    if isinstance(title, str) and title.strip():
        return _field("headline", title.strip(), None, None, "hint_title", 0.8)
    return None


def _standfirst(blocks: list[Block]) -> FieldValue | None:
    for b in blocks:
        if b.label == "standfirst":
            return _field("standfirst", b.text.strip(), b.char_start, b.char_end, f"block_standfirst:{b.rule}", b.confidence)
    return None


def _byline_context(blocks: list[Block], i: int, credit: AgencyCredit) -> bool:
    """A bare agency line is a byline when a date sits next to it.

    Not in a menu ("News / KUNA / Life"), a toolbar ("AA" = text size) or under a photo ("Reuters" + story)."""
    near = [blocks[j].text for j in (i - 1, i + 1) if 0 <= j < len(blocks)]
    return any(_DATEISH.search(t) for t in near)


_NOT_LIST_CHECKED = frozenset({"dateline_credit", "lead_prefix", "agency_copyright", "reuters_reporting_credit"})


def _repeated(blocks: list[Block], texts: list[str], credit: AgencyCredit) -> bool:
    for b in blocks:  # the credit's block (few credits, so a scan is cheap enough)
        if b.char_start <= credit.char_start < b.char_end:
            return len(b.text) < 40 and texts.count(b.text) >= 3
    return False


def _agency_and_dateline(
    blocks: list[Block], z: _Zones, byline_agencies: list[AgencyCredit]
) -> tuple[AgencyCredit | None, Dateline | None, list[AgencyCredit]]:
    """The chosen wire credit, the dateline, and every agency credit seen (bylines' included)."""
    credits: list[AgencyCredit] = list(byline_agencies)
    dateline: Dateline | None = None
    for b in z.lead:
        d, c = find_dateline(b)
        if c is not None:
            credits.append(c)
        if d is not None and dateline is None:
            dateline = d
        if c is not None or d is not None:
            break
    if not credits and dateline is None:  # the segmenter may have picked the wrong run as body
        for b in _wide(z):
            d, c = find_dateline(b)
            if c is not None:  # only a known agency's dateline is trusted this far out
                credits.append(c)
                dateline = d
                break
    if dateline is None and z.first_body is not None:
        dateline = find_plain_dateline(z.first_body)
    for b in z.tail:
        c = find_reuters_credit(b)
        if c is not None:
            credits.append(c)
        # a credit line ends a story: the line before it ends a sentence (not a related headline)
        if len(b.text) <= 120:
            i = _index_of(blocks, b)
            if i > 0 and blocks[i - 1].text.rstrip()[-1:] in _SENTENCE_END:
                c = find_trailing_credit(b)
                if c is not None:
                    credits.append(c)
    for b in z.header:  # ``The Associated Press`` / ``EFE`` alone on a byline line
        c = find_trailing_credit(b)
        if c is not None and c.rule == "trailing_credit" and _byline_context(blocks, _index_of(blocks, b), c):
            c.rule, c.confidence = "byline_agency_line", 0.75
            credits.append(c)
    for b in z.footer_hits:
        c = find_copyright_credit(b)
        if c is not None:
            credits.append(c)
    # a credit line repeated down the page ("By REUTERS" under every teaser) belongs to a list
    if any(c.rule not in _NOT_LIST_CHECKED for c in credits):
        texts = [b.text for b in blocks]
        credits = [c for c in credits if c.rule in _NOT_LIST_CHECKED or not _repeated(blocks, texts, c)]
    best = choose_agency(credits)
    if best is not None:  # photo credits only corroborate: look for the chosen agency's alone
        for b in _captions(z)[:12]:
            credits.extend(find_photo_credits(b, best.agency))
        best = choose_agency(credits)
    return best, dateline, credits


def _authors(z: _Zones) -> tuple[list[Credit], list[AgencyCredit]]:
    """Author credits (deduplicated, in order) and the agencies named in bylines."""
    credits: list[Credit] = []
    for b in z.header:
        credits.extend(find_byline(b))
    for b in z.tail:
        credits.extend(find_reporting_credits(b))
        credits.extend(find_byline(b, after_body=True))
    authors: list[Credit] = []
    seen: set[str] = set()
    agencies: list[AgencyCredit] = []
    for c in credits:
        if c.kind == "agency":
            agencies.append(AgencyCredit(c.value, c.char_start, c.char_end, c.rule, c.confidence, -1))
        elif c.kind == "author" and c.value.casefold() not in seen:
            seen.add(c.value.casefold())
            authors.append(c)
    return authors, agencies


def _publisher(z: _Zones, url: str | None, hints: dict) -> PublisherCredit | None:
    credits: list[PublisherCredit] = []
    for b in z.footer_hits:
        if b.label != "caption":
            credits.extend(find_publisher_credits(b))
    text_pick = choose_publisher(credits)
    url_pick = publisher_from_url(url)
    if url_pick is None:
        site = hints.get("site_name") or hints.get("publisher")
        if isinstance(site, str) and site.strip():
            url_pick = PublisherCredit(site.strip(), None, None, "hint_site_name", 0.7)
    if text_pick is None:
        return url_pick
    if url_pick is not None and url_pick.value.casefold() == text_pick.value.casefold():
        text_pick.confidence = min(0.99, max(text_pick.confidence, url_pick.confidence) + 0.05)
        return text_pick
    if url_pick is not None and url_pick.confidence > text_pick.confidence:
        return url_pick
    return text_pick


def _language(text: str, z: _Zones) -> FieldValue | None:
    """Language of the body's first ``MAX_CHARS`` characters; evidence spans the blocks classified."""
    parts: list[str] = []
    size = 0
    start = end = None
    for b in z.body:
        if size >= MAX_CHARS:
            break
        parts.append(b.text)
        size += len(b.text) + 1
        start = b.char_start if start is None else start
        end = b.char_end
    sample = "\n".join(parts)
    if len(sample) < 200:  # too little body: classify the whole page
        sample, start, end = text, 0, min(len(text), MAX_CHARS)
    lang, conf, rule = classify_language(sample)
    if lang is None:
        return None
    return _field("language", lang, start, end, f"{rule}_body", conf)


def extract_metadata(
    text: str, blocks: list[Block], *, url: str | None = None, hints: dict | None = None
) -> Metadata:
    """Headline, standfirst, authors, wire agency, dateline, publisher and language, each with evidence."""
    hints = hints or {}
    blocks = blocks or _line_blocks(text)
    z = _zones(blocks)
    z.footer_hits = _footer_hits(text, z)
    md = Metadata()
    fields: list[FieldValue] = []

    head = _headline(text, blocks, z, hints)
    if head is not None:
        md.headline = head.value
        fields.append(head)
    stand = _standfirst(blocks)
    if stand is not None:
        md.standfirst = stand.value
        fields.append(stand)

    authors, byline_agencies = _authors(z)
    agency, dateline, _ = _agency_and_dateline(blocks, z, byline_agencies)
    if agency is not None:
        md.wire_agency = agency.agency
        fields.append(_field("wire_agency", agency.agency, agency.char_start, agency.char_end, agency.rule, agency.confidence))
    tail_lines = {b.text.strip().casefold() for b in z.tail if len(b.text) < 60}
    for a in authors:
        conf = a.confidence + (0.1 if a.value.casefold() in tail_lines else 0.0)  # signed again after the body
        md.authors.append(a.value)
        fields.append(_field("author", a.value, a.char_start, a.char_end, a.rule, min(conf, 0.95)))
    if dateline is not None:
        md.dateline = dateline.city
        fields.append(_field("dateline", dateline.city, dateline.char_start, dateline.char_end, dateline.rule, dateline.confidence))

    pub = _publisher(z, url, hints)
    if pub is not None:
        md.publisher = pub.value
        fields.append(_field("publisher", pub.value, pub.char_start, pub.char_end, pub.rule, pub.confidence))

    lang = _language(text, z)
    if lang is not None:
        md.language = lang.value
        fields.append(lang)
    md.fields = fields
    return md
