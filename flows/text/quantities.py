"""Quantities in a sentence: value, bounds from the qualifier, the counted object.

"more than 10,000 North Korean soldiers in Russia" -> value 10000, low 10000, high None,
unit "troops", qualifier "more than", subject "north korean troops in russia".

Bounds (documented conventions):
- exact "11,000": low = high = value;
- lower bounds "more than / over / at least / in excess of / X or more": low = value;
- upper bounds "up to / as many as / fewer than / under / at most": high = value;
- approximations "around / about / some / roughly / approximately / an estimated / close to":
  low = 0.9 * value, high = 1.1 * value; "nearly / almost": 0.9 * value .. value;
- vague multiples: "dozens" 24-108, "hundreds" 200-900, "thousands" 2,000-9,000,
  "tens of thousands" 20,000-90,000, "hundreds of thousands" 200,000-900,000 (and likewise for
  millions/billions); "several thousand" 3,000-9,000; "a few thousand" 2,000-5,000.  For these
  `value` is the low end.
- explicit ranges "10,000-12,000", "between 10,000 and 12,000": value = low = first number.

Not quantities: years, dates ("June 19"), clock times, durations and ages (days, years, "45-year-old"),
ordinals ("21st"), list numbers ("1."), phone numbers, scores ("drew 1-1"), model/identifier numbers
after a capitalised word ("Su 27", "Resolution 2231"), and bare numbers with no unit, qualifier,
currency or percent sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.text.source_names import COUNTRY_DEMONYM, DEMONYMS

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ATOM_RE = re.compile(
    r"(?<![\w.,/:#+\-–])"
    r"(?:"
    r"(?:(?P<cur>US\$|A\$|C\$|HK\$|\$|€|£|¥|₩|₹|₽)\s?)?"
    r"(?P<num>" + _NUM + r")"
    r"(?:\s?(?P<scale>million|billion|trillion|thousand|mln|bln)\b|(?P<sscale>bn|tn|m|b|k)(?!\w))?"
    r"|(?P<vague>(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)"
    r"|(?:several|a\s+few|many)\s+(?:hundred|thousand|million|billion)"
    r"|thousands|hundreds|dozens|millions|billions|a\s+dozen)"
    r"|(?P<word>one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|a|an)\s+(?P<wscale>hundred|thousand|million|billion)"
    r")(?P<cur2>(?!))?(?!\w)",
    re.IGNORECASE)
# The same atoms restricted to digits (the fast common case); `_ATOM_RE` is used only when a
# sentence has a scale word ("thousands", "million", "dozen").
_DIGIT_ATOM_RE = re.compile(
    r"(?:(?P<cur>US\$|A\$|C\$|HK\$|\$|€|£|¥|₩|₹|₽)\s?)?"
    r"(?P<num>" + _NUM + r")"
    r"(?:\s?(?P<scale>million|billion|trillion|thousand|mln|bln)\b|(?P<sscale>bn|tn|m|b|k)(?!\w))?"
    r"(?P<vague>(?!))?(?P<word>(?!))?(?P<wscale>(?!))?(?P<cur2>(?!))?(?!\w)",
    re.IGNORECASE)
# French/Spanish/German/Portuguese/Italian digits: "2 500", "1.200", "7,1"; scale words of those
# languages; a currency sign may follow ("900 000 €").
_EU_NUM = r"\d{1,3}(?:,\d{3})+(?![\d,])|\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_EU_SCALE = (r"millions?|milliards?|millones|millón|mil\s+millones|Millionen|Million|Milliarden|Milliarde|Mio\."
             r"|Mrd\.|milhões|milhão|milhares|bilhões|bilhão|mil|mille|milioni|milione|miliardi|miliardo")
_EU_ATOM_RE = re.compile(
    r"(?<![\w.,/:#+\-–])"
    r"(?:(?P<cur>US\$|\$|€|£)\s?)?"
    r"(?P<num>" + _EU_NUM + r")"
    r"(?:\s?(?P<scale>" + _EU_SCALE + r")(?!\w)|(?P<sscale>(?!)))?"
    r"(?P<vague>(?!))?(?P<word>(?!))?(?P<wscale>(?!))?"
    r"(?:\s?(?P<cur2>€|\$|£)(?!\w))?(?![\w])")
_EU_LANGS = frozenset(("fr", "es", "de", "pt", "it"))
_SCALE_WORDS = ("thousand", "hundred", "dozen", "million", "billion")
_NUM_HIT_RE = re.compile(r"[0-9$€£¥₩₹₽]")
_DIGITS_RE = re.compile(r"\d*")
_NOT_BEFORE = frozenset("_.,/:#+-–")  # a number does not start right after these (nor after a letter/digit)


def _digit_atoms(s: str) -> list[re.Match]:
    """`_DIGIT_ATOM_RE` matches: a C-level scan to each digit or currency sign, the full pattern
    only there, and the "not inside a word or a number" condition checked by hand."""
    out = []
    pos = 0
    while True:
        h = _NUM_HIT_RE.search(s, pos)
        if h is None:
            return out
        i = j = h.start()
        if s[i] == "$":
            for p in ("HK", "US", "A", "C"):
                if s.startswith(p, i - len(p)):
                    j = i - len(p)
                    break
        if j and (s[j - 1].isalnum() or s[j - 1] in _NOT_BEFORE):
            pos = _DIGITS_RE.match(s, i + 1).end()
            continue
        m = _DIGIT_ATOM_RE.match(s, j)
        if m is None and j != i:
            m = _DIGIT_ATOM_RE.match(s, i)
        if m is None:
            pos = i + 1
            continue
        out.append(m)
        pos = m.end()
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bln": 1e9,
           "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "hundred": 1e2,
           "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "millones": 1e6, "millón": 1e6,
           "mil millones": 1e9, "millionen": 1e6, "milliarden": 1e9, "milliarde": 1e9, "mio.": 1e6, "mrd.": 1e9,
           "milhões": 1e6, "milhão": 1e6, "milhares": 1e3, "bilhões": 1e9, "bilhão": 1e9, "mil": 1e3,
           "mille": 1e3, "milioni": 1e6, "milione": 1e6, "miliardi": 1e9, "miliardo": 1e9}
_WORD_VALUES = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_VAGUE_SCALE = {"thousands": 1e3, "hundreds": 1e2, "millions": 1e6, "billions": 1e9}
_CURRENCY_SYMBOLS = {"$": "usd", "US$": "usd", "A$": "aud", "C$": "cad", "HK$": "hkd", "€": "eur", "£": "gbp",
                     "¥": "jpy", "₩": "krw", "₹": "inr", "₽": "rub"}
_CURRENCY_WORDS = {"dollars": "usd", "dollar": "usd", "usd": "usd", "euros": "eur", "euro": "eur", "eur": "eur",
                   "pounds": "gbp", "gbp": "gbp", "yen": "jpy", "jpy": "jpy", "yuan": "cny", "cny": "cny",
                   "rmb": "cny", "won": "krw", "krw": "krw", "rubles": "rub", "roubles": "rub", "rub": "rub",
                   "hryvnias": "uah", "hryvnia": "uah", "uah": "uah", "rupees": "inr", "inr": "inr",
                   "dong": "vnd", "vnd": "vnd", "naira": "ngn", "ngn": "ngn", "swiss francs": "chf",
                   "swiss franc": "chf", "chf": "chf"}
_MEASURES = {"tons": "tonnes", "tonnes": "tonnes", "ton": "tonnes", "tonne": "tonnes", "kilometres": "km",
             "kilometers": "km", "km": "km", "miles": "miles", "mile": "miles", "kg": "kg", "kilograms": "kg",
             "metres": "m", "meters": "m", "litres": "litres", "liters": "litres", "barrels": "barrels",
             "hectares": "hectares", "acres": "acres", "megawatts": "mw", "mw": "mw", "gigawatts": "gw",
             "points": "points", "point": "points", "votes": "votes", "seats": "seats", "mm": "mm",
             "millimetres": "mm", "millimeters": "mm", "cm": "cm", "inches": "inches", "magnitude": "magnitude",
             "kilomètres": "km", "kilómetros": "km", "kilometer": "km", "quilômetros": "km", "toneladas": "tonnes",
             "tonnen": "tonnes", "hectáreas": "hectares", "hektar": "hectares", "basis points": "basis points",
             "basis point": "basis points"}
_UNIT_SYNONYMS = {"soldiers": "troops", "soldier": "troops", "troop": "troops", "servicemen": "troops",
                  "personnel": "troops", "persons": "people", "individuals": "people", "person": "people",
                  "containers": "containers", "container": "containers"}
_PERSON_GROUPS = frozenset("troops people workers fighters civilians refugees prisoners engineers officers "
                           "mercenaries labourers laborers advisers".split())
_PLURALS = frozenset("people police personnel aircraft staff children men women cattle sheep fish "
                     "livestock militia".split())
_OF_HEADS = frozenset("containers shipments crates barrels truckloads boxes rounds tonnes".split())
_TIME_UNITS = frozenset("""years year months month weeks week days day hours hour minutes minute seconds second
decades decade centuries century am pm a.m p.m gmt utc est edt bst cet kst jst o'clock year-old years-old
nights night""".split())
_STOP = frozenset("""to in on at by for from with into onto over under near across inside outside within have
has had were was are is be been being and or but that which who whom whose since as than per a an the this
these those it its their his her said says say would will could may might must should can more less also
not no of after before during until while when where if because so including like via through between
among against about around toward towards""".split())
_LOWER = frozenset(("more than", "over", "at least", "upwards of", "in excess of", "no fewer than", "well over",
                    "well above", "above", "exceeding", "plus de", "plus d'", "au moins", "más de", "más de un",
                    "más de una", "al menos", "mais de", "mais de um", "mais de uma", "pelo menos", "mehr als",
                    "mindestens", "über", "più di", "almeno"))
_UPPER = frozenset(("up to", "as many as", "as much as", "fewer than", "less than", "under", "at most",
                    "no more than", "not more than", "below", "jusqu'à", "moins de", "hasta", "menos de", "até",
                    "bis zu", "weniger als", "fino a", "meno di"))
_APPROX = frozenset(("around", "about", "some", "roughly", "approximately", "approx.", "an estimated",
                     "estimated", "close to", "closer to", "environ", "quelque", "quelques", "cerca de",
                     "alrededor de", "unos", "unas", "aproximadamente", "rund", "etwa", "ungefähr", "circa"))
_RANGE_RE = re.compile(r"\s*(?:-|–|—|to|and)\s*(?:US\$|\$|€|£)?(?P<num>" + _NUM + r")(?:\s?(?P<scale>million|billion|"
                       r"trillion|thousand)\b|(?P<sscale>bn|m|k)(?!\w))?(?!\w)", re.IGNORECASE)
_OR_MORE_RE = re.compile(r"\s+or\s+(more|so|fewer|less)\b|(?:-|\s)plus\b", re.IGNORECASE)
_PERCENT_RE = re.compile(r"\s?(?:%|percent\b|per\s+cent\b|pct\b|percentage\s+points?\b)", re.IGNORECASE)
_TOKEN_RE = re.compile(r"\s*([A-Za-zÀ-ÖØ-öø-ÿ\u0100-\u024F](?:[\w'’-]|\.(?=[A-Za-z]))*|[^\w\s]|\d[\w,.]*)")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_MONTH_WORD_END_RE = re.compile(_MONTH + r"$")
_MONTH_RIGHT_RE = re.compile(r"\s+(?:of\s+)?" + _MONTH + r"(?!\w)")
_CAP_WORD_RE = re.compile(r"[A-Z][\w-]*")
_PREP_WORDS = frozenset("in since by from until of before after during the year early late mid".split())
_PHONE_RE = re.compile(r"(?<!\w)\+?\(?\d{2,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,4}(?!\w)")
_PHONE_HINT_RE = re.compile(r"\d[\s.)-]\d{3}")
_SENDER_RE = re.compile(
    r"(?:^|[^\w])((?:[A-Z][\w.'’-]*\s){0,2}[A-Z][\w.'’-]*)\s+(?:has\s+|had\s+|have\s+|having\s+|was\s+)?"
    r"(?:already\s+|now\s+|reportedly\s+|also\s+)?(?:sent|send|sends|sending|deployed|deploying|deploys"
    r"|dispatched|dispatching|dispatches)\s+$")
_PLACE_RE = re.compile(
    r"\s+(?:(?:have|has|had)\s+(?:been\s+)?(?:sent|deployed|dispatched|stationed)\s+)?"
    r"(?:to|in|into|inside)\s+((?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})")
# Words after a number in French/Spanish/German/Portuguese/Italian text.
_EU_CURRENCY = {"usd": "usd", "eur": "eur", "euros": "eur", "euro": "eur", "dollars": "usd", "dollar": "usd", "dólares": "usd",
                "dólar": "usd", "livres": "gbp", "libras": "gbp", "pfund": "gbp", "francs": "chf", "franken": "chf",
                "reais": "brl", "real": "brl", "pesos": "mxn", "yuans": "cny", "yens": "jpy"}
_EU_TIME = frozenset("""ans an années année jours jour mois semaines semaine heures heure minutes minute siècles
años año días día meses mes semanas semana horas hora minutos minuto siglos anos ano dias dia
jahre jahren jahr tage tagen tag monate monaten monat wochen woche stunden stunde minuten
anni anno giorni giorno mesi settimane ore h""".split())
_EU_STOP = frozenset("""le la les de des du et à au aux en dans pour par sur avec un une ce qui que ou ont a est
el los las del y a en por para con un una que se o al es su ha han
o os as do da dos das e em no na com um uma ao foi são
der die das den dem des und in im mit für von zu ein eine auf an bei nach vor aus ist sind
il lo gli di della per che è""".split())
_EU_CONNECTORS = ("de ", "d'", "d’", "di ")
_EU_MONTHS = frozenset("""janvier février mars avril mai juin juillet août septembre octobre novembre décembre
janv févr avr juil sept oct nov déc enero febrero marzo abril mayo junio julio agosto septiembre octubre
noviembre diciembre ene feb mar abr may jun jul ago sep dic januar februar märz april juni juli oktober
dezember jan mär okt dez janeiro fevereiro março maio junho julho setembro outubro novembro dezembro fev
out""".split())
_MAGNITUDE_WORDS = frozenset(("magnitude", "magnitud", "magnitude-", "stärke", "magnitudo"))
_EU_PERCENT_RE = re.compile(r"\s?(?:pour\s+cent|por\s+ciento|por\s+cento|prozent|per\s+cento)\b", re.IGNORECASE)
# Adjectives that stand for people after a number ("at least 11,000 injured", "68 others missing").
_PEOPLE_ADJECTIVES = frozenset("injured wounded dead missing displaced homeless unemployed evacuated".split())
_PLACE_STARTS = (" to ", " in ", " into ", " inside ", " have ", " has ", " had ")
_NON_PLACES = frozenset("the january february march april may june july august september october november "
                        "december monday tuesday wednesday thursday friday saturday sunday".split())


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity; offsets are relative to the string given to `find_quantities`."""

    char_start: int
    char_end: int
    text: str
    value: float
    low: float | None
    high: float | None
    unit: str | None
    qualifier: str | None
    subject: str | None
    rule: str
    confidence: float


