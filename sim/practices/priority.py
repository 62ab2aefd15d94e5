"""ODD 7.6, 7.6a: the order of the grid's and the community office's queues when practices
give priority: oldest first by the day raised, moved earlier by integrity points (7.20) and
by preferential credit (7.21). With both off it is the day raised, as without practices.
The grid's desk may also serve one kind of case first (``staffing.serve_first``)."""

from __future__ import annotations

import numpy as np

from ..issues import DISPUTE, SERVICE
from ..world import World

# Earlier than any day raised or priority shift: a kind served first comes before the rest.
FIRST = 1e6
SERVED_FIRST = {"disputes": DISPUTE, "services": SERVICE}


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


def grid_key(world: World, rows: np.ndarray) -> np.ndarray:
    """The grid desk's order (ODD 7.6): :func:`queue_key`, with the kind the issue's grid
    serves first (``staffing.serve_first``, scoped to grids) before every other kind."""
    key = queue_key(world, rows)
    local = world.local_array("staffing.serve_first")
    choice = world.params.staffing.serve_first
    if local is None and choice == "oldest":
        return key
    kind = world.issues.kind[rows]
    if local is None:
        first = kind == SERVED_FIRST[choice]
    else:  # per grid, the kind it serves first (-1, no kind, for "oldest")
        code = np.array([SERVED_FIRST.get(name, -1) for name in local])
        first = kind == code[world.layout.grid[world.issues.household[rows]]]
    return key - FIRST * first
