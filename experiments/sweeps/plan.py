"""A sweep's runs (point x replication, with common random numbers) and their bundles."""

from __future__ import annotations

import math
from typing import Any

from sim import Parameters

TARGET_BUNDLE_SECONDS = 5.0  # long enough that scheduling costs vanish, short enough to resume
MIN_BUNDLES_PER_WORKER = 4  # so the last bundles do not leave workers idle for long


def plan_runs(points: list[dict[str, Any]], seeds: list[int]) -> list[dict[str, Any]]:
    """One entry per run, point-major: run_id, point, replication, seed.

    Every point uses the same replication seeds (common random numbers), so differences
    between points are not blurred by different random draws.
    """
    return [
        {"run_id": p * len(seeds) + r, "point": p, "replication": r, "seed": seed}
        for p in range(len(points))
        for r, seed in enumerate(seeds)
    ]


def estimate_run_seconds(params: Parameters) -> float:
    """Rough cost of one run on one core (measured: 10k households x 365 days ~ 0.7 s)."""
    steps, households = params.scenario.steps, params.population.households
    return 0.02 + steps * (8e-4 + households * 1.8e-7)


def make_bundles(n_runs: int, run_seconds: float, workers: int) -> list[list[int]]:
    """Consecutive run ids grouped so each bundle takes seconds, with enough bundles to keep
    every worker busy to the end."""
    by_time = max(1, math.floor(TARGET_BUNDLE_SECONDS / max(run_seconds, 1e-6)))
    by_balance = max(1, math.ceil(n_runs / (MIN_BUNDLES_PER_WORKER * max(1, workers))))
    size = min(by_time, by_balance)
    return [list(range(i, min(i + size, n_runs))) for i in range(0, n_runs, size)]


def bundle_name(index: int) -> str:
    return f"b{index:06d}"
