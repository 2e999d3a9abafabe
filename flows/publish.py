"""Publish: readers see the new state all at once and never block the writer.

The writer works in a private state file.  Publishing builds a new file beside the published one
and atomically renames it over the published path.  A reader that holds the old file open keeps its
snapshot (the old inode) and sees the new state when it reconnects; a crash before the rename leaves
the published file as it was.

Building the new file costs what changed, not the whole warehouse:

* the first publish (or one whose previous file cannot be reused) copies every table into a fresh
  file written in an older storage format (readable by DuckDB 1.x clients such as BI drivers);
* later publishes start from an earlier published file and apply the difference.  That file is the
  *spare*: the file the previous publish replaced, kept under a hidden name (a hard link made just
  before the rename), so no bytes are copied.  It is reused only when DuckDB can lock it for writing,
  i.e. no reader still has it open (a reader keeps its snapshot untouched); otherwise the publish
  starts from a byte copy of the current published file, made by the kernel (``sendfile``) and flushed
  to disk on a worker thread while the publish hashes the state: the copy and its write-back are disk
  work, the hashing CPU work, so they overlap instead of adding up (the write-back used to wait for
  DuckDB's checkpoint, after the hashing and the changes).

How the difference is found, without reading the earlier file's rows:

* per-document tables (``document_id`` + ``run_id``: raw bytes, blocks, claims ...) gain rows only in
  the run that derives them and lose them only when a document is re-derived or removed, so a run's
  rows are the same on both sides when its row count is; pairs are compared only within the runs whose
  counts differ (the new run, and the runs whose documents were re-derived);
* every other table (marts, lineage, clusters, quality results: rebuilt by each run) by key (its first
  column): a hash of each key's rows is kept in the state file (schema ``publish_log``, never
  published) as of the last publish, with the keys each publish changed; the keys to rewrite in the
  earlier file are the keys whose rows differ from the last publish plus the keys changed by the
  publishes since that file was made.  A published file is known by its identity (device, inode, size,
  modification time), recorded with its publish; a file the log does not know (a copy made elsewhere, a
  log from a rebuilt state, an older file than the log keeps) is not reused: the publish copies every
  table instead.  These tables are compared by content, not by their ``run_id``: in a mart it is the
  run that derived the row, not the run that last wrote it (a later run re-clusters a claim of
  ``marts.fct_claims`` and keeps its run id), and nothing in the state tells a row changed in place;
* a table whose columns changed, or that the earlier file lacks, is replaced.

Row groups: the checkpoint that writes the changes does not merge row groups (DuckDB's vacuum,
``max_vacuum_tasks = 0``).  With the merge, each publish rewrote the partly filled row groups its
changes touched: its commit took 3.4 s of a 7.1 s publish of a +1 % run at 100,000 documents, 0.8 s
without.  Deleted rows then stay in their row group until all of the group's rows are deleted (DuckDB
drops such a group), and each publish adds a row group to each table it appends to.  So a table is
compacted (replaced by a fresh copy from the state) when more than ``_COMPACT_DEAD_SHARE`` of its
stored rows, and more than a row group's worth, are deleted ones, or when it has more than
``_COMPACT_EXTRA_ROW_GROUPS`` row groups beyond those its rows fill: both stay bounded, for the cost of
an occasional copy of one table.
"""

from __future__ import annotations

import logging
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb

from flows.warehouse import with_memory_retries

