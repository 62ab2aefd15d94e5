"""Step 7: norms, trust and engagement diffuse; security and satisfaction follow events."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..issues import Channel, Kind

if TYPE_CHECKING:
    from ..model import GovernanceModel

NEIGHBOUR_EXPOSURE = 0.5  # weight of violations suffered by neighbours on one's security
WAITING_DAYS = 14  # an issue open this long makes a household dissatisfied


def diffuse(model: GovernanceModel) -> None:
    """DeGroot averaging over the network: x += w * (mean of neighbours' x - x)."""
    b, h = model.params.behaviour, model.households
    weights = np.array([b.norm_diffusion, b.trust_diffusion, b.engagement_diffusion], np.float32)
    if not weights.any():
        return
    neighbour_mean = (model.adjacency @ h.traits) * model.inverse_degree[:, None]
    if model.isolated.size:  # a household without ties keeps its own view
        neighbour_mean[model.isolated] = h.traits[model.isolated]
    h.traits += weights * (neighbour_mean - h.traits)


def update(model: GovernanceModel) -> None:
    """Security, norms (broken windows), engagement, awareness and satisfaction."""
    h, b, pool, n = model.households, model.params.behaviour, model.issues, model.households.n
    open_violation = (pool.kind == Kind.VIOLATION) & (pool.channel != Channel.CLOSED)
    suffered = np.bincount(pool.household[open_violation], minlength=n).astype(np.float32)
    around = (model.adjacency @ suffered) * model.inverse_degree  # 0 for isolated households
    exposure = np.minimum(1.0, suffered + NEIGHBOUR_EXPOSURE * around)
    h.security += np.float32(1 / b.security_days) * ((1 - exposure) - h.security)
    norm = h.norm
    norm -= np.float32(b.broken_windows) * exposure * norm

    sg = model.params.self_governance
    engagement = h.engagement
    engagement += np.float32(b.engagement_anchor) * (np.float32(sg.participation) - engagement)
    trust = h.trust
    trust += np.float32(b.trust_anchor) * (np.float32(model.params.population.mean_trust) - trust)
    mean_awareness = np.float32(model.params.population.mean_legal_awareness)
    h.legal_awareness += (mean_awareness - h.legal_awareness) / np.float32(b.awareness_decay_days)

    waiting = np.zeros(n, dtype=np.float32)
    old = (pool.raised <= model.day - WAITING_DAYS) & (pool.channel != Channel.CLOSED)
    waiting[pool.household[old]] = 1.0
    target = 0.5 * h.trust + 0.3 * h.security + 0.2 * (1 - waiting)
    h.satisfaction += np.float32(1 / b.satisfaction_days) * (target - h.satisfaction)
