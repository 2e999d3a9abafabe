"""Claims from the article body: quantities, attributed statements, quotes and dated events.

Public API: `extract_claims(text, blocks, published, *, dateline=None, language=None)` returns
(sentences, claims, mentions).  Only "body" and "standfirst" blocks are read; every offset indexes
`text`, so ``text[c.char_start:c.char_end]`` is the evidence of claim `c`.

Speed: one look-up of the body's whitespace tokens in a table of trigger-word surface forms
("said,", "According", "(Reuters)") tells which blocks may hold speech verbs, event verbs, known
names/titles, scale words or dates (`_block_gates`); a stage runs on a sentence only when one of its
triggers (or a digit) is in it, so most sentences cost a few set and substring look-ups.

Per sentence: attributions (who says so, with scopes) -> statements; quantities, each attributed
to the innermost attribution scope containing it; events (verb lemma, subject, date resolved
against the anchor chosen by `events.choose_anchor`).  Quotes are found per block (a quotation may
span sentences) and get the speaker of the attribution next to them, else the speaker of the quote
they continue.  Languages: English gets the full parse; French, Spanish, Portuguese, German and
Italian blocks get quantities in their number formats and attributions with their speech verbs and
"according to" words (`attribution.find_attributions_ml`); other languages get quantities only.
A page's `language` (py3langid) is trusted; for English/unknown pages, blocks are told apart by
their function words when other languages' words show up (a French quote paragraph in English copy).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache

from flows.text import sentence_cache as SC
from flows.text.attribution import (ML_LANGUAGES, ML_PRONOUNS, ML_TRIGGER_WORDS, TRIGGER_WORDS, Attribution,
                                    attribution_for, find_quotes, np_after)
from flows.text.events import (DATE_TRIGGER_WORDS, EVENT_TRIGGER_WORDS, DateExpr, agent_after, choose_anchor,
                               detect_dateline)
from flows.text.model import Block, Claim, Mention, PublicationDate, Sentence
from flows.text.sentences import split_sentences
from flows.text.source_names import TITLE_WORDS, VARIANTS, Canonical, SourceResolver, person_name

_LABELS = frozenset(("body", "standfirst"))
_ML_PLURAL_PRONOUNS = frozenset("ils elles ellos ellas eles elas".split())
_PRONOUN_GENDER = {**dict.fromkeys("he il él ele er lui".split(), "m"),
                   **dict.fromkeys("she elle ella ela sie lei".split(), "f")}
_ML_LEAD_DET_RE = re.compile(r"^(?:(?:el|la|los|las|le|les|der|die|das|dem|den|des|o|os|as|il|lo|gli)\s+|l['’])",
                             re.IGNORECASE)
# Distinctive function words per language (none that is also an English word: "in", "die", "do", "per",
# "care", "von" are left out).
_FUNCTION_WORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "en": """the of and to that for with said says told has have had by it his their from were which this been
             would who they she its also after at are is but not more than when there into about""",
    "fr": "le la les des du et est une pour dans qui sur au aux avec pas ce cette il elle ont été sont selon mais",
    "es": "el los las del y por para una es su se como más pero sus fue según han",
    "pt": "da dos em uma não com os na ao é foi são pelo pela segundo também ele ela",
    "de": "das und dem ist nicht mit sich auf für zu ein eine auch wird sagte laut",
    "it": "di che della sono gli nel alla è anche",
    "nl": "het een niet voor zijn wordt",
    "nordic": "och att är som på för av till inte og af ikke",
    "hu": "az és hogy nem egy volt",
    "ro": "și că în este pentru",
    "tr": "ve bir bu için ile olan daha çok",
    "pl": "się nie że jest przez oraz",
    "cs": "že jako které",
}.items()}
_LANG_OF_WORD = {w: lang for lang, words in _FUNCTION_WORDS.items() for w in words}
_SUFFIXES = ("", ",", ".", ":", ";", "'s", "’s", "”", '"', ".”", ",”", '."', ',"', ")", "),", "?", "!")


def surface_forms(words) -> frozenset[str]:
    """Whitespace-token forms of lower-case trigger words: as is, Capitalised or UPPER, with trailing
    punctuation, and Capitalised after an opening quote or bracket."""
    out: set[str] = set()
    for w in words:
        for base in (w, w.capitalize(), w.upper()):
            out.update(base + sfx for sfx in _SUFFIXES)
            if base != w:
                out.update(p + base + sfx for p in ('"', "“", "‘", "(") for sfx in _SUFFIXES)
    return frozenset(out)


_CAP_RUN_RE = re.compile(r"[A-Z](?<![\w'’][A-Z])[\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|al-[A-Z][\w'’-]*))*")
_RUN_WORD_RE = re.compile(r"\S+")
_SCAN_TYPES = frozenset(("person", "media", "agency"))
_VARIANT_FIRST_WORDS = frozenset(v.split()[0] for v, (_, t) in VARIANTS.items() if t in _SCAN_TYPES)
_YEAR_HINT_RE = re.compile(r"(?:in|since|during|by) (?:19|20)\d\d")
_QTY_TRIGGER_RE = re.compile(r"\d|[Tt]housand|[Hh]undred|[Dd]ozen|[Mm]illion|[Bb]illion")
_WORD_RE = re.compile(r"[a-z\u00e0-\u00f6\u00f8-\u00ff]+")
_DIGIT_RE = re.compile(r"\d")
_SCALE_TRIGGERS = frozenset("thousand thousands hundred hundreds dozen dozens million millions billion billions".split())
# Title words that open the name scan ("Foreign Minister", "leader", "Gov."); modifiers that are
# common outside titles ("state", "top", "former") never make a title alone, so they do not.
_HEAD_TITLES = frozenset(w.rstrip(".") for w in TITLE_WORDS) - frozenset(
    "state top senior former affairs acting supreme press foreign".split())


def _variant_key_word(variant: str) -> str:
    """The word of a known variant that gates the name scan: its head (last word), else its first."""
    words = _WORD_RE.findall(variant)
    return words[-1] if len(words[-1]) >= 3 else words[0]


_NAME_TRIGGERS = _HEAD_TITLES | frozenset(_variant_key_word(v) for v, (_, t) in VARIANTS.items() if t in _SCAN_TYPES)
_DATE_TRIGGERS = DATE_TRIGGER_WORDS | {"day", "days", "weeks", "months", "years", "earlier"}
_F_SPEECH, _F_EVENT, _F_DATE, _F_NAME, _F_SCALE, _F_FUNCTION, _F_ML_SPEECH = 1, 2, 4, 8, 16, 32, 64


def _form_tables() -> tuple[dict[str, int], dict[str, str]]:
    """Surface form -> category bits, and surface form -> the lower-case trigger word it shows."""
    flags: dict[str, int] = {}
    base: dict[str, str] = {}
    for bit, words in ((_F_SPEECH, TRIGGER_WORDS), (_F_EVENT, EVENT_TRIGGER_WORDS), (_F_DATE, _DATE_TRIGGERS),
                       (_F_NAME, _NAME_TRIGGERS), (_F_SCALE, _SCALE_TRIGGERS), (_F_ML_SPEECH, ML_TRIGGER_WORDS)):
        for w in words:
            for f in surface_forms((w,)):
                flags[f] = flags.get(f, 0) | bit
                base.setdefault(f, w)
    for w in _LANG_OF_WORD:
        for f in (w, w.capitalize()):
            flags[f] = flags.get(f, 0) | _F_FUNCTION
    return flags, base


_FORM_FLAGS, _FORM_BASE = _form_tables()
_FORM_LANG = {f: _LANG_OF_WORD[f.lower()] for f, bits in _FORM_FLAGS.items() if bits & _F_FUNCTION}
_ALL_FORMS = frozenset(_FORM_FLAGS)
_DATE_HINTS = ("day", "week", "month", "year", "ago", "tomorrow", "tonight", "earlier", "Jan", "Feb", "Mar", "Apr",
               "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # substrings any date expression has
_QUOTE_MARK_RE = re.compile(r"[\"“”«»„]")
_SEP_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)")
_CLAUSE_END_RE = re.compile(r"[,;.:!?](?!\d)")
_PREP_NEXT_RE = re.compile(r"\s+(?:in|on|by|at|during|last|this|into|with|under)\b")
_HYPOTHETICAL_RE = re.compile(r"\b(?:if|would|could|will|may|might|should|can|unless|whether)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
_DATELINE_PREFIX_RE = re.compile(r"^[A-Z][A-Z .'’-]{1,30}(?:,\s*[A-Z][\w .]{1,30}?)?\s*\([^()]{1,30}\)\s*[-—–:]\s*")
_BY_SOON_RE = re.compile(r"\s+(?:[\w'’]+\s+){0,2}?by\s")


def block_language(words: list[str], hits: set[str] | frozenset[str], doc_language: str | None) -> str:
    """"en", "fr", "es", "de", "pt" (or another label) for one block.

    `words` are the block's whitespace tokens, `hits` those of them that are in `_ALL_FORMS`.  Each
    language scores the number of its distinctive function words present; English wins ties when it
    has any.  A document language outside the table makes every block "other"; a known one wins
    when the block shows any of its function words (py3langid saw the whole page).
    """
    doc = (doc_language or "").lower()[:2] or None
    if doc is not None and doc not in _FUNCTION_WORDS:
        return "other"
    en = 0
    foreign: dict[str, int] = {}
    for h in hits:
        lang = _FORM_LANG.get(h)
        if lang == "en":
            en += 1
        elif lang is not None:
            foreign[lang] = foreign.get(lang, 0) + 1
    if not foreign:
        return "en" if doc in (None, "en") and (en or len(words) < 6) else doc or "other"
    if doc is not None and doc != "en" and doc in foreign:
        return doc
    best = max(foreign, key=foreign.__getitem__)
    return "en" if en >= foreign[best] else best


class _Doc:
    """Mutable per-document state while claims are extracted."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.claims: list[Claim] = []
        self.mentions: list[Mention] = []
        self.taken: list[tuple[int, int]] = []
        self.resolver = SourceResolver()
        self.last_group: str | None = None
        self.last_person: str | None = None  # last person who said or did something (pronoun antecedent)
        self.recent_people: list[str] = []  # people who said or did something, most recent last
        self.gender: dict[str, str] = {}  # person -> "m"/"f", learned from the pronouns resolved to them

    def saw_person(self, name: str) -> None:
        self.last_person = name
        if self.recent_people and self.recent_people[-1] == name:
            return
        if name in self.recent_people:
            self.recent_people.remove(name)
        self.recent_people.append(name)

    def pronoun_person(self, pronoun: str) -> str | None:
        """The antecedent of "he"/"she" (and il/elle, él/ella …): the most recent person whose
        pronoun is not known to be the other one ("He said …" then "She said …" are two people)."""
        g = _PRONOUN_GENDER.get(pronoun)
        cands = self.recent_people[::-1]
        rp = self.resolver.last_person
        if rp is not None and rp not in cands:
            cands.append(rp)
        pick = next((c for c in cands if g is None or self.gender.get(c, g) == g), cands[0] if cands else None)
        if pick is not None and g is not None and pick not in self.gender:
            self.gender[pick] = g
        return pick

    def claim(self, **kw) -> Claim:
        c = Claim(claim_index=len(self.claims), claim_text=self.text[kw["char_start"]:kw["char_end"]], **kw)
        self.claims.append(c)
        return c

    def mention(self, start: int, end: int, canon: Canonical, rule: str) -> None:
        if end <= start or any(a < end and start < b for a, b in self.taken):
            return
        self.taken.append((start, end))
        self.mentions.append(Mention(len(self.mentions), self.text[start:end], canon.name, canon.entity_type,
                                     start, end, rule, canon.confidence))


