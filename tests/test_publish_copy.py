"""A publish that cannot take the spare starts from a byte copy of the published file, made on a worker
thread while the state is hashed: the file is opened only once the copy is whole, and a copy that
fails fails the publish without touching the published file."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import duckdb
import pytest

from publish_helpers import published_contents

import flows.publish as publish_module
from flows.publish import publish, spare_path

STORAGE = "v1.0.0"


def _run(path: Path, run: int) -> None:
    """Run `run`: two new documents (per-document rows) and every article's headline rewritten."""
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists raw; create schema if not exists marts")
    con.execute("create table if not exists raw.blocks (document_id varchar, run_id varchar, block_index int, label varchar)")
    con.execute("create or replace table marts.dim_articles (article_id varchar, headline varchar)")
    con.execute("insert into raw.blocks select 'doc' || i, ?, j, 'body' from range(?, ?) t(i), range(3) b(j)",
                [f"run{run}", 2 * run, 2 * run + 2])
    con.execute("insert into marts.dim_articles select 'doc' || i, ? || i from range(?) t(i)",
                [f"headline in run{run} of ", 2 * run + 2])
    con.close()


def _published_twice(tmp_path: Path) -> tuple[Path, Path]:
    """A state published twice, then changed; its spare removed (as when a reader holds it): the next
    publish starts from a copy of the published file."""
    state, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    for run in (0, 1):
        _run(state, run)
        publish(state, published, storage_version=STORAGE)
    _run(state, 2)
    spare_path(published).unlink()
    return state, published


def test_the_copy_is_whole_before_the_file_is_opened(tmp_path, monkeypatch):
    """A copy slower than the hashing: the publish waits for it (the result equals the state)."""
    state, published = _published_twice(tmp_path)

    copy = shutil.copyfile

    def slow_copy(source, target):
        time.sleep(1.0)  # the hashing of this small state is done long before
        return copy(source, target)

    monkeypatch.setattr(publish_module.shutil, "copyfile", slow_copy)
    assert publish(state, published, storage_version=STORAGE)["base"] == "copy"
    assert published_contents(published) == published_contents(state)


def test_a_failed_copy_fails_the_publish_and_leaves_the_published_file(tmp_path, monkeypatch):
    state, published = _published_twice(tmp_path)
    before = published_contents(published)

    def failing_copy(source, target):
        Path(target).write_bytes(Path(source).read_bytes()[:4096])  # a partial file, then the disk fills
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish_module.shutil, "copyfile", failing_copy)
    with pytest.raises(OSError, match="No space left"):
        publish(state, published, storage_version=STORAGE)
    assert published_contents(published) == before
    monkeypatch.undo()
    done = publish(state, published, storage_version=STORAGE)  # the partial file is not reused
    assert done["base"] == "copy"
    assert published_contents(published) == published_contents(state)
