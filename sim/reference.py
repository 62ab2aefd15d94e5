"""The reference model: the rules of docs/ODD.md written as idiomatic per-agent Mesa.

Every household is a :class:`Household` agent with its own attributes; every open issue is
an :class:`Issue` object held in the queue of the staff agent working it; grid teams, legal
advisor teams, social organisations, party branches and councils are Mesa agents whose
``step`` works their own queue, oldest first, within capacity. :meth:`ReferenceModel.step`
runs the submodels in the order of ODD section 3; comments cite the ODD sections.

It is slow (microseconds per household-day) and exists to check the vectorised engine
(:class:`sim.GovernanceModel`): both must agree *statistically* (tests/test_equivalence.py).
It shares with the engine only the parameters, the layout, the network construction, the
ledger and the metric registry, never the step code. Draws come from ``self.rng`` in a
different order, so trajectories are not bit-identical.

Deliberate simplifications, all below the equivalence test's resolution:

- Issues are raised with one Bernoulli draw per household, kind and day (probability = the
  daily hazard) instead of Poisson thinning: at most one issue of a kind a day.
- Where the engine nudges a household once although one vectorised call lists it twice
  (ODD 3, "Repeated households"), the reference nudges it per event, except for three cases
  where "once" is the natural reading: lecture attendees, black-board neighbours and a
  volunteer's norm gain on a day with two sessions.
- Values are Python floats (float64); the engine stores household state as float32.

Within a day the engine's issue pool holds new issues by kind (disputes, service requests,
violations, public topics), and queues break ties by pool position; the reference numbers a
day's issues in the same order (ODD 3 says only "arrival order"). The kinds and channels
(``sim.issues.Kind``, ``Channel``) are shared vocabulary. ``shuffle_do`` draws from Mesa's
``self.random``, which Mesa seeds from the same seed as ``self.rng``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np

from .issues import Channel, Kind
from .layout import Assignment, Layout
from .ledger import Ledger
from .metrics import METRICS
from .network import small_world
from .params import ParameterError, Parameters

# Fixed model assumptions (module constants in the ODD), restated here from the ODD.
YEAR = 365.0
PARTY_COORDINATION = 0.5  # 2.8
PUBLIC_SPILLOVER = 0.1  # 7.0
PREVENTION = 0.8  # 7.1
AWARE_COMPLIANCE = 0.5  # 7.1
GRID_RETRY_DAYS = 7  # 7.6
REPEAT_FACTOR = 0.5  # 7.6
WORKLOAD_DAYS = 14  # 7.6
LEGAL_RETRY_DAYS = 7  # 7.7
SOCIAL_RETRY_DAYS = 3  # 7.8
CREDIBILITY_RATE = 0.02  # 7.8
STUCK_CHANNELS = frozenset(
    {Channel.UNREPORTED, Channel.GRID, Channel.LEGAL, Channel.SOCIAL, Channel.AGENDA}
)  # 7.9
HALF_SUCCESS_ATTENDANCE = 0.01  # 7.10
AWARENESS_DAMPING = 0.5  # 7.12
CHANNEL_FACTOR = {
    Channel.NEW: 1.0,
    Channel.UNREPORTED: 0.6,
    Channel.GRID: 0.8,
    Channel.LEGAL: 0.5,
    Channel.SOCIAL: 0.8,
    Channel.AGENDA: 0.7,
    Channel.COURT: 0.3,
}  # 7.12
BANK_BOOST = 1.0  # 7.13
BOARD_NORM_GAIN = 0.05  # 7.14
BLACK_DETERRENCE_GAIN = 0.1  # 7.14
ROLE_MODEL_RATE = 0.1  # 7.14
NEIGHBOUR_EXPOSURE = 0.5  # 7.16
WAITING_DAYS = 14  # 7.16

NEVER = -(2**30)  # a day long before the run
INFORMAL_KINDS = (Kind.DISPUTE, Kind.VIOLATION)
UNIFORM_BLOCK = 8192  # uniforms drawn from self.rng at a time

# Mechanisms that can be switched off to test the power of the equivalence test.
MUTATIONS = frozenset(
    {
        "on_the_spot_detection",  # 7.2
        "informal_settlement",  # 7.3
        "patrol",  # 7.5
        "hard_disputes",  # 7.6: REPEAT_FACTOR
        "referral_loss",  # 7.0
        "party_visits",  # 7.9
        "moral_bank_boost",  # 7.13
        "broken_windows",  # 7.16
        "public_spillover",  # 7.0
    }
)


def nudge(x: float, rate: float, target: float = 1.0) -> float:
    """``x`` moved a share ``rate`` of the way toward ``target`` (ODD conventions)."""
    return x + rate * (target - x)


@dataclass(eq=False, slots=True)
class Issue:
    """One open issue (2.2). Two issues are the same only if they are the same object."""

    household: Household  # who raised it (the victim of a violation)
    counterpart: Household | None  # the neighbour or violator; None for service and public
    kind: Kind
    raised: int
    deadline: int
    serial: int = 0  # arrival order: breaks ties between issues raised the same day (3)
    channel: Channel = Channel.NEW
    ready: int = 0
    attempts: int = 0  # grid mediation attempts (7.6)
    place: dict[Issue, None] | None = None  # the queue (an ordered set) holding it

    def age(self) -> tuple[int, int]:
        """Sort key of queues: oldest first, ties in arrival order (3, 7.0)."""
        return self.raised, self.serial

    def parties(self) -> tuple[Household, Household]:
        """Both parties; the raiser twice for an issue without a counterpart (7.0 pair mean)."""
        return self.household, self.counterpart or self.household


# --- Households (2.1)


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
        self.deterrence = model.beta(p.rule_of_law.detection_probability)
        self.satisfaction = 0.5 * self.trust + 0.5
        self.security = 1.0
        self.credits = 0.0
        self.party_member = model.chance(pop.party_member_share)
        self.volunteer = model.chance(pop.volunteer_share) or self.party_member
        self.active_volunteer = self.volunteer and model.chance(p.behaviour.active_volunteer_share)
        self.role_model = False
        took_part = model.chance(self.engagement)
        self.last_participation = -int(model.rng.integers(1, 366)) if took_part else NEVER
        self.last_sanctioned = NEVER
        self.issues: list[Issue] = []
        # Set by the model once all agents exist.
        self.neighbours: list[Household] = []
        self.grid_team: GridTeam
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
            if m.chance(1 - PREVENTION * 0.5 * (self.norm + other.norm)):
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
        deterred = math.exp(
            -self.deterrence * (b.deterrence_weight + b.sanction_weight * law.sanction)
        )
        return (1 - self.norm) * (1 - AWARE_COMPLIANCE * self.legal_awareness) * deterred

    # 7.4 Channel choice.

    def choose_channel(self, issue: Issue) -> Channel:
        m, b = self.model, self.model.params.behaviour
        weights = {
            Channel.UNREPORTED: b.unreported_weight * (0.5 if issue.kind is Kind.SERVICE else 1.0),
            Channel.GRID: b.grid_weight * (0.2 + self.trust),
            Channel.LEGAL: b.legal_weight * self.legal_awareness
            if m.legal_available and issue.kind in INFORMAL_KINDS
            else 0.0,
            Channel.AGENDA: b.agenda_weight * self.engagement
            if m.councils_available and issue.kind is Kind.PUBLIC
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
                m.resolve(issue, 0.0)

    def escalate_or_wait(self) -> None:
        m, b = self.model, self.model.params.behaviour
        for issue in [i for i in self.issues if i.deadline <= m.day]:
            p = (
                b.escalation_propensity
                * (1 - self.trust)
                * (1 - AWARENESS_DAMPING * self.legal_awareness)
                * CHANNEL_FACTOR[issue.channel]
            )
            if m.chance(p):
                m.escalate(issue)
            else:
                self.trust = nudge(self.trust, b.trust_loss, 0.0)
                issue.deadline = m.day + m.patience(self)

    # 7.13 Volunteering (only registered volunteers are asked).

    def volunteer_today(self) -> None:
        m, b, moral = self.model, self.model.params.behaviour, self.model.params.moral
        bank = moral.credit_value * BANK_BOOST if moral.moral_bank else 0.0
        boost = 0.0 if "moral_bank_boost" in m.disable else bank
        mobilised = 1 + m.params.fusion.party_leadership if self.party_member else 1.0
        p = b.volunteer_sessions_per_year / YEAR * self.engagement * (1 + boost) * mobilised
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
            rate = self.model.params.moral.role_models * ROLE_MODEL_RATE
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
        pop, sg = m.params.population, m.params.self_governance
        k = len(self.neighbours)
        around = sum(n.suffered for n in self.neighbours) / k if k else 0.0
        exposure = min(1.0, self.suffered + NEIGHBOUR_EXPOSURE * around)
        self.security += ((1 - exposure) - self.security) / b.security_days
        if "broken_windows" not in m.disable:
            self.norm -= b.broken_windows * exposure * self.norm
        self.engagement += b.engagement_anchor * (sg.participation - self.engagement)
        self.trust += b.trust_anchor * (pop.mean_trust - self.trust)
        self.legal_awareness += (pop.mean_legal_awareness - self.legal_awareness) / (
            b.awareness_decay_days
        )
        waiting = any(i.raised <= m.day - WAITING_DAYS for i in self.issues)
        target = 0.5 * self.trust + 0.3 * self.security + 0.2 * (0.0 if waiting else 1.0)
        self.satisfaction += (target - self.satisfaction) / b.satisfaction_days

    def __repr__(self) -> str:
        return f"Household(index={self.index}, grid={self.grid})"


# --- Staff (2.3-2.7): each works its own queue, oldest first, within capacity.


class GridTeam(mesa.Agent):
    """Grid workers (网格员) pooled into one team serving one grid or a block of grids (2.3)."""

    def __init__(self, model: ReferenceModel, staff: float, grids_served: int) -> None:
        super().__init__(model)
        self.staff = staff
        self.coverage = min(1.0, staff / grids_served)
        self.workload = self.utilisation = self.burnout = 0.0
        self.beat: dict[Issue, None] = {}  # UNREPORTED issues of its households (7.5)
        self.queue: dict[Issue, None] = {}  # GRID issues (7.6)

    def capacity(self) -> float:
        st = self.model.params.staffing
        free = st.grid_worker_cases_per_day * (1 - st.admin_load)
        return self.staff * free * (1 - 0.5 * self.burnout)

    def patrol(self) -> None:
        """7.5: patrols discover unreported issues and queue them today."""
        m = self.model
        if "patrol" in m.disable:
            return
        p = (
            m.params.behaviour.patrol_discovery
            * (1 - m.params.staffing.admin_load)
            * self.coverage
            * (1 - 0.5 * self.burnout)
        )
        for issue in list(self.beat):
            if m.chance(p):
                m.move(issue, Channel.GRID, m.day)

    def step(self) -> None:
        """7.6: work the oldest ready cases within capacity; update workload and burnout."""
        m = self.model
        capacity = self.capacity()
        on_desk = len(self.queue)  # ready or waiting for a retry
        worked = m.take_oldest(m.ready(self.queue), capacity)
        self.update_workload(on_desk, len(worked), capacity)
        for issue in worked:
            self.work(issue)

    def work(self, issue: Issue) -> None:
        m, b = self.model, self.model.params.behaviour
        u = m.uniform()
        if issue.kind is Kind.DISPUTE:
            m.ledger.add("mediations", 1)
            hardness = 1.0 if "hard_disputes" in m.disable else REPEAT_FACTOR**issue.attempts
            p = b.grid_mediation_success * (0.5 + 0.5 * m.pair_mean(issue, "norm")) * hardness
            issue.attempts = min(issue.attempts + 1, 100)
            if u < p:
                m.resolve(issue, 1.0)
            elif m.legal_available:
                m.refer(issue, Channel.LEGAL)
            else:
                m.retry(issue, GRID_RETRY_DAYS)
        elif issue.kind is Kind.SERVICE:
            if u < b.grid_service_success:
                m.resolve(issue, 1.0)
            elif issue.household.organisation.capacity() > 0:
                m.refer(issue, Channel.SOCIAL)
            else:
                m.retry(issue, GRID_RETRY_DAYS)
        elif issue.kind is Kind.VIOLATION:
            if u < b.enforcement_success:
                m.enforce(issue)
            else:
                m.retry(issue, GRID_RETRY_DAYS)
        elif u < b.public_grid_success:  # public topic
            m.resolve(issue, 1.0)
        elif m.councils_available:
            m.refer(issue, Channel.AGENDA)
        else:
            m.retry(issue, 2 * GRID_RETRY_DAYS)

    def update_workload(self, on_desk: int, handled: int, capacity: float) -> None:
        st, b = self.model.params.staffing, self.model.params.behaviour
        full = max(self.staff * st.grid_worker_cases_per_day, 1e-9)
        self.utilisation = st.admin_load + (1 - st.admin_load) * min(
            1.0, handled / max(capacity, 1e-9)
        )
        self.workload += (on_desk / full - self.workload) / WORKLOAD_DAYS
        pressure = st.admin_load + (1 - st.admin_load) * self.workload
        if pressure > b.burnout_threshold:
            self.burnout += b.burnout_rate * (pressure - b.burnout_threshold)
        else:
            self.burnout -= b.burnout_recovery * self.burnout
        self.burnout = min(1.0, max(0.0, self.burnout))


class LegalTeam(mesa.Agent):
    """Legal advisors (法律顾问) serving one community or a block of communities (2.4)."""

    def __init__(self, model: ReferenceModel, staff: float, communities: list[int]) -> None:
        super().__init__(model)
        self.staff = staff
        self.communities = communities
        self.cases = 0
        self.queue: dict[Issue, None] = {}  # LEGAL issues

    def step(self) -> None:
        """7.7: lectures, then the queue (the court is the model's, after all teams)."""
        self.give_lectures()
        if self.model.legal_available:
            self.work_queue()

    def give_lectures(self) -> None:
        m, law = self.model, self.model.params.rule_of_law
        held = int(m.rng.poisson(self.staff * law.legal_lectures_per_year / YEAR))
        if held == 0:
            return
        m.ledger.add("legal_lectures", held)
        attendees: set[Household] = set()  # a household attending twice learns once (3)
        for _ in range(held):
            members = m.community_members[m.choice(self.communities)]
            invited = int(m.rng.binomial(len(members), law.lecture_reach))
            for _ in range(invited):  # drawn with replacement
                guest = m.choice(members)
                if m.chance(0.5 + 0.5 * guest.engagement):
                    attendees.add(guest)
        for guest in attendees:
            guest.legal_awareness = nudge(guest.legal_awareness, m.params.behaviour.lecture_gain)

    def work_queue(self) -> None:
        m = self.model
        capacity = self.staff * m.params.staffing.legal_cases_per_week / 7.0
        worked = m.take_oldest(m.ready(self.queue), capacity)
        self.cases += len(worked)
        for issue in worked:
            self.work(issue)

    def work(self, issue: Issue) -> None:
        m, b, law = self.model, self.model.params.behaviour, self.model.params.rule_of_law
        u = m.uniform()
        if issue.kind is Kind.DISPUTE:
            m.ledger.add("mediations", 1)
            m.ledger.add("legal_mediations", 1)
            p = law.mediation_success * (0.6 + 0.4 * m.pair_mean(issue, "legal_awareness"))
            raiser = issue.household
            if u < p:
                m.resolve(issue, 1.0)
            else:  # a failed mediation goes to court: slow, but legitimate
                m.move(issue, Channel.COURT, m.day + law.court_days)
            raiser.legal_awareness = nudge(raiser.legal_awareness, b.lecture_gain / 2)
        elif issue.kind is Kind.VIOLATION:
            if u < b.enforcement_success:
                m.enforce(issue)
            else:
                m.retry(issue, LEGAL_RETRY_DAYS)
        else:  # safeguard: service requests and public topics belong to the grid
            m.refer(issue, Channel.GRID)


class SocialOrganisation(mesa.Agent):
    """A social organisation (社会组织) serving a block of households (2.5)."""

    def __init__(self, model: ReferenceModel, index: int, social_workers: int) -> None:
        super().__init__(model)
        self.index = index
        self.social_workers = social_workers
        self.credibility = 0.7
        self.volunteer_hours = 0.0  # given yesterday (7.13), used today
        self.queue: dict[Issue, None] = {}  # SOCIAL issues

    def capacity(self) -> float:
        st, b = self.model.params.staffing, self.model.params.behaviour
        return (
            self.social_workers * st.social_worker_cases_per_day
            + self.volunteer_hours / b.hours_per_service_case
        )

    def step(self) -> None:
        """7.8: serve the oldest ready requests; credibility follows the success rate."""
        m, b = self.model, self.model.params.behaviour
        tried = done = 0
        p = b.social_service_success * (0.5 + 0.5 * self.credibility)
        for issue in m.take_oldest(m.ready(self.queue), self.capacity()):
            if issue.kind is not Kind.SERVICE:  # safeguard
                m.refer(issue, Channel.GRID)
                continue
            tried += 1
            if m.chance(p):
                done += 1
                m.resolve(issue, 1.0)
            else:
                m.retry(issue, SOCIAL_RETRY_DAYS)
        if tried:
            self.credibility += CREDIBILITY_RATE * (done / tried - self.credibility)


class PartyBranch(mesa.Agent):
    """A party branch (党组织) of one grid or community (2.6)."""

    def __init__(self, model: ReferenceModel, index: int, households: list[Household]) -> None:
        super().__init__(model)
        self.index = index
        self.households = households
        self.visits = 0

    def step(self) -> None:
        """7.9: on its weekday, take up the oldest stuck cases of its households."""
        m, fusion = self.model, self.model.params.fusion
        weekly = fusion.party_visit_cases_per_week * fusion.party_leadership
        if weekly <= 0 or self.index % 7 != m.day % 7 or "party_visits" in m.disable:
            return
        stuck = [
            issue
            for household in self.households
            for issue in household.issues
            if issue.channel in STUCK_CHANNELS and issue.raised <= m.day - fusion.stuck_days
        ]
        for issue in m.take_oldest(stuck, weekly):
            self.visits += 1
            m.ledger.add("party_visits", 1)
            if m.chance(m.params.behaviour.party_visit_success):
                m.resolve(issue, 1.5)


class Council(mesa.Agent):
    """The deliberation council (议事会) of one community (2.7)."""

    def __init__(self, model: ReferenceModel, index: int, households: list[Household]) -> None:
        super().__init__(model)
        self.index = index
        self.households = households
        self.meetings = 0
        self.agenda: dict[Issue, None] = {}  # AGENDA issues

    def step(self) -> None:
        """7.10: on its meeting day, residents attend, then the oldest topics are taken up."""
        m, b = self.model, self.model.params.behaviour
        if (self.index + m.day) % m.params.self_governance.deliberation_interval_days:
            return
        attendees = [h for h in self.households if m.chance(b.council_attendance * h.engagement)]
        for h in attendees:
            h.last_participation = m.day
            h.engagement = nudge(h.engagement, 0.05)
            h.trust = nudge(h.trust, b.trust_gain / 2)
        share = len(attendees) / len(self.households)
        quality = share / (share + HALF_SUCCESS_ATTENDANCE)
        self.meetings += 1
        m.ledger.add("deliberations", 1)
        m.ledger.add("council_attendance", len(attendees))
        topics = m.params.self_governance.topics_per_deliberation
        for issue in m.take_oldest(m.ready(self.agenda), topics):
            if m.chance(b.council_success * quality):
                m.ledger.add("topics_resolved", 1)
                m.resolve(issue, 1.5)


# --- The model


class ReferenceModel(mesa.Model):
    """Per-agent Mesa form of the Sanzhi model; same constructor as ``GovernanceModel``.

    Args:
        params: a :class:`Parameters`, a nested dict of sections, or None for the defaults.
        rng: seed or ``numpy.random.SeedSequence``; defaults to ``params.scenario.seed``.
        disable: names from :data:`MUTATIONS` to switch off (for testing the tests).
    """

    def __init__(
        self,
        params: Parameters | dict[str, Any] | None = None,
        *,
        rng: Any = None,
        disable: Iterable[str] = (),
    ) -> None:
        if params is None:
            params = Parameters()
        elif isinstance(params, dict):
            params = Parameters.from_dict(params)
        _check_network(params)
        super().__init__(rng=params.scenario.seed if rng is None else rng)
        self.params = params
        self.disable = frozenset(disable)
        if unknown := self.disable - MUTATIONS:
            raise ValueError(f"unknown mutations {sorted(unknown)}; known: {sorted(MUTATIONS)}")
        self.day = 0
        self._uniforms: Iterator[float] = iter(())
        self._serial = 0
        self.n_open = 0
        self.new_today: list[Issue] = []
        self.docket: dict[Issue, None] = {}  # COURT issues (7.7)
        self.ledger = Ledger()
        fusion = params.fusion
        self.coordination = 1 - (1 - fusion.coordination) * (
            1 - PARTY_COORDINATION * fusion.party_leadership
        )  # 2.8
        self.layout = Layout.build(params)  # 5.1
        self._build_households()  # 5.2-5.3
        self._build_staff()  # 5.5-5.6
        self.datacollector = mesa.DataCollector(
            model_reporters={metric.name: metric.compute for metric in METRICS}
        )
        self.running = True

    # --- One day (3), in order.

    def step(self) -> None:
        households = self.agents_by_type[Household]
        self.ledger.new_day(self.day)  # 0
        households.shuffle_do("raise_issues")  # 1. 7.1
        new = self.take_new_issues()
        self.detect_on_the_spot(new)  # 2. 7.2
        self.settle_informally(new)  # 3. 7.3
        self.choose_channels(new)  # 4. 7.4
        self.staff(GridTeam).do("patrol")  # 5. 7.5
        self.staff(GridTeam).do("step")  # 6. 7.6
        self.staff(LegalTeam).do("step")  # 7. 7.7 lectures and queues,
        self.deliver_judgments()  #          then court judgments
        self.staff(SocialOrganisation).do("step")  # 8. 7.8
        self.staff(PartyBranch).do("step")  # 9. 7.9
        self.staff(Council).do("step")  # 10. 7.10
        households.do("let_issues_fade")  # 11. 7.11
        households.do("escalate_or_wait")  # 12. 7.12
        self.volunteer()  # 13. 7.13
        self.boards_and_role_models()  # 14. 7.14
        households.do("observe_neighbours")  # 15. 7.15 (synchronous: observe,
        households.do("diffuse")  #                    then move)
        households.do("update_attitudes")  # 16. 7.16
        self.datacollector.collect(self)  # 18 (closed issues already left, 17)
        self.day += 1  # 19

    # 7.1 (the model's part): a raised issue is accepted into the household's list.

    def new_issue(self, household: Household, other: Household | None, kind: Kind) -> Issue:
        return Issue(household, other, kind, raised=self.day, deadline=0)

    def accept(self, issue: Issue) -> None:
        issue.ready = self.day
        issue.deadline = self.day + self.patience(issue.household)
        issue.household.issues.append(issue)
        self.new_today.append(issue)
        self.n_open += 1

    def take_new_issues(self) -> list[Issue]:
        """Today's issues in arrival order, numbered for tie-breaking in queues (3).

        The engine's pool holds a day's issues by kind (disputes, service requests,
        violations, public topics), so arrival order is by kind, then random.
        """
        new = sorted(self.new_today, key=lambda issue: issue.kind)
        self.new_today = []
        for issue in new:
            issue.serial = self._serial
            self._serial += 1
        counts = {kind: 0 for kind in Kind}
        for issue in new:
            counts[issue.kind] += 1
        self.ledger.add("raised", len(new))
        self.ledger.add("disputes", counts[Kind.DISPUTE])
        self.ledger.add("service_requests", counts[Kind.SERVICE])
        self.ledger.add("violations", counts[Kind.VIOLATION])
        self.ledger.add("public_topics", counts[Kind.PUBLIC])
        return new

    def detect_on_the_spot(self, new: list[Issue]) -> None:
        """7.2: a new violation is caught (enforced) or escapes; the violator learns."""
        law, b = self.params.rule_of_law, self.params.behaviour
        for issue in new:
            if issue.kind is not Kind.VIOLATION:
                continue
            if "on_the_spot_detection" not in self.disable and self.chance(
                law.detection_probability
            ):
                self.enforce(issue)
            else:
                violator = issue.counterpart
                violator.deterrence = nudge(violator.deterrence, b.deterrence_learning, 0.0)

    def settle_informally(self, new: list[Issue]) -> None:
        """7.3: the parties of a dispute or violation try to settle it themselves."""
        if "informal_settlement" in self.disable:
            return
        b, rules = self.params.behaviour, self.params.self_governance.resident_rules
        for issue in new:
            if issue.channel is not Channel.NEW or issue.kind not in INFORMAL_KINDS:
                continue
            a, c = issue.parties()
            p_try = min(1.0, b.informal_propensity * 0.5 * (a.norm + c.norm) * (0.5 + rules))
            if not self.chance(p_try):
                continue
            weaker = min(a.norm, c.norm)
            if self.chance(b.informal_success * (0.4 + 0.6 * weaker) * (0.6 + 0.4 * rules)):
                self.ledger.add("informal_settlements", 1)
                a.engagement = nudge(a.engagement, 0.02)
                c.engagement = nudge(c.engagement, 0.02)
                self.resolve(issue, 0.0)

    def choose_channels(self, new: list[Issue]) -> None:
        """7.4: each remaining new issue takes the channel its household chooses."""
        for issue in new:
            if issue.channel is not Channel.NEW:
                continue
            channel = issue.household.choose_channel(issue)
            self.move(issue, channel, self.day)
            if channel is Channel.AGENDA:
                issue.household.last_participation = self.day

    def deliver_judgments(self) -> None:
        """7.7: every court case that is due is decided (trust weight 0.5)."""
        for issue in [i for i in self.docket if i.ready <= self.day]:
            self.resolve(issue, 0.5)

    def volunteer(self) -> None:
        """7.13: volunteers turn out; organisations count their hours for tomorrow."""
        for organisation in self.staff(SocialOrganisation):
            organisation.volunteer_hours = 0.0
        self.volunteers_set.do("volunteer_today")

    def boards_and_role_models(self) -> None:
        """7.14: monthly role-model selection, red/black boards, role-model pull."""
        if self.day % 30 != 29:
            return
        moral = self.params.moral
        households = self.agents_by_type[Household]
        top_credits = max(h.credits for h in households)

        def score(h: Household) -> tuple[float, int]:
            bonus = h.credits / (1 + top_credits) if moral.moral_bank else 0.0
            return -(h.norm + bonus), h.index

        for members in self.community_members:
            board = set(
                sorted(members, key=score)[: max(1, round(moral.list_share * len(members)))]
            )
            for h in members:
                h.role_model = h in board
        if moral.red_black_list:
            for h in households:
                if h.role_model:
                    h.norm = nudge(h.norm, BOARD_NORM_GAIN)
            black = [h for h in households if h.last_sanctioned > self.day - 30]
            for h in black:
                h.norm = nudge(h.norm, BOARD_NORM_GAIN)
                h.deterrence = nudge(h.deterrence, BLACK_DETERRENCE_GAIN)
            for h in {n for listed in black for n in listed.neighbours}:
                h.deterrence = nudge(h.deterrence, BLACK_DETERRENCE_GAIN / 4)
        if moral.role_models > 0:
            households.do("look_at_role_models")
            households.do("follow_role_models")

    # --- 7.0 Shared operations: every mechanism closes or moves issues through these.

    def resolve(self, issue: Issue, gain: float) -> None:
        """Close an issue as resolved; the raiser's trust rises by ``gain`` steps."""
        self.ledger.add("resolved", 1)
        self.ledger.add("resolve_days", self.day - issue.raised)
        if gain > 0:
            step = min(1.0, self.params.behaviour.trust_gain * gain)
            issue.household.trust = nudge(issue.household.trust, step)
            if issue.kind is Kind.PUBLIC and "public_spillover" not in self.disable:
                for h in self.grid_members[issue.household.grid]:
                    h.trust = nudge(h.trust, PUBLIC_SPILLOVER * step)
        self.close(issue)

    def escalate(self, issue: Issue) -> None:
        """Close an issue as escalated beyond the grassroots (越级上访)."""
        self.ledger.add("escalated", 1)
        raiser = issue.household
        raiser.trust = nudge(raiser.trust, 2 * self.params.behaviour.trust_loss, 0.0)
        self.close(issue)

    def enforce(self, issue: Issue) -> None:
        """Sanction the violator; its neighbours learn too; the victim's issue is resolved."""
        learning = self.params.behaviour.deterrence_learning
        violator = issue.counterpart
        self.ledger.add("enforcements", 1)
        violator.deterrence = nudge(violator.deterrence, learning)
        for h in violator.neighbours:
            h.deterrence = nudge(h.deterrence, learning / 4)
        violator.last_sanctioned = self.day
        self.resolve(issue, 1.0)

    def refer(self, issue: Issue, channel: Channel) -> None:
        """Pass an issue on: lost with ``referral_loss x gap``, else delayed."""
        b = self.params.behaviour
        gap = 1 - self.coordination
        self.ledger.add("referrals", 1)
        loss = 0.0 if "referral_loss" in self.disable else b.referral_loss * gap
        if self.chance(loss):
            self.ledger.add("referrals_lost", 1)
            self.move(issue, Channel.UNREPORTED, issue.ready)
            raiser = issue.household
            raiser.trust = nudge(raiser.trust, b.trust_loss, 0.0)
        else:
            self.move(issue, channel, self.day + round(b.referral_delay_days * gap))

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
        if channel is Channel.LEGAL:
            return household.legal_team.queue
        if channel is Channel.SOCIAL:
            return household.organisation.queue
        if channel is Channel.AGENDA:
            return household.council.agenda
        if channel is Channel.COURT:
            return self.docket
        return None

    def close(self, issue: Issue) -> None:
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

    def take_oldest(self, issues: list[Issue], capacity: float) -> list[Issue]:
        """The oldest ``K`` issues, ``K`` = capacity rounded up or down at random (7.0)."""
        whole = math.floor(capacity)
        k = whole + (1 if self.chance(capacity - whole) else 0)
        return sorted(issues, key=Issue.age)[:k] if k > 0 else []

    # --- Randomness: everything from self.rng.

    def uniform(self) -> float:
        """One U ~ Uniform[0, 1), drawn from ``self.rng`` in blocks."""
        try:
            return next(self._uniforms)
        except StopIteration:
            self._uniforms = iter(self.rng.random(UNIFORM_BLOCK).tolist())
            return next(self._uniforms)

    def chance(self, p: float) -> bool:
        """True with probability ``p`` ("with probability p" in the ODD)."""
        return self.uniform() < p

    def choice(self, items: list[Any]) -> Any:
        return items[int(self.uniform() * len(items))]

    def shuffle(self, items: list[Any]) -> None:
        for i in range(len(items) - 1, 0, -1):
            j = int(self.uniform() * (i + 1))
            items[i], items[j] = items[j], items[i]

    def beta(self, mean: float) -> float:
        """Beta with mean ``mean`` (clipped to [0.001, 0.999]) and concentration κ (5.3)."""
        kappa = self.params.population.heterogeneity
        mean = min(max(mean, 1e-3), 1 - 1e-3)
        return float(self.rng.beta(mean * kappa, (1 - mean) * kappa))

    # --- Construction (5).

    def _build_households(self) -> None:
        pop, layout = self.params.population, self.layout
        rewire = pop.network.rewire if pop.network.kind == "small_world" else 0.0
        adjacency = small_world(pop.households, pop.network.mean_degree, rewire, self.rng)
        residents = [
            Household(self, i, int(layout.grid[i]), int(layout.community[i]))
            for i in range(layout.n_households)
        ]
        for h in residents:
            start, stop = adjacency.indptr[h.index], adjacency.indptr[h.index + 1]
            h.neighbours = [residents[j] for j in adjacency.indices[start:stop]]
        self.residents = residents
        self.grid_members = [
            residents[layout.grid_start[g] : layout.grid_start[g + 1]]
            for g in range(layout.n_grids)
        ]
        self.community_members = [
            residents[layout.community_start[k] : layout.community_start[k + 1]]
            for k in range(layout.n_communities)
        ]
        self.volunteers_set = self.agents_by_type[Household].select(lambda h: h.active_volunteer)

    def _build_staff(self) -> None:
        p, layout, residents = self.params, self.layout, self.residents
        st = p.staffing
        # 2.3 grid teams
        self.n_workers = max(1, round(layout.n_households / st.households_per_grid_worker))
        self.grid_assignment = Assignment.spread(layout.n_grids, self.n_workers)
        served = np.bincount(
            self.grid_assignment.team_of_unit, minlength=len(self.grid_assignment.staff_per_team)
        )
        self.grid_team_list = teams = [
            GridTeam(self, float(staff), int(n))
            for staff, n in zip(self.grid_assignment.staff_per_team, served, strict=True)
        ]
        for h in residents:
            h.grid_team = teams[self.grid_assignment.team_of_unit[h.grid]]
        # 2.4 legal advisors
        self.n_advisors = round(layout.n_communities * st.legal_advisors_per_community)
        self.legal_available = self.n_advisors > 0 and st.legal_cases_per_week > 0
        legal = Assignment.spread(layout.n_communities, self.n_advisors)
        lawyers = [
            LegalTeam(self, float(staff), np.flatnonzero(legal.team_of_unit == t).tolist())
            for t, staff in enumerate(legal.staff_per_team)
        ]
        if lawyers:
            for h in residents:
                h.legal_team = lawyers[legal.team_of_unit[h.community]]
        # 2.5 social organisations
        n_orgs = max(1, round(layout.n_households / st.households_per_social_organisation))
        block = -(-layout.n_households // n_orgs)
        self.n_social_workers = round(
            layout.n_households * st.social_workers_per_1000_households / 1000
        )
        orgs = [
            SocialOrganisation(self, o, len(range(o, self.n_social_workers, n_orgs)))
            for o in range(n_orgs)
        ]
        for h in residents:
            h.organisation = orgs[h.index // block]
        # 2.6 party branches
        units = self.grid_members if st.party_branch_level == "grid" else self.community_members
        for b, members in enumerate(units):
            PartyBranch(self, b, members)
        # 2.7 councils
        self.councils_available = p.self_governance.deliberation_interval_days > 0
        if self.councils_available:
            for k, members in enumerate(self.community_members):
                council = Council(self, k, members)
                for h in members:
                    h.council = council

    def staff(self, kind: type[mesa.Agent]) -> mesa.agent.AgentSet:
        """All agents of a staff type (an empty set if there are none)."""
        found = self.agents_by_type.get(kind)
        return found if found is not None else mesa.agent.AgentSet([], random=self.random)

    # --- What the metric registry (sim.metrics) reads: array views built from the agents.

    @property
    def households(self) -> _HouseholdColumns:
        return _HouseholdColumns(self.residents)

    @property
    def issues(self) -> _IssueCount:
        return _IssueCount(self.n_open)

    @property
    def volunteers(self) -> np.ndarray:
        return np.array([h.index for h in self.residents if h.volunteer], dtype=np.int64)

    @property
    def grid_teams(self) -> _GridColumns:
        return _GridColumns(self)

    @property
    def legal(self) -> _Count:
        return _Count(n_advisors=self.n_advisors)

    @property
    def social(self) -> _Count:
        return _Count(n_social_workers=self.n_social_workers)

    def __repr__(self) -> str:
        return f"ReferenceModel(households={len(self.residents)}, day={self.day})"


def _check_network(params: Parameters) -> None:
    """The checks that involve more than one parameter (as ``GovernanceModel`` makes)."""
    net, n = params.population.network, params.population.households
    if net.mean_degree % 2:
        raise ParameterError("population.network.mean_degree", "must be even", "an even integer")
    if net.mean_degree >= n:
        raise ParameterError(
            "population.network.mean_degree",
            f"{net.mean_degree} ties need more than {n} households",
            "fewer ties than households",
        )


class _HouseholdColumns:
    """``model.households.<field>`` as an array over households, for the metric registry."""

    def __init__(self, residents: list[Household]) -> None:
        self._residents = residents
        self.n = len(residents)

    def __getattr__(self, field: str) -> np.ndarray:
        return np.array([getattr(h, field) for h in self._residents])


@dataclass(frozen=True)
class _IssueCount:
    n: int


class _Count:
    def __init__(self, **counts: int) -> None:
        self.__dict__.update(counts)


class _GridColumns:
    """Grid-team state as arrays (``utilisation``, ``burnout``, ``assignment``, ...)."""

    def __init__(self, model: ReferenceModel) -> None:
        teams = model.grid_team_list
        self.assignment = model.grid_assignment
        self.n_workers = model.n_workers
        self.utilisation = np.array([t.utilisation for t in teams])
        self.burnout = np.array([t.burnout for t in teams])
