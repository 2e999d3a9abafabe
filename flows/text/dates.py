"""Every date on a page as a candidate, and the publication date chosen from them.

`find_date_candidates` turns each date string in the text (plus the URL, reader hints and the
capture time) into a `DateCandidate` with its offsets, rule, confidence and `location` (derived from
the label of the block it sits in, corrected by the shape of its line).  `choose_publication_date`
picks the publication date: byline/timestamp/header dates first, page chrome never, body dates
(events) only as an explicitly inferred lower bound.
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
import re
from collections import Counter
from dataclasses import dataclass, field

from flows.text import date_patterns as P
from flows.text.model import Block, DateCandidate, PublicationDate
from flows.text.timezones import to_utc

__all__ = ["find_date_candidates", "choose_publication_date", "stated_weekday_conflict",
           "weekday_mismatch"]

_UTC = dt.timezone.utc

# block label -> location (None = decided by position: before the body -> header, after -> footer)
_LABEL_LOCATION = {
    "headline": "header", "standfirst": "header", "byline": "byline", "timestamp": "byline",
    "dateline": "dateline", "caption": "body", "body": "body", "related": "related",
    "teaser": "related", "comments": "related", "tags": "related", "newsletter": "related",
    "ad": "related", "navigation": None, "metadata": None, "copyright": None, "credit": None,
    "other": None,
}
_CHROME_LOCATIONS = frozenset({"related"})

_PUBLISHED_CUE = re.compile(
    r"(?<!\w)(?:published|posted|publicado|publicada|publié|publiée|veröffentlicht|pubblicato|"
    r"gepubliceerd|publicat|publisert|publiceret|publicerad|diterbitkan|dipublikasikan|"
    r"опубликовано|опубліковано|објављено|objavljeno|opublikowano|zveřejněno|yayınlanma|đăng|"
    r"created|erstellt|date|datum|fecha|data)(?!\w)", re.IGNORECASE)
_UPDATED_CUE = re.compile(
    r"(?<!\w)(?:updated|last\s+updated|modified|actualizado|atualizado|actualizada|atualizada|"
    r"mis\s+à\s+jour|modifié|aktualisiert|geändert|aggiornato|bijgewerkt|actualitzat|oppdatert|"
    r"opdateret|uppdaterad|diperbarui|обновлено|оновлено|ažurirano|ажурирано|zaktualizowano|"
    r"aktualizováno|güncelleme|güncellendi|cập\s+nhật|edited|revised)(?!\w)", re.IGNORECASE)
# Words that mark a line as a sentence of running text rather than a byline/timestamp.
_WORD = re.compile(r"[^\W\d_]{2,}")
_LEAD_WEEKDAY = re.compile(r"([^\W\d_][\w'’-]*)")


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    rule: str
    conf: float
    y: int | None = None
    m: int | None = None
    d: int | None = None
    gran: str = "day"
    alts: tuple[dt.date, ...] = ()
    order: str | None = None  # for numeric forms: "sep:order" used to resolve ambiguity
    rel_days: float | None = None  # relative: how far before the anchor (days)
    H: int | None = None
    M: int | None = None
    S: int = 0
    tz: str | None = None
    weekday: int | None = None  # weekday stated in the text
    yearless: bool = False
    tags: list[str] = field(default_factory=list)


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_of(token: str) -> int | None:
    t = token.lower().rstrip(".")
    if t.startswith("d'") or t.startswith("d’"):
        t = t[2:]
    return P.MONTH_NUMBER.get(t)


# ---------------------------------------------------------------- scanning the text

# digit runs that can be part of a date: a day/month (1-2 digits) or a year 1970-2049
# The word after a day number that makes the number worth a closer look: a month name, the
# Vietnamese "tháng" (month), or a unit of "N units ago" in the languages RELATIVE knows.
_UNIT_WORDS = ("min mins minute minutes h hr hrs hour hours day days week weeks month months year years "
               "minuto minuti ora ore giorno giorni settimana settimane mese mesi anno anni minuten minuut "
               "uur uren dagen dag weken maanden maand jaar минуту минуты минут час часа часов дня дней день "
               "неделю недель недели месяц месяца месяцев phút giờ ngày tuần năm").split()
_NEXT_WORD_KIND: dict[str, str] = {**{w: "unit" for w in _UNIT_WORDS}, "tháng": "vi",
                                   **{w: "jalali" for w in P.JALALI_MONTH_NUMBER},
                                   **{w: "month" for w in P.MONTH_NUMBER},
                                   **{w: "month" for w in P.MONTH_FIRST_WORDS}}
_PUNCT_TO_SPACE = str.maketrans({ch: " " for ch in ",.;:!?\"()«»“”„[]|/-–—"})
_WIDGET_MAX_RANK = 4  # "today" widgets are among the first dates at the top of a page
_NOT_ENGLISH_SHARE = 0.01  # below this share of "the/and/of/to", the page is not in English
_STAMP_ZONE_BEFORE, _STAMP_ZONE_AFTER = 1500, 0  # chars before (after) the first article paragraph
_REL_PREFIX = frozenset({"hace", "há", "ha", "a", "vor"})
_REL_WORDS = ("yesterday", "today", "ayer", "hoy", "hier", "aujourd'hui", "gestern", "heute", "ieri",
              "oggi", "gisteren", "vandaag", "ontem", "hoje", "вчера", "сегодня", "вчора", "сьогодні",
              "hôm qua", "hôm nay", "kemarin", "hari ini", "i går", "idag", "i dag", "ahir", "avui")
_REL_FIRST_WORDS = frozenset(w.split()[0] for w in _REL_WORDS)


def _numeric_dmy(m: re.Match) -> _Raw | None:
    a, b, sep, ys = int(m["a"]), int(m["b"]), m["sep"], m["y"]
    y = int(ys) if len(ys) == 4 else 2000 + int(ys)
    r = _Raw(m.start(), m.end(), "", 0.85 if len(ys) == 4 else 0.6, y)
    r.order = sep
    if sep == "." and _date(y, b, a):
        r.rule, r.m, r.d = "numeric_dmy_dot", b, a
    elif a > 12 and _date(y, b, a):
        r.rule, r.m, r.d = "numeric_dmy", b, a
    elif b > 12 and _date(y, a, b):
        r.rule, r.m, r.d = "numeric_mdy", a, b
    elif a == b and _date(y, a, b):
        r.rule, r.m, r.d = "numeric_same", a, b
    else:
        dmy, mdy = _date(y, b, a), _date(y, a, b)
        if dmy is None and mdy is None:
            return None
        if dmy is None or mdy is None:
            ok = dmy or mdy
            r.rule, r.m, r.d = ("numeric_dmy" if dmy else "numeric_mdy"), ok.month, ok.day
        else:
            r.rule, r.alts = "numeric_ambiguous", (dmy, mdy)
    if len(ys) == 2:
        if " " in m.group(0) or sep == "-":
            return None
        r.rule += "_yy"
    return r


def _named(m: re.Match, rule: str, conf: float = 0.95, gran: str = "day") -> _Raw | None:
    mon = _month_of(m["mon"])
    if mon is None:
        return None
    y = int(m["y"]) if "y" in m.re.groupindex and m["y"] else None
    d = int(m["d"]) if "d" in m.re.groupindex and m["d"] else 1
    r = _Raw(m.start(), m.end(), rule, conf, y, mon, d, gran=gran)
    r.yearless = y is None
    return r


def _yearless_ok(m: re.Match) -> bool:
    tok = m["mon"]
    return not (tok.lower() in P.AMBIGUOUS_MONTH_WORDS and not tok[0].isupper())


def _vi(m: re.Match, rule: str) -> _Raw:
    r = _Raw(m.start(), m.end(), rule, 0.9, int(m["y"]) if m["y"] else None, int(m["m"]), int(m["d"]))
    r.yearless = m["y"] is None
    return r


def _jalali_to_gregorian(jy: int, jm: int, jd: int) -> dt.date | None:
    """A Solar Hijri (Persian) date as a Gregorian date (the 33-year arithmetic calendar)."""
    if not (1 <= jm <= 12 and 1 <= jd <= (31 if jm <= 6 else 30)):
        return None
    y = jy + 1595
    days = (365 * y + (y // 33) * 8 + ((y % 33) + 3) // 4 + jd - 355668
            + ((jm - 1) * 31 if jm < 7 else (jm - 7) * 30 + 186))
    return dt.date.fromordinal(days - 365) if days > 365 else None  # day count -> proleptic ordinal


def _jalali(m: re.Match) -> _Raw | None:
    d = _jalali_to_gregorian(int(m["y"]), P.JALALI_MONTH_NUMBER[m["mon"]], int(m["d"]))
    if d is None:
        return None
    return _Raw(m.start(), m.end(), "solar_hijri", 0.9, d.year, d.month, d.day)


def _relative(m: re.Match) -> _Raw:
    g = m.groupdict()
    days = None
    if g["word"]:
        w = g["word"].lower()
        days = 0.0 if w in ("today", "hoy", "aujourd'hui", "heute", "oggi", "vandaag", "hoje",
                             "сегодня", "сьогодні", "hôm nay", "hari ini", "idag", "i dag",
                             "avui") else 1.0
    else:
        for nk, uk in (("n", "unit"), ("n_es", "unit_es"), ("n_fr", "unit_fr"), ("n_de", "unit_de"),
                       ("n_it", "unit_it"), ("n_nl", "unit_nl"), ("n_ru", "unit_ru"), ("n_vi", "unit_vi")):
            if g[nk]:
                n = int(g[nk]) if g[nk].isdigit() else 1
                u = g[uk].lower()
                if u.startswith(("min", "мин", "phút")):
                    days = n / 1440
                elif u.startswith(("h", "heure", "stund", "or", "uur", "час", "giờ")):
                    days = n / 24
                elif u.startswith(("w", "sem", "settim", "недел", "tuần")):
                    days = 7.0 * n
                elif u.startswith(("mo", "mes", "mois", "maand", "месяц", "tháng")):
                    days = 30.0 * n
                elif u.startswith(("y", "añ", "an", "jahr", "jaar", "năm", "ann")):
                    days = 365.0 * n
                else:
                    days = float(n)
                break
    r = _Raw(m.start(), m.end(), "relative", 0.5, gran="relative")
    r.rel_days = days
    return r


_SEP_CHARS = frozenset(" \t\xa0.,")
_DIGIT_SOON = re.compile(r"[0-9]")
_SEP_CHARS_NL = _SEP_CHARS | {"\n"}  # a weekday may sit on the line above its date
_WORD_TAIL = re.compile(r"[^\W\d_][\w'’-]*$")


def _prev_word(text: str, pos: int, seps: frozenset = _SEP_CHARS) -> tuple[str, int]:
    """The word just before `pos` (skipping up to 4 `seps`: spaces, dots, commas) and its start."""
    e, lo = pos, max(0, pos - 4)
    while e > lo and text[e - 1] in seps:
        e -= 1
    if e == 0 or not text[e - 1].isalpha():
        return "", pos
    tok = text[max(0, e - 24):e].rsplit(None, 1)[-1]
    if not tok.isalpha():
        m = _WORD_TAIL.search(tok)
        if m is None:
            return "", pos
        tok = m.group()
    return tok, e - len(tok)


def _scan(text: str) -> list[_Raw]:
    """Every date-like string with digits: one C-level pass over the digit runs in a date-like
    context (`DATE_TRIGGER`), then the specific pattern for that context."""
    out: list[_Raw] = []
    consumed = -1
    seps, prev_word, kind_of = _SEP_CHARS, _prev_word, _NEXT_WORD_KIND.get
    for dm in P.DATE_TRIGGER.finditer(text):
        s, e = dm.span()
        if s < consumed:
            continue
        n = e - s
        found: list[_Raw] = []
        nw = dm.group(1)
        nxt = text[e:e + 1]
        if n == 4:
            if not 1970 <= int(text[s:e]) <= 2049:
                continue
            if nxt == "-":
                m = P.ISO.match(text, s)
                if m:
                    r = _Raw(m.start(), m.end(), "iso", 0.95, int(m["y"]), int(m["m"]), int(m["d"]))
                    if m["H"] is not None:
                        r.H, r.M, r.S, r.tz, r.rule = (int(m["H"]), int(m["M"]), int(m["S"] or 0), m["tz"],
                                                       "iso_datetime")
                    found.append(r)
            elif nxt in ("/", "."):
                m = P.YMD_NUM.match(text, s) or P.YMD_SPACED.match(text, s)
                if m:
                    found.append(_Raw(m.start(), m.end(), "numeric_ymd", 0.9, int(m["y"]), int(m["m"]),
                                      int(m["d"])))
            if not found and (nw is None or nw[0] in "年년"):
                m = P.CJK.match(text, s)
                if m:
                    found.append(_Raw(m.start(), m.end(), "cjk", 0.95, int(m["y"]), int(m["m"]), int(m["d"])))
            if not found and nw is not None and nw.lower() in P.MONTH_NUMBER:
                m = P.TEXT_YMD.match(text, s)
                if m:
                    found.append(_named(m, "text_ymd"))
        else:
            if nxt in ("/", ".", "-") or (nxt == " " and text[e + 1:e + 2] in ("/", ".", "-")):
                m = P.NUM_DMY.match(text, s)
                if m:
                    mv = None
                    if text[max(0, s - 6):s].rstrip().lower().endswith("ngày"):
                        mv = P.VI_NGAY.match(text, _prev_word(text, s)[1])
                    r = _vi(mv, "vi_ngay_dmy") if mv else _numeric_dmy(m)
                    if r is not None:
                        found.append(r)
                elif s and text[s - 1].isalpha() and (m := P.NUM_DMY_GLUED.match(text, s)):
                    r = _numeric_dmy(m)
                    if r is not None:
                        r.rule += "_glued"
                        r.conf = 0.75
                        found.append(r)
            if nw is not None and not found:
                kind = kind_of(nw.lower())
                if kind == "month":
                    m = P.TEXT_DMY.match(text, s)
                    if m:
                        found.append(_named(m, "text_dmy"))
                    elif s and text[s - 1].isalpha() and (m := P.TEXT_DMY_GLUED.match(text, s)):
                        found.append(_named(m, "text_dmy_glued", 0.8))
                    elif (m := P.TEXT_DMY_YY.match(text, s)) and (mon := _month_of(m["mon"])):
                        found.append(_Raw(m.start(), m.end(), "text_dmy_yy", 0.85, 2000 + int(m["yy"]), mon,
                                          int(m["d"])))
                    else:
                        m = P.YEARLESS_DM.match(text, s)
                        if m and _yearless_ok(m):
                            r = _named(m, "yearless_dm", 0.6)
                            if r:
                                found.append(r)
                elif kind == "jalali":
                    m = P.JALALI.match(text, s)
                    if m:
                        found.append(_jalali(m))
                elif kind is not None:
                    m = P.VI_WORDS.match(text, s) if kind == "vi" else None
                    if m:
                        found.append(_vi(m, "vi_thang"))
                    else:
                        m = P.RELATIVE.match(text, s)
                        if m:
                            found.append(_relative(m))
        found = [r for r in found if r is not None]  # a parser returns None for an impossible date
        if (not found or found[0].y is None) and s > 1 and text[s - 1] in seps and not text[s - 2].isdigit():
            word, ws = prev_word(text, s)
            low = word.lower()
            if low in P.MONTH_NUMBER:
                if n <= 2:
                    m = P.TEXT_MDY.match(text, ws)
                    if m:
                        found.append(_named(m, "text_mdy"))
                    else:
                        m = P.YEARLESS_MD.match(text, ws)
                        if m and _yearless_ok(m):
                            r = _named(m, "yearless_md", 0.6)
                            if r:
                                found.append(r)
                else:
                    m = P.MONTH_YEAR.match(text, ws)
                    if m:
                        found.append(_named(m, "month_year", 0.7, "month"))
            elif low == "ngày":
                m = P.VI_NGAY.match(text, ws)
                if m:
                    found.append(_vi(m, "vi_ngay_dmy"))
            elif low in _REL_PREFIX:
                for back in (ws, max(0, ws - 5)):
                    m = P.RELATIVE.match(text, back)
                    if m and m.end() > s:
                        found.append(_relative(m))
                        break
        found = [r for r in found if r is not None]
        if found:
            best = found[0] if len(found) == 1 else max(found, key=lambda r: r.end - r.start)
            if best is not None:
                out.append(best)
                consumed = best.end
    if "dpa:" in text:
        for m in P.DPA_ID.finditer(text):
            r = _Raw(m.start(), m.end(), "dpa_story_id", 0.9, 2000 + int(m["y"]), int(m["m"]), int(m["d"]))
            if _date(r.y, r.m, r.d) is not None and not any(o.start < r.end and r.start < o.end for o in out):
                out.append(r)
    return out


def _scan_relative_words(text: str, lo: int, hi: int) -> list[_Raw]:
    """"today", "yesterday" and their translations between `lo` and `hi` (the page header)."""
    out: list[_Raw] = []
    if hi <= lo:
        return out
    low_text = text[lo:hi].lower()
    if len(low_text) != hi - lo:  # a few characters change length when lowered: search slowly
        return [_relative(m) for m in P.RELATIVE.finditer(text, lo, hi) if m["word"]]
    if _REL_FIRST_WORDS.isdisjoint(low_text.translate(_PUNCT_TO_SPACE).split()):
        return out  # fast path: none of the words is there
    for w in _REL_WORDS:
        i = low_text.find(w)
        while i != -1:
            m = P.RELATIVE.match(text, lo + i)
            if m:
                out.append(_relative(m))
            i = low_text.find(w, i + len(w))
    return out


def _non_overlapping(raws: list[_Raw]) -> list[_Raw]:
    """Keep the longest match where matches overlap (ties: the first found)."""
    raws.sort(key=lambda r: (r.start, -(r.end - r.start)))
    kept: list[_Raw] = []
    for r in raws:
        if kept and r.start < kept[-1].end:
            if r.end - r.start > kept[-1].end - kept[-1].start:
                kept[-1] = r
            continue
        kept.append(r)
    return kept


def _attach_time_and_weekday(text: str, r: _Raw) -> None:
    if r.gran == "day" and r.H is None:
        m = P.TIME_AFTER.match(text, r.end) if _DIGIT_SOON.search(text, r.end, r.end + 16) else None
        if m and (m["M"] or m["M2"]):
            h, mi = int(m["H"]), int(m["M"] or m["M2"])
            if m["ampm"]:
                if h > 12 or h == 0:
                    h = -1
                elif m["ampm"].lower() == "p" and h < 12:
                    h += 12
                elif m["ampm"].lower() == "a" and h == 12:
                    h = 0
            if 0 <= h <= 23:
                r.H, r.M, r.S = h, mi, int(m["S"] or 0)
                r.tz = m["tz"]
                r.end = m.end()
        else:
            lo = max(0, r.start - 30)
            m = P.TIME_BEFORE.search(text, lo, r.start) if ":" in text[lo:r.start] else None
            if m and text[m.end():r.start].strip() == "":
                h = int(m["H"])
                if m["ampm"]:
                    h = (h % 12) + (12 if m["ampm"].lower() == "p" else 0)
                if 0 <= h <= 23:
                    r.H, r.M, r.S, r.tz = h, int(m["M"]), int(m["S"] or 0), m["tz"]
                    r.start = m.start()
    if r.gran != "relative":
        word, ws = _prev_word(text, r.start, _SEP_CHARS_NL)
        wd = P.WEEKDAY_NUMBER.get(word.lower()) if word else None
        if wd is None and word.lower() in ("the", "le", "den", "el", "der"):
            word, ws = _prev_word(text, ws, _SEP_CHARS_NL)
            wd = P.WEEKDAY_NUMBER.get(word.lower()) if word else None
        if wd is not None and (len(word) > 3 or word[0].isupper()):
            r.weekday, r.start = wd, ws
        elif text[r.end:r.end + 3].lstrip()[:1] in (",", "("):
            m = P.WEEKDAY_AFTER.match(text, r.end)
            if m and len(m["wd"]) > 3:
                r.weekday = P.WEEKDAY_NUMBER[m["wd"].lower()]


# ---------------------------------------------------------------- layout

_BLOCK_START = operator.attrgetter("char_start")


def _is_paragraph(b: Block) -> bool:
    """A body block that reads as a paragraph of the article (long, with a sentence end)."""
    return b.label == "body" and len(b.text) >= 150 and P.SENTENCE_END.search(b.text) is not None


class _Layout:
    """Where each offset sits: its block, and whether it is before/inside/after the article body."""

    def __init__(self, text: str, blocks: list[Block]):
        self.blocks = blocks
        first = next((b for b in blocks if b.label == "body" and len(b.text) >= 150 and _is_paragraph(b)), None)
        if first is not None:
            last = next(b for b in reversed(blocks) if b.label == "body" and len(b.text) >= 150 and _is_paragraph(b))
        else:
            first = next((b for b in blocks if b.label == "body"), None)
            last = next((b for b in reversed(blocks) if b.label == "body"), None)
        self.body_start = first.char_start if first else len(text)
        self.body_end = last.char_end if last else len(text)
        self.first_body = first.block_index if first else len(blocks)
        self.last_body = last.block_index if last else len(blocks)
        # the article starts at its headline (when one sits shortly before the first body paragraph)
        # or at its first body paragraph: both anchor the byline
        self.anchors = [self.first_body] + [b.block_index for b in blocks[max(0, self.first_body - 12):self.first_body]
                                            if b.label == "headline"]

    def block_at(self, pos: int) -> Block | None:
        i = bisect.bisect_right(self.blocks, pos, key=_BLOCK_START) - 1
        if i < 0:
            return None
        b = self.blocks[i]
        return b if pos < b.char_end else None

    def proximity(self, block_index: int | None) -> float:
        """How close a block is to the start (or, after the body, the end) of the article: 1 .. 0.3."""
        if block_index is None:
            return 0.5
        if block_index > self.last_body:
            return max(0.3, 0.9 - 0.06 * (block_index - self.last_body - 1))
        dist = min((a - block_index - 1) if block_index < a else 1.5 * (block_index - a) for a in self.anchors)
        return max(0.3, 1.0 - 0.025 * dist)


_LINE = re.compile(r"\S[^\n]*")


def _line_blocks(text: str) -> list[Block]:
    """Fallback blocks when no segmentation was given: every non-empty line, labelled body."""
    out = []
    for m in _LINE.finditer(text):
        line = m.group().rstrip()
        s = m.start()
        out.append(Block(len(out), s, s + len(line), line, "body", "fallback_line", 0.1))
    return out


def _is_date_line(block_text: str, cand_text: str) -> bool:
    """True when the line holds little besides the date: a timestamp/byline, not running text."""
    if len(block_text) > len(cand_text) + 120:
        return False
    rest = block_text.replace(cand_text, " ", 1)
    words = [w for w in _WORD.findall(rest) if w.lower() not in P.BYLINE_CUE_WORDS]
    return len(words) <= 6 and sum(len(w) for w in words) <= 45


def _locate(text: str, lay: _Layout, r: _Raw) -> tuple[str, int | None, str]:
    """(location, block_index, tag) for a candidate found in the text."""
    b = lay.block_at(r.start)
    if b is None:
        return ("body", None, "no_block")
    cand_text = text[r.start:r.end]
    in_block = b.text
    # dateline: "SEOUL, Nov 12 (Reuters) -"
    off = r.start - b.char_start
    if off <= 60 and P.DATELINE_BEFORE.match(in_block[:off]) and P.DATELINE_AFTER.match(in_block[off + len(cand_text):]):
        return ("dateline", b.block_index, "dateline_shape")
    if P.TWEET_SIGNATURE.match(in_block[:off]):
        return ("body", b.block_index, "embedded_post")  # when a quoted tweet was posted, not the page
    loc = _LABEL_LOCATION.get(b.label, None)
    before_body = r.start < lay.body_start
    after_body = r.start >= lay.body_end
    if loc is None:
        if before_body:
            if len(in_block) >= 150 and P.SENTENCE_END.search(in_block) and not _is_date_line(in_block, cand_text):
                # a date inside a sentence above the article (a caption, a teaser) is an event
                # mentioned in running text, not the page's timestamp
                return ("body", b.block_index, f"{b.label}_prose_before_body")
            return ("header", b.block_index, f"{b.label}_before_body")
        if after_body:
            return ("footer_metadata", b.block_index, f"{b.label}_after_body")
        return ("byline" if _is_date_line(in_block, cand_text) else "body", b.block_index, f"{b.label}_in_body")
    if loc == "body" and b.label != "caption":
        if _is_date_line(in_block, cand_text):
            # a short line that is mostly a date is a timestamp whatever the segmenter said
            if before_body:
                return ("header", b.block_index, "date_line_before_body")
            if after_body:
                return ("footer_metadata", b.block_index, "date_line_after_body")
            return ("byline", b.block_index, "date_line")
        if before_body and off <= 2 and len(in_block) <= 200 and not P.SENTENCE_END.search(in_block) \
                and lay.first_body - b.block_index <= 3:
            # "October 26, 2020 Jane Doe | Local News": a line that opens with the date, just above
            # the first paragraph, is the article's byline
            return ("byline", b.block_index, "date_leads_line_above_body")
    return (loc, b.block_index, b.label)


# ---------------------------------------------------------------- ambiguity and year inference

_EN_FUNCTION_WORDS = (" the ", " and ", " of ", " to ")


def _english_share(text: str) -> float:
    """Share of English function words among the words of the page (about 0.1 in English prose)."""
    low = text.lower()
    words = low.count(" ") + 1
    return sum(low.count(w) for w in _EN_FUNCTION_WORDS) / words


def _resolve_ambiguous(raws: list[_Raw], url_dates: list[dt.date], text: str) -> None:
    """Decide day/month order of dates like 06/10/2020 from the page's own evidence, in order: a
    stated weekday, the URL, other numeric dates with the same separator whose order is certain,
    a written date with the same value, the order of the page's named dates ("6 October" vs
    "October 6"), and last (lower confidence) the page's language: every language but English
    writes numeric dates day first.  With no evidence the date stays ambiguous."""
    if not any(r.alts for r in raws):
        return
    orders: Counter = Counter()
    named: Counter = Counter()
    for r in raws:
        if r.rule.startswith(("numeric_dmy", "numeric_mdy")) and r.order in ("/", "-") \
                and not r.rule.startswith("numeric_dmy_dot"):
            orders[(r.order, "dmy" if r.rule.startswith("numeric_dmy") else "mdy")] += 1
        elif r.rule == "text_dmy":
            named["dmy"] += 1
        elif r.rule == "text_mdy":
            named["mdy"] += 1
    written = {_date(r.y, r.m, r.d) for r in raws if r.y and r.m and r.d and r.rule.startswith("text_")}
    english = None
    for r in raws:
        if not r.alts:
            continue
        dmy, mdy = r.alts
        choice, why = None, None
        if r.weekday is not None and (dmy.weekday() == r.weekday) != (mdy.weekday() == r.weekday):
            choice, why = (dmy if dmy.weekday() == r.weekday else mdy), "weekday_decides"
        elif (dmy in url_dates) != (mdy in url_dates):
            choice, why = (dmy if dmy in url_dates else mdy), "url_decides"
        elif orders[(r.order, "dmy")] and not orders[(r.order, "mdy")]:
            choice, why = dmy, "page_order_dmy"
        elif orders[(r.order, "mdy")] and not orders[(r.order, "dmy")]:
            choice, why = mdy, "page_order_mdy"
        elif (dmy in written) != (mdy in written):
            choice, why = (dmy if dmy in written else mdy), "matches_written_date"
        elif named["dmy"] >= max(2, 3 * named["mdy"]):
            choice, why = dmy, f"numeric_dmy_by_page_convention:named_dates_day_first_{named['dmy']}_{named['mdy']}"
        elif named["mdy"] >= max(2, 3 * named["dmy"]):
            choice, why = mdy, f"numeric_mdy_by_page_convention:named_dates_month_first_{named['mdy']}_{named['dmy']}"
        else:
            if english is None:
                english = _english_share(text)
            if english < _NOT_ENGLISH_SHARE:
                choice, why = dmy, f"numeric_dmy_by_page_convention:language_not_english_{english:.3f}"
                r.conf = round(r.conf * 0.8, 3)
        if choice is not None:
            r.m, r.d = choice.month, choice.day
            r.tags.append(why)


def _infer_year(r: _Raw, anchor: dt.date) -> None:
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = _date(y, r.m, r.d)
        if d is not None and (best is None or abs((d - anchor).days) < abs((best - anchor).days)):
            best = d
    if best is not None:
        r.y = best.year


def _penalise_lists(cands: list[DateCandidate]) -> None:
    """Dates in runs of nearby date lines with different values are list items (latest news,
    archives), not the article's timestamp: lower their confidence."""
    lines = [c for c in cands if c.location in ("byline", "header", "footer_metadata")
             and c.value_date is not None and c.block_index is not None and not c.is_relative]
    run: list[DateCandidate] = []

    def flush() -> None:
        if len(run) >= 3 and len({c.value_date for c in run}) >= 2:
            for c in run:
                c.confidence = round(c.confidence * 0.5, 3)
                c.rule += ":in_date_list"

    for c in lines:
        if run and (c.block_index - run[-1].block_index > 4 or c.location != run[-1].location):
            flush()
            run = []
        run.append(c)
    flush()