_QUALIFIERS = frozenset(" ".join(q.split()) for q in (
    "more than|over|at least|up to|as many as|as much as|nearly|almost|around|about|some|roughly|approximately"
    "|approx.|an estimated|estimated|fewer than|less than|under|close to|closer to|upwards of|in excess of|at most"
    "|no more than|no fewer than|not more than|just over|just under|well over|well above|above|below|exceeding"
    "|between|from|an additional|another").split("|"))
# French, Spanish, Portuguese, German, Italian
_EU_QUALIFIERS = frozenset((
    "plus de|plus d'|au moins|jusqu'à|moins de|près de|presque|environ|quelque|quelques|quasiment"
    "|más de|más de un|más de una|al menos|hasta|menos de|casi|cerca de|alrededor de|unos|unas|aproximadamente"
    "|mais de|mais de um|mais de uma|pelo menos|até|quase"
    "|mehr als|mindestens|bis zu|weniger als|fast|knapp|rund|etwa|ungefähr|über"
    "|più di|almeno|fino a|meno di|quasi|circa").split("|"))
# Last words of the qualifiers: the cheap test before `_qualifier` for a number with nothing after it.
_QUAL_LAST_WORDS = frozenset(q.split()[-1] for q in _QUALIFIERS)
_NEARLY = frozenset(("nearly", "almost", "près de", "presque", "quasiment", "casi", "quase", "fast", "knapp",
                     "quasi"))


