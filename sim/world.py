"""What the parts of the model may read and call: the model's interface, named.

Mechanisms (``sim.mechanisms``), staff (``sim.staff``) and the issue lifecycle
(``sim.lifecycle``) are written against :class:`World`; the metric registry
(``sim.metrics``) against the narrower :class:`MetricsView`, which the per-agent
reference model (``sim.reference``) provides too. ``GovernanceModel`` satisfies both.

This module imports only the data structures below it (households, issues, layout,
ledger, staffing plans, parameters), never the model, the mechanisms or the staff: a part that needs
something new from the model adds it here first, where a reader sees the whole contract.
The staff appear through the few members other parts use (:class:`Route`,
:class:`ServiceDesk`, :class:`Beat`), not through their classes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np
import scipy.sparse as sp

from .households import Households
from .issues import IssuePool
from .layout import Assignment, Layout
from .ledger import Ledger
from .params import Parameters
from .staffing import Overrides

# --- What metrics read (the engine and the reference model).


class HouseholdsView(Protocol):
    """Household traits as arrays with one entry per household (ODD 2.1)."""

    @property
    def n(self) -> int: ...
    @property
    def norm(self) -> np.ndarray: ...
    @property
    def trust(self) -> np.ndarray: ...
    @property
    def engagement(self) -> np.ndarray: ...
    @property
    def legal_awareness(self) -> np.ndarray: ...
    @property
    def deterrence(self) -> np.ndarray: ...
    @property
    def satisfaction(self) -> np.ndarray: ...
    @property
    def security(self) -> np.ndarray: ...
    @property
    def integrity(self) -> np.ndarray: ...
    @property
    def last_participation(self) -> np.ndarray: ...


class IssuesView(Protocol):
    """The open issues: how many, and whose."""

    @property
    def n(self) -> int: ...
    def open_households(self) -> np.ndarray:
        """The household of each open issue (with repeats)."""
        ...


class GridTeamsView(Protocol):
    """Grid-worker teams (ODD 2.3): their staffing and per-team state."""

    @property
    def n_workers(self) -> int: ...
    @property
    def assignment(self) -> Assignment: ...
    @property
    def utilisation(self) -> np.ndarray: ...
    @property
    def burnout(self) -> np.ndarray: ...


class CommunityView(Protocol):
    """Community staff (ODD 2.4a): their number, teams and per-team utilisation."""

    @property
    def n_staff(self) -> int: ...
    @property
    def assignment(self) -> Assignment: ...
    @property
    def utilisation(self) -> np.ndarray: ...


class LegalView(Protocol):
    @property
    def n_advisors(self) -> int: ...


class SocialView(Protocol):
    @property
    def n_social_workers(self) -> int: ...
    @property
    def credibility(self) -> np.ndarray: ...


class RulesView(Protocol):
    def mean_strength(self) -> float: ...


@runtime_checkable
class MetricsView(Protocol):
    """Everything a metric's ``compute`` may read (``sim.metrics``)."""

    @property
    def params(self) -> Parameters: ...
    @property
    def day(self) -> int: ...
    @property
    def ledger(self) -> Ledger: ...
    @property
    def layout(self) -> Layout: ...
    @property
    def households(self) -> HouseholdsView: ...
    @property
    def issues(self) -> IssuesView: ...
    @property
    def volunteers(self) -> np.ndarray: ...
    @property
    def grid_teams(self) -> GridTeamsView: ...
    @property
    def community(self) -> CommunityView: ...
    @property
    def legal(self) -> LegalView: ...
    @property
    def social(self) -> SocialView: ...
    @property
    def rules(self) -> RulesView: ...


# --- What mechanisms, staff and the lifecycle read and call (the engine).


class Route(Protocol):
    """A channel staffed by others, which may not exist (no advisors, no councils)."""

    @property
    def available(self) -> bool: ...


class Counsel(Route, Protocol):
    """Legal advisors as the sittings they attend see them (ODD 7.18): their teams and the
    time owed to sittings, taken from their next days' capacity."""

    @property
    def n_advisors(self) -> int: ...
    @property
    def assignment(self) -> Assignment: ...

    owed: np.ndarray


class Assembly(Route, Protocol):
    """A body sitting on a calendar (councils, juries): who sits today."""

    def meeting_today(self) -> np.ndarray: ...


class Jury(Protocol):
    """Public juries (ODD 7.17) as the advisors see them."""

    def sitting_today(self) -> np.ndarray: ...


class SittingAdvice(Protocol):
    """Where a legal advisor attends today's sittings (ODD 7.18): 1.0 or 0.0 a community."""

    def at_council(self, communities: np.ndarray) -> np.ndarray: ...
    def at_jury(self, communities: np.ndarray) -> np.ndarray: ...


class Rules(RulesView, Protocol):
    """Resident rules revised at councils (ODD 7.19)."""

    @property
    def on(self) -> bool: ...
    def revise(self, meeting: np.ndarray, quality: np.ndarray) -> None: ...
    def effect(self, a: np.ndarray, c: np.ndarray) -> np.ndarray: ...


class ServiceDesk(Protocol):
    """Social organisations as the staff who refer to them and the volunteers meet them
    (ODD 7.0, 7.13)."""

    def can_take(self, households: np.ndarray) -> np.ndarray: ...
    def credibility_of(self, households: np.ndarray) -> np.ndarray: ...
    def record_volunteering(self, households: np.ndarray, hours: float) -> None: ...


class Beat(Protocol):
    """The grid team as residents meet it (ODD 7.2, 7.4): per grid, the chance a violation
    is caught on the spot (base and police) and the factor its helpers put on reporting."""

    @property
    def detection(self) -> np.ndarray: ...
    @property
    def reporting(self) -> np.ndarray: ...


@runtime_checkable
class World(Protocol):
    """The engine's state as one day's submodels see it (``GovernanceModel``)."""

    params: Parameters
    rng: np.random.Generator
    day: int  # the day being simulated, from 0 (see GovernanceModel.step)
    layout: Layout
    adjacency: sp.csr_array  # the social network, symmetric, one row per household
    degree: np.ndarray  # ties per household
    inverse_degree: np.ndarray  # 1 / max(degree, 1), float32, for neighbour means
    isolated: np.ndarray  # households without ties
    households: Households
    volunteers: np.ndarray  # registered volunteers
    active_volunteers: np.ndarray  # the registered volunteers who ever turn out
    issues: IssuePool
    ledger: Ledger
    # Effective coordination, after party leadership (ODD 2.8); per community when some
    # community's party coordination is scoped (sim/scoped.py).
    coordination: float | np.ndarray
    overrides: Overrides  # staffing set by hand, per unit (ODD 2.3a)
    on_escalate: list[Callable[[np.ndarray], None]]  # see sim.lifecycle.escalate

    @property
    def grid_teams(self) -> Beat: ...
    @property
    def community(self) -> Route: ...
    @property
    def legal(self) -> Counsel: ...
    @property
    def councils(self) -> Assembly: ...
    @property
    def jury(self) -> Jury: ...
    @property
    def advisors(self) -> SittingAdvice: ...
    @property
    def rules(self) -> Rules: ...
    @property
    def social(self) -> ServiceDesk: ...

    def local_array(self, key: str) -> np.ndarray | None:
        """Per unit, the value of a scoped lever in force, or None if no unit has its own."""
        ...
