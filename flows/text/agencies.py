"""Wire-agency credits and the dateline they sit in.

An agency is the article's wire credit only when the text credits it as the story's source:

* a dateline ``SEOUL (Reuters) -``, ``WASHINGTON, Nov 12 (Reuters) -``, ``(AP) —``, ``Bruselas, 7 oct
  (EFE).-``, ``MOSCOW, November 12. /TASS/.``, ``NEW YORK, Nov. 12, 2024 /PRNewswire/ --``;
* a lead prefix ``AFP: …``;
* a trailing credit line ``Reuters``, ``— Associated Press``, ``(With AFP)``, ``With inputs from PTI``;
* Reuters' credit ``(Reporting by …; Editing by …)``;
* an agency copyright ``Copyright 2024 The Associated Press`` next to the story.

A photo credit (``via REUTERS``, ``(Gavriil GRIGOROV/POOL/AFP)``) is weak evidence: it only corroborates
a credit found elsewhere and never chooses the agency on its own.  An agency named inside a sentence
("KCNA said", "the Associated Press reported") is a cited source, not a wire credit, and is ignored.

Broadcast networks crediting themselves (``(CNN) —``) are *not* agencies: the city before them is still
a dateline, but no wire agency is set.  Bloomberg and the press-release wires (PR Newswire, Business
Wire, GlobeNewswire) are kept as agencies (their ``agency_type`` says which).

The table below mirrors ``seeds/wire_agencies.csv`` (dbt loads the CSV; a test keeps both equal).
Variants match case-sensitively as written or in upper case; word-like names (``Beta``, ``Petra``,
``Hina``) only count inside a parenthesised dateline or a copyright line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from flows.text.model import Block
from flows.text.regex_trie import trie_pattern

# canonical_name, agency_type, country, variants, domains  (same rows as seeds/wire_agencies.csv)
AGENCIES: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Reuters", "news_agency", "GB", ("Reuters", "REUTERS", "Thomson Reuters", "رويترز", "Рейтер", "Ројтерс", "Рејтерс", "路透社"), ("reuters.com",)),
    ("AFP", "news_agency", "FR", ("AFP", "Agence France-Presse", "Agence France Presse", "France-Presse", "France Presse", "AFP-JIJI", "أ ف ب", "فرانس برس", "АФП", "法新社"), ("afp.com",)),
    ("AP", "news_agency", "US", ("AP", "Associated Press", "The Associated Press", "أسوشيتد برس", "أ ب", "Ассошиэйтед Пресс", "美联社"), ("apnews.com", "ap.org")),
    ("dpa", "news_agency", "DE", ("dpa", "DPA", "Deutsche Presse-Agentur", "dpa-AFX", "د ب أ", "ДПА"), ("dpa.com",)),
    ("EFE", "news_agency", "ES", ("EFE", "Agencia EFE", "EPA-EFE"), ("efe.com",)),
    ("Europa Press", "news_agency", "ES", ("Europa Press", "EUROPA PRESS"), ("europapress.es",)),
    ("ANSA", "news_agency", "IT", ("ANSA",), ("ansa.it",)),
    ("AGI", "news_agency", "IT", ("AGI", "Agenzia Italia"), ("agi.it",)),
    ("Adnkronos", "news_agency", "IT", ("Adnkronos", "ADNKRONOS"), ("adnkronos.com",)),
    ("Xinhua", "news_agency", "CN", ("Xinhua", "XINHUA", "Xinhua News Agency", "شينخوا", "Синьхуа", "新华社"), ("xinhuanet.com", "news.cn")),
    ("China News Service", "news_agency", "CN", ("China News Service", "中新社"), ("chinanews.com.cn",)),
    ("Bernama", "news_agency", "MY", ("Bernama", "BERNAMA"), ("bernama.com",)),
    ("PTI", "news_agency", "IN", ("PTI", "Press Trust of India"), ("ptinews.com",)),
    ("IANS", "news_agency", "IN", ("IANS", "Indo-Asian News Service"), ("ians.in",)),
    ("ANI", "news_agency", "IN", ("ANI", "Asian News International"), ("aninews.in",)),
    ("UNI", "news_agency", "IN", ("UNI", "United News of India"), ("uniindia.com",)),
    ("UPI", "news_agency", "US", ("UPI", "United Press International"), ("upi.com",)),
    ("Kyodo", "news_agency", "JP", ("Kyodo", "KYODO", "Kyodo News", "共同通信"), ("kyodonews.net",)),
    ("Jiji", "news_agency", "JP", ("Jiji", "Jiji Press", "時事通信"), ("jiji.com",)),
    ("Yonhap", "news_agency", "KR", ("Yonhap", "YONHAP", "Yonhap News Agency", "연합뉴스"), ("yna.co.kr",)),
    ("Anadolu", "news_agency", "TR", ("Anadolu", "Anadolu Agency", "Anadolu Ajansı", "AA", "الأناضول"), ("aa.com.tr",)),
    ("TASS", "news_agency", "RU", ("TASS", "ТАСС"), ("tass.com", "tass.ru")),
    ("RIA Novosti", "news_agency", "RU", ("RIA Novosti", "РИА Новости"), ("ria.ru",)),
    ("Interfax", "news_agency", "RU", ("Interfax", "Интерфакс"), ("interfax.ru",)),
    ("Ukrinform", "news_agency", "UA", ("Ukrinform", "Укрінформ"), ("ukrinform.net",)),
    ("UNIAN", "news_agency", "UA", ("UNIAN", "УНІАН"), ("unian.info",)),
    ("Tanjug", "news_agency", "RS", ("Tanjug", "Танјуг"), ("tanjug.rs",)),
    ("Beta", "news_agency", "RS", ("Beta", "Бета"), ("beta.rs",)),
    ("FoNet", "news_agency", "RS", ("FoNet", "ФоНет"), ("fonet.rs",)),
    ("HINA", "news_agency", "HR", ("HINA", "Hina"), ("hina.hr",)),
    ("Bloomberg", "news_agency", "US", ("Bloomberg", "Bloomberg News"), ("bloomberg.com",)),
    ("Antara", "news_agency", "ID", ("Antara", "ANTARA", "Antara News"), ("antaranews.com",)),
    ("NTB", "news_agency", "NO", ("NTB", "Norsk Telegrambyrå"), ("ntb.no",)),
    ("TT", "news_agency", "SE", ("TT", "TT Nyhetsbyrån"), ("tt.se",)),
    ("Ritzau", "news_agency", "DK", ("Ritzau", "Ritzaus Bureau"), ("ritzau.dk",)),
    ("STT", "news_agency", "FI", ("STT", "STT-Info"), ("stt.fi",)),
    ("ANP", "news_agency", "NL", ("ANP",), ("anp.nl",)),
    ("Belga", "news_agency", "BE", ("Belga", "BELGA"), ("belga.be",)),
    ("APA", "news_agency", "AT", ("APA", "Austria Presse Agentur"), ("apa.at",)),
    ("Keystone-SDA", "news_agency", "CH", ("Keystone-SDA", "SDA", "ATS", "Keystone-ATS"), ("keystone-sda.ch",)),
    ("PAP", "news_agency", "PL", ("PAP", "Polska Agencja Prasowa"), ("pap.pl",)),
    ("CTK", "news_agency", "CZ", ("ČTK", "CTK"), ("ctk.cz",)),
    ("Lusa", "news_agency", "PT", ("Lusa", "LUSA"), ("lusa.pt",)),
    ("Agência Brasil", "news_agency", "BR", ("Agência Brasil",), ("agenciabrasil.ebc.com.br",)),
    ("ANA-MPA", "news_agency", "GR", ("ANA-MPA", "ΑΠΕ-ΜΠΕ"), ("amna.gr",)),
    ("SPA", "news_agency", "SA", ("SPA", "Saudi Press Agency", "واس"), ("spa.gov.sa",)),
    ("WAM", "news_agency", "AE", ("WAM", "وام"), ("wam.ae",)),
    ("QNA", "news_agency", "QA", ("QNA", "قنا"), ("qna.org.qa",)),
    ("KUNA", "news_agency", "KW", ("KUNA", "كونا"), ("kuna.net.kw",)),
    ("SANA", "news_agency", "SY", ("SANA", "سانا"), ("sana.sy",)),
    ("MENA", "news_agency", "EG", ("MENA", "أ ش أ"), ("mena.org.eg",)),
    ("Petra", "news_agency", "JO", ("Petra", "بترا"), ("petra.gov.jo",)),
    ("IRNA", "news_agency", "IR", ("IRNA", "ایرنا"), ("irna.ir",)),
    ("VNA", "news_agency", "VN", ("VNA", "TTXVN", "Vietnam News Agency"), ("vnanet.vn",)),
    ("PNA", "news_agency", "PH", ("PNA", "Philippine News Agency"), ("pna.gov.ph",)),
    ("APP", "news_agency", "PK", ("APP", "Associated Press of Pakistan"), ("app.com.pk",)),
    ("BSS", "news_agency", "BD", ("BSS", "Bangladesh Sangbad Sangstha"), ("bssnews.net",)),
    ("AAP", "news_agency", "AU", ("AAP", "Australian Associated Press"), ("aap.com.au",)),
    ("Canadian Press", "news_agency", "CA", ("Canadian Press", "The Canadian Press"), ("thecanadianpress.com",)),
    ("PA Media", "news_agency", "GB", ("PA Media", "Press Association", "PA"), ("pa.media",)),
    ("Prensa Latina", "news_agency", "CU", ("Prensa Latina",), ("prensa-latina.cu",)),
    ("Notimex", "news_agency", "MX", ("Notimex",), ("notimex.gob.mx",)),
    ("MAP", "news_agency", "MA", ("MAP", "Maghreb Arabe Presse"), ("mapexpress.ma",)),
    ("IPS", "news_agency", "IT", ("IPS", "Inter Press Service"), ("ipsnews.net",)),
    ("PR Newswire", "press_release_wire", "US", ("PR Newswire", "PRNewswire", "PRNewswire-FirstCall"), ("prnewswire.com",)),
    ("Business Wire", "press_release_wire", "US", ("Business Wire", "BUSINESS WIRE"), ("businesswire.com",)),
    ("GlobeNewswire", "press_release_wire", "US", ("GlobeNewswire", "GLOBE NEWSWIRE", "Globe Newswire"), ("globenewswire.com",)),
)  # fmt: skip

# Variants that are also ordinary words or first names: only trusted in a dateline or copyright.
_WORD_LIKE = frozenset({"Beta", "Бета", "Petra", "Hina", "Lusa", "Antara"})

_BY_VARIANT: dict[str, str] = {}
for _name, _type, _country, _variants, _domains in AGENCIES:
    for _v in _variants:
        _BY_VARIANT.setdefault(_v, _name)
        _BY_VARIANT.setdefault(_v.upper(), _name)
_BY_UPPER: dict[str, str] = {k.upper(): v for k, v in _BY_VARIANT.items()}
_VARIANTS_OF: dict[str, tuple[str, ...]] = {}
for _v, _n in _BY_VARIANT.items():
    _VARIANTS_OF[_n] = (*_VARIANTS_OF.get(_n, ()), _v)


def _alternation(variants: list[str]) -> str:
    return "|".join(regex.escape(v) for v in sorted(set(variants), key=len, reverse=True))


_ALL_ALT = _alternation(list(_BY_VARIANT))
_FREE_ALT = _alternation([v for v in _BY_VARIANT if v not in _WORD_LIKE and v.upper() not in _WORD_LIKE])
_B, _E = r"(?<![\p{L}\p{N}])", r"(?![\p{L}\p{N}])"

# An agency name anywhere (word-like names excluded): for bylines such as ``TOM LEE Associated Press``.
AGENCY_IN_TEXT = regex.compile(rf"{_B}(?:{_FREE_ALT}){_E}")
# ``CITY, date (Agency) -`` / ``CITY, date /TASS/.`` at the start of a paragraph.
_DATELINE = regex.compile(
    r"^[\s\"“'‘*•]*(?P<pre>[^\n()]{0,70}?)\s*"
    r"(?:\((?P<ag>[^()\n]{1,45})\)|(?<=\s|^)/(?P<ag2>[^/\n\s][^/\n]{1,28})/)"
    r"(?P<sep>\s*\.?\s*[-–—―‐‒]{1,2}|\s*:|\s*\.(?=\s)|\s*[\"”](?=\s)|(?=\p{Lu})|(?P<bare>\s+(?=\p{Lu})))"
)
# ``(ANSA) - ROMA, 12 NOV -``: the city after the credit.
_CITY_AFTER = regex.compile(r"\s*(?P<city>\p{Lu}[\p{Lu}\p{M} .'’-]{1,30}?),\s*\d{1,2}\s+\p{L}{3,}\.?\s*[-–—]")
# ``AFP: North Korea …`` / ``Reuters - …`` (the name is looked up, so no big alternation here).
_LEAD_PREFIX = regex.compile(r"^[\s\"“]*(?P<ag>[^\s:|–—-][^:|–—\n]{0,40}?)\s*(?:[:|]|[-–—]{1,2})\s+(?=\S)")
# What `_LEAD_PREFIX` needs first (a cheap scan that skips most paragraphs): an agency name at the
# start, as a prefix trie so that each line start costs a character or two.


_AGENCY_TRIE = trie_pattern(_BY_VARIANT)
_AGENCY_FIRST = re.compile(rf"[\s\"“]*{_AGENCY_TRIE}")
# A line that is only a credit: ``Reuters``, ``— Associated Press``, ``(With AFP)``, ``Source: AFP/dpa``.
_TRAILING = regex.compile(
    r"^\s*[\(\[]?\s*(?:[-–—―]{1,2}\s*)?"
    r"(?P<lead>(?i:with inputs from|inputs from|with reporting from|additional reporting by|with|sources?|"
    r"fuentes?|con información de|con|quellen?|mit|avec|med|källa|kilder?|sumber|izvori?|источник|джерело|المصدر)"
    r"\s*:?\s*)?"
    rf"{_B}(?P<ag>{_FREE_ALT}){_E}"
    rf"(?P<more>(?:\s*(?:[,/&+]|and|y|und|et|og|och|dan|i|и)\s*{_B}(?:{_FREE_ALT}){_E})*)"
    r"(?:/\p{L}{2,5})*"  # ``dpa/lni``: regional desk
    r"\s*(?P<contrib>(?i:contributed to this (?:report|story)|contributed))?"
    r"\s*[\)\]]?\s*\.?\s*$"
)
# Reuters' credit line: ``(Reporting by …; Editing by …)``.
_REUTERS_CREDIT = regex.compile(
    r"(?i:\(\s*reporting\s+by\b[^()]*\)|\breporting\s+by\b[^\n]{2,300}?\b(?:editing|writing)\s+by\b)"
)
# An agency copyright: ``Copyright 2024 The Associated Press``, ``© 2024 Thomson Reuters``.
_COPYRIGHT = regex.compile(
    r"(?:©|Ⓒ|\([cC]\)|(?i:\bcopyright\b))[\s©]*(?:(?i:copyright)\s*)?"
    r"(?:\(?\d{4}(?:\s*[-–]\s*\d{2,4})?\)?[\s,.]*)?(?:(?i:by)\s+)?"
    rf"{_B}(?P<ag>{_ALL_ALT}){_E}"
)
# Photo credits (weak), checked around each occurrence of the agency's name: ``via REUTERS``,
# ``REUTERS/Kim Hong-Ji``, ``/POOL/AFP)``, ``(AP Photo/…)``, ``Picture: AFP``.
_PHOTO_BEFORE_NAME = regex.compile(
    r"(?:(?i:via)\s+|/\s*|(?i:photo|picture|foto|bild|image|credit|ảnh)\s*:\s*(?:[^/\n]{0,40}/)?\s*)$"
)
_PHOTO_AFTER_NAME = regex.compile(r"\s*(?:/\s*\p{Lu}|(?i:photo|images?|pictures?)\b)")
# A dateline with no credit: ``WASHINGTON — …``, ``NEW DELHI: …``, ``SANTA FE, N.M. — …``.
_CITY_DASH = regex.compile(
    r"^[\s\"“]*(?P<city>\p{Lu}[\p{Lu}\p{M}.'’]*(?:[ -]\p{Lu}[\p{Lu}\p{M}.'’]*){0,3})"
    r"(?:,\s*[\p{L}.' ]{2,25}?)?\s*(?:—|–|--|―|:)\s*(?=\S)"
)
_NOT_CITY = frozenset(
    "UPDATE UPDATED BREAKING WATCH EXCLUSIVE OPINION PHOTOS PHOTO VIDEO ANALYSIS NOTE EDITOR'S FILE LIVE "
    "COMMENTARY REVIEW READ MORE ALSO SEE RELATED EXPLAINER FACT CHECK FACTCHECK EDITORIAL INTERVIEW "
    "WARNING CORRECTION CLARIFICATION SPONSORED ADVERTISEMENT PODCAST LISTEN Q A TL;DR".split()
)
_PHOTO_BEFORE = regex.compile(r"(?i)\b(?:image|photo|foto|picture|pic|bild|imagen|immagine|ảnh)s?\b")
_PHOTOGRAPHER_AFTER = regex.compile(r"\s*/")
_DATE_WORD = regex.compile(r"\d")
_PHOTO_WORD = regex.compile(r"(?i)\b(?:photo|foto|image|video|pictures?|file)\b")


@dataclass(slots=True)
class AgencyCredit:
    """One place where the text credits a wire agency."""

    agency: str  # canonical name
    char_start: int
    char_end: int
    rule: str
    confidence: float
    block_index: int


@dataclass(slots=True)
class Dateline:
    """A dateline city as written, with the credit that followed it (or None)."""

    city: str
    char_start: int
    char_end: int
    rule: str
    confidence: float
    credit: str | None  # text inside the parentheses, e.g. "Reuters", "CNN"


def canonical_agency(name: str) -> str | None:
    """Canonical agency name for a variant (``"The Associated Press"`` → ``"AP"``), else None."""
    s = name.strip().strip(".,;:")
    return _BY_VARIANT.get(s) or _BY_UPPER.get(s.upper())


def is_agency_name(name: str) -> bool:
    """True when the whole string names a wire agency."""
    return canonical_agency(name) is not None


def _credit_agency(inner: str) -> str | None:
    """Agency named inside a dateline's parentheses: ``dpa/lni`` → dpa; ``AP Photo/…`` → None."""
    head = inner.split("/")[0].split(",")[0].strip()
    if _PHOTO_WORD.search(inner):
        return None
    return canonical_agency(head)


