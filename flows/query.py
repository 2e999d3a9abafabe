"""Read-only access for analysts: `newsledger query` and `newsledger quality`."""

from __future__ import annotations

from pathlib import Path

import duckdb


def _open(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `newsledger run` first")
    return duckdb.connect(str(warehouse), read_only=True)


def run_query(warehouse: Path, sql: str, fmt: str = "table") -> str:
    if fmt not in ("table", "csv", "json"):
        raise ValueError(f"unknown format {fmt!r}: use table, csv or json")
    con = _open(warehouse)
    try:
        frame = con.execute(sql).df()
    finally:
        con.close()
    if fmt == "csv":
        return frame.to_csv(index=False).rstrip("\n")
    if fmt == "json":
        return frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=2)
    import pandas as pd

    with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                           "display.max_colwidth", 80):
        return frame.to_string(index=False)


def quality_report(warehouse: Path, data_docs_dir: Path) -> str:
    con = _open(warehouse)
    try:
        rows = con.execute(
            """
            select check_name, severity, count(*) as findings, count(distinct article_id) as articles
            from marts.fct_quality_flags group by all order by severity desc, findings desc, check_name
            """
        ).fetchall()
        suites = con.execute(
            """
            select asset_name, success, successful, evaluated from quality.validations
            where run_id = (select run_id from quality.validations order by validated_at desc limit 1)
            order by asset_name
            """
        ).fetchall()
    finally:
        con.close()
    width = max([len("check")] + [len(r[0]) for r in rows]) + 2
    lines = [f"{'check':<{width}}{'severity':<10}{'findings':>9}{'articles':>10}"]
    lines += [f"{c:<{width}}{s:<10}{n:>9}{a:>10}" for c, s, n, a in rows] or ["(no findings)"]
    lines.append("")
    lines.append("great expectations (latest run):")
    lines += [f"  {a:<22} {'passed' if ok else 'FAILED':<7} {k}/{n} expectations" for a, ok, k, n in suites]
    lines.append(f"data docs: {data_docs_dir / 'index.html'}")
    return "\n".join(lines)