def _qualifier(left: str, left_words: list[str], start: int,
               qualifiers: frozenset[str] = _QUALIFIERS) -> tuple[str | None, int]:
    """The qualifier just before a number ("more than", "up to") and where it starts."""
    words = left_words[-3:]
    for n in (3, 2, 1):
        if len(words) >= n:
            cand = " ".join(words[-n:])
            if cand.lower() in qualifiers:
                k = left.rfind(words[-n])
                return cand, start - (len(left) - k)
    return None, start


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _eu_num(s: str) -> float:
    """"2 500" / "1.200" / "7,1" -> float; comma groups of three digits ("100,000", as written in
    Latin America) are thousands too."""
    if "," in s and "." not in s and " " not in s and all(len(g) == 3 for g in s.split(",")[1:]):
        return float(s.replace(",", ""))
    return float(s.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace(".", "").replace(",", "."))


def _scale(m: re.Match, g_scale: str = "scale", g_short: str = "sscale") -> float:
    sc = m.group(g_scale) or m.group(g_short)
    return _SCALES[" ".join(sc.lower().split())] if sc else 1.0


def _vague_bounds(phrase: str) -> tuple[float, float]:
    p = " ".join(phrase.lower().split())
    if p.startswith(("tens of", "hundreds of")):
        unit = _VAGUE_SCALE[p.split()[-1]]
        base = 10.0 if p.startswith("tens") else 100.0
        return 2 * base * unit, 9 * base * unit
    if p == "dozens":
        return 24.0, 108.0
    if p == "a dozen":
        return 12.0, 12.0
    if p.startswith(("several", "a few", "many")):
        unit = _SCALES[p.split()[-1]]
        return (3 * unit, 9 * unit) if not p.startswith("a few") else (2 * unit, 5 * unit)
    unit = _VAGUE_SCALE[p]
    return 2 * unit, 9 * unit


