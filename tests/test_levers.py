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
    "total lost referrals": total("referrals_lost"),
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

CASES = [
    Case(
        "grid-workers-250-vs-600-hh/fewer-escalations",
        {HH_PER_WORKER: 250.0},
        {HH_PER_WORKER: 600.0},
        "total escalations",
        "lower",
    ),
    Case(
        "grid-workers-250-vs-600-hh/faster-resolution",
        {HH_PER_WORKER: 250.0},
        {HH_PER_WORKER: 600.0},
        "mean days to resolve (2nd half)",
        "lower",
    ),
    Case(
        "admin-load-0.1-vs-0.6/fewer-escalations",
        {ADMIN: 0.1},
        {ADMIN: 0.6},
        "total escalations",
        "lower",
    ),
    Case(
        "admin-load-0.1-vs-0.6/faster-resolution",
        {ADMIN: 0.1},
        {ADMIN: 0.6},
        "mean days to resolve (2nd half)",
        "lower",
    ),
    # At today's staffing, hard disputes (failed grid mediation) need the legal backstop.
    # At the calibrated dispute rate (Kunshan: 14.5 advisor mediations per community a year)
    # disputes are too rare for the effect to show in 10 runs (it does not); where disputes
    # are seven times as common, as before calibration, it does.
    Case(
        "legal-advisors-1-vs-0/fewer-escalations-where-disputes-are-common",
        {LEGAL: 1.0},
        {LEGAL: 0.0},
        "total escalations",
        "lower",
        context={"behaviour.dispute_rate": 0.25},
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
    ),
    Case(
        "coordination-1-vs-0/fewer-lost-referrals",
        {COORDINATION: 1.0},
        {COORDINATION: 0.0},
        "total lost referrals",
        "lower",
    ),
    Case(
        "coordination-1-vs-0/fewer-escalations",
        {COORDINATION: 1.0},
        {COORDINATION: 0.0},
        "total escalations",
        "lower",
        replications=2 * REPLICATIONS,  # escalations are rare: about 12 vs 19 per run
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
