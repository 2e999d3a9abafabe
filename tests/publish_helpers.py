"""Shared by the publish tests: what a DuckDB file publishes, table by table."""

from __future__ import annotations

from pathlib import Path

import duckdb

from flows.publish import LOG_SCHEMA


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
