"""Staff as Mesa agents (ODD 2.3-2.7): each works its own queue, oldest first, within
capacity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from ..issues import Channel, Kind
from .constants import STUCK_CHANNELS, YEAR
from .issues import Issue, nudge

if TYPE_CHECKING:
    from .households import Household
    from .model import ReferenceModel


class GridTeam(mesa.Agent):
    """The grid team (1+3+N) of one grid or a block of grids (2.3): its full-time grid
    workers and the time its grids' leaders give; police and helpers are the grids' own
    (``model.police``, ``model.helpers``)."""

    def __init__(
        self, model: ReferenceModel, staff: float, grids: list[int], leader_time: float
    ) -> None:
        super().__init__(model)
        self.staff = staff  # grid workers
        self.grids = grids
        self.effective = staff + leader_time  # worker-equivalents
        self.coverage = min(1.0, self.effective / len(grids))
        self.workload = self.utilisation = self.burnout = 0.0
        self.beat: dict[Issue, None] = {}  # UNREPORTED issues of its households (7.5)
        self.queue: dict[Issue, None] = {}  # GRID issues (7.6)

    def admin_load(self, grid: int | None = None) -> float:
        """The share of time admin tasks take: in ``grid``, or the team's (its grids'
        mean, when the admin load is scoped to grids)."""
        m = self.model
        st = m.params.staffing
        if not m.local.active("staffing.admin_load"):
            return st.admin_load * (1 - st.task_entry_list)
        grids = self.grids if grid is None else [grid]
        own = [m.lever("staffing.admin_load", g) * (1 - st.task_entry_list) for g in grids]
        return sum(own) / len(own)

    def patrol_time(self, grid: int) -> float:
        """Patrol time relative to the usual in ``grid`` (7.5)."""
        if "patrol_time" in self.model.disable:
            return 1.0
        return self.model.lever("staffing.patrol_time", grid)

    def desk_time(self) -> float:
        """The share of the usual case time its patrols leave: its grids' mean (7.6)."""
        q = self.model.params.staffing.usual_patrol_share
        own = [(1 - self.patrol_time(g) * q) / (1 - q) for g in self.grids]
        return sum(own) / len(own)

    def capacity(self) -> float:
        m = self.model
        st, b = m.params.staffing, m.params.behaviour
        free = st.grid_worker_cases_per_day * (1 - self.admin_load())
        return self.effective * free * (1 - b.burnout_slowdown * self.burnout) * self.desk_time()

    def patrol(self) -> None:
        """7.5: patrols (as long as the grid's patrol time), and each of the grid's helpers,
        discover unreported issues and queue them today."""
        m = self.model
        b = m.params.behaviour
        scoped = m.local.active("staffing.admin_load")
        p_patrol = (
            0.0
            if "patrol" in m.disable
            else b.patrol_discovery
            * (1 - self.admin_load())
            * self.coverage
            * (1 - b.burnout_slowdown * self.burnout)
        )
        for issue in list(self.beat):
            grid = issue.household.grid
            p = p_patrol
            if scoped and "patrol" not in m.disable:  # the issue's grid's own admin load
                p = (
                    b.patrol_discovery
                    * (1 - self.admin_load(grid))
                    * self.coverage
                    * (1 - b.burnout_slowdown * self.burnout)
                )
            p = min(1.0, p * self.patrol_time(grid))
            helpers = 0.0 if "helpers" in m.disable else m.helpers[grid]
            missed = (1 - p) * (1 - b.helper_discovery) ** helpers
            if m.chance(1 - missed):
                m.move(issue, Channel.GRID, m.day)

    def step(self) -> None:
        """7.6: work the oldest ready cases within capacity; update workload and burnout."""
        m = self.model
        capacity = self.capacity()
        on_desk = len(self.queue)  # ready or waiting for a retry
        ordered = (
            m.local.active("staffing.serve_first") or m.params.staffing.serve_first != "oldest"
        )
        first = self.served_first if ordered else None  # 7.6: a kind served first
        worked = m.take_oldest(m.ready(self.queue), capacity, by_standing=True, first=first)
        self.update_workload(on_desk, len(worked), capacity)
        for issue in worked:
            self.work(issue)

    def served_first(self, issue: Issue) -> bool:
        """Whether the issue's grid serves its kind first (7.6, ``serve_first``)."""
        m = self.model
        if "serve_first" in m.disable:
            return False
        choice = m.lever("staffing.serve_first", issue.household.grid)
        return (choice == "disputes" and issue.kind is Kind.DISPUTE) or (
            choice == "services" and issue.kind is Kind.SERVICE
        )

    def work(self, issue: Issue) -> None:
        m, b = self.model, self.model.params.behaviour
        u = m.uniform()
        if issue.kind is Kind.DISPUTE:
            m.ledger.add("mediations", 1)
            hardness = 1.0 if "hard_disputes" in m.disable else b.repeat_factor**issue.attempts
            p = b.grid_mediation_success * (0.5 + 0.5 * m.pair_mean(issue, "norm")) * hardness
            issue.attempts = min(issue.attempts + 1, 100)
            if u < p:
                m.resolve(issue, b.routine_trust_weight)
            elif m.legal_available:
                m.refer(issue, Channel.LEGAL)
            else:
                m.retry(issue, b.grid_retry_days)
        elif issue.kind is Kind.SERVICE:
            if u < b.grid_service_success:
                m.resolve(issue, b.routine_trust_weight)
            else:
                m.refer_to_social(issue, b.grid_retry_days)
        elif issue.kind is Kind.VIOLATION:
            if u < b.enforcement_success:
                m.enforce(issue)
            else:
                m.retry(issue, b.grid_retry_days)
        elif u < b.public_grid_success:  # public topic
            m.resolve(issue, b.routine_trust_weight)
        elif m.councils_available:
            m.refer(issue, Channel.AGENDA)
        else:
            m.retry(issue, 2 * b.grid_retry_days)

    def update_workload(self, on_desk: int, handled: int, capacity: float) -> None:
        st, b = self.model.params.staffing, self.model.params.behaviour
        admin = self.admin_load()
        full = max(self.effective * st.grid_worker_cases_per_day, 1e-9)
        self.utilisation = admin + (1 - admin) * min(1.0, handled / max(capacity, 1e-9))
        self.workload += (on_desk / full - self.workload) / b.workload_days
        pressure = admin + (1 - admin) * self.workload
        if pressure > b.burnout_threshold:
            self.burnout += b.burnout_rate * (pressure - b.burnout_threshold)
        else:
            self.burnout -= b.burnout_recovery * self.burnout
        self.burnout = min(1.0, max(0.0, self.burnout))