PUBLISHED_SCHEMAS = ("raw", "derived", "marts", "quality", "lookups")
LOG_SCHEMA = "publish_log"  # in the state file; not published
_log = logging.getLogger(__name__)
_DOC_KEY = ("document_id", "run_id")
# DuckDB's buffer pool while publishing (it spills beyond). At 100,000 documents a full publish grew the
# process by ~570 MB under 512 MB and by ~320 MB under 256 MB, ~2 s slower of ~22 s; it set the run's peak
_MEMORY_LIMIT_MB = 256
_MEMORY_LIMIT_RETRIES = 3  # a publish out of memory is made again with the cap doubled: 512 MB ... 2 GB
# compaction of a table of the earlier file (see the module's docstring)
_COMPACT_DEAD_SHARE = 0.25
_COMPACT_EXTRA_ROW_GROUPS = 64
_ROW_GROUP_SIZE = 122_880  # DuckDB's rows per row group
_COPY_WORKERS = 2  # tables copied at once by a full publish (measured on 2 cores: see _copy_all)
# per-document tables whose key may be null (a quarantined file may have no document id): replaced
_ALWAYS_REPLACED = frozenset({("raw", "quarantine")})
# publishes whose files can still be brought up to date: the published file and its spare need the
# last two; the rest allow for extra publishes of the same state (a comparison copy, a retry)
_KEPT_GENERATIONS = 4
_LOG_TABLES = (
    "create table if not exists src.publish_log.generations "
    "(generation bigint, device ubigint, inode ubigint, size_bytes bigint, mtime_ns bigint)",
    "create table if not exists src.publish_log.key_hashes (table_name varchar, key_hash ubigint, row_hash ubigint)",
    "create table if not exists src.publish_log.changed_keys (generation bigint, table_name varchar, key_hash ubigint)",
)


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return con.execute(
        """
        select schema_name, table_name from duckdb_tables()
        where database_name = ? and schema_name in (select unnest(?::varchar[]))
        order by schema_name, table_name
        """,
        [catalog, list(PUBLISHED_SCHEMAS)],
    ).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(schema, table) -> its [(column, type)] in order, for every table of `catalog` (one query)."""
    columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, data_type in con.execute(
        "select schema_name, table_name, column_name, data_type from duckdb_columns() where database_name = ? "
        "order by schema_name, table_name, column_index", [catalog]).fetchall():
        columns.setdefault((schema, table), []).append((column, data_type))
    return columns


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy_all(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]]) -> dict:
    """Copy every table, `_COPY_WORKERS` at a time (each on a cursor of its own, committing its table).
    One table at a time left the two cores partly idle: the copy of a 20k-document warehouse took 3.9 s,
    two at a time 2.0-2.3 s (the biggest tables first: 3.0 s)."""
    for schema in sorted({s for s, _ in tables}):
        con.execute(f"create schema if not exists pub.{_quote(schema)}")

    def copy(table: tuple[str, str]) -> None:
        ident = f"{_quote(table[0])}.{_quote(table[1])}"
        cursor = con.cursor()
        try:
            cursor.execute(f"create table pub.{ident} as select * from src.{ident}")
        finally:
            cursor.close()

    with ThreadPoolExecutor(max_workers=_COPY_WORKERS, thread_name_prefix="publish-table") as pool:
        list(pool.map(copy, tables))
    return {"mode": "full", "tables_replaced": len(tables), "rows_added": None, "rows_removed": None}


def _needing_compaction(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The tables of `pub` (among `tables`) whose deleted rows or row groups passed the bounds: their live
    rows (`count(*)`), stored rows (deleted ones included: `estimated_size`) and row groups (the storage
    metadata: no rows are read)."""
    stored = {(s, t): n for s, t, n in con.execute(
        "select schema_name, table_name, estimated_size from duckdb_tables() where database_name = 'pub'").fetchall()}
    compact = set()
    for schema, table in tables:
        ident = f"pub.{_quote(schema)}.{_quote(table)}"
        live = con.execute(f"select count(*) from {ident}").fetchall()[0][0]
        groups = con.execute(
            "select count(distinct row_group_id) from pragma_storage_info(?) where column_id = 0",
            [ident]).fetchall()[0][0]
        rows = stored[schema, table]
        filled = -(-rows // _ROW_GROUP_SIZE)
        if rows - live > max(_COMPACT_DEAD_SHARE * rows, _ROW_GROUP_SIZE) or groups > filled + _COMPACT_EXTRA_ROW_GROUPS:
            compact.add((schema, table))
    return compact


def _is_per_document(columns: list[tuple[str, str]]) -> bool:
    return {c for c, _ in columns}.issuperset(_DOC_KEY)


def _diff_by_document(con: duckdb.DuckDBPyConnection, ident: str) -> tuple[int, int]:
    """Per-document table: rows of the (document, run) pairs that differ (re-derivation changes the run),
    looked for only in the runs whose row counts differ.  Each side is read once: the pairs of those runs
    (with the row ids of the state's rows, which are then copied by row id)."""
    con.execute(
        f"create or replace temp table runs as "
        f"with a as (select run_id, count(*) as n from src.{ident} group by all), "
        f"b as (select run_id, count(*) as n from pub.{ident} group by all) "
        "select coalesce(a.run_id, b.run_id) as run_id from a full join b on a.run_id is not distinct from b.run_id "
        "where a.n is distinct from b.n")
    if not con.execute("select count(*) from runs").fetchone()[0]:
        return 0, 0
    in_runs = "{} t semi join runs r on t.run_id is not distinct from r.run_id"
    con.execute(f"create or replace temp table src_pairs as select document_id, run_id, rowid as row_id "
                f"from {in_runs.format('src.' + ident)}")
    con.execute(f"create or replace temp table pub_pairs as select distinct document_id, run_id "
                f"from {in_runs.format('pub.' + ident)}")
    con.execute("create or replace temp table gone as "
                "select document_id, run_id from pub_pairs except select document_id, run_id from src_pairs")
    removed = con.execute(
        f"delete from pub.{ident} t using gone g "
        "where t.document_id is not distinct from g.document_id and t.run_id is not distinct from g.run_id"
    ).fetchone()[0]
    con.execute(
        "create or replace temp table rows as select s.row_id from src_pairs s anti join pub_pairs p "
        "on s.document_id is not distinct from p.document_id and s.run_id is not distinct from p.run_id")
    return _insert_rows(con, ident), removed


def _insert_rows(con: duckdb.DuckDBPyConnection, ident: str) -> int:
    """Copy the rows of `src` listed in `rows` (found by their narrow key columns, fetched by row id:
    the other columns are read only for these rows)."""
    return con.execute(
        f"insert into pub.{ident} select * from src.{ident} where rowid in (select row_id from rows)").fetchone()[0]


def _hash_keys(con: duckdb.DuckDBPyConnection, name: str, ident: str, key: str) -> None:
    """Add to `changed` the keys of a keyed table whose rows differ from the last publish (a hash of each
    key's rows, kept in the log), with their new hash (null: the key has no rows now).  The rows' hash
    is a hash of the sum of their hashes, so it changes when a row is added, removed or altered.  Keys
    are compared by their hash: keys that share one are rewritten together, which stays exact."""
    con.execute(
        "insert into changed select ?, coalesce(c.key_hash, l.key_hash), c.row_hash from "
        f"(select hash({_quote(key)}) as key_hash, hash(sum(hash(t))) as row_hash from src.{ident} t group by all) c "
        "full join (select key_hash, row_hash from src.publish_log.key_hashes where table_name = ?) l "
        "on c.key_hash = l.key_hash where c.row_hash is distinct from l.row_hash",
        [name, name])


def _rewrite_keys(con: duckdb.DuckDBPyConnection, name: str, ident: str, key: str) -> tuple[int, int]:
    """A table each run rebuilds: rewrite only the rows of the keys in `rewrite` (changed since the
    earlier file was published)."""
    con.execute("create or replace temp table keys as select key_hash from rewrite where table_name = ?", [name])
    if not con.execute("select count(*) from keys").fetchone()[0]:
        return 0, 0
    k = _quote(key)
    removed = con.execute(f"delete from pub.{ident} t where hash(t.{k}) in (select key_hash from keys)").fetchone()[0]
    con.execute(
        f"create or replace temp table rows as select rowid as row_id from src.{ident} "
        f"where hash({k}) in (select key_hash from keys)")
    return _insert_rows(con, ident), removed


def _apply_changes(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]]) -> dict:
    """Bring the attached copy of an earlier published file (`pub`) up to `src`."""
    replaced, compacted, added, removed = 0, 0, 0, 0
    wanted = set(tables)
    for schema, table in _tables(con, "pub"):
        if (schema, table) not in wanted:
            con.execute(f"drop table pub.{_quote(schema)}.{_quote(table)}")
    for schema in sorted({s for s, _ in tables}):
        con.execute(f"create schema if not exists pub.{_quote(schema)}")
    src_columns, pub_columns = _columns(con, "src"), _columns(con, "pub")
    # replaced whole: columns changed (or new), always replaced, then those of the rest past the bounds
    replace = {t for t in tables if src_columns[t] != pub_columns.get(t) or t in _ALWAYS_REPLACED}
    compact = _needing_compaction(con, [t for t in tables if t not in replace])
    for schema, table in tables:
        ident = f"{_quote(schema)}.{_quote(table)}"
        src_cols = src_columns[schema, table]
        if (schema, table) in replace or (schema, table) in compact:
            con.execute(f"create or replace table pub.{ident} as select * from src.{ident}")
            replaced += 1
            compacted += (schema, table) in compact
            continue
        if _is_per_document(src_cols):
            a, r = _diff_by_document(con, ident)
        else:
            a, r = _rewrite_keys(con, f"{schema}.{table}", ident, src_cols[0][0])
        added, removed = added + a, removed + r
    return {"mode": "changes", "tables_replaced": replaced, "tables_compacted": compacted,
            "rows_added": added, "rows_removed": removed}


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    """What tells one published file from another: (device, inode, size, modification time)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _generations(con: duckdb.DuckDBPyConnection) -> dict[tuple, int]:
    """The published files the log can bring up to date: identity -> generation."""
    rows = con.execute("select device, inode, size_bytes, mtime_ns, generation from src.publish_log.generations").fetchall()
    return {tuple(r[:4]): r[4] for r in rows}


def _keyed_tables(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(name, quoted identifier, key column) of the tables compared by key."""
    keyed, columns = [], _columns(con, "src")
    for schema, table in tables:
        cols = columns.get((schema, table))
        if cols and not _is_per_document(cols) and (schema, table) not in _ALWAYS_REPLACED:
            keyed.append((f"{schema}.{table}", f"{_quote(schema)}.{_quote(table)}", cols[0][0]))
    return keyed


