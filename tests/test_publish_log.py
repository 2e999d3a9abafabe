"""The publish log (schema `publish_log` in the state file: per-key row hashes of the last publish, the
keys each publish changed, the identity of each published file) lets a publish rewrite only what
changed.  After every publish the published file must hold exactly what a full copy of the state
holds, table by table, whichever earlier file it started from (the spare two publishes behind, a copy
of the published file, a file from before a killed publish) and after the state was rebuilt."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from publish_helpers import published_contents

from flows.publish import publish, spare_path

STORAGE = "v1.0.0"
REPO = Path(__file__).resolve().parents[1]


def _new_state(path: Path, run: str = "run0", n_docs: int = 8) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema raw; create schema marts; create schema derived")
    con.execute("create table raw.documents (document_id varchar, run_id varchar, raw_bytes blob)")
    con.execute("create table raw.claims (document_id varchar, run_id varchar, claim_index int, claim_text varchar)")
    con.execute("create table marts.fct_claims (claim_id varchar, article_id varchar, cluster_id varchar, value double)")
    # several rows per key (an article's lineage edges), and a table whose key may be null
    con.execute("create table derived.lineage (article_id varchar, related_article_id varchar, similarity double)")
    con.execute("create table marts.dim_sources (source_id varchar, name varchar, n_articles bigint)")
    for i in range(n_docs):
        _derive(con, f"doc{i}", run, 3)
    con.execute("insert into marts.dim_sources values ('s1', 'Reuters', 3), (null, 'unknown', 1)")
    con.close()


def _derive(con, doc: str, run: str, n_claims: int) -> None:
    """(Re-)derive a document in `run`: its per-document rows and its mart rows are replaced."""
    con.execute("delete from raw.documents where document_id = ?", [doc])
    con.execute("delete from raw.claims where document_id = ?", [doc])
    con.execute("delete from marts.fct_claims where article_id = ?", [doc])
    con.execute("insert into raw.documents values (?, ?, ?)", [doc, run, doc.encode() * 20])
    con.execute("insert into raw.claims select ?, ?, i, ? || ' claim ' || i from range(?) t(i)", [doc, run, run, n_claims])
    con.execute("insert into marts.fct_claims select ? || '-' || i, ?, 'k' || (i % 2), i from range(?) t(i)",
                [doc, doc, n_claims])
    con.execute("delete from derived.lineage where article_id = ?", [doc])
    con.execute("insert into derived.lineage select ?, 'doc' || i, ? from range(2) t(i)", [doc, len(run)])


def _run(state: Path, run: int) -> None:
    """Run `run`: a new document, a re-derived one, a removed one, re-clustered claims, edited lineage
    and sources (a null key among them)."""
    con = duckdb.connect(str(state))
    name = f"run{run}"
    _derive(con, f"new{run}", name, run)
    _derive(con, f"doc{run % 4}", name, run + 2)
    con.execute("delete from raw.documents where document_id = ?", [f"doc{4 + run}"])
    con.execute("delete from raw.claims where document_id = ?", [f"doc{4 + run}"])
    con.execute("delete from marts.fct_claims where article_id = ?", [f"doc{4 + run}"])
    con.execute("update marts.fct_claims set cluster_id = ? where claim_id like ?", [f"k{run}", f"%-{run % 3}"])
    con.execute("update derived.lineage set similarity = ? where related_article_id = ?", [run / 10, f"doc{run % 2}"])
    con.execute("update marts.dim_sources set n_articles = n_articles + 1 where source_id is null or source_id = 's1'")
    con.close()

def _assert_published(state: Path, published: Path, tmp_path: Path) -> None:
    full = tmp_path / "full.duckdb"
    full.unlink(missing_ok=True)
    publish(state, full, storage_version=STORAGE, incremental=False)
    expected = published_contents(full)
    assert published_contents(published) == expected
    assert expected["raw.claims"] and expected["marts.fct_claims"]


def test_each_publish_equals_a_full_copy_table_by_table(tmp_path):
    state, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    _new_state(state)
    bases = []
    for run in range(1, 7):
        if run > 1:
            _run(state, run)
        done = publish(state, published, storage_version=STORAGE)
        bases.append(done.get("base"))
        _assert_published(state, published, tmp_path)  # (a full copy elsewhere is a publish the log records too)
    # from the third publish on, the spare (two publishes behind the state) is brought up to date
    assert bases == [None, "copy", "spare", "spare", "spare", "spare"]


def test_changed_rows_only_are_rewritten(tmp_path):
    state, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    _new_state(state)
    publish(state, published, storage_version=STORAGE)
    con = duckdb.connect(str(state))
    con.execute("update marts.fct_claims set value = -1 where claim_id = 'doc3-1'")
    con.close()
    done = publish(state, published, storage_version=STORAGE)
    assert (done["base"], done["rows_added"], done["rows_removed"]) == ("copy", 1, 1)
    assert publish(state, published, storage_version=STORAGE)["rows_added"] == 1  # spare: one publish behind
    assert publish(state, published, storage_version=STORAGE)["rows_added"] == 0  # spare: up to date
    _assert_published(state, published, tmp_path)


def test_a_file_the_log_does_not_know_is_not_reused(tmp_path):
    """A stale file put in place of the published one (a restore, a copy made elsewhere) has an identity
    no publish recorded: the next publish copies every table instead of trusting it."""
    state, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    _new_state(state)
    publish(state, published, storage_version=STORAGE)
    stale = tmp_path / "stale.duckdb"
    shutil.copyfile(published, stale)
    for run in (1, 2):
        _run(state, run)
        publish(state, published, storage_version=STORAGE)
    spare_path(published).unlink()
    os.replace(stale, published)
    done = publish(state, published, storage_version=STORAGE)
    assert done["mode"] == "full"
    _assert_published(state, published, tmp_path)


def test_a_publish_killed_after_logging_is_recovered(tmp_path):
    """Killed after the log recorded its file but before the rename: the published file is unchanged,
    and the next publish (from a file older than the log's last entry) still reaches the state."""
    state, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    _new_state(state)
    for run in (1, 2):
        if run > 1:
            _run(state, run)
        publish(state, published, storage_version=STORAGE)
    before = published_contents(published)
    _run(state, 3)
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        from pathlib import Path
        from flows.publish import publish
        publish(Path({str(state)!r}), Path({str(published)!r}), storage_version={STORAGE!r})
    """)], cwd=REPO, env=dict(os.environ, NEWSLEDGER_CRASH_AFTER="publish_copy"), capture_output=True, text=True)
    assert child.returncode == -9, child.stderr
    assert published_contents(published) == before  # readers still see the last good state
    con = duckdb.connect(str(state), read_only=True)
    assert con.execute("select count(*) from publish_log.generations").fetchone()[0] == 3  # the killed one too
    con.close()
    _run(state, 4)
    done = publish(state, published, storage_version=STORAGE)
    assert done["mode"] == "changes"
    _assert_published(state, published, tmp_path)


def test_a_rebuilt_state_has_no_log_and_publishes_in_full(tmp_path):
    state, published = tmp_path / "state.duckdb", tmp_path / "pub.duckdb"
    _new_state(state)
    for run in (1, 2, 3):
        if run > 1:
            _run(state, run)
        publish(state, published, storage_version=STORAGE)
    state.unlink()
    _new_state(state, run="rebuilt", n_docs=6)  # the same warehouse built again (other run ids, fewer documents)
    assert publish(state, published, storage_version=STORAGE)["mode"] == "full"
    _assert_published(state, published, tmp_path)
    _run(state, 4)
    assert publish(state, published, storage_version=STORAGE)["base"] == "copy"
    _assert_published(state, published, tmp_path)
    _run(state, 5)
    assert publish(state, published, storage_version=STORAGE)["base"] == "spare"
    _assert_published(state, published, tmp_path)
