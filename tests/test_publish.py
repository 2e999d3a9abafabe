"""Publishing applies only what changed to a copy of the previous published file, and the result is
the same as a full copy (real DuckDB files, a hand-made state in the warehouse's layout)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from publish_helpers import published_contents

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
    assert published_contents(published) == published_contents(full)
    assert "quality.validations" not in published_contents(published)


def test_publish_rebuilds_when_the_previous_file_is_not_a_warehouse(tmp_path):
    state_path, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    con = _state(state_path)
    _add_document(con, "doc00", "run1", 2)
    con.close()
    published.write_bytes(b"not a database")
    assert publish(state_path, published, storage_version=STORAGE)["mode"] == "full"
    assert published_contents(published)["raw.blocks"] == [("doc00", "run1", 0, "body"), ("doc00", "run1", 1, "body")]


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
    assert published_contents(published) == published_contents(full)


def _changes(state_path: Path, run: int) -> None:
    """Run `run` of a small history: a new document, a re-derived one and a re-labelled mart row."""
    con = duckdb.connect(str(state_path))
    _add_document(con, f"new{run}", f"run{run}", run)
    con.execute("delete from raw.blocks where document_id = 'doc01'")
    con.execute("insert into raw.blocks select 'doc01', ?, i, 'body' from range(?) t(i)", [f"run{run}", run + 1])
    con.execute("update raw.documents set run_id = ? where document_id = 'doc01'", [f"run{run}"])
    con.execute("update marts.dim_articles set headline = ? where article_id = 'doc02'", [f"edited in run{run}"])
    con.close()


def test_later_publishes_start_from_the_spare_file_not_a_copy(tmp_path):
    state_path, published, full = tmp_path / "state.duckdb", tmp_path / "pub.duckdb", tmp_path / "full.duckdb"
    con = _state(state_path)
    for i in range(5):
        _add_document(con, f"doc{i:02d}", "run0", 2)
    con.close()
    bases = [publish(state_path, published, storage_version=STORAGE).get("base")]
    for run in range(1, 5):
        _changes(state_path, run)
        bases.append(publish(state_path, published, storage_version=STORAGE)["base"])
        full.unlink(missing_ok=True)
        publish(state_path, full, storage_version=STORAGE, incremental=False)
        # the spare is two publishes behind; the result is still exactly the state
        assert published_contents(published) == published_contents(full), f"run {run}"
    # the first publish has no earlier file, the second has no spare yet; then no more copies
    assert bases == [None, "copy", "spare", "spare", "spare"]
    spare = published.with_name(f".{published.name}.spare")
    assert spare.is_file() and not spare.samefile(published)


def test_a_reader_holding_the_old_file_keeps_its_snapshot_and_forces_a_copy(tmp_path):
    state_path, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    con = _state(state_path)
    _add_document(con, "doc00", "run0", 2)
    _add_document(con, "doc01", "run0", 2)
    _add_document(con, "doc02", "run0", 2)
    con.close()
    publish(state_path, published, storage_version=STORAGE)
    # a BI client opens the published file (run0) and keeps it open
    reader = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys
        con = duckdb.connect({str(published)!r}, read_only=True)
        count = lambda: con.execute('select count(*) from raw.blocks').fetchone()[0]
        print(count(), flush=True)
        sys.stdin.readline()
        print(count(), flush=True)
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        before = reader.stdout.readline().strip()
        _changes(state_path, 1)
        assert publish(state_path, published, storage_version=STORAGE)["base"] == "copy"
        _changes(state_path, 2)
        # the spare is the reader's file: it is not written to, the publish copies instead
        assert publish(state_path, published, storage_version=STORAGE)["base"] == "copy"
        after, _ = reader.communicate("\n", timeout=60)
    finally:
        reader.kill()
    assert before == after.strip() == "6"  # the reader's snapshot never changed
    _changes(state_path, 3)
    assert publish(state_path, published, storage_version=STORAGE)["base"] == "spare"  # reader gone
    assert published_contents(published)["raw.blocks"] == published_contents(state_path)["raw.blocks"]


def test_a_spare_that_is_still_the_published_file_is_never_written(tmp_path):
    """A publish killed between keeping the spare and the rename leaves one file under both names."""
    state_path, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    con = _state(state_path)
    _add_document(con, "doc00", "run0", 2)
    con.close()
    publish(state_path, published, storage_version=STORAGE)
    spare = published.with_name(f".{published.name}.spare")
    spare.unlink(missing_ok=True)
    os.link(published, spare)  # what the kill left
    old = published_contents(published)
    _changes_state = duckdb.connect(str(state_path))
    _add_document(_changes_state, "doc01", "run1", 3)
    _changes_state.close()
    inode = published.stat().st_ino
    done = publish(state_path, published, storage_version=STORAGE)
    assert done["base"] == "copy"
    assert published.stat().st_ino != inode  # a new file was renamed in; the old one kept its rows
    assert published_contents(spare) == old
    assert published_contents(published) == published_contents(state_path)
