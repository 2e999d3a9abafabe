"""The cheaper paths a full link run takes give what the plain ones give: token ids looked up only
for the tokens the cache lacks, shared shingles counted by binary search, and evidence offsets read
from an article's token offsets when the article is quoted again (a group's canonical)."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from flows.link import link_frames
from flows.text import shingles
from flows.text.lineage import Comparer, article_signatures, shared_count
from flows.text.shingles import fold, raw_hashes, token_hashes, token_span, word_hash

import test_link as link_tests  # the fixture corpus of the link tests (tests/ is on sys.path)


def test_new_tokens_among_known_ones_get_their_own_hash():
    known = ["Troops", "crossed", "the", "border", "Kyiv"]
    raw_hashes(known)  # now cached
    fresh = [f"zzword{k}" for k in range(5)]
    mixed = ["Troops", fresh[0], "the", fresh[1], fresh[0], "Kyiv", fresh[2], "border", fresh[3], fresh[4]]
    hashes, content = token_hashes(mixed)
    assert hashes.tolist() == [word_hash(fold(w)) for w in mixed]
    assert content.tolist() == [shingles.is_content_word(fold(w)) for w in mixed]
    assert hashes[1] == hashes[4] and hashes[0] == raw_hashes(["troops"])[0]  # folded: same word


def test_hashes_of_more_new_words_than_the_table_holds():
    room = len(shingles._HASHES) - len(shingles._FOLDED)
    words = [f"tablegrowth{k}" for k in range(room + 10)]  # the table must grow during the call
    assert raw_hashes(words).tolist() == [word_hash(w) for w in words]


def test_shared_count_equals_intersect1d():
    rng = np.random.default_rng(7)
    cases = [(np.zeros(0, np.int64), np.arange(5, dtype=np.int64)), (np.arange(3, dtype=np.int64),) * 2,
             (np.array([1, 3, 5], np.int64), np.array([2, 4, 6], np.int64)),
             (np.array([9], np.int64), np.array([1, 2, 9], np.int64)),
             (np.array([10], np.int64), np.array([1, 2, 9], np.int64))]
    for _ in range(200):
        a = np.unique(rng.integers(0, 300, rng.integers(0, 120)))
        b = np.unique(rng.integers(0, 300, rng.integers(0, 120)))
        cases.append((a, b))
    for a, b in cases:
        expected = len(np.intersect1d(a, b, assume_unique=True))
        assert shared_count(a, b) == expected and shared_count(b, a) == expected


def test_repeated_evidence_spans_equal_a_scan_of_the_text():
    arts, _ = link_tests.world()
    texts = arts.body_text.tolist()[:6] + ["北朝鮮はロシアとの条約を批准した。両国の首脳が六月に署名した。",
                                           "Short text here.", ""]
    rng = random.Random(5)
    comparer = Comparer({}, {})
    for k, text in enumerate(texts):
        n = len(shingles._pattern(text).findall(text))
        asks = [(f, min(f + rng.randrange(0, 45), n + 2)) for f in (rng.randrange(0, n + 1) for _ in range(6))]
        asks += [(0, 0), (n - 1, n - 1), (n, n), (max(n - 2, 0), n + 3)]
        for first, last in asks * 2:  # asked again: from the offsets found once
            first, last = max(first, 0), max(last, first, 0)
            assert comparer._token_span(f"a{k}", text, first, last) == token_span(text, first, last)


def test_star_rows_quote_the_same_evidence_whichever_article_is_asked_first():
    arts, _ = link_tests.world()
    rows = list(zip(arts.article_id, arts.body_text, arts.wire_agency, arts.published_date,
                    arts.published_at, strict=True))
    sigs = {s.article_id: s for s in article_signatures(rows)}
    bodies = {a: s.body for a, s in sigs.items()}
    ids = sorted(sigs)
    pairs = [(a, b) for a in ids for b in ids if a < b]
    fresh = [Comparer(bodies, sigs).copy_row(a, b) for a, b in pairs]  # a new comparer per pair
    shared = Comparer(bodies, sigs)
    again = [shared.copy_row(a, b) for a, b in pairs * 2]  # every article quoted many times
    assert again == fresh * 2
    assert any(r is not None and r[6] for r in fresh)  # some pairs do quote a shared passage


def test_member_joined_through_another_copy_gets_a_copy_chain_row_with_the_shingles_it_shares():
    """A and C are each a near copy of B but not of each other: C joins A's group through B, and its
    star row is a `copy_chain` row whose overlap figures are what A and C really share."""
    rng = random.Random(3)

    def words(n: int, tag: str) -> str:
        return " ".join(f"{tag}{rng.randrange(10**6)}" for _ in range(n))

    head, tail, common = words(60, "alpha"), words(60, "beta"), words(12, "shared")
    bodies = {"chain_a": f"{head} {common}.", "chain_b": f"{head} {common} {tail}.", "chain_c": f"{tail} {common}."}
    out = link_frames(pd.DataFrame({"article_id": list(bodies), "body_text": list(bodies.values()),
                                    "published_date": ["2024-11-10", "2024-11-11", "2024-11-12"]}))
    assert set(out["articles"]["group_id"]) == {"chain_a"}
    row = out["lineage"].set_index("related_article_id").loc["chain_c"]
    assert (row["article_id"], row["relation"], row["rule"]) == ("chain_a", "syndicated_copy", "copy_chain")
    sig = {s.article_id: s for s in article_signatures([(k, v, None, None, None) for k, v in bodies.items()])}
    a, c = sig["chain_a"].shingles, sig["chain_c"].shingles
    shared = len(np.intersect1d(a, c))
    assert shared >= 3  # they do share a sentence, just not enough to be copies of each other
    assert row["shared_shingles"] == shared
    assert row["similarity"] == round(shared / (len(a) + len(c) - shared), 4)
    assert row["containment"] == round(shared / min(len(a), len(c)), 4)
