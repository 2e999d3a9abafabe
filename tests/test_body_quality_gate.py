"""Quality gate: bag-of-words F1 of body_text against hand-labelled bodies must stay above floors.

Expectations are written by hand: for the seeds, the line numbers of the story paragraphs
(tests/resources/segment/seeds.expected.json); for the fixtures, their `.expected.json`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from flows.text.body import body_text
from flows.text.segment import segment

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "articles"
FIXTURES = ROOT / "tests" / "resources" / "segment"
TOKEN_RE = re.compile(r"\w+")

# Pinned a little below what the segmenter reaches (1.0 on every page at the time of pinning).
FLOOR_PER_PAGE = 0.95
FLOOR_MEAN = 0.98


def _f1(truth: str, pred: str) -> float:
    t, p = Counter(TOKEN_RE.findall(truth.lower())), Counter(TOKEN_RE.findall(pred.lower()))
    tp = sum(min(c, p[k]) for k, c in t.items())
    if tp == 0:
        return 0.0
    prec, rec = tp / sum(p.values()), tp / sum(t.values())
    return 2 * prec * rec / (prec + rec)


def _cases() -> list[tuple[str, str, str]]:
    """(name, text, expected body) for every seed and fixture."""
    cases = []
    seed_lines = json.loads((FIXTURES / "seeds.expected.json").read_text(encoding="utf-8"))
    for name, numbers in seed_lines.items():
        if name.startswith("_"):
            continue
        text = (SEEDS / name).read_text(encoding="utf-8")
        lines = text.split("\n")
        cases.append((name, text, "\n\n".join(lines[k - 1].strip() for k in numbers)))
    for path in sorted(FIXTURES.glob("*.txt")):
        exp = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        cases.append((path.name, path.read_text(encoding="utf-8"), "\n\n".join(exp["body"])))
    return cases


CASES = _cases()


def test_there_are_enough_cases():
    assert len(CASES) >= 9


@pytest.mark.parametrize("name,text,truth", CASES, ids=[c[0] for c in CASES])
def test_body_f1_per_page(name, text, truth):
    assert _f1(truth, body_text(segment(text))) >= FLOOR_PER_PAGE


def test_body_f1_mean():
    scores = [_f1(truth, body_text(segment(text))) for _, text, truth in CASES]
    assert sum(scores) / len(scores) >= FLOOR_MEAN
