"""Time the link stage alone on a real state file (measures speed; never part of the tests).

    python bench/link_bench.py /tmp/lk/.wh.state/state.duckdb                 # full + 1% incremental
    python bench/link_bench.py STATE --case full --profile 25                  # cProfile top 25
    python bench/link_bench.py STATE --check                                   # inc outputs == full's
    python bench/link_bench.py STATE --expect OLD_WORK                         # == an earlier run's

The state file (made by `python -m flows.cli run CORPUS --warehouse W.duckdb`) is copied; the copy's
link outputs are reset (schema ``link`` dropped, ``derived.lineage`` / ``derived.claim_clusters`` /
``derived.cluster_summary`` emptied) and

* ``full``: `link_warehouse` links every article from scratch;
* ``inc``: the last `--pct` % of articles (by document id) are taken out of ``raw.articles`` /
  ``raw.claims``, the other articles are linked (untimed; cached beside the copy), then the held-back
  articles come back under a new run id and that second `link_warehouse` is timed.

Each case is prepared in one process and timed in a fresh one; it prints seconds, the process's RSS
before the link and its peak (VmHWM: the link alone, plus the interpreter and the open state);
``--phases`` also prints each step's wall and CPU seconds (CPU: every thread of the process, DuckDB's
included; on a shared machine the steadier of the two) and the peak RSS reached by the end of it.
``--check`` also compares the incremental outputs with the full run's (they must be equal);
``--expect DIR`` compares each case with the full outputs an earlier ``--check --work DIR`` saved
(e.g. made with the code before a change).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset(con) -> None:
    con.execute("drop schema if exists link cascade")
    for table in ("derived.lineage", "derived.claim_clusters", "derived.cluster_summary"):
        con.execute(f"delete from {table}")  # fixed names, no data in SQL


def _prepare(state: Path, work: Path, case: str, pct: float) -> Path:
    """A copy of `state` ready for `case` (the incremental base is linked here, untimed)."""
    import duckdb

    from flows.link import link_warehouse

    target = work / f"{case}.duckdb"
    base = work / f"base-{pct}.duckdb"
    if case == "full":
        shutil.copy(state, target)
        con = duckdb.connect(str(target))
        _reset(con)
        con.close()
        return target
    if not base.exists():
        shutil.copy(state, base)
        con = duckdb.connect(str(base))
        _reset(con)
        n = con.execute("select count(*) from raw.articles").fetchone()[0]
        k = max(1, round(n * pct / 100))
        con.execute("create table main.held_ids as select document_id from raw.articles "
                    "order by document_id desc limit ?", [k])
        con.execute("create table main.held_articles as select * from raw.articles "
                    "where document_id in (select document_id from main.held_ids)")
        con.execute("create table main.held_claims as select * from raw.claims "
                    "where document_id in (select document_id from main.held_ids)")
        con.execute("delete from raw.claims where document_id in (select document_id from main.held_ids)")
        con.execute("delete from raw.articles where document_id in (select document_id from main.held_ids)")
        con.execute("update raw.articles set run_id = 'bench-base'")
        link_warehouse(con, "bench-base")
        con.close()
    shutil.copy(base, target)
    con = duckdb.connect(str(target))
    con.execute("update main.held_articles set run_id = 'bench-inc'")
    con.execute("insert into raw.articles by name select * from main.held_articles")
    con.execute("insert into raw.claims by name select * from main.held_claims")
    con.close()
    return target


def _peak_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ``ru_maxrss``, not inherited from the forking parent,
    whose `_compare` frames can be larger than the link)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time_phases() -> tuple[dict[str, float], dict[str, float], dict[str, int]]:
    """Wrap the linker's steps (methods of `flows.link._Linker`, and the clustering calls) with
    timers; returns the dicts the timers fill (wall seconds; CPU seconds of the process, every
    thread; peak RSS MB when the step ends)."""
    import functools

    import flows.link as link

    spent: dict[str, float] = {}
    cpu: dict[str, float] = {}
    peak: dict[str, int] = {}

    def timed(name, fn):
        @functools.wraps(fn)
        def wrapper(*a, **k):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0
                cpu[name] = cpu.get(name, 0.0) + time.process_time() - c0
                peak[name] = max(peak.get(name, 0), round(_peak_mb()))
        return wrapper

    for name, fn in list(vars(link._Linker).items()):
        if name.startswith("_") and not name.startswith("__") and callable(fn):
            setattr(link._Linker, name, timed(name, fn))
    for name in ("cluster_claims", "summarise_clusters", "article_signatures"):
        if hasattr(link, name):
            setattr(link, name, timed(name, getattr(link, name)))
    import flows.link_claims as link_claims  # the claim-cluster steps

    for name in ("_move", "_recluster_groups", "_resummarise"):
        if hasattr(link_claims, name):
            setattr(link_claims, name, timed(name, getattr(link_claims, name)))
    return spent, cpu, peak


def _child(args) -> None:
    import duckdb

    from flows.link import link_warehouse, read_links

    if args.prepare:
        _prepare(args.state, args.work, args.case, args.pct)
        return
    path = args.work / f"{args.case}.duckdb"
    if args.memory_limit:
        import flows.link

        flows.link.MEMORY_LIMIT = args.memory_limit
    con = duckdb.connect(str(path))
    run_id = "bench-inc" if args.case == "inc" else con.execute(
        "select any_value(run_id) from raw.articles").fetchone()[0]
    if args.case == "full":
        con.execute("update raw.articles set run_id = ?", [run_id])
    phases = _time_phases() if args.phases else None
    rss0 = _rss_mb()
    prof = cProfile.Profile() if args.profile else None
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    stats = link_warehouse(con, run_id)
    if prof:
        prof.disable()
    seconds = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
    peak = _peak_mb()
    n = con.execute("select count(*) from raw.articles").fetchone()[0]
    if args.check:
        out = read_links(con)
        for name, frame in out.items():
            frame.to_parquet(args.work / f"{args.case}-{name}.parquet")
    con.close()
    print(json.dumps({"case": args.case, "articles": n, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
                      "rss_before_mb": round(rss0), "peak_rss_mb": round(peak), **stats}))
    if phases is not None:
        print("  phases (s, inclusive):", json.dumps({k: round(v, 3) for k, v in phases[0].items()}))
        print("  phases (CPU s, inclusive):", json.dumps({k: round(v, 3) for k, v in phases[1].items()}))
        print("  peak RSS MB at the end of each phase:", json.dumps(phases[2]))
    if prof:
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats(args.sort).print_stats(args.profile)
        print(buf.getvalue(), file=sys.stderr)


def _compare(expected: Path, work: Path, case: str) -> None:
    """The outputs of `case` against the full run's (in `expected`): they must be equal."""
    import pandas as pd

    for name in ("lineage", "clusters", "summary", "articles"):
        a = pd.read_parquet(expected / f"full-{name}.parquet")
        b = pd.read_parquet(work / f"{case}-{name}.parquet")
        if name == "articles":  # a group's key may be another member of the same group
            a, b = a[["article_id", "story_id"]], b[["article_id", "story_id"]]
        if name == "clusters":  # the article of a claim is implied by the claim id
            a, b = a.drop(columns=["article_id"]), b.drop(columns=["article_id"])
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
        print(f"{case} {name}: equal to {expected.name}/full ({len(a)} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("state", type=Path)
    parser.add_argument("--case", choices=("full", "inc", "all"), default="all")
    parser.add_argument("--pct", type=float, default=1.0)
    parser.add_argument("--profile", type=int, default=0, help="print the top N cProfile lines")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (cumulative, tottime)")
    parser.add_argument("--phases", action="store_true", help="time the linker's steps")
    parser.add_argument("--check", action="store_true", help="incremental outputs == full outputs")
    parser.add_argument("--expect", type=Path, default=None,
                        help="a --work folder of an earlier --check run: outputs must equal its full-*.parquet")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--memory-limit", default="", help="DuckDB's cap during the link (flows.link.MEMORY_LIMIT)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="link-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for case in (("full", "inc") if args.case == "all" else (args.case,)):
        cmd = [sys.executable, __file__, str(args.state), "--case", case, "--pct", str(args.pct),
               "--profile", str(args.profile), "--sort", args.sort, "--work", str(work), "--child"]
        if args.check or args.expect:
            cmd.append("--check")
        if args.phases:
            cmd.append("--phases")
        if args.memory_limit:
            cmd += ["--memory-limit", args.memory_limit]
        subprocess.run(cmd + ["--prepare"], check=True, cwd=REPO)  # its memory is not the link's
        subprocess.run(cmd, check=True, cwd=REPO)
        if args.expect:
            _compare(args.expect, work, case)
    if args.check and args.case == "all":
        _compare(work, work, "inc")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
