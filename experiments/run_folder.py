"""The results folder of ``sanzhi run``: every replication of one scenario.

``LAYOUT`` lists its files; :func:`run_into` runs a scenario and writes them, each atomically.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from experiments.columns import METRICS_CSV, write_metrics_csv, write_table
from experiments.errors import COMMAND_LINE, InputError
from experiments.runner import SEED_SCHEME, replication_seeds, run, state_path, summarise
from experiments.scenario import Scenario
from experiments.store import finished, manifest_base, now, write_json
from sim import state
from sim.state import model_version

MANIFEST = "manifest.json"
STATES = "states"
TIMESERIES = "timeseries.parquet"
SUMMARY = "summary.parquet"
LAYOUT = {
    MANIFEST: "everything needed to rerun: parameters, files, overrides, seeds, versions",
    TIMESERIES: "one row per replication and day: scenario, replication, seed, day, metrics",
    SUMMARY: "one row per replication: <metric>_final_day (the value on the last day) and "
    "<metric>_mean_last_90_days (the mean over the last 90 days)",
    STATES: "with --save-state DAY: each replication's full model state on record day DAY "
    "(replication_000.state, ...), to fork with --from-state",
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
    """``results/<scenario name>``."""
    return Path("results") / scenario.name


def run_into(
    scenario: Scenario,
    out: str | Path | None = None,
    *,
    replications: int | None = None,
    workers: int = 1,
    progress: bool = False,
    command: list[str] | None = None,
    save_state: int | None = None,
    from_state: str | Path | None = None,
) -> RunRecord:
    """Run every replication of ``scenario`` and write ``LAYOUT`` into ``out`` (default
    :func:`default_out`). ``save_state=DAY`` also writes each replication's state on record
    day DAY into ``out/states/``; ``from_state`` forks every replication from a saved state
    (docs/timeline.md)."""
    out = Path(out) if out is not None else default_out(scenario)
    reps = replications or scenario.params.scenario.replications
    fork = fork_of(scenario, from_state) if from_state is not None else None
    steps = scenario.params.scenario.steps
    if save_state is not None and not 0 <= save_state <= steps:
        raise InputError(COMMAND_LINE, "--save-state", f"day {save_state} is not from 0 to {steps}")
    started, clock = now(), time.perf_counter()
    timeseries = run(
        scenario,
        replications=reps,
        workers=workers,
        progress=progress,
        save_state=None if save_state is None else (save_state, out / STATES),
        from_state=None if from_state is None else Path(from_state),
    )
    summary = summarise(timeseries)
    seconds = time.perf_counter() - clock
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
    if save_state is not None:
        manifest["saved_states"] = {
            "day": save_state,
            "files": [state_path(out / STATES, r).relative_to(out).as_posix() for r in range(reps)],
            "model_version": model_version(),
        }
    if fork is not None:
        manifest["from_state"] = fork
    write_json(finished(manifest), out / MANIFEST)
    return RunRecord(out, timeseries, summary, reps, seconds)


def fork_of(scenario: Scenario, path: str | Path) -> dict:
    """What a run forked from the state in ``path`` records; bad input (exit 2) if the
    scenario cannot fork it."""
    try:
        head = state.check(path, scenario.params)
    except state.StateError as err:
        raise InputError(path, None, str(err).removeprefix(f"{path}: ")) from None
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return {"file": str(path), "sha256": digest, "day": head["record_day"]}
