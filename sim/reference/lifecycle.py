"""ODD 7.0, what happens to an issue: the shared operations every agent closes or moves
issues through, and the oldest-first queue rule. A mixin of :class:`ReferenceModel`, so
agents call them as ``model.resolve(issue, ...)``, the per-agent Mesa idiom."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np

from ..issues import Channel, Kind
from ..ledger import Ledger
from ..params import Parameters
from .draws import Draws
from .issues import Issue, nudge

if TYPE_CHECKING:
    from .households import Household


class IssueLifecycle(Draws):
    """Resolve, escalate, enforce, refer, retry; the queues issues move between."""

    params: Parameters
    day: int
    ledger: Ledger
    disable: frozenset[str]
    coordination: float
    docket: dict[Issue, None]  # COURT issues (7.7)
    n_open: int
    grid_members: list[list[Household]]

    def resolve(self, issue: Issue, gain: float) -> None:
        """Close an issue as resolved by a channel; the raiser's trust rises by ``gain``
        steps (the route's ``*_trust_weight``)."""
        self.resolve_all([issue], gain)

    def resolve_all(self, issues: list[Issue], gain: float) -> None:
        """Close issues resolved by one call of a submodel (7.0) as the engine's single
        ``resolve`` call does: under the repeated-households rule (3) a raiser of several of
        them gains trust once, and a grid with several public topics among them gets the
        spillover once."""
        b = self.params.behaviour
        for issue in issues:
            age = self.day - issue.raised
            self.ledger.add("resolved", 1)
            self.ledger.add("resolve_days", age)
            if issue.kind is Kind.SERVICE:
                self.ledger.add("services_resolved", 1)
                self.ledger.add("service_days", age)
        if gain > 0 and issues:
            step = min(1.0, b.trust_gain * gain)
            together = "resolved_together" not in self.disable
            for batch in [issues] if together else [[issue] for issue in issues]:
                for h in dict.fromkeys(issue.household for issue in batch):
                    h.trust = nudge(h.trust, step)
                if "public_spillover" not in self.disable:
                    grids = {i.household.grid for i in batch if i.kind is Kind.PUBLIC}
                    for g in sorted(grids):
                        for h in self.grid_members[g]:
                            h.trust = nudge(h.trust, b.public_spillover * step)
        for issue in issues:
            self.close_issue(issue)

    def fade(self, issue: Issue) -> None:
        """Close an issue that faded unhandled: neither resolved nor escalated (7.11)."""
        if "fading_as_resolved" in self.disable:
            self.resolve(issue, 0.0)
            return
        self.ledger.add("faded", 1)
        self.close_issue(issue)

    def escalate(self, issue: Issue) -> None:
        """Close an issue as escalated beyond the grassroots (越级上访)."""
        self.ledger.add("escalated", 1)
        self.ledger.add_by_community("escalated", np.array([issue.household.community]))
        raiser = issue.household
        raiser.trust = nudge(raiser.trust, 2 * self.params.behaviour.trust_loss, 0.0)
        self.lose_points(raiser, self.params.moral.integrity_escalation_cost)  # 7.20
        self.close_issue(issue)

    def enforce(self, issue: Issue) -> None:
        """Sanction the violator; its neighbours learn too; the victim's issue is resolved."""
        learning = self.params.behaviour.deterrence_learning
        violator = issue.counterpart
        self.ledger.add("enforcements", 1)
        violator.deterrence = nudge(violator.deterrence, learning)
        for h in violator.neighbours:
            h.deterrence = nudge(h.deterrence, learning / 4)
        violator.last_sanctioned = self.day
        self.lose_points(violator, self.params.moral.integrity_sanction_cost)  # 7.20
        self.resolve(issue, self.params.behaviour.routine_trust_weight)

    def lose_points(self, household: Household, cost: float) -> None:
        """7.20: a sanction or an escalation costs integrity points, never below 0."""
        if self.params.moral.integrity_points and "integrity_points" not in self.disable:
            household.integrity = max(0.0, household.integrity - cost)
            self.ledger.add("integrity_deductions", 1)

    def refer(self, issue: Issue, channel: Channel) -> None:
        """Pass an issue on: lost with ``referral_loss x gap``, else delayed."""
        b = self.params.behaviour
        gap = 1 - self.coordination_in(issue.household.community)
        self.ledger.add("referrals", 1)
        loss = 0.0 if "referral_loss" in self.disable else b.referral_loss * gap
        if self.chance(loss):
            self.ledger.add("referrals_lost", 1)
            self.move(issue, Channel.UNREPORTED, issue.ready)
            raiser = issue.household
            raiser.trust = nudge(raiser.trust, b.trust_loss, 0.0)
        else:
            self.move(issue, channel, self.day + round(b.referral_delay_days * gap))

    def refer_to_social(self, issue: Issue, retry_days: int) -> None:
        """A service request goes to the household's social organisation if it has capacity
        today and the household accepts (it refuses with ``credibility_referral x (1 -
        credibility)``); otherwise it waits ``retry_days`` where it is."""
        organisation = issue.household.organisation
        if organisation.capacity() <= 0:
            self.retry(issue, retry_days)
            return
        refusal = self.params.behaviour.credibility_referral * (1 - organisation.credibility)
        if "credibility_effects" in self.disable:
            refusal = 0.0
        if self.chance(refusal):
            self.ledger.add("referrals_refused", 1)
            self.retry(issue, retry_days)
        else:
            self.refer(issue, Channel.SOCIAL)

    def retry(self, issue: Issue, days: int) -> None:
        issue.ready = self.day + days

    def move(self, issue: Issue, channel: Channel, ready: int) -> None:
        """Put an issue in ``channel``: out of its old queue, into the new one."""
        if issue.place is not None:
            del issue.place[issue]
        issue.channel, issue.ready = channel, ready
        issue.place = self.queue_for(issue.household, channel)
        if issue.place is not None:
            issue.place[issue] = None

    def queue_for(self, household: Household, channel: Channel) -> dict[Issue, None] | None:
        """The queue that holds a household's issues in ``channel`` (None: NEW, CLOSED)."""
        if channel is Channel.UNREPORTED:
            return household.grid_team.beat
        if channel is Channel.GRID:
            return household.grid_team.queue
        if channel is Channel.COMMUNITY:
            return household.office.queue
        if channel is Channel.LEGAL:
            return household.legal_team.queue
        if channel is Channel.SOCIAL:
            return household.organisation.queue
        if channel is Channel.AGENDA:
            return household.council.agenda
        if channel is Channel.COURT:
            return self.docket
        return None

    def close_issue(self, issue: Issue) -> None:
        self.move(issue, Channel.CLOSED, issue.ready)
        issue.household.issues.remove(issue)
        self.n_open -= 1

    def patience(self, household: Household) -> int:
        """Days until patience runs out: ceil(Exponential(mean)) + 1 (7.0)."""
        mean = self.params.behaviour.patience_days * (0.5 + household.trust)
        return math.ceil(self.rng.exponential(mean)) + 1

    def pair_mean(self, issue: Issue, trait: str) -> float:
        a, c = issue.parties()
        return 0.5 * (getattr(a, trait) + getattr(c, trait))

    def ready(self, queue: Iterable[Issue]) -> list[Issue]:
        return [issue for issue in queue if issue.ready <= self.day]

    def take_oldest(
        self,
        issues: list[Issue],
        capacity: float,
        by_standing: bool = False,
        first: Callable[[Issue], bool] | None = None,
    ) -> list[Issue]:
        """The oldest ``K`` issues, ``K`` = capacity rounded up or down at random (7.0).

        ``by_standing`` (the grid and the community office): an issue counts as raised
        ``integrity_priority_days x standing`` days earlier with integrity points (7.20),
        and ``preferential_priority_days`` earlier for a household with preferential
        credit (7.21). ``first`` (the grid's ``serve_first``): the issues it holds for
        come before all others, oldest first among them.
        """
        whole = math.floor(capacity)
        k = whole + (1 if self.chance(capacity - whole) else 0)
        if k <= 0:
            return []
        moral = self.params.moral
        points = moral.integrity_points and "integrity_points" not in self.disable
        credit = moral.moral_bank and moral.redemption and "redemption" not in self.disable
        if by_standing and (points or credit):
            by_points = moral.integrity_priority_days if points else 0.0
            by_credit = moral.preferential_priority_days if credit else 0.0

            def key(issue: Issue) -> tuple[float, int]:
                h = issue.household
                shift = by_points * h.integrity + (by_credit if h.preferred else 0.0)
                return issue.raised - shift, issue.serial

        else:
            key = Issue.age
        if first is not None:
            return sorted(issues, key=lambda issue: (not first(issue), key(issue)))[:k]
        return sorted(issues, key=key)[:k]
