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
from collections.abc import Iterable
from itertools import repeat
from operator import add, attrgetter
from urllib.parse import urlsplit

import pandas as pd
import pyarrow as pa

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


def site_parts(docs: list[DocumentInput], parts: int) -> list[list[DocumentInput]]:
    """Cut a batch into up to `parts` runs of consecutive documents, only where no site has documents on
    both sides of the cut, as near to equal sizes as such cuts allow.  A document's rows depend on it and
    on its site's chrome, found among that site's documents in the batch (`_site_repeats`), so the parts
    give exactly the rows of the whole batch, in the same order; idle workers can share one batch."""
    last = {site_key(d): i for i, d in enumerate(docs)}
    cuts, reach = [], 0
    for i, doc in enumerate(docs[:-1]):
        reach = max(reach, last[site_key(doc)])
        if reach == i:  # every site seen so far ends here
            cuts.append(i + 1)
    chosen: list[int] = []
    for k in range(1, parts):
        target = len(docs) * k / parts
        best = min((c for c in cuts if not chosen or c > chosen[-1]), key=lambda c: abs(c - target), default=None)
        if best is not None:
            chosen.append(best)
    bounds = [0, *chosen, len(docs)]
    return [docs[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def understand_document(doc: DocumentInput, *, site_repeats: frozenset[str] = frozenset()) -> Understanding:
    """Every text module over one document (raises what a module raises)."""
    return _understand_stagewise([doc], [site_repeats], None)[0]


def _understand_stagewise(
    docs: list[DocumentInput], site_repeats: list[frozenset[str]], errors: dict[int, str] | None
) -> list[Understanding | None]:
    """`understand_document` over many documents, one stage at a time over all of them.

    Stage by stage (all documents through the segmenter, then all through metadata …) rather than
    document by document: each stage's tables, sets and compiled patterns stay in the CPU caches
    for the whole batch (about a quarter less CPU on a generated batch).  The outputs are the same:
    every stage is a pure function of the document and the outputs of the stages before it.
    With `errors` a document whose stage raises is recorded there (position -> "Type: message")
    and skips the later stages (its slot stays None); without it the exception propagates.
    """
    n = len(docs)
    blocks: list = [None] * n
    metas: list = [None] * n
    cands: list = [None] * n
    pubs: list = [None] * n
    found: list = [None] * n
    out: list[Understanding | None] = [None] * n
    live = list(range(n))

    def run(step) -> None:
        nonlocal live
        if errors is None:
            for i in live:
                step(i)
            return
        kept = []
        for i in live:
            try:
                step(i)
            except Exception as exc:  # one bad document must not stop the batch
                errors[i] = f"{type(exc).__name__}: {exc}"
                continue
            kept.append(i)
        live = kept

    def seg(i: int) -> None:
        d = docs[i]
        blocks[i] = segment(d.text, hints=d.hints, site_repeats=site_repeats[i])

    def meta(i: int) -> None:
        d = docs[i]
        metas[i] = extract_metadata(d.text, blocks[i], url=d.url, hints=d.hints)

    def dates(i: int) -> None:
        d = docs[i]
        cands[i] = find_date_candidates(d.text, blocks[i], url=d.url, fetched_at=d.fetched_at, hints=d.hints)
        pubs[i] = choose_publication_date(cands[i], fetched_at=d.fetched_at)

    def claims(i: int) -> None:
        found[i] = extract_claims(docs[i].text, blocks[i], pubs[i], dateline=metas[i].dateline,
                                  language=metas[i].language)

    def assemble(i: int) -> None:
        d, b = docs[i], blocks[i]
        sentences, claims_, mentions = found[i]
        out[i] = Understanding(
            document_id=d.document_id,
            blocks=b,
            body_text=body_text(b),
            boilerplate_ratio=boilerplate_ratio(d.text, b),
            metadata=metas[i],
            date_candidates=cands[i],
            published=pubs[i],
            sentences=sentences,
            claims=claims_,
            mentions=mentions,
        )

    for step in (seg, meta, dates, claims, assemble):
        run(step)
    return out


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
def _row_getter(cls: type, drop: tuple[str, ...]) -> tuple[tuple[str, ...], attrgetter]:
    """A dataclass's field names (less `drop`) and a getter of their values as one tuple."""
    names = tuple(f.name for f in dataclasses.fields(cls) if f.name not in drop)
    return names, attrgetter(*names)


class _Table:
    """One raw table: a tuple per row, built in C-level passes (no dict per row on the hot path).

    Columns come in the order a row lists them: the dataclass fields (shallow: scalars or tuples),
    then `document_id`, the stamp and any extra columns."""

    __slots__ = ("columns", "rows")

    def __init__(self) -> None:
        self.columns: list[str] | None = None
        self.rows: list[tuple] = []

    def add(self, items: list, tail: tuple, tail_names: tuple[str, ...], drop: tuple[str, ...] = (),
            extra_names: tuple[str, ...] = (), extras: Iterable[tuple] | None = None) -> None:
        """Append one document's dataclass instances; `tail` (document_id and stamp) ends every row,
        then the row's `extras`."""
        if not items:
            return
        names, get = _row_getter(type(items[0]), drop)
        if self.columns is None:
            self.columns = [*names, *tail_names, *extra_names]
        values = map(get, items)
        if extras is None:
            self.rows.extend(map(add, values, repeat(tail)))
        else:
            self.rows.extend(map(add, values, map(add, repeat(tail), extras)))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns) if self.rows else pd.DataFrame([])


def understand_batch(
    docs: list[DocumentInput], *, code_version: str, run_id: str, now: dt.datetime
) -> BatchResult:
    tables = {t: _Table() for t in TABLES}
    articles: list[dict] = []
    failures: list[tuple[str, str]] = []
    stamp = {"code_version": code_version, "run_id": run_id}
    tail_names = ("document_id", *stamp)
    repeats = _site_repeats(docs)
    errors: dict[int, str] = {}
    us = _understand_stagewise(docs, [repeats.get(site_key(d), frozenset()) for d in docs], errors)
    all_findings: list[list | None] = [None] * len(docs)
    for i, (doc, u) in enumerate(zip(docs, us)):
        if u is None:
            continue
        try:
            all_findings[i] = detect_findings(doc, u, now=now)
        except Exception as exc:  # one bad document must not stop the batch
            errors[i] = f"{type(exc).__name__}: {exc}"
    failures.extend((docs[i].document_id, errors[i]) for i in sorted(errors))
    for doc, u, findings in zip(docs, us, all_findings):
        if findings is None:
            continue
        did = doc.document_id
        tail = (did, *stamp.values())
        tables["blocks"].add(u.blocks, tail, tail_names, drop=("text",))
        tables["fields"].add(u.metadata.fields, tail, tail_names)
        chosen = u.published.candidate_index
        tables["date_candidates"].add(u.date_candidates, tail, tail_names, extra_names=("candidate_index", "is_chosen"),
                                      extras=((i, i == chosen) for i in range(len(u.date_candidates))))
        tables["sentences"].add(u.sentences, tail, tail_names, drop=("text",))
        tables["claims"].add(u.claims, tail, tail_names)
        tables["mentions"].add(u.mentions, tail, tail_names)
        tables["findings"].add(findings, tail, tail_names, extra_names=("finding_index",),
                               extras=((i,) for i in range(len(findings))))
        m, p = u.metadata, u.published
        articles.append({
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
    frames = {t: tables[t].frame() if t != "articles" else pd.DataFrame(articles) for t in TABLES}
    if "alternatives" in frames["date_candidates"]:  # tuples -> lists (the column holds lists)
        frames["date_candidates"]["alternatives"] = frames["date_candidates"]["alternatives"].map(list)
    return BatchResult(frames=frames, failures=failures)


def understand_batch_for_load(
    docs: list[DocumentInput], *, code_version: str, run_id: str, now: dt.datetime
) -> BatchResult:
    """`understand_batch` with its frames as Arrow tables: what a worker process hands back to the flow.
    Measured on 1,000-document batches: pickled in 60 % of the time and unpickled in 40 %, and DuckDB
    inserts them with a third less CPU on the flow's thread, which shares the two cores with the workers.
    Converted on this thread (`nthreads=1`): a worker already has a core to itself, and pyarrow's
    thread pool for longer frames cost more CPU than it saved (1,000 generated documents: 8-15 -> 6-7 ms)."""
    result = understand_batch(docs, code_version=code_version, run_id=run_id, now=now)
    frames = {t: pa.Table.from_pandas(f, preserve_index=False, nthreads=1) for t, f in result.frames.items()}
    return BatchResult(frames=frames, failures=result.failures)
