"""`newsledger` command line: run, query, quality, serve."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from flows.settings import REPO_ROOT

app = typer.Typer(add_completion=False, no_args_is_help=True, help="newsledger: a news-claims warehouse.")

WarehouseOpt = typer.Option(None, "--warehouse", "-w", help="DuckDB file (default: warehouse/newsledger.duckdb or $NEWSLEDGER_WAREHOUSE).")


def _prefect_env(verbose: bool = False) -> None:
    """Embedded Prefect by default: state under the repo, quiet logs, no telemetry."""
    os.environ.setdefault("PREFECT_HOME", str(REPO_ROOT / ".newsledger" / "prefect"))
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)  # its SQLite DB lives here
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("TQDM_DISABLE", "1")  # GX's per-expectation progress bars (and a nanobind exit warning with them)


def _settings(warehouse: Optional[Path]):
    from flows.settings import Settings

    settings = Settings()
    if warehouse:
        settings = settings.model_copy(update={"warehouse": warehouse})
    return settings.resolved()


def _quiet_exit() -> None:
    """Silence stderr for interpreter shutdown: duckdb's nanobind bindings print pages of 'leaked
    instance' warnings at exit when a failed flow's state still references its objects.  Everything
    the user needs has been printed by then."""
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"newsledger: error: {message}", err=True, fg=typer.colors.RED)
    _quiet_exit()
    raise typer.Exit(code)


@app.command()
def run(
    paths: list[str] = typer.Argument(None, help="Files, folders or globs (default: seeds/articles)."),
    warehouse: Optional[Path] = WarehouseOpt,
    reprocess: bool = typer.Option(False, "--reprocess", help="Re-derive documents made by another code version."),
    batch_size: Optional[int] = typer.Option(None, help="Documents per task."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Processes for the understand stage (default: one per core for 1,000+ files, else in-process)."),
    dask_address: Optional[str] = typer.Option(None, "--dask-address", help="Run the understand stage on this Dask scheduler (tcp://host:8786)."),
    dask_local: Optional[int] = typer.Option(None, "--dask-local", help="Start a local Dask cluster with this many worker processes."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's logs."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Ingest, understand, load, transform, validate and publish."""
    _prefect_env(verbose)
    settings = _settings(warehouse)
    from flows.embedded_api import embedded_api
    from flows.locking import WarehouseBusy

    def warm_up() -> None:
        """While the Prefect API server boots on the other core: import the pipeline here and start
        importing dbt and GX on a background thread (they finish during the run's first stages)."""
        from flows.pipeline import preload_stage_libraries

        preload_stage_libraries()

    try:
        dask = bool(dask_address or dask_local)
        if dask:
            workers = 1  # Dask runs the understand stage; no local pool
        # the flow picks the worker count from the files it discovers; threads only wait on the pool
        threads = dask_local or workers or (os.cpu_count() or 1)
        in_flight = (dask_local + 1 if dask_local else 8) if dask else None
        with embedded_api(warm_up):
            from flows.pipeline import newsledger_run
            from flows.runners import choose_task_runner

            runner = choose_task_runner(threads, dask_address=dask_address, dask_local=dask_local)
            summary = newsledger_run.with_options(task_runner=runner)(
                workers=workers, in_flight=in_flight,
                paths=paths or None, warehouse_path=str(settings.warehouse), reprocess=reprocess,
                batch_size=batch_size, show_progress=sys.stderr.isatty(),
            )
    except WarehouseBusy as exc:
        _fail(str(exc), code=3)
    except Exception as exc:  # one clear line, no traceback
        _fail(f"run failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    _quiet_exit()
    if as_json:
        typer.echo(json.dumps(summary, indent=2, default=str))
        return
    d = summary["documents"]
    typer.echo(f"documents: {d['new']} new, {d['already_known']} already known, {d['quarantined']} quarantined"
               + (f", {d['reprocessed']} re-derived" if d["reprocessed"] else ""))
    typer.echo(f"articles: {summary['articles']}   claims: {summary['claims']}   claim clusters: {summary['clusters']}")
    if summary["quality_flags"]:
        typer.echo("quality flags:")
        for f in summary["quality_flags"]:
            typer.echo(f"  {f['check']:<32} {f['severity']:<5} {f['count']}")
    failed = [v["asset_name"] for v in summary["validations"] if not v["success"]]
    if summary["unchanged"]:
        typer.echo("nothing new since the last completed run: marts, validations and the published file are unchanged")
    else:
        typer.echo(f"validations: {len(summary['validations']) - len(failed)}/{len(summary['validations'])} suites passed"
                   + (f" (findings in: {', '.join(failed)})" if failed else ""))
    typer.echo(f"warehouse: {summary['warehouse']}")
    typer.echo(f"data docs: {summary['data_docs']}")


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL to run read-only."),
    warehouse: Optional[Path] = WarehouseOpt,
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
) -> None:
    """Read-only SQL on the published warehouse."""
    from flows.query import run_query

    settings = _settings(warehouse)
    try:
        typer.echo(run_query(settings.warehouse, sql, fmt))
    except Exception as exc:
        _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


@app.command()
def quality(warehouse: Optional[Path] = WarehouseOpt) -> None:
    """Findings by check and severity, and where the Data Docs are."""
    from flows.query import quality_report

    settings = _settings(warehouse)
    try:
        typer.echo(quality_report(settings.warehouse, settings.data_docs_dir))
    except Exception as exc:
        _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


@app.command()
def export(
    out: Path = typer.Argument(..., help="Directory for the Parquet files and the views-only DuckDB file."),
    warehouse: Optional[Path] = WarehouseOpt,
) -> None:
    """Export the published warehouse as Parquet (run-by-run files) plus a views-only DuckDB file."""
    from flows.export import export_parquet

    settings = _settings(warehouse)
    try:
        result = export_parquet(settings.warehouse, out)
    except Exception as exc:
        _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    typer.echo(f"{result['tables']} tables: {result['files_written']} Parquet files written, "
               f"{result['files_kept']} unchanged; views: {result['views']}")


@app.command()
def serve(
    paths: list[str] = typer.Argument(None, help="Files, folders or globs (default: seeds/articles)."),
    cron: str = typer.Option("*/15 * * * *", help="Cron schedule."),
    warehouse: Optional[Path] = WarehouseOpt,
    name: str = typer.Option("newsledger-scheduled", help="Deployment name."),
) -> None:
    """Serve the flow as a scheduled Prefect deployment (Ctrl-C to stop)."""
    _prefect_env(verbose=True)
    settings = _settings(warehouse)
    from flows.pipeline import newsledger_run

    newsledger_run.serve(
        name=name, cron=cron,
        parameters={"paths": [str(Path(p).resolve()) for p in paths] if paths else None,
                    "warehouse_path": str(settings.warehouse)},
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