def _bounds(value: float, qual: str | None) -> tuple[float | None, float | None]:
    if qual is None:
        return value, value
    q = " ".join(qual.lower().split())
    if q in _LOWER:
        return value, None
    if q in _UPPER:
        return None, value
    if q in _APPROX:
        return round(value * 0.9, 6), round(value * 1.1, 6)
    if q in _NEARLY:
        return round(value * 0.9, 6), value
    if q == "just over":
        return value, round(value * 1.1, 6)
    if q == "just under":
        return round(value * 0.9, 6), value
    return value, value


def _unit_phrase(s: str, pos: int, english: bool, money: bool = False) -> tuple[int, str | None, str | None, str | None]:
    """Parse the counted object after `pos`: (end, unit, head-as-written, subject)."""
    toks: list[tuple[int, int, str]] = []
    p = pos
    for m in _TOKEN_RE.finditer(s, pos, min(len(s), pos + 120)):
        if m.start() != p:
            break
        toks.append((m.start(1), m.end(1), m.group(1)))
        p = m.end()
        if len(toks) == 8:
            break
    if not toks:
        return pos, None, None, None
    i = 0
    if toks[0][2].lower() == "of":
        i = 1
        if len(toks) > 2 and toks[1][2].lower() in ("the", "these", "those"):
            i = 2  # "45 of the aircraft"
    if i < len(toks):
        first = toks[i][2]
        fl = first.lower()
        if fl in _TIME_UNITS or fl.startswith(("year-", "years-", "day-", "month-", "hour-", "week-")):
            return toks[i][1], "__time__", first, None
        two = f"{fl} {toks[i + 1][2].lower()}" if i + 1 < len(toks) else ""
        if two in _CURRENCY_WORDS:
            return toks[i + 1][1], _CURRENCY_WORDS[two], two, None
        if two in _MEASURES:  # "25 basis points"
            return toks[i + 1][1], _MEASURES[two], two, None
        if fl in _PEOPLE_ADJECTIVES and (i + 1 >= len(toks) or not toks[i + 1][2][:1].isalpha()
                                         or toks[i + 1][2].lower() in _STOP):
            return toks[i][1], fl, first, fl  # "11,000 injured", "68 missing": the people so described
        if fl in _CURRENCY_WORDS and (fl != "won" or toks[i][2] == "won"):
            return toks[i][1], _CURRENCY_WORDS[fl], first, None
        if fl in _MEASURES:
            end = toks[i][1]
            subject = None
            if i + 2 < len(toks) and toks[i + 1][2].lower() == "of":
                sub = _collect(toks, i + 2)
                if sub:
                    end = toks[sub[-1]][1]
                    subject = " ".join(toks[k][2].lower() for k in sub)
            return end, _MEASURES[fl], first, subject
    if not english:
        return pos, None, None, None
    idx = _collect(toks, i)
    if not idx:
        return pos, None, None, None
    head_i = idx[-1]
    for k in (idx if not money else ()):  # the first plural noun ends the phrase: "farmers drove"
        tl = toks[k][2].lower()
        if k < idx[-1] and ((tl.endswith("s") and not tl.endswith("ss") and len(tl) > 3) or tl in _PLURALS) \
                and toks[k][2][:1].islower():
            head_i = k
            break
    head = toks[head_i][2]
    if not head[:1].islower():
        return pos, None, None, None
    unit = _UNIT_SYNONYMS.get(head.lower(), head.lower())
    idx = [k for k in idx if k <= head_i]
    mods = [toks[k][2].lower() for k in idx[:-1]]
    subject = " ".join(mods + [unit])
    end = toks[head_i][1]
    if unit in _OF_HEADS and head_i + 2 < len(toks) and toks[head_i + 1][2].lower() == "of":
        sub = _collect(toks, head_i + 2, limit=2)
        if sub:
            subject += " of " + " ".join(toks[k][2].lower() for k in sub)
    return end, unit, head, subject


