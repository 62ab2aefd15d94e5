"""Social organisations (社会组织): service capacity from social workers and volunteers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..issues import GRID, SERVICE, SOCIAL
from ..queues import take_oldest

if TYPE_CHECKING:
    from ..model import GovernanceModel

RETRY_DAYS = 3
CREDIBILITY_RATE = 0.02  # how fast credibility follows performance, per day worked


class SocialOrganisations:
    """Organisations serving contiguous blocks of households (三社联动)."""

    def __init__(self, model: GovernanceModel) -> None:
        n_households = model.layout.n_households
        st = model.params.staffing
        self.n_orgs = max(1, round(n_households / st.households_per_social_organisation))
        self.block = -(-n_households // self.n_orgs)
        n_sw = round(n_households * st.social_workers_per_1000_households / 1000)
        self.n_social_workers = n_sw
        self.social_workers = np.bincount(np.arange(n_sw) % self.n_orgs, minlength=self.n_orgs)
        self.credibility = np.full(self.n_orgs, 0.7)
        self.volunteer_hours = np.zeros(self.n_orgs)  # yesterday's, per organisation

    def org_of(self, households: np.ndarray) -> np.ndarray:
        return households // self.block

    def capacity(self, model: GovernanceModel) -> np.ndarray:
        st, b = model.params.staffing, model.params.behaviour
        staff = self.social_workers * st.social_worker_cases_per_day
        return staff + self.volunteer_hours / b.hours_per_service_case

    def can_take(self, model: GovernanceModel, households: np.ndarray) -> np.ndarray:
        """Whether the organisation serving each household has any capacity to refer to."""
        return self.capacity(model)[self.org_of(households)] > 0

    def step(self, model: GovernanceModel) -> None:
        pool, rng = model.issues, model.rng
        rows = pool.in_channel(SOCIAL, model.day)
        org = self.org_of(pool.household[rows])
        worked = rows[take_oldest(org, pool.raised[rows], self.capacity(model), rng)]
        misrouted = pool.kind[worked] != SERVICE
        model.refer(worked[misrouted], GRID)
        worked = worked[~misrouted]
        org = self.org_of(pool.household[worked])
        # Credible organisations get more cooperation from the households they serve.
        p = model.params.behaviour.social_service_success * (0.5 + 0.5 * self.credibility[org])
        ok = rng.random(worked.size) < p
        model.resolve(worked[ok], trust_gain=1.0)
        model.retry(worked[~ok], RETRY_DAYS)
        tried = np.bincount(org, minlength=self.n_orgs)
        done = np.bincount(org[ok], minlength=self.n_orgs)
        active = tried > 0
        rate = np.divide(done, tried, out=np.zeros(self.n_orgs), where=active)
        self.credibility[active] += CREDIBILITY_RATE * (rate[active] - self.credibility[active])

    def record_volunteering(self, households: np.ndarray, hours: float) -> None:
        self.volunteer_hours = hours * np.bincount(self.org_of(households), minlength=self.n_orgs)
