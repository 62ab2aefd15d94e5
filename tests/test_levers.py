"""The direction of each lever's effect, measured over replications with a statistical test.

Each case compares two arms that differ in one lever (everything else at the documented
defaults, or in a stated context) over at least ``REPLICATIONS`` runs per arm. Both arms use
the same seeds, so replication ``i`` of each arm starts from the same households and network
(common random numbers); the test is a one-sided paired t-test on the per-seed outcomes at
``ALPHA``. Results are deterministic for the root seed and do not depend on the process pool.

The population is 10,000 households over 180 days: a run's cost is dominated by the fixed
cost of a day, not by the number of households, and escalations are rare events, so a larger
population buys statistical power almost for free.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments.executors import default_workers
from experiments.runner import replication_seeds, simulate
from sim.params import Parameters

pytestmark = pytest.mark.slow

HOUSEHOLDS = 10_000  # 5 communities of 2,000, 25 grids of 400
DAYS = 180
REPLICATIONS = 10
ROOT_SEED = 20240501
ALPHA = 0.01
MAX_WORKERS = 2


# --- Per-run outcomes: one number per run from the daily metric frame.


def total(metric: str) -> Callable[[pd.DataFrame], float]:
    """Sum of a daily count over the whole run."""
    return lambda frame: float(frame[metric].sum())


def final(metric: str) -> Callable[[pd.DataFrame], float]:
    """Value of a level metric on the last day."""
    return lambda frame: float(frame[metric].iloc[-1])


def second_half_mean(metric: str) -> Callable[[pd.DataFrame], float]:
    """Mean of a trailing-window metric over the second half of the run (after warm-up)."""
    return lambda frame: float(frame[metric].iloc[len(frame) // 2 :].mean())


OUTCOMES: dict[str, Callable[[pd.DataFrame], float]] = {
    "total escalations": total("issues_escalated"),
    "mean days to resolve (2nd half)": second_half_mean("mean_days_to_resolve"),
    "total violations": total("violations"),
    "final volunteer hours per volunteer-year": final("volunteer_hours_per_volunteer_year"),
    "final participation rate": final("participation_rate"),
    "final mean trust": final("mean_trust"),
    "final mean norm": final("mean_norm"),
    "total lost referrals": total("referrals_lost"),
    "mean days to serve (2nd half)": second_half_mean("mean_days_to_serve"),
    "backlog dispersion (2nd half)": second_half_mean("backlog_dispersion"),
    "total faded": total("issues_faded"),
    "mean grid-worker utilisation (2nd half)": second_half_mean("grid_worker_utilisation"),
    "total jury settlements": total("jury_settlements"),
    "total disputes": total("disputes"),
    "total council topics resolved": total("deliberation_topics_resolved"),
}


# --- The cases: the arm expected to do better, the arm expected to do worse, the outcome.


@dataclass(frozen=True)
class Case:
    id: str
    better: dict[str, Any]  # lever values of the arm expected to do better
    worse: dict[str, Any]  # lever values of the arm expected to do worse
    outcome: str  # key of OUTCOMES
    direction: Literal["lower", "higher"]  # what "better" means for the outcome
    context: dict[str, Any] = field(default_factory=dict)  # shared by both arms
    replications: int = REPLICATIONS


HH_PER_WORKER = "staffing.households_per_grid_worker"
ADMIN = "staffing.admin_load"
LEGAL = "staffing.legal_advisors_per_community"
DETECTION = "rule_of_law.detection_probability"
MORAL_BANK = "moral.moral_bank"
PARTICIPATION = "self_governance.participation"
DELIBERATION = "self_governance.deliberation_interval_days"
COORDINATION = "fusion.coordination"
COMMUNITY_STAFF = "staffing.community_staff_per_community"
PER_COMMUNITY = "population.households_per_community"
LARGE_SHARE = "population.large_community_share"
POLICE = "staffing.police_per_grid"
ALLOCATION = "staffing.allocation"
HELPERS = "staffing.helpers_per_grid"
ENTRY_LIST = "staffing.task_entry_list"
CREDIBILITY = "staffing.initial_social_credibility"
ACTIVE_PARTY = "population.active_party_share"
DUAL = "population.dual_registration"
LEADER_TIME = "staffing.grid_leader_time"
STAFF_RULE = "staffing.community_staff_rule"
INTEGRITY = "moral.integrity_points"
# Communities of different sizes: 5 drawn around a mean of 2,000 with about 8% above 5,000
# households (the most a lognormal with that mean allows is 8.8%; Kunshan's 41 of 221 urban
# communities is more).
UNEVEN = {LARGE_SHARE: 0.08}
# Residents take their issues to the grid, not to a community office. With an office taking
# about two reports in five, the grid is far from capacity at the calibrated demand and its
# own levers barely move escalations (grid workers 250 vs 600 households: 9.4 vs 9.4 over 10
# runs); where the grid is the one door, as it was before the office was modelled, they do.
GRID_ONLY = {"behaviour.community_weight": 0.0}
# One community of 10,000 households with 9 staff (Kunshan's largest have 20,000-30,000
# people and 8-10 staff): the office is over capacity, so what it can give residents shows
# in their waits. At 5,000 households it is just below capacity and the effects are small.
STRETCHED = {PER_COMMUNITY: 10000}
# The practices of law (ODD 7.17-7.19) where disputes often reach court: common disputes,
# taken to advisors who fail most mediations, in 2,000 households over 120 days (the
# practices act on few cases, so a small town shows them as well as a large one, cheaply).
JURY = "self_governance.public_jury"
ADVISORS = "rule_of_law.advisor_attendance"
RULES = "self_governance.rules_revision"
JOINT = "self_governance.joint_councils"
COURTS_BUSY = {
    "population.households": 2000,
    "scenario.steps": 120,
    "behaviour.dispute_rate": 1.0,
    "behaviour.legal_weight": 3.0,
    "rule_of_law.mediation_success": 0.3,
    "staffing.legal_cases_per_week": 10.0,
    "self_governance.jury_acceptance": 1.0,
}

CASES = [
    Case(
        "grid-workers-250-vs-800-hh/fewer-escalations-where-the-grid-is-the-door",
        {HH_PER_WORKER: 250.0},
        {HH_PER_WORKER: 800.0},
        "total escalations",
        "lower",
        context=GRID_ONLY,
        replications=2 * REPLICATIONS,  # escalations are rare: about 10 a run
    ),
    Case(
        "grid-workers-250-vs-600-hh/faster-resolution-where-the-grid-is-the-door",
        {HH_PER_WORKER: 250.0},
        {HH_PER_WORKER: 600.0},
        "mean days to resolve (2nd half)",
        "lower",
        context=GRID_ONLY,
    ),
    Case(
        "admin-load-0.1-vs-0.6/fewer-escalations-where-the-grid-is-the-door",
        {ADMIN: 0.1},
        {ADMIN: 0.6},
        "total escalations",
        "lower",
        context=GRID_ONLY,
    ),
    Case(
        "admin-load-0.1-vs-0.6/faster-resolution-where-the-grid-is-the-door",
        {ADMIN: 0.1},
        {ADMIN: 0.6},
        "mean days to resolve (2nd half)",
        "lower",
        context=GRID_ONLY,
    ),
    # At today's staffing, hard disputes (failed grid mediation) need the legal backstop.
    # At the calibrated dispute rate (Kunshan: 14.5 advisor mediations per community a year)
    # disputes are too rare for the effect to show in 10 runs (it does not); where disputes
    # are seven times as common, as before calibration, it does.
    Case(
        "legal-advisors-1-vs-0/fewer-escalations-where-disputes-are-common-at-the-grid",
        {LEGAL: 1.0},
        {LEGAL: 0.0},
        "total escalations",
        "lower",
        context={"behaviour.dispute_rate": 0.25, **GRID_ONLY},
        replications=2 * REPLICATIONS,
    ),
    Case(
        "detection-0.6-vs-0.05/fewer-violations",
        {DETECTION: 0.6},
        {DETECTION: 0.05},
        "total violations",
        "lower",
    ),
    Case(
        "moral-bank-on-vs-off/more-volunteer-hours",
        {MORAL_BANK: True},
        {MORAL_BANK: False},
        "final volunteer hours per volunteer-year",
        "higher",
    ),
    Case(
        "participation-0.4-vs-0.1/higher-participation-rate",
        {PARTICIPATION: 0.4},
        {PARTICIPATION: 0.1},
        "final participation rate",
        "higher",
    ),
    # Engagement builds trust through councils (attendance, topics settled). With monthly
    # councils the effect is below what 10 runs detect (+0.0005); with weekly ones it is clear.
    Case(
        "participation-0.4-vs-0.1/higher-trust-with-weekly-councils",
        {PARTICIPATION: 0.4},
        {PARTICIPATION: 0.1},
        "final mean trust",
        "higher",
        context={DELIBERATION: 7},
    ),
    Case(
        "deliberation-every-30-days-vs-none/higher-participation-rate",
        {DELIBERATION: 30},
        {DELIBERATION: 0},
        "final participation rate",
        "higher",
    ),
    Case(
        "deliberation-every-30-days-vs-none/higher-trust",
        {DELIBERATION: 30},
        {DELIBERATION: 0},
        "final mean trust",
        "higher",
        replications=2 * REPLICATIONS,  # +0.003 (an office now resolves much of the rest)
    ),
    Case(
        "coordination-1-vs-0/fewer-lost-referrals",
        {COORDINATION: 1.0},
        {COORDINATION: 0.0},
        "total lost referrals",
        "lower",
    ),
    # --- issue 13: structure.
    Case(
        "community-staff-15-vs-4/shorter-waits-for-service",
        {COMMUNITY_STAFF: 15.0},
        {COMMUNITY_STAFF: 4.0},
        "mean days to serve (2nd half)",
        "lower",
    ),
    Case(
        "kunshan-recommended-community-staff-vs-9-each/shorter-waits-in-large-communities",
        {STAFF_RULE: "per_households"},
        {STAFF_RULE: "per_community"},
        "mean days to serve (2nd half)",
        "lower",
        context=STRETCHED,  # 77 staff, not 9
    ),
    Case(
        "communities-of-1000-vs-10000-at-9-staff-each/shorter-waits",
        {PER_COMMUNITY: 1000},
        {PER_COMMUNITY: 10000},
        "mean days to serve (2nd half)",
        "lower",
    ),
    Case(
        "equal-vs-uneven-community-sizes-at-9-staff-each/smaller-spread",
        {LARGE_SHARE: 0.0},
        UNEVEN,
        "backlog dispersion (2nd half)",
        "lower",
    ),
    Case(
        "need-vs-equal-allocation-at-the-same-staff/smaller-spread",
        {ALLOCATION: "need"},
        {ALLOCATION: "equal"},
        "backlog dispersion (2nd half)",
        "lower",
        context=UNEVEN,
        replications=2 * REPLICATIONS,  # 0.35 vs 0.41 over 10 runs: p = 0.012
    ),
    Case(
        "grid-police-1-vs-0/fewer-violations",
        {POLICE: 1.0},
        {POLICE: 0.0},
        "total violations",
        "lower",
    ),
    Case(
        "helpers-10-vs-0/fewer-issues-left-to-fade",
        {HELPERS: 10.0},
        {HELPERS: 0.0},
        "total faded",
        "lower",
    ),
    Case(
        "grid-leader-time-0.5-vs-0/lower-grid-utilisation",
        {LEADER_TIME: 0.5},
        {LEADER_TIME: 0.0},
        "mean grid-worker utilisation (2nd half)",
        "lower",
    ),
    Case(
        "entry-list-0.8-vs-0/shorter-waits-for-service",
        {ENTRY_LIST: 0.8},
        {ENTRY_LIST: 0.0},
        "mean days to serve (2nd half)",
        "lower",
        context=STRETCHED,
    ),
    Case(
        "social-credibility-0.9-vs-0.2/more-volunteer-hours",
        {CREDIBILITY: 0.9},
        {CREDIBILITY: 0.2},
        "final volunteer hours per volunteer-year",
        "higher",
    ),
    # Serving party members register as volunteers and are mobilised: more households
    # take part where fewer members have aged out or more in-service members registered.
    Case(
        "active-party-share-1-vs-0.2/higher-participation-rate",
        {ACTIVE_PARTY: 1.0},
        {ACTIVE_PARTY: 0.2},
        "final participation rate",
        "higher",
    ),
    Case(
        "dual-registration-1-vs-0/higher-participation-rate",
        {DUAL: 1.0},
        {DUAL: 0.0},
        "final participation rate",
        "higher",
    ),
    # "Add staff only where communities are large": an override for the one community of
    # 6,500 households (of 5 drawn) against none.
    Case(
        "override-30-community-staff-in-large-communities-vs-none/smaller-spread",
        {"staffing.overrides": [{"communities_above": 5000, "community_staff": 30}]},
        {},
        "backlog dispersion (2nd half)",
        "lower",
        context=UNEVEN,
    ),
    # Integrity points (ODD 7.20): the standing at stake deters violations. The effect is
    # large (about a quarter fewer), so five paired runs suffice.
    Case(
        "integrity-points-on-vs-off/fewer-violations",
        {INTEGRITY: True},
        {INTEGRITY: False},
        "total violations",
        "lower",
        replications=REPLICATIONS // 2,
    ),
    # Redemption (ODD 7.21): a credit that can be spent pulls volunteers out more.
    Case(
        "redemption-on-vs-off/more-volunteer-hours-with-a-moral-bank",
        {MORAL_BANK: True, "moral.redemption": True},
        {MORAL_BANK: True},
        "final volunteer hours per volunteer-year",
        "higher",
        replications=REPLICATIONS // 2,
    ),
    # Moral review councils (ODD 7.22): praise and criticism boards pull norms up.
    Case(
        "moral-review-on-vs-off/higher-mean-norm",
        {"moral.moral_review": True},
        {},
        "final mean norm",
        "higher",
        replications=REPLICATIONS // 2,
    ),
    Case(
        "coordination-1-vs-0/fewer-escalations",
        {COORDINATION: 1.0},
        {COORDINATION: 0.0},
        "total escalations",
        "lower",
        replications=2 * REPLICATIONS,  # escalations are rare: about 12 vs 19 per run
    ),
    # ODD 7.17: jurors take part in self-governance; disputes settled before their court
    # judgment, and sittings seen to settle them, build trust. (Fewer escalations: 2.9 vs 3.7
    # a run over 10 seeds, too rare here to test; days to resolve do not fall, 9.4 vs 9.3:
    # the disputes a jury settles are older than most resolved issues.)
    Case(
        "public-jury-on-vs-off/higher-participation-rate",
        {JURY: True},
        {JURY: False},
        "final participation rate",
        "higher",
        context=COURTS_BUSY,
    ),
    Case(
        "public-jury-on-vs-off/higher-trust",
        {JURY: True},
        {JURY: False},
        "final mean trust",
        "higher",
        context=COURTS_BUSY,
        replications=2 * REPLICATIONS,  # +0.003 in 10 runs (p = 0.06)
    ),
    # ODD 7.18: an advisor at the sittings raises a jury's success.
    Case(
        "advisors-at-sittings-1-vs-0/more-jury-settlements",
        {ADVISORS: 1.0},
        {ADVISORS: 0.0},
        "total jury settlements",
        "higher",
        context={**COURTS_BUSY, JURY: True, "self_governance.jury_success": 0.6},
    ),
    # ODD 7.10: in six-step councils, a decision not carried out returns to be investigated
    # and decided again, so better follow-up settles more topics. (Joint councils on against
    # off settle no more: 15 against 18 topics a run over 3 seeds, ODD 7.10.)
    Case(
        "joint-council-follow-up-0.95-vs-0.3/more-council-topics-resolved",
        {"self_governance.follow_up_success": 0.95},
        {"self_governance.follow_up_success": 0.3},
        "total council topics resolved",
        "higher",
        context={
            "population.households": 2000,
            "scenario.steps": 120,
            DELIBERATION: 7,
            JOINT: True,
        },
    ),
    # ODD 7.19: rules revised at councils prevent disputes. (Informal settlements rise less,
    # 55.8 vs 52.5 over 10 seeds: the disputes prevented are no longer there to settle.)
    Case(
        "rules-revision-on-vs-off/fewer-disputes",
        {RULES: True},
        {RULES: False},
        "total disputes",
        "lower",
        context={**COURTS_BUSY, DELIBERATION: 7},
    ),
]


# --- Running arms: each (parameters, seed) run once per module, shared between cases.


class Runs:
    """Runs arms over the replication seeds, in a process pool if there is more than one
    core, and remembers each run's outcomes so arms shared between cases run once."""

    def __init__(self, executor: Executor | None) -> None:
        self.executor = executor
        self._done: dict[tuple[Parameters, int], dict[str, float]] = {}

    def outcomes(self, arms: list[Parameters], replications: int) -> list[list[dict[str, float]]]:
        """Per arm, per seed: every outcome in OUTCOMES.

        Seeds spawned from one root are a prefix of any longer list from the same root, so
        a case with more replications reuses the runs of one with fewer.
        """
        seeds = replication_seeds(ROOT_SEED, replications)
        todo = list(dict.fromkeys((p, s) for p in arms for s in seeds if (p, s) not in self._done))
        if self.executor is None:
            frames = [simulate(p, s) for p, s in todo]
        else:
            futures = [self.executor.submit(simulate, p, s) for p, s in todo]
            frames = [f.result() for f in futures]
        for key, frame in zip(todo, frames, strict=True):
            self._done[key] = {name: fn(frame) for name, fn in OUTCOMES.items()}
        return [[self._done[(p, s)] for s in seeds] for p in arms]