def _collect(toks: list[tuple[int, int, str]], i: int, limit: int = 4) -> list[int]:
    """Indices of the noun-phrase tokens starting at `i` (modifiers + head)."""
    out: list[int] = []
    while i < len(toks) and len(out) < limit:
        t = toks[i][2]
        tl = t.lower()
        if not t[:1].isalpha() or tl in _STOP or (tl.endswith("ly") and len(tl) > 4):
            break
        out.append(i)
        i += 1
    while len(out) > 1 and toks[out[-1]][2].lower().endswith(("ing", "ed")):
        out.pop()
    if out and toks[out[-1]][2].lower().endswith(("ing", "ed")) and toks[out[-1]][2].lower() not in _UNIT_SYNONYMS:
        # a lone participle ("10,000 fighting") is not a counted object
        if len(out) == 1:
            return []
    return out


def _eu_unit(s: str, pos: int, lang: str, scaled: bool) -> tuple[int, str | None]:
    """The counted object after a number in French/Spanish/German/Portuguese/Italian text:
    (end, unit); unit "__time__" for durations, a currency code, a measure, else the noun as written."""
    m = _TOKEN_RE.match(s, pos)
    if m is None:
        return pos, None
    tok = m.group(1)
    low = tok.lower()
    for c in _EU_CONNECTORS:  # "15 millions d'euros", "1.200 millones de euros"
        if low.startswith(c.strip()) and (len(c) == 2 and c[1] in "'’" or low == c.strip()):
            if len(c) == 2 and c[1] in "'’":
                rest, rest_end = tok[2:], m.end()
            else:
                m2 = _TOKEN_RE.match(s, m.end())
                if m2 is None:
                    return pos, None
                rest, rest_end = m2.group(1), m2.end()
            rl = rest.lower()
            if rl in _EU_CURRENCY:
                return rest_end, _EU_CURRENCY[rl]
            if scaled and rest[:1].isalpha() and rl not in _EU_STOP:
                return rest_end, rl
            return pos, None
    if low in _EU_CURRENCY:
        return m.end(), _EU_CURRENCY[low]
    if low.rstrip(".") in _EU_MONTHS:
        return m.end(), "__time__"  # a date: "7 oct.", "12 mars"
    if low in _EU_TIME or low in _TIME_UNITS:
        return m.end(), "__time__"
    if low in _MEASURES:
        return m.end(), _MEASURES[low]
    if lang == "de" and tok[:1].islower() and low not in _EU_STOP:
        for _ in range(2):  # adjectives before the noun: "90 gesetzliche Krankenkassen"
            m2 = _TOKEN_RE.match(s, m.end())
            if m2 is None:
                return pos, None
            m, tok = m2, m2.group(1)
            if tok[:1].isupper():
                return m.end(), tok.lower()
        return pos, None
    if not tok[:1].isalpha() or low in _EU_STOP or (tok[:1].isupper() and lang != "de"):
        return pos, None
    return m.end(), low


