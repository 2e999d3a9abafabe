"""The understand stage over a batch: run the pure text modules on each document, emit row frames.

Pure (no I/O): a batch of `DocumentInput` in, one DataFrame per raw table out.  A document whose
analysis raises is reported in `failures` (it keeps its raw bytes; the pipeline quarantines it with
the reason) and the rest of the batch goes on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

import pandas as pd

from flows.text.body import body_text, boilerplate_ratio
from flows.text.claims import extract_claims
from flows.text.dates import choose_publication_date, find_date_candidates
from flows.text.findings import detect_findings
from flows.text.metadata import extract_metadata
from flows.text.model import DocumentInput, Understanding
from flows.text.segment import segment
from flows.text.site_repeats import repeated_lines

TABLES = ("blocks", "fields", "articles", "date_candidates", "sentences", "claims", "mentions", "findings")


@dataclass(slots=True)
class BatchResult:
    frames: dict[str, pd.DataFrame]
    failures: list[tuple[str, str]] = field(default_factory=list)  # (document_id, error)


def site_key(doc: DocumentInput) -> str:
    """Documents of one site or feed: the URL's host, else the folder the file came from."""
    if doc.url:
        host = urlsplit(doc.url).hostname or ""
        return host.removeprefix("www.")
    uri = doc.uri.split("#", 1)[0]
    return uri.rsplit("/", 1)[0] if "/" in uri else ""


def understand_document(doc: DocumentInput, *, site_repeats: frozenset[str] = frozenset()) -> Understanding:
    text = doc.text
    blocks = segment(text, hints=doc.hints, site_repeats=site_repeats)
    metadata = extract_metadata(text, blocks, url=doc.url, hints=doc.hints)
    candidates = find_date_candidates(text, blocks, url=doc.url, fetched_at=doc.fetched_at, hints=doc.hints)
    published = choose_publication_date(candidates, fetched_at=doc.fetched_at)
    sentences, claims, mentions = extract_claims(
        text, blocks, published, dateline=metadata.dateline, language=metadata.language
    )
    return Understanding(
        document_id=doc.document_id,
        blocks=blocks,
        body_text=body_text(blocks),
        boilerplate_ratio=boilerplate_ratio(text, blocks),
        metadata=metadata,
        date_candidates=candidates,
        published=published,
        sentences=sentences,
        claims=claims,
        mentions=mentions,
    )


SITE_CHROME_MIN_SHARE = 0.5  # a site's chrome is on most of its pages; a syndicated story is on a few
PROSE_MIN_WORDS = 20  # long sentence-like lines are story text even when several pages carry them


def _is_prose(normalized_line: str) -> bool:
    return normalized_line.count(" ") + 1 >= PROSE_MIN_WORDS


def _site_repeats(docs: list[DocumentInput]) -> dict[str, frozenset[str]]:
    """Chrome lines per site: on at least 3 pages and half the site's pages in this batch, and not
    prose (so copies of one wire story in a feed keep their bodies)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        groups[site_key(doc)].append(doc.text)
    out = {}
    for key, texts in groups.items():
        min_docs = max(3, math.ceil(SITE_CHROME_MIN_SHARE * len(texts)))
        lines = repeated_lines(texts, min_docs=min_docs) if len(texts) >= 3 else frozenset()
        out[key] = frozenset(line for line in lines if not _is_prose(line))
    return out


@lru_cache(maxsize=None)
def _field_names(cls: type, drop: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in drop)


def _rows(items, document_id: str, extra: dict, drop: tuple[str, ...] = ()) -> list[dict]:
    """Flat rows from dataclass instances (shallow: their fields are scalars or tuples of scalars;
    `dataclasses.asdict` would deep-copy every value on the hot path)."""
    out = []
    for item in items:
        row = {name: getattr(item, name) for name in _field_names(type(item), drop)}
        row["document_id"] = document_id
        row.update(extra)
        out.append(row)
    return out


def understand_batch(
    docs: list[DocumentInput], *, code_version: str, run_id: str, now: dt.datetime
) -> BatchResult:
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    failures: list[tuple[str, str]] = []
    stamp = {"code_version": code_version, "run_id": run_id}
    repeats = _site_repeats(docs)
    for doc in docs:
        try:
            u = understand_document(doc, site_repeats=repeats.get(site_key(doc), frozenset()))
            findings = detect_findings(doc, u, now=now)
        except Exception as exc:  # one bad document must not stop the batch
            failures.append((doc.document_id, f"{type(exc).__name__}: {exc}"))
            continue
        did = doc.document_id
        rows["blocks"].extend(_rows(u.blocks, did, stamp, drop=("text",)))
        rows["fields"].extend(_rows(u.metadata.fields, did, stamp))
        rows["date_candidates"].extend(
            {**r, "candidate_index": i, "is_chosen": i == u.published.candidate_index,
             "alternatives": list(r["alternatives"])}
            for i, r in enumerate(_rows(u.date_candidates, did, stamp))
        )
        rows["sentences"].extend(_rows(u.sentences, did, stamp, drop=("text",)))
        rows["claims"].extend(_rows(u.claims, did, stamp))
        rows["mentions"].extend(_rows(u.mentions, did, stamp))
        rows["findings"].extend(
            {**r, "finding_index": i} for i, r in enumerate(_rows(findings, did, stamp))
        )
        m, p = u.metadata, u.published
        rows["articles"].append({
            "document_id": did,
            "headline": m.headline, "standfirst": m.standfirst, "authors": list(m.authors),
            "wire_agency": m.wire_agency, "dateline": m.dateline, "publisher": m.publisher,
            "language": m.language, "body_text": u.body_text,
            "body_words": len(u.body_text.split()), "boilerplate_ratio": u.boilerplate_ratio,
            "published_date": p.value_date, "published_at": p.value_utc,
            "published_local": p.local_form, "published_date_source": p.source,
            "published_confidence": p.confidence, "published_is_inferred": p.is_inferred,
            "published_candidate_index": p.candidate_index, **stamp,
        })
    frames = {t: pd.DataFrame(r) for t, r in rows.items()}
    return BatchResult(frames=frames, failures=failures)
