"""ODD 2.4 and 7.7. Legal advisors (法律顾问): mediation, enforcement backstop, lectures,
and the court route."""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import COURT, DISPUTE, GRID, LEGAL, PUBLIC, SERVICE, VIOLATION
from ..layout import Assignment, Layout
from ..params import Parameters
from ..practices.jury import choose_jury
from ..queues import take_oldest
from ..world import World


class LegalAdvisors:
    """Advisors assigned to communities (several per community, or one serving several)."""

    def __init__(self, model: World) -> None:
        self.model = model
        self.n_advisors = self.count_from(model.params, model.layout)
        self.assignment = Assignment.spread(model.layout.n_communities, self.n_advisors)
        self.cases = np.zeros(self.assignment.n_teams)  # cases handled so far, per team
        # Time owed to council and jury sittings (ODD 7.18), in cases, taken from the next
        # days' capacity.
        self.owed = np.zeros(self.assignment.n_teams)
        self.configure()

    def configure(self) -> None:
        """Capacity from the parameters (again when they change mid-run)."""
        self.weekly_cases = self.model.params.staffing.legal_cases_per_week

    @staticmethod
    def count_from(params: Parameters, layout: Layout) -> int:
        """Legal advisors of a run (ODD 2.4); 0.5 a community is one per two communities."""
        return round(layout.n_communities * params.staffing.legal_advisors_per_community)

    @property
    def available(self) -> bool:
        """Whether disputes can be taken to an advisor at all."""
        return self.n_advisors > 0 and self.weekly_cases > 0

    def step(self) -> None:
        """ODD 7.7: lectures, then the advisors' queues (judgments are a separate call)."""
        if self.n_advisors > 0:
            self._lectures()
            if self.available:
                self._work_queue()

    def deliver_judgments(self) -> None:
        """ODD 7.7: every court case that is due is decided, with or without advisors (the
        court is not theirs; only the disputes they fail to mediate go there)."""
        model = self.model
        rows = model.issues.in_channel(COURT, model.day)
        lifecycle.resolve(model, rows, model.params.behaviour.court_trust_weight)

    def _work_queue(self) -> None:
        model = self.model
        pool, b, law, rng = (
            model.issues,
            model.params.behaviour,
            model.params.rule_of_law,
            model.rng,
        )
        rows = pool.in_channel(LEGAL, model.day)
        team = self.assignment.team_of_unit[model.layout.community[pool.household[rows]]]
        capacity = self.assignment.staff_per_team * self.weekly_cases / 7.0
        if self.owed.any():  # ODD 7.18: sittings attended take the advisors' time
            paid = np.minimum(self.owed, capacity)
            self.owed -= paid
            capacity = capacity - paid
        worked = rows[take_oldest(team, pool.raised[rows], capacity, rng)]
        self.cases += np.bincount(
            self.assignment.team_of_unit[model.layout.community[pool.household[worked]]],
            minlength=self.assignment.n_teams,
        )
        kind = pool.kind[worked]
        u = rng.random(worked.size)

        disputes = worked[kind == DISPUTE]
        model.ledger.add("mediations", disputes.size)
        model.ledger.add("legal_mediations", disputes.size)
        parties = lifecycle.pair_mean(model, model.households.legal_awareness, disputes)
        p = law.mediation_success * (0.6 + 0.4 * parties)
        rounds = model.local_array("rule_of_law.mediation_rounds")
        several = rounds is not None or law.mediation_rounds > 1
        if several:  # each round harder, as at the grid
            p = p * b.repeat_factor ** pool.legal_attempts[disputes]
        ok = u[kind == DISPUTE] < p
        lifecycle.resolve(model, disputes[ok], b.routine_trust_weight)
        model.households.nudge("legal_awareness", pool.household[disputes], b.lecture_gain / 2)
        failed = disputes[~ok]
        if several:  # a failed round is tried again until the community's rounds are used
            pool.legal_attempts[failed] += 1
            if rounds is not None:
                allowed = rounds[model.layout.community[pool.household[failed]]]
            else:
                allowed = law.mediation_rounds
            again = pool.legal_attempts[failed] < allowed
            lifecycle.retry(model, failed[again], b.legal_retry_days)
            failed = failed[~again]
        # A failed mediation goes to court: slow, but a legitimate route.
        pool.channel[failed] = COURT
        pool.ready[failed] = model.day + law.court_days
        choose_jury(model, failed)  # ODD 7.17: the parties may take it to a public jury

        violations = worked[kind == VIOLATION]
        ok = u[kind == VIOLATION] < b.enforcement_success
        lifecycle.enforce(model, violations[ok])
        lifecycle.retry(model, violations[~ok], b.legal_retry_days)

        other = worked[(kind == SERVICE) | (kind == PUBLIC)]
        lifecycle.refer(model, other, GRID)

    def _lectures(self) -> None:
        """Lectures raise the legal awareness of the households that attend."""
        model = self.model
        law, rng, h = model.params.rule_of_law, model.rng, model.households
        local = model.local_array("rule_of_law.legal_lectures_per_year")
        if local is None:
            per_team = self.assignment.staff_per_team * law.legal_lectures_per_year / 365.0
            held = rng.poisson(per_team)
            total = np.add.reduce(held)  # held.sum(), once
            if total == 0:
                return
            model.ledger.add("legal_lectures", float(total))
            teams = np.repeat(np.arange(held.size), held)
            communities = self.assignment.random_unit(teams, rng)
        else:
            # Scoped to communities: a team's advisors split their time equally over its
            # communities, and lecture in each at that community's rate.
            a = self.assignment
            staff = (a.staff_per_team / a.units_per_team())[a.team_of_unit]
            held = rng.poisson(staff * local / 365.0)
            total = np.add.reduce(held)
            if total == 0:
                return
            model.ledger.add("legal_lectures", float(total))
            communities = np.repeat(np.arange(held.size), held)
        start = model.layout.community_start[communities]
        size = model.layout.community_start[communities + 1] - start
        invited = rng.binomial(size, law.lecture_reach)
        who = np.repeat(start, invited) + (
            rng.random(invited.sum()) * np.repeat(size, invited)
        ).astype(np.int64)
        came = who[rng.random(who.size) < 0.5 + 0.5 * h.engagement[who]]
        h.nudge("legal_awareness", came, model.params.behaviour.lecture_gain)
