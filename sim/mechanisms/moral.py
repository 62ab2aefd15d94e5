"""ODD 7.13-7.14: moral governance (德治): volunteering and credits, boards, role models."""

from __future__ import annotations

import numpy as np
from numba import prange

from ..layout import Layout
from ..network import neighbours_of
from ..threads import serial_and_threaded, threads_for
from ..world import World


def volunteer(model: World) -> None:
    """ODD 7.13: registered volunteers turn out with a chance that grows with engagement, credits
    (moral bank) and party mobilisation and falls with their social organisation's lost
    credibility; volunteering earns credits and builds norms, less so when paid in credits
    (crowding out)."""
    h, b, m = model.households, model.params.behaviour, model.params.moral
    lead = model.params.fusion.party_leadership
    # A credit that can be spent (ODD 7.21) pulls more; the factor is exactly 1 without it.
    spendable = 1 + (m.redemption_pull if m.redemption else 0.0)
    bank = m.credit_value * b.bank_boost * spendable if m.moral_bank else 0.0
    base = b.volunteer_sessions_per_year / 365.0
    # The party secretary's mobilisation of members (scoped to communities): the factor is
    # 1 + lead, as without it, at the usual effort of 1.
    effort = model.local_array("fusion.member_mobilisation")
    usual = model.params.fusion.member_mobilisation
    pull = lead * (usual if effort is None else float(effort.max()))
    p_max = base * (1 + bank) * (1 + pull)
    pool = model.active_volunteers
    if pool.size == 0 or p_max <= 0:
        model.social.record_volunteering(pool[:0], b.hours_per_session)
        return
    # Thinning: Poisson(p_max) candidate sessions per volunteer, each kept with p / p_max,
    # gives Poisson(p) sessions a day (two in a day are possible, and rare).
    candidates = pool[model.rng.integers(0, pool.size, model.rng.poisson(pool.size * p_max))]
    if effort is None:
        mobilised = np.where(h.party_active[candidates], 1 + pull, 1.0)
    else:
        own = 1 + lead * effort[model.layout.community[candidates]]
        mobilised = np.where(h.party_active[candidates], own, 1.0)
    distrust = b.credibility_volunteering * (1 - model.social.credibility_of(candidates))
    p = base * h.engagement[candidates] * (1 + bank) * mobilised * (1 - distrust)
    went = candidates[model.rng.random(candidates.size) < p / p_max]
    hours = b.hours_per_session
    model.ledger.add("volunteer_hours", went.size * hours)
    h.last_participation[went] = model.day
    if m.moral_bank:
        np.add.at(h.credits, went, np.float32(hours * m.credit_value))
    h.nudge("norm", went, b.norm_from_volunteering * (1 - m.crowding_out * (bank > 0)))
    model.social.record_volunteering(went, hours)


def boards_and_role_models(model: World) -> None:
    """ODD 7.14, monthly: red/black boards (if any) and role models pulling their
    neighbours' norms."""
    h, m, b, layout = model.households, model.params.moral, model.params.behaviour, model.layout
    interval = b.board_interval_days  # chosen on the interval's last day
    if model.day % interval != interval - 1:
        return
    score = h.norm + (h.credits / (1.0 + h.credits.max()) if m.moral_bank else 0.0)
    rank = rank_in_community(score, layout)
    h.role_model[:] = (
        rank < np.maximum(1, np.round(m.list_share * layout.community_size))[layout.community]
    )
    if m.red_black_list:
        h.nudge("norm", np.flatnonzero(h.role_model), b.board_norm_gain)
        black = np.flatnonzero(h.last_sanctioned > model.day - interval)
        h.nudge("norm", black, b.board_norm_gain)
        h.nudge("deterrence", black, b.black_deterrence_gain)
        h.nudge("deterrence", neighbours_of(model.adjacency, black), b.black_deterrence_gain / 4)
    if m.role_models > 0:
        adj, rate = model.adjacency, np.float32(m.role_models * b.role_model_rate)
        with threads_for(h.n) as parallel:
            (_follow_threads if parallel else _follow)(
                adj.indptr, adj.indices, h.role_model, h.norm.copy(), h.norm, rate
            )


def _follow(indptr, indices, role_model, before, norm, rate):  # pragma: no cover
    # Each household with role models among its ties moves toward their mean norm of
    # yesterday (``before``). The sums are the sparse products' (ties of weight 1: a float32
    # sum in index order; a tie to a non-model adds an exact 0, so it is skipped) and the
    # update NumPy's float32 operations, so the result is the same to the bit; each row
    # reads only yesterday's norms, so rows may run on any thread.
    for i in prange(norm.size):
        count = total = np.float32(0.0)
        for k in range(indptr[i], indptr[i + 1]):
            j = indices[k]
            if role_model[j]:
                count += np.float32(1.0)
                total += before[j]
        if count > 0:
            norm[i] = before[i] + rate * (total / count - before[i])


_follow, _follow_threads = serial_and_threaded(_follow)


def rank_in_community(score: np.ndarray, layout: Layout) -> np.ndarray:
    """0 for the highest score in each community, 1 for the next, ... (ties by index).

    One stable sort of ``community x 4 - score`` (scores lie in [0, 2)) rather than a
    two-key ``lexsort``: the same order, about four times faster at a million households,
    where this monthly step was the second-largest cost of a day.
    """
    order = np.argsort(layout.community * 4.0 - score.astype(np.float64), kind="stable")
    rank = np.empty(score.size, dtype=np.int64)
    rank[order] = np.arange(score.size) - layout.community_start[layout.community[order]]
    return rank