def _record(con: duckdb.DuckDBPyConnection, keyed: list[tuple[str, str, str]], identity: tuple) -> None:
    """Log this publish in the state file: its file's identity, the keys it changed (for files made
    before it) and the new per-key hashes; forget generations beyond the kept ones."""
    (generation,) = con.execute("select coalesce(max(generation), 0) + 1 from src.publish_log.generations").fetchone()
    con.execute("begin transaction")
    con.execute("insert into src.publish_log.generations values (?, ?, ?, ?, ?)", [generation, *identity])
    con.execute("delete from src.publish_log.generations where generation <= ?", [generation - _KEPT_GENERATIONS])
    (oldest,) = con.execute("select min(generation) from src.publish_log.generations").fetchone()
    con.execute("delete from src.publish_log.changed_keys where generation <= ?", [oldest])
    if oldest < generation:  # an earlier file may be brought up to date: it needs this publish's keys
        con.execute("insert into src.publish_log.changed_keys select ?, table_name, key_hash from changed", [generation])
    con.execute(
        "delete from src.publish_log.key_hashes where table_name not in (select unnest(?::varchar[]))",
        [[name for name, _, _ in keyed]])
    con.execute(
        "delete from src.publish_log.key_hashes l using changed c "
        "where l.table_name = c.table_name and l.key_hash = c.key_hash")
    con.execute("insert into src.publish_log.key_hashes select * from changed where row_hash is not null")
    con.execute("commit")


