"""The publisher: from the page's own copyright/trademark footer, or from the URL's domain.

Only what the text or URL says: a page whose footer names nobody gets None, never a guess.  Copyrights
held by a wire agency (``Copyright 2024 The Associated Press``) or a photo agency (``© Getty Images``)
are the story's or the picture's, not the page's, and are skipped.  Names map to a canonical publisher
through the table below (mirrors ``seeds/publishers.csv``); an unknown owner is kept as written
(without ``Inc.``/``Ltd``), an unknown URL as its registered domain (``example.co.uk``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import regex

from flows.text.agencies import canonical_agency
from flows.text.model import Block

# canonical_name, publisher_type, country, aliases, domains  (same rows as seeds/publishers.csv)
PUBLISHERS: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("The Star", "newspaper", "MY", ("The Star", "The Star Online", "Star Media Group"), ("thestar.com.my",)),
    ("BusinessLive", "news_site", "ZA", ("BusinessLive", "BusinessLIVE", "Business Day", "Arena Holdings"), ("businesslive.co.za",)),
    ("Newsmax", "news_site", "US", ("Newsmax", "Newsmax Media", "Newsmax Media Inc", "NEWSMAX.COM"), ("newsmax.com",)),
    ("Reuters", "wire_agency", "GB", ("Reuters", "Thomson Reuters"), ("reuters.com",)),
    ("AP News", "wire_agency", "US", ("AP News",), ("apnews.com",)),
    ("AFP", "wire_agency", "FR", ("Agence France-Presse",), ("afp.com",)),
    ("BBC", "broadcaster", "GB", ("BBC", "BBC News", "British Broadcasting Corporation"), ("bbc.co.uk", "bbc.com")),
    ("CNN", "broadcaster", "US", ("CNN", "Cable News Network"), ("cnn.com",)),
    ("The Guardian", "newspaper", "GB", ("The Guardian", "Guardian News & Media", "Guardian News and Media"), ("theguardian.com",)),
    ("The New York Times", "newspaper", "US", ("The New York Times", "The New York Times Company"), ("nytimes.com",)),
    ("The Washington Post", "newspaper", "US", ("The Washington Post", "WP Company"), ("washingtonpost.com",)),
    ("Al Jazeera", "broadcaster", "QA", ("Al Jazeera", "Al Jazeera Media Network"), ("aljazeera.com", "aljazeera.net")),
    ("Yahoo News", "aggregator", "US", ("Yahoo", "Yahoo News"), ("yahoo.com",)),
    ("Fox News", "broadcaster", "US", ("Fox News", "Fox News Network"), ("foxnews.com",)),
    ("NBC News", "broadcaster", "US", ("NBC News", "NBCUniversal"), ("nbcnews.com",)),
    ("CBS News", "broadcaster", "US", ("CBS News", "CBS Interactive"), ("cbsnews.com",)),
    ("ABC News", "broadcaster", "US", ("ABC News",), ("abcnews.go.com",)),
    ("NPR", "broadcaster", "US", ("NPR", "National Public Radio"), ("npr.org",)),
    ("The Independent", "newspaper", "GB", ("The Independent", "Independent Digital News & Media"), ("independent.co.uk",)),
    ("The Telegraph", "newspaper", "GB", ("The Telegraph", "Telegraph Media Group"), ("telegraph.co.uk",)),
    ("Daily Mail", "newspaper", "GB", ("Daily Mail", "Associated Newspapers"), ("dailymail.co.uk",)),
    ("Sky News", "broadcaster", "GB", ("Sky News", "Sky UK"), ("news.sky.com", "sky.com")),
    ("The Hindu", "newspaper", "IN", ("The Hindu", "THG Publishing"), ("thehindu.com",)),
    ("The Times of India", "newspaper", "IN", ("The Times of India", "Bennett Coleman & Co"), ("timesofindia.indiatimes.com", "indiatimes.com")),
    ("Hindustan Times", "newspaper", "IN", ("Hindustan Times", "HT Media"), ("hindustantimes.com",)),
    ("South China Morning Post", "newspaper", "HK", ("South China Morning Post", "SCMP"), ("scmp.com",)),
    ("The Straits Times", "newspaper", "SG", ("The Straits Times", "SPH Media"), ("straitstimes.com",)),
    ("Deutsche Welle", "broadcaster", "DE", ("Deutsche Welle", "DW"), ("dw.com",)),
    ("France 24", "broadcaster", "FR", ("France 24", "France Médias Monde"), ("france24.com",)),
    ("Le Monde", "newspaper", "FR", ("Le Monde",), ("lemonde.fr",)),
    ("Der Spiegel", "magazine", "DE", ("Der Spiegel", "SPIEGEL"), ("spiegel.de",)),
    ("El País", "newspaper", "ES", ("El País", "Ediciones El País"), ("elpais.com",)),
    ("Kompas", "news_site", "ID", ("Kompas", "KOMPAS.com", "Kompas Cyber Media"), ("kompas.com",)),
    ("VnExpress", "news_site", "VN", ("VnExpress",), ("vnexpress.net",)),
    ("NRK", "broadcaster", "NO", ("NRK", "Norsk rikskringkasting"), ("nrk.no",)),
    ("Bloomberg", "wire_agency", "US", ("Bloomberg L.P.", "Bloomberg"), ("bloomberg.com",)),
    ("Forbes", "magazine", "US", ("Forbes", "Forbes Media"), ("forbes.com",)),
    ("The Wall Street Journal", "newspaper", "US", ("The Wall Street Journal", "Dow Jones & Company", "Dow Jones"), ("wsj.com",)),
    ("Financial Times", "newspaper", "GB", ("Financial Times", "The Financial Times"), ("ft.com",)),
    ("USA Today", "newspaper", "US", ("USA Today", "USA TODAY", "Gannett"), ("usatoday.com",)),
)  # fmt: skip

_BY_ALIAS: dict[str, str] = {}
_BY_DOMAIN: dict[str, str] = {}
for _name, _type, _country, _aliases, _domains in PUBLISHERS:
    for _a in (_name, *_aliases):
        _BY_ALIAS.setdefault(_a.casefold(), _name)
    for _d in _domains:
        _BY_DOMAIN[_d] = _name

_COPYRIGHT = regex.compile(
    r"(?:©|Ⓒ|\([cC]\)|(?i:\bcopyright\b))[\s©]*(?:(?i:copyright)\s*)?(?:©\s*)?"
    r"(?:\(?\d{4}(?:\s*[-–]\s*\d{2,4})?\)?[\s,.]*)?(?:(?i:by)\s+)?"
    r"(?P<owner>(?:[^\n.|,;©()\d]|\.(?=[a-z]{2,}\b))+)"
)
_TRADEMARK = regex.compile(r"(?i:trademarks?\s+of)\s+(?P<owner>(?:[^\n.|,;©()]|\.(?=[a-z]{2,}\b))+)")
_DOMAIN_LINE = regex.compile(r"^\s*(?:(?i:www)\.)?(?P<dom>[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,})\s*$")
_SUFFIX = regex.compile(
    r"(?i)(?:\s*[,&]?\s*\b(?:inc|incorporated|ltd|limited|llc|l\.?p|plc|gmbh|ag|s\.?a|corp|corporation|pty|co|"
    r"sdn\s+bhd|bhd|berhad|s\.?r\.?l|s\.?l|b\.?v|n\.?v|a/s|as|oy|ab|spa|s\.?p\.?a|kg|pvt)\b\.?)+\s*$"
)
_LONE_LETTER = regex.compile(r"\s+\p{L}$")
_RIGHTS = regex.compile(r"(?i)\s*\b(?:all rights|alle rechte|todos los derechos|tous droits|tutti i diritti|hak cipta).*$")
_NOT_PUBLISHER = frozenset(
    "getty images|shutterstock|alamy|istock|istockphoto|epa|ap photo|afp photo|reuters pictures|pixabay|unsplash|"
    "the author|the authors|author|authors|photographer|wikimedia commons|creative commons|google|facebook".split("|")
)
_SECOND_LEVEL = frozenset("co com net org gov ac edu or ne go web gob nic mil".split())


@dataclass(slots=True)
class PublisherCredit:
    """One piece of evidence for the publisher."""

    value: str
    char_start: int | None
    char_end: int | None
    rule: str
    confidence: float


def canonical_publisher(name: str) -> str | None:
    """Canonical publisher for a known alias or domain (case-insensitive), else None."""
    key = name.strip().casefold()
    return _BY_ALIAS.get(key) or _BY_DOMAIN.get(key.removeprefix("www."))


def registered_domain(host: str) -> str:
    """``www.thestar.com.my`` → ``thestar.com.my``; ``edition.cnn.com`` → ``cnn.com``."""
    labels = [p for p in host.lower().strip(".").split(".") if p]
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def publisher_from_url(url: str | None) -> PublisherCredit | None:
    """Publisher from the URL's host: a known domain maps to its name, otherwise the registered domain."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    host = host.lower()
    # the longest known suffix first: news.sky.com before sky.com
    parts = host.split(".")
    for i in range(len(parts) - 1):
        known = _BY_DOMAIN.get(".".join(parts[i:]))
        if known:
            return PublisherCredit(known, None, None, "url_domain_known", 0.9)
    return PublisherCredit(registered_domain(host), None, None, "url_domain", 0.6)


