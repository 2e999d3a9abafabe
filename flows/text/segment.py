"""Label every non-blank line of a page-text dump (headline, body, caption, related list …).

How it works (linear in the number of lines):

1. `lines.split_lines` gives each line offsets and features (length, stopword density in the
   page's guessed language, sentence ending, list bullet); `chrome_patterns.match_start` puts
   lines into families by how they start (related-list headings, comment prompts, credits,
   bylines, timestamps, ads, tags …).
2. Each line gets a body value: long, stopword-rich, sentence-shaped lines are positive in
   proportion to their length; short title-like lines, list items and chrome are negative, and
   each further line of a stretch of non-body lines costs more (menus are runs of short lines).
   Related-list, comment, copyright and credit lines are stops: no body run crosses them.
3. The body is the run of lines with the largest total value (maximum-sum subarray) between
   stops, so sub-headings and one-line paragraphs between paragraphs stay body.  A run after
   the comments heading must be much better to win.  Neighbouring runs join the body when only
   a short inline box ("Related Stories" + two links) separates them and they read as prose; a
   run's tail beyond a cluster of short lines is dropped when it is a teaser list, not prose.
4. The dearer patterns that may match anywhere in a line (captions, copyright, newsletter
   prompts) run on the body lines (re-running step 3 while they change it) and on a window
   around them.  Lines in the run keep their family label (caption, credit, ad …); the lines
   before it give the headline, standfirst, byline, timestamp; the lines after it are credits,
   related items, teasers (headline/lede duplicates), metadata or other chrome.

`hints` from HTML/JSONL readers mark the known title (headline) and the extractor's body
paragraphs (pushed into the body); `site_repeats` lines (chrome repeated across a site's pages)
count against the body.
"""

from __future__ import annotations

import re

from flows.text.chrome_patterns import match_anywhere, match_start
from flows.text.lines import Line, split_lines
from flows.text.model import Block
from flows.text.site_repeats import normalize_line

# Families that end the body outright (a related list, the comments, the legal footer).
_STOP_RULES = frozenset(
    {"related_heading", "comments_pattern", "commenter_says", "copyright_pattern", "credit_pattern", "agency_credit"}
)
# Families whose lines are article parts that may sit inside the body run without breaking it.
_NEUTRAL_LABELS = frozenset({"caption", "credit", "byline", "timestamp", "ad"})
_STOP_VALUE = float("-inf")  # the body run never crosses these lines
# Each further line of an unbroken stretch of non-body lines costs this much more (menus,
# metadata clusters and list separators split the page; one sub-heading does not).
_GAP_STEP = 1.0
_GAP_SPLIT = 4  # this many consecutive non-body lines may end the body (see _cut_list_tails)
_MAX_BOX_LINES = 8  # an inline box between two parts of the body is at most this many lines
_COMMENTS_WEIGHT = 0.2  # a run after the comments heading counts this much when picking the best
_HEADER_LINES = 4  # headline, standfirst, byline, timestamp at most
# Lines around the body whose labels matter enough for the dearer anywhere-patterns.
_WINDOW_BEFORE = 12
_WINDOW_AFTER = 30
_HARD_STOP_RULES = frozenset({"comments_pattern", "commenter_says", "copyright_pattern", "credit_pattern", "agency_credit"})
_DATELINE_RE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’-]{1,40}(?:\([^()]{1,30}\))?\s*(?:[-—–]{1,2}|:)$")
_TITLE_END_BAD = frozenset(".,;:…|")


def _body_value(line: Line, rule: str | None, label: str | None, repeated: bool) -> float:
    """How much a line argues for being in the body (positive) or chrome (negative)."""
    if rule in _STOP_RULES:
        return _STOP_VALUE
    if label in _NEUTRAL_LABELS:
        return -5.0
    n = line.n_chars * 2 if line.cjk else line.n_chars
    if label is not None:
        return -max(30.0, 0.5 * n)
    if repeated:
        return -max(30.0, 0.8 * n)
    sd = line.stop_density
    stop_lo = 0.08 if line.cjk else 0.2
    if n >= 80:
        if sd >= stop_lo + 0.05 or (sd >= stop_lo and line.ends_sentence):
            value = float(n) if line.ends_sentence or n >= 200 else 0.3 * n
        elif sd >= stop_lo - 0.08 and line.ends_sentence:
            value = 0.4 * n
        else:
            value = -0.3 * n
    elif n >= 30 and line.ends_sentence and sd >= stop_lo - 0.05 and line.n_words >= 5:
        value = 0.5 * n
    elif line.ends_sentence and line.n_words >= 3:
        value = -5.0
    else:
        value = -25.0
    if line.bullet and n < 120:
        value -= 20.0
    return value


