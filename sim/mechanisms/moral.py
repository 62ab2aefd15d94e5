"""Step 6: moral governance (德治): volunteering and credits, boards, role models."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..network import neighbours_of

if TYPE_CHECKING:
    from ..model import GovernanceModel

BANK_BOOST = 1.0  # volunteering multiplier per unit of credit value with a moral bank
BOARD_NORM_GAIN = 0.05
BLACK_DETERRENCE_GAIN = 0.1
ROLE_MODEL_RATE = 0.1


def volunteer(model: GovernanceModel) -> None:
    """Registered volunteers turn out with a chance that grows with engagement, credits
    (moral bank) and party mobilisation; volunteering earns credits and builds norms,
    less so when paid in credits (crowding out)."""
    h, b, m = model.households, model.params.behaviour, model.params.moral
    lead = model.params.fusion.party_leadership
    bank = m.credit_value * BANK_BOOST if m.moral_bank else 0.0
    base = b.volunteer_sessions_per_year / 365.0
    p_max = base * (1 + bank) * (1 + lead)
    pool = model.active_volunteers
    if pool.size == 0 or p_max <= 0:
        model.social.record_volunteering(pool[:0], b.hours_per_session)
        return
    # Thinning: Poisson(p_max) candidate sessions per volunteer, each kept with p / p_max,
    # gives Poisson(p) sessions a day (two in a day are possible, and rare).
    candidates = pool[model.rng.integers(0, pool.size, model.rng.poisson(pool.size * p_max))]
    mobilised = np.where(h.party_member[candidates], 1 + lead, 1.0)
    p = base * h.engagement[candidates] * (1 + bank) * mobilised
    went = candidates[model.rng.random(candidates.size) < p / p_max]
    hours = b.hours_per_session
    model.ledger.add("volunteer_hours", went.size * hours)
    h.last_participation[went] = model.day
    if m.moral_bank:
        np.add.at(h.credits, went, np.float32(hours * m.credit_value))
    h.nudge("norm", went, b.norm_from_volunteering * (1 - m.crowding_out * (bank > 0)))
    model.social.record_volunteering(went, hours)


def boards_and_role_models(model: GovernanceModel) -> None:
    """Monthly: red/black boards (if any) and role models pulling their neighbours' norms."""
    if model.day % 30 != 29:
        return
    h, m, layout = model.households, model.params.moral, model.layout
    score = h.norm + (h.credits / (1.0 + h.credits.max()) if m.moral_bank else 0.0)
    rank = _rank_in_community(score, layout)
    h.role_model[:] = (
        rank < np.maximum(1, np.round(m.list_share * layout.community_size))[layout.community]
    )
    if m.red_black_list:
        h.nudge("norm", np.flatnonzero(h.role_model), BOARD_NORM_GAIN)
        black = np.flatnonzero(h.last_sanctioned > model.day - 30)
        h.nudge("norm", black, BOARD_NORM_GAIN)
        h.nudge("deterrence", black, BLACK_DETERRENCE_GAIN)
        h.nudge("deterrence", neighbours_of(model.adjacency, black), BLACK_DETERRENCE_GAIN / 4)
    if m.role_models > 0:
        models = h.role_model.astype(np.float32)
        count = model.adjacency @ models
        pulled = np.flatnonzero(count > 0)
        target = (model.adjacency @ (models * h.norm))[pulled] / count[pulled]
        h.norm[pulled] += np.float32(m.role_models * ROLE_MODEL_RATE) * (target - h.norm[pulled])


def _rank_in_community(score: np.ndarray, layout) -> np.ndarray:
    """0 for the highest score in each community, 1 for the next, ..."""
    order = np.lexsort((-score, layout.community))
    rank = np.empty(score.size, dtype=np.int64)
    rank[order] = np.arange(score.size) - layout.community_start[layout.community[order]]
    return rank
