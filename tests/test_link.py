"""flows.link: star-shaped copy groups, incremental linking equal to linking in one go, re-derivation."""

from __future__ import annotations

import datetime as dt
import importlib.util
import pathlib

import duckdb
import pandas as pd
import pytest

from flows.link import claim_id, link_frames, link_warehouse, load_frames, read_links

HERE = pathlib.Path(__file__).resolve().parent


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _module("test_lineage")
claims_mod = _module("test_clusters")


def _copies(base: pd.Series, n: int) -> pd.DataFrame:
    """`n` outlets re-publishing one wire story: each adds its own lead line; dates spread over days
    (copy 2 is the earliest)."""
    rows = []
    for k in range(n):
        body = f"Outlet {k} staff edition number {k} for readers in region {k}.\n\n" + base.body_text
        rows.append(dict(article_id=f"cp_{k:02d}", body_text=body, publisher=f"Outlet {k}",
                         wire_agency="Reuters", published_at=pd.NaT,
                         published_date=dt.date(2025, 3, 4) + dt.timedelta(days=abs(k - 2)),
                         story="valdoria_troops"))
    frame = pd.DataFrame(rows)
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    return frame


def world() -> tuple[pd.DataFrame, pd.DataFrame]:
    arts = corpus.all_articles()
    base = arts.set_index("article_id").loc["ms_b1"]
    arts = pd.concat([arts, _copies(base, 12)], ignore_index=True).drop(columns=["story"])
    claims = claims_mod.claims_frame().drop(columns=["claim_id"])
    return arts, claims


