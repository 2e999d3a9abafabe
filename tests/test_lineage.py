"""Lineage (flows.link, linked from scratch in memory) on the seeds (story paragraphs picked by hand)
and the multi-story fixtures."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import numpy as np
import pandas as pd
import pytest

from flows.link import link_frames


def find_lineage(articles: pd.DataFrame) -> pd.DataFrame:
    """Lineage rows of `articles` linked from scratch."""
    return link_frames(articles)["lineage"]

ROOT = pathlib.Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "articles"
MULTI = ROOT / "tests" / "resources" / "corpus_multi_story"

# Seeds: (file prefix, first story paragraph, last story paragraph, publisher, agency, date, utc time)
SEED_PICKS = [
    ("000", "SEOUL (Reuters) - North Korea has ratified", "Ukrainian President Volodymyr Zelenskiy said",
     "The Star", "Reuters", dt.date(2024, 11, 12), None),
    ("001", "Russian President Vladimir Putin signed into law", "Russia has not confirmed the presence",
     "BusinessLive", "Reuters", dt.date(2024, 11, 10), "2024-11-10T12:13:00Z"),
    ("002", "North Korea has ratified a mutual defense treaty", "The Mutual Defense Treaty between Russia",
     "Vietnamese outlet", None, None, None),
    ("003", "AFP: North Korea has ratified", "The reclusive state recently fired",
     "AFP page", "AFP", dt.date(2024, 11, 12), "2024-11-12T09:05:00Z"),
    ("004", "SEOUL, South Korea (AP)", "North Korea and Russia have been significantly",
     "Newsmax", "AP", dt.date(2024, 11, 12), "2024-11-12T04:01:00Z"),
]


def story_paragraphs(path: pathlib.Path, first: str, last: str) -> str:
    """The paragraphs from the line starting with `first` to the line starting with `last`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith(first))
    j = next(k for k, line in enumerate(lines) if line.startswith(last) and k >= i)
    return "\n\n".join(line for line in lines[i : j + 1] if line.strip())


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    return frame


def seed_articles() -> pd.DataFrame:
    rows = []
    for prefix, first, last, publisher, agency, date, ts in SEED_PICKS:
        path = next(SEEDS.glob(prefix + "_*.txt"))
        rows.append(dict(article_id="seed" + prefix, body_text=story_paragraphs(path, first, last),
                         publisher=publisher, wire_agency=agency, published_at=ts,
                         published_date=date, story="nk_treaty"))
    return _frame(rows)


def multi_story_articles() -> pd.DataFrame:
    manifest = json.loads((MULTI / "manifest.json").read_text(encoding="utf-8"))
    rows = []
    for a in manifest["articles"]:
        date = dt.date.fromisoformat(a["published_date"]) if a["published_date"] else None
        rows.append(dict(article_id=a["article_id"],
                         body_text=story_paragraphs(MULTI / a["file"], a["body_first"], a["body_last"]),
                         publisher=a["publisher"], wire_agency=a["wire_agency"],
                         published_at=a["published_at"], published_date=date, story=a["story"]))
    return _frame(rows)


def all_articles() -> pd.DataFrame:
    return pd.concat([seed_articles(), multi_story_articles()], ignore_index=True)


def _relation(lineage: pd.DataFrame, a: str, b: str) -> str | None:
    a, b = min(a, b), max(a, b)
    hit = lineage[(lineage.article_id == a) & (lineage.related_article_id == b)]
    return None if hit.empty else hit.relation.iloc[0]


@pytest.fixture(scope="module")
def lineage_all() -> pd.DataFrame:
    return find_lineage(all_articles().drop(columns=["story"]))


def test_columns_and_pair_order(lineage_all):
    assert {"article_id", "related_article_id", "relation", "similarity", "containment", "shared_shingles",
            "evidence", "rule", "earlier_article_id"} <= set(lineage_all.columns)
    assert (lineage_all.article_id < lineage_all.related_article_id).all()
    assert not lineage_all.duplicated(["article_id", "related_article_id"]).any()
    assert set(lineage_all.relation) <= {"syndicated_copy", "derived_rewrite", "same_story"}


def test_vietnamese_page_is_a_rewrite_of_reuters_copy(lineage_all):
    row = lineage_all[(lineage_all.article_id == "seed000") & (lineage_all.related_article_id == "seed002")]
    assert row.relation.tolist() == ["derived_rewrite"]
    assert row.shared_shingles.iloc[0] >= 10
    assert row.containment.iloc[0] < 0.3  # a paraphrase, not a copy


def test_two_reuters_stories_are_not_copies(lineage_all):
    assert _relation(lineage_all, "seed000", "seed001") == "same_story"


def test_afp_and_ap_are_independent_reports(lineage_all):
    assert _relation(lineage_all, "seed003", "seed004") == "same_story"
    assert _relation(lineage_all, "seed000", "seed004") == "same_story"
    assert _relation(lineage_all, "seed000", "seed003") == "same_story"