class CommunityOffice(mesa.Agent):
    """The community staff (社区工作人员) of one community or a block of communities
    (2.4a); while there are enough of them, one leads each of their grids part-time."""

    def __init__(
        self, model: ReferenceModel, staff: float, communities: list[int], grids: int
    ) -> None:
        super().__init__(model)
        st = model.params.staffing
        self.staff = staff
        self.communities = communities
        time = 0.0 if "grid_leaders" in model.disable else st.grid_leader_time
        self.leader_time = time * min(1.0, staff / grids)  # given to each of its grids
        self.effective = staff - time * min(staff, grids)
        self.utilisation = 0.0
        self.cases = 0
        self.queue: dict[Issue, None] = {}  # COMMUNITY issues

    def admin_load(self) -> float:
        st = self.model.params.staffing
        return st.community_admin_load * (1 - st.task_entry_list)

    def capacity(self) -> float:
        per_day = self.model.params.staffing.community_staff_cases_per_day
        return self.effective * per_day * (1 - self.admin_load())

    def step(self) -> None:
        """7.6a: serve, mediate and refer on, oldest first within capacity."""
        m = self.model
        if "community_office" in m.disable:
            return
        capacity = self.capacity()
        worked = m.take_oldest(m.ready(self.queue), capacity, by_standing=True)  # 7.20
        admin = self.admin_load()
        self.utilisation = admin + (1 - admin) * min(1.0, len(worked) / max(capacity, 1e-9))
        self.cases += len(worked)
        for issue in worked:
            self.work(issue)

    def work(self, issue: Issue) -> None:
        m, b = self.model, self.model.params.behaviour
        u = m.uniform()
        if issue.kind is Kind.SERVICE:
            if u < b.community_service_success:
                m.resolve(issue, b.routine_trust_weight)
            else:
                m.refer_to_social(issue, b.community_retry_days)
        elif issue.kind is Kind.DISPUTE:
            m.ledger.add("mediations", 1)
            p = b.community_mediation_success * (0.5 + 0.5 * m.pair_mean(issue, "norm"))
            if u < p:
                m.resolve(issue, b.routine_trust_weight)
            else:
                m.refer(issue, Channel.LEGAL if m.legal_available else Channel.GRID)
        elif issue.kind is Kind.VIOLATION:
            m.refer(issue, Channel.GRID)
        else:  # a public topic: the council's, or the grid's without councils
            m.refer(issue, Channel.AGENDA if m.councils_available else Channel.GRID)


