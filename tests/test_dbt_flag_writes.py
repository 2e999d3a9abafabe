"""fct_quality_flags is written by flag: a build recomputes the flags of every article whose flags may
have changed, but rewrites only the flags that were added, are gone or changed (a syndicated article
carries thousands of flags that a +1 % run leaves as they are). Its tests read the rewritten flags, and
a key left untested by a build that wrote the mart by article still gets every row tested."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import execute


def _flags(built_state: Path, article: str) -> dict[str, tuple]:
    """flag_id -> (row id, the row): the row id changes when the row is deleted and inserted again."""
    rows = execute(built_state, "select flag_id, rowid, * exclude (flag_id) from marts.fct_quality_flags "
                          "where article_id = ?", [article])
    return {r[0]: (r[1], r[2:]) for r in rows}


def test_a_build_rewrites_only_the_flags_that_changed(built_state, tmp_path):
    from flows.transform import dbt_build

    # an article with flags, seen again under another name (the same bytes): it gains a duplicate flag
    article = execute(built_state, "select article_id from marts.fct_quality_flags group by 1 "
                             "having count(*) >= 2 and count(*) filter (check_name = 'duplicate_document') = 0 "
                             "order by count(*) desc, 1 limit 1")[0][0]
    before = _flags(built_state, article)
    execute(built_state, "insert into raw.sightings select document_id, 'elsewhere/copy.txt', seen_at, 'seen-again', "
                   "false from raw.sightings where document_id = ? limit 1", [article])
    dbt_build(built_state, tmp_path / "again")
    after = _flags(built_state, article)
    added = set(after) - set(before)
    assert [after[f][1][1] for f in added] == ["duplicate_document"]
    assert set(before) <= set(after)
    # the flags that did not change are the same rows, not deleted and written again
    assert {f: after[f] for f in before} == before


def test_a_key_left_untested_by_a_build_by_article_gets_every_row_tested(built_state, tmp_path):
    from flows.transform import DbtBuildFailed, dbt_build

    # what an older build left behind: a flag row that failed its test, recorded by its article
    article, flag = execute(built_state, "select article_id, flag_id from marts.fct_quality_flags order by 1, 2 limit 1")[0]
    execute(built_state, "update marts.fct_quality_flags set severity = 'fatal' where flag_id = ?", [flag])
    execute(built_state, "insert into intermediate.untested_keys values ('fct_quality_flags', ?)", [article])
    with pytest.raises(DbtBuildFailed, match="accepted_values_fct_quality_flags_severity"):
        dbt_build(built_state, tmp_path / "again")
