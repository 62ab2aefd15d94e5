"""Statistical equivalence of the engine (``GovernanceModel``) and the per-agent reference
(``sim.reference.ReferenceModel``), which implement the same rules (docs/ODD.md) separately.

Design. Each setting runs ``REPLICATIONS`` = 20 (the scoped one 40) independent replications
of each model at 1,000 households (3 grids in 1 community at the defaults) for 100 days, with
seeds spawned from different roots, and reduces every run to the per-replication outcomes in
``OUTCOMES`` (totals of daily counts, final levels, run means). Size and length are set by
the reference's cost (about 1.1 s per run against the engine's 0.2 s on an idle core).

Test and tolerance, per outcome:

- **Test**: two-sided Welch t-test of the two samples of per-replication outcomes, with
  Holm's step-down correction over all outcomes of the setting at family alpha = 0.01. The
  models differ significantly if any Holm-adjusted p-value is below 0.01.
- **Tolerance**: ``|mean_engine - mean_reference| <= 3.5 * SE + 0.005 * |mean_engine|``,
  where ``SE = sqrt(s_e^2 / n_e + s_r^2 / n_r)`` is the standard error of the difference.
  For totals of events SE is at least the Poisson value ``sqrt(m_e / n_e + m_r / n_r)``
  (``m`` the means): with one or two events a run (legal-advisor mediations at the
  calibrated dispute rate) twenty sample variances can understate the noise badly.
  It bounds every outcome on its own (uncorrected, about 0.1 % two-sided per outcome), so a
  difference can not hide behind the correction for the many outcomes; the relative 0.5 %
  absorbs float32-versus-float64 drift in outcomes with almost no spread.

The models are equivalent in a setting when no outcome fails either check. Four settings
are checked: the defaults; one with a moral bank, red/black boards, weekly councils, low
coordination, more grid workers (one team per grid), party branches per community and no
grid helpers (so patrols are the only discovery); and
the structure of issue 13 (``STRUCTURE``: four communities of lognormal sizes, three
community staff in each, need allocation every 10 days, a grid-worker override, grid
leaders, police in every grid, busy helpers, low credibility that matters, an ageing party,
frequent violations that the grid enforces badly); and a timeline (``TIMELINE``, docs/timeline.md:
the admin load ramps up, grid workers are hired mid-run, a moral-bank campaign runs and ends,
social workers are hired, trust is gained faster from day 50); and the moral practices of
issue 14 (``PRACTICES_MORAL``: integrity points, moral-bank redemption with preferential
credit, moral review councils every 14 days, each strong enough to show, with frequent
violations so that sanctions cost points). Measured in that setting: all 30 outcomes
within tolerance, the largest Welch p among the practices' own outcomes 0.17 (moral-review
panellists, 49.3 vs 46.3 a run); and the practices of rule of
law inside self-governance (``PRACTICES_LAW``, ODD 7.17-7.19: public juries that every party
chooses, an advisor at every council and jury sitting with the time it takes, resident rules
revised at weekly "1+7+X" councils in six steps with disputes of public interest on their
agenda, where disputes are common and advisors fail most mediations).

Power is itself tested: the reference with one mechanism switched off (``ReferenceModel(...,
disable={name})``) must be found *not* equivalent to the engine, with at most
``MUTANT_REPLICATIONS`` = (5, 10) reference runs against the engine's 20 (a quarter or half
the data, so a harder test of power; it also keeps the file within its time budget): 5
first, and 5 more only where the first 5 do not show the loss. Stopping at the first stage
that finds the mutant makes the power check easier to pass by chance only by the chance that
5 runs of a reference without any difference fail (Holm's 0.01, or an outcome out of
tolerance: about 0.1 % each), and the mutants are known to differ. ``MUTANTS`` lists the
pairs checked, every one detected: informal settlement and referral loss in the defaults;
patrols and the moral-bank boost in the second setting (patrols barely work in the default
setting; the boost is off without a moral bank); and in the structure setting the grid
police officer's detection, the helpers, the community office, the grid leaders' time, need
allocation, the effects of credibility, party ageing (every member serving) and counting
fading as resolution; the community office also at the defaults; in the timeline setting, a
reference that ignores the timeline (7 outcomes fail, grid-worker utilisation by 0.29
against a tolerance of 0.04); in the moral-practices setting, a reference without integrity
points (6 outcomes fail, violations 86 vs 113 a run), without redemption (4 fail, volunteer
hours 37.4 vs 22.6 a volunteer-year) and without moral review (4 fail, final mean norm 0.733
vs 0.611); in the practices-law setting, juries that never sit (8 outcomes fail: 0 jury
settlements against 25 a run, participation 0.27 against 0.34), advisors whose presence adds
nothing (3 fail: jury settlements 12 against 25, rules strength 0.77 against 0.92), rules
never revised (2 fail: informal settlements 17 against 28, rules strength 0.30 against 0.92)
and councils without the six steps (5 fail: 0 published decisions against 12 and 0 follow-up
failures against 4.7, trust 0.625 against 0.615); in the scoped-roles setting
(``SCOPED_ROLES``: the levers the classroom's roles added, each set in most units), a
reference without each of them: patrol time, the kind the grid desk serves first, further
legal mediation rounds, council convening and member mobilisation (all five detected; that
setting and its mutants, 90 runs, took 102 s on two cores). The same busy town with the
party in full charge (``PARTY_LOAD``) once showed final mean trust 0.635 in the engine
against 0.649 in the reference (p 1e-15): the reference resolved a party branch's and a
council's cases one by one, so two public topics of one grid resolved on the same visit day
each gave the grid its spillover, where the engine's one ``resolve`` gives it once (ODD 3,
repeated households). The reference now resolves them together (``resolve_all``), and the
setting keeps it so: a reference resolving them one by one (``resolved_together``) is the
mutant. Measured with 20 reference runs per mutant, the check also detected the loss of the
public-topic trust spillover; it does not detect, at 1,000 households over 100 days, the
loss of broken windows (exposure is rare and slow), of the halving of grid mediation on
repeat disputes (few disputes return to the grid) or of on-the-spot detection at the
defaults (reported violations are enforced instead). In the structure setting, where the
grid enforces badly, the police officer's share of on-the-spot detection is detected.

Cost: 550 runs (engine and reference 9 x 20 each, the scoped setting's 2 x 20 more, and 28
mutants x 5, with 5 more for the two that 5 did not show on 4 December 2026: the grid desk
serving a kind first, and resolving a batch together), most of them the reference's (1-3 s
each at 1,000 households and 100 days, about 5 s in the practices-law and busy-town settings
with their common disputes), each run once: 6 min 18 s for the whole file alone on two idle
cores (4 December 2026, ``-n 0``; 8 min with 10 runs for every mutant), more inside the
full suite, whose other files share the cores. The pool runs
only what the selected tests need, so ``-k practices-moral`` runs that setting alone.
Before the statistics, a cheap check (``test_reference_reads_the_parameters_the_engine_reads``)
asks that both models read the same parameters, so a number written into one of them is
found at once.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim import Channel, GovernanceModel, Kind, Parameters
from sim.reference import ReferenceModel

pytestmark = pytest.mark.slow

HOUSEHOLDS = 1_000
DAYS = 100
REPLICATIONS = 20
# The power check's reference runs: a quarter of the engine's first, half if needed.
MUTANT_REPLICATIONS = (5, 10)
# The scoped setting runs twice the replications (why: above the equivalence test); spawn
# keeps a prefix, so its first 20 are the 20 it ran first.
SETTING_REPLICATIONS = {"scoped": 40}
ENGINE_ROOT, REFERENCE_ROOT = 20240501, 20240502
FAMILY_ALPHA = 0.01
TOL_SE = 3.5
TOL_REL = 0.005
MAX_WORKERS = 2

# 8 grids in 4 communities, a grid worker a grid, no helpers (patrols the only discovery), a
# busy desk, many issues (common disputes that advisors often fail, much left unreported)
# and half the households with an active party member.
BUSY_TOWN: dict[str, Any] = {
    "population.households_per_grid": 125,
    "population.households_per_community": 250,
    "population.party_member_share": 0.5,
    "population.active_party_share": 1.0,
    "staffing.households_per_grid_worker": 125.0,
    "staffing.helpers_per_grid": 0.0,
    "staffing.admin_load": 0.6,
    "staffing.legal_cases_per_week": 10.0,
    "rule_of_law.mediation_success": 0.3,
    "behaviour.dispute_rate": 4.0,
    "behaviour.service_rate": 4.0,
    "behaviour.public_rate": 2.0,
    "behaviour.unreported_weight": 2.0,
}
SETTINGS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "moral-boards-weekly-councils-low-coordination": {  # LOW_COORDINATION
        "moral.moral_bank": True,
        "moral.red_black_list": True,
        "self_governance.deliberation_interval_days": 7,
        "fusion.coordination": 0.1,
        "staffing.households_per_grid_worker": 300.0,
        "staffing.party_branch_level": "community",
        "staffing.helpers_per_grid": 0.0,  # patrols are the only discovery here
    },
    # The structure of issue 13, every part of it strong enough to show: communities of
    # different sizes (4 of them, lognormal), 3 community staff in each with a thin office,
    # need allocation every 10 days (starting from that equal spread), an override,
    # grid leaders with half their time, police in every grid, busy helpers, low
    # credibility that matters, an ageing party, and more violations, which the grid
    # enforces badly, so that on-the-spot detection matters.
    "structure": {  # STRUCTURE
        "population.households_per_grid": 100,
        "population.households_per_community": 250,
        "population.large_community_share": 0.1,
        "population.large_community_households": 500,
        "population.party_member_share": 0.3,
        "population.active_party_share": 0.3,
        "population.dual_registration": 0.2,
        "staffing.households_per_grid_worker": 100.0,
        "staffing.allocation": "need",
        "staffing.reallocation_days": 10,
        "staffing.need_share": 1.0,
        "staffing.overrides": [{"communities": [1], "grid_workers": 2}],
        "staffing.community_staff_per_community": 3.0,  # the same 3 in small and large
        "staffing.community_staff_cases_per_day": 0.5,
        "staffing.grid_leader_time": 0.5,
        "staffing.police_per_grid": 1.0,
        "staffing.helpers_per_grid": 10.0,
        "staffing.initial_social_credibility": 0.2,
        "rule_of_law.police_detection": 0.6,
        "behaviour.violation_rate": 4.0,
        "behaviour.enforcement_success": 0.2,  # the grid enforces little: police matter
        "behaviour.helper_discovery": 0.02,
        "behaviour.helper_reporting": 0.3,
        "behaviour.credibility_referral": 0.9,
        "behaviour.credibility_volunteering": 0.9,
        "behaviour.community_weight": 2.0,
    },
    # Policies over time (docs/timeline.md): the admin load ramps up, then grid workers are
    # hired (the teams formed again mid-run), a moral-bank campaign runs and ends, social
    # workers are hired, and trust is gained faster from day 50.
    "timeline": {  # TIMELINE
        "timeline": [
            {
                "key": "staffing.admin_load",
                "kind": "ramp",
                "start": 10,
                "end": 40,
                "from_value": 0.3,
                "value": 0.8,
            },
            {"key": "staffing.households_per_grid_worker", "day": 60, "value": 150.0},
            {"key": "moral.moral_bank", "kind": "campaign", "start": 20, "end": 70, "value": True},
            {"key": "staffing.social_workers_per_1000_households", "day": 30, "value": 4.0},
            {"key": "behaviour.trust_gain", "day": 50, "value": 0.3},
        ]
    },
    # The moral practices of issue 14 (ODD 7.20-), strong enough to show: frequent
    # violations, so that sanctions cost points, the standing is at stake and the queues
    # give priority by it.
    "practices-moral": {  # PRACTICES_MORAL
        "moral.integrity_points": True,
        "moral.integrity_sanction_cost": 0.4,
        "moral.integrity_escalation_cost": 0.3,
        "moral.integrity_norm_gain": 0.3,
        "moral.integrity_priority_days": 20.0,
        "behaviour.violation_rate": 3.0,
        "moral.moral_bank": True,
        "moral.redemption": True,
        "moral.redemption_pull": 2.0,
        "moral.preferential_share": 0.2,
        "moral.preferential_trust_gain": 0.3,
        "moral.preferential_priority_days": 20.0,
        "moral.moral_review": True,
        "moral.review_interval_days": 14,
        "moral.review_board_share": 0.1,
        "moral.review_praise_gain": 0.3,
        "moral.review_shame_gain": 0.5,
    },
    # The practices of rule of law inside self-governance (ODD 7.17-7.19), strong enough to
    # show at 1,000 households: common disputes that advisors often fail to mediate, every
    # party choosing the public jury, weekly councils revising the rules, an advisor at
    # every sitting (worth twice the success) with the time it takes; councils as "1+7+X"
    # bodies in six steps, disputes of public interest on their agenda, and decisions that
    # often fail at follow-up.
    "practices-law": {  # PRACTICES_LAW
        "self_governance.public_jury": True,
        "self_governance.jury_acceptance": 1.0,
        "self_governance.rules_revision": True,
        "self_governance.joint_councils": True,
        "self_governance.public_dispute_share": 0.5,
        "self_governance.follow_up_success": 0.6,
        "self_governance.deliberation_interval_days": 7,
        "rule_of_law.advisor_attendance": 1.0,
        "rule_of_law.advisor_success_gain": 1.0,
        "rule_of_law.advisor_sitting_cases": 0.5,
        "rule_of_law.mediation_success": 0.3,
        "staffing.legal_cases_per_week": 10.0,
        "behaviour.dispute_rate": 1.0,
        "behaviour.legal_weight": 3.0,
    },
    # Levers scoped to one grid or community (sim/scoped.py; the changes are in
    # ``LOCAL_CHANGES``): 8 grids in 4 communities, one grid worker a grid, so that each
    # unit's levers are its own.
    "scoped": {  # SCOPED_SETTING
        "population.households_per_grid": 125,
        "population.households_per_community": 250,
        "staffing.households_per_grid_worker": 125.0,
        "rule_of_law.advisor_attendance": 0.2,
        "self_governance.deliberation_interval_days": 7,
    },
    # The levers the classroom's roles added (sim/scoped.py), each set in most units and
    # strong enough to show town-wide, in the busy town; the changes are in ``LOCAL_CHANGES``.
    "scoped-roles": BUSY_TOWN,  # SCOPED_ROLES
    # The same town and load with the party in full charge (PARTY_LOAD): a branch's weekly
    # visits (twice the cases) often resolve two stuck public topics of one grid at once, so
    # the repeated-households rule (ODD 3) decides how much trust the spillover gives.
    "party-load": {**BUSY_TOWN, "fusion.party_leadership": 1.0},  # PARTY_LOAD
}
# Scoped changes by setting: (day, scope, unit, values), applied before the day runs.
LOCAL_CHANGES: dict[str, list[tuple[int, str, int, dict[str, Any]]]] = {
    "scoped": [
        (0, "grid", 0, {"staffing.admin_load": 0.9}),
        (0, "grid", 3, {"staffing.admin_load": 0.9}),
        (
            10,
            "community",
            1,
            {
                "self_governance.participation": 0.7,
                "fusion.party_coordination": 1.0,
                "fusion.party_visit_cases_per_week": 20.0,
            },
        ),
        (
            20,
            "community",
            2,
            {
                "rule_of_law.legal_lectures_per_year": 60.0,
                "rule_of_law.advisor_attendance": 1.0,
                "self_governance.topics_per_deliberation": 10,
            },
        ),
        (50, "grid", 3, {"staffing.admin_load": None}),  # back to the city-wide value
    ],
    "scoped-roles": [
        *[(0, "grid", g, {"staffing.patrol_time": 2.5}) for g in range(4)],
        *[(0, "grid", g, {"staffing.serve_first": "disputes"}) for g in range(4, 8)],
        *[
            (
                0,
                "community",
                c,
                {"rule_of_law.mediation_rounds": 4, "fusion.council_convening": 4.0},
            )
            for c in range(3)
        ],
        (0, "community", 3, {"fusion.council_convening": 0.0}),
        *[(0, "community", c, {"fusion.member_mobilisation": 3.0}) for c in range(1, 4)],
        (60, "grid", 0, {"staffing.patrol_time": None}),  # back to the city-wide value
    ],
}


def total(metric: str) -> Callable[[pd.DataFrame], float]:
    return lambda frame: float(frame[metric].sum())


def final(metric: str) -> Callable[[pd.DataFrame], float]:
    return lambda frame: float(frame[metric].iloc[-1])


def mean(metric: str, start: int = 0) -> Callable[[pd.DataFrame], float]:
    return lambda frame: float(frame[metric].iloc[start:].mean())


OUTCOMES: dict[str, Callable[[pd.DataFrame], float]] = {
    "escalations total": total("issues_escalated"),
    "resolved total": total("issues_resolved"),
    "raised total": total("issues_raised"),
    "violations total": total("violations"),
    "mean_days_to_resolve (mean, days 51-100)": mean("mean_days_to_resolve", DAYS // 2),
    "mean_trust final": final("mean_trust"),
    "mean_norm final": final("mean_norm"),
    "mean_legal_awareness final": final("mean_legal_awareness"),
    "mean_deterrence final": final("mean_deterrence"),
    "satisfaction final": final("satisfaction"),
    "participation_rate final": final("participation_rate"),
    "volunteer_hours_per_volunteer_year final": final("volunteer_hours_per_volunteer_year"),
    "grid_worker_utilisation mean": mean("grid_worker_utilisation"),
    "grid_worker_burnout final": final("grid_worker_burnout"),
    "open_issues final": final("open_issues"),
    "informal_settlements total": total("informal_settlements"),
    "legal_mediations total": total("legal_mediations"),
    "mediations total": total("mediations"),
    "referrals_lost total": total("referrals_lost"),
    "enforcements total": total("enforcements"),
    "party_visits total": total("party_visits"),
    "deliberation_topics_resolved total": total("deliberation_topics_resolved"),
    "issues_faded total": total("issues_faded"),
    "mean_days_to_serve (mean, days 51-100)": mean("mean_days_to_serve", DAYS // 2),
    "community_staff_utilisation mean": mean("community_staff_utilisation"),
    "social_credibility final": final("social_credibility"),
    "backlog_dispersion (mean, days 51-100)": mean("backlog_dispersion", DAYS // 2),
    "integrity_standing final": final("integrity_standing"),
    "integrity_deductions total": total("integrity_deductions"),
    "credits_redeemed total": total("credits_redeemed"),
    "moral_reviewers total": total("moral_reviewers"),
    "jury_hearings total": total("jury_hearings"),
    "jury_settlements total": total("jury_settlements"),
    "advisor_sittings total": total("advisor_sittings"),
    "rules_strength final": final("rules_strength"),
    "council_decisions total": total("council_decisions"),
    "follow_up_failures total": total("follow_up_failures"),
}

# (setting, mechanism switched off in the reference) pairs the check must detect; the
# module docstring lists the mechanisms whose loss it does not detect at this size.
LOW_COORDINATION = "moral-boards-weekly-councils-low-coordination"
STRUCTURE = "structure"
TIMELINE = "timeline"
PRACTICES_MORAL = "practices-moral"
PRACTICES_LAW = "practices-law"
SCOPED_SETTING = "scoped"
SCOPED_ROLES = "scoped-roles"
PARTY_LOAD = "party-load"
MUTANTS = [
    ("defaults", "informal_settlement"),  # 7.3
    ("defaults", "referral_loss"),  # 7.0
    (LOW_COORDINATION, "patrol"),  # 7.5
    (LOW_COORDINATION, "moral_bank_boost"),  # 7.13
    (STRUCTURE, "police"),  # 7.2
    (STRUCTURE, "helpers"),  # 7.4, 7.5
    (STRUCTURE, "community_office"),  # 7.6a
    (STRUCTURE, "grid_leaders"),  # 2.4a
    (STRUCTURE, "need_allocation"),  # 2.3a
    (STRUCTURE, "credibility_effects"),  # 7.0, 7.13
    (STRUCTURE, "party_ageing"),  # 5.3
    (STRUCTURE, "fading_as_resolved"),  # 7.11
    ("defaults", "community_office"),  # 7.6a, at today's staffing
    (TIMELINE, "timeline"),  # 0: levers fixed from day 0
    (PRACTICES_MORAL, "integrity_points"),  # 7.20
    (PRACTICES_MORAL, "redemption"),  # 7.21
    (PRACTICES_MORAL, "moral_review"),  # 7.22
    (PRACTICES_LAW, "public_jury"),  # 7.17
    (PRACTICES_LAW, "advisor_gain"),  # 7.18
    (PRACTICES_LAW, "rules_revision"),  # 7.19
    (PRACTICES_LAW, "joint_councils"),  # 7.10: six steps
    (SCOPED_SETTING, "scoped_citywide"),  # sim/scoped.py: a unit's levers set everywhere
    (SCOPED_ROLES, "patrol_time"),  # 7.5-7.6: the grid's patrol time
    (SCOPED_ROLES, "serve_first"),  # 7.6: the kind the grid desk serves first
    (SCOPED_ROLES, "mediation_rounds"),  # 7.7: further legal mediation rounds
    (SCOPED_ROLES, "council_convening"),  # 7.10: how often a council is convened
    (SCOPED_ROLES, "member_mobilisation"),  # 7.13: party members mobilised
    (PARTY_LOAD, "resolved_together"),  # 3: a batch's repeated households and grids
]


# --- Running: one run -> its outcomes (top-level so a process pool can call it).


def replication_seeds(root: int, replications: int) -> list[int]:
    """Independent seeds spawned from one root (as the experiment layer spawns them)."""
    children = np.random.SeedSequence(root).spawn(replications)
    return [int(child.generate_state(1, np.uint64)[0]) for child in children]


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def params_for(setting: str) -> Parameters:
    return Parameters().with_values(
        {"population.households": HOUSEHOLDS, "scenario.steps": DAYS, **SETTINGS[setting]}
    )


def run_outcomes(
    model: str, setting: str, seed: int, disable: tuple[str, ...] = ()
) -> dict[str, float]:
    """Run one model for ``DAYS`` days and reduce it to ``OUTCOMES``."""
    params = params_for(setting)
    if model == "engine":
        m: mesa.Model = GovernanceModel(params, rng=seed)
    else:
        m = ReferenceModel(params, rng=seed, disable=disable)
    local = {}
    for day, scope, unit, values in LOCAL_CHANGES.get(setting, []):
        local.setdefault(day, []).append((scope, unit, values))
    for day in range(DAYS):
        for scope, unit, values in local.get(day, []):
            m.apply_local(scope, unit, values)
        m.step()
    frame = m.datacollector.get_model_vars_dataframe().astype("float64")
    m.close()
    return {name: fn(frame) for name, fn in OUTCOMES.items()}


Key = tuple[str, str, tuple[str, ...]]  # (model, setting, mechanisms switched off)


def replications(setting: str, disable: tuple[str, ...]) -> int:
    """How many runs a key gets first (a mutant's second stage asks for more)."""
    return MUTANT_REPLICATIONS[0] if disable else SETTING_REPLICATIONS.get(setting, REPLICATIONS)


class Runs:
    """Replications per (model, setting, mutation), each run once per module, in parallel."""

    def __init__(self, executor: Executor | None) -> None:
        self.executor = executor
        self._done: dict[Key, list[dict[str, float]]] = {}

    def get(
        self, model: str, setting: str, disable: tuple[str, ...] = (), n: int | None = None
    ) -> pd.DataFrame:
        """The first ``n`` replications (by default the key's first stage), run if missing."""
        key = (model, setting, disable)
        n = n or replications(setting, disable)
        self.submit([(key, n)])
        return pd.DataFrame(self._done[key][:n])

    def submit(self, wanted: list[tuple[Key, int]]) -> None:
        """Run, all in the pool at once, the replications not yet run: seeds are spawned
        from the model's root, so a key's first ``n`` are the same however many follow."""
        jobs = {}
        for key, n in wanted:
            model, setting, disable = key
            have = len(self._done.get(key, [])) + len(jobs.get(key, []))
            root = ENGINE_ROOT if model == "engine" else REFERENCE_ROOT
            more = [(model, setting, seed, disable) for seed in replication_seeds(root, n)[have:]]
            if more:
                jobs.setdefault(key, []).extend(more)
        if self.executor is None:
            for key, runs in jobs.items():
                self._done.setdefault(key, []).extend(run_outcomes(*job) for job in runs)
            return
        futures = {
            key: [self.executor.submit(run_outcomes, *job) for job in runs]
            for key, runs in jobs.items()
        }
        for key, pending in futures.items():
            self._done.setdefault(key, []).extend(f.result() for f in pending)


def selected_keys(items: list[pytest.Item]) -> list[tuple[Key, int]]:
    """The runs the selected tests need first (``-k practices-moral`` runs one setting's
    only)."""
    keys: list[Key] = []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        setting = params.get("setting")
        if setting is None or "runs" not in getattr(item, "fixturenames", ()):
            continue
        keys.append(("engine", setting, ()))
        mechanism = params.get("mechanism")
        keys.append(("reference", setting, (mechanism,) if mechanism else ()))
    return [(key, replications(key[1], key[2])) for key in keys]


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> Iterator[Runs]:
    workers = min(MAX_WORKERS, usable_cores())
    if workers <= 1:
        yield Runs(None)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
        r = Runs(executor)
        r.submit(selected_keys(request.session.items))  # both cores busy from the start
        yield r


# --- The check.


@dataclass(frozen=True)
class Comparison:
    outcome: str
    engine_mean: float
    reference_mean: float
    se: float
    p: float  # Welch, unadjusted
    p_holm: float
    tolerance: float

    @property
    def difference(self) -> float:
        return self.reference_mean - self.engine_mean

    @property
    def significant(self) -> bool:
        return self.p_holm < FAMILY_ALPHA

    @property
    def out_of_tolerance(self) -> bool:
        return abs(self.difference) > self.tolerance

    @property
    def fails(self) -> bool:
        return self.significant or self.out_of_tolerance

    def __str__(self) -> str:
        flag = "FAIL" if self.fails else "ok"
        return (
            f"{flag:4s} {self.outcome:44s} engine {self.engine_mean:10.4g}  "
            f"reference {self.reference_mean:10.4g}  diff {self.difference:+9.3g} "
            f"(tol {self.tolerance:.3g})  p {self.p:.3g}  Holm p {self.p_holm:.3g}"
        )


def welch_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided Welch t-test p; 1 if both samples are constant and equal, 0 if unequal."""
    if a.std() == 0 and b.std() == 0:
        return 1.0 if a.mean() == b.mean() else 0.0
    with warnings.catch_warnings():  # nearly constant samples make scipy warn, harmlessly
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(stats.ttest_ind(a, b, equal_var=False).pvalue)


def holm(p: list[float]) -> list[float]:
    """Holm step-down adjusted p-values (monotone, capped at 1)."""
    order = np.argsort(p)
    adjusted = np.empty(len(p))
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        adjusted[i] = running
    return adjusted.tolist()


def compare(engine: pd.DataFrame, reference: pd.DataFrame) -> list[Comparison]:
    """Test and tolerance for every outcome (see the module docstring)."""
    rows = []
    for outcome in OUTCOMES:
        e, r = engine[outcome].to_numpy(), reference[outcome].to_numpy()
        assert np.all(np.isfinite(e)) and np.all(np.isfinite(r)), outcome
        se = math.sqrt(e.var(ddof=1) / e.size + r.var(ddof=1) / r.size)
        if outcome.endswith(" total"):  # event counts: at least Poisson noise
            se = max(se, math.sqrt(e.mean() / e.size + r.mean() / r.size))
        rows.append((outcome, e.mean(), r.mean(), se, welch_p(e, r)))
    adjusted = holm([row[4] for row in rows])
    return [
        Comparison(o, em, rm, se, p, ph, TOL_SE * se + TOL_REL * abs(em))
        for (o, em, rm, se, p), ph in zip(rows, adjusted, strict=True)
    ]


def report(rows: list[Comparison]) -> str:
    return "\n".join(str(row) for row in rows)


# --- Tests.


def test_holm_adjustment_matches_the_definition() -> None:
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5]) == [0.5]


def test_reference_restates_the_engine_constants() -> None:
    """The reference restates the ODD's fixed assumptions; they must match the engine's.
    (Every number that says something about the world is a parameter both read: see
    test_reference_reads_the_parameters_the_engine_reads.)"""
    from sim.mechanisms import channels
    from sim.reference import constants as ref
    from sim.staff import party

    pairs = [
        (ref.STUCK_CHANNELS, frozenset(Channel(c) for c in np.flatnonzero(party.STUCK))),
        (
            frozenset(ref.INFORMAL_KINDS),
            frozenset(Kind(k) for k in np.flatnonzero(channels.INFORMAL)),
        ),
    ]
    for mine, engine in pairs:
        assert mine == engine


@contextlib.contextmanager
def parameters_read() -> Iterator[set[str]]:
    """The parameters (``Behaviour.grid_retry_days``) read from any section while inside."""
    from sim.params import Section, sections

    classes = [c for c in vars(sections).values() if isinstance(c, type) and issubclass(c, Section)]
    seen: set[str] = set()

    def record(self: Any, name: str) -> Any:
        if name in type(self).__dataclass_fields__:
            seen.add(f"{type(self).__name__}.{name}")
        return object.__getattribute__(self, name)

    for c in classes:
        c.__getattribute__ = record
    try:
        yield seen
    finally:
        for c in classes:
            del c.__getattribute__


@pytest.mark.parametrize("setting", list(SETTINGS))
def test_reference_reads_the_parameters_the_engine_reads(setting: str) -> None:
    """What the reference restates from the engine, it reads from the same parameters: a
    number written into either model (the retry intervals once were) is found here in a
    60-day run of 300 households, cheaply, before the statistical check."""
    params = params_for(setting).with_values({"population.households": 300})
    read = {}
    for name, model_class in (("engine", GovernanceModel), ("reference", ReferenceModel)):
        with parameters_read() as seen:
            model = model_class(params, rng=3)
            for _ in range(60):
                model.step()
        model.close()
        read[name] = seen
    assert read["engine"] == read["reference"], (
        f"engine only: {sorted(read['engine'] - read['reference'])}; "
        f"reference only: {sorted(read['reference'] - read['engine'])}"
    )
    once_constants = {  # module constants once, each written into both models
        "Behaviour.grid_retry_days",
        "Behaviour.community_retry_days",
        "Behaviour.legal_retry_days",
        "Behaviour.social_retry_days",
        "Behaviour.workload_days",
        "Behaviour.board_interval_days",
    }
    assert once_constants <= read["engine"]


def test_reference_escalation_factors_are_the_engines() -> None:
    from sim.mechanisms.escalation import channel_factor

    model = ReferenceModel(params_for("defaults"), rng=1)
    engine = channel_factor(model.params.behaviour)
    for channel, factor in model.channel_factor.items():
        assert factor == engine[channel], channel


@pytest.mark.parametrize(
    "setting", ["defaults", STRUCTURE, TIMELINE, PRACTICES_MORAL, PRACTICES_LAW]
)
def test_reference_keeps_issue_counts_consistent(setting: str) -> None:
    """raised = resolved + faded + escalated + open, and every open issue sits in one queue
    (also after staff are spread again by need, and hired mid-run by a timeline)."""
    model = ReferenceModel(params_for(setting), rng=7)
    for _ in range(60):
        model.step()
    ledger = model.ledger
    raised = ledger.total("raised")
    closed = ledger.total("resolved") + ledger.total("faded") + ledger.total("escalated")
    assert raised == closed + model.n_open
    held = [i for h in model.residents for i in h.issues]
    assert len(held) == model.n_open
    assert all(issue.place is not None and issue in issue.place for issue in held)


def test_unknown_mutation_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown mutations"):
        ReferenceModel(params_for("defaults"), rng=1, disable={"no_such_mechanism"})


# The scoped setting (issue 19) at 20 replications was within tolerance on every outcome but
# one, referrals lost: 13.8 (engine) against 10.0 (reference) a run, Holm p 0.003. Looked
# into: scoping a key in every unit gives the city-wide run bit for bit in both models
# (tests/test_scoped.py); 40 replications from another root (11) gave 11.15 against 11.90
# (Mann-Whitney p 0.26), and the grid changes, community 1's and the others' on their own
# (20 each, root 7) 11.65/11.90, 11.50/11.85, 12.90/12.55 (p 0.99, 0.88, 0.73). So it was
# the draw of those 20 seeds, not the per-unit mechanism; rather than pick other seeds, the
# setting keeps its roots and runs 40 replications (SETTING_REPLICATIONS), the first 20 of
# them the same: 12.53 against 10.18, Holm p 0.04, within the tolerance (2.7). Still the
# outcome to watch if the scoped mechanisms change.
@pytest.mark.parametrize("setting", SETTINGS)
def test_engine_and_reference_are_equivalent(runs: Runs, setting: str) -> None:
    rows = compare(runs.get("engine", setting), runs.get("reference", setting))
    print(f"\n[{setting}]\n{report(rows)}")
    failing = [row for row in rows if row.fails]
    assert not failing, f"engine and reference differ in {setting}:\n{report(failing)}"


@pytest.mark.parametrize(("setting", "mechanism"), MUTANTS, ids=[f"{s}-{m}" for s, m in MUTANTS])
def test_check_detects_a_dropped_mechanism(runs: Runs, setting: str, mechanism: str) -> None:
    engine = runs.get("engine", setting)
    for n in MUTANT_REPLICATIONS:  # 5 reference runs, then 10 if the 5 do not show it
        rows = compare(engine, runs.get("reference", setting, (mechanism,), n))
        if any(row.fails for row in rows):
            break
    print(f"\n[{setting} without {mechanism}, {n} reference runs]\n{report(rows)}")
    assert any(row.fails for row in rows), (
        f"the equivalence check did not notice {mechanism} missing:\n{report(rows)}"
    )
