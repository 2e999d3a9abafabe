"""Resolve relative date expressions against an anchor date.

"on Monday" in an article dated Tuesday 12 Nov 2024 -> 2024-11-11; "last week" -> the Monday-Sunday
week before the anchor's week; "in June" -> the latest June not after the anchor's month.  Every
answer is a `DateRange` (low, high, granularity) plus the rule that produced it, so a caller never
mistakes a resolved range for a date that was written in the text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flows.text.date_patterns import MONTH_NUMBER, WEEKDAY_NUMBER

_D = dt.timedelta


@dataclass(frozen=True, slots=True)
class DateRange:
    low: dt.date
    high: dt.date
    granularity: str  # day, week, month, year
    rule: str


@dataclass(frozen=True, slots=True)
class RelativeMatch:
    char_start: int
    char_end: int
    text: str
    range: DateRange | None  # None when no anchor was given


_NUM_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
              "seven": 7, "eight": 8, "nine": 9, "ten": 10, "un": 1, "una": 1, "une": 1, "um": 1,
              "uma": 1, "einem": 1, "einer": 1, "een": 1, "several": 3, "few": 3, "couple": 2}
_UNIT = {  # prefix -> canonical unit
    "min": "minute", "h": "hour", "hr": "hour", "hour": "hour", "heure": "hour", "hora": "hour",
    "stunde": "hour", "ora": "hour", "ore": "hour", "uur": "hour", "uren": "hour", "час": "hour",
    "giờ": "hour", "day": "day", "día": "day", "dia": "day", "jour": "day", "tag": "day",
    "giorn": "day", "dag": "day", "дн": "day", "день": "day", "ngày": "day", "week": "week",
    "semana": "week", "semaine": "week", "woche": "week", "settiman": "week", "недел": "week",
    "tuần": "week", "month": "month", "mes": "month", "mois": "month", "monat": "month",
    "maand": "month", "месяц": "month", "tháng": "month", "year": "year", "año": "year",
    "ano": "year", "an": "year", "jahr": "year", "ann": "year", "jaar": "year", "năm": "year",
    "phút": "minute", "minut": "minute", "минут": "minute",
}
_UNIT_KEYS = sorted(_UNIT, key=len, reverse=True)

_EN_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_EN_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
              "december")
_WORD_DAY = {"yesterday": -1, "today": 0, "tomorrow": 1, "ayer": -1, "hoy": 0, "mañana": 1,
             "hier": -1, "aujourd'hui": 0, "demain": 1, "gestern": -1, "heute": 0, "morgen": 1,
             "ieri": -1, "oggi": 0, "domani": 1, "gisteren": -1, "vandaag": 0, "ontem": -1,
             "hoje": 0, "amanhã": 1, "вчера": -1, "сегодня": 0, "завтра": 1, "вчора": -1,
             "сьогодні": 0, "hôm qua": -1, "hôm nay": 0, "kemarin": -1, "hari ini": 0,
             "i går": -1, "idag": 0, "i dag": 0, "ahir": -1, "avui": 0}
_PERIOD_WORDS = {  # (which, unit)
    "last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1,
    "pasada": -1, "pasado": -1, "dernière": -1, "dernier": -1, "letzte": -1, "letzten": -1,
    "vergangene": -1, "vergangenen": -1, "scorsa": -1, "scorso": -1, "vorige": -1, "passada": -1,
    "passado": -1, "прошлой": -1, "прошлом": -1, "trước": -1,
}

_EXPR = re.compile(
    r"(?<!\w)(?:"
    r"(?P<ago_n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|a couple of)\s+"
    r"(?P<ago_u>minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+(?:ago|earlier)"
    r"|(?:hace|há)\s+(?P<es_n>\d{1,3}|una?|um|uma)\s+(?P<es_u>minutos?|horas?|d[ií]as?|semanas?|mes(?:es)?|años?|anos?)"
    r"|il\s+y\s+a\s+(?P<fr_n>\d{1,3}|une?)\s+(?P<fr_u>minutes?|heures?|jours?|semaines?|mois|ans?)"
    r"|vor\s+(?P<de_n>\d{1,3}|einem|einer)\s+(?P<de_u>Minuten?|Stunden?|Tag(?:en)?|Wochen?|Monat(?:en)?|Jahr(?:en)?)"
    r"|(?P<it_n>\d{1,3}|un|una)\s+(?P<it_u>minut[oi]|or[ae]|giorn[oi]|settiman[ae]|mes[ei]|ann[oi])\s+fa"
    r"|(?P<nl_n>\d{1,3}|een)\s+(?P<nl_u>minuten|minuut|uur|uren|dagen|dag|weken|week|maanden|maand|jaar)\s+geleden"
    r"|(?P<ru_n>\d{1,3})\s+(?P<ru_u>минут[уы]?|час(?:а|ов)?|дн(?:я|ей)|день|недел[юьи]|месяц(?:а|ев)?)\s+назад"
    r"|(?P<vi_n>\d{1,3})\s+(?P<vi_u>phút|giờ|ngày|tuần|tháng|năm)\s+trước"
    r"|(?P<word>yesterday|today|tomorrow|ayer|hoy|hier|aujourd'hui|demain|gestern|heute|ieri|oggi|domani|"
    r"gisteren|vandaag|ontem|hoje|amanhã|вчера|сегодня|завтра|вчора|сьогодні|hôm qua|hôm nay|kemarin|"
    r"hari ini|i går|idag|i dag|ahir|avui)"
    r"|(?P<pw>last|this|next|past|previous|coming)\s+(?P<pw_wd>" + _EN_WEEKDAYS + r")"
    r"|(?:(?P<early>earlier|later)\s+)?(?P<per_w>last|this|next|past|previous|coming)\s+(?P<per_u>week|weekend|month|year)"
    r"|(?:la\s+|le\s+|el\s+|na\s+|no\s+|il\s+|in\s+)?(?P<ml_u>semana|semaine|mois|mes|mês|settimana|mese|week|maand)\s+"
    r"(?P<ml_w>pasada|pasado|dernière|dernier|scorsa|scorso|passada|passado)"
    r"|(?P<de_w>letzte|letzten|vergangene|vergangenen|vorige)\s+(?P<de_pu>Woche|Monat|Jahr|week|maand|jaar)"
    r"|(?P<ru_w>прошлой|прошлом)\s+(?P<ru_pu>неделе|месяце|году)"
    r"|(?P<vi_pu>tuần|tháng|năm)\s+(?P<vi_w>trước|này)"
    r"|(?:on\s+)?(?P<wd>" + _EN_WEEKDAYS + r")(?:\s+(?:morning|afternoon|evening|night))?"
    r"|in\s+(?:early\s+|late\s+|mid-?)?(?P<in_mon>" + _EN_MONTHS + r")(?!\s*\d|\w)"
    r")(?!\w)",
    re.IGNORECASE)

_ML_UNIT = {"semana": "week", "semaine": "week", "settimana": "week", "week": "week", "mois": "month",
            "mes": "month", "mês": "month", "mese": "month", "maand": "month", "woche": "week",
            "monat": "month", "jahr": "year", "jaar": "year", "неделе": "week", "месяце": "month",
            "году": "year", "tuần": "week", "tháng": "month", "năm": "year"}


def _canon_unit(word: str) -> str | None:
    w = word.lower()
    for key in _UNIT_KEYS:
        if w.startswith(key):
            return _UNIT[key]
    return None


def _count(word: str) -> int | None:
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    if w.startswith("a few"):
        return 3
    if w.startswith("a couple"):
        return 2
    return _NUM_WORDS.get(w)


def _month_start(year: int, month: int) -> dt.date:
    while month < 1:
        month += 12
        year -= 1
    while month > 12:
        month -= 12
        year += 1
    return dt.date(year, month, 1)


def _month_range(year: int, month: int, rule: str) -> DateRange:
    start = _month_start(year, month)
    end = _month_start(start.year, start.month + 1) - _D(days=1)
    return DateRange(start, end, "month", rule)


def _week_range(anchor: dt.date, offset_weeks: int, rule: str) -> DateRange:
    monday = anchor - _D(days=anchor.weekday()) + _D(weeks=offset_weeks)
    return DateRange(monday, monday + _D(days=6), "week", rule)


def ago(n: int, unit: str, anchor: dt.date) -> DateRange:
    """`n` `unit`s before `anchor` ("3 days ago")."""
    if unit in ("minute", "hour"):
        hours = n if unit == "hour" else n / 60
        days_back = int(hours // 24) + (1 if hours % 24 else 0)
        return DateRange(anchor - _D(days=days_back), anchor, "day", f"ago_{unit}")
    if unit == "day":
        d = anchor - _D(days=n)
        return DateRange(d, d, "day", "ago_day")
    if unit == "week":
        d = anchor - _D(weeks=n)
        return DateRange(d - _D(days=3), d + _D(days=3), "week", "ago_week")
    if unit == "month":
        return _month_range(anchor.year, anchor.month - n, "ago_month")
    return DateRange(dt.date(anchor.year - n, 1, 1), dt.date(anchor.year - n, 12, 31), "year", "ago_year")


def weekday_near(anchor: dt.date, weekday: int, *, direction: int = -1) -> dt.date:
    """The day with `weekday` (Mon=0) nearest `anchor`: on/before it (-1) or on/after it (+1)."""
    if direction < 0:
        return anchor - _D(days=(anchor.weekday() - weekday) % 7)
    return anchor + _D(days=(weekday - anchor.weekday()) % 7)


def period(which: int, unit: str, anchor: dt.date, rule: str) -> DateRange:
    """The calendar week/month/year before (-1), containing (0) or after (+1) the anchor."""
    if unit == "week":
        return _week_range(anchor, which, rule)
    if unit == "weekend":
        saturday = anchor - _D(days=anchor.weekday()) + _D(days=5) + _D(weeks=which)
        if which < 0 and anchor.weekday() >= 5:
            saturday += _D(weeks=1)
        return DateRange(saturday, saturday + _D(days=1), "day", rule)
    if unit == "month":
        return _month_range(anchor.year, anchor.month + which, rule)
    y = anchor.year + which
    return DateRange(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", rule)


def month_mention(month: int, anchor: dt.date, *, prefer_future: bool = False) -> DateRange:
    """"in June": the latest June not after the anchor's month (or the next one with prefer_future)."""
    year = anchor.year
    if prefer_future:
        if month < anchor.month:
            year += 1
    elif month > anchor.month:
        year -= 1
    return _month_range(year, month, "in_month")


