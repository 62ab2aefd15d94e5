"""ODD 2.5 and 7.8. Social organisations (社会组织): service capacity from social workers
and volunteers."""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import GRID, SERVICE, SOCIAL
from ..layout import Layout
from ..params import Parameters
from ..queues import take_oldest
from ..world import World


class SocialOrganisations:
    """Organisations serving contiguous blocks of households (三社联动)."""

    def __init__(self, model: World) -> None:
        self.model = model
        n_households = model.layout.n_households
        st = model.params.staffing
        self.n_orgs = max(1, round(n_households / st.households_per_social_organisation))
        self.block = -(-n_households // self.n_orgs)
        self.configure()
        self.credibility = np.full(self.n_orgs, st.initial_social_credibility)
        self.volunteer_hours = np.zeros(self.n_orgs)  # yesterday's, per organisation

    def configure(self) -> None:
        """Social workers from the parameters (again when they change mid-run: hired or
        leaving, spread over the organisations in turn)."""
        n_sw = self.count_from(self.model.params, self.model.layout)
        self.n_social_workers = n_sw
        self.social_workers = np.bincount(np.arange(n_sw) % self.n_orgs, minlength=self.n_orgs)

    @staticmethod
    def count_from(params: Parameters, layout: Layout) -> int:
        """Professional social workers of a run (ODD 2.5), spread over the organisations."""
        return round(
            layout.n_households * params.staffing.social_workers_per_1000_households / 1000
        )

    def org_of(self, households: np.ndarray) -> np.ndarray:
        return households // self.block

    def capacity(self) -> np.ndarray:
        """Service cases per day: social workers' own, plus yesterday's volunteer hours."""
        st, b = self.model.params.staffing, self.model.params.behaviour
        staff = self.social_workers * st.social_worker_cases_per_day
        return staff + self.volunteer_hours / b.hours_per_service_case

    def can_take(self, households: np.ndarray) -> np.ndarray:
        """Whether the organisation serving each household has any capacity to refer to."""
        return self.capacity()[self.org_of(households)] > 0

    def credibility_of(self, households: np.ndarray) -> np.ndarray:
        """Credibility of the organisation serving each household (ODD 7.0, 7.13)."""
        return self.credibility[self.org_of(households)]

    def step(self) -> None:
        """ODD 7.8: serve the oldest ready requests; credibility follows the success rate."""
        model = self.model
        pool, rng = model.issues, model.rng
        rows = pool.in_channel(SOCIAL, model.day)
        org = self.org_of(pool.household[rows])
        worked = rows[take_oldest(org, pool.raised[rows], self.capacity(), rng)]
        misrouted = pool.kind[worked] != SERVICE
        lifecycle.refer(model, worked[misrouted], GRID)
        worked = worked[~misrouted]
        org = self.org_of(pool.household[worked])
        # Credible organisations get more cooperation from the households they serve.
        b = model.params.behaviour
        p = b.social_service_success * (0.5 + 0.5 * self.credibility[org])
        ok = rng.random(worked.size) < p
        lifecycle.resolve(model, worked[ok], b.routine_trust_weight)
        lifecycle.retry(model, worked[~ok], b.social_retry_days)
        tried = np.bincount(org, minlength=self.n_orgs)
        done = np.bincount(org[ok], minlength=self.n_orgs)
        active = tried > 0
        rate = np.divide(done, tried, out=np.zeros(self.n_orgs), where=active)
        self.credibility[active] += b.credibility_rate * (rate[active] - self.credibility[active])

    def record_volunteering(self, households: np.ndarray, hours: float) -> None:
        """ODD 7.13: today's volunteer hours, by organisation, become tomorrow's capacity."""
        self.volunteer_hours = hours * np.bincount(self.org_of(households), minlength=self.n_orgs)
