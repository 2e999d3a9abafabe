"""Date data-quality checks over one document's date candidates, claims and blocks.

date_conflict, date_before_events, future_date, weekday_mismatch, later_dated_chrome,
missing/inferred_publication_date, unresolved_relative_date.  Pure functions returning `Finding`s.
A small multilingual date-mention scanner (`scan_date_mentions`) finds month-day / month-year /
"in June" phrases so the checks do not depend on which dates an upstream module chose to emit.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from flows.text.chrome_checks import BlockIndex
from flows.text.model import CHROME_LABELS, Claim, DateCandidate, Finding, Understanding
from flows.text.regex_trie import trie_pattern

UTC = dt.timezone.utc
ONE_DAY = dt.timedelta(days=1)
TRUSTED_LOCATIONS = frozenset(
    {"byline", "header", "timestamp", "dateline", "footer_metadata", "html_meta", "url"}
)
# A candidate inside one of these blocks is never a publication candidate, whatever its location.
UNTRUSTED_BLOCK_LABELS = frozenset({"caption", "related", "teaser", "comments", "ad", "headline", "credit"})
# A header/footer date is a stamp only on a line the segmenter saw as metadata/byline/timestamp.
STAMP_LABELS = frozenset({"metadata", "timestamp", "byline", "dateline"})
CHROME_DATE_LOCATIONS = frozenset({"related", "footer_metadata"})
NON_BODY_RELATIVE_LOCATIONS = frozenset(
    {"related", "header", "byline", "timestamp", "dateline", "footer_metadata"}
)
CHROME = frozenset(CHROME_LABELS)
LOCATION_NAMES = {"footer_metadata": "metadata", "html_meta": "html meta"}
PROSE_WORDS = 20  # a byline/timestamp date inside a block longer than this is a mention in prose
STAMP_LOCATIONS = frozenset({"header", "footer_metadata"})
STAMP_WORDS = 8  # a header/footer date counts only on a short line of its own (a stamp, not a teaser)
MAX_STAMP_DATES = 2  # more distinct dates in header/byline/footer positions: lists of other articles
LISTABLE_LOCATIONS = frozenset({"header", "byline", "timestamp", "footer_metadata"})
STAMP_COVERAGE = 0.6  # a date filling this share of its line is the line's stamp
REF_EVENT_MARGIN = dt.timedelta(days=7)  # an event must postdate the publication date by more than this
FUTURE_WINDOW = 80  # characters before a date mention searched for future-tense markers
MAX_EVIDENCE_ITEMS = 3

# --- month / weekday vocabularies (en, fr, de, es, it, pt, nl) -------------------------------
_MONTH_WORDS = {
    1: "january jan janvier januar jänner enero gennaio janeiro januari",
    2: "february feb février fevrier februar febrero febbraio fevereiro februari",
    3: "march mar mars märz maerz marzo março marco maart",
    4: "april apr avril abril aprile",
    5: "may mai mayo maggio maio mei",
    6: "june jun juin juni junio giugno junho",
    7: "july jul juillet juli julio luglio julho",
    8: "august aug août aout agosto augustus",
    9: "september sep sept septembre septiembre setiembre settembre setembro",
    10: "october oct octobre oktober octubre ottobre outubro",
    11: "november nov novembre noviembre novembro",
    12: "december dec décembre decembre dezember diciembre dicembre dezembro",
}
MONTHS = {w: n for n, words in _MONTH_WORDS.items() for w in words.split()}
# English words that are also common lowercase words: only count them capitalised.
_LOWERCASE_AMBIGUOUS = frozenset({"may", "march", "mar", "jan", "aug", "sep", "dec", "oct", "jun", "jul"})
_ABBREVIATIONS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})
_WEEKDAY_WORDS = {
    0: "monday mon lundi montag lunes lunedì lunedi segunda-feira segunda maandag",
    1: "tuesday tue tues mardi dienstag martes martedì martedi terça-feira terca-feira terça dinsdag",
    2: "wednesday wed mercredi mittwoch miércoles miercoles mercoledì mercoledi quarta-feira quarta woensdag",
    3: "thursday thu thur thurs jeudi donnerstag jueves giovedì giovedi quinta-feira quinta donderdag",
    4: "friday fri vendredi freitag viernes venerdì venerdi sexta-feira sexta vrijdag",
    5: "saturday sat samedi samstag sonnabend sábado sabado sabato zaterdag",
    6: "sunday sun dimanche sonntag domingo domenica zondag",
}
WEEKDAYS = {w: n for n, words in _WEEKDAY_WORDS.items() for w in words.split()}
_WEEKDAY_NEED_CAPITAL = frozenset(w for w in WEEKDAYS if len(w) <= 4 and w.isascii())




_YEAR = r"(?:19|20)\d\d"
# All patterns below run on the lower-cased text (same length as the text, see `lowered`).
_MONTH_RE = re.compile(rf"(?:{trie_pattern(MONTHS)})(?!\w)")
_WEEKDAY_RE_AT = re.compile(rf"({trie_pattern(WEEKDAYS)})(?!\w)")
_WEEKDAY_WORD_RE = re.compile(r"[\w-]+")
# A weekday word right before a date: "Monday, 12 November", "Montag, 12.", "lunes 11 de", "Tue 12".
_WEEKDAY_BEFORE_RE = re.compile(
    rf"(?<!\w)({trie_pattern(WEEKDAYS)})\.?,?\s*(?:(?:the|den|le|el|de)\s+)?$"
)
_ISO_RE = re.compile(rf"{_YEAR}-[01]\d-[0-3]\d(?!\d)")
_DAY_BEFORE_RE = re.compile(r"(?<![\w.,])([0-3]?\d)(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+|of\s+(?:the\s+)?)?$")
_PREP_BEFORE_RE = re.compile(r"(?<!\w)(?:in|since|during|early|late|mid|last|en|im|seit|depuis|desde|em|dal|sinds)[\s-]+$")
_AFTER_RE = re.compile(rf"\.?(?:\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\w:]))?(?:,?\s+(?:de\s+)?(?P<y>{_YEAR})(?!\d))?")
_FUTURE_RE = re.compile(
    r"\b(?:will|won't|shall|would|could|might|next|upcoming|plans? to|planned|scheduled|expected to"
    r"|due (?:to|in|on)|set to|aims? to|to be held|to take place|forecasts?|projected|wird|werden"
    r"|sera|seront|será|serão|sarà|zal|zullen)\b|'ll\b"
)  # runs on lowered text
_FUTURE_PREP_RE = re.compile(r"\b(?:by|until|till|before|through|ahead of|next|this coming)\s*$")
_UPDATE_RE = re.compile(
    r"(?:updated?|modified|edited|aktualisiert|mis à jour|actualizado|atualizado|aggiornato)\W{0,3}"
    r"(?:on|am|le|el|em|il)?\s*$"
)  # runs on lowered text
_EXPLICIT_YEAR_RE = re.compile(rf"\b{_YEAR}\b")
_WRITTEN_YEAR_RE = re.compile(r"\d{4}|\d[./-]\d{2}\b|\d{4}年|'\d{2}\b")  # a 4-digit or numeric-date year
_PAST_TENSE_RE = re.compile(
    r"\b(?:was|were|had|did|drew|won|lost|beat|said|took|made|came|went|saw|held|met|fell|rose|hit|left"
    r"|gave|told|got|ran|broke|struck|began|became|sent|\w{3,}ed)\b"
)  # English past-tense cues, on lowered text
_ISO_IN_ANCHOR_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Relative dates: a keyword first (fast), then the number and unit around it.
_AGO_AFTER_WORDS = ("ago", "geleden", "fa")  # "2 days ago"
_AGO_BEFORE_WORDS = ("vor", "il y a", "hace", "há")  # "vor 2 Tagen"
_UNITS = (r"(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?|months?|years?|minuten|stunden|tagen|wochen"
          r"|monaten|heures?|jours?|semaines?|mois|minutos?|horas?|d[íi]as?|semanas?|meses|minuti|ore|giorni"
          r"|settimane|mesi|uur|dagen|weken|maanden)")
_AGO_BEFORE_RE = re.compile(rf"(?<!\w)(?:\d+|an?|one|two|three)\s+{_UNITS}\s+$")
_AGO_AFTER_RE = re.compile(rf"\d+\s+{_UNITS}(?!\w)")


def lowered(text: str) -> str:
    """`text.lower()` when that keeps every offset (almost always), else a per-character lower-casing."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


