"""Sightings: each (document, uri) pair is recorded once, whatever mix of new and known documents a
batch holds.  Only the stored sightings of the batch's known documents are compared with it (before,
every stored sighting was hashed for each batch: a cost per batch that grew with the warehouse)."""

from __future__ import annotations

import datetime as dt

from flows import warehouse
from flows.pipeline import RunStats, load_raw
from flows.sources.document import KnownDocument, RawDocument, sha256_hex

T0 = dt.datetime(2024, 11, 13, tzinfo=dt.timezone.utc)


def _raw(text: str, uri: str) -> RawDocument:
    data = text.encode()
    return RawDocument(document_id=sha256_hex(data), uri=uri, raw_bytes=data, format="txt", text=text, encoding="utf-8")


def _sightings(con) -> list[tuple]:
    return con.execute("select document_id, uri, run_id, is_new from raw.sightings order by all").fetchall()


def test_each_document_and_uri_pair_is_recorded_once_across_runs_and_within_a_batch(tmp_path):
    con = warehouse.connect(tmp_path / "state.duckdb")
    warehouse.ensure_schema(con)
    a, b, c = _raw("page a", "/in/a.txt"), _raw("page b", "/in/b.txt"), _raw("page c", "/in/c.txt")
    load_raw(con, [a, b], RunStats(run_id="r1"), T0)

    batch = [
        _raw("page a", "/in/a.txt"),          # stored, same file: nothing new
        KnownDocument(a.document_id, "/in/copy-of-a.txt"),  # stored, seen under another name
        KnownDocument(a.document_id, "/in/copy-of-a.txt"),  # ... twice in the batch: once
        KnownDocument(b.document_id, "/in/b.txt"),          # stored, same file (hashed, not decoded)
        c,                                    # new
        _raw("page c", "/in/copy-of-c.txt"),  # the new document again under another name
    ]
    stats = RunStats(run_id="r2")
    new = load_raw(con, batch, stats, T0)

    assert [d.document_id for d in new] == [c.document_id]
    assert (stats.new, stats.known) == (1, 5)
    assert _sightings(con) == sorted([
        (a.document_id, "/in/a.txt", "r1", True), (b.document_id, "/in/b.txt", "r1", True),
        (a.document_id, "/in/copy-of-a.txt", "r2", False),
        (c.document_id, "/in/c.txt", "r2", True), (c.document_id, "/in/copy-of-c.txt", "r2", False),
    ])

    load_raw(con, batch, RunStats(run_id="r3"), T0)  # the same inputs again add nothing
    assert len(_sightings(con)) == 5
    con.close()
