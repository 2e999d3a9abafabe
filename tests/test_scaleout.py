"""Scale-out: the understand stage on a Dask cluster gives the same rows as a local run."""

from __future__ import annotations

import os

from conftest import SEEDS, query

COMPARED = {
    "raw.articles": "document_id, headline, wire_agency, publisher, dateline, language, body_text, "
                    "boilerplate_ratio, published_date, published_at, published_date_source",
    "raw.blocks": "document_id, block_index, char_start, char_end, label, rule",
    "raw.date_candidates": "document_id, candidate_index, text, location, value_date, value_utc, is_chosen",
    "raw.claims": "document_id, claim_index, claim_type, char_start, char_end, quantity_low, quantity_high, "
                  "attributed_to, event_date",
    "raw.findings": "document_id, finding_index, check_name, evidence",
}


def _rows(warehouse, table: str) -> list[tuple]:
    return query(warehouse, f"select {COMPARED[table]} from {table} order by all")


def test_dask_local_cluster_gives_identical_rows(seeds_run, prefect_harness, tmp_path):
    from prefect.settings import PREFECT_API_URL
    from prefect_dask import DaskTaskRunner

    from flows.pipeline import newsledger_run

    _, local = seeds_run
    os.environ["PREFECT_API_URL"] = str(PREFECT_API_URL.value())  # Dask worker processes reuse the test API
    try:
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True,
                                                "dashboard_address": None})
        distributed = tmp_path / "dask.duckdb"
        summary = newsledger_run.with_options(task_runner=runner)(
            paths=[str(SEEDS)], warehouse_path=str(distributed), batch_size=2, in_flight=3)
    finally:
        os.environ.pop("PREFECT_API_URL", None)
    assert summary["documents"]["new"] == 5
    for table in COMPARED:
        assert _rows(distributed, table) == _rows(local, table), table


def test_local_process_pool_gives_identical_rows(seeds_run, prefect_harness, tmp_path, monkeypatch):
    """The default for 1,000+ files: batches analysed by worker processes (forkserver, tuned cycle
    collector) and a batch shared by idle workers give the rows of an in-process run."""
    from flows import parallel
    from flows.pipeline import newsledger_run

    _, local = seeds_run
    real_run, pooled_calls = parallel.run, []

    def run(fn, *args, **kwargs):
        pooled_calls.append(parallel._POOL is not None)
        return real_run(fn, *args, **kwargs)

    monkeypatch.setattr(parallel, "run", run)
    pooled = tmp_path / "pool.duckdb"
    summary = newsledger_run(paths=[str(SEEDS)], warehouse_path=str(pooled), workers=2, batch_size=3)
    assert summary["documents"]["new"] == 5
    assert len(pooled_calls) >= 2 and all(pooled_calls)  # every part went to the worker processes
    for table in COMPARED:
        assert _rows(pooled, table) == _rows(local, table), table


def test_parquet_export_is_readable_and_incremental(seeds_run, tmp_path):
    import duckdb

    from flows.export import export_parquet

    _, warehouse = seeds_run
    out = tmp_path / "lake"
    first = export_parquet(warehouse, out)
    again = export_parquet(warehouse, out)
    assert again["files_kept"] > 0 and again["files_written"] < first["files_written"]
    con = duckdb.connect(first["views"], read_only=True)
    try:
        for table in ("marts.dim_articles", "marts.fct_claims", "raw.claims", "raw.documents"):
            lake = con.execute(f"select count(*) from {table}").fetchall()[0][0]
            assert lake == query(warehouse, f"select count(*) from {table}")[0][0], table
        agencies = sorted(r[0] for r in con.execute(
            "select wire_agency from marts.dim_articles where wire_agency is not null").fetchall())
    finally:
        con.close()
    assert agencies == ["AFP", "AP", "Reuters", "Reuters"]