# --- date mentions ---------------------------------------------------------------------------
@dataclass(slots=True)
class DateMention:
    """A date phrase found in the text: day and year may be missing ("in June", "February 13")."""

    start: int
    end: int
    text: str
    month: int
    day: int | None
    year: int | None


def _sentence_cut(window: str) -> int:
    """Offset in `window` just after its last sentence end (0 when there is none)."""
    return max(window.rfind(". "), window.rfind("! "), window.rfind("? "), window.rfind("\n") - 1) + 2 \
        if any(p in window for p in (". ", "! ", "? ", "\n")) else 0


def _is_future(low: str, start: int) -> bool:
    """A future-tense marker earlier in the sentence ("will visit in …", "until March")."""
    window = low[max(0, start - FUTURE_WINDOW): start]
    window = window[_sentence_cut(window):]
    return bool(_FUTURE_RE.search(window) or _FUTURE_PREP_RE.search(window))


def _month_mention(text: str, low: str, s: int, e: int) -> DateMention | None:
    word = low[s:e]
    if word in _LOWERCASE_AMBIGUOUS and text[s].islower():
        return None
    start = s
    day = year = None
    dm = _DAY_BEFORE_RE.search(low, max(0, s - 16), s)
    if dm:
        day, start = int(dm.group(1)), dm.start()
    am = _AFTER_RE.match(low, e)
    end = e
    if am.group("d") and day is None:
        day, end = int(am.group("d")), am.end("d")
    if am.group("y"):
        year, end = int(am.group("y")), am.end("y")
    pm = None if dm else _PREP_BEFORE_RE.search(low, max(0, s - 10), s)
    if day is None and year is None and (pm is None or word in _ABBREVIATIONS):
        return None  # a bare month needs "in/since …", and "in Jan" is too ambiguous
    if pm is not None:
        start = pm.start()
    if day is not None and not 1 <= day <= 31:
        return None
    return DateMention(start, end, text[start:end], MONTHS[word], day, year)


