"""The flow's bulk load: batches committed one transaction each, checkpointed every 256 MB of log
(not after every batch, which made the 100,000-document load grow faster than the corpus), durable
across a crash, and the setting gone once the load ends."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from flows import warehouse

NOW = dt.datetime(2024, 11, 13, tzinfo=dt.timezone.utc)
DEFAULT_THRESHOLD = "16.0 MiB"  # DuckDB's own checkpoint threshold


def _documents(batch: int, n: int = 1500) -> pd.DataFrame:
    """`n` stored documents of ~4 KB each (distinct text: about 6 MB of log a batch)."""
    texts = [(f"batch {batch} page {i} " + os.urandom(1500).hex())[:4000] for i in range(n)]
    return pd.DataFrame({
        "document_id": [f"{batch:04d}-{i:06d}" for i in range(n)], "uri": [f"/in/{batch}/{i}.txt" for i in range(n)],
        "format": "txt", "raw_bytes": [t.encode() for t in texts], "size_bytes": [len(t) for t in texts],
        "encoding": "utf-8", "text": texts, "url": None, "fetched_at": None, "hints": "{}", "site_key": "/in",
        "ingested_at": NOW, "run_id": "r1",
    })


def _wal_bytes(db: Path) -> int:
    wal = db.with_name(db.name + ".wal")
    return wal.stat().st_size if wal.exists() else 0


def _threshold(con) -> str:
    return con.execute("select current_setting('checkpoint_threshold')").fetchall()[0][0]


def test_batches_stay_in_the_log_during_the_load_and_are_checkpointed_once_at_its_end(tmp_path):
    db = tmp_path / "state.duckdb"
    con = warehouse.connect(db)
    warehouse.ensure_schema(con)
    con.execute("checkpoint")
    with warehouse.bulk_load(con):
        for batch in range(4):  # ~24 MB of rows: past DuckDB's default threshold, one transaction each
            con.execute("begin transaction")
            warehouse.insert_frame(con, "raw.documents", _documents(batch))
            con.execute("commit")
        # no checkpoint yet: every batch's rows are still in the log
        assert _wal_bytes(db) > 20 * 2**20
    assert _wal_bytes(db) == 0  # checkpointed into the file as the load ended
    assert _threshold(con) == DEFAULT_THRESHOLD  # link, dbt and publish run with DuckDB's default
    con.close()
    with warehouse.opened(db, read_only=True) as ro:
        assert ro.execute("select count(*), count(distinct document_id) from raw.documents").fetchall() == [(6000, 6000)]


def test_a_failed_load_keeps_its_committed_batches_and_restores_the_setting(tmp_path):
    db = tmp_path / "state.duckdb"
    con = warehouse.connect(db)
    warehouse.ensure_schema(con)
    with pytest.raises(RuntimeError, match="analysis crashed"):
        with warehouse.bulk_load(con):
            con.execute("begin transaction")
            warehouse.insert_frame(con, "raw.documents", _documents(0, n=10))
            con.execute("commit")
            con.execute("begin transaction")
            warehouse.insert_frame(con, "raw.documents", _documents(1, n=10))
            raise RuntimeError("analysis crashed")
    con.execute("rollback")
    assert _threshold(con) == DEFAULT_THRESHOLD
    assert con.execute("select count(*) from raw.documents").fetchall() == [(10,)]
    con.close()


def test_batches_committed_before_a_kill_are_in_the_warehouse_when_it_is_reopened(tmp_path):
    db = tmp_path / "state.duckdb"
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_load_checkpoints import _documents
        from flows import warehouse
        con = warehouse.connect(__import__("pathlib").Path({str(db)!r}))
        warehouse.ensure_schema(con)
        with warehouse.bulk_load(con):
            for batch in range(3):
                con.execute("begin transaction")
                warehouse.insert_frame(con, "raw.documents", _documents(batch))
                con.execute("commit")
            os.kill(os.getpid(), signal.SIGKILL)  # killed mid-load: no checkpoint, no close
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert _wal_bytes(db) > 0  # the committed batches were only in the log
    with warehouse.opened(db) as con:  # DuckDB replays the log
        rows = con.execute("select count(*), count(distinct document_id) from raw.documents").fetchall()
    assert rows == [(4500, 4500)]
