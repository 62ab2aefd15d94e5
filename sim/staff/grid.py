"""Grid workers (网格员): patrols, first-line mediation, referral, workload and burnout."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..issues import AGENDA, DISPUTE, GRID, LEGAL, PUBLIC, SERVICE, SOCIAL, UNREPORTED, VIOLATION
from ..layout import Assignment
from ..queues import take_oldest

if TYPE_CHECKING:
    from ..model import GovernanceModel

RETRY_DAYS = 7
# A dispute that failed mediation has shown itself to be hard: each failed attempt halves
# the grid worker's chance with it next time (selection of hard cases, not fatigue).
REPEAT_FACTOR = 0.5
WORKLOAD_DAYS = 14  # burnout follows sustained pressure, not one busy day


class GridTeams:
    """All grid workers, pooled into one team per grid (or per block of grids when short)."""

    def __init__(self, model: GovernanceModel) -> None:
        layout, staffing = model.layout, model.params.staffing
        n_workers = max(1, round(layout.n_households / staffing.households_per_grid_worker))
        self.assignment = Assignment.spread(layout.n_grids, n_workers)
        self.n_workers = n_workers
        n_teams = self.assignment.n_teams
        self.burnout = np.zeros(n_teams)
        self.utilisation = np.zeros(n_teams)
        self.workload = np.zeros(n_teams)  # queued cases per full day of capacity (2-week mean)
        grids_per_team = np.bincount(self.assignment.team_of_unit, minlength=n_teams)
        self.coverage = np.minimum(1.0, self.assignment.staff_per_team / grids_per_team)

    def team_of(self, model: GovernanceModel, households: np.ndarray) -> np.ndarray:
        return self.assignment.team_of_unit[model.layout.grid[households]]

    def capacity(self, model: GovernanceModel) -> np.ndarray:
        """Cases per day each team can take up after admin tasks and burnout."""
        st = model.params.staffing
        free = st.grid_worker_cases_per_day * (1 - st.admin_load)
        return self.assignment.staff_per_team * free * (1 - 0.5 * self.burnout)

    def patrol(self, model: GovernanceModel) -> None:
        """Patrols discover unreported issues and put them in the grid queue."""
        pool = model.issues
        rows = pool.in_channel(UNREPORTED)
        team = self.team_of(model, pool.household[rows])
        p = (
            model.params.behaviour.patrol_discovery
            * (1 - model.params.staffing.admin_load)
            * self.coverage[team]
            * (1 - 0.5 * self.burnout[team])
        )
        found = rows[model.rng.random(rows.size) < p]
        pool.channel[found] = GRID
        pool.ready[found] = model.day

    def step(self, model: GovernanceModel) -> None:
        """Work the queues oldest first within capacity; mediate, enforce, or refer on."""
        pool, b, rng, day = model.issues, model.params.behaviour, model.rng, model.day
        rows = pool.in_channel(GRID, day)
        team = self.team_of(model, pool.household[rows])
        capacity = self.capacity(model)
        worked = rows[take_oldest(team, pool.raised[rows], capacity, rng)]
        # Pressure counts every case on the desk, including those waiting for a retry.
        desk = self.team_of(model, pool.household[pool.in_channel(GRID)])
        queued = np.bincount(desk, minlength=len(capacity))
        handled = np.bincount(self.team_of(model, pool.household[worked]), minlength=len(capacity))
        self._update_workload(model, queued, handled, capacity)

        kind = pool.kind[worked]
        u = rng.random(worked.size)
        disputes = worked[kind == DISPUTE]
        model.ledger.add("mediations", disputes.size)
        hardness = REPEAT_FACTOR ** pool.attempts[disputes]
        p_mediate = b.grid_mediation_success * (0.5 + 0.5 * model.pair_norm(disputes)) * hardness
        ok = u[kind == DISPUTE] < p_mediate
        pool.attempts[disputes] = np.minimum(pool.attempts[disputes] + 1, 100)
        model.resolve(disputes[ok], trust_gain=1.0)
        if model.legal.available:
            model.refer(disputes[~ok], LEGAL)
        else:
            model.retry(disputes[~ok], RETRY_DAYS)

        # Service requests: simple help on the spot, the rest to a social organisation.
        service = worked[kind == SERVICE]
        ok = u[kind == SERVICE] < b.grid_service_success
        model.resolve(service[ok], trust_gain=1.0)
        service = service[~ok]
        to_social = model.social.can_take(model, pool.household[service])
        model.refer(service[to_social], SOCIAL)
        model.retry(service[~to_social], RETRY_DAYS)

        violations = worked[kind == VIOLATION]
        ok = u[kind == VIOLATION] < b.enforcement_success
        model.enforce(violations[ok])
        model.retry(violations[~ok], RETRY_DAYS)

        public = worked[kind == PUBLIC]
        ok = u[kind == PUBLIC] < b.public_grid_success
        model.resolve(public[ok], trust_gain=1.0)
        if model.councils.available:
            model.refer(public[~ok], AGENDA)
        else:
            model.retry(public[~ok], 2 * RETRY_DAYS)

    def _update_workload(
        self, model: GovernanceModel, queued: np.ndarray, handled: np.ndarray, capacity: np.ndarray
    ) -> None:
        st, b = model.params.staffing, model.params.behaviour
        full = np.maximum(self.assignment.staff_per_team * st.grid_worker_cases_per_day, 1e-9)
        case_time = (1 - st.admin_load) * np.minimum(1.0, handled / np.maximum(capacity, 1e-9))
        self.utilisation = st.admin_load + case_time
        self.workload += (queued / full - self.workload) / WORKLOAD_DAYS
        pressure = st.admin_load + (1 - st.admin_load) * self.workload
        over = pressure - b.burnout_threshold
        self.burnout += np.where(
            over > 0, b.burnout_rate * over, -b.burnout_recovery * self.burnout
        )
        np.clip(self.burnout, 0.0, 1.0, out=self.burnout)
