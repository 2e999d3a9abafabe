"""Publication-date accuracy and speed of flows.text.dates on the dev set (mc20 pages).

    python bench/devset_dates.py [--devset ../shared/devset] [--out /tmp/dates_pred] [--with-url]

Reads `<devset>/pages/mc20_*.txt` at run time (nothing from the dev set is stored in the repo),
writes `<out>/<id>.date`, runs the dev set's `score_date.py` and prints accuracy for the tuning
split (ids whose first hex digit is 0-b), the check split (c-f) and all pages, plus the CPU time
per page of `find_date_candidates` + `choose_publication_date` over all dev pages (best of
`--passes`).  The main number is text-only; `--with-url` also passes the page URL from the truth
file and is reported separately.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flows.text.dates import choose_publication_date, find_date_candidates  # noqa: E402

try:  # the segmenter is built in parallel; label everything "body" when it is missing
    from flows.text.segment import segment
except Exception:  # noqa: BLE001 - any import failure means "no segmenter"
    segment = None


def _split(page_id: str) -> str:
    return "tune" if page_id[len("mc20_")] in "0123456789ab" else "check"


def _cpu_ms_per_page(paths: list[str], passes: int) -> float:
    """CPU milliseconds per page of find_date_candidates + choose_publication_date over every dev
    page (aeb and mc20), best of `passes` passes (the machine may be shared: CPU time, best pass)."""
    docs = []
    for fn in paths:
        with open(fn, encoding="utf-8") as f:
            text = f.read()
        docs.append((text, segment(text) if segment else []))
    best = float("inf")
    for _ in range(max(1, passes)):
        t0 = time.process_time()
        for text, blocks in docs:
            choose_publication_date(find_date_candidates(text, blocks))
        best = min(best, time.process_time() - t0)
    print(f"[speed] {best / len(docs) * 1000:.3f} CPU ms/page over {len(docs)} pages "
          f"(best of {passes} passes; segment not timed)")
    return best / len(docs) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--devset", default=str(REPO.parent / "shared" / "devset"))
    ap.add_argument("--out", default="/tmp/newsledger_dates_pred")
    ap.add_argument("--with-url", action="store_true", help="also pass the truth URL")
    ap.add_argument("--inferred", action="store_true", help="also write inferred lower bounds")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--passes", type=int, default=5, help="timing passes over all pages (best is kept)")
    args = ap.parse_args()

    pages = sorted(glob.glob(os.path.join(args.devset, "pages", "mc20_*.txt")))
    if not pages:
        sys.exit(f"no mc20 pages under {args.devset}/pages")
    _cpu_ms_per_page(sorted(glob.glob(os.path.join(args.devset, "pages", "*.txt"))), args.passes)
    docs = []
    for fn in pages:
        pid = os.path.basename(fn)[:-4]
        with open(fn, encoding="utf-8") as f:
            text = f.read()
        with open(fn[:-4] + ".truth.json", encoding="utf-8") as f:
            truth = json.load(f)
        blocks = segment(text) if segment else []
        docs.append((pid, text, blocks, truth))

    runs = [("text-only", False)] + ([("with-url", True)] if args.with_url else [])
    for name, with_url in runs:
        out = Path(args.out) / name
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.date"):
            old.unlink()
        preds = {}
        t0 = time.perf_counter()
        for pid, text, blocks, truth in docs:
            cands = find_date_candidates(text, blocks, url=truth.get("url") if with_url else None)
            preds[pid] = (choose_publication_date(cands), cands)
        elapsed = time.perf_counter() - t0
        correct = {"tune": [0, 0], "check": [0, 0]}
        for pid, text, _b, truth in docs:
            pub, cands = preds[pid]
            val = pub.value_date if (pub.value_date and (not pub.is_inferred or args.inferred)) else None
            (out / f"{pid}.date").write_text(val.isoformat() if val else "", encoding="utf-8")
            ok = val is not None and val.isoformat() == truth["date"]
            correct[_split(pid)][0] += ok
            correct[_split(pid)][1] += 1
            if args.show_errors and not ok:
                print(f"  MISS {pid} truth={truth['date']} pred={val} src={pub.source} "
                      f"form={pub.local_form!r}")
        print(f"[{name}] {len(docs) / elapsed:.0f} pages/s "
              f"({elapsed / len(docs) * 1000:.3f} ms/page, dates only; segment not timed)")
        for split, (ok, n) in correct.items():
            print(f"[{name}] {split}: date_acc={ok / n:.4f} ({ok}/{n})")
        scorer = os.path.join(args.devset, "score_date.py")
        res = subprocess.run([sys.executable, scorer, str(out), "--truth", os.path.join(args.devset, "pages")],
                             capture_output=True, text=True, check=False)
        print(f"[{name}] score_date.py: {res.stdout.strip() or res.stderr.strip()}")


if __name__ == "__main__":
    main()