def _city_from_prefix(pre: str) -> tuple[int, int] | None:
    """Span of the city in a dateline prefix: ``SEOUL, South Korea`` → SEOUL; rejects sentences."""
    stripped = pre.rstrip(" ,.-–—")
    if not stripped:
        return None
    lead = len(stripped) - len(stripped.lstrip())
    city = stripped.split(",")[0].strip()
    if not city or len(city) > 40 or len(city.split()) > 4 or _DATE_WORD.search(city):
        return None
    first = city[0]
    if not first.isalpha() or first.islower():
        return None
    if len(stripped.split()) > 10:
        return None
    return lead, lead + len(city)


def _may_start_with_agency(text: str) -> bool:
    """Cheap necessary condition for ``_LEAD_PREFIX``: the text starts with an agency name."""
    return _AGENCY_FIRST.match(text) is not None


def find_dateline(block: Block) -> tuple[Dateline | None, AgencyCredit | None]:
    """Dateline and wire credit at the start of one paragraph (either may be None)."""
    text = block.text
    head = text[:130]
    m = _DATELINE.match(text) if ("(" in head or "/" in head) else None
    if m is None:
        if not _may_start_with_agency(text):
            return None, None
        m2 = _LEAD_PREFIX.match(text)
        if m2 is None or m2["ag"] in _WORD_LIKE:
            return None, None
        agency = _BY_VARIANT.get(m2["ag"].strip())
        if agency is None:
            return None, None
        if len(text) < 80 and not text[m2.end() :].lstrip()[:1].isdigit() and block.label != "byline":
            return None, None  # ``AP: China hid …`` as a headline cites AP; a paragraph or ``AP - 16/05`` credits it
        return None, AgencyCredit(
            agency,
            block.char_start + m2.start("ag"),
            block.char_start + m2.end("ag"),
            "lead_prefix",
            0.85,
            block.block_index,
        )
    inner_group = "ag" if m["ag"] is not None else "ag2"
    inner = m[inner_group].strip()
    pre = m["pre"]
    if len(inner.split()) > 4 or not inner or inner[0].islower() and _credit_agency(inner) is None:
        return None, None
    city_span = _city_from_prefix(pre)
    if pre.strip() and city_span is None:
        return None, None  # a sentence with a parenthesis, not a dateline
    agency = _credit_agency(inner)
    if m["bare"] is not None and agency is None:
        return None, None  # ``New Delhi, Nov 12 (PTI) The …`` needs a known agency to count
    credit = (
        AgencyCredit(
            agency,
            block.char_start + m.start(inner_group),
            block.char_start + m.end(inner_group),
            "dateline_credit",
            0.95,
            block.block_index,
        )
        if agency
        else None
    )
    dateline = None
    if city_span is not None:
        s = m.start("pre") + city_span[0]
        e = m.start("pre") + city_span[1]
        dateline = Dateline(
            text[s:e], block.char_start + s, block.char_start + e, "dateline_credit", 0.9, inner
        )
    elif not pre.strip():
        after = _CITY_AFTER.match(text, m.end())
        if after is not None:
            s, e = after.span("city")
            dateline = Dateline(
                text[s:e].strip(), block.char_start + s, block.char_start + s + len(text[s:e].strip()),
                "dateline_credit_after", 0.8, inner,
            )  # fmt: skip
    if credit is None and dateline is None:
        return None, None
    return dateline, credit


