"""Export the published warehouse as Parquet files plus a views-only DuckDB file.

    newsledger export DIR [--warehouse FILE]

Layout: DIR/<schema>/<table>/run-<run_id>.parquet for tables that carry a run_id (appended run by
run: an export after a new run writes only that run's files, and rewrites a run's file only when its
rows changed, e.g. after --reprocess), DIR/<schema>/<table>/all.parquet for the others (rewritten).
DIR/newsledger_views.duckdb holds one view per table over those files, so DuckDB, Spark, Polars or
any Parquet reader can use the data without the single warehouse file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

EXPORTED_SCHEMAS = ("raw", "derived", "marts", "quality", "lookups")


def _sql_string(value: str) -> str:
    """A SQL string literal for a path we generated (DDL cannot take parameters)."""
    return "'" + value.replace("'", "''") + "'"


def export_parquet(warehouse: Path, out: Path) -> dict:
    out = out.resolve()
    con = duckdb.connect(str(warehouse), read_only=True)
    written, kept = 0, 0
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where schema_name in (select unnest(?::varchar[])) order by 1, 2",
        [list(EXPORTED_SCHEMAS)],
    ).fetchall()
    try:
        for schema, table in tables:
            target = out / schema / table
            target.mkdir(parents=True, exist_ok=True)
            rel = con.table(f'"{schema}"."{table}"')
            if "run_id" not in rel.columns:
                rel.write_parquet(str(target / "all.parquet"))
                written += 1
                continue
            counts = dict(con.table(f'"{schema}"."{table}"').aggregate("run_id, count(*)").fetchall())
            empty = target / "empty.parquet"  # keeps the schema readable while the table has no rows
            if counts:
                empty.unlink(missing_ok=True)
            else:
                rel.limit(0).write_parquet(str(empty))
            for path in target.glob("run-*.parquet"):
                run_id = path.stem.removeprefix("run-")
                if run_id not in counts:
                    path.unlink()  # those rows were re-derived under another run
            for run_id, n in counts.items():
                path = target / f"run-{run_id}.parquet"
                if path.exists() and con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchall()[0][0] == n:
                    kept += 1
                    continue
                con.sql(f'select * from "{schema}"."{table}" where run_id = $run', params={"run": run_id}) \
                    .write_parquet(str(path))
                written += 1
    finally:
        con.close()
    views = out / "newsledger_views.duckdb"
    views.unlink(missing_ok=True)
    vcon = duckdb.connect(str(views))
    try:
        for schema, table in tables:
            vcon.execute(f'create schema if not exists "{schema}"')
            files = _sql_string(str(out / schema / table / "*.parquet"))
            vcon.execute(f'create view "{schema}"."{table}" as select * from read_parquet({files}, union_by_name = true)')
    finally:
        vcon.close()
    return {"tables": len(tables), "files_written": written, "files_kept": kept, "views": str(views)}
