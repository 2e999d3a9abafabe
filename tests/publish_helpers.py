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


def claims_state(path: Path, claims: int = 2000, blocks: int = 0, words: int = 1) -> Path:
    """A state file with a per-document table (`raw.blocks`: `blocks` rows, 50 per document) and a keyed
    one (`marts.fct_claims`: `claims` rows); its texts repeat a word or two `words` times."""
    con = duckdb.connect(str(path))
    con.execute("create schema raw; create schema marts")
    con.execute("create table raw.blocks (document_id varchar, run_id varchar, block_index int, text varchar)")
    con.execute("create table marts.fct_claims (claim_id varchar, cluster_id varchar, sentence varchar)")
    con.execute("insert into marts.fct_claims select 'c' || i, 'k0', repeat('a claim ', ?) || i from range(?) t(i)",
                [words, claims])
    con.execute("insert into raw.blocks select 'd' || (i // 50), 'run0', i % 50, repeat('body ', ?) || i from range(?) t(i)",
                [words, blocks])
    con.close()
    return path


def run_changes(state: Path, run: int) -> None:
    """A run re-clusters a tenth of the claims (rewritten where published) and adds a document's blocks."""
    con = duckdb.connect(str(state))
    con.execute("update marts.fct_claims set cluster_id = ? where hash(claim_id || ?) % 10 = 0",
                [f"k{run}", str(run)])
    con.execute("insert into raw.blocks select ?, ?, i, 'body' from range(50) t(i)", [f"doc{run}", f"run{run}"])
    con.close()
