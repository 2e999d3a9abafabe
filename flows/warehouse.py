"""The writer's DuckDB state: raw-schema DDL and bulk (Arrow/DataFrame) loads.

Only this module and `publish` talk to DuckDB from Python.  Values are never formatted into SQL:
frames are registered and inserted with `INSERT ... BY NAME SELECT`, filters use `?` parameters.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import duckdb
import pandas as pd
import pyarrow as pa

from flows.sources.file_stamps import SETTLE_NS, FileStamp

# Derived tables: rows made by the understand stage, keyed by document_id, re-derivable from raw bytes.
DERIVED_TABLES = (
    "blocks",
    "fields",
    "articles",
    "date_candidates",
    "sentences",
    "claims",
    "mentions",
    "findings",
)

DDL = """
create schema if not exists raw;
create schema if not exists derived;
create schema if not exists quality;

create table if not exists raw.runs (
    run_id varchar primary key,
    started_at timestamptz not null,
    finished_at timestamptz,
    status varchar not null,
    code_version varchar not null,
    inputs varchar,
    documents_seen integer,
    documents_new integer,
    documents_known integer,
    documents_quarantined integer,
    documents_reprocessed integer,
    message varchar
);

create table if not exists raw.documents (
    document_id varchar primary key,      -- sha256 of raw_bytes
    uri varchar not null,                 -- where it was first seen
    format varchar not null,              -- txt | html | jsonl | warc
    raw_bytes blob not null,              -- exactly as given
    size_bytes bigint not null,
    encoding varchar,
    text varchar not null,                -- decoded text: every char offset indexes this
    url varchar,
    fetched_at timestamptz,
    hints json,
    site_key varchar,                     -- url domain, else the input folder
    ingested_at timestamptz not null,
    run_id varchar not null
);

create table if not exists raw.sightings (  -- first time each (document, uri) pair was seen
    document_id varchar not null,
    uri varchar not null,
    seen_at timestamptz not null,
    run_id varchar not null,
    is_new boolean not null
);

create table if not exists raw.quarantine (
    uri varchar not null,
    reason varchar not null,
    error varchar not null,
    raw_bytes blob,
    size_bytes bigint,
    document_id varchar,
    seen_at timestamptz not null,
    run_id varchar not null
);

create table if not exists raw.blocks (
    document_id varchar not null, block_index integer not null,
    char_start integer not null, char_end integer not null,
    label varchar not null, rule varchar not null, confidence double not null,
    code_version varchar not null, run_id varchar not null
);

create table if not exists raw.fields (
    document_id varchar not null, field varchar not null, value varchar,
    char_start integer, char_end integer, rule varchar not null, confidence double not null,
    code_version varchar not null, run_id varchar not null
);

create table if not exists raw.articles (
    document_id varchar not null,
    headline varchar, standfirst varchar, authors varchar[], wire_agency varchar,
    dateline varchar, publisher varchar, language varchar,
    body_text varchar, body_words integer, boilerplate_ratio double,
    published_date date, published_at timestamptz, published_local varchar,
    published_date_source varchar, published_confidence double, published_is_inferred boolean,
    published_candidate_index integer,
    code_version varchar not null, run_id varchar not null
);

create table if not exists raw.date_candidates (
    document_id varchar not null, candidate_index integer not null,
    char_start integer, char_end integer, text varchar not null,
    location varchar not null, granularity varchar not null, rule varchar not null,
    confidence double not null, value_date date, value_utc timestamptz,
    local_time varchar, tz_name varchar, is_ambiguous boolean not null,
    alternatives date[], is_relative boolean not null, block_index integer,
    is_chosen boolean not null,
    code_version varchar not null, run_id varchar not null
);

create table if not exists raw.sentences (
    document_id varchar not null, sentence_index integer not null, block_index integer,
    char_start integer not null, char_end integer not null,
    code_version varchar not null, run_id varchar not null
);

create table if not exists raw.claims (
    document_id varchar not null, claim_index integer not null,
    claim_type varchar not null, claim_text varchar not null,
    char_start integer not null, char_end integer not null, sentence_index integer,
    rule varchar not null, confidence double not null,
    quantity_value double, quantity_low double, quantity_high double,
    quantity_unit varchar, qualifier varchar,
    attributed_to varchar, attribution_text varchar, attribution_verb varchar,
    event_verb varchar, event_date date, event_date_low date, event_date_high date,
    event_date_granularity varchar, event_date_anchor varchar, subject varchar,
    code_version varchar not null, run_id varchar not null
);

create table if not exists raw.mentions (
    document_id varchar not null, mention_index integer not null,
    text varchar not null, canonical_name varchar not null, entity_type varchar,
    char_start integer not null, char_end integer not null,
    rule varchar not null, confidence double not null,
    code_version varchar not null, run_id varchar not null
);

