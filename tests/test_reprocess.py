"""`--reprocess`: documents derived by another code version are re-derived from the stored text."""

from __future__ import annotations

import duckdb

from conftest import SEEDS, query


def test_reprocess_rederives_documents_of_an_old_code_version(prefect_harness, tmp_path):
    from flows.pipeline import newsledger_run
    from flows.settings import Settings

    warehouse = tmp_path / "wh.duckdb"
    newsledger_run(paths=[str(SEEDS)], warehouse_path=str(warehouse))
    claims_before = query(warehouse, "select count(*) from marts.fct_claims")[0][0]
    state = Settings(warehouse=warehouse).resolved().state_db
    con = duckdb.connect(str(state))
    con.execute("update raw.articles set code_version = 'old' where document_id in "
                "(select document_id from raw.articles order by document_id limit 2)")
    con.close()

    plain = newsledger_run(paths=[str(SEEDS)], warehouse_path=str(warehouse))
    assert plain["documents"]["reprocessed"] == 0  # a normal run leaves old derivations alone

    summary = newsledger_run(paths=[str(SEEDS)], warehouse_path=str(warehouse), reprocess=True)
    assert summary["documents"]["new"] == 0 and summary["documents"]["reprocessed"] == 2
    assert query(warehouse, "select count(*) from raw.articles where code_version = 'old'")[0][0] == 0
    assert query(warehouse, "select count(*) from raw.articles")[0][0] == 5  # replaced, not duplicated
    assert query(warehouse, "select count(*) from marts.fct_claims")[0][0] == claims_before
    runs = query(warehouse, "select count(distinct run_id) from raw.articles")[0][0]
    assert runs == 2  # the re-derived rows carry the run that made them
