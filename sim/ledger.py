"""Daily counts of what happened, with trailing windows for the rate metrics."""

from __future__ import annotations

import numpy as np

COUNTS = (
    "raised",
    "resolved",  # by a channel: neighbours, staff, councils, party visits, courts
    "faded",  # closed unhandled (ODD 7.11): neither resolved nor escalated
    "escalated",
    "resolve_days",  # sum over today's resolved issues of their age in days
    "services_resolved",  # service requests among today's resolved issues
    "service_days",  # ... and the sum of their ages
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
    "referrals_refused",  # referrals to a social organisation the household turned down
    "deliberations",
    "topics_resolved",
    "jury_sittings",  # ODD 7.17
    "jury_hearings",
    "jury_settlements",
    "jury_attendance",
    "advisor_sittings",  # ODD 7.18
    "rules_revisions",  # ODD 7.19
    "council_decisions",  # ODD 7.10 with joint councils (six steps)
    "follow_up_failures",
    "council_attendance",
    "party_visits",
    "legal_lectures",
    "volunteer_hours",
    "integrity_deductions",  # integrity points deducted (ODD 7.20): sanctions, escalations
    "moral_reviewers",  # residents sitting on moral review panels (ODD 7.22)
    "credits_redeemed",  # moral-bank credits spent on goods and services (ODD 7.21)
)
BY_COMMUNITY = ("escalated",)  # counts also kept per community


class Ledger:
    """A ring of the last ``window`` days of counts, plus running totals; the counts of
    ``BY_COMMUNITY`` also per community (``n_communities`` columns)."""

    def __init__(self, window: int = 365, n_communities: int = 1) -> None:
        self.window = window
        self._index = {name: i for i, name in enumerate(COUNTS)}
        self._ring = np.zeros((len(COUNTS), window))  # a count's days are contiguous
        self.totals = np.zeros(len(COUNTS))
        self._by_community = {name: np.zeros((window, n_communities)) for name in BY_COMMUNITY}
        self.n_communities = n_communities
        self.day = -1
        self._column = -1  # today's column of the ring: ``add`` runs about 40 times a day

    def new_day(self, day: int) -> None:
        self.day = day
        self._column = day % self.window
        self._ring[:, self._column] = 0.0
        for ring in self._by_community.values():
            ring[day % self.window] = 0.0

    def add(self, name: str, amount: float) -> None:
        i = self._index[name]
        self._ring[i, self._column] += amount
        self.totals[i] += amount

    def add_by_community(self, name: str, communities: np.ndarray) -> None:
        """Count one event for each entry of ``communities`` (with repeats)."""
        row = self._by_community[name][self.day % self.window]
        row += np.bincount(communities, minlength=self.n_communities)

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
        # np.add.reduce is what .sum() computes; a dozen metrics read this every day.
        add = np.add.reduce
        total = add(row[start:end]) if start >= 0 else add(row[start:]) + add(row[:end])
        return float(total), days

    def trailing_by_community(self, name: str, days: int) -> tuple[np.ndarray, int]:
        """Per community, the sum over the last ``days`` days, and how many days that was."""
        days = min(days, self.day + 1, self.window)
        ring = self._by_community[name]
        end = self.day % self.window + 1
        start = end - days
        total = (
            ring[start:end].sum(axis=0)
            if start >= 0
            else ring[start:].sum(axis=0) + ring[:end].sum(axis=0)
        )
        return total, days
