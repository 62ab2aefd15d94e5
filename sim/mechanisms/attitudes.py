"""ODD 7.15-7.16: norms, trust and engagement diffuse; security and satisfaction follow
events."""

from __future__ import annotations

import numpy as np
from numba import prange

from ..households import DIFFUSING
from ..issues import CLOSED, VIOLATION
from ..network import neighbours_of
from ..threads import serial_and_threaded, threads_for
from ..world import World


def diffuse(model: World) -> None:
    """ODD 7.15: DeGroot averaging over the network: x += w * (mean of neighbours' x - x).

    One compiled pass over the network for the three traits (``_diffuse``): it reads the
    ties once, not once per trait, and makes no temporaries; each trait's arithmetic is
    that of the sparse product (ties of weight 1, ``network.small_world``) and of the NumPy
    update, in float32 and in the same order, so the result is the same to the bit
    (docs/performance.md).
    """
    b, h, adj = model.params.behaviour, model.households, model.adjacency
    rates = np.array(
        [b.norm_diffusion, b.trust_diffusion, b.engagement_diffusion], dtype=np.float32
    )
    if not (rates > 0).any():
        return
    traits = [getattr(h, field) for field in DIFFUSING]
    with threads_for(h.n) as parallel:
        (_diffuse_threads if parallel else _diffuse)(
            adj.indptr, adj.indices, model.inverse_degree, *traits, rates
        )


def _diffuse(indptr, indices, inverse_degree, x0, x1, x2, rates):  # pragma: no cover
    # Yesterday's three traits side by side (each household's in one cache line), so a
    # long tie costs one memory miss, not three; the traits are then updated in place.
    # Each row reads only yesterday's values, so rows may run on any thread (prange).
    n = x0.size
    before = np.empty((n, 4), dtype=np.float32)
    for i in prange(n):
        before[i, 0], before[i, 1], before[i, 2] = x0[i], x1[i], x2[i]
    on0, on1, on2 = rates[0] > 0, rates[1] > 0, rates[2] > 0  # rate <= 0: left alone
    for i in prange(n):
        start, stop = indptr[i], indptr[i + 1]
        if start == stop:  # a household without ties keeps its own view
            continue
        s0 = s1 = s2 = np.float32(0.0)
        for k in range(start, stop):  # the sparse product: a float32 sum in index order
            j = indices[k]
            s0 += before[j, 0]
            s1 += before[j, 1]
            s2 += before[j, 2]
        w = inverse_degree[i]
        if on0:
            x0[i] += (s0 * w - before[i, 0]) * rates[0]
        if on1:
            x1[i] += (s1 * w - before[i, 1]) * rates[1]
        if on2:
            x2[i] += (s2 * w - before[i, 2]) * rates[2]


def update(model: World) -> None:
    """ODD 7.16: security, norms (broken windows), engagement, awareness and satisfaction.

    What involves issues is gathered here (O(issues)); the pass over every household is one
    compiled loop (``_update``) with the NumPy arithmetic's float32 operations in its order.
    """
    h, b, pool, n = model.households, model.params.behaviour, model.issues, model.households.n
    # Exposure is non-zero only around open violations, so it is built from the victims
    # outward (the network is symmetric: a neighbour's sum is a scatter from the victims).
    open_violation = (pool.kind == VIOLATION) & (pool.channel != CLOSED)
    victims = pool.household[open_violation]
    old = (pool.raised <= model.day - b.waiting_days) & (pool.channel != CLOSED)
    weights = (b.satisfaction_from_trust, b.satisfaction_from_security)
    weights += (b.satisfaction_from_not_waiting,)
    total = sum(weights)
    # No weight on anything: satisfaction stays where it is.
    w_trust, w_security, w_waiting = (np.float32(w / total if total > 0 else 0) for w in weights)
    sg, pop, f32 = model.params.self_governance, model.params.population, np.float32
    # The engagement each community's households drift toward: its own where scoped
    # (sim/scoped.py), else the city-wide value (the same float32 either way).
    participation = model.local_array("self_governance.participation")
    if participation is None:
        participation = np.full(model.layout.n_communities, sg.participation, dtype=f32)
    else:
        participation = participation.astype(f32)
    with threads_for(n) as parallel:
        (_update_threads if parallel else _update)(
            neighbours_of(model.adjacency, victims),
            victims,
            pool.household[old],
            model.inverse_degree,
            np.zeros(n, dtype=np.int32),
            np.zeros(n, dtype=np.uint8),
            np.array(
                [
                    b.neighbour_exposure,
                    1 / b.security_days,
                    b.broken_windows,
                    b.engagement_anchor,
                    b.trust_anchor,
                    pop.mean_trust,
                    pop.mean_legal_awareness,
                    b.awareness_decay_days,
                    w_trust,
                    w_security,
                    w_waiting,
                    1 / b.satisfaction_days,
                ],
                dtype=f32,
            ),
            total > 0,
            participation,
            model.layout.community,
            h.security,
            h.norm,
            h.engagement,
            h.trust,
            h.legal_awareness,
            h.satisfaction,
        )


VICTIM, WAITING = 1, 2  # flags of a household in ``_update``


def _update(
    neighbours,
    victims,
    waiting,
    inverse_degree,
    count,
    flags,
    c,
    satisfy,
    participation,
    community,
    security,
    norm,
    engagement,
    trust,
    awareness,
    satisfaction,
):  # pragma: no cover
    # ``count`` (zeros): victims among each household's neighbours; ``flags`` (zeros): a
    # victim itself, an issue waiting too long. ``c``: the float32 constants, in order.
    exposure_weight, security_rate, broken_windows = c[0], c[1], c[2]
    # ``participation``: float32, per community (``community``: each household's).
    engagement_anchor, trust_anchor, mean_trust = c[3], c[4], c[5]
    mean_awareness, awareness_days = c[6], c[7]
    w_trust, w_security, w_waiting, satisfaction_rate = c[8], c[9], c[10], c[11]
    one, zero = np.float32(1.0), np.float32(0.0)
    for j in neighbours:
        count[j] += 1
    for j in victims:
        flags[j] |= VICTIM
    for j in waiting:
        flags[j] |= WAITING
    # One household's day depends on no other's: the rows may run on any thread.
    for i in prange(security.size):
        # Exposure: a victim's is 1 (its own violation, plus anything around it, capped);
        # a neighbour's the share of its ties to victims, weighted, capped at 1.
        around = np.float32(count[i]) * (inverse_degree[i] * exposure_weight)
        exposed = around != zero
        if flags[i] & VICTIM:
            exposure, exposed = one, True
        elif exposed:
            exposure = min(one, around)
        else:
            exposure = zero
        security[i] += security_rate * ((one - exposure) - security[i])
        if exposed:  # broken windows
            norm[i] -= broken_windows * exposure * norm[i]
        engagement[i] += engagement_anchor * (participation[community[i]] - engagement[i])
        trust[i] += trust_anchor * (mean_trust - trust[i])
        awareness[i] += (mean_awareness - awareness[i]) / awareness_days
        if satisfy:
            not_waiting = zero if flags[i] & WAITING else one
            target = w_trust * trust[i] + w_security * security[i] + w_waiting * not_waiting
            satisfaction[i] += satisfaction_rate * (target - satisfaction[i])


_diffuse, _diffuse_threads = serial_and_threaded(_diffuse)
_update, _update_threads = serial_and_threaded(_update)
