"""How the understand stage runs: Dask when asked, else local worker processes (flows/parallel.py)."""

from __future__ import annotations

import os

from prefect.task_runners import ThreadPoolTaskRunner


PROCESS_POOL_MIN_FILES = 1000  # below this, starting worker processes costs more than it saves


def default_workers(n_files: int) -> int:
    """One worker process per core for large inputs, in-process for small ones."""
    return (os.cpu_count() or 1) if n_files >= PROCESS_POOL_MIN_FILES else 1


def choose_task_runner(workers: int, *, dask_address: str | None = None, dask_local: int | None = None):
    """Prefect's Dask runner for scale-out; else threads that feed the local process pool."""
    if dask_address or dask_local:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": dask_local, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    return ThreadPoolTaskRunner(max_workers=max(1, workers))
