"""Household (resident) state as arrays: one entry per household (ODD 2.1, 5.3)."""

from __future__ import annotations

import numpy as np
from numba import njit

from .layout import Layout
from .params import Parameters

DIFFUSING = ("norm", "trust", "engagement")  # traits averaged over the network daily

FIELDS = (
    "norm",  # civic/moral norm, 0-1
    "trust",  # trust in grassroots governance, 0-1
    "engagement",  # willingness to take part in self-governance, 0-1
    "legal_awareness",  # 0-1
    "deterrence",  # perceived probability that a violation is caught, 0-1
    "satisfaction",  # 0-1
    "security",  # perceived security, 0-1
    "credits",  # moral-bank credits
    "integrity",  # integrity points (诚信积分) as a share of full points, 0-1 (ODD 7.20)
    "preferred",  # given preferential credit (道德信贷) at the last redemption (ODD 7.21)
    "volunteer",  # registered volunteer (serving party members register too)
    "party_member",
    "party_active",  # a party member who serves the community (active; if in service, 双报到)
    "role_model",  # currently on the red list / chosen as role model
    "open_issues",  # issues this household has open
    "last_participation",  # last day it took part in self-governance
    "last_sanctioned",  # last day a violation of its own was sanctioned
)


def _beta(rng: np.random.Generator, mean: float, concentration: float, n: int) -> np.ndarray:
    mean = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(mean * concentration, (1 - mean) * concentration, n).astype(np.float32)


def typical_detection(params: Parameters) -> float:
    """The chance a violation is caught on the spot in a grid with the scenario's police
    presence (ODD 5.3: the mean of initial perceived deterrence)."""
    law = params.rule_of_law
    police = law.police_detection * params.staffing.police_per_grid
    return 1 - (1 - law.detection_probability) * (1 - police)


class Households:
    """Struct of arrays for all households; ``Resident`` agents are views onto its rows."""

    def __init__(self, params: Parameters, layout: Layout, rng: np.random.Generator) -> None:
        pop = params.population
        n = layout.n_households
        c = pop.heterogeneity
        self.n = n
        self.norm = _beta(rng, pop.mean_norm, c, n)
        self.trust = _beta(rng, pop.mean_trust, c, n)
        self.engagement = _beta(rng, params.self_governance.participation, c, n)
        self.legal_awareness = _beta(rng, pop.mean_legal_awareness, c, n)
        self.deterrence = _beta(rng, typical_detection(params), c, n)
        self.satisfaction = (0.5 * self.trust + 0.5).astype(np.float32)
        self.security = np.ones(n, dtype=np.float32)
        self.credits = np.zeros(n, dtype=np.float32)
        self.integrity = np.ones(n, dtype=np.float32)  # full points; drawn from nothing
        self.preferred = np.zeros(n, dtype=bool)
        self.party_member = rng.random(n) < pop.party_member_share
        # Ageing members no longer serve; members in service elsewhere serve their home
        # community only if they registered there (双报到).
        in_service = rng.random(n) < pop.in_service_party_share
        serves = np.where(in_service, pop.dual_registration, pop.active_party_share)
        self.party_active = self.party_member & (rng.random(n) < serves)
        self.volunteer = (rng.random(n) < pop.volunteer_share) | self.party_active
        self.role_model = np.zeros(n, dtype=bool)
        self.open_issues = np.zeros(n, dtype=np.int16)
        # Households start with a past participation day in proportion to engagement, so
        # the trailing-year rate does not start at zero; it settles over the first year.
        took_part = rng.random(n) < self.engagement
        self.last_participation = np.where(
            took_part, -rng.integers(1, 366, n), np.iinfo(np.int32).min // 2
        ).astype(np.int32)
        self.last_sanctioned = np.full(n, np.iinfo(np.int32).min // 2, dtype=np.int32)

    def nudge(self, field: str, who: np.ndarray, rate: float, target: float = 1.0) -> None:
        """Move ``field`` of households ``who`` a share ``rate`` of the way to ``target``."""
        if len(who) == 0:  # common on a quiet day
            return
        # Compiled: NumPy's three operations with a scalar cost about 1.4 us each in their
        # Python layers, ten times the arithmetic on a day's few households.
        _nudge(getattr(self, field), who, np.float32(rate), np.float32(target))


@njit(cache=True)
def _nudge(arr, who, rate, target):  # pragma: no cover
    # All gathered before any is written, as ``arr[who] = f(arr[who])`` does: a household
    # listed twice moves once. The float32 operations are NumPy's, in its order.
    now = arr[who]
    for k in range(who.size):
        arr[who[k]] = now[k] + rate * (target - now[k])