create table if not exists raw.findings (
    document_id varchar not null, finding_index integer not null,
    check_name varchar not null, severity varchar not null,
    observed varchar, expected varchar, evidence varchar, rule varchar,
    char_start integer, char_end integer, likely_cause varchar,
    code_version varchar not null, run_id varchar not null
);

create table if not exists derived.lineage (
    article_id varchar not null, related_article_id varchar not null, relation varchar not null,
    similarity double, containment double, shared_shingles integer, evidence varchar,
    rule varchar, earlier_article_id varchar, run_id varchar not null
);

create table if not exists derived.claim_clusters (
    claim_id varchar not null, cluster_id varchar not null, cluster_label varchar,
    story_id varchar, run_id varchar not null
);

create table if not exists derived.cluster_summary (
    cluster_id varchar not null, label varchar, claim_type varchar, n_articles integer,
    n_sources integer, value_min double, value_max double, agreement varchar, run_id varchar not null
);

create table if not exists quality.validations (
    run_id varchar not null, suite_name varchar not null, asset_name varchar not null,
    success boolean not null, evaluated integer not null, successful integer not null,
    unsuccessful integer not null, validated_at timestamptz not null, data_docs_path varchar
);

create table if not exists quality.expectation_results (
    run_id varchar not null, suite_name varchar not null, expectation_type varchar not null,
    column_name varchar, success boolean not null, unexpected_count bigint,
    unexpected_percent double, observed_value varchar, partial_unexpected varchar,
    kwargs varchar
);

create table if not exists quality.row_failures (
    run_id varchar not null, suite_name varchar not null, expectation_type varchar not null,
    column_name varchar, article_id varchar, observed varchar, expected varchar,
    row_run_id varchar                    -- the run that derived the failing row
);

create table if not exists quality.validated_runs (  -- which derivation runs each per-run suite has seen
    asset_name varchar not null, row_run_id varchar not null, validated_by_run_id varchar not null
);

-- the writer's own bookkeeping (not published): input files' stamps when a run last read them
create schema if not exists ingest;
create table if not exists ingest.file_stamps (
    uri varchar not null, size_bytes bigint not null, mtime_ns bigint not null, inode bigint not null,
    stamped_ns bigint not null, document_id varchar not null
);
-- runs whose publish completed: the published file holds what they stored.  A run is marked completed in
-- raw.runs just before its publish (so the published file shows it completed); one whose publish was cut
-- short is missing here, and the next run publishes again
create table if not exists ingest.published_runs (run_id varchar not null, published_at timestamptz not null);
"""


# While a run loads its batches the write-ahead log may grow this much before DuckDB checkpoints it into
# the file.  At DuckDB's default (16 MB, about one 1,000-document batch of rows) a checkpoint ran after
# almost every batch, and each costs a part that grows with what is already stored: measured on a
# replay of the 100,000-document load, commits were two thirds of the load and their cost per batch
# grew with the warehouse (load 0.66 ms/document at 20k, 0.93 at 100k).  256 MB is ~17 batches between
# checkpoints.
BULK_LOAD_CHECKPOINT_THRESHOLD = "256MB"

# DuckDB's memory during the load.  The rows waiting in the log are held in memory (uncompressed: ~340 MB
# for 256 MB of log) and every block a checkpoint writes stayed cached (DuckDB's default limit is 80 % of
# the machine's memory): the flow's process grew with the corpus (0.89 GB at the end of a 20,000-document
# load, 1.38 GB at 100,000; on a replay of the load DuckDB held 384 MB of written blocks at 100,000).
# Under this cap the cached blocks are dropped (they are in the file) and the load's memory stays flat
# (replay of 100,000 documents: peak 1.04-1.19 GB -> 0.75 GB).  300 MB also held, but made DuckDB move
# rows waiting in the log to its temporary directory: +0.5 s of CPU per 20,000 documents.
BULK_LOAD_MEMORY_LIMIT = "512MB"


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


@contextmanager
def opened(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def bulk_load(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Load many batches (a transaction each) with checkpoints every `BULK_LOAD_CHECKPOINT_THRESHOLD` of
    log instead of every 16 MB, DuckDB's memory capped (`BULK_LOAD_MEMORY_LIMIT`) and its checkpoints
    not merging row groups; on success the log is checkpointed before the block ends, so the stages
    after it start from an empty log.  A crash inside the block loses nothing committed: DuckDB replays
    the log when the file is next opened.

    Row groups: by default a checkpoint also merges a table's partly filled row groups (its vacuum), so
    the rows a load appends were rewritten again at each later checkpoint, the big `raw.documents` rows
    (bytes and text) most of all: the checkpoints' cost grew with the warehouse (replay of a 100,000-
    document load: 1.3-1.5 s of CPU for the first 256 MB of log, up to 4.4 s for the later ones; load
    34-36 -> 30 s of CPU).  Without the merge each checkpoint writes only the rows it adds (a row group
    per table and checkpoint, about 17,000 documents in a full run, a run's new rows in an incremental
    one); row groups whose rows were all deleted are still dropped."""
    # constants, not values from data (SET takes no parameters)
    con.execute(f"set checkpoint_threshold = '{BULK_LOAD_CHECKPOINT_THRESHOLD}'")
    con.execute(f"set memory_limit = '{BULK_LOAD_MEMORY_LIMIT}'")
    con.execute("set max_vacuum_tasks = 0")
    try:
        yield con
        con.execute("checkpoint")
    finally:
        for setting in ("checkpoint_threshold", "memory_limit", "max_vacuum_tasks"):
            with suppress(duckdb.Error):  # after a failed load the run's own error is the one to report
                con.execute(f"reset {setting}")


