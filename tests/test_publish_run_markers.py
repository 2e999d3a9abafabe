"""A rebuilt table's `run_id` is not a record of which run last wrote the row: `marts.fct_claims`
keeps the run that derived the claim while a later run re-clusters it (`cluster_id` changes), and any
writer may change a row in place.  Such a row changes while every run keeps its row count, which a
diff by run would miss; the publish compares rebuilt tables by content (per-key row hashes), so the
published file follows the row, from the spare and from a copy."""

from __future__ import annotations

from pathlib import Path

import duckdb

from publish_helpers import assert_equals_full_copy, published_contents

from flows.publish import publish

STORAGE = "v1.0.0"


def _state(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema raw; create schema marts; create schema derived")
    con.execute("create table raw.claims (document_id varchar, run_id varchar, claim_index int, claim_text varchar)")
    con.execute("insert into raw.claims select 'doc' || (i // 3), 'run1', i % 3, 'claim ' || i from range(30) t(i)")
    # a mart and a link output whose rows carry a run id
    con.execute("create table marts.fct_claims (claim_id varchar, article_id varchar, cluster_id varchar, run_id varchar)")
    con.execute("insert into marts.fct_claims select 'c' || i, 'doc' || (i // 3), 'k' || (i % 4), 'run1' from range(30) t(i)")
    con.execute("create table derived.claim_clusters (claim_id varchar, cluster_id varchar, run_id varchar)")
    con.execute("insert into derived.claim_clusters select 'c' || i, 'k' || (i % 4), 'run1' from range(30) t(i)")
    con.close()


def _runs(path: Path) -> dict[str, list[tuple]]:
    """Rows per run id of each run-stamped rebuilt table (what a diff by run would compare)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"select run_id, count(*) from {t} group by 1 order by 1").fetchall()
                for t in ("marts.fct_claims", "derived.claim_clusters")}
    finally:
        con.close()


def _change_in_place(path: Path, run: int) -> None:
    """Re-cluster claims the way a later run does: new cluster ids, the claims' run ids unchanged."""
    con = duckdb.connect(str(path))
    con.execute("update marts.fct_claims set cluster_id = ? where claim_id in ('c1', 'c7')", [f"k-run{run}"])
    con.execute("update derived.claim_clusters set cluster_id = ? where claim_id = 'c7'", [f"k-run{run}"])
    con.close()


def test_a_row_changed_under_an_old_run_id_is_published(tmp_path):
    state, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    _state(state)
    bases = []
    for run in range(2, 6):  # a full publish, then a copy, then the spare (two publishes behind)
        runs_before = _runs(state)
        if run > 2:
            _change_in_place(state, run)
            assert _runs(state) == runs_before  # every run keeps its row count: a diff by run sees nothing
        done = publish(state, published, storage_version=STORAGE)
        bases.append(done.get("base"))
        assert_equals_full_copy(state, published, tmp_path)
        if run > 2:
            assert done["rows_added"] == done["rows_removed"] == 3  # c1, c7 in the mart, c7 in the link output
    assert bases == [None, "copy", "spare", "spare"]
    rows = published_contents(published)["marts.fct_claims"]
    assert ("c7", "doc2", "k-run5", "run1") in rows
