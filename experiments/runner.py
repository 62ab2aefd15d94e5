"""Running scenarios: one model run to a tidy frame, replications in parallel."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

import mesa
import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from experiments.columns import SUMMARY_WINDOW, final_column, window_column
from experiments.executors import open_executor
from experiments.scenario import Scenario
from sim import METRICS, GovernanceModel, Parameters

SEED_SCHEME = (
    "numpy.random.SeedSequence(seed).spawn(replications); each child's "
    "generate_state(1, uint64)[0] seeds GovernanceModel(rng=...)"
)


def replication_seeds(seed: int, replications: int) -> list[int]:
    """Independent seeds for replications, spawned from one root seed (``SEED_SCHEME``)."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(child.generate_state(1, np.uint64)[0]) for child in children]


def simulate(
    params: Parameters, seed: int, on_step: Callable[[], Any] | None = None
) -> pd.DataFrame:
    """Run one model for ``params.scenario.steps`` days; one row per day, one column per metric."""
    model = GovernanceModel(params, rng=seed)
    for _ in range(params.scenario.steps):
        model.step()
        if on_step is not None:
            on_step()
    frame = model.datacollector.get_model_vars_dataframe().astype("float64")
    frame.insert(0, "day", np.arange(1, len(frame) + 1))
    release(model)
    return frame.reset_index(drop=True)


def run(
    scenario: Scenario | Parameters,
    *,
    replications: int | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """All replications of a scenario as one tidy frame: replication, seed, day, metrics.

    Seeds are spawned from the scenario seed, so the result is the same for any number of
    workers or any executor.
    """
    params = scenario.params if isinstance(scenario, Scenario) else scenario
    n = replications or params.scenario.replications
    seeds = replication_seeds(params.scenario.seed, n)
    if executor is None and (workers <= 1 or n == 1):
        frames = _run_serial(params, seeds, progress)
    else:
        frames = _run_pooled(params, seeds, workers, executor, progress)
    return pd.concat(
        [
            _label(f, params, rep, seed)
            for rep, (seed, f) in enumerate(zip(seeds, frames, strict=True))
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


def _run_serial(params: Parameters, seeds: list[int], progress: bool) -> list[pd.DataFrame]:
    steps = params.scenario.steps
    with tqdm(
        total=steps * len(seeds), unit="day", disable=not progress, desc=params.scenario.name
    ) as bar:
        return [simulate(params, seed, on_step=lambda: bar.update(1)) for seed in seeds]


def _run_pooled(
    params: Parameters, seeds: list[int], workers: int, executor: Executor | None, progress: bool
) -> list[pd.DataFrame]:
    if executor is None:
        with open_executor("process", min(workers, len(seeds))) as (pool, _):
            return _gather(pool, params, seeds, progress)
    return _gather(executor, params, seeds, progress)


def _gather(
    executor: Executor, params: Parameters, seeds: list[int], progress: bool
) -> list[pd.DataFrame]:
    futures = [executor.submit(simulate, params, seed) for seed in seeds]
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


def release(model: GovernanceModel) -> None:
    """Let a finished model go: Mesa keeps every model in a class-level table
    (``mesa.Agent._ids``), so a loop that builds models would otherwise keep them all."""
    model.remove_all_agents()
    mesa.Agent._ids.pop(model, None)
