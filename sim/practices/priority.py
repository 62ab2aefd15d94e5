"""ODD 7.6, 7.6a: the order of the grid's and the community office's queues when practices
give priority: oldest first by the day raised, moved earlier by integrity points (7.20) and
by preferential credit (7.21). With both off it is the day raised, as without practices."""

from __future__ import annotations

import numpy as np

from ..world import World


def queue_key(world: World, rows: np.ndarray) -> np.ndarray:
    """The day by which issues ``rows`` are ordered: ``raised`` less
    ``integrity_priority_days x standing`` (integrity points) and less
    ``preferential_priority_days`` for a household with preferential credit (redemption)."""
    raised = world.issues.raised[rows]
    m = world.params.moral
    by_points = m.integrity_points and m.integrity_priority_days > 0
    by_credit = m.moral_bank and m.redemption and m.preferential_priority_days > 0
    if not (by_points or by_credit):
        return raised
    who = world.issues.household[rows]
    key = raised.astype(np.float64)
    h = world.households
    if by_points:
        key -= m.integrity_priority_days * h.integrity[who].astype(np.float64)
    if by_credit:
        key -= m.preferential_priority_days * h.preferred[who]
    return key
