"""Segmentation of the seed page dumps and of hand-written fixtures in their style."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.text.body import body_text, boilerplate_ratio
from flows.text.model import BLOCK_LABELS
from flows.text.segment import segment
from flows.text.site_repeats import normalize_line, repeated_lines

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "articles"
FIXTURES = ROOT / "tests" / "resources" / "segment"


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _label_of(blocks, startswith: str) -> str:
    hits = [b.label for b in blocks if b.text.lstrip("•- ").startswith(startswith)]
    assert hits, f"no block starts with {startswith!r}"
    return hits[0]


def _labels_of(blocks, startswith: str) -> list[str]:
    return [b.label for b in blocks if b.text.lstrip("•- ").startswith(startswith)]


ALL_SEEDS = sorted(p.name[:3] for p in SEEDS.glob("*.txt"))


@pytest.mark.parametrize("prefix", ALL_SEEDS)
def test_blocks_cover_every_nonblank_line_with_exact_offsets(prefix):
    text = _seed(prefix)
    blocks = segment(text)
    assert [b.text for b in blocks] == [ln.strip() for ln in text.splitlines() if ln.strip()]
    for i, b in enumerate(blocks):
        assert b.block_index == i
        assert text[b.char_start : b.char_end] == b.text
        assert b.label in BLOCK_LABELS
        assert b.rule
        assert 0.0 <= b.confidence <= 1.0
    assert all(x.char_end <= y.char_start for x, y in zip(blocks, blocks[1:]))


def test_seed_000_reuters_star():
    blocks = segment(_seed("000"))
    assert _label_of(blocks, "North Korea ratifies mutual defence treaty") == "headline"
    assert _label_of(blocks, "SEOUL (Reuters) - North Korea has ratified") == "body"
    assert _label_of(blocks, "Ukrainian President Volodymyr Zelenskiy said last week") == "body"
    assert _label_of(blocks, "FILE PHOTO: Russia's President") == "caption"
    assert _label_of(blocks, "Tuesday, 12 Nov 2024") == "timestamp"
    assert _label_of(blocks, "(Reporting by Hyonhee Shin") == "credit"
    assert _label_of(blocks, "Follow us on our official WhatsApp") == "newsletter"
    assert _label_of(blocks, "Next In World") == "related"
    assert _label_of(blocks, "Time magazine to name Trump") == "related"
    body = body_text(blocks)
    assert "Next In World" not in body and "Editing by" not in body and "FILE PHOTO" not in body


def test_seed_001_businesslive():
    blocks = segment(_seed("001"))
    assert _label_of(blocks, "Putin signs mutual defence treaty with North Korea") == "headline"
    assert _label_of(blocks, "Accord calls on each side") == "standfirst"
    assert _label_of(blocks, "10 November 2024 - 14:13") == "timestamp"
    assert _label_of(blocks, "by Agency Staff") == "byline"
    assert _label_of(blocks, "Russia's President Vladimir Putin, left,") == "caption"
    assert _label_of(blocks, "Russian President Vladimir Putin signed into law") == "body"
    assert _label_of(blocks, "Russia has not confirmed the presence") == "body"
    assert _label_of(blocks, "Reuters") == "credit"
    assert _label_of(blocks, "date 2024-11-10 World") != "body"
    assert _labels_of(blocks, "2 days ago") == ["related", "related"]
    assert _label_of(blocks, "Putin says Russia is ready to talk to Trump") == "related"
    assert "SIMON BARBER" not in body_text(blocks)


def test_seed_002_vietnamese_outlet():
    blocks = segment(_seed("002"))
    assert _label_of(blocks, "North Korea ratifies Mutual Defense Treaty") == "headline"
    assert _label_of(blocks, "Anh Vũ |") == "byline"
    assert _label_of(blocks, "North Korea has ratified a mutual defense treaty") == "body"
    assert _label_of(blocks, "The Mutual Defense Treaty between Russia and North Korea") == "body"
    assert _label_of(blocks, "RELATED NEWS") == "related"
    assert _label_of(blocks, "Arsenal is only 4 points ahead") != "body"
    body = body_text(blocks)
    assert "RELATED NEWS" not in body and "Arsenal" not in body and "Tet bonuses" not in body


def test_seed_003_afp():
    blocks = segment(_seed("003"))
    assert _label_of(blocks, "Kim Jong Un welcomed Russian President") == "caption"
    assert _label_of(blocks, "AFP: North Korea has ratified") == "body"
    assert _label_of(blocks, "The reclusive state recently fired") == "body"
    assert _label_of(blocks, "Politics") != "body"
    assert _label_of(blocks, "A new Gallup poll reveals") != "body"
    assert _label_of(blocks, "The United States said on Wednesday") != "body"
    body = body_text(blocks)
    assert body.startswith("AFP: North Korea") and body.endswith("new solid-fuel ICBM.")


def test_seed_004_newsmax():
    blocks = segment(_seed("004"))
    heads = _labels_of(blocks, "North Korea Ratifies Major Defense Treaty")
    assert heads == ["headline", "teaser"]
    assert _label_of(blocks, "Tags: north korea") == "tags"
    assert _label_of(blocks, "Monday, 11 November 2024 11:01 PM EST") == "timestamp"
    assert _label_of(blocks, "SEOUL, South Korea (AP)") == "body"
    assert _label_of(blocks, "North Korea and Russia have been significantly") == "body"
    assert _label_of(blocks, "Copyright 2024 The Associated Press") == "copyright"
    assert _label_of(blocks, "GlobalTalk") == "teaser"
    assert _label_of(blocks, "North Korea ratified a major defense treaty with Russia stipulating") == "teaser"
    assert _label_of(blocks, "359") == "metadata"
    assert _label_of(blocks, "2024-01-11") == "metadata"
    assert _label_of(blocks, "Sign up for Newsmax") == "newsletter"
    assert _label_of(blocks, "Read and Post Comments") == "comments"
    assert _label_of(blocks, "© Newsmax Media") == "copyright"


FIXTURE_NAMES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_labels(name):
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    blocks = segment(text)
    by_text = {b.text: b.label for b in blocks}
    assert [b.text for b in blocks if b.label == "body"] == expected["body"]
    for line, label in expected["labels"].items():
        assert by_text[line] == label, line


def test_hints_title_and_body():
    text = "Menu\nA short title of the story here\nOne line that the extractor kept.\nFooter text\n"
    blocks = segment(text, hints={"title": "A short title of the story here", "body": "One line that the extractor kept."})
    labels = [b.label for b in blocks]
    assert labels[1] == "headline"
    assert labels[2] == "body"
    assert labels[3] != "body"


def test_site_repeats_mark_chrome():
    texts = [f"Site Menu Line\nThe {w} story has a body sentence of its own, long enough to be prose.\n" for w in ("first", "second", "third")]
    rep = repeated_lines(texts, min_docs=3)
    assert normalize_line("Site Menu Line") in rep
    assert not any("story" in r for r in rep)
    assert repeated_lines(texts[:2], min_docs=3) == frozenset()
    assert normalize_line("  Hello, World 2024! ") == "hello world 0"


def test_boilerplate_ratio_and_empty_text():
    assert segment("") == [] and segment("\n \n") == []
    assert body_text([]) == ""
    assert boilerplate_ratio("", []) == 0.0
    text = _seed("000")
    ratio = boilerplate_ratio(text, segment(text))
    # the related list and prompts are chrome; the story, caption, credit are content
    assert 0.15 < ratio < 0.5


def test_offsets_with_indents_tabs_and_lone_bullets():
    text = "  \tIndented title line of the story\r\n•\n• item one\n\n  - dash item\n\u00a0trailing nbsp line\u00a0\n"
    blocks = segment(text)
    assert [b.text for b in blocks] == [ln.strip() for ln in text.split("\n") if ln.strip()]
    for b in blocks:
        assert text[b.char_start : b.char_end] == b.text


def test_first_word_dispatch_matches_lines_with_leading_punctuation():
    text = (
        "Menu\n"
        "(Reuters) -\n"
        "A long enough paragraph of text that says what happened in the town on Monday, as people said.\n"
        "« Read more: Another story about the town council and its budget\n"
        "— Advertisement —\n"
        "Another paragraph of the story follows here and it also reads as a full sentence for the test.\n"
        "12 comments\n"
    )
    labels = {b.text: b.label for b in segment(text)}
    assert labels["« Read more: Another story about the town council and its budget"] == "related"
    assert labels["— Advertisement —"] == "ad"
    assert labels["12 comments"] == "comments"