def _after_today_label(line_before: str) -> bool:
    """True when the (lower-cased) text before a date on its line ends with a "today" label,
    possibly followed by one word (a weekday the tables do not know)."""
    for tail in (line_before, line_before.rstrip().rsplit(None, 1)[0] if line_before.strip() else ""):
        tail = tail.rstrip(" \t\xa0:,-–|/")
        if tail.endswith(P.TODAY_LABELS) and any(
                tail.endswith(w) and not tail[-len(w) - 1:-len(w)].isalpha() for w in P.TODAY_LABELS):
            return True
    return False


def _mark_today_widgets(text: str, cands: list[DateCandidate], body_start: int) -> None:
    """A date above the article after a "today" label ("Today: Monday, 12 Nov 2024") or beside the
    weather ("19°C | Lisbon") is the page's render date, not its publication date: lower it."""
    seen = 0
    for c in cands:
        if c.char_start is None or c.char_start >= body_start or seen >= _WIDGET_MAX_RANK:
            break
        if c.location not in ("header", "byline"):
            continue
        seen += 1
        before = text[max(0, c.char_start - 60):c.char_start]
        why = None
        if _after_today_label(before.rsplit("\n", 1)[-1].lower()):
            why = "today_label"
        elif P.WEATHER.search(before[-40:]) or P.WEATHER.search(text, c.char_end, c.char_end + 40):
            why = "weather"
        if why:
            c.confidence = round(c.confidence * 0.4, 3)
            c.rule += f":today_widget_{why}"




