"""What ``sanzhi compare`` compares: scenario files (run now), results folders of
``sanzhi run``, and sweep folders (one group per point), as plain groups of runs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.columns import upgrade_summary
from experiments.errors import InputError, reason
from experiments.runner import replication_seeds, run, summarise
from experiments.scenario import Scenario, load_scenario
from experiments.sweeps.folder import SweepFolder
from experiments.sweeps.plan import bundle_name
from experiments.wording import parameter_label, say, scenario_label, value_label
from sim import KEY_METRICS

MAX_TIMESERIES_GROUPS = 8  # beyond this a time-series plot is unreadable; sweeps get line plots


@dataclass
class Group:
    """Replications of one parameter set: per-run summary rows and key-metric timeseries,
    and what was simulated (scenario, description, parameters, seeds)."""

    label: str  # unique; the ``group`` column of summary.csv
    source: str
    runs: pd.DataFrame  # one row per run: <metric>_final_day and <metric>_mean_last_90_days
    timeseries: pd.DataFrame | None = None  # run, day, key metrics
    point: dict[str, Any] = field(default_factory=dict)  # swept values, for sweep points
    scenario: str = ""  # the scenario's name (a sweep's, for its points)
    description: str = ""  # the scenario file's one line
    parameters: dict[str, Any] | None = None  # resolved "section.key" -> value, if known
    seed: int | None = None  # root seed
    seeds: list[int] = field(default_factory=list)  # replication seeds
    repeat: int = 1  # > 1 when another group has the same label (shown as "label (2)")

    def title(self, lang: str = "en") -> str:
        """The group's name in ``lang``: the scenario's (translated for the library), with a
        sweep point's values."""
        name = scenario_label(self.scenario, lang) if self.scenario else self.label
        if self.point:
            sep = "：" if lang == "zh" else ": "
            values = ("，" if lang == "zh" else ", ").join(
                f"{parameter_label(k, lang)} = {value_label(v, lang)}"
                for k, v in self.point.items()
            )
            name = f"{name}{sep}{values}"
        return f"{name} ({self.repeat})" if self.repeat > 1 else name

    @property
    def households(self) -> int | None:
        return (self.parameters or {}).get("population.households")

    @property
    def days(self) -> int | None:
        return (self.parameters or {}).get("scenario.steps")


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
    reference: int = 0  # index of the reference group

    @property
    def ordered(self) -> list[Group]:
        """The reference first, then the other groups in input order."""
        ref = self.groups[self.reference]
        return [ref, *[g for g in self.groups if g is not ref]]


