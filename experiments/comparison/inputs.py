"""What ``sanzhi compare`` compares: scenario files (run now), results folders of
``sanzhi run``, and sweep folders (one group per point), as plain groups of runs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.errors import InputError
from experiments.runner import run, summarise
from experiments.scenario import load_scenario
from experiments.sweeps.folder import SweepFolder
from experiments.sweeps.plan import bundle_name
from sim import KEY_METRICS

MAX_TIMESERIES_GROUPS = 8  # beyond this a time-series plot is unreadable; sweeps get line plots


@dataclass
class Group:
    """Replications of one parameter set: per-run summary rows and key-metric timeseries."""

    label: str
    source: str
    runs: pd.DataFrame  # one row per run: <metric> (final) and <metric>_last90
    timeseries: pd.DataFrame | None = None  # run, day, key metrics
    point: dict[str, Any] = field(default_factory=dict)  # swept values, for sweep points


@dataclass
class SweepInput:
    """A sweep folder: its per-run summary and the factors it swept."""

    name: str
    source: str
    summary: pd.DataFrame
    factors: list[str]


@dataclass
class Inputs:
    groups: list[Group]
    sweeps: list[SweepInput]
    described: list[dict[str, Any]]  # for the report's manifest


def load_inputs(
    paths: list[str], *, replications: int | None = None, workers: int = 1, progress: bool = False
) -> Inputs:
    """Groups from each argument, in order; the first group is the reference."""
    inputs = Inputs([], [], [])
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            manifest = _manifest(path)
            if manifest.get("kind") == "sweep":
                _add_sweep(inputs, path, manifest)
            else:
                _add_run_folder(inputs, path, manifest)
        elif path.is_file():
            _add_scenario(inputs, path, replications, workers, progress)
        else:
            raise InputError(path, None, "not found (expected a scenario file or results folder)")
    _unique_labels(inputs.groups)
    return inputs


def _add_scenario(inputs: Inputs, path: Path, replications, workers, progress) -> None:
    scenario = load_scenario(path)
    if scenario.sweep is not None:
        raise InputError(
            path, "sweep", "is a sweep: run `sanzhi sweep` first, then compare its results folder"
        )
    reps = replications or scenario.params.scenario.replications
    series = run(scenario, replications=reps, workers=workers, progress=progress)
    summary = summarise(series)
    keep = ["replication", "day", *KEY_METRICS]
    inputs.groups.append(Group(scenario.name, str(path), summary, series[keep]))
    inputs.described.append(
        {
            "input": str(path),
            "kind": "scenario file (run for this report)",
            "scenario": scenario.name,
            "replications": reps,
            "seed": scenario.params.scenario.seed,
            "parameters": scenario.params.to_dict(),
        }
    )


def _add_run_folder(inputs: Inputs, path: Path, manifest: dict) -> None:
    summary = pd.read_parquet(_need(path, "summary.parquet"))
    series = None
    if (path / "timeseries.parquet").is_file():
        series = pd.read_parquet(
            path / "timeseries.parquet", columns=["replication", "day", *KEY_METRICS]
        )
    name = manifest.get("scenario", path.name)
    inputs.groups.append(Group(name, str(path), summary, series))
    inputs.described.append(
        {
            "input": str(path),
            "kind": "results folder",
            "scenario": name,
            "replications": len(summary),
        }
    )


def _add_sweep(inputs: Inputs, path: Path, manifest: dict) -> None:
    summary = pd.read_parquet(_need(path, "summary.parquet"))
    summary = summary[summary["status"] == "ok"]
    factors = manifest["design"]["factors"]
    name = manifest.get("scenario", path.name)
    points = sorted(summary["point"].unique())
    series = None
    if len(points) <= MAX_TIMESERIES_GROUPS:
        folder = SweepFolder(path)
        names = [bundle_name(i) for i in range(len(manifest["bundles"]))]
        cols = ["point", "run_id", "day", *KEY_METRICS]
        parts = list(folder.timeseries(names, columns=cols))
        series = pd.concat(parts, ignore_index=True) if parts else None
    for p in points:
        rows = summary[summary["point"] == p].reset_index(drop=True)
        point = {f: rows[f].iloc[0] for f in factors}
        label = f"{name}: " + ", ".join(f"{_short(k)}={_value(v)}" for k, v in point.items())
        ts = None
        if series is not None:
            ts = series[series["point"] == p].rename(columns={"run_id": "replication"})
        inputs.groups.append(Group(label, str(path), rows, ts, point))
    inputs.sweeps.append(SweepInput(name, str(path), summary, factors))
    inputs.described.append(
        {
            "input": str(path),
            "kind": "sweep results folder (one group per point)",
            "scenario": name,
            "design": manifest["design"]["kind"],
            "factors": factors,
            "points": len(points),
            "replications": manifest.get("replications"),
        }
    )


def _manifest(path: Path) -> dict:
    file = _need(path, "manifest.json")
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise InputError(file, None, f"not valid JSON: {err}") from None


def _need(folder: Path, name: str) -> Path:
    path = folder / name
    if not path.is_file():
        raise InputError(
            folder, None, f"no {name} (expected a results folder of `sanzhi run` or `sanzhi sweep`)"
        )
    return path


def _short(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def _value(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _unique_labels(groups: list[Group]) -> None:
    seen: dict[str, int] = {}
    for g in groups:
        n = seen.get(g.label, 0) + 1
        seen[g.label] = n
        if n > 1:
            g.label = f"{g.label} ({n})"
