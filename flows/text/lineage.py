"""Article lineage, pure parts: per-article signatures, the pairwise relation, and link rows.

Every decision here depends on the two articles of a pair only (never on the rest of the corpus), so
linking a warehouse in increments gives exactly what linking it in one go gives; `flows.link` keeps
the index and applies these pieces to new documents.

* `article_signature`: sorted 32-bit word-5-shingle hashes, `N_BANDS` MinHash band keys (`BAND_ROWS`
  minima each: near-copies share a band with high probability), a fixed 1-in-4 sample of the shingles
  and the article's top `N_KEYWORDS` content words (weight (1 + ln tf), x1.5 when written capitalised
  mid-sentence, i.e. entity-like).
  `article_signatures` gives the same signatures for many articles at once (numpy over a chunk).
* `is_near_copy`: the copy test between articles sharing a band (``syndicated_copy`` below).
* `compare`: exact comparison (shared shingles, containment, the longest shared phrase and, when it
  can decide, paraphrase alignment: sentences of the shorter article pairing one-to-one with a sentence
  of the other sharing >= 65 % of the smaller sentence's content words), classified as

  - ``syndicated_copy``: containment >= 0.7 (rule ``near_duplicate``), or both credit the same wire
    agency and containment >= 0.4 (rule ``same_agency_overlap``);
  - ``derived_rewrite``: containment >= 0.3 without that credit (rule ``partial_copy``), or shared
    phrases in >= 3 separate passages plus >= 3 and >= 40 % of the shorter article's sentences
    aligned (rule ``paraphrase_alignment``);
  - ``same_story``: otherwise, when the weighted keyword overlap is >= 0.3, >= 5 keywords (>= 2
    entity-like) are shared and the dates (when both known) are within `STORY_WINDOW_DAYS`
    (rule ``shared_keywords``).
* `sort_key`: the order that picks a group's canonical member: earliest date, then earliest timestamp
  (unknown last), then the smallest article id.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
import regex

from flows.text.shingles import (
    SHINGLE_SIZE,
    Tokens,
    pattern_for,
    raw_hashes,
    shingle_hashes,
    split_sentences,
    token_offsets,
    token_span,
    tokenize,
    word_hashes,
)

LINEAGE_COLUMNS = [
    "article_id",
    "related_article_id",
    "relation",
    "similarity",
    "containment",
    "shared_shingles",
    "evidence",
    "rule",
    "earlier_article_id",
    "keyword_overlap",
    "aligned_sentences",
    "confidence",
]
RELATIONS = ("syndicated_copy", "derived_rewrite", "same_story")

# A capitalised word that follows a lower-case word/comma (i.e. not sentence-initial): entity-like.
_MID_CAP_RE = regex.compile(r"(?<=[\p{Ll}\p{N},;:)] )\p{Lu}\w*(?:['’]\w+)?")
_NEAR_DUPLICATE = 0.7  # containment of a syndicated copy
_SAME_AGENCY_COPY = 0.4  # containment of a copy when both credit the same agency
_PARTIAL_COPY = 0.3  # containment of an uncredited partial copy
_MIN_RUNS = 3  # separate shared passages of a paraphrase
_ALIGN_RATIO = 0.65  # content-word overlap that makes two sentences a paraphrase pair
_ALIGNED_FRACTION = 0.4  # share of the shorter article's sentences that must align
_EVIDENCE_WORDS = 40  # longest evidence phrase quoted
_U32 = np.uint64(32)


@dataclass(slots=True)
class _Features:
    shared: int
    n_a: int
    n_b: int
    similarity: float
    containment: float
    runs: int
    aligned: int
    aligned_frac: float
    evidence: str


def _norm_name(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip().lower()
    return text or None


def _entity_hashes(body: str) -> np.ndarray:
    """32-bit term hashes of words written with a capital inside a sentence (entity-like)."""
    return np.unique(raw_hashes(_MID_CAP_RE.findall(body)) >> _U32)


def _names(doc: "_Doc", terms: list[int]) -> list[str]:
    """Words of `doc` behind 32-bit term hashes (for keyword evidence)."""
    by_hash = {h >> 32: w for w, h in zip(doc.tok.words, doc.tok.hashes.tolist(), strict=True)}
    return [by_hash.get(t, "?") for t in terms]


@dataclass(slots=True)
class _Doc:
    tok: Tokens
    text: str
    shingles: list[int]  # 64-bit shingle hash at each token position
    shingle_set: set[int]
    sentences: list[set[str]] | None = None  # content words per sentence, computed on demand


def _keyword_overlap(
    ka: dict[int, tuple[float, bool]], kb: dict[int, tuple[float, bool]]
) -> tuple[float, int, int, list[int]]:
    """idf-weighted overlap of two keyword sets (shared weight / smaller total), number of shared
    keywords, of shared entity-like keywords, and the shared terms best first."""
    shared = ka.keys() & kb.keys()
    if not shared:
        return 0.0, 0, 0, []
    tot_a = sum(w for w, _ in ka.values())
    tot_b = sum(w for w, _ in kb.values())
    sh = sum(min(ka[t][0], kb[t][0]) for t in shared)
    ents = sum(1 for t in shared if ka[t][1] or kb[t][1])
    ordered = sorted(shared, key=lambda t: (-round(ka[t][0] + kb[t][0], 9), t))
    return sh / max(min(tot_a, tot_b), 1e-9), len(shared), ents, ordered


def _compare(da: _Doc, db: _Doc) -> _Features:
    """Exact shingle overlap, shared passages, longest shared phrase and (when it can decide the
    relation) sentence alignment."""
    shared_set = da.shingle_set & db.shingle_set
    shared = len(shared_set)
    n_a, n_b = len(da.shingle_set), len(db.shingle_set)
    sim = shared / (n_a + n_b - shared) if shared else 0.0
    cont = shared / min(n_a, n_b) if shared and min(n_a, n_b) else 0.0
    runs, evidence = 0, ""
    if shared:
        best_len, best_start, cur = 0, 0, 0
        for i, h in enumerate(da.shingles):
            if h in shared_set:
                cur += 1
                if cur == 1:
                    runs += 1
                if cur > best_len:
                    best_len, best_start = cur, i - cur + 1
            else:
                cur = 0
        if best_len >= 2:  # a phrase of 6+ words; shorter shared bits are usually stock phrases
            last = best_start + min(best_len - 1 + SHINGLE_SIZE - 1, _EVIDENCE_WORDS - 1)
            start, end = int(da.tok.starts[best_start]), int(da.tok.ends[last])
            evidence = " ".join(da.text[start:end].split())
    aligned, frac = 0, 0.0
    if runs >= _MIN_RUNS and cont < _PARTIAL_COPY:  # only then can alignment change the relation
        aligned, frac = _alignment(da, db)
    return _Features(shared, n_a, n_b, sim, cont, runs, aligned, frac, evidence)


def _sentence_words(doc: _Doc) -> list[set[str]]:
    """Content words of each sentence that has at least 5 of them (cached on the doc)."""
    if doc.sentences is not None:
        return doc.sentences
    tok = doc.tok
    out: list[set[str]] = []
    j = 0
    for s, e in split_sentences(doc.text):
        words: set[str] = set()
        while j < len(tok.words) and tok.starts[j] < e:
            if tok.content[j] and tok.starts[j] >= s:
                words.add(tok.words[j])
            j += 1
        if len(words) >= 5:
            out.append(words)
    doc.sentences = out
    return out


def _alignment(da: _Doc, db: _Doc) -> tuple[int, float]:
    """Paraphrase alignment: sentences of the shorter article matched one-to-one (best first) to a
    sentence of the other when they share >= `_ALIGN_RATIO` of the smaller one's content words.
    Returns (count, count / sentences of the shorter)."""
    sa, sb = _sentence_words(da), _sentence_words(db)
    if len(sa) > len(sb):
        sa, sb = sb, sa
    if not sa or not sb:
        return 0, 0.0
    index: dict[str, list[int]] = {}
    for k, words in enumerate(sb):
        for w in words:
            index.setdefault(w, []).append(k)
    scored: list[tuple[float, int, int]] = []
    for i, words in enumerate(sa):
        hits = Counter(k for w in words for k in index.get(w, ()))
        for k, c in hits.items():
            ratio = c / min(len(words), len(sb[k]))
            if ratio >= _ALIGN_RATIO:
                scored.append((ratio, i, k))
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, i, k in sorted(scored, reverse=True):
        if i not in used_a and k not in used_b:
            used_a.add(i)
            used_b.add(k)
    return len(used_a), len(used_a) / len(sa)


def _classify(
    f: _Features,
    agency_a: str | None,
    agency_b: str | None,
    kw_overlap: float,
    kw_shared: int,
    ent_shared: int,
    date_a: dt.date | None,
    date_b: dt.date | None,
    min_keyword_overlap: float,
    min_shared_keywords: int,
    story_window_days: int,
) -> tuple[str | None, str, float]:
    same_agency = agency_a is not None and agency_a == agency_b
    if f.containment >= _NEAR_DUPLICATE:
        return "syndicated_copy", "near_duplicate", round(min(1.0, 0.6 + 0.4 * f.containment), 3)
    if same_agency and f.containment >= _SAME_AGENCY_COPY:
        return "syndicated_copy", "same_agency_overlap", round(0.5 + 0.5 * f.containment, 3)
    if f.containment >= _PARTIAL_COPY:
        return "derived_rewrite", "partial_copy", round(0.5 + 0.5 * f.containment, 3)
    if f.runs >= _MIN_RUNS and f.aligned >= 3 and f.aligned_frac >= _ALIGNED_FRACTION:
        return "derived_rewrite", "paraphrase_alignment", round(min(0.95, 0.4 + f.aligned_frac), 3)
    within = date_a is None or date_b is None or abs((date_a - date_b).days) <= story_window_days
    if (
        within
        and kw_overlap >= min_keyword_overlap
        and kw_shared >= min_shared_keywords
        and ent_shared >= 2
    ):
        return "same_story", "shared_keywords", round(min(0.9, 0.3 + kw_overlap), 3)
    return None, "", 0.0




STORY_WINDOW_DAYS = 3
N_KEYWORDS = 25
N_BANDS = 16
BAND_ROWS = 3
SAMPLE_MASK = 3  # shingles whose hash & 3 == 0 are the candidate sample (1 in 4)
_MIN_SHARED = 3  # shingles two copies must share
_MIN_SHARED_KEYWORDS = 5
_MIN_KEYWORD_OVERLAP = 0.3
_rng = np.random.default_rng(20240611)
_MH_A = _rng.integers(1, 2**63, size=N_BANDS * BAND_ROWS, dtype=np.uint64) | np.uint64(1)
_MH_B = _rng.integers(1, 2**63, size=N_BANDS * BAND_ROWS, dtype=np.uint64)
_BAND_MIX = _rng.integers(1, 2**63, size=BAND_ROWS + 1, dtype=np.uint64) | np.uint64(1)
_NO_DATE = "9999-12-31"


@dataclass(slots=True)
class Signature:
    """What the index keeps of one article (all arrays int64, values < 2**63)."""

    article_id: str
    shingles: np.ndarray  # sorted unique 32-bit shingle hashes
    bands: np.ndarray  # `N_BANDS` MinHash band keys (empty when the text has no shingle)
    agency: str | None
    date: dt.date | None
    stamp: dt.datetime | None
    body: str  # kept to derive the keywords on demand
    _words: tuple | None = None  # (word hashes, content mask) until the keywords are derived (batched
    # signatures keep none: only group canonicals need keywords, and those re-read the body)
    _kw: tuple | None = None
    positions: np.ndarray | None = None  # 32-bit shingle hash at each token position (int64)

    @property
    def sample(self) -> np.ndarray:
        """The 1-in-4 shingle sample (candidate generation between group canonicals)."""
        return self.shingles[(self.shingles & SAMPLE_MASK) == 0]

    @property
    def keywords(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(term hashes best first, weights, entity-like flags) of the top `N_KEYWORDS` words."""
        if self._kw is None:
            self._kw = _keywords(self.body, *(self._words or word_hashes(self.body)))
            self._words = None
        return self._kw

    @property
    def day(self) -> int | None:
        return self.date.toordinal() if self.date else None

    @property
    def key(self) -> str:
        return sort_key(self.article_id, self.date, self.stamp)

    def keyword_map(self) -> dict[int, tuple[float, bool]]:
        kw, w, e = self.keywords
        return dict(zip(kw.tolist(), zip(w.tolist(), e.tolist())))


