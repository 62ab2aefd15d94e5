"""The practices of ODD 7.17-7.19, per agent: public juries (one agent a community),
legal advisors at sittings and resident rules revised at councils (the model's part, a
mixin of :class:`ReferenceModel`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa

from ..issues import Kind
from ..params import Parameters
from .draws import Draws
from .issues import Issue, nudge

if TYPE_CHECKING:
    from ..ledger import Ledger
    from .households import Household
    from .model import ReferenceModel
    from .staff import Council, LegalTeam


class PublicJury(mesa.Agent):
    """The public jury (公众评判庭) of one community (7.17)."""

    def __init__(self, model: ReferenceModel, index: int, households: list[Household]) -> None:
        super().__init__(model)
        self.index = index
        self.households = households
        self.sittings = 0
        self.advisor_present = False  # set by the model's 7.18 each day it sits

    def sits_today(self) -> bool:
        sg = self.model.params.self_governance
        return (
            sg.public_jury
            and "public_jury" not in self.model.disable
            and (self.index + self.model.day) % sg.jury_interval_days == 0
        )

    def step(self) -> None:
        """7.17: on its sitting day, hear the oldest waiting disputes of its community."""
        if not self.sits_today():
            return
        m = self.model
        sg, b = m.params.self_governance, m.params.behaviour
        self.sittings += 1
        m.ledger.add("jury_sittings", 1)
        waiting = [i for i in m.docket if i.jury_waiting and i.household.community == self.index]
        heard = m.take_oldest(waiting, sg.jury_cases_per_sitting)
        for issue in heard:
            issue.jury_waiting = False
        jurors = [m.choice(self.households) for _ in range(sg.jury_size)]
        w = sg.jury_law_weight
        quality = sum((1 - w) * j.norm + w * j.legal_awareness for j in jurors) / len(jurors)
        gain = 1.0
        if self.advisor_present and "advisor_gain" not in m.disable:
            gain += m.params.rule_of_law.advisor_success_gain
        m.ledger.add("jury_hearings", len(heard))
        settled = 0
        for issue in heard:
            if m.chance(min(1.0, sg.jury_success * quality * gain)):
                settled += 1
                m.ledger.add("jury_settlements", 1)
                m.resolve(issue, b.leadership_trust_weight)
        watching = int(m.rng.binomial(len(self.households), sg.jury_audience))
        watchers = [m.choice(self.households) for _ in range(watching)]
        m.ledger.add("jury_attendance", len(jurors) + len(watchers))
        for h in set(jurors):  # a household drawn twice takes part once (3)
            h.last_participation = m.day
            h.engagement = nudge(h.engagement, b.attendance_engagement_gain)
            h.legal_awareness = nudge(h.legal_awareness, b.lecture_gain / 2)
        for h in set(watchers):
            h.legal_awareness = nudge(h.legal_awareness, b.lecture_gain / 2)
        if settled:
            share = settled / len(heard)
            for h in set(jurors) | set(watchers):
                h.trust = nudge(h.trust, b.trust_gain / 2 * share)


@dataclass
class RulesView:
    """Households' mean rules strength, as the metric registry reads it."""

    model: Practices

    def mean_strength(self) -> float:
        m = self.model
        sg = m.params.self_governance
        if not sg.rules_revision:
            return float(sg.resident_rules)
        total = sum(
            m.rules_strength[k] * len(members) for k, members in enumerate(m.community_members)
        )
        return total / len(m.residents)


class Practices(Draws):
    """The model's part of 7.17-7.19: advisors join sittings, rules are revised and felt."""

    params: Parameters
    day: int
    ledger: Ledger
    disable: frozenset[str]
    docket: dict[Issue, None]
    n_advisors: int
    residents: list[Household]
    community_members: list[list[Household]]
    councils: list[Council]
    juries: list[PublicJury]
    legal_team_of_community: list[LegalTeam]
    rules_strength: list[float]
    rules_last: list[int]

    def _build_practices(self: ReferenceModel) -> None:
        self.juries = [PublicJury(self, k, m) for k, m in enumerate(self.community_members)]
        n = len(self.community_members)
        self.rules_strength = [self.params.self_governance.resident_rules] * n
        self.rules_last = [-1] * n

    @property
    def rules(self) -> RulesView:
        return RulesView(self)

    def rules_on(self) -> bool:
        return self.params.self_governance.rules_revision

    def agenda_share(self, kind: Kind) -> float:
        """7.4, 7.10: the weight of the council agenda for an issue of ``kind``, relative to
        a public topic's: disputes of public interest too with joint councils."""
        if kind is Kind.PUBLIC:
            return 1.0
        sg = self.params.self_governance
        if kind is Kind.DISPUTE and sg.joint_councils and "joint_councils" not in self.disable:
            return sg.public_dispute_share
        return 0.0

    def choose_jury(self, issue: Issue) -> None:
        """7.7, 7.17: the parties of a dispute whose mediation failed may choose the jury."""
        sg = self.params.self_governance
        if sg.public_jury and "public_jury" not in self.disable:
            issue.jury_waiting = self.chance(sg.jury_acceptance)

    def advisors_attend(self) -> None:
        """7.18: a legal advisor attends each of today's council meetings, then each jury
        sitting, with ``advisor_attendance``; each takes time from the advisors' queue."""
        law = self.params.rule_of_law
        for council in self.councils:
            council.advisor_present = False
        for jury in self.juries:
            jury.advisor_present = False
        key = "rule_of_law.advisor_attendance"
        scoped = self.local.active(key)
        if (law.advisor_attendance <= 0 and not scoped) or self.n_advisors == 0:
            return
        sitting = [c for c in self.councils if c.meets_today()]
        sitting += [j for j in self.juries if j.sits_today()]
        for body in sitting:
            if self.chance(self.lever(key, body.index)):
                body.advisor_present = True
                self.ledger.add("advisor_sittings", 1)
                team = self.legal_team_of_community[body.index]
                team.owed += law.advisor_sitting_cases

    def revise_rules(self, community: int, quality: float) -> None:
        """7.19: at a council meeting the rules erode for the days since their last
        revision, then move toward 1 as the meeting's quality allows."""
        sg = self.params.self_governance
        if not sg.rules_revision or "rules_revision" in self.disable:
            return
        last = self.rules_last[community]
        s = self.rules_strength[community]
        if last >= 0:
            s *= math.exp(-(self.day - last) / sg.rules_decay_days)
        s += sg.rules_revision_gain * min(quality, 1.0) * (1 - s)
        self.rules_strength[community] = s
        self.rules_last[community] = self.day
        self.ledger.add("rules_revisions", 1)

    def rules_felt(self, a: Household, c: Household) -> float:
        """7.19: the community's rules strength as the parties feel it, its legal part
        through their mean legal awareness (the fixed ``resident_rules`` when not revised)."""
        sg = self.params.self_governance
        if not sg.rules_revision:
            return sg.resident_rules
        w = sg.rules_law_weight
        aware = 0.5 * (a.legal_awareness + c.legal_awareness)
        return self.rules_strength[a.community] * (1 - w + w * aware)
