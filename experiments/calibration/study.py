"""``sanzhi calibrate``: fit free parameters to observed outcomes, then confirm the fit.

Method (docs/calibration.md): a few rounds of Latin-hypercube search, each run through the
sweep machinery (so any executor works and ``--resume`` finishes a killed calibration); after
each round a quadratic surrogate of every target is fitted to the round's point means and
minimised, and the next round searches a smaller box around that minimum. The last
minimum, rounded to three significant figures, is run again with more replications to
report the fit per target with 95% CIs. Sampled points whose replication mean lands
within every tolerance are the ABC-rejection sample that gives each parameter's plausible
range.
"""

from __future__ import annotations

import tomllib
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibration.search import (
    Surrogate,
    accepted,
    best_point,
    distance,
    fit_table,
    misfit,
    next_box,
    point_means,
    significant,
)
from experiments.calibration.targets import TargetFile
from experiments.errors import InputError
from experiments.executors import using
from experiments.folders import check_out, clear, visible
from experiments.plotting import figure_language, save_figure
from experiments.scenario import Scenario
from experiments.store import finished, manifest_base, now, write_csv, write_json, write_text
from experiments.sweeps.job import prepare_sweep

MIN_DAYS = 365  # the targets are yearly figures; the metrics look back 365 days
STARTS = 5  # surrogate minimisation starts from the best sampled points


@dataclass
class CalibrationResult:
    fitted: dict[str, float]  # dotted key -> fitted value (3 significant figures)
    fit: pd.DataFrame  # per target: value, tolerance, model mean and 95% CI
    samples: pd.DataFrame  # every searched point: round, parameters, metrics, distance
    parameters: pd.DataFrame  # per parameter: bounds, fitted value, plausible range
    boxes: list[list[list[float]]]  # the search box of each round
    out: Path


def calibrate(
    scenario: Scenario,
    targets: TargetFile,
    out: str | Path,
    *,
    executor: Executor | str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = False,
    command: list[str] | None = None,
    lang: str = "en",
) -> CalibrationResult:
    """Fit ``targets.parameters`` so that ``scenario`` reproduces ``targets.targets``
    (figures labelled in ``lang``). ``overwrite`` replaces what ``out`` holds."""
    out = Path(out)
    _check(scenario, targets, out, resume, overwrite)
    if progress:
        print(describe(scenario, targets))
    bounds = np.array([[p.low, p.high] for p in targets.parameters])
    started = now()
    with using(executor, workers, scheduler) as (pool, n, _):

        def sweep(name: str, table: dict[str, Any], replications: int) -> pd.DataFrame:
            sc = _with_sweep(scenario, table, replications, f"{scenario.name}:{name}")
            job = prepare_sweep(sc, out / name, resume=resume)
            return job.run(pool, n, progress=progress, command=command).summary

        box, boxes, rounds = bounds.copy(), [], []
        for r in range(1, targets.rounds + 1):
            boxes.append(box.tolist())
            summary = sweep(f"round{r}", _lhs(targets, box), targets.replications)
            means = point_means(summary, targets.keys, [t.metric for t in targets.targets])
            means.insert(0, "round", r)
            rounds.append(means)
            x = means[targets.keys].to_numpy()
            residuals = misfit(
                means[[t.metric for t in targets.targets]].to_numpy(), targets.targets
            )
            order = np.argsort(distance(residuals))
            surrogate = Surrogate(box).fit(x, means[[t.metric for t in targets.targets]].to_numpy())
            centre = best_point(surrogate, targets.targets, x[order[:STARTS]])
            if r < targets.rounds:
                box = next_box(centre, box, bounds, targets.shrink)

        fitted = {k: significant(v) for k, v in zip(targets.keys, centre, strict=True)}
        confirm = sweep(
            "confirm",
            {"design": "grid", "parameters": {k: [v] for k, v in fitted.items()}},
            targets.confirm_replications,
        )
    fit = fit_table(confirm[confirm["status"] == "ok"], targets.targets)
    samples = _samples(pd.concat(rounds, ignore_index=True), targets)
    parameters = _plausible(samples, targets, fitted)
    result = CalibrationResult(fitted, fit, samples, parameters, boxes, out)
    _write(result, scenario, targets, started, command, lang)
    return result


def _check(
    scenario: Scenario, targets: TargetFile, out: Path, resume: bool, overwrite: bool
) -> None:
    steps = scenario.params.scenario.steps
    if steps < MIN_DAYS:
        raise InputError(
            scenario.path or "scenario",
            "scenario.steps",
            f"is {steps}; calibration targets are yearly figures, so runs need at least "
            f"{MIN_DAYS} days",
        )
    for key in targets.keys:
        if key in scenario.overrides:
            raise InputError(
                "command line (--set)", key, "is fitted by the calibration; remove the --set"
            )
    if resume and overwrite:
        raise InputError("command line", "--overwrite", "cannot go with --resume (choose one)")
    check_out(out, ("calibration",), overwrite=True)  # a file, or not writable
    if out.is_dir() and visible(out) and not resume:
        if not overwrite:
            raise InputError(
                out,
                None,
                "already holds a calibration (or other results); add --resume to finish it, "
                "--overwrite to replace it, or choose another --out",
            )
        clear(out)
    if len(targets.parameters) and targets.samples < _quadratic_terms(len(targets.parameters)):
        raise InputError(
            targets.path,
            "search.samples",
            f"is {targets.samples}; a quadratic surrogate in {len(targets.parameters)} "
            f"parameters needs at least {_quadratic_terms(len(targets.parameters))} points a round",
        )


