"""Sweep designs expand to the right number and set of points; bad sections exit 2."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from experiments import ScenarioError
from experiments.sweeps.design import design_of, expand, parse_sweep
from sim import Parameters
from tests.test_cli import ROOT, sanzhi, write

BASE = Parameters()


def design(table: dict):
    return parse_sweep(table, "test.toml", BASE)


def test_grid_is_the_full_factorial_in_order():
    d = design(
        {
            "design": "grid",
            "parameters": {
                "staffing.households_per_grid_worker": [150, 400],
                "self_governance.participation": {"start": 0.1, "stop": 0.3, "num": 3},
                "moral.moral_bank": [False, True],
            },
        }
    )
    points = expand(d, seed=1)
    assert len(points) == 2 * 3 * 2
    got = {tuple(p.values()) for p in points}
    want = set(itertools.product([150.0, 400.0], [0.1, 0.2, 0.3], [False, True]))
    assert got == want
    assert points[0] == {
        "staffing.households_per_grid_worker": 150.0,  # typed as the parameter (float)
        "self_governance.participation": 0.1,
        "moral.moral_bank": False,
    }
    # integer ranges stay integers
    d = design(
        {
            "parameters": {
                "self_governance.deliberation_interval_days": {"start": 0, "stop": 60, "num": 4}
            }
        }
    )
    assert [p["self_governance.deliberation_interval_days"] for p in expand(d, 1)] == [
        0,
        20,
        40,
        60,
    ]


def test_levels_set_linked_keys_together():
    d = design(
        {
            "parameters": {"fusion.coordination": [0.1, 0.9]},
            "levels": {
                "moral": {
                    "off": {"moral.moral_bank": False, "moral.role_models": 0.0},
                    "on": {"moral.moral_bank": True, "moral.role_models": 0.4},
                }
            },
        }
    )
    points = expand(d, 1)
    assert len(points) == 4
    assert d.columns == ["fusion.coordination", "moral", "moral.moral_bank", "moral.role_models"]
    on = [p for p in points if p["moral"] == "on"]
    assert all(p["moral.moral_bank"] and p["moral.role_models"] == 0.4 for p in on)


@pytest.mark.parametrize(
    "kind, samples, expected",
    [("lhs", 20, 20), ("sobol", 8, 8 * (2 * 3 + 2)), ("morris", 5, 5 * 4)],
)
def test_sampled_designs(kind, samples, expected):
    table = {
        "design": kind,
        "samples": samples,
        "parameters": {
            "staffing.admin_load": {"low": 0.1, "high": 0.5},
            "self_governance.deliberation_interval_days": {"low": 7, "high": 60},
            "moral.moral_bank": [False, True],
        },
    }
    points = expand(design(table), seed=42)
    assert len(points) == expected
    load = np.array([p["staffing.admin_load"] for p in points])
    assert load.min() >= 0.1 and load.max() <= 0.5
    days = [p["self_governance.deliberation_interval_days"] for p in points]
    assert all(isinstance(x, int) and 7 <= x <= 60 for x in days)
    assert {p["moral.moral_bank"] for p in points} == {False, True}
    assert points == expand(design(table), seed=42)  # same seed, same points
    if kind == "lhs":  # one sample in each of the n equal strata of every range
        strata = np.floor((load - 0.1) / 0.4 * samples).astype(int)
        assert sorted(strata) == list(range(samples))


BAD = {
    "unknown parameter": (
        '"staffing.admin_lod" = [0.1]',
        "grid",
        ["sweep.parameters.staffing.admin_lod", "did you mean 'staffing.admin_load'"],
    ),
    "empty list": (
        '"staffing.admin_load" = []',
        "grid",
        ["sweep.parameters.staffing.admin_load", "empty list"],
    ),
    "stop < start": (
        '"staffing.admin_load" = { start = 0.5, stop = 0.1, num = 3 }',
        "grid",
        ["sweep.parameters.staffing.admin_load.stop", "less than start"],
    ),
    "unknown design": (
        '"staffing.admin_load" = [0.1]',
        "gird",
        ["sweep.design", "did you mean 'grid'"],
    ),
    "samples missing": (
        '"staffing.admin_load" = { low = 0.1, high = 0.5 }',
        "lhs",
        ["sweep.samples", "missing"],
    ),
    "out of range value": (
        '"staffing.admin_load" = [0.1, 2.0]',
        "grid",
        ["sweep.parameters.staffing.admin_load", "out of range", "from 0 to 0.95"],
    ),
    "range in a grid": (
        '"staffing.admin_load" = { low = 0.1, high = 0.5 }',
        "grid",
        ["sweep.parameters.staffing.admin_load", "sampled design"],
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_sweep_exits_2_naming_file_and_key(tmp_path, case):
    line, kind, expected = BAD[case]
    path = write(tmp_path / "bad.toml", f'[sweep]\ndesign = "{kind}"\n[sweep.parameters]\n{line}\n')
    result = sanzhi("sweep", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    for fragment in expected:
        assert fragment in result.stderr
    assert not (tmp_path / "out").exists()


def test_levels_must_set_the_same_keys():
    with pytest.raises(
        ScenarioError, match=r"sweep\.levels\.moral\.on: every level must set the same keys"
    ):
        design(
            {
                "levels": {
                    "moral": {"off": {"moral.moral_bank": False}, "on": {"moral.role_models": 0.4}}
                }
            }
        )


def test_sobol_needs_a_power_of_two():
    with pytest.raises(ScenarioError, match=r"sweep\.samples: got 12 .*power of 2"):
        design(
            {
                "design": "sobol",
                "samples": 12,
                "parameters": {"staffing.admin_load": {"low": 0.1, "high": 0.5}},
            }
        )


def test_set_on_a_swept_key_is_refused(tmp_path):
    path = write(
        tmp_path / "s.toml", '[sweep]\n[sweep.parameters]\n"staffing.admin_load" = [0.1, 0.2]\n'
    )
    result = sanzhi("validate", str(path), "--set", "staffing.admin_load=0.3")
    assert result.returncode == 2 and "is swept by the [sweep] section" in result.stderr


SWEEPS = ROOT / "scenarios" / "sweeps"


def test_shipped_sweeps_expand():
    from experiments import load_scenario

    def points(name: str) -> list[dict]:
        scenario = load_scenario(SWEEPS / name)
        assert scenario.params.scenario.name == name.removesuffix(".toml")
        return expand(design_of(scenario), scenario.params.scenario.seed)

    staffing = [p["staffing.households_per_grid_worker"] for p in points("staffing.toml")]
    assert min(staffing) == 100 and max(staffing) == 1000
    assert any(110 <= x <= 150 for x in staffing) and any(x >= 400 for x in staffing)
    share = [p["self_governance.participation"] for p in points("participation.toml")]
    assert min(share) == 0.05 and max(share) == 0.6
    assert len(points("admin_load.toml")) >= 5 and len(points("legal_coverage.toml")) >= 5
    levers = points("levers.toml")
    assert len(levers) == 2 * 2 * 2 * 2
    modes = {(p["self_governance"], p["rule_of_law"], p["moral"]) for p in levers}
    assert len(modes) == 8
    off = next(p for p in levers if p["rule_of_law"] == "off")
    assert off["staffing.legal_advisors_per_community"] == 0.0
