"""ODD 2.6 and 7.9. Party branches (党组织): weekly leadership visits that take up stuck
cases (三下沉)."""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import AGENDA, COMMUNITY, GRID, LEGAL, SOCIAL, UNREPORTED, Channel
from ..queues import take_oldest
from ..world import World

# ODD 7.9: channels whose issues a leadership visit can take up (not NEW, COURT or CLOSED).
STUCK = np.zeros(len(Channel), dtype=bool)
STUCK[[UNREPORTED, GRID, COMMUNITY, LEGAL, SOCIAL, AGENDA]] = True


class PartyBranches:
    """One branch per grid ("one grid, one organisation") or per community."""

    def __init__(self, model: World) -> None:
        self.model = model
        layout = model.layout
        self.level = model.params.staffing.party_branch_level
        self.unit = layout.grid if self.level == "grid" else layout.community
        self.n_branches = layout.n_grids if self.level == "grid" else layout.n_communities
        self.visits = np.zeros(self.n_branches)

    def step(self) -> None:
        """ODD 7.9: branches visit on their weekday; each takes up its oldest stuck cases."""
        model = self.model
        fusion, pool = model.params.fusion, model.issues
        weekly = fusion.party_visit_cases_per_week * fusion.party_leadership
        local = model.local_array("fusion.party_visit_cases_per_week")
        if local is not None:  # scoped: each branch its community's (grid branches too)
            if self.level == "grid":
                local = local[model.layout.community_of_grid]
            weekly = local * fusion.party_leadership
            if not (weekly > 0).any():
                return
        elif weekly <= 0:
            return
        stuck = STUCK[pool.channel] & (pool.raised <= model.day - fusion.stuck_days)
        rows = np.flatnonzero(stuck)
        branch = self.unit[pool.household[rows]]
        visiting = branch % 7 == model.day % 7
        rows, branch = rows[visiting], branch[visiting]
        capacity = np.full(self.n_branches, weekly) if local is None else weekly
        worked = rows[take_oldest(branch, pool.raised[rows], capacity, model.rng)]
        model.ledger.add("party_visits", worked.size)
        self.visits += np.bincount(self.unit[pool.household[worked]], minlength=self.n_branches)
        b = model.params.behaviour
        ok = model.rng.random(worked.size) < b.party_visit_success
        lifecycle.resolve(model, worked[ok], b.leadership_trust_weight)