def _max_run(values: list[float]) -> tuple[int, int]:
    """[start, end) of the contiguous run with the largest sum (Kadane); (0, 0) when none is positive.

    A run never contains a -inf line; every line of a stretch of k consecutive non-positive
    lines weighs (1 + _GAP_STEP * (k - 1)) times its value.
    """
    best, best_a, best_b = 0.0, 0, 0
    cur, cur_a = 0.0, 0
    gap = 0
    for i, v in enumerate(values):
        if v == _STOP_VALUE:
            cur, gap = 0.0, 0
            continue
        if v <= 0:
            gap += 1
            v = min(v, -10.0) * (1.0 + _GAP_STEP * (gap - 1))
        else:
            gap = 0
        if cur <= 0:
            cur, cur_a = v, i
        else:
            cur += v
        if cur > best:
            best, best_a, best_b = cur, cur_a, i + 1
    return best_a, best_b


def _segments(values: list[float]) -> list[tuple[int, int]]:
    """The stretches of lines between stop lines (-inf values)."""
    out, start = [], 0
    for i, v in enumerate(values):
        if v == _STOP_VALUE:
            if i > start:
                out.append((start, i))
            start = i + 1
    if start < len(values):
        out.append((start, len(values)))
    return out


def _cut_list_tails(values: list[float], a: int, b: int, lines: list[Line]) -> tuple[int, int]:
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
    if not _has_paragraph_pair(values, last_end, b, lines):
        b = last_start
    return a, b


def _has_paragraph_pair(values: list[float], a: int, b: int, lines: list[Line]) -> bool:
    """Two consecutive positive lines of 150+ characters together: prose, not a teaser list."""
    for i in range(a, b - 1):
        if (
            values[i] > 0
            and values[i + 1] > 0
            and lines[i].ends_sentence
            and lines[i + 1].ends_sentence
            and lines[i].n_chars + lines[i + 1].n_chars >= 150
        ):
            return True
    return False


def _joins_back(run: tuple[int, int, float], nxt_start: int, hard: bytearray, values: list[float], lines: list[Line]) -> bool:
    """A run just before the body that is its lede, cut off by an inline box: prose, close, no hard stop."""
    a, b, score = run
    if nxt_start - b > _MAX_BOX_LINES or score < 100.0 or any(hard[b:nxt_start]):
        return False
    if _has_paragraph_pair(values, a, b, lines):
        return True
    last = lines[b - 1]
    return last.ends_sentence and last.n_chars >= 150 and values[b - 1] > 0


def _body_runs(values: list[float], hard: bytearray, comments: bytearray, lines: list[Line]) -> list[tuple[int, int]]:
    """The best run, plus neighbouring runs that continue the article past an inline box.

    A related-list heading ends a run; the run after it still belongs to the body when it
    starts within _MAX_BOX_LINES lines, scores well and reads as prose (two consecutive
    paragraphs).  Comment, copyright and credit lines (`hard`) are never crossed.
    """
    segs = [(sa, sb, *_max_run(values[sa:sb])) for sa, sb in _segments(values)]
    runs = [(sa + ra, sa + rb, sum(values[sa + ra : sa + rb])) for sa, sb, ra, rb in segs if rb > ra]
    if not runs:
        return []
    first_comment = next((i for i, c in enumerate(comments) if c), len(values))
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
        return _has_paragraph_pair(values, a, b, lines)

    k = best_k + 1
    while k < len(runs) and joins(chosen[-1][1], runs[k]):
        chosen.append(runs[k])
        k += 1
    k = best_k - 1
    while k >= 0 and _joins_back(runs[k], chosen[0][0], hard, values, lines):
        chosen.insert(0, runs[k])
        k -= 1
    return [_cut_list_tails(values, a, b, lines) for a, b, _ in chosen]


def _is_title_like(line: Line) -> bool:
    return (
        not line.bullet
        and (4 <= line.n_words <= 30 or (line.n_words == 3 and not any(map(str.isdigit, line.content))))
        and (6 if line.cjk else 15) <= line.n_chars <= 250
        and line.content[-1] not in _TITLE_END_BAD
        and not line.content.endswith("...")
    )


def _hint_lines(hints: dict | None) -> tuple[str, frozenset[str]]:
    if not hints:
        return "", frozenset()
    title = normalize_line(hints.get("title") or "")
    body = hints.get("body") or ""
    paras = frozenset(p for p in (normalize_line(x) for x in body.split("\n")) if len(p) >= 20)
    return title, paras


