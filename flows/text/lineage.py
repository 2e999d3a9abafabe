"""Article lineage: which articles are syndicated copies, rewrites, or independent reports of one story.

`find_lineage` never compares all pairs.  Candidate pairs come from two inverted indexes:

* word 5-shingles (32-bit hashes): every shingle held by 2..`max_df` articles yields all its pairs;
  a shingle held by more (a story carried by very many outlets) links each holder to the lowest
  holder only (a star, O(k)); shingles held by more than `star_df` articles are boilerplate and ignored.
* the top `n_keywords` tf-idf content words of each article (capitalised, entity-like words weigh more):
  same scheme, so articles on one event meet even when they share no phrasing.

Each candidate pair is then compared exactly (shared shingles, containment, the longest shared phrase,
and paraphrase alignment: how many sentences of the shorter article pair one-to-one with a sentence
of the other sharing >= 65 % of the smaller sentence's content words) and classified:

* ``syndicated_copy``: containment >= 0.7 (rule ``near_duplicate``), or both credit the same wire
  agency and containment >= 0.4 (rule ``same_agency_overlap``);
* ``derived_rewrite``: containment >= 0.3 without that credit (rule ``partial_copy``), or shared phrases
  in >= 3 separate passages plus >= 3 and >= 40 % of the shorter article's sentences aligned (rule
  ``paraphrase_alignment``);
* ``same_story``: otherwise, when the idf-weighted keyword overlap is >= `min_keyword_overlap`, at least
  two entity-like keywords are shared and the dates (when both known) are within `story_window_days`
  (rule ``shared_keywords``).
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
    raw_hashes,
    shingle_hashes,
    split_sentences,
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
_LOW32 = np.uint64(0xFFFFFFFF)


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


def find_lineage(
    articles: pd.DataFrame,
    *,
    max_df: int = 100,
    star_df: int = 2_000,
    min_shared: int = 3,
    n_keywords: int = 25,
    min_shared_keywords: int = 5,
    min_keyword_overlap: float = 0.3,
    story_window_days: int = 3,
) -> pd.DataFrame:
    """Related article pairs (each unordered pair once, ``article_id < related_article_id``).

    `articles` needs ``article_id``, ``body_text``, ``publisher``, ``wire_agency``, ``published_at``,
    ``published_date``.  Returns `LINEAGE_COLUMNS`; ``earlier_article_id`` is set only when the
    timestamps (else the dates) of the two articles differ.
    """
    if articles.empty:
        return _empty()
    ids = articles["article_id"].astype(str).tolist()
    bodies = articles["body_text"].fillna("").astype(str).tolist()
    agencies = [_norm_name(v) for v in _col(articles, "wire_agency")]
    dates = _dates(articles)
    stamps = _stamps(articles)
    n = len(ids)

    # pass 1: shingle postings and content-word postings (term frequency, entity flag) per article
    shingle_keys: list[np.ndarray] = []
    term_keys: list[np.ndarray] = []
    term_tf: list[np.ndarray] = []
    term_ent: list[np.ndarray] = []
    n_shingles = np.zeros(n, dtype=np.int64)
    for i, body in enumerate(bodies):
        hashes, content = word_hashes(body)
        sh = np.sort(shingle_hashes(hashes) >> _U32)
        n_shingles[i] = int(np.count_nonzero(sh[1:] != sh[:-1])) + 1 if len(sh) else 0
        shingle_keys.append((sh << _U32) | np.uint64(i))
        terms = np.sort(hashes[content] >> _U32)
        if len(terms):
            first = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]])
            uniq = terms[first]
            term_keys.append((uniq << _U32) | np.uint64(i))
            term_tf.append(np.diff(np.r_[first, len(terms)]))
            term_ent.append(np.isin(uniq, _entity_hashes(body)))
    pairs_sh = _pairs_from_postings(np.concatenate(shingle_keys), n, max_df, star_df)
    shingle_keys.clear()

    # pass 2: keywords = top `n_keywords` terms of each article by tf-idf (entity-like words x1.5)
    kw = _select_keywords(term_keys, term_tf, term_ent, n, n_keywords)
    term_keys.clear(), term_tf.clear(), term_ent.clear()
    pairs_kw = _pairs_from_postings(kw.keys, n, max_df, star_df)
    cand = np.union1d(
        pairs_sh[0][pairs_sh[1] >= min_shared], pairs_kw[0][pairs_kw[1] >= min_shared_keywords]
    )

    # pass 3: exact comparison of candidate pairs, in order of the first article (token cache)
    cache: dict[int, _Doc] = {}
    rows = []
    for key in cand.tolist():
        a, b = divmod(int(key), n)
        if ids[b] < ids[a]:  # compare (and quote evidence) from the article with the smaller id
            a, b = b, a
        da, db = _cached(cache, a, bodies), _cached(cache, b, bodies)
        kw_overlap, kw_shared, ent_shared, shared_terms = _keyword_overlap(kw.of(a), kw.of(b))
        feats = _compare(da, db)
        relation, rule, conf = _classify(
            feats, agencies[a], agencies[b], kw_overlap, kw_shared, ent_shared, dates[a], dates[b],
            min_keyword_overlap, min_shared_keywords, story_window_days,
        )
        if relation is None:
            continue
        evidence = feats.evidence or ("shared keywords: " + ", ".join(_names(da, shared_terms[:6])))
        rows.append(
            (
                ids[a], ids[b], relation, round(feats.similarity, 4),
                round(feats.containment, 4), feats.shared, evidence, rule,
                _earlier(ids, stamps, dates, a, b), round(kw_overlap, 4), feats.aligned, conf,
            )
        )
        if len(cache) > 4096:
            for k in list(cache)[:2048]:
                cache.pop(k, None)
    if not rows:
        return _empty()
    out = pd.DataFrame(rows, columns=LINEAGE_COLUMNS)
    return out.sort_values(["article_id", "related_article_id"], ignore_index=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in LINEAGE_COLUMNS})


def _col(frame: pd.DataFrame, name: str) -> list:
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


def _norm_name(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip().lower()
    return text or None


def _dates(frame: pd.DataFrame) -> list[dt.date | None]:
    out: list[dt.date | None] = []
    for d, ts in zip(_col(frame, "published_date"), _col(frame, "published_at"), strict=True):
        if isinstance(d, dt.datetime):
            out.append(d.date())
        elif isinstance(d, dt.date):
            out.append(d)
        elif isinstance(ts, dt.datetime) and not pd.isna(ts):
            out.append(ts.date())
        else:
            out.append(None)
    return out


def _stamps(frame: pd.DataFrame) -> list[pd.Timestamp | None]:
    return [
        ts if isinstance(ts, dt.datetime) and not pd.isna(ts) else None
        for ts in _col(frame, "published_at")
    ]


def _entity_hashes(body: str) -> np.ndarray:
    """32-bit term hashes of words written with a capital inside a sentence (entity-like)."""
    return np.unique(raw_hashes(_MID_CAP_RE.findall(body)) >> _U32)


@dataclass(slots=True)
class _Keywords:
    """Each article's keywords: postings keys (term<<32|doc) sorted by doc, weights, entity flags."""

    keys: np.ndarray
    weights: np.ndarray
    entity: np.ndarray
    offsets: np.ndarray  # keys of article i are keys[offsets[i]:offsets[i+1]]

    def of(self, i: int) -> dict[int, tuple[float, bool]]:
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        terms = (self.keys[lo:hi] >> _U32).tolist()
        return dict(zip(terms, zip(self.weights[lo:hi].tolist(), self.entity[lo:hi].tolist())))


