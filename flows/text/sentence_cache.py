"""Memoised per-sentence extractors: the pure sentence-level parsers of the claims stage, cached.

Wire copy is syndicated: the same sentence shows up on many pages of a batch (and a feed repeats
its boilerplate sentences).  `find_quantities`, `find_attributions`, `find_event_verbs`, `find_dates`
and the subject finder `np_before` are pure functions of their arguments, so their results are cached
per argument tuple (bounded LRU caches) and returned as tuples, which callers only read.

The trigger-word sets the callers pass (`verbs`, `forms`) are narrowed to the words that occur in
the sentence (`present`): the parsers only look for those words' occurrences (str.find), so the
narrowed set gives the same result and a better cache key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from flows.text import attribution
from flows.text.attribution import Attribution, find_attributions, find_attributions_ml
from flows.text.events import DateExpr, EventVerb, find_dates, find_dates_ml, find_event_verbs
from flows.text.quantities import Quantity, find_quantities

CACHE_SIZE = 16384  # sentences per cache (a few MB at most)


def present(s: str, words: Iterable[str]) -> frozenset[str]:
    """The `words` that occur in `s` as substrings."""
    return frozenset(w for w in words if w in s)


@lru_cache(maxsize=CACHE_SIZE)
def quantities(s: str, lang: str, scale_words: bool) -> tuple[Quantity, ...]:
    return tuple(find_quantities(s, lang=lang, scale_words=scale_words))


@lru_cache(maxsize=CACHE_SIZE)
def attributions(s: str, verbs: frozenset[str]) -> tuple[Attribution, ...]:
    """`find_attributions(s, verbs)`; `verbs` must be narrowed with `present` (the objects are shared:
    read them, never change them)."""
    return tuple(find_attributions(s, verbs))


@lru_cache(maxsize=CACHE_SIZE)
def attributions_ml(s: str, lang: str) -> tuple[Attribution, ...]:
    return tuple(find_attributions_ml(s, lang))


@lru_cache(maxsize=CACHE_SIZE)
def event_verbs(s: str, forms: frozenset[str]) -> tuple[EventVerb, ...]:
    return tuple(find_event_verbs(s, forms))


@lru_cache(maxsize=CACHE_SIZE)
def dates(s: str, anchor: dt.date | None) -> tuple[DateExpr, ...]:
    return tuple(find_dates(s, anchor))


@lru_cache(maxsize=CACHE_SIZE)
def dates_ml(s: str, anchor: dt.date | None) -> tuple[DateExpr, ...]:
    return tuple(find_dates_ml(s, anchor))


@lru_cache(maxsize=CACHE_SIZE)
def np_before(s: str, end: int) -> tuple[int, int] | None | str:
    """`attribution.np_before`: the subject noun phrase ending at `end`, "coordinated" or None."""
    return attribution.np_before(s, end)