def _mix(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(31))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(29))


def minhash_bands(shingles: np.ndarray) -> np.ndarray:
    """`N_BANDS` band keys of a shingle set by one-permutation MinHash: the shingles are mixed once,
    spread over `N_BANDS * BAND_ROWS` bins, and each band combines the minima of `BAND_ROWS` bins.
    Bands whose bins are all empty (very short texts) are dropped."""
    if len(shingles) == 0:
        return np.zeros(0, dtype=np.int64)
    n_bins = N_BANDS * BAND_ROWS
    h = _mix(shingles.astype(np.uint64) * _MH_A[0] + _MH_B[0])
    bins = (h % np.uint64(n_bins)).astype(np.int64)
    order = np.lexsort((h, bins))
    bins, h = bins[order], h[order]
    first = np.flatnonzero(np.r_[True, bins[1:] != bins[:-1]])
    mins = np.zeros(n_bins, dtype=np.uint64)
    filled = np.zeros(n_bins, dtype=bool)
    mins[bins[first]] = h[first]
    filled[bins[first]] = True
    mins, filled = mins.reshape(N_BANDS, BAND_ROWS), filled.reshape(N_BANDS, BAND_ROWS)
    key = np.arange(N_BANDS, dtype=np.uint64) * _BAND_MIX[BAND_ROWS]
    for r in range(BAND_ROWS):
        key = _mix(key + mins[:, r] * _BAND_MIX[r])
    return (key[filled.any(axis=1)] >> np.uint64(1)).astype(np.int64)


