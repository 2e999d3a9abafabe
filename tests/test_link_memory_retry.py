"""A link that runs out of memory under its cap is rolled back and run again with the cap doubled:
the run goes on, with the same links as a link in one go (measured: at 100k documents the 200 MB cap
failed a +1 % run with "failed to pin block" once the claim state had grown)."""

from __future__ import annotations

import logging

import duckdb
import pytest

import flows.link as link
from flows.warehouse import out_of_memory
from test_link import _assert_same, link_frames, load_frames, read_links, world


def _link_with_cap(monkeypatch, cap: str, retries: int):
    monkeypatch.setattr(link, "MEMORY_LIMIT", cap)
    monkeypatch.setattr(link, "MEMORY_LIMIT_RETRIES", retries)
    arts, claims = world()
    con = duckdb.connect()
    load_frames(con, arts, claims, "run0")
    before = con.execute("select current_setting('memory_limit')").fetchone()[0]
    return con, before, arts, claims


def _same_limit(a: str, b: str) -> bool:
    """The connection's own limit is back (DuckDB prints it rounded: '18.8 GiB' may come back '18.7 GiB')."""
    (x, unit_a), (y, unit_b) = a.split(), b.split()
    return unit_a == unit_b and abs(float(x) - float(y)) < 0.15


def test_a_link_out_of_memory_is_run_again_with_a_larger_cap(monkeypatch):
    con, before, arts, claims = _link_with_cap(monkeypatch, "4MB", 6)  # 4 MB is far too small for it
    try:
        stats = link.link_warehouse(con, "run0")
        links = read_links(con)
        after = con.execute("select current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()
    assert stats["memory_limit_mb"] > 4  # it did run out at 4 MB and was run again
    _assert_same(links, link_frames(arts, claims))  # nothing of the failed attempts is left
    assert _same_limit(after, before)


def test_the_next_link_starts_under_the_cap_that_worked(monkeypatch, caplog):
    con, _, arts, claims = _link_with_cap(monkeypatch, "4MB", 6)
    try:
        with caplog.at_level(logging.WARNING, logger="flows.link"):
            first = link.link_warehouse(con, "run0")
            retries = len(caplog.records)
            caplog.clear()
            second = link.link_warehouse(con, "run1")  # nothing new: the same state to hold
        links = read_links(con)
    finally:
        con.close()
    assert retries >= 1 and not caplog.records  # no second failed attempt
    assert second["memory_limit_mb"] == first["memory_limit_mb"]
    _assert_same(links, link_frames(arts, claims))


def test_without_retries_left_the_error_is_raised_and_nothing_is_kept(monkeypatch):
    con, before, _, _ = _link_with_cap(monkeypatch, "4MB", 0)
    try:
        with pytest.raises(duckdb.Error) as failure:
            link.link_warehouse(con, "run0")
        assert out_of_memory(failure.value)
        assert con.execute("select count(*) from derived.lineage").fetchone()[0] == 0  # rolled back
        assert _same_limit(con.execute("select current_setting('memory_limit')").fetchone()[0], before)
    finally:
        con.close()