def segment(text: str, *, hints: dict | None = None, site_repeats: frozenset[str] = frozenset()) -> list[Block]:
    """One Block per non-blank line of `text`, in order, labelled (see module docstring)."""
    lines = split_lines(text)
    if not lines:
        return []
    hint_title, hint_body = _hint_lines(hints)
    norms = [normalize_line(ln.content) for ln in lines] if (site_repeats or hint_title or hint_body) else None
    lows = [ln.content.lower() for ln in lines]
    matches = [match_start(low) if 0 < len(low) <= 300 else None for low in lows]
    values: list[float] = []
    for i, ln in enumerate(lines):
        m = matches[i]
        label, rule = (m if m is not None else (None, None))
        repeated = norms is not None and norms[i] in site_repeats
        v = _body_value(ln, rule, label, repeated)
        if norms is not None and norms[i] in hint_body and v != _STOP_VALUE:
            v = max(abs(v), 25.0) + 50.0  # the reader's extractor kept this line
        values.append(v)

    # Patterns that may match anywhere in a line are dearer: run them on the lines of the best
    # run (re-running the run search while they change it), then on a window around it.
    checked = bytearray(len(lines))

    def check(i: int) -> bool:
        checked[i] = 1
        ln = lines[i]
        if matches[i] is not None or not ln.content:
            return False
        m = match_anywhere(ln.content, lows[i])
        if m is None:
            return False
        matches[i] = m
        new = _body_value(ln, m[1], m[0], False)
        changed = new != values[i]
        values[i] = new
        return changed

    n = len(lines)
    hard = bytearray(n)
    comments = bytearray(n)
    for i, m in enumerate(matches):
        if m is not None and m[1] in _HARD_STOP_RULES:
            hard[i] = 1
            comments[i] = m[0] == "comments"
    while True:
        runs = _body_runs(values, hard, comments, lines)
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
        lo = max(0, a - 12)
        for i in range(a - 1, lo - 1, -1):
            if matches[i] is None and _is_title_like(lines[i]):
                headline = i
        if headline < 0:
            for i in range(0, a):
                if matches[i] is None and _is_title_like(lines[i]):
                    headline = i
                    break
    for i in range(0, a):
        m = matches[i]
        if i == headline:
            labels[i], rules[i], confs[i] = "headline", "hint_title" if hint_title else "title_before_body", 0.7
        elif m is not None:
            labels[i], rules[i] = m
            confs[i] = 0.8
        elif _DATELINE_RE.match(lines[i].content):
            labels[i], rules[i], confs[i] = "dateline", "dateline_line", 0.7
        elif headline >= 0 and i > headline and lines[i].n_words >= 6 and labels[i] == "other" and not lines[i].bullet:
            if "standfirst" not in labels[headline:i]:
                labels[i], rules[i], confs[i] = "standfirst", "summary_after_headline", 0.6
            else:
                labels[i], rules[i] = "other", "before_body"
        elif lines[i].n_words <= 4 or lines[i].bullet:
            labels[i], rules[i] = "navigation", "short_before_body"
        else:
            labels[i], rules[i] = "other", "before_body"

    # --- after the run: credits, related lists, teasers, metadata -----------------------------
    head_norm = normalize_line(lines[headline].content) if headline >= 0 else ""
    head_len = lines[headline].n_chars if headline >= 0 else -99
    body_low = " ".join(lows[i] for i in range(a, min(b, a + 3)) if labels[i] == "body")
    body_norm = normalize_line(body_low) if body_low else ""
    section = ""  # "related" / "comments" once such a heading has been passed
    tag_values = {
        normalize_line(lines[i].content.split(":", 1)[-1]) for i in range(n) if matches[i] is not None and matches[i][0] == "tags"
    }
    for i in range(b, n):
        m = matches[i]
        ln = lines[i]
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
        low = lows[i]
        maybe_lede = ln.n_words >= 8 and low[:30] in body_low
        norm = normalize_line(ln.content) if (maybe_lede or abs(ln.n_chars - head_len) <= 3 or (tag_values and ln.n_chars <= 120)) else ""
        if head_norm and norm == head_norm:
            labels[i], rules[i], confs[i] = "teaser", "headline_duplicate", 0.9
        elif maybe_lede and body_norm and " ".join(norm.split()[:8]) in body_norm:
            labels[i], rules[i], confs[i] = "teaser", "lede_duplicate", 0.8
            if i > b and matches[i - 1] is None and lines[i - 1].n_words <= 4:  # the teaser box's label
                labels[i - 1], rules[i - 1], confs[i - 1] = "teaser", "teaser_label", 0.6
        elif norm and norm in tag_values:
            labels[i], rules[i], confs[i] = "tags", "tags_repeated", 0.7
        elif section:
            labels[i], rules[i], confs[i] = section, f"after_{section}_heading", 0.7
        elif ln.n_words <= 4 or ln.bullet:
            labels[i], rules[i] = "navigation", "short_after_body"
        else:
            labels[i], rules[i] = "other", "after_body"
    # after the body, items stamped "2 days ago" are a teaser list: its titles and sections too
    if sum(1 for i in range(b, n) if rules[i] == "relative_time") >= 2:
        for i in range(b, n):
            if rules[i] in ("after_body", "short_after_body", "relative_time"):
                labels[i], rules[i], confs[i] = "related", "dated_teaser_list", 0.6
    # headline duplicates before the body are teasers too
    if head_norm:
        for i in range(0, a):
            if (
                i != headline
                and abs(lines[i].n_chars - head_len) <= 3
                and labels[i] in ("other", "standfirst")
                and normalize_line(lines[i].content) == head_norm
            ):
                labels[i], rules[i], confs[i] = "teaser", "headline_duplicate", 0.9

    return [
        Block(
            block_index=i,
            char_start=ln.start,
            char_end=ln.end,
            text=ln.raw,
            label=labels[i],
            rule=rules[i],
            confidence=confs[i],
        )
        for i, ln in enumerate(lines)
    ]
