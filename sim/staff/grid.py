"""ODD 2.3, 7.2, 7.5 and 7.6. The grid team (网格, "1+3+N"): full-time grid workers (网格员)
with the grid leader's share of time, the grid police officer and the N helpers; patrols,
first-line mediation, referral, workload and burnout."""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import AGENDA, DISPUTE, GRID, LEGAL, PUBLIC, SERVICE, UNREPORTED, VIOLATION
from ..layout import Assignment
from ..practices import priority
from ..queues import take_oldest
from ..staffing import grid_plan, per_grid
from ..world import World


class GridTeams:
    """All grid workers, pooled into one team per staffed grid; a grid without a worker of
    its own is served by the team before it (ODD 2.3)."""

    def __init__(self, model: World) -> None:
        self.model = model
        layout = model.layout
        self._configure()
        self.n_workers = self.plan.total
        self.leader_time = np.zeros(layout.n_grids)  # the "1": set by the community staff
        self._assign(Assignment.from_counts(self.plan.counts))
        n_teams = self.assignment.n_teams
        self.burnout = np.zeros(n_teams)
        self.utilisation = np.zeros(n_teams)
        self.workload = np.zeros(n_teams)  # queued cases per full day of capacity (2-week mean)

    def _configure(self) -> None:
        """What the team derives from the parameters: admin load, the 1+3+N's police and
        helpers per grid, on-the-spot detection, helpers' discovery and reporting."""
        model = self.model
        params = model.params
        st, b, law = params.staffing, params.behaviour, params.rule_of_law
        self.plan = grid_plan(params, model.layout, model.overrides)
        self.admin_load = st.admin_load * (1 - st.task_entry_list)
        # Scoped to grids (sim/scoped.py): each grid's own, and each team's the mean of
        # its grids'; None (the scalar above everywhere) when no grid has its own.
        local = model.local_array("staffing.admin_load")
        self._admin_grid = None if local is None else local * (1 - st.task_entry_list)
        # Patrol time (the grid worker's split, ODD 7.5-7.6): patrols find more with it, and
        # the desk keeps (1 - t q) / (1 - q) of its case time, exactly 1 at the usual t = 1.
        self._patrol_grid = model.local_array("staffing.patrol_time")
        self.desk_time = _desk_time(st.patrol_time, st.usual_patrol_share)
        if hasattr(self, "assignment"):
            self._team_admin()
        # The "3" and the "N" of 1+3+N, per grid: police presence adds to on-the-spot
        # detection (ODD 7.2); each helper may notice an unreported issue (7.5) and makes
        # reporting to the grid likelier (7.4).
        self.police = per_grid(st.police_per_grid, model.overrides.police_per_grid)
        self.helpers = per_grid(st.helpers_per_grid, model.overrides.helpers_per_grid)
        self.detection = 1 - (1 - law.detection_probability) * (
            1 - law.police_detection * self.police
        )
        self.helper_miss = (1 - b.helper_discovery) ** self.helpers
        self.reporting = 1 + b.helper_reporting * self.helpers

    def configure(self, leader_time: np.ndarray, restaff: bool) -> None:
        """The parameters changed mid-run (``GovernanceModel.apply``); with ``restaff``,
        grid workers are hired or leave and the teams are formed again with the leaders'
        new time (by need under need allocation, as a revision would)."""
        self._configure()
        if restaff:
            self.n_workers = self.plan.total
            if self.model.params.staffing.allocation == "need":
                self.reallocate(leader_time)
            else:
                self._restaff(self.plan.counts, leader_time)

    def _assign(self, assignment: Assignment) -> None:
        self.assignment = assignment
        self._grids_per_team = assignment.units_per_team()
        self._refresh()

    def _team_admin(self) -> None:
        """A team serving several grids carries their mean admin load and desk time."""
        st = self.model.params.staffing
        a = self.assignment
        if self._patrol_grid is not None and a.n_teams > 0:
            own = _desk_time(self._patrol_grid, st.usual_patrol_share)
            total = np.bincount(a.team_of_unit, weights=own, minlength=a.n_teams)
            self.desk_time = total / self._grids_per_team
        if self._admin_grid is None:
            return
        if a.n_teams == 0:
            self.admin_load = st.admin_load * (1 - st.task_entry_list)
            return
        total = np.bincount(a.team_of_unit, weights=self._admin_grid, minlength=a.n_teams)
        self.admin_load = total / self._grids_per_team

    def _refresh(self) -> None:
        self._team_admin()
        a = self.assignment
        leaders = np.bincount(a.team_of_unit, weights=self.leader_time, minlength=a.n_teams)
        # Worker-equivalents per team: its grid workers and its grid leaders' time.
        self.effective_staff = a.staff_per_team + leaders
        self._staff_per_grid = self.effective_staff / self._grids_per_team
        # A team thinner than one worker per grid patrols each of its grids part of the time.
        self.coverage = np.minimum(1.0, self._staff_per_grid)

    def set_leader_time(self, per_grid_time: np.ndarray) -> None:
        """The grid leaders' time (worker-equivalents per grid), from the community staff."""
        self.leader_time = per_grid_time
        self._refresh()

    def workers_per_grid(self) -> np.ndarray:
        """Full-time grid workers of each grid: 2 when a team of two serves one grid, 0.5
        when one worker serves two (the grid map's label)."""
        a = self.assignment
        return (a.staff_per_team / self._grids_per_team)[a.team_of_unit]

    def staff_per_grid(self) -> np.ndarray:
        """Grid-team staffing of each grid in worker-equivalents: its grid workers and the
        grid leaders' time. ``coverage`` is this capped at 1, per team."""
        return self._staff_per_grid[self.assignment.team_of_unit]

    def team_of(self, households: np.ndarray) -> np.ndarray:
        return self.assignment.team_of_unit[self.model.layout.grid[households]]

    def capacity(self) -> np.ndarray:
        """Cases per day each team can take up after admin tasks, patrols and burnout."""
        st, b = self.model.params.staffing, self.model.params.behaviour
        free = st.grid_worker_cases_per_day * (1 - self.admin_load)
        return (
            self.effective_staff * free * (1 - b.burnout_slowdown * self.burnout) * self.desk_time
        )

    def reallocate(self, leader_time: np.ndarray) -> None:
        """ODD 2.3a: the grid workers not fixed by an override are spread again by
        households and backlog (the cases on each grid's desk), with the grid leaders' new
        time. A team's burnout and workload stay with its grids."""
        model = self.model
        pool, layout = model.issues, model.layout
        backlog = np.bincount(
            layout.grid[pool.household[pool.channel == GRID]], minlength=layout.n_grids
        )
        self._restaff(self.plan.by_need(backlog), leader_time)

    def _restaff(self, counts: np.ndarray, leader_time: np.ndarray) -> None:
        """Teams formed again from grid workers per grid; a team's burnout and workload stay
        with its grids."""
        self.leader_time = leader_time
        old = self.assignment.team_of_unit
        burnout, workload = self.burnout[old], self.workload[old]
        self._assign(Assignment.from_counts(counts))
        new, per_team = self.assignment.team_of_unit, self._grids_per_team
        self.burnout = np.bincount(new, weights=burnout, minlength=per_team.size) / per_team
        self.workload = np.bincount(new, weights=workload, minlength=per_team.size) / per_team
        self.utilisation = np.zeros(per_team.size)

    def patrol(self) -> None:
        """ODD 7.5: patrols and helpers discover unreported issues and queue them."""
        model = self.model
        pool, b = model.issues, model.params.behaviour
        rows = pool.in_channel(UNREPORTED)
        grid = model.layout.grid[pool.household[rows]]
        team = self.assignment.team_of_unit[grid]
        admin = self.admin_load if self._admin_grid is None else self._admin_grid[grid]
        p = (
            b.patrol_discovery
            * (1 - admin)
            * self.coverage[team]
            * (1 - b.burnout_slowdown * self.burnout[team])
        )
        patrol_time = self.model.params.staffing.patrol_time
        if self._patrol_grid is not None:
            p = np.minimum(1.0, p * self._patrol_grid[grid])
        elif patrol_time != 1.0:
            p = np.minimum(1.0, p * patrol_time)
        p = 1 - (1 - p) * self.helper_miss[grid]
        found = rows[model.rng.random(rows.size) < p]
        pool.channel[found] = GRID
        pool.ready[found] = model.day

    def step(self) -> None:
        """ODD 7.6: work the queues oldest first within capacity; mediate, enforce, or refer."""
        model = self.model
        pool, b, rng, day = model.issues, model.params.behaviour, model.rng, model.day
        # Pressure counts every case on the desk, including those waiting for a retry; the
        # queue worked today is the desk's cases that are ready (one pass over the pool).
        on_desk = pool.in_channel(GRID)
        desk = self.team_of(pool.household[on_desk])
        ready = pool.ready[on_desk] <= day
        rows, team = on_desk[ready], desk[ready]
        capacity = self.capacity()
        worked = rows[take_oldest(team, priority.grid_key(model, rows), capacity, rng)]
        queued = np.bincount(desk, minlength=len(capacity))
        handled = np.bincount(self.team_of(pool.household[worked]), minlength=len(capacity))
        self._update_workload(queued, handled, capacity)

        kind = pool.kind[worked]
        u = rng.random(worked.size)
        disputes = worked[kind == DISPUTE]
        model.ledger.add("mediations", disputes.size)
        hardness = b.repeat_factor ** pool.attempts[disputes]
        parties = lifecycle.pair_norm(model, disputes)
        p_mediate = b.grid_mediation_success * (0.5 + 0.5 * parties) * hardness
        ok = u[kind == DISPUTE] < p_mediate
        pool.attempts[disputes] = np.minimum(pool.attempts[disputes] + 1, 100)
        lifecycle.resolve(model, disputes[ok], b.routine_trust_weight)
        if model.legal.available:
            lifecycle.refer(model, disputes[~ok], LEGAL)
        else:
            lifecycle.retry(model, disputes[~ok], b.grid_retry_days)

        # Service requests: simple help on the spot, the rest to a social organisation.
        service = worked[kind == SERVICE]
        ok = u[kind == SERVICE] < b.grid_service_success
        lifecycle.resolve(model, service[ok], b.routine_trust_weight)
        lifecycle.refer_to_social(model, service[~ok], b.grid_retry_days)

        violations = worked[kind == VIOLATION]
        ok = u[kind == VIOLATION] < b.enforcement_success
        lifecycle.enforce(model, violations[ok])
        lifecycle.retry(model, violations[~ok], b.grid_retry_days)

        public = worked[kind == PUBLIC]
        ok = u[kind == PUBLIC] < b.public_grid_success
        lifecycle.resolve(model, public[ok], b.routine_trust_weight)
        if model.councils.available:
            lifecycle.refer(model, public[~ok], AGENDA)
        else:
            lifecycle.retry(model, public[~ok], 2 * b.grid_retry_days)

    def _update_workload(
        self, queued: np.ndarray, handled: np.ndarray, capacity: np.ndarray
    ) -> None:
        st, b = self.model.params.staffing, self.model.params.behaviour
        admin = self.admin_load
        full = np.maximum(self.effective_staff * st.grid_worker_cases_per_day, 1e-9)
        case_time = (1 - admin) * np.minimum(1.0, handled / np.maximum(capacity, 1e-9))
        self.utilisation = admin + case_time
        self.workload += (queued / full - self.workload) / b.workload_days
        pressure = admin + (1 - admin) * self.workload
        over = pressure - b.burnout_threshold
        self.burnout += np.where(
            over > 0, b.burnout_rate * over, -b.burnout_recovery * self.burnout
        )
        np.clip(self.burnout, 0.0, 1.0, out=self.burnout)


def _desk_time(patrol_time: float | np.ndarray, usual: float) -> float | np.ndarray:
    """The share of the usual case time left when patrols take ``patrol_time`` times their
    usual share ``usual`` of the time after admin tasks."""
    return (1 - patrol_time * usual) / (1 - usual)
