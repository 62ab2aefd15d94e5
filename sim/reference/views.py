"""The reference model as the metric registry reads it (:class:`sim.world.MetricsView`).

The engine keeps its state in arrays, and the metrics (``sim.metrics``) are written against
those arrays. The reference keeps its state in agents, so it offers these views: each
gathers the agents' attributes into the arrays the metrics read, when read (the reference is
small; a datacollector reads them once a day). Each class names the part of the protocol it
provides, so a metric that needs more shows up here as a missing attribute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar, overload

import numpy as np

from ..layout import Assignment

if TYPE_CHECKING:
    from .households import Household
    from .staff import CommunityOffice, GridTeam, SocialOrganisation

T = TypeVar("T")


class _Gathered(Generic[T]):
    """One attribute of every agent in ``view.agents`` as an array: ``[a.<name> for a]``."""

    def __init__(self) -> None:
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, view: None, owner: type) -> _Gathered[T]: ...
    @overload
    def __get__(self, view: _Agents, owner: type) -> np.ndarray: ...
    def __get__(self, view: _Agents | None, owner: type) -> _Gathered[T] | np.ndarray:
        if view is None:
            return self
        return np.array([getattr(agent, self.name) for agent in view.agents])


class _Agents:
    def __init__(self, agents: list) -> None:
        self.agents = agents


class HouseholdArrays(_Agents):
    """:class:`sim.world.HouseholdsView`: one array entry per household, in index order."""

    norm = _Gathered[float]()
    trust = _Gathered[float]()
    engagement = _Gathered[float]()
    legal_awareness = _Gathered[float]()
    deterrence = _Gathered[float]()
    satisfaction = _Gathered[float]()
    security = _Gathered[float]()
    integrity = _Gathered[float]()
    last_participation = _Gathered[int]()

    def __init__(self, residents: list[Household]) -> None:
        super().__init__(residents)
        self.n = len(residents)


class GridTeamArrays(_Agents):
    """:class:`sim.world.GridTeamsView`: the grid teams' staffing and state, one entry per
    team in the order of ``assignment``."""

    utilisation = _Gathered[float]()
    burnout = _Gathered[float]()

    def __init__(self, teams: list[GridTeam], assignment: Assignment, n_workers: int) -> None:
        super().__init__(teams)
        self.assignment = assignment
        self.n_workers = n_workers


class CommunityArrays(_Agents):
    """:class:`sim.world.CommunityView`: the community offices' staffing and utilisation,
    one entry per office in the order of ``assignment``."""

    utilisation = _Gathered[float]()

    def __init__(
        self, offices: list[CommunityOffice], assignment: Assignment, n_staff: int
    ) -> None:
        super().__init__(offices)
        self.assignment = assignment
        self.n_staff = n_staff


class SocialArrays(_Agents):
    """:class:`sim.world.SocialView`: the social organisations' credibility and the number
    of professional social workers."""

    credibility = _Gathered[float]()

    def __init__(self, organisations: list[SocialOrganisation], n_social_workers: int) -> None:
        super().__init__(organisations)
        self.n_social_workers = n_social_workers


class OpenIssues:
    """:class:`sim.world.IssuesView`: the open issues, from the households holding them."""

    def __init__(self, residents: list[Household]) -> None:
        self._residents = residents

    @property
    def n(self) -> int:
        return sum(len(h.issues) for h in self._residents)

    def open_households(self) -> np.ndarray:
        return np.array([h.index for h in self._residents for _ in h.issues], dtype=np.int64)


@dataclass(frozen=True)
class LegalCount:
    """:class:`sim.world.LegalView`: how many legal advisors there are."""

    n_advisors: int