def _mark_future_events(text: str, cands: list[DateCandidate]) -> None:
    """Tag body dates whose sentence states a future event ("will meet on 12 March") with
    ":future_event"; the others (":past_event") can bound the publication date from below."""
    for c in cands:
        if c.location != "body" or c.char_start is None or c.value_date is None or c.is_relative:
            continue
        lo, hi = max(0, c.char_start - 240), min(len(text), c.char_end + 240)
        s = max(lo, text.rfind("\n", lo, c.char_start) + 1, text.rfind(". ", lo, c.char_start) + 2)
        ends = [i for i in (text.find("\n", c.char_end, hi), text.find(". ", c.char_end, hi)) if i != -1]
        e = min(ends) if ends else hi
        words = text[s:e].lower().translate(_PUNCT_TO_SPACE).split()
        c.rule += ":future_event" if not P.FUTURE_WORDS.isdisjoint(words) else ":past_event"


# ---------------------------------------------------------------- public API

def _url_candidates(url: str) -> list[DateCandidate]:
    out = []
    path = url.split("?", 1)[0]
    seen = set()
    for pat, rule, gran in ((P.URL_YMD, "url_ymd", "day"), (P.URL_COMPACT, "url_compact", "day"),
                            (P.URL_YM, "url_ym", "month")):
        for m in pat.finditer(path):
            d = _date(int(m["y"]), int(m["m"]), int(m["d"]) if gran == "day" else 1)
            if d is None or (d, gran) in seen:
                continue
            if gran == "month" and any(x[0].year == d.year and x[0].month == d.month for x in seen):
                continue
            seen.add((d, gran))
            out.append(DateCandidate(None, None, m.group(0).strip("/"), "url", gran, rule,
                                     0.8 if gran == "day" else 0.5, value_date=d))
    return out


