"""The social network: a small world built in NumPy, held as a CSR matrix for the step."""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp


def small_world(n: int, mean_degree: int, rewire: float, rng: np.random.Generator) -> sp.csr_array:
    """Watts-Strogatz graph over households in their grid order.

    Each household is tied to the ``mean_degree / 2`` households after it in the ring, so most
    ties stay inside the grid and community; each tie is redirected to a uniformly random
    household with probability ``rewire`` (long ties). Self-ties and duplicates are dropped.
    """
    half = mean_degree // 2
    src = np.repeat(np.arange(n, dtype=np.int64), half)
    dst = (src + np.tile(np.arange(1, half + 1), n)) % n
    if rewire > 0:
        moved = rng.random(src.size) < rewire
        dst[moved] = rng.integers(0, n, int(moved.sum()))
    keep = src != dst
    src, dst = src[keep], dst[keep]
    rows = np.concatenate([src, dst]).astype(np.int32)
    cols = np.concatenate([dst, src]).astype(np.int32)
    ones = np.ones(rows.size, dtype=np.float32)
    adj = sp.csr_array((ones, (rows, cols)), shape=(n, n))
    adj.sum_duplicates()
    adj.data[:] = 1.0
    return adj


def degree(adj: sp.csr_array) -> np.ndarray:
    return np.diff(adj.indptr).astype(np.int32)


def random_neighbour(adj: sp.csr_array, nodes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One uniformly chosen neighbour of each node (-1 for a node without ties)."""
    start = adj.indptr[nodes]
    deg = adj.indptr[nodes + 1] - start
    pick = start + (rng.random(nodes.size) * np.maximum(deg, 1)).astype(np.int64)
    return np.where(deg > 0, adj.indices[np.minimum(pick, adj.indices.size - 1)], -1)


def neighbours_of(adj: sp.csr_array, nodes: np.ndarray) -> np.ndarray:
    """All neighbours of the given nodes, concatenated (with repeats)."""
    start = adj.indptr[nodes]
    count = adj.indptr[nodes + 1] - start
    total = np.add.reduce(count)  # count.sum(), once
    if total == 0:
        return np.zeros(0, dtype=adj.indices.dtype)
    offset = np.repeat(start - np.cumsum(count) + count, count)
    return adj.indices[offset + np.arange(total)]


def to_networkx(adj: sp.csr_array) -> nx.Graph:
    return nx.from_scipy_sparse_array(adj)
