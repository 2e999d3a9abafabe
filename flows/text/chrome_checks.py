"""Chrome left in the article: boilerplate lines in body blocks, teaser duplicates, claims from chrome.

Pure functions over the blocks/claims of one document; they return `Finding`s (data, not failures).
"""

from __future__ import annotations

import bisect
import re

from flows.text.model import CHROME_LABELS, Block, Claim, Finding, Understanding

MAX_BLOCK_FINDINGS = 5  # cap on per-block boilerplate rows for one document
SHORT_BODY_WORDS = 50
LONG_PAGE_WORDS = 300
HIGH_BOILERPLATE_RATIO = 0.8
SHORT_BLOCK_WORDS = 40  # start-of-block patterns only count in blocks shorter than this
TEASER_PREFIX_WORDS = 10  # words of a block's start that must reappear earlier to be a duplicate

# Strong patterns: boilerplate wherever they occur in a body block.
_ANYWHERE = [
    ("rights_reserved", r"all rights reserved|tous droits réservés|alle rechte vorbehalten"
     r"|todos los derechos reservados|todos os direitos reservados|tutti i diritti riservati"
     r"|alle rechten voorbehouden"),
    ("redistribution_notice", r"may not be (?:published|reproduced|redistributed|republished)"
     r"(?:,? (?:broadcast|rewritten|redistributed|reproduced))*"),
    ("cookie_notice", r"(?:we|this (?:web)?site) uses? cookies|accept (?:all )?cookies|cookie (?:policy|settings)"),
]
# Weak patterns: boilerplate when a short body block starts with them.
_AT_START = [
    ("newsletter_prompt", r"(?:sign up|subscribe|register)(?: now)? (?:for|to)\b|get (?:our|the) \w+ newsletter"
     r"|abonnez-vous|abonnieren sie|suscr[íi]bete|assine (?:já|a)|iscriviti"),
    ("follow_prompt", r"follow us\b|join us on|suivez-nous|folgen sie uns|s[íi]guenos|siga-nos|seguici|volg ons"),
    ("read_more", r"(?:read|see|view) (?:more|also|next|the full)\b|(?:also|more) read\b|click here\b"
     r"|lesen sie (?:auch|mehr)|(?:à )?lire aussi|lee también|leia também|leggi anche|lees ook"),
    ("copyright", r"(?:copyright\s*(?:©|\(c\)|\d{4})|©\s*\w)"),
    ("share_buttons", r"share (?:this|on|via)\b|(?:tweet|email|print) this\b"),
    ("related_heading", r"related(?: news| articles?| stories| posts| content| coverage| topics| reading)?\s*:?$"
     r"|(?:next|more) in \w+\s*$|more from\b|(?:others|people) also read|you (?:may|might) also like"
     r"|recommended(?: for you| stories| articles)?\s*:?$|most (?:read|popular|viewed)\s*:?$|trending now"
     r"|don'?t miss\b|top stories\s*:?$"),
    ("advertisement", r"(?:advertisement|advertising|sponsored(?: content)?|publicidad|anzeige|werbung"
     r"|publicité|pubblicità|reclame)\s*:?$"),
]
# Runs on the lowered page text (patterns are lower-case; case-sensitive matching is much faster).
_ANYWHERE_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _ANYWHERE))
# Cheap substring test before the _ANYWHERE_RE scan: each pattern contains one of these.
_ANYWHERE_KEYS = ("reserv", "riservat", "vorbehalten", "voorbehouden", "may not be", "cookie")
_AT_START_RE = re.compile(r"\s*[-•*|>]*\s*(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _AT_START) + ")", re.I)
_CHROME = frozenset(CHROME_LABELS)


class BlockIndex:
    """Find the block that holds a character offset (blocks sorted by start)."""

    __slots__ = ("blocks", "_starts", "_by_index")

    def __init__(self, blocks: list[Block]) -> None:
        starts = [b.char_start for b in blocks]
        if starts == sorted(starts):  # the segmenter's order (a C-speed check)
            self.blocks, self._starts = list(blocks), starts
        else:
            self.blocks = sorted(blocks, key=lambda b: b.char_start)
            self._starts = [b.char_start for b in self.blocks]
        self._by_index: dict[int, Block] | None = None  # built on first need

    def _block_numbered(self, block_index: int) -> Block | None:
        blocks = self.blocks
        if 0 <= block_index < len(blocks) and blocks[block_index].block_index == block_index:
            return blocks[block_index]  # block_index is the position (the segmenter's numbering)
        if self._by_index is None:
            self._by_index = {b.block_index: b for b in blocks}
        return self._by_index.get(block_index)

    def at(self, pos: int | None, block_index: int | None = None) -> Block | None:
        """The block with `block_index` if given and known, else the block containing `pos`."""
        if block_index is not None:
            b = self._block_numbered(block_index)
            if b is not None:
                return b
        if pos is None:
            return None
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and pos < self.blocks[i].char_end:
            return self.blocks[i]
        return None

    def label_at(self, pos: int | None, block_index: int | None = None) -> str | None:
        b = self.at(pos, block_index)
        return b.label if b is not None else None


def _short(s: str, n: int = 160) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _pattern_findings(low: str, body: list[Block], index: BlockIndex) -> list[Finding]:
    hits: dict[int, str] = {}  # block_index -> pattern kind
    for key in _ANYWHERE_KEYS:
        i = low.find(key)
        while i != -1:
            b = index.at(i)
            if b is not None and b.label == "body" and b.block_index not in hits:
                m = _ANYWHERE_RE.search(low, b.char_start, b.char_end)
                if m is not None:
                    hits[b.block_index] = m.lastgroup or "chrome"
            i = low.find(key, b.char_end if b is not None else i + 1)
    return _start_pattern_findings(body, hits)


