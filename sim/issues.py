"""Issues in flight: a growable struct of arrays, one row per open issue."""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Kind(IntEnum):
    DISPUTE = 0  # between neighbours
    SERVICE = 1  # a demand for help
    VIOLATION = 2  # minor rule-breaking by a neighbour, lowering security
    PUBLIC = 3  # a shared concern for the deliberation agenda


class Channel(IntEnum):
    NEW = 0  # raised today, channel not chosen yet
    UNREPORTED = 1  # left with the household; patrols may discover it
    GRID = 2  # grid worker's queue
    LEGAL = 3  # legal advisor's queue
    SOCIAL = 4  # social organisation's queue
    AGENDA = 5  # deliberation council's agenda
    COURT = 6  # waiting for a judgment
    CLOSED = 7  # resolved, faded or escalated today; dropped at the end of the day
    COMMUNITY = 8  # community staff's queue (the community office, 社区); numbered last so
    # the older codes keep their values in saved results


# Plain-int codes for the step: numpy compares an int8 array with an IntEnum member about
# five times slower than with an int, and the step makes dozens of such comparisons a day.
DISPUTE, SERVICE, VIOLATION, PUBLIC = (int(k) for k in Kind)
NEW, UNREPORTED, GRID, LEGAL, SOCIAL, AGENDA, COURT, CLOSED, COMMUNITY = (int(c) for c in Channel)

_FIELDS = {
    "household": np.int32,  # who raised it (the victim, for violations)
    "counterpart": np.int32,  # the other party (neighbour or violator), -1 if none
    "kind": np.int8,
    "channel": np.int8,
    "raised": np.int32,  # day raised
    "ready": np.int32,  # first day the current channel can work on it
    "deadline": np.int32,  # day the household's patience runs out
    "attempts": np.int8,  # times a grid worker has tried to mediate it
    "legal_attempts": np.int8,  # legal mediation rounds failed (rule_of_law.mediation_rounds)
}

# The mark in an agenda topic's ``attempts`` (agenda topics are never mediated) of a topic
# that joint councils chose and investigated, to be decided at the next meeting.
INVESTIGATED = -3


class IssuePool:
    """Open issues as parallel arrays; closed rows are dropped once a day by ``compact``."""

    household: np.ndarray  # one attribute per column of _FIELDS, viewing rows 0..n-1
    counterpart: np.ndarray
    kind: np.ndarray
    channel: np.ndarray
    raised: np.ndarray
    ready: np.ndarray
    deadline: np.ndarray
    attempts: np.ndarray
    legal_attempts: np.ndarray

    def __init__(self, capacity: int = 1024) -> None:
        self._data = {name: np.zeros(capacity, dtype) for name, dtype in _FIELDS.items()}
        self.n = 0
        self._expose()

    def __len__(self) -> int:
        return self.n

    def add(self, **columns: np.ndarray | int) -> np.ndarray:
        """Append issues (``household`` gives their number; a column the same for all of
        them may be one value); returns their row indices."""
        m = len(columns["household"])
        self._reserve(self.n + m)
        for name, values in columns.items():
            self._data[name][self.n : self.n + m] = values
        rows = np.arange(self.n, self.n + m)
        self.n += m
        self._expose()
        return rows

    def close(self, rows: np.ndarray) -> None:
        self._data["channel"][rows] = CLOSED

    def compact(self) -> None:
        keep = self.channel != CLOSED
        m = np.count_nonzero(keep)
        if m < self.n:
            for arr in self._data.values():
                arr[:m] = arr[: self.n][keep]
            self.n = m
            self._expose()

    def open_households(self) -> np.ndarray:
        """The household of each open issue (with repeats)."""
        return self.household[self.channel != CLOSED]

    def in_channel(self, channel: int, day: int | None = None) -> np.ndarray:
        """Rows in ``channel`` (and ready by ``day`` if given)."""
        mask = self.channel == channel
        if day is not None:
            mask &= self.ready <= day
        return mask.nonzero()[0]  # np.flatnonzero's result without its Python layers

    def _expose(self) -> None:
        # Each column is an attribute viewing its first n rows; plain attributes rather than
        # __getattr__, because the step reads them about a hundred times a day.
        for name, arr in self._data.items():
            setattr(self, name, arr[: self.n])

    def _reserve(self, size: int) -> None:
        cap = len(self._data["household"])
        if size <= cap:
            return
        new_cap = max(size, 2 * cap)
        for name, arr in self._data.items():
            grown = np.zeros(new_cap, arr.dtype)
            grown[: self.n] = arr[: self.n]
            self._data[name] = grown
