"""Claim clusters kept incrementally (flows.link_claims): builds in 2-3 runs with new, re-derived,
removed and re-storied articles give exactly the link outputs of one run, and those equal what
`cluster_claims` / `summarise_clusters` give on the whole final corpus."""

from __future__ import annotations

import itertools
import random

import duckdb
import pandas as pd
import pytest

from flows.link import claim_id, link_warehouse, load_frames, read_links
from flows.text.clusters import (
    PAIRWISE_MAX_KEYS,
    cluster_claims,
    key_candidates,
    key_components,
    summarise_clusters,
)

import test_link as link_tests  # the fixture corpus of the link tests (tests/ is on sys.path)

_SUBJECTS = ["north korean troops", "korean soldiers", "troops", "russian forces", "ukrainian drones",
             "civilians", "border guards", "artillery shells", "north korean artillery", None, None]
_UNITS = ["troops", "people", "usd", "drones"]
_QUALIFIERS = [None, None, "more than", "about", "up to", "nearly", "thousands"]
_VERBS = ["ratified", "signed", "deployed", "visited", "met"]
_QUOTES = [
    "we will provide military and other assistance using all available means",
    "the treaty opens a new page in the relations between our two countries",
    "this is a dangerous escalation and the world must respond to it now",
    "no",
]


def _synthetic_claims(article_ids: list[str], seed: int, per_article: int = 6) -> pd.DataFrame:
    """Claims of every kind over `article_ids`: subjects that are compatible or not, values spread
    over magnitudes (some without a figure), dates a few days apart or not, quotes that differ in one
    word, quantities without a unit."""
    rng = random.Random(seed)
    rows = []
    for a in article_ids:
        for _ in range(per_article):
            kind = rng.choice(["quantity", "quantity", "event", "quote", "statement"])
            row = dict(article_id=a, claim_type=kind, claim_text=None, quantity_value=float("nan"),
                       quantity_low=float("nan"), quantity_high=float("nan"), quantity_unit=None,
                       qualifier=None, attributed_to=rng.choice([None, "KCNA", "Seoul"]),
                       subject=rng.choice(_SUBJECTS), event_verb=None, event_date=None)
            if kind == "quantity":
                row["quantity_unit"] = rng.choice(_UNITS + [None])
                row["qualifier"] = rng.choice(_QUALIFIERS)
                if rng.random() < 0.85:
                    row["quantity_value"] = float(rng.choice([3, 12, 950, 1_000, 10_000, 11_000, 12_000,
                                                              90_000, 2_000_000]))
                row["claim_text"] = f"{row['qualifier'] or ''} {row['quantity_value']} {row['quantity_unit']}"
            elif kind == "event":
                row["event_verb"] = rng.choice(_VERBS)
                if rng.random() < 0.8:
                    row["event_date"] = str(pd.Timestamp("2024-11-01") + pd.Timedelta(days=rng.choice(
                        [0, 2, 4, 5, 9, 30])))[:10]
                row["claim_text"] = f"{row['subject']} {row['event_verb']}"
            else:
                words = rng.choice(_QUOTES).split()
                if len(words) > 3 and rng.random() < 0.5:  # one word changed: still near-identical
                    words[rng.randrange(len(words))] = rng.choice(["all", "every", "the", "soon"])
                row["claim_text"] = " ".join(words)
            rows.append(row)
    return pd.DataFrame(rows)


def _many_subjects(article_ids: list[str], start: int, n: int) -> pd.DataFrame:
    """`n` quantity claims in one story, each with its own subject ("district K residents": every
    pair is compatible), spread over `article_ids`: enough of them flip the group from pairwise
    subject matching to equal subjects only."""
    rows = [dict(article_id=article_ids[k % len(article_ids)], claim_type="quantity",
                 claim_text=f"{k} residents", quantity_value=float(100 + k % 7), quantity_low=float("nan"),
                 quantity_high=float("nan"), quantity_unit="residents", qualifier=None, attributed_to=None,
                 subject=f"district {k} residents", event_verb=None, event_date=None)
            for k in range(start, start + n)]
    return pd.DataFrame(rows)


def _world(seed: int = 7):
    arts, hand = link_tests.world()
    ids = sorted(arts.article_id)
    claims = pd.concat([hand, _synthetic_claims(ids, seed)], ignore_index=True)
    claims["claim_index"] = claims.groupby("article_id").cumcount()
    return arts, claims


def _run(con, arts, claims, run_id):
    load_frames(con, arts, claims[claims.article_id.isin(set(arts.article_id))], run_id)
    return link_warehouse(con, run_id)


def _remove(con, ids: list[str]) -> None:
    con.execute("delete from raw.claims where document_id in (select unnest(?))", [ids])
    con.execute("delete from raw.articles where document_id in (select unnest(?))", [ids])


