"""ODD 7.20: integrity points (诚信积分) for keeping the resident rules.

Every household starts with full points (standing 1). A sanctioned violation and an
escalation beyond the grassroots cost points; a month of keeping the rules restores some.
The standing is public (image scoring): it is at stake when a household weighs a violation,
its loss is published and moves the household's norm, and it gives priority in the grid's
and the community office's queues (``priority.py``). Separate from the moral bank (7.13),
which pays for volunteering. With ``moral.integrity_points`` off nothing here draws or
changes anything.
"""

from __future__ import annotations

import numpy as np

from ..world import World


def deduct(world: World, households: np.ndarray, cost: float) -> None:
    """Take ``cost`` (a share of full points) from each of ``households``, once per event
    (a household listed twice loses twice), never below 0."""
    if households.size == 0:
        return
    h = world.households
    np.subtract.at(h.integrity, households, np.float32(cost))
    np.maximum(h.integrity, 0.0, out=h.integrity)  # cheap next to the events' own work
    world.ledger.add("integrity_deductions", households.size)


def sanctioned(world: World, violators: np.ndarray) -> None:
    """ODD 7.0 enforce: a sanction costs the violator points."""
    m = world.params.moral
    if m.integrity_points:
        deduct(world, violators, m.integrity_sanction_cost)


def escalated(world: World, households: np.ndarray) -> None:
    """ODD 7.0 escalate: going over the grassroots' heads costs the raiser points."""
    m = world.params.moral
    if m.integrity_points:
        deduct(world, households, m.integrity_escalation_cost)


def stake(world: World, violators: np.ndarray) -> np.ndarray | float:
    """The standing each would-be violator has at stake (7.1): 0 when points are off."""
    m = world.params.moral
    if not m.integrity_points:
        return 0.0
    return m.integrity_stake * world.households.integrity[violators]


def review(world: World) -> None:
    """ODD 7.20, monthly: the points are published; a household that lost points moves its
    norm toward 1 in proportion to what it lost, then a month's restoration is added."""
    m = world.params.moral
    month = world.params.behaviour.board_interval_days  # the boards' month
    if not m.integrity_points or world.day % month != month - 1:
        return
    h = world.households
    lost = np.flatnonzero(h.integrity < 1.0)
    if lost.size == 0:
        return
    shortfall = 1.0 - h.integrity[lost]
    h.norm[lost] += np.float32(m.integrity_norm_gain) * shortfall * (1.0 - h.norm[lost])
    restored = np.float32(month / m.integrity_recovery_days)
    h.integrity[lost] = np.minimum(1.0, h.integrity[lost] + restored)
