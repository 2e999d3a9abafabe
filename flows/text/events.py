"""What happened and when: event verbs in a sentence and the dates that go with them.

Event verbs are a small lemma table (ratify, sign, send, deploy, visit, launch, attack, meet,
vote, approve …) over their finite/participle forms; infinitives ("to ratify"), negations and
-ing forms are not events.  Dates in a sentence come from `relative_dates` ("on Monday", "last
week", "in June") plus absolute forms handled here ("on November 11", "June 2024", "in 2022",
"since August 2023"), all resolved against one anchor date.

The anchor is the article's publication date; when the publication instant (UTC) and the
dateline city are both known, the anchor is the calendar date *in the dateline city*, because
wire copy writes "on Tuesday" in the dateline's local time (AP, SEOUL, published Mon 11 Nov 23:01
EST = Tue 12 Nov in Seoul).  City offsets are standard time (daylight saving is ignored).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from flows.text.model import PublicationDate
from flows.text.relative_dates import ago, month_mention, period, weekday_near

_EVENT_FORMS: dict[str, tuple[str, ...]] = {
    "ratify": ("ratified", "ratifies"), "sign": ("signed", "signs"), "send": ("sent", "sends"),
    "deploy": ("deployed", "deploys"), "dispatch": ("dispatched",), "visit": ("visited",),
    "launch": ("launched", "launches", "test-launched"), "fire": ("fired",), "attack": ("attacked",),
    "strike": ("struck",), "meet": ("met", "meets"), "vote": ("voted",), "approve": ("approved", "approves"),
    "endorse": ("endorsed", "endorses"), "adopt": ("adopted",), "kill": ("killed",), "invade": ("invaded",),
    "arrive": ("arrived",), "agree": ("agreed",), "elect": ("elected",), "win": ("won",),
    "capture": ("captured",), "seize": ("seized",), "withdraw": ("withdrew", "withdrawn"),
    "impose": ("imposed",), "test": ("tested",), "clinch": ("clinched",), "complete": ("completed",),
    "supply": ("supplied",), "engage": ("engaged",), "suffer": ("suffered",), "publish": ("published",),
    "hold": ("held",), "pass": ("passed",), "release": ("released",), "arrest": ("arrested",),
    "resign": ("resigned",), "charge": ("charged",), "reject": ("rejected",),
    # general news events (disasters, courts, markets, politics)
    "collapse": ("collapsed",), "destroy": ("destroyed",), "damage": ("damaged",), "injure": ("injured",),
    "evacuate": ("evacuated",), "rescue": ("rescued",), "die": ("died",), "flatten": ("flattened",),
    "erupt": ("erupted",), "crash": ("crashed",), "flood": ("flooded",), "record": ("recorded",),
    "shoot": ("shot",), "detain": ("detained",), "sentence": ("sentenced",), "convict": ("convicted",),
    "acquit": ("acquitted",), "sue": ("sued",), "ban": ("banned",), "raid": ("raided",), "free": ("freed",),
    "secure": ("secured",), "pledge": ("pledged",), "concede": ("conceded",), "distribute": ("distributed",),
    "raise": ("raised",), "lower": ("lowered",),
    "acquire": ("acquired",), "buy": ("bought",), "sell": ("sold",), "close": ("closed",), "open": ("opened",),
    "nominate": ("nominated",), "appoint": ("appointed",), "sack": ("sacked",), "defeat": ("defeated",),
    "cancel": ("cancelled", "canceled"), "postpone": ("postponed",), "suspend": ("suspended",),
    "expel": ("expelled",), "invest": ("invested",), "spend": ("spent",), "lose": ("lost",),
}
_FORM_LEMMA = {f: lemma for lemma, forms in _EVENT_FORMS.items() for f in forms}
# Lower-case words that let a sentence hold an event verb / a date (cheap gates for callers).
EVENT_TRIGGER_WORDS = frozenset(_FORM_LEMMA)
DATE_TRIGGER_WORDS = frozenset(
    [m.lower() for m in calendar.month_name if m] + [m.lower() for m in calendar.month_abbr if m]
    + ["sept", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "ago",
       "yesterday", "today", "tomorrow", "tonight", "week", "weekend", "month", "year"])
_AUX = (r"has|have|had|was|were|is|are|be|been|being|also|officially|formally|already|reportedly|recently"
        r"|later|unanimously|previously|then|now|just|secretly|jointly|finally|successfully")
_EVENT_RE = re.compile(
    r"(?<![\w-])(?P<aux>(?:(?:" + _AUX + r")\s+){0,3})(?P<verb>"
    + "|".join(sorted((re.escape(f) for f in _FORM_LEMMA), key=len, reverse=True)) + r")(?![\w-])")
_AUX_TAIL_RE = re.compile(r"(?<![\w-])(?:(?:" + _AUX + r")\s+){1,3}$")
_PREV_WORD_RE = re.compile(r"(\S+)\s+$")
_ADJECTIVE_CONTEXT = frozenset("the a an in of for with from on at to into its their his her our newly".split())
_PASSIVE_AUX = frozenset(("was", "were", "is", "are", "be", "been", "being"))
_NEG_OR_INF_RE = re.compile(r"(?:\bto|\bnot|\bnever|n't)\s+$")
_BY_AGENT_RE = re.compile(r"[^,.;]{0,40}?\bby\s+")

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
_ABS_RE = re.compile(
    r"(?<!\w)(?P<since>since\s+)?(?:"
    r"(?:on\s+)?(?P<mon1>" + _MON + r")\.?\s+(?P<day1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year1>(?:19|20)\d{2}))?(?!\d)"
    r"|(?:on\s+)?(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>" + _MON + r")\.?(?:,?\s+(?P<year2>(?:19|20)\d{2}))?(?!\w)"
    r"|(?:in\s+|during\s+|from\s+|by\s+)?(?:early\s+|late\s+|mid-?)?(?P<mon3>" + _MON + r")\s+(?P<year3>(?:19|20)\d{2})(?!\d)"
    r"|(?:in|during|by)\s+(?P<year4>(?:19|20)\d{2})(?![\d-])"
    r")")
# English relative expressions (a fast subset of relative_dates' multilingual pattern; resolved
# with its helpers so both agree).
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_REL_RE = re.compile(
    r"(?<!\w)(?:"
    r"(?P<ago_n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)\s+"
    r"(?P<ago_u>days?|weeks?|months?|years?)\s+(?:ago|earlier)"
    r"|(?P<word>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight)"
    r"|(?P<pw>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast|[Cc]oming)\s+(?P<pw_wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?:(?P<early>[Ee]arlier|[Ll]ater)\s+)?(?P<per_w>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast|[Pp]revious|[Cc]oming)\s+"
    r"(?P<per_u>week|weekend|month|year)(?!\w)"
    r"|(?:[Oo]n\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|in\s+(?:early\s+|late\s+|mid-?)?(?P<in_mon>January|February|March|April|May|June|July|August|September"
    r"|October|November|December)(?!\s*\d|\w)"
    r")(?!\w)")
_PERIOD_WHICH = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}
_DAY_WORD = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
_AGO_N = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 3}


def _relative(m: re.Match, anchor: dt.date) -> tuple[dt.date, dt.date, str, str] | None:
    g = m.groupdict()
    if g["ago_n"]:
        n = int(g["ago_n"]) if g["ago_n"].isdigit() else _AGO_N[g["ago_n"].lower()]
        r = ago(n, g["ago_u"].lower().rstrip("s"), anchor)
    elif g["word"]:
        d = anchor + dt.timedelta(days=_DAY_WORD[g["word"].lower()])
        return d, d, "day", "day_word"
    elif g["pw"]:
        which = _PERIOD_WHICH[g["pw"].lower()]
        wd = _WEEKDAYS.index(g["pw_wd"].lower())
        if which < 0:
            d = weekday_near(anchor - dt.timedelta(days=1), wd)
        elif which > 0:
            d = weekday_near(anchor + dt.timedelta(days=1), wd, direction=1)
        else:
            d = weekday_near(anchor, wd)
        return d, d, "day", f"{g['pw'].lower()}_weekday"
    elif g["per_w"]:
        which = _PERIOD_WHICH[g["per_w"].lower()]
        r = period(which, g["per_u"], anchor, f"{g['per_w'].lower()}_{g['per_u']}")
        if g["early"] and which == 0:
            lo, hi = (r.low, anchor) if g["early"].lower() == "earlier" else (anchor, r.high)
            return lo, hi, r.granularity, f"{g['early'].lower()}_{r.rule}"
    elif g["wd"]:
        d = weekday_near(anchor, _WEEKDAYS.index(g["wd"].lower()))
        return d, d, "day", "weekday_past"
    else:
        r = month_mention(_MONTHS[g["in_mon"].lower()], anchor)
    return r.low, r.high, r.granularity, r.rule


_TRIGGER_RE = re.compile(
    r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)(?![a-z]))"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?<![\w-])(?:ago|earlier|yesterday|today|tomorrow|tonight|[Yy]esterday"
    r"|[Tt]oday|week|weekend|month|year)(?!\w)"
    r"|(?P<yr>(?<!\w)(?:in|since|during|by) (?:19|20)\d\d)")
_SINCE_REL_RE = re.compile(r"since\s+$", re.IGNORECASE)

# Standard-time UTC offsets (hours) of common dateline cities.
CITY_UTC_OFFSET: dict[str, float] = {
    "SEOUL": 9, "PYONGYANG": 9, "TOKYO": 9, "BEIJING": 8, "SHANGHAI": 8, "HONG KONG": 8, "TAIPEI": 8,
    "SINGAPORE": 8, "MANILA": 8, "KUALA LUMPUR": 8, "PERTH": 8, "BANGKOK": 7, "HANOI": 7, "JAKARTA": 7,
    "HO CHI MINH CITY": 7, "YANGON": 6.5, "DHAKA": 6, "KATHMANDU": 5.75, "NEW DELHI": 5.5, "MUMBAI": 5.5,
    "COLOMBO": 5.5, "ISLAMABAD": 5, "KARACHI": 5, "KABUL": 4.5, "DUBAI": 4, "ABU DHABI": 4, "TEHRAN": 3.5,
    "MOSCOW": 3, "ISTANBUL": 3, "ANKARA": 3, "RIYADH": 3, "DOHA": 3, "BAGHDAD": 3, "NAIROBI": 3, "MINSK": 3,
    "KYIV": 2, "KIEV": 2, "JERUSALEM": 2, "TEL AVIV": 2, "BEIRUT": 2, "CAIRO": 2, "ATHENS": 2, "HELSINKI": 2,
    "JOHANNESBURG": 2, "BUCHAREST": 2, "PARIS": 1, "BERLIN": 1, "BRUSSELS": 1, "ROME": 1, "MADRID": 1,
    "WARSAW": 1, "VIENNA": 1, "GENEVA": 1, "STOCKHOLM": 1, "AMSTERDAM": 1, "THE HAGUE": 1, "LAGOS": 1,
    "LONDON": 0, "DUBLIN": 0, "LISBON": 0, "DAKAR": 0, "WASHINGTON": -5, "NEW YORK": -5, "OTTAWA": -5,
    "TORONTO": -5, "MIAMI": -5, "HAVANA": -5, "BOGOTA": -5, "LIMA": -5, "CHICAGO": -6, "MEXICO CITY": -6,
    "DENVER": -7, "LOS ANGELES": -8, "SAN FRANCISCO": -8, "SEATTLE": -8, "SAO PAULO": -3, "BRASILIA": -3,
    "BUENOS AIRES": -3, "SANTIAGO": -4, "CARACAS": -4, "SYDNEY": 10, "CANBERRA": 10, "MELBOURNE": 10,
    "WELLINGTON": 12, "AUCKLAND": 12, "UNITED NATIONS": -5,
}
_DATELINE_RE = re.compile(r"^\s*(?P<city>[A-Z][A-Z .'’-]{1,30}?)\s*(?:,\s*[A-Z][\w .]{1,30}?)?\s*\((?:[^()]{1,30})\)\s*[-—–:]")


@dataclass(frozen=True, slots=True)
class DateExpr:
    char_start: int  # relative to the sentence
    char_end: int
    text: str
    low: dt.date | None
    high: dt.date | None
    granularity: str | None  # day, week, month, year
    rule: str


@dataclass(frozen=True, slots=True)
class EventVerb:
    char_start: int  # of the verb (after auxiliaries)
    char_end: int
    aux_start: int
    lemma: str
    form: str
    passive: bool


def detect_dateline(text: str) -> str | None:
    """The dateline city of a body paragraph ("SEOUL, South Korea (AP) —" -> "SEOUL"), if any."""
    m = _DATELINE_RE.match(text)
    return m.group("city").strip() if m else None


def choose_anchor(published: PublicationDate | None, dateline: str | None) -> tuple[dt.date | None, str | None]:
    """The date relative expressions are resolved against, and a description of it."""
    if published is None or published.value_date is None:
        return None, None
    city = (dateline or "").strip().upper().rstrip(",")
    offset = CITY_UTC_OFFSET.get(city)
    if published.value_utc is not None and offset is not None:
        local = published.value_utc.astimezone(dt.timezone.utc) + dt.timedelta(hours=offset)
        sign = "+" if offset >= 0 else "-"
        return local.date(), f"dateline_local_date {local.date().isoformat()} ({city} UTC{sign}{abs(offset):g})"
    return published.value_date, f"published_date {published.value_date.isoformat()}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _abs_range(m: re.Match, anchor: dt.date | None) -> tuple[dt.date | None, dt.date | None, str, str]:
    g = m.groupdict()
    if g["mon1"] or g["mon2"]:
        mon = _MONTHS[(g["mon1"] or g["mon2"]).lower()]
        day = int(g["day1"] or g["day2"])
        year_s = g["year1"] or g["year2"]
        if day < 1 or day > 31:
            return None, None, "day", "bad_day"
        if year_s:
            year = int(year_s)
            rule = "absolute_day"
        elif anchor is not None:
            year = anchor.year
            if (mon, day) > (anchor.month, anchor.day) and (mon - anchor.month) % 12 > 1:
                year -= 1  # "on November 11" in a January article is last November
            rule = "month_day_nearest_year"
        else:
            return None, None, "day", "month_day_no_anchor"
        day = min(day, _last_day(year, mon))
        d = dt.date(year, mon, day)
        return d, d, "day", rule
    if g["mon3"]:
        mon, year = _MONTHS[g["mon3"].lower()], int(g["year3"])
        return dt.date(year, mon, 1), dt.date(year, mon, _last_day(year, mon)), "month", "absolute_month"
    year = int(g["year4"])
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year", "absolute_year"


def find_dates(s: str, anchor: dt.date | None) -> list[DateExpr]:
    """Date expressions in sentence `s`, resolved against `anchor` (relative ones need it)."""
    out: list[DateExpr] = []
    # cheap trigger words first; the full patterns only run in a small window around each trigger
    abs_hits: dict[int, re.Match] = {}
    rel_hits: dict[int, re.Match] = {}
    for h in _TRIGGER_RE.finditer(s):
        lo, hi = max(0, h.start() - 24), min(len(s), h.end() + 14)
        if h.group("mon") or h.group("yr"):
            for m in _ABS_RE.finditer(s, lo, hi):
                if m.start() <= h.start() < m.end() or m.start() < h.end() <= m.end():
                    abs_hits.setdefault(m.start(), m)
        if not h.group("yr"):
            for m in _REL_RE.finditer(s, lo, hi):
                if m.start() <= h.start() < m.end():
                    rel_hits.setdefault(m.start(), m)
    for m in abs_hits.values():
        low, high, gran, rule = _abs_range(m, anchor)
        if m.group("since") and low is not None:
            high, rule = (anchor if anchor and anchor >= low else high), "since_" + rule
        out.append(DateExpr(m.start(), m.end(), m.group(0), low, high, gran, rule))
    taken = [(d.char_start, d.char_end) for d in out]
    for r in rel_hits.values():
        # a weekday glued to an absolute date ("Tuesday, November 12") adds nothing
        if any(a - 3 <= r.end() and r.start() <= b for a, b in taken):
            continue
        if anchor is None:
            out.append(DateExpr(r.start(), r.end(), r.group(0), None, None, None, "relative_unresolved"))
            continue
        res = _relative(r, anchor)
        if res is None:
            continue
        low, high, gran, rule = res
        if _SINCE_REL_RE.search(s, max(0, r.start() - 8), r.start()):
            high, rule = anchor, "since_" + rule
        out.append(DateExpr(r.start(), r.end(), r.group(0), low, high, gran, rule))
    out.sort(key=lambda d: d.char_start)
    return out


def _event_matches(s: str, forms: Iterable[str] | None) -> list[re.Match]:
    """Event-verb matches; with `forms` (verb forms known to be in `s`) the pattern is tried only
    just before their occurrences (str.find) instead of at every position."""
    if forms is None:
        return list(_EVENT_RE.finditer(s))
    out = []
    last = 0
    for p in sorted({i for f in forms for i in _occurrences(s, f)}):
        if p < last:
            continue
        am = _AUX_TAIL_RE.search(s, max(last, p - 60), p)
        m = _EVENT_RE.match(s, am.start() if am is not None else p)
        if m is not None and m.start("verb") == p:
            out.append(m)
            last = m.end()
    return out


def _occurrences(s: str, w: str) -> list[int]:
    out = []
    i = s.find(w)
    while i >= 0:
        out.append(i)
        i = s.find(w, i + 1)
    return out


_ML_WEEKDAY_INDEX = {w: i for i, ws in enumerate((
    "lundi lunes segunda-feira montag lunedì", "mardi martes terça-feira dienstag martedì",
    "mercredi miércoles quarta-feira mittwoch mercoledì", "jeudi jueves quinta-feira donnerstag giovedì",
    "vendredi viernes sexta-feira freitag venerdì", "samedi sábado samstag sabato",
    "dimanche domingo sonntag domenica")) for w in ws.split()}
_ML_DAY_OFFSET = {"hier": -1, "ayer": -1, "ontem": -1, "gestern": -1, "ieri": -1, "aujourd'hui": 0,
                  "aujourd’hui": 0, "hoy": 0, "hoje": 0, "heute": 0, "oggi": 0}
_ML_DATE_RE = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, list(_ML_WEEKDAY_INDEX) + list(_ML_DAY_OFFSET)),
                                                      key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)


def find_dates_ml(s: str, anchor: dt.date | None) -> list[DateExpr]:
    """Weekdays and yesterday/today in French, Spanish, Portuguese, German and Italian ("a déclaré
    mardi", "dijo el martes", "sagte am Dienstag"), resolved to the most recent such day."""
    out = []
    for m in _ML_DATE_RE.finditer(s):
        w = m.group(1).lower()
        if anchor is None:
            out.append(DateExpr(m.start(), m.end(), m.group(0), None, None, None, "relative_unresolved"))
        elif w in _ML_DAY_OFFSET:
            d = anchor + dt.timedelta(days=_ML_DAY_OFFSET[w])
            out.append(DateExpr(m.start(), m.end(), m.group(0), d, d, "day", "day_word"))
        else:
            d = weekday_near(anchor, _ML_WEEKDAY_INDEX[w])
            out.append(DateExpr(m.start(), m.end(), m.group(0), d, d, "day", "weekday_past"))
    return out


def find_event_verbs(s: str, forms: Iterable[str] | None = None) -> list[EventVerb]:
    """Event-verb occurrences in sentence `s` (not infinitives, not negated).

    `forms`: optional lower-case verb forms present in `s` (a caller's cheap pre-scan).
    """
    out = []
    for m in _event_matches(s, forms):
        aux = m.group("aux").split()
        if not aux and _NEG_OR_INF_RE.search(s, max(0, m.start() - 8), m.start()):
            continue
        if aux and aux[0].lower() in ("not", "never"):
            continue
        if s.startswith(("'t", "’t"), m.end("verb")):
            continue  # "won't": a contraction, not the verb
        if not aux:
            pw = _PREV_WORD_RE.search(s, max(0, m.start() - 24), m.start())
            if pw is not None and (pw.group(1).lower() in _ADJECTIVE_CONTEXT or pw.group(1)[:1].isdigit()):
                continue  # a participle used as an adjective: "in collapsed buildings", "11,000 injured"
        form = m.group("verb").lower()
        passive = any(a.lower() in _PASSIVE_AUX for a in aux)
        out.append(EventVerb(m.start("verb"), m.end("verb"), m.start(), _FORM_LEMMA[form], form, passive))
    return out


def agent_after(s: str, verb_end: int) -> int | None:
    """Start of the agent in a passive clause ("signed Monday by the country's president")."""
    m = _BY_AGENT_RE.match(s, verb_end)
    return m.end() if m else None
