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
  starts from a byte copy of the current published file (the kernel's ``copy_file_range``: a reflink
  on filesystems that have them, else a disk-speed copy).  The difference is found by content, so a
  spare two runs behind is brought up to date the same way: per-document tables (``document_id`` + ``run_id``: raw bytes, blocks, claims ...)
  change only where a (document, run) pair was added or removed; every other table (marts, lineage,
  clusters, quality results: rebuilt by each run) only where the rows of a key value (its first
  column) differ, found by comparing per-key row hashes; a table whose columns changed is replaced.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("raw", "derived", "marts", "quality", "lookups")
_DOC_KEY = ("document_id", "run_id")
_MEMORY_LIMIT = "512MB"
# per-document tables whose key may be null (a quarantined file may have no document id): replaced
_ALWAYS_REPLACED = frozenset({("raw", "quarantine")})


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return con.execute(
        """
        select schema_name, table_name from duckdb_tables()
        where database_name = ? and schema_name in (select unnest(?::varchar[]))
        order by schema_name, table_name
        """,
        [catalog, list(PUBLISHED_SCHEMAS)],
    ).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = ? and schema_name = ? "
        "and table_name = ? order by column_index",
        [catalog, schema, table],
    ).fetchall()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy_all(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]]) -> dict:
    for schema in sorted({s for s, _ in tables}):
        con.execute(f"create schema if not exists pub.{_quote(schema)}")
    for schema, table in tables:
        ident = f"{_quote(schema)}.{_quote(table)}"
        con.execute(f"create table pub.{ident} as select * from src.{ident}")
    return {"mode": "full", "tables_replaced": len(tables), "rows_added": None, "rows_removed": None}


def _diff_by_document(con: duckdb.DuckDBPyConnection, ident: str) -> tuple[int, int]:
    """Per-document table: rows of the (document, run) pairs that differ (re-derivation changes the run)."""
    con.execute(
        f"create or replace temp table gone as select document_id, run_id from pub.{ident} "
        f"except select document_id, run_id from src.{ident}")
    con.execute(
        f"create or replace temp table fresh as select document_id, run_id from src.{ident} "
        f"except select document_id, run_id from pub.{ident}")
    removed = con.execute(
        f"delete from pub.{ident} t using gone g where t.document_id = g.document_id and t.run_id = g.run_id"
    ).fetchone()[0]
    added = con.execute(
        f"insert into pub.{ident} select s.* from src.{ident} s semi join fresh f "
        "on s.document_id = f.document_id and s.run_id = f.run_id").fetchone()[0]
    return added, removed


def _diff_by_key(con: duckdb.DuckDBPyConnection, ident: str, key: str) -> tuple[int, int]:
    """A table each run rebuilds: rewrite only the key values (its first column: article, claim, cluster
    id ...) whose rows differ, found by comparing a hash of each key's rows on both sides."""
    k = _quote(key)
    con.execute(
        f"create or replace temp table changed as "
        f"with a as (select {k} as k, count(*) as n, sum(hash(t)) as h from src.{ident} t group by all), "
        f"b as (select {k} as k, count(*) as n, sum(hash(t)) as h from pub.{ident} t group by all) "
        "select coalesce(a.k, b.k) as k from a full join b on a.k is not distinct from b.k "
        "where a.n is distinct from b.n or a.h is distinct from b.h")
    removed = con.execute(
        f"delete from pub.{ident} t where exists (select 1 from changed c where c.k is not distinct from t.{k})"
    ).fetchone()[0]
    added = con.execute(
        f"insert into pub.{ident} select s.* from src.{ident} s "
        f"where exists (select 1 from changed c where c.k is not distinct from s.{k})").fetchone()[0]
    return added, removed


def _apply_changes(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]]) -> dict:
    """Bring the attached copy of the previous published file (`pub`) up to `src`."""
    replaced, added, removed = 0, 0, 0
    wanted = set(tables)
    for schema, table in _tables(con, "pub"):
        if (schema, table) not in wanted:
            con.execute(f"drop table pub.{_quote(schema)}.{_quote(table)}")
    for schema in sorted({s for s, _ in tables}):
        con.execute(f"create schema if not exists pub.{_quote(schema)}")
    for schema, table in tables:
        ident = f"{_quote(schema)}.{_quote(table)}"
        src_cols = _columns(con, "src", schema, table)
        pub_cols = _columns(con, "pub", schema, table)
        names = {c for c, _ in src_cols}
        if src_cols != pub_cols or (schema, table) in _ALWAYS_REPLACED:
            con.execute(f"create or replace table pub.{ident} as select * from src.{ident}")
            replaced += 1
            continue
        if names.issuperset(_DOC_KEY):
            a, r = _diff_by_document(con, ident)
        else:
            a, r = _diff_by_key(con, ident, src_cols[0][0])
        added, removed = added + a, removed + r
    return {"mode": "changes", "tables_replaced": replaced, "rows_added": added, "rows_removed": removed}


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


def publish(state_db: Path, published: Path, *, storage_version: str, incremental: bool = True) -> dict:
    """Publish the readable tables of `state_db` at `published`, atomically. Returns what it did:
    `mode` "full" (fresh copy of every table) or "changes", and for "changes" the `base` it started
    from: "spare" (no bytes copied) or "copy" (a byte copy of the published file)."""
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    for leftover in published.parent.glob(f".{published.name}.*.tmp*"):  # from a killed run
        leftover.unlink(missing_ok=True)
    base = None
    if incremental and _take_spare(published, tmp, storage_version):
        base = "spare"
    elif incremental and _reusable(published, storage_version):
        shutil.copyfile(published, tmp)  # copy_file_range / sendfile: no Python-level copy
        base = "copy"
    # bounded memory (the flow's process already holds the run's state); spills beside the state file
    con = duckdb.connect(config={"temp_directory": str(state_db.parent / "tmp"), "memory_limit": _MEMORY_LIMIT})
    try:
        con.execute("attach ? as src (read_only)", [str(state_db)])
        if base:
            con.execute("attach ? as pub", [str(tmp)])
        else:
            con.execute("attach ? as pub (storage_version ?)", [str(tmp), storage_version])
        tables = _tables(con, "src")
        con.execute("begin transaction")
        done = {**_apply_changes(con, tables), "base": base} if base else _copy_all(con, tables)
        con.execute("commit")
        con.execute("detach pub")
        con.execute("detach src")
    finally:
        con.close()
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
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
