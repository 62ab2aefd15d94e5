"""Households (ODD 2.1) as Mesa agents, with the submodels each household runs itself."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa

from ..issues import Channel, Kind
from .constants import INFORMAL_KINDS, NEVER, YEAR
from .issues import Issue, nudge

if TYPE_CHECKING:
    from .model import ReferenceModel
    from .staff import CommunityOffice, Council, GridTeam, LegalTeam, SocialOrganisation


class Household(mesa.Agent):
    """A household (户): its traits, flags and the open issues it raised."""

    def __init__(self, model: ReferenceModel, index: int, grid: int, community: int) -> None:
        super().__init__(model)
        p = model.params
        pop = p.population
        self.index, self.grid, self.community = index, grid, community
        # 5.3: initial traits and flags.
        self.norm = model.beta(pop.mean_norm)
        self.trust = model.beta(pop.mean_trust)
        self.engagement = model.beta(p.self_governance.participation)
        self.legal_awareness = model.beta(pop.mean_legal_awareness)
        law = p.rule_of_law
        typical = 1 - (1 - law.detection_probability) * (
            1 - law.police_detection * p.staffing.police_per_grid
        )
        self.deterrence = model.beta(typical)
        self.satisfaction = 0.5 * self.trust + 0.5
        self.security = 1.0
        self.credits = 0.0
        self.integrity = 1.0  # 7.20: integrity points, a share of full points
        self.preferred = False  # 7.21: given preferential credit (道德信贷) this month
        self.party_member = model.chance(pop.party_member_share)
        # Ageing members no longer serve; members in service elsewhere serve their home
        # community only if they registered there (双报到).
        in_service = model.chance(pop.in_service_party_share)
        serves = model.chance(pop.dual_registration if in_service else pop.active_party_share)
        if "party_ageing" in model.disable:
            serves = True
        self.party_active = self.party_member and serves
        self.volunteer = model.chance(pop.volunteer_share) or self.party_active
        self.active_volunteer = self.volunteer and model.chance(p.behaviour.active_volunteer_share)
        self.role_model = False
        took_part = model.chance(self.engagement)
        self.last_participation = -int(model.rng.integers(1, 366)) if took_part else NEVER
        self.last_sanctioned = NEVER
        self.issues: list[Issue] = []
        # Set by the model once all agents exist.
        self.neighbours: list[Household] = []
        self.grid_team: GridTeam
        self.office: CommunityOffice | None = None
        self.legal_team: LegalTeam | None = None
        self.organisation: SocialOrganisation
        self.council: Council | None = None
        # Scratch for the synchronous updates of 7.14-7.16.
        self.suffered = 0
        self.neighbour_means = (0.0, 0.0, 0.0)
        self.role_model_target: float | None = None

    @property
    def open_issues(self) -> int:
        return len(self.issues)

    # 7.1 Raising issues: one Bernoulli draw per hazard and day.

    def raise_issues(self) -> None:
        m, b = self.model, self.model.params.behaviour
        today: list[Issue] = []
        if m.chance(b.dispute_rate / YEAR) and self.neighbours:
            other = m.choice(self.neighbours)
            p = 1 - b.dispute_prevention * 0.5 * (self.norm + other.norm)
            if m.rules_on():  # 7.19: rules that carry law prevent some disputes
                p *= 1 - m.params.self_governance.rules_prevention * m.rules_felt(self, other)
            if m.chance(p):
                today.append(m.new_issue(self, other, Kind.DISPUTE))
        if m.chance(b.violation_rate / YEAR) and self.neighbours:
            violator = m.choice(self.neighbours)
            if m.chance(violator.violation_hazard()):
                today.append(m.new_issue(self, violator, Kind.VIOLATION))
        if m.chance(b.service_rate / YEAR):
            today.append(m.new_issue(self, None, Kind.SERVICE))
        if m.chance(b.public_rate / YEAR):
            today.append(m.new_issue(self, None, Kind.PUBLIC))
        # Cap: at most max_open_issues open; which of today's is dropped is random.
        m.shuffle(today)
        for issue in today[: max(0, b.max_open_issues - len(self.issues))]:
            m.accept(issue)

    def violation_hazard(self) -> float:
        """Chance this household violates against a neighbour drawn as victim (Becker)."""
        b, law = self.model.params.behaviour, self.model.params.rule_of_law
        moral = self.model.params.moral
        at_stake = 0.0  # 7.20: the standing a household would lose if caught
        if moral.integrity_points and "integrity_points" not in self.model.disable:
            at_stake = moral.integrity_stake * self.integrity
        deterred = math.exp(
            -self.deterrence * (b.deterrence_weight + b.sanction_weight * law.sanction + at_stake)
        )
        return (1 - self.norm) * (1 - b.aware_compliance * self.legal_awareness) * deterred

    # 7.4 Channel choice.

    def choose_channel(self, issue: Issue) -> Channel:
        m, b = self.model, self.model.params.behaviour
        helpers = 0.0 if "helpers" in m.disable else m.helpers[self.grid]
        weights = {
            Channel.UNREPORTED: b.unreported_weight * (0.5 if issue.kind is Kind.SERVICE else 1.0),
            Channel.GRID: b.grid_weight * (0.2 + self.trust) * (1 + b.helper_reporting * helpers),
            Channel.LEGAL: b.legal_weight * self.legal_awareness
            if m.legal_available and issue.kind in INFORMAL_KINDS
            else 0.0,
            Channel.AGENDA: b.agenda_weight * self.engagement * m.agenda_share(issue.kind)
            if m.councils_available
            else 0.0,
            Channel.COMMUNITY: b.community_weight * (0.2 + self.trust)
            if m.community_available
            else 0.0,
        }
        total = sum(weights.values())
        chosen = Channel.UNREPORTED  # also when no channel has any weight
        u = m.uniform() * total
        for channel, weight in weights.items():
            if weight > 0:
                chosen = channel
                if u < weight:
                    break
                u -= weight
        return chosen

    # 7.11 Fading and 7.12 patience and escalation.

    def let_issues_fade(self) -> None:
        m = self.model
        for issue in [i for i in self.issues if i.channel is Channel.UNREPORTED]:
            if m.chance(1.0 / m.params.behaviour.spontaneous_days):
                m.fade(issue)

    def escalate_or_wait(self) -> None:
        m, b = self.model, self.model.params.behaviour
        for issue in [i for i in self.issues if i.deadline <= m.day]:
            p = (
                b.escalation_propensity
                * (1 - self.trust)
                * (1 - b.awareness_damping * self.legal_awareness)
                * m.channel_factor[issue.channel]
            )
            if m.chance(p):
                m.escalate(issue)
            else:
                self.trust = nudge(self.trust, b.trust_loss, 0.0)
                issue.deadline = m.day + m.patience(self)

    # 7.13 Volunteering (only registered volunteers are asked).

    def volunteer_today(self) -> None:
        m, b, moral = self.model, self.model.params.behaviour, self.model.params.moral
        bank = moral.credit_value * b.bank_boost if moral.moral_bank else 0.0
        if moral.redemption and "redemption" not in m.disable:
            bank *= 1 + moral.redemption_pull  # 7.21: a credit that can be spent pulls more
        boost = 0.0 if "moral_bank_boost" in m.disable else bank
        effort = m.lever("fusion.member_mobilisation", self.community)
        if "member_mobilisation" in m.disable:
            effort = 1.0
        mobilised = 1 + effort * m.params.fusion.party_leadership if self.party_active else 1.0
        distrust = b.credibility_volunteering * (1 - self.organisation.credibility)
        if "credibility_effects" in m.disable:
            distrust = 0.0
        p = (
            b.volunteer_sessions_per_year
            / YEAR
            * self.engagement
            * (1 + boost)
            * mobilised
            * (1 - distrust)
        )
        sessions = int(m.rng.poisson(p))
        if sessions == 0:
            return
        hours = sessions * b.hours_per_session
        m.ledger.add("volunteer_hours", hours)
        self.organisation.volunteer_hours += hours
        self.last_participation = m.day
        if moral.moral_bank:
            self.credits += hours * moral.credit_value
        crowding = moral.crowding_out if bank > 0 else 0.0
        self.norm = nudge(self.norm, b.norm_from_volunteering * (1 - crowding))

    # 7.14 Role-model pull, synchronous: all look, then all move.

    def look_at_role_models(self) -> None:
        models = [n.norm for n in self.neighbours if n.role_model]
        self.role_model_target = sum(models) / len(models) if models else None

    def follow_role_models(self) -> None:
        if self.role_model_target is not None:
            params = self.model.params
            rate = params.moral.role_models * params.behaviour.role_model_rate
            self.norm += rate * (self.role_model_target - self.norm)

    # 7.15 Diffusion, synchronous: all observe, then all update.

    def observe_neighbours(self) -> None:
        self.suffered = sum(1 for i in self.issues if i.kind is Kind.VIOLATION)  # for 7.16
        if not self.neighbours:  # without ties a household keeps its own view
            self.neighbour_means = (self.norm, self.trust, self.engagement)
            return
        norm = trust = engagement = 0.0
        for other in self.neighbours:
            norm += other.norm
            trust += other.trust
            engagement += other.engagement
        k = len(self.neighbours)
        self.neighbour_means = (norm / k, trust / k, engagement / k)

    def diffuse(self) -> None:
        b = self.model.params.behaviour
        norm, trust, engagement = self.neighbour_means
        self.norm += b.norm_diffusion * (norm - self.norm)
        self.trust += b.trust_diffusion * (trust - self.trust)
        self.engagement += b.engagement_diffusion * (engagement - self.engagement)

    # 7.16 Security, broken windows, anchors, awareness, satisfaction.

    def update_attitudes(self) -> None:
        m, b = self.model, self.model.params.behaviour
        pop = m.params.population
        k = len(self.neighbours)
        around = sum(n.suffered for n in self.neighbours) / k if k else 0.0
        exposure = min(1.0, self.suffered + b.neighbour_exposure * around)
        self.security += ((1 - exposure) - self.security) / b.security_days
        if "broken_windows" not in m.disable:
            self.norm -= b.broken_windows * exposure * self.norm
        participation = m.lever("self_governance.participation", self.community)
        self.engagement += b.engagement_anchor * (participation - self.engagement)
        self.trust += b.trust_anchor * (pop.mean_trust - self.trust)
        self.legal_awareness += (pop.mean_legal_awareness - self.legal_awareness) / (
            b.awareness_decay_days
        )
        waiting = any(i.raised <= m.day - b.waiting_days for i in self.issues)
        weights = (
            b.satisfaction_from_trust,
            b.satisfaction_from_security,
            b.satisfaction_from_not_waiting,
        )
        total = sum(weights)
        if total > 0:  # the weights are normalised; with none, satisfaction stays
            target = (
                weights[0] * self.trust
                + weights[1] * self.security
                + weights[2] * (0.0 if waiting else 1.0)
            ) / total
            self.satisfaction += (target - self.satisfaction) / b.satisfaction_days

    def __repr__(self) -> str:
        return f"Household(index={self.index}, grid={self.grid})"
