"""Authors from bylines and credit lines, kept apart from wire agencies.

Sources of author names:

* a byline ``By Jane Doe and John Roe``, ``Por …``, ``Von …``, ``Oleh …``, ``Av …``, ``Автор: …``;
* a name followed by a bar near the headline: ``Anh Vũ |``;
* Reuters' credit ``(Reporting by Hyonhee Shin; Editing by Marguerita Choy)``: reporters and writers
  are authors; editors, photographers and "additional reporting" contributors are not.

An agency named in a byline (``By Reuters``, ``Jane Doe, Associated Press``, ``JOSH BOAK AP Economics
Writer``) becomes an agency credit, never an author.

Generic staff credits (``by Agency Staff``, ``Staff Reporter``, ``Web Desk``, ``Our Correspondent``)
are *dropped*: they name no person, and the warehouse's ``author`` column is for people.  They are
returned with ``kind="staff"`` so the caller can see them, but they never become authors.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from flows.text.agencies import AGENCY_IN_TEXT, canonical_agency
from flows.text.model import Block
from flows.text.publisher import canonical_publisher

_BYLINE = regex.compile(
    r"^[\s*•·]*(?P<prefix>(?i:written by|words by|reported by|story by|text by|texto de|texte de|by|por|von|par|di|"
    r"oleh|av|door|af|від|от|author|authors|autor|autorin|auteur|autore|reporter|penulis|wartawan|tekst|"
    r"texto|journalist|pewarta|аутор|автор|пише|napisao|napisala)|بقلم|كتب|كتبت)\s*[:：]?\s+(?P<rest>\S.*)$"
)
# After the body only explicit credits count (``Di Jawa Tengah …`` is a sentence, not a byline).
_TAIL_BYLINE = regex.compile(
    r"^[\s*•·]*(?:(?i:by|written by|reporter|reporters|pewarta|penulis|wartawan|author|autor|аутор|автор|"
    r"journalist)\s*[:：]?|(?i:text|tekst|texto|reportage)\s*[:：])\s+(?P<rest>\S.*)$"
)
# ``Anh Vũ |`` / ``Anh Vũ | 12/11/2024``: a name and a bar, near the headline.
_PIPE_NAME = regex.compile(
    r"^\s*(?P<rest>\p{Lu}[\p{L}\p{M}'’.-]*(?:\s+\p{Lu}[\p{L}\p{M}'’.-]*){0,4})\s*[|｜]\s*(?:$|[\d\p{L}])"
)
# Where a byline's names end: a bar, bullet, date digits, "Updated", "Published" …
_CUT = regex.compile(
    r"\s*(?:[|｜•·\t]|\s[-–—]\s|\s{2,}|\d|(?i:\b(?:updated|published|posted|last updated|on|am|le|el|il|am|"
    r"pada|den)\b)|$)"
)
_SPLIT = regex.compile(r"\s*(?:,|;|\s&\s|\s(?:and|und|y|e|et|og|och|dan|i|и|та|en|ja)\s|\sو)\s*")
_REPORTING = regex.compile(
    r"(?P<role>(?i:additional\s+reporting|reporting|reported|writing|written|editing|edited|compiled|graphics|"
    r"photos?|produced|fact-checking|research))\s+(?i:by)\s+(?P<names>[^;()\n]+)"
)
_WORD = regex.compile(r"\S+")
_GLUED = regex.compile(r"(?<=\p{Ll})(?=The\b|\p{Lu}\p{Lu})")
_CASELESS = regex.compile(r"^[\p{Lo}\p{M}]+$")
_TOKEN = regex.compile(r"^(?:\p{Lu}[\p{L}\p{M}'’.-]*|\p{Lu}\.|[\p{Lo}\p{M}]+)$")
_PARTICLES = frozenset(
    "van von de der den da di du la le bin binti al el ibn dos das del ter ten zu af av y ben bint".split()
)
_ROLE_WORDS = frozenset(
    """writer writers correspondent correspondents reporter reporters editor editors contributor contributors
    columnist analyst producer photographer staff desk bureau chief senior political business economics
    health science sports national international foreign diplomatic special associate managing deputy
    executive news team""".split()
)
_OUTLET_WORDS = frozenset(
    """Sun Times Post News Journal Herald Tribune Press Daily Media Magazine Gazette Chronicle Observer
    Telegraph Guardian Express Reforma Network Online Radio TV""".split()
)
_STAFF_WORDS = frozenset(
    """staff desk team bureau newsroom agencies agency correspondent correspondents reporters editors
    redaksi redacción redaktion rédaction redazione redactie redaksjonen admin administrator tim agencia
    agência agence agenzia ajansı""".split()
)


@dataclass(slots=True)
class Credit:
    """One name credited in a byline or credit line."""

    value: str
    char_start: int
    char_end: int
    rule: str
    confidence: float
    kind: str  # "author"; "agency" (value: canonical agency); "staff", "publisher" (dropped, not people)


def _normalise(name: str) -> str:
    """Title-case names written in capitals (``HYONHEE SHIN`` → ``Hyonhee Shin``); keep others as written."""
    letters = [ch for ch in name if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters) and any(ch.isascii() for ch in letters):
        return name.title()
    return name


def _classify(segment: str) -> tuple[str, str, int] | None:
    """(kind, value, length used) for one byline segment, or None when it is not a name."""
    seg = segment.strip(" .:")
    if not seg:
        return None
    agency = canonical_agency(seg) or (canonical_agency(seg[4:]) if seg.startswith("The ") else None)
    if agency is not None:
        return "agency", agency, len(seg)
    if canonical_publisher(seg) is not None:
        return "publisher", seg, len(seg)  # ``Dana Reyes, CNN``: the outlet, not a person
    spans = [(m.start(), m.end()) for m in _WORD.finditer(segment)]
    tokens = [segment[a:b] for a, b in spans]
    if any(t.casefold().strip(".") in _STAFF_WORDS for t in tokens) and len(tokens) <= 4:
        return "staff", seg, len(seg)
    if tokens and tokens[-1].strip(".,") in _OUTLET_WORDS:
        return "publisher", seg, len(seg)  # ``Baltimore Sun``, ``Agencia Reforma``
    n = 0
    for tok in tokens:
        if n and (canonical_agency(tok) is not None or tok.casefold() in _ROLE_WORDS):
            break  # ``JOSH BOAK AP Economics Writer``
        if _TOKEN.match(tok) or (n and tok in _PARTICLES):
            n += 1
        else:
            break
    while n and tokens[n - 1] in _PARTICLES:
        n -= 1
    if not n or n > 5:
        return None
    if n == 1 and not _CASELESS.match(tokens[0]):
        return None  # one capitalised word is a desk or an outlet far more often than a person
    lead = spans[0][0]
    name = segment[lead : spans[n - 1][1]]
    if sum(ch.isalpha() for ch in name) < 2 or name.casefold() in _ROLE_WORDS:
        return None
    used = spans[n - 1][1] - lead
    return "author", _normalise(name), used


def _names(rest: str, base: int, rule: str, conf: float) -> list[Credit]:
    """Split a list of names (``A, B and C``) into credits with offsets; ``base`` is rest's offset."""
    out: list[Credit] = []
    pos = 0
    for sep in [*_SPLIT.finditer(rest), None]:
        end = sep.start() if sep is not None else len(rest)
        glued = _GLUED.search(rest, pos, end)  # ``Jonathan GarberFOXBusiness``: text run together
        if glued is not None:
            end = glued.start()
        inner = AGENCY_IN_TEXT.search(rest, pos, end)
        if inner is not None:  # ``TOM LEE Associated Press`` / ``Associated Press Jun 12``
            agency = canonical_agency(inner.group())
            if agency is not None:
                out.append(Credit(agency, base + inner.start(), base + inner.end(), f"{rule}_agency", 0.8, "agency"))
                end = inner.start()
        segment = rest[pos:end]
        lead = len(segment) - len(segment.lstrip())
        got = _classify(segment)
        if got is not None:
            kind, value, used = got
            s = base + pos + lead
            c = conf if kind != "agency" else 0.8
            out.append(Credit(value, s, s + used, f"{rule}_{kind}" if kind != "author" else rule, c, kind))
        if sep is None:
            break
        pos = sep.end()
    return out


