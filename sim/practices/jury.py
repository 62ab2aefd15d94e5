"""ODD 7.17. Public juries (公众评判庭): residents hear disputes that failed mediation."""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import COURT
from ..queues import take_oldest
from ..world import World

# Marks in a court case's ``attempts`` (a court case is never mediated again, so the grid's
# count is free): the parties chose the jury and wait for a sitting; the jury has heard it.
WAITING = -2
HEARD = -1


def sitting_today(n_communities: int, day: int, interval: int) -> np.ndarray:
    """Communities whose jury sits today (staggered so the sittings spread over the week)."""
    return np.flatnonzero((np.arange(n_communities) + day) % interval == 0)


def choose_jury(world: World, failed: np.ndarray) -> None:
    """ODD 7.7, 7.17: the parties of disputes whose mediation failed choose the jury or not;
    they stay on the court's docket either way (the jury comes first)."""
    sg = world.params.self_governance
    if not sg.public_jury or failed.size == 0:
        return
    chose = failed[world.rng.random(failed.size) < sg.jury_acceptance]
    world.issues.attempts[chose] = WAITING


class PublicJury:
    """One jury per community, sitting every ``jury_interval_days``."""

    def __init__(self, model: World) -> None:
        self.model = model
        self.n = model.layout.n_communities
        self.sittings = np.zeros(self.n)
        self.heard = np.zeros(self.n)

    def sitting_today(self) -> np.ndarray:
        sg = self.model.params.self_governance
        if not sg.public_jury:
            return np.zeros(0, dtype=np.int64)
        return sitting_today(self.n, self.model.day, sg.jury_interval_days)

    def step(self) -> None:
        """ODD 7.17: today's sittings hear the oldest waiting disputes of their community;
        jurors and watchers take part, learn law and see disputes settled."""
        sitting = self.sitting_today()
        if sitting.size == 0:
            return
        model = self.model
        pool, h, layout, rng = model.issues, model.households, model.layout, model.rng
        sg, b = model.params.self_governance, model.params.behaviour
        self.sittings[sitting] += 1
        model.ledger.add("jury_sittings", sitting.size)

        rows = np.flatnonzero((pool.channel == COURT) & (pool.attempts == WAITING))
        community = layout.community[pool.household[rows]]
        capacity = np.zeros(self.n)
        capacity[sitting] = sg.jury_cases_per_sitting
        heard = rows[take_oldest(community, pool.raised[rows], capacity, rng)]
        pool.attempts[heard] = HEARD
        where = layout.community[pool.household[heard]]
        self.heard += np.bincount(where, minlength=self.n)

        # Jurors: residents of the community, drawn with replacement.
        start, size = layout.community_start[sitting], layout.community_size[sitting]
        jurors = np.repeat(start, sg.jury_size) + (
            rng.random(sitting.size * sg.jury_size) * np.repeat(size, sg.jury_size)
        ).astype(np.int64)
        w = sg.jury_law_weight
        quality = np.zeros(self.n)
        quality[sitting] = (
            ((1 - w) * h.norm[jurors] + w * h.legal_awareness[jurors])
            .reshape(sitting.size, sg.jury_size)
            .mean(axis=1, dtype=np.float64)
        )
        gain = np.ones(self.n)
        gain[sitting] += model.params.rule_of_law.advisor_success_gain * model.advisors.at_jury(
            sitting
        )
        p = np.minimum(1.0, sg.jury_success * quality[where] * gain[where])
        ok = rng.random(heard.size) < p
        model.ledger.add("jury_hearings", heard.size)
        model.ledger.add("jury_settlements", np.count_nonzero(ok))
        settled = np.bincount(where[ok], minlength=self.n)[sitting]
        lifecycle.resolve(model, heard[ok], b.leadership_trust_weight)

        # Watchers (旁听): a share of the community, drawn like a lecture's guests.
        watching = rng.binomial(size, sg.jury_audience)
        watchers = np.repeat(start, watching) + (
            rng.random(watching.sum()) * np.repeat(size, watching)
        ).astype(np.int64)
        h.last_participation[jurors] = model.day
        h.nudge("engagement", jurors, b.attendance_engagement_gain)
        h.nudge("legal_awareness", jurors, b.lecture_gain / 2)
        h.nudge("legal_awareness", watchers, b.lecture_gain / 2)
        model.ledger.add("jury_attendance", jurors.size + watchers.size)
        # Seeing disputes settled on law and facts builds trust, in proportion to the share
        # of the sitting's disputes settled (a sitting with no case to hear builds none).
        share = np.zeros(self.n)
        share[sitting] = settled / np.maximum(np.bincount(where, minlength=self.n)[sitting], 1)
        present = np.concatenate([jurors, watchers])
        present = present[share[layout.community[present]] > 0]
        if present.size:
            step = b.trust_gain / 2 * share[layout.community[present]]
            h.trust[present] += (step * (1 - h.trust[present])).astype(np.float32)
