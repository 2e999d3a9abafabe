"""Word tokens, stable word-shingle hashes and light spelling folding for cross-article comparison.

Tokens are lower-cased words (numbers with separators kept whole: ``10,000`` is one token; each CJK
or Thai character is one token, so space-less scripts still shingle).  Spelling variants that differ
between outlets (``defence``/``defense``, ``Kyiv``/``Kiev``) are folded to one form before hashing.
Hashes are stable across processes (blake2b per vocabulary word, polynomial combination per shingle),
so candidate generation and therefore the output do not depend on ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from itertools import islice, repeat

import numpy as np
import regex

SHINGLE_SIZE = 5

# Fast tokenizer for alphabetic scripts: words, with inner . , ' kept (10,000 · U.S · don't).
_WORD_RE = re.compile(r"\w+(?:[.,'’]\w+)*")
# Scripts written without spaces: each character is one token there.
_NOSPACE_RE = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TOKEN_RE = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]"  # one char = one token
    r"|\d+(?:[.,]\d+)*"  # 10,000 · 1.5
    r"|[\p{L}\p{M}][\p{L}\p{M}\p{N}]*(?:['’.][\p{L}]+)*"  # words, apostrophe/abbreviation kept
)
# Sentence ends: . ! ? (also CJK 。！？) followed by space/newline or a closing quote; or a newline.
_SENT_END_RE = regex.compile(r"(?<=[.!?。！？][\"”’']?)\s+(?=[\p{Lu}\p{Lo}\"“‘'(\d])|\n+")

# Spelling/transliteration variants folded to one form (British/American, common transliterations).
VARIANTS: dict[str, str] = {
    "defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense",
    "programme": "program", "programmes": "programs", "centre": "center", "centres": "centers",
    "theatre": "theater", "metre": "meter", "metres": "meters", "kilometre": "kilometer",
    "kilometres": "kilometers", "labour": "labor", "favour": "favor", "honour": "honor",
    "neighbour": "neighbor", "neighbours": "neighbors", "neighbouring": "neighboring",
    "harbour": "harbor", "armour": "armor", "armoured": "armored", "behaviour": "behavior",
    "organisation": "organization", "organisations": "organizations", "recognise": "recognize",
    "recognised": "recognized", "criticise": "criticize", "criticised": "criticized",
    "mobilise": "mobilize", "mobilised": "mobilized", "authorise": "authorize",
    "authorised": "authorized", "stabilise": "stabilize", "emphasise": "emphasize",
    "kyiv": "kiev", "zelenskiy": "zelensky", "zelenskyy": "zelensky", "kharkiv": "kharkov",
    "odesa": "odessa", "gaddafi": "qaddafi", "gadhafi": "qaddafi", "beijing's": "beijing",
    "u.s": "us", "usa": "us",
}

STOPWORDS = frozenset(
    """a about above after again against all also although am among an and any are as at be been before
    being below between both but by can could did do does doing down during each either else even ever
    every few for from further had has have having he her here hers him his how however i if in into is
    it its itself just last least less like made make many may me might more most much must my near
    neither new no nor not now of off on once one only or other others our ours out over own per put
    rather said same say says saying she should since so some still such than that the their theirs them
    then there these they this those though through thus to too two under until up upon us very via was
    we week were what when where whether which while who whom whose why will with within without would
    yet you your monday tuesday wednesday thursday friday saturday sunday january february march april
    june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    year years month months day days today yesterday told according added including amid
    mr mrs ms dr news reported report reports""".split()
)


@dataclass(slots=True)
class Tokens:
    """The tokens of one text: folded forms, their char spans, and 64-bit word hashes."""

    words: list[str]  # folded lower-case forms
    starts: np.ndarray  # int64 char offset of each token in the text
    ends: np.ndarray
    hashes: np.ndarray  # uint64 stable hash of each folded word
    content: list[bool]  # is_content_word of each folded word


_BASE = 0x100000001B3  # FNV prime: polynomial base for shingle hashes
# Token cache: raw token -> id; per id its folded form, stable 64-bit hash and content-word flag.
# Reset when it grows past _CACHE_LIMIT (ids are only used within one call).
_CACHE_LIMIT = 2_000_000
_IDS: dict[str, int] = {}
_FOLDED: list[str] = []
_HASHES = np.zeros(1024, dtype=np.uint64)
_CONTENT = np.zeros(1024, dtype=bool)


def fold(word: str) -> str:
    """Lower-case, fold curly apostrophes, drop a possessive 's, and fold spelling variants."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return VARIANTS.get(w, w)