class LegalTeam(mesa.Agent):
    """Legal advisors (法律顾问) serving one community or a block of communities (2.4)."""

    def __init__(self, model: ReferenceModel, staff: float, communities: list[int]) -> None:
        super().__init__(model)
        self.staff = staff
        self.communities = communities
        self.cases = 0
        self.owed = 0.0  # time owed to council and jury sittings, in cases (7.18)
        self.queue: dict[Issue, None] = {}  # LEGAL issues

    def step(self) -> None:
        """7.7: lectures, then the queue (the court is the model's, after all teams)."""
        self.give_lectures()
        if self.model.legal_available:
            self.work_queue()

    def give_lectures(self) -> None:
        m, law = self.model, self.model.params.rule_of_law
        key = "rule_of_law.legal_lectures_per_year"
        if m.local.active(key):
            # Scoped: the advisors split their time equally over their communities and
            # lecture in each at its own rate.
            share = self.staff / len(self.communities)
            where = [
                k
                for k in self.communities
                for _ in range(int(m.rng.poisson(share * m.lever(key, k) / YEAR)))
            ]
            held = len(where)
        else:
            held = int(m.rng.poisson(self.staff * law.legal_lectures_per_year / YEAR))
            where = None  # drawn lecture by lecture, in the order of the draws before
        if held == 0:
            return
        m.ledger.add("legal_lectures", held)
        attendees: set[Household] = set()  # a household attending twice learns once (3)
        for i in range(held):
            community = m.choice(self.communities) if where is None else where[i]
            members = m.community_members[community]
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
        if self.owed > 0:  # 7.18: sittings attended take the advisors' time first
            paid = min(self.owed, capacity)
            self.owed -= paid
            capacity -= paid
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
            rounds = m.lever("rule_of_law.mediation_rounds", raiser.community)
            if "mediation_rounds" in m.disable:
                rounds = 1
            p *= b.repeat_factor**issue.legal_attempts  # each round harder
            if u < p:
                m.resolve(issue, b.routine_trust_weight)
            elif issue.legal_attempts + 1 < rounds:  # another round after a while
                issue.legal_attempts += 1
                m.retry(issue, b.legal_retry_days)
            else:  # a failed mediation goes to court: slow, but legitimate
                issue.legal_attempts += 1
                m.move(issue, Channel.COURT, m.day + law.court_days)
                m.choose_jury(issue)  # 7.17: or first to a public jury
            raiser.legal_awareness = nudge(raiser.legal_awareness, b.lecture_gain / 2)
        elif issue.kind is Kind.VIOLATION:
            if u < b.enforcement_success:
                m.enforce(issue)
            else:
                m.retry(issue, b.legal_retry_days)
        else:  # safeguard: service requests and public topics belong to the grid
            m.refer(issue, Channel.GRID)


class SocialOrganisation(mesa.Agent):
    """A social organisation (社会组织) serving a block of households (2.5)."""

    def __init__(self, model: ReferenceModel, index: int, social_workers: int) -> None:
        super().__init__(model)
        self.index = index
        self.social_workers = social_workers
        self.credibility = model.params.staffing.initial_social_credibility
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
                m.resolve(issue, b.routine_trust_weight)
            else:
                m.retry(issue, b.social_retry_days)
        if tried:
            self.credibility += b.credibility_rate * (done / tried - self.credibility)


class PartyBranch(mesa.Agent):
    """A party branch (党组织) of one grid or community (2.6)."""

    def __init__(self, model: ReferenceModel, index: int, households: list[Household]) -> None:
        super().__init__(model)
        self.index = index
        self.households = households
        self.visits = 0
        grid_level = model.params.staffing.party_branch_level == "grid"
        # The community whose party secretary's levers it follows (sim/scoped.py).
        self.community = int(model.layout.community_of_grid[index]) if grid_level else index

    def step(self) -> None:
        """7.9: on its weekday, take up the oldest stuck cases of its households."""
        m, fusion = self.model, self.model.params.fusion
        weekly = m.lever("fusion.party_visit_cases_per_week", self.community) * (
            fusion.party_leadership
        )
        if weekly <= 0 or self.index % 7 != m.day % 7 or "party_visits" in m.disable:
            return
        stuck = [
            issue
            for household in self.households
            for issue in household.issues
            if issue.channel in STUCK_CHANNELS and issue.raised <= m.day - fusion.stuck_days
        ]
        resolved = []
        for issue in m.take_oldest(stuck, weekly):
            self.visits += 1
            m.ledger.add("party_visits", 1)
            if m.chance(m.params.behaviour.party_visit_success):
                resolved.append(issue)
        # One resolution of the day's successes, as in the engine (3: repeated households).
        m.resolve_all(resolved, m.params.behaviour.leadership_trust_weight)


