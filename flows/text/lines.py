"""Split a page-text dump into lines with offsets and cheap per-line features.

Pure functions, no I/O.  `split_lines` returns a `Lines` table (one list per feature, indexed
by line: columns are cheaper than one object per line).  A line is one non-blank line of the
dump, stripped of surrounding whitespace, so ``text[start[i]:end[i]] == raw[i]``.  List
bullets ("• ", "- ", "* ") are recognised and removed from `content` (the text the features
look at).

Stopword density is the main body signal (as in jusText): the document's language is guessed
from a sample of its words against jusText's stoplists (loaded once, lazily; English is tried
first because its list is small and precise), and CJK text, which has no spaces, is measured in
function characters instead.
"""

from __future__ import annotations

import functools
import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, count, islice, repeat

# Languages whose jusText stoplists take part in the language guess (the common news languages).
STOPLIST_LANGUAGES = (
    "English", "Spanish", "Portuguese", "French", "German", "Italian", "Dutch", "Russian",
    "Ukrainian", "Polish", "Czech", "Slovak", "Hungarian", "Finnish", "Danish", "Swedish",
    "Norwegian_Bokmal", "Romanian", "Turkish", "Indonesian", "Malay", "Vietnamese", "Greek",
    "Arabic", "Persian", "Hebrew", "Catalan", "Croatian", "Serbian", "Bulgarian", "Lithuanian",
    "Latvian", "Estonian", "Slovenian", "Azerbaijani", "Albanian", "Armenian", "Korean", "Hindi",
    "Kazakh", "Georgian", "Tagalog", "Urdu", "Bengali", "Tamil", "Swahili",
)
_ENGLISH_SHARE = 0.2  # a sample with this share of English stopwords is English
_VOTE_WORDS = 150  # words that vote for the language of a page that is not English

_BULLET_CHARS = frozenset("•·▪◦●■□►▸‣⁃-–—*+")
_DASHES = frozenset("-–—")
# Characters skipped before a line's first word (quotes, brackets, bullets, separators).
LEAD_PUNCT = " \t([{\"'“‘«-–—•*·|#▶►▪◦●■□▸‣⁃+"
# The first word after leading punctuation of every line of a "\n"-joined text ("\n" leads).
_KEYS_RE = re.compile(r"\n[" + re.escape(LEAD_PUNCT) + r"]*([\w'’-]*)")
# Chinese and Japanese characters (Korean is written with spaces and has a jusText stoplist).
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# Frequent Chinese/Japanese function characters: their share of CJK characters plays the role
# of stopword density for scripts without spaces.
_CJK_FUNCTION_RE = re.compile(r"[的了是在和有也就不这那他她我们中为与对将被说]|[のにはをがでとたてもしないるれ]")
_SENTENCE_END = frozenset(".!?…\"'”’»)。！？」』:;")
_SECOND_CHAR = slice(1, 2)
_MIN_STOP_CHARS = 30  # stopwords are counted on lines at least this long
_SAMPLE_WORDS = 24  # ... among their first this many words


@dataclass(slots=True)
class Lines:
    """The non-blank lines of a text, one list per feature (index i is the i-th line)."""

    start: list[int] = field(default_factory=list)  # offset of the first non-space character
    end: list[int] = field(default_factory=list)  # offset after the last non-space character
    raw: list[str] = field(default_factory=list)  # text[start:end]
    content: list[str] = field(default_factory=list)  # raw without a leading list bullet
    low: list[str] = field(default_factory=list)  # content lower-cased
    key: list[str] = field(default_factory=list)  # first word of `low` after leading punctuation ("" if none)
    bullet: list[bool] = field(default_factory=list)  # the line carries a list bullet
    n_chars: list[int] = field(default_factory=list)  # len(content)
    size: list[int] = field(default_factory=list)  # n_chars, doubled for CJK lines (a CJK char says ~2 latin chars)
    n_words: list[int] = field(default_factory=list)  # tokens (CJK: characters / 2; spaces + 1 where stopwords are not counted)
    n_stop: list[int] = field(default_factory=list)  # stopwords (CJK: function characters; 0 where not counted, see split_lines)
    ends_sentence: list[bool] = field(default_factory=list)  # content ends with sentence punctuation
    cjk: list[bool] = field(default_factory=list)  # the line is mostly CJK characters

    def __len__(self) -> int:
        return len(self.raw)

    def stop_density(self, i: int) -> float:
        n = self.n_words[i]
        return self.n_stop[i] / n if n else 0.0


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


def guess_stoplist(text: str, sample_chars: int = 1500) -> frozenset[str]:
    """The stoplist of the language whose stopwords cover most words of a sample of the text."""
    mid = len(text) // 3 if len(text) > sample_chars * 2 else 0
    return _guess_from_words(text[mid : mid + sample_chars].lower().split())


def _guess_from_words(words: list[str]) -> frozenset[str]:
    """English when a fifth of the words are English stopwords (its list is small and exact,
    and several large lists hold English words too); otherwise `_vote`."""
    english = _stopword_index()[1][0]
    if not words or sum(map(english.__contains__, words)) >= _ENGLISH_SHARE * len(words):
        return english
    return _vote(words)


def _vote(words: list[str]) -> frozenset[str]:
    """The stoplist holding most of the words (each word votes for every list holding it)."""
    index, lists = _stopword_index()
    votes = Counter(chain.from_iterable(filter(None, map(index.get, words))))
    return lists[votes.most_common(1)[0][0]] if votes else lists[0]


