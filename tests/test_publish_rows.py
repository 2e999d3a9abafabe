"""Rebuilt tables whose keys hold several rows, some of them identical (a story's lineage, a duplicated
row): after every publish, from a copy or from the spare, the file holds exactly what a full copy
holds, with each duplicated row as many times as the state has it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from publish_helpers import assert_equals_full_copy, published_contents

from flows.publish import publish

STORAGE = "v1.0.0"


def _state(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema derived; create schema raw")
    con.execute("create table raw.documents (document_id varchar, run_id varchar, text varchar)")
    con.execute("insert into raw.documents select 'doc' || i, 'run0', 'text ' || i from range(6) t(i)")
    # several rows per key: the articles related to a story's earliest article
    con.execute("create table derived.lineage (article_id varchar, related_article_id varchar, similarity double)")
    con.execute("insert into derived.lineage select 'story' || (i % 3), 'doc' || i, i / 10 from range(60) t(i)")
    # a key holding identical rows twice, and a null key
    con.execute("insert into derived.lineage values ('twins', 'doc1', 0.5), ('twins', 'doc1', 0.5), "
                "('twins', 'doc2', 0.7), (null, 'doc3', 0.1)")
    con.close()


def _edit(path: Path, *sql: str) -> None:
    con = duckdb.connect(str(path))
    for statement in sql:
        con.execute(statement)
    con.close()


def test_identical_rows_of_a_key_are_counted(tmp_path):
    """A key's duplicated row that loses one copy, or gains one, is rewritten to the state's count."""
    state, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    _state(state)
    publish(state, published, storage_version=STORAGE)
    steps = [
        # one of the two identical rows removed (the key's other rows unchanged)
        ("delete from derived.lineage where article_id = 'twins'",
         "insert into derived.lineage values ('twins', 'doc1', 0.5), ('twins', 'doc2', 0.7)"),
        # three copies now, and the null key gains a copy of its row
        ("insert into derived.lineage values ('twins', 'doc1', 0.5), ('twins', 'doc1', 0.5)",
         "insert into derived.lineage values (null, 'doc3', 0.1)"),
        (),  # nothing changes: the spare catches up with the two publishes before
    ]
    for sql in steps:
        _edit(state, *sql)
        publish(state, published, storage_version=STORAGE)
        assert_equals_full_copy(state, published, tmp_path)
    lineage = published_contents(published)["derived.lineage"]
    assert lineage.count(("twins", "doc1", 0.5)) == 3 and lineage.count((None, "doc3", 0.1)) == 2
