"""The bucket representatives tier 1 reads (``link.band_reps``: per MinHash band and copy group, the
group's earliest member carrying the band) stay what the stored bands and groups give, through runs
that add articles in any order (a later copy joining two groups merges them), re-derive and remove
articles; a state made before the table fills it once.  The outputs stay the one-run outputs."""

from __future__ import annotations

import duckdb
import pandas as pd

import test_link_incremental_claims as inc_tests  # the fixture corpus and run helpers (tests/ is on sys.path)
from flows.link import link_warehouse, read_links

# the rule, written out: per (band, group) the member with the smallest sort key
_EXPECTED = """
select band, group_id, article_id as rep, sort_key as rep_key from (
    select b.band, a.group_id, a.article_id, a.sort_key,
           row_number() over (partition by b.band, a.group_id order by a.sort_key) as k
    from link.bands b join link.articles a using (article_id))
where k = 1 order by all"""


def _assert_reps_hold(con) -> None:
    stored = con.execute("select band, group_id, rep, rep_key from link.band_reps order by all").df()
    pd.testing.assert_frame_equal(stored, con.execute(_EXPECTED).df())


def _groups(con) -> dict[str, str]:
    return dict(con.execute("select article_id, group_id from link.articles").fetchall())


def test_band_reps_follow_added_merged_rederived_and_removed_articles():
    arts, claims = inc_tests._world()
    order = arts.sample(frac=1.0, random_state=4)
    regrouped = 0
    con = duckdb.connect()
    try:
        for k in range(0, len(order), 3):
            before = _groups(con) if k else {}
            inc_tests._run(con, order.iloc[k:k + 3], claims, f"run{k}")
            _assert_reps_hold(con)
            after = _groups(con)
            regrouped += sum(1 for a, g in before.items() if after.get(a, g) != g)
        ids = sorted(arts.article_id)
        inc_tests._run(con, arts[arts.article_id.isin(ids[1:8:2])], claims, "redo")  # re-derived
        _assert_reps_hold(con)
        inc_tests._remove(con, ids[2:9:3])
        link_warehouse(con, "remove")
        _assert_reps_hold(con)
        out = read_links(con)
    finally:
        con.close()
    assert regrouped > 0  # some run merged groups that earlier runs had made
    final = arts[~arts.article_id.isin(ids[2:9:3])]
    inc_tests._assert_equal(out, inc_tests._one_go(final, claims))


def test_state_without_band_reps_fills_them_once():
    arts, claims = inc_tests._world()
    late = arts.article_id.isin(sorted(arts.article_id)[::4])
    con = duckdb.connect()
    try:
        inc_tests._run(con, arts[~late], claims, "run0")
        con.execute("drop table link.band_reps")
        inc_tests._run(con, arts[late], claims, "run1")
        _assert_reps_hold(con)
        out = read_links(con)
    finally:
        con.close()
    inc_tests._assert_equal(out, inc_tests._one_go(arts, claims))
