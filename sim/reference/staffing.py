"""Grid teams and community offices, staffed and spread again by need (ODD 2.3, 2.3a,
2.4a), per agent. A mixin of :class:`ReferenceModel`.

How many staff each unit has is structure, like the layout: the reference takes it from
``sim.staffing`` (the policy's counts, the overrides, the need rule) and builds its own
agents from it; the work the agents do, and the grid leaders' time, are its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..issues import Channel
from ..layout import Assignment, Layout
from ..params import Parameters
from ..staffing import Plan, community_plan, grid_plan, resolve_overrides
from .staff import CommunityOffice, GridTeam

if TYPE_CHECKING:
    from .households import Household


class StaffBuilder:
    """Builds and rebuilds the model's grid teams and community offices."""

    params: Parameters
    layout: Layout
    residents: list[Household]
    disable: frozenset[str]
    move: Callable[..., None]  # IssueLifecycle.move

    def _build_grid_and_community_staff(self) -> None:
        self._plan_staff()
        self.n_workers = self.grid_plan.total
        self.n_community_staff = self.community_plan.total
        self.office_list: list[CommunityOffice] = []
        self.grid_team_list: list[GridTeam] = []
        self._staff_offices(self.community_plan.counts)
        self._staff_grids(self.grid_plan.counts)

    def _plan_staff(self) -> None:
        """The staffing plans, and the grids' police and helpers, from the parameters."""
        p, layout = self.params, self.layout
        st = p.staffing
        overrides = resolve_overrides(st.overrides, layout)
        # 1+3+N: the police officer and the helpers of each grid (2.3).
        police, helpers = overrides.police_per_grid, overrides.helpers_per_grid
        self.police = np.where(police >= 0, police, st.police_per_grid).tolist()
        self.helpers = np.where(helpers >= 0, helpers, st.helpers_per_grid).tolist()
        self.grid_plan: Plan = grid_plan(p, layout, overrides)
        self.community_plan: Plan = community_plan(p, layout, overrides)
        self.community_available = (
            self.community_plan.total > 0 and st.community_staff_cases_per_day > 0
        )

    def restaff(self) -> None:
        """Mid-run hiring or leaving (docs/timeline.md): offices and teams are formed again
        from the new plans, by need under need allocation, as a revision would."""
        self.n_workers = self.grid_plan.total
        self.n_community_staff = self.community_plan.total
        if self.params.staffing.allocation == "need":
            self.reallocate()
        else:
            self._staff_offices(self.community_plan.counts)
            self._staff_grids(self.grid_plan.counts)

    def _staff_offices(self, counts: np.ndarray) -> None:
        """One office per staffed community; a community without staff joins the one
        before it (2.4a). Their waiting issues move to the new offices."""
        layout = self.layout
        assignment = Assignment.from_counts(counts)
        waiting = [issue for office in self.office_list for issue in office.queue]
        for office in self.office_list:
            office.remove()
        offices = []
        for t, staff in enumerate(assignment.staff_per_team):
            communities = np.flatnonzero(assignment.team_of_unit == t).tolist()
            grids = sum(int(layout.grids_per_community[k]) for k in communities)
            offices.append(CommunityOffice(self, float(staff), communities, grids))
        self.office_list, self.office_assignment = offices, assignment
        self.leader_time_of_grid = [0.0] * layout.n_grids
        for office in offices:
            for k in office.communities:
                for g in np.flatnonzero(layout.community_of_grid == k):
                    self.leader_time_of_grid[g] = office.leader_time
        for h in self.residents:
            h.office = offices[assignment.team_of_unit[h.community]] if offices else None
        for issue in waiting:
            self.move(issue, Channel.COMMUNITY, issue.ready)

    def _staff_grids(self, counts: np.ndarray) -> None:
        """One team per staffed grid; a grid without workers joins the team before it
        (2.3). A grid keeps its old team's burnout and workload; issues move along."""
        assignment = Assignment.from_counts(counts)
        old = self.grid_team_list
        old_team = [old[t] for t in self.grid_assignment.team_of_unit] if old else []
        beat = [issue for team in old for issue in team.beat]
        queue = [issue for team in old for issue in team.queue]
        for team in old:
            team.remove()
        teams = []
        for t, staff in enumerate(assignment.staff_per_team):
            grids = np.flatnonzero(assignment.team_of_unit == t).tolist()
            leaders = sum(self.leader_time_of_grid[g] for g in grids)
            team = GridTeam(self, float(staff), grids, leaders)
            if old_team:
                team.burnout = sum(old_team[g].burnout for g in grids) / len(grids)
                team.workload = sum(old_team[g].workload for g in grids) / len(grids)
            teams.append(team)
        self.grid_team_list, self.grid_assignment = teams, assignment
        for h in self.residents:
            h.grid_team = teams[assignment.team_of_unit[h.grid]]
        for issue in beat:
            self.move(issue, Channel.UNREPORTED, issue.ready)
        for issue in queue:
            self.move(issue, Channel.GRID, issue.ready)

    def reallocate(self) -> None:
        """2.3a: staff not fixed by an override are spread again by households and backlog:
        community staff by the cases waiting at each office, then grid workers by the
        cases on each grid's desk."""
        layout = self.layout
        at_office = np.zeros(layout.n_communities)
        for office in self.office_list:
            for issue in office.queue:
                at_office[issue.household.community] += 1
        self._staff_offices(self.community_plan.by_need(at_office))
        on_desk = np.zeros(layout.n_grids)
        for team in self.grid_team_list:
            for issue in team.queue:
                on_desk[issue.household.grid] += 1
        self._staff_grids(self.grid_plan.by_need(on_desk))
