"""The fast paths of the link step give what the simple paths give: batched signatures, evidence
spans without full tokenisation, prefix-filtered quote/statement grouping, the numpy fetch; and an
incremental run only re-signs, rewrites and re-summarises what it must."""

from __future__ import annotations

import itertools
import random

import duckdb
import numpy as np
import pandas as pd
import pytest

from flows.link import _fetch, link_warehouse, load_frames, read_links
from flows.text.clusters import _similar_roots, _text_tokens
from flows.text.lineage import article_signature, article_signatures
from flows.text.shingles import token_span, tokenize

import test_link as link_tests  # the fixture corpus of the link tests (tests/ is on sys.path)


@pytest.fixture(scope="module")
def world():
    return link_tests.world()


def _rows(arts: pd.DataFrame) -> list[tuple]:
    return list(zip(arts.article_id, arts.body_text, arts.wire_agency, arts.published_date,
                    arts.published_at, strict=True))


def test_batched_signatures_equal_one_by_one(world):
    arts, _ = world
    rows = _rows(arts) + [
        ("empty", "", None, None, None),
        ("four_words", "Troops crossed the border", "AFP", None, None),
        ("cjk", "北朝鮮はロシアとの条約を批准した。両国の首脳が六月に署名した。",
         None, None, None),
    ]
    batched = article_signatures(rows)
    assert [s.article_id for s in batched] == [r[0] for r in rows]
    for row, fast in zip(rows, batched, strict=True):
        slow = article_signature(*row)
        assert np.array_equal(fast.shingles, slow.shingles) and fast.shingles.dtype == slow.shingles.dtype
        assert np.array_equal(fast.bands, slow.bands) and fast.bands.dtype == slow.bands.dtype
        assert np.array_equal(fast.positions, slow.positions)
        assert (fast.date, fast.stamp, fast.agency, fast.key) == (slow.date, slow.stamp, slow.agency, slow.key)
        for a, b in zip(fast.keywords, slow.keywords, strict=True):
            assert np.array_equal(a, b)
    assert len(batched[-3].shingles) == 0 and len(batched[-3].bands) == 0  # no text, no bands
    assert len(batched[-1].shingles) > 0  # space-less script still shingles


def test_token_span_matches_tokenize(world):
    arts, _ = world
    rng = random.Random(3)
    for text in arts.body_text.tolist()[:8]:
        tok = tokenize(text)
        n = len(tok.words)
        for _ in range(20):
            first = rng.randrange(n)
            last = min(n - 1, first + rng.randrange(45))
            assert token_span(text, first, last) == (int(tok.starts[first]), int(tok.ends[last]))


def _brute_roots(keys: list[frozenset[str]]) -> list[int]:
    parent = list(range(len(keys)))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for x, y in itertools.combinations(range(len(keys)), 2):
        if len(keys[x] & keys[y]) / len(keys[x] | keys[y]) >= 0.8:
            parent[max(find(x), find(y))] = min(find(x), find(y))
    return [find(x) for x in range(len(keys))]


def test_prefix_filtered_grouping_equals_all_pairs():
    base = [
        "The defence ministry said 3,000 troops crossed the northern border before dawn on Tuesday",
        "Officials in Valdoria confirmed that the harbour would stay closed to container ships",
        "We will not accept any settlement that leaves our people without water, the mayor said",
    ]
    rng = random.Random(11)
    texts = []
    for line in base:
        words = line.split()
        texts.append(line)
        for _ in range(25):  # outlets trim, reword and reorder the same sentence
            w = list(words)
            for _ in range(rng.randrange(4)):
                op = rng.randrange(3)
                k = rng.randrange(len(w))
                if op == 0 and len(w) > 5:
                    del w[k]
                elif op == 1:
                    w.insert(k, rng.choice(["reportedly", "local", "again", "officially", "on", "Monday"]))
                else:
                    w[k], w[-1 - k] = w[-1 - k], w[k]
            texts.append(" ".join(w))
    keys = list({t for t in map(_text_tokens, texts) if len(t) >= 4})
    roots = _similar_roots(keys)
    brute = _brute_roots(keys)
    groups_fast = {frozenset(k for k, r in zip(keys, roots, strict=True) if r == root) for root in roots}
    groups_slow = {frozenset(keys[i] for i in range(len(keys)) if brute[i] == b) for b in brute}
    assert groups_fast == groups_slow
    assert 1 < len(groups_fast) < len(keys)  # some merged, the three sentences stay apart


