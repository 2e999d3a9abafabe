"""The Prefect flow: ingest → understand → load → link+transform → validate → publish.

Tasks work on batches of documents.  I/O tasks (ingest) retry; pure tasks (understand) don't; dbt is
never retried (a failing model or test will fail again).  The writer works on a private state file
and publishes an atomic copy, so readers never block it and never see a half-written state.
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import json
import os
import resource
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows import parallel, warehouse
from flows.code_version import code_version
from flows.link import link_warehouse
from flows.locking import writer_lock
from flows.publish import publish
from flows.quality import read_marts, validate_frames
from flows.runners import default_workers
from flows.settings import DEFAULT_INPUT, Settings
from flows.sources.discover import discover
from flows.sources.document import KnownDocument, Quarantined, RawDocument
from flows.sources.file_stamps import split_unchanged, still_unchanged
from flows.sources.read import read_files
from flows.text.model import DocumentInput
from flows.transform import dbt_build, start_parse
from flows.understand import BatchResult, site_key, site_parts, understand_batch_for_load

STAGES = ("ingest", "understand", "load", "link", "transform", "validate", "publish")


@dataclass
class RunStats:
    run_id: str
    seen: int = 0
    new: int = 0
    known: int = 0
    quarantined: int = 0
    reprocessed: int = 0
    understand_failed: int = 0
    new_quarantined: int = 0  # quarantine rows this run added (a bad file seen again adds none)
    stage_seconds: dict = field(default_factory=lambda: {s: 0.0 for s in STAGES})
    stage_peak_rss_mb: dict = field(default_factory=dict)

    def mark(self, stage: str) -> None:
        """Record the peak memory so far (this process and its worker processes) after a stage."""
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        self.stage_peak_rss_mb[stage] = round(max(own, children) / 1024, 1)


def crash_point(name: str) -> None:
    """Fault injection for the crash-safety tests: NEWSLEDGER_CRASH_AFTER=<name> kills the process (-9) here."""
    if os.environ.get("NEWSLEDGER_CRASH_AFTER") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _batched(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


# ---------------------------------------------------------------- tasks


@task(name="ingest", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest_batch(paths: list[str], max_bytes: int, known: frozenset[str] = frozenset()
                 ) -> tuple[list[RawDocument | KnownDocument | Quarantined], list]:
    """Read a batch of input files (paths from `discover`; I/O: retried on transient errors); files
    whose bytes are already stored (`known` ids) are only hashed, not decoded.  Returns the items
    and the stamps of the one-document files read (`file_stamps`)."""
    stamps: list = []
    return list(read_files(paths, max_bytes=max_bytes, known=known, stamps=stamps)), stamps


@task(name="understand", cache_policy=NO_CACHE)
def understand_task(docs: list[DocumentInput], code_version: str, run_id: str, now: dt.datetime) -> BatchResult:
    """Pure text analysis of a batch (no retries: the same input fails the same way)."""
    return parallel.run(understand_batch_for_load, docs, code_version=code_version, run_id=run_id, now=now)


@task(name="transform", cache_policy=NO_CACHE)
def transform_task(state_db: str, work_dir: str, select: list[str] | None = None) -> dict:
    return dbt_build(Path(state_db), Path(work_dir), select=select)


@task(name="publish", retries=1, retry_delay_seconds=2, cache_policy=NO_CACHE)
def publish_task(state_db: str, published: str, storage_version: str) -> dict:
    return publish(Path(state_db), Path(published), storage_version=storage_version)


# ---------------------------------------------------------------- load helpers (the flow's own thread)


def _doc_input(d: RawDocument | dict) -> DocumentInput:
    if isinstance(d, dict):
        return DocumentInput(
            document_id=d["document_id"], text=d["text"], uri=d["uri"], format=d["format"],
            url=d["url"], fetched_at=d["fetched_at"], hints=json.loads(d["hints"] or "{}"),
        )
    return DocumentInput(
        document_id=d.document_id, text=d.text, uri=d.uri, format=d.format, url=d.url,
        fetched_at=d.fetched_at, hints=d.hints,
    )


def _quarantine_frame(items: list[Quarantined], run_id: str, now: dt.datetime) -> pd.DataFrame:
    return pd.DataFrame([{
        "uri": q.uri, "reason": q.reason, "error": q.error, "raw_bytes": q.raw_bytes,
        "size_bytes": q.size_bytes, "document_id": None, "seen_at": now, "run_id": run_id,
    } for q in items])


def load_raw(con, items: list, stats: RunStats, now: dt.datetime, stamps: list = (),
             unchanged: list[KnownDocument] = ()) -> list[DocumentInput]:
    """Store new documents byte-for-byte, every sighting, the quarantined inputs and the stamps of
    the files read.  `unchanged` files (their stamp held, so they were not read) count as seen and
    known; their sighting was stored when their stamp was."""
    stats.seen += len(unchanged)
    stats.known += len(unchanged)
    docs = [i for i in items if isinstance(i, (RawDocument, KnownDocument))]
    bad = [i for i in items if isinstance(i, Quarantined)]
    known = warehouse.known_document_ids(con, list({d.document_id for d in docs if isinstance(d, RawDocument)}))
    known.update(d.document_id for d in docs if isinstance(d, KnownDocument))
    new: dict[str, RawDocument] = {}
    sightings = []
    for d in docs:
        is_new = d.document_id not in known and d.document_id not in new
        if is_new:
            new[d.document_id] = d
        sightings.append({"document_id": d.document_id, "uri": d.uri, "seen_at": now,
                          "run_id": stats.run_id, "is_new": is_new})
    stats.seen += len(docs) + len(bad)
    stats.new += len(new)
    stats.known += len(docs) - len(new)
    stats.quarantined += len(bad)
    inputs = [_doc_input(d) for d in new.values()]
    frame = pd.DataFrame([{
        "document_id": d.document_id, "uri": d.uri, "format": d.format, "raw_bytes": d.raw_bytes,
        "size_bytes": len(d.raw_bytes), "encoding": d.encoding, "text": d.text, "url": d.url,
        "fetched_at": d.fetched_at, "hints": json.dumps(d.hints, default=str, ensure_ascii=False),
        "site_key": site_key(i), "ingested_at": now, "run_id": stats.run_id,
    } for d, i in zip(new.values(), inputs)])
    con.execute("begin transaction")
    warehouse.insert_frame(con, "raw.documents", frame)
    warehouse.insert_new_sightings(con, pd.DataFrame(sightings))
    if bad:
        stats.new_quarantined += warehouse.insert_new_quarantine(con, _quarantine_frame(bad, stats.run_id, now))
    warehouse.record_file_stamps(con, list(stamps))
    con.execute("commit")
    return inputs


def load_derived(con, result: BatchResult, docs: list[DocumentInput], stats: RunStats, now: dt.datetime,
                 *, replace: bool = False) -> None:
    """Insert the derived rows of these documents (one transaction per batch); `replace` first deletes
    the rows an earlier derivation left (re-derivation; new documents have none)."""
    by_id = {d.document_id: d for d in docs}
    con.execute("begin transaction")
    if replace:
        warehouse.delete_derived(con, list(by_id))
    for table, frame in result.frames.items():
        warehouse.insert_frame(con, f"raw.{table}", frame)
    if result.failures:
        stats.understand_failed += len(result.failures)
        stats.new_quarantined += warehouse.insert_new_quarantine(con, pd.DataFrame([{
            "uri": by_id[doc_id].uri, "reason": "understand_failed",
            "error": f"{by_id[doc_id].uri}: analysis failed: {error}", "raw_bytes": None,
            "size_bytes": None, "document_id": doc_id, "seen_at": now, "run_id": stats.run_id,
        } for doc_id, error in result.failures]))
    con.execute("commit")


def _stored_inputs(con, ids: list[str]) -> list[DocumentInput]:
    """Documents to re-derive, rebuilt from what raw.documents stored."""
    con.register("_ids", pd.DataFrame({"document_id": ids}))
    try:
        cursor = con.execute(
            "select document_id, text, uri, format, url, fetched_at, hints from raw.documents "
            "join _ids using (document_id) order by document_id"
        )
        names = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    finally:
        con.unregister("_ids")
    return [_doc_input(dict(zip(names, row))) for row in rows]


def _import_stage_libraries() -> None:
    try:
        for module in ("dbt.cli.main", "great_expectations"):
            importlib.import_module(module)
    except Exception:  # the stage that needs the library reports the error itself
        pass


_preload_thread: threading.Thread | None = None


def preload_stage_libraries() -> None:
    """Import dbt and Great Expectations (several seconds of import time) on a background thread, once
    per process: the CLI starts it while Prefect's API server boots, the flow while the understand
    workers run; the stage that needs a library waits for its import (Python's import lock)."""
    global _preload_thread
    if _preload_thread is None:
        _preload_thread = threading.Thread(target=_import_stage_libraries, name="newsledger-preload", daemon=True)
        _preload_thread.start()


# ---------------------------------------------------------------- the flow


@flow(name="newsledger-run", log_prints=False)
def newsledger_run(
    paths: list[str] | None = None,
    warehouse_path: str | None = None,
    reprocess: bool = False,
    batch_size: int | None = None,
    show_progress: bool = False,
    workers: int | None = None,
    in_flight: int | None = None,
) -> dict:
    """Ingest the inputs, understand new documents, load them, build the marts, validate, publish."""
    settings = Settings()
    if warehouse_path:
        settings = settings.model_copy(update={"warehouse": Path(warehouse_path)})
    settings = settings.resolved()
    batch_size = batch_size or settings.batch_size
    paths = [str(p) for p in (paths or [DEFAULT_INPUT])]
    logger = get_run_logger()
    now = _now()
    stats = RunStats(run_id=now.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8])
    version = code_version()
    settings.state_dir.mkdir(parents=True, exist_ok=True)

    # every file to read; a path that matches nothing is kept and quarantined as unreadable
    files = discover(paths)
    if workers is None:
        workers = default_workers(len(files))
    window = in_flight or max(2, workers + 1)  # understand batches in flight: keep every worker busy
    with writer_lock(settings.lock_file, timeout_s=settings.lock_timeout_s), parallel.process_pool(workers), \
            _long_lived_objects_frozen():
        con = warehouse.connect(settings.state_db)
        warehouse.ensure_schema(con)
        warehouse.insert_frame(con, "raw.runs", pd.DataFrame([{
            "run_id": stats.run_id, "started_at": now, "status": "running", "code_version": version,
            "inputs": json.dumps(paths),
        }]))
        try:
            progress = _Progress(len(files), enabled=show_progress)
            batches = list(_batched(files, batch_size)) or [[]]
            t0 = time.perf_counter()
            known_ids = warehouse.all_document_ids(con)  # files already stored are hashed, not decoded ...
            held = still_unchanged(warehouse.stamped_candidates(con, files))  # ... or not even read when
            stats.stage_seconds["ingest"] += time.perf_counter() - t0          # their stamp still holds
            with warehouse.bulk_load(con):
                _ingest_and_understand(con, batches, held, known_ids, settings, stats, version, now,
                                       workers, window, progress)
                stats.mark("understand")
                stale = warehouse.stale_document_ids(con, version) if reprocess else _never_derived(con)
                for ids in _batched(stale, batch_size):
                    stats.reprocessed += len(ids)
                    _derive(con, _stored_inputs(con, ids), stats, version, now)
                checkpoint_started = time.perf_counter()  # the closing checkpoint is part of the load
            stats.stage_seconds["load"] += time.perf_counter() - checkpoint_started

            if stats.new or stats.reprocessed or stats.new_quarantined or not _last_run_completed(con, stats.run_id) \
                    or not settings.warehouse.exists():
                gc.freeze()  # and the objects of dbt and GX, imported by now (see _long_lived_objects_frozen)
                link, dbt, outcome, published = _build_and_publish(con, settings, stats, now)
            else:  # nothing new since a completed run: marts, validations and the published file stand
                _finish_run(con, stats, "completed", "")
                _mark_published(con, stats.run_id)
                con.close()
                link, dbt, outcome, published = None, None, None, None
            summary = _summarise(settings, stats, link, dbt, outcome, published)
        except BaseException as exc:
            try:
                con = warehouse.connect(settings.state_db)
                _finish_run(con, stats, "failed", f"{type(exc).__name__}: {exc}"[:2000])
                con.close()
            except Exception:  # the original error matters more
                pass
            raise
    create_markdown_artifact(key="newsledger-run-summary", markdown=_markdown(summary),
                             description="newsledger run summary")
    logger.info("run %s: %s", stats.run_id, json.dumps(summary["documents"]))
    return summary


