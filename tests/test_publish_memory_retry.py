"""A publish that runs out of memory under its cap is made again with the cap doubled, and what analysts
read is always exactly the state: the run goes on instead of failing at its last stage (the cap is kept
small because the flow's process already holds the run: at 100,000 documents the publish set the run's
peak). DuckDB also runs out of memory inside a checkpoint, where the error it raises is an I/O error
that carries the allocation failure: that is retried too (real DuckDB files; a 1 MB cap is far too
small for them)."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pytest

from publish_helpers import claims_state, published_contents, run_changes

from flows import publish as publishing
from flows.publish import publish
from flows.warehouse import out_of_memory

STORAGE = "v1.0.0"


@pytest.fixture
def state(tmp_path) -> Path:
    return claims_state(tmp_path / "state.duckdb", claims=50_000, blocks=50_000, words=20)  # a checkpoint runs out too


def _tiny_cap(monkeypatch, retries: int) -> None:
    monkeypatch.setattr(publishing, "_MEMORY_LIMIT_MB", 1)
    monkeypatch.setattr(publishing, "_MEMORY_LIMIT_RETRIES", retries)


def test_a_full_publish_out_of_memory_is_made_again_under_a_larger_cap(state, tmp_path, monkeypatch, caplog):
    _tiny_cap(monkeypatch, 8)
    published = tmp_path / "pub.duckdb"
    with caplog.at_level(logging.WARNING, logger="flows.publish"):
        done = publish(state, published, storage_version=STORAGE, incremental=False)
    assert done["mode"] == "full"
    assert done["memory_limit_mb"] > 1 and caplog.records  # it did run out at 1 MB and was made again
    assert published_contents(published) == published_contents(state)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no unfinished file left


def test_an_incremental_publish_out_of_memory_is_made_again_and_later_publishes_stay_exact(state, tmp_path,
                                                                                           monkeypatch, caplog):
    published = tmp_path / "pub.duckdb"
    publish(state, published, storage_version=STORAGE)
    run_changes(state, 1)
    publish(state, published, storage_version=STORAGE)  # leaves a spare for the next publish
    run_changes(state, 2)
    _tiny_cap(monkeypatch, 8)
    with caplog.at_level(logging.WARNING, logger="flows.publish"):
        done = publish(state, published, storage_version=STORAGE)
    assert done["mode"] == "changes" and done["memory_limit_mb"] > 1 and caplog.records
    assert published_contents(published) == published_contents(state)
    monkeypatch.undo()
    run_changes(state, 3)  # the log the retried publish left brings the next file up to date
    assert publish(state, published, storage_version=STORAGE)["mode"] == "changes"
    assert published_contents(published) == published_contents(state)


def test_without_retries_left_the_error_is_raised_and_the_published_file_is_untouched(state, tmp_path,
                                                                                      monkeypatch):
    published = tmp_path / "pub.duckdb"
    publish(state, published, storage_version=STORAGE)
    before = published_contents(published)
    run_changes(state, 1)
    _tiny_cap(monkeypatch, 0)
    with pytest.raises(duckdb.Error) as failure:
        publish(state, published, storage_version=STORAGE)
    assert out_of_memory(failure.value)
    assert published_contents(published) == before
    monkeypatch.undo()
    publish(state, published, storage_version=STORAGE)  # the next run's publish
    assert published_contents(published) == published_contents(state)