def _parse_value(value: str) -> _Raw | None:
    """Parse one metadata value (ISO timestamp or any written form)."""
    raws = _non_overlapping(_scan(value))
    full = [r for r in raws if r.y and r.m and r.d and not r.alts and not r.yearless]
    if not full:
        return None
    r = full[0]
    _attach_time_and_weekday(value, r)
    return r


def _to_candidate(text: str, r: _Raw, location: str, block_index: int | None, tag: str,
                  fetched_at: dt.datetime | None) -> DateCandidate:
    rule = r.rule + (":" + ":".join(r.tags) if r.tags else "") + (f"@{tag}" if tag else "")
    value = _date(r.y, r.m, r.d) if (r.y and r.m and r.d) else None
    cand = DateCandidate(r.start, r.end, text[r.start:r.end], location, r.gran, rule, r.conf,
                         value_date=value, block_index=block_index)
    if r.alts and value is None:
        cand.is_ambiguous, cand.alternatives = True, r.alts
    elif r.alts:
        cand.alternatives = r.alts
    if r.gran == "relative":
        cand.is_relative = True
        if fetched_at is not None and r.rel_days is not None:
            cand.value_date = (fetched_at - dt.timedelta(days=r.rel_days)).date()
    if value is not None and r.H is not None:
        cand.granularity = "datetime"
        cand.local_time = f"{r.H:02d}:{r.M:02d}"
        if r.tz:
            tz = "UTC" if r.tz == "Z" else r.tz
            cand.tz_name = tz
            cand.value_utc = to_utc(value, r.H, r.M, r.S, tz)
    if value is not None and r.weekday is not None:
        cand.rule += ":weekday_ok" if value.weekday() == r.weekday else ":weekday_conflict"
    return cand