def sort_key(article_id: str, date: dt.date | None, stamp: dt.datetime | None) -> str:
    """Comparable text: date, UTC timestamp (unknown last), article id."""
    day = date.isoformat() if date else (stamp.date().isoformat() if stamp else _NO_DATE)
    ts = pd.Timestamp(stamp).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S") if stamp else "~"
    return f"{day}|{ts}|{article_id}"


def _date_stamp(date, stamp) -> tuple[dt.date | None, dt.datetime | None]:
    stamp = stamp if isinstance(stamp, dt.datetime) and not pd.isna(stamp) else None
    if isinstance(date, dt.datetime):
        date = date.date()
    if not isinstance(date, dt.date) or pd.isna(date):
        date = pd.Timestamp(stamp).tz_convert("UTC").date() if stamp else None
    return date, stamp


def article_signature(
    article_id: str, body: str, agency=None, date=None, stamp=None
) -> Signature:
    """Signature of one article (`date` falls back to the timestamp's UTC date)."""
    body = body or ""
    date, stamp = _date_stamp(date, stamp)
    hashes, content = word_hashes(body)
    positions = (shingle_hashes(hashes) >> _U32).astype(np.int64)
    sh = np.unique(positions)
    return Signature(article_id, sh, minhash_bands(sh), _norm_name(agency), date, stamp, body,
                     (hashes, content), None, positions)


