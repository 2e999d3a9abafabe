"""Lines that repeat across documents of one site or feed: page chrome (menus, footers, prompts).

`repeated_lines` is called per group of documents (same URL domain or same input folder); its
result is passed to `segment(..., site_repeats=...)`, where a repeated line counts as chrome.
"""

from __future__ import annotations

import re
from collections import Counter

_NON_WORD_RE = re.compile(r"[\W_]+")
_DIGITS_RE = re.compile(r"\d+")


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
    counts: Counter[str] = Counter()
    for text in texts:
        seen = {normalize_line(x) for x in text.split("\n") if 0 < len(x) <= max_chars}
        seen.discard("")
        counts.update(seen)
    return frozenset(line for line, c in counts.items() if c >= min_docs)
