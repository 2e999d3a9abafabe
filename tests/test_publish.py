"""Publishing applies only what changed to a copy of the previous published file, and the result is
the same as a full copy (real DuckDB files, a hand-made state in the warehouse's layout)."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import duckdb

from flows.publish import publish

STORAGE = "v1.0.0"


def _state(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("create schema raw; create schema marts; create schema quality")
    con.execute("create table raw.documents (document_id varchar, run_id varchar, raw_bytes blob, text varchar)")
    con.execute("create table raw.blocks (document_id varchar, run_id varchar, block_index int, label varchar)")
    con.execute("create table raw.quarantine (uri varchar, document_id varchar, run_id varchar, reason varchar)")
    con.execute("create table marts.dim_articles (article_id varchar, headline varchar)")
    con.execute("create table quality.validations (run_id varchar, success boolean)")
    return con


def _add_document(con, doc: str, run: str, n_blocks: int) -> None:
    con.execute("insert into raw.documents values (?, ?, ?, ?)", [doc, run, doc.encode() * 50, f"text of {doc}"])
    con.execute("insert into raw.blocks select ?, ?, i, 'body' from range(?) t(i)", [doc, run, n_blocks])
    con.execute("insert into marts.dim_articles values (?, ?)", [doc, f"headline {doc} ({run})"])


def _contents(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
        return {f"{s}.{t}": sorted(con.execute(f'select * from "{s}"."{t}"').fetchall(), key=repr)
                for s, t in tables}
    finally:
        con.close()


def test_incremental_publish_equals_a_full_copy(tmp_path):
    state_path, published, full = tmp_path / "state.duckdb", tmp_path / "pub.duckdb", tmp_path / "full.duckdb"
    con = _state(state_path)
    for i in range(20):
        _add_document(con, f"doc{i:02d}", "run1", 3)
    con.execute("insert into raw.quarantine values ('bad.bin', null, 'run1', 'binary')")
    con.close()
    first = publish(state_path, published, storage_version=STORAGE)
    assert first["mode"] == "full"

    con = duckdb.connect(str(state_path))
    _add_document(con, "doc20", "run2", 4)  # a new document
    # doc03 re-derived by run2: its rows are replaced (new run id, different block count)
    con.execute("delete from raw.blocks where document_id = 'doc03'")
    con.execute("insert into raw.blocks select 'doc03', 'run2', i, 'caption' from range(5) t(i)")
    con.execute("update raw.documents set run_id = 'run2' where document_id = 'doc03'")
    con.execute("delete from raw.documents where document_id = 'doc07'")  # removed
    con.execute("delete from raw.blocks where document_id = 'doc07'")
    con.execute("insert into raw.quarantine values ('gone.txt', null, 'run2', 'unreadable')")
    con.execute("alter table marts.dim_articles add column language varchar")  # a mart's columns change
    con.execute("drop table quality.validations")  # a table disappears ...
    con.execute("create table quality.row_failures (run_id varchar, article_id varchar)")  # ... one appears
    con.execute("insert into quality.row_failures values ('run2', 'doc20')")
    con.close()

    second = publish(state_path, published, storage_version=STORAGE)
    assert second["mode"] == "changes"
    # blocks: 4 new + 5 re-derived added, 3 old doc03 + 3 doc07 removed; documents: 2 added, 2 removed
    assert second["rows_added"] == 4 + 5 + 2 and second["rows_removed"] == 3 + 3 + 2
    publish(state_path, full, storage_version=STORAGE, incremental=False)
    assert _contents(published) == _contents(full)
    assert "quality.validations" not in _contents(published)


def test_publish_rebuilds_when_the_previous_file_is_not_a_warehouse(tmp_path):
    state_path, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    con = _state(state_path)
    _add_document(con, "doc00", "run1", 2)
    con.close()
    published.write_bytes(b"not a database")
    assert publish(state_path, published, storage_version=STORAGE)["mode"] == "full"
    assert _contents(published)["raw.blocks"] == [("doc00", "run1", 0, "body"), ("doc00", "run1", 1, "body")]


def test_incrementally_published_file_opens_in_a_duckdb_1x_client(tmp_path, duckdb1_python):
    runs = 2
    state_path, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    con = _state(state_path)
    con.close()
    for run in range(runs):
        con = duckdb.connect(str(state_path))
        _add_document(con, f"doc{run}", f"run{run}", 2)
        con.close()
        publish(state_path, published, storage_version=STORAGE)
    out = subprocess.run([str(duckdb1_python), "-c", textwrap.dedent(f"""
        import duckdb
        assert duckdb.__version__.startswith('1.'), duckdb.__version__
        con = duckdb.connect({str(published)!r}, read_only=True)
        print(con.execute('select count(*) from raw.blocks').fetchone()[0])
    """)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(2 * runs)


def test_rebuilt_tables_are_rewritten_only_where_their_rows_changed(tmp_path):
    state_path, published, full = tmp_path / "state.duckdb", tmp_path / "pub.duckdb", tmp_path / "full.duckdb"
    con = _state(state_path)
    con.execute("create table marts.fct_claims (claim_id varchar, cluster_id varchar, value double)")
    con.execute("insert into marts.fct_claims select 'c' || i, 'k' || (i % 7), i from range(100) t(i)")
    con.execute("insert into marts.fct_claims values (null, 'orphan', -1)")  # a null key is a key too
    con.close()
    publish(state_path, published, storage_version=STORAGE)

    con = duckdb.connect(str(state_path))
    con.execute("update marts.fct_claims set cluster_id = 'k99' where claim_id in ('c3', 'c4')")  # re-clustered
    con.execute("delete from marts.fct_claims where claim_id = 'c50'")
    con.execute("insert into marts.fct_claims values ('c100', 'k1', 100)")
    con.execute("update marts.fct_claims set value = -2 where claim_id is null")
    con.close()
    done = publish(state_path, published, storage_version=STORAGE)
    # 2 re-clustered + 1 new + the null-key row added; 2 old versions + 1 deleted + the old null-key row removed
    assert (done["mode"], done["rows_added"], done["rows_removed"], done["tables_replaced"]) == ("changes", 4, 4, 1)
    publish(state_path, full, storage_version=STORAGE, incremental=False)
    assert _contents(published) == _contents(full)
