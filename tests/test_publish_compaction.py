"""The publish's checkpoint does not merge row groups, so a published table keeps deleted rows and gains a
row group per publish; a table past the bounds is compacted (copied afresh from the state), and what
analysts read is always exactly the state (real DuckDB files; the bounds made small for small tables)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from publish_helpers import claims_state, published_contents, run_changes

from flows import publish as publishing
from flows.publish import publish

STORAGE = "v1.0.0"


def _storage(path: Path, table: str) -> tuple[int, int, int]:
    """(live rows, stored rows with the deleted ones, row groups) of a table of a published file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        schema, name = table.split(".")
        (live,) = con.execute(f"select count(*) from {table}").fetchall()[0]
        (stored,) = con.execute("select estimated_size from duckdb_tables() where schema_name = ? and table_name = ?",
                                [schema, name]).fetchall()[0]
        (groups,) = con.execute("select count(distinct row_group_id) from pragma_storage_info(?) where column_id = 0",
                                [table]).fetchall()[0]
    finally:
        con.close()
    return live, stored, groups


@pytest.fixture
def state(tmp_path) -> Path:
    return claims_state(tmp_path / "state.duckdb")


def test_deleted_rows_stay_bounded_and_the_published_file_equals_the_state(state, tmp_path, monkeypatch):
    monkeypatch.setattr(publishing, "_ROW_GROUP_SIZE", 100)  # at least 100 deleted rows before a compaction
    published = tmp_path / "pub.duckdb"
    publish(state, published, storage_version=STORAGE)
    compactions, worst = 0, 0.0
    for run in range(1, 9):
        run_changes(state, run)
        done = publish(state, published, storage_version=STORAGE)
        assert done["mode"] == "changes"
        assert published_contents(published) == published_contents(state), f"run {run}"
        live, stored, _ = _storage(published, "marts.fct_claims")
        # before its changes the table held at most a quarter deleted rows: after, those plus this publish's
        assert stored - live <= publishing._COMPACT_DEAD_SHARE * stored + done["rows_removed"], f"run {run}"
        compactions += done["tables_compacted"]
        worst = max(worst, (stored - live) / stored)
    assert compactions >= 1  # ~10 % of the claims are rewritten per publish: past a quarter within 8 runs
    assert worst > 0  # deleted rows did stay in the file between compactions (no merge at the checkpoint)


def test_row_groups_added_by_publishes_stay_bounded(state, tmp_path, monkeypatch):
    monkeypatch.setattr(publishing, "_COMPACT_EXTRA_ROW_GROUPS", 2)
    published = tmp_path / "pub.duckdb"
    publish(state, published, storage_version=STORAGE)
    groups, compacted = [], 0
    for run in range(1, 9):
        run_changes(state, run)
        compacted += publish(state, published, storage_version=STORAGE)["tables_compacted"]
        live, stored, count = _storage(published, "raw.blocks")
        assert live == stored == 50 * run
        groups.append(count)
        assert published_contents(published)["raw.blocks"] == published_contents(state)["raw.blocks"]
    # each publish appends the run's blocks as a row group of its own; past 1 + 2 groups the table is copied
    assert max(groups) > 1 and compacted >= 1
    assert all(count <= 1 + 2 + 2 for count in groups)  # the bound, plus the row groups of one publish's spare
