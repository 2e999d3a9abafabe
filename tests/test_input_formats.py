"""HTML, JSONL and WARC inputs go through the same flow: labels, candidates, capture times, URLs."""

from __future__ import annotations

from conftest import RESOURCES, query

INPUTS = RESOURCES / "inputs"


def test_html_jsonl_and_warc_inputs_load_with_urls_and_capture_times(prefect_harness, tmp_path):
    from flows.pipeline import newsledger_run

    warehouse = tmp_path / "formats.duckdb"
    paths = [str(INPUTS / n) for n in ("article.html", "records.jsonl", "crawl.warc.gz", "truncated.warc.gz")]
    summary = newsledger_run(paths=paths, warehouse_path=str(warehouse))

    formats = dict(query(warehouse, "select format, count(*) from marts.dim_articles group by 1"))
    assert formats["html"] == 1 and formats["jsonl"] == 3 and formats["warc"] >= 2
    # every article from these inputs knows its page URL; WARC/JSONL records know their capture time
    assert query(warehouse, "select count(*) from marts.dim_articles where url is null")[0][0] == 0
    captured = query(warehouse, "select count(*) from marts.dim_articles where format in ('warc') and fetched_at is null")
    assert captured[0][0] == 0
    # the capture time is a date candidate of its own, never the chosen publication date
    capture = query(warehouse, "select count(*), count(*) filter (where is_chosen) from marts.fct_date_candidates "
                               "where location = 'capture'")[0]
    assert capture[0] >= 2 and capture[1] == 0
    # HTML meta dates become html_meta candidates
    assert query(warehouse, "select count(*) from marts.fct_date_candidates where location = 'html_meta'")[0][0] >= 1
    # broken JSONL lines and the truncated WARC tail are quarantined with the line/offset in the uri
    reasons = query(warehouse, "select reason, uri from raw.quarantine order by uri")
    assert {"malformed_json", "malformed_warc"} <= {r for r, _ in reasons}
    assert any("#line=3" in uri for _, uri in reasons)
    # offsets index the rendered text for HTML too: every block slices its own text
    bad = query(warehouse, """
        select count(*) from raw.blocks b join raw.documents d using (document_id)
        where b.char_end <= b.char_start or b.char_end > length(d.text)""")
    assert bad[0][0] == 0
    assert summary["documents"]["quarantined"] >= 3
