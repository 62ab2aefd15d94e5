"""The results folder of ``sanzhi run``: every replication of one scenario.

``LAYOUT`` lists its files; :func:`run_into` checks the folder, runs a scenario and writes
them into a new folder beside ``out`` that then replaces ``out`` whole
(:func:`experiments.folders.staged`): a reader, or a run killed at any moment, finds the old
results or the new ones, never a mix.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from experiments.columns import METRICS_CSV, write_metrics_csv, write_table
from experiments.folders import check_out, safe_name, staged
from experiments.runner import SEED_SCHEME, replication_seeds, run, summarise
from experiments.scenario import Scenario
from experiments.store import finished, manifest_base, now, write_json

MANIFEST = "manifest.json"
TIMESERIES = "timeseries.parquet"
SUMMARY = "summary.parquet"
LAYOUT = {
    MANIFEST: "everything needed to rerun: parameters, files, overrides, seeds, versions",
    TIMESERIES: "one row per replication and day: scenario, replication, seed, day, metrics",
    SUMMARY: "one row per replication: <metric>_final_day (the value on the last day) and "
    "<metric>_mean_last_90_days (the mean over the last 90 days)",
    METRICS_CSV: "every metric: labels, unit, definition, bounds, threshold, column names",
}


@dataclass
class RunRecord:
    """What ``run_into`` wrote: the folder, the tables and how long the runs took."""

    out: Path
    timeseries: pd.DataFrame
    summary: pd.DataFrame
    replications: int
    seconds: float


def default_out(scenario: Scenario) -> Path:
    """``results/<scenario name>``, the name made safe: it stays one folder in ``results/``."""
    return Path("results") / safe_name(scenario.name)


def run_into(
    scenario: Scenario,
    out: str | Path | None = None,
    *,
    replications: int | None = None,
    workers: int = 1,
    progress: bool = False,
    command: list[str] | None = None,
    overwrite: bool = False,
) -> RunRecord:
    """Run every replication of ``scenario`` and write ``LAYOUT`` into ``out`` (default
    :func:`default_out`), replacing the run folder there. ``out`` is checked first: a folder
    of other results is refused unless ``overwrite``."""
    out = Path(out) if out is not None else default_out(scenario)
    check_out(out, ("run",), overwrite=overwrite)
    reps = replications or scenario.params.scenario.replications
    started, clock = now(), time.perf_counter()
    timeseries = run(scenario, replications=reps, workers=workers, progress=progress)
    summary = summarise(timeseries)
    seconds = time.perf_counter() - clock
    with staged(out) as stage:
        _write(stage, scenario, command, started, timeseries, summary, reps, seconds)
    return RunRecord(out, timeseries, summary, reps, seconds)


def _write(
    out: Path,
    scenario: Scenario,
    command: list[str] | None,
    started: str,
    timeseries: pd.DataFrame,
    summary: pd.DataFrame,
    reps: int,
    seconds: float,
) -> None:
    write_table(timeseries, out / TIMESERIES)  # units and definitions in the column metadata
    write_table(summary, out / SUMMARY)
    write_metrics_csv(out)
    seed = scenario.params.scenario.seed
    manifest = manifest_base("run", scenario, command, started) | {
        "parameters": scenario.params.to_dict(),
        "replications": reps,
        "replication_seeds": replication_seeds(seed, reps),
        "seed_scheme": SEED_SCHEME,
        "seconds": round(seconds, 3),
        "layout": LAYOUT,
    }
    write_json(finished(manifest), out / MANIFEST)
