"""The bulk load's checkpoints write only the rows they add, and DuckDB's memory stays under a cap.

DuckDB's checkpoint merges a table's partly filled row groups by default (its vacuum): the rows a
load appended were rewritten again at later checkpoints, the big `raw.documents` rows (bytes and
text) most of all, so the load's checkpoints cost more the bigger the warehouse (1.3-1.5 s of CPU for
the first 256 MB of log of a 100,000-document load, up to 4.4 s for the later ones).  And the rows waiting in the log
plus every block a checkpoint wrote stayed in DuckDB's memory (default limit: 80 % of the machine),
so the flow's process grew with the corpus during the load."""

from __future__ import annotations

from test_load_checkpoints import _documents  # the same ~4 KB documents

from flows import warehouse


def _row_group_blocks(con) -> dict[int, list[tuple[int, int]]]:
    """raw.documents' row groups and where each one's text is stored (block id, offset per segment)."""
    rows = con.execute(
        "select row_group_id, block_id, block_offset from pragma_storage_info('raw.documents') "
        "where column_name = 'text' and segment_type = 'VARCHAR' and persistent order by row_group_id, segment_id"
    ).fetchall()
    groups: dict[int, list[tuple[int, int]]] = {}
    for group, block, offset in rows:
        groups.setdefault(group, []).append((block, offset))
    return groups


def test_a_checkpoint_during_the_load_leaves_the_row_groups_already_written_as_they_are(tmp_path):
    con = warehouse.connect(tmp_path / "state.duckdb")
    warehouse.ensure_schema(con)
    with warehouse.bulk_load(con):
        written = []
        for batch in range(3):  # each checkpoint adds a partly filled row group (1,500 rows of 122,880)
            con.execute("begin transaction")
            warehouse.insert_frame(con, "raw.documents", _documents(batch))
            con.execute("commit")
            con.execute("checkpoint")
            written.append(_row_group_blocks(con))
    # by default the second checkpoint merged the two row groups, rewriting the first batch's rows
    assert [len(groups) for groups in written] == [1, 2, 3]
    assert written[2][0] == written[1][0] == written[0][0]
    assert written[2][1] == written[1][1]
    assert con.execute("select count(*), count(distinct document_id) from raw.documents").fetchall() == [(4500, 4500)]
    # the stages after the load (link, dbt, publish) run with DuckDB's own settings
    assert con.execute("select current_setting('max_vacuum_tasks')").fetchall()[0][0] == 100
    con.close()


def test_the_rows_of_a_load_bigger_than_its_memory_cap_all_reach_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(warehouse, "BULK_LOAD_MEMORY_LIMIT", "24MB")
    db = tmp_path / "state.duckdb"
    con = warehouse.connect(db)
    warehouse.ensure_schema(con)
    default_limit = con.execute("select current_setting('memory_limit')").fetchall()[0][0]
    held = []
    with warehouse.bulk_load(con):
        for batch in range(8):  # ~48 MB of rows in the log (one checkpoint at the end): twice the cap
            con.execute("begin transaction")
            warehouse.insert_frame(con, "raw.documents", _documents(batch))
            con.execute("commit")
            held.append(con.execute("select sum(memory_usage_bytes) from duckdb_memory()").fetchall()[0][0])
    assert max(held) <= 24 * 2**20  # the rows past the cap wait in DuckDB's temporary directory
    assert con.execute("select current_setting('memory_limit')").fetchall()[0][0] == default_limit
    con.close()
    with warehouse.opened(db, read_only=True) as ro:
        stored = ro.execute("select count(*), count(distinct document_id), sum(size_bytes), "
                            "sum(strlen(text)) from raw.documents").fetchall()[0]
    expected = [_documents(batch) for batch in range(8)]
    assert stored == (12000, 12000, sum(int(f.size_bytes.sum()) for f in expected),
                      sum(int(f.text.str.len().sum()) for f in expected))
