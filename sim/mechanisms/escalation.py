"""ODD 7.11-7.12: unresolved issues age; when patience runs out a household may escalate (越级上访).

The escalation chance follows Epstein's grievance-and-legitimacy logic: it rises as trust
(legitimacy) falls, and a legitimate route in progress (legal advisor, court) damps it.
"""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import AGENDA, CLOSED, COURT, GRID, LEGAL, SOCIAL, UNREPORTED, Channel
from ..world import World

# ODD 7.12: how much an issue's current channel damps escalation (1 = not at all).
CHANNEL_FACTOR = np.ones(len(Channel))
CHANNEL_FACTOR[UNREPORTED] = 0.6  # not pursued, mostly
CHANNEL_FACTOR[GRID] = 0.8
CHANNEL_FACTOR[SOCIAL] = 0.8
CHANNEL_FACTOR[AGENDA] = 0.7
CHANNEL_FACTOR[LEGAL] = 0.5
CHANNEL_FACTOR[COURT] = 0.3
AWARENESS_DAMPING = 0.5  # ODD 7.12: knowing the legal routes makes petitioning beyond rarer


def fade(model: World) -> None:
    """ODD 7.11: unhandled issues sometimes fade away (the parties make up, the need passes)."""
    rows = model.issues.in_channel(UNREPORTED)
    gone = model.rng.random(rows.size) < 1.0 / model.params.behaviour.spontaneous_days
    lifecycle.resolve(model, rows[gone], trust_gain=0.0)


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
        * (1 - AWARENESS_DAMPING * h.legal_awareness[who])
        * CHANNEL_FACTOR[pool.channel[due]]
    )
    up = model.rng.random(due.size) < p
    lifecycle.escalate(model, due[up])
    waiting = due[~up]
    h.nudge("trust", pool.household[waiting], b.trust_loss, 0.0)
    pool.deadline[waiting] = model.day + lifecycle.draw_patience(model, pool.household[waiting])