def _scan(text: str, low: str) -> list[DateMention]:
    """Date mentions of the text, in order."""
    mentions: list[DateMention] = []
    for m in _MONTH_RE.finditer(low):
        s, e = m.span()
        if s and low[s - 1].isalnum():
            continue
        mm = _month_mention(text, low, s, e)
        if mm is not None:
            mentions.append(mm)
    if "-" in text:
        for m in _ISO_RE.finditer(low):
            s = m.start()
            if s and low[s - 1].isalnum():
                continue
            y, mo, d = int(low[s:s + 4]), int(low[s + 5:s + 7]), int(low[s + 8:s + 10])
            if 1 <= mo <= 12 and 1 <= d <= 31:
                mentions.append(DateMention(s, m.end(), m.group(), mo, d, y))
        mentions.sort(key=lambda x: x.start)
    return mentions


def scan_date_mentions(text: str) -> list[DateMention]:
    """Month-level or finer date phrases in `text`, in order."""
    return _scan(text, lowered(text))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _mention_interval(m: DateMention, year: int) -> tuple[dt.date, dt.date] | None:
    if m.day is None:
        return dt.date(year, m.month, 1), _month_end(year, m.month)
    d = _safe_date(year, m.month, m.day)
    return (d, d) if d else None


def _resolve_past(m: DateMention, anchor: dt.date) -> tuple[dt.date, dt.date] | None:
    """A year-less mention read as the latest such date not after `anchor` (past reporting)."""
    year = anchor.year if (m.month, m.day or 1) <= (anchor.month, anchor.day) else anchor.year - 1
    return _mention_interval(m, year)


def _resolve_nearest(m: DateMention, anchor: dt.date) -> tuple[dt.date, dt.date] | None:
    """A year-less mention read in the year that puts it closest to `anchor`."""
    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        iv = _mention_interval(m, year)
        if iv is None:
            continue
        gap = min(abs((iv[0] - anchor).days), abs((iv[1] - anchor).days))
        if best is None or gap < best[0]:
            best = (gap, iv)
    return best[1] if best else None


# --- candidates ------------------------------------------------------------------------------
def _loc(c: DateCandidate) -> str:
    return LOCATION_NAMES.get(c.location, c.location)