_CHUNK_DOCS = 1000  # articles hashed per numpy pass (bounds memory and the token cache)


def article_signatures(rows) -> list[Signature]:
    """`article_signature` of many ``(article_id, body, agency, date, stamp)`` rows: the same
    values, with the shingle, dedup and MinHash arithmetic done in one numpy pass per chunk of
    `_CHUNK_DOCS` articles instead of per article."""
    rows = list(rows)
    out: list[Signature] = []
    for lo in range(0, len(rows), _CHUNK_DOCS):
        out += _signature_chunk(rows[lo : lo + _CHUNK_DOCS])
    return out


def _signature_chunk(rows: list[tuple]) -> list[Signature]:
    """Signatures of one chunk: all articles' tokens hashed, shingled and deduplicated together."""
    bodies = [r[1] or "" for r in rows]
    tokens: list[str] = []
    counts = np.zeros(len(rows), dtype=np.int64)
    for d, body in enumerate(bodies):
        found = pattern_for(body).findall(body)
        counts[d] = len(found)
        tokens += found
    hashes = raw_hashes(tokens)
    del tokens
    starts = np.r_[0, np.cumsum(counts)[:-1]].astype(np.int64)
    # shingles of the concatenation, minus the windows that cross an article boundary
    windows = shingle_hashes(hashes)
    n_win = np.maximum(counts - SHINGLE_SIZE + 1, 0)
    doc = np.repeat(np.arange(len(rows), dtype=np.int64), n_win)
    # token position of each kept window: its rank inside its article + the article's first token
    pos = (np.arange(len(doc), dtype=np.int64) - np.repeat(np.cumsum(n_win) - n_win, n_win)
           + np.repeat(starts, n_win))
    sh = (windows[pos] >> _U32) if len(pos) else np.zeros(0, dtype=np.uint64)
    positions = sh.astype(np.int64)
    pos_bounds = np.r_[0, np.cumsum(n_win)]
    # per-article sorted unique shingles: one sort of (article, hash)
    keyed = np.sort((doc.astype(np.uint64) << _U32) | sh)
    keyed = keyed[np.r_[True, keyed[1:] != keyed[:-1]]] if len(keyed) else keyed
    u_doc = (keyed >> _U32).astype(np.int64)
    u_sh = (keyed & np.uint64(0xFFFFFFFF)).astype(np.int64)
    bounds = np.searchsorted(u_doc, np.arange(len(rows) + 1))
    bands = _minhash_bands_many(u_sh, u_doc, len(rows))
    out = []
    for d, (article_id, body, agency, date, stamp) in enumerate(rows):
        date, stamp = _date_stamp(date, stamp)
        out.append(Signature(article_id, u_sh[bounds[d] : bounds[d + 1]], bands[d], _norm_name(agency),
                             date, stamp, bodies[d], None, None, positions[pos_bounds[d] : pos_bounds[d + 1]]))
    return out


