"""Shared by the publish tests: what a DuckDB file publishes, table by table."""

from __future__ import annotations

from pathlib import Path

import duckdb

from flows.publish import LOG_SCHEMA, publish


def published_contents(path: Path) -> dict[str, list[tuple]]:
    """Every published table's rows, sorted (a state file also holds the publish log, which is not published)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables() where schema_name <> ? "
                             "order by 1, 2", [LOG_SCHEMA]).fetchall()
        return {f"{s}.{t}": sorted(con.execute(f'select * from "{s}"."{t}"').fetchall(), key=repr)
                for s, t in tables}
    finally:
        con.close()


def assert_equals_full_copy(state: Path, published: Path, tmp_path: Path, storage_version: str = "v1.0.0") -> None:
    """The published file holds what a full copy of the state holds."""
    full = tmp_path / "full.duckdb"
    full.unlink(missing_ok=True)
    publish(state, full, storage_version=storage_version, incremental=False)
    assert published_contents(published) == published_contents(full)
