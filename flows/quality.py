"""The validate stage: Great Expectations suites over the marts, results stored in the warehouse.

GX cannot validate DuckDB through SQLAlchemy, so the marts are read as DataFrames through a
read-only connection and validated with the committed suites in `expectations/gx`.  Findings are
data: a failing expectation never fails the run; its failing rows become quality flags.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from flows.settings import EXPECTATIONS_DIR, QUALITY_CONFIG

MARTS = ("dim_articles", "fct_claims", "fct_claim_clusters", "fct_quality_flags")
# Marts whose rows carry the run that derived them: a failing suite is re-run with complete results so
# its failing rows (article, run) become quality flags.
PER_RUN_MARTS = ("dim_articles", "fct_claims")
# With a run id, every mart is validated only on the rows of derivation runs not validated yet, so the
# cost follows the new data, not the history: articles and claims by their own run, quality flags by
# their article's run, claim clusters that hold a claim of such a run (with that run's id).  `{cols}` is
# the mart's columns the suite reads (`suite_columns`), qualified with the alias `m`.
_PENDING = "run_id not in (select row_run_id from quality.validated_runs where asset_name = ?)"
_NEW_ROWS = {
    "dim_articles": f"select {{cols}} from marts.dim_articles m where {_PENDING}",
    "fct_claims": f"select {{cols}} from marts.fct_claims m where {_PENDING}",
    "fct_quality_flags": "select {cols}, a.run_id from marts.fct_quality_flags m "
                         f"join (select article_id, run_id from marts.dim_articles where {_PENDING}) a using (article_id)",
    "fct_claim_clusters": "select {cols}, p.run_id from marts.fct_claim_clusters m join ("
                          f"select cluster_id, max(run_id) as run_id from marts.fct_claims where {_PENDING} "
                          "and cluster_id is not null group by cluster_id) p using (cluster_id)",
}
_SUITES_DIR = EXPECTATIONS_DIR / "gx" / "expectations"
_COLUMN_KWARGS = ("column", "column_A", "column_B")


_VALIDATION_COLUMNS = ["run_id", "suite_name", "asset_name", "success", "evaluated", "successful", "unsuccessful",
                       "validated_at", "data_docs_path"]
_RESULT_COLUMNS = ["run_id", "suite_name", "expectation_type", "column_name", "success", "unexpected_count",
                   "unexpected_percent", "observed_value", "partial_unexpected", "kwargs"]
_FAILURE_COLUMNS = ["run_id", "suite_name", "expectation_type", "column_name", "article_id", "observed", "expected",
                    "row_run_id"]


@dataclass(slots=True)
class ValidationOutcome:
    validations: pd.DataFrame
    expectation_results: pd.DataFrame
    row_failures: pd.DataFrame
    validated_runs: pd.DataFrame
    data_docs_index: Path | None


def thresholds(now: dt.datetime) -> dict:
    """Thresholds from the one config file, plus the ones computed from the run time."""
    values = {k: v for k, v in json.loads(QUALITY_CONFIG.read_text()).items() if not k.startswith("_")}
    values["max_published_date"] = (now + dt.timedelta(days=values["max_days_in_future"])).date().isoformat()
    return values


def suite_columns(mart: str) -> list[str] | None:
    """The columns the mart's committed suite reads: every expectation's column arguments, its key
    column, and `article_id` / `run_id` (row ids of failures).  None (read every column) when the
    suite file is missing or an expectation is not about named columns (a table-level expectation)."""
    path = _SUITES_DIR / f"{mart}_suite.json"
    if not path.is_file():
        return None
    suite = json.loads(path.read_text(encoding="utf-8"))
    columns = [suite.get("meta", {}).get("key_column"), "article_id", "run_id"]
    for expectation in suite.get("expectations", []):
        named = [expectation["kwargs"][k] for k in _COLUMN_KWARGS if k in expectation.get("kwargs", {})]
        if not named:
            return None
        columns += named
    return list(dict.fromkeys(c for c in columns if c))


def _select_list(con, mart: str, *, exclude: tuple[str, ...] = ()) -> str:
    """`m.<column>, ...` for the suite's columns that the mart has (names from the catalog)."""
    have = con.table(f"marts.{mart}").columns
    wanted = suite_columns(mart)
    keep = [c for c in have if (wanted is None or c in wanted) and c not in exclude]
    return ", ".join('m."' + c.replace('"', '""') + '"' for c in keep)