def _resolve_source(doc: _Doc, att: Attribution, lang: str = "en") -> Canonical | None:
    src = att.source_text.strip()
    low = src.lower()
    if low in ("he", "she") or (low in ML_PRONOUNS and low not in _ML_PLURAL_PRONOUNS):
        p = doc.pronoun_person(low)
        return Canonical(p, "person", "pronoun_last_person", 0.6) if p else None
    if low in ("they", "it", "we") or low in _ML_PLURAL_PRONOUNS:
        g = doc.last_group
        return Canonical(g, "group", "pronoun_last_source", 0.5) if g else None
    if lang != "en" and att.kind != "pronoun":
        src = _ML_LEAD_DET_RE.sub("", src)  # "el Ministerio de Hacienda", "l'agence …"
    canon = doc.resolver.canonical(src)
    if att.role and canon.entity_type == "person":
        doc.resolver.remember_role(att.role, canon.name)
    return canon


def _source_mentions(doc: _Doc, off: int, att: Attribution, canon: Canonical) -> None:
    """Mentions for an attribution source; a list gives one mention per item."""
    if att.kind == "pronoun":
        return
    src = att.source_text
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^,]+", src)]
    items: list[tuple[int, int]] = []
    if canon.rule in ("list", "list_with_head"):
        pos = 0
        for sep in _SEP_RE.finditer(src):
            items.append((pos, sep.start()))
            pos = sep.end()
        items.append((pos, len(src)))
    else:
        items = [(0, len(src))] if parts else []
    base = off + att.source_start
    for a, b in items:
        item = src[a:b].strip()
        if not item:
            continue
        a2 = a + (len(src[a:b]) - len(src[a:b].lstrip()))
        c = doc.resolver.canonical(item) if len(items) > 1 else canon
        doc.mention(base + a2, base + a2 + len(item), c, "attribution_source")


