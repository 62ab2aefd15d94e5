"""GovernanceModel: the Mesa model of three-governance fusion (三治融合)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import mesa
import networkx as nx
import numpy as np

from . import network
from .agents import (
    CommunityWorker,
    GridWorker,
    LegalAdvisor,
    PartyBranch,
    Resident,
    SocialOrganisation,
)
from .collector import DailyRecord
from .households import Households
from .issues import IssuePool
from .layout import Layout
from .ledger import Ledger
from .mechanisms import attitudes, channels, escalation, moral, raising
from .metrics import METRICS
from .params import Parameters
from .practices import integrity, moral_review, redemption
from .practices.advisors import SittingAdvisors
from .practices.jury import PublicJury
from .practices.rules import ResidentRules
from .scoped import SCOPED, LocalLevers, check_local
from .staff import (
    CommunityStaff,
    Councils,
    GridTeams,
    LegalAdvisors,
    PartyBranches,
    SocialOrganisations,
)
from .staffing import resolve_overrides, revision_day
from .timeline import RESTAFF, Timeline, changed


class GovernanceModel(mesa.Model):
    """Households in grids and communities, served by grid teams (1+3+N), community staff,
    legal advisors, social organisations, party branches and deliberation councils. One step
    is one day.

    Args:
        params: a :class:`Parameters`, a nested dict of sections, or None for the defaults.
        rng: seed or ``numpy.random.SeedSequence``; defaults to ``params.scenario.seed``.
    """

    def __init__(self, params: Parameters | dict[str, Any] | None = None, *, rng: Any = None):
        params = Parameters.coerce(params).check()
        super().__init__(rng=params.scenario.seed if rng is None else rng)
        self.params = params
        # The ODD's day, 0 while the first day runs, beside Mesa's ``self.steps``, which
        # counts calls and is already 1 then (Mesa's wrapper counts before calling ``step``).
        # It moves only at the end of the day, so every stamp and calendar of one day (the
        # ledger's ring, ``raised``/``ready``/``deadline``, weekly visits, monthly boards)
        # sees the same value, also when a submodel is run on its own, without the wrapper.
        self.day = 0
        # Warm-up days run before day 0 of the record and are not collected; the timeline
        # counts record days (docs/timeline.md).
        self.warmup = params.scenario.warmup_days
        self.timeline = Timeline.of(params)
        self.changes: list[tuple[int, dict[str, Any]]] = []  # (record day, values) applied

        pop = params.population
        self.layout = Layout.build(params)
        # Levers scoped to one grid or community (sim/scoped.py), and their changes.
        self.local = LocalLevers(self.layout)
        self.local_changes: list[tuple[int, str, int, dict[str, Any]]] = []
        self.adjacency = network.small_world(
            pop.households,
            pop.network.mean_degree,
            pop.network.rewire if pop.network.kind == "small_world" else 0.0,
            self.rng,
        )
        self.degree = network.degree(self.adjacency)
        self.inverse_degree = (1.0 / np.maximum(self.degree, 1)).astype(np.float32)
        self.isolated = np.flatnonzero(self.degree == 0)
        self.households = Households(params, self.layout, self.rng)
        self.volunteers = np.flatnonzero(self.households.volunteer)
        # Registration overstates activity: only some registered volunteers ever turn out.
        active = self.rng.random(self.volunteers.size) < params.behaviour.active_volunteer_share
        self.active_volunteers = self.volunteers[active]
        self.issues = IssuePool()
        self.ledger = Ledger(n_communities=self.layout.n_communities)
        self.on_escalate: list[Callable[[np.ndarray], None]] = []  # see lifecycle.escalate

        self.overrides = resolve_overrides(params.staffing.overrides, self.layout)
        self.community = CommunityStaff(self)
        self.grid_teams = GridTeams(self)
        self.grid_teams.set_leader_time(self.community.leader_time)
        self.legal = LegalAdvisors(self)
        self.social = SocialOrganisations(self)
        self.party = PartyBranches(self)
        self.councils = Councils(self)
        self.jury = PublicJury(self)
        self.advisors = SittingAdvisors(self)
        self.rules = ResidentRules(self)
        self.coordination = self._coordination()
        self._create_staff_agents()
        self._residents_created = False
        self._graph: nx.Graph | None = None

        self.datacollector = DailyRecord(model_reporters={m.name: m.compute for m in METRICS})
        self.running = True

    def step(self) -> None:
        """One day, in the order of ODD section 3; each comment names the ODD submodel."""
        if changes := self.timeline.on(self.day - self.warmup):  # 0 the policies of today
            self.apply(changes)
        self.ledger.new_day(self.day)  # today's counts start at 0
        if revision_day(self.params.staffing, self.day):  # 2.3a staff follow the backlog
            self.reallocate()
        raising.raise_issues(self)  # 7.1 households raise issues
        channels.detect_on_the_spot(self)  # 7.2 violations caught as they happen
        channels.settle_informally(self)  # 7.3 neighbours settle some themselves
        channels.choose_channel(self)  # 7.4 the rest choose a channel or stay unreported
        self.grid_teams.patrol()  # 7.5 patrols find unreported ones
        self.grid_teams.step()  # 7.6 grid queues worked within capacity, oldest first
        self.community.step()  # 7.6a community offices serve, mediate and refer
        self.legal.step()  # 7.7 legal lectures and queues,
        self.legal.deliver_judgments()  # then the court judgments that are due
        self.social.step()  # 7.8 social organisations
        self.party.step()  # 7.9 party branch visits
        self.advisors.step()  # 7.18 legal advisors join today's councils and juries
        self.councils.step()  # 7.10 deliberation councils on their interval (7.19 rules revised)
        self.jury.step()  # 7.17 public juries hear disputes that failed mediation
        escalation.fade(self)  # 7.11 unhandled issues fade
        escalation.escalate_or_wait(self)  # 7.12 patience runs out: escalate or wait
        moral.volunteer(self)  # 7.13 volunteering and the moral bank
        moral.boards_and_role_models(self)  # 7.14 monthly boards and role models
        integrity.review(self)  # 7.20 monthly integrity-points review (诚信积分)
        redemption.redeem(self)  # 7.21 monthly: credits spent, preferential credit (道德信贷)
        moral_review.review(self)  # 7.22 moral review councils on their interval (道德评议会)
        attitudes.diffuse(self)  # 7.15 norm, trust and engagement diffuse
        attitudes.update(self)  # 7.16 security, satisfaction, engagement, awareness
        self.issues.compact()  # closed issues leave the pool
        if self.day >= self.warmup:  # the warm-up is not recorded
            self.datacollector.collect(self)
        self.day += 1

    @property
    def record_day(self) -> int:
        """The day about to run, counted from day 0 of the record (negative in the warm-up)."""
        return self.day - self.warmup

    def apply(self, values: Mapping[str, Any]) -> None:
        """Change levers from the day about to run on: ``{"moral.moral_bank": True}``.

        Only parameters that may change mid-run (``sim.timeline.why_fixed``; docs/timeline.md)
        are accepted, each checked as a scenario file's value is (``ParameterError``). Staff
        are hired or leave when their numbers change, and the teams are formed again with
        queues, burnout and workload staying with their grids. The timeline calls this on
        its days; a dashboard may call it between steps.
        """
        self.params = changed(self.params, values)
        self.changes.append((self.record_day, dict(values)))
        self.coordination = self._coordination()
        restaff = any(key in RESTAFF for key in values)
        self.community.configure(restaff)
        self.grid_teams.configure(self.community.leader_time, restaff)
        self.legal.configure()
        self.social.configure()
        self._sync_staff_agents()

    def apply_local(self, scope: str, unit: int, values: Mapping[str, Any | None]) -> None:
        """Change levers of one grid or community from the day about to run on:
        ``apply_local("grid", 3, {"staffing.admin_load": 0.6})``.

        Keys must be scoped to ``scope`` (``sim.scoped.SCOPED``) and ``unit`` one of its
        units (ValueError otherwise); each value is checked as a scenario file's value is
        (``ParameterError``). None gives the unit the city-wide value again. A scoped value
        wins over the city-wide one, also over a later :meth:`apply` of the same key.
        """
        checked = check_local(self.params, self.layout, scope, unit, values)
        self.local.set(unit, checked)
        self.local_changes.append((self.record_day, scope, int(unit), checked))
        self.coordination = self._coordination()
        self.grid_teams.configure(self.community.leader_time, False)

    def local_value(self, key: str) -> np.ndarray:
        """Per unit of ``key``'s scope (grid or community), the value in force there."""
        return self.local.value(key, self._citywide(key))

    def local_array(self, key: str) -> np.ndarray | None:
        """Per unit, the value of a scoped ``key`` in force, or None when no unit has its
        own (the submodels then read the scalar parameter, exactly as without scoping)."""
        if not self.local.values:  # the common case: one falsy test a read
            return None
        return self.local.array(key, self._citywide(key))

    def _citywide(self, key: str) -> Any:
        if key not in SCOPED:
            raise ValueError(f"{key} cannot be scoped; scoped keys: {', '.join(SCOPED)}")
        section, _, leaf = key.partition(".")
        return getattr(getattr(self.params, section), leaf)

    def _coordination(self) -> float | np.ndarray:
        """ODD 2.8: effective coordination after party leadership; per community when the
        party coordination of some community is its own."""
        fusion = self.params.fusion
        party = self.local_array("fusion.party_coordination")
        if party is None:
            party = fusion.party_coordination
        return 1 - (1 - fusion.coordination) * (1 - party * fusion.party_leadership)

    def schedule(self, day: int, values: Mapping[str, Any]) -> None:
        """Change levers on record day ``day`` (today or later), as a timeline entry would."""
        if day < self.record_day:
            raise ValueError(f"day {day} has passed (the day about to run is {self.record_day})")
        changes = {d: dict(v) for d, v in self.timeline.changes.items()}
        changes.setdefault(day, {}).update(values)
        self.timeline = Timeline(dict(sorted(changes.items())))

    def reallocate(self) -> None:
        """ODD 2.3a: community staff, then grid workers (with their leaders' new time), are
        spread again by need; the staff agents follow their new teams."""
        self.community.reallocate()
        self.grid_teams.reallocate(self.community.leader_time)
        self._sync_staff_agents()

    def _sync_staff_agents(self) -> None:
        """Grid workers and community staff as agents follow their teams; staff hired mid-run
        become new agents, staff who leave are removed."""
        for agents, kind, assignment in (
            (self._grid_workers, GridWorker, self.grid_teams.assignment),
            (self._community_workers, CommunityWorker, self.community.assignment),
        ):
            teams = assignment.team_of_staff.tolist()
            while len(agents) > len(teams):
                agents.pop().remove()
            agents.extend(kind(self, 0) for _ in range(len(teams) - len(agents)))
            for agent, team in zip(agents, teams, strict=True):
                agent.team = team

    # --- Mesa interface: agents, the graph.

    @property
    def agents(self) -> mesa.agent.AgentSet:
        self._create_residents()
        return super().agents

    @property
    def agents_by_type(self) -> dict[type[mesa.Agent], mesa.agent.AgentSet]:
        self._create_residents()
        return super().agents_by_type

    @property
    def graph(self) -> nx.Graph:
        """The social network as a networkx graph (built on first use)."""
        if self._graph is None:
            self._graph = network.to_networkx(self.adjacency)
        return self._graph

    def _create_residents(self) -> None:
        # Views cost ~15 us and ~500 B each, so they are made when first asked for, not at
        # construction: a city-scale run that never inspects agents never pays for them.
        if not self._residents_created:
            self._residents_created = True
            for i in range(self.households.n):
                Resident(self, i)

    def _create_staff_agents(self) -> None:
        self._grid_workers = [
            GridWorker(self, int(team)) for team in self.grid_teams.assignment.team_of_staff
        ]
        self._community_workers = [
            CommunityWorker(self, int(team)) for team in self.community.assignment.team_of_staff
        ]
        for team in self.legal.assignment.team_of_staff:
            LegalAdvisor(self, int(team))
        for i in range(self.social.n_orgs):
            SocialOrganisation(self, i)
        for i in range(self.party.n_branches):
            PartyBranch(self, i)

    def close(self) -> None:
        """Let the model go: Mesa keeps every model in a class-level table
        (``mesa.Agent._ids``), so a loop or a server that builds models would otherwise keep
        them all, and everything they hold, alive. The model is not used again."""
        self.remove_all_agents()
        mesa.Agent._ids.pop(self, None)

    def __repr__(self) -> str:
        return f"GovernanceModel(households={self.households.n}, day={self.day}, {self.params!r})"