def _reusable(published: Path, storage_version: str) -> bool:
    """Is the published file a DuckDB file in the storage format we publish?"""
    if not published.is_file():
        return False
    try:
        con = duckdb.connect()
        try:
            con.execute("attach ? as pub (read_only)", [str(published)])
            (version,) = con.execute(
                "select tags['storage_version'] from duckdb_databases() where database_name = 'pub'").fetchone()
        finally:
            con.close()
    except duckdb.Error:
        return False
    return version is None or str(version).rstrip("+") == storage_version.rstrip("+")


def spare_path(published: Path) -> Path:
    """Where the file the last publish replaced is kept for the next publish to start from."""
    return published.with_name(f".{published.name}.spare")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _take_spare(published: Path, tmp: Path, storage_version: str) -> bool:
    """Move the spare to `tmp` when it can be brought up to date in place: a DuckDB file in our
    storage format, not the published file itself (a publish killed between link and rename leaves
    both names on one file), and not open in any reader (DuckDB's write lock is granted)."""
    spare = spare_path(published)
    if not spare.is_file():
        return False
    if _same_file(spare, published) or not _reusable(spare, storage_version):
        spare.unlink(missing_ok=True)
        return False
    os.replace(spare, tmp)
    try:
        duckdb.connect(str(tmp)).close()  # the write lock: fails while a reader holds the file open
    except duckdb.Error:
        tmp.unlink(missing_ok=True)  # a reader keeps its snapshot (the unlinked inode)
        return False
    return True


def _keep_as_spare(published: Path) -> None:
    """Hard-link the file about to be replaced to the spare name (no copy; skipped where the
    filesystem has no hard links)."""
    spare = spare_path(published)
    spare.unlink(missing_ok=True)
    if published.is_file():
        try:
            os.link(published, spare)
        except OSError:
            pass