def _scan_names(doc: _Doc, s: str, off: int, cores: Iterable[str] = ()) -> None:
    """Known names and titled people in a sentence -> mentions (also teaches the resolver).

    `cores`: the name/title trigger words the caller found in the text (see `_name_spans`)."""
    for a, b, phrase, rule in _name_spans(s, SC.present(s, cores) if cores else None):
        doc.mention(off + a, off + b, doc.resolver.canonical(phrase), rule)


@lru_cache(maxsize=SC.CACHE_SIZE)
def _name_spans(s: str, cores: frozenset[str] | None) -> tuple[tuple[int, int, str, str], ...]:
    """The name mentions of a sentence, in order, as (start, end, phrase to canonicalise, rule).

    One pass over runs of capitalised words; a run is looked at only when one of its words starts
    a known variant or is a title ("President"), or the word before it is a title ("leader").
    With `cores` (the trigger words present in `s`; None: no such screen) a run with none of them
    in or just before it is skipped without further work.  Pure, so cached like the parsers of
    `sentence_cache` (wire copy repeats sentences across a batch); the document's resolver is
    consulted by the caller, in this order.
    """
    out: list[tuple[int, int, str, str]] = []
    for m in _CAP_RUN_RE.finditer(s):
        if cores is not None:
            seg = s[max(0, m.start() - 16):m.end()]
            if not any(c in seg for c in cores):
                continue
        run = m.group(0)
        lw = run.lower().replace("’", "'").split()
        known = any(w in _VARIANT_FIRST_WORDS for w in lw)
        j = s.rfind(" ", 0, max(0, m.start() - 1))
        prev = s[j + 1:m.start()].strip().lower()
        titled = prev in TITLE_WORDS or any(w in TITLE_WORDS for w in lw[:-1])
        if not (known or titled):
            continue
        if known:
            words = [(w.start(), w.end()) for w in _RUN_WORD_RE.finditer(run)]
            i = 0
            while i < len(words):
                hit = None
                if lw[i] in _VARIANT_FIRST_WORDS:
                    for n in range(min(4, len(words) - i), 0, -1):
                        a, b = words[i][0], words[i + n - 1][1]
                        frag = run[a:b]
                        v = VARIANTS.get(" ".join(lw[i:i + n]))
                        if v is not None and v[1] in _SCAN_TYPES and (len(frag) > 4 or frag.isupper()):
                            hit = (a, b, n)
                            break
                if hit is None:
                    i += 1
                    continue
                a, b, n = hit
                out.append((m.start() + a, m.start() + b, run[a:b], "known_variant"))
                i += n
        if titled:
            name = person_name(f"{prev} {run}" if prev else run)
            if name is not None:
                k = run.rfind(name)
                if k >= 0:
                    out.append((m.start() + k, m.start() + k + len(name), name if " " in name else run,
                                "titled_name"))
    return tuple(out)


