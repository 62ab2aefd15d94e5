"""Levers scoped to one grid or community (sim/scoped.py, docs/timeline.md): the checks of a
request, None back to the city-wide value, local over city-wide, a run without scoped levers
unchanged bit for bit, a lever moving its own unit, and invariants under any valid value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from sim import Channel, GovernanceModel, Kind, Parameters
from sim.params import ParameterError
from sim.reference import ReferenceModel
from sim.scoped import SCOPED
from tests.conftest import small
from tests.test_invariants import assert_invariants

MODELS = [GovernanceModel, ReferenceModel]
# 8 grids in 4 communities, one grid worker per grid: every unit is its own.
TOWN = {
    "population__households_per_grid": 100,
    "population__households_per_community": 200,
    "staffing__households_per_grid_worker": 100.0,
}
SPECS = {key: (kind, spec) for key, _, kind, spec in Parameters.specs()}
# One valid, non-default value of every scoped key.
SOME = {
    "staffing.admin_load": 0.8,
    "rule_of_law.legal_lectures_per_year": 30.0,
    "rule_of_law.advisor_attendance": 1.0,
    "fusion.party_coordination": 1.0,
    "fusion.party_visit_cases_per_week": 10.0,
    "self_governance.participation": 0.7,
    "self_governance.topics_per_deliberation": 8,
    "staffing.patrol_time": 2.0,
    "staffing.serve_first": "disputes",
    "rule_of_law.mediation_rounds": 3,
    "fusion.council_convening": 2.0,
    "fusion.member_mobilisation": 2.5,
}


def town(households: int = 800, steps: int = 60, **values) -> Parameters:
    return small(households=households, steps=steps, **{**TOWN, **values})


def record(model) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


def test_scoped_keys_are_the_contracts_and_may_change_mid_run() -> None:
    assert set(SOME) == set(SCOPED)
    assert set(SCOPED.values()) <= {"grid", "community"}
    assert SCOPED["staffing.admin_load"] == "grid"


@pytest.mark.parametrize("model_class", MODELS)
def test_a_request_is_checked(model_class) -> None:
    model = model_class(town(households=400), rng=1)
    n_grids, n_communities = model.layout.n_grids, model.layout.n_communities
    with pytest.raises(ValueError, match=r"moral.moral_bank cannot be scoped.*admin_load"):
        model.apply_local("grid", 0, {"moral.moral_bank": True})
    with pytest.raises(ValueError, match="scoped to a community, not to a grid"):
        model.apply_local("grid", 0, {"self_governance.participation": 0.5})
    with pytest.raises(ValueError, match="scoped to a grid, not to a community"):
        model.apply_local("community", 0, {"staffing.admin_load": 0.5})
    with pytest.raises(ValueError, match="unknown scope"):
        model.apply_local("city", 0, {"staffing.admin_load": 0.5})
    for scope, n, key in (
        ("grid", n_grids, "staffing.admin_load"),
        ("community", n_communities, "self_governance.participation"),
    ):
        for unit in (-1, n, True, 1.0):
            with pytest.raises(ValueError, match="out of range"):
                model.apply_local(scope, unit, {key: 0.5})
    with pytest.raises(ParameterError, match=r"staffing\.admin_load"):
        model.apply_local("grid", 0, {"staffing.admin_load": 3.0})
    with pytest.raises(ParameterError, match=r"staffing\.admin_load"):
        model.apply_local("grid", 0, {"staffing.admin_load": "high"})
    with pytest.raises(ParameterError, match="topics_per_deliberation"):
        model.apply_local("community", 0, {"self_governance.topics_per_deliberation": 2.5})
    with pytest.raises(ValueError, match="cannot be scoped"):
        model.local_value("moral.moral_bank")
    # Nothing half-done by a refused request.
    assert model.local_changes == [] and not model.local.values


@pytest.mark.parametrize("model_class", MODELS)
def test_none_resets_and_local_wins_over_a_later_citywide_change(model_class) -> None:
    model = model_class(town(households=400), rng=1)
    n = model.layout.n_grids
    model.apply_local("grid", 1, {"staffing.admin_load": 0.8})
    expected = np.full(n, 0.3)
    expected[1] = 0.8
    np.testing.assert_array_equal(model.local_value("staffing.admin_load"), expected)
    model.step()
    model.apply({"staffing.admin_load": 0.1})  # city-wide: every grid but grid 1
    expected[:] = 0.1
    expected[1] = 0.8
    np.testing.assert_array_equal(model.local_value("staffing.admin_load"), expected)
    model.apply_local("grid", 1, {"staffing.admin_load": None})
    np.testing.assert_array_equal(model.local_value("staffing.admin_load"), np.full(n, 0.1))
    assert not model.local.values
    assert [(day, scope, unit) for day, scope, unit, _ in model.local_changes] == [
        (0, "grid", 1),
        (1, "grid", 1),
    ]
    assert model.local_changes[1][3] == {"staffing.admin_load": None}


def scoped_everywhere(model, value: bool = True) -> None:
    """Every scoped key in unit 1 of its scope (None: back again)."""
    for scope in ("grid", "community"):
        keys = {k: (SOME[k] if value else None) for k, s in SCOPED.items() if s == scope}
        model.apply_local(scope, 1, keys)


@pytest.mark.parametrize("model_class", MODELS)
def test_nothing_scoped_is_the_run_without_scoped_levers(model_class) -> None:
    """Bit for bit: never scoped, and scoped then reset before day 0, give the same record
    (the digests of tests/test_practices_*.py pin the record of the code before)."""
    params = town(households=600, steps=40, rule_of_law__advisor_attendance=0.3)
    frames = []
    for reset in (False, True):
        model = model_class(params, rng=5)
        if reset:
            scoped_everywhere(model, True)
            scoped_everywhere(model, False)
            assert not model.local.values
        for _ in range(40):
            model.step()
        frames.append(record(model))
        model.close()
    pd.testing.assert_frame_equal(frames[0], frames[1], check_exact=True)
    # And a scoped run differs (the levers do something).
    model = model_class(params, rng=5)
    scoped_everywhere(model, True)
    for _ in range(40):
        model.step()
    assert not record(model).equals(frames[0])


@pytest.mark.parametrize("model_class", MODELS)
def test_a_key_scoped_in_every_unit_is_the_citywide_change(model_class) -> None:
    """Every unit given the same value is the city-wide change, bit for bit (the per-unit
    arrays and reads reproduce the scalar's arithmetic and draws). Lectures are left out:
    scoped, they are drawn per community rather than per team."""
    params = town(households=600, steps=30, rule_of_law__advisor_attendance=0.3)
    for key, value in SOME.items():
        if key == "rule_of_law.legal_lectures_per_year":
            continue
        citywide, scoped = model_class(params, rng=3), model_class(params, rng=3)
        citywide.apply({key: value})
        scope = SCOPED[key]
        n = scoped.layout.n_grids if scope == "grid" else scoped.layout.n_communities
        for unit in range(n):
            scoped.apply_local(scope, unit, {key: value})
        for _ in range(30):
            citywide.step()
            scoped.step()
        pd.testing.assert_frame_equal(record(citywide), record(scoped), check_exact=True)


def grid_backlog(model: GovernanceModel) -> np.ndarray:
    """Open issues on each grid's desk (or waiting unreported), per household."""
    pool, layout = model.issues, model.layout
    open_ = np.bincount(layout.grid[pool.household], minlength=layout.n_grids)
    return open_ / layout.grid_size


def test_admin_load_in_one_grid_raises_that_grids_backlog() -> None:
    """Grid 0's admin load at 0.9 (the rest at 0.3): its backlog, relative to the other
    grids', is higher than in the same replications without (paired t-test). Four grids of
    250 households, a grid worker each: enough cases a grid for the desk to fill."""
    params = small(
        households=1000,
        steps=100,
        population__households_per_grid=250,
        population__households_per_community=500,
        staffing__households_per_grid_worker=250.0,
    )
    diffs = []
    for seed in range(8):
        gaps = []
        for scoped in (False, True):
            model = GovernanceModel(params, rng=seed)
            if scoped:
                model.apply_local("grid", 0, {"staffing.admin_load": 0.9})
            for _ in range(100):
                model.step()
            backlog = grid_backlog(model)
            gaps.append(backlog[0] - backlog[1:].mean())
            model.close()
        diffs.append(gaps[1] - gaps[0])
    result = stats.ttest_1samp(diffs, 0.0, alternative="greater")
    assert result.pvalue < 0.01, (diffs, result)


def test_participation_in_one_community_lowers_its_engagement() -> None:
    """Community 2's participation at 0.02 (the rest at 0.16): its mean engagement falls
    below the other communities' (Welch t-test over replications)."""
    params = town(households=800, steps=60)
    scoped, control = [], []
    for seed in range(8):
        for lowered, out in ((True, scoped), (False, control)):
            model = GovernanceModel(params, rng=100 + seed)
            if lowered:
                model.apply_local("community", 2, {"self_governance.participation": 0.02})
            for _ in range(60):
                model.step()
            engagement, community = model.households.engagement, model.layout.community
            out.append(engagement[community == 2].mean() - engagement[community != 2].mean())
            model.close()
    result = stats.ttest_ind(scoped, control, equal_var=False, alternative="less")
    assert result.pvalue < 0.01, (scoped, control, result)


def value_of(key: str) -> st.SearchStrategy:
    kind, spec = SPECS[key]
    if spec.choices:
        return st.sampled_from(spec.choices) | st.none()
    high = min(spec.high, 40.0)  # a short run needs no more (lectures, visits, topics)
    if kind is int:
        return st.integers(int(spec.low), int(high)) | st.none()
    return st.floats(spec.low, high, allow_nan=False) | st.none()


@st.composite
def requests(draw) -> tuple[str, int, dict]:
    scope = draw(st.sampled_from(["grid", "community"]))
    keys = [k for k, s in SCOPED.items() if s == scope]
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=len(keys), unique=True))
    unit = draw(st.integers(0, 7 if scope == "grid" else 3))
    return scope, unit, {key: draw(value_of(key)) for key in chosen}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(requests(), min_size=1, max_size=3), st.integers(0, 2**16))
