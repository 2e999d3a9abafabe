"""cluster_claims / summarise_clusters on hand-written claims of the seeds and the multi-story fixtures."""

from __future__ import annotations

import importlib.util
import math
import pathlib

import pandas as pd
import pytest

from flows.text.clusters import (
    CLUSTER_COLUMNS,
    SUMMARY_COLUMNS,
    cluster_claims,
    quantity_interval,
    summarise_clusters,
)

HERE = pathlib.Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("lineage_corpus", HERE / "test_lineage.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)
find_lineage = corpus.find_lineage

NAN = float("nan")
CLAIM_COLUMNS = ["claim_id", "article_id", "claim_type", "claim_text", "quantity_value", "quantity_low",
                 "quantity_high", "quantity_unit", "qualifier", "attributed_to", "subject", "event_verb",
                 "event_date"]

# Claims in the seeds' story paragraphs, written by hand (what the claims stage should find).
SEED_CLAIMS = [
    ("s000_q1", "seed000", "quantity", "having sent tens of thousands of troops to Russia",
     NAN, 20_000, 99_999, "troops", "tens of thousands", None, "north korean troops", None, None),
    ("s000_q2", "seed000", "quantity", "there are more than 10,000 North Korean soldiers in Russia",
     10_000, 10_000, NAN, "troops", "more than", "Seoul, Washington and Kyiv", "north korean soldiers",
     None, None),
    ("s000_e1", "seed000", "event", "North Korea has ratified a mutual defence treaty with Russia",
     NAN, NAN, NAN, None, None, "KCNA", "north korea", "ratify", "2024-11-11"),
    ("s000_t1", "seed000", "quote", "immediately provide military and other assistance using all available means",
     NAN, NAN, NAN, None, None, None, None, None, None),
    ("s000_t2", "seed000", "quote", "open a new page in instability in the world.",
     NAN, NAN, NAN, None, None, "Volodymyr Zelensky", None, None, None),
    ("s001_q1", "seed001", "quantity", "North Korea had sent 11,000 troops to Russia",
     11_000, NAN, NAN, "troops", None, "Volodymyr Zelensky", "north korean troops", None, None),
    ("s001_e1", "seed001", "event", "Putin signed into law a treaty",
     NAN, NAN, NAN, None, None, None, "vladimir putin", "signed", "2024-11-09"),
    ("s001_e2", "seed001", "event", "Russia's upper house ratified the treaty this week",
     NAN, NAN, NAN, None, None, None, "russia upper house", "ratified", "2024-11-06"),
    ("s002_q1", "seed002", "quantity", "North Korea has sent tens of thousands of troops to Russia",
     NAN, NAN, NAN, "troops", "tens of thousands", None, None, None, None),
    ("s002_q2", "seed002", "quantity", "North Korea sending more than 10,000 troops to Russia",
     10_000, NAN, NAN, "troops", "more than", None, "north korean troops", None, None),
    ("s002_e1", "seed002", "event", "Kim Jong Un signed a decree ratifying the treaty on November 11",
     NAN, NAN, NAN, None, None, "KCNA", "north korea", "ratified", "2024-11-11"),
    ("s002_t1", "seed002", "quote", "immediately provide military and other assistance by all available means",
     NAN, NAN, NAN, None, None, None, None, None, None),
    ("s003_q1", "seed003", "quantity", "the reported arrival of thousands of North Korean troops",
     NAN, NAN, NAN, "troops", "thousands", None, "north korean troops", None, None),
    ("s003_q2", "seed003", "quantity", "North Korea has deployed around 10,000 troops to Russia",
     10_000, NAN, NAN, "troops", "around", "South Korea, Ukraine and the West", "north korean troops",
     None, None),
    ("s003_e1", "seed003", "event", "North Korea has ratified a landmark defence pact with Russia",
     NAN, NAN, NAN, None, None, "KCNA", "north korea", "ratifies", "2024-11-12"),
    ("s004_q1", "seed004", "quantity", "North Korea has sent thousands of troops to Russia",
     NAN, NAN, NAN, "troops", "thousands", None, "north korean troops", None, None),
    ("s004_q2", "seed004", "quantity", "up to 12,000 North Korean troops have been sent to Russia",
     12_000, NAN, 12_000, "troops", "up to", None, "north korean troops", None, None),
    ("s004_q3", "seed004", "quantity", "more than 13,000 containers of artillery, missiles and other conventional arms",
     13_000, 13_000, NAN, "containers", "more than", "South Korea's spy agency", "north korean arms containers",
     None, None),
    ("s004_e1", "seed004", "event", "North Korea ratified the treaty through a decree signed Monday",
     NAN, NAN, NAN, None, None, "KCNA", "north korea", "ratify", "2024-11-11"),
]
TROOP_CLAIMS = {"s000_q1", "s000_q2", "s001_q1", "s002_q1", "s002_q2", "s003_q1", "s003_q2", "s004_q1",
                "s004_q2"}


def claims_frame() -> pd.DataFrame:
    seeds = pd.DataFrame(SEED_CLAIMS, columns=CLAIM_COLUMNS)
    fixtures = pd.read_csv(corpus.MULTI / "claims.csv", dtype={"claim_id": str, "article_id": str})
    frame = pd.concat([seeds, fixtures[CLAIM_COLUMNS]], ignore_index=True)
    return frame.astype({"quantity_value": float, "quantity_low": float, "quantity_high": float})


@pytest.fixture(scope="module")
def world():
    articles = corpus.all_articles()
    lineage = find_lineage(articles.drop(columns=["story"]))
    claims = claims_frame()
    clustered = claims.merge(cluster_claims(claims, articles, lineage), on="claim_id")
    summary = summarise_clusters(clustered, articles, lineage)
    return articles, lineage, claims, clustered, summary


def _cluster_of(clustered: pd.DataFrame, claim_id: str) -> str:
    return clustered.loc[clustered.claim_id == claim_id, "cluster_id"].iloc[0]


def _members(clustered: pd.DataFrame, claim_id: str) -> set[str]:
    return set(clustered.loc[clustered.cluster_id == _cluster_of(clustered, claim_id), "claim_id"])


def _summary_row(world, claim_id: str) -> pd.Series:
    _, _, _, clustered, summary = world
    return summary.set_index("cluster_id").loc[_cluster_of(clustered, claim_id)]


def test_output_shapes(world):
    _, _, claims, clustered, summary = world
    out = cluster_claims(claims, world[0], world[1])
    assert list(out.columns) == CLUSTER_COLUMNS
    assert len(out) == len(claims) and out.claim_id.is_unique
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert summary.cluster_id.is_unique
    assert set(summary.agreement) <= {"single_source", "consistent", "conflicting"}


def test_seed_troop_figures_form_one_cluster(world):
    clustered = world[3]
    assert _members(clustered, "s001_q1") == TROOP_CLAIMS
    row = _summary_row(world, "s001_q1")
    assert row.label == "north korean troops (troops)"
    assert row.n_articles == 5
    assert row.n_sources == 4  # the Vietnamese rewrite and its Reuters original count once
    assert row.value_min == 10_000 and row.value_max == 99_999
    # "thousands" is at most 9,999 while "more than 10,000" is at least 10,000: disjoint ranges
    assert row.agreement == "conflicting"


def test_containers_are_a_separate_single_source_cluster(world):
    clustered = world[3]
    assert _members(clustered, "s004_q3") == {"s004_q3"}
    row = _summary_row(world, "s004_q3")
    assert row.agreement == "single_source" and row.n_sources == 1


def test_same_number_and_unit_in_another_story_stays_apart(world):
    clustered = world[3]
    assert _members(clustered, "ms_d1_q1") == {"ms_d1_q1", "ms_d2_q1"}
    assert _summary_row(world, "ms_d1_q1").agreement == "single_source"  # d2 is a syndicated copy


def test_troops_of_another_country_stay_apart(world):
    clustered = world[3]
    assert _members(clustered, "ms_b1_q1") == {"ms_b1_q1", "ms_b2_q1", "ms_b2_q3", "ms_b3_q1"}
    row = _summary_row(world, "ms_b1_q1")
    assert row.n_articles == 3 and row.n_sources == 2
    assert row.agreement == "consistent"  # about 4,800 / nearly 5,000 / around 5,000 overlap
    assert _members(clustered, "ms_b1_q2") == {"ms_b1_q2"}  # trawlers: another unit


def test_stories_follow_lineage(world):
    _, _, _, clustered, _ = world
    story = dict(zip(clustered.article_id, clustered.story_id, strict=False))
    assert len({story[f"seed00{i}"] for i in range(5)}) == 1
    assert len({story["ms_b1"], story["ms_b2"], story["ms_b3"]}) == 1
    assert len({story["seed000"], story["ms_b1"], story["ms_c1"], story["ms_d1"]}) == 4


def test_events_cluster_by_story_verb_and_date(world):
    clustered = world[3]
    assert _members(clustered, "s000_e1") == {"s000_e1", "s002_e1", "s003_e1", "s004_e1"}
    assert _members(clustered, "s001_e2") == {"s001_e2"}  # Russia's ratification, days earlier
    assert _members(clustered, "ms_c1_e1") == {"ms_c1_e1", "ms_c2_e1", "ms_c3_e1"}
    assert _members(clustered, "ms_b1_e1") == {"ms_b1_e1", "ms_b2_e1", "ms_b3_e1"}
    row = _summary_row(world, "s000_e1")
    assert row.n_sources == 3 and row.agreement == "consistent"  # 11 vs 12 Nov: within a day
    assert _summary_row(world, "ms_c1_e1").n_sources == 2  # c2 rewrites c1


def test_recurring_quotes_cluster_and_others_stay_single(world):
    clustered = world[3]
    assert _members(clustered, "s000_t1") == {"s000_t1", "s002_t1"}
    assert _members(clustered, "ms_c1_t1") == {"ms_c1_t1", "ms_c2_t1"}
    assert _members(clustered, "ms_b1_t1") == {"ms_b1_t1", "ms_b2_t1"}
    assert _members(clustered, "ms_b3_t1") == {"ms_b3_t1"}
    assert _summary_row(world, "ms_b1_t1").agreement == "single_source"  # copy of one wire story


def test_cluster_ids_are_stable_across_runs_and_order(world):
    articles, lineage, claims, clustered, _ = world
    again = cluster_claims(claims.sample(frac=1.0, random_state=11),
                           articles.sample(frac=1.0, random_state=5),
                           lineage.sample(frac=1.0, random_state=3))
    lineage2 = find_lineage(articles.drop(columns=["story"]).sample(frac=1.0, random_state=2))
    third = cluster_claims(claims, articles, lineage2)
    base = dict(zip(clustered.claim_id, clustered.cluster_id, strict=True))
    assert dict(zip(again.claim_id, again.cluster_id, strict=True)) == base
    assert dict(zip(third.claim_id, third.cluster_id, strict=True)) == base
    assert all(c.startswith("clu_") and len(c) == 20 for c in base.values())


def test_claims_of_an_article_without_lineage_are_their_own_story():
    claims = pd.DataFrame([SEED_CLAIMS[5], SEED_CLAIMS[12]], columns=CLAIM_COLUMNS)
    articles = corpus.seed_articles()
    out = cluster_claims(claims, articles, find_lineage(articles.iloc[:0]))
    assert out.cluster_id.nunique() == 2 and out.story_id.nunique() == 2


@pytest.mark.parametrize(
    ("value", "low", "high", "qualifier", "text", "expected"),
    [
        (11_000, NAN, NAN, None, None, (11_000, 11_000, True)),
        (10_000, NAN, NAN, "around", None, (9_000, 11_000, False)),
        (10_000, NAN, NAN, "more than", None, (10_000, math.inf, False)),
        (12_000, NAN, NAN, "up to", None, (0, 12_000, False)),
        (5_000, NAN, NAN, "nearly", None, (4_500, 5_000, False)),
        (NAN, NAN, NAN, "thousands", None, (2_000, 9_999, False)),
        (NAN, NAN, NAN, None, "tens of thousands of troops", (20_000, 99_999, False)),
        (NAN, 20_000, 99_999, "tens of thousands", None, (20_000, 99_999, False)),
        (13_000, 13_000, NAN, "more than", None, (13_000, math.inf, False)),
    ],
)
def test_quantity_interval_rule(value, low, high, qualifier, text, expected):
    lo, hi, exact = quantity_interval(value, low, high, qualifier, text)
    assert lo == pytest.approx(expected[0])
    assert hi == pytest.approx(expected[1])
    assert exact is expected[2]


def test_two_different_exact_figures_conflict():
    claims = pd.DataFrame(
        [("x1", "a1", "quantity", "11,000 troops", 11_000, NAN, NAN, "troops", None, None, "troops",
          None, None),
         ("x2", "a2", "quantity", "12,000 troops", 12_000, NAN, NAN, "troops", None, None, "troops",
          None, None)],
        columns=CLAIM_COLUMNS,
    )
    articles = pd.DataFrame({"article_id": ["a1", "a2"]})
    lineage = pd.DataFrame({"article_id": ["a1"], "related_article_id": ["a2"],
                            "relation": ["same_story"]})
    clustered = claims.merge(cluster_claims(claims, articles, lineage), on="claim_id")
    summary = summarise_clusters(clustered, articles, lineage)
    assert len(summary) == 1 and summary.agreement.iloc[0] == "conflicting"
    assert "11,000" in summary.agreement_evidence.iloc[0]
    # the same two figures in one syndicated story: a single source
    lineage.loc[0, "relation"] = "syndicated_copy"
    assert summarise_clusters(clustered, articles, lineage).agreement.iloc[0] == "single_source"
