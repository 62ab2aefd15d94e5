"""ODD 7.0: what happens to an issue. Every mechanism and staff type closes or moves issues
through these operations, so each rule (who gains trust, what a lost referral costs) is
written once.

Each takes the :class:`~sim.world.World` and the issue rows it acts on; an empty selection
is common on a quiet day and returns early.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .issues import CLOSED, PUBLIC, SERVICE, SOCIAL, UNREPORTED
from .network import neighbours_of
from .practices import integrity
from .world import World


def resolve(world: World, rows: np.ndarray, trust_weight: float) -> None:
    """Close issues as resolved by a channel; their households' trust rises by
    ``trust_weight`` steps of ``trust_gain`` (the route's weight, ``behaviour.*_trust_weight``;
    0 for informal settlement)."""
    if rows.size == 0:
        return
    pool, h, layout, b = world.issues, world.households, world.layout, world.params.behaviour
    gain = min(1.0, b.trust_gain * trust_weight) if trust_weight > 0 else 0.0
    # A public topic is shared: its whole grid sees it solved.
    spillover = b.public_spillover * gain if b.public_spillover > 0 else 0.0
    days, services, service_days = _resolve(
        rows,
        pool.household,
        pool.raised,
        pool.kind,
        pool.channel,
        h.open_issues,
        h.trust,
        layout.grid,
        layout.grid_start,
        world.day,
        np.float32(gain),
        np.float32(spillover),
    )
    ledger = world.ledger
    ledger.add("resolved", rows.size)
    ledger.add("resolve_days", float(days))
    ledger.add("services_resolved", services)
    ledger.add("service_days", float(service_days))


@njit(cache=True)
def _resolve(
    rows, household, raised, kind, channel, open_issues, trust, grid, grid_start, day, gain, spill
):  # pragma: no cover
    # One compiled pass for what were some twenty NumPy calls on a handful of rows, each
    # step as ``Households.nudge`` does it: the raisers' trust all gathered before any is
    # written (a household raising two of the issues moves once, ODD 3), then the grids of
    # public topics, each once, in grid order; the float32 operations are NumPy's.
    one = np.float32(1.0)
    days = services = service_days = 0
    for r in rows:
        age = day - raised[r]
        days += age
        if kind[r] == SERVICE:
            services += 1
            service_days += age
    if gain > 0:
        now = trust[household[rows]]
        for k in range(rows.size):
            trust[household[rows[k]]] = now[k] + gain * (one - now[k])
        if spill > 0:
            shared = np.zeros(grid_start.size - 1, dtype=np.bool_)
            for r in rows:
                if kind[r] == PUBLIC:
                    shared[grid[household[r]]] = True
            for g in range(shared.size):
                if shared[g]:
                    for i in range(grid_start[g], grid_start[g + 1]):
                        trust[i] = trust[i] + spill * (one - trust[i])
    for r in rows:  # closed, as ``_close`` does
        open_issues[household[r]] -= 1
        channel[r] = CLOSED
    return days, services, service_days


def fade(world: World, rows: np.ndarray) -> None:
    """Close issues that faded unhandled (the parties made up, the need passed): counted on
    their own, not as resolved, and nobody gains trust."""
    if rows.size == 0:
        return
    world.ledger.add("faded", rows.size)
    _close(world, rows, world.issues.household[rows])


def escalate(world: World, rows: np.ndarray) -> None:
    """Close issues as escalated beyond the grassroots (越级上访).

    Each of ``world.on_escalate`` is called first with the rows (the issues are still
    readable then); the ledger counts escalations in total and by community.
    """
    if rows.size == 0:
        return
    for listener in world.on_escalate:
        listener(rows)
    who = world.issues.household[rows]
    world.ledger.add("escalated", rows.size)
    world.ledger.add_by_community("escalated", world.layout.community[who])
    integrity.escalated(world, who)
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
    integrity.sanctioned(world, violator)
    resolve(world, rows, b.routine_trust_weight)


def refer(world: World, rows: np.ndarray, channel: int) -> None:
    """Pass issues to another channel (a ``Channel`` code): delayed, and lost unless
    coordination is high."""
    if rows.size == 0:
        return
    b, pool = world.params.behaviour, world.issues
    coordination = world.coordination
    if isinstance(coordination, np.ndarray):  # scoped: each issue's community's own
        coordination = coordination[world.layout.community[pool.household[rows]]]
    gap = 1 - coordination
    lost = world.rng.random(rows.size) < b.referral_loss * gap
    world.ledger.add("referrals", rows.size)
    world.ledger.add("referrals_lost", np.count_nonzero(lost))
    dropped = rows[lost]
    pool.channel[dropped] = UNREPORTED
    world.households.nudge("trust", pool.household[dropped], b.trust_loss, 0.0)
    moved = rows[~lost]
    pool.channel[moved] = channel
    if isinstance(gap, np.ndarray):
        # np.rint rounds half to even, as round() does for the scalar.
        pool.ready[moved] = world.day + np.rint(b.referral_delay_days * gap[~lost]).astype(np.int64)
    else:
        pool.ready[moved] = world.day + round(b.referral_delay_days * gap)


def refer_to_social(world: World, rows: np.ndarray, retry_days: int) -> None:
    """Refer service requests to the social organisation serving each household, where it
    has capacity today and the household accepts: it refuses with
    ``credibility_referral x (1 - credibility)``. The rest stay, to be taken up again in
    ``retry_days``."""
    if rows.size == 0:
        return
    who = world.issues.household[rows]
    social = world.social
    open_desk = social.can_take(who)
    refusal = world.params.behaviour.credibility_referral * (1 - social.credibility_of(who))
    accepted = open_desk & (world.rng.random(rows.size) >= refusal)
    world.ledger.add("referrals_refused", np.count_nonzero(open_desk & ~accepted))
    refer(world, rows[accepted], SOCIAL)
    retry(world, rows[~accepted], retry_days)


def retry(world: World, rows: np.ndarray, days: int) -> None:
    """Keep issues in their channel, to be taken up again in ``days`` days."""
    world.issues.ready[rows] = world.day + days


def draw_patience(world: World, households: np.ndarray) -> np.ndarray:
    """Days until each household's patience runs out; trusting households wait longer."""
    scale = world.params.behaviour.patience_days * (0.5 + world.households.trust[households])
    # The draws of rng.exponential(scale), which is scale x a standard exponential draw, in
    # the same order; its checks of an array of scales cost ten times the draws.
    waited = scale * world.rng.standard_exponential(scale.size)
    return np.ceil(waited).astype(np.int32) + 1


def pair_mean(world: World, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over both parties of issues (the household alone if none)."""
    a = world.issues.household[rows]
    c = world.issues.counterpart[rows]
    c = np.where(c >= 0, c, a)
    return 0.5 * (values[a] + values[c])


def pair_norm(world: World, rows: np.ndarray) -> np.ndarray:
    """The parties' mean norm (ODD 7.6, 7.6a: mediation)."""
    return pair_mean(world, world.households.norm, rows)


def _close(world: World, rows: np.ndarray, who: np.ndarray) -> None:
    np.subtract.at(world.households.open_issues, who, 1)
    world.issues.close(rows)