def test_fetch_keeps_missing_values_missing():
    con = duckdb.connect()
    try:
        frame = _fetch(con, "select * from (values ('a', null::varchar, null::double, null::date, 1), "
                            "('b', 'troops', 2.5, date '2024-11-12', 2)) t(id, unit, v, d, n)")
    finally:
        con.close()
    assert frame["unit"].tolist() == [None, "troops"]  # not numpy's "?" fill value
    assert np.isnan(frame["v"].iloc[0]) and frame["v"].iloc[1] == 2.5
    assert pd.isna(frame["d"].iloc[0]) and str(frame["d"].iloc[1])[:10] == "2024-11-12"
    assert frame["n"].tolist() == [1, 2]


def test_incremental_run_touches_only_what_changed(world):
    arts, claims = world
    # a late copy of a linked story (no claims) and a late report of another story (with claims)
    late = arts.article_id.isin(["cp_07", "ms_c3"])
    first, second = arts[~late], arts[late]
    con = duckdb.connect()
    try:
        load_frames(con, first, link_tests._claims_of(claims, first), "run0")
        full = link_warehouse(con, "run0")
        load_frames(con, second, link_tests._claims_of(claims, second), "run1")
        inc = link_warehouse(con, "run1")
        rewritten = con.execute("select count(*) from derived.claim_clusters where run_id = 'run1'").fetchone()[0]
        total = con.execute("select count(*) from derived.claim_clusters").fetchone()[0]
        out = read_links(con)
    finally:
        con.close()
    assert full["signed_articles"] == len(first)
    # the new articles plus the representatives/canonicals of the groups they meet, not the history
    assert len(second) <= inc["signed_articles"] < len(first) // 2
    assert inc["linked_articles"] == 2
    assert inc["resummarised_clusters"] < full["resummarised_clusters"]
    # claim rows whose cluster and label stay as they were are not rewritten
    assert 0 < rewritten < total
    link_tests._assert_same(out, link_tests.link_frames(arts, claims))


def test_claims_reclustered_in_small_batches_give_the_same_outputs(world, monkeypatch):
    """New claims are derived in batches of `_CLAIM_BATCH` claims and the claim rows rewritten and
    clusters totalled in SQL batches of about `_ROWS_BATCH` claims (bounded memory): tiny batches, in
    a full and an incremental run, change nothing."""
    import flows.link as link

    arts, claims = world
    expected = link.link_frames(arts, claims)
    monkeypatch.setattr(link, "_CLAIM_BATCH", 3)
    monkeypatch.setattr(link, "_ROWS_BATCH", 4)
    late = arts.article_id.isin(["cp_07", "ms_c3"])
    first, second = arts[~late], arts[late]
    con = duckdb.connect()
    try:
        load_frames(con, first, link_tests._claims_of(claims, first), "run0")
        link_warehouse(con, "run0")
        load_frames(con, second, link_tests._claims_of(claims, second), "run1")
        link_warehouse(con, "run1")
        incremental = read_links(con)
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()
    assert not tables & {"_link_moved", "_link_stay"}  # the batch tables are dropped
    assert limit != link.MEMORY_LIMIT  # the connection's own memory limit is restored
    link_tests._assert_same(link.link_frames(arts, claims), expected)
    link_tests._assert_same(incremental, expected)
    assert len(expected["clusters"]) > 3  # the batches really split the claims
