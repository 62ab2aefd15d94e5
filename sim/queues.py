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
    # The draws of integer_capacity, in one compiled pass with the selection: the same
    # capacities, rows and order as rank_within's sort, without its dozen NumPy calls.
    return _take_oldest(keys, raised, capacity, rng.random(capacity.size))


@njit(cache=True)
def _take_oldest(keys, raised, capacity, u):  # pragma: no cover
    # np.lexsort((raised, keys)) as two stable sorts: by age, then by queue.
    by_age = np.argsort(raised, kind="mergesort")
    order = by_age[np.argsort(keys[by_age], kind="mergesort")]
    cap = np.empty(capacity.size, dtype=np.int64)
    for q in range(capacity.size):
        whole = np.floor(capacity[q])
        cap[q] = np.int64(whole + (u[q] < capacity[q] - whole))
    taken = np.zeros(capacity.size, dtype=np.int64)
    chosen = np.empty(keys.size, dtype=np.int64)
    m = 0
    for row in order:
        q = keys[row]
        if taken[q] < cap[q]:
            taken[q] += 1
            chosen[m] = row
            m += 1
    return np.sort(chosen[:m])
