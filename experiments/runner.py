"""Running scenarios: one model run to a tidy frame, replications in parallel."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from experiments.columns import SUMMARY_WINDOW, final_column, window_column
from experiments.executors import open_executor
from experiments.scenario import Scenario
from sim import METRICS, GovernanceModel, Parameters, state

SEED_SCHEME = (
    "numpy.random.SeedSequence(seed).spawn(replications); each child's "
    "generate_state(1, uint64)[0] seeds GovernanceModel(rng=...)"
)


def replication_seeds(seed: int, replications: int) -> list[int]:
    """Independent seeds for replications, spawned from one root seed (``SEED_SCHEME``)."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(child.generate_state(1, np.uint64)[0]) for child in children]


def simulate(
    params: Parameters,
    seed: int,
    on_step: Callable[[], Any] | None = None,
    *,
    save_state: tuple[int, Path] | None = None,
    from_state: Path | None = None,
    start: int = 0,
) -> pd.DataFrame:
    """Run one model for ``params.scenario.steps`` recorded days, after its
    ``warmup_days`` (not recorded); one row per recorded day, one column per metric.

    ``save_state=(day, path)`` writes the model's state (``sim.state``) at the start of
    record day ``day`` (``steps``: at the end). ``from_state`` forks a saved state: the
    run continues from its day with ``params``' levers and ``seed``'s random numbers, and
    the frame holds the days after the fork only.
    """
    if from_state is not None:
        model = state.load(from_state, params, seed=seed)
    else:
        model = GovernanceModel(params, rng=seed)
    first = max(model.record_day, 0)
    end = model.warmup + params.scenario.steps
    while True:
        if save_state is not None and model.record_day == save_state[0]:
            state.save(model, save_state[1])
        if model.day >= end:
            break
        model.step()
        if on_step is not None:
            on_step()
    frame = model.datacollector.get_model_vars_dataframe().astype("float64").iloc[first:]
    frame.insert(0, "day", np.arange(first + 1, first + len(frame) + 1))
    model.close()
    return frame.reset_index(drop=True)


def state_path(folder: Path, replication: int) -> Path:
    """Where ``run(..., save_state=(day, folder))`` writes a replication's state."""
    return Path(folder) / f"replication_{replication:03d}.state"


def run(
    scenario: Scenario | Parameters,
    *,
    replications: int | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    progress: bool = False,
    save_state: tuple[int, Path] | None = None,
    from_state: Path | None = None,
    start: int = 0,
) -> pd.DataFrame:
    """All replications of a scenario as one tidy frame: replication, seed, day, metrics.

    Seeds are spawned from the scenario seed, so the result is the same for any number of
    workers or any executor. ``save_state=(day, folder)`` saves each replication's state
    on record day ``day`` into ``folder`` (:func:`state_path`); ``from_state`` forks every
    replication from one saved state (a folder of them: replication r from
    :func:`state_path`), each on its own seed's stream (scenarios forked with the same
    seed share their random numbers). ``start`` runs only replications ``start`` to
    ``replications - 1`` (more replications for a finished run: the seeds are a prefix).
    """
    params = scenario.params if isinstance(scenario, Scenario) else scenario
    n = replications or params.scenario.replications
    seeds = replication_seeds(params.scenario.seed, n)[start:]  # spawn keeps a prefix
    options = [
        {
            "from_state": state_path(from_state, rep)
            if from_state is not None and Path(from_state).is_dir()
            else from_state,
            "save_state": None
            if save_state is None
            else (save_state[0], state_path(save_state[1], rep)),
        }
        for rep in range(start, n)
    ]
    if executor is None and (workers <= 1 or n == 1):
        frames = _run_serial(params, seeds, progress, options)
    else:
        frames = _run_pooled(params, seeds, workers, executor, progress, options)
    return pd.concat(
        [
            _label(f, params, rep, seed)
            for rep, (seed, f) in enumerate(zip(seeds, frames, strict=True), start)
        ],
        ignore_index=True,
    )


def summarise(
    timeseries: pd.DataFrame,
    window: int = SUMMARY_WINDOW,
    keys: list[str] | None = None,
) -> pd.DataFrame:
    """One row per run: each metric's value on the final day (``<metric>_final_day``) and
    its mean over the last ``window`` days (``<metric>_mean_last_90_days``); the names
    come from :mod:`experiments.columns`.

    Runs are identified by ``keys`` (default scenario, replication and seed).
    """
    keys = keys or ["scenario", "replication", "seed"]
    names = [m.name for m in METRICS]
    last = timeseries.groupby(keys, sort=True).tail(window)
    means = last.groupby(keys, sort=True)[names].mean()
    finals = timeseries.groupby(keys, sort=True)[names].last()
    finals.columns = [final_column(n) for n in names]
    means.columns = [window_column(n, window) for n in names]
    return finals.join(means).reset_index()


def _run_serial(
    params: Parameters, seeds: list[int], progress: bool, options: list[dict[str, Any]]
) -> list[pd.DataFrame]:
    steps = params.scenario.days
    with tqdm(
        total=steps * len(seeds), unit="day", disable=not progress, desc=params.scenario.name
    ) as bar:
        return [
            simulate(params, seed, on_step=lambda: bar.update(1), **option)
            for seed, option in zip(seeds, options, strict=True)
        ]


def _run_pooled(
    params: Parameters,
    seeds: list[int],
    workers: int,
    executor: Executor | None,
    progress: bool,
    options: list[dict[str, Any]],
) -> list[pd.DataFrame]:
    if executor is None:
        with open_executor("process", min(workers, len(seeds))) as (pool, _):
            return _gather(pool, params, seeds, progress, options)
    return _gather(executor, params, seeds, progress, options)


def _gather(
    executor: Executor,
    params: Parameters,
    seeds: list[int],
    progress: bool,
    options: list[dict[str, Any]],
) -> list[pd.DataFrame]:
    futures = [
        executor.submit(simulate, params, seed, **option)
        for seed, option in zip(seeds, options, strict=True)
    ]
    with tqdm(total=len(seeds), unit="run", disable=not progress, desc=params.scenario.name) as bar:
        for future in futures:
            future.add_done_callback(lambda _: bar.update(1))
        return [future.result() for future in futures]


def _label(frame: pd.DataFrame, params: Parameters, replication: int, seed: int) -> pd.DataFrame:
    ids = {"scenario": params.scenario.name, "replication": replication, "seed": np.uint64(seed)}
    return with_ids(frame, ids)


def with_ids(frame: pd.DataFrame, ids: dict[str, Any]) -> pd.DataFrame:
    """``frame`` with a column for each of ``ids`` (one value each) in front."""
    frame = frame.copy()
    for i, (name, value) in enumerate(ids.items()):
        frame.insert(i, name, value)
    return frame
