"""GovernanceModel: the Mesa model of three-governance fusion (三治融合)."""

from __future__ import annotations

from typing import Any

import mesa
import networkx as nx
import numpy as np

from . import network
from .agents import GridWorker, LegalAdvisor, PartyBranch, Resident, SocialOrganisation
from .households import Households
from .issues import PUBLIC, UNREPORTED, IssuePool
from .layout import Layout
from .ledger import Ledger
from .mechanisms import attitudes, channels, escalation, moral, raising
from .metrics import METRICS
from .params import ParameterError, Parameters
from .staff import Councils, GridTeams, LegalAdvisors, PartyBranches, SocialOrganisations

PARTY_COORDINATION = 0.5  # share of the coordination gap that full party leadership closes
PUBLIC_SPILLOVER = 0.1  # share of the raiser's trust gain that a solved public topic gives its grid


class GovernanceModel(mesa.Model):
    """Households in grids and communities, served by grid workers, legal advisors, social
    organisations, party branches and deliberation councils. One step is one day.

    Args:
        params: a :class:`Parameters`, a nested dict of sections, or None for the defaults.
        rng: seed or ``numpy.random.SeedSequence``; defaults to ``params.scenario.seed``.
    """

    def __init__(self, params: Parameters | dict[str, Any] | None = None, *, rng: Any = None):
        if params is None:
            params = Parameters()
        elif isinstance(params, dict):
            params = Parameters.from_dict(params)
        _check_consistent(params)
        super().__init__(rng=params.scenario.seed if rng is None else rng)
        self.params = params
        self.day = 0

        pop = params.population
        self.layout = Layout.build(params)
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
        self.ledger = Ledger()

        self.grid_teams = GridTeams(self)
        self.legal = LegalAdvisors(self)
        self.social = SocialOrganisations(self)
        self.party = PartyBranches(self)
        self.councils = Councils(self)
        fusion = params.fusion
        self.coordination = 1 - (1 - fusion.coordination) * (
            1 - PARTY_COORDINATION * fusion.party_leadership
        )
        self._create_staff_agents()
        self._residents_created = False
        self._graph: nx.Graph | None = None

        self.datacollector = mesa.DataCollector(
            model_reporters={m.name: m.compute for m in METRICS}
        )
        self.running = True

    def step(self) -> None:
        """One day, in order."""
        self.ledger.new_day(self.day)
        raising.raise_issues(self)  # 1. households raise issues
        channels.detect_on_the_spot(self)  # 2. violations caught as they happen,
        channels.settle_informally(self)  #    neighbours settle some themselves,
        channels.choose_channel(self)  #    the rest choose a channel or stay unreported;
        self.grid_teams.patrol(self)  #    patrols find unreported ones
        self.grid_teams.step(self)  # 3. queues worked within capacity, oldest first
        self.legal.step(self)
        self.social.step(self)
        self.party.step(self)
        self.councils.step(self)  # 4. deliberation councils on their interval
        escalation.fade(self)  # 5. issues fade, or age until patience runs out
        escalation.escalate_or_wait(self)
        moral.volunteer(self)  # 6. moral governance and norm diffusion
        moral.boards_and_role_models(self)
        attitudes.diffuse(self)
        attitudes.update(self)  # 7. security, satisfaction, engagement
        self.issues.compact()
        self.datacollector.collect(self)
        self.day += 1

    # --- What happens to an issue: every mechanism closes or moves issues through these.

    def resolve(self, rows: np.ndarray, trust_gain: float) -> None:
        """Close issues as resolved; their households' trust rises by ``trust_gain`` steps."""
        if rows.size == 0:
            return
        pool, h = self.issues, self.households
        who = pool.household[rows]
        self.ledger.add("resolved", rows.size)
        self.ledger.add("resolve_days", float((self.day - pool.raised[rows]).sum()))
        if trust_gain > 0:
            gain = min(1.0, self.params.behaviour.trust_gain * trust_gain)
            h.nudge("trust", who, gain)
            # A public topic is shared: its whole grid sees it solved.
            public = who[pool.kind[rows] == PUBLIC]
            if public.size:
                grids = np.unique(self.layout.grid[public])
                h.nudge(
                    "trust",
                    self.layout.members(self.layout.grid_start, grids),
                    PUBLIC_SPILLOVER * gain,
                )
        self._close(rows, who)

    def escalate(self, rows: np.ndarray) -> None:
        """Close issues as escalated beyond the grassroots (越级上访)."""
        if rows.size == 0:
            return
        who = self.issues.household[rows]
        self.ledger.add("escalated", rows.size)
        self.households.nudge("trust", who, 2 * self.params.behaviour.trust_loss, 0.0)
        self._close(rows, who)

    def enforce(self, rows: np.ndarray) -> None:
        """Sanction the violators behind violation issues; the victims' issues are resolved.

        The violator's perceived detection moves toward 1, and so, less, does that of the
        neighbours who see it (deterrence is learned from own and neighbours' experience).
        """
        if rows.size == 0:
            return
        h, b = self.households, self.params.behaviour
        violator = self.issues.counterpart[rows]
        self.ledger.add("enforcements", rows.size)
        h.nudge("deterrence", violator, b.deterrence_learning)
        h.nudge(
            "deterrence", network.neighbours_of(self.adjacency, violator), b.deterrence_learning / 4
        )
        h.last_sanctioned[violator] = self.day
        self.resolve(rows, trust_gain=1.0)

    def refer(self, rows: np.ndarray, channel: int) -> None:
        """Pass issues to another channel (a ``Channel`` code): delayed, and lost unless
        coordination is high."""
        if rows.size == 0:
            return
        b, pool = self.params.behaviour, self.issues
        gap = 1 - self.coordination
        lost = self.rng.random(rows.size) < b.referral_loss * gap
        self.ledger.add("referrals", rows.size)
        self.ledger.add("referrals_lost", int(lost.sum()))
        dropped = rows[lost]
        pool.channel[dropped] = UNREPORTED
        self.households.nudge("trust", pool.household[dropped], b.trust_loss, 0.0)
        moved = rows[~lost]
        pool.channel[moved] = channel
        pool.ready[moved] = self.day + round(b.referral_delay_days * gap)

    def retry(self, rows: np.ndarray, days: int) -> None:
        """Keep issues in their channel, to be taken up again in ``days`` days."""
        self.issues.ready[rows] = self.day + days

    def _close(self, rows: np.ndarray, who: np.ndarray) -> None:
        np.subtract.at(self.households.open_issues, who, 1)
        self.issues.close(rows)

    # --- Helpers the mechanisms share.

    def draw_patience(self, households: np.ndarray) -> np.ndarray:
        """Days until each household's patience runs out; trusting households wait longer."""
        scale = self.params.behaviour.patience_days * (0.5 + self.households.trust[households])
        return np.ceil(self.rng.exponential(scale)).astype(np.int32) + 1

    def pair_mean(self, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Mean of ``values`` over both parties of issues (the household alone if none)."""
        a = self.issues.household[rows]
        c = self.issues.counterpart[rows]
        c = np.where(c >= 0, c, a)
        return 0.5 * (values[a] + values[c])

    def pair_norm(self, rows: np.ndarray) -> np.ndarray:
        return self.pair_mean(self.households.norm, rows)

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
        for team in self.grid_teams.assignment.team_of_staff:
            GridWorker(self, int(team))
        for team in self.legal.assignment.team_of_staff:
            LegalAdvisor(self, int(team))
        for i in range(self.social.n_orgs):
            SocialOrganisation(self, i)
        for i in range(self.party.n_branches):
            PartyBranch(self, i)

    def __repr__(self) -> str:
        return f"GovernanceModel(households={self.households.n}, day={self.day}, {self.params!r})"


def _check_consistent(params: Parameters) -> None:
    """Checks that involve more than one parameter."""
    pop = params.population
    if pop.network.mean_degree % 2:
        raise ParameterError("population.network.mean_degree", "must be even", "an even integer")
    if pop.network.mean_degree >= pop.households:
        raise ParameterError(
            "population.network.mean_degree",
            f"{pop.network.mean_degree} ties need more than {pop.households} households",
            "fewer ties than households",
        )