def _minhash_bands_many(shingles: np.ndarray, doc: np.ndarray, n_docs: int) -> list[np.ndarray]:
    """`minhash_bands` of every article at once (`shingles` sorted by article `doc`)."""
    n_bins = N_BANDS * BAND_ROWS
    h = _mix(shingles.astype(np.uint64) * _MH_A[0] + _MH_B[0])
    cell = doc * n_bins + (h % np.uint64(n_bins)).astype(np.int64)
    mins = np.full(n_docs * n_bins, np.iinfo(np.uint64).max, dtype=np.uint64)
    np.minimum.at(mins, cell, h)
    filled = np.bincount(cell, minlength=n_docs * n_bins) > 0
    mins[~filled] = 0
    mins, filled = mins.reshape(n_docs, N_BANDS, BAND_ROWS), filled.reshape(n_docs, N_BANDS, BAND_ROWS)
    key = np.broadcast_to(np.arange(N_BANDS, dtype=np.uint64) * _BAND_MIX[BAND_ROWS], (n_docs, N_BANDS))
    for r in range(BAND_ROWS):
        key = _mix(key + mins[:, :, r] * _BAND_MIX[r])
    keys = (key >> np.uint64(1)).astype(np.int64)
    keep = filled.any(axis=2)
    return [keys[d][keep[d]] for d in range(n_docs)]


def _keywords(body: str, hashes: np.ndarray, content: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    terms = np.sort(hashes[content] >> _U32)
    if not len(terms):
        return np.zeros(0, np.int64), np.zeros(0), np.zeros(0, bool)
    first = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]])
    uniq = terms[first].astype(np.int64)
    tf = np.diff(np.r_[first, len(terms)]).astype(np.float64)
    ent = np.isin(uniq, _entity_hashes(body).astype(np.int64))
    weight = (1.0 + np.log(tf)) * np.where(ent, 1.5, 1.0)
    order = np.lexsort((uniq, -weight))[:N_KEYWORDS]
    return uniq[order], weight[order], ent[order]


