"""Unchanged input files are not read again (their stamp still holds); changed, racy or unknown ones
are (real files, a real DuckDB state, the flow's own ingest and load functions)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time

import pytest

from conftest import SEEDS
from flows import warehouse
from flows.pipeline import RunStats, ingest_batch, load_raw
from flows.sources.document import KnownDocument
from flows.sources.file_stamps import SETTLE_NS, FileStamp, split_unchanged, still_unchanged


def _age(path, seconds: float) -> None:
    """Set a file's modification time `seconds` into the past (a file written a while ago)."""
    past = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(past, past))


@pytest.fixture()
def inputs(tmp_path):
    folder = tmp_path / "inputs"
    shutil.copytree(SEEDS, folder)
    for path in folder.iterdir():
        _age(path, 60)
    return sorted(str(p) for p in folder.iterdir())


def _ingest(con, paths: list[str]) -> tuple[list[str], RunStats, list]:
    """One run's ingest + raw load: returns (paths actually read, stats, new document inputs)."""
    stats = RunStats(run_id=f"run-{time.time_ns()}")
    known = warehouse.all_document_ids(con)
    unchanged, to_read = split_unchanged(paths, still_unchanged(warehouse.stamped_candidates(con, paths)))
    items, stamps = ingest_batch.fn(to_read, 10_000_000, known) if to_read else ([], [])
    new = load_raw(con, items, stats, dt.datetime.now(dt.timezone.utc), stamps, unchanged)
    return to_read, stats, new


def test_unchanged_files_are_not_read_and_changed_ones_are(inputs, tmp_path):
    con = warehouse.connect(tmp_path / "state.duckdb")
    warehouse.ensure_schema(con)
    read, stats, new = _ingest(con, inputs)
    assert read == inputs and len(new) == 5

    read, stats, new = _ingest(con, inputs)  # nothing changed: no file is opened
    assert read == [] and new == [] and (stats.known, stats.new) == (5, 0)

    # the proof that unchanged files are not opened: rewrite one in place with the same size and
    # modification time (the documented trade-off) - its new bytes are not seen
    same_stamp = inputs[0]
    st = os.stat(same_stamp)
    data = bytearray(open(same_stamp, "rb").read())
    data[0], data[1] = data[1], data[0]
    with open(same_stamp, "r+b") as fh:
        fh.write(data)
    os.utime(same_stamp, ns=(st.st_atime_ns, st.st_mtime_ns))
    # a file edited the normal way gets a new modification time: it is read, a new document
    edited = inputs[1]
    with open(edited, "ab") as fh:
        fh.write(b"\nCorrection: an earlier version misstated the date.\n")
    read, stats, new = _ingest(con, inputs)
    assert read == [edited] and [d.uri for d in new] == [edited]

    # the edited file's stamp was taken within a second of its modification: racy, so it is read
    # again next time (and found to be stored already), until it has settled
    read, stats, new = _ingest(con, inputs)
    assert read == [edited] and new == [] and stats.known == 5
    _age(edited, 60)
    _ingest(con, inputs)  # stamped again, now settled
    read, _, _ = _ingest(con, inputs)
    assert read == []
    sightings = con.execute("select count(*) from raw.sightings").fetchone()[0]
    assert sightings == 6  # 5 files + the edited file's second version; re-reads add no sighting
    con.close()


def test_a_stamp_is_trusted_only_when_settled_stored_and_identical(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("Reuters - the page.\n", encoding="utf-8")
    _age(path, 60)
    st = os.stat(path)
    p, gone = str(path), str(tmp_path / "gone.txt")
    settled = FileStamp(st.st_size, st.st_mtime_ns, st.st_ino, time.time_ns())
    con = warehouse.connect(tmp_path / "state.duckdb")
    warehouse.ensure_schema(con)
    con.execute("insert into raw.documents (document_id, uri, format, raw_bytes, size_bytes, text, ingested_at, run_id) "
                "values ('doc', ?, 'txt', ''::blob, 0, '', now(), 'r')", [p])

    def held(stamp: FileStamp, document_id: str = "doc", path: str = p) -> dict[str, str]:
        con.execute("delete from ingest.file_stamps")
        warehouse.record_file_stamps(con, [(path, stamp, document_id)])
        return still_unchanged(warehouse.stamped_candidates(con, [p, gone]))

    assert held(settled) == {p: "doc"}
    assert held(settled._replace(stamped_ns=st.st_mtime_ns + SETTLE_NS // 2)) == {}  # racy: modified just before
    assert held(settled, "other") == {}  # its document is no longer stored
    assert held(settled._replace(size_bytes=1)) == {}
    assert held(settled._replace(mtime_ns=settled.mtime_ns - 1)) == {}
    assert held(settled._replace(inode=settled.inode + 1)) == {}
    assert held(settled, path=str(tmp_path / "elsewhere.txt")) == {}  # never stamped
    assert held(settled, path=gone) == {}  # stamped, now missing: the reader reports it
    assert split_unchanged([gone, p], {p: "doc"}) == ([(KnownDocument("doc", p))], [gone])
    con.close()
