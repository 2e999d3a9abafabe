"""Bad input never stops a run and never disappears: it is quarantined with the reason."""

from __future__ import annotations

import shutil

from conftest import RESOURCES, query

ZOO = RESOURCES / "inputs"


def test_bad_files_are_quarantined_and_the_rest_loads(prefect_harness, seeds_copy, tmp_path):
    from flows.pipeline import newsledger_run

    for name in ("empty.txt", "binary.txt", "undecodable.txt", "latin1.txt", "cp1252.txt"):
        shutil.copy(ZOO / name, seeds_copy / name)
    (seeds_copy / "it's; DROP TABLE raw.documents; --.txt").write_text(
        "Robert'); DROP TABLE raw.documents;--\n\nA short note about a hostile file name, written to test quoting.\n"
    )
    warehouse = tmp_path / "wh.duckdb"
    missing = str(tmp_path / "does-not-exist" / "*.txt")
    summary = newsledger_run(paths=[str(seeds_copy), missing], warehouse_path=str(warehouse))

    reasons = dict(query(warehouse, "select regexp_extract(uri, '[^/]+$'), reason from raw.quarantine"))
    assert reasons["empty.txt"] == "empty"
    assert reasons["binary.txt"] == "binary"
    assert reasons["undecodable.txt"] == "undecodable"
    assert any(r == "unreadable" for r in reasons.values()), reasons
    errors = [e for (e,) in query(warehouse, "select error from raw.quarantine")]
    assert all(e.strip() and "\n" not in e for e in errors)

    # the binary and undecodable bytes are kept, not dropped
    kept = dict(query(warehouse, "select regexp_extract(uri, '[^/]+$'), raw_bytes from raw.quarantine"))
    assert kept["binary.txt"] == (ZOO / "binary.txt").read_bytes()

    # legacy encodings decode correctly and load as articles
    texts = dict(query(warehouse, "select regexp_extract(uri, '[^/]+$'), text from raw.documents"))
    assert texts["latin1.txt"] == (ZOO / "latin1.txt").read_bytes().decode("latin-1")
    assert texts["cp1252.txt"] == (ZOO / "cp1252.txt").read_bytes().decode("cp1252")
    assert "\u201c" in texts["cp1252.txt"] or "\u2019" in texts["cp1252.txt"]

    # the hostile name is stored as given and nothing was dropped
    assert any("DROP TABLE" in name for name in texts)
    assert query(warehouse, "select count(*) from raw.documents")[0][0] == 5 + 3
    assert summary["articles"] == 8

    # the same bad files seen again are not quarantined twice, and nothing else changes
    quarantined = query(warehouse, "select count(*) from raw.quarantine")[0][0]
    again = newsledger_run(paths=[str(seeds_copy), missing], warehouse_path=str(warehouse))
    assert query(warehouse, "select count(*) from raw.quarantine")[0][0] == quarantined
    assert again["unchanged"] and again["documents"]["new"] == 0