def find_plain_dateline(block: Block) -> Dateline | None:
    """A dateline without any credit at the start of the first paragraph: ``WASHINGTON — …``."""
    m = _CITY_DASH.match(block.text)
    if m is None:
        return None
    city = m["city"].rstrip(".")
    letters = sum(ch.isalpha() for ch in city)
    if letters < 3 or city.upper() in _NOT_CITY or city.split()[0] in _NOT_CITY:
        return None
    if canonical_agency(city) is not None:
        return None
    s = m.start("city")
    return Dateline(city, block.char_start + s, block.char_start + s + len(city), "dateline_plain", 0.6, None)


def find_trailing_credit(block: Block) -> AgencyCredit | None:
    """A short line that only credits an agency (``Reuters``, ``— Associated Press``, ``With AFP``)."""
    if len(block.text) > 120:
        return None
    m = _TRAILING.match(block.text)
    if m is None:
        return None
    agency = canonical_agency(m["ag"])
    if agency is None:
        return None
    if m["contrib"]:
        rule, conf = "contributed_credit", 0.6
    elif m["lead"]:
        rule, conf = "with_credit", 0.7
    else:
        rule, conf = "trailing_credit", 0.8
    return AgencyCredit(
        agency, block.char_start + m.start("ag"), block.char_start + m.end("ag"), rule, conf, block.block_index
    )


