"""The transform stage: `dbt build` in-process, with absolute project/profiles dirs.

Views and seeds are rebuilt only when what defines them changed. After a build that made all of
them, the state file records (`intermediate.built_definitions`) the fingerprint of what defined them
(every file of the dbt project but dbt's own output, the seed CSVs, the dbt versions) and a signature
of what the state file then held (each view's SQL, each seed table's rows, the source tables'
columns). A build leaves the views
and seeds as they are only while both still hold: a fresh state file, a `--full-refresh`, a changed
file, or a view or seed rewritten by anything else (a hand-run `dbt build`, an older checkout)
rebuilds every view and seed.

dbt's first parse in a process costs ~1-2 s (reading the partial-parse file, checking every project
file); `start_parse` runs it on a background thread while the flow is still loading documents, and the
build that follows takes the parsed project instead of parsing again."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from importlib.metadata import version
from pathlib import Path

import duckdb
import yaml

from flows.settings import DBT_PROJECT_DIR
from flows.warehouse import has_tables, says_out_of_memory, with_memory_retries

DEFINITIONS_TABLE = "intermediate.built_definitions"
# DuckDB's buffer pool during a build, set by an on-run-start hook (dbt_project/macros/memory_limit.sql)
# from this variable. A full build at 100,000 documents grew the process by ~1.13 GB under 1 GB and by
# ~0.68 GB under 512 MB, in the same time; it ran out of memory under 256 MB
MEMORY_ENV = "NEWSLEDGER_DBT_MEMORY_LIMIT"
MEMORY_LIMIT_MB = 512
MEMORY_LIMIT_RETRIES = 3  # a build out of memory is run again with the cap doubled: 1 GB ... 4 GB
MEMORY_CAP_TABLE = "intermediate.dbt_memory_cap"  # the cap the last build that ran out of memory worked under
_log = logging.getLogger(__name__)
# the nodes a build leaves as they are while their definitions hold
UNCHANGED_DEFINITIONS_EXCLUDE = ["config.materialized:view", "resource_type:seed"]
_DBT_OUTPUT_DIRS = {"target", "logs", "dbt_packages"}


class DbtBuildFailed(RuntimeError):
    """dbt build failed: a model did not build or a structural test failed."""

    def __init__(self, message: str, *, out_of_memory: bool = False) -> None:
        super().__init__(message)
        self.out_of_memory = out_of_memory  # DuckDB ran out of memory: the build may succeed under a larger cap


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


def _project_config(project_dir: Path) -> dict:
    return yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))


def definitions_fingerprint(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """sha256 of everything a view or seed is built from: each file of the dbt project (models, macros,
    sources, tests, project and profile; not dbt's target/logs), each CSV under its seed paths, and
    the dbt-core and dbt-duckdb versions."""
    files = [p for p in project_dir.rglob("*")
             if p.is_file() and p.relative_to(project_dir).parts[0] not in _DBT_OUTPUT_DIRS]
    for seed_dir in _project_config(project_dir).get("seed-paths", ["seeds"]):
        files += (project_dir / seed_dir).resolve().rglob("*.csv")
    digest = hashlib.sha256(f"dbt-core {version('dbt-core')} dbt-duckdb {version('dbt-duckdb')}".encode())
    for path in sorted(set(files)):
        data = path.read_bytes()
        digest.update(f"\0{path.relative_to(project_dir.parent)}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _seed_schemas(project_dir: Path) -> list[str]:
    config = _project_config(project_dir)
    seeds = (config.get("seeds") or {}).get(config["name"]) or {}
    return [seeds.get("+schema", "main")]


def _source_schemas(project_dir: Path) -> list[str]:
    """The schemas of the dbt sources (`sources:` in the project's model .yml files)."""
    schemas = set()
    for path in (project_dir / "models").rglob("*.yml"):
        for source in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("sources") or []:
            schemas.add(source.get("schema", source["name"]))
    return sorted(schemas)


def _held_definitions(con: duckdb.DuckDBPyConnection, project_dir: Path) -> str:
    """sha256 of the views and seed tables the state file holds: each view's SQL, each seed table's
    rows (the lookups are small), and the columns of the source schemas the views read (a newer
    newsledger that adds a column to a raw table gets its views made again)."""
    seed_schemas, source_schemas = _seed_schemas(project_dir), _source_schemas(project_dir)
    digest = hashlib.sha256()
    for row in con.execute("select schema_name, view_name, sql from duckdb_views() where not internal "
                           "order by schema_name, view_name").fetchall():
        digest.update(repr(row).encode())
    for row in con.execute(
            "select schema_name, table_name, column_name, data_type from duckdb_columns() "
            "where schema_name in (select unnest(?::varchar[])) "
            "order by schema_name, table_name, column_index", [source_schemas]).fetchall():
        digest.update(repr(row).encode())
    for schema, table in con.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name in (select unnest(?::varchar[])) "
            "order by schema_name, table_name", [seed_schemas]).fetchall():
        ident = f'"{schema}"."{table}"'
        digest.update(repr((schema, table, con.execute(f"select * from {ident} order by all").fetchall())).encode())
    return digest.hexdigest()


def _recorded(con: duckdb.DuckDBPyConnection) -> tuple[str, str] | None:
    found = has_tables(con, *DEFINITIONS_TABLE.split("."))
    rows = con.execute(f"select fingerprint, held from {DEFINITIONS_TABLE}").fetchall() if found else []
    return rows[0] if len(rows) == 1 else None


def _recorded_cap(con: duckdb.DuckDBPyConnection) -> int | None:
    if not has_tables(con, *MEMORY_CAP_TABLE.split(".")):
        return None
    return con.execute(f"select max(megabytes) from {MEMORY_CAP_TABLE}").fetchall()[0][0]


def _state_before_build(state_db: Path, fingerprint: str, project_dir: Path, *, full_refresh: bool
                        ) -> tuple[bool, int | None]:
    """From one look at the state file: were its views and seeds all built from `fingerprint`, with
    nothing rewriting them since (False for a fresh state file and for a full refresh), and the memory
    cap its last build that ran out of memory worked under."""
    if not state_db.exists():
        return False, None
    con = duckdb.connect(str(state_db), read_only=True)
    try:
        cap = _recorded_cap(con)
        if full_refresh:
            return False, cap
        recorded = _recorded(con)
        return recorded is not None and recorded == (fingerprint, _held_definitions(con, project_dir)), cap
    finally:
        con.close()


def record_definitions(state_db: Path, fingerprint: str, project_dir: Path = DBT_PROJECT_DIR) -> None:
    """Record that every view and seed the state file holds was built from `fingerprint`."""
    con = duckdb.connect(str(state_db))
    try:
        con.execute("begin")
        con.execute("create schema if not exists intermediate")
        con.execute(f"create or replace table {DEFINITIONS_TABLE} "
                    "(fingerprint varchar not null, held varchar not null)")
        con.execute(f"insert into {DEFINITIONS_TABLE} values (?, ?)",
                    [fingerprint, _held_definitions(con, project_dir)])
        con.execute("commit")
    finally:
        con.close()


def _project_args(project_dir: Path, work_dir: Path) -> list[str]:
    return [
        "--project-dir", str(project_dir),
        "--profiles-dir", str(project_dir),
        "--target-path", str(work_dir / "dbt_target"),
        "--log-path", str(work_dir / "dbt_logs"),
        "--quiet",
        "--no-write-json",  # nothing reads dbt's manifest/run_results artifacts (partial parsing has its own)
    ]


class _Parse:
    """One background `dbt parse` of a project for a state file (see `start_parse`)."""

    def __init__(self, paths: tuple[str, str, str], fingerprint: str, project_dir: Path, work_dir: Path) -> None:
        self.paths, self.fingerprint, self.manifest = paths, fingerprint, None
        self._thread = threading.Thread(target=self._run, args=(project_dir, work_dir),
                                        name="newsledger-dbt-parse", daemon=True)
        self._thread.start()

    def _run(self, project_dir: Path, work_dir: Path) -> None:
        from dbt.cli.main import dbtRunner

        try:
            result = dbtRunner().invoke(["parse", *_project_args(project_dir, work_dir)])
        finally:
            _release_dbt_connection()
        if result.success:
            self.manifest = result.result
        # a failed parse leaves nothing: the build parses again and reports the error itself

    def wait(self):
        self._thread.join()
        return self.manifest


_parse_lock = threading.Lock()
_pending_parse: _Parse | None = None


def _paths(state_db: Path, work_dir: Path, project_dir: Path) -> tuple[str, str, str]:
    return str(state_db), str(work_dir), str(project_dir)


def start_parse(state_db: Path, work_dir: Path, project_dir: Path = DBT_PROJECT_DIR) -> None:
    """Parse the dbt project on a background thread; the next `dbt_build` of the same state file, work
    dir and project files takes the result.  A parse already pending for them is kept; one pending for
    others (a run that ended before its build) is waited for and dropped."""
    global _pending_parse
    paths = _paths(state_db, work_dir, project_dir)
    with _parse_lock:
        if _pending_parse is not None and _pending_parse.paths == paths:
            return  # (called once per batch: the files are fingerprinted once, and checked again when taken)
        if _pending_parse is not None:
            _pending_parse.wait()  # two dbt invocations never overlap
        os.environ["NEWSLEDGER_DBT_PATH"] = str(state_db)
        _pending_parse = _Parse(paths, definitions_fingerprint(project_dir), project_dir, work_dir)


def _take_parsed(paths: tuple[str, str, str], fingerprint: str):
    """The manifest of a pending background parse made for `paths` and the project files `fingerprint`
    (None if there is none, it failed, or it was made for others); a pending parse is used once."""
    global _pending_parse
    with _parse_lock:
        pending, _pending_parse = _pending_parse, None
    if pending is None:
        return None
    manifest = pending.wait()  # waited for even when unused: two dbt invocations never overlap
    return manifest if (pending.paths, pending.fingerprint) == (paths, fingerprint) else None


def _record_cap(state_db: Path, megabytes: int) -> None:
    con = duckdb.connect(str(state_db))
    try:
        con.execute("begin")
        con.execute("create schema if not exists intermediate")
        con.execute(f"create or replace table {MEMORY_CAP_TABLE} (megabytes integer not null)")
        con.execute(f"insert into {MEMORY_CAP_TABLE} values (?)", [megabytes])
        con.execute("commit")
    finally:
        con.close()


def dbt_build(state_db: Path, work_dir: Path, *, select: list[str] | None = None, full_refresh: bool = False,
              project_dir: Path = DBT_PROJECT_DIR) -> dict:
    """Run `dbt build` on the state DB (incremental marts add only what changed unless `full_refresh`;
    views and seeds only when their definitions changed). Raises DbtBuildFailed with the failing nodes.

    DuckDB's buffer pool is capped at `MEMORY_LIMIT_MB` (it spills beyond). A build that runs out of
    memory is run again with the cap doubled (up to `MEMORY_LIMIT_RETRIES` times) instead of failing the
    run: what the failed build committed is kept (each model commits on its own, and an incremental
    model built again finds nothing left to add), its failed model and the nodes it skipped are built
    then. Later builds of the state start under the cap that worked (`MEMORY_CAP_TABLE`)."""
    fingerprint = definitions_fingerprint(project_dir)
    manifest = _take_parsed(_paths(state_db, work_dir, project_dir), fingerprint)
    os.environ["NEWSLEDGER_DBT_PATH"] = str(state_db)
    keep_definitions, recorded_cap = _state_before_build(state_db, fingerprint, project_dir, full_refresh=full_refresh)
    args = ["build", *_project_args(project_dir, work_dir)]
    if select:
        args += ["--select", *select]
    if full_refresh:
        args.append("--full-refresh")
    if keep_definitions:
        args += ["--exclude", *UNCHANGED_DEFINITIONS_EXCLUDE]
    start = max(MEMORY_LIMIT_MB, recorded_cap or 0)
    # a parsed manifest serves one build (dbt fills in its nodes as it compiles them)
    done, limit_mb = with_memory_retries(lambda cap: _invoke(args, manifest if cap == start else None, cap),
                                         start, MEMORY_LIMIT_RETRIES, _log, "dbt build", ran_out=_ran_out)
    if limit_mb != start:
        _record_cap(state_db, limit_mb)
    if not keep_definitions and not select:  # every view and seed was (re)built from these definitions
        record_definitions(state_db, fingerprint, project_dir)
    return {**done, "memory_limit_mb": limit_mb}


def _ran_out(exc: BaseException) -> bool:
    return isinstance(exc, DbtBuildFailed) and exc.out_of_memory


def _invoke(args: list[str], manifest, limit_mb: int) -> dict:
    """One `dbt build` under a memory cap of `limit_mb`; raises DbtBuildFailed with the failing nodes."""
    from dbt.cli.main import dbtRunner

    os.environ[MEMORY_ENV] = f"{limit_mb}MB"
    try:
        result = dbtRunner(manifest=manifest).invoke(args)
    finally:
        _release_dbt_connection()
    nodes = list(result.result or []) if result.result is not None else []
    failed = [r for r in nodes if str(r.status) in ("error", "fail", "runtime error")]
    if not result.success or failed:
        reasons = [f"{r.node.resource_type}:{r.node.name} ({r.status}): {(r.message or '').strip()[:300]}"
                   for r in failed]
        reason = "; ".join(reasons) or str(result.exception or "dbt build failed")
        said = [r.message or "" for r in failed] + [str(result.exception or "")]
        raise DbtBuildFailed(f"dbt build failed: {reason}",
                             out_of_memory=any(says_out_of_memory(text) for text in said))
    return {"nodes": len(nodes), "passed": sum(1 for r in nodes if str(r.status) in ("success", "pass"))}