def find_quantities(s: str, *, english: bool = True, lang: str | None = None,
                    scale_words: bool | None = None) -> list[Quantity]:
    """Every quantity in one sentence `s` (offsets relative to `s`).

    `lang` ("en", "fr", "es", "de", "pt", "it" or None) picks the number format ("1,200.5" or
    "1.200,5" / "1 200,5") and the qualifier and unit words; without it `english` decides between
    English and a language-neutral reading (currencies, percent and measures only).
    `scale_words`: whether `s` may hold "thousands", "a dozen", "two million" (a caller's pre-scan;
    None: look).
    """
    if lang is None:
        lang = "en" if english else "other"
    english = lang == "en"
    eu = lang in _EU_LANGS
    out: list[Quantity] = []
    phones = [m.span() for m in _PHONE_RE.finditer(s)] if _PHONE_HINT_RE.search(s) else None
    consumed = 0  # end of the last quantity: the "12,000" of "between 10,000 and 12,000" is inside it
    if eu:
        atoms = list(_EU_ATOM_RE.finditer(s))
    else:
        atoms = _digit_atoms(s)
        if scale_words is None:
            low_s = s.lower()
            scale_words = any(w in low_s for w in _SCALE_WORDS)
        if scale_words:
            atoms += _ATOM_RE.finditer(s)
            atoms.sort(key=lambda x: (x.start(), -x.end()))
    quals = _EU_QUALIFIERS if eu else _QUALIFIERS
    for m in atoms:
        start, end = m.span()
        if start < consumed or (phones and any(a <= start < b for a, b in phones)):
            continue
        cur, num, scale, sscale, vague, word, wscale, cur2 = m.groups()
        if num is not None and not (cur or scale or sscale or cur2 or eu):
            nxt = s[end:end + 2].lstrip()[:1]
            if not (nxt.isalpha() or nxt in "%-–"):
                if not start or s[start - 1] != " ":
                    continue  # a bare number with nothing counted after it and no qualifier word before it
                k = s.rfind(" ", 0, start - 1)
                if s[k + 1:start - 1].lower() not in _QUAL_LAST_WORDS:
                    continue
        left = s[max(0, start - 40):start]
        left_words = left.split()
        rule = "number"
        if num is not None:
            if sscale and not cur:
                continue  # "5m" without a currency: metres or millions, not decided
            if eu:
                value = _eu_num(num) * _scale(m)
            else:
                value = _num(num) * _scale(m)
        elif vague:
            low_v, high_v = _vague_bounds(vague)
            value = low_v
            rule = "vague_multiple"
        else:
            value = _WORD_VALUES[word.lower()] * _SCALES[wscale.lower()]
            rule = "number_words"
        if not eu and left.endswith(" ") and left[-2:-1].isdigit():
            continue  # "12 000": a digit group of a space-separated number
        cur = cur or cur2
        last = left_words[-1] if left_words and left[-1:].isspace() else ""
        if num is not None and ((last and _MONTH_WORD_END_RE.search(last)) or _MONTH_RIGHT_RE.match(s, end)):
            continue  # "June 19", "19 June"
        qual, qstart = _qualifier(left, left_words, start, quals)
        if (qual is None and num is not None and not cur and len(num) == 4 and num.isdigit()
                and 1800 <= int(num) <= 2100 and last.lower() in _PREP_WORDS and s[end:end + 1] != "%"):
            continue  # a year: "in 2024", "since 1998"
        if qual is None and num is not None and not cur and not scale and not sscale:
            nxt = s[end:end + 2].lstrip()[:1]
            if not (nxt.isalpha() or nxt in "%-–"):
                continue  # a bare number with nothing counted after it
        pos = end
        low, high = (low_v, high_v) if vague else _bounds(value, qual)
        ql = qual.lower() if qual else None
        if ql in ("from", "between") and not vague:
            rm = _RANGE_RE.match(s, pos)
            if rm is None:
                qual, ql, qstart = None, None, start
                low, high = value, value
        nc = s[pos:pos + 3].lstrip()[:1].lower()  # the next character decides which patterns can match
        rng = _RANGE_RE.match(s, pos) if num is not None and not eu and nc in "-–—ta" else None
        if rng is not None and (s[pos:rng.start("num")].strip() in ("-", "–", "—")
                                or ql in ("from", "between")
                                or s[pos:rng.start("num")].strip().lower() == "to"):
            hi_v = _num(rng.group("num")) * (_scale(rng) if (rng.group("scale") or rng.group("sscale")) else _scale(m))
            if hi_v > value:
                low, high = value, hi_v
                pos = rng.end()
                rule = "range"
            else:
                rng = None
        else:
            rng = None
        om = _OR_MORE_RE.match(s, pos) if not eu and nc in "o-p" else None
        if om is not None and num is not None:
            w = (om.group(1) or "plus").lower()
            low, high = {"more": (value, None), "plus": (value, None), "so": (round(value * 0.9, 6),
                                                                           round(value * 1.1, 6)),
                         "fewer": (None, value), "less": (None, value)}[w]
            qual = (qual + " " if qual else "") + om.group(0).strip()
            pos = om.end()
        unit = None
        subject = None
        head = None
        if cur:
            unit = _CURRENCY_SYMBOLS.get(cur, "usd")
        pm = _PERCENT_RE.match(s, pos) if not vague and s[pos:pos + 2].lstrip()[:1] in ("%", "p", "P") else None
        if pm is None and eu:
            pm = _EU_PERCENT_RE.match(s, pos)
        if pm is not None:
            unit = "percent" if "point" not in pm.group(0).lower() else "percentage_points"
            pos = pm.end()
        elif english and num is not None and pos < len(s) and s[pos] in "-–" and s[pos + 1:pos + 2].isalpha():
            # compound adjective: "a 7-point increase", "45-year-old", "three-year war"
            cm = _TOKEN_RE.match(s, pos + 1)
            if cm is None:
                continue
            comp = cm.group(1).lower()
            base = comp.split("-")[0]
            if base in _TIME_UNITS or base + "s" in _TIME_UNITS:
                continue  # "45-year-old", "three-year war": an age or a duration
            if base == "strong":  # "a 10,000-strong force"
                uend, u, head, subject = _unit_phrase(s, cm.end(), english)
                unit = u if u != "__time__" else None
                pos = uend if unit else cm.end()
            else:
                unit = _MEASURES.get(base, base if base.endswith("s") else
                                     base + ("es" if base.endswith(("ch", "sh", "x")) else "s"))
                pos = cm.end()
            rule = "compound_" + rule
        if unit is None and left_words and left_words[-1].lower() in _MAGNITUDE_WORDS and left[-1:].isspace():
            unit = "magnitude"  # "a magnitude 7.1 earthquake", "magnitude 7,1"
            if qual is None:  # "above magnitude 5"
                mstart = start - (len(left) - left.rfind(left_words[-1]))
                qual, qstart = _qualifier(left[:len(left) - (start - mstart)], left_words[:-1], mstart, quals)
                if qual is not None:
                    low, high = _bounds(value, qual)
        if eu and (unit is None or (cur and unit)):
            uend, u = _eu_unit(s, pos, lang, bool(scale))
            if u == "__time__":
                continue
            if u is not None and not (cur and u not in _EU_CURRENCY.values()):
                unit, pos = u, uend
                subject = None if u in _EU_CURRENCY.values() or u in _MEASURES.values() else u
        elif unit is None or (cur and unit):
            uend, u, head, sub = _unit_phrase(s, pos, english, money=bool(cur))
            if u == "__time__":
                continue
            if cur:  # money: the noun phrase after the amount says what it is for ("bounty")
                if u is not None and u not in _MEASURES.values() and u not in _CURRENCY_WORDS.values():
                    subject = sub
                    pos = uend
            elif u is not None:
                unit, subject, pos = u, sub, uend
        num_txt = num or ""
        # --- things that are not quantities ---
        if rng is None and num is not None and s[end:end + 1] in "-–" and s[end + 1:end + 2].isdigit():
            continue  # "drew 1-1", "2020-2024" with nothing counted
        if num is not None and not cur and unit is None and not qual:
            continue  # a bare number: an id, a page count, a list marker
        if (num is not None and len(num_txt) == 4 and num_txt.isdigit() and 1800 <= int(num_txt) <= 2100
                and not cur and unit != "percent"):
            if not (qual or (head and head.lower().endswith("s") and last.lower() not in _PREP_WORDS)):
                continue  # a year
        if start == 0 and s[end:end + 1] in ".)":
            continue  # list number
        if (last and not qual and not cur and num is not None and unit != "magnitude"
                and _CAP_WORD_RE.fullmatch(last) is not None
                and s[:start - (len(left) - left.rfind(last))].strip(" \"“‘'(") != ""):
            continue  # an identifier after a capitalised word: "Resolution 2231", "Su 27"
        if vague and unit is None:
            continue  # "thousands" with nothing counted
        if english and unit in _PERSON_GROUPS and subject is not None \
                and not any(w in DEMONYMS for w in _mods_pairs(subject)):
            sm = _SENDER_RE.search(s, max(0, qstart - 60), qstart)
            if sm is not None:
                dem = COUNTRY_DEMONYM.get(sm.group(1).lower().removeprefix("the "))
                if dem:
                    subject = f"{dem} {subject}"
        if english and subject is not None and unit not in ("usd", "eur", "gbp", "percent"):
            pl = _PLACE_RE.match(s, pos) if s.startswith(_PLACE_STARTS, pos) else None
            if pl is not None and pl.group(1).lower() not in _NON_PLACES:
                subject = f"{subject} in {pl.group(1).lower().removeprefix('the ')}"
        cstart = qstart if qual and qstart < start else start
        if unit == "magnitude" and pos == end and last:
            cstart = min(cstart, start - (len(left) - left.rfind(last)))
        conf = 0.9 if unit else 0.6
        if vague:
            conf = 0.75
        if vague and not qual:
            qual = " ".join(vague.split())
        consumed = pos
        out.append(Quantity(cstart, pos, s[cstart:pos], value, low, high, unit,
                            qual, subject, rule, conf))
    return out


def _mods_pairs(subject: str) -> list[str]:
    words = subject.split()
    return words + [" ".join(words[i:i + 2]) for i in range(len(words) - 1)]
