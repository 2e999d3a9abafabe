"""The real flow on the seeds: Prefect + DuckDB + dbt + Great Expectations, end to end."""

from __future__ import annotations

from pathlib import Path

from conftest import SEEDS, query

SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _by_seed(warehouse: Path, column: str) -> list:
    rows = query(warehouse, f"select source_uri, {column} from marts.dim_articles")
    values = {Path(uri).name: value for uri, value in rows}
    return [values[name] for name in SEED_FILES]


def test_five_seed_articles_are_loaded(seeds_run):
    summary, warehouse = seeds_run
    assert summary["documents"]["new"] == 5
    assert summary["documents"]["quarantined"] == 0
    assert query(warehouse, "select count(*) from marts.dim_articles")[0][0] == 5


def test_wire_agencies_credited_in_the_text(seeds_run):
    _, warehouse = seeds_run
    assert _by_seed(warehouse, "wire_agency") == ["Reuters", "Reuters", None, "AFP", "AP"]


def test_newsmax_metadata_date_is_flagged(seeds_run):
    _, warehouse = seeds_run
    rows = query(
        warehouse,
        """
        select f.check_name, f.evidence from marts.fct_quality_flags f
        join marts.dim_articles a using (article_id)
        where a.source_uri like '%004_b38a8fdaf0c37c52.txt' and f.evidence like '%2024-01-11%'
        """,
    )
    assert "date_conflict" in {check for check, _ in rows}


def test_newsmax_publication_date_is_the_byline_in_utc(seeds_run):
    _, warehouse = seeds_run
    (row,) = query(
        warehouse,
        "select published_date, strftime(published_at at time zone 'UTC', '%Y-%m-%d %H:%M') "
        "from marts.dim_articles where source_uri like '%004_b38a8fdaf0c37c52.txt'",
    )
    assert str(row[0]) == "2024-11-11"
    assert row[1] == "2024-11-12 04:01"


def test_raw_bytes_are_kept_byte_for_byte(seeds_run):
    import hashlib

    _, warehouse = seeds_run
    rows = query(warehouse, "select uri, raw_bytes, document_id from raw.documents")
    for uri, raw, document_id in rows:
        assert Path(uri).read_bytes() == raw
        assert hashlib.sha256(raw).hexdigest() == document_id


def test_every_claim_offset_returns_its_evidence(seeds_run):
    _, warehouse = seeds_run
    rows = query(
        warehouse,
        """
        select c.claim_text, substr(d.text, c.char_start + 1, c.char_end - c.char_start), c.evidence_text
        from marts.fct_claims c join raw.documents d on d.document_id = c.article_id
        """,
    )
    assert rows, "the seeds have claims"
    for claim_text, sliced, evidence in rows:
        assert sliced == evidence
        assert claim_text.strip() and claim_text.strip()[:20] in sliced


def test_body_has_no_chrome(seeds_run):
    _, warehouse = seeds_run
    bodies = dict(zip(SEED_FILES, _by_seed(warehouse, "body_text")))
    assert "Next In World" not in bodies[SEED_FILES[0]]
    assert "North Korea has ratified a mutual defence treaty" in bodies[SEED_FILES[0]]
    assert "2 days ago" not in bodies[SEED_FILES[1]]
    assert "Arsenal" not in bodies[SEED_FILES[2]]
    assert "Gallup" not in bodies[SEED_FILES[3]]
    assert "Newsletter" not in bodies[SEED_FILES[4]]
    assert "up to 12,000 North Korean troops" in bodies[SEED_FILES[4]]


def test_gx_results_and_data_docs_are_stored(seeds_run):
    summary, warehouse = seeds_run
    rows = query(warehouse, "select asset_name, evaluated from quality.validations where run_id = ?",
                 [summary["run_id"]])
    assert {name for name, _ in rows} == {"dim_articles", "fct_claims", "fct_claim_clusters", "fct_quality_flags"}
    assert all(evaluated > 0 for _, evaluated in rows)
    assert Path(summary["data_docs"]).is_file()


def test_second_run_on_same_input_adds_nothing(seeds_run, prefect_harness):
    from flows.pipeline import newsledger_run

    summary, warehouse = seeds_run
    counts = ("select (select count(*) from raw.documents), (select count(*) from marts.fct_claims),"
              " (select count(*) from raw.blocks), (select count(*) from raw.sightings),"
              " (select count(*) from derived.lineage), (select count(*) from marts.fct_quality_flags)")
    before = query(warehouse, counts)
    again = newsledger_run(paths=[str(SEEDS)], warehouse_path=str(warehouse))
    assert again["documents"]["new"] == 0
    assert again["documents"]["already_known"] == 5
    assert again["unchanged"]  # nothing new: no dbt build, no validation, no publish copy
    assert again["stage_seconds"]["transform"] == 0 and again["stage_seconds"]["publish"] == 0
    after = query(warehouse, counts)
    assert before == after