def _is_cjk_text(text: str) -> bool:
    """True when CJK characters make up a good share of a sample of the text."""
    sample = text[:4000:3]
    if sample.isascii():
        return False
    return len(_CJK_RE.findall(sample)) * 4 > len(sample)


def split_lines(text: str, stoplist: frozenset[str] | None = None) -> Lines:
    """The non-blank lines of `text` with their offsets and features.

    Written column by column with C-level `map`s (a Python statement per line costs more than
    the string work on a typical short line).  Stopwords are counted where the segmenter
    reads them: lines of 80+ characters, and lines of 30+ characters that end a sentence.
    Without a `stoplist` the language is guessed from those lines' words.
    """
    segs = text.split("\n")
    lstripped = list(map(str.lstrip, segs))
    stripped = list(map(str.rstrip, lstripped))
    raws = list(compress(stripped, stripped))
    if not raws:
        return Lines()
    n = len(raws)
    # line i starts after the i "\n"s and the text before it, plus its leading whitespace:
    # start = (sum of len(seg) up to and including it) + i - len(seg.lstrip())
    seg_ends = map(operator.add, accumulate(map(len, segs)), count())
    starts = list(compress(map(operator.sub, seg_ends, map(len, lstripped)), stripped))
    n_chars = list(map(len, raws))
    ends = list(map(operator.add, starts, n_chars))
    contents = raws
    firsts = list(map(_BULLET_CHARS.__contains__, map(operator.itemgetter(0), raws)))
    bullets = firsts
    if any(firsts):
        # "• item": a bullet character, then a space
        seconds = map(str.__getitem__, raws, repeat(_SECOND_CHAR))
        bullets = list(map(operator.and_, firsts, map(" ".__eq__, seconds)))
        contents = raws[:]
        for i in compress(range(n), bullets):
            raw = raws[i]
            if len(raw) >= 200 and raw[0] in _DASHES:
                bullets[i] = False  # a long paragraph after a dash
            else:
                contents[i] = raw[2:].lstrip()
        for i in compress(range(n), map(operator.and_, firsts, map(operator.eq, n_chars, repeat(1)))):
            bullets[i], contents[i] = True, ""  # a bullet alone on its line
        n_chars = list(map(len, contents))
    lows = list(map(str.lower, contents))
    keys = _KEYS_RE.findall("\n" + "\n".join(lows))  # one first word per line
    ends_sentence = list(map(_SENTENCE_END.__contains__, map(operator.itemgetter(-1), raws)))
    for i in compress(range(n), ends_sentence):
        if raws[i][-1] == ")" and raws[i][-2:-1] not in _SENTENCE_END:
            ends_sentence[i] = False
    n_words = list(map(operator.add, map(str.count, contents, repeat(" ")), repeat(1)))
    n_stop = [0] * n
    cjk = [False] * n
    size = n_chars
    cjk_doc = _is_cjk_text(text)
    if cjk_doc:
        size = n_chars[:]
        for i, content in enumerate(contents):
            cjk_chars = len(_CJK_RE.findall(content))
            if cjk_chars * 2 > n_chars[i]:
                cjk[i] = True
                size[i] = 2 * n_chars[i]
                n_words[i] = max(1, cjk_chars // 2)
                n_stop[i] = len(_CJK_FUNCTION_RE.findall(content))
    long_or_sentence = map(operator.and_, map(operator.ge, n_chars, repeat(_MIN_STOP_CHARS)), ends_sentence)
    wordy = list(compress(range(n), map(operator.or_, map(operator.ge, n_chars, repeat(80)), long_or_sentence)))
    if cjk_doc:
        wordy = [i for i in wordy if not cjk[i]]
    # the first _SAMPLE_WORDS words of a line give its stopword density (long paragraphs cost
    # no more than a sentence); split(None, k) leaves the rest of the line as one last item
    word_lists = list(map(str.split, map(lows.__getitem__, wordy), repeat(None), repeat(_SAMPLE_WORDS)))
    scale = []  # per line: words in the line / words sampled
    for i, words in zip(wordy, word_lists):
        if len(words) > _SAMPLE_WORDS:
            total = _SAMPLE_WORDS + words.pop().count(" ") + 1
            n_words[i] = total
            scale.append(total / _SAMPLE_WORDS)
        else:
            n_words[i] = len(words)
            scale.append(1.0)
    # The page is English when a fifth of the sampled words are English stopwords; otherwise
    # the words of the middle lines vote for a language and the lines are counted again.
    lists = _stopword_index()[1]
    chosen = lists[0] if stoplist is None else stoplist
    counts = [sum(map(chosen.__contains__, words)) for words in word_lists]
    if stoplist is None and sum(counts) < _ENGLISH_SHARE * sum(map(len, word_lists)):
        k = len(word_lists)
        sample = list(islice(chain.from_iterable(word_lists[k // 4 :] + word_lists[: k // 4]), _VOTE_WORDS))
        chosen = _vote(sample)
        if chosen is not lists[0]:
            counts = [sum(map(chosen.__contains__, words)) for words in word_lists]
    for i, c, f in zip(wordy, counts, scale):
        n_stop[i] = round(c * f) if f != 1.0 else c
    for i in compress(range(n), map(operator.not_, n_chars)):
        n_words[i] = 0
    return Lines(starts, ends, raws, contents, lows, keys, bullets, n_chars, size, n_words, n_stop, ends_sentence, cjk)
