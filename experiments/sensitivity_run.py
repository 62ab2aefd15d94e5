"""Sensitivity analysis of the model: a Morris or Sobol' design run as a sweep, its outputs
read back in SALib's row order, and indices for each metric (:mod:`experiments.sensitivity`).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim import Parameters

from .analysis_runs import column, ok_runs
from .errors import ScenarioError
from .scenario import Scenario
from .sensitivity import analyse, problem_of, replication_noise, sample, second_order
from .sensitivity import sobol_warnings as _sobol_warnings
from .sweep_design import SAMPLED, Design

PARAM_SOURCE = "command line (--param)"
DEFAULT_SAMPLES = {"morris": 10, "sobol": 64}  # trajectories / Saltelli base samples


def parse_ranges(items: Sequence[str]) -> dict[str, dict[str, float]]:
    """``["staffing.admin_load=0.1:0.6"]`` -> ``{"staffing.admin_load": {low, high}}``."""
    specs = {key: kind for key, _, kind, _ in Parameters.specs()}
    ranges: dict[str, dict[str, float]] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        low_text, colon, high_text = text.partition(":")
        if not sep or not colon or not key:
            raise ScenarioError(PARAM_SOURCE, item, "expected section.key=low:high")
        if key not in specs:
            close = difflib.get_close_matches(key, list(specs), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ScenarioError(PARAM_SOURCE, key, "unknown parameter" + hint)
        try:
            low, high = float(low_text), float(high_text)
        except ValueError:
            raise ScenarioError(PARAM_SOURCE, key, f"{text!r}: expected numbers low:high") from None
        if not high > low:
            raise ScenarioError(
                PARAM_SOURCE,
                key,
                f"bounds reversed or empty: high ({high:g}) must be greater than low ({low:g})",
            )
        ranges[key] = {"low": low, "high": high}
    return ranges


def sensitivity_scenario(
    scenario: Scenario,
    method: str,
    *,
    samples: int | None = None,
    ranges: Mapping[str, Mapping[str, float]] | None = None,
) -> Scenario:
    """The scenario with its ``[sweep]`` made a Morris or Sobol' design.

    Factors are the file's ``[sweep.parameters]`` ``{low, high}`` ranges, or ``ranges``
    (from ``--param``), which replace them. ``samples`` (else the file's, else a default)
    is the number of Morris trajectories or the Sobol' base sample N.
    """
    if method not in ("morris", "sobol"):
        raise ScenarioError("command line", "--method", f"got {method!r} (morris or sobol)")
    source = scenario.origin.get("sweep", str(scenario.path))
    table = dict(scenario.sweep or {})
    if ranges:
        parameters: dict[str, Any] = {k: dict(v) for k, v in ranges.items()}
        source = PARAM_SOURCE
    else:
        parameters = dict(table.get("parameters", {}))
        if table.get("levels"):
            raise ScenarioError(
                source,
                "sweep.levels",
                "a sensitivity analysis varies parameters over {low, high} ranges, not levers "
                "with named levels (give --param section.key=low:high instead)",
            )
        if not parameters:
            raise ScenarioError(
                source,
                "sweep.parameters",
                "no parameters to vary: add [sweep.parameters] ranges, e.g. "
                '"staffing.admin_load" = { low = 0.1, high = 0.6 }, or --param key=low:high',
            )
        for key, raw in parameters.items():
            if not (isinstance(raw, dict) and set(raw) == {"low", "high"}):
                raise ScenarioError(
                    source,
                    f"sweep.parameters.{key}",
                    f"got {raw!r}; a sensitivity analysis needs a {{low, high}} range",
                )
    file_samples = table.get("samples") if table.get("design") == method else None
    n = samples or file_samples or DEFAULT_SAMPLES[method]
    sweep = {"design": method, "samples": n, "parameters": parameters}
    return scenario.with_sweep(sweep, source)


@dataclass
class SensitivityResult:
    """Indices per metric, the per-point outputs and the caveats."""

    method: str
    samples: int
    indices: pd.DataFrame  # metric, parameter, indices with CIs, rank
    second_order: pd.DataFrame  # Sobol' S2 (empty for Morris)
    points: pd.DataFrame  # point, parameter values, per metric: mean, sd, n over replications
    noise: dict[str, float]  # metric -> mean replication SD / SD of point means
    warnings: dict[str, list[str]] = field(default_factory=dict)  # metric -> reasons


def sample_matrix(design: Design, seed: int) -> tuple[dict[str, Any], np.ndarray]:
    """SALib's problem and sample matrix of a Morris/Sobol' design, in sweep point order."""
    if design.kind not in SAMPLED or any(not f.continuous for f in design.factors):
        raise ScenarioError(design.source, "sweep", "expected a sampled design of ranges")
    problem = problem_of(design)
    return problem, sample(problem, design.kind, design.samples, seed)


def point_outputs(
    summary: pd.DataFrame, design: Design, X: np.ndarray, metrics: Sequence[str]
) -> pd.DataFrame:
    """One row per design point, in SALib's row order: the parameter values and, per metric,
    the mean, SD and number of replications of its last-90-day mean.

    Checks that the sweep's points are SALib's rows (same values, same order), so that the
    outputs line up with ``X``.
    """
    names = [f.name for f in design.factors]
    values = summary.groupby("point", sort=True)[names].first()
    if list(values.index) != list(range(len(X))):
        raise ScenarioError(design.source, "sweep", f"expected points 0..{len(X) - 1} in the runs")
    expected = np.column_stack(
        [np.round(X[:, i]) if f.integer else X[:, i] for i, f in enumerate(design.factors)]
    )
    if not np.allclose(values.to_numpy(dtype=float), expected, rtol=1e-9, atol=1e-12):
        raise RuntimeError("the sweep's points do not match SALib's sample matrix")
    table = values.reset_index()
    runs = ok_runs(summary)
    for metric in metrics:
        stats = runs.groupby("point")[column(metric)].agg(["mean", "std", "count"])
        stats = stats.reindex(table["point"])
        table[f"{metric}_mean"] = stats["mean"].to_numpy()
        table[f"{metric}_sd"] = stats["std"].to_numpy()
        table[f"{metric}_n"] = stats["count"].fillna(0).astype(int).to_numpy()
    return table


def analyse_runs(
    summary: pd.DataFrame,
    design: Design,
    seed: int,
    metrics: Sequence[str],
    *,
    num_resamples: int = 1000,
) -> SensitivityResult:
    """Indices of every metric from a finished sensitivity sweep's summary.

    Each point's output is the mean over its replications; the replications' spread is
    kept in ``points`` and summarised as a noise share per metric.
    """
    problem, X = sample_matrix(design, seed)
    points = point_outputs(summary, design, X, metrics)
    frames, s2, noise, warns = [], [], {}, {}
    for metric in metrics:
        Y = points[f"{metric}_mean"].to_numpy(dtype=float)
        missing = np.flatnonzero(~np.isfinite(Y))
        if missing.size:
            raise ScenarioError(
                design.source,
                None,
                f"{metric}: no value at {missing.size} point(s) (e.g. point {missing[0]}): "
                "their runs failed or the metric is undefined there; see runs/failures.json",
            )
        indices = analyse(problem, X, Y, design.kind, num_resamples=num_resamples, seed=seed)
        if design.kind == "sobol":
            s2.append(second_order(indices).assign(metric=metric))
            reasons = _sobol_warnings(indices, design.samples)
            if reasons:
                warns[metric] = reasons
        indices.attrs = {}  # pandas compares attrs when concatenating; S2 is kept above
        frames.append(indices.assign(metric=metric))
        noise[metric] = replication_noise(points[f"{metric}_mean"], points[f"{metric}_sd"])
    table = pd.concat(frames, ignore_index=True)
    table = table[["metric", *[c for c in table.columns if c != "metric"]]]
    second = pd.concat(s2, ignore_index=True) if s2 else pd.DataFrame()
    if not second.empty:
        second = second[["metric", *[c for c in second.columns if c != "metric"]]]
    return SensitivityResult(design.kind, design.samples, table, second, points, noise, warns)