def read_marts(db_path: Path, *, run_id: str | None = None) -> dict[str, pd.DataFrame]:
    """The marts as frames (read-only), holding only the columns their suites read (memory follows
    the checks, not the width of the marts).  With `run_id`, each mart holds only the rows of runs it
    has not validated yet (`_NEW_ROWS`), and a mart with no such rows is left out."""
    con = duckdb.connect(str(db_path), read_only=True)
    frames = {}
    try:
        for mart in MARTS:  # names are constants; columns come from the catalog
            if run_id is not None:
                # flags and clusters take the run of the rows that made them pending
                joined = mart in ("fct_quality_flags", "fct_claim_clusters")
                cols = _select_list(con, mart, exclude=("run_id",) if joined else ())
                frame = con.execute(_NEW_ROWS[mart].format(cols=cols), [mart]).df()
                if frame.empty:
                    continue
            else:
                frame = con.execute(f"select {_select_list(con, mart)} from marts.{mart} m").df()
            frames[mart] = frame
    finally:
        con.close()
    return frames


def _get_context(results_dir: Path, docs_dir: Path):
    os.environ["NEWSLEDGER_GX_RESULTS_DIR"] = str(results_dir)
    os.environ["NEWSLEDGER_DATA_DOCS_DIR"] = str(docs_dir)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx

    return gx.get_context(mode="file", project_root_dir=str(EXPECTATIONS_DIR))


