"""Speed paths of the understand stage give the same answers as the plain code they stand in for."""

from __future__ import annotations

import datetime as dt

from conftest import SEEDS

from flows.text import sentence_cache as SC
from flows.text.attribution import find_attributions, np_before
from flows.text.body import boilerplate_ratio
from flows.text.events import find_dates
from flows.text.model import Block, DocumentInput
from flows.text.quantities import find_quantities
from flows.text.site_repeats import _coarse_key, _coarse_keys, repeated_lines
from flows.understand import understand_batch, understand_document

NOW = dt.datetime(2024, 11, 13, tzinfo=dt.timezone.utc)
SENTENCE = "More than 10,000 North Korean soldiers were sent to Russia last week, Defence Minister Kim Lee said on Tuesday."


def test_present_keeps_only_the_words_found_in_the_sentence():
    assert SC.present(SENTENCE, {"said", "told", "Defence", "reported"}) == frozenset({"said", "Defence"})


def test_cached_parsers_return_what_the_parsers_return_and_share_one_answer_per_sentence():
    verbs = SC.present(SENTENCE, {"said", "told"})
    assert list(SC.quantities(SENTENCE, "en", False)) == find_quantities(SENTENCE, lang="en", scale_words=False)
    assert SC.quantities(SENTENCE, "en", False)[0].value == 10000
    assert list(SC.attributions(SENTENCE, verbs)) == find_attributions(SENTENCE, {"said", "told"})
    assert SC.attributions(SENTENCE, verbs)[0].source_text == "Defence Minister Kim Lee"
    anchor = dt.date(2024, 11, 13)
    assert list(SC.dates(SENTENCE, anchor)) == find_dates(SENTENCE, anchor)
    assert SC.quantities(SENTENCE, "en", False) is SC.quantities(SENTENCE, "en", False)  # a cache hit
    said = SENTENCE.index(" said")
    assert SC.np_before(SENTENCE, said) == np_before(SENTENCE, said)
    assert SENTENCE[slice(*SC.np_before(SENTENCE, said))] == "Defence Minister Kim Lee"


def test_coarse_keys_of_joined_lines_match_the_per_line_keys():
    lows = ["home | world | sport", "", "© 2024 café—news ltd.", "12:30 gmt", "ünïcode ﬁ line"]
    assert _coarse_keys(lows) == [_coarse_key(x) for x in lows]
    assert _coarse_keys([]) == []


def test_repeated_lines_with_the_prefilter_still_find_the_menu():
    topics = "rain ports wheat chips rates gold oil rice tea jobs fares bonds".split()
    texts = [f"Home | World | Sport\nA story about {t} and {t} prices.\nShare this (12)" for t in topics]
    # digits fold to "0": the share line with its count repeats too; each story line is on one page
    assert repeated_lines(texts, min_docs=10) == frozenset({"home world sport", "share this 0"})


def test_boilerplate_ratio_counts_non_space_characters_outside_content_blocks():
    text = "Menu  item\nA body line here.\n"
    blocks = [Block(0, 0, 10, "Menu  item", "navigation", "r", 0.5), Block(1, 11, 28, "A body line here.", "body", "r", 0.9)]
    assert boilerplate_ratio(text, blocks) == 1 - 14 / 22


def _doc(i: int, text: str) -> DocumentInput:
    return DocumentInput(document_id=f"doc{i}", text=text, uri=f"/feeds/speed/{i}.txt", format="txt")


def test_batch_runs_stage_by_stage_but_reports_failures_in_document_order(monkeypatch):
    import flows.understand as understand

    real_segment, real_claims = understand.segment, understand.extract_claims

    def flaky_segment(text, **kwargs):
        if "EXPLODE" in text:
            raise ValueError("segment bug")
        return real_segment(text, **kwargs)

    def flaky_claims(text, *args, **kwargs):
        if "FIZZLE" in text:
            raise KeyError("claims bug")
        return real_claims(text, *args, **kwargs)

    monkeypatch.setattr(understand, "segment", flaky_segment)
    monkeypatch.setattr(understand, "extract_claims", flaky_claims)
    seed = (SEEDS / "001_cd4a0265bc41ce92.txt").read_text()
    other = (SEEDS / "000_85b49a4b4ac27d53.txt").read_text()
    docs = [_doc(1, "FIZZLE\n" + seed), _doc(2, "EXPLODE\n" + seed), _doc(3, seed), _doc(4, other)]
    result = understand_batch(docs, code_version="t", run_id="r", now=NOW)
    # the claims stage runs after the segmenter over the whole batch, yet doc1's failure comes first
    assert result.failures == [("doc1", "KeyError: 'claims bug'"), ("doc2", "ValueError: segment bug")]
    assert list(result.frames["articles"]["document_id"]) == ["doc3", "doc4"]
    alone = understand_document(docs[3])
    claims = result.frames["claims"]
    assert len(claims[claims["document_id"] == "doc4"]) == len(alone.claims) > 0


def test_a_paragraph_repeated_on_two_pages_splits_at_each_pages_offsets():
    from flows.text.sentences import split_block

    para = "Talks resumed on Monday. Mr. Kim Lee said the U.S. delegation arrived late. No deal was signed."
    first = split_block(Block(3, 120, 120 + len(para), para, "body", "t", 1.0), start_index=5)
    again = split_block(Block(0, 7, 7 + len(para), para, "body", "t", 1.0))  # read from the cache
    for sentences, base, index in ((first, 120, 5), (again, 7, 0)):
        assert [s.text for s in sentences] == ["Talks resumed on Monday.", "Mr. Kim Lee said the U.S. delegation "
                                               "arrived late.", "No deal was signed."]
        assert [s.sentence_index for s in sentences] == [index, index + 1, index + 2]
        assert {s.block_index for s in sentences} == {sentences[0].block_index}
        assert all(para[s.char_start - base:s.char_end - base] == s.text for s in sentences)
