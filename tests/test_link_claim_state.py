"""The state the incremental claim clustering keeps (flows.link_claims): per-key subject counts, the
chained part ranges of each subject group (and its pool of unchained claims), each cluster's
running totals and its label-value and source counts stay what a from-scratch link of the final corpus stores, through runs that add,
re-derive, remove and re-story articles; a new claim bridging two parts merges them and its removal
splits them again."""

from __future__ import annotations

import random

import duckdb
import pandas as pd
import pytest

from flows.link import claim_id, link_warehouse, read_links

import test_link as link_tests  # the fixture corpus of the link tests (tests/ is on sys.path)
import test_link_incremental_claims as inc_tests

_STATE = {
    "claim_subjects": "story_id, group_key, key",
    "claim_parts": "story_id, group_key, sgid, lo nulls first",
    "cluster_totals": "cluster_id",
    "claim_keys": "story_id, group_key, key",
    "cluster_values": "cluster_id, field, v",
}


def _state(con) -> dict[str, pd.DataFrame]:
    return {name: con.execute(f"select * from link.{name} order by {order}").df()  # fixed names
            for name, order in _STATE.items()}


def _from_scratch(arts, claims) -> dict[str, pd.DataFrame]:
    con = duckdb.connect()
    try:
        inc_tests._run(con, arts, claims, "all")
        return _state(con)
    finally:
        con.close()


