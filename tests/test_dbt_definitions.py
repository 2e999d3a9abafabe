"""A build leaves the views and seeds as they are while nothing that defines them changed
(flows/transform.py records in the state file the fingerprint of the dbt project and the seed CSVs,
and a signature of the views and seeds it then held), and rebuilds them when a view's SQL or a seed CSV
changed, on `--full-refresh`, in a state file that has no record of them, and when a view or seed was
rewritten by anything else (a hand-run `dbt build`, an older checkout, a failed build)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, execute, state_db

VIEW = "stg_sightings"
MARKER = "kept-from-before"
CHANGE = ("from source", "from source where uri <> 'changed-definition'")


@pytest.fixture()
def project(tmp_path) -> Path:
    """A private copy of the dbt project and its seed CSVs, laid out as in the repo."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "dbt_project", root / "dbt_project", ignore=shutil.ignore_patterns("target", "logs"))
    (root / "seeds").mkdir()
    for csv in (REPO / "seeds").glob("*.csv"):
        shutil.copy(csv, root / "seeds" / csv.name)
    return root / "dbt_project"


@pytest.fixture()
def state(seeds_run, tmp_path) -> Path:
    """A private copy of the seeds run's state (its views and seeds built from the repo's project)."""
    copy = tmp_path / "state.duckdb"
    shutil.copy(state_db(seeds_run[1]), copy)
    return copy


def _build(state: Path, project: Path, work: Path, **kwargs) -> set[str]:
    """dbt build; the views and seeds it (re)built, from its log."""
    from flows.transform import dbt_build

    log = work / "dbt_logs" / "dbt.log"
    start = log.stat().st_size if log.exists() else 0
    dbt_build(state, work, project_dir=project, **kwargs)
    with log.open("rb") as f:
        f.seek(start)
        text = f.read().decode("utf-8", "replace")
    return set(re.findall(r"OK (?:created sql view model|loaded seed file) (\S+)", text))


def _view_sql(state: Path) -> str:
    return execute(state, "select sql from duckdb_views() where schema_name = 'staging' and view_name = ?",
                    [VIEW])[0][0]


def _publishers(state: Path) -> set[str]:
    return {r[0] for r in execute(state, "select canonical_name from lookups.publishers")}


def _csv_publishers(project: Path) -> set[str]:
    lines = (project.parent / "seeds" / "publishers.csv").read_text(encoding="utf-8").splitlines()[1:]
    return {line.split(",")[0] for line in lines if line}


def _edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text


def test_unchanged_definitions_leave_views_and_seeds_as_they_are(state, project, tmp_path):
    before = _view_sql(state)
    assert _build(state, project, tmp_path / "work") == set()
    assert _view_sql(state) == before and _publishers(state) == _csv_publishers(project)


def test_a_changed_view_sql_rebuilds_the_views(state, project, tmp_path):
    _edit(project / "models" / "staging" / f"{VIEW}.sql", *CHANGE)
    built = _build(state, project, tmp_path / "work")
    assert f"staging.{VIEW}" in built and "lookups.publishers" in built
    assert "changed-definition" in _view_sql(state)
    # the new definitions are recorded: the next build keeps them
    assert _build(state, project, tmp_path / "work") == set()
    assert "changed-definition" in _view_sql(state)


def test_a_project_parsed_ahead_serves_the_next_build_only_while_its_files_hold(state, project, tmp_path):
    """The flow parses the dbt project on a background thread while it loads documents
    (`transform.start_parse`); the build takes that parse, unless a project file changed since."""
    from flows import transform

    work = tmp_path / "work"
    transform.start_parse(state, work, project)
    assert _build(state, project, work) == set()
    assert transform._pending_parse is None  # taken by that build

    transform.start_parse(state, work, project)
    assert transform._pending_parse.wait() is not None  # parsed before the change
    _edit(project / "models" / "staging" / f"{VIEW}.sql", *CHANGE)
    assert f"staging.{VIEW}" in _build(state, project, work)
    assert "changed-definition" in _view_sql(state)


def test_a_changed_seed_csv_reloads_the_seeds(state, project, tmp_path):
    csv = project.parent / "seeds" / "publishers.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "Fjord Courier,newspaper,NO,Fjord Courier,fjordcourier.no\n",
                   encoding="utf-8")
    assert "lookups.publishers" in _build(state, project, tmp_path / "work")
    assert "Fjord Courier" in _publishers(state) and _publishers(state) == _csv_publishers(project)


def test_full_refresh_rebuilds_views_and_seeds(state, project, tmp_path):
    built = _build(state, project, tmp_path / "work", full_refresh=True)
    assert {f"staging.{VIEW}", "lookups.publishers", "lookups.wire_agencies"} <= built


def test_a_state_without_the_record_builds_every_view_and_seed(state, project, tmp_path):
    """A fresh state (here: one whose views, seeds and record are gone) built with a work dir that
    already built another state: every view and seed is built."""
    work = tmp_path / "work"
    _build(state, project, work)  # the work dir knows these definitions
    execute(state, "drop schema staging cascade")
    execute(state, "drop schema lookups cascade")
    execute(state, "drop table intermediate.built_definitions")
    _build(state, project, work)
    assert MARKER not in _view_sql(state) and _publishers(state) == _csv_publishers(project)


def test_views_and_seeds_rewritten_by_something_else_are_rebuilt(state, project, tmp_path):
    """A view or seed table changed behind the record's back (a hand-run `dbt build` of edited
    files, an older checkout) is rebuilt from the project's definitions."""
    execute(state, f"create or replace view staging.{VIEW} as select document_id, uri as source_uri, seen_at, "
                    f"run_id, is_new from raw.sightings where uri <> '{MARKER}'")
    execute(state, "insert into lookups.publishers (canonical_name) values (?)", [MARKER])
    built = _build(state, project, tmp_path / "work")
    assert f"staging.{VIEW}" in built and "lookups.publishers" in built
    assert MARKER not in _view_sql(state) and _publishers(state) == _csv_publishers(project)


def test_a_build_that_fails_after_a_change_leaves_nothing_stale(state, project, tmp_path):
    """Two views change, the build fails on one after writing the other, the change is reverted: the
    next build rebuilds the view the failed build wrote."""
    from flows.transform import DbtBuildFailed

    staging = project / "models" / "staging"
    before = _view_sql(state)
    good_view = _edit(staging / f"{VIEW}.sql", *CHANGE)
    bad = sorted(p for p in staging.glob("stg_*.sql") if p.name != f"{VIEW}.sql")[0]
    bad_view = _edit(bad, "from source", "from source where no_such_column = 1")
    with pytest.raises(DbtBuildFailed):
        _build(state, project, tmp_path / "work")
    assert "changed-definition" in _view_sql(state)
    (staging / f"{VIEW}.sql").write_text(good_view, encoding="utf-8")
    bad.write_text(bad_view, encoding="utf-8")
    assert f"staging.{VIEW}" in _build(state, project, tmp_path / "work")
    assert _view_sql(state) == before


def test_a_column_added_to_a_raw_table_rebuilds_the_views(state, project, tmp_path):
    """A newer newsledger that adds a column to a table the views read (the dbt project unchanged)
    gets its views made again, so `select *` staging views show the new column."""
    execute(state, "alter table raw.sightings add column seen_by varchar")
    built = _build(state, project, tmp_path / "work")
    assert f"staging.{VIEW}" in built
    assert _build(state, project, tmp_path / "work") == set()