@pytest.fixture(scope="module")
def runs() -> Iterator[Runs]:
    workers = min(MAX_WORKERS, default_workers())
    if workers <= 1:
        yield Runs(None)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
        yield Runs(executor)


def arm(context: dict[str, Any], lever: dict[str, Any]) -> Parameters:
    return Parameters().with_values(
        {"population.households": HOUSEHOLDS, "scenario.steps": DAYS, **context, **lever}
    )


def describe(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_lever_moves_outcome_in_the_expected_direction(runs: Runs, case: Case) -> None:
    better_arm, worse_arm = arm(case.context, case.better), arm(case.context, case.worse)
    better_runs, worse_runs = runs.outcomes([better_arm, worse_arm], case.replications)
    better = np.array([r[case.outcome] for r in better_runs])
    worse = np.array([r[case.outcome] for r in worse_runs])
    assert np.all(np.isfinite(better)) and np.all(np.isfinite(worse)), (better, worse)

    alternative = "less" if case.direction == "lower" else "greater"
    p = stats.ttest_rel(better, worse, alternative=alternative).pvalue
    context = f" (context: {describe(case.context)})" if case.context else ""
    assert p < ALPHA, (
        f"{case.outcome} should be {case.direction} with {describe(case.better)} than with "
        f"{describe(case.worse)}{context}: means {better.mean():.4g} vs {worse.mean():.4g} "
        f"over {better.size} paired seeds; one-sided paired t-test p = {p:.3g} "
        f"(alpha = {ALPHA})"
    )