def _date_after(dates: list[DateExpr], pos: int, limit: int) -> DateExpr | None:
    for d in dates:
        if pos <= d.char_start < limit:
            return d
    return None


def _date_fields(d: DateExpr | None, anchor_desc: str | None) -> dict:
    if d is None or d.low is None:
        return {}
    exact = d.low == d.high and d.granularity == "day"
    return {"event_date": d.low if exact else None, "event_date_low": d.low, "event_date_high": d.high,
            "event_date_granularity": d.granularity,
            "event_date_anchor": anchor_desc if d.rule not in ("absolute_day", "absolute_month", "absolute_year")
            else "absolute"}


def _sentence(doc: _Doc, sent: Sentence, g: _Gates, anchor, anchor_desc, qty: bool, speech: bool, events_: bool,
              names: bool) -> list[tuple[Attribution, Canonical | None]]:
    """Claims of one sentence; the flags say which stages have a trigger in it."""
    s, off = sent.text, sent.char_start
    atts: tuple[Attribution, ...] = ()
    resolved: list[tuple[Attribution, Canonical | None]] = []
    dates: tuple[DateExpr, ...] = ()
    events = SC.event_verbs(s, SC.present(s, g.event_words)) if events_ else ()
    if names:
        _scan_names(doc, s, off, g.name_cores)
    if speech:
        atts = SC.attributions(s, SC.present(s, g.speech_words)) if g.english else SC.attributions_ml(s, g.lang)
    if g.dates and (atts or events) and (any(w in s for w in _DATE_HINTS) or _YEAR_HINT_RE.search(s) is not None):
        dates = SC.dates(s, anchor)
    elif atts and not g.english:
        dates = SC.dates_ml(s, anchor)
    first_date = dates[0] if dates and dates[0].char_start <= 3 else None
    verbs = sorted([(a.verb_start, a.verb_end) for a in atts if a.kind != "according_to"]
                   + [(e.char_start, e.char_end) for e in events])
    first_verb = verbs[0][0] if verbs else None
    canon_of: dict[int, Canonical | None] = {}
    for a in atts:
        canon = _resolve_source(doc, a, g.lang)
        canon_of[id(a)] = canon
        resolved.append((a, canon))
        if canon is not None:
            _source_mentions(doc, off, a, canon)
            if canon.entity_type != "person":
                doc.last_group = canon.name
            elif a.kind != "pronoun":
                doc.saw_person(canon.name)
        if a.kind == "according_to" and a.scope_end <= a.source_end + 3 and len(atts) > 1:
            continue  # "Citing intelligence reports, X say …": X's statement carries the content
        nxt = min([v for v, _ in verbs if v > a.verb_end] or [len(s)])
        # "said on Thursday", "told a news conference on Friday" — not a date inside the reported content
        that = s.find(" that ", a.verb_end, nxt)
        d = _date_after(dates, a.verb_end, min(nxt, a.verb_end + 40, that if that >= 0 else len(s))) \
            if a.kind != "according_to" else None
        if d is None and first_date is not None and a.verb_start == first_verb:
            d = first_date
        pm = _DATELINE_PREFIX_RE.match(s) if a.scope_start == 0 else None
        doc.claim(claim_type="statement", char_start=off + (pm.end() if pm else a.scope_start), char_end=off + a.scope_end,
                  sentence_index=sent.sentence_index, rule=f"attribution_{a.kind}",
                  confidence=a.confidence if canon is not None else 0.4,
                  attributed_to=canon.name if canon else None, attribution_text=a.source_text,
                  attribution_verb=a.verb, subject=canon.name if canon else None,
                  **_date_fields(d, anchor_desc))
    for q in (SC.quantities(s, g.lang, g.scale) if qty else ()):
        a = attribution_for(atts, q.char_start)
        canon = canon_of.get(id(a)) if a else None
        doc.claim(claim_type="quantity", char_start=off + q.char_start, char_end=off + q.char_end,
                  sentence_index=sent.sentence_index, rule=f"quantity_{q.rule}", confidence=q.confidence,
                  quantity_value=q.value, quantity_low=q.low, quantity_high=q.high, quantity_unit=q.unit,
                  qualifier=q.qualifier, attributed_to=canon.name if canon else None,
                  attribution_text=a.source_text if a else None, attribution_verb=a.verb if a else None,
                  subject=q.subject)
    if not events:
        return resolved
    prev_subject: str | None = None
    for ev in events:
        if _HYPOTHETICAL_RE.search(s, max(0, ev.aux_start - 30), ev.aux_start):
            continue  # "if either is attacked", "could formally enter"
        subj_span: tuple[int, int] | None = None
        before_date: DateExpr | None = None
        if ev.passive or _reduced_passive(s, ev):
            ag = agent_after(s, ev.char_end)
            if ag is not None:
                subj_span = np_after(s, ag)
        else:
            # a date between subject and verb: "Swiss voters on Sunday rejected"
            pre = next((x for x in dates if 0 <= ev.aux_start - x.char_end <= 1), None)
            np = SC.np_before(s, pre.char_start if pre else ev.aux_start)
            if isinstance(np, tuple):
                subj_span = np
            if pre is not None and np is not None:
                before_date = pre
        subject = None
        if subj_span is not None:
            phrase = s[subj_span[0]:subj_span[1]]
            canon = doc.resolver.canonical(phrase)
            subject = canon.name
        elif not ev.passive and SC.np_before(s, ev.aux_start) == "coordinated":
            # "… visited Moscow and said" shares the subject; ", signed in June," is a reduced relative
            if s[:ev.aux_start].rstrip().endswith(("and", "or")) or not _PREP_NEXT_RE.match(s, ev.char_end):
                subject = prev_subject
        if subj_span is not None and canon.entity_type == "person":
            doc.saw_person(subject)
        prev_subject = subject
        nxt = min([v for v, _ in verbs if v > ev.char_end] or [len(s)])
        d = _date_after(dates, ev.char_end, nxt) or before_date
        if d is None and first_date is not None and ev.char_start == first_verb:
            d = first_date
        start = subj_span[0] if subj_span and subj_span[0] < ev.char_start else ev.aux_start
        cm = _CLAUSE_END_RE.search(s, ev.char_end)
        end = cm.start() if cm else len(s)
        if d is not None:
            end = max(min(end, len(s)), d.char_end) if d.char_start < end else end
        if subj_span and subj_span[1] > end:
            end = subj_span[1]
        a = attribution_for(atts, ev.char_start)
        canon = canon_of.get(id(a)) if a else None
        doc.claim(claim_type="event", char_start=off + start, char_end=off + end,
                  sentence_index=sent.sentence_index, rule="event_verb_passive" if ev.passive else "event_verb",
                  confidence=0.7 if subject else 0.55, event_verb=ev.lemma, subject=subject,
                  attributed_to=canon.name if canon else None, attribution_text=a.source_text if a else None,
                  attribution_verb=a.verb if a else None, **_date_fields(d, anchor_desc))
    return resolved


