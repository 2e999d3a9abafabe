"""Canonical names for cited sources: merge spelling variants, acronyms and descriptions.

Two layers:

1. A small table of known variants (transliterations "Zelenskiy/Zelenskyy", agency names and
   acronyms "Korean Central News Agency (KCNA)", metonyms "Kiev/Kyiv", demonyms "South Korean").
2. General rules that need no table: strip determiners and titles ("Ukrainian President
   Volodymyr Zelenskiy" -> a person name), keep the head of a possessive description
   ("Ukraine's defence minister"), canonicalise coordinated lists item by item
   ("Seoul, Washington and Kiev" -> "Seoul, Washington and Kyiv"), and resolve a bare surname to
   the full name seen earlier in the same document (`SourceResolver`).

`SourceResolver` is per document (it remembers the people named so far); the module-level
tables are immutable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# canonical -> (entity_type, variants).  Variants are matched case-insensitively after
# normalisation (curly apostrophes, leading "the", whitespace).
_KNOWN: dict[str, tuple[str, tuple[str, ...]]] = {
    # media / news agencies
    "KCNA": ("media", ("kcna", "korean central news agency", "state-run korean central news agency")),
    "Yonhap": ("media", ("yonhap", "yonhap news agency")),
    "Reuters": ("media", ("reuters", "thomson reuters")),
    "AFP": ("media", ("afp", "agence france-presse", "agence france presse")),
    "AP": ("media", ("ap", "associated press")),
    "TASS": ("media", ("tass", "itar-tass")),
    "RIA Novosti": ("media", ("ria novosti", "ria")),
    "Interfax": ("media", ("interfax",)),
    "Xinhua": ("media", ("xinhua", "xinhua news agency")),
    "Kyodo": ("media", ("kyodo", "kyodo news")),
    "Ukrinform": ("media", ("ukrinform",)),
    "North Korean state media": ("media", ("north korean state media", "north korea's state media",
                                           "the north's state media", "north's state media",
                                           "pyongyang's state media")),
    "state media": ("media", ("state media", "state-run media", "state television", "state tv")),
    # agencies and institutions
    "NIS": ("agency", ("nis", "national intelligence service", "south korea's spy agency",
                       "south korea's intelligence agency", "south korea's national intelligence service",
                       "seoul's spy agency", "south korean intelligence", "the south's spy agency",
                       "south korea's spy service", "south korean spy agency")),
    "CIA": ("agency", ("cia", "central intelligence agency")),
    "GUR": ("agency", ("gur", "hur", "ukraine's military intelligence", "ukrainian military intelligence",
                       "ukraine's military intelligence agency")),
    "Pentagon": ("government", ("pentagon", "u.s. department of defense", "us department of defense",
                                "u.s. defense department", "us defense department")),
    "Kremlin": ("government", ("kremlin",)),
    "U.S. officials": ("government", ("u.s. officials", "us officials", "american officials",
                                      "united states officials", "washington officials")),
    "South Korea's Unification Ministry": ("government", ("south korea's unification ministry",
                                                          "unification ministry", "seoul's unification ministry")),
    "Supreme People's Assembly": ("government", ("supreme people's assembly",)),
    "United Nations": ("organisation", ("un", "u.n.", "united nations", "the united nations")),
    "the West": ("group", ("the west", "west", "western countries", "western nations", "western governments",
                           "western allies")),
    # capitals used as metonyms for their governments
    "Kyiv": ("government", ("kyiv", "kiev")),
    "Seoul": ("government", ("seoul",)),
    "Washington": ("government", ("washington",)),
    "Moscow": ("government", ("moscow",)),
    "Pyongyang": ("government", ("pyongyang",)),
    "Beijing": ("government", ("beijing", "peking")),
    "Tokyo": ("government", ("tokyo",)),
    # countries
    "United States": ("government", ("u.s.", "us", "usa", "u.s.a.", "united states", "america",
                                     "united states of america")),
    "South Korea": ("government", ("south korea", "republic of korea", "rok")),
    "North Korea": ("government", ("north korea", "dprk", "democratic people's republic of korea")),
    "Ukraine": ("government", ("ukraine",)),
    "Russia": ("government", ("russia", "russian federation")),
    "China": ("government", ("china",)),
    "Japan": ("government", ("japan",)),
    "United Kingdom": ("government", ("britain", "united kingdom", "uk", "u.k.")),
    # people (transliteration variants)
    "Volodymyr Zelensky": ("person", tuple(
        f"{first}{last}" for first in ("", "volodymyr ", "volodimir ", "wolodymyr ", "vladimir ")
        for last in ("zelensky", "zelenskiy", "zelenskyy", "zelenskyi", "zelenski", "zelenskij"))),
    "Vladimir Putin": ("person", ("putin", "vladimir putin", "vladimir vladimirovich putin", "wladimir putin")),
    "Kim Jong Un": ("person", ("kim jong un", "kim jong-un", "kim jongun", "kim jong-eun")),
    "Kim Yo Jong": ("person", ("kim yo jong", "kim yo-jong")),
    "Choe Son Hui": ("person", ("choe son hui", "choe son-hui", "choe sun hui")),
    "Dmitry Peskov": ("person", ("peskov", "dmitry peskov", "dmitri peskov", "dmitriy peskov")),
    "Sergei Lavrov": ("person", ("lavrov", "sergei lavrov", "sergey lavrov")),
    "Yoon Suk Yeol": ("person", ("yoon suk yeol", "yoon suk-yeol", "yoon seok-youl")),
    "Xi Jinping": ("person", ("xi jinping",)),
    "Joe Biden": ("person", ("biden", "joe biden", "joseph biden")),
    "Donald Trump": ("person", ("trump", "donald trump", "donald j. trump")),
    "Rustem Umerov": ("person", ("umerov", "rustem umerov")),
}
VARIANTS: dict[str, tuple[str, str]] = {v: (canon, etype) for canon, (etype, vs) in _KNOWN.items() for v in vs}

# Demonym (adjective) -> country, for "South Korean and Ukrainian intelligence assessments".
DEMONYMS: dict[str, str] = {
    "u.s.": "United States", "us": "United States", "american": "United States",
    "south korean": "South Korea", "north korean": "North Korea", "ukrainian": "Ukraine",
    "russian": "Russia", "chinese": "China", "japanese": "Japan", "british": "United Kingdom",
    "french": "France", "german": "Germany", "western": "the West", "israeli": "Israel",
    "iranian": "Iran", "indian": "India", "pakistani": "Pakistan", "turkish": "Turkey",
    "polish": "Poland", "italian": "Italy", "spanish": "Spain", "canadian": "Canada",
    "australian": "Australia", "taiwanese": "Taiwan", "syrian": "Syria", "european": "Europe",
}
# Country -> demonym (lower case), for subjects of quantities ("North Korea sent 11,000 troops").
COUNTRY_DEMONYM: dict[str, str] = {
    "north korea": "north korean", "south korea": "south korean", "russia": "russian",
    "ukraine": "ukrainian", "china": "chinese", "japan": "japanese", "iran": "iranian",
    "israel": "israeli", "the united states": "u.s.", "united states": "u.s.", "u.s.": "u.s.", "us": "u.s.",
    "britain": "british", "france": "french", "germany": "german", "turkey": "turkish",
    "pyongyang": "north korean", "moscow": "russian", "kyiv": "ukrainian", "seoul": "south korean",
}

# Titles and role words dropped in front of a person's name.
TITLE_WORDS = frozenset("""
president prime minister foreign defence defense finance interior deputy vice secretary chancellor
leader general gen. lt. col. colonel major sgt. admiral adm. senator sen. rep. representative gov.
governor mayor king queen prince pope chief spokesman spokeswoman spokesperson ambassador envoy
commander mr. mrs. ms. dr. prof. professor judge justice chairman chairwoman chair director head
state affairs supreme former acting top senior official officer presidential press
bundeskanzler bundeskanzlerin kanzler kanzlerin ministre ministra ministro ministerin präsident präsidentin
ceo cfo coo cto founder co-founder
""".split())
# Role nouns in other languages ("la ministra de Hacienda, Carmen Ruiz" -> later "la ministra").
ROLE_WORDS = frozenset("""ministre ministra ministro ministerin président présidente presidente präsident
präsidentin porte-parole portavoz porta-voz sprecher sprecherin secrétaire secretario secretaria secretário
directeur directrice directora diretor diretora chef jefe jefa líder dirigeant gouverneur gobernador
governador maire alcalde alcaldesa prefeito bürgermeister bürgermeisterin kanzler kanzlerin bundeskanzler
bundeskanzlerin premier""".split())
_ROLE_JOINERS = frozenset("de of des del da do der von di du".split())
_ROLE_SKIP = frozenset("the a an le la les l' el los las o os a as der die das den dem des il lo un une um uma".split())
_ROLE_HEADS = (TITLE_WORDS | ROLE_WORDS) - frozenset("""foreign defence defense finance interior deputy vice state
affairs supreme former acting top senior presidential press head chief""".split())
# Words that make a capitalised phrase an organisation rather than a person.
ORG_WORDS = frozenset("""
ministry agency service office council department committee assembly institute university bank
command forces army navy party times news post journal daily press parliament house senate congress
court union organisation organization association company corp inc ltd group authority authorities
government administration commission centre center bureau police military kremlin pentagon network survey
television radio channel media coalition alliance federation republic kingdom states nations
""".split())
_MEDIA_WORDS = frozenset("media news agency newspaper television tv radio times post journal daily channel"
                         " broadcaster outlet".split())
_AGENCY_WORDS = frozenset("intelligence spy".split())
_GOV_WORDS = frozenset("""ministry minister officials official government president kremlin pentagon military
army forces parliament lawmakers house assembly authorities police embassy department senate congress
spokesman spokeswoman spokesperson diplomats command""".split())
_GROUP_WORDS = frozenset("experts analysts observers sources researchers residents witnesses activists"
                         " monitors people community reports".split())

_GENERIC_HEADS = frozenset("""police officials authorities analysts experts organisers organizers residents
witnesses sources observers prosecutors investigators rescuers officers diplomats lawmakers government
ministry official results reports researchers""".split())
_APOS_RE = re.compile(r"[’‘`´]")
_WS_RE = re.compile(r"\s+")
_PAREN_RE = re.compile(r"\s*\(([^()]{1,40})\)\s*$")
_LEAD_DET_RE = re.compile(r"^(?:the|a|an)\s+", re.I)
_REPORTS_FROM_RE = re.compile(r"^(?:(?:preliminary|official|final|latest|new)\s+)?(?:reports?|assessments?|estimates?"
                              r"|intelligence|results|figures|data)\s+(?:from|by|of)\s+", re.I)
# "Eurostat data", "Labor Department figures": the organisation publishing them.
_DATA_SUFFIX_RE = re.compile(r"^(?P<org>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*)\s+(?:data|figures|statistics|numbers)$")
_LIST_SPLIT_RE = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+")
_TOKEN_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ\u0100-\u024F][\w.'’-]*")


@lru_cache(maxsize=8192)
def normalise_key(text: str) -> str:
    """Lower-case lookup key: unified apostrophes, no leading determiner, single spaces."""
    t = _WS_RE.sub(" ", _APOS_RE.sub("'", text)).strip().strip(",;:").strip()
    t = _LEAD_DET_RE.sub("", t)
    return t.lower()


@lru_cache(maxsize=8192)
def _title_case_free(text: str) -> str:
    """The phrase as written minus a leading determiner, apostrophes unified."""
    t = _WS_RE.sub(" ", _APOS_RE.sub("'", text)).strip().strip(",;:").strip()
    return _LEAD_DET_RE.sub("", t)


@dataclass(frozen=True, slots=True)
class Canonical:
    name: str
    entity_type: str  # person, organisation, government, agency, media, place, group
    rule: str
    confidence: float


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


def _entity_type_of(words: list[str]) -> str:
    low = {w.lower().strip(".,") for w in words}
    if low & _MEDIA_WORDS:
        return "media"
    if low & _AGENCY_WORDS:
        return "agency"
    if low & _GOV_WORDS:
        return "government"
    if low & _GROUP_WORDS:
        return "group"
    return "organisation"


@lru_cache(maxsize=8192)
def person_name(phrase: str) -> str | None:
    """The personal name at the end of a described phrase, or None.

    "North Korean leader Kim Jong Un" -> "Kim Jong Un"; "Foreign Minister Choe Son Hui" ->
    "Choe Son Hui"; "President Putin" -> "Putin"; "Ukraine's defence minister" -> None.
    """
    phrase = _PAREN_RE.sub("", phrase)
    toks = _TOKEN_RE.findall(_APOS_RE.sub("'", phrase))
    if not toks:
        return None
    tail: list[str] = []
    for tok in reversed(toks):
        if not _is_cap(tok) or tok.endswith("'s"):
            break
        tail.append(tok)
    tail.reverse()
    if len(tail) < len(toks) and toks[len(toks) - len(tail) - 1].lower() in ("of", "for", "and", "the", "on", "at"):
        return None  # "Centre for Disease Control": an organisation's name, not a person's
    had_title = len(tail) < len(toks) and toks[len(toks) - len(tail) - 1].lower() in TITLE_WORDS
    # drop leading titles / demonyms / countries inside the capitalised tail; a title word inside
    # the tail ("Belgian Agriculture Minister Jan Peeters") means the name starts after it
    i = 0
    for k in range(len(tail) - 1, -1, -1):
        if tail[k].lower() in TITLE_WORDS:
            i, had_title = k + 1, True
            break
    while i < len(tail):
        low = tail[i].lower()
        two = " ".join(t.lower() for t in tail[i:i + 2])
        if low in TITLE_WORDS:
            had_title = True
            i += 1
        elif two in DEMONYMS or two in VARIANTS:
            i += 2
        elif low in DEMONYMS:
            i += 1
        else:
            break
    name = tail[i:]
    if not name or any(t.lower().strip(".") in ORG_WORDS for t in name):
        return None
    if len(name) == 1 and not had_title:
        return None
    if len(name) > 4:
        return None
    joined = " ".join(name)
    if normalise_key(joined) in VARIANTS and VARIANTS[normalise_key(joined)][1] != "person":
        return None
    return joined


@lru_cache(maxsize=8192)
def _canonical_item(item: str) -> tuple[str, str]:
    """Canonical name and type of one list item (no list inside)."""
    key = normalise_key(item)
    if key in VARIANTS:
        return VARIANTS[key]
    if key in DEMONYMS:
        country = DEMONYMS[key]
        return country, VARIANTS.get(normalise_key(country), (country, "government"))[1]
    return _title_case_free(item), _entity_type_of(item.split())


class SourceResolver:
    """Canonicalise source phrases within one document, remembering the people named so far."""

    __slots__ = ("_surnames", "_roles", "last_person", "last_source", "_cache")

    def __init__(self) -> None:
        self._surnames: dict[str, str] = {}
        self._roles: dict[str, str] = {}  # "minister" -> "Joana Ribeiro": the last person so titled
        self._cache: dict[str, Canonical] = {}
        self.last_person: str | None = None
        self.last_source: str | None = None

    def remember_person(self, name: str) -> None:
        """Register a full person name so a later bare surname resolves to it."""
        parts = name.split()
        if len(parts) >= 2:
            self._surnames[parts[-1].lower()] = name
            self._surnames[parts[0].lower()] = name  # family-name-first names ("Kim Jong Un" -> "Kim")
        self.last_person = name

    def remember_role(self, role: str, name: str) -> None:
        """Remember that `role` ("le ministre de l'Intérieur", "Finance Minister") names `name`, so
        a later bare "the minister" / "la ministra" resolves to that person."""
        words = []
        for w in _TOKEN_RE.findall(_APOS_RE.sub("'", role).lower()):
            if w in _ROLE_JOINERS:
                break  # "ministre de l'Intérieur": the head comes before "de"
            if w not in _ROLE_SKIP:
                words.append(w)
        head = next((w for w in reversed(words) if w in _ROLE_HEADS), None)  # "Interior Minister" -> minister
        if head is not None:
            self._roles[head] = name

    def role_person(self, phrase: str) -> str | None:
        """The person a bare role phrase ("the minister", "La ministra") refers to, if known."""
        words = [w for w in _TOKEN_RE.findall(_APOS_RE.sub("'", phrase).lower()) if w not in _ROLE_SKIP]
        if len(words) == 1 or (len(words) > 1 and words[1] in ("de", "of", "des", "del", "da", "do", "der")):
            return self._roles.get(words[0]) if words else None
        return None

    def canonical(self, phrase: str) -> Canonical:
        """Canonical name of a source phrase as written (cached per document)."""
        if self._roles:
            who = self.role_person(phrase)
            if who is not None:
                return Canonical(who, "person", "role_coreference", 0.7)
        hit = self._cache.get(phrase)
        if hit is not None and hit.rule != "surname_coreference":
            if hit.entity_type == "person" and " " in hit.name:
                self.remember_person(hit.name)
            return hit
        out = self._canonical(phrase)
        if " " in phrase or out.rule in ("known_variant", "known_acronym"):
            self._cache[phrase] = out  # a bare word may become a known surname later: not cached
        return out

    def _canonical(self, phrase: str) -> Canonical:
        phrase = _PAREN_RE.sub(lambda m: "" if normalise_key(m.group(1)) not in VARIANTS else f" ({m.group(1)})",
                               phrase).strip()
        # "Korean Central News Agency (KCNA)": the acronym decides when known
        acr = _PAREN_RE.search(phrase)
        if acr and normalise_key(acr.group(1)) in VARIANTS:
            name, etype = VARIANTS[normalise_key(acr.group(1))]
            return Canonical(name, etype, "known_acronym", 0.95)
        key = normalise_key(phrase)
        if key in VARIANTS:
            name, etype = VARIANTS[key]
            if etype == "person":
                self.remember_person(name)
            return Canonical(name, etype, "known_variant", 0.95)
        body = _REPORTS_FROM_RE.sub("", _title_case_free(phrase))
        if body != _title_case_free(phrase):
            return self.canonical(body)
        dm = _DATA_SUFFIX_RE.match(body)
        if dm is not None:
            return self.canonical(dm.group("org"))
        key = normalise_key(body)
        # a bare surname already seen in full
        if key in self._surnames:
            return Canonical(self._surnames[key], "person", "surname_coreference", 0.85)
        items = [p for p in _LIST_SPLIT_RE.split(body) if p]
        if len(items) >= 2 and all(_is_cap(p.strip()) or p.lower().startswith("the ") for p in items):
            return self._canonical_list(items)
        # the known name at the head of a description: "state media KCNA", "President Zelenskiy"
        toks = _TOKEN_RE.findall(_APOS_RE.sub("'", body))
        for n in (4, 3, 2, 1):
            if len(toks) > n:
                tail = normalise_key(" ".join(toks[-n:]))
                if tail in VARIANTS and VARIANTS[tail][1] in ("person", "media", "agency"):
                    name, etype = VARIANTS[tail]
                    if etype == "person":
                        self.remember_person(name)
                    return Canonical(name, etype, "known_head", 0.9)
        # a description ending in an acronym: "Chinese state broadcaster CCTV" -> "CCTV"
        if len(toks) > 1 and len(toks[-1]) >= 2 and toks[-1].isupper() and toks[-1].isalpha() \
                and toks[-1].lower() not in DEMONYMS:
            return Canonical(toks[-1], _entity_type_of(toks), "acronym_head", 0.85)
        person = person_name(body)
        if person is not None and " " in person:
            k = body.rfind(person)
            if k > 0:
                self.remember_role(body[:k], person)
        if person is not None:
            pkey = person.lower()
            if pkey in VARIANTS:
                name = VARIANTS[pkey][0]
            elif pkey in self._surnames:
                name = self._surnames[pkey]
            else:
                name = person
            if " " in name:
                self.remember_person(name)
            return Canonical(name, "person", "titled_name", 0.8)
        name, etype = _canonical_item(body)
        first, _, rest = name.partition(" ")
        if first.lower() in _GENERIC_HEADS and rest == rest.lower():
            name = name[:1].lower() + name[1:]  # "Police" at a sentence start is "police"
        return Canonical(name, etype, "description", 0.6)

    def _canonical_list(self, items: list[str]) -> Canonical:
        """"U.S., South Korean and Ukrainian intelligence assessments" -> a list of countries + head."""
        names: list[str] = []
        head = ""
        last = items[-1]
        last_toks = last.split() if normalise_key(last) not in VARIANTS else []
        # a shared head noun on the last item after a demonym: "Ukrainian intelligence assessments"
        for n in (2, 1):
            if len(last_toks) > n and " ".join(last_toks[:n]).lower() in DEMONYMS:
                head = " ".join(last_toks[n:])
                items = items[:-1] + [" ".join(last_toks[:n])]
                break
        for it in items:
            names.append(self.canonical(it).name)
        joined = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        if head:
            joined = f"{joined} {head}"
            return Canonical(joined, _entity_type_of(head.split()) if head else "group", "list_with_head", 0.8)
        return Canonical(joined, "group", "list", 0.85)
