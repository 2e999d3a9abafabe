"""Every row that fails a failing expectation becomes a row failure (then a quality flag), with its
article and run; rows left unexpected by an expectation that passes under its `mostly` threshold do
not (real GX on frames made from the seeds' dim_articles)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from flows.quality import read_marts, validate_frames

NOW = dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)


def _articles(seeds_run, n: int) -> pd.DataFrame:
    """`n` articles copied from the seeds' dim_articles rows, each with its own id and run."""
    seeds = read_marts(seeds_run[1])["dim_articles"]
    rows = pd.concat([seeds] * (n // len(seeds) + 1), ignore_index=True).iloc[:n].copy()
    rows["article_id"] = [f"article-{i:03d}" for i in range(n)]
    rows["run_id"] = [f"run-{i % 3}" for i in range(n)]
    rows["published_date"] = dt.date(2024, 11, 11)
    rows["headline"] = "North Korea ratifies its defence treaty with Russia"
    return rows


def test_every_failing_row_of_a_failing_expectation_is_listed(seeds_run, tmp_path):
    articles = _articles(seeds_run, 60)
    future = articles.index[:27]  # more rows than GX's partial lists (20) hold
    articles.loc[future, "published_date"] = dt.date(2031, 1, 1)
    no_headline = articles.index[30:33]  # 5 % null: passes `mostly` 0.9, its rows are no failures
    articles.loc[no_headline, "headline"] = None

    outcome = validate_frames({"dim_articles": articles}, run_id="check", now=NOW,
                              results_dir=tmp_path / "results", docs_dir=tmp_path / "docs")

    results = outcome.expectation_results.set_index(["expectation_type", "column_name"])
    assert not results.loc[("expect_column_values_to_be_between", "published_date"), "success"]
    headline = results.loc[("expect_column_values_to_not_be_null", "headline")]
    assert headline["success"] and headline["unexpected_count"] == 3
    failures = outcome.row_failures
    assert set(failures["column_name"]) == {"published_date"}
    assert sorted(failures["article_id"]) == sorted(articles.loc[future, "article_id"])
    expected_runs = dict(zip(articles["article_id"], articles["run_id"]))
    assert all(expected_runs[a] == r for a, r in zip(failures["article_id"], failures["row_run_id"]))
    assert all("2031-01-01" in observed for observed in failures["observed"])