def _reduced_passive(s: str, ev) -> bool:
    """A bare participle followed closely by "by": "signed by the two leaders", "a decree signed Monday by"."""
    return ev.aux_start == ev.char_start and _BY_SOON_RE.match(s, ev.char_end) is not None


def _quotes(doc: _Doc, blocks: list[Block], sentences: list[Sentence],
            sent_atts: dict[int, list[tuple[Attribution, Canonical | None]]]) -> None:
    """Quote claims; the speaker is the nearest attribution outside the quotation, else the
    speaker of the quote continued (same paragraph, a whole-paragraph quote after a quoted
    paragraph) or, for a paragraph that opens a quote without closing it, the next quote's."""
    quoted = [(pos, b) for pos, b in enumerate(blocks) if _QUOTE_MARK_RE.search(b.text) is not None]
    if not quoted:
        return
    block_of = [st.block_index for st in sentences]
    by_block: dict[int, list[Sentence]] = {}
    if block_of == sorted(block_of):  # the usual case: blocks (hence sentences) in document order
        for _, b in quoted:
            i = bisect_left(block_of, b.block_index)
            by_block[b.block_index] = sentences[i:bisect_right(block_of, b.block_index, i)]
    else:
        for st in sentences:
            by_block.setdefault(st.block_index, []).append(st)
    found: list[list] = []  # [start, end, sentence_index, speaker, rule, conf, block_pos, open_ended]
    for pos, block in quoted:
        t = block.text
        sents = by_block.get(block.block_index, [])
        for q in find_quotes(t):
            qs, qe = block.char_start + q.char_start, block.char_start + q.char_end
            if q.n_words < 4:
                continue  # scare quotes: "alliance", "sacred struggle"
            best: tuple[int, Attribution, Canonical | None] | None = None
            for st in sents:
                if st.char_end < qs or st.char_start > qe + 40:
                    continue
                for a, canon in sent_atts.get(st.sentence_index, []):
                    va, vb = st.char_start + a.verb_start, st.char_start + a.verb_end
                    if qs <= va < qe:
                        continue  # the verb is inside the quotation
                    dist = qs - vb if vb <= qs else va - qe
                    if canon is not None and (best is None or dist < best[0]):
                        best = (dist, a, canon)
            sidx = next((st.sentence_index for st in sents if st.char_start <= qs + 1 < st.char_end), None)
            speaker, rule, conf = None, "quote_unattributed", 0.5
            if best is not None and best[0] < 200:
                _, a, canon = best
                speaker, rule, conf = (canon.name, a.source_text, a.verb), "quote_attribution", 0.8
            elif found and found[-1][3] is not None and (found[-1][6] == pos or (
                    found[-1][6] == pos - 1 and _whole_paragraph(block.text, q))):
                speaker, rule, conf = found[-1][3], "quote_continued", 0.65
            found.append([qs, qe, sidx, speaker, rule, conf, pos, q.open_ended])
    for i, f in enumerate(found):
        if f[3] is None and f[7] and i + 1 < len(found) and found[i + 1][6] == f[6] + 1 and found[i + 1][3]:
            f[3], f[4], f[5] = found[i + 1][3], "quote_continues_next", 0.65
        speaker = f[3]
        doc.claim(claim_type="quote", char_start=f[0], char_end=f[1], sentence_index=f[2], rule=f[4],
                  confidence=f[5], attributed_to=speaker[0] if speaker else None,
                  attribution_text=speaker[1] if speaker else None,
                  attribution_verb=speaker[2] if speaker else None)


