"""Sensitivity analysis of the model: a Morris or Sobol' design run as a sweep, its outputs
read back in SALib's row order, indices for each metric (``indices``), and the results
folder (:func:`run`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Unpack

import numpy as np
import pandas as pd

from experiments.analysis.common import ok_runs, parse_metrics, run_design, write_manifest
from experiments.analysis.sensitivity.indices import (
    METHODS,
    SOBOL_MIN_N,
    analyse,
    replication_noise,
    sample,
    second_order,
)
from experiments.analysis.sensitivity.indices import sobol_warnings as _sobol_warnings
from experiments.analysis.sensitivity.text import markdown, text_summary
from experiments.claims import HOLM, Estimate, judge
from experiments.columns import SUMMARY_WINDOW, window_column
from experiments.errors import COMMAND_LINE, InputError
from experiments.plotting import figure_language, save_figure
from experiments.scenario import Scenario
from experiments.store import now, write_csv, write_text
from experiments.sweeps.design import MORRIS_LEVELS, SAMPLED, Design, design_of, expand
from experiments.sweeps.job import RunOptions, SweepOutcome, runs_line
from experiments.wording import LANGS
from sim import REGISTRY, Parameters
from sim.params import did_you_mean

PARAM_SOURCE = f"{COMMAND_LINE} (--param)"
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
            raise InputError(PARAM_SOURCE, item, "expected section.key=low:high")
        if key not in specs:
            raise InputError(PARAM_SOURCE, key, "unknown parameter" + did_you_mean(key, specs))
        try:
            low, high = float(low_text), float(high_text)
        except ValueError:
            raise InputError(PARAM_SOURCE, key, f"{text!r}: expected numbers low:high") from None
        if not high > low:
            raise InputError(
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
    if method not in METHODS:
        raise InputError(COMMAND_LINE, "--method", f"got {method!r} (one of {', '.join(METHODS)})")
    source = scenario.origin.get("sweep", str(scenario.path))
    table = dict(scenario.sweep or {})
    if ranges:
        parameters: dict[str, Any] = {k: dict(v) for k, v in ranges.items()}
        source = PARAM_SOURCE
    else:
        parameters = dict(table.get("parameters", {}))
        if table.get("levels"):
            raise InputError(
                source,
                "sweep.levels",
                "a sensitivity analysis varies parameters over {low, high} ranges, not levers "
                "with named levels (give --param section.key=low:high instead)",
            )
        if not parameters:
            raise InputError(
                source,
                "sweep.parameters",
                "no parameters to vary: add [sweep.parameters] ranges, e.g. "
                '"staffing.admin_load" = { low = 0.1, high = 0.6 }, or --param key=low:high',
            )
        for key, raw in parameters.items():
            if not (isinstance(raw, dict) and set(raw) == {"low", "high"}):
                raise InputError(
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

    @property
    def key(self) -> str:
        """The index that ranks parameters: mu* (Morris) or ST (Sobol')."""
        return "mu_star" if self.method == "morris" else "ST"


def sample_matrix(design: Design, seed: int) -> tuple[dict[str, Any], np.ndarray]:
    """SALib's problem and sample matrix of a Morris/Sobol' design, in sweep point order."""
    if design.method not in SAMPLED or any(not f.continuous for f in design.factors):
        raise InputError(design.source, "sweep", "expected a sampled design of ranges")
    problem = design.problem()
    return problem, sample(problem, design.method, design.samples, seed)


def point_outputs(
    summary: pd.DataFrame, design: Design, X: np.ndarray, metrics: Sequence[str]
) -> pd.DataFrame:
    """One row per design point, in SALib's row order: the parameter values and, per metric,
    the mean, SD and number of replications of its window mean (``window_column``).

    Checks that the sweep's points are SALib's rows (same values, same order), so that the
    outputs line up with ``X``.
    """
    names = [f.name for f in design.factors]
    values = summary.groupby("point", sort=True)[names].first()
    if list(values.index) != list(range(len(X))):
        raise InputError(design.source, "sweep", f"expected points 0..{len(X) - 1} in the runs")
    expected = np.column_stack(
        [np.round(X[:, i]) if f.integer else X[:, i] for i, f in enumerate(design.factors)]
    )
    if not np.allclose(values.to_numpy(dtype=float), expected, rtol=1e-9, atol=1e-12):
        raise RuntimeError("the sweep's points do not match SALib's sample matrix")
    table = values.reset_index()
    runs = ok_runs(summary)
    for metric in metrics:
        stats = runs.groupby("point")[window_column(metric)].agg(["mean", "std", "count"])
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
            raise InputError(
                design.source,
                None,
                f"{metric}: no value at {missing.size} point(s) (e.g. point {missing[0]}): "
                "their runs failed or the metric is undefined there; see runs/failures.json",
            )
        indices = analyse(problem, X, Y, design.method, num_resamples=num_resamples, seed=seed)
        if design.method == "sobol":
            s2.append(second_order(indices).assign(metric=metric))
            reasons = _sobol_warnings(indices, design.samples)
            if reasons:
                warns[metric] = reasons
        indices.attrs = {}  # pandas compares attrs when concatenating; S2 is kept above
        frames.append(indices.assign(metric=metric))
        noise[metric] = replication_noise(points[f"{metric}_mean"], points[f"{metric}_sd"])
    table = pd.concat(frames, ignore_index=True)
    table = table[["metric", *[c for c in table.columns if c != "metric"]]]
    table = judge_indices(table, points, design.method)
    second = pd.concat(s2, ignore_index=True) if s2 else pd.DataFrame()
    if not second.empty:
        second = second[["metric", *[c for c in second.columns if c != "metric"]]]
    return SensitivityResult(design.method, design.samples, table, second, points, noise, warns)


Z95 = 1.959963984540054  # SALib's intervals are index +/- z * bootstrap SD
MORRIS_DELTA = MORRIS_LEVELS / (2 * (MORRIS_LEVELS - 1))  # SALib's step, in range units


def judge_indices(
    table: pd.DataFrame, points: pd.DataFrame, method: str, *, adjustment: str = HOLM
) -> pd.DataFrame:
    """The rule for claims over every parameter x metric, as one family: a parameter
    *matters* for a metric when its index is clearly above what replication noise alone
    gives (adjusted interval of index - noise floor above zero) and the effect it stands for
    is at least the metric's practical threshold.

    Replication noise makes every index positive even for a parameter the model ignores:
    an elementary effect of pure noise is (e_b - e_a) / delta, so its mean absolute value
    (Morris mu*) is sqrt(2 / pi) * sqrt(2 v) / delta, where v is the variance of a point's
    mean over its replications; for Sobol' the noise share v / Var(Y) enters every ST.
    These are the floors (0 with one replication: no noise estimate). The effect is mu*
    itself (the mean absolute change of the metric over the parameter's range, in its unit)
    or sqrt(ST) x the SD of the outputs. Adds ``noise_floor``, ``effect_size``,
    ``threshold``, ``p_adjusted``, the adjusted interval (``adj_low``, ``adj_high``) and
    ``matters``."""
    key = "mu_star" if method == "morris" else "ST"
    estimates, thresholds, sizes, floors = [], [], [], []
    for row in table.itertuples():
        value, high = getattr(row, key), getattr(row, f"{key}_high")
        se = (high - value) / Z95 if np.isfinite(high) else np.nan
        y = points[f"{row.metric}_mean"].to_numpy(float)
        v = _point_noise(points, row.metric)
        spread = float(np.std(y, ddof=1)) if y.size > 1 else np.nan
        if method == "morris":
            floor = np.sqrt(2 / np.pi) * np.sqrt(2 * v) / MORRIS_DELTA
        else:
            floor = v / spread**2 if spread > 0 else 0.0
        floors.append(float(floor))
        estimates.append(Estimate(float(value - floor), float(se)))
        thresholds.append(REGISTRY[row.metric].practical_threshold(float(np.mean(y))))
        sizes.append(value if method == "morris" else np.sqrt(max(value, 0.0)) * spread)
    claims = judge(estimates, thresholds, sizes, adjustment=adjustment)
    return table.assign(
        noise_floor=floors,
        effect_size=sizes,
        threshold=thresholds,
        p_adjusted=[c.p_adjusted for c in claims],
        adj_low=[c.low + f for c, f in zip(claims, floors, strict=True)],
        adj_high=[c.high + f for c, f in zip(claims, floors, strict=True)],
        adjustment=[c.adjustment for c in claims],
        comparisons=[c.family for c in claims],
        matters=[c.clear and c.estimate > 0 for c in claims],
    )


def _point_noise(points: pd.DataFrame, metric: str) -> float:
    """The mean variance of a point's mean over its replications (0 when unknown)."""
    sd, n = points[f"{metric}_sd"].to_numpy(float), points[f"{metric}_n"].to_numpy(float)
    ok = np.isfinite(sd) & (n > 1)
    return float(np.mean(sd[ok] ** 2 / n[ok])) if ok.any() else 0.0


def run(
    scenario: Scenario,
    out: str | Path,
    *,
    method: str,
    samples: int | None = None,
    ranges: Mapping[str, Mapping[str, float]] | None = None,
    metrics: Sequence[str] | None = None,
    resamples: int = 1000,
    lang: str = "en",
    **options: Unpack[RunOptions],
) -> tuple[SensitivityResult | None, SweepOutcome]:
    """Run a Morris or Sobol' analysis into ``out/runs`` and write its results into ``out``:
    indices.csv, second_order.csv (Sobol'), points.csv, a bar plot per metric (in ``lang``),
    summary.md (in ``lang``) and summary_en.md / summary_zh.md. The result is None when
    bundles did not run (``outcome.errors``: resume to finish)."""
    from experiments.analysis.sensitivity import figures  # matplotlib only when drawing

    started, clock = now(), time.perf_counter()
    metrics = parse_metrics(metrics)
    scenario = sensitivity_scenario(scenario, method, samples=samples, ranges=ranges)
    design = design_of(scenario)
    points = len(expand(design, scenario.params.scenario.seed))
    if options.get("progress"):
        unit = "trajectories" if method == "morris" else "base samples (N)"
        factors = ", ".join(f.name for f in design.factors)
        print(
            f"sensitivity {scenario.name}: {method}, {design.samples} {unit} over "
            f"{len(design.factors)} parameters ({factors}); " + runs_line(scenario, points)
        )
        if method == "sobol" and design.samples < SOBOL_MIN_N:
            print(
                f"warning: Sobol' with N = {design.samples} < {SOBOL_MIN_N}: indices will be "
                "unstable (see summary.md)",
                file=sys.stderr,
            )
    outcome = run_design(scenario, out, "sensitivity", **options)
    if outcome.errors:
        return None, outcome
    seed = scenario.params.scenario.seed
    result = analyse_runs(outcome.summary, design, seed, metrics, num_resamples=resamples)
    out = Path(out)
    files = ["indices.csv", "points.csv"]
    write_csv(result.indices, out / "indices.csv")
    write_csv(result.points, out / "points.csv")
    if not result.second_order.empty:
        write_csv(result.second_order, out / "second_order.csv")
        files.append("second_order.csv")
    with figure_language(lang) as used:
        for metric in metrics:
            name = f"{result.method}_{metric}.png"
            rows = result.indices[result.indices["metric"] == metric]
            save_figure(figures.sensitivity(rows, result.method, metric, used), out / name)
            files.append(name)
    write_text(markdown(result, metrics, lang), out / "summary.md")
    for language in LANGS:
        write_text(markdown(result, metrics, language), out / f"summary_{language}.md")
    files += ["summary.md", "summary_en.md", "summary_zh.md", "manifest.json"]
    write_manifest(
        out,
        "sensitivity",
        scenario,
        outcome,
        started=started,
        command=options.get("command"),
        files=files,
        extra={
            "method": method,
            "samples": design.samples,
            "points": points,
            "parameters": {f.name: [f.low, f.high] for f in design.factors},
            "metrics": metrics,
            "response": "per point: mean over replications of each metric's "
            f"last-{SUMMARY_WINDOW}-day mean",
            "bootstrap_resamples": resamples,
            "conf_level": 0.95,
            "noise_share": result.noise,
            "warnings": result.warnings,
            "seconds": round(time.perf_counter() - clock, 1),
        },
    )
    if options.get("progress"):
        print()
        print(text_summary(result, metrics, lang))
        for metric, reasons in result.warnings.items():
            for reason in reasons:
                print(f"warning: {metric}: {reason}", file=sys.stderr)
    return result, outcome
