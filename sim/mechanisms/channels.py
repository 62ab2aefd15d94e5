"""ODD 7.2-7.4: each new issue is detected on the spot, settled informally, or takes a
channel."""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import (
    AGENDA,
    COMMUNITY,
    DISPUTE,
    GRID,
    LEGAL,
    NEW,
    PUBLIC,
    SERVICE,
    UNREPORTED,
    VIOLATION,
    Kind,
)
from ..world import World

# ODD 7.3, 7.4: which kinds neighbours may settle informally (and may take to a legal
# advisor), by kind.
INFORMAL = np.zeros(len(Kind), dtype=bool)
INFORMAL[[DISPUTE, VIOLATION]] = True
# ODD 7.4: the channels of the choice, in the order of its weights.
CHOICES = np.array([UNREPORTED, GRID, LEGAL, AGENDA, COMMUNITY], dtype=np.int8)


def detect_on_the_spot(model: World) -> None:
    """ODD 7.2: violations are caught as they happen, with the base detection probability
    and what the grid's police officer adds (1+3+N).

    The violator learns from the outcome either way: perceived deterrence moves toward 1
    when caught (in ``enforce``) and toward 0 when not (Becker; learned, not read off).
    """
    pool = model.issues
    rows = np.flatnonzero((pool.channel == NEW) & (pool.kind == VIOLATION))
    p = model.grid_teams.detection[model.layout.grid[pool.household[rows]]]
    caught = model.rng.random(rows.size) < p
    lifecycle.enforce(model, rows[caught])
    escaped = pool.counterpart[rows[~caught]]
    model.households.nudge("deterrence", escaped, model.params.behaviour.deterrence_learning, 0.0)


def settle_informally(model: World) -> None:
    """ODD 7.3: neighbours try to settle disputes and violations themselves (自治 and 德治).

    Trying needs the parties' norm and resident rules; succeeding needs the weaker party's
    norm.
    """
    pool, h, b, rng = model.issues, model.households, model.params.behaviour, model.rng
    rules = model.params.self_governance.resident_rules
    rows = np.flatnonzero((pool.channel == NEW) & INFORMAL[pool.kind])
    a, c = pool.household[rows], pool.counterpart[rows]
    if model.rules.on:  # ODD 7.19: each community's rules, felt through legal awareness
        rules = model.rules.effect(a, c)
    p_try = b.informal_propensity * 0.5 * (h.norm[a] + h.norm[c]) * (0.5 + rules)
    tried = rng.random(rows.size) < np.minimum(p_try, 1.0)
    rows, a, c = rows[tried], a[tried], c[tried]
    if model.rules.on:
        rules = rules[tried]
    weaker = np.minimum(h.norm[a], h.norm[c])
    p_ok = (
        b.informal_success
        * (b.normless_settlement + (1 - b.normless_settlement) * weaker)
        * (b.ruleless_settlement + (1 - b.ruleless_settlement) * rules)
    )
    ok = rng.random(rows.size) < p_ok
    model.ledger.add("informal_settlements", np.count_nonzero(ok))
    h.nudge("engagement", np.concatenate([a[ok], c[ok]]), b.settlement_engagement_gain)
    lifecycle.resolve(model, rows[ok], 0.0)


def choose_channel(model: World) -> None:
    """ODD 7.4: the rest choose among the channels open to them, by weights (a discrete
    choice).

    Reporting to the grid grows with trust and with the grid's helpers, taking an issue to
    the community office with trust, going to the legal advisor with legal awareness,
    putting a topic on the council agenda with engagement.
    """
    pool, h, b, rng = model.issues, model.households, model.params.behaviour, model.rng
    rows = pool.in_channel(NEW)
    who, kind = pool.household[rows], pool.kind[rows]
    trusting = 0.2 + h.trust[who]
    weights = np.zeros((rows.size, CHOICES.size))
    weights[:, 0] = b.unreported_weight * np.where(kind == SERVICE, 0.5, 1.0)
    weights[:, 1] = b.grid_weight * trusting * model.grid_teams.reporting[model.layout.grid[who]]
    if model.legal.available:
        weights[:, 2] = np.where(INFORMAL[kind], b.legal_weight * h.legal_awareness[who], 0.0)
    if model.councils.available:
        weights[:, 3] = np.where(kind == PUBLIC, b.agenda_weight * h.engagement[who], 0.0)
        if model.params.self_governance.joint_councils:  # ODD 7.10: disputes of public interest
            share = model.params.self_governance.public_dispute_share
            disputes = kind == DISPUTE
            weights[disputes, 3] = share * b.agenda_weight * h.engagement[who[disputes]]
    if model.community.available:
        weights[:, 4] = b.community_weight * trusting
    cumulative = np.cumsum(weights, axis=1)
    pick = (rng.random(rows.size)[:, None] * cumulative[:, -1:] >= cumulative).sum(axis=1)
    pick[cumulative[:, -1] == 0] = 0  # no channel has any weight: the issue stays unreported
    channel = CHOICES[pick]
    pool.channel[rows] = channel
    pool.ready[rows] = model.day
    on_agenda = who[channel == AGENDA]
    h.last_participation[on_agenda] = model.day