def _select_keywords(
    term_keys: list[np.ndarray], term_tf: list[np.ndarray], term_ent: list[np.ndarray],
    n: int, n_keywords: int,
) -> _Keywords:
    """Top tf-idf terms per article, vectorised: weight = (1 + ln tf) * ln(1 + n / df) * 1.5 if
    entity-like; only terms held by >= 2 articles can link anything, so others are dropped."""
    if not term_keys:
        z = np.zeros(0, dtype=np.uint64)
        return _Keywords(z, np.zeros(0), np.zeros(0, dtype=bool), np.zeros(n + 1, dtype=np.int64))
    keys = np.concatenate(term_keys)
    tf = np.concatenate(term_tf).astype(np.float64)
    ent = np.concatenate(term_ent)
    order = np.argsort(keys, kind="stable")
    keys, tf, ent = keys[order], tf[order], ent[order]
    items = keys >> _U32
    first = np.flatnonzero(np.r_[True, items[1:] != items[:-1]])
    sizes = np.diff(np.r_[first, len(keys)])
    df = np.repeat(sizes, sizes).astype(np.float64)
    weight = (1.0 + np.log(tf)) * np.log1p(n / df) * np.where(ent, 1.5, 1.0)
    keep = df >= 2
    keys, weight, ent, items = keys[keep], weight[keep], ent[keep], items[keep]
    docs = (keys & _LOW32).astype(np.int64)
    order = np.lexsort((items, -weight, docs))  # by doc, best weight first, hash breaks ties
    keys, weight, ent, docs = keys[order], weight[order], ent[order], docs[order]
    doc_first = np.searchsorted(docs, np.arange(n + 1))
    rank = np.arange(len(docs)) - doc_first[docs]
    top = rank < n_keywords
    keys, weight, ent, docs = keys[top], weight[top], ent[top], docs[top]
    return _Keywords(keys, weight, ent, np.searchsorted(docs, np.arange(n + 1)))