def shared_count(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted arrays of unique values have in common (binary search of the
    shorter in the longer: no merge sort of both, as ``np.intersect1d`` does)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return int(np.count_nonzero(b[at] == a))


def is_near_copy(a: Signature, b: Signature) -> bool:
    """The ``syndicated_copy`` test on shingle sets alone (cheap; no evidence)."""
    n = min(len(a.shingles), len(b.shingles))
    if n == 0:
        return False
    shared = shared_count(a.shingles, b.shingles)
    if shared < _MIN_SHARED:
        return False
    cont = shared / n
    same_agency = a.agency is not None and a.agency == b.agency
    return cont >= _NEAR_DUPLICATE or (same_agency and cont >= _SAME_AGENCY_COPY)


class Comparer:
    """Exact pair comparison with a token cache: `row(a, b)` gives a `LINEAGE_COLUMNS` tuple or None."""

    def __init__(self, bodies: dict[str, str], signatures: dict[str, Signature]) -> None:
        self.bodies, self.sigs = bodies, signatures
        self._docs: dict[str, _Doc] = {}
        # token offsets of articles quoted more than once (a group's canonical, against each member)
        self._spans: dict[str, tuple[np.ndarray, np.ndarray] | None] = {}

    def doc(self, article_id: str) -> "_Doc":
        hit = self._docs.get(article_id)
        if hit is None:
            if len(self._docs) > 4096:
                self._docs.clear()
            text = self.bodies.get(article_id) or ""
            tok = tokenize(text)
            sh = shingle_hashes(tok.hashes).tolist()
            hit = self._docs[article_id] = _Doc(tok, text, sh, set(sh))
        return hit

    def row(self, a: str, b: str) -> tuple | None:
        if b < a:
            a, b = b, a
        sa, sb = self.sigs[a], self.sigs[b]
        da, db = self.doc(a), self.doc(b)
        kw_overlap, kw_shared, ent_shared, shared_terms = _keyword_overlap(sa.keyword_map(), sb.keyword_map())
        feats = _compare(da, db)
        relation, rule, conf = _classify(
            feats, sa.agency, sb.agency, kw_overlap, kw_shared, ent_shared, sa.date, sb.date,
            _MIN_KEYWORD_OVERLAP, _MIN_SHARED_KEYWORDS, STORY_WINDOW_DAYS,
        )
        if relation is None:
            return None
        evidence = feats.evidence or ("shared keywords: " + ", ".join(_names(da, shared_terms[:6])))
        return (a, b, relation, round(feats.similarity, 4), round(feats.containment, 4), feats.shared,
                evidence, rule, earlier(sa, sb), round(kw_overlap, 4), feats.aligned, conf)

    def _token_span(self, article_id: str, text: str, first: int, last: int) -> tuple[int, int]:
        """`token_span` of the article's text; from its token offsets, found once, when the
        article is quoted a second time."""
        spans = self._spans.get(article_id, False)
        if spans is False:  # first time: scan up to token `last` only
            if len(self._spans) > 1024:
                self._spans.clear()
            self._spans[article_id] = None
            return token_span(text, first, last)
        if spans is None:
            spans = self._spans[article_id] = token_offsets(text)
        starts, ends = spans
        if first >= len(starts):
            return 0, 0
        return int(starts[first]), int(ends[last]) if last < len(ends) else 0

    def copy_row(self, a: str, b: str) -> tuple | None:
        """`row` for a pair expected to be copies, vectorised: the shared-phrase evidence is quoted
        from the article with the smaller id; pairs under the partial-copy containment go to `row`."""
        if b < a:
            a, b = b, a
        sa, sb = self.sigs[a], self.sigs[b]
        n_a, n_b = len(sa.shingles), len(sb.shingles)
        in_b = None  # which of a's (sorted, unique) shingles b has
        if n_a and n_b:
            at = np.minimum(np.searchsorted(sb.shingles, sa.shingles), n_b - 1)
            in_b = sb.shingles[at] == sa.shingles
        shared = int(np.count_nonzero(in_b)) if in_b is not None else 0
        cont = shared / min(n_a, n_b) if shared and min(n_a, n_b) else 0.0
        if cont < _PARTIAL_COPY or shared < _MIN_SHARED:
            return self.row(a, b)
        same_agency = sa.agency is not None and sa.agency == sb.agency
        if cont >= _NEAR_DUPLICATE:
            relation, rule, conf = "syndicated_copy", "near_duplicate", round(min(1.0, 0.6 + 0.4 * cont), 3)
        elif same_agency and cont >= _SAME_AGENCY_COPY:
            relation, rule, conf = "syndicated_copy", "same_agency_overlap", round(0.5 + 0.5 * cont, 3)
        else:
            relation, rule, conf = "derived_rewrite", "partial_copy", round(0.5 + 0.5 * cont, 3)
        pos = sa.positions
        if pos is None:
            pos = (np.asarray(self.doc(a).shingles, dtype=np.uint64) >> _U32).astype(np.int64)
        hit = in_b[np.searchsorted(sa.shingles, pos)]  # np.isin(pos, sb.shingles); pos ⊆ sa.shingles
        evidence = ""
        if hit.any():
            padded = np.zeros(len(hit) + 2, dtype=np.int8)
            padded[1:-1] = hit
            edges = np.diff(padded)
            starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
            k = int(np.argmax(ends - starts))
            best_start, best_len = int(starts[k]), int(ends[k] - starts[k])
            if best_len >= 2:
                last = best_start + min(best_len - 1 + SHINGLE_SIZE - 1, _EVIDENCE_WORDS - 1)
                text = self.bodies.get(a) or ""
                start, end = self._token_span(a, text, best_start, last)
                evidence = " ".join(text[start:end].split())
        sim = shared / (n_a + n_b - shared)
        return (a, b, relation, round(sim, 4), round(cont, 4), shared, evidence or None, rule,
                earlier(sa, sb), None, 0, conf)


def earlier(a: Signature, b: Signature) -> str | None:
    """The article published first, when the timestamps (else the dates) say so."""
    if a.stamp is not None and b.stamp is not None and a.stamp != b.stamp:
        return a.article_id if a.stamp < b.stamp else b.article_id
    if a.date is not None and b.date is not None and a.date != b.date:
        return a.article_id if a.date < b.date else b.article_id
    return None
