"""Split a page-text dump into lines with offsets and cheap per-line features.

Pure functions, no I/O.  A `Line` is one non-blank line of the dump, stripped of surrounding
whitespace, so ``text[line.start:line.end] == line.raw``.  List bullets ("• ", "- ", "* ") are
recognised and removed from `content` (the text the features look at).

Stopword density is the main body signal (as in jusText): the document's language is guessed
from its most frequent words against jusText's stoplists (loaded once, lazily), and CJK text,
which has no spaces, is measured in function characters instead.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

# Languages whose jusText stoplists take part in the language guess (the common news languages).
STOPLIST_LANGUAGES = (
    "English", "Spanish", "Portuguese", "French", "German", "Italian", "Dutch", "Russian",
    "Ukrainian", "Polish", "Czech", "Slovak", "Hungarian", "Finnish", "Danish", "Swedish",
    "Norwegian_Bokmal", "Romanian", "Turkish", "Indonesian", "Malay", "Vietnamese", "Greek",
    "Arabic", "Persian", "Hebrew", "Catalan", "Croatian", "Serbian", "Bulgarian", "Lithuanian",
    "Latvian", "Estonian", "Slovenian", "Azerbaijani", "Albanian", "Armenian", "Korean", "Hindi",
    "Kazakh", "Georgian", "Tagalog", "Urdu", "Bengali", "Tamil", "Swahili",
)

_BULLET_CHARS = frozenset("•·▪◦●■□►▸‣⁃-–—*+")
_DASHES = frozenset("-–—")
# Chinese and Japanese characters (Korean is written with spaces and has a jusText stoplist).
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# Frequent Chinese/Japanese function characters: their share of CJK characters plays the role
# of stopword density for scripts without spaces.
_CJK_FUNCTION_RE = re.compile(r"[的了是在和有也就不这那他她我们中为与对将被说]|[のにはをがでとたてもしないるれ]")
_SENTENCE_END = frozenset(".!?…\"'”’»)。！？」』:;")


@dataclass(slots=True)
class Line:
    """One non-blank line of the text with the features the segmenter uses."""

    index: int  # position among the non-blank lines
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    raw: str  # text[start:end]
    content: str  # raw without a leading list bullet
    bullet: bool  # the line carries a list bullet
    n_chars: int  # len(content)
    n_words: int  # whitespace-separated tokens (CJK: characters / 2; under 25 chars: spaces + 1)
    n_stop: int  # stopwords among the words (CJK: function characters; 0 under 25 chars)
    ends_sentence: bool  # content ends with sentence punctuation
    cjk: bool  # the line is mostly CJK characters

    @property
    def stop_density(self) -> float:
        return self.n_stop / self.n_words if self.n_words else 0.0


@functools.cache
def _stopword_index() -> tuple[dict[str, tuple[int, ...]], tuple[frozenset[str], ...]]:
    """word -> indices of the languages whose stoplist holds it; and the stoplists themselves."""
    import justext  # local import: no work at import time

    lists = tuple(frozenset(justext.get_stoplist(lang)) for lang in STOPLIST_LANGUAGES)
    index: dict[str, list[int]] = {}
    for i, words in enumerate(lists):
        for w in words:
            index.setdefault(w, []).append(i)
    return {w: tuple(v) for w, v in index.items()}, lists


def guess_stoplist(text: str, sample_chars: int = 3000, top: int = 40) -> frozenset[str]:
    """The stoplist of the language whose stopwords best cover the text's most frequent words."""
    index, lists = _stopword_index()
    mid = len(text) // 3 if len(text) > sample_chars * 2 else 0
    counts = Counter(text[mid : mid + sample_chars].lower().split())
    scores = [0] * len(lists)
    for word, n in counts.most_common(top):
        for i in index.get(word, ()):
            scores[i] += n
    best = max(range(len(scores)), key=scores.__getitem__)
    return lists[best] if scores[best] else lists[0]


def _is_cjk_text(text: str) -> bool:
    """True when CJK characters make up a good share of a sample of the text."""
    if text.isascii():
        return False
    sample = text[:4000]
    return len(_CJK_RE.findall(sample)) * 4 > len(sample)


def split_lines(text: str, stoplist: frozenset[str] | None = None) -> list[Line]:
    """The non-blank lines of `text` with their offsets and features."""
    if stoplist is None:
        stoplist = guess_stoplist(text)
    is_stop = stoplist.__contains__
    cjk_doc = _is_cjk_text(text)
    out: list[Line] = []
    offset = 0
    for seg in text.split("\n"):
        seg_start = offset
        offset += len(seg) + 1
        raw = seg.strip()
        if not raw:
            continue
        start = seg_start + seg.index(raw[0])
        content = raw
        bullet = False
        if raw[0] in _BULLET_CHARS and (len(raw) == 1 or raw[1] == " "):
            content = raw[1:].lstrip()
            bullet = raw[0] not in _DASHES or len(raw) < 200
            if not bullet:
                content = raw
        n_chars = len(content)
        cjk = False
        if cjk_doc and n_chars:
            cjk_chars = len(_CJK_RE.findall(content))
            cjk = cjk_chars * 2 > n_chars
        if cjk:
            n_words = max(1, cjk_chars // 2)
            n_stop = len(_CJK_FUNCTION_RE.findall(content))
        elif n_chars >= 25:
            words = content.lower().split()
            n_words = len(words)
            n_stop = sum(map(is_stop, words))
        else:
            n_words = content.count(" ") + 1 if content else 0
            n_stop = 0
        out.append(
            Line(
                len(out),
                start,
                start + len(raw),
                raw,
                content,
                bullet,
                n_chars,
                n_words,
                n_stop,
                n_chars > 0 and content[-1] in _SENTENCE_END and (content[-1] != ")" or content[-2:-1] in _SENTENCE_END),
                cjk,
            )
        )
    return out
