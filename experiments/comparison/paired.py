"""Paired comparisons on common random numbers (docs/timeline.md, "Paired comparisons"):
scenarios run as forks of one warmed state per replication, on the same seeds, so the
difference of replication r of a scenario and replication r of the reference is the
policy's effect plus little noise.

``fork_runs`` makes the runs; ``paired_differences`` the paired mean differences with their
t intervals, beside the interval the same runs would give as independent samples (the
variance reduction); ``time_to_effect`` the days until a change reaches half and 90 % of its
eventual size, with bootstrap intervals over replications.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from experiments.columns import SUMMARY_WINDOW, window_column
from experiments.errors import InputError
from experiments.runner import run
from experiments.scenario import Scenario
from sim import METRICS, state

LEVEL = 0.95
FRACTIONS = (0.5, 0.9)
SMOOTHING_DAYS = 14  # trailing mean of the paired difference before reading its crossings
BOOTSTRAP = 200


def fork_runs(
    scenarios: Sequence[Scenario],
    states: Path,
    *,
    replications: int,
    workers: int = 1,
    progress: bool = False,
) -> list[pd.DataFrame]:
    """Each scenario's time series as forks of the reference's (the first's) warmed state.

    The reference runs its warm-up (``scenario.warmup_days``) once per replication and
    saves the state of record day 0 into ``states``; every scenario then forks replication
    r from state r on the reference's replication seeds. A scenario whose structure differs
    from the reference's is bad input (exit 2)."""
    reference = scenarios[0]
    seed = reference.params.scenario.seed
    warm = reference.with_overrides({"scenario.steps": 1})
    run(warm, replications=replications, workers=workers, save_state=(0, states))
    out = []
    for scenario in scenarios:
        forked = scenario.with_overrides({"scenario.seed": seed})
        try:
            state.check(states / "replication_000.state", forked.params)
        except state.StateError as err:
            raise InputError(scenario.path or scenario.name, None, str(err)) from None
        series = run(
            forked, replications=replications, workers=workers, progress=progress, from_state=states
        )
        out.append(series)
    return out


def paired_differences(
    reference: pd.DataFrame,
    others: dict[str, pd.DataFrame],
    metrics: Sequence[str],
    column=window_column,
) -> pd.DataFrame:
    """One row per scenario and metric: the mean of the per-replication differences
    (scenario - reference, replications matched by number) with its t interval, and the
    half-width the same runs give as two independent samples (Welch); ``variance_reduction``
    is one minus the ratio of the two variances of the mean difference."""
    rows = []
    a_all = reference.set_index("replication")
    for name, frame in others.items():
        b_all = frame.set_index("replication")
        common = a_all.index.intersection(b_all.index)
        for metric in metrics:
            col = column(metric)
            a = a_all.loc[common, col].to_numpy(float)
            b = b_all.loc[common, col].to_numpy(float)
            d, n = b - a, len(common)
            paired_var = d.var(ddof=1) / n if n > 1 else np.nan
            independent_var = (a.var(ddof=1) + b.var(ddof=1)) / n if n > 1 else np.nan
            half = stats.t.ppf((1 + LEVEL) / 2, n - 1) * np.sqrt(paired_var) if n > 1 else np.nan
            welch_df = _welch_df(a, b)
            half_ind = stats.t.ppf((1 + LEVEL) / 2, welch_df) * np.sqrt(independent_var)
            rows.append(
                {
                    "scenario": name,
                    "metric": metric,
                    "column": col,
                    "replications": n,
                    "mean_difference": float(d.mean()),
                    "ci_low": float(d.mean() - half),
                    "ci_high": float(d.mean() + half),
                    "half_width": float(half),
                    "independent_half_width": float(half_ind),
                    "variance_reduction": float(1 - paired_var / independent_var)
                    if independent_var > 0
                    else np.nan,
                }
            )
    return pd.DataFrame(rows)


def crossing_days(difference: np.ndarray, fractions: Sequence[float] = FRACTIONS) -> list[float]:
    """Days (from index 0) until the smoothed ``difference`` first reaches each fraction of
    its eventual size (its mean over the last ``SUMMARY_WINDOW`` days); NaN if it never
    does or there is no eventual change."""
    smooth = pd.Series(difference).rolling(SMOOTHING_DAYS, min_periods=1).mean().to_numpy()
    eventual = float(np.mean(difference[-SUMMARY_WINDOW:]))
    if eventual == 0 or not np.isfinite(eventual):
        return [np.nan for _ in fractions]
    share = smooth / eventual
    out = []
    for f in fractions:
        hit = np.flatnonzero(share >= f)
        out.append(float(hit[0]) if hit.size else np.nan)
    return out


def time_to_effect(
    reference: pd.DataFrame,
    other: pd.DataFrame,
    metric: str,
    start: int = 0,
    seed: int = 0,
) -> dict[str, float]:
    """Days from ``start`` (the record day the intervention begins) until the paired mean
    difference of ``metric`` reaches half and 90 % of its eventual size, with percentile
    bootstrap intervals over replications; NaN when the eventual change is below the
    metric's practical threshold (no effect to time)."""
    a = reference.pivot(index="day", columns="replication", values=metric)
    b = other.pivot(index="day", columns="replication", values=metric)
    common = a.columns.intersection(b.columns)
    d = (b[common] - a[common]).to_numpy(float)
    d = d[max(0, start - int(a.index[0]) + 1) :]
    eventual = float(d[-SUMMARY_WINDOW:].mean())
    threshold = METRICS[metric].threshold
    if threshold is None:
        threshold = METRICS[metric].relative_threshold * abs(float(a.to_numpy().mean()))
    out = {"metric": metric, "eventual_difference": eventual, "start_day": start}
    if abs(eventual) < threshold:
        for f in FRACTIONS:
            out |= {f"days_to_{round(100 * f)}": np.nan}
            out |= {
                f"days_to_{round(100 * f)}_low": np.nan,
                f"days_to_{round(100 * f)}_high": np.nan,
            }
        return out
    point = crossing_days(d.mean(axis=1))
    rng = np.random.default_rng(seed)
    draws = np.array(
        [
            crossing_days(d[:, rng.integers(0, d.shape[1], d.shape[1])].mean(axis=1))
            for _ in range(BOOTSTRAP)
        ]
    )
    for i, f in enumerate(FRACTIONS):
        name = f"days_to_{round(100 * f)}"
        low, high = (
            np.nanpercentile(draws[:, i], [2.5, 97.5])
            if np.isfinite(draws[:, i]).any()
            else (np.nan, np.nan)
        )
        out |= {name: point[i], f"{name}_low": float(low), f"{name}_high": float(high)}
    return out


def intervention_day(reference: Scenario, scenario: Scenario) -> int:
    """The first record day on which ``scenario``'s timeline differs from the reference's
    (0 if it differs from the start or has no timeline of its own)."""
    ours, theirs = scenario.params.flat(), reference.params.flat()
    levers = [k for k in ours if k != "timeline" and not k.startswith("scenario.")]
    if any(ours[k] != theirs[k] for k in levers):
        return 0
    mine = set(scenario.params.timeline) - set(reference.params.timeline)
    return min((entry.first_day for entry in mine), default=0)


def _welch_df(a: np.ndarray, b: np.ndarray) -> float:
    n = len(a)
    va, vb = a.var(ddof=1) / n, b.var(ddof=1) / n
    if va + vb == 0:
        return float(n - 1)
    return float((va + vb) ** 2 / (va**2 / (n - 1) + vb**2 / (n - 1)))
