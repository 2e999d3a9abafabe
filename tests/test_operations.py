"""Operations: readers never block the writer, crashes leave the published file intact, one writer at a time."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, SEEDS, query

MARTS_COUNTS = """
select (select count(*) from marts.dim_articles), (select count(*) from marts.fct_claims),
       (select count(*) from marts.fct_quality_flags), (select count(*) from marts.fct_claim_clusters),
       (select count(*) from raw.documents), (select count(*) from raw.blocks)
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run_in_child(paths: list[str], warehouse: Path, crash_after: str | None) -> int:
    """`newsledger run` in a separate process, against the session's Prefect API; its exit code."""
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ, PREFECT_API_URL=str(PREFECT_API_URL.value()))
    if crash_after:
        env["NEWSLEDGER_CRASH_AFTER"] = crash_after
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", *paths, "--warehouse", str(warehouse)],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    return done.returncode


@pytest.fixture(scope="module")
def reference(prefect_harness, tmp_path_factory):
    """An uninterrupted run over seeds + extra inputs: the state every recovery must reach."""
    from flows.pipeline import newsledger_run

    warehouse = tmp_path_factory.mktemp("reference") / "wh.duckdb"
    newsledger_run(paths=[str(SEEDS)], warehouse_path=str(warehouse))
    return query(warehouse, MARTS_COUNTS)[0]


@pytest.mark.parametrize("crash_after", ["load_raw", "load_derived", "transform", "validate", "publish_copy"])
def test_kill_9_leaves_published_file_intact_and_next_run_recovers(prefect_harness, reference, tmp_path, crash_after):
    from flows.pipeline import newsledger_run

    warehouse = tmp_path / "wh.duckdb"
    first_half = sorted(SEEDS.glob("*.txt"))[:2]
    newsledger_run(paths=[str(p) for p in first_half], warehouse_path=str(warehouse))
    published_before = _digest(warehouse)

    code = _run_in_child([str(SEEDS)], warehouse, crash_after)
    assert code == -9, f"the child should have been killed at {crash_after}, exit code {code}"
    assert _digest(warehouse) == published_before  # readers still see the last good state
    assert query(warehouse, "select count(*) from marts.dim_articles")[0][0] == 2

    newsledger_run(paths=[str(SEEDS)], warehouse_path=str(warehouse))
    assert query(warehouse, MARTS_COUNTS)[0] == reference
    assert not list(tmp_path.glob(".wh.duckdb.*.tmp*")), "no temporary publish file left behind"


def test_reader_holding_the_published_file_does_not_block_a_run(prefect_harness, tmp_path):
    from flows.pipeline import newsledger_run

    warehouse = tmp_path / "wh.duckdb"
    seeds = sorted(SEEDS.glob("*.txt"))
    newsledger_run(paths=[str(seeds[0])], warehouse_path=str(warehouse))
    reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, duckdb
            con = duckdb.connect({str(warehouse)!r}, read_only=True)
            print(con.execute('select count(*) from marts.dim_articles').fetchone()[0], flush=True)
            sys.stdin.readline()                      # hold the file open while the writer runs
            print(con.execute('select count(*) from marts.dim_articles').fetchone()[0], flush=True)
            con.close()
            con = duckdb.connect({str(warehouse)!r}, read_only=True)   # reconnect: the new state
            print(con.execute('select count(*) from marts.dim_articles').fetchone()[0], flush=True)
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "1"
        summary = newsledger_run(paths=[str(SEEDS)], warehouse_path=str(warehouse))
        assert summary["articles"] == 5
        out, _ = reader.communicate("go\n", timeout=60)
    finally:
        reader.kill()
    held, reconnected = out.split()
    assert held == "1"          # the open snapshot is consistent: never a half-written state
    assert reconnected == "5"   # a reconnecting reader sees the whole new state


def test_a_second_concurrent_run_exits_with_a_clear_message(prefect_harness, tmp_path):
    from flows.locking import WarehouseBusy, writer_lock
    from flows.pipeline import newsledger_run
    from flows.settings import Settings

    warehouse = tmp_path / "wh.duckdb"
    settings = Settings(warehouse=warehouse).resolved()
    with writer_lock(settings.lock_file):
        with pytest.raises(WarehouseBusy, match="another newsledger run"):
            newsledger_run(paths=[str(SEEDS)], warehouse_path=str(warehouse))
    assert not warehouse.exists()


def test_published_file_opens_through_sqlalchemy_like_superset(seeds_run):
    import sqlalchemy

    _, warehouse = seeds_run
    engine = sqlalchemy.create_engine(f"duckdb:///{warehouse}", connect_args={"read_only": True})
    with engine.connect() as con:
        n = con.execute(sqlalchemy.text("select count(*) from marts.dim_articles")).scalar()
    engine.dispose()
    assert n == 5


def test_published_file_opens_in_a_duckdb_1x_client(seeds_run, duckdb1_python):
    _, warehouse = seeds_run
    python = duckdb1_python
    out = subprocess.run(
        [str(python), "-c", textwrap.dedent(f"""
            import duckdb
            assert duckdb.__version__.startswith('1.'), duckdb.__version__
            con = duckdb.connect({str(warehouse)!r}, read_only=True)
            print(con.execute('select count(*) from marts.dim_articles').fetchone()[0])
        """)],
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() == "5"
