"""Policies over time (docs/timeline.md): ``[[timeline]]`` entries, their checks, and the
levers they change from their day on, in the engine and through ``GovernanceModel.apply``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.cli.main import main
from experiments.errors import InputError
from sim import GovernanceModel, Parameters
from sim.params import ParameterError
from sim.timeline import FIXED, Timeline, mid_run_keys, why_fixed
from tests.conftest import small

DAYS = 60


def frame(
    params: Parameters, seed: int = 3, days: int = DAYS
) -> tuple[GovernanceModel, pd.DataFrame]:
    model = GovernanceModel(params, rng=seed)
    for _ in range(days):
        model.step()
    return model, model.datacollector.get_model_vars_dataframe()


def with_timeline(params: Parameters, *entries: dict) -> Parameters:
    return params.with_values({"timeline": list(entries)})


CHANGES = {
    "moral bank set": {"key": "moral.moral_bank", "day": 25, "value": True},
    "grid workers hired": {"key": "staffing.households_per_grid_worker", "day": 25, "value": 150.0},
    "grid workers leave": {"key": "staffing.households_per_grid_worker", "day": 25, "value": 900.0},
    "community staff hired": {
        "key": "staffing.community_staff_per_community",
        "day": 25,
        "value": 20.0,
    },
    "admin load ramp": {
        "key": "staffing.admin_load",
        "kind": "ramp",
        "start": 25,
        "end": 40,
        "from_value": 0.6,
        "value": 0.1,
    },
    "coordination campaign": {
        "key": "fusion.coordination",
        "kind": "campaign",
        "start": 25,
        "end": 35,
        "value": 1.0,
    },
}


@pytest.mark.parametrize("entry", CHANGES.values(), ids=list(CHANGES))
def test_a_change_on_day_d_leaves_every_day_before_d_as_it_was(entry: dict) -> None:
    base = small(households=600, steps=DAYS)
    _, without = frame(base)
    _, changed = frame(with_timeline(base, entry))
    day = 25
    pd.testing.assert_frame_equal(changed.iloc[:day], without.iloc[:day])
    assert not changed.iloc[day:].equals(without.iloc[day:]), "the change changed nothing"


def test_staff_are_hired_and_leave_with_their_agents_and_queues() -> None:
    base = small(households=2000, steps=DAYS)
    for value, more in ((150.0, True), (1000.0, False)):
        model = GovernanceModel(
            with_timeline(
                base, {"key": "staffing.households_per_grid_worker", "day": 20, "value": value}
            ),
            rng=4,
        )
        before = model.grid_teams.n_workers
        for _ in range(DAYS):
            model.step()
            pool = model.issues
            assert (pool.household < model.households.n).all()
            team = model.grid_teams.team_of(pool.household)
            assert ((team >= 0) & (team < model.grid_teams.assignment.n_teams)).all()
        after = model.grid_teams.n_workers
        assert (after > before) if more else (after < before)
        assert after == round(2000 / value) or after == 1
        assert len(model._grid_workers) == after
        assert model.grid_teams.burnout.shape == (model.grid_teams.assignment.n_teams,)


def test_a_campaign_ends_with_the_value_before_it() -> None:
    params = with_timeline(
        small(households=300, steps=DAYS),
        {"key": "staffing.admin_load", "day": 5, "value": 0.5},
        {"key": "staffing.admin_load", "kind": "campaign", "start": 10, "end": 20, "value": 0.9},
    )
    model = GovernanceModel(params, rng=1)
    seen = []
    for _ in range(25):
        model.step()
        seen.append(model.params.staffing.admin_load)
    assert (
        seen[4] == 0.3
        and seen[5] == 0.5
        and seen[10] == 0.9
        and seen[19] == 0.9
        and seen[20] == 0.5
    )


def test_a_ramp_moves_in_equal_steps_and_rounds_whole_numbers() -> None:
    params = with_timeline(
        small(households=300, steps=DAYS),
        {
            "key": "staffing.admin_load",
            "kind": "ramp",
            "start": 10,
            "end": 14,
            "from_value": 0.5,
            "value": 0.1,
        },
        {
            "key": "staffing.min_community_staff",
            "kind": "ramp",
            "start": 0,
            "end": 3,
            "from_value": 9,
            "value": 12,
        },
    )
    changes = Timeline.of(params).changes
    assert [changes[d]["staffing.admin_load"] for d in range(10, 15)] == pytest.approx(
        [0.5, 0.4, 0.3, 0.2, 0.1]
    )
    assert [changes[d]["staffing.min_community_staff"] for d in range(4)] == [9, 10, 11, 12]
    assert 9 not in changes and 15 not in changes


def test_apply_between_steps_is_a_timeline_entry_for_today() -> None:
    """The library door a dashboard uses: ``model.apply`` before day D runs is the same run
    as a ``set`` entry on day D, bit for bit; ``schedule`` is a later entry."""
    base = small(households=500, steps=DAYS)
    _, planned = frame(with_timeline(base, {"key": "moral.moral_bank", "day": 30, "value": True}))
    model = GovernanceModel(base, rng=3)
    for _ in range(30):
        model.step()
    model.apply({"moral.moral_bank": True})
    for _ in range(30):
        model.step()
    pd.testing.assert_frame_equal(model.datacollector.get_model_vars_dataframe(), planned)
    assert model.changes == [(30, {"moral.moral_bank": True})]

    later = GovernanceModel(base, rng=3)
    later.schedule(30, {"moral.moral_bank": True})
    for _ in range(DAYS):
        later.step()
    pd.testing.assert_frame_equal(later.datacollector.get_model_vars_dataframe(), planned)
    with pytest.raises(ValueError, match="has passed"):
        later.schedule(3, {"moral.moral_bank": False})


def test_apply_refuses_what_cannot_change_mid_run() -> None:
    model = GovernanceModel(small(households=300, steps=10), rng=1)
    with pytest.raises(ParameterError, match="cannot change mid-run"):
        model.apply({"population.households": 400})
    with pytest.raises(ParameterError, match="out of range"):
        model.apply({"staffing.admin_load": 2.0})
    with pytest.raises(ParameterError, match="did you mean"):
        model.apply({"moral.moral_bnk": True})


def test_the_mid_run_list_names_real_parameters_and_covers_the_levers() -> None:
    keys = {key for key, *_ in Parameters.specs()}
    assert set(FIXED) <= keys
    allowed = set(mid_run_keys())
    assert {
        "moral.moral_bank",
        "staffing.households_per_grid_worker",
        "fusion.coordination",
    } <= allowed
    assert why_fixed("population.households") and why_fixed("scenario.steps")
    assert not allowed & set(FIXED)


def test_the_docs_list_what_may_change_mid_run() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "timeline.md").read_text("utf-8")
    missing = [key for key in FIXED if f"`{key}`" not in doc]
    assert not missing, f"docs/timeline.md does not say these cannot change mid-run: {missing}"


BAD_TIMELINES = {
    "unknown key": (
        '[[timeline]]\nkey = "moral.moral_bnk"\nday = 5\nvalue = true\n',
        ["timeline[1].key", "did you mean 'moral.moral_bank'"],
    ),
    "unknown field": (
        '[[timeline]]\nkey = "moral.moral_bank"\ndays = 5\nvalue = true\n',
        ["timeline[1].days", "did you mean 'day'"],
    ),
    "day beyond steps": (
        '[[timeline]]\nkey = "moral.moral_bank"\nday = 500\nvalue = true\n',
        ["timeline[1].day", "beyond the run's 365 steps"],
    ),
    "overlap": (
        '[[timeline]]\nkey = "staffing.admin_load"\nday = 50\nvalue = 0.2\n'
        '[[timeline]]\nkey = "staffing.admin_load"\nkind = "campaign"\nstart = 40\nend = 60\n'
        "value = 0.5\n",
        ["timeline[", "staffing.admin_load overlaps"],
    ),
    "cannot change mid-run": (
        '[[timeline]]\nkey = "population.households"\nday = 5\nvalue = 100\n',
        ["timeline[1].key", "cannot change mid-run"],
    ),
    "bad value": (
        '[[timeline]]\nkey = "staffing.admin_load"\nday = 5\nvalue = "high"\n',
        ["timeline[1].value", "expected a number from 0 to 0.95"],
    ),
    "ramp of a switch": (
        '[[timeline]]\nkey = "moral.moral_bank"\nkind = "ramp"\nstart = 1\nend = 9\n'
        "from_value = false\nvalue = true\n",
        ["timeline[1].kind", "cannot ramp"],
    ),
    "missing day": (
        '[[timeline]]\nkey = "moral.moral_bank"\nvalue = true\n',
        ["timeline[1].day", "is missing"],
    ),
    "end before start": (
        '[[timeline]]\nkey = "fusion.coordination"\nkind = "campaign"\nstart = 9\nend = 3\n'
        "value = 1.0\n",
        ["timeline[1].end", "not after start"],
    ),
}


@pytest.mark.parametrize("case", BAD_TIMELINES, ids=list(BAD_TIMELINES))
def test_a_bad_timeline_entry_exits_2_naming_file_entry_and_key(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, expected = BAD_TIMELINES[case]
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err
    for part in expected:
        assert part in err, (part, err)


def test_steps_from_the_command_line_are_checked_against_the_timeline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "late.toml"
    path.write_text('[[timeline]]\nkey = "moral.moral_bank"\nday = 200\nvalue = true\n', "utf-8")
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["validate", str(path), "--set", "scenario.steps=100"]) == 2
    assert "timeline[1].day" in capsys.readouterr().err


def test_the_timeline_is_kept_in_the_parameters_and_their_dict() -> None:
    params = with_timeline(small(), {"key": "moral.moral_bank", "day": 5, "value": True})
    again = Parameters.from_dict(params.to_dict())
    assert again == params and hash(again) == hash(params)
    assert np.isclose(Timeline.of(again).on(5)["moral.moral_bank"], 1)


def test_timeline_days_and_values_can_be_swept(tmp_path: Path) -> None:
    from experiments.scenario import load_scenario
    from experiments.sweeps.design import assignments, design_of, expand

    path = tmp_path / "sweep.toml"
    path.write_text(
        '[scenario]\nsteps = 100\n[[timeline]]\nkey = "staffing.admin_load"\nday = 30\n'
        "value = 0.1\n[sweep.parameters]\n"
        '"timeline.1.day" = [10, 50]\n"timeline.1.value" = [0.1, 0.2]\n',
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    design = design_of(scenario)
    points = expand(design, seed=1)
    assert len(points) == 4
    params = [scenario.params.with_values(assignments(design, point)) for point in points]
    assert sorted({(p.timeline[0].day, p.timeline[0].value) for p in params}) == [
        (10, 0.1),
        (10, 0.2),
        (50, 0.1),
        (50, 0.2),
    ]
    path.write_text(path.read_text("utf-8").replace("[10, 50]", "[10, 500]"), "utf-8")
    with pytest.raises(InputError, match="timeline"):
        design_of(load_scenario(path))
