"""Claims from the article body: quantities, attributed statements, quotes and dated events.

Public API: `extract_claims(text, blocks, published, *, dateline=None, language=None)` returns
(sentences, claims, mentions).  Only "body" and "standfirst" blocks are read; every offset indexes
`text`, so ``text[c.char_start:c.char_end]`` is the evidence of claim `c`.

Per sentence: attributions (who says so, with scopes) -> statements; quantities, each attributed
to the innermost attribution scope containing it; events (verb lemma, subject, date resolved
against the anchor chosen by `events.choose_anchor`).  Quotes are found per block (a quotation may
span sentences) and get the speaker of the attribution next to them, else the speaker of the quote
they continue.  Sentences that do not look English get quantities (numbers, currencies, percent)
but no attribution/event parsing.
"""

from __future__ import annotations

import re

from flows.text.attribution import Attribution, attribution_for, find_attributions, find_quotes
from flows.text.events import (DateExpr, agent_after, choose_anchor, detect_dateline, find_dates,
                               find_event_verbs)
from flows.text.model import Block, Claim, Mention, PublicationDate, Sentence
from flows.text.quantities import find_quantities
from flows.text.sentences import split_sentences
from flows.text.source_names import TITLE_WORDS, VARIANTS, Canonical, SourceResolver, person_name
from flows.text.attribution import _np_after, _np_before  # noqa: PLC2701 (shared noun-phrase scanners)

_LABELS = frozenset(("body", "standfirst"))
_EN_FUNCTION_WORDS = (" the ", " of ", " and ", " to ", " in ", " is ", " was ", " that ", " for ", " on ",
                      " with ", " said ", " has ", " have ", " had ", " by ", " as ", " are ", " it ", " her ",
                      " his ", " their ", " since ", " from ", " at ", " were ", " will ")
_CAP_RUN_RE = re.compile(r"(?<![\w'’])[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|al-[A-Z][\w'’-]*))*")
_RUN_WORD_RE = re.compile(r"\S+")
_SCAN_TYPES = frozenset(("person", "media", "agency"))
_VARIANT_FIRST_WORDS = frozenset(v.split()[0] for v, (_, t) in VARIANTS.items() if t in _SCAN_TYPES)
_YEAR_HINT_RE = re.compile(r"(?:in|since|during|by) (?:19|20)\d\d")
_QTY_TRIGGER_RE = re.compile(r"\d|[Tt]housand|[Hh]undred|[Dd]ozen|[Mm]illion|[Bb]illion")
_DATE_WORDS = ("day", "week", "month", "year", "ago", "tomorrow", "tonight", "Jan", "Feb", "Mar", "Apr", "May",
               "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SEP_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)")