def find_reuters_credit(block: Block) -> AgencyCredit | None:
    """Reuters' ``(Reporting by …; Editing by …)`` credit."""
    if "eporting" not in block.text:
        return None
    m = _REUTERS_CREDIT.search(block.text)
    if m is None:
        return None
    return AgencyCredit(
        "Reuters", block.char_start + m.start(), block.char_start + m.end(), "reuters_reporting_credit", 0.75,
        block.block_index,
    )  # fmt: skip


def find_copyright_credit(block: Block) -> AgencyCredit | None:
    """An agency copyright line (``Copyright 2024 The Associated Press. All rights reserved.``)."""
    text = block.text
    if len(text) > 400 or not ("©" in text or "opyright" in text or "COPYRIGHT" in text or "(c)" in text):
        return None
    m = _COPYRIGHT.search(text)
    if m is None:
        return None
    agency = canonical_agency(m["ag"])
    if agency is None:
        return None
    if _PHOTO_BEFORE.search(text, 0, m.start()) or _PHOTOGRAPHER_AFTER.match(text, m.end()):
        return None  # ``Image copyright Reuters``, ``© REUTERS / POOL``: a picture's credit
    if len({canonical_agency(a.group()) for a in AGENCY_IN_TEXT.finditer(text)}) > 1:
        return None  # ``Copyright © ČTK, DPA, Reuters …``: a site-wide footer naming its sources
    return AgencyCredit(
        agency, block.char_start + m.start("ag"), block.char_start + m.end("ag"), "agency_copyright", 0.85,
        block.block_index,
    )  # fmt: skip