def _whole_paragraph(text: str, q) -> bool:
    return q.char_start <= 2 and q.char_end >= len(text.rstrip()) - 2


class _Gates:
    """What one block may hold: its language and which stages have a trigger in it."""

    __slots__ = ("lang", "english", "digit", "scale", "speech", "events", "dates", "names", "speech_words",
                 "event_words", "name_cores", "speech_cores", "event_cores")

    def __init__(self, lang: str, flags: int, digit: bool, text: str, cores: dict[str, int] | None,
                 dates: bool = False) -> None:
        self.lang = lang
        self.english = english = lang == "en"
        self.digit = digit
        self.scale = bool(flags & _F_SCALE)
        self.speech = bool(flags & _F_SPEECH) if english else (lang in ML_LANGUAGES and bool(flags & _F_ML_SPEECH))
        self.events = english and bool(flags & _F_EVENT)
        self.names = english and bool(flags & _F_NAME)
        self.dates = (self.speech or self.events) and (dates or (digit and _YEAR_HINT_RE.search(text) is not None))
        if not cores:
            self.speech_cores = self.event_cores = self.name_cores = ()
            self.speech_words = self.event_words = ()
            return
        sbit = _F_SPEECH if english else _F_ML_SPEECH
        self.speech_cores = [c for c, bits in cores.items() if bits & sbit] if self.speech else ()
        self.event_cores = [c for c, bits in cores.items() if bits & _F_EVENT] if self.events else ()
        self.name_cores = [c for c, bits in cores.items() if bits & _F_NAME] if self.names else ()
        self.speech_words = {c.lower() for c in self.speech_cores}
        self.event_words = {c.lower() for c in self.event_cores}


