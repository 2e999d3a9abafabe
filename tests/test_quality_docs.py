"""Data Docs grow by the run: a validation renders its own result pages and the index, and leaves
the pages of earlier runs as they are (real GX on the seeds' marts)."""

from __future__ import annotations

import datetime as dt
import time

from flows.quality import read_marts, validate_frames


def _pages(docs_dir):
    return {p: p.stat().st_mtime_ns for p in (docs_dir / "validations").rglob("*.html")}


def test_a_validation_renders_only_its_own_result_pages(seeds_run, tmp_path):
    _, warehouse = seeds_run
    frames = read_marts(warehouse)
    results, docs = tmp_path / "results", tmp_path / "docs"
    now = dt.datetime.now(dt.timezone.utc)
    validate_frames(frames, run_id="first", now=now, results_dir=results, docs_dir=docs)
    first = _pages(docs)
    # a page per stored result: one per mart
    assert len(first) >= len(frames)
    time.sleep(0.05)  # distinct modification times
    outcome = validate_frames(frames, run_id="second", now=now, results_dir=results, docs_dir=docs)
    second = _pages(docs)
    new = set(second) - set(first)
    assert len(new) == len(first)  # the second run's pages were rendered ...
    assert all(second[p] == first[p] for p in first)  # ... and the first run's were left alone
    index = (docs / "index.html").read_text(encoding="utf-8")
    for page in second:  # the index links every run's pages
        assert page.relative_to(docs).as_posix() in index
    assert outcome.data_docs_index == docs / "index.html"


def test_validation_frames_carry_only_the_columns_the_suites_check(seeds_run):
    """A first run of a big corpus reads its whole marts into GX: only the checked columns are read."""
    import json

    from flows.settings import EXPECTATIONS_DIR

    _, warehouse = seeds_run
    frames = read_marts(warehouse)
    claims = frames["fct_claims"]
    suite = json.loads((EXPECTATIONS_DIR / "gx" / "expectations" / "fct_claims_suite.json").read_text())
    checked = {e["kwargs"][k] for e in suite["expectations"] for k in ("column", "column_A", "column_B")
               if k in e["kwargs"]}
    assert checked <= set(claims.columns)  # every checked column is there ...
    assert {"claim_id", "article_id", "run_id"} <= set(claims.columns)  # ... with the row ids ...
    assert "evidence_text" not in claims.columns and "attribution_text" not in claims.columns  # ... not the rest
    assert "body_text" not in frames["dim_articles"].columns
    assert len(claims) > 0
