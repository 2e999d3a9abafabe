"""Shared fixtures: one Prefect test harness per session, one real flow run on the seeds."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsledger-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("TQDM_DISABLE", "1")

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds" / "articles"
RESOURCES = Path(__file__).resolve().parent / "resources"


@pytest.fixture(scope="session")
def prefect_harness():
    """Prefect's embedded API costs ~10-20 s to start: start it once for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def seeds_run(prefect_harness, tmp_path_factory):
    """The real flow on seeds/articles into a temporary warehouse: (summary, warehouse path)."""
    from flows.pipeline import newsledger_run

    warehouse = tmp_path_factory.mktemp("seeds") / "newsledger.duckdb"
    summary = newsledger_run(paths=[str(SEEDS)], warehouse_path=str(warehouse))
    return summary, warehouse


@pytest.fixture()
def seeds_copy(tmp_path):
    """A private copy of the seed files (tests that add bad files next to them)."""
    target = tmp_path / "inputs"
    shutil.copytree(SEEDS, target)
    return target


def state_db(warehouse: Path) -> Path:
    """The writer's private state file behind a published warehouse."""
    from flows.settings import Settings

    return Settings(warehouse=warehouse).resolved().state_db


@pytest.fixture()
def built_state(seeds_run, tmp_path) -> Path:
    """A private copy of the seeds run's state, built incrementally once more (nothing new)."""
    from flows.transform import dbt_build

    copy = tmp_path / "state.duckdb"
    shutil.copy(state_db(seeds_run[1]), copy)
    dbt_build(copy, tmp_path / "work")
    return copy


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    return _run_sql(warehouse, sql, params, read_only=True)


def execute(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """One statement on a read-write connection (tests that edit a state file)."""
    return _run_sql(db, sql, params, read_only=False)


def _run_sql(db: Path, sql: str, params: list | None, *, read_only: bool) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=read_only)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def duckdb1_python() -> Path:
    """A small venv with a DuckDB 1.x client (what BI drivers bundle), cached under .newsledger/."""
    import subprocess
    import venv

    env_dir = REPO / ".newsledger" / "duckdb1-client"
    python = env_dir / "bin" / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "duckdb==1.4.5"], check=True)
    return python