def find_byline(block: Block, *, after_body: bool = False) -> list[Credit]:
    """Names in a byline block (``By …``), or a ``Name |`` line; [] when the block is no byline.

    ``after_body``: the block follows the article, where only explicit ``By``/``Reporter:`` credits count."""
    text = block.text
    if len(text) > 200:
        return []
    if after_body:
        m = _TAIL_BYLINE.match(text)
        if m is None:
            return []
        rest = m["rest"]
        cut = _CUT.search(rest)
        return _names(rest[: cut.start()] if cut else rest, block.char_start + m.start("rest"), "byline_tail", 0.7)
    m = _BYLINE.match(text)
    rule, conf = "byline_prefix", 0.85
    if m is None:
        m = _PIPE_NAME.match(text)
        rule, conf = "byline_bar", 0.6
        if m is None:
            if block.label != "byline":
                return []
            m = regex.match(r"^\s*(?P<rest>\S.*)$", text)
            rule, conf = "byline_block", 0.6
            if m is None:
                return []
    rest = m["rest"]
    cut = _CUT.search(rest)
    rest = rest[: cut.start()] if cut is not None else rest
    return _names(rest, block.char_start + m.start("rest"), rule, conf)


def find_reporting_credits(block: Block) -> list[Credit]:
    """Reporters and writers in ``(Reporting by …; Writing by …; Editing by …)``; editors are skipped."""
    out: list[Credit] = []
    for m in _REPORTING.finditer(block.text):
        role = m["role"].casefold()
        if not (role.startswith("report") or role.startswith("writ")):
            continue
        names = m["names"].rstrip()  # "X in Seoul": the name stops at the lowercase "in"
        conf = 0.85 if role.startswith("report") else 0.75
        out.extend(_names(names, block.char_start + m.start("names"), "reporting_credit", conf))
    return out
