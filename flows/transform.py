"""The transform stage: `dbt build` in-process, with absolute project/profiles dirs."""

from __future__ import annotations

import os
from pathlib import Path

from flows.settings import DBT_PROJECT_DIR


class DbtBuildFailed(RuntimeError):
    """dbt build failed: a model did not build or a structural test failed."""


def _release_dbt_connection() -> None:
    """dbt-duckdb keeps its DuckDB instance open in-process after a run; close it so the same
    process can reopen the file (read-only for validation, or read-write for the next stage)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if env is not None:
        try:
            env.close()
        except Exception:  # closing a half-broken environment must not hide the build's result
            pass


def dbt_build(state_db: Path, work_dir: Path, *, select: list[str] | None = None, full_refresh: bool = False) -> dict:
    """Run `dbt build` on the state DB (incremental marts add only what changed unless `full_refresh`).
    Raises DbtBuildFailed with the failing nodes."""
    from dbt.cli.main import dbtRunner

    os.environ["NEWSLEDGER_DBT_PATH"] = str(state_db)
    target = work_dir / "dbt_target"
    args = [
        "build",
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target),
        "--log-path", str(work_dir / "dbt_logs"),
        "--quiet",
    ]
    if select:
        args += ["--select", *select]
    if full_refresh:
        args.append("--full-refresh")
    try:
        result = dbtRunner().invoke(args)
    finally:
        _release_dbt_connection()
    nodes = list(result.result or []) if result.result is not None else []
    failed = [
        f"{r.node.resource_type}:{r.node.name} ({r.status}): {(r.message or '').strip()[:300]}"
        for r in nodes
        if str(r.status) in ("error", "fail", "runtime error")
    ]
    if not result.success or failed:
        reason = "; ".join(failed) or str(result.exception or "dbt build failed")
        raise DbtBuildFailed(f"dbt build failed: {reason}")
    return {"nodes": len(nodes), "passed": sum(1 for r in nodes if str(r.status) in ("success", "pass"))}
