"""Precision/recall of `extract_claims` on the hand-labelled fixtures, and its speed.

The fixture format and the scoring live in `tests/claims_helpers.py` (shared with the quality-gate
tests).  `tests/resources/claims/` holds the fixtures the rules were developed on (optimistic);
`tests/resources/claims_holdout/` was labelled before any rule was tuned for it.

    /tmp/v1/bin/python bench/claims_eval.py              # both sets: table per claim type + speed
    /tmp/v1/bin/python bench/claims_eval.py --holdout -v # one set, with every miss listed
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from claims_helpers import FIXTURES, HOLDOUT, evaluate, load_fixture, precision_recall  # noqa: E402

from flows.text.claims import extract_claims  # noqa: E402


def speed(paths: list[Path], rounds: int = 20) -> tuple[float, int]:
    """Pages/s of extract_claims over the given fixtures (blocks prepared outside the timing)."""
    docs = [load_fixture(p) for p in paths]
    t0 = time.process_time()
    for _ in range(rounds):
        for text, blocks, published, spec in docs:
            extract_claims(text, blocks, published, dateline=spec.get("dateline"), language=spec.get("language"))
    dt_ = time.process_time() - t0
    return rounds * len(docs) / dt_, sum(len(d[0]) for d in docs) // max(1, len(docs))


def report(name: str, paths: list[Path], verbose: bool) -> None:
    res = evaluate(paths)
    print(f"== {name} ({len(paths)} fixtures)")
    if verbose:
        print("\n".join(res["misses"]))
    print(f"{'type':10} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'rec':>6}")
    for t, s in res["stats"].items():
        p, r = precision_recall(s)
        print(f"{t:10} {s['tp']:4} {s['fp']:4} {s['fn']:4} {p:6.2f} {r:6.2f}")
    for f, (ok, n) in sorted(res["fields"].items()):
        print(f"field {f:16} {ok}/{n}")


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    sets = [("tuned", FIXTURES), ("holdout", HOLDOUT)]
    if "--holdout" in argv:
        sets = [("holdout", HOLDOUT)]
    elif "--tuned" in argv:
        sets = [("tuned", FIXTURES)]
    for name, folder in sets:
        report(name, sorted(folder.glob("*.json")), verbose)
    paths = sorted(FIXTURES.glob("*.json")) + sorted(HOLDOUT.glob("*.json"))
    pps, avg = speed(paths)
    print(f"speed: {pps:.0f} pages/s on {len(paths)} fixtures (avg {avg} chars)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
