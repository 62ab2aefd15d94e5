"""ODD 2.7 and 7.10. Deliberation councils (议事会, "1+7+X"): public topics decided with
residents."""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import AGENDA, INVESTIGATED
from ..queues import take_oldest
from ..world import World


class Councils:
    """One council per community, meeting every ``deliberation_interval_days`` (as often
    as its party secretary convenes it)."""

    def __init__(self, model: World) -> None:
        self.model = model
        self.interval = model.params.self_governance.deliberation_interval_days
        self.n = model.layout.n_communities
        self.meetings = np.zeros(self.n)

    @property
    def available(self) -> bool:
        return self.interval > 0

    def meeting_today(self) -> np.ndarray:
        """Communities whose council meets today (staggered so the load spreads over the
        interval): every ``interval / council_convening`` days, rounded, and never where
        the party secretary does not convene it (``fusion.council_convening`` = 0)."""
        if not self.available:
            return np.zeros(0, dtype=np.int64)
        model = self.model
        day = np.arange(self.n) + model.day
        local = model.local_array("fusion.council_convening")
        convening = model.params.fusion.council_convening
        if local is None and convening == 1.0:
            return np.flatnonzero(day % self.interval == 0)
        rate = np.full(self.n, convening) if local is None else local
        period = np.maximum(1, np.rint(self.interval / np.where(rate > 0, rate, 1.0)))
        return np.flatnonzero((day % period.astype(np.int64) == 0) & (rate > 0))

    def step(self) -> None:
        """ODD 7.10: councils meeting today: attendance, then the oldest agenda topics."""
        if not self.available:
            return
        model = self.model
        meeting = self.meeting_today()
        if meeting.size == 0:
            return
        h, layout, rng = model.households, model.layout, model.rng
        size = layout.community_size[meeting]
        members = layout.members(layout.community_start, meeting)
        b = model.params.behaviour
        attended = members[rng.random(members.size) < b.council_attendance * h.engagement[members]]
        h.last_participation[attended] = model.day
        h.nudge("engagement", attended, b.attendance_engagement_gain)
        h.nudge("trust", attended, b.trust_gain / 2)
        share = np.bincount(layout.community[attended], minlength=self.n)[meeting] / size
        self.meetings[meeting] += 1
        model.ledger.add("deliberations", meeting.size)
        model.ledger.add("council_attendance", attended.size)

        quality = np.zeros(self.n)
        quality[meeting] = share / (share + b.half_success_attendance)
        if (  # ODD 7.18: an advisor attends (somewhere, when attendance is scoped)
            model.params.rule_of_law.advisor_attendance > 0
            or model.local_array("rule_of_law.advisor_attendance") is not None
        ):
            gain = model.params.rule_of_law.advisor_success_gain
            quality[meeting] *= 1 + gain * model.advisors.at_council(meeting)
        model.rules.revise(meeting, quality[meeting])  # ODD 7.19: as attendance allows
        pool = model.issues
        rows = pool.in_channel(AGENDA, model.day)
        community = layout.community[pool.household[rows]]
        capacity = np.zeros(self.n)
        topics = model.local_array("self_governance.topics_per_deliberation")
        if topics is None:
            capacity[meeting] = model.params.self_governance.topics_per_deliberation
        else:  # scoped: each community's council its own
            capacity[meeting] = topics[meeting]
        if model.params.self_governance.joint_councils:
            self._six_steps(rows, community, capacity, quality)
            return
        worked = rows[take_oldest(community, pool.raised[rows], capacity, rng)]
        p = np.minimum(1.0, b.council_success * quality[layout.community[pool.household[worked]]])
        ok = rng.random(worked.size) < p
        model.ledger.add("topics_resolved", np.count_nonzero(ok))
        lifecycle.resolve(model, worked[ok], b.leadership_trust_weight)

    def _six_steps(
        self, rows: np.ndarray, community: np.ndarray, capacity: np.ndarray, quality: np.ndarray
    ) -> None:
        """ODD 7.10, "1+7+X": the topics investigated since the last meeting are decided
        first, published and followed up; the rest of the capacity chooses new topics
        (collected on the agenda, disputes of public interest among them) to investigate."""
        model = self.model
        pool, layout, rng = model.issues, model.layout, model.rng
        sg, b = model.params.self_governance, model.params.behaviour
        investigated = pool.attempts[rows] == INVESTIGATED
        ready, fresh = rows[investigated], rows[~investigated]
        decided = ready[take_oldest(community[investigated], pool.raised[ready], capacity, rng)]
        where = layout.community[pool.household[decided]]
        left = capacity - np.bincount(where, minlength=self.n)
        chosen = fresh[take_oldest(community[~investigated], pool.raised[fresh], left, rng)]
        pool.attempts[chosen] = INVESTIGATED  # 议前调研: decided at the next meeting
        p = np.minimum(1.0, b.council_success * quality[where] * (1 + sg.investigation_gain))
        ok = rng.random(decided.size) < p
        decided = decided[ok]
        model.ledger.add("council_decisions", decided.size)  # 公示结果: published
        carried = rng.random(decided.size) < sg.follow_up_success  # 跟踪落实
        model.ledger.add("topics_resolved", np.count_nonzero(carried))
        lifecycle.resolve(model, decided[carried], b.leadership_trust_weight)
        # A decision not carried out is seen to fail: its raiser, and, since it was
        # published, its grid, lose trust; the topic goes back to be chosen again.
        failed = decided[~carried]
        model.ledger.add("follow_up_failures", failed.size)
        pool.attempts[failed] = 0
        who = pool.household[failed]
        model.households.nudge("trust", who, b.trust_loss, 0.0)
        if who.size and b.public_spillover > 0:
            grids = np.unique(layout.grid[who])
            members = layout.members(layout.grid_start, grids)
            model.households.nudge("trust", members, b.public_spillover * b.trust_loss, 0.0)