def find_date_candidates(text: str, blocks: list[Block], *, url: str | None = None,
                         fetched_at: dt.datetime | None = None,
                         hints: dict | None = None) -> list[DateCandidate]:
    """Every date on the page (text, URL, reader hints, capture time) as a `DateCandidate`."""
    if not blocks:
        blocks = _line_blocks(text)
    lay = _Layout(text, blocks)
    scan_text = text.translate(P.DIGIT_MAP) if not text.isascii() and P.NON_ASCII_DIGIT.search(text) else text
    url_cands = _url_candidates(url) if url else []
    # relative words ("Updated today", "yesterday, 10:04") are stamps only on the lines around the
    # start of the article (headline, byline); elsewhere they are running text or page chrome
    raws = _non_overlapping(_scan(scan_text) + _scan_relative_words(
        scan_text, max(0, lay.body_start - _STAMP_ZONE_BEFORE), min(len(text), lay.body_start + _STAMP_ZONE_AFTER)))
    for r in raws:
        _attach_time_and_weekday(scan_text, r)
    _resolve_ambiguous(raws, [c.value_date for c in url_cands if c.granularity == "day"], scan_text)

    located = [(r, *_locate(text, lay, r)) for r in raws]
    # anchor for year-less dates: the first explicit full date outside body/chrome, else URL,
    # else the capture time, else the most common explicit year.
    anchor, anchor_src = None, None
    for r, loc, _bi, _tag in located:
        if loc in ("byline", "header", "dateline", "footer_metadata") and r.y and r.m and r.d \
                and not r.yearless and not r.alts and r.gran == "day":
            anchor, anchor_src = _date(r.y, r.m, r.d), "page"
            break
    if anchor is None and url_cands:
        anchor, anchor_src = url_cands[0].value_date, "url"
    if anchor is None and fetched_at is not None:
        anchor, anchor_src = fetched_at.date(), "capture"
    if anchor is None:
        years = Counter(r.y for r, loc, *_ in located if r.y and not r.yearless and loc != "related")
        if years:
            anchor, anchor_src = dt.date(years.most_common(1)[0][0], 7, 1), "page_year"

    out: list[DateCandidate] = []
    for r, loc, bi, tag in located:
        if r.yearless:
            if anchor is None:
                r.y = None
            elif anchor_src == "page_year":
                r.y = anchor.year
                r.tags.append("year_from_page_year")
            else:
                _infer_year(r, anchor)
                r.tags.append(f"year_from_{anchor_src}")
            if r.y is None and r.m and r.d:
                r.tags.append("year_unknown")
        cand = _to_candidate(text, r, loc, bi, tag, fetched_at)
        cand.confidence = round(cand.confidence * lay.proximity(bi), 3)
        if not r.yearless and r.m and r.d and r.y and cand.value_date is None and not r.alts:
            continue  # impossible calendar date
        if r.yearless:
            cand.confidence = round(cand.confidence * 0.6, 3)
        out.append(cand)

    _penalise_lists(out)
    _mark_today_widgets(text, out, lay.body_start)
    _mark_future_events(text, out)
    out.extend(url_cands)
    for name, value in (hints or {}).get("meta_dates", []) or []:
        if not value:
            continue
        r = _parse_value(str(value))
        if r is None:
            continue
        c = _to_candidate(str(value), r, "html_meta", None, "", fetched_at)
        c.char_start = c.char_end = None
        c.text = str(value)
        low = str(name).lower()
        c.rule = f"meta:{name}:{c.rule}"
        c.confidence = 0.6 if ("modif" in low or "updat" in low) else 0.9
        out.append(c)
    if fetched_at is not None:
        fa = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=_UTC)
        fa = fa.astimezone(_UTC)
        out.append(DateCandidate(None, None, fa.isoformat(), "capture", "datetime", "fetched_at", 1.0,
                                 value_date=fa.date(), value_utc=fa, local_time=fa.strftime("%H:%M"),
                                 tz_name="UTC"))
    return out


