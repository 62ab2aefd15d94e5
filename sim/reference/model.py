"""The reference model: construction (ODD 5) and the day (ODD 3), per agent.

The shared operations on issues (ODD 7.0) are the :class:`IssueLifecycle` mixin
(``lifecycle.py``) and the draws the :class:`Draws` mixin (``draws.py``); households and
staff run their own submodels (``households.py``, ``staff.py``); the submodels that act on a
whole day's new issues or on all households at once are methods here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import mesa
import numpy as np

from ..issues import Channel, Kind
from ..layout import Assignment, Layout
from ..ledger import Ledger
from ..metrics import METRICS
from ..network import small_world
from ..params import Parameters
from ..scoped import SCOPED, LocalLevers, check_local, n_units
from ..staffing import revision_day
from ..timeline import RESTAFF, Timeline, changed
from .constants import INFORMAL_KINDS, MUTATIONS
from .households import Household
from .issues import Issue, nudge
from .lifecycle import IssueLifecycle
from .practices import Practices, PublicJury
from .staff import CommunityOffice, Council, GridTeam, LegalTeam, PartyBranch, SocialOrganisation
from .staffing import StaffBuilder
from .views import (
    CommunityArrays,
    GridTeamArrays,
    HouseholdArrays,
    LegalCount,
    OpenIssues,
    SocialArrays,
)


class ReferenceModel(StaffBuilder, Practices, IssueLifecycle, mesa.Model):
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
        params = Parameters.coerce(params).check()
        super().__init__(rng=params.scenario.seed if rng is None else rng)
        self.params = params
        self.disable = frozenset(disable)
        if unknown := self.disable - MUTATIONS:
            raise ValueError(f"unknown mutations {sorted(unknown)}; known: {sorted(MUTATIONS)}")
        self.day = 0
        self.warmup = params.scenario.warmup_days  # days before the record (not collected)
        self.timeline = Timeline.of(params)  # changes by record day (docs/timeline.md)
        self._uniforms: Iterator[float] = iter(())
        self._serial = 0
        self.n_open = 0
        self.new_today: list[Issue] = []
        self.docket: dict[Issue, None] = {}  # COURT issues (7.7)
        self.layout = Layout.build(params)  # 5.1
        self.local = LocalLevers(self.layout)  # levers scoped to a unit (sim/scoped.py)
        self.local_changes: list[tuple[int, str, int, dict[str, Any]]] = []
        self.ledger = Ledger(n_communities=self.layout.n_communities)
        self._build_households()  # 5.2-5.3
        self._build_staff()  # 5.5-5.6
        self.datacollector = mesa.DataCollector(
            model_reporters={metric.name: metric.compute for metric in METRICS}
        )
        self.running = True

    # --- One day (3), in order.

    def step(self) -> None:
        households = self.agents_by_type[Household]
        changes = self.timeline.on(self.day - self.warmup)
        if changes and "timeline" not in self.disable:
            self.apply(changes)  # policies of today
        self.ledger.new_day(self.day)  # 0
        if revision_day(self.params.staffing, self.day) and "need_allocation" not in self.disable:
            self.reallocate()  # 2.3a
        households.shuffle_do("raise_issues")  # 1. 7.1
        new = self.take_new_issues()
        self.detect_on_the_spot(new)  # 2. 7.2
        self.settle_informally(new)  # 3. 7.3
        self.choose_channels(new)  # 4. 7.4
        self.staff(GridTeam).do("patrol")  # 5. 7.5
        self.staff(GridTeam).do("step")  # 6. 7.6
        self.staff(CommunityOffice).do("step")  #    7.6a
        self.staff(LegalTeam).do("step")  # 7. 7.7 lectures and queues,
        self.deliver_judgments()  #          then court judgments
        self.staff(SocialOrganisation).do("step")  # 8. 7.8
        self.staff(PartyBranch).do("step")  # 9. 7.9
        self.advisors_attend()  #            7.18
        self.staff(Council).do("step")  # 10. 7.10 (and 7.19)
        self.staff(PublicJury).do("step")  #    7.17
        households.do("let_issues_fade")  # 11. 7.11
        households.do("escalate_or_wait")  # 12. 7.12
        self.volunteer()  # 13. 7.13
        self.boards_and_role_models()  # 14. 7.14
        self.review_integrity()  #        7.20 monthly integrity-points review
        self.redeem_credits()  #          7.21 monthly redemption, preferential credit
        self.review_conduct()  #          7.22 moral review councils on their interval
        households.do("observe_neighbours")  # 15. 7.15 (synchronous: observe,
        households.do("diffuse")  #                    then move)
        households.do("update_attitudes")  # 16. 7.16
        if self.day >= self.warmup:  # the warm-up is not recorded
            self.datacollector.collect(self)  # 18 (closed issues already left, 17)
        self.day += 1  # 19

    def apply(self, values: Mapping[str, Any]) -> None:
        """Levers changed from today (docs/timeline.md): what the agents read from the
        parameters follows, and staff are hired or leave when their numbers change."""
        self.params = changed(self.params, values)
        self._configure()
        self._plan_staff()
        for organisation in self.organisations:
            organisation.social_workers = len(
                range(organisation.index, self.n_social_workers, len(self.organisations))
            )
        if RESTAFF & set(values):
            self.restaff()

    def apply_local(self, scope: str, unit: int, values: Mapping[str, Any | None]) -> None:
        """Levers of one grid or community changed from today (``GovernanceModel.apply_local``):
        each agent reads its own unit's value (:meth:`lever`)."""
        checked = check_local(self.params, self.layout, scope, unit, values)
        self.local_changes.append((self.day - self.warmup, scope, int(unit), checked))
        if "scoped_citywide" in self.disable:  # the mutant: every unit gets the values
            for other in range(n_units(self.layout, scope)):
                self.local.set(other, checked)
        else:
            self.local.set(unit, checked)

    def local_value(self, key: str) -> np.ndarray:
        """Per unit of ``key``'s scope (grid or community), the value in force there."""
        if key not in SCOPED:
            raise ValueError(f"{key} cannot be scoped; scoped keys: {', '.join(SCOPED)}")
        return np.array(
            [self.lever(key, u) for u in range(n_units(self.layout, SCOPED[key]))], dtype=float
        )

    def lever(self, key: str, unit: int) -> Any:
        """The value of a scoped ``key`` in force in ``unit`` (its grid or community)."""
        section, _, leaf = key.partition(".")
        return self.local.of(key, unit, getattr(getattr(self.params, section), leaf))

    def coordination_in(self, community: int) -> float:
        """2.8: effective coordination of a community's referrals (its party
        coordination's, when scoped)."""
        key = "fusion.party_coordination"
        if not self.local.active(key):
            return self.coordination
        fusion = self.params.fusion
        party = self.lever(key, community)
        return 1 - (1 - fusion.coordination) * (1 - party * fusion.party_leadership)

    def _configure(self) -> None:
        """What the model derives from the parameters, at the start and when they change."""
        p = self.params
        fusion, st, b = p.fusion, p.staffing, p.behaviour
        self.coordination = 1 - (1 - fusion.coordination) * (
            1 - fusion.party_coordination * fusion.party_leadership
        )  # 2.8
        self.legal_available = self.n_advisors > 0 and st.legal_cases_per_week > 0  # 2.4
        self.n_social_workers = round(  # 2.5
            self.layout.n_households * st.social_workers_per_1000_households / 1000
        )
        self.channel_factor = {  # 7.12
            Channel.NEW: 1.0,
            Channel.UNREPORTED: b.escalation_unreported,
            Channel.GRID: b.escalation_grid,
            Channel.COMMUNITY: b.escalation_community,
            Channel.LEGAL: b.escalation_legal,
            Channel.SOCIAL: b.escalation_social,
            Channel.AGENDA: b.escalation_agenda,
            Channel.COURT: b.escalation_court,
        }

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
        """7.2: a new violation is caught (enforced) or escapes; the violator learns. The
        grid's police officer adds to the base chance."""
        law, b = self.params.rule_of_law, self.params.behaviour
        for issue in new:
            if issue.kind is not Kind.VIOLATION:
                continue
            police = 0.0 if "police" in self.disable else self.police[issue.household.grid]
            p = 1 - (1 - law.detection_probability) * (1 - law.police_detection * police)
            if "on_the_spot_detection" not in self.disable and self.chance(p):
                self.enforce(issue)
            else:
                violator = issue.counterpart
                violator.deterrence = nudge(violator.deterrence, b.deterrence_learning, 0.0)

    def settle_informally(self, new: list[Issue]) -> None:
        """7.3: the parties of a dispute or violation try to settle it themselves."""
        if "informal_settlement" in self.disable:
            return
        b = self.params.behaviour
        for issue in new:
            if issue.channel is not Channel.NEW or issue.kind not in INFORMAL_KINDS:
                continue
            a, c = issue.parties()
            rules = self.rules_felt(a, c)  # 7.3, 7.19
            p_try = min(1.0, b.informal_propensity * 0.5 * (a.norm + c.norm) * (0.5 + rules))
            if not self.chance(p_try):
                continue
            weaker = min(a.norm, c.norm)
            p_ok = (
                b.informal_success
                * (b.normless_settlement + (1 - b.normless_settlement) * weaker)
                * (b.ruleless_settlement + (1 - b.ruleless_settlement) * rules)
            )
            if self.chance(p_ok):
                self.ledger.add("informal_settlements", 1)
                a.engagement = nudge(a.engagement, b.settlement_engagement_gain)
                c.engagement = nudge(c.engagement, b.settlement_engagement_gain)
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
        """7.7: every court case that is due is decided."""
        for issue in [i for i in self.docket if i.ready <= self.day]:
            self.resolve(issue, self.params.behaviour.court_trust_weight)

    def volunteer(self) -> None:
        """7.13: volunteers turn out; organisations count their hours for tomorrow."""
        for organisation in self.staff(SocialOrganisation):
            organisation.volunteer_hours = 0.0
        self.volunteers_set.do("volunteer_today")

    def boards_and_role_models(self) -> None:
        """7.14: monthly role-model selection, red/black boards, role-model pull."""
        moral, b = self.params.moral, self.params.behaviour
        interval = b.board_interval_days
        if self.day % interval != interval - 1:
            return
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
                    h.norm = nudge(h.norm, b.board_norm_gain)
            black = [h for h in households if h.last_sanctioned > self.day - interval]
            for h in black:
                h.norm = nudge(h.norm, b.board_norm_gain)
                h.deterrence = nudge(h.deterrence, b.black_deterrence_gain)
            for h in {n for listed in black for n in listed.neighbours}:
                h.deterrence = nudge(h.deterrence, b.black_deterrence_gain / 4)
        if moral.role_models > 0:
            households.do("look_at_role_models")
            households.do("follow_role_models")

    def review_integrity(self) -> None:
        """7.20, monthly: a household that lost points moves its norm toward 1 by
        ``integrity_norm_gain`` times what it lost; then a month's points come back."""
        moral, interval = self.params.moral, self.params.behaviour.board_interval_days
        if not moral.integrity_points or self.day % interval != interval - 1:
            return
        month = interval / moral.integrity_recovery_days
        for h in self.residents:
            if h.integrity < 1.0:
                h.norm = nudge(h.norm, moral.integrity_norm_gain * (1.0 - h.integrity))
                h.integrity = min(1.0, h.integrity + month)

    def redeem_credits(self) -> None:
        """7.21, monthly after the boards: in each community the households with the most
        credits (ties by index) get preferential credit and gain trust; then every
        household spends ``redemption_rate`` of its credits."""
        moral = self.params.moral
        if not (moral.moral_bank and moral.redemption) or "redemption" in self.disable:
            return
        interval = self.params.behaviour.board_interval_days
        if self.day % interval != interval - 1:
            return
        for members in self.community_members:
            quota = round(moral.preferential_share * len(members))
            ranked = sorted(members, key=lambda h: (-h.credits, h.index))
            chosen = {h for h in ranked[:quota] if h.credits > 0}
            for h in members:
                h.preferred = h in chosen
                if h.preferred:
                    h.trust = nudge(h.trust, moral.preferential_trust_gain)
        for h in self.residents:
            spent = h.credits * moral.redemption_rate
            self.ledger.add("credits_redeemed", spent)
            h.credits -= spent

    def review_conduct(self) -> None:
        """7.22, every ``review_interval_days``: in each community a panel drawn at random
        (each household with chance ``review_panel_size / S``) sits; the households of
        highest and of lowest norm (``review_board_share`` each, ties by index) move toward
        norm 1 by the praise and the shame gain times the panel's mean norm."""
        moral = self.params.moral
        interval = moral.review_interval_days
        if not moral.moral_review or self.day % interval != interval - 1:
            return
        if "moral_review" in self.disable:
            return
        for members in self.community_members:
            chance = min(1.0, moral.review_panel_size / len(members))
            panel = [h for h in members if self.chance(chance)]
            for h in panel:
                h.last_participation = self.day
            self.ledger.add("moral_reviewers", len(panel))
            weight = sum(h.norm for h in panel) / len(panel) if panel else 0.0
            quota = round(moral.review_board_share * len(members))
            praised = sorted(members, key=lambda h: (-h.norm, h.index))[:quota]
            criticised = sorted(members, key=lambda h: (h.norm, h.index))[:quota]
            for h in praised:
                h.norm = nudge(h.norm, moral.review_praise_gain * weight)
            for h in criticised:
                h.norm = nudge(h.norm, moral.review_shame_gain * weight)

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
        self._build_grid_and_community_staff()  # 2.3, 2.3a, 2.4a
        # 2.4 legal advisors
        self.n_advisors = round(layout.n_communities * st.legal_advisors_per_community)
        self._configure()
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
        orgs = [
            SocialOrganisation(self, o, len(range(o, self.n_social_workers, n_orgs)))
            for o in range(n_orgs)
        ]
        self.organisations = orgs
        for h in residents:
            h.organisation = orgs[h.index // block]
        # 2.6 party branches
        units = self.grid_members if st.party_branch_level == "grid" else self.community_members
        for b, members in enumerate(units):
            PartyBranch(self, b, members)
        # 2.7 councils
        self.councils_available = p.self_governance.deliberation_interval_days > 0
        self.councils = []
        if self.councils_available:
            for k, members in enumerate(self.community_members):
                council = Council(self, k, members)
                self.councils.append(council)
                for h in members:
                    h.council = council
        self.legal_team_of_community = (
            [lawyers[legal.team_of_unit[k]] for k in range(layout.n_communities)] if lawyers else []
        )
        self._build_practices()  # 7.17-7.19

    def staff(self, kind: type[mesa.Agent]) -> mesa.agent.AgentSet:
        """All agents of a staff type (an empty set if there are none)."""
        found = self.agents_by_type.get(kind)
        return found if found is not None else mesa.agent.AgentSet([], random=self.random)

    # --- What the metric registry reads (sim.world.MetricsView): views onto the agents.

    @property
    def households(self) -> HouseholdArrays:
        return HouseholdArrays(self.residents)

    @property
    def issues(self) -> OpenIssues:
        return OpenIssues(self.residents)

    @property
    def volunteers(self) -> np.ndarray:
        return np.array([h.index for h in self.residents if h.volunteer], dtype=np.int64)

    @property
    def grid_teams(self) -> GridTeamArrays:
        return GridTeamArrays(self.grid_team_list, self.grid_assignment, self.n_workers)

    @property
    def community(self) -> CommunityArrays:
        return CommunityArrays(self.office_list, self.office_assignment, self.n_community_staff)

    @property
    def legal(self) -> LegalCount:
        return LegalCount(self.n_advisors)

    @property
    def social(self) -> SocialArrays:
        return SocialArrays(self.organisations, self.n_social_workers)

    def close(self) -> None:
        """Let the model go: Mesa keeps every model in a class-level table
        (``mesa.Agent._ids``), so a test that builds models would otherwise keep
        them all, and everything they hold, alive. The model is not used again."""
        self.remove_all_agents()
        mesa.Agent._ids.pop(self, None)

    def __repr__(self) -> str:
        return f"ReferenceModel(households={len(self.residents)}, day={self.day})"
