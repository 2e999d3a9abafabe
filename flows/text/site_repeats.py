"""Lines that repeat across documents of one site or feed: page chrome (menus, footers, prompts).

`repeated_lines` is called per group of documents (same URL domain or same input folder); its
result is passed to `segment(..., site_repeats=...)`, where a repeated line counts as chrome.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import compress

_NON_WORD_RE = re.compile(r"[\W_]+")
_DIGITS_RE = re.compile(r"\d+")


_PREFILTER_MIN_DOCS = 10  # from this threshold on, few lines qualify: a cheap key screens the rest out
_NOT_ASCII_LETTERS = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalpha())
_NOT_ASCII_LETTERS_NL = _NOT_ASCII_LETTERS.replace(b"\n", b"")  # the same, keeping the line breaks


def _coarse_key(low: str) -> bytes:
    """The ASCII letters of a lower-cased line: lines with equal `normalize_line` have equal keys
    (normalising keeps letters in order and touches only other characters)."""
    return low.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS)


def _coarse_keys(lows: list[str]) -> list[bytes]:
    """`_coarse_key` of each line (lines without "\\n"), in one pass over the joined lines."""
    if not lows:
        return []
    return "\n".join(lows).encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS_NL).split(b"\n")


def normalize_line(line: str) -> str:
    """Lower-case, digits folded to "0", punctuation and runs of spaces to one space, stripped."""
    return _DIGITS_RE.sub("0", _NON_WORD_RE.sub(" ", line.lower())).strip()


def repeated_lines(texts: list[str], min_docs: int = 3, max_chars: int = 300) -> frozenset[str]:
    """Normalised lines (shorter than `max_chars`) found in at least `min_docs` of the documents.

    Each document counts a line once.  With fewer than `min_docs` documents nothing can repeat
    and the result is empty.
    """
    if len(texts) < min_docs:
        return frozenset()
    wanted = range(1, max_chars + 1).__contains__
    if min_docs < _PREFILTER_MIN_DOCS:
        counts: Counter[str] = Counter()
        for text in texts:
            segs = text.split("\n")
            seen = set(map(normalize_line, compress(segs, map(wanted, map(len, segs)))))
            seen.discard("")
            counts.update(seen)
        return frozenset(line for line, c in counts.items() if c >= min_docs)
    kept = []  # per document: its lines that may count, lower-cased, and their coarse keys
    key_counts: Counter[bytes] = Counter()
    for text in texts:
        segs = text.split("\n")
        lows = list(map(str.lower, compress(segs, map(wanted, map(len, segs)))))
        keys = _coarse_keys(lows)
        kept.append((lows, keys))
        key_counts.update(set(keys))
    # only lines whose coarse key is on `min_docs` documents can repeat: normalise just those
    frequent = {k for k, c in key_counts.items() if c >= min_docs}
    counts = Counter()
    for lows, keys in kept:
        seen = set(map(normalize_line, compress(lows, map(frequent.__contains__, keys))))
        seen.discard("")
        counts.update(seen)
    return frozenset(line for line, c in counts.items() if c >= min_docs)
