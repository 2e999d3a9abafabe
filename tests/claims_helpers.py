"""Hand-labelled claim fixtures: loading and scoring `extract_claims` against them (tests + bench).

Each fixture is `<name>.json` (+ `<name>.txt`, or `"text_path"` pointing at a seed article):
`body_lines` (1-based line numbers whose label is "body"; every other non-blank line is "other"),
`published` ({"value_date", "value_utc"}), optional `dateline`/`language`, `types` (which claim
types were labelled in full), and `claims`: hand-written expectations, each with `type` and
`evidence` (a string of the text; `occurrence` picks the n-th match) plus expected fields
(low/high/unit for quantities, attributed_to, event_verb, event_date …).

A predicted claim matches an expected one when the type is the same and the offsets overlap; a
quantity must also have the same low, high and unit.  Matched claims are then checked field by
field (attributed_to, event_date, …) and reported as field accuracy.

- `tests/resources/claims/`: the fixtures the rules were developed on (optimistic numbers);
- `tests/resources/claims_holdout/`: labelled before any rule was tuned for them (honest numbers).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from flows.text.claims import extract_claims
from flows.text.model import Block, PublicationDate

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "resources" / "claims"
HOLDOUT = REPO / "tests" / "resources" / "claims_holdout"
TYPES = ("quantity", "statement", "quote", "event")
FIELDS = ("attributed_to", "event_verb", "event_date", "event_date_low", "event_date_high", "subject", "qualifier")


def blocks_from_lines(text: str, body_lines: set[int], label_other: str = "other") -> list[Block]:
    """One Block per non-blank line; lines whose 1-based number is in `body_lines` are "body"."""
    blocks: list[Block] = []
    pos = 0
    for n, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped:
            lo = pos + (len(line) - len(line.lstrip()))
            hi = lo + len(stripped)
            label = "body" if n in body_lines else label_other
            blocks.append(Block(len(blocks), lo, hi, text[lo:hi], label, "hand_label", 1.0))
        pos += len(line) + 1
    return blocks


def _date(v: str | None) -> dt.date | None:
    return dt.date.fromisoformat(v) if v else None


def load_fixture(path: Path) -> tuple[str, list[Block], PublicationDate, dict]:
    """(text, blocks, published, spec) of one fixture JSON."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    tpath = REPO / spec["text_path"] if "text_path" in spec else path.with_suffix(".txt")
    text = tpath.read_text(encoding="utf-8")
    blocks = blocks_from_lines(text, set(spec["body_lines"]))
    pub = spec.get("published") or {}
    utc = dt.datetime.fromisoformat(pub["value_utc"]) if pub.get("value_utc") else None
    published = PublicationDate(_date(pub.get("value_date")), utc, pub.get("value_date"), "hand", 1.0, None)
    return text, blocks, published, spec


def expected_spans(text: str, spec: dict) -> list[dict]:
    """The labelled claims with the offsets of their evidence in `text`."""
    out = []
    for e in spec["claims"]:
        ev = e["evidence"]
        idx = -1
        for _ in range(e.get("occurrence", 0) + 1):
            idx = text.find(ev, idx + 1)
        if idx < 0:
            raise ValueError(f"evidence not found: {ev!r}")
        out.append({**e, "char_start": idx, "char_end": idx + len(ev)})
    return out


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-6 * max(1.0, abs(float(b)))


def _matches(c, e: dict) -> bool:
    if c.claim_type != e["type"] or not (c.char_start < e["char_end"] and e["char_start"] < c.char_end):
        return False
    if e["type"] == "quantity":
        return _same(c.quantity_low, e.get("low")) and _same(c.quantity_high, e.get("high")) \
            and c.quantity_unit == e.get("unit")
    return True


def evaluate(paths: list[Path]) -> dict:
    """Counts per claim type (tp, fp, fn), field accuracy over matched claims, and the misses."""
    stats = {t: {"tp": 0, "fp": 0, "fn": 0} for t in TYPES}
    fields: dict[str, list[int]] = {}
    misses: list[str] = []
    for path in paths:
        text, blocks, published, spec = load_fixture(path)
        _, claims, _ = extract_claims(text, blocks, published, dateline=spec.get("dateline"),
                                      language=spec.get("language"))
        labelled = set(spec.get("types", TYPES))
        used: set[int] = set()
        for e in expected_spans(text, spec):
            cands = [c for c in claims if c.claim_index not in used and _matches(c, e)]
            # several overlapping claims: prefer the one with the labelled verb / speaker
            hit = next((c for c in cands if all(getattr(c, f) == e[f] for f in ("event_verb", "attributed_to")
                                                if f in e)), cands[0] if cands else None)
            if hit is None:
                stats[e["type"]]["fn"] += 1
                misses.append(f"FN {path.stem} {e['type']}: {e['evidence'][:70]!r}")
                continue
            used.add(hit.claim_index)
            stats[e["type"]]["tp"] += 1
            for f in FIELDS:
                if f in e:
                    want = _date(e[f]) if f.startswith("event_date") and e[f] else e[f]
                    ok = getattr(hit, f) == want
                    fields.setdefault(f, [0, 0])[0] += ok
                    fields[f][1] += 1
                    if not ok:
                        misses.append(f"FIELD {path.stem} {f}: got {getattr(hit, f)!r} want {want!r} "
                                      f"({e['evidence'][:40]!r})")
        for c in claims:
            if c.claim_index not in used and c.claim_type in labelled:
                stats[c.claim_type]["fp"] += 1
                misses.append(f"FP {path.stem} {c.claim_type}: {c.claim_text[:70]!r}")
    return {"stats": stats, "fields": fields, "misses": misses}


def precision_recall(s: dict) -> tuple[float, float]:
    """(precision, recall) of one type's counts; 1.0 when there is nothing to count."""
    p = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 1.0
    r = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 1.0
    return p, r
