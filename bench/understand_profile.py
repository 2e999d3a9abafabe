"""CPU cost per document of the understand stage, per sub-stage, plus a cProfile and an output check.

    python bench/understand_profile.py [--devset ../shared/devset] [--passes 5] [--profile 30]
                                       [--save SNAP.pkl | --compare SNAP.pkl] [--with-url]

Loads every dev page (`<devset>/pages/*.txt`, read at run time: nothing from the dev set is stored in
the repository) plus `seeds/articles/*.txt`, then times each sub-stage of `understand_document` /
`understand_batch` over all pages on one core: process CPU time, best of `--passes` passes, in
CPU ms/page, with the cycle collector set as in the pool's workers (`flows.parallel`).  Each sub-stage
is timed on the outputs of the stages before it (computed outside its timing).  `--profile N` prints a
cProfile of one full `understand_batch` pass, top N by tottime.
Memo caches (lru_cache) are cleared before every pass.  `--save` pickles the per-page outputs (blocks, metadata, date candidates, publication date,
sentences, claims, mentions, findings) and the batch's row frames; `--compare` checks a later run
against such a file and lists every page whose output differs.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import glob
import io
import json
import os
import pickle
import pstats
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flows.parallel import quiet_collector  # noqa: E402
from flows.text.body import body_text, boilerplate_ratio  # noqa: E402
from flows.text.claims import extract_claims  # noqa: E402
from flows.text.dates import choose_publication_date, find_date_candidates  # noqa: E402
from flows.text.findings import detect_findings  # noqa: E402
from flows.text.metadata import extract_metadata  # noqa: E402
from flows.text.model import DocumentInput  # noqa: E402
from flows.text.segment import segment  # noqa: E402
from flows.understand import _site_repeats, site_key, understand_batch, understand_document  # noqa: E402

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)


def load_docs(devset: str, with_url: bool, corpus: str | None = None) -> list[DocumentInput]:
    """Dev pages (text only unless `with_url`) and the seeds, as the reader would hand them over;
    or, with `corpus`, the pages of a bench/generate_corpus.py folder (site folders)."""
    docs = []
    if corpus:
        paths = sorted(glob.glob(os.path.join(corpus, "*", "*.txt")))
    else:
        paths = sorted(glob.glob(os.path.join(devset, "pages", "*.txt")))
        paths += sorted(str(p) for p in (REPO / "seeds" / "articles").glob("*.txt"))
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            text = fh.read()
        url = None
        truth = p[:-4] + ".truth.json"
        if with_url and os.path.exists(truth):
            with open(truth, encoding="utf-8") as fh:
                url = json.load(fh).get("url")
        docs.append(DocumentInput(document_id=os.path.basename(p)[:-4], text=text, uri=p, format="txt", url=url))
    return docs


# One-time loads (the language model, the stoplists) stay cached; every other memo is cleared.
_KEEP_CACHED = frozenset({"_identifier", "_stopword_index"})


def clear_caches() -> None:
    """Empty the text modules' memo caches (lru_cache), so a pass sees the pages as new: a warm
    cache would credit later passes with hits on pages they have already seen."""
    for name, mod in list(sys.modules.items()):
        if name.startswith(("flows.text.", "flows.understand")):
            for attr, value in list(vars(mod).items()):
                if attr not in _KEEP_CACHED and callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def best_of(fn, passes: int) -> float:
    best = float("inf")
    for _ in range(passes):
        clear_caches()
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def outputs(docs: list[DocumentInput]) -> dict[str, tuple]:
    """Per-page outputs of the whole stage, for the before/after comparison."""
    repeats = _site_repeats(docs)
    out = {}
    for doc in docs:
        u = understand_document(doc, site_repeats=repeats.get(site_key(doc), frozenset()))
        f = detect_findings(doc, u, now=NOW)
        out[doc.document_id] = {
            "blocks": u.blocks, "body": (u.body_text, u.boilerplate_ratio), "metadata": u.metadata,
            "dates": (u.date_candidates, u.published), "sentences": u.sentences, "claims": u.claims,
            "mentions": u.mentions, "findings": f,
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devset", default=str(REPO.parent / "shared" / "devset"))
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--profile", type=int, default=30, help="cProfile top N by tottime (0: none)")
    ap.add_argument("--corpus", help="profile a bench/generate_corpus.py folder instead of the dev set")
    ap.add_argument("--with-url", action="store_true", help="pass the truth file's URL as the page URL")
    ap.add_argument("--save", help="pickle the per-page outputs here")
    ap.add_argument("--compare", help="compare the per-page outputs with this pickle")
    args = ap.parse_args()

    docs = load_docs(args.devset, args.with_url, args.corpus)
    quiet_collector()  # as a worker process does: collector time is part of the stage's cost there
    n = len(docs)
    repeats = _site_repeats(docs)
    reps = [repeats.get(site_key(d), frozenset()) for d in docs]
    blocks = [segment(d.text, hints=d.hints, site_repeats=r) for d, r in zip(docs, reps)]
    metas = [extract_metadata(d.text, b, url=d.url, hints=d.hints) for d, b in zip(docs, blocks)]
    cands = [find_date_candidates(d.text, b, url=d.url, fetched_at=d.fetched_at, hints=d.hints)
             for d, b in zip(docs, blocks)]
    pubs = [choose_publication_date(c, fetched_at=d.fetched_at) for d, c in zip(docs, cands)]
    us = [understand_document(d, site_repeats=r) for d, r in zip(docs, reps)]

    stages = {
        "site_repeats": lambda: _site_repeats(docs),
        "segment": lambda: [segment(d.text, hints=d.hints, site_repeats=r) for d, r in zip(docs, reps)],
        "body": lambda: [(body_text(b), boilerplate_ratio(d.text, b)) for d, b in zip(docs, blocks)],
        "metadata": lambda: [extract_metadata(d.text, b, url=d.url, hints=d.hints) for d, b in zip(docs, blocks)],
        "dates": lambda: [choose_publication_date(find_date_candidates(
            d.text, b, url=d.url, fetched_at=d.fetched_at, hints=d.hints), fetched_at=d.fetched_at)
            for d, b in zip(docs, blocks)],
        "claims": lambda: [extract_claims(d.text, b, p, dateline=m.dateline, language=m.language)
                           for d, b, p, m in zip(docs, blocks, pubs, metas)],
        "findings": lambda: [detect_findings(d, u, now=NOW) for d, u in zip(docs, us)],
        "batch_total": lambda: understand_batch(docs, code_version="x", run_id="r", now=NOW),
    }
    print(f"{n} pages in {len(set(map(site_key, docs)))} sites, {sum(map(bool, reps))} with site repeats, avg {sum(len(d.text) for d in docs) // n} chars; CPU ms/page, best of {args.passes}")
    parts = 0.0
    for name, fn in stages.items():
        ms = best_of(fn, args.passes) / n * 1000
        if name not in ("batch_total",):
            parts += ms
        print(f"  {name:14s} {ms:7.3f}")
    print(f"  {'sum of parts':14s} {parts:7.3f}  (batch_total adds row building and DataFrames)")

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        understand_batch(docs, code_version="x", run_id="r", now=NOW)
        prof.disable()
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(args.profile)
        print(s.getvalue())

    if args.save or args.compare:
        out = outputs(docs)
        frames = understand_batch(docs, code_version="x", run_id="r", now=NOW).frames
        if args.save:
            with open(args.save, "wb") as fh:
                pickle.dump({"pages": out, "frames": frames}, fh)
            print(f"saved outputs of {len(out)} pages to {args.save}")
        if args.compare:
            with open(args.compare, "rb") as fh:
                old = pickle.load(fh)
            diffs = 0
            for pid, parts_old in old["pages"].items():
                new = out.get(pid)
                bad = [k for k, v in parts_old.items() if new is None or new.get(k) != v]
                if bad:
                    diffs += 1
                    print(f"  DIFF {pid}: {', '.join(bad)}")
            for t, f in old["frames"].items():
                try:
                    pd.testing.assert_frame_equal(f, frames[t])  # values, dtypes, column order, index
                except (AssertionError, KeyError) as exc:
                    diffs += 1
                    print(f"  DIFF frame {t}: {str(exc)[:300]}")
            print(f"compare: {diffs} differences over {len(old['pages'])} pages and {len(old['frames'])} frames")


if __name__ == "__main__":
    main()