_CLAUSE_END_RE = re.compile(r"[,;.:!?](?!\d)")
_PREP_NEXT_RE = re.compile(r"\s+(?:in|on|by|at|during|last|this|into|with|under)\b")
_HYPOTHETICAL_RE = re.compile(r"\b(?:if|would|could|will|may|might|should|can|unless|whether)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
_DATELINE_PREFIX_RE = re.compile(r"^[A-Z][A-Z .'’-]{1,30}(?:,\s*[A-Z][\w .]{1,30}?)?\s*\([^()]{1,30}\)\s*[-—–:]\s*")
_BY_SOON_RE = re.compile(r"\s+(?:[\w'’]+\s+){0,2}?by\s")


def _looks_english(s: str) -> bool:
    """English function words make up a good share of the words (cheap: C-level counting)."""
    words = s.count(" ") + 1
    if words < 6:
        return True
    low = f" {s.lower()} "
    hits = sum(low.count(w) for w in _EN_FUNCTION_WORDS)
    return hits >= max(1, int(words * 0.1))


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


def _resolve_source(doc: _Doc, att: Attribution) -> Canonical | None:
    src = att.source_text.strip()
    low = src.lower()
    if low in ("he", "she"):
        p = doc.last_person or doc.resolver.last_person
        return Canonical(p, "person", "pronoun_last_person", 0.6) if p else None
    if low in ("they", "it", "we"):
        g = doc.last_group
        return Canonical(g, "group", "pronoun_last_source", 0.5) if g else None
    return doc.resolver.canonical(src)


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


def _scan_names(doc: _Doc, s: str, off: int) -> None:
    """Known names and titled people in a sentence -> mentions (also teaches the resolver).

    One pass over runs of capitalised words; a run is looked at only when one of its words starts
    a known variant or is a title ("President"), or the word before it is a title ("leader").
    """
    for m in _CAP_RUN_RE.finditer(s):
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
                doc.mention(off + m.start() + a, off + m.start() + b, doc.resolver.canonical(run[a:b]),
                            "known_variant")
                i += n
        if titled:
            name = person_name(f"{prev} {run}" if prev else run)
            if name is not None:
                k = run.rfind(name)
                if k >= 0:
                    doc.mention(off + m.start() + k, off + m.start() + k + len(name),
                                doc.resolver.canonical(name if " " in name else run), "titled_name")


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


def _sentence(doc: _Doc, sent: Sentence, english: bool, anchor, anchor_desc, flags: tuple[bool, bool, bool] = (True, True, True)) -> list[tuple[Attribution, Canonical | None]]:
    s, off = sent.text, sent.char_start
    atts: list[Attribution] = []
    resolved: list[tuple[Attribution, Canonical | None]] = []
    dates: list[DateExpr] = []
    has_qty, has_date, has_speech = flags
    events = find_event_verbs(s) if english else []
    if english:
        _scan_names(doc, s, off)
        if has_speech:
            atts = find_attributions(s)
        if has_date and (any(w in s for w in _DATE_WORDS) or _YEAR_HINT_RE.search(s)):
            dates = find_dates(s, anchor)
    first_date = dates[0] if dates and dates[0].char_start <= 3 else None
    verbs = sorted([(a.verb_start, a.verb_end) for a in atts if a.kind != "according_to"]
                   + [(e.char_start, e.char_end) for e in events])
    first_verb = verbs[0][0] if verbs else None
    canon_of: dict[int, Canonical | None] = {}
    for a in atts:
        canon = _resolve_source(doc, a)
        canon_of[id(a)] = canon
        resolved.append((a, canon))
        if canon is not None:
            _source_mentions(doc, off, a, canon)
            if canon.entity_type != "person":
                doc.last_group = canon.name
            elif a.kind != "pronoun":
                doc.last_person = canon.name
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
    for q in (find_quantities(s, english=english) if has_qty and _QTY_TRIGGER_RE.search(s) else ()):
        a = attribution_for(atts, q.char_start)
        canon = canon_of.get(id(a)) if a else None
        doc.claim(claim_type="quantity", char_start=off + q.char_start, char_end=off + q.char_end,
                  sentence_index=sent.sentence_index, rule=f"quantity_{q.rule}", confidence=q.confidence,
                  quantity_value=q.value, quantity_low=q.low, quantity_high=q.high, quantity_unit=q.unit,
                  qualifier=q.qualifier, attributed_to=canon.name if canon else None,
                  attribution_text=a.source_text if a else None, attribution_verb=a.verb if a else None,
                  subject=q.subject)
    if not english:
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
                subj_span = _np_after(s, ag)
        else:
            # a date between subject and verb: "Swiss voters on Sunday rejected"
            pre = next((x for x in dates if 0 <= ev.aux_start - x.char_end <= 1), None)
            np = _np_before(s, pre.char_start if pre else ev.aux_start)
            if isinstance(np, tuple):
                subj_span = np
            if pre is not None and np is not None:
                before_date = pre
        subject = None
        if subj_span is not None:
            phrase = s[subj_span[0]:subj_span[1]]
            canon = doc.resolver.canonical(phrase)
            subject = canon.name
        elif not ev.passive and _np_before(s, ev.aux_start) == "coordinated":
            # "… visited Moscow and said" shares the subject; ", signed in June," is a reduced relative
            if s[:ev.aux_start].rstrip().endswith(("and", "or")) or not _PREP_NEXT_RE.match(s, ev.char_end):
                subject = prev_subject
        if subj_span is not None and canon.entity_type == "person":
            doc.last_person = subject
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
    by_block: dict[int, list[Sentence]] = {}
    for st in sentences:
        by_block.setdefault(st.block_index, []).append(st)
    found: list[list] = []  # [start, end, sentence_index, speaker, rule, conf, block_pos, open_ended]
    body = [b for b in blocks if b.label in _LABELS]
    for pos, block in enumerate(body):
        sents = by_block.get(block.block_index, [])
        for q in find_quotes(block.text):
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


def extract_claims(text: str, blocks: list[Block], published: PublicationDate, *, dateline: str | None = None,
                   language: str | None = None) -> tuple[list[Sentence], list[Claim], list[Mention]]:
    """Sentences, claims and cited-source mentions of the body/standfirst blocks of `text`."""
    body_blocks = [b for b in blocks if b.label in _LABELS]
    sentences = split_sentences(body_blocks, _LABELS)
    if dateline is None and body_blocks:
        dateline = next((d for d in (detect_dateline(b.text) for b in body_blocks[:3]) if d), None)
    anchor, anchor_desc = choose_anchor(published, dateline)
    english_doc = language is None or language.lower().startswith("en")
    doc = _Doc(text)
    sent_atts: dict[int, list[tuple[Attribution, Canonical | None]]] = {}
    flags_of: dict[int, tuple[bool, bool, bool, bool]] = {}
    for b in body_blocks:  # cheap block-level gates; sentences of a block without digits skip quantities …
        t = b.text
        flags_of[b.block_index] = (english_doc and _looks_english(t), _QTY_TRIGGER_RE.search(t) is not None,
                                   any(w in t for w in _DATE_WORDS) or _YEAR_HINT_RE.search(t) is not None,
                                   True)
    for sent in sentences:
        eng, q, d, sp = flags_of[sent.block_index]
        english = eng and (len(sent.text) < 400 or _looks_english(sent.text))
        sent_atts[sent.sentence_index] = _sentence(doc, sent, english, anchor, anchor_desc, (q, d, sp))
    _quotes(doc, body_blocks, sentences, sent_atts)
    doc.claims.sort(key=lambda c: (c.char_start, c.claim_type))
    for i, c in enumerate(doc.claims):
        c.claim_index = i
    doc.mentions.sort(key=lambda m: m.char_start)
    for i, m in enumerate(doc.mentions):
        m.mention_index = i
    return sentences, doc.claims, doc.mentions