def test_no_syndicated_copies_among_seeds(lineage_all):
    seeds = lineage_all[lineage_all.article_id.str.startswith("seed")]
    assert "syndicated_copy" not in set(seeds.relation)
    assert (seeds.relation == "derived_rewrite").sum() == 1


def test_fixture_copies_rewrites_and_independent_reports(lineage_all):
    assert _relation(lineage_all, "ms_b1", "ms_b2") == "syndicated_copy"  # same wire text, new headline
    assert _relation(lineage_all, "ms_d1", "ms_d2") == "syndicated_copy"  # trimmed copy
    assert _relation(lineage_all, "ms_c1", "ms_c2") == "derived_rewrite"  # uncredited paraphrase
    # b1/b2 are one copy group: the AFP report is linked to its canonical member (b2, the one with a
    # timestamp), not to every copy
    assert _relation(lineage_all, "ms_b2", "ms_b3") == "same_story"
    assert _relation(lineage_all, "ms_b1", "ms_b3") is None
    assert _relation(lineage_all, "ms_c1", "ms_c3") == "same_story"


def test_syndicated_copy_evidence_is_a_shared_passage(lineage_all):
    arts = all_articles().set_index("article_id")
    row = lineage_all[(lineage_all.article_id == "ms_b1") & (lineage_all.related_article_id == "ms_b2")].iloc[0]
    assert row.containment >= 0.9
    assert row.rule == "near_duplicate"
    assert len(row.evidence.split()) >= 30
    assert row.evidence in " ".join(arts.loc["ms_b1", "body_text"].split())
    assert row.evidence in " ".join(arts.loc["ms_b2", "body_text"].split())


def _cross_story(lineage: pd.DataFrame, arts: pd.DataFrame) -> pd.DataFrame:
    story = dict(zip(arts.article_id, arts.story, strict=True))
    return lineage[lineage.article_id.map(story) != lineage.related_article_id.map(story)]


def test_no_links_across_stories(lineage_all):
    assert _cross_story(lineage_all, all_articles()).empty


def test_no_links_across_stories_without_dates():
    arts = all_articles()
    arts["published_date"] = None
    arts["published_at"] = pd.NaT
    lineage = find_lineage(arts.drop(columns=["story"]))
    assert _cross_story(lineage, arts).empty
    assert _relation(lineage, "seed000", "seed002") == "derived_rewrite"


def test_earlier_article_follows_dates():
    arts = seed_articles()
    arts.loc[arts.article_id == "seed002", "published_date"] = dt.date(2024, 11, 13)
    lineage = find_lineage(arts.drop(columns=["story"]))
    row = lineage[(lineage.article_id == "seed000") & (lineage.related_article_id == "seed002")].iloc[0]
    assert row.earlier_article_id == "seed000"
    # timestamps decide before dates: AP (04:01 UTC) before AFP (09:05 UTC) on the same day
    row = lineage[(lineage.article_id == "seed003") & (lineage.related_article_id == "seed004")].iloc[0]
    assert row.earlier_article_id == "seed004"
    # same day, no times: no direction claimed
    row = lineage[(lineage.article_id == "seed000") & (lineage.related_article_id == "seed003")].iloc[0]
    assert pd.isna(row.earlier_article_id)


def test_input_order_does_not_change_output(lineage_all):
    shuffled = all_articles().drop(columns=["story"]).sample(frac=1.0, random_state=7)
    again = find_lineage(shuffled)
    pd.testing.assert_frame_equal(again.drop(columns=["evidence"]), lineage_all.drop(columns=["evidence"]))


def test_empty_and_single_inputs():
    assert find_lineage(seed_articles().iloc[:0]).empty
    assert find_lineage(seed_articles().iloc[:1]).empty


def _synthetic(n: int, n_copies: int, seed: int = 3) -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    """`n` random articles over a Zipf vocabulary; `n_copies` of them re-published verbatim with a
    new first sentence, under another id."""
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(40_000)])
    p = 1.0 / np.arange(1, len(vocab) + 1)  # Zipf's law, exponent 1, like word frequencies
    ranks = rng.choice(len(vocab), size=(n, 320), p=p / p.sum())
    bodies = [" ".join(vocab[r]) + "." for r in ranks]
    ids = [f"syn{i:06d}" for i in range(n)]
    pairs = set()
    for k in range(n_copies):
        src = k * 7
        dst = n - 1 - k
        bodies[dst] = "Exclusive lead line for this outlet. " + bodies[src]
        pairs.add((min(ids[src], ids[dst]), max(ids[src], ids[dst])))
    frame = pd.DataFrame({"article_id": ids, "body_text": bodies, "publisher": "p", "wire_agency": None,
                          "published_at": pd.NaT, "published_date": None})
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    return frame, pairs


def test_every_planted_copy_is_found_among_3000_articles():
    # bench/run_bench.py measures speed at 20,000+; here only the result matters
    frame, pairs = _synthetic(3_000, 60)
    lineage = find_lineage(frame)
    found = set(zip(lineage.article_id, lineage.related_article_id, strict=True))
    copies = lineage[lineage.relation == "syndicated_copy"]
    assert pairs <= found
    assert len(copies) == len(pairs)
