"""The command line as a user drives it: bad input exits 2 with a clear message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent


def sanzhi(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "experiments.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


BAD_FILES = {
    "unknown key": (
        "[staffing]\nhouseholds_per_gridworker = 300\n",
        ["staffing.households_per_gridworker", "did you mean 'households_per_grid_worker'"],
    ),
    "unknown section": (
        "[stafing]\nadmin_load = 0.3\n",
        ["stafing", "did you mean 'staffing'"],
    ),
    "wrong type": (
        '[staffing]\nadmin_load = "high"\n',
        ["staffing.admin_load", "expected a number from 0 to 0.95"],
    ),
    "bool for a number": (
        "[population]\nhouseholds = true\n",
        ["population.households", "expected an integer"],
    ),
    "out of range": (
        "[self_governance]\nparticipation = 1.5\n",
        ["self_governance.participation", "out of range", "from 0 to 1"],
    ),
    "bad choice": (
        '[population]\nnetwork = { kind = "smallworld" }\n',
        ["population.network.kind", "did you mean 'small_world'"],
    ),
    "not toml": ("[staffing\nadmin_load = 0.3\n", ["not valid TOML"]),
    "missing extends": (
        '[scenario]\nextends = "nowhere.toml"\n',
        ["scenario.extends", "file not found", "nowhere.toml"],
    ),
    "bad sweep parameter": (
        '[sweep]\ndesign = "grid"\n[sweep.parameters]\n"staffing.admin_lod" = [0.1, 0.2]\n',
        ["sweep.parameters.staffing.admin_lod", "did you mean 'staffing.admin_load'"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
@pytest.mark.parametrize("command", ["validate", "run"])
def test_bad_scenario_exits_2_naming_file_and_key(tmp_path, case, command):
    text, expected = BAD_FILES[case]
    path = write(tmp_path / "bad.toml", text)
    result = (
        sanzhi(command, str(path), "--steps", "2")
        if command == "run"
        else sanzhi(command, str(path))
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    for fragment in expected:
        assert fragment in result.stderr


def test_error_names_the_file_in_the_chain_that_holds_the_bad_key(tmp_path):
    write(tmp_path / "base.toml", "[staffing]\nadmin_load = 3.0\n")
    child = write(tmp_path / "child.toml", '[scenario]\nextends = "base.toml"\n')
    result = sanzhi("validate", str(child))
    assert result.returncode == 2
    assert "base.toml: staffing.admin_load" in result.stderr


def test_circular_extends(tmp_path):
    write(tmp_path / "a.toml", '[scenario]\nextends = "b.toml"\n')
    write(tmp_path / "b.toml", '[scenario]\nextends = "a.toml"\n')
    result = sanzhi("validate", str(tmp_path / "a.toml"))
    assert result.returncode == 2
    assert "circular extends" in result.stderr and "Traceback" not in result.stderr


def test_missing_file_and_bad_override():
    result = sanzhi("validate", "no/such/file.toml")
    assert result.returncode == 2 and "file not found" in result.stderr
    result = sanzhi("validate", "scenarios/baseline.toml", "--set", "moral.moral_bank=maybe")
    assert result.returncode == 2
    assert "command line (--set): moral.moral_bank" in result.stderr
    result = sanzhi("validate", "scenarios/baseline.toml", "--set", "fusion.cordination=1")
    assert result.returncode == 2 and "did you mean 'coordination'" in result.stderr


def test_extends_and_set_resolve_in_order(tmp_path):
    write(
        tmp_path / "child.toml",
        f'[scenario]\nextends = "{ROOT / "scenarios" / "baseline.toml"}"\nname = "more_workers"\n'
        "[staffing]\nhouseholds_per_grid_worker = 150\n",
    )
    result = sanzhi("validate", str(tmp_path / "child.toml"), "--set", "staffing.admin_load=0.1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'name = "more_workers"' in out
    assert "households_per_grid_worker = 150.0" in out and str(tmp_path / "child.toml") in out
    assert "admin_load = 0.1" in out and "command line (--set)" in out
    assert "households = 10000" in out and "baseline.toml" in out  # inherited


def test_run_writes_manifest_and_timeseries(tmp_path):
    out = tmp_path / "res"
    result = sanzhi(
        "run", "--out", str(out), "--steps", "20", "--replications", "2",
        "--set", "population.households=500", "--seed", "11",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Escalations per 1,000 households a year" in result.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]["population"]["households"] == 500
    assert manifest["seed"] == 11 and len(manifest["replication_seeds"]) == 2
    assert manifest["environment"]["packages"]["mesa"].startswith("3.3")
    series = pd.read_parquet(out / "timeseries.parquet")
    assert len(series) == 40 and set(series["replication"]) == {0, 1}
    assert list(series["seed"].unique()) == manifest["replication_seeds"]
    summary = pd.read_parquet(out / "summary.parquet")
    assert len(summary) == 2 and "mean_trust_mean_last_90_days" in summary
    assert "mean_trust_final_day" in summary and "mean_trust" not in summary
    assert not list(out.glob(".*.tmp"))  # no temporary files left behind


def test_rerun_from_manifest_is_identical(tmp_path):
    args = ["--steps", "15", "--replications", "1", "--set", "population.households=400"]
    assert sanzhi("run", "--out", str(tmp_path / "a"), *args).returncode == 0
    assert sanzhi("run", "--out", str(tmp_path / "b"), *args, "--workers", "1").returncode == 0
    a = pd.read_parquet(tmp_path / "a" / "timeseries.parquet")
    b = pd.read_parquet(tmp_path / "b" / "timeseries.parquet")
    pd.testing.assert_frame_equal(a, b)


def test_every_command_prints_its_help():
    from experiments.cli.main import parser as build

    parser = build()
    assert "calibrate" in parser.format_help()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert name in sub.format_help()