def _resolve(m: re.Match, anchor: dt.date, prefer_future: bool) -> DateRange | None:
    g = m.groupdict()
    for n_key, u_key in (("ago_n", "ago_u"), ("es_n", "es_u"), ("fr_n", "fr_u"), ("de_n", "de_u"),
                         ("it_n", "it_u"), ("nl_n", "nl_u"), ("ru_n", "ru_u"), ("vi_n", "vi_u")):
        if g.get(n_key):
            n, unit = _count(g[n_key]), _canon_unit(g[u_key])
            if n is None or unit is None:
                return None
            return ago(n, unit, anchor)
    if g.get("word"):
        delta = _WORD_DAY.get(g["word"].lower())
        if delta is None:
            return None
        d = anchor + _D(days=delta)
        return DateRange(d, d, "day", "day_word")
    if g.get("pw"):
        wd = WEEKDAY_NUMBER[g["pw_wd"].lower()]
        which = _PERIOD_WORDS[g["pw"].lower()]
        if which < 0:
            d = weekday_near(anchor - _D(days=1), wd)
        elif which > 0:
            d = weekday_near(anchor + _D(days=1), wd, direction=1)
        else:
            d = weekday_near(anchor, wd, direction=1 if prefer_future else -1)
        return DateRange(d, d, "day", f"{g['pw'].lower()}_weekday")
    if g.get("per_w"):
        which = _PERIOD_WORDS[g["per_w"].lower()]
        unit = g["per_u"].lower()
        rng = period(which, unit, anchor, f"{g['per_w'].lower()}_{unit}")
        if g.get("early") and which == 0:  # "earlier this month": from the start up to the anchor
            lo, hi = (rng.low, anchor) if g["early"].lower() == "earlier" else (anchor, rng.high)
            return DateRange(lo, hi, rng.granularity, f"{g['early'].lower()}_{rng.rule}")
        return rng
    for u_key, w_key in (("ml_u", "ml_w"), ("de_pu", "de_w"), ("ru_pu", "ru_w"), ("vi_pu", "vi_w")):
        if g.get(u_key):
            unit = _ML_UNIT.get(g[u_key].lower())
            if unit is None:
                return None
            which = 0 if g[w_key].lower() == "này" else -1
            return period(which, unit, anchor, f"{g[w_key].lower()}_{unit}")
    if g.get("wd"):
        wd = WEEKDAY_NUMBER[g["wd"].lower()]
        d = weekday_near(anchor, wd, direction=1 if prefer_future else -1)
        return DateRange(d, d, "day", "weekday_future" if prefer_future else "weekday_past")
    if g.get("in_mon"):
        return month_mention(MONTH_NUMBER[g["in_mon"].lower()], anchor, prefer_future=prefer_future)
    return None


def resolve_relative(expression: str, anchor: dt.date, *, prefer_future: bool = False) -> DateRange | None:
    """Resolve one relative expression ("last week", "on Monday", "3 days ago") against `anchor`."""
    m = _EXPR.search(expression)
    if m is None:
        return None
    return _resolve(m, anchor, prefer_future)


def find_relative_expressions(text: str, anchor: dt.date | None = None) -> list[RelativeMatch]:
    """Every relative expression in `text` with its offsets, resolved when an anchor is given."""
    out = []
    for m in _EXPR.finditer(text):
        rng = _resolve(m, anchor, False) if anchor is not None else None
        out.append(RelativeMatch(m.start(), m.end(), m.group(0), rng))
    return out