def _one_go(arts, claims):
    con = duckdb.connect()
    try:
        _run(con, arts, claims, "all")
        return read_links(con)
    finally:
        con.close()


def _assert_equal(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    link_tests._assert_same(a, b)
    pd.testing.assert_frame_equal(a["clusters"], b["clusters"])  # the article of each claim too


def _assert_matches_reference(out: dict[str, pd.DataFrame], arts, claims) -> None:
    """The clusters, labels and summaries equal `cluster_claims` / `summarise_clusters` on the final
    corpus, with the stories and sources the link found."""
    frame = claims[claims.article_id.isin(set(arts.article_id))].copy()
    frame["claim_id"] = [claim_id(a, i) for a, i in zip(frame.article_id, frame.claim_index, strict=True)]
    frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.date
    index = out["articles"].set_index("article_id")
    ref = cluster_claims(frame, arts, None, stories=index.story_id.to_dict())
    got = out["clusters"].set_index("claim_id").sort_index()
    ref = ref.set_index("claim_id").sort_index()
    assert got.index.equals(ref.index)
    assert (got.cluster_id == ref.cluster_id).all()
    assert (got.cluster_label == ref.cluster_label).all()
    assert (got.story_id == ref.story_id).all()
    summary = summarise_clusters(frame.merge(ref.reset_index(), on="claim_id"), arts, None,
                                 sources=index.source_id.to_dict())
    cols = ["cluster_id", "label", "claim_type", "story_id", "n_claims", "n_articles", "n_sources", "value_min", "value_max",
            "agreement", "agreement_evidence"]
    pd.testing.assert_frame_equal(out["summary"][cols].reset_index(drop=True),
                                  summary[cols].sort_values("cluster_id").reset_index(drop=True),
                                  check_dtype=False)


@pytest.fixture(scope="module")
def world():
    return _world()


def test_one_run_equals_cluster_claims_on_the_whole_corpus(world):
    arts, claims = world
    out = _one_go(arts, claims)
    assert out["clusters"].cluster_id.nunique() < len(out["clusters"])  # claims really cluster
    _assert_matches_reference(out, arts, claims)


def test_three_runs_with_rederived_and_removed_articles_equal_one_run(world):
    arts, claims = world
    ids = sorted(arts.article_id)
    rng = random.Random(11)
    first = set(rng.sample(ids, len(ids) // 2))
    gone = sorted(rng.sample(sorted(first), 3))  # linked in run 1, removed before run 3
    redo = sorted(rng.sample(sorted(first - set(gone)), 4))  # re-derived in run 2: new claims
    new_claims = _synthetic_claims(redo, seed=99, per_article=5)
    new_claims["claim_index"] = new_claims.groupby("article_id").cumcount()
    final_claims = pd.concat([claims[~claims.article_id.isin(redo)], new_claims], ignore_index=True)
    final_arts = arts[~arts.article_id.isin(gone)]

    con = duckdb.connect()
    try:
        _run(con, arts[arts.article_id.isin(first)], claims, "run0")
        rest = arts[~arts.article_id.isin(first)]
        _run(con, pd.concat([rest, arts[arts.article_id.isin(redo)]]), final_claims, "run1")
        _remove(con, gone)
        stats = link_warehouse(con, "run2")
        again = read_links(con)
        left = {r[0] for r in con.execute("select article_id from link.claims").fetchall()}
    finally:
        con.close()
    assert stats["signed_articles"] < len(final_arts) and not left & set(gone)
    reference = _one_go(final_arts, final_claims)
    _assert_equal(again, reference)
    _assert_matches_reference(again, final_arts, final_claims)


def test_story_change_moves_the_claims_of_the_story(world):
    """A re-derived article whose new body no longer shares the story: its claims and those of the
    story it left are re-clustered; any order of runs gives the one-run outputs."""
    arts, claims = world
    changed = arts.copy()
    changed.loc[changed.article_id == "seed000", "body_text"] = (
        "Harvest festival opens in a quiet mountain town with music, bread and long tables.")
    reference = _one_go(changed, claims)
    con = duckdb.connect()
    try:
        _run(con, arts, claims, "run0")
        _run(con, changed[changed.article_id == "seed000"], claims, "run1")
        again = read_links(con)
    finally:
        con.close()
    _assert_equal(again, reference)
    before = _one_go(arts, claims)["articles"].set_index("article_id").story_id
    after = reference["articles"].set_index("article_id").story_id
    assert (after != before).sum() == 4  # the story split: the claims of its other articles moved


def test_group_crossing_the_pairwise_switch_both_ways(world):
    """A story group that grows past `PAIRWISE_MAX_KEYS` distinct subjects (equal subjects only) and
    shrinks back below it when articles go (pairwise again) gives the one-run clusters each time."""
    arts, claims = world
    copies = sorted(a for a in arts.article_id if a.startswith("cp_"))
    base = _many_subjects(copies[:6], 0, 300)
    more = _many_subjects(copies[6:], 300, PAIRWISE_MAX_KEYS)
    extra = pd.concat([claims, base, more], ignore_index=True)
    extra["claim_index"] = extra.groupby("article_id").cumcount()
    early = arts[~arts.article_id.isin(copies[6:])]
    con = duckdb.connect()
    try:
        _run(con, early, extra, "run0")
        small = read_links(con)
        _run(con, arts[arts.article_id.isin(copies[6:])], extra, "run1")
        big = read_links(con)
        _remove(con, copies[6:])
        link_warehouse(con, "run2")
        shrunk = read_links(con)
    finally:
        con.close()
    _assert_equal(small, _one_go(early, extra))
    _assert_equal(big, _one_go(arts, extra))
    _assert_equal(shrunk, small)
    big_clusters = big["clusters"].set_index("claim_id").cluster_id
    small_clusters = small["clusters"].set_index("claim_id").cluster_id
    first = claim_id(copies[0], int(extra[extra.article_id == copies[0]].claim_index.max()))
    assert (small_clusters == small_clusters[first]).sum() > 1  # pairwise: district subjects join
    assert (big_clusters == big_clusters[first]).sum() < (small_clusters == small_clusters[first]).sum()


def test_many_small_runs_in_random_order_equal_one_run(world):
    arts, claims = world
    order = arts.sample(frac=1.0, random_state=21)
    con = duckdb.connect()
    try:
        for k in range(0, len(order), 4):
            _run(con, order.iloc[k:k + 4], claims, f"run{k}")
        again = read_links(con)
    finally:
        con.close()
    _assert_equal(again, _one_go(arts, claims))


def test_state_without_claim_index_is_indexed_once(world):
    """A state file made before ``link.claims`` existed: the next run indexes every claim and gives
    the one-run outputs."""
    arts, claims = world
    late = arts.article_id.isin(["seed003", "ms_c3", "cp_04"])
    con = duckdb.connect()
    try:
        _run(con, arts[~late], claims, "run0")
        con.execute("drop table link.claims")
        con.execute("drop table link.claim_keys")
        _run(con, arts[late], claims, "run1")
        again = read_links(con)
    finally:
        con.close()
    _assert_equal(again, _one_go(arts, claims))


def test_incremental_run_rewrites_only_changed_clusters(world):
    arts, claims = world
    late = arts.article_id.isin(["ms_c3"])
    con = duckdb.connect()
    try:
        full = _run(con, arts[~late], claims, "run0")
        inc = _run(con, arts[late], claims, "run1")
        rewritten = con.execute("select count(*) from derived.claim_clusters where run_id = 'run1'").fetchone()[0]
        total = con.execute("select count(*) from derived.claim_clusters").fetchone()[0]
    finally:
        con.close()
    assert inc["reclustered_claims"] < full["reclustered_claims"] // 4
    assert inc["resummarised_clusters"] < full["resummarised_clusters"] // 4
    assert 0 < rewritten < total // 4


@pytest.mark.parametrize("group_key", ["quantity|troops", "quote"])
def test_key_components_updated_in_place_equal_recomputed(group_key):
    """Removing and adding keys to stored components gives the components of the new key set."""
    rng = random.Random(5)
    vocab = ["troop", "korean", "north", "russian", "border", "guard", "drone", "shell", "civilian",
             "artillery", "unit", "force"]

    def key():
        size = rng.randint(1, 3) if group_key != "quote" else rng.randint(3, 6)
        return " ".join(sorted(set(rng.sample(vocab, size))))

    for _ in range(30):
        keys = sorted({key() for _ in range(rng.randint(5, 25))})
        cands = key_candidates(group_key, keys)
        old = key_components(group_key, cands)
        kept = [k for k in cands if rng.random() < 0.7]
        now = sorted(set(kept) | {k for k in key_candidates(group_key, [key() for _ in range(6)])})
        assert key_components(group_key, now, old) == key_components(group_key, now)
        # and the full computation is the plain all-pairs components
        parent = {k: k for k in now}

        def find(x):
            while parent[x] != x:
                x = parent[x]
            return x

        for a, b in itertools.combinations(now, 2):
            ta, tb = set(a.split()), set(b.split())
            if group_key == "quote":
                ok = len(ta & tb) / len(ta | tb) >= 0.8
            else:
                inter = len(ta & tb)
                ok = inter / len(ta | tb) >= 0.5 or inter == min(len(ta), len(tb))
            if ok:
                ra, rb = find(a), find(b)
                parent[max(ra, rb)] = min(ra, rb)
        assert key_components(group_key, now) == {k: find(k) for k in now}