# ---------------------------------------------------------------- choosing

_LOCATION_WEIGHT = {"byline": 1.0, "dateline": 0.9, "header": 0.85, "html_meta": 0.8, "url": 0.7,
                    "footer_metadata": 0.55}
_GRAN_WEIGHT = {"datetime": 1.0, "day": 0.95, "relative": 0.6}


def choose_publication_date(candidates: list[DateCandidate], *,
                            fetched_at: dt.datetime | None = None) -> PublicationDate:
    """Pick the publication date; page chrome never wins, body dates only as an inferred bound.

    Score = location weight x granularity weight x candidate confidence (which carries the
    candidate's closeness to the article start), plus a bonus when an independent source (URL,
    HTML metadata, another kind of location) gives the same day.  Dates after the capture time lose.
    """
    limit = None
    if fetched_at is not None:
        fa = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=_UTC)
        limit = fa.astimezone(_UTC).date() + dt.timedelta(days=1)
    sources: dict[dt.date, set[str]] = {}
    for c in candidates:
        if c.value_date is None or c.location in ("related", "capture", "body") or c.is_ambiguous:
            continue
        if c.granularity in ("day", "datetime") and (limit is None or c.value_date <= limit):
            sources.setdefault(c.value_date, set()).add(c.location)
    in_body = {c.value_date for c in candidates if c.location == "body" and c.value_date is not None
               and ":year_from" not in c.rule}
    best: tuple[float, int] | None = None
    for i, c in enumerate(candidates):
        w = _LOCATION_WEIGHT.get(c.location)
        g = _GRAN_WEIGHT.get(c.granularity)
        if w is None or g is None or c.value_date is None or c.is_ambiguous:
            continue
        if limit is not None and c.value_date > limit:
            continue
        if c.is_relative and c.location not in ("byline", "header"):
            continue
        s = w * g * c.confidence
        if ":year_from" in c.rule:
            s *= 0.6
        if "weekday_conflict" in c.rule:
            s *= 0.8
        s += 0.08 * (len(sources.get(c.value_date, ())) - 1) + (0.03 if c.value_date in in_body else 0.0)
        if best is None or s > best[0] + 1e-9:
            best = (s, i)
    if best is not None:
        s, i = best
        c = candidates[i]
        return PublicationDate(c.value_date, c.value_utc, c.text, c.location, round(min(1.0, s), 3), i)
    # nothing trustworthy: the latest event the body states as past is a lower bound, not a fact.
    # A year-less mention counts when its year came from an explicit year on the page ("On
    # November 12, ..." with "June 2024" elsewhere), at a lower confidence.
    body = [(c.value_date, ":year_from" not in c.rule, i) for i, c in enumerate(candidates)
            if c.location == "body" and c.value_date is not None and c.granularity in ("day", "datetime", "month")
            and ":future_event" not in c.rule and not c.is_relative and (limit is None or c.value_date <= limit)]
    if body:
        d, explicit, i = max(body)
        return PublicationDate(d, None, candidates[i].text, "inferred_lower_bound", 0.2 if explicit else 0.15, i,
                               is_inferred=True)
    return PublicationDate(None, None, None, "none", 0.0, None)