def _candidate_interval(c: DateCandidate, d: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    d = d or c.value_date
    if d is None:
        return None
    if c.granularity == "year":
        return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    if c.granularity == "month":
        return dt.date(d.year, d.month, 1), _month_end(d.year, d.month)
    lo = hi = d
    if c.value_utc is not None and d == c.value_date:
        u = c.value_utc.astimezone(UTC).date()
        lo, hi = min(lo, u), max(hi, u)
    return lo, hi


def _readings(c: DateCandidate) -> list[tuple[dt.date, dt.date]]:
    """Every interval the candidate may mean (all readings of an ambiguous date)."""
    dates = [c.value_date] if c.value_date else []
    if c.is_ambiguous:
        dates += [a for a in c.alternatives if a not in dates]
    return [iv for iv in (_candidate_interval(c, d) for d in dates) if iv]


def _gap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> int:
    """Days between two intervals (0 when they overlap)."""
    return max(0, (b[0] - a[1]).days, (a[0] - b[1]).days)


def _min_gap(a: DateCandidate, b: DateCandidate) -> int:
    return min((_gap(x, y) for x in _readings(a) for y in _readings(b)), default=0)


def is_trusted(c: DateCandidate, index: BlockIndex) -> bool:
    """A candidate that may state the publication date: a trustworthy location, not relative, resolved,
    day-level when it is in the text, and not a date mentioned inside prose, a caption or chrome."""
    if c.location not in TRUSTED_LOCATIONS or c.is_relative or c.granularity == "relative":
        return False
    if c.value_date is None:
        return False
    if c.char_start is None:
        return True  # url / html_meta: any granularity
    if c.granularity not in ("day", "datetime"):
        return False  # "March 2024" in the page text is a mention, not a publication stamp
    if c.location != "dateline" and not _WRITTEN_YEAR_RE.search(c.text):
        return False  # "July 15": the year was guessed upstream
    block = index.at(c.char_start, c.block_index)
    if block is None:
        return True
    if block.label in UNTRUSTED_BLOCK_LABELS or (block.label == "body" and c.location != "dateline"):
        return False
    if c.location in STAMP_LOCATIONS and block.label not in STAMP_LABELS:
        return False
    limit = STAMP_WORDS if c.location in STAMP_LOCATIONS else PROSE_WORDS
    return c.location == "dateline" or len(block.text.split(maxsplit=limit)) <= limit


def _is_published_stamp(c: DateCandidate, i: int, published_index: int | None) -> bool:
    """The chosen candidate itself stays trusted when only the stamp-line label rule would drop it."""
    return (i == published_index and c.location in TRUSTED_LOCATIONS and not c.is_relative
            and c.value_date is not None and c.granularity in ("day", "datetime"))


def _trusted_candidates(ctx_text_low: str, cands: list[DateCandidate], index: BlockIndex,
                        published_index: int | None) -> list[int]:
    """Indexes of trusted candidates.  Header/footer dates count only as short stamp lines, not after
    "Updated …", and not when the page lists many of them (lists of other articles)."""
    out = [i for i, c in enumerate(cands) if (is_trusted(c, index) or _is_published_stamp(c, i, published_index))
           and not (c.char_start is not None and _after_update_word(ctx_text_low, c.char_start))]
    listed = {c.value_date for c in cands
              if c.char_start is not None and c.location in LISTABLE_LOCATIONS and not c.is_relative and c.value_date}
    if len(listed) > MAX_STAMP_DATES:  # the page lists dates (related items, archives): keep what is certain
        pub = published_index
        pub_block = index.at(cands[pub].char_start, cands[pub].block_index) if pub is not None else None
        out = [i for i in out if cands[i].char_start is None or cands[i].location == "dateline" or i == pub
               or (pub_block is not None and index.at(cands[i].char_start, cands[i].block_index) is pub_block)]
    return out


@dataclass(slots=True)
class DateContext:
    """What the date checks share for one document."""

    text: str
    low: str  # lowered(text): same offsets
    u: Understanding
    index: BlockIndex
    capture: dt.datetime
    has_capture: bool
    trusted: list[int]  # indexes into u.date_candidates
    clusters: list[list[int]]  # trusted candidates grouped by agreement (within 1 day)
    reference: list[int] | None  # the cluster that holds the publication date
    anchor: dt.date | None  # the reference date used to resolve year-less event mentions
    anchor_label: str | None
    mentions: list[DateMention]


def _cluster(cands: list[DateCandidate], trusted: list[int]) -> list[list[int]]:
    clusters: list[list[int]] = []
    for i in trusted:
        for cl in clusters:
            if any(_min_gap(cands[i], cands[j]) <= 1 for j in cl):
                cl.append(i)
                break
        else:
            clusters.append([i])
    return clusters


def _best(cands: list[DateCandidate], cluster: list[int], prefer: int | None) -> int:
    if prefer in cluster:
        return prefer
    granular = [i for i in cluster if cands[i].granularity in ("day", "datetime")] or cluster
    return max(granular, key=lambda i: (cands[i].confidence, -i))


def build_context(text: str, low: str, u: Understanding, index: BlockIndex, capture: dt.datetime,
                  has_capture: bool) -> DateContext:
    """Trust, clusters, the reference date and the scanned mentions of one document."""
    cands = u.date_candidates
    trusted = _trusted_candidates(low, cands, index, u.published.candidate_index)
    clusters = _cluster(cands, trusted)
    pub = u.published
    reference = None
    if pub.candidate_index is not None:
        reference = next((cl for cl in clusters if pub.candidate_index in cl), None)
    if reference is None and pub.value_date is not None and not pub.is_inferred:
        pd_iv = (pub.value_date, pub.value_date)
        reference = next(
            (cl for cl in clusters if any(_gap(pd_iv, iv) <= 1 for i in cl for iv in _readings(cands[i]))), None
        )
    if reference is None and clusters:
        reference = max(clusters, key=lambda cl: (sum(cands[i].confidence for i in cl), len(cl), -cl[0]))
    anchor = anchor_label = None
    if reference is not None:
        best = cands[_best(cands, reference, pub.candidate_index)]
        if best.granularity in ("day", "datetime"):
            anchor, anchor_label = best.value_date, f"{_loc(best)} '{best.text}'"
    if anchor is None and pub.value_date is not None and not pub.is_inferred:
        anchor, anchor_label = pub.value_date, f"{pub.source} '{pub.local_form or pub.value_date}'"
    return DateContext(text, low, u, index, capture, has_capture, trusted, clusters, reference, anchor,
                       anchor_label, _scan(text, low))


# --- checks ----------------------------------------------------------------------------------
def _likely_cause(bad: DateCandidate, ref: DateCandidate) -> str | None:
    b, r = bad.value_date, ref.value_date
    if b is None or r is None:
        return None
    if bad.is_ambiguous and any(abs((a - r).days) <= 1 for a in bad.alternatives):
        return "day_month_swap"
    if (b.year, b.month, b.day) == (r.year, r.day, r.month) or (b.year, b.day, b.month) == (r.year, r.month, r.day):
        return "day_month_swap"
    if b.year == r.year and b.day == r.day and b.month != r.month:
        for other in (ref, bad):
            t = other.local_time
            if t and len(t) >= 5 and t[3:5].isdigit():
                minute = int(t[3:5])
                if (other is ref and minute == b.month) or (other is bad and minute == r.month):
                    return "minute_as_month"  # a "yyyy-mm-dd" pattern with mm = minutes
        return "wrong_month"
    if b.month == r.month and b.day == r.day and b.year != r.year:
        return "wrong_year"
    if b.year == r.year and b.month == r.month:
        return "wrong_day"
    return None


def date_conflict(ctx: DateContext) -> list[Finding]:
    """Trustworthy candidates whose dates are more than a day apart."""
    if ctx.reference is None or len(ctx.clusters) < 2:
        return []
    cands = ctx.u.date_candidates
    ref = cands[_best(cands, ctx.reference, ctx.u.published.candidate_index)]
    out = []
    for cl in ctx.clusters:
        if cl is ctx.reference:
            continue
        bad = cands[_best(cands, cl, None)]
        gap = _min_gap(bad, ref)
        out.append(Finding(
            check_name="date_conflict", severity="warn",
            observed=f"{_loc(bad)} date {bad.value_date} vs {_loc(ref)} date {ref.value_date} ({gap} days apart)",
            expected="trustworthy date candidates agree within 1 day",
            evidence=f"{_loc(bad)} '{bad.text}' vs {_loc(ref)} '{ref.text}'",
            rule="date_conflict.trusted_candidates_gt_1_day",
            char_start=bad.char_start if bad.char_start is not None else ref.char_start,
            char_end=bad.char_end if bad.char_start is not None else ref.char_end,
            likely_cause=_likely_cause(bad, ref),
        ))
    return out


@dataclass(slots=True)
class _Event:
    low: dt.date
    text: str
    anchored: bool  # resolved against the article's own date (not an explicit year)
    strong: bool  # a typed event claim, or a day-precise date: may contradict the publication date itself
    start: int | None
    end: int | None


def _events(ctx: DateContext) -> list[_Event]:
    """Reported events with a date lower bound: explicit-year body phrases, anchored year-less ones, claims."""
    out: list[_Event] = []
    pub = ctx.u.published
    trusted_anchor = pub.value_date is not None and not pub.is_inferred
    for c in ctx.u.claims:
        low = c.event_date_low or c.event_date
        if low is None or _FUTURE_RE.search(c.claim_text.lower()):
            continue
        anchored = (c.event_date_anchor or "absolute").strip().lower() not in ("absolute", "explicit", "")
        if anchored and not _anchor_usable(c, ctx, trusted_anchor):
            continue
        inside = [m for m in ctx.mentions if c.char_start <= m.start < c.char_end]
        text = _lead_up(ctx.text, max(c.char_start, inside[-1].end - FUTURE_WINDOW), inside[-1].end) if inside else c.claim_text
        out.append(_Event(low, text, anchored, c.claim_type == "event", c.char_start, c.char_end))
    for m in ctx.mentions:
        if ctx.index.label_at(m.start) != "body" or _is_future(ctx.low, m.start):
            continue
        if m.year is not None:
            iv = _mention_interval(m, m.year)
            anchored = False
        elif ctx.anchor is not None:
            iv = _resolve_past(m, ctx.anchor)
            anchored = True
        else:
            continue
        if iv:
            out.append(_Event(iv[0], _lead_up(ctx.text, m.start - FUTURE_WINDOW, m.end), anchored,
                              m.day is not None, m.start, m.end))
    return out


def _lead_up(text: str, start: int, end: int) -> str:
    """The words of `text[start:end]` (a date phrase with what leads up to it), cut at a sentence start."""
    start = max(0, start)
    window = text[start:end]
    cut = _sentence_cut(window)
    if cut:
        return window[cut:]
    if start > 0 and not text[start - 1].isspace():
        sp = window.find(" ")
        window = window[sp + 1:] if sp >= 0 else window
        return "…" + window
    return window


def _anchor_usable(c: Claim, ctx: DateContext, trusted_anchor: bool) -> bool:
    a = (c.event_date_anchor or "").lower()
    if "capture" in a or "fetch" in a or "now" in a:
        return False
    m = _ISO_IN_ANCHOR_RE.search(a)
    if m:
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return d is not None and ctx.anchor is not None and abs((d - ctx.anchor).days) <= 1
    return trusted_anchor


def date_before_events(ctx: DateContext) -> list[Finding]:
    """The publication date or a metadata date that precedes events the article reports."""
    events = _events(ctx)
    if not events:
        return []
    cands = ctx.u.date_candidates
    checked: list[tuple[str, tuple[dt.date, dt.date], bool, int | None, int | None]] = []
    pub = ctx.u.published
    ref_set = set(ctx.reference or [])
    for i in ctx.trusted:
        c = cands[i]
        iv = _candidate_interval(c)
        checked.append((f"{_loc(c)} '{c.text}'", iv, i in ref_set, c.char_start, c.char_end))
    if pub.value_date is not None and not pub.is_inferred and pub.candidate_index not in ctx.trusted:
        checked.append((f"{pub.source} '{pub.local_form or pub.value_date}'", (pub.value_date, pub.value_date),
                        True, None, None))
    out, seen = [], set()
    for label, iv, is_ref, start, end in checked:
        if iv in seen:
            continue
        seen.add(iv)
        if is_ref:  # the publication date itself: only unassuming, clearly later events contradict it
            later = [e for e in events if not e.anchored and e.strong and e.low > iv[1] + REF_EVENT_MARGIN]
        else:
            later = [e for e in events if e.low > iv[1] + ONE_DAY]
        if not later:
            continue
        ev = min(later, key=lambda e: (e.anchored, e.low))  # the least assuming contradiction
        how = f"resolved against {ctx.anchor_label}" if ev.anchored and ctx.anchor_label else "as written"
        out.append(Finding(
            check_name="date_before_events", severity="warn",
            observed=f"{label} ({iv[1]}) precedes a reported event dated from {ev.low}",
            expected="a publication date on or after the events the article reports",
            evidence=f"{label} precedes '{_clip(ev.text)}' ({ev.low:%Y-%m}, {how})",
            rule="date_before_events.event_after_date",
            char_start=start if start is not None else ev.start,
            char_end=end if start is not None else ev.end,
            likely_cause="wrong_date" if not is_ref else "wrong_publication_date",
        ))
    return out


def _clip(s: str, n: int = 120) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def future_date(ctx: DateContext) -> list[Finding]:
    """Candidate or chosen dates later than the capture time by more than a day."""
    cands = ctx.u.date_candidates
    cap = ctx.capture
    cap_label = "capture time" if ctx.has_capture else "ingest time"
    items: list[tuple[str, DateCandidate | None, dt.date, dt.datetime | None]] = []
    for i in ctx.trusted:
        c = cands[i]
        lo = _candidate_interval(c)[0]
        items.append((f"{_loc(c)} '{c.text}'", c, lo, c.value_utc))
    pub = ctx.u.published
    if pub.value_date is not None and pub.candidate_index not in ctx.trusted:
        items.append((f"{pub.source} '{pub.local_form or pub.value_date}'", None, pub.value_date, pub.value_utc))
    out, seen = [], set()
    for label, c, lo, utc in items:
        late = (utc - cap > ONE_DAY) if utc is not None else (lo - cap.date()).days > 1
        if not late or lo in seen:
            continue
        seen.add(lo)
        cause = None
        if c is not None and c.is_ambiguous and any(a <= cap.date() for a in c.alternatives):
            cause = "day_month_swap"
        elif _safe_date(cap.year, lo.month, lo.day) and lo.year > cap.year and dt.date(cap.year, lo.month, lo.day) <= cap.date():
            cause = "wrong_year"
        out.append(Finding(
            check_name="future_date", severity="error",
            observed=f"{label} is {lo}, after the {cap_label} {cap:%Y-%m-%dT%H:%MZ}",
            expected=f"dates no later than the {cap_label} (+1 day)",
            evidence=f"{label} vs {cap_label} {cap.isoformat()}",
            rule="future_date.after_capture",
            char_start=c.char_start if c else None, char_end=c.char_end if c else None,
            likely_cause=cause,
        ))
    return out


def _weekday_before(ctx: DateContext, start: int) -> tuple[int, int] | None:
    """(start, weekday) of a weekday word written right before offset `start`."""
    m = _WEEKDAY_BEFORE_RE.search(ctx.low, max(0, start - 24), start)
    if m is None:
        return None
    word = ctx.text[m.start(1):m.end(1)]
    if word.lower() in _WEEKDAY_NEED_CAPITAL and not word[0].isupper():
        return None
    return m.start(1), WEEKDAYS[m.group(1)]


def weekday_mismatch(ctx: DateContext) -> list[Finding]:
    """Dates written with a weekday that the calendar date does not fall on."""
    text = ctx.text
    dated: dict[int, tuple[int, list[dt.date]]] = {}  # weekday start -> (date end, readings)
    for c in ctx.u.date_candidates:
        if c.char_start is None or c.value_date is None or c.is_relative or c.granularity not in ("day", "datetime"):
            continue
        if not _WRITTEN_YEAR_RE.search(c.text):
            continue  # the year was resolved upstream: the weekday cannot be checked
        m = _WEEKDAY_RE_AT.match(ctx.low, c.char_start)
        if m:  # the candidate's text starts with its weekday
            ws, wd_end = m.start(1), m.end(1)
            wd = WEEKDAYS[m.group(1)]
            word = text[ws:wd_end]
            if word.lower() in _WEEKDAY_NEED_CAPITAL and not word[0].isupper():
                continue
        else:
            found = _weekday_before(ctx, c.char_start)
            if found is None:
                continue
            ws, wd = found
        dated[ws] = (wd, c.char_end, [c.value_date, *c.alternatives])
    for mm in ctx.mentions:
        if mm.day is None or mm.year is None:
            continue
        found = _weekday_before(ctx, mm.start)
        if found is None or found[0] in dated:
            continue
        d = _safe_date(mm.year, mm.month, mm.day)
        if d is not None:
            dated[found[0]] = (found[1], mm.end, [d])
    out: list[Finding] = []
    for ws in sorted(dated):
        wd, end, dates = dated[ws]
        if any(d.weekday() == wd for d in dates):
            continue
        d = dates[0]
        word = _WEEKDAY_WORD_RE.match(text, ws).group()
        out.append(Finding(
            check_name="weekday_mismatch", severity="warn",
            observed=f"'{word}' written with {d.isoformat()}, which is a {calendar.day_name[d.weekday()]}",
            expected=f"{d.isoformat()} written with {calendar.day_name[d.weekday()]}",
            evidence=text[ws:end],
            rule="weekday_mismatch.calendar",
            char_start=ws, char_end=end,
            likely_cause="wrong_weekday",
        ))
    return out


def _latest_body_date(ctx: DateContext) -> tuple[dt.date, str] | None:
    """The latest dated body mention or event (years from the body's explicit years) with its text."""
    body = [m for m in ctx.mentions if ctx.index.label_at(m.start) == "body"]
    years = [m.year for m in body if m.year is not None]
    best: tuple[dt.date, str] | None = None
    latest_year = max(years) if years else None
    for m in body:
        year = m.year or latest_year
        if year is None:
            continue
        iv = _mention_interval(m, year)
        if iv and (best is None or iv[0] > best[0]):
            best = (iv[0], m.text)
    for c in ctx.u.claims:
        d = c.event_date or c.event_date_low
        a = (c.event_date_anchor or "").lower()
        if d is None or "capture" in a or "fetch" in a or "now" in a:
            continue
        if best is None or d > best[0]:
            best = (d, _clip(c.claim_text, 60))
    for c in ctx.u.date_candidates:
        if c.location == "body" and c.value_date and not c.is_relative and _EXPLICIT_YEAR_RE.search(c.text):
            if best is None or c.value_date > best[0]:
                best = (c.value_date, c.text)
    return best


def later_dated_chrome(ctx: DateContext) -> list[Finding]:
    """Dates in chrome (related lists, teasers, footers) later than the article's date."""
    pub = ctx.u.published
    if pub.value_date is not None and not pub.is_inferred:
        anchor, anchor_label = pub.value_date, f"the publication date {pub.value_date} ({pub.source})"
    else:
        latest = _latest_body_date(ctx)
        if latest is None:
            return []
        anchor, anchor_label = latest[0], f"the latest body date {latest[0]} ('{latest[1]}')"
    hits: list[tuple[dt.date, str, int | None, int | None]] = []
    spans: list[tuple[int, int]] = []  # candidates judged here; the scan skips mentions inside them
    for i, c in enumerate(ctx.u.date_candidates):
        if c.location not in CHROME_DATE_LOCATIONS or c.is_relative or c.value_date is None:
            continue
        if i == pub.candidate_index or (c.char_start is not None and _after_update_word(ctx.low, c.char_start)):
            continue
        lo = _candidate_interval(c)[0]
        if c.granularity in ("day", "datetime") and not _WRITTEN_YEAR_RE.search(c.text):
            iv = _resolve_nearest(DateMention(0, 0, c.text, lo.month, lo.day, None), anchor)
            lo = iv[0] if iv else lo  # a year-less chrome date: the year closest to the article
        if c.char_start is not None:
            spans.append((c.char_start, c.char_end or c.char_start))
        if (lo - anchor).days > 1:
            hits.append((lo, c.text, c.char_start, c.char_end))
    for m in ctx.mentions:
        if any(s <= m.start < e for s, e in spans) or ctx.index.label_at(m.start) not in CHROME or m.day is None and m.year is None:
            continue
        if _after_update_word(ctx.low, m.start):
            continue
        if m.year is None and not _reads_as_past_item(ctx, m):
            continue
        iv = _mention_interval(m, m.year) if m.year is not None else _resolve_nearest(m, anchor)
        if iv and (iv[0] - anchor).days > 1:
            hits.append((iv[0], m.text, m.start, m.end))
    if not hits:
        return []
    hits.sort(key=lambda h: h[0], reverse=True)
    lo, txt, start, end = hits[0]
    return [Finding(
        check_name="later_dated_chrome", severity="info",
        observed=f"{len(hits)} chrome date(s) after {anchor}, latest read as {lo}",
        expected="page chrome dated no later than the article",
        evidence=f"chrome {', '.join(repr(h[1]) for h in hits[:MAX_EVIDENCE_ITEMS])} vs {anchor_label}",
        rule="later_dated_chrome.chrome_after_article",
        char_start=start, char_end=end, likely_cause="capture_later_than_publication",
    )]


def _reads_as_past_item(ctx: DateContext, m: DateMention) -> bool:
    """A year-less chrome date that dates a past item: a date stamp line, or a past-tense sentence
    with no future marker ("In the early morning of February 13 …, Arsenal drew …")."""
    block = ctx.index.at(m.start)
    if block is not None and len(m.text) >= STAMP_COVERAGE * len(block.text.strip()):
        return True
    if _is_future(ctx.low, m.start):
        return False
    window = ctx.low[max(0, m.start - FUTURE_WINDOW): m.end + FUTURE_WINDOW]
    return bool(_PAST_TENSE_RE.search(window)) and not _FUTURE_RE.search(window)


def _after_update_word(low: str, start: int) -> bool:
    return bool(_UPDATE_RE.search(low, max(0, start - 24), start))


def publication_date_status(ctx: DateContext) -> list[Finding]:
    """missing_publication_date / inferred_publication_date."""
    pub = ctx.u.published
    if pub.value_date is None:
        return [Finding(
            check_name="missing_publication_date", severity="warn",
            observed="no publication date found",
            expected="a publication date in the byline, dateline, URL or page metadata",
            evidence=f"{len(ctx.u.date_candidates)} date candidate(s), {len(ctx.trusted)} trustworthy",
            rule="missing_publication_date.none_chosen",
        )]
    if pub.is_inferred:
        return [Finding(
            check_name="inferred_publication_date", severity="info",
            observed=f"publication date {pub.value_date} inferred ({pub.source})",
            expected="a publication date stated on the page",
            evidence=f"{pub.source} '{pub.local_form or pub.value_date}'",
            rule="inferred_publication_date.is_inferred",
        )]
    return []


def _word_positions(low: str, word: str):
    """Start offsets of `word` as a whole word in `low`."""
    i = low.find(word)
    n = len(word)
    while i != -1:
        if not (i and low[i - 1].isalnum()) and not (i + n < len(low) and low[i + n].isalnum()):
            yield i
        i = low.find(word, i + n)


def _relative_phrases(low: str) -> list[tuple[int, int]]:
    """Spans of "2 days ago", "vor 3 Tagen", "il y a 2 jours", "yesterday" … in the lowered text."""
    out = []
    for word in _AGO_AFTER_WORDS:
        for s in _word_positions(low, word):
            m = _AGO_BEFORE_RE.search(low, max(0, s - 24), s)
            if m:
                out.append((m.start(), s + len(word)))
    for word in _AGO_BEFORE_WORDS:
        for s in _word_positions(low, word):
            m = _AGO_AFTER_RE.match(low, s + len(word) + 1)
            if m:
                out.append((s, m.end()))
    out.extend((s, s + 9) for s in _word_positions(low, "yesterday"))
    out.sort()
    return out


def unresolved_relative_date(ctx: DateContext) -> list[Finding]:
    """Relative dates outside the body ("2 days ago") with no capture time to resolve them."""
    if ctx.has_capture:
        return []
    hits: list[tuple[int | None, int | None, str]] = []
    starts = set()
    for c in ctx.u.date_candidates:
        if c.is_relative and c.location in NON_BODY_RELATIVE_LOCATIONS:
            hits.append((c.char_start, c.char_end, c.text))
            starts.add(c.char_start)
    for start, end in _relative_phrases(ctx.low):
        label = ctx.index.label_at(start)
        if start in starts or label is None or label in ("body", "standfirst", "caption"):
            continue
        hits.append((start, end, ctx.text[start:end]))
    if not hits:
        return []
    hits.sort(key=lambda h: (h[0] is None, h[0] or 0))
    start, end, _ = hits[0]
    return [Finding(
        check_name="unresolved_relative_date", severity="info",
        observed=f"{len(hits)} relative date(s) outside the body and no capture time",
        expected="a capture time (fetched_at) to resolve relative dates",
        evidence=", ".join(f"'{h[2]}'" for h in hits[:MAX_EVIDENCE_ITEMS]),
        rule="unresolved_relative_date.no_capture_time",
        char_start=start, char_end=end, likely_cause="missing_capture_time",
    )]


def date_findings(ctx: DateContext) -> list[Finding]:
    """Every date finding for one document, in a stable order."""
    return (
        publication_date_status(ctx)
        + date_conflict(ctx)
        + date_before_events(ctx)
        + future_date(ctx)
        + weekday_mismatch(ctx)
        + later_dated_chrome(ctx)
        + unresolved_relative_date(ctx)
    )