def load_inputs(
    paths: list[str],
    *,
    replications: int | None = None,
    workers: int = 1,
    progress: bool = False,
    reference: str | None = None,
    paired: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Inputs:
    """Groups from each argument, in order. The reference is the first group, or the one
    ``reference`` names (an input as given, a group label or a scenario name).

    Every input is read and checked (folders whole, scenario files loaded) before the first
    scenario file is run, so a bad input further on wastes no simulation.

    With ``paired`` (a folder for the warmed states), the inputs must be scenario files;
    they run as forks of the first one's warmed state on common random numbers
    (``comparison.paired``). ``overrides`` (``section.key`` -> value, as ``--set``) apply
    to every scenario file.
    """
    inputs = Inputs([], [], [])
    to_run: list[tuple[Group, Scenario, int]] = []
    for raw in paths:
        path = Path(raw)
        if paired is not None and not path.is_file():
            raise InputError(path, None, "a paired comparison takes scenario files")
        if path.is_dir():
            manifest = _manifest(path)
            if manifest.get("kind") == "sweep":
                _add_sweep(inputs, path, manifest)
            elif manifest.get("kind") == "run":
                _add_run_folder(inputs, path, manifest)
            else:
                raise InputError(
                    path / "manifest.json",
                    "kind",
                    f"is {manifest.get('kind')!r} (expected a results folder of `sanzhi run` "
                    "or `sanzhi sweep`)",
                )
        elif path.is_file():
            to_run.append(_add_scenario(inputs, path, replications, overrides))
        else:
            raise InputError(path, None, "not found (expected a scenario file or results folder)")
    if len(inputs.groups) < 2:
        raise InputError(
            "command line",
            "INPUT",
            f"{len(inputs.groups)} group(s) to compare (expected at least two: two inputs, or "
            "a sweep folder with several points)",
        )
    _unique_labels(inputs.groups)
    if reference is not None:
        inputs.reference = _find_reference(inputs.groups, reference)
    if paired is not None:
        _run_forks(inputs, to_run, paired, workers, progress)
        return inputs
    for group, scenario, reps in to_run:
        series = run(scenario, replications=reps, workers=workers, progress=progress)
        group.runs = summarise(series)
        group.timeseries = series[["replication", "day", *KEY_METRICS]]
    return inputs


def _run_forks(
    inputs: Inputs, to_run: list[tuple[Group, Scenario, int]], states: Path, workers, progress
) -> None:
    """Every scenario as forks of the first one's warmed state, on its replication seeds."""
    from experiments.comparison.paired import fork_runs

    scenarios = [scenario for _, scenario, _ in to_run]
    reps = to_run[0][2]
    series_of = fork_runs(scenarios, states, replications=reps, workers=workers, progress=progress)
    first = to_run[0][0]
    for (group, _, _), series, described in zip(to_run, series_of, inputs.described, strict=True):
        group.runs = summarise(series)
        group.timeseries = series[["replication", "day", *KEY_METRICS]]
        group.seed, group.seeds = first.seed, first.seeds
        described.update(
            kind="scenario file (run for this report as a fork)",
            forked_from=str(states),
            seed=first.seed,
            replications=reps,
        )


def _find_reference(groups: list[Group], name: str) -> int:
    for test in (
        lambda g: g.label == name,
        lambda g: g.source == name and not g.point,
        lambda g: g.scenario == name and not g.point,
        lambda g: Path(g.source) == Path(name),
    ):
        hits = [i for i, g in enumerate(groups) if test(g)]
        if hits:
            return hits[0]
    known = ", ".join(repr(g.label) for g in groups[:10])
    raise InputError("command line", "--reference", f"{name!r} is none of the groups ({known})")


def _add_scenario(
    inputs: Inputs, path: Path, replications: int | None, overrides: Mapping[str, Any] | None
) -> tuple[Group, Scenario, int]:
    """The scenario's group, to be run once every input is checked."""
    scenario = load_scenario(path, overrides)
    if scenario.sweep is not None:
        raise InputError(
            path, "sweep", "is a sweep: run `sanzhi sweep` first, then compare its results folder"
        )
    if replications is not None:
        scenario = scenario.with_overrides(
            {"scenario.replications": replications}, {"scenario.replications": "--replications"}
        )
    reps = scenario.params.scenario.replications
    seed = scenario.params.scenario.seed
    group = Group(scenario.name, str(path), pd.DataFrame(), None, scenario=scenario.name)
    group.description = scenario.params.scenario.description
    group.parameters = scenario.params.flat()
    group.seed, group.seeds = seed, replication_seeds(seed, reps)
    inputs.groups.append(group)
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
    return group, scenario, reps


def _add_run_folder(inputs: Inputs, path: Path, manifest: dict) -> None:
    summary = upgrade_summary(_read_table(_need(path, "summary.parquet")))
    series = None
    if (path / "timeseries.parquet").is_file():
        series = _read_table(
            path / "timeseries.parquet", columns=["replication", "day", *KEY_METRICS]
        )
    name = manifest.get("scenario", path.name)
    group = Group(name, str(path), summary, series, scenario=name)
    _describe_from(group, manifest.get("parameters"), manifest)
    inputs.groups.append(group)
    inputs.described.append(
        {
            "input": str(path),
            "kind": "results folder",
            "scenario": name,
            "replications": len(summary),
        }
    )


def _add_sweep(inputs: Inputs, path: Path, manifest: dict) -> None:
    folder = SweepFolder(path)
    holder = folder.in_use()
    if holder is not None:
        raise InputError(path, None, f"is being written by process {holder}; compare it after")
    if manifest.get("status") == "running":
        raise InputError(
            path,
            None,
            "holds a sweep that was stopped before it finished (its summary may be of an "
            "earlier session); finish it with `sanzhi sweep ... --resume` first",
        )
    summary = upgrade_summary(_read_table(_need(path, "summary.parquet")))
    summary = summary[summary["status"] == "ok"]
    factors = manifest["design"]["factors"]
    name = manifest.get("scenario", path.name)
    points = sorted(summary["point"].unique())
    series = None
    if len(points) <= MAX_TIMESERIES_GROUPS:
        names = [bundle_name(i) for i in range(len(manifest["bundles"]))]
        cols = ["point", "run_id", "day", *KEY_METRICS]
        parts = list(folder.timeseries(names, columns=cols))
        series = pd.concat(parts, ignore_index=True) if parts else None
    for p in points:
        rows = summary[summary["point"] == p].reset_index(drop=True)
        point = {f: _plain(rows[f].iloc[0]) for f in factors}
        label = f"{name}: " + ", ".join(f"{_short(k)}={_value(v)}" for k, v in point.items())
        ts = None
        if series is not None:
            ts = series[series["point"] == p].rename(columns={"run_id": "replication"})
        group = Group(label, str(path), rows, ts, point, scenario=name)
        base = _flatten(manifest.get("parameters") or {})
        levels = ((manifest.get("design") or {}).get("table") or {}).get("levels") or {}
        for factor, value in point.items():
            if factor in levels and str(value) in levels[factor]:
                base.update(levels[factor][str(value)])
            else:
                base[factor] = value
        _describe_from(group, None, manifest, base)
        inputs.groups.append(group)
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


def _describe_from(
    group: Group, parameters: dict | None, manifest: dict, flat: dict | None = None
) -> None:
    """What a results folder's manifest says was simulated."""
    group.parameters = flat if flat is not None else (_flatten(parameters) if parameters else None)
    if group.parameters:
        group.description = str(group.parameters.get("scenario.description", ""))
    group.seed = manifest.get("seed")
    group.seeds = list(manifest.get("replication_seeds") or [])


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in d.items():
        if isinstance(value, dict):
            out |= _flatten(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (for labels and JSON)."""
    return value.item() if hasattr(value, "item") else value


def _manifest(path: Path) -> dict:
    file = _need(path, "manifest.json")
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, OSError) as err:
        raise InputError(file, None, f"is damaged (not valid JSON: {err})") from None
    if not isinstance(manifest, dict):
        raise InputError(file, None, "is damaged (not a JSON object)")
    return manifest


def _read_table(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A Parquet table of a results folder; InputError naming it if it cannot be read."""
    try:
        return pd.read_parquet(path, columns=columns)
    except Exception as err:  # pyarrow's errors for a damaged or foreign file vary
        raise InputError(path, None, f"cannot be read ({reason(err)})") from None


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
            g.repeat = n


KINDS = {
    "scenario file (run for this report)": ("scenario file (run for this report)",
                                            "情景文件（为本报告运行）"),
    "results folder": ("results folder", "结果文件夹"),
    "sweep results folder (one group per point)": (
        "sweep results folder (one group per point)",
        "参数扫描结果文件夹（每个参数点一组）",
    ),
}  # fmt: skip


def kind_label(kind: str, lang: str) -> str:
    """How an input was read, in ``lang``."""
    return say(KINDS, kind, lang) if kind in KINDS else kind