@contextmanager
def _long_lived_objects_frozen() -> Iterator[None]:
    """Keep the objects that live through the run out of the cycle collector's passes.

    The flow's process holds ~500,000 objects (Prefect, dbt, GX, pandas, the run's file lists) that
    live until the run ends; each full pass of the collector walked all of them (~0.5 s; 11 passes in a
    20,000-document run).  Frozen, the collector skips them (reference counting still frees them);
    measured on the same 20k run: time in the collector 6.7 -> 3.6 s.  At the end of the run they go
    back to the collector: a process that runs flows one after another (the tests) collects their
    cycles as before."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _ingest_and_understand(con, batches: list[list[str]], held: dict[str, str], known_ids: frozenset[str],
                           settings: Settings, stats: RunStats, version: str, now: dt.datetime, workers: int,
                           window: int, progress: "_Progress") -> None:
    """Read each batch, store its new documents, and load the rows the workers derive from them; at
    most `window` batches (or parts of batches) are analysed at once (memory stays flat)."""
    pending: deque = deque()  # understand futures in flight
    for batch in batches:
        t0 = time.perf_counter()
        unchanged, to_read = split_unchanged(batch, held)
        items, stamps = ingest_batch(to_read, settings.max_bytes, known_ids) if to_read else ([], [])
        t1 = time.perf_counter()
        inputs = load_raw(con, items, stats, now, stamps, unchanged)
        crash_point("load_raw")
        stats.stage_seconds["ingest"] += t1 - t0
        stats.stage_seconds["load"] += time.perf_counter() - t1
        if inputs:
            preload_stage_libraries()  # dbt and GX load while the documents are analysed
            start_parse(settings.state_db, settings.state_dir)  # and dbt parses the project
            # workers with nothing to do (the first batch, or the only new one on an incremental run)
            # share this batch
            for part in site_parts(inputs, workers - len(pending)):
                pending.append((understand_task.submit(part, version, stats.run_id, now), part))
        while len(pending) > window:
            _finish(con, pending.popleft(), stats, now)
            crash_point("load_derived")
        progress.advance(len(batch))
    while pending:
        _finish(con, pending.popleft(), stats, now)
        crash_point("load_derived")
    progress.close()


def _build_and_publish(con, settings: Settings, stats: RunStats, now: dt.datetime):
    """link → dbt build → GX → publish. Closes `con` (dbt and GX open the state file themselves)."""
    t0 = time.perf_counter()
    link = link_warehouse(con, stats.run_id)
    con.close()
    stats.stage_seconds["link"] += time.perf_counter() - t0
    stats.mark("link")
    t0 = time.perf_counter()
    dbt = transform_task(str(settings.state_db), str(settings.state_dir))
    crash_point("transform")
    stats.stage_seconds["transform"] += time.perf_counter() - t0
    stats.mark("transform")

    t0 = time.perf_counter()
    outcome = validate_frames(
        read_marts(settings.state_db, run_id=stats.run_id), run_id=stats.run_id, now=now,
        results_dir=settings.state_dir / "gx_results", docs_dir=settings.data_docs_dir,
    )
    con = warehouse.connect(settings.state_db)
    warehouse.insert_frame(con, "quality.validations", outcome.validations)
    warehouse.insert_frame(con, "quality.expectation_results", outcome.expectation_results)
    warehouse.insert_frame(con, "quality.row_failures", outcome.row_failures)
    warehouse.insert_frame(con, "quality.validated_runs", outcome.validated_runs)
    con.close()
    if len(outcome.row_failures):  # this run's GX row failures become quality flags
        transform_task(str(settings.state_db), str(settings.state_dir), select=["int_warehouse_findings+"])
    crash_point("validate")
    stats.stage_seconds["validate"] += time.perf_counter() - t0
    stats.mark("validate")

    t0 = time.perf_counter()
    con = warehouse.connect(settings.state_db)
    _finish_run(con, stats, "completed", "")  # before the publish: the published file shows the run completed
    con.close()
    published = publish_task(str(settings.state_db), str(settings.warehouse), settings.storage_version)
    con = warehouse.connect(settings.state_db)
    _mark_published(con, stats.run_id)
    con.close()
    stats.stage_seconds["publish"] += time.perf_counter() - t0
    stats.mark("publish")

    return link, dbt, outcome, published


def _last_run_completed(con, run_id: str) -> bool:
    """Did the run before this one complete, publish included? A killed or failed run did not; nor did
    one killed during its publish (marked completed, not published)."""
    rows = con.execute(
        """
        select r.status = 'completed' and exists (select 1 from ingest.published_runs p where p.run_id = r.run_id)
        from raw.runs r where r.run_id <> ? order by r.started_at desc limit 1
        """, [run_id]
    ).fetchall()
    return bool(rows) and rows[0][0]


def _mark_published(con, run_id: str) -> None:
    """The published file now holds what this run stored (or stood as it was: nothing new)."""
    con.execute("insert into ingest.published_runs values (?, ?)", [run_id, _now()])


def _never_derived(con) -> list[str]:
    rows = con.execute(
        """
        select d.document_id from raw.documents d
        where not exists (select 1 from raw.articles a where a.document_id = d.document_id)
          and not exists (select 1 from raw.quarantine q where q.document_id = d.document_id)
        order by 1
        """
    ).fetchall()
    return [r[0] for r in rows]


def _finish(con, item: tuple, stats: RunStats, now: dt.datetime, *, replace: bool = False) -> None:
    """Wait for one understand future and load its rows."""
    future, inputs = item
    t0 = time.perf_counter()
    result = future.result()
    t1 = time.perf_counter()
    load_derived(con, result, inputs, stats, now, replace=replace)
    # Prefect's records of the task run refer to its return value from reference cycles, which only
    # the cycle collector's rare full passes free: batches' rows piled up during the load (228 MB of
    # Arrow buffers still held after 20,000 documents).  Once loaded they are dropped here.
    result.frames.clear()
    stats.stage_seconds["understand"] += t1 - t0  # time the flow waited for analysis
    stats.stage_seconds["load"] += time.perf_counter() - t1


def _derive(con, inputs: list[DocumentInput], stats: RunStats, version: str, now: dt.datetime) -> None:
    if inputs:  # stored documents being re-derived: replace their old rows
        _finish(con, (understand_task.submit(inputs, version, stats.run_id, now), inputs), stats, now, replace=True)


def _finish_run(con, stats: RunStats, status: str, message: str) -> None:
    con.execute(
        """
        update raw.runs set finished_at = ?, status = ?, documents_seen = ?, documents_new = ?,
            documents_known = ?, documents_quarantined = ?, documents_reprocessed = ?, message = ?
        where run_id = ?
        """,
        [_now(), status, stats.seen, stats.new, stats.known, stats.quarantined + stats.understand_failed,
         stats.reprocessed, message, stats.run_id],
    )


def _summarise(settings: Settings, stats: RunStats, link: dict | None, dbt: dict | None, outcome,
               published: dict | None) -> dict:
    """The run's summary, read from the published warehouse (link/dbt/outcome/published are None
    when nothing changed and those stages were skipped)."""
    import duckdb

    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        articles = con.execute("select count(*) from marts.dim_articles").fetchall()[0][0]
        claims = con.execute("select count(*) from marts.fct_claims").fetchall()[0][0]
        clusters = con.execute("select count(*) from marts.fct_claim_clusters").fetchall()[0][0]
        flags = con.execute(
            "select check_name, severity, count(*) from marts.fct_quality_flags group by all order by 1, 2"
        ).fetchall()
    finally:
        con.close()
    return {
        "run_id": stats.run_id,
        "documents": {"seen": stats.seen, "new": stats.new, "already_known": stats.known,
                      "quarantined": stats.quarantined + stats.understand_failed,
                      "reprocessed": stats.reprocessed},
        "articles": articles,
        "claims": claims,
        "clusters": clusters,
        "unchanged": outcome is None,
        "quality_flags": [{"check": c, "severity": s, "count": n} for c, s, n in flags],
        "validations": [] if outcome is None else
        outcome.validations[["asset_name", "success", "successful", "evaluated"]].to_dict("records"),
        "dbt_nodes": dbt["nodes"] if dbt else 0,
        "stage_seconds": {k: round(v, 3) for k, v in stats.stage_seconds.items()},
        "stage_peak_rss_mb": stats.stage_peak_rss_mb,
        "warehouse": str(settings.warehouse),
        "data_docs": str(settings.data_docs_dir / "index.html"),
        "published_bytes": settings.warehouse.stat().st_size,
        # how the published file was made: "full" copy, "changes" applied to the previous file, or None
        # when nothing was published (unchanged input)
        "publish_mode": published["mode"] if published else None,
        # what an incremental publish started from: "spare" (the file the last publish replaced: no
        # bytes copied) or "copy" (a byte copy of the published file, e.g. while a reader held the spare)
        "publish_base": published.get("base") if published else None,
    }


def _markdown(summary: dict) -> str:
    d = summary["documents"]
    lines = [
        f"# newsledger run {summary['run_id']}", "",
        f"- documents: {d['new']} new, {d['already_known']} already known, {d['quarantined']} quarantined",
        f"- articles: {summary['articles']}, claims: {summary['claims']}",
        f"- warehouse: `{summary['warehouse']}`", f"- data docs: `{summary['data_docs']}`", "",
        "| check | severity | findings |", "|---|---|---|",
    ]
    lines += [f"| {f['check']} | {f['severity']} | {f['count']} |" for f in summary["quality_flags"]]
    return "\n".join(lines)


class _Progress:
    """A rich progress bar (documents done / total, rate) for long inputs; silent otherwise."""

    def __init__(self, total: int, *, enabled: bool, threshold: int = 200) -> None:
        self._bar = None
        if enabled and total >= threshold:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeRemainingColumn)

            class _Rate(TextColumn):
                def render(self, task):  # noqa: D401 - documents per second
                    speed = task.finished_speed or task.speed or 0
                    return super().render(task).__class__(f"{speed:,.0f} docs/s")

            self._bar = Progress(TextColumn("documents"), BarColumn(), MofNCompleteColumn(),
                                 _Rate(""), TimeRemainingColumn(), transient=True)
            self._task = self._bar.add_task("run", total=total)
            self._bar.start()

    def advance(self, n: int) -> None:
        if self._bar:
            self._bar.advance(self._task, n)

    def close(self) -> None:
        if self._bar:
            self._bar.stop()
