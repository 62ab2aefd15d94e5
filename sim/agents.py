"""Mesa agents. Residents and staff are views: their attributes read and write the arrays
the engine steps, so Mesa's AgentSet, DataCollector and visualisation see live state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import mesa

if TYPE_CHECKING:
    from .model import GovernanceModel

T = TypeVar("T")


class Column(Generic[T]):
    """An agent attribute that is one entry of an engine array:
    ``agent.model.<store>.<name>[agent.<key>]``, where ``name`` is the attribute's own name.

    Reading gives a Python scalar (``float``, ``int`` or ``bool``); writing stores into the
    array, so the next step sees the change.
    """

    def __init__(self, store: str, key: str = "index") -> None:
        self.store = store
        self.key = key
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.__doc__ = f"``model.{self.store}.{name}`` of this agent's row."

    @overload
    def __get__(self, agent: None, owner: type) -> Column[T]: ...
    @overload
    def __get__(self, agent: mesa.Agent, owner: type) -> T: ...
    def __get__(self, agent: mesa.Agent | None, owner: type) -> Column[T] | T:
        if agent is None:
            return self
        return self._array(agent)[getattr(agent, self.key)].item()

    def __set__(self, agent: mesa.Agent, value: T) -> None:
        self._array(agent)[getattr(agent, self.key)] = value

    def _array(self, agent: mesa.Agent) -> Any:
        return getattr(getattr(agent.model, self.store), self.name)


class Resident(mesa.Agent):
    """A household. The step never loops over these; they exist for inspection.

    Every field of ``sim.households.FIELDS`` is an attribute (a test keeps the two in step).
    """

    norm = Column[float]("households")
    trust = Column[float]("households")
    engagement = Column[float]("households")
    legal_awareness = Column[float]("households")
    deterrence = Column[float]("households")
    satisfaction = Column[float]("households")
    security = Column[float]("households")
    credits = Column[float]("households")
    integrity = Column[float]("households")
    preferred = Column[bool]("households")
    volunteer = Column[bool]("households")
    party_member = Column[bool]("households")
    party_active = Column[bool]("households")
    role_model = Column[bool]("households")
    open_issues = Column[int]("households")
    last_participation = Column[int]("households")
    last_sanctioned = Column[int]("households")

    def __init__(self, model: GovernanceModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def grid(self) -> int:
        return int(self.model.layout.grid[self.index])

    @property
    def community(self) -> int:
        return int(self.model.layout.community[self.index])

    def __repr__(self) -> str:
        return f"Resident(index={self.index}, grid={self.grid})"


class GridWorker(mesa.Agent):
    """A grid worker (网格员); workers in one team share its queue, workload and burnout.
    ``team`` moves when need allocation spreads workers again."""

    burnout = Column[float]("grid_teams", key="team")
    utilisation = Column[float]("grid_teams", key="team")
    workload = Column[float]("grid_teams", key="team")

    def __init__(self, model: GovernanceModel, team: int) -> None:
        super().__init__(model)
        self.team = team


class CommunityWorker(mesa.Agent):
    """A community staff member (社区工作人员); staff of one community share its office's
    queue. ``team`` moves when need allocation spreads staff again."""

    utilisation = Column[float]("community", key="team")
    cases = Column[float]("community", key="team")

    def __init__(self, model: GovernanceModel, team: int) -> None:
        super().__init__(model)
        self.team = team


class LegalAdvisor(mesa.Agent):
    """A legal advisor (法律顾问) serving one or more communities."""

    cases = Column[float]("legal", key="team")

    def __init__(self, model: GovernanceModel, team: int) -> None:
        super().__init__(model)
        self.team = team


class SocialOrganisation(mesa.Agent):
    """A social organisation (社会组织) serving a block of households."""

    credibility = Column[float]("social")
    social_workers = Column[int]("social")

    def __init__(self, model: GovernanceModel, index: int) -> None:
        super().__init__(model)
        self.index = index


class PartyBranch(mesa.Agent):
    """A party branch (党组织) of one grid or community."""

    visits = Column[float]("party")

    def __init__(self, model: GovernanceModel, index: int) -> None:
        super().__init__(model)
        self.index = index
