"""A second run that adds one article: only the new file is decoded and analysed, GX validates only
the new rows, and the published file is updated in place of a full copy, with the same contents."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import RESOURCES, SEEDS, query

NEW_ARTICLE = RESOURCES / "corpus_multi_story" / "b1_harbourtimes.txt"


@pytest.fixture(scope="module")
def two_runs(prefect_harness, tmp_path_factory):
    from flows.pipeline import newsledger_run

    root = tmp_path_factory.mktemp("incremental")
    inputs = root / "inputs"
    shutil.copytree(SEEDS, inputs)
    warehouse = root / "wh.duckdb"
    first = newsledger_run(paths=[str(inputs)], warehouse_path=str(warehouse))
    shutil.copy(NEW_ARTICLE, inputs / NEW_ARTICLE.name)
    second = newsledger_run(paths=[str(inputs)], warehouse_path=str(warehouse))
    return first, second, warehouse


def test_only_the_new_article_is_taken_in(two_runs):
    first, second, warehouse = two_runs
    assert first["documents"]["new"] == 5 and first["publish_mode"] == "full"
    assert second["documents"] == {"seen": 6, "new": 1, "already_known": 5, "quarantined": 0, "reprocessed": 0}
    assert second["publish_mode"] == "changes"
    assert query(warehouse, "select count(*) from marts.dim_articles") == [(6,)]
    runs = query(warehouse, "select run_id, count(*) from marts.dim_articles group by 1 order by 1")
    assert [n for _, n in runs] == [5, 1]


def test_the_published_file_shows_each_run_completed_with_its_counts(two_runs):
    """An analyst's dashboard of runs reads raw.runs from the published file: the latest run must not
    stay 'running' there until the next publish."""
    first, second, warehouse = two_runs
    runs = query(warehouse, "select run_id, status, finished_at is not null, documents_seen, documents_new, "
                            "documents_known from raw.runs order by started_at")
    assert runs == [(first["run_id"], "completed", True, 5, 5, 0),
                    (second["run_id"], "completed", True, 6, 1, 5)]


def test_each_run_is_validated_once_and_only_its_own_rows(two_runs):
    first, second, warehouse = two_runs
    validated = query(warehouse, "select asset_name, row_run_id, validated_by_run_id from quality.validated_runs")
    assert len(validated) == len({(a, r) for a, r, _ in validated})  # no (mart, run) validated twice
    by_second = {(a, r) for a, r, v in validated if v == second["run_id"]}
    assert by_second and {r for _, r in by_second} == {second["run_id"]}
    assert {"dim_articles", "fct_claims"} <= {a for a, _ in by_second}


def test_incremental_publish_has_the_same_contents_as_a_full_copy(two_runs, tmp_path):
    from flows.publish import publish
    from flows.settings import Settings

    _, _, warehouse = two_runs
    state = Settings(warehouse=warehouse).resolved().state_db
    full = tmp_path / "full.duckdb"
    publish(state, full, storage_version="v1.0.0", incremental=False)

    def contents(path: Path) -> dict:
        con = duckdb.connect(str(path), read_only=True)
        try:
            tables = con.execute("select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
            return {(s, t): con.execute(f'select count(*), sum(hash(x)) from "{s}"."{t}" x').fetchone()
                    for s, t in tables}
        finally:
            con.close()

    published, copied = contents(warehouse), contents(full)
    assert published[("raw", "runs")][0] == 2
    assert published == copied  # raw.runs too: a run is marked completed before its publish


def test_incremental_marts_equal_a_full_rebuild(two_runs, tmp_path):
    """fct_claims and fct_date_candidates are dbt incremental models: after the second run they hold
    exactly what a --full-refresh build of the same state makes."""
    from flows.settings import Settings
    from flows.transform import dbt_build

    _, _, warehouse = two_runs
    copy = tmp_path / "state.duckdb"
    shutil.copy(Settings(warehouse=warehouse).resolved().state_db, copy)
    dbt_build(copy, tmp_path, full_refresh=True)

    def marts(path: Path) -> dict:
        con = duckdb.connect(str(path), read_only=True)
        try:
            return {t: con.execute(f"select count(*), sum(hash(x)) from marts.{t} x").fetchone()
                    for t in ("fct_claims", "fct_date_candidates", "dim_articles", "fct_quality_flags")}
        finally:
            con.close()

    rebuilt, published = marts(copy), marts(warehouse)
    assert rebuilt == published and rebuilt["fct_claims"][0] > 0
