"""ODD 7.11-7.12: unresolved issues age; when patience runs out a household may escalate (越级上访).

The escalation chance follows Epstein's grievance-and-legitimacy logic: it rises as trust
(legitimacy) falls, and a legitimate route in progress (legal advisor, court) damps it.
"""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import AGENDA, CLOSED, COMMUNITY, COURT, GRID, LEGAL, SOCIAL, UNREPORTED, Channel
from ..params import Behaviour
from ..world import World


def channel_factor(b: Behaviour) -> np.ndarray:
    """ODD 7.12: how much an issue's current channel damps escalation, by channel code
    (1 = not at all)."""
    factor = np.ones(len(Channel))
    factor[UNREPORTED] = b.escalation_unreported
    factor[GRID] = b.escalation_grid
    factor[COMMUNITY] = b.escalation_community
    factor[SOCIAL] = b.escalation_social
    factor[AGENDA] = b.escalation_agenda
    factor[LEGAL] = b.escalation_legal
    factor[COURT] = b.escalation_court
    return factor


def fade(model: World) -> None:
    """ODD 7.11: unhandled issues sometimes fade away (the parties make up, the need passes)."""
    rows = model.issues.in_channel(UNREPORTED)
    gone = model.rng.random(rows.size) < 1.0 / model.params.behaviour.spontaneous_days
    lifecycle.fade(model, rows[gone])


def escalate_or_wait(model: World) -> None:
    """ODD 7.12: every open issue past its household's patience is escalated (越级上访), or
    the household waits again, trusting a little less, with a new patience.

    The only closing of issues beyond the grassroots: every other mechanism resolves.
    """
    pool, h, b = model.issues, model.households, model.params.behaviour
    due = np.flatnonzero((pool.deadline <= model.day) & (pool.channel != CLOSED))
    who = pool.household[due]
    p = (
        b.escalation_propensity
        * (1 - h.trust[who])
        * (1 - b.awareness_damping * h.legal_awareness[who])
        * channel_factor(b)[pool.channel[due]]
    )
    up = model.rng.random(due.size) < p
    lifecycle.escalate(model, due[up])
    waiting = due[~up]
    h.nudge("trust", pool.household[waiting], b.trust_loss, 0.0)
    pool.deadline[waiting] = model.day + lifecycle.draw_patience(model, pool.household[waiting])
