"""An incremental dbt build tests only the rows it wrote (dbt_project/macros/untested_rows.sql), and
that stays sound: a failing row fails every later build until it is fixed, a build that does not run
a model's tests leaves its rows untested, and a parent row that goes away fails the tests of the
children that still point at it even when those children did not change."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import execute


def _rederive_with_claim_type(built_state: Path, derivation: str, claim_type: str) -> str:
    """Give one article a new derivation (run id) whose first claim has `claim_type`."""
    article = execute(built_state, "select document_id from raw.claims where claim_index = 0 order by 1 limit 1")[0][0]
    execute(built_state, "update raw.articles set run_id = ? where document_id = ?", [derivation, article])
    execute(built_state, "update raw.claims set run_id = ? where document_id = ?", [derivation, article])
    execute(built_state, "update raw.claims set claim_type = ? where document_id = ? and claim_index = 0",
             [claim_type, article])
    return article


def test_a_row_that_fails_a_test_fails_every_build_until_it_is_fixed(built_state, tmp_path):
    from flows.transform import DbtBuildFailed, dbt_build

    article = _rederive_with_claim_type(built_state, "bad-derivation", "rumour")
    for attempt in ("first", "second"):  # the second build writes nothing: the row is still untested
        with pytest.raises(DbtBuildFailed, match="accepted_values_fct_claims_claim_type"):
            dbt_build(built_state, tmp_path / attempt)
    _rederive_with_claim_type(built_state, "fixed-derivation", "quantity")
    dbt_build(built_state, tmp_path / "fixed")
    assert execute(built_state, "select distinct claim_type from marts.fct_claims where article_id = ? "
                           "and claim_id = md5(? || '|0')", [article, article]) == [("quantity",)]


def test_a_build_that_skips_a_models_tests_leaves_its_rows_untested(built_state, tmp_path):
    from flows.transform import DbtBuildFailed, dbt_build

    _rederive_with_claim_type(built_state, "bad-derivation", "rumour")
    with pytest.raises(DbtBuildFailed, match="accepted_values_fct_claims_claim_type"):
        dbt_build(built_state, tmp_path / "first")
    # what the pipeline runs after validation: the quality flags and their tests only
    dbt_build(built_state, tmp_path / "partial", select=["int_warehouse_findings+"])
    with pytest.raises(DbtBuildFailed, match="accepted_values_fct_claims_claim_type"):
        dbt_build(built_state, tmp_path / "again")


def test_a_parent_row_that_goes_away_fails_the_tests_of_unchanged_children(built_state, tmp_path):
    from flows.transform import DbtBuildFailed, dbt_build

    # a cluster vanishes from link's summary while its claims (and their rows) stay as they are
    cluster = execute(built_state, "select cluster_id from derived.claim_clusters group by 1 order by count(*) desc, 1 "
                              "limit 1")[0][0]
    execute(built_state, "delete from derived.cluster_summary where cluster_id = ?", [cluster])
    with pytest.raises(DbtBuildFailed, match="relationships_fct_claims_cluster_id"):
        dbt_build(built_state, tmp_path / "work")