def _names(doc: "_Doc", terms: list[int]) -> list[str]:
    """Words of `doc` behind 32-bit term hashes (for keyword evidence)."""
    by_hash = {h >> 32: w for w, h in zip(doc.tok.words, doc.tok.hashes.tolist(), strict=True)}
    return [by_hash.get(t, "?") for t in terms]


def _pairs_from_postings(
    keys: np.ndarray, n_docs: int, max_df: int, star_df: int
) -> tuple[np.ndarray, np.ndarray]:
    """(pair keys ``a * n_docs + b`` with a < b, number of shared items) from item<<32|doc keys."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    keys = np.sort(keys)  # by (item, doc)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    items = keys >> _U32
    docs = (keys & _LOW32).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, items[1:] != items[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    chunks: list[np.ndarray] = []
    for k in np.unique(sizes[(sizes >= 2) & (sizes <= max_df)]).tolist():
        s = starts[sizes == k]
        ia, ib = np.triu_indices(k, 1)
        chunks.append((docs[s[:, None] + ia] * n_docs + docs[s[:, None] + ib]).ravel())
    big = np.flatnonzero((sizes > max_df) & (sizes <= star_df))
    if big.size:  # star: every holder to the lowest holder of the item
        lens = sizes[big] - 1
        centre = np.repeat(docs[starts[big]], lens)
        offs = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
        chunks.append(centre * n_docs + docs[np.repeat(starts[big], lens) + 1 + offs])
    if not chunks:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    pairs = np.sort(np.concatenate(chunks))
    starts = np.flatnonzero(np.r_[True, pairs[1:] != pairs[:-1]])
    return pairs[starts], np.diff(np.r_[starts, len(pairs)])


@dataclass(slots=True)
class _Doc:
    tok: Tokens
    text: str
    shingles: list[int]  # 64-bit shingle hash at each token position
    shingle_set: set[int]
    sentences: list[set[str]] | None = None  # content words per sentence, computed on demand


def _cached(cache: dict[int, _Doc], i: int, bodies: list[str]) -> _Doc:
    hit = cache.get(i)
    if hit is None:
        tok = tokenize(bodies[i])
        sh = shingle_hashes(tok.hashes).tolist()
        hit = cache[i] = _Doc(tok, bodies[i], sh, set(sh))
    return hit


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


def _earlier(ids: list[str], stamps: list, dates: list, a: int, b: int) -> str | None:
    """The article published first, when the timestamps (else the dates) say so."""
    if stamps[a] is not None and stamps[b] is not None and stamps[a] != stamps[b]:
        return ids[a] if stamps[a] < stamps[b] else ids[b]
    if dates[a] is not None and dates[b] is not None and dates[a] != dates[b]:
        return ids[a] if dates[a] < dates[b] else ids[b]
    return None