def _start_pattern_findings(body: list[Block], hits: dict[int, str]) -> list[Finding]:
    out: list[Finding] = []
    for b in body:
        kind = hits.get(b.block_index)
        if kind is None and len(b.text.split(maxsplit=SHORT_BLOCK_WORDS)) <= SHORT_BLOCK_WORDS:
            m = _AT_START_RE.match(b.text)
            kind = (m.lastgroup or "chrome") if m else None
        if kind is None:
            continue
        out.append(Finding(
            check_name="boilerplate_in_body", severity="warn",
            observed=f"body block {b.block_index} contains page chrome ({kind})",
            expected="body blocks hold article text only",
            evidence=f"body block: '{_short(b.text)}'",
            rule=f"boilerplate_in_body.pattern.{kind}",
            char_start=b.char_start, char_end=b.char_end, likely_cause="chrome_pattern",
        ))
        if len(out) >= MAX_BLOCK_FINDINGS:
            break
    return out


def _teaser_findings(lead: list[Block], body: list[Block]) -> list[Finding]:
    """Body blocks whose first words repeat a passage of an earlier standfirst/body block."""
    blocks = sorted(lead + body, key=lambda x: x.char_start) if lead else body
    # one lower() for all blocks ("\x00" never occurs in page text), then whitespace normalised per block
    lowered = [" ".join(t.split()) for t in "\x00".join([b.text for b in blocks]).lower().split("\x00")]
    if len(lowered) != len(blocks):  # a block holding "\x00": lower each block on its own
        lowered = [" ".join(b.text.lower().split()) for b in blocks]
    offsets, pos = [], 0
    for t in lowered:
        offsets.append(pos)
        pos += len(t) + 1
    joined = "\n".join(lowered)
    out: list[Finding] = []
    for j, b in enumerate(blocks):
        if b.label != "body" or j == 0:
            continue
        words = lowered[j].split(" ", TEASER_PREFIX_WORDS)
        if len(words) < TEASER_PREFIX_WORDS:
            continue
        prefix = " ".join(words[:TEASER_PREFIX_WORDS])
        at = joined.find(prefix, 0, offsets[j] + len(prefix) - 1)  # an occurrence that starts earlier
        if at == -1:
            continue
        earlier = blocks[bisect.bisect_right(offsets, at) - 1]
        out.append(Finding(
            check_name="boilerplate_in_body", severity="warn",
            observed=f"body block {b.block_index} repeats the start of block {earlier.block_index}",
            expected="each passage of the article appears once in the body",
            evidence=f"'{_short(b.text, 100)}' repeats '{_short(earlier.text, 100)}'",
            rule="boilerplate_in_body.teaser_duplicate",
            char_start=b.char_start, char_end=b.char_end, likely_cause="teaser_duplicate",
        ))
        if len(out) >= MAX_BLOCK_FINDINGS:
            break
    return out


def _claim_findings(claims: list[Claim], index: BlockIndex) -> list[Finding]:
    hits: list[tuple[Claim, str]] = []
    for c in claims:
        label = index.label_at(c.char_start)
        if label in _CHROME:
            hits.append((c, label))
    if not hits:
        return []
    first, label = hits[0]
    labels = sorted({lab for _, lab in hits})
    return [Finding(
        check_name="boilerplate_in_body", severity="warn",
        observed=f"{len(hits)} claim(s) extracted from non-body blocks ({', '.join(labels)})",
        expected="claims come from the article's content blocks",
        evidence="; ".join(f"{lab}: '{_short(c.claim_text, 100)}'" for c, lab in hits[:3]),
        rule="boilerplate_in_body.claim_from_chrome",
        char_start=first.char_start, char_end=first.char_end, likely_cause="claim_from_chrome",
    )]


def _size_findings(text: str, u: Understanding) -> list[Finding]:
    out: list[Finding] = []
    body_words = len(u.body_text.split(maxsplit=SHORT_BODY_WORDS))  # counts up to 51: enough here
    if body_words < SHORT_BODY_WORDS:
        page_words = len(text.split())
        if page_words > LONG_PAGE_WORDS:
            out.append(Finding(
                check_name="boilerplate_in_body", severity="warn",
                observed=f"body has {body_words} words on a page of {page_words} words",
                expected=f"a body of at least {SHORT_BODY_WORDS} words when the page has over {LONG_PAGE_WORDS}",
                evidence=f"body: '{_short(u.body_text, 120)}'" if body_words else "body: (empty)",
                rule="boilerplate_in_body.short_body", likely_cause="short_body",
            ))
    if u.boilerplate_ratio > HIGH_BOILERPLATE_RATIO:
        out.append(Finding(
            check_name="boilerplate_in_body", severity="info",
            observed=f"boilerplate_ratio {u.boilerplate_ratio:.2f}",
            expected=f"boilerplate_ratio at most {HIGH_BOILERPLATE_RATIO}",
            evidence=f"{len(u.body_text.split())} body words; {u.boilerplate_ratio:.0%} of the page is chrome",
            rule="boilerplate_in_body.high_ratio", likely_cause="high_boilerplate_ratio",
        ))
    return out


def chrome_findings(text: str, low: str, u: Understanding, index: BlockIndex) -> list[Finding]:
    """All boilerplate_in_body findings for one document (`low` = the lowered text, same offsets)."""
    body = [b for b in index.blocks if b.label == "body"]
    lead = [b for b in index.blocks if b.label == "standfirst"]
    return (
        _pattern_findings(low, body, index)
        + _teaser_findings(lead, body)
        + _claim_findings(u.claims, index)
        + _size_findings(text, u)
    )
