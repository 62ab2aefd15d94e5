"""Executors for sweeps, all behind :class:`concurrent.futures.Executor`.

``serial`` runs tasks in this process (debugging, tests), ``process`` is a local process
pool (default), ``dask`` is a dask.distributed cluster: a LocalCluster, or an existing
scheduler (e.g. started on SLURM by dask-jobqueue) joined by address.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from experiments.errors import COMMAND_LINE, InputError
from sim.threads import share_cores

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


def default_workers() -> int:
    """The cores this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """The one local process pool of the project (runs, sweeps, analyses). Its workers
    stop when this process dies, however it dies (:func:`die_with_parent`)."""
    # Mesa forces the spawn start method anyway; asking for it explicitly keeps the behaviour
    # the same on every platform and with or without Mesa imported first.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(os.getpid(), workers, default_workers()),
    )


def start_worker(parent: int, workers: int, cores: int) -> None:
    """Pool worker initializer: die with the parent, and run no more threads than this
    worker's share of the cores (a large town's passes may use threads: sim/threads.py)."""
    die_with_parent(parent)
    share_cores(workers, cores)


def die_with_parent(parent: int) -> None:
    """Pool worker initializer: end this worker when process ``parent`` is gone.

    A pool's workers wait on a pipe, and a parent killed with ``kill -9`` never closes it,
    so they would wait forever (with the resource tracker, which waits for them). On Linux
    the kernel sends SIGKILL the moment the parent dies (``PR_SET_PDEATHSIG``); everywhere a
    daemon thread also checks every ``WATCH_SECONDS`` that the parent is still there.
    """
    _parent_death_signal()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="sanzhi-parent-watch", daemon=True).start()


WATCH_SECONDS = 1.0


def _parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the watch thread alone
        pass


def workers_of(executor: Executor) -> int:
    """Workers behind an executor the caller made (a process pool's size, a dask cluster's
    threads): it only sizes bundles, so a guess is safe. The executors do not publish it,
    hence the private attributes."""
    client = getattr(executor, "_client", None)  # dask's ClientExecutor
    if client is not None:
        return max(1, sum(client.nthreads().values()))
    return int(getattr(executor, "_max_workers", 0) or 1)


@contextmanager
def using(
    executor: str | Executor, workers: int | None = None, scheduler: str | None = None
) -> Iterator[tuple[Executor, int, str]]:
    """An executor by name (opened here, shut down on exit) or the caller's own; its number
    of workers and the name manifests record."""
    if isinstance(executor, Executor):
        yield executor, workers or workers_of(executor), type(executor).__name__
        return
    with open_executor(executor, workers or default_workers(), scheduler) as (pool, n):
        yield pool, n, executor


@contextmanager
def open_executor(
    kind: str = "process", workers: int = 1, scheduler: str | None = None
) -> Iterator[tuple[Executor, int]]:
    """An executor and its number of workers; shut down (cluster too) on exit."""
    if scheduler is not None and kind != "dask":
        raise InputError(COMMAND_LINE, "--scheduler", "needs --executor dask")
    if kind == "serial":
        yield SerialExecutor(), 1
    elif kind == "process":
        pool = process_pool(workers)
        try:
            yield pool, workers
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    elif kind == "dask":
        with _dask(workers, scheduler) as pair:
            yield pair
    else:
        raise InputError(COMMAND_LINE, "--executor", f"got {kind!r} (expected one of {EXECUTORS})")


@contextmanager
def _dask(workers: int, scheduler: str | None) -> Iterator[tuple[Executor, int]]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            COMMAND_LINE,
            "--executor",
            'dask is not installed (python -m pip install -e ".[cluster]")',
        ) from None
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as err:
            raise InputError(
                COMMAND_LINE, "--scheduler", f"cannot reach {scheduler}: {err}"
            ) from None
        cluster = None
    else:
        # One single-threaded process per worker: the engine is NumPy-bound and holds the GIL
        # between array operations, so threads would not add speed; a large town's compiled
        # passes get the worker's share of the cores (sim/threads.py).
        threads = max(1, default_workers() // workers)
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
            env={"NUMBA_NUM_THREADS": str(threads)},
        )
        client = Client(cluster)
    try:
        n = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        yield client.get_executor(pure=False), n
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
