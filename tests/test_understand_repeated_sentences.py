"""A sentence that several documents share (wire copy) is parsed once per batch, but the names in it
are resolved against each document's own people."""

from __future__ import annotations

import datetime as dt

from flows.text.claims import extract_claims
from flows.text.model import Block, PublicationDate

SHARED = "Minister Lee said on Tuesday that the two sides had signed the trade deal in Paris."
PUBLISHED = PublicationDate(value_date=dt.date(2024, 11, 12), value_utc=None, local_form=None, source="byline",
                            confidence=0.9, is_inferred=False, candidate_index=None)


def _analyse(first: str) -> tuple[list, list]:
    paras = [first, SHARED]
    text = "\n\n".join(paras)
    blocks, pos = [], 0
    for i, p in enumerate(paras):
        blocks.append(Block(i, pos, pos + len(p), p, "body", "test", 1.0))
        pos += len(p) + 2
    _, claims, mentions = extract_claims(text, blocks, PUBLISHED, language="en")
    return claims, mentions


def _in_shared(items, start: int) -> list:
    return [x for x in items if x.char_start >= start]


def test_the_same_sentence_names_each_documents_own_minister():
    defence = "Defence Minister Kim Lee arrived in Paris on Monday for two days of talks."
    trade = "Trade Minister Anna Lee arrived in Paris on Monday for two days of talks."
    results = {}
    for _ in range(2):  # the second round reads every shared sentence from the caches
        for first in (defence, trade):
            claims, mentions = _analyse(first)
            start = len(first) + 2
            results.setdefault(first, []).append((
                [(m.text, m.canonical_name, m.rule) for m in _in_shared(mentions, start)],
                [(c.claim_type, c.attributed_to) for c in _in_shared(claims, start)],
            ))
    for first, name in ((defence, "Kim Lee"), (trade, "Anna Lee")):
        once, again = results[first]
        assert once == again
        shared_mentions, shared_claims = once
        assert ("Lee", name, "titled_name") in shared_mentions
        assert ("statement", name) in shared_claims
