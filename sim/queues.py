"""Capacity-limited, oldest-first selection from many queues at once."""

from __future__ import annotations

import numpy as np


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


def integer_capacity(capacity: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round fractional daily capacity up or down at random, unbiased."""
    whole = np.floor(capacity)
    return (whole + (rng.random(capacity.size) < capacity - whole)).astype(np.int64)


def take_oldest(
    keys: np.ndarray, raised: np.ndarray, capacity: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Positions of the rows each queue works today: the oldest ``capacity[key]`` ones."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    cap = integer_capacity(capacity, rng)
    order, rank = rank_within(keys, raised)
    return np.sort(order[rank < cap[keys[order]]])
