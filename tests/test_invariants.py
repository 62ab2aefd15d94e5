"""Invariants that hold at every step of any run."""

from __future__ import annotations

import numpy as np

from sim import Channel, GovernanceModel
from tests.conftest import small

BOUNDED = (
    "norm",
    "trust",
    "engagement",
    "legal_awareness",
    "deterrence",
    "satisfaction",
    "security",
)


def assert_invariants(model: GovernanceModel) -> None:
    ledger, pool, h = model.ledger, model.issues, model.households
    # Conservation: every issue raised is resolved, faded, escalated or still open.
    raised = ledger.total("raised")
    closed = ledger.total("resolved") + ledger.total("faded") + ledger.total("escalated")
    assert raised == closed + pool.n
    assert not np.any(pool.channel == Channel.CLOSED), "closed issues left after compaction"
    assert not np.any(pool.channel == Channel.NEW), "issues left without a channel"
    # Each household's open count matches the pool, within its cap.
    counts = np.bincount(pool.household, minlength=h.n)
    np.testing.assert_array_equal(h.open_issues, counts)
    assert h.open_issues.max(initial=0) <= model.params.behaviour.max_open_issues
    for name in BOUNDED:
        values = getattr(h, name)
        assert np.all((values >= 0) & (values <= 1)), f"{name} left [0, 1]"
    assert np.all(h.credits >= 0)
    assert np.all((model.grid_teams.burnout >= 0) & (model.grid_teams.burnout <= 1))
    assert np.all(pool.raised <= model.day)


def test_conservation_and_bounds_at_every_step():
    model = GovernanceModel(small(households=2000, steps=200))
    for _ in range(200):
        model.step()
        assert_invariants(model)
    assert model.ledger.total("raised") > 500  # the run did something
    assert model.ledger.total("resolved") > 0


def test_conservation_under_overload_and_everything_switched_on():
    params = small(
        households=1500,
        staffing__households_per_grid_worker=1500,  # one worker, mostly on admin tasks
        staffing__admin_load=0.6,
        moral__moral_bank=True,
        moral__red_black_list=True,
        self_governance__deliberation_interval_days=7,
        fusion__coordination=0.0,
    )
    model = GovernanceModel(params)
    for _ in range(150):
        model.step()
        assert_invariants(model)
    assert model.ledger.total("escalated") > 0
    assert model.ledger.total("referrals_lost") > 0


def test_metrics_collected_every_day_with_registry_names():
    from sim import METRICS

    model = GovernanceModel(small(steps=30))
    for _ in range(30):
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame.columns) == [m.name for m in METRICS]
    assert len(frame) == 30
    assert frame["issues_raised"].sum() == model.ledger.total("raised")
    assert frame["open_issues"].iloc[-1] == model.issues.n