def test_any_valid_request_keeps_the_invariants(changes, seed) -> None:
    params = town(households=800, steps=12, self_governance__deliberation_interval_days=3)
    model = GovernanceModel(params, rng=seed)
    for day, (scope, unit, values) in enumerate(changes):
        model.apply_local(scope, unit, values)
        for key in values:
            in_force = model.local_value(key)
            assert in_force.shape == (model.layout.n_grids if scope == "grid" else 4,)
        for _ in range(3 + day):
            model.step()
            assert_invariants(model)
    model.close()


# --- The levers the classroom's roles added: each moves its own unit the way it should.

# 8 grids of 125 households in 4 communities, a grid worker per grid, no helpers (patrols
# the only discovery), many issues (common disputes, which advisors often fail, service
# requests and public topics; much left unreported), half the households with an active
# party member, full party leadership and a moral bank (credits count turnout).
ROLES_TOWN = {
    "population__households_per_grid": 125,
    "population__households_per_community": 250,
    "population__party_member_share": 0.5,
    "population__active_party_share": 1.0,
    "staffing__households_per_grid_worker": 125.0,
    "staffing__helpers_per_grid": 0.0,
    "staffing__legal_cases_per_week": 10.0,
    "rule_of_law__mediation_success": 0.3,
    "behaviour__dispute_rate": 4.0,
    "behaviour__service_rate": 4.0,
    "behaviour__public_rate": 2.0,
    "behaviour__unreported_weight": 2.0,
    "fusion__party_leadership": 1.0,
    "moral__moral_bank": True,
}


