"""Label every non-blank line of a page-text dump (headline, body, caption, related list …).

How it works (linear in the number of lines):

1. `lines.split_lines` gives each line offsets and features (length, stopword density in the
   page's guessed language, sentence ending, list bullet); `chrome_patterns.match_start` puts
   lines into families by how they start (related-list headings, comment prompts, credits,
   bylines, timestamps, ads, tags …).
2. Each line gets a body value: long, stopword-rich, sentence-shaped lines are positive in
   proportion to their length; short title-like lines, list items and chrome are negative, and
   each further line of a stretch of non-body lines costs more (menus are runs of short lines).
   A long line that ends no sentence counts as a paragraph unless digits crowd it (a contact or
   listing block).  Related-list, comment, copyright and credit lines are stops: no body run
   crosses them; so is a short line repeated after paragraphs through the page (a share bar
   after every item of a quote or teaser collection) and the heading above its first item.
3. The body is the run of lines with the largest total value (maximum-sum subarray) between
   stops, so sub-headings and one-line paragraphs between paragraphs stay body.  A run after
   the comments heading must be much better to win.  Neighbouring runs join the body when only
   a short inline box ("Related Stories" + two links) separates them and they read as prose; a
   run's tail beyond a cluster of short lines is dropped when it is a teaser list, not prose.
4. The dearer patterns that may match anywhere in a line (captions, copyright, newsletter
   prompts) run on the body lines (re-running step 3 while they change it) and on a window
   around them.  Lines in the run keep their family label (caption, credit, ad …); the lines
   before it give the headline (the nearest title-like line that heads the byline/timestamp
   above the body, else the highest title-like line), standfirst, byline, timestamp; the lines
   after it are credits, related items, teasers (headline/lede duplicates), metadata or chrome.

Speed: the per-line features are computed column by column with C-level `map`s, family
matching is dispatched on the line's first word, and the run search uses prefix sums.

`hints` from HTML/JSONL readers mark the known title (headline) and the extractor's body
paragraphs (pushed into the body); `site_repeats` lines (chrome repeated across a site's pages)
count against the body.
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from itertools import accumulate, chain, compress, repeat

from flows.text.chrome_patterns import PREFIX_KEYS, START_KEYS, WHOLE_LINE_MAX, match_anywhere, match_start, may_match_start
from flows.text.lines import Lines, split_lines
from flows.text.model import Block
from flows.text.site_repeats import normalize_line

# Families that end the body outright (a related list, the comments, the legal footer).
_STOP_RULES = frozenset(
    {
        "related_heading", "comments_pattern", "commenter_says", "copyright_pattern", "credit_pattern", "agency_credit",
        "page_repeat", "item_list_heading",
    }
)
_DIGIT_SHARE = 0.03  # a long non-sentence line with more digits than this is a contact/listing block
_REPEAT_MIN = 3  # a line seen this many times on the page is a repeated separator ...
_REPEAT_MAX_CHARS = 80  # ... when it is at most this long
# Families whose lines are article parts that may sit inside the body run without breaking it.
_NEUTRAL_LABELS = frozenset({"caption", "credit", "byline", "timestamp", "ad"})
_STOP_VALUE = float("-inf")  # the body run never crosses these lines
_GAP_SPLIT = 4  # this many consecutive non-body lines may end the body (see _cut_list_tails)
_MAX_BOX_LINES = 8  # an inline box between two parts of the body is at most this many lines
_COMMENTS_WEIGHT = 0.2  # a run after the comments heading counts this much when picking the best
_HEADER_LINES = 4  # headline, standfirst, byline, timestamp at most
_DIGIT_RE = re.compile(r"\d")
_META_MARKS = ("@", "/", "·", "|", "•", "©")
_HEADLINE_WINDOW = 12  # the headline is looked for this many lines above the body
_HEADER_PART_LABELS = frozenset({"byline", "timestamp", "caption", "dateline", "navigation", "ad", "tags"})
# Lines around the body whose labels matter enough for the dearer anywhere-patterns.
_WINDOW_BEFORE = 12
_WINDOW_AFTER = 8
_HARD_STOP_RULES = frozenset({"comments_pattern", "commenter_says", "copyright_pattern", "credit_pattern", "agency_credit"})
_DATELINE_RE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’-]{1,40}(?:\([^()]{1,30}\))?\s*(?:[-—–]{1,2}|:)$")
_DATELINE_ENDS = frozenset("-—–:")
_LIST_MARKS = frozenset(c + " " for c in "•·▪◦●■□►▸‣⁃-–—*+")
_TITLE_END_BAD = frozenset(".,;:…|")
_DIGIT_CHARS = frozenset("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९０１２３４５６７８９")
_FIRST_CHAR = slice(0, 1)


def _body_value(L: Lines, i: int, rule: str | None, label: str | None, repeated: bool) -> float:
    """How much line i argues for being in the body (positive) or chrome (negative)."""
    if rule in _STOP_RULES:
        return _STOP_VALUE
    if label in _NEUTRAL_LABELS:
        return -5.0
    if label is not None:
        return -max(30.0, 0.5 * L.size[i])
    if repeated:
        return -max(30.0, 0.8 * L.size[i])
    return _text_value(L.size[i], L.n_words[i], L.n_stop[i], L.ends_sentence[i], L.bullet[i], L.cjk[i])


def _text_value(
    n: int, n_words: int, n_stop: int, ends: bool, bullet: bool, cjk: bool, digit_heavy: bool = False
) -> float:
    """Body value of a line that matched no family: long, stopword-rich sentences score.

    A long line that ends no sentence still reads as a paragraph unless it is `digit_heavy`
    (phone numbers, addresses, prices: a contact or listing block)."""
    if n >= 30:
        sd = n_stop / n_words if n_words else 0.0
        stop_lo = 0.08 if cjk else 0.2
        if n >= 80:
            if sd >= stop_lo + 0.05 or (sd >= stop_lo and ends):
                value = float(n) if ends or (n >= 200 and not digit_heavy) else 0.3 * n
            elif sd >= stop_lo - 0.08 and ends:
                value = 0.4 * n
            else:
                value = -0.3 * n
        elif ends and sd >= stop_lo - 0.05 and n_words >= 5:
            value = 0.5 * n
        elif ends and n_words >= 3:
            value = -5.0
        else:
            value = -25.0
    elif ends and n_words >= 3:
        value = -5.0
    else:
        value = -25.0
    if bullet and n < 120:
        value -= 20.0
    return value


def _weighted(values: list[float]) -> list[float]:
    """Values with gap weights: the k-th line of a stretch of non-positive lines weighs k times
    its value (at least 10), so menus and list separators split the page and one sub-heading
    does not.  Stop lines stay -inf."""
    w = values[:]
    seps = []
    for i in compress(range(len(values)), map(operator.gt, values, repeat(-10.0))):
        if values[i] > 0.0:
            seps.append(i)
        else:
            w[i] = -10.0
    if _STOP_VALUE in values:
        seps = sorted(seps + list(compress(range(len(values)), map(operator.eq, values, repeat(_STOP_VALUE)))))
    prev = 0
    for i in chain(seps, (len(values),)):
        if i - prev > 1:
            w[prev:i] = map(operator.mul, w[prev:i], range(1, i - prev + 1))
        prev = i + 1
    return w


def _max_run(w: list[float], sa: int, sb: int) -> tuple[int, int]:
    """[start, end) of the run of w[sa:sb] with the largest sum; (sa, sa) when none is positive.

    Prefix sums minus their running minimum give the best sum ending at each line (Kadane's
    algorithm in C-level passes); ties go to the earliest end and the latest start.
    """
    prefix = list(accumulate(w[sa:sb], initial=0.0))
    low = list(accumulate(prefix, min))
    gain = list(map(operator.sub, prefix, low))
    best = max(gain)
    if best <= 0.0:
        return sa, sa
    end = gain.index(best)
    start = end - prefix[end::-1].index(low[end])
    return sa + start, sa + end


def _segments(values: list[float]) -> list[tuple[int, int]]:
    """The stretches of lines between stop lines (-inf values)."""
    if _STOP_VALUE not in values:
        return [(0, len(values))]
    out, start = [], 0
    for i in compress(range(len(values)), map(operator.eq, values, repeat(_STOP_VALUE))):
        if i > start:
            out.append((start, i))
        start = i + 1
    if start < len(values):
        out.append((start, len(values)))
    return out


def _cut_list_tails(values: list[float], a: int, b: int, L: Lines) -> tuple[int, int]:
    """Drop a run's tail beyond a gap of _GAP_SPLIT non-body lines when it is not prose.

    A teaser list (one sentence per item between titles or separators) after a cluster of
    short lines is chrome; text with two consecutive paragraphs beyond the gap stays.
    """
    gaps: list[tuple[int, int]] = []
    k = 0
    for i in range(a, b):
        if values[i] <= 0:
            k += 1
        else:
            if k >= _GAP_SPLIT:
                gaps.append((i - k, i))
            k = 0
    if not gaps:
        return a, b
    last_start, last_end = gaps[-1]
    if not _has_paragraph_pair(values, last_end, b, L):
        b = last_start
    return a, b


def _cut_list_head(values: list[float], a: int, b: int, L: Lines) -> tuple[int, int]:
    """Drop a run's head before its first gap of _GAP_SPLIT non-body lines when the head is a
    list: most of its paragraphs carry a list marker ("- ", "• "), as teaser items do."""
    k = 0
    for i in range(a, b):
        if values[i] <= 0:
            k += 1
            continue
        if k >= _GAP_SPLIT and i - k > a:
            heads = [j for j in range(a, i - k) if values[j] > 0]
            marked = sum(1 for j in heads if L.raw[j][:2] in _LIST_MARKS)
            if len(heads) >= 3 and marked >= 0.6 * len(heads):
                return i, b
            return a, b
        k = 0
    return a, b


def _has_paragraph_pair(values: list[float], a: int, b: int, L: Lines) -> bool:
    """Two consecutive positive lines of 150+ characters together: prose, not a teaser list."""
    ends, n_chars = L.ends_sentence, L.n_chars
    for i in range(a, b - 1):
        if (
            values[i] > 0
            and values[i + 1] > 0
            and ends[i]
            and ends[i + 1]
            and n_chars[i] + n_chars[i + 1] >= 150
        ):
            return True
    return False


def _joins_back(run: tuple[int, int, float], nxt_start: int, hard: bytearray, values: list[float], L: Lines) -> bool:
    """A run just before the body that is its lede, cut off by an inline box: prose, close, no hard stop."""
    a, b, score = run
    if nxt_start - b > _MAX_BOX_LINES or score < 100.0 or any(hard[b:nxt_start]):
        return False
    if _has_paragraph_pair(values, a, b, L):
        return True
    return L.ends_sentence[b - 1] and L.n_chars[b - 1] >= 150 and values[b - 1] > 0


def _body_runs(values: list[float], hard: bytearray, comments: bytearray, L: Lines) -> list[tuple[int, int]]:
    """The best run, plus neighbouring runs that continue the article past an inline box.

    A related-list heading ends a run; the run after it still belongs to the body when it
    starts within _MAX_BOX_LINES lines, scores well and reads as prose (two consecutive
    paragraphs).  Comment, copyright and credit lines (`hard`) are never crossed.
    """
    w = _weighted(values)
    spans = [_max_run(w, sa, sb) for sa, sb in _segments(values) if max(values[sa:sb]) > 0.0]
    runs = [(ra, rb, sum(values[ra:rb])) for ra, rb in spans if rb > ra]
    if not runs:
        return []
    first_comment = comments.find(1) if 1 in comments else len(values)
    # text after the comments heading is readers' talk: it must be far better to win
    weight = [1.0 if a < first_comment else _COMMENTS_WEIGHT for a, _, _ in runs]
    best_k = max(range(len(runs)), key=lambda k: runs[k][2] * weight[k])
    best = runs[best_k][2]
    chosen = [runs[best_k]]

    def joins(prev_end: int, nxt: tuple[int, int, float]) -> bool:
        a, b, score = nxt
        if a - prev_end > _MAX_BOX_LINES or score < max(150.0, 0.15 * best):
            return False
        if any(hard[prev_end:a]):
            return False
        return _has_paragraph_pair(values, a, b, L)

    k = best_k + 1
    while k < len(runs) and joins(chosen[-1][1], runs[k]):
        chosen.append(runs[k])
        k += 1
    k = best_k - 1
    while k >= 0 and _joins_back(runs[k], chosen[0][0], hard, values, L):
        chosen.insert(0, runs[k])
        k -= 1
    return [_cut_list_head(values, *_cut_list_tails(values, a, b, L), L) for a, b, _ in chosen]


def _start_candidates(text: str, lows: list[str], keys: list[str]) -> list[int]:
    """Lines `match_start` may label (the test of `may_match_start`, in C-level passes)."""
    firsts = map(str.__getitem__, keys, repeat(_FIRST_CHAR))
    hits = map(operator.or_, map(START_KEYS.__contains__, keys), map(_DIGIT_CHARS.__contains__, firsts))
    hits = map(operator.or_, hits, map(str.endswith, lows, repeat(":")))
    out = []
    for i in compress(range(len(keys)), hits):
        k = len(lows[i])
        if k <= WHOLE_LINE_MAX or (k <= 300 and (keys[i] in PREFIX_KEYS or keys[i][:1] in _DIGIT_CHARS)):
            out.append(i)
        elif k <= 90:  # "… said:" (a commenter line)
            out.append(i)
    if "©" in text:
        out = sorted(set(out).union(i for i, k in enumerate(keys) if not k and may_match_start(lows[i], k)))
    return out


def _is_title_like(L: Lines, i: int) -> bool:
    content, n_words = L.content[i], L.n_words[i]
    return (
        not L.bullet[i]
        and (4 <= n_words <= 30 or (n_words == 3 and not any(map(str.isdigit, content))))
        and (6 if L.cjk[i] else 15) <= L.n_chars[i] <= 250
        and content[-1] not in _TITLE_END_BAD
        and not content.endswith("...")
    )


def _headline_above(L: Lines, matches: list[tuple[str, str] | None], a: int) -> int:
    """The headline among the title-like lines of the _HEADLINE_WINDOW lines above the body at a.

    The nearest title-like line that heads the article (the lines between it and the body are
    a byline, timestamp or dateline and maybe a caption, a standfirst sentence or menu words) wins, or
    the shorter title-like line right above it when that one is its standfirst: a site name or
    a menu line that reads like a title sits higher up.  A duplicate of a higher
    candidate leaves the headline at the first copy.  Without such a line: the highest
    candidate.  -1 when there is none.
    """
    lo = max(0, a - _HEADLINE_WINDOW)
    cands = [i for i in range(lo, a) if matches[i] is None and _is_title_like(L, i) and not _is_metadata_like(L.content[i])]
    if not cands:
        return -1
    for i in reversed(cands):
        if _heads_article(L, matches, i, a):
            if i - 1 in cands and L.n_chars[i] > L.n_chars[i - 1] and L.n_words[i] > L.n_words[i - 1]:
                i -= 1  # i was the standfirst under a shorter headline (a site name is not above it)
            else:
                # a share bar or caption under the date: the (longer) title is above the date lines
                j = i - 1
                while j >= lo and (
                    (matches[j] is not None and matches[j][0] in ("timestamp", "byline", "dateline"))
                    or (matches[j] is None and _is_metadata_like(L.content[j]))
                ):
                    j -= 1
                if j < i - 1 and j in cands and L.n_words[j] > L.n_words[i]:
                    i = j
            low = L.low[i]
            return next((j for j in cands if j < i and L.low[j] == low), i)
    return cands[0]


def _is_metadata_like(content: str) -> bool:
    """A date, a byline with a handle or a photo credit rather than a title: several digits or
    a separator ("@", " / ", "·", "|", "•")."""
    return len(_DIGIT_RE.findall(content)) >= 4 or any(map(content.__contains__, _META_MARKS))


def _heads_article(L: Lines, matches: list[tuple[str, str] | None], i: int, a: int) -> bool:
    """Only article-header lines lie between line i and the body start a (at most 4 of them),
    among them a byline, timestamp, dateline or credit line."""
    if a - i - 1 > _HEADER_LINES:
        return False
    marked = False
    for j in range(i + 1, a):
        m = matches[j]
        if m is not None:
            if m[0] not in _HEADER_PART_LABELS:
                return False
            marked = marked or m[0] in ("byline", "timestamp", "dateline")
        elif _DATELINE_RE.match(L.content[j]) or _is_metadata_like(L.content[j]):
            marked = True
        elif (
            L.n_words[j] <= 3
            or (L.ends_sentence[j] and L.n_words[j] >= 6)
        ):
            continue  # a section word, a standfirst sentence
        else:
            return False
    return marked


def _hint_lines(hints: dict | None) -> tuple[str, frozenset[str]]:
    if not hints:
        return "", frozenset()
    title = normalize_line(hints.get("title") or "")
    body = hints.get("body") or ""
    paras = frozenset(p for p in (normalize_line(x) for x in body.split("\n")) if len(p) >= 20)
    return title, paras


def segment(text: str, *, hints: dict | None = None, site_repeats: frozenset[str] = frozenset()) -> list[Block]:
    """One Block per non-blank line of `text`, in order, labelled (see module docstring)."""
    L = split_lines(text)
    n = len(L)
    if not n:
        return []
    hint_title, hint_body = _hint_lines(hints)
    norms = [normalize_line(c) for c in L.content] if (site_repeats or hint_title or hint_body) else None
    lows, keys = L.low, L.key
    size, n_words, n_stop, ends, bullet, cjk = L.size, L.n_words, L.n_stop, L.ends_sentence, L.bullet, L.cjk
    matches: list[tuple[str, str] | None] = [None] * n
    values: list[float] = [0.0] * n
    # the text value of every line (short lines: a fixed penalty), then the family matches
    for i in compress(range(n), map(operator.ge, size, repeat(30))):
        digit_heavy = not ends[i] and size[i] >= 200 and sum(map(str.isdigit, L.content[i])) > _DIGIT_SHARE * size[i]
        values[i] = _text_value(size[i], n_words[i], n_stop[i], ends[i], bullet[i], cjk[i], digit_heavy)
    short = list(map(operator.lt, size, repeat(30)))
    values = [-25.0 if x else v for x, v in zip(short, values)]
    for i in compress(range(n), map(operator.and_, short, ends)):
        if n_words[i] >= 3:
            values[i] = -5.0
    if any(bullet):
        for i in compress(range(n), map(operator.and_, short, bullet)):
            values[i] -= 20.0
    for i in _start_candidates(text, lows, keys):
        m = match_start(lows[i], keys[i])
        if m is not None:
            matches[i] = m
            values[i] = _body_value(L, i, m[1], m[0], False)
    # a short non-sentence line repeated through the page (share buttons, "Read more") separates
    # list items: it ends a run like a related-list heading (runs with prose on both sides rejoin)
    # (a repeated menu is not: it counts only where it follows a paragraph at least 3 times)
    after_par = Counter(
        lows[i] for i in compress(range(1, n), map(operator.gt, values, repeat(0.0))) if len(lows[i]) <= _REPEAT_MAX_CHARS
    )
    for low in [x for x, c in after_par.items() if c >= _REPEAT_MIN]:
        where = [i for i in compress(range(n), map(low.__eq__, lows)) if matches[i] is None and not ends[i]]
        key = keys[where[0]] if where else ""
        if len(where) < _REPEAT_MIN or not key.strip("_-") or key[0].isdigit():
            continue
        for i in where:
            matches[i] = ("navigation", "page_repeat")
            values[i] = _STOP_VALUE
        # the short line above the first item is the list's heading: it ends a run too
        h = where[0] - 2
        if h >= 0 and values[h] <= 0 and values[h] != _STOP_VALUE and matches[h] is None:
            matches[h] = ("related", "item_list_heading")
            values[h] = _STOP_VALUE
    if norms is not None:
        for i in range(n):
            if matches[i] is None and norms[i] in site_repeats:
                values[i] = -max(30.0, 0.8 * size[i])
            if norms[i] in hint_body and values[i] != _STOP_VALUE:
                values[i] = max(abs(values[i]), 25.0) + 50.0  # the reader's extractor kept this line

    # Patterns that may match anywhere in a line are dearer: run them on the lines of the best
    # run (re-running the run search while they change it), then on a window around it.
    checked = bytearray(n)
    contents = L.content

    def check(i: int) -> bool:
        checked[i] = 1
        if matches[i] is not None or not lows[i]:
            return False
        m = match_anywhere(contents[i], lows[i])
        if m is None:
            return False
        matches[i] = m
        new = _body_value(L, i, m[1], m[0], False)
        changed = new != values[i]
        values[i] = new
        return changed

    hard = bytearray(n)
    comments = bytearray(n)
    for i, m in enumerate(matches):
        if m is not None and m[1] in _HARD_STOP_RULES:
            hard[i] = 1
            comments[i] = m[0] == "comments"
    while True:
        runs = _body_runs(values, hard, comments, L)
        changed = False
        for ra, rb in runs:
            for i in range(ra, rb):
                if not checked[i] and check(i):
                    changed = True
                    if matches[i][1] in _HARD_STOP_RULES:
                        hard[i] = 1
                        comments[i] = matches[i][0] == "comments"
        if not changed:
            break
    a, b = (runs[0][0], runs[-1][1]) if runs else (0, 0)
    for i in range(max(0, a - _WINDOW_BEFORE), min(n, b + _WINDOW_AFTER)):
        if not checked[i]:
            check(i)

    labels: list[str] = ["other"] * n
    rules: list[str] = ["default"] * n
    confs: list[float] = [0.5] * n

    # --- the body runs ------------------------------------------------------------------------
    trimmed = []
    if runs:
        # a headline/standfirst that opened the first run ends at the byline/timestamp under it
        ra, rb = runs[0]
        for j in range(min(ra + _HEADER_LINES, rb) - 1, ra - 1, -1):
            m = matches[j]
            if m is not None and m[0] in ("byline", "timestamp") and j + 1 < rb:
                runs[0] = (j + 1, rb)
                break
    for ra, rb in runs:
        for i in range(ra, rb):
            m = matches[i]
            if m is not None:
                labels[i], rules[i] = m
                confs[i] = 0.8
            elif norms is not None and norms[i] in site_repeats:
                labels[i], rules[i], confs[i] = "navigation", "site_repeat", 0.8
            else:
                labels[i], rules[i] = "body", "max_run"
                confs[i] = 0.9 if values[i] > 0 else 0.6
        # trim non-sentence short lines off the ends of the run (they came in with a neighbour)
        while ra < rb and labels[ra] == "body" and values[ra] < 0:
            labels[ra], rules[ra] = "other", "run_edge"
            ra += 1
        while rb > ra and labels[rb - 1] == "body" and values[rb - 1] < 0:
            labels[rb - 1], rules[rb - 1] = "other", "run_edge"
            rb -= 1
        trimmed.append((ra, rb))
    # lines between two runs: the inline box
    for (_, pb), (na, _) in zip(trimmed, trimmed[1:]):
        for i in range(pb, na):
            m = matches[i]
            if m is not None:
                labels[i], rules[i], confs[i] = m[0], m[1], 0.8
            elif labels[i] in ("other", "body"):
                labels[i], rules[i], confs[i] = "related", "inline_box", 0.6
    a, b = (trimmed[0][0], trimmed[-1][1]) if trimmed else (0, 0)

    # --- before the run: headline, standfirst, byline, timestamp, dateline --------------------
    headline = -1
    if hint_title:
        for i in range(n):
            if norms is not None and norms[i] == hint_title:
                headline = i
                break
    if headline < 0:
        headline = _headline_above(L, matches, a)
        if headline < 0:
            for i in range(0, a):
                if matches[i] is None and _is_title_like(L, i):
                    headline = i
                    break
    for i in range(0, a):
        m = matches[i]
        if i == headline:
            labels[i], rules[i], confs[i] = "headline", "hint_title" if hint_title else "title_before_body", 0.7
        elif m is not None:
            labels[i], rules[i] = m
            confs[i] = 0.8
        elif contents[i][-1:] in _DATELINE_ENDS and _DATELINE_RE.match(contents[i]):
            labels[i], rules[i], confs[i] = "dateline", "dateline_line", 0.7
        elif headline >= 0 and i > headline and n_words[i] >= 6 and labels[i] == "other" and not bullet[i]:
            if "standfirst" not in labels[headline:i]:
                labels[i], rules[i], confs[i] = "standfirst", "summary_after_headline", 0.6
            else:
                labels[i], rules[i] = "other", "before_body"
        elif n_words[i] <= 4 or bullet[i]:
            labels[i], rules[i] = "navigation", "short_before_body"
        else:
            labels[i], rules[i] = "other", "before_body"

    # --- after the run: credits, related lists, teasers, metadata -----------------------------
    n_chars = L.n_chars
    head_norm = normalize_line(contents[headline]) if headline >= 0 else ""
    head_len = n_chars[headline] if headline >= 0 else -99
    head_key = keys[headline] if headline >= 0 else ""
    body_low = " ".join(lows[i] for i in range(a, min(b, a + 3)) if labels[i] == "body")
    body_norm: str | None = None  # normalised at the first lede-like line (most pages have none)
    section = ""  # "related" / "comments" once such a heading has been passed
    tag_lines = [contents[i].split(":", 1)[-1] for i in compress(range(n), matches) if matches[i][0] == "tags"]
    tag_values = {normalize_line(x) for x in tag_lines}
    tag_lens = {len(x.strip()) for x in tag_lines}
    for i in range(b, n):
        m = matches[i]
        if m is not None:
            label, rule = m
            if rule == "related_heading":
                section = "related"
            elif label == "comments":
                section = "comments"
            elif label in ("timestamp", "metadata", "byline") and section:
                label, rule = section, f"{section}_{label}"
            elif label == "timestamp":
                label, rule = "metadata", "date_after_body"
            labels[i], rules[i], confs[i] = label, rule, 0.8
            continue
        maybe_lede = n_words[i] >= 8 and lows[i][:30] in body_low
        norm = (
            normalize_line(contents[i])
            if (
                maybe_lede
                or (abs(n_chars[i] - head_len) <= 3 and keys[i] == head_key)
                or (tag_lens and any(abs(n_chars[i] - k) <= 3 for k in tag_lens))
            )
            else ""
        )
        if maybe_lede and body_norm is None:
            body_norm = normalize_line(body_low) if body_low else ""
        if head_norm and norm == head_norm:
            labels[i], rules[i], confs[i] = "teaser", "headline_duplicate", 0.9
        elif maybe_lede and body_norm and " ".join(norm.split()[:8]) in body_norm:
            labels[i], rules[i], confs[i] = "teaser", "lede_duplicate", 0.8
            if i > b and matches[i - 1] is None and n_words[i - 1] <= 4:  # the teaser box's label
                labels[i - 1], rules[i - 1], confs[i - 1] = "teaser", "teaser_label", 0.6
        elif norm and norm in tag_values:
            labels[i], rules[i], confs[i] = "tags", "tags_repeated", 0.7
        elif section:
            labels[i], rules[i], confs[i] = section, f"after_{section}_heading", 0.7
        elif n_words[i] <= 4 or bullet[i]:
            labels[i], rules[i] = "navigation", "short_after_body"
        else:
            labels[i], rules[i] = "other", "after_body"
    # after the body, items stamped "2 days ago" are a teaser list: its titles and sections too
    if rules.count("relative_time") >= 2 and sum(1 for i in range(b, n) if rules[i] == "relative_time") >= 2:
        for i in range(b, n):
            if rules[i] in ("after_body", "short_after_body", "relative_time"):
                labels[i], rules[i], confs[i] = "related", "dated_teaser_list", 0.6
    # headline duplicates before the body are teasers too
    if head_norm:
        for i in range(0, a):
            if (
                i != headline
                and abs(n_chars[i] - head_len) <= 3
                and keys[i] == head_key
                and labels[i] in ("other", "standfirst")
                and normalize_line(contents[i]) == head_norm
            ):
                labels[i], rules[i], confs[i] = "teaser", "headline_duplicate", 0.9

    return list(map(Block, range(n), L.start, L.end, L.raw, labels, rules, confs))
