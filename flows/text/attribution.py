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
from collections.abc import Iterable
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
_ACCORDING_HINT_RE = re.compile(r"ccording|iting|ited by|uoted by|eported by|words of")
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
agency office department authorities police experts sources analyst analysts economist economists""".split())
_PEOPLE_NOUNS = frozenset("""economists economist analysts analyst researchers experts officials official
spokesman spokeswoman spokesperson scientists strategists""".split())
# Organisation nouns that end a source phrase in lower case: "the Ifo institute", "Turkey's central bank".
_ORG_NOUNS = frozenset("""institute bank ministry agency office department committee council commission bureau
court union association company group authority authorities government administration service tracker firm
regulator watchdog""".split())
_CAP_STOP = frozenset("""
but and or so in on at as when while after before since if though although because meanwhile however also
still yet then last this that these those it he she they we i you earlier later separately citing according
asked there here what who why how where today yesterday monday tuesday wednesday thursday friday saturday
sunday january february march april may june july august september october november december some many
most such with without for from to by of a an the his her their its our my your not no nor
""".split()) - {"the", "a", "an", "of", "from", "for"}
_PRONOUNS = frozenset(("he", "she", "they", "it", "we", "i"))
_CAP_STOP_LOWER = frozenset(w.lower() for w in _CAP_STOP) | frozenset("""said says told added according citing
would could will should may might must can did does has have had was were are is been being not never also
""".split())
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
    role: str | None = None  # the speaker's description when the source is a name after it
                             # ("le ministre de l'Intérieur" for "…, Kemal Aydin")


def _is_np_word(t: str) -> bool:
    tl = t.lower()
    if t[:1].isupper():
        return tl not in _CAP_STOP
    if tl in _NP_LOWER or (tl[-1:] == "." and tl[:-1] in _NP_LOWER):
        return True
    if tl.endswith(("'s", "’s")) or (t[:1].isalpha() and "-" in t and t.islower()):
        return True
    return t in ("(", ")")


def _is_descriptor(t: str, nxt: str | None, nxt2: str | None = None) -> bool:
    """A lower-case word inside a source phrase: an organisation noun ("the Ifo institute"), a
    modifier of a role/organisation noun ("central bank"), or a descriptor right before a name
    ("fund tracker EPFR", "ECB policymaker Luis Ortega", "political analyst Tina Kralj")."""
    if not (t.rstrip(".").isalpha() and t.islower()) or len(t) < 3 or t in _BOUNDARY_WORDS or t in _CAP_STOP_LOWER:
        return False
    if t.rstrip(".") in _ORG_NOUNS:
        return True
    if nxt is None or t.endswith(("ed", "ing", "ly")):
        return False
    if nxt[:1].isupper():
        return True
    nxt_l = nxt.rstrip(".").lower()
    if nxt_l in _ROLE_NOUNS or nxt_l in _ORG_NOUNS or (nxt_l in _NP_LOWER and nxt_l.isalpha()
                                                       and nxt_l not in _DETERMINERS):
        return True
    # two modifiers: "money market data"
    return nxt2 is not None and nxt.isalpha() and nxt.islower() and _is_descriptor(nxt, nxt2)


def _tokens(s: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    return [(*m.span(), m.group()) for m in _TOK_RE.finditer(s, lo, hi)]


def _is_boundary(tok: str) -> bool:
    if tok in _BOUNDARY_PUNCT:
        return True
    if tok[:1].isupper():
        return tok.lower() in _CAP_STOP or tok.lower() in _BOUNDARY_WORDS
    return tok in _BOUNDARY_WORDS


def np_before(s: str, end: int) -> tuple[int, int] | None | str:
    """The noun phrase ending at `end` (subject of a speech verb), "coordinated" or None."""
    toks = _tokens(s, max(0, end - 120), end)
    if not toks:
        return None
    last = toks[-1][2]
    if last.lower() in ("and", "or") or last == ",":
        return "coordinated"
    j = len(toks) - 1
    has_and = False
    while j >= 0 and len(toks) - 1 - j < _MAX_NP:
        t = toks[j][2]
        if t == "," or not (_is_np_word(t) or _is_descriptor(t, toks[j + 1][2] if j + 1 < len(toks) else None)
                            or (t in ("at", "from") and j > 0 and toks[j - 1][2].lower() in _PEOPLE_NOUNS
                                and j + 1 < len(toks) and toks[j + 1][2][:1].isupper())):
            break  # ("economists at Banco X", "analysts from Y" keep their organisation)
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


def np_after(s: str, start: int) -> tuple[int, int] | None:
    """The noun phrase starting at `start` ("according to X", "said X"), lists allowed."""
    toks = _tokens(s, start, min(len(s), start + 200))
    segs: list[tuple[int, int, bool]] = []  # (first token, last token, has_and)
    i = 0
    while i < len(toks):
        a = i
        has_and = False
        while i < len(toks) and toks[i][2] != "," and i - a < _MAX_NP and (
                _is_np_word(toks[i][2]) or _is_descriptor(toks[i][2], toks[i + 1][2] if i + 1 < len(toks) else None,
                                                          toks[i + 2][2] if i + 2 < len(toks) else None)):
            t = toks[i][2]
            if t in ("of", "from", "at") and i - a >= 3 and toks[i - 1][2][:1].isupper() \
                    and toks[i - 2][2][:1].isupper() and toks[i - 3][2][:1].islower():
                break  # "political analyst Tina Kralj of the University …": the person, not the place
            if t.lower() in ("and", "&"):
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


def _appositive_name(s: str, end: int) -> tuple[int, int] | None:
    """", Pedro Nunes," right before `end`: a capitalised name between commas after a description."""
    toks = _tokens(s, max(0, end - 80), end)
    if len(toks) < 4 or toks[-1][2] != ",":
        return None
    j = len(toks) - 2
    k = j
    while k >= 0 and j - k < 4 and toks[k][2][:1].isupper() and toks[k][2].lower() not in _CAP_STOP:
        k -= 1
    if k == j or j - k < 2 or k < 1 or toks[k][2] != ",":
        return None  # a single word ("Reuters") or no comma before: not an appositive name
    if toks[k - 1][2] in ('"', "”", "’") or not toks[k - 1][2][:1].isalpha():
        return None
    return toks[k + 1][0], toks[j][1]


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


def _verb_matches(s: str, verbs: Iterable[str] | None) -> list[re.Match]:
    """Speech-verb matches in `s`; with `verbs` (the trigger words known to be in the text) the
    verb pattern is only tried where one of them occurs (str.find) instead of at every position."""
    if verbs is None:
        return list(_VERB_RE.finditer(s))
    starts: set[int] = set()
    for w in verbs:
        i = s.find(w)
        while i >= 0:
            starts.add(i)
            i = s.find(w, i + 1)
    out = []
    last = 0
    for p in sorted(starts):
        if p >= last:
            m = _VERB_RE.match(s, p)
            if m is not None:
                out.append(m)
                last = m.end()
    return out


def find_attributions(s: str, verbs: Iterable[str] | None = None) -> list[Attribution]:
    """Every attribution in sentence `s`, with scopes (offsets relative to `s`).

    `verbs`: optional lower-case trigger words present in `s` (a caller's cheap pre-scan); only
    their occurrences are tried as speech verbs.
    """
    out: list[Attribution] = []
    for m in _verb_matches(s, verbs):
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
        np = np_before(s, vstart)
        if np == "coordinated" and prev.endswith(","):
            ap = _appositive_name(s, vstart)
            if ap is not None:
                out.append(Attribution(ap[0], ap[1], s[ap[0]:ap[1]], verb, vstart, vend, "subject_verb", 0.8))
                continue
        if np == "coordinated":
            im = _INCLUDING_RE.search(s, 0, vstart)
            if im is not None:
                lo, hi = im.start("list"), im.end("list")
                out.append(Attribution(lo, hi, s[lo:hi], verb, vstart, vend, "including", 0.75))
                continue
            if prev.endswith(",") or prev.endswith(("”", '"')):
                na = np_after(s, vend)
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
                na = np_after(s, vend)
                if na is not None:
                    out.append(Attribution(na[0], na[1], s[na[0]:na[1]], verb, vstart, vend, "inverted", 0.85))
            continue
        lo, hi = np
        if s[lo:hi].lower() in _PRONOUNS:
            out.append(Attribution(lo, hi, s[lo:hi], verb, vstart, vend, "pronoun", 0.7))
            continue
        out.append(Attribution(lo, hi, s[lo:hi], verb, vstart, vend, "subject_verb", 0.85))
    for m in (_ACCORDING_RE.finditer(s) if _ACCORDING_HINT_RE.search(s) else ()):
        na = np_after(s, m.end())
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
        if a.kind == "inverted" and first > 0 and not trailing:  # "…», a affirmé le ministre devant la presse"
            trailing, tm = True, None
        elif not trailing and first > 0 and i + 1 == len(atts) and s[:first].rstrip().endswith(",") \
                and _short_tail(s, tail_from):  # ", Finance Minister X told lawmakers."
            trailing, tm = True, None
        if a.kind == "according_to" and first > 0 and s[:first].rstrip().endswith(","):
            trailing = True
            tm = _TO_CLAUSE_END_RE.match(s, tail_from)
        if trailing:  # governs the whole sentence up to the next attribution
            a.scope_start, a.scope_end = prev_end, max(nxt, tm.end() if tm else tail_from)
        else:
            a.scope_start, a.scope_end = first, nxt
        prev_end = a.scope_end


def _short_tail(s: str, pos: int) -> bool:
    """The rest of the sentence after an attribution is a short adjunct ("told lawmakers",
    "in a separate release"), not a clause of its own."""
    tail = s[pos:]
    return len(tail.split()) <= 8 and " that " not in tail and ":" not in tail and "," not in tail.rstrip(",. ")


def attribution_for(atts: list[Attribution], pos: int) -> Attribution | None:
    """The attribution governing position `pos` of the sentence (the innermost scope)."""
    best = None
    for a in atts:
        if a.scope_start <= pos < a.scope_end and (best is None or a.scope_start >= best.scope_start):
            best = a
    return best


# --- direct quotations -------------------------------------------------------------------------

_QUOTE_RE = re.compile(r"“([^“”]{2,1500})”|(?<![\w])\"([^\"]{2,1500})\"|«([^«»]{2,1500})»"
                       r"|„([^„“”]{2,1500})[“”]|»([^»«]{2,1500})«")
_OPEN_ONLY_RE = re.compile(r"^\s*[“\"«„]([^”\"»“]{20,})$")


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
        inner = next(g for g in m.groups() if g)
        out.append(Quote(m.start(), m.end(), inner, len(inner.split())))
    if not out:
        om = _OPEN_ONLY_RE.match(s)
        if om is not None:
            out.append(Quote(om.start(1) - 1, len(s), om.group(1), len(om.group(1).split()), True))
    return out


# --- French, Spanish, Portuguese, German, Italian ------------------------------------------------
# A small lexicon per language: speech verbs (finite and compound forms), "according to"
# prepositions, personal pronouns, and words that end a speaker phrase.  Parsing is deliberately
# simple: a speech verb after a comma or a closing quote takes the noun phrase after it as the
# speaker ("…», a déclaré mardi le ministre X."), otherwise the noun phrase before it ("Javier
# Molina, afirmó que …", "La ministra dijo …", "Il a ajouté …"); "selon X" / "según X" / "laut X".

_ML_VERBS = {
    "fr": r"(?:a|ont|avait|avaient|aurait)\s+(?:déclaré|affirmé|dit|indiqué|ajouté|expliqué|annoncé|précisé"
          r"|souligné|assuré|estimé|averti|confirmé|reconnu|raconté|insisté|martelé|répondu|rappelé)"
          r"|déclare|affirme|indique|explique|estime|souligne|précise|assure|ajoute|annonce|dit|confie",
    "es": r"(?:ha|han|había)\s+(?:dicho|afirmado|declarado|asegurado|señalado|explicado|indicado|informado"
          r"|anunciado|advertido)|dijo|dijeron|afirmó|afirmaron|declaró|aseguró|señaló|explicó|añadió|agregó"
          r"|indicó|informó|anunció|advirtió|sostuvo|apuntó|subrayó|destacó|dice|afirma|asegura|señala|explica",
    "pt": r"(?:tem|têm|havia)\s+dito|disse|disseram|afirmou|afirmaram|declarou|explicou|acrescentou|informou"
          r"|anunciou|garantiu|destacou|ressaltou|afirma|diz|explica|avaliou|alertou",
    "de": r"sagte|sagten|erklärte|erklärten|betonte|berichtete|warnte|teilte\s+mit|sagt|erklärt|betont"
          r"|so\s+(?=[A-ZÄÖÜ])",
    "it": r"(?:ha|hanno)\s+(?:detto|dichiarato|affermato|spiegato|aggiunto|sottolineato|annunciato)"
          r"|dice|afferma|spiega|ha\s+riferito",
}
_ML_ACCORDING = {
    "fr": r"selon|d['’]après",
    "es": r"según(?:\s+(?:informó|indicó|dijo|explicó|señaló|anunció|publicó|reportó))?|de\s+acuerdo\s+con",
    "pt": r"segundo|de\s+acordo\s+com|conforme",
    "de": r"laut|nach\s+Angaben\s+(?:von|des|der)",
    "it": r"secondo|stando\s+a",
}
ML_LANGUAGES = frozenset(_ML_VERBS)
# Words whose presence lets a French/Spanish/Portuguese/German/Italian sentence hold an attribution
# (the content words of the patterns above: "déclaré", "dijo", "sagte", "selon" …; a cheap gate).
ML_TRIGGER_WORDS = frozenset(w.lower() for v in (*_ML_VERBS.values(), *_ML_ACCORDING.values())
                             for w in re.findall(r"[^\W\d_]+", v.replace("\\s", " ").replace("(?=", " "))
                             if len(w) >= 4 and w.lower() not in ("avait", "avaient", "aurait", "había", "havia",
                                                                  "hanno", "zäöü")) | {"dit", "diz"}
_ML_VERB_RE = {lang: re.compile(r"(?<![\w-])(?P<verb>" + v + r")(?![\w-])") for lang, v in _ML_VERBS.items()}
_ML_ACC_RE = {lang: re.compile(r"(?<![\w-])(?P<verb>" + v + r")\s+", re.IGNORECASE) for lang, v in _ML_ACCORDING.items()}
ML_PRONOUNS = frozenset("il elle ils elles él ella ellos ellas ele ela eles elas er sie lui lei".split())
_ML_DETERMINERS = frozenset("""le la les l' l’ un une el los las lo o a os as um uma der die das den dem des ein eine
il lo gli""".split())
_ML_NP_JOINERS = frozenset("de des du d' d’ del da do dos das di della dello von vom zur zum y et e und".split())
# Words that end a speaker phrase after the verb (prepositions, conjunctions, "que"/"dass").
_ML_NP_STOP = frozenset("""devant à au en lors dans pour sur avec que qui lorsque ante en durante con para por al
que quien ao na no em para com vor bei auf im in am mit dass während nel alla con per che""".split())
# Time words that may sit between the verb and the speaker ("a déclaré mardi le ministre").
_ML_WEEKDAYS = frozenset("""lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes
sábado domingo segunda-feira terça-feira quarta-feira quinta-feira sexta-feira segunda terça quarta quinta sexta
montag dienstag mittwoch donnerstag freitag samstag sonntag lunedì martedì mercoledì giovedì venerdì sabato
domenica""".split())
_ML_TIME = _ML_WEEKDAYS | frozenset("""hier aujourd'hui aujourd’hui ayer hoy ontem hoje gestern heute ieri oggi
soir matin""".split())
_ML_TIME_DETS = frozenset("ce este esta el la le am na nesta neste no".split())
_ML_TOK_RE = re.compile(r"[^\W\d_](?:[\w-]|['’](?=\w))*|\d[\d.,]*|[^\w\s]")


def _ml_tokens(s: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _ML_TOK_RE.finditer(s, lo, hi)]


def _ml_name_at(toks: list[tuple[int, int, str]], i: int) -> int:
    """Index after a run of 1-4 capitalised tokens starting at `i` (i itself when none)."""
    j = i
    while j < len(toks) and j - i < 4 and toks[j][2][:1].isupper():
        j += 1
    return j


def _ml_np_after(s: str, start: int, german: bool = False) -> tuple[int, int, tuple[int, int] | None] | None:
    """(start, end, appositive name span) of the speaker phrase after a verb or a preposition."""
    toks = _ml_tokens(s, start, min(len(s), start + 160))
    i = 0
    while i < len(toks):
        tl = toks[i][2].lower()
        if tl in _ML_TIME:
            i += 1
        elif tl in _ML_TIME_DETS and i + 1 < len(toks) and toks[i + 1][2].lower() in _ML_WEEKDAYS:
            i += 2
        else:
            break
    if i >= len(toks):
        return None
    a = i
    seen_cap = False
    while i < len(toks) and i - a < 10:
        t = toks[i][2]
        tl = t.lower()
        if t in ",.;:!?»”“\"()" or (tl in _ML_NP_STOP and not t[:1].isupper()):
            break
        if german and seen_cap and t[:1].islower() and tl not in _ML_NP_JOINERS:
            break  # German capitalises every noun: the phrase ends at the first lower-case word after them
        seen_cap = seen_cap or t[:1].isupper()
        i += 1
    if i == a:
        return None
    words = [t[2] for t in toks[a:i]]
    if not (words[0].lower() in _ML_DETERMINERS or words[0][:1].isupper() or words[0].lower().startswith(("l'", "l’"))):
        return None
    lo, hi = toks[a][0], toks[i - 1][1]
    name = None
    if i + 1 < len(toks) and toks[i][2] == ",":  # "le ministre de l'Intérieur, Kemal Aydin"
        j = _ml_name_at(toks, i + 1)
        if j > i + 1 and (j >= len(toks) or toks[j][2] in ",.;:!?"):
            name = (toks[i + 1][0], toks[j - 1][1])
    if name is None and not german:  # "le ministre des Transports Albert Rösti": portfolio, then the name
        k = i - 1
        while k > a and toks[k][2][:1].isupper():
            k -= 1
        run = i - 1 - k  # capitalised tokens at the end of the phrase
        if toks[k][2].lower() in _ML_NP_JOINERS and run >= 3:
            name = (toks[k + 2][0], toks[i - 1][1])
        elif toks[k][2][:1].islower() and toks[k][2].lower() not in _ML_DETERMINERS and run >= 2:
            name = (toks[k + 1][0], toks[i - 1][1])
    return lo, hi, name


def _ml_np_before(s: str, end: int) -> tuple[int, int] | None:
    """The subject phrase that ends at `end`: an appositive name between commas ("El líder de la
    oposición, Javier Molina, afirmó"), a pronoun, or a determiner/capitalised phrase."""
    toks = _ml_tokens(s, max(0, end - 160), end)
    if not toks:
        return None
    if toks[-1][2] == ",":  # ", Javier Molina," right before the verb
        j = len(toks) - 2
        k = j
        while k >= 0 and j - k < 4 and toks[k][2][:1].isupper():
            k -= 1
        if k < j and (k < 0 or toks[k][2] == ","):
            return toks[k + 1][0], toks[j][1]
        return None
    last = toks[-1][2]
    if last.lower() in ML_PRONOUNS:
        return toks[-1][0], toks[-1][1]
    j = len(toks) - 1
    while j >= 0 and len(toks) - j <= 8:
        t = toks[j][2]
        tl = t.lower()
        if t in ",.;:!?»”“\"()" or (tl in _ML_NP_STOP and not t[:1].isupper()):
            break
        j -= 1
    first = j + 1
    if first >= len(toks):
        return None
    words = [t[2] for t in toks[first:]]
    w0 = words[0].lower()
    if not (w0 in _ML_DETERMINERS or w0.startswith(("l'", "l’")) or words[0][:1].isupper()):
        return None
    if all(w.lower() in _ML_DETERMINERS or w.lower() in _ML_NP_JOINERS for w in words):
        return None
    return toks[first][0], toks[-1][1]


def find_attributions_ml(s: str, lang: str) -> list[Attribution]:
    """Attributions in a French/Spanish/Portuguese/German/Italian sentence (offsets relative to `s`)."""
    verb_re = _ML_VERB_RE.get(lang)
    if verb_re is None:
        return []
    out: list[Attribution] = []
    for m in verb_re.finditer(s):
        vstart, vend = m.span()
        verb = " ".join(m.group("verb").split())
        prev = s[:vstart].rstrip()
        if prev.endswith((",", "»", "”", '"', "“")):
            na = _ml_np_after(s, vend, lang == "de")
            after = s[vend:vend + 12].lstrip().lower()
            if na is not None and not after.startswith(("que ", "qu'", "qu’", "dass ", "che ")):
                lo, hi, name = na
                role = s[lo:hi] if name else None
                if name:
                    lo, hi = name
                out.append(Attribution(lo, hi, s[lo:hi], verb, vstart, vend, "inverted", 0.8, role=role))
                continue
        nb = _ml_np_before(s, vstart)
        if nb is not None:
            lo, hi = nb
            kind = "pronoun" if s[lo:hi].lower() in ML_PRONOUNS else "subject_verb"
            out.append(Attribution(lo, hi, s[lo:hi], verb, vstart, vend, kind, 0.75 if kind == "pronoun" else 0.8))
    acc = _ML_ACC_RE.get(lang)
    for m in (acc.finditer(s) if acc is not None else ()):
        na = _ml_np_after(s, m.end(), lang == "de")
        if na is None:
            continue
        lo, hi, _ = na
        out.append(Attribution(lo, hi, s[lo:hi], " ".join(m.group("verb").lower().split()), m.start(), m.end(),
                               "according_to", 0.8))
    out.sort(key=lambda a: min(a.source_start, a.verb_start))
    _set_scopes(s, out)
    return out
