"""ODD 7.19. Law inside the resident rules (村规民约, 以规立德): revised at councils."""

from __future__ import annotations

import numpy as np

from ..world import World


class ResidentRules:
    """Each community's rules strength, from ``resident_rules``; with ``rules_revision``
    off the scalar ``resident_rules`` is used as before and nothing here is read."""

    def __init__(self, model: World) -> None:
        self.model = model
        n = model.layout.n_communities
        self.strength = np.full(n, model.params.self_governance.resident_rules)
        self.last = np.full(n, -1, dtype=np.int64)  # day of the last revision, -1: none yet
        self.revisions = np.zeros(n)

    @property
    def on(self) -> bool:
        return self.model.params.self_governance.rules_revision

    def revise(self, meeting: np.ndarray, quality: np.ndarray) -> None:
        """ODD 7.19: at a council meeting the rules erode for the days since the last
        revision, then move toward 1 by ``rules_revision_gain`` x the meeting's quality
        (attendance, and an advisor's presence, capped at 1)."""
        if not self.on or meeting.size == 0:
            return
        model = self.model
        sg = model.params.self_governance
        last = self.last[meeting]
        elapsed = np.where(last >= 0, model.day - last, 0)
        s = self.strength[meeting] * np.exp(-elapsed / sg.rules_decay_days)
        s += sg.rules_revision_gain * np.minimum(quality, 1.0) * (1 - s)
        self.strength[meeting] = s
        self.last[meeting] = model.day
        self.revisions[meeting] += 1
        model.ledger.add("rules_revisions", meeting.size)

    def effect(self, a: np.ndarray, c: np.ndarray) -> np.ndarray:
        """The rules as the parties ``a`` and ``c`` of issues feel them: their community's
        strength, the legal part of it working through the parties' mean legal awareness."""
        model = self.model
        w = model.params.self_governance.rules_law_weight
        aware = 0.5 * (model.households.legal_awareness[a] + model.households.legal_awareness[c])
        return self.strength[model.layout.community[a]] * (1 - w + w * aware)

    def mean_strength(self) -> float:
        """Households' mean rules strength (the scalar ``resident_rules`` when not revised)."""
        if not self.on:
            return float(self.model.params.self_governance.resident_rules)
        sizes = self.model.layout.community_size
        return float(np.add.reduce(self.strength * sizes) / sizes.sum())  # not BLAS: metrics.py