# ---------------------------------------------------------------- data-quality helpers

def stated_weekday_conflict(c: DateCandidate, text: str) -> str | None:
    """A message when the weekday written with a date is not that date's weekday, else None.

    "Monday, 12 November 2024" -> "text says Monday but 2024-11-12 is a Tuesday".
    """
    if c.value_date is None or c.char_start is None or c.char_end is None:
        return None
    lead = _LEAD_WEEKDAY.match(text, c.char_start)
    token = lead.group(1) if lead else None
    if token is None or token.lower() not in P.WEEKDAY_NUMBER:
        word, _ws = _prev_word(text, c.char_start)
        token = word if word and word.lower() in P.WEEKDAY_NUMBER else None
    if token is None:
        m = P.WEEKDAY_AFTER.match(text, c.char_end)
        token = m["wd"] if m else None
    if token is None:
        return None
    stated = P.WEEKDAY_NUMBER[token.lower()]
    if stated == c.value_date.weekday():
        return None
    return (f"text says {token} but {c.value_date.isoformat()} is a "
            f"{P.WEEKDAY_NAMES_EN[c.value_date.weekday()]}")


def weekday_mismatch(c: DateCandidate) -> bool:
    """True when the candidate's rule records a stated weekday that does not match its date."""
    return "weekday_conflict" in c.rule
