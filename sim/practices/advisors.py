"""ODD 7.18. Legal advisors at councils and juries (驻村律师, the 法律工作者 of "1+7+X")."""

from __future__ import annotations

import numpy as np

from ..world import World


class SittingAdvisors:
    """Which of today's council meetings and jury sittings a legal advisor attends.

    Each attended sitting takes ``advisor_sitting_cases`` cases' worth of time from the
    advisors serving the community, out of the capacity of the next days (``owed`` of the
    legal teams). Nothing is drawn when no advisor attends any sitting.
    """

    def __init__(self, model: World) -> None:
        self.model = model
        n = model.layout.n_communities
        self._council = np.zeros(n, dtype=bool)
        self._jury = np.zeros(n, dtype=bool)
        self.attended = np.zeros(n)  # sittings attended so far, per community

    def step(self) -> None:
        """ODD 7.18: draw attendance at today's council meetings, then at its jury sittings,
        and book the advisors' time."""
        model = self.model
        share = model.params.rule_of_law.advisor_attendance
        local = model.local_array("rule_of_law.advisor_attendance")  # per community, if scoped
        if (share <= 0 if local is None else not (local > 0).any()) or model.legal.n_advisors == 0:
            if self._council.any() or self._jury.any():  # attendance switched off mid-run
                self._council[:] = False
                self._jury[:] = False
            return
        for present, sitting in (
            (self._council, model.councils.meeting_today()),
            (self._jury, model.jury.sitting_today()),
        ):
            present[:] = False
            p = share if local is None else local[sitting]
            present[sitting] = model.rng.random(sitting.size) < p
            self._book(np.flatnonzero(present))

    def at_council(self, communities: np.ndarray) -> np.ndarray:
        """1.0 where an advisor attends today's council meeting of each community, else 0."""
        return self._council[communities].astype(np.float64)

    def at_jury(self, communities: np.ndarray) -> np.ndarray:
        """1.0 where an advisor attends today's jury sitting of each community, else 0."""
        return self._jury[communities].astype(np.float64)

    def _book(self, communities: np.ndarray) -> None:
        model = self.model
        if communities.size == 0:
            return
        self.attended[communities] += 1
        model.ledger.add("advisor_sittings", communities.size)
        legal = model.legal
        teams = legal.assignment.team_of_unit[communities]
        legal.owed += model.params.rule_of_law.advisor_sitting_cases * np.bincount(
            teams, minlength=legal.assignment.n_teams
        )
