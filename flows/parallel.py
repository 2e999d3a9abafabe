"""CPU parallelism for the understand stage on one machine: a forkserver process pool.

Prefect's own ProcessPoolTaskRunner starts a Prefect engine (and, in embedded mode, an API server) in
every worker, which costs more than the work on a 2-core machine.  Instead the flow keeps Prefect's
thread runner (one thread per worker, so several understand tasks are in flight) and each understand
task hands its batch to this pool of plain Python processes.  Worker processes come from a
forkserver (never a fork of the threaded flow process) with the text modules preloaded.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")
_POOL: ProcessPoolExecutor | None = None


@contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """Install a pool of `workers` processes for this run (none when workers <= 1)."""
    global _POOL
    if workers <= 1:
        yield None
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["flows.understand"])
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=quiet_collector)
    _POOL = pool
    starter = threading.Thread(target=_start_workers, args=(pool, workers), name="newsledger-pool-start",
                               daemon=True)
    starter.start()
    try:
        yield pool
    finally:
        _POOL = None
        starter.join()
        pool.shutdown(wait=True, cancel_futures=True)


# A worker's batch creates millions of short-lived objects (blocks, sentences, claims) and holds the
# batch's intermediate results until its rows are built: at the default thresholds (700, 10, 10) the
# cycle collector ran ~800 times per 3,000 documents, each pass over the ~220,000 objects the imported
# text modules' lexicons and patterns hold. Measured on 3,000 generated documents (7 interleaved pairs
# of runs on a busy machine): time in the collector 1.6-2.5 s -> 0.45-0.8 s; CPU, best run of each,
# 7.4 -> 6.5 s.
_WORKER_GC_THRESHOLDS = (10_000, 20, 20)


def quiet_collector() -> None:
    """Worker start: move the imported modules' objects out of the collector's reach (they live as long
    as the process) and collect young objects less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*_WORKER_GC_THRESHOLDS)


def _start_workers(pool: ProcessPoolExecutor, workers: int) -> None:
    """Start every worker now, off the flow's thread: the forkserver imports the text modules and forks
    (about a second) while the flow reads its inputs, instead of when the first batch is submitted
    (on a +1 % run that batch comes after the file stamps are checked, and the flow would wait)."""
    try:
        for started in [pool.submit(os.getpid) for _ in range(workers)]:
            started.result()
    except Exception:  # a broken pool fails the first real batch with the reason
        pass


def run(fn: Callable[..., T], *args, **kwargs) -> T:
    """Run `fn` in the installed pool, or here when there is none (Dask workers, small runs)."""
    if _POOL is None:
        return fn(*args, **kwargs)
    return _POOL.submit(fn, *args, **kwargs).result()