def paired_effect(
    scope: str, values: dict, measure, steps: int = 80, against: dict | None = None, **extra
) -> list[float]:
    """Per seed, the mean of ``measure(model)`` over the second half of the run with
    ``values`` set in unit 0, less the same with ``against`` set there (nothing: the
    city-wide values), on the same seed."""
    params = small(households=1000, steps=steps, **{**ROLES_TOWN, **extra})
    diffs = []
    for seed in range(8):
        out = []
        for local in (against, values):
            model = GovernanceModel(params, rng=500 + seed)
            if local:
                model.apply_local(scope, 0, local)
            seen = []
            for day in range(steps):
                model.step()
                if day >= steps // 2:
                    seen.append(measure(model))
            out.append(np.mean(seen))
            model.close()
        diffs.append(out[1] - out[0])
    return diffs


def in_unit_0(model, scope: str, rows: np.ndarray) -> np.ndarray:
    unit = model.layout.grid if scope == "grid" else model.layout.community
    return unit[model.issues.household[rows]] == 0


def open_in(model, scope: str, channel: Channel, kind: Kind | None = None) -> float:
    """Open issues of unit 0 in ``channel`` (of ``kind``) less the mean of the other units'."""
    pool = model.issues
    rows = pool.in_channel(int(channel))
    if kind is not None:
        rows = rows[pool.kind[rows] == int(kind)]
    layout = model.layout
    unit = (layout.grid if scope == "grid" else layout.community)[pool.household[rows]]
    n = layout.n_grids if scope == "grid" else layout.n_communities
    counts = np.bincount(unit, minlength=n)
    return float(counts[0] - counts[1:].mean())