def _core(form: str) -> str:
    """A surface form without its quotes, brackets, trailing punctuation and possessive."""
    w = form.strip("\"“‘(),.:;!?”'’")
    return w[:-2] if w.endswith(("'s", "’s")) else w


_LOCATED = _F_SPEECH | _F_EVENT | _F_NAME | _F_SCALE | _F_ML_SPEECH


def _block_gates(blocks: list[Block], language: str | None) -> dict[int, _Gates]:
    """Per-block gates from one pass over the whole body.

    The body's whitespace tokens are looked up once in `_ALL_FORMS` (trigger words in their surface
    forms: "said,", "According", "(Reuters)"); the trigger words found are then located with
    str.find to flag the blocks that hold them.  Block languages are told apart only when the page
    shows function words of another language; a non-English `language` (py3langid saw the page) is
    trusted for every block.
    """
    texts = [b.text for b in blocks]
    joined = "\n".join(texts)
    any_digit = _DIGIT_RE.search(joined) is not None
    doc = (language or "").lower()[:2] or None
    if doc is not None and doc != "en" and doc not in ML_LANGUAGES:  # no attribution lexicon: quantities only
        lang = doc if doc in _FUNCTION_WORDS else "other"
        return {b.block_index: _Gates(lang, 0, any_digit and _DIGIT_RE.search(t) is not None, t, None)
                for b, t in zip(blocks, texts)}
    hits = _ALL_FORMS.intersection(joined.split())
    core_bits: dict[str, int] = {}
    doc_bits = 0
    foreign_words = set()
    for h in hits:
        bits = _FORM_FLAGS[h]
        doc_bits |= bits
        if bits & _F_FUNCTION and _FORM_LANG[h] != "en":
            foreign_words.add(h.lower())
        if bits & _LOCATED:
            c = _core(h)
            core_bits[c] = core_bits.get(c, 0) | (bits & _LOCATED)
    starts: list[int] = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    n = len(blocks)
    flags = [0] * n
    cores: list[dict[str, int] | None] = [None] * n
    for c, bits in core_bits.items():
        i = joined.find(c)
        while i >= 0:
            k = bisect_right(starts, i) - 1
            flags[k] |= bits
            d = cores[k]
            if d is None:
                cores[k] = d = {}
            d[c] = bits
            i = joined.find(c, i + len(c))
    # a page in French/Spanish/…: trust py3langid; English/unknown: tell block languages apart only
    # when other languages' function words show up
    mixed = doc in (None, "en") and len(foreign_words) >= 3
    dates = bool(doc_bits & _F_DATE)
    page_lang = doc if doc in ML_LANGUAGES else "en"
    out: dict[int, _Gates] = {}
    for k, b in enumerate(blocks):
        t = texts[k]
        if mixed:
            words = t.split()
            blang = block_language(words, _ALL_FORMS.intersection(words), language)
        else:
            blang = page_lang
        digit = any_digit and _DIGIT_RE.search(t) is not None
        if not flags[k] and not digit and blang == "en":
            out[b.block_index] = _NOTHING  # most blocks: no trigger of any stage
            continue
        out[b.block_index] = _Gates(blang, flags[k], digit, t, cores[k], dates)
    return out