def _clean_owner(raw: str) -> str | None:
    """``Newsmax Media, Inc`` → ``Newsmax Media``; None for agencies, photo agencies and non-names."""
    owner = _RIGHTS.sub("", raw).strip(" -–—:")
    owner = _SUFFIX.sub("", owner).strip(" -–—:,")
    owner = _LONE_LETTER.sub("", owner)  # ``Edilportale.com S`` (from ``S.p.A.``)
    if not owner or len(owner) > 60 or len(owner.split()) > 7:
        return None
    if not owner[0].isalpha() or owner[0].islower():
        return None
    if owner.casefold() in _NOT_PUBLISHER or canonical_agency(owner) is not None:
        return None
    if owner.startswith("The ") and canonical_agency(owner[4:]) is not None:
        return None
    return owner


def find_publisher_credits(block: Block) -> list[PublisherCredit]:
    """Publisher evidence in one footer block: a copyright owner, a trademark owner or a known domain line."""
    text = block.text
    if len(text) > 300:
        return []
    lowered = text.lower()
    if not ("©" in text or "(c)" in lowered or "copyright" in lowered or "trademark" in lowered or "Ⓒ" in text):
        if " " in text.strip() or "." not in text:
            return []
    out: list[PublisherCredit] = []
    for pattern, rule_known, rule_raw, conf_known, conf_raw in (
        (_COPYRIGHT, "copyright_known", "copyright_owner", 0.9, 0.75),
        (_TRADEMARK, "trademark_known", "trademark_owner", 0.7, 0.5),
    ):
        for m in pattern.finditer(text):
            owner = _clean_owner(m["owner"])
            if owner is None:
                continue
            s = block.char_start + m.start("owner") + (len(m["owner"]) - len(m["owner"].lstrip()))
            known = canonical_publisher(owner)
            if known:
                out.append(PublisherCredit(known, s, s + len(owner), rule_known, conf_known))
            else:
                out.append(PublisherCredit(owner, s, s + len(owner), rule_raw, conf_raw))
    if not out:
        m = _DOMAIN_LINE.match(text)
        if m is not None:
            known = canonical_publisher(m["dom"]) or canonical_publisher(registered_domain(m["dom"]))
            if known:
                out.append(
                    PublisherCredit(known, block.char_start + m.start("dom"), block.char_start + m.end("dom"),
                                    "domain_line", 0.6)
                )  # fmt: skip
    return out


def choose_publisher(credits: list[PublisherCredit]) -> PublisherCredit | None:
    """The value with most support: its best credit's confidence + 0.03 per further credit (max 0.97).

    Ties go to the later credit in the text (the site footer comes last)."""
    if not credits:
        return None
    groups: dict[str, list[PublisherCredit]] = {}
    for c in credits:
        groups.setdefault(c.value.casefold(), []).append(c)
    best: PublisherCredit | None = None
    best_score = -1.0
    for group in groups.values():
        top = max(group, key=lambda c: c.confidence)
        score = min(0.97, top.confidence + 0.03 * (len(group) - 1))
        if score >= best_score:
            best_score = score
            best = PublisherCredit(top.value, top.char_start, top.char_end, top.rule, round(score, 3))
    return best
