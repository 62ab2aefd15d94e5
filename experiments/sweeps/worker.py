"""What a worker does with one bundle: run each model, catch each run's failure.

The worker's contract is plain, picklable data: a :class:`Task` in, a :class:`BundleResult`
out.
"""

from __future__ import annotations

import time
import traceback
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from experiments.runner import simulate, with_ids
from sim import Parameters


class Run(TypedDict):
    """One run of a sweep (``plan.plan_runs``)."""

    run_id: int
    point: int
    replication: int
    seed: int


class TaskRun(Run):
    columns: dict[str, Any]  # the point's values, as result columns
    assign: dict[str, Any]  # the point's parameter changes, by dotted key


class Task(TypedDict):
    bundle: str
    scenario: str
    base: dict[str, Any]  # the base parameters, as a nested dict
    runs: list[TaskRun]


class Failure(TypedDict):
    run_id: int
    point: int
    replication: int
    seed: int
    parameters: dict[str, Any]
    message: str
    traceback: str


class BundleResult(TypedDict):
    bundle: str
    timeseries: pd.DataFrame | None  # the successful runs, day by day
    failures: list[Failure]
    seconds: dict[int, float]  # run id -> seconds it took


def run_bundle(task: Task) -> BundleResult:
    """Run the bundle's runs in order: the timeseries of those that succeed, a failure record
    for each that raised."""
    base = Parameters.from_dict(task["base"])
    frames: list[pd.DataFrame] = []
    failures: list[Failure] = []
    seconds: dict[int, float] = {}
    resolved: dict[int, Parameters] = {}  # building Parameters is slow; runs of a point share it
    for run in task["runs"]:
        clock = time.perf_counter()
        try:
            if run["point"] not in resolved:
                resolved[run["point"]] = base.with_values(run["assign"])
            params = resolved[run["point"]]
            frame = simulate(params, run["seed"])
        except Exception as err:  # a run's error must not stop the bundle or the sweep
            failures.append(
                {
                    "run_id": run["run_id"],
                    "point": run["point"],
                    "replication": run["replication"],
                    "seed": run["seed"],
                    "parameters": run["assign"],
                    "message": f"{type(err).__name__}: {err}",
                    "traceback": traceback.format_exc(),
                }
            )
            continue
        finally:
            seconds[run["run_id"]] = round(time.perf_counter() - clock, 4)
        frames.append(_label(frame, task["scenario"], run))
    series = pd.concat(frames, ignore_index=True) if frames else None
    return {
        "bundle": task["bundle"],
        "timeseries": series,
        "failures": failures,
        "seconds": seconds,
    }


def _label(frame: pd.DataFrame, scenario: str, run: TaskRun) -> pd.DataFrame:
    ids = {
        "run_id": np.int64(run["run_id"]),
        "scenario": scenario,
        "point": np.int64(run["point"]),
        "replication": np.int64(run["replication"]),
        "seed": np.uint64(run["seed"]),
        **run["columns"],
    }
    return with_ids(frame, ids)
