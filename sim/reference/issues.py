"""One open issue as an object (ODD 2.2), held in the queue of whoever works it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..issues import Channel, Kind

if TYPE_CHECKING:
    from .households import Household


@dataclass(eq=False, slots=True)
class Issue:
    """One open issue (2.2). Two issues are the same only if they are the same object."""

    household: Household  # who raised it (the victim of a violation)
    counterpart: Household | None  # the neighbour or violator; None for service and public
    kind: Kind
    raised: int
    deadline: int
    serial: int = 0  # arrival order: breaks ties between issues raised the same day (3)
    channel: Channel = Channel.NEW
    ready: int = 0
    attempts: int = 0  # grid mediation attempts (7.6)
    legal_attempts: int = 0  # legal mediation rounds failed (7.7)
    jury_waiting: bool = False  # in court, the parties chose the public jury (7.17)
    investigated: bool = False  # on a joint council's agenda, to be decided next (7.10)
    place: dict[Issue, None] | None = None  # the queue (an ordered set) holding it

    def age(self) -> tuple[int, int]:
        """Sort key of queues: oldest first, ties in arrival order (3, 7.0)."""
        return self.raised, self.serial

    def parties(self) -> tuple[Household, Household]:
        """Both parties; the raiser twice for an issue without a counterpart (7.0 pair mean)."""
        return self.household, self.counterpart or self.household


def nudge(x: float, rate: float, target: float = 1.0) -> float:
    """``x`` moved a share ``rate`` of the way toward ``target`` (ODD conventions)."""
    return x + rate * (target - x)
