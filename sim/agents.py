"""Mesa agents. Residents and staff are views: their attributes read and write the arrays
the engine steps, so Mesa's AgentSet, DataCollector and visualisation see live state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa

from .households import FIELDS

if TYPE_CHECKING:
    from .model import GovernanceModel


def _column(store: str, field: str, key: str = "index") -> property:
    def get(self: Any) -> Any:
        return getattr(getattr(self.model, store), field)[getattr(self, key)].item()

    def set_(self: Any, value: Any) -> None:
        getattr(getattr(self.model, store), field)[getattr(self, key)] = value

    return property(get, set_, doc=f"``model.{store}.{field}`` of this row.")


class Resident(mesa.Agent):
    """A household. The step never loops over these; they exist for inspection."""

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


for _field in FIELDS:
    setattr(Resident, _field, _column("households", _field))


class GridWorker(mesa.Agent):
    """A grid worker (网格员); workers in one team share its queue, workload and burnout."""

    def __init__(self, model: GovernanceModel, team: int) -> None:
        super().__init__(model)
        self.team = team

    burnout = _column("grid_teams", "burnout", "team")
    utilisation = _column("grid_teams", "utilisation", "team")
    workload = _column("grid_teams", "workload", "team")


class LegalAdvisor(mesa.Agent):
    """A legal advisor (法律顾问) serving one or more communities."""

    def __init__(self, model: GovernanceModel, team: int) -> None:
        super().__init__(model)
        self.team = team

    cases = _column("legal", "cases", "team")


class SocialOrganisation(mesa.Agent):
    """A social organisation (社会组织) serving a block of households."""

    def __init__(self, model: GovernanceModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    credibility = _column("social", "credibility")
    social_workers = _column("social", "social_workers")


class PartyBranch(mesa.Agent):
    """A party branch (党组织) of one grid or community."""

    def __init__(self, model: GovernanceModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    visits = _column("party", "visits")
