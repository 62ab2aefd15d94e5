"""ODD 2.3, 7.5 and 7.6. Grid workers (网格员): patrols, first-line mediation, referral,
workload and burnout."""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import AGENDA, DISPUTE, GRID, LEGAL, PUBLIC, SERVICE, SOCIAL, UNREPORTED, VIOLATION
from ..layout import Assignment, Layout
from ..params import Parameters
from ..queues import take_oldest
from ..world import World

RETRY_DAYS = 7  # ODD 7.6
# ODD 7.6: a dispute that failed mediation has shown itself to be hard: each failed attempt
# halves the grid worker's chance with it next time (selection of hard cases, not fatigue).
REPEAT_FACTOR = 0.5
WORKLOAD_DAYS = 14  # ODD 7.6: burnout follows sustained pressure, not one busy day
BURNOUT_SLOWDOWN = 0.5  # ODD 7.5, 7.6: share of capacity and patrols lost at full burnout


class GridTeams:
    """All grid workers, pooled into one team per grid (or per block of grids when short)."""

    def __init__(self, model: World) -> None:
        self.model = model
        self.n_workers = self.count_from(model.params, model.layout)
        self.assignment = Assignment.spread(model.layout.n_grids, self.n_workers)
        n_teams = self.assignment.n_teams
        self.burnout = np.zeros(n_teams)
        self.utilisation = np.zeros(n_teams)
        self.workload = np.zeros(n_teams)  # queued cases per full day of capacity (2-week mean)
        grids_per_team = np.bincount(self.assignment.team_of_unit, minlength=n_teams)
        self._staff_per_grid = self.assignment.staff_per_team / grids_per_team  # per team
        # A team thinner than one worker per grid patrols each of its grids part of the time.
        self.coverage = np.minimum(1.0, self._staff_per_grid)

    @staticmethod
    def count_from(params: Parameters, layout: Layout) -> int:
        """Grid workers of a run (ODD 2.3): at least one, however large the grids."""
        return max(1, round(layout.n_households / params.staffing.households_per_grid_worker))

    def workers_per_grid(self) -> np.ndarray:
        """Grid-worker staffing of each grid: 2 when a team of two serves one grid, 0.5 when
        one worker serves two. ``coverage`` is this capped at 1, per team."""
        return self._staff_per_grid[self.assignment.team_of_unit]

    def team_of(self, households: np.ndarray) -> np.ndarray:
        return self.assignment.team_of_unit[self.model.layout.grid[households]]

    def capacity(self) -> np.ndarray:
        """Cases per day each team can take up after admin tasks and burnout."""
        st = self.model.params.staffing
        free = st.grid_worker_cases_per_day * (1 - st.admin_load)
        return self.assignment.staff_per_team * free * (1 - BURNOUT_SLOWDOWN * self.burnout)

    def patrol(self) -> None:
        """ODD 7.5: patrols discover unreported issues and put them in the grid queue."""
        model = self.model
        pool = model.issues
        rows = pool.in_channel(UNREPORTED)
        team = self.team_of(pool.household[rows])
        p = (
            model.params.behaviour.patrol_discovery
            * (1 - model.params.staffing.admin_load)
            * self.coverage[team]
            * (1 - BURNOUT_SLOWDOWN * self.burnout[team])
        )
        found = rows[model.rng.random(rows.size) < p]
        pool.channel[found] = GRID
        pool.ready[found] = model.day

    def step(self) -> None:
        """ODD 7.6: work the queues oldest first within capacity; mediate, enforce, or refer."""
        model = self.model
        pool, b, rng, day = model.issues, model.params.behaviour, model.rng, model.day
        rows = pool.in_channel(GRID, day)
        team = self.team_of(pool.household[rows])
        capacity = self.capacity()
        worked = rows[take_oldest(team, pool.raised[rows], capacity, rng)]
        # Pressure counts every case on the desk, including those waiting for a retry.
        desk = self.team_of(pool.household[pool.in_channel(GRID)])
        queued = np.bincount(desk, minlength=len(capacity))
        handled = np.bincount(self.team_of(pool.household[worked]), minlength=len(capacity))
        self._update_workload(queued, handled, capacity)

        kind = pool.kind[worked]
        u = rng.random(worked.size)
        disputes = worked[kind == DISPUTE]
        model.ledger.add("mediations", disputes.size)
        hardness = REPEAT_FACTOR ** pool.attempts[disputes]
        parties = lifecycle.pair_norm(model, disputes)
        p_mediate = b.grid_mediation_success * (0.5 + 0.5 * parties) * hardness
        ok = u[kind == DISPUTE] < p_mediate
        pool.attempts[disputes] = np.minimum(pool.attempts[disputes] + 1, 100)
        lifecycle.resolve(model, disputes[ok], lifecycle.ROUTINE_TRUST_WEIGHT)
        if model.legal.available:
            lifecycle.refer(model, disputes[~ok], LEGAL)
        else:
            lifecycle.retry(model, disputes[~ok], RETRY_DAYS)

        # Service requests: simple help on the spot, the rest to a social organisation.
        service = worked[kind == SERVICE]
        ok = u[kind == SERVICE] < b.grid_service_success
        lifecycle.resolve(model, service[ok], lifecycle.ROUTINE_TRUST_WEIGHT)
        service = service[~ok]
        to_social = model.social.can_take(pool.household[service])
        lifecycle.refer(model, service[to_social], SOCIAL)
        lifecycle.retry(model, service[~to_social], RETRY_DAYS)

        violations = worked[kind == VIOLATION]
        ok = u[kind == VIOLATION] < b.enforcement_success
        lifecycle.enforce(model, violations[ok])
        lifecycle.retry(model, violations[~ok], RETRY_DAYS)

        public = worked[kind == PUBLIC]
        ok = u[kind == PUBLIC] < b.public_grid_success
        lifecycle.resolve(model, public[ok], lifecycle.ROUTINE_TRUST_WEIGHT)
        if model.councils.available:
            lifecycle.refer(model, public[~ok], AGENDA)
        else:
            lifecycle.retry(model, public[~ok], 2 * RETRY_DAYS)

    def _update_workload(
        self, queued: np.ndarray, handled: np.ndarray, capacity: np.ndarray
    ) -> None:
        st, b = self.model.params.staffing, self.model.params.behaviour
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