def _assert_state_equal(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in _STATE:
        pd.testing.assert_frame_equal(a[name], b[name], obj=f"link.{name}")


@pytest.fixture(scope="module")
def world():
    return inc_tests._world()


def test_state_after_added_rederived_removed_and_restoried_articles_equals_from_scratch(world):
    arts, claims = world
    ids = sorted(arts.article_id)
    rng = random.Random(3)
    first = set(rng.sample(ids, len(ids) // 2))
    gone = sorted(rng.sample(sorted(first), 3))
    redo = sorted(rng.sample(sorted(first - set(gone)), 4))
    new_claims = inc_tests._synthetic_claims(redo, seed=42, per_article=5)
    new_claims["claim_index"] = new_claims.groupby("article_id").cumcount()
    final_claims = pd.concat([claims[~claims.article_id.isin(redo)], new_claims], ignore_index=True)
    restoried = arts.copy()  # seed000's new body leaves its story: the claims of that story move
    restoried.loc[restoried.article_id == "seed000", "body_text"] = (
        "Harvest festival opens in a quiet mountain town with music, bread and long tables.")
    final_arts = restoried[~restoried.article_id.isin(gone)]
    con = duckdb.connect()
    try:
        inc_tests._run(con, arts[arts.article_id.isin(first)], claims, "run0")
        _assert_state_equal(_state(con), _from_scratch(arts[arts.article_id.isin(first)], claims))
        rest = arts[~arts.article_id.isin(first)]
        inc_tests._run(con, pd.concat([rest, arts[arts.article_id.isin(redo)]]), final_claims, "run1")
        inc_tests._remove(con, gone)
        link_warehouse(con, "run2")
        inc_tests._run(con, restoried[restoried.article_id == "seed000"], final_claims, "run3")
        state, out = _state(con), read_links(con)
    finally:
        con.close()
    _assert_state_equal(state, _from_scratch(final_arts, final_claims))
    inc_tests._assert_equal(out, inc_tests._one_go(final_arts, final_claims))


def _troops(values: dict[tuple[str, int], float | None]) -> pd.DataFrame:
    """"troops" quantity claims of copy articles, by (article, claim index) (None: no figure, so no
    position)."""
    return pd.DataFrame([dict(article_id=a, claim_index=i, claim_type="quantity", claim_text=f"{v} troops",
                              quantity_value=float("nan") if v is None else v, quantity_low=float("nan"),
                              quantity_high=float("nan"), quantity_unit="troops", qualifier=None,
                              attributed_to=None, subject="troops", event_verb=None, event_date=None)
                         for (a, i), v in values.items()])


def test_bridging_claim_merges_two_parts_and_its_removal_splits_them():
    arts, _ = link_tests.world()  # cp_00..cp_11: copies of one story
    # cp_00 has a claim in each part: merged, they count it (and the copies' one source) once
    claims = _troops({("cp_00", 0): 1.0, ("cp_01", 0): 5.0, ("cp_02", 0): 100.0, ("cp_03", 0): 200.0,
                      ("cp_00", 1): 150.0, ("cp_04", 0): None, ("cp_05", 0): 30.0})
    without = arts[arts.article_id != "cp_05"]

    def parts(con) -> list[tuple]:
        return con.execute("""select lo, hi, n, first_id from link.claim_parts
                              where group_key = 'quantity|troops' order by lo nulls first""").fetchall()

    def cluster_of(out, article_id) -> str:
        return out["clusters"].set_index("claim_id").cluster_id[claim_id(article_id, 0)]

    first = {a: claim_id(a, 0) for a in claims.article_id}
    second = claim_id("cp_00", 1)
    con = duckdb.connect()
    try:
        inc_tests._run(con, without, claims, "run0")
        split = parts(con)
        split_out = read_links(con)
        inc_tests._run(con, arts[arts.article_id == "cp_05"], claims, "run1")  # 30 bridges 5 .. 100
        merged = parts(con)
        merged_out = read_links(con)
        inc_tests._remove(con, ["cp_05"])
        link_warehouse(con, "run2")
        again = parts(con)
        again_out = read_links(con)
    finally:
        con.close()
    # 1 and 5 chain (5 <= 10 x 1), 100, 150 and 200 chain, 100 > 10 x 5 splits; the figure-less
    # claim is the pool, joining the larger part
    assert split == [(None, None, 1, first["cp_04"]), (1.0, 5.0, 2, min(first["cp_00"], first["cp_01"])),
                     (100.0, 200.0, 3, min(first["cp_02"], first["cp_03"], second))]
    assert cluster_of(split_out, "cp_04") == cluster_of(split_out, "cp_02") != cluster_of(split_out, "cp_00")
    assert merged == [(None, None, 1, first["cp_04"]),
                      (1.0, 200.0, 6, min([second] + [first[a] for a in ("cp_00", "cp_01", "cp_02", "cp_03", "cp_05")]))]
    assert len({cluster_of(merged_out, a) for a in first}) == 1
    assert again == split
    inc_tests._assert_equal(again_out, split_out)
    inc_tests._assert_equal(merged_out, inc_tests._one_go(arts, claims))
    summary = merged_out["summary"].set_index("cluster_id").loc[cluster_of(merged_out, "cp_00")]
    assert (summary.n_claims, summary.n_articles, summary.n_sources, summary.value_min, summary.value_max) == (
        7, 6, 1, 1.0, 200.0)


def test_state_with_claims_but_without_parts_is_indexed_once(world):
    """A state file made before the part ranges and totals (link.claims only, as the code before
    them left it): the next run builds them from the stored claims and gives the one-run outputs."""
    arts, claims = world
    late = arts.article_id.isin(["seed003", "ms_c3", "cp_04"])
    con = duckdb.connect()
    try:
        inc_tests._run(con, arts[~late], claims, "run0")
        for name in ("claim_subjects", "claim_parts", "cluster_totals"):
            con.execute(f"drop table link.{name}")  # fixed names
        stats = inc_tests._run(con, arts[late], claims, "run1")
        state, out = _state(con), read_links(con)
    finally:
        con.close()
    assert stats["signed_articles"] < len(arts)
    _assert_state_equal(state, _from_scratch(arts, claims))
    inc_tests._assert_equal(out, inc_tests._one_go(arts, claims))


def test_state_without_value_counts_counts_the_stored_members_once(world):
    """A state file made before ``link.cluster_values`` (totals only, as the code before it left it):
    the next run counts the stored clusters' members once, so clusters that only gain claims take
    their labels and sources from every member, and later runs keep the counts as a from-scratch
    link stores them."""
    arts, claims = world
    ids = sorted(arts.article_id)
    first = set(random.Random(5).sample(ids, len(ids) * 2 // 3))
    con = duckdb.connect()
    try:
        inc_tests._run(con, arts[arts.article_id.isin(first)], claims, "run0")
        stored = con.execute("select count(*) from link.cluster_values").fetchone()[0]
        con.execute("drop table link.cluster_values")
        inc_tests._run(con, arts[~arts.article_id.isin(first)], claims, "run1")
        state, out = _state(con), read_links(con)
    finally:
        con.close()
    assert stored > 0
    _assert_state_equal(state, _from_scratch(arts, claims))
    inc_tests._assert_equal(out, inc_tests._one_go(arts, claims))


def test_label_counts_the_cluster_members_already_stored():
    """A cluster that only gains claims takes its label from all members' counts: two new "korean
    troops" claims outnumber the two stored "troops" ones only with the stored "korean troops" one."""
    arts, _ = link_tests.world()
    claims = _troops({(a, 0): 100.0 for a in ("cp_00", "cp_01", "cp_02", "cp_03", "cp_04")})
    claims["subject"] = ["troops", "troops", "korean troops", "korean troops", "korean troops"]
    late = arts.article_id.isin(["cp_03", "cp_04"])
    con = duckdb.connect()
    try:
        inc_tests._run(con, arts[~late], claims, "run0")
        before = read_links(con)
        inc_tests._run(con, arts[late], claims, "run1")
        after = read_links(con)
    finally:
        con.close()
    assert set(before["summary"].label) >= {"troops (troops)"}
    assert "korean troops (troops)" in set(after["summary"].label)
    inc_tests._assert_equal(after, inc_tests._one_go(arts, claims))
