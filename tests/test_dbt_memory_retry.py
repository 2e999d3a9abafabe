"""dbt's DuckDB buffer pool is capped during a build (an on-run-start hook sets it from the flow's
variable), and a build that runs out of memory under the cap is run again with the cap doubled: the run
goes on with the marts a build in one go makes, and later builds of that state start under the cap that
worked (real dbt builds of the seeds run's state; a 1 MB cap is far too small for them)."""

from __future__ import annotations

import logging
import shutil

import pytest

from conftest import execute, state_db

from flows import transform

MARTS = ("dim_articles", "fct_claims", "fct_quality_flags", "dim_sources")


def _marts(state) -> dict[str, list[tuple]]:
    return {m: sorted(execute(state, f"select * from marts.{m}"), key=repr) for m in MARTS}


@pytest.fixture()
def state(seeds_run, tmp_path):
    copy = tmp_path / "state.duckdb"
    shutil.copy(state_db(seeds_run[1]), copy)
    return copy


def test_a_build_out_of_memory_is_run_again_under_a_larger_cap(state, tmp_path, monkeypatch, caplog):
    expected = _marts(state)  # what the seeds run's build made
    monkeypatch.setattr(transform, "MEMORY_LIMIT_MB", 1)
    monkeypatch.setattr(transform, "MEMORY_LIMIT_RETRIES", 8)
    with caplog.at_level(logging.WARNING, logger="flows.transform"):
        done = transform.dbt_build(state, tmp_path / "work", full_refresh=True)
    assert done["memory_limit_mb"] > 1 and caplog.records  # it did run out under 1 MB
    assert done["passed"] == done["nodes"]
    assert _marts(state) == expected
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="flows.transform"):
        again = transform.dbt_build(state, tmp_path / "work")  # starts under the cap that worked
    assert again["memory_limit_mb"] == done["memory_limit_mb"] and not caplog.records
    assert _marts(state) == expected


def test_without_retries_left_the_build_fails_saying_it_ran_out_of_memory(state, tmp_path, monkeypatch):
    monkeypatch.setattr(transform, "MEMORY_LIMIT_MB", 1)
    monkeypatch.setattr(transform, "MEMORY_LIMIT_RETRIES", 0)
    with pytest.raises(transform.DbtBuildFailed, match="Out of Memory") as failure:
        transform.dbt_build(state, tmp_path / "work", full_refresh=True)
    assert failure.value.out_of_memory
    monkeypatch.undo()
    done = transform.dbt_build(state, tmp_path / "work")  # the next run's build, under the usual cap
    assert done["passed"] == done["nodes"] and done["memory_limit_mb"] == transform.MEMORY_LIMIT_MB
