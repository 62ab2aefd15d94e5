"""The practices of rule of law inside self-governance (ODD 7.10, 7.17-7.19): "1+7+X"
councils in six steps, public juries, legal advisors at sittings, resident rules revised at
councils.

Off, they change nothing: a run is bit for bit the run of the code before them (a digest
recorded from it). On, they keep the issue accounting, survive a saved state, and follow a
timeline. Their directions over replications are in tests/test_levers.py, their
equivalence with the reference in tests/test_equivalence.py ("practices-law").
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import GovernanceModel, Parameters, state
from sim.issues import AGENDA, COURT, INVESTIGATED
from sim.practices.jury import HEARD, WAITING
from tests.conftest import MAIN_COLUMNS, small
from tests.test_equivalence import SETTINGS
from tests.test_state import run
from tests.test_state import series as frame

# sha256 of the 10,000-household, 60-day metric frame (float64, row-major) at seed 12345,
# recorded from main before the practices existed (commit 15358eb, with its staff-weighted
# metrics summed instead of BLAS dot products, as now: see test_practices_moral.py).
BEFORE = "f8ae56cbac1e91ac9a8df3370ab85462e30072e0fa8c8bcd3b5574b9e47d95c3"
OFF = {
    "self_governance.public_jury": False,
    "self_governance.rules_revision": False,
    "rule_of_law.advisor_attendance": 0.0,
    "self_governance.joint_councils": False,
}
# The equivalence setting (common disputes that advisors often fail, every party choosing
# the jury, weekly six-step councils), with an advisor at half the sittings.
ON = {**SETTINGS["practices-law"], "rule_of_law.advisor_attendance": 0.5}


@pytest.mark.parametrize("keys", ["absent", "off"])
def test_off_they_leave_the_run_bit_for_bit_as_before(keys: str) -> None:
    values = {"population.households": 10_000, "scenario.steps": 60}
    if keys == "off":
        values |= OFF
    model = run(GovernanceModel(Parameters().with_values(values), rng=12345), 60)
    # The columns of before, in the registry's order: the practices add their own.
    model_frame = frame(model)
    model_frame = model_frame[[c for c in model_frame.columns if c in MAIN_COLUMNS]]
    values = np.ascontiguousarray(model_frame.to_numpy(dtype="float64"))
    assert hashlib.sha256(values.tobytes()).hexdigest() == BEFORE
    assert frame(model)[["jury_hearings", "advisor_sittings"]].to_numpy().sum() == 0


def test_on_they_keep_the_issue_accounting_and_their_marks() -> None:
    model = GovernanceModel(small(households=1000, steps=120, **_dunder(ON)), rng=4)
    for _ in range(120):
        model.step()
        ledger, pool = model.ledger, model.issues
        closed = ledger.total("resolved") + ledger.total("faded") + ledger.total("escalated")
        assert ledger.total("raised") == closed + pool.n
        marked = (pool.attempts == WAITING) | (pool.attempts == HEARD)
        assert np.all(pool.channel[marked] == COURT)  # only court cases carry jury marks
        assert np.all(pool.channel[pool.attempts == INVESTIGATED] == AGENDA)
        assert np.all((model.rules.strength >= 0) & (model.rules.strength <= 1))
        assert np.all(model.legal.owed >= 0)
    assert ledger.total("jury_settlements") > 0
    assert ledger.total("jury_settlements") <= ledger.total("jury_hearings")
    assert ledger.total("advisor_sittings") > 0
    assert ledger.total("rules_revisions") == ledger.total("deliberations")
    # Six steps: every published decision is carried out or fails at follow-up, and
    # disputes of public interest reach the councils.
    assert ledger.total("follow_up_failures") > 0
    assert ledger.total("council_decisions") == (
        ledger.total("topics_resolved") + ledger.total("follow_up_failures")
    )
    assert model.rules.strength.max() > model.params.self_governance.resident_rules


def test_advisors_time_at_sittings_comes_out_of_their_queue() -> None:
    """With sittings costing all of an advisor's week, the advisors mediate nothing."""
    params = small(households=1000, steps=60, **_dunder(ON)).with_values(
        {
            "rule_of_law.advisor_attendance": 1.0,
            "rule_of_law.advisor_sitting_cases": 50.0,
            "staffing.legal_cases_per_week": 2.0,
        }
    )
    model = run(GovernanceModel(params, rng=5), 60)
    assert model.ledger.total("advisor_sittings") > 0
    # The first day's queue is worked before any sitting; after it, none.
    assert frame(model)["legal_mediations"].iloc[1:].sum() == 0


def test_a_saved_state_with_the_practices_on_continues_bit_for_bit(tmp_path: Path) -> None:
    params = small(households=1000, steps=80, **_dunder(ON))
    whole = run(GovernanceModel(params, rng=9), 80)
    half = run(GovernanceModel(params, rng=9), 33)
    again = run(state.load(state.save(half, tmp_path / "day33.state")), 47)
    pd.testing.assert_frame_equal(frame(again), frame(whole))
    np.testing.assert_array_equal(again.rules.strength, whole.rules.strength)
    np.testing.assert_array_equal(again.legal.owed, whole.legal.owed)
    assert frame(whole)["jury_settlements"].sum() > 0


def test_a_timeline_switches_the_jury_on_mid_run() -> None:
    context = {k: v for k, v in ON.items() if k != "self_governance.public_jury"}
    params = small(households=1000, steps=120, **_dunder(context)).with_values(
        {"timeline": [{"key": "self_governance.public_jury", "day": 60, "value": True}]}
    )
    hearings = frame(run(GovernanceModel(params, rng=6), 120))["jury_hearings"]
    assert hearings.iloc[:60].sum() == 0 and hearings.iloc[60:].sum() > 0


def _dunder(values: dict) -> dict:
    return {k.replace(".", "__"): v for k, v in values.items()}