class Council(mesa.Agent):
    """The deliberation council (议事会) of one community (2.7)."""

    def __init__(self, model: ReferenceModel, index: int, households: list[Household]) -> None:
        super().__init__(model)
        self.index = index
        self.households = households
        self.meetings = 0
        self.advisor_present = False  # set by the model's 7.18 each day it meets
        self.agenda: dict[Issue, None] = {}  # AGENDA issues

    def meets_today(self) -> bool:
        """Every interval / convening days, rounded (never at no convening), staggered."""
        m = self.model
        interval = m.params.self_governance.deliberation_interval_days
        convening = m.lever("fusion.council_convening", self.index)
        if "council_convening" in m.disable:
            convening = 1.0
        if interval <= 0 or convening <= 0:
            return False
        return (self.index + m.day) % max(1, round(interval / convening)) == 0

    def step(self) -> None:
        """7.10: on its meeting day, residents attend, then the oldest topics are taken up;
        the rules are revised (7.19)."""
        m, b = self.model, self.model.params.behaviour
        if not self.meets_today():
            return
        attendees = [h for h in self.households if m.chance(b.council_attendance * h.engagement)]
        for h in attendees:
            h.last_participation = m.day
            h.engagement = nudge(h.engagement, b.attendance_engagement_gain)
            h.trust = nudge(h.trust, b.trust_gain / 2)
        share = len(attendees) / len(self.households)
        quality = share / (share + b.half_success_attendance)
        if self.advisor_present and "advisor_gain" not in m.disable:  # 7.18
            quality *= 1 + m.params.rule_of_law.advisor_success_gain
        m.revise_rules(self.index, quality)  # 7.19
        self.meetings += 1
        m.ledger.add("deliberations", 1)
        m.ledger.add("council_attendance", len(attendees))
        topics = m.lever("self_governance.topics_per_deliberation", self.index)
        if m.params.self_governance.joint_councils and "joint_councils" not in m.disable:
            self.six_steps(topics, quality)
            return
        resolved = []
        for issue in m.take_oldest(m.ready(self.agenda), topics):
            if m.chance(min(1.0, b.council_success * quality)):
                m.ledger.add("topics_resolved", 1)
                resolved.append(issue)
        m.resolve_all(resolved, b.leadership_trust_weight)  # one call (3: repeated households)

    def six_steps(self, topics: int, quality: float) -> None:
        """7.10, "1+7+X": decide the topics investigated since the last meeting, publish and
        follow up; with the capacity left, choose new topics to investigate."""
        m, b = self.model, self.model.params.behaviour
        sg = m.params.self_governance
        ready = m.ready(self.agenda)
        decided = m.take_oldest([i for i in ready if i.investigated], topics)
        fresh = [i for i in ready if not i.investigated]
        for issue in m.take_oldest(fresh, topics - len(decided)):
            issue.investigated = True
        p = min(1.0, b.council_success * quality * (1 + sg.investigation_gain))
        published = [issue for issue in decided if m.chance(p)]
        m.ledger.add("council_decisions", len(published))
        carried = [m.chance(sg.follow_up_success) for _ in published]
        failed = []
        resolved = []
        for issue, done in zip(published, carried, strict=True):
            if done:
                m.ledger.add("topics_resolved", 1)
                resolved.append(issue)
            else:
                failed.append(issue)
        m.resolve_all(resolved, b.leadership_trust_weight)  # one call (3: repeated households)
        m.ledger.add("follow_up_failures", len(failed))
        grids = set()
        raisers = set()
        for issue in failed:  # seen to fail: the raiser and, published, the grid
            issue.investigated = False
            raisers.add(issue.household)
            grids.add(issue.household.grid)
        for h in raisers:
            h.trust = nudge(h.trust, b.trust_loss, 0.0)
        if b.public_spillover > 0 and "public_spillover" not in m.disable:
            for g in sorted(grids):
                for h in m.grid_members[g]:
                    h.trust = nudge(h.trust, b.public_spillover * b.trust_loss, 0.0)
