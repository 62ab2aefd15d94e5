"""What a worker does with one bundle: run each model, catch each run's failure."""

from __future__ import annotations

import time
import traceback
from typing import Any

import numpy as np
import pandas as pd

from sim import Parameters

from .runner import simulate


def run_bundle(task: dict[str, Any]) -> dict[str, Any]:
    """Run the bundle's runs in order.

    ``task`` holds the scenario name, base parameters (a dict), and per run its id, point,
    replication, seed, result columns and parameter assignments. Returns the bundle's
    timeseries (successful runs) and a failure record per run that raised.
    """
    base = Parameters.from_dict(task["base"])
    frames, failures, seconds = [], [], {}
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


def _label(frame: pd.DataFrame, scenario: str, run: dict[str, Any]) -> pd.DataFrame:
    ids = {
        "run_id": np.int64(run["run_id"]),
        "scenario": scenario,
        "point": np.int64(run["point"]),
        "replication": np.int64(run["replication"]),
        "seed": np.uint64(run["seed"]),
        **run["columns"],
    }
    head = pd.DataFrame({k: [v] * len(frame) for k, v in ids.items()})
    return pd.concat([head, frame], axis=1)