def word_hash(word: str) -> int:
    """Stable 64-bit hash of a folded word."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _token_ids(raws: list[str]) -> np.ndarray:
    """Cache ids of raw tokens, adding new ones (folded, hashed) as needed."""
    global _HASHES, _CONTENT
    arr = np.fromiter(map(_IDS.get, raws, repeat(-1)), dtype=np.int64, count=len(raws))
    if len(arr) and arr.min() < 0:
        if len(_IDS) + len(raws) > _CACHE_LIMIT:
            _IDS.clear()
            _FOLDED.clear()
            arr[:] = -1
        missing = np.flatnonzero(arr < 0)  # only these are looked at again (in order: same ids)
        found = []
        for k in missing.tolist():
            raw = raws[k]
            tid = _IDS.get(raw)
            if tid is None:
                tid = _IDS[raw] = len(_FOLDED)
                w = fold(raw)
                _FOLDED.append(w)
                if tid >= len(_HASHES):
                    _HASHES = np.resize(_HASHES, 2 * len(_HASHES))
                    _CONTENT = np.resize(_CONTENT, 2 * len(_CONTENT))
                _HASHES[tid] = word_hash(w)
                _CONTENT[tid] = is_content_word(w)
            found.append(tid)
        arr[missing] = found
    return arr


def raw_hashes(raws: list[str]) -> np.ndarray:
    """Stable 64-bit hashes (uint64) of raw tokens after folding."""
    ids = _token_ids(raws)  # first: it may grow (replace) the hash table
    return _HASHES[ids]


def pattern_for(text: str):
    """The token pattern of `text`: per-character tokens when it has space-less script."""
    return _TOKEN_RE if not text.isascii() and _NOSPACE_RE.search(text) else _WORD_RE


_pattern = pattern_for


def token_hashes(raws: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(uint64 hashes, bool content-word mask) of raw tokens (as `pattern_for(...).findall` gives)."""
    ids = _token_ids(raws)
    return _HASHES[ids], _CONTENT[ids]


def word_hashes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Fast path without spans: (uint64 hashes of all words, bool content-word mask)."""
    text = text or ""
    return token_hashes(_pattern(text).findall(text))


def tokenize(text: str) -> Tokens:
    """Tokenise `text` into folded words with char spans and stable hashes."""
    text = text or ""
    matches = list(_pattern(text).finditer(text))
    ids = _token_ids([m.group() for m in matches])
    return Tokens(
        [_FOLDED[i] for i in ids.tolist()],
        np.fromiter((m.start() for m in matches), dtype=np.int64, count=len(matches)),
        np.fromiter((m.end() for m in matches), dtype=np.int64, count=len(matches)),
        _HASHES[ids],
        _CONTENT[ids].tolist(),
    )


def token_offsets(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(start, end) char offsets of every token of `text`, as `tokenize` finds them (int64)."""
    spans = [m.span() for m in _pattern(text).finditer(text)]
    flat = np.array(spans, dtype=np.int64).reshape(len(spans), 2)
    return flat[:, 0], flat[:, 1]


def token_span(text: str, first: int, last: int) -> tuple[int, int]:
    """(start of token `first`, end of token `last`) in `text`, as `tokenize` numbers the tokens;
    scans only up to token `last`."""
    matches = _pattern(text).finditer(text)
    m = next(islice(matches, first, None), None)
    if m is None:
        return 0, 0
    start = m.start()
    if last > first:
        m = next(islice(matches, last - first - 1, None), None)
    return start, (m.end() if m is not None else 0)


def shingle_hashes(word_hashes: np.ndarray, k: int = SHINGLE_SIZE) -> np.ndarray:
    """Hashes of every run of `k` consecutive words (position i covers words i..i+k-1), uint64."""
    n = len(word_hashes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    powers = [np.uint64(pow(_BASE, j, 1 << 64)) for j in range(k)][::-1]
    out = word_hashes[0:n] * powers[0]
    for j in range(1, k):
        out = out + word_hashes[j : j + n] * powers[j]
    # final avalanche (splitmix64 finaliser) so the high 32 bits are well mixed
    out ^= out >> np.uint64(30)
    out *= np.uint64(0xBF58476D1CE4E5B9)
    out ^= out >> np.uint64(27)
    out *= np.uint64(0x94D049BB133111EB)
    out ^= out >> np.uint64(31)
    return out


def is_content_word(word: str) -> bool:
    """A word worth comparing across articles: not a stopword, not a bare number, 3+ chars (or CJK)."""
    if word in STOPWORDS or word[:1].isdigit():
        return False
    return len(word) >= 3 or not word.isascii()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Char spans of sentences (and lines) in `text`; cheap rule: terminal punctuation + capital."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END_RE.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]
