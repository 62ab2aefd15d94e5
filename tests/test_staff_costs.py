"""Staff are counted and priced in one place (sim/staff/costs.py), as the model staffs
itself; each grid's staffing (grid workers and grid leaders' time) is the one ``coverage``
is built from."""

from __future__ import annotations

import numpy as np
import pytest

from sim import REGISTRY, GovernanceModel
from sim.layout import Layout
from sim.staff import STAFF, staff_counts, yearly_cost
from tests.conftest import small

SETTINGS = [
    {},
    {"staffing__households_per_grid_worker": 150.0},  # teams of several per grid
    {"staffing__households_per_grid_worker": 1900.0},  # one worker for several grids
    {
        "staffing__legal_advisors_per_community": 0.5,
        "staffing__social_workers_per_1000_households": 3.0,
    },
    {
        "staffing__legal_advisors_per_community": 0.0,
        "staffing__social_workers_per_1000_households": 0.0,
    },
]


@pytest.mark.parametrize("values", SETTINGS)
@pytest.mark.parametrize("households", [137, 2500])
def test_counts_are_the_models_own(households, values):
    params = small(households=households, population__households_per_grid=100, **values)
    model = GovernanceModel(params, rng=1)
    counts = staff_counts(params)
    assert counts == staff_counts(params, Layout.build(params))
    assert tuple(counts) == STAFF
    assert counts == {
        "grid_worker": model.grid_teams.n_workers,
        "legal_advisor": model.legal.n_advisors,
        "social_worker": model.social.n_social_workers,
    }


def test_staff_cost_metric_is_the_yearly_cost_per_household():
    params = small(households=3000, staffing__legal_advisors_per_community=2.0)
    model = GovernanceModel(params, rng=1)
    model.step()
    counts = staff_counts(params)
    st = params.staffing
    expected = (
        counts["grid_worker"] * st.grid_worker_cost
        + counts["legal_advisor"] * st.legal_advisor_cost
        + counts["social_worker"] * st.social_worker_cost
    )
    assert yearly_cost(counts, st) == expected
    assert REGISTRY["staff_cost"].compute(model) == expected / 3000


@pytest.mark.parametrize("per_worker", [150.0, 400.0, 1900.0])
def test_workers_per_grid_adds_up_and_caps_to_coverage(per_worker):
    params = small(
        households=2000,
        population__households_per_grid=250,
        staffing__households_per_grid_worker=per_worker,
    )
    teams = GovernanceModel(params, rng=1).grid_teams
    per_grid = teams.workers_per_grid()
    assert per_grid.shape == (8,)
    assert per_grid.sum() == pytest.approx(teams.n_workers)
    # worker-equivalents: the grid workers and the grid leaders' share of time (1+3+N)
    staff = teams.staff_per_grid()
    assert staff.sum() == pytest.approx(teams.n_workers + teams.leader_time.sum())
    team = teams.assignment.team_of_unit
    np.testing.assert_array_equal(teams.coverage[team], np.minimum(1.0, staff))