def describe(scenario: Scenario, targets: TargetFile) -> str:
    """One line: what is fitted to what, and how many runs that takes."""
    pop = scenario.params.population
    runs = targets.rounds * targets.samples * targets.replications + targets.confirm_replications
    return (
        f"calibrating {scenario.name} ({pop.households:,} households x "
        f"{scenario.params.scenario.steps} days) to {len(targets.targets)} targets: "
        f"{', '.join(targets.keys)}; {targets.rounds} rounds x {targets.samples} points x "
        f"{targets.replications} replications + {targets.confirm_replications} confirmation "
        f"runs = {runs} runs"
    )


def _quadratic_terms(d: int) -> int:
    return 1 + d + d * (d + 1) // 2


def _with_sweep(
    scenario: Scenario, table: dict[str, Any], replications: int, name: str
) -> Scenario:
    """The scenario as a sweep named for its stage (the progress bar shows the name)."""
    base = scenario.with_overrides({"scenario.replications": replications, "scenario.name": name})
    return base.with_sweep(table, "calibration")


def _lhs(targets: TargetFile, box: np.ndarray) -> dict[str, Any]:
    ranges = {
        k: {"low": float(lo), "high": float(hi)}
        for k, (lo, hi) in zip(targets.keys, box, strict=True)
    }
    return {"design": "lhs", "samples": targets.samples, "parameters": ranges}


def _samples(means: pd.DataFrame, targets: TargetFile) -> pd.DataFrame:
    metrics = [t.metric for t in targets.targets]
    residuals = misfit(means[metrics].to_numpy(), targets.targets)
    means = means.reset_index()
    means["distance"] = distance(residuals)
    means["within_all"] = accepted(residuals)
    return means


def _plausible(
    samples: pd.DataFrame, targets: TargetFile, fitted: dict[str, float]
) -> pd.DataFrame:
    ok = samples[samples["within_all"]]
    rows = []
    for p in targets.parameters:
        values = ok[p.key]
        rows.append(
            {
                "parameter": p.key,
                "search_low": p.low,
                "search_high": p.high,
                "fitted": fitted[p.key],
                "plausible_low": float(values.min()) if len(values) else float("nan"),
                "plausible_high": float(values.max()) if len(values) else float("nan"),
                "accepted_points": len(values),
            }
        )
    return pd.DataFrame(rows)


def fitted_toml(fitted: dict[str, float], header: str) -> str:
    """A scenario fragment setting the fitted values, grouped by section."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    sections: dict[str, list[str]] = {}
    for key, value in fitted.items():
        section, _, leaf = key.rpartition(".")
        sections.setdefault(section, []).append(f"{leaf} = {value!r}")
    for section, items in sections.items():
        lines += ["", f"[{section}]", *items]
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # what we write must read back
    return text


def _write(
    result: CalibrationResult,
    scenario: Scenario,
    targets: TargetFile,
    started: str,
    command: list[str] | None,
    lang: str = "en",
) -> None:
    from experiments.calibration.figures import fit_figure, search_figure  # matplotlib only here

    out = result.out
    write_csv(result.fit, out / "fit.csv")
    write_csv(result.samples, out / "samples.csv")
    write_csv(result.parameters, out / "parameters.csv")
    header = (
        f"Fitted by: {' '.join(command or ['sanzhi calibrate'])}\n"
        f"Scenario: {scenario.path}; targets: {targets.path}; {started}"
    )
    write_text(fitted_toml(result.fitted, header), out / "fitted.toml")
    with figure_language(lang) as used:
        for name, fig in (
            ("fit.png", fit_figure(result.fit, used)),
            ("search.png", search_figure(result.samples, targets, used)),
        ):
            save_figure(fig, out / name)
    manifest = manifest_base("calibration", scenario, command, started) | {
        "targets_file": str(targets.path),
        "targets_text": targets.path.read_text(encoding="utf-8"),
        "method": {
            "rounds": targets.rounds,
            "samples": targets.samples,
            "replications": targets.replications,
            "confirm_replications": targets.confirm_replications,
            "shrink": targets.shrink,
            "boxes": result.boxes,
        },
        "fitted": result.fitted,
        "parameters": scenario.params.to_dict(),
    }
    write_json(finished(manifest), out / "manifest.json")