_NOTHING = _Gates("en", 0, False, "", None)


def extract_claims(text: str, blocks: list[Block], published: PublicationDate, *, dateline: str | None = None,
                   language: str | None = None) -> tuple[list[Sentence], list[Claim], list[Mention]]:
    """Sentences, claims and cited-source mentions of the body/standfirst blocks of `text`."""
    body_blocks = [b for b in blocks if b.label in _LABELS]
    if not body_blocks:
        return [], [], []
    sentences = split_sentences(body_blocks, _LABELS)
    if dateline is None:
        dateline = next((d for d in (detect_dateline(b.text) for b in body_blocks[:3]) if d), None)
    anchor, anchor_desc = choose_anchor(published, dateline)
    doc = _Doc(text)
    sent_atts: dict[int, list[tuple[Attribution, Canonical | None]]] = {}
    gates = _block_gates(body_blocks, language)
    for sent in sentences:
        g = gates[sent.block_index]
        if g is _NOTHING:
            continue
        s = sent.text
        qty = (g.digit and _DIGIT_RE.search(s) is not None) or (g.scale and _QTY_TRIGGER_RE.search(s) is not None)
        speech = g.speech and any(c in s for c in g.speech_cores)
        events = g.events and any(c in s for c in g.event_cores)
        names = g.names and any(c in s for c in g.name_cores)
        if not (qty or speech or events or names):
            continue
        if g.english and len(s) >= 400:
            words = s.split()
            if block_language(words, _ALL_FORMS.intersection(words), language) != "en":
                g = _Gates("other", 0, True, "", None)  # a long foreign passage in an English block
                speech = events = names = False
        atts = _sentence(doc, sent, g, anchor, anchor_desc, qty, speech, events, names)
        if atts:
            sent_atts[sent.sentence_index] = atts
    _quotes(doc, body_blocks, sentences, sent_atts)
    # a clause that trims to nothing (e.g. a statement whose content is only the speaker) is no claim
    doc.claims = [c for c in doc.claims if c.char_end > c.char_start and c.claim_text.strip()]
    doc.claims.sort(key=lambda c: (c.char_start, c.claim_type))
    for i, c in enumerate(doc.claims):
        c.claim_index = i
    doc.mentions.sort(key=lambda m: m.char_start)
    for i, m in enumerate(doc.mentions):
        m.mention_index = i
    return sentences, doc.claims, doc.mentions
