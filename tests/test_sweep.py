"""Sweeps: identical results whatever the executor, crash-resume, recorded failures."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments import load_scenario, replication_seeds, sweep
from experiments.executors import SerialExecutor, open_executor
from experiments.sweeps.job import prepare_sweep, run_sweep
from tests.test_cli import ROOT, sanzhi, write

BASELINE = ROOT / "scenarios" / "baseline.toml"


def sweep_file(tmp_path: Path, *, households=300, steps=20, reps=2, values="[150, 400, 900]",
               extra="", name="tiny.toml") -> Path:  # fmt: skip
    return write(
        tmp_path / name,
        f'[scenario]\nextends = "{BASELINE}"\nname = "tiny"\nsteps = {steps}\n'
        f"replications = {reps}\nseed = 7\n[population]\nhouseholds = {households}\n{extra}"
        f'[sweep]\ndesign = "grid"\n[sweep.parameters]\n'
        f'"staffing.households_per_grid_worker" = {values}\n',
    )


def read_runs(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "runs").sort_values(["run_id", "day"], ignore_index=True)


def test_identical_results_whatever_the_executor(tmp_path):
    path = sweep_file(tmp_path)
    results = {}
    for kind, workers in [("serial", 1), ("process", 1), ("process", 2), ("dask", 2)]:
        out = tmp_path / f"{kind}{workers}"
        job = prepare_sweep(load_scenario(path), out)
        with open_executor(kind, workers) as (executor, n):
            outcome = job.run(executor, n)
        assert not outcome.failures and not outcome.errors
        results[(kind, workers)] = (pd.read_parquet(out / "summary.parquet"), read_runs(out))
    summary, runs = results[("serial", 1)]
    assert len(summary) == 3 * 2 and (summary["status"] == "ok").all()
    assert list(summary["run_id"]) == list(range(6))
    for key, (other, other_runs) in results.items():
        pd.testing.assert_frame_equal(summary, other, check_exact=True, obj=str(key))
        pd.testing.assert_frame_equal(runs, other_runs, check_exact=True, obj=str(key))
    # common random numbers: every point uses the scenario's replication seeds
    seeds = replication_seeds(7, 2)
    for _, rows in summary.groupby("point"):
        assert list(rows["seed"]) == seeds
    assert set(summary["staffing.households_per_grid_worker"]) == {150.0, 400.0, 900.0}
    assert {"mean_trust_final_day", "mean_trust_mean_last_90_days"} <= set(summary.columns)
    assert (tmp_path / "serial1" / "metrics.csv").is_file()
    manifest = json.loads((tmp_path / "serial1" / "manifest.json").read_text())
    assert manifest["replication_seeds"] == seeds and len(manifest["points"]) == 3
    assert "common random numbers" in manifest["random_numbers"]
    assert manifest["counts"] == {"runs": 6, "done": 6, "failed": 0, "not_run": 0}


def test_python_api_returns_the_summary(tmp_path):
    frame = sweep(sweep_file(tmp_path, values="[200, 600]", reps=1), executor=SerialExecutor())
    assert len(frame) == 2 and frame.attrs["failures"] == []
    assert list(frame["staffing.households_per_grid_worker"]) == [200.0, 600.0]


def test_crash_resume_gives_the_uninterrupted_summary(tmp_path):
    path = sweep_file(
        tmp_path, households=300, steps=30, reps=2, values="{ start = 100, stop = 1000, num = 16 }"
    )
    reference = tmp_path / "reference"
    run_sweep(path, reference, executor=SerialExecutor(), workers=1)

    out = tmp_path / "killed"
    args = ["sweep", str(path), "--out", str(out), "--workers", "2"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "experiments.cli", *args],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: kill the pool's workers too
    )
    deadline = time.monotonic() + 120
    try:
        while not list((out / "bundles").glob("*.json")):
            assert proc.poll() is None, "the sweep ended before it could be killed"
            assert time.monotonic() < deadline, "no bundle finished in time"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    manifest = json.loads((out / "manifest.json").read_text())
    done = len(list((out / "bundles").glob("*.json")))
    assert 0 < done < len(manifest["bundles"]), "kill landed after the sweep finished"
    assert not (out / "summary.parquet").exists()

    result = sanzhi(*args, "--resume")
    assert result.returncode == 0, result.stderr
    assert "resuming" in result.stdout
    pd.testing.assert_frame_equal(
        pd.read_parquet(reference / "summary.parquet"),
        pd.read_parquet(out / "summary.parquet"),
        check_exact=True,
    )
    pd.testing.assert_frame_equal(read_runs(reference), read_runs(out), check_exact=True)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and len(manifest["sessions"]) == 2
    assert not list(out.rglob(".*.tmp"))


def test_failing_runs_are_recorded_and_the_rest_finish(tmp_path):
    # 30 households cannot hold 40 ties each: valid to the file's schema, rejected by the
    # model's own cross-check when it is built.
    path = sweep_file(
        tmp_path,
        households=300,
        steps=15,
        extra='network = { kind = "small_world", mean_degree = 40, rewire = 0.1 }\n',
        values="[300]\n" + '"population.households" = [30, 300]',
    )
    out = tmp_path / "out"
    result = sanzhi("sweep", str(path), "--out", str(out), "--workers", "2")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "2 run(s) failed" in result.stderr and "mean_degree" in result.stderr
    failures = json.loads((out / "failures.json").read_text())
    assert [f["run_id"] for f in failures] == [0, 1]
    for f in failures:
        assert f["parameters"]["population.households"] == 30
        assert f["seed"] in replication_seeds(7, 2)
        assert "ParameterError" in f["message"] and "mean_degree" in f["message"]
        assert "Traceback" in f["traceback"]
    summary = pd.read_parquet(out / "summary.parquet")
    assert list(summary["status"]) == ["failed", "failed", "ok", "ok"]
    assert summary.loc[summary["status"] == "ok", "mean_trust_final_day"].notna().all()
    assert summary.loc[summary["status"] == "failed", "mean_trust_final_day"].isna().all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"] == {"runs": 4, "done": 2, "failed": 2, "not_run": 0}

    again = sanzhi("sweep", str(path), "--out", str(out))
    assert again.returncode == 2 and "already holds a sweep" in again.stderr
    other = sanzhi(
        "sweep", str(path), "--out", str(out), "--resume", "--set", "staffing.admin_load=0.5"
    )
    assert other.returncode == 2 and "Traceback" not in other.stderr
    assert "describes a different sweep" in other.stderr and "staffing.admin_load" in other.stderr


@pytest.mark.parametrize("flag", [["--executor", "serial", "--scheduler", "tcp://x:1"]])
def test_scheduler_needs_dask(tmp_path, flag):
    result = sanzhi("sweep", str(sweep_file(tmp_path)), "--out", str(tmp_path / "o"), *flag)
    assert result.returncode == 2 and "--scheduler" in result.stderr
