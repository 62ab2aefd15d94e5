"""Paired comparisons on common random numbers (docs/timeline.md): forks of one warmed state
with the same policy give identical paths, a known effect is measured with less variance
than by independent runs, and time to effect has a known answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.cli.main import main
from experiments.comparison.paired import crossing_days, fork_runs, paired_differences
from experiments.runner import run, summarise
from experiments.scenario import load_scenario

BASE = (
    '# test\n[scenario]\nname = "ref"\nsteps = 40\nreplications = 5\nwarmup_days = 10\n'
    "[population]\nhouseholds = 600\n"
)
HIRE = (
    '# test\n[scenario]\nextends = "ref.toml"\nname = "hire"\n'
    "[staffing]\nhouseholds_per_grid_worker = 150.0\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    ref, hire = tmp_path / "ref.toml", tmp_path / "hire.toml"
    ref.write_text(BASE, encoding="utf-8")
    hire.write_text(HIRE, encoding="utf-8")
    return ref, hire


def test_time_to_effect_of_a_step_has_a_known_answer() -> None:
    step = np.r_[np.zeros(30), np.ones(200)]
    # A trailing 14-day mean reaches 0.5 with 7 days of the step in it, 0.9 with 13.
    assert crossing_days(step) == [36.0, 42.0]
    assert crossing_days(-2 * step) == [36.0, 42.0]  # a fall is timed like a rise
    assert np.isnan(crossing_days(np.zeros(100))).all()


def test_forks_with_the_same_policy_give_identical_paths(files, tmp_path: Path) -> None:
    ref = load_scenario(files[0])
    a, b = fork_runs([ref, ref], tmp_path / "states", replications=3)
    pd.testing.assert_frame_equal(a, b)
    table = paired_differences(summarise(a), {"same": summarise(b)}, ["mean_trust"])
    assert table["mean_difference"].iloc[0] == 0 and table["half_width"].iloc[0] == 0


def test_common_random_numbers_narrow_the_interval_of_a_known_effect(files, tmp_path) -> None:
    """More grid workers lower their utilisation; forks of one state on one seed measure it
    with a narrower interval than independent runs (another root seed) of the same size."""
    ref, hire = (load_scenario(f) for f in files)
    metrics = ["grid_worker_utilisation", "mean_trust", "satisfaction"]
    a, b = fork_runs([ref, hire], tmp_path / "states", replications=5)
    paired = paired_differences(summarise(a), {"hire": summarise(b)}, metrics).set_index("metric")
    other = hire.with_overrides({"scenario.seed": 7})
    independent = paired_differences(
        summarise(run(ref)), {"hire": summarise(run(other))}, metrics
    ).set_index("metric")
    assert paired.loc["grid_worker_utilisation", "ci_high"] < 0  # the known direction
    for metric in metrics:
        assert paired.loc[metric, "half_width"] < independent.loc[metric, "half_width"], metric
        assert paired.loc[metric, "variance_reduction"] > 0, metric


def test_compare_paired_writes_paired_differences(files, tmp_path: Path, capsys) -> None:
    out = tmp_path / "report"
    args = ["compare", *map(str, files), "--out", str(out), "--paired", "--no-pdf"]
    assert main([*args, "--replications", "3"]) == 0
    table = pd.read_csv(out / "paired.csv")
    assert set(table["scenario"]) == {"hire"} and (table["replications"] == 3).all()
    assert (out / "time_to_effect.csv").is_file()
    assert sorted(p.name for p in (out / "states").iterdir())[0] == "replication_000.state"
    bigger = tmp_path / "big.toml"
    bigger.write_text(HIRE.replace("[staffing]", "[population]\nhouseholds = 700\n[staffing]"))
    capsys.readouterr()
    assert (
        main(["compare", str(files[0]), str(bigger), "--out", str(tmp_path / "r2"), "--paired"])
        == 2
    )
    assert "population.households" in capsys.readouterr().err