def assert_direction(diffs: list[float], alternative: str) -> None:
    result = stats.ttest_1samp(diffs, 0.0, alternative=alternative)
    assert result.pvalue < 0.01, (diffs, result)


def test_patrol_time_in_one_grid_finds_its_unreported_issues() -> None:
    """Grid 0 patrolling three times the usual, against not at all: fewer of its issues stay
    unreported."""
    diffs = paired_effect(
        "grid",
        {"staffing.patrol_time": 3.0},
        lambda m: open_in(m, "grid", Channel.UNREPORTED),
        against={"staffing.patrol_time": 0.0},
    )
    assert_direction(diffs, "less")


def test_patrol_time_takes_the_desks_time() -> None:
    """Grid 0 patrolling three times the usual leaves its desk less time: more of its cases
    wait on the desk (ODD 7.6), though patrols bring more there."""
    diffs = paired_effect(
        "grid",
        {"staffing.patrol_time": 3.0, "staffing.admin_load": 0.6},
        lambda m: float(m.grid_teams.capacity()[m.grid_teams.assignment.team_of_unit[0]]),
        steps=5,
    )
    assert max(diffs) < 0  # less capacity in every replication (the same burnout at day 5)


def test_serving_disputes_first_in_one_grid_clears_its_disputes() -> None:
    """Grid 0 serving disputes first, against service requests first, on a busy desk: the
    disputes waiting there are a smaller share of its desk."""

    def dispute_share(m) -> float:
        disputes = open_in(m, "grid", Channel.GRID, Kind.DISPUTE)
        services = open_in(m, "grid", Channel.GRID, Kind.SERVICE)
        return disputes - services

    diffs = paired_effect(
        "grid",
        {"staffing.serve_first": "disputes"},
        dispute_share,
        against={"staffing.serve_first": "services"},
        staffing__admin_load=0.85,
    )
    assert_direction(diffs, "less")


def test_mediation_rounds_in_one_community_keep_its_disputes_out_of_court() -> None:
    """Community 0's advisors holding five rounds: fewer of its disputes are in court."""
    diffs = paired_effect(
        "community",
        {"rule_of_law.mediation_rounds": 5},
        lambda m: open_in(m, "community", Channel.COURT),
    )
    assert_direction(diffs, "less")


def test_convening_councils_more_often_in_one_community_raises_its_engagement() -> None:
    """Community 0's council convened four times as often, against never: its households,
    attending, are more engaged than the other communities'."""

    def engagement(m) -> float:
        h, community = m.households.engagement, m.layout.community
        return float(h[community == 0].mean() - h[community != 0].mean())

    diffs = paired_effect(
        "community",
        {"fusion.council_convening": 4.0},
        engagement,
        against={"fusion.council_convening": 0.0},
    )
    assert_direction(diffs, "greater")


def test_no_convening_stops_the_councils_meetings() -> None:
    """A council never convened never meets; one convened three times as often meets every
    10 days (30 / 3); the others keep their days."""
    model = GovernanceModel(small(households=1000, steps=40, **ROLES_TOWN), rng=1)
    model.apply_local("community", 0, {"fusion.council_convening": 0.0})
    model.apply_local("community", 1, {"fusion.council_convening": 3.0})
    days = []
    for _ in range(40):
        days.append(model.day)
        model.step()
    day = np.array(days)
    # Every 30 days (the default interval) staggered by community; every 10 in community 1.
    expected = [0, np.sum((1 + day) % 10 == 0), np.sum((2 + day) % 30 == 0)]
    expected.append(np.sum((3 + day) % 30 == 0))
    assert model.councils.meetings.tolist() == expected
    model.close()


def test_mobilising_members_in_one_community_raises_its_volunteering() -> None:
    """Community 0's party secretary mobilising members three times the usual: its
    households earn more volunteering credits than the other communities'."""

    def credits(m) -> float:
        by = np.bincount(m.layout.community, weights=m.households.credits.astype(float))
        return float(by[0] - by[1:].mean())

    diffs = paired_effect("community", {"fusion.member_mobilisation": 3.0}, credits)
    assert_direction(diffs, "greater")
