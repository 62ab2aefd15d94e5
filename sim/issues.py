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
    CLOSED = 7  # resolved or escalated today; dropped at the end of the day


_FIELDS = {
    "household": np.int32,  # who raised it (the victim, for violations)
    "counterpart": np.int32,  # the other party (neighbour or violator), -1 if none
    "kind": np.int8,
    "channel": np.int8,
    "raised": np.int32,  # day raised
    "ready": np.int32,  # first day the current channel can work on it
    "deadline": np.int32,  # day the household's patience runs out
    "attempts": np.int8,  # times a grid worker has tried to mediate it
}


class IssuePool:
    """Open issues as parallel arrays; closed rows are dropped once a day by ``compact``."""

    def __init__(self, capacity: int = 1024) -> None:
        self._data = {name: np.zeros(capacity, dtype) for name, dtype in _FIELDS.items()}
        self.n = 0

    def __len__(self) -> int:
        return self.n

    def __getattr__(self, name: str) -> np.ndarray:
        data = self.__dict__.get("_data")
        if data is not None and name in data:
            return data[name][: self.n]
        raise AttributeError(name)

    def add(self, **columns: np.ndarray) -> np.ndarray:
        """Append issues; returns their row indices."""
        m = len(columns["household"])
        self._reserve(self.n + m)
        rows = np.arange(self.n, self.n + m)
        for name, values in columns.items():
            self._data[name][rows] = values
        self.n += m
        return rows

    def close(self, rows: np.ndarray) -> None:
        self._data["channel"][rows] = Channel.CLOSED

    def compact(self) -> None:
        keep = self.channel != Channel.CLOSED
        m = int(keep.sum())
        if m < self.n:
            for arr in self._data.values():
                arr[:m] = arr[: self.n][keep]
            self.n = m

    def in_channel(self, channel: Channel, day: int | None = None) -> np.ndarray:
        """Rows in ``channel`` (and ready by ``day`` if given)."""
        mask = self.channel == channel
        if day is not None:
            mask &= self.ready <= day
        return np.flatnonzero(mask)

    def _reserve(self, size: int) -> None:
        cap = len(self._data["household"])
        if size <= cap:
            return
        new_cap = max(size, 2 * cap)
        for name, arr in self._data.items():
            grown = np.zeros(new_cap, arr.dtype)
            grown[: self.n] = arr[: self.n]
            self._data[name] = grown