def _copy_durably(source: Path, target: Path) -> None:
    """Byte-copy `source` to `target` (the kernel copies: no Python-level copy) and flush it to disk."""
    shutil.copyfile(source, target)
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())


def _base(published: Path, tmp: Path, storage_version: str, generations: dict[tuple, int],
          background: ThreadPoolExecutor) -> tuple[str | None, int | None, Future | None]:
    """The earlier published file the publish starts from, at `tmp`, its generation in the log and,
    for a copy, the copy under way on `background`: the spare if it can be taken, else a byte copy of
    the published file; (None, None, None) when the log knows neither (the publish then copies every
    table)."""
    spare = spare_path(published)
    known = generations.get(_identity(spare))
    if known is not None and _take_spare(published, tmp, storage_version):
        return "spare", known, None
    known = generations.get(_identity(published))
    if known is not None and _reusable(published, storage_version):
        return "copy", known, background.submit(_copy_durably, published, tmp)
    return None, None, None


def publish(state_db: Path, published: Path, *, storage_version: str, incremental: bool = True) -> dict:
    """Publish the readable tables of `state_db` at `published`, atomically. Returns what it did:
    `mode` "full" (fresh copy of every table) or "changes", and for "changes" the `base` it started
    from: "spare" (no bytes copied) or "copy" (a byte copy of the published file), and the
    `memory_limit_mb` it ran under.

    A publish that runs out of memory under its cap is made again from the start with the cap doubled
    (up to `_MEMORY_LIMIT_RETRIES` times) instead of failing the run: nothing of the failed attempt is
    visible (its file is not renamed into place, its log entry not committed); its unfinished file is
    removed by the next attempt, which then starts from a byte copy if the failed one had taken the
    spare."""
    done, cap_mb = with_memory_retries(lambda cap: _publish(state_db, published, storage_version, incremental, cap),
                                       _MEMORY_LIMIT_MB, _MEMORY_LIMIT_RETRIES, _log, "publish")
    return {**done, "memory_limit_mb": cap_mb}


def _publish(state_db: Path, published: Path, storage_version: str, incremental: bool, limit_mb: int) -> dict:
    """One attempt at `publish` with DuckDB's buffer pool capped at `limit_mb`."""
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    for leftover in published.parent.glob(f".{published.name}.*.tmp*"):  # from a killed run
        leftover.unlink(missing_ok=True)
    # bounded memory (the flow's process already holds the run's state); spills beside the state file
    con = duckdb.connect(config={"temp_directory": str(state_db.parent / "tmp"), "memory_limit": f"{limit_mb}MB",
                                 "max_vacuum_tasks": 0})
    try:
        con.execute("attach ? as src", [str(state_db)])
        con.execute(f"create schema if not exists src.{LOG_SCHEMA}")
        for ddl in _LOG_TABLES:
            con.execute(ddl)
        # leaving the block waits for a copy under way (also when the hashing fails)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish-copy") as background:
            base, generation, copying = (_base(published, tmp, storage_version, _generations(con), background)
                                         if incremental else (None, None, None))
            tables = _tables(con, "src")
            keyed = _keyed_tables(con, tables)
            con.execute("create temp table changed (table_name varchar, key_hash ubigint, row_hash ubigint)")
            for name, ident, key in keyed:  # reads only the state: overlaps the copy
                _hash_keys(con, name, ident, key)
        if copying is not None:
            copying.result()  # the copy is whole and on disk (or this raises what the copy raised)
        if base:
            con.execute("attach ? as pub", [str(tmp)])
            con.execute("begin transaction")
            con.execute(
                "create temp table rewrite as select table_name, key_hash from changed union "
                "select table_name, key_hash from src.publish_log.changed_keys where generation > ?", [generation])
            done = {**_apply_changes(con, tables), "base": base}
            con.execute("commit")
        else:  # one commit per table (no transaction spilling the whole copy): the file is not yet visible
            con.execute("attach ? as pub (storage_version ?)", [str(tmp), storage_version])
            done = _copy_all(con, tables)
        con.execute("detach pub")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        _record(con, keyed, _identity(tmp))
        con.execute("detach src")
    finally:
        con.close()
    if os.environ.get("NEWSLEDGER_CRASH_AFTER") == "publish_copy":  # fault injection (crash tests)
        os.kill(os.getpid(), 9)
    _keep_as_spare(published)
    os.replace(tmp, published)
    dir_fd = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return {"tables": len(tables), "bytes": published.stat().st_size, **done}
