"""ODD 7.0: what happens to an issue. Every mechanism and staff type closes or moves issues
through these operations, so each rule (who gains trust, what a lost referral costs) is
written once.

Each takes the :class:`~sim.world.World` and the issue rows it acts on; an empty selection
is common on a quiet day and returns early.
"""

from __future__ import annotations

import numpy as np

from .issues import PUBLIC, UNREPORTED
from .network import neighbours_of
from .world import World

PUBLIC_SPILLOVER = 0.1  # ODD 7.0: share of the raiser's trust gain that its grid gets
# ODD 7.0: the trust weight ``g`` a resolution carries, by route (0 for informal settlement
# and fading: nobody in governance did anything).
ROUTINE_TRUST_WEIGHT = 1.0  # a grid worker, legal mediation, social organisation, enforcement
LEADERSHIP_TRUST_WEIGHT = 1.5  # a deliberation council or a party visit
COURT_TRUST_WEIGHT = 0.5  # a court judgment


def resolve(world: World, rows: np.ndarray, trust_gain: float) -> None:
    """Close issues as resolved; their households' trust rises by ``trust_gain`` steps
    (the route's trust weight: ``ROUTINE_TRUST_WEIGHT`` and its kin)."""
    if rows.size == 0:
        return
    pool, h, layout = world.issues, world.households, world.layout
    who = pool.household[rows]
    world.ledger.add("resolved", rows.size)
    world.ledger.add("resolve_days", float((world.day - pool.raised[rows]).sum()))
    if trust_gain > 0:
        gain = min(1.0, world.params.behaviour.trust_gain * trust_gain)
        h.nudge("trust", who, gain)
        # A public topic is shared: its whole grid sees it solved.
        public = who[pool.kind[rows] == PUBLIC]
        if public.size:
            grids = np.unique(layout.grid[public])
            h.nudge("trust", layout.members(layout.grid_start, grids), PUBLIC_SPILLOVER * gain)
    _close(world, rows, who)


def escalate(world: World, rows: np.ndarray) -> None:
    """Close issues as escalated beyond the grassroots (越级上访).

    Each of ``world.on_escalate`` is called first with the rows (the issues are still
    readable then): the engine counts escalations only in total, and a viewer that wants
    them by place (the dashboard's grid map) listens here.
    """
    if rows.size == 0:
        return
    for listener in world.on_escalate:
        listener(rows)
    who = world.issues.household[rows]
    world.ledger.add("escalated", rows.size)
    world.households.nudge("trust", who, 2 * world.params.behaviour.trust_loss, 0.0)
    _close(world, rows, who)


def enforce(world: World, rows: np.ndarray) -> None:
    """Sanction the violators behind violation issues; the victims' issues are resolved.

    The violator's perceived detection moves toward 1, and so, less, does that of the
    neighbours who see it (deterrence is learned from own and neighbours' experience).
    """
    if rows.size == 0:
        return
    h, b = world.households, world.params.behaviour
    violator = world.issues.counterpart[rows]
    world.ledger.add("enforcements", rows.size)
    h.nudge("deterrence", violator, b.deterrence_learning)
    h.nudge("deterrence", neighbours_of(world.adjacency, violator), b.deterrence_learning / 4)
    h.last_sanctioned[violator] = world.day
    resolve(world, rows, ROUTINE_TRUST_WEIGHT)


def refer(world: World, rows: np.ndarray, channel: int) -> None:
    """Pass issues to another channel (a ``Channel`` code): delayed, and lost unless
    coordination is high."""
    if rows.size == 0:
        return
    b, pool = world.params.behaviour, world.issues
    gap = 1 - world.coordination
    lost = world.rng.random(rows.size) < b.referral_loss * gap
    world.ledger.add("referrals", rows.size)
    world.ledger.add("referrals_lost", int(lost.sum()))
    dropped = rows[lost]
    pool.channel[dropped] = UNREPORTED
    world.households.nudge("trust", pool.household[dropped], b.trust_loss, 0.0)
    moved = rows[~lost]
    pool.channel[moved] = channel
    pool.ready[moved] = world.day + round(b.referral_delay_days * gap)


def retry(world: World, rows: np.ndarray, days: int) -> None:
    """Keep issues in their channel, to be taken up again in ``days`` days."""
    world.issues.ready[rows] = world.day + days


def draw_patience(world: World, households: np.ndarray) -> np.ndarray:
    """Days until each household's patience runs out; trusting households wait longer."""
    scale = world.params.behaviour.patience_days * (0.5 + world.households.trust[households])
    return np.ceil(world.rng.exponential(scale)).astype(np.int32) + 1


def pair_mean(world: World, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over both parties of issues (the household alone if none)."""
    a = world.issues.household[rows]
    c = world.issues.counterpart[rows]
    c = np.where(c >= 0, c, a)
    return 0.5 * (values[a] + values[c])


def pair_norm(world: World, rows: np.ndarray) -> np.ndarray:
    """The parties' mean norm (ODD 7.6, grid mediation)."""
    return pair_mean(world, world.households.norm, rows)


def _close(world: World, rows: np.ndarray, who: np.ndarray) -> None:
    np.subtract.at(world.households.open_issues, who, 1)
    world.issues.close(rows)