def find_photo_credits(block: Block, agency: str) -> list[AgencyCredit]:
    """Where ``agency`` is credited for a photo in this block (weak evidence, confidence 0.2)."""
    text = block.text
    out = []
    for variant in _VARIANTS_OF.get(agency, ()):
        if variant in _WORD_LIKE:
            continue
        i = text.find(variant)
        while i >= 0:
            j = i + len(variant)
            bounded = (i == 0 or not text[i - 1].isalnum()) and (j == len(text) or not text[j].isalnum())
            if bounded and (
                _PHOTO_BEFORE_NAME.search(text[max(0, i - 60) : i]) or _PHOTO_AFTER_NAME.match(text, j)
            ):
                out.append(
                    AgencyCredit(agency, block.char_start + i, block.char_start + j, "photo_credit", 0.2, block.block_index)
                )
            i = text.find(variant, j)
    return out


def choose_agency(credits: list[AgencyCredit], threshold: float = 0.5) -> AgencyCredit | None:
    """The best-supported credit: highest confidence, earliest on ties, +0.05 per other agreeing rule.

    Photo credits never choose an agency on their own (their confidence is below ``threshold``)."""
    best: AgencyCredit | None = None
    for c in credits:
        if c.confidence >= threshold and (best is None or c.confidence > best.confidence):
            best = c
    if best is None:
        return None
    others = {c.rule for c in credits if c.agency == best.agency and c.rule != best.rule}
    conf = min(0.99, best.confidence + 0.05 * len(others))
    return AgencyCredit(best.agency, best.char_start, best.char_end, best.rule, round(conf, 3), best.block_index)
