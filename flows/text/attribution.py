"""Who says so: attributions inside one sentence, and direct quotations in a block.

Patterns (English):
- subject + speech verb: "KCNA said", "Seoul, Washington and Kyiv have said", "the North's state
  media reported Tuesday", "Ukrainian forensic experts say";
- inverted: "…,” said Zelensky";
- "according to X", "citing X", "as reported by X";
- "X, including A, B and C, has voiced concerns" -> the list A, B and C;
- pronouns "she said" (resolved by the caller to the last named person);
- coordinated verbs "… visited Moscow and said …" -> the sentence's opening noun phrase.

Each attribution has a *scope*: the part of the sentence it governs.  A trailing attribution
(", KCNA said.") governs the text before it; a leading one ("Seoul … have said there are …")
governs the text after it up to the next attribution.  All offsets are relative to the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿ\u0100-\u024F][\w.'’&-]*"
_TOK_RE = re.compile(_WORD + r"|[(),;:\"“”‘’—–]|[^\w\s]")
_SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|reported|reports|report|announced|announces|stated|states|claimed"
    "|claims|claim|confirmed|confirms|warned|warns|noted|notes|estimated|estimates|estimate|believes|believe"
    "|wrote|writes|tweeted|posted|insisted|insists|argued|argues|alleged|alleges|revealed|reveals|disclosed"
    "|acknowledged|acknowledges|asserted|explained|stressed|stresses|assessed|assesses|accused|accuses"
    "|voiced\\s+concerns?|expressed\\s+concerns?|believed|think|thinks|suggested|suggests|showed|shows")
_VERB_RE = re.compile(r"(?<![\w-])(?P<verb>" + _SPEECH_VERBS + r")(?!\w)")
# Lower-case words whose presence lets a sentence hold an attribution (a cheap gate for callers).
TRIGGER_WORDS = frozenset(_SPEECH_VERBS.replace("\\s+concerns?", "").split("|")) | {
    "according", "citing", "cited", "quoted", "words"}
_AUX_TAIL_RE = re.compile(
    r"(?<![\w-])(?:(?:has|have|had|also|previously|earlier|repeatedly|publicly|separately|later|then|again|now"
    r"|already|reportedly|recently|further|jointly)\s+){1,3}$")
_ACCORDING_RE = re.compile(
    r"(?<!\w)(?P<verb>according\s+to|citing|cited\s+by|quoted\s+by|as\s+reported\s+by|in\s+the\s+words\s+of)\s+",
    re.IGNORECASE)
_INCLUDING_RE = re.compile(
    r"(?:^|(?<=[,;:]\s))(?P<head>(?:the\s+)?[\w'’ -]{2,50}?),\s+(?:including|such\s+as|among\s+them)\s+"
    r"(?P<list>[^,;]+(?:,\s+[^,;]+)*?),\s*$", re.IGNORECASE)
_TRAIL_RE = re.compile(
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|\s+(?:last|this|earlier\s+this)"
    r"\s+(?:week|month|year)|\s+in\s+a\s+(?:statement|post|report|briefing|speech|interview)|\s+(?:earlier|later|"
    r"yesterday|today|recently|late\s+on\s+\w+))*(?P<end>[,.;:!?]|$)")

_NP_LOWER = frozenset("""
officials official minister ministers ministry media agency agencies spokesperson spokesman spokeswoman
experts expert analysts analyst observers sources source authorities government military intelligence
assessments assessment reports report lawmakers diplomats diplomat leader leaders president chief head
state spy defence defense foreign news office council forces army staff general statement senior top
parliament house upper lower police prosecutors witnesses residents activists groups monitors researchers
scientists forensic international community presidential deputy security service services department
commander commanders command unification bureau officers regulators economists investigators doctors
health emergency rescue workers union newspaper daily television broadcaster website representatives
decree document survey poll data figures study filing results organisers organizers voters citizens
protesters demonstrators farmers students rebels militants troops soldiers spokespeople governments countries nations allies
partners the a an of from for and its their his her our ministry's army's military's government's
""".split())
# Role nouns that a lower-case modifier may precede: "home ministry", "health officials".
_ROLE_NOUNS = frozenset("""ministry ministries officials official minister spokesperson spokesman spokeswoman
agency office department authorities police experts sources""".split())
_CAP_STOP = frozenset("""
but and or so in on at as when while after before since if though although because meanwhile however also
still yet then last this that these those it he she they we i you earlier later separately citing according
asked there here what who why how where today yesterday monday tuesday wednesday thursday friday saturday
sunday january february march april may june july august september october november december some many
most such with without for from to by of a an the his her their its our my your not no nor
""".split()) - {"the", "a", "an", "of", "from", "for"}
_PRONOUNS = frozenset(("he", "she", "they", "it", "we", "i"))
_BOUNDARY_WORDS = frozenset("""and but or as while that when because though although after before since where
whereas if so yet meanwhile however which who amid also""".split())
# Speech verbs that are also nouns ("intelligence reports", "the report came").
_NOUN_LIKE_VERBS = frozenset("report reports claims claim estimates estimate notes states shows think".split())
_DETERMINERS = frozenset(("the", "a", "an", "of", "from", "for", "and", "or", "&", "(", ")"))
_ABBREV_END_RE = re.compile(r"(?:[A-Za-z]\.){2,}$")
_BOUNDARY_PUNCT = frozenset(',;:"“”‘’—–-(')
_TO_CLAUSE_END_RE = re.compile(r"[^.;!?]*")
_CONNECTORS = frozenset(("and", "or", "of", "from", "for", "&"))
_MAX_NP = 12


@dataclass(slots=True)
class Attribution:
    source_start: int
    source_end: int
    source_text: str
    verb: str  # as written, whitespace-normalised: "said", "according to", "citing", "have said"
    verb_start: int
    verb_end: int
    kind: str  # subject_verb, inverted, according_to, including, pronoun, coordinated
    confidence: float
    scope_start: int = 0
    scope_end: int = 0


def _is_np_word(t: str) -> bool:
    tl = t.lower()
    if t[:1].isupper():
        return tl not in _CAP_STOP
    if tl in _NP_LOWER:
        return True
    if tl.endswith(("'s", "’s")) or (t[:1].isalpha() and "-" in t and t.islower()):
        return True
    return t in ("(", ")")


def _tokens(s: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOK_RE.finditer(s, lo, hi)]


def _is_boundary(tok: str) -> bool:
    if tok in _BOUNDARY_PUNCT:
        return True
    if tok[:1].isupper():
        return tok.lower() in _CAP_STOP or tok.lower() in _BOUNDARY_WORDS
    return tok in _BOUNDARY_WORDS


def _np_before(s: str, end: int) -> tuple[int, int] | None | str:
    """The noun phrase ending at `end` (subject of a speech verb), "coordinated" or None."""
    toks = _tokens(s, max(0, end - 200), end)
    if not toks:
        return None
    last = toks[-1][2]
    if last.lower() in ("and", "or") or last == ",":
        return "coordinated"
    j = len(toks) - 1
    has_and = False
    while j >= 0 and len(toks) - 1 - j < _MAX_NP:
        t = toks[j][2]
        if t == "," or not (_is_np_word(t) or (
                t.isalpha() and t.islower() and j + 1 < len(toks) and toks[j + 1][2].lower() in _ROLE_NOUNS)):
            break
        if t.lower() in ("and", "&"):
            has_and = True
        j -= 1
    first = j + 1
    while first < len(toks) and toks[first][2].lower() in _CONNECTORS | {"(", ")"}:
        first += 1
    if first >= len(toks):
        return None
    if j >= 0 and not _is_boundary(toks[j][2]):
        return None
    if j >= 0 and toks[j][2] == "," and has_and:  # a list: "Seoul, Washington and Kyiv"
        k = j - 1
        while k >= 0:
            item_end = k
            while k >= 0 and item_end - k < 4 and toks[k][2] != "," and (
                    (toks[k][2][:1].isupper() and toks[k][2].lower() not in _CAP_STOP) or toks[k][2] == "the"):
                k -= 1
            if k == item_end:
                break
            if k < 0 or toks[k][2] == "," or _is_boundary(toks[k][2]):
                first = k + 1
                if k >= 0 and toks[k][2] == ",":
                    k -= 1
                    continue
            break
    lo, hi = toks[first][0], toks[-1][1]
    if all(t[2].lower() in _DETERMINERS for t in toks[first:]):
        return None
    if not any(s[a:b][:1].isupper() for a, b, _ in toks[first:]) and toks[first][2].lower() not in ("the",):
        # an all-lower-case phrase needs a determiner-free source noun ("experts", "officials")
        if toks[-1][2].lower() not in _NP_LOWER:
            return None
    return lo, hi


def _np_after(s: str, start: int) -> tuple[int, int] | None:
    """The noun phrase starting at `start` ("according to X", "said X"), lists allowed."""
    toks = _tokens(s, start, min(len(s), start + 200))
    segs: list[tuple[int, int, bool]] = []  # (first token, last token, has_and)
    i = 0
    while i < len(toks):
        a = i
        has_and = False
        while i < len(toks) and toks[i][2] != "," and _is_np_word(toks[i][2]) and i - a < _MAX_NP:
            if toks[i][2].lower() in ("and", "&"):
                has_and = True
            i += 1
        if i == a:
            break
        segs.append((a, i - 1, has_and))
        if i < len(toks) and toks[i][2] == ",":
            i += 1
            continue
        break
    if not segs:
        return None
    a0, b0, _ = segs[0]
    while b0 >= a0 and toks[b0][2].lower() in _CONNECTORS | {"the", "a", "an"}:
        b0 -= 1
    if b0 < a0:
        return None
    last = b0
    # a list continues while items are capitalised or determiners, up to the item with "and"
    if toks[a0][2][:1].isupper() and not segs[0][2]:
        for a, b, has_and in segs[1:]:
            if not (toks[a][2][:1].isupper() or toks[a][2].lower() == "the"):
                break
            if has_and:
                last = b
                break
    hi = toks[last][1]
    if s[hi - 1] == "." and not _ABBREV_END_RE.search(s, toks[last][0], hi):
        hi -= 1
    return toks[a0][0], hi


def _np_at_start(s: str) -> tuple[int, int] | None:
    toks = _tokens(s, 0, min(len(s), 200))
    i = 0
    while i < len(toks) and toks[i][2] in ('"', "“", "‘", "("):
        i += 1
    a = i
    while i < len(toks) and toks[i][2] != "," and _is_np_word(toks[i][2]) and i - a < _MAX_NP:
        i += 1
    if i == a:
        if a < len(toks) and toks[a][2].lower() in _PRONOUNS:
            return toks[a][0], toks[a][1]
        return None
    if not any(t[2][:1].isupper() for t in toks[a:i]):
        return None
    return toks[a][0], toks[i - 1][1]


def find_attributions(s: str) -> list[Attribution]:
    """Every attribution in sentence `s`, with scopes (offsets relative to `s`)."""
    out: list[Attribution] = []
    for m in _VERB_RE.finditer(s):
        vstart, vend = m.start(), m.end()
        am = _AUX_TAIL_RE.search(s, max(0, vstart - 45), vstart)
        if am is not None:
            vstart = am.start()
        verb = " ".join(s[vstart:vend].split())
        prev = s[max(0, vstart - 6):vstart].rstrip()
        if prev.endswith((" not", " never", " to")) or prev.lower().endswith(("n't", " did", " does", " do")):
            continue  # negated or infinitive
        if m.group("verb").lower() in _NOUN_LIKE_VERBS and (s[vend:vend + 1] in ",.;:" or s[vend:vend + 4] == " of "):
            continue  # a noun: "intelligence reports,", "the report of"
        np = _np_before(s, vstart)
        if np == "coordinated":
            im = _INCLUDING_RE.search(s, 0, vstart)
            if im is not None:
                lo, hi = im.start("list"), im.end("list")
                out.append(Attribution(lo, hi, s[lo:hi], verb, vstart, vend, "including", 0.75))
                continue
            if prev.endswith(",") or prev.endswith(("”", '"')):
                na = _np_after(s, vend)
                if na is not None:
                    out.append(Attribution(na[0], na[1], s[na[0]:na[1]], verb, vstart, vend, "inverted", 0.85))
                continue
            st = _np_at_start(s)
            if st is not None and st[1] < vstart:
                kind = "pronoun" if s[st[0]:st[1]].lower() in _PRONOUNS else "coordinated"
                out.append(Attribution(st[0], st[1], s[st[0]:st[1]], verb, vstart, vend, kind, 0.6))
            continue
        if np is None:
            toks = _tokens(s, max(0, vstart - 12), vstart)
            if toks and toks[-1][2].lower() in _PRONOUNS and (len(toks) == 1 or _is_boundary(toks[-2][2])
                                                                or toks[-1][0] == 0):
                a, b = toks[-1][0], toks[-1][1]
                out.append(Attribution(a, b, s[a:b], verb, vstart, vend, "pronoun", 0.7))
                continue
            if prev.endswith(("”", '"', "’")):
                na = _np_after(s, vend)
                if na is not None:
                    out.append(Attribution(na[0], na[1], s[na[0]:na[1]], verb, vstart, vend, "inverted", 0.85))
            continue
        lo, hi = np
        if s[lo:hi].lower() in _PRONOUNS:
            out.append(Attribution(lo, hi, s[lo:hi], verb, vstart, vend, "pronoun", 0.7))
            continue
        out.append(Attribution(lo, hi, s[lo:hi], verb, vstart, vend, "subject_verb", 0.85))
    for m in _ACCORDING_RE.finditer(s):
        na = _np_after(s, m.end())
        if na is None:
            continue
        verb = " ".join(m.group("verb").lower().split())
        out.append(Attribution(na[0], na[1], s[na[0]:na[1]], verb, m.start(), m.end(),
                               "according_to", 0.85))
    out.sort(key=lambda a: min(a.source_start, a.verb_start))
    _set_scopes(s, out)
    return out


def _set_scopes(s: str, atts: list[Attribution]) -> None:
    prev_end = 0
    n = len(s)
    for i, a in enumerate(atts):
        first = min(a.source_start, a.verb_start)
        nxt = min(atts[i + 1].source_start, atts[i + 1].verb_start) if i + 1 < len(atts) else n
        tail_from = max(a.source_end, a.verb_end)
        tm = _TRAIL_RE.match(s, tail_from)
        # ", KCNA said." / ", state media reported Tuesday, sealing …" govern what comes before them
        trailing = tm is not None and first > 0 and (tm.group("end") in ",.;!?" or tm.end() >= n - 1)
        if a.kind == "according_to" and first > 0 and s[:first].rstrip().endswith(","):
            trailing = True
            tm = _TO_CLAUSE_END_RE.match(s, tail_from)
        if trailing:  # governs the whole sentence up to the next attribution
            a.scope_start, a.scope_end = prev_end, max(nxt, tm.end() if tm else tail_from)
        else:
            a.scope_start, a.scope_end = first, nxt
        prev_end = a.scope_end


def attribution_for(atts: list[Attribution], pos: int) -> Attribution | None:
    """The attribution governing position `pos` of the sentence (the innermost scope)."""
    best = None
    for a in atts:
        if a.scope_start <= pos < a.scope_end and (best is None or a.scope_start >= best.scope_start):
            best = a
    return best


# --- direct quotations -------------------------------------------------------------------------

_QUOTE_RE = re.compile(r"“([^“”]{2,1500})”|(?<![\w])\"([^\"]{2,1500})\"|«([^«»]{2,1500})»")
_OPEN_ONLY_RE = re.compile(r"^\s*[“\"«]([^”\"»]{20,})$")


@dataclass(slots=True)
class Quote:
    char_start: int  # relative to the string searched (quote marks included)
    char_end: int
    text: str  # inside the marks
    n_words: int
    open_ended: bool = False  # a paragraph that opens a quote continued in the next paragraph


def find_quotes(s: str) -> list[Quote]:
    """Quotations in a block of text; a paragraph that opens a quote and never closes it is open-ended."""
    out = []
    for m in _QUOTE_RE.finditer(s):
        inner = m.group(1) or m.group(2) or m.group(3)
        out.append(Quote(m.start(), m.end(), inner, len(inner.split())))
    if not out:
        om = _OPEN_ONLY_RE.match(s)
        if om is not None:
            out.append(Quote(om.start(1) - 1, len(s), om.group(1), len(om.group(1).split()), True))
    return out
