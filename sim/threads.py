"""When a model's per-household passes may use more than one thread.

A large town's network pass is a loop of independent rows (each household's new trait
values depend only on yesterday's), so its rows can be split between threads with every
result the same to the bit (docs/performance.md, "Issue 21, second phase"). Not every Numba
threading layer may be entered by two Python threads at once (workqueue, the one used where
neither OpenMP nor TBB is installed, stops the process), and a dashboard or a dask worker
may step several models in threads of one process: the lock lets one model at a time use
the threads, and any other runs the single-threaded kernel meanwhile, with the same results.
"""

from __future__ import annotations

import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numba
from numba import njit

# Threads are for a single large run. Smaller towns are what sweeps, analyses and classes run
# many of at once, one per core, where threads would only compete; their day is mostly fixed
# Python-level cost anyway, and the 10,000-household benchmark stays one thread against the
# one-thread reference (docs/performance.md, "Issue 21, second phase"). An execution
# setting, not a claim about the world, so not a model parameter.
PARALLEL_FROM = 50_000

_THREADS = threading.Lock()


@contextmanager
def threads_for(households: int) -> Iterator[bool]:
    """True while this model may run its passes on several threads (the lock is held)."""
    if households < PARALLEL_FROM or numba.get_num_threads() < 2:
        yield False
        return
    if not _THREADS.acquire(blocking=False):  # another model has the threads now
        yield False
        return
    try:
        yield True
    finally:
        _THREADS.release()


def share_cores(workers: int, cores: int) -> None:
    """In a pool worker: keep this process's threads to its share of the machine's cores,
    so ``workers`` processes never run more threads than there are cores."""
    numba.set_num_threads(max(1, min(numba.config.NUMBA_NUM_THREADS, cores // workers)))


def serial_and_threaded(kernel: Callable) -> tuple[Callable, Callable]:
    """``kernel`` (its independent rows looped with ``prange``) compiled twice: on one
    thread, and with its rows split between threads; both cached on disk.

    Numba caches a function by its qualified name, so the threaded one is the same code
    under its own name (``<name>_threads``); otherwise the two would share cache files.
    """
    twin = types.FunctionType(
        kernel.__code__, kernel.__globals__, kernel.__name__ + "_threads", kernel.__defaults__
    )
    twin.__qualname__ = kernel.__qualname__ + "_threads"
    return njit(cache=True)(kernel), njit(cache=True, parallel=True)(twin)
