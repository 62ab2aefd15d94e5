"""The results folder of ``sanzhi run``: every replication of one scenario.

``LAYOUT`` lists its files; :func:`run_into` checks the folder, runs a scenario and writes
them into a new folder beside ``out`` that then replaces ``out`` whole
(:func:`experiments.folders.staged`): a reader, or a run killed at any moment, finds the old
results or the new ones, never a mix.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from experiments.columns import METRICS_CSV, window_column, write_metrics_csv, write_table
from experiments.errors import COMMAND_LINE, InputError
from experiments.folders import check_out, safe_name, staged
from experiments.runner import SEED_SCHEME, replication_seeds, run, state_path, summarise
from experiments.scenario import Scenario
from experiments.store import finished, manifest_base, now, write_json
from sim import state
from sim.params import did_you_mean
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
    save_state: int | None = None,
    from_state: str | Path | None = None,
    precision: Precision | None = None,
) -> RunRecord:
    """Run every replication of ``scenario`` and write ``LAYOUT`` into ``out`` (default
    :func:`default_out`), replacing the run folder there. ``out`` is checked first: a folder
    of other results is refused unless ``overwrite``. ``save_state=DAY`` also writes each
    replication's state on record day DAY into ``out/states/``; ``from_state`` forks every
    replication from a saved state (docs/timeline.md). ``precision`` adds replications
    until its targets are met."""
    out = Path(out) if out is not None else default_out(scenario)
    check_out(out, ("run",), overwrite=overwrite)
    reps = replications or scenario.params.scenario.replications
    fork = fork_of(scenario, from_state) if from_state is not None else None
    steps = scenario.params.scenario.steps
    if save_state is not None and not 0 <= save_state <= steps:
        raise InputError(COMMAND_LINE, "--save-state", f"day {save_state} is not from 0 to {steps}")
    started, clock = now(), time.perf_counter()
    # The states are written while the runs go, so the runs go inside the new folder.
    with staged(out) as stage:
        options = {
            "workers": workers,
            "progress": progress,
            "save_state": None if save_state is None else (save_state, stage / STATES),
            "from_state": None if from_state is None else Path(from_state),
        }
        timeseries = run(scenario, replications=reps, **options)
        reached = None
        if precision is not None:
            timeseries, reps, reached = precision.run(scenario, timeseries, reps, options)
        summary = summarise(timeseries)
        seconds = time.perf_counter() - clock
        extra: dict = {}
        if save_state is not None:
            files = [state_path(stage / STATES, r).relative_to(stage) for r in range(reps)]
            extra["saved_states"] = {
                "day": save_state,
                "files": [f.as_posix() for f in files],
                "model_version": model_version(),
            }
        if fork is not None:
            extra["from_state"] = fork
        if reached is not None:
            extra["precision"] = reached
        _write(stage, scenario, command, started, timeseries, summary, reps, seconds, extra)
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
    extra: dict,
) -> None:
    write_table(timeseries, out / TIMESERIES)  # units and definitions in the column metadata
    write_table(summary, out / SUMMARY)
    write_metrics_csv(out)
    seed = scenario.params.scenario.seed
    manifest = (
        manifest_base("run", scenario, command, started)
        | {
            "parameters": scenario.params.to_dict(),
            "replications": reps,
            "replication_seeds": replication_seeds(seed, reps),
            "seed_scheme": SEED_SCHEME,
            "seconds": round(seconds, 3),
            "layout": LAYOUT,
        }
        | extra
    )
    write_json(finished(manifest), out / MANIFEST)


def fork_of(scenario: Scenario, path: str | Path) -> dict:
    """What a run forked from the state in ``path`` records; bad input (exit 2) if the
    scenario cannot fork it."""
    try:
        head = state.check(path, scenario.params)
    except state.StateError as err:
        raise InputError(path, None, str(err).removeprefix(f"{path}: ")) from None
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return {"file": str(path), "sha256": digest, "day": head["record_day"]}


@dataclass(frozen=True)
class Precision:
    """Replications until the 95 % interval of each metric's mean (over runs, of its mean
    over the last 90 days, ``claims.mean_interval``) has a half-width at most its target:
    ``{metric: (target, relative)}``, a relative target a share of the mean's size. Runs are
    added in doubling batches, at most ``max_replications`` in all; the seeds of the first
    runs stay theirs (``SeedSequence.spawn`` keeps a prefix)."""

    targets: dict[str, tuple[float, bool]]
    max_replications: int

    @classmethod
    def parse(cls, items: list[str], max_replications: int) -> Precision:
        """``["mean_trust=0.005", "satisfaction=1%"]``: absolute, or relative with ``%``."""
        from sim import REGISTRY

        targets = {}
        for item in items:
            name, sep, text = item.partition("=")
            if name not in REGISTRY:
                hint = did_you_mean(name, REGISTRY)
                raise InputError(COMMAND_LINE, "--ci-target", f"unknown metric {name!r}{hint}")
            relative = text.strip().endswith("%")
            try:
                value = float(text.strip().rstrip("%")) / (100 if relative else 1)
            except ValueError:
                value = -1.0
            if not sep or not value > 0:
                raise InputError(
                    COMMAND_LINE, "--ci-target", f"{item!r} (expected METRIC=VALUE or VALUE%)"
                )
            targets[name] = (value, relative)
        return cls(targets, max_replications)

    def widths(self, summary: pd.DataFrame) -> dict[str, dict[str, float | bool]]:
        from experiments.claims import mean_interval
        from sim import REGISTRY

        out = {}
        for name, (target, relative) in self.targets.items():
            interval = mean_interval(summary[window_column(name)], REGISTRY[name].bounds)
            half = (interval.high - interval.low) / 2
            goal = target * abs(interval.estimate) if relative else target
            out[name] = {"half_width": half, "target": goal, "met": bool(half <= goal)}
        return out

    def run(
        self, scenario: Scenario, timeseries: pd.DataFrame, reps: int, options: dict
    ) -> tuple[pd.DataFrame, int, dict]:
        widths = self.widths(summarise(timeseries))
        while not all(w["met"] for w in widths.values()) and reps < self.max_replications:
            more = min(self.max_replications, 2 * reps)
            added = run(scenario, replications=more, start=reps, **options)
            timeseries, reps = pd.concat([timeseries, added], ignore_index=True), more
            widths = self.widths(summarise(timeseries))
        reached = {
            "column": "mean over the last 90 days, 95 % interval half-width",
            "max_replications": self.max_replications,
            "replications": reps,
            "met": all(w["met"] for w in widths.values()),
            "metrics": widths,
        }
        return timeseries, reps, reached
