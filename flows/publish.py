"""Publish: readers see the new state all at once and never block the writer.

The writer works in a private state file.  Publishing copies the tables analysts read into a fresh
file written in an older storage format (readable by DuckDB 1.x clients such as BI drivers), then
atomically renames it over the published path.  A reader that holds the old file open keeps its
snapshot (the old inode) and sees the new state when it reconnects; a crash before the rename leaves
the published file as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("raw", "derived", "marts", "quality", "lookups")


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return con.execute(
        """
        select schema_name, table_name from duckdb_tables()
        where database_name = ? and schema_name in (select unnest(?::varchar[]))
        order by schema_name, table_name
        """,
        [catalog, list(PUBLISHED_SCHEMAS)],
    ).fetchall()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def publish(state_db: Path, published: Path, *, storage_version: str) -> dict:
    """Copy the readable tables of `state_db` into `published`, atomically. Returns sizes."""
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    for leftover in published.parent.glob(f".{published.name}.*.tmp*"):  # from a killed run
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(config={"temp_directory": str(state_db.parent / "tmp")})  # spill beside the state
    try:
        con.execute("attach ? as src (read_only)", [str(state_db)])
        con.execute("attach ? as pub (storage_version ?)", [str(tmp), storage_version])
        tables = _tables(con, "src")
        for schema in sorted({s for s, _ in tables}):
            con.execute(f"create schema if not exists pub.{_quote(schema)}")
        for schema, table in tables:
            ident = f"{_quote(schema)}.{_quote(table)}"
            con.execute(f"create table pub.{ident} as select * from src.{ident}")
        con.execute("detach pub")
        con.execute("detach src")
    finally:
        con.close()
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    if os.environ.get("NEWSLEDGER_CRASH_AFTER") == "publish_copy":  # fault injection (crash tests)
        os.kill(os.getpid(), 9)
    os.replace(tmp, published)
    dir_fd = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return {"tables": len(tables), "bytes": published.stat().st_size}