def _link_runs(batches: list[tuple[pd.DataFrame, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    con = duckdb.connect()
    try:
        for k, (arts, claims) in enumerate(batches):
            load_frames(con, arts, claims, f"run{k}")
            link_warehouse(con, f"run{k}")
        return read_links(con)
    finally:
        con.close()


def _claims_of(claims: pd.DataFrame, arts: pd.DataFrame) -> pd.DataFrame:
    return claims[claims.article_id.isin(set(arts.article_id))]


def _partition(labels: pd.Series) -> set[frozenset]:
    return {frozenset(g.index) for _, g in labels.groupby(labels)}


def _assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    pd.testing.assert_frame_equal(a["lineage"], b["lineage"])
    arts_a, arts_b = a["articles"].set_index("article_id"), b["articles"].set_index("article_id")
    assert arts_a.story_id.to_dict() == arts_b.story_id.to_dict()
    assert _partition(arts_a.source_id) == _partition(arts_b.source_id)
    assert _partition(arts_a.group_id) == _partition(arts_b.group_id)
    pd.testing.assert_frame_equal(a["clusters"].drop(columns=["article_id"]), b["clusters"].drop(columns=["article_id"]))
    pd.testing.assert_frame_equal(a["summary"], b["summary"])


@pytest.fixture(scope="module")
def one_go():
    arts, claims = world()
    return link_frames(arts, claims)


def test_copies_form_a_star_on_the_earliest_copy(one_go):
    lineage, groups = one_go["lineage"], one_go["articles"].set_index("article_id")
    members = [a for a in groups.index if groups.group_id[a] == groups.group_id["cp_00"]]
    # the 12 copies and the two Reuters pages they copy are one group; its canonical is the
    # earliest (ms_b2 carries a timestamp on 4 March; cp_02 is dated 4 March without one)
    assert {f"cp_{k:02d}" for k in range(12)} | {"ms_b1", "ms_b2"} == set(members)
    canon = groups.group_id["cp_00"]
    assert canon == "ms_b2"
    inside = lineage[lineage.article_id.isin(members) & lineage.related_article_id.isin(members)]
    assert len(inside) == len(members) - 1  # a star, not all 91 pairs
    assert ((inside.article_id == canon) | (inside.related_article_id == canon)).all()
    assert set(inside.relation) == {"syndicated_copy"}


def test_seed_expectations_hold(one_go):
    lineage = one_go["lineage"]

    def relation(a, b):
        hit = lineage[(lineage.article_id == min(a, b)) & (lineage.related_article_id == max(a, b))]
        return None if hit.empty else hit.relation.iloc[0]

    assert relation("seed000", "seed002") == "derived_rewrite"
    assert relation("seed000", "seed001") == "same_story"
    assert relation("seed003", "seed004") == "same_story"
    clusters = one_go["clusters"].set_index("claim_id")
    summary = one_go["summary"].set_index("cluster_id")
    hand = claims_mod.claims_frame()  # hand-made ids; the warehouse key is md5(article|claim_index)
    index = hand.groupby("article_id").cumcount()
    key = {h: claim_id(a, i) for h, a, i in zip(hand.claim_id, hand.article_id, index, strict=True)}
    troop = clusters.cluster_id[key["s001_q1"]]
    assert {h for h, k in key.items() if clusters.cluster_id[k] == troop} == claims_mod.TROOP_CLAIMS
    row = summary.loc[troop]
    assert row.n_articles == 5 and row.n_sources == 4 and row.agreement == "conflicting"


def test_two_increments_equal_one_go(one_go):
    arts, claims = world()
    # the second run brings copies (one dated earlier than others in the group) and a seed rewrite
    # arriving after its original
    late = arts.article_id.isin(["seed002", "seed004", "ms_c3", "ms_d2", "cp_02", "cp_07", "cp_11"])
    first, second = arts[~late], arts[late]
    again = _link_runs([(first, _claims_of(claims, first)), (second, _claims_of(claims, second))])
    _assert_same(again, one_go)


def test_new_earliest_copy_becomes_canonical(one_go):
    arts, claims = world()
    early = arts.article_id == "cp_05"
    arts.loc[early, "published_date"] = dt.date(2025, 3, 1)
    reference = link_frames(arts, claims)
    assert reference["articles"].set_index("article_id").group_id["cp_00"] == "cp_05"
    again = _link_runs([(arts[~early], _claims_of(claims, arts[~early])),
                        (arts[early], _claims_of(claims, arts[early]))])
    _assert_same(again, reference)


def test_many_small_increments_equal_one_go(one_go):
    arts, claims = world()
    order = arts.sample(frac=1.0, random_state=4)
    batches = [order.iloc[k:k + 5] for k in range(0, len(order), 5)]
    again = _link_runs([(b, _claims_of(claims, b)) for b in batches])
    _assert_same(again, one_go)


def test_rederived_document_replaces_its_links():
    arts, claims = world()
    changed = arts.copy()
    # ms_c2 re-derived: its body is now (a trimmed copy of) the AP Kessaria report itself
    c1 = changed.set_index("article_id").body_text["ms_c1"]
    changed.loc[changed.article_id == "ms_c2", "body_text"] = c1[: len(c1) * 3 // 4]
    # ms_d1 re-derived as an unrelated text: its copy group and links must go
    changed.loc[changed.article_id == "ms_d1", "body_text"] = (
        "Harvest festival opens in a quiet mountain town with music, bread and long tables.")
    reference = link_frames(changed, claims)
    redo = changed[changed.article_id.isin(["ms_c2", "ms_d1"])]
    again = _link_runs([(arts, claims), (redo, _claims_of(claims, redo))])
    _assert_same(again, reference)
    lineage = again["lineage"]
    assert lineage[(lineage.article_id == "ms_d1") | (lineage.related_article_id == "ms_d1")].empty
    row = lineage[(lineage.article_id == "ms_c1") & (lineage.related_article_id == "ms_c2")]
    assert row.relation.tolist() == ["syndicated_copy"]


def test_rerun_without_new_documents_changes_nothing(one_go):
    arts, claims = world()
    con = duckdb.connect()
    try:
        load_frames(con, arts, claims, "run0")
        link_warehouse(con, "run0")
        stats = link_warehouse(con, "run1")
        assert stats["linked_articles"] == 0
        _assert_same(read_links(con), one_go)
    finally:
        con.close()


def test_lineage_rows_grow_linearly_with_copies():
    arts, _ = world()
    base = arts.set_index("article_id").loc["ms_b1"]
    small = link_frames(_copies(base, 10))["lineage"]
    large = link_frames(_copies(base, 40))["lineage"]
    assert len(small) == 9 and len(large) == 39