class frames_registered:  # noqa: N801 - used like a function: `with frames_registered(con, _x=frame):`
    """Register pandas frames under fixed names for the queries of a `with` block."""

    def __init__(self, con: duckdb.DuckDBPyConnection, **frames: pd.DataFrame) -> None:
        self.con, self.frames = con, frames

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        for name, frame in self.frames.items():
            self.con.register(name, frame)
        return self.con

    def __exit__(self, *exc) -> None:
        for name in self.frames:
            self.con.unregister(name)


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame | pa.Table) -> int:
    """Bulk-insert a DataFrame or Arrow table by column name (one statement, vectorised)."""
    if frame is None or len(frame) == 0:
        return 0
    columns = con.table(table).columns  # the catalog's columns (a relation, no query: ~0.5 ms)
    names = set(frame.column_names if isinstance(frame, pa.Table) else frame.columns)
    shared = ", ".join('"' + c + '"' for c in columns if c in names)
    con.register("_frame", frame)
    try:
        # table and column names come from the catalog, never from data
        con.execute(f"insert into {table} by name select {shared} from _frame")
    finally:
        con.unregister("_frame")
    return len(frame)


def insert_new_sightings(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> int:
    """Record each (document, uri) pair once: re-reading the same inputs every run adds no rows."""
    if frame.empty:
        return 0
    con.register("_sightings", frame)
    try:
        # a new document has no sightings yet: only the others are checked against the stored ones, and
        # only those documents' stored sightings are read (hashing every stored sighting for each batch
        # made the load's cost per batch grow with the warehouse)
        con.execute(
            """
            insert into raw.sightings by name
            with stored as (
                select s.document_id, s.uri from raw.sightings s
                where s.document_id in (select k.document_id from _sightings k where not k.is_new)
            )
            select distinct on (f.document_id, f.uri) f.document_id, f.uri, f.seen_at, f.run_id, f.is_new
            from _sightings f
            where f.is_new or not exists (
                select 1 from stored s where s.document_id = f.document_id and s.uri = f.uri
            )
            """
        )
    finally:
        con.unregister("_sightings")
    return len(frame)


def insert_new_quarantine(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> int:
    """Quarantine inputs not already quarantined for the same reason (same uri, reason and size):
    a bad file left in an input folder is recorded once, not once per run.  Returns rows added."""
    if frame.empty:
        return 0
    con.register("_quarantine", frame)
    try:
        added = con.execute(
            """
            insert into raw.quarantine by name
            select * from _quarantine f
            where not exists (
                select 1 from raw.quarantine q
                where q.uri = f.uri and q.reason = f.reason
                  and coalesce(q.size_bytes, -1) = coalesce(f.size_bytes, -1)
                  and coalesce(q.document_id, '') = coalesce(f.document_id, '')
            )
            """
        ).fetchall()
    finally:
        con.unregister("_quarantine")
    return int(added[0][0]) if added else 0


# DuckDB's words for memory it could not get, also when another error carries them: a checkpoint that
# runs out of memory fails as an IOException ("CHECKPOINT during DETACH failed ... Original error:
# failed to allocate data of size 4.0 MiB")
_OUT_OF_MEMORY = re.compile(r"Out of Memory Error|failed to allocate data of size|could not allocate block of size"
                            r"|failed to pin block of size")


def says_out_of_memory(message: str) -> bool:
    """Does a DuckDB error's text (or dbt's report of one) say DuckDB ran out of memory?"""
    return bool(_OUT_OF_MEMORY.search(message))


def out_of_memory(exc: BaseException | None) -> bool:
    """Did DuckDB run out of memory (maybe under a later error, e.g. a clean-up statement refused in the
    aborted transaction, or a checkpoint's error)?"""
    while exc is not None:
        if isinstance(exc, duckdb.OutOfMemoryException) or (
                isinstance(exc, duckdb.Error) and says_out_of_memory(str(exc))):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


T = TypeVar("T")


def with_memory_retries(attempt: Callable[[int], T], start_mb: int, retries: int, log: logging.Logger, what: str,
                        *, ran_out: Callable[[BaseException], bool] = out_of_memory) -> tuple[T, int]:
    """`attempt(cap_mb)` under `start_mb`; while it fails because DuckDB ran out of memory (`ran_out`),
    again under a doubled cap, at most `retries` more times. Returns its result and the cap it worked
    under; raises what the last attempt raised. Each attempt must leave nothing behind when it fails."""
    cap = start_mb
    while True:
        try:
            return attempt(cap), cap
        except Exception as exc:
            if not ran_out(exc) or cap >= start_mb << retries:
                raise
            log.warning("%s ran out of memory under %d MB; running it again under %d MB", what, cap, cap << 1)
            cap <<= 1


def has_tables(con: duckdb.DuckDBPyConnection, schema: str, *tables: str) -> bool:
    """Whether every one of `tables` exists in `schema` (state files made by older code may lack some)."""
    found = con.execute("select count(distinct table_name) from duckdb_tables() where schema_name = ? "
                        "and table_name in (select unnest(?::varchar[]))", [schema, list(tables)]).fetchall()[0][0]
    return found == len(set(tables))


def all_document_ids(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """Every stored document id (about 110 bytes each in memory: 11 MB per 100,000 documents)."""
    return frozenset(r[0] for r in con.execute("select document_id from raw.documents").fetchall())


def stamped_candidates(con: duckdb.DuckDBPyConnection, paths: list[str]) -> Iterator[tuple[str, int, int, int, str]]:
    """(path, size, modification time in ns, inode, document id) of each of `paths` whose recorded stamp
    can be trusted if `stat` still gives it: settled (see `file_stamps`) and of a document still stored.
    One join in DuckDB; the rows come back column by column (no object per stored stamp)."""
    if not paths:
        return iter(())
    con.register("_paths", pa.table({"uri": pa.array(paths, pa.string())}))
    try:
        columns = con.execute(
            """
            select f.uri, f.size_bytes, f.mtime_ns, f.inode, f.document_id
            from ingest.file_stamps f semi join _paths p on f.uri = p.uri
            where f.mtime_ns < f.stamped_ns - ?
              and f.document_id in (select document_id from raw.documents)
            """, [SETTLE_NS]).fetchnumpy()
    finally:
        con.unregister("_paths")
    return zip(*(column.tolist() for column in columns.values()))


def record_file_stamps(con: duckdb.DuckDBPyConnection, stamps: list[tuple[str, FileStamp, str]]) -> None:
    """Replace the stamps of these files (one bulk delete + insert)."""
    if not stamps:
        return
    frame = pd.DataFrame([(uri, *stamp, doc_id) for uri, stamp, doc_id in stamps],
                         columns=["uri", "size_bytes", "mtime_ns", "inode", "stamped_ns", "document_id"])
    frame = frame.drop_duplicates("uri", keep="last")
    con.register("_stamps", frame)
    try:
        con.execute("delete from ingest.file_stamps where uri in (select uri from _stamps)")
        con.execute("insert into ingest.file_stamps by name select * from _stamps")
    finally:
        con.unregister("_stamps")


def known_document_ids(con: duckdb.DuckDBPyConnection, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    frame = pd.DataFrame({"document_id": ids})
    con.register("_ids", frame)
    try:
        rows = con.execute(
            "select d.document_id from raw.documents d join _ids using (document_id)"
        ).fetchall()
    finally:
        con.unregister("_ids")
    return {r[0] for r in rows}


def delete_derived(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    """Remove derived rows of these documents (before they are re-derived)."""
    if not ids:
        return
    frame = pd.DataFrame({"document_id": ids})
    con.register("_ids", frame)
    try:
        for table in DERIVED_TABLES:
            con.execute(f"delete from raw.{table} where document_id in (select document_id from _ids)")
    finally:
        con.unregister("_ids")


def stale_document_ids(con: duckdb.DuckDBPyConnection, code_version: str) -> list[str]:
    """Documents whose derived rows were made by another code version (or never derived)."""
    rows = con.execute(
        """
        select d.document_id from raw.documents d
        left join raw.articles a using (document_id)
        where a.document_id is null or a.code_version <> ?
        order by d.document_id
        """,
        [code_version],
    ).fetchall()
    return [r[0] for r in rows]
