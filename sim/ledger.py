"""Daily counts of what happened, with trailing windows for the rate metrics."""

from __future__ import annotations

import numpy as np

COUNTS = (
    "raised",
    "resolved",
    "escalated",
    "resolve_days",  # sum over today's resolved issues of their age in days
    "disputes",
    "service_requests",
    "violations",
    "public_topics",
    "informal_settlements",
    "mediations",
    "legal_mediations",
    "enforcements",
    "referrals",
    "referrals_lost",
    "deliberations",
    "topics_resolved",
    "council_attendance",
    "party_visits",
    "legal_lectures",
    "volunteer_hours",
)


class Ledger:
    """A ring of the last ``window`` days of counts, plus running totals."""

    def __init__(self, window: int = 365) -> None:
        self.window = window
        self._index = {name: i for i, name in enumerate(COUNTS)}
        self._ring = np.zeros((len(COUNTS), window))  # a count's days are contiguous
        self.totals = np.zeros(len(COUNTS))
        self.day = -1

    def new_day(self, day: int) -> None:
        self.day = day
        self._ring[:, day % self.window] = 0.0

    def add(self, name: str, amount: float) -> None:
        i = self._index[name]
        self._ring[i, self.day % self.window] += amount
        self.totals[i] += amount

    def today(self, name: str) -> float:
        return float(self._ring[self._index[name], self.day % self.window])

    def total(self, name: str) -> float:
        return float(self.totals[self._index[name]])

    def trailing(self, name: str, days: int) -> tuple[float, int]:
        """Sum over the last ``days`` days (fewer at the start) and how many days that was."""
        days = min(days, self.day + 1, self.window)
        row = self._ring[self._index[name]]
        end = self.day % self.window + 1
        start = end - days
        total = row[start:end].sum() if start >= 0 else row[start:].sum() + row[:end].sum()
        return float(total), days
