"""Executors for sweeps, all behind :class:`concurrent.futures.Executor`.

``serial`` runs tasks in this process (debugging, tests), ``process`` is a local process
pool (default), ``dask`` is a dask.distributed cluster: a LocalCluster, or an existing
scheduler (e.g. started on SLURM by dask-jobqueue) joined by address.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from .errors import ScenarioError

EXECUTORS = ("process", "dask", "serial")


class SerialExecutor(Executor):
    """Runs each task at submission, in this process; futures come back already done."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # a task's error belongs to its future, as in a pool
            future.set_exception(err)
        return future


@contextmanager
def open_executor(
    kind: str = "process", workers: int = 1, scheduler: str | None = None
) -> Iterator[tuple[Executor, int]]:
    """An executor and its number of workers; shut down (cluster too) on exit."""
    if scheduler is not None and kind != "dask":
        raise ScenarioError("command line", "--scheduler", "needs --executor dask")
    if kind == "serial":
        yield SerialExecutor(), 1
    elif kind == "process":
        # Mesa forces the spawn start method anyway; asking for it explicitly keeps the
        # behaviour the same on every platform and with or without Mesa imported first.
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        try:
            yield pool, workers
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    elif kind == "dask":
        with _dask(workers, scheduler) as pair:
            yield pair
    else:
        raise ScenarioError(
            "command line", "--executor", f"got {kind!r} (expected one of {EXECUTORS})"
        )


@contextmanager
def _dask(workers: int, scheduler: str | None) -> Iterator[tuple[Executor, int]]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ScenarioError(
            "command line",
            "--executor",
            'dask is not installed (python -m pip install -e ".[cluster]")',
        ) from None
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as err:
            raise ScenarioError(
                "command line", "--scheduler", f"cannot reach {scheduler}: {err}"
            ) from None
        cluster = None
    else:
        # One single-threaded process per worker: the engine is NumPy-bound and holds the GIL
        # between array operations, so threads would not add speed.
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    try:
        n = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        yield client.get_executor(pure=False), n
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
