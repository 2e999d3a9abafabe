"""The article body from labelled blocks, and how much of a page is boilerplate."""

from __future__ import annotations

import re

from flows.text.model import NON_BOILERPLATE_LABELS, Block

_CONTENT = frozenset(NON_BOILERPLATE_LABELS)
_BULLET_RE = re.compile(r"^[•·▪◦●■□►▸‣⁃*+]\s+")


def body_text(blocks: list[Block]) -> str:
    """The body blocks' text joined by blank lines (list bullets removed)."""
    parts = []
    for b in blocks:
        if b.label == "body":
            m = _BULLET_RE.match(b.text)
            parts.append(b.text[m.end() :] if m else b.text)
    return "\n\n".join(parts)


def boilerplate_ratio(text: str, blocks: list[Block]) -> float:
    """Share of the text's non-whitespace characters that are not in a content block (0 for empty text)."""
    total = sum(map(len, text.split()))  # non-whitespace characters
    if total <= 0:
        return 0.0
    content = sum(map(len, " ".join([b.text for b in blocks if b.label in _CONTENT]).split()))
    return max(0.0, min(1.0, 1.0 - content / total))
