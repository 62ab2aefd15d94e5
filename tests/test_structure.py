"""Structure (issue 13): communities of different sizes, grids cut within them, staff spread
by policy and by hand, and bad structure input exiting 2 with the file and the key."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cli import sanzhi, write

from experiments.errors import InputError
from experiments.scenario import load_scenario
from sim import GovernanceModel, ParameterError, Parameters
from sim.layout import Assignment, Layout, apportion, capped, equal_counts
from sim.sizes import largest_share, lognormal_sigma
from sim.staffing import community_plan, grid_plan, resolve_overrides
from tests.conftest import small

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"


def layout_of(**values) -> Layout:
    return Layout.build(Parameters().with_values(values))


# --- Community sizes and grids.


def test_equal_communities_are_cut_into_grids_of_the_standard_size():
    layout = layout_of(**{"population.households": 10000})
    assert layout.community_size.tolist() == [2000] * 5
    assert layout.grid_size.tolist() == [400] * 25
    assert layout.grids_per_community.tolist() == [5] * 5


def test_a_listed_community_size_list_is_kept_and_scaled():
    listed = [7500, 3000, 2000, 1500, 1500, 1200, 1100, 900, 700, 600]
    exact = layout_of(**{"population.households": 20000, "population.community_sizes": listed})
    assert exact.community_size.tolist() == listed
    half = layout_of(**{"population.households": 10000, "population.community_sizes": listed})
    assert half.community_size.sum() == 10000
    np.testing.assert_allclose(half.community_size, np.array(listed) / 2, atol=1)


def test_grids_are_cut_within_each_community():
    layout = layout_of(
        **{
            "population.households": 20000,
            "population.households_per_grid": 420,
            "population.community_sizes": [7500, 3000, 2000, 1500, 1500, 1200, 1100, 900, 700, 600],
        }
    )
    # every grid lies inside one community, and the grids of a community tile it
    first = layout.community_start[layout.community_of_grid]
    last = layout.community_start[layout.community_of_grid + 1]
    assert np.all(layout.grid_start[:-1] >= first) and np.all(layout.grid_start[1:] <= last)
    expected = np.maximum(1, np.floor(layout.community_size / 420 + 0.5))
    np.testing.assert_array_equal(layout.grids_per_community, expected)
    for k in range(layout.n_communities):
        sizes = layout.grid_size[layout.community_of_grid == k]
        assert sizes.max() - sizes.min() <= 1


def test_drawn_sizes_have_the_mean_the_share_and_the_cap():
    values = {
        "population.households": 1_000_000,
        "population.large_community_share": 0.08,
        "population.largest_community_households": 10000,
    }
    sizes = layout_of(**values).community_size
    assert sizes.size == 500 and sizes.sum() == 1_000_000
    assert sizes.max() <= 10000
    assert 0.05 < np.mean(sizes > 5000) < 0.12  # 8% asked for, 500 draws


def test_drawn_sizes_follow_the_scenario_seed_not_the_run():
    values = {"population.households": 20000, "population.large_community_share": 0.08}
    a = layout_of(**values).community_size
    assert np.array_equal(a, layout_of(**values).community_size)
    other = layout_of(**values, **{"scenario.seed": 7}).community_size
    assert not np.array_equal(a, other)
    params = Parameters().with_values(values)
    # replications (different run seeds) share the communities
    sizes = {tuple(GovernanceModel(params, rng=s).layout.community_size) for s in (1, 2)}
    assert sizes == {tuple(a)}


def test_lognormal_sigma_solves_the_share_and_knows_its_limit():
    from statistics import NormalDist

    mean, threshold = 2000.0, 5000.0
    sigma = lognormal_sigma(mean, threshold, 0.08)
    mu = np.log(mean) - sigma**2 / 2
    share = 1 - NormalDist(mu, sigma).cdf(np.log(threshold))
    assert share == pytest.approx(0.08, abs=1e-9)
    assert largest_share(mean, threshold) == pytest.approx(0.088, abs=0.001)
    assert lognormal_sigma(mean, threshold, 0.09) is None


def test_capped_moves_the_excess_to_the_others():
    sizes = capped(np.array([1.0, 1.0, 8.0]), 10.0, 5.0)
    np.testing.assert_allclose(sizes, [2.5, 2.5, 5.0])
    assert capped(np.array([1.0, 9.0]), 10.0, 6.0).max() <= 6.0


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 500), st.lists(st.floats(0.0, 100.0), min_size=1, max_size=40))
def test_apportion_gives_the_total_and_stays_within_one_of_the_quota(total, weights):
    parts = apportion(total, np.array(weights))
    assert parts.sum() == total and parts.min() >= 0
    w = np.array(weights) if sum(weights) > 0 else np.ones(len(weights))
    quota = total * w / w.sum()
    assert np.all(np.abs(parts - quota) < 1 + 1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 60), st.integers(0, 200))
def test_equal_counts_are_the_old_spread(units, staff):
    counts = equal_counts(units, staff)
    assert counts.sum() == staff
    a = Assignment.from_counts(counts)
    if staff == 0:
        assert np.all(a.team_of_unit == -1)
    elif staff >= units:
        np.testing.assert_array_equal(a.team_of_unit, np.arange(units))
        assert a.staff_per_team.max() - a.staff_per_team.min() <= 1
    else:  # one worker per contiguous block: grid g in team floor(g * staff / units)
        np.testing.assert_array_equal(a.team_of_unit, np.arange(units) * staff // units)
        assert np.all(a.staff_per_team == 1)


def test_units_without_staff_join_the_team_before_them():
    a = Assignment.from_counts(np.array([0, 2, 0, 0, 1, 0]))
    assert a.team_of_unit.tolist() == [0, 0, 0, 0, 1, 1]
    assert a.staff_per_team.tolist() == [2.0, 1.0]
    assert a.team_of_staff.tolist() == [0, 0, 1]


# --- Staff by policy and by hand.


UNEVEN = {"population.households": 10000, "population.large_community_share": 0.08}


def plans(values: dict):
    params = Parameters().with_values(values)
    layout = Layout.build(params)
    overrides = resolve_overrides(params.staffing.overrides, layout)
    return (
        params,
        layout,
        grid_plan(params, layout, overrides),
        community_plan(params, layout, overrides),
    )


def test_community_staff_rules():
    _, layout, _, fixed = plans(UNEVEN)
    assert fixed.counts.tolist() == [9] * layout.n_communities  # 8-10 whatever the size
    per_hh = {**UNEVEN, "staffing.community_staff_rule": "per_households"}
    _, layout, _, ruled = plans(per_hh)
    expected = np.maximum(9, np.floor(layout.community_size / 130 + 0.5))
    np.testing.assert_array_equal(ruled.counts, expected)
    _, _, _, kept = plans({**per_hh, "staffing.allocation": "households"})
    np.testing.assert_array_equal(kept.counts, ruled.counts)  # the rule follows households


def test_households_allocation_follows_households_at_the_same_total():
    _, layout, grid_eq, comm_eq = plans(UNEVEN)
    _, _, grid_hh, comm_hh = plans({**UNEVEN, "staffing.allocation": "households"})
    assert grid_hh.total == grid_eq.total and comm_hh.total == comm_eq.total
    share = layout.community_size / layout.community_size.sum()
    assert np.all(np.abs(comm_hh.counts - share * comm_hh.total) < 1)


def test_need_keeps_the_total_and_the_overridden_units():
    values = {
        **UNEVEN,
        "staffing.allocation": "need",
        "staffing.need_share": 1.0,
        "staffing.overrides": [{"communities": [1], "community_staff": 4}],
    }
    _, layout, _, plan = plans(values)
    backlog = np.zeros(layout.n_communities)
    backlog[2] = 10.0
    moved = plan.by_need(backlog)
    assert moved.sum() == plan.total and moved[0] == 4
    assert moved[2] == plan.total - 4  # all free staff follow the backlog at need_share 1


def test_overrides_select_by_number_by_size_and_by_grid():
    values = {
        **UNEVEN,
        "staffing.overrides": [
            {"communities_above": 5000, "grid_workers": 2, "police_per_grid": 1.0},
            {"communities_below": 300, "community_staff": 3},
            {"grids": [1], "helpers_per_grid": 20.0},
        ],
    }
    params, layout, grids, communities = plans(values)
    big = int(np.argmax(layout.community_size))
    in_big = layout.community_of_grid == big
    assert np.all(grids.counts[in_big] == 2) and grids.fixed[in_big].all()
    assert np.all(grids.counts[~in_big] == equal_counts(layout.n_grids, 25)[~in_big])
    small_ones = layout.community_size < 300
    assert np.all(communities.counts[small_ones] == 3)
    model = GovernanceModel(params, rng=1)
    assert np.all(model.grid_teams.police[in_big] == 1.0)
    assert model.grid_teams.helpers[0] == 20.0 and np.all(model.grid_teams.helpers[1:] == 5.0)
    assert model.grid_teams.n_workers == grids.total


def test_the_model_staffs_itself_as_planned_and_need_moves_agents_along():
    values = {
        **UNEVEN,
        "scenario.steps": 70,
        "staffing.allocation": "need",
        "staffing.reallocation_days": 30,
    }
    params = Parameters().with_values(values)
    model = GovernanceModel(params, rng=3)
    from sim import CommunityWorker, GridWorker

    start = model.community.assignment.staff_per_team.copy()
    for _ in range(70):
        model.step()
    for kind, staff in ((GridWorker, model.grid_teams), (CommunityWorker, model.community)):
        agents = model.agents_by_type[kind]
        teams = np.bincount([a.team for a in agents], minlength=staff.assignment.n_teams)
        np.testing.assert_array_equal(teams, staff.assignment.staff_per_team)
    assert model.community.assignment.staff_per_team.sum() == start.sum()
    assert not np.array_equal(model.community.assignment.staff_per_team, start)


def test_grid_leaders_take_time_from_the_office_and_give_it_to_the_grids():
    model = GovernanceModel(small(households=2000), rng=1)  # 1 community, 9 staff, 5 grids
    time = model.params.staffing.grid_leader_time
    assert model.community.effective_staff.tolist() == pytest.approx([9 - 5 * time])
    np.testing.assert_allclose(model.grid_teams.leader_time, time)
    thin = small(households=2000, staffing__community_staff_per_community=2.0)
    model = GovernanceModel(thin, rng=1)  # 2 staff for 5 grids: leaders are shared
    np.testing.assert_allclose(model.grid_teams.leader_time, time * 2 / 5)
    assert model.community.effective_staff.tolist() == pytest.approx([2 * (1 - time)])


# --- Bad structure input: exit 2, naming the file and the key.


BAD = {
    "negative community size": (
        "[population]\ncommunity_sizes = [2000, -5]\n",
        "population.community_sizes",
        "out of range",
    ),
    "community sizes not a list": (
        '[population]\ncommunity_sizes = "big"\n',
        "population.community_sizes",
        "a list",
    ),
    "impossible share of large communities": (
        "[population]\nlarge_community_share = 0.3\n",
        "population.large_community_share",
        "at most 0.088",
    ),
    "selector that matches nothing": (
        "[[staffing.overrides]]\ncommunities_above = 5000\ngrid_workers = 2\n",
        "staffing.overrides[1].communities_above",
        "selects no community",
    ),
    "community that does not exist": (
        "[[staffing.overrides]]\ncommunities = [6]\ncommunity_staff = 2\n",
        "staffing.overrides[1].communities",
        "community 6 does not exist",
    ),
    "grid that does not exist": (
        "[[staffing.overrides]]\ngrids = [26]\ngrid_workers = 2\n",
        "staffing.overrides[1].grids",
        "grid 26 does not exist",
    ),
    "misspelt setting": (
        "[[staffing.overrides]]\ncommunities = [1]\ncommunity_staf = 2\n",
        "staffing.overrides[1].community_staf",
        "did you mean 'community_staff'",
    ),
    "two selectors": (
        "[[staffing.overrides]]\ncommunities = [1]\ngrids = [1]\ngrid_workers = 2\n",
        "staffing.overrides[1]",
        "exactly one selector",
    ),
    "nothing set": (
        "[[staffing.overrides]]\ncommunities = [1]\n",
        "staffing.overrides[1]",
        "sets nothing",
    ),
    "community staff per grid": (
        "[[staffing.overrides]]\ngrids = [1]\ncommunity_staff = 2\n",
        "staffing.overrides[1].community_staff",
        "per community",
    ),
    "no grid worker left": (
        "[[staffing.overrides]]\ncommunities_below = 100000\ngrid_workers = 0\n",
        "staffing.overrides",
        "no grid worker",
    ),
    "unknown allocation": (
        '[staffing]\nallocation = "needs"\n',
        "staffing.allocation",
        "did you mean 'need'",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_structure_raises_input_error_naming_file_and_key(tmp_path, case):
    text, key, reason = BAD[case]
    path = write(tmp_path / "bad.toml", f'[scenario]\nextends = "{BASELINE}"\n{text}')
    with pytest.raises(InputError) as err:
        load_scenario(path)
    message = str(err.value)
    assert str(path) in message and key in message and reason in message, message


def test_bad_override_exits_2_without_a_traceback(tmp_path):
    path = write(
        tmp_path / "bad.toml",
        f'[scenario]\nextends = "{BASELINE}"\n'
        "[[staffing.overrides]]\ncommunities = [9]\ngrid_workers = 2\n",
    )
    done = sanzhi("validate", str(path))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "bad.toml" in done.stderr and "staffing.overrides[1].communities" in done.stderr


def test_overrides_and_lists_round_trip_through_with_values():
    values = {
        "population.community_sizes": [3000, 2000, 5000],
        "staffing.overrides": [{"communities": [3], "community_staff": 20}],
    }
    params = Parameters().with_values(values)
    again = Parameters().with_values(params.flat())
    assert again == params and hash(again) == hash(params)
    with pytest.raises(ParameterError, match="element 1"):
        Parameters().with_values({"population.community_sizes": [0]})
