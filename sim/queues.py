"""Capacity-limited, oldest-first selection from many queues at once."""

from __future__ import annotations

import numpy as np
from numba import njit


def rank_within(
    keys: np.ndarray, order_by: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Sort by key (then by ``order_by``, ties by position) and rank each row in its key.

    Returns ``(order, rank)``: ``order`` sorts the rows, ``rank[i]`` is the position of row
    ``order[i]`` within its key (0 = first).
    """
    order = (
        np.lexsort((order_by, keys)) if order_by is not None else np.argsort(keys, kind="stable")
    )
    sorted_keys = keys[order]
    first = np.searchsorted(sorted_keys, sorted_keys, side="left")
    return order, np.arange(keys.size) - first


def take_oldest(
    keys: np.ndarray, raised: np.ndarray, capacity: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Positions of the rows each queue works today: the oldest ``capacity[key]`` ones."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    # One sort (by queue, then age, then position), then one compiled pass that rounds the
    # capacities (a draw per queue) and takes each queue's first ones: the rows, order and
    # draws of rank_within and a rounding in NumPy, without their dozen calls. (Numba's own
    # sorts would take seconds to compile on a fresh install; NumPy's cost nothing.)
    order = np.lexsort((raised, keys))
    taken = _within_capacity(keys, order, capacity, rng.random(capacity.size))
    return taken.nonzero()[0]  # np.flatnonzero without its Python layers: rows in order


@njit(cache=True)
def _within_capacity(keys, order, capacity, u):  # pragma: no cover
    cap = np.empty(capacity.size, dtype=np.int64)
    for q in range(capacity.size):
        whole = np.floor(capacity[q])
        cap[q] = np.int64(whole + (u[q] < capacity[q] - whole))  # up with its fraction
    count = np.zeros(capacity.size, dtype=np.int64)
    taken = np.zeros(keys.size, dtype=np.bool_)
    for row in order:
        q = keys[row]
        if count[q] < cap[q]:
            count[q] += 1
            taken[row] = True
    return taken
