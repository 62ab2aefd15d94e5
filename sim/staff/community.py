"""ODD 2.4a and 7.6a. Community staff (社区工作人员): the community office that takes
residents' requests and the administrative tasks sent down, and refers on; its cadres lead
the grids part-time (网格长, the "1" of 1+3+N)."""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import AGENDA, COMMUNITY, DISPUTE, GRID, LEGAL, PUBLIC, SERVICE, VIOLATION
from ..layout import Assignment
from ..practices import priority
from ..queues import take_oldest
from ..staffing import community_plan
from ..world import World


class CommunityStaff:
    """Community staff pooled by community; a community without staff of its own is served
    by the staffed community before it (ODD 2.4a)."""

    def __init__(self, model: World) -> None:
        self.model = model
        params = model.params
        st = params.staffing
        self.plan = community_plan(params, model.layout, model.overrides)
        self.n_staff = self.plan.total
        self.admin_load = st.community_admin_load * (1 - st.task_entry_list)
        self._assign(Assignment.from_counts(self.plan.counts))

    def configure(self, restaff: bool) -> None:
        """The parameters changed mid-run (``GovernanceModel.apply``): the admin load and the
        plan follow; with ``restaff``, staff are hired or leave and the offices are formed
        again (by need under need allocation, as a revision would)."""
        model, st = self.model, self.model.params.staffing
        self.admin_load = st.community_admin_load * (1 - st.task_entry_list)
        self.plan = community_plan(model.params, model.layout, model.overrides)
        if restaff:
            self.n_staff = self.plan.total
            if st.allocation == "need":
                self.reallocate()
            else:
                self._assign(Assignment.from_counts(self.plan.counts))

    def _assign(self, assignment: Assignment) -> None:
        layout, st = self.model.layout, self.model.params.staffing
        self.assignment = assignment
        n_teams = assignment.n_teams
        self.utilisation = np.zeros(n_teams)
        self.cases = np.zeros(n_teams)  # cases worked so far, per team
        staff = assignment.staff_per_team
        grids = np.bincount(
            assignment.team_of_unit[assignment.team_of_unit >= 0],
            weights=layout.grids_per_community[assignment.team_of_unit >= 0],
            minlength=n_teams,
        )
        # Each grid's leader is one of its community's staff while there are enough of
        # them; with fewer staff than grids, leaders are shared (网格长配备不足).
        presence = np.minimum(1.0, staff / np.maximum(grids, 1))
        team_of_grid = assignment.team_of_unit[layout.community_of_grid]
        if n_teams:
            self.leader_time = st.grid_leader_time * presence[team_of_grid]
        else:
            self.leader_time = np.zeros(layout.n_grids)
        # Worker-equivalents left for the office once the leaders' grid time is taken out.
        self.effective_staff = staff - st.grid_leader_time * np.minimum(staff, grids)

    @property
    def available(self) -> bool:
        """Whether residents can take issues to a community office at all."""
        return self.n_staff > 0 and self.model.params.staffing.community_staff_cases_per_day > 0

    def team_of(self, households: np.ndarray) -> np.ndarray:
        return self.assignment.team_of_unit[self.model.layout.community[households]]

    def capacity(self) -> np.ndarray:
        """Residents' cases per day each team can take up after the tasks sent down."""
        per_day = self.model.params.staffing.community_staff_cases_per_day
        return self.effective_staff * per_day * (1 - self.admin_load)

    def reallocate(self) -> None:
        """ODD 2.3a: community staff not fixed by an override are spread again by
        households and backlog (the cases waiting at each office)."""
        model = self.model
        pool, layout = model.issues, model.layout
        backlog = np.bincount(
            layout.community[pool.household[pool.channel == COMMUNITY]],
            minlength=layout.n_communities,
        )
        self._assign(Assignment.from_counts(self.plan.by_need(backlog)))

    def step(self) -> None:
        """ODD 7.6a: serve requests, mediate disputes, and refer on (to social
        organisations, legal advisors, the grid, the council agenda)."""
        if not self.available:
            return
        model = self.model
        pool, b, rng = model.issues, model.params.behaviour, model.rng
        rows = pool.in_channel(COMMUNITY, model.day)
        team = self.team_of(pool.household[rows])
        capacity = self.capacity()
        worked = rows[take_oldest(team, priority.queue_key(model, rows), capacity, rng)]
        handled = np.bincount(self.team_of(pool.household[worked]), minlength=capacity.size)
        self.cases += handled
        case_time = (1 - self.admin_load) * np.minimum(1.0, handled / np.maximum(capacity, 1e-9))
        self.utilisation = self.admin_load + case_time

        kind = pool.kind[worked]
        u = rng.random(worked.size)
        service = worked[kind == SERVICE]
        ok = u[kind == SERVICE] < b.community_service_success
        lifecycle.resolve(model, service[ok], b.routine_trust_weight)
        lifecycle.refer_to_social(model, service[~ok], b.community_retry_days)

        # People's mediation at the community; what it cannot settle goes to the
        # community's legal advisor, or to the grid where there is none.
        disputes = worked[kind == DISPUTE]
        model.ledger.add("mediations", disputes.size)
        parties = lifecycle.pair_norm(model, disputes)
        ok = u[kind == DISPUTE] < b.community_mediation_success * (0.5 + 0.5 * parties)
        lifecycle.resolve(model, disputes[ok], b.routine_trust_weight)
        lifecycle.refer(model, disputes[~ok], LEGAL if model.legal.available else GRID)

        # Violations are the grid team's (police, enforcement); public topics the council's.
        lifecycle.refer(model, worked[kind == VIOLATION], GRID)
        lifecycle.refer(model, worked[kind == PUBLIC], AGENDA if model.councils.available else GRID)
