"""Body-extraction quality and speed of `segment` + `body_text` on the dev set.

    python bench/devset_body.py [DEVSET_DIR] [--out PRED_DIR] [--per-page FILE]

DEVSET_DIR defaults to ../shared/devset relative to the repository.  Body predictions for the
aeb_* pages are written to PRED_DIR (a temporary folder by default) and scored with the dev
set's own score_body.py, three times: all aeb pages, the tuning split (hex digit after "aeb_"
in 0-b) and the hold-out split (c-f).  Speed is segment + body_text over all dev pages (aeb_* and
mc20_*) on one core: process CPU time, best of --repeat passes, in ms/page and pages/s.
Nothing from the dev set is stored in the repository: it is read from its path at run time.
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from flows.text.body import body_text  # noqa: E402  (after the sys.path insert above)
from flows.text.segment import segment  # noqa: E402

HOLD_OUT = frozenset("cdef")


def _score(devset: str, pred_dir: str, ids: list[str], name: str) -> str:
    """Run score_body.py over the truth files of `ids` only (a folder of symlinks)."""
    with tempfile.TemporaryDirectory() as truth_dir:
        for pid in ids:
            os.symlink(os.path.join(devset, "pages", pid + ".truth.json"), os.path.join(truth_dir, pid + ".truth.json"))
        out = subprocess.run(
            [sys.executable, os.path.join(devset, "score_body.py"), pred_dir, "--truth", truth_dir],
            capture_output=True, text=True, check=True,
        ).stdout
    first = out.splitlines()[0] if out else "no output"
    return f"{name:8s} {first}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("devset", nargs="?", default=os.path.join(REPO, "..", "shared", "devset"))
    ap.add_argument("--out", help="write predictions here (default: a temporary folder)")
    ap.add_argument("--repeat", type=int, default=5, help="timing passes over the pages")
    args = ap.parse_args()
    devset = os.path.abspath(args.devset)
    paths = sorted(glob.glob(os.path.join(devset, "pages", "aeb_*.txt")))
    if not paths:
        sys.exit(f"no aeb_*.txt pages under {devset}/pages")
    texts = {}
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            texts[os.path.basename(p)[:-4]] = fh.read()

    pred_dir = args.out or tempfile.mkdtemp(prefix="devset_body_")
    os.makedirs(pred_dir, exist_ok=True)
    for pid, text in texts.items():
        with open(os.path.join(pred_dir, pid + ".txt"), "w", encoding="utf-8") as fh:
            fh.write(body_text(segment(text)))

    ids = sorted(texts)
    tune = [i for i in ids if i[4] not in HOLD_OUT]
    hold = [i for i in ids if i[4] in HOLD_OUT]
    print(_score(devset, pred_dir, ids, "all"))
    print(_score(devset, pred_dir, tune, "tune0-b"))
    print(_score(devset, pred_dir, hold, "holdc-f"))

    # speed over every dev page (aeb_* and mc20_*)
    values = []
    for p in sorted(glob.glob(os.path.join(devset, "pages", "*.txt"))):
        with open(p, encoding="utf-8") as fh:
            values.append(fh.read())
    n_chars = sum(map(len, values))
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.process_time()
        for text in values:
            body_text(segment(text))
        best = min(best, time.process_time() - t0)
    print(
        f"speed    {best / len(values) * 1000:.3f} ms/page, {len(values) / best:,.0f} pages/s  "
        f"({len(values)} pages, {n_chars / len(values) / 1000:.1f} KB/page avg, "
        f"{n_chars / best / 1e6:.1f} MB/s, one core)  predictions: {pred_dir}"
    )


if __name__ == "__main__":
    main()