def _frame_for_gx(frame: pd.DataFrame) -> pd.DataFrame:
    """GX compares timestamps with the (string) thresholds it parses: give it naive UTC timestamps."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[column] = series.dt.tz_convert("UTC").dt.tz_localize(None)
        elif column.endswith("_date") and pd.api.types.is_datetime64_any_dtype(series.dtype):
            out[column] = pd.Series([None if pd.isna(v) else v.date() for v in series], index=out.index, dtype=object)
    return out.drop(columns=[c for c in ("authors",) if c in out.columns])


def _failing_rows(definition, batch_frame: dict, params: dict, summary, index_columns: list[str]) -> dict:
    """Expectation id -> COMPLETE result (every unexpected row's ids), for the expectations that failed
    in `summary` only.  (Re-running the whole suite COMPLETE also listed every unexpected row of the
    expectations that passed under `mostly`, e.g. the ~36 % of articles with no date: at 20,000
    documents a 1.8 MB result that GX built row by row, deep-copied, stored and rendered.)  These
    results are not stored: the stored result and its Data Docs page are the SUMMARY ones."""
    failed = {r.expectation_config.id for r in summary.results if not r.success}
    batch = definition.batch_definition.get_batch(batch_parameters=batch_frame)
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": index_columns}
    return {e.id: batch.validate(e, result_format=result_format, expectation_parameters=params).result
            for e in definition.suite.expectations if e.id in failed}


def validate_frames(
    frames: dict[str, pd.DataFrame], *, run_id: str, now: dt.datetime, results_dir: Path, docs_dir: Path
) -> ValidationOutcome:
    if not frames:  # nothing new to validate (e.g. a run killed after GX): no GX start-up at all
        index = docs_dir / "index.html"
        return ValidationOutcome(
            validations=pd.DataFrame(columns=_VALIDATION_COLUMNS),
            expectation_results=pd.DataFrame(columns=_RESULT_COLUMNS),
            row_failures=pd.DataFrame(columns=_FAILURE_COLUMNS),
            validated_runs=pd.DataFrame(columns=["asset_name", "row_run_id", "validated_by_run_id"]),
            data_docs_index=index if index.exists() else None,
        )
    context = _get_context(results_dir, docs_dir)
    params = thresholds(now)
    stored_before = set(context.validation_results_store.list_keys())
    validations, results, failures = [], [], []
    for mart, frame in frames.items():
        definition = context.validation_definitions.get(f"{mart}_validation")
        key = definition.suite.meta.get("key_column")
        index_columns = [key] + [c for c in ("article_id", "run_id") if c in frame.columns and c != key]
        batch_frame = {"dataframe": _frame_for_gx(frame)}
        # SUMMARY first (cheap); a failing per-run suite's failing expectations are re-run for their rows
        result = definition.run(batch_parameters=batch_frame, expectation_parameters=params,
                                result_format={"result_format": "SUMMARY"})
        complete = (_failing_rows(definition, batch_frame, params, result, index_columns)
                    if not result.success and mart in PER_RUN_MARTS else {})
        stats = result.statistics
        validations.append({
            "run_id": run_id, "suite_name": definition.suite.name, "asset_name": mart,
            "success": bool(result.success), "evaluated": int(stats["evaluated_expectations"]),
            "successful": int(stats["successful_expectations"]),
            "unsuccessful": int(stats["unsuccessful_expectations"]),
            "validated_at": now, "data_docs_path": str(docs_dir / "index.html"),
        })
        for r in result.results:
            cfg = r.expectation_config
            kwargs = {k: v for k, v in cfg.kwargs.items() if k != "batch_id"}
            column = kwargs.get("column") or ",".join(str(kwargs[c]) for c in ("column_A", "column_B") if c in kwargs) or None
            res = r.result or {}
            results.append({
                "run_id": run_id, "suite_name": definition.suite.name, "expectation_type": cfg.type,
                "column_name": column, "success": bool(r.success),
                "unexpected_count": res.get("unexpected_count"),
                "unexpected_percent": res.get("unexpected_percent"),
                "observed_value": None if res.get("observed_value") is None else str(res.get("observed_value")),
                "partial_unexpected": json.dumps(res.get("partial_unexpected_list", [])[:20], default=str),
                "kwargs": json.dumps(kwargs, default=str),
            })
            if r.success:
                continue
            for row in complete.get(cfg.id, {}).get("unexpected_index_list") or []:
                if not isinstance(row, dict):
                    continue
                observed = {k: v for k, v in row.items() if k not in index_columns}
                failures.append({
                    "run_id": run_id, "suite_name": definition.suite.name, "expectation_type": cfg.type,
                    "column_name": column,
                    "article_id": row.get("article_id"),
                    "row_run_id": row.get("run_id"),
                    "observed": json.dumps(observed, default=str),
                    "expected": json.dumps({k: v for k, v in kwargs.items() if k not in ("column", "column_A", "column_B")}, default=str),
                })
    # render only this run's result pages (and the index): the cost follows the run, not the history
    new_results = [k for k in context.validation_results_store.list_keys() if k not in stored_before]
    context.build_data_docs(resource_identifiers=new_results)
    index = docs_dir / "index.html"
    return ValidationOutcome(
        validations=pd.DataFrame(validations, columns=_VALIDATION_COLUMNS),
        expectation_results=pd.DataFrame(results, columns=_RESULT_COLUMNS),
        row_failures=pd.DataFrame(failures, columns=_FAILURE_COLUMNS),
        validated_runs=pd.DataFrame(
            [{"asset_name": m, "row_run_id": r, "validated_by_run_id": run_id}
             for m, f in frames.items() if "run_id" in f.columns for r in sorted(f["run_id"].dropna().unique())],
            columns=["asset_name", "row_run_id", "validated_by_run_id"]),
        data_docs_index=index if index.exists() else None,
    )
