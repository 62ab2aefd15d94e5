"""Scenario files (TOML): loading, ``extends`` chains, overrides and validation."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.params import ParameterError, Parameters

from .errors import ScenarioError
from .staffing_costs import check_costs
from .sweep_design import check_sweep

COMMAND_LINE = "command line (--set)"


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: its parameters, where each value came from, and its sweep."""

    params: Parameters
    path: Path | None = None
    files: tuple[Path, ...] = ()  # the file and everything it extends, outermost first
    origin: Mapping[str, str] = field(default_factory=dict)  # dotted key -> file or --set
    overrides: Mapping[str, Any] = field(default_factory=dict)
    sweep: Mapping[str, Any] | None = None
    design: Any = field(default=None, compare=False, repr=False)  # the validated sweep design
    frontier: Mapping[str, Any] | None = None  # [frontier] table: staffing costs (frontier.py)

    @property
    def name(self) -> str:
        return self.params.scenario.name

    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario:
        params = _validated(self.params.to_dict() | {}, overrides, self.origin)
        origin = dict(self.origin) | dict.fromkeys(overrides, COMMAND_LINE)
        merged = dict(self.overrides) | dict(overrides)
        design = None
        if self.sweep is not None:
            source = self.origin.get("sweep", str(self.path))
            design = check_sweep(self.sweep, source, params, overrides)
        return Scenario(
            params, self.path, self.files, origin, merged, self.sweep, design, self.frontier
        )

    def with_sweep(self, sweep: Mapping[str, Any], source: str) -> Scenario:
        """The scenario with ``sweep`` (a ``[sweep]`` table from ``source``) as its design."""
        design = check_sweep(sweep, source, self.params, self.overrides)
        origin = dict(self.origin) | {"sweep": source}
        return dataclasses.replace(self, origin=origin, sweep=dict(sweep), design=design)


def load_scenario(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Read a scenario file (following ``extends``), apply ``section.key`` overrides, validate."""
    path = Path(path)
    data, origin, files = _read_chain(path, ())
    sweep = data.pop("sweep", None)
    frontier = data.pop("frontier", None)
    if frontier is not None:
        check_costs(frontier, origin.get("frontier", str(path)))
    params = _validated(data, overrides or {}, origin)
    design = None
    if sweep is not None:
        design = check_sweep(sweep, origin.get("sweep", str(path)), params, overrides or {})
    origin |= dict.fromkeys(overrides or {}, COMMAND_LINE)
    return Scenario(params, path, files, origin, dict(overrides or {}), sweep, design, frontier)


def parse_assignments(items: Iterable[str]) -> dict[str, Any]:
    """``["staffing.admin_load=0.4", "moral.moral_bank=true"]`` -> typed values (TOML syntax;
    a bare word that is not TOML is taken as a string)."""
    values: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ScenarioError(COMMAND_LINE, item, "expected section.key=value")
        try:
            values[key] = tomllib.loads(f"v = {text.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            values[key] = text.strip()
    return values


def _read_chain(
    path: Path, seen: tuple[Path, ...]
) -> tuple[dict, dict[str, str], tuple[Path, ...]]:
    resolved = path.resolve()
    if resolved in seen:
        cycle = " -> ".join(str(p) for p in (*seen, resolved))
        raise ScenarioError(seen[-1], "scenario.extends", f"circular extends: {cycle}")
    if not path.is_file():
        raise ScenarioError(path, None, "file not found")
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(path, None, f"not valid TOML: {err}") from None
    except UnicodeDecodeError:
        raise ScenarioError(path, None, "not a UTF-8 text file") from None
    own = {k: str(path) for k in _leaves(data)}
    parent = (
        data.get("scenario", {}).pop("extends", None)
        if isinstance(data.get("scenario"), dict)
        else None
    )
    if parent is None:
        return data, own, (path,)
    if not isinstance(parent, str):
        raise ScenarioError(path, "scenario.extends", f"got {parent!r} (expected a file path)")
    parent_path = path.parent / parent
    if not parent_path.is_file():
        raise ScenarioError(path, "scenario.extends", f"file not found: {parent_path}")
    base, origin, files = _read_chain(parent_path, (*seen, resolved))
    return _merge(base, data), origin | own, (*files, path)


def _merge(base: dict, top: dict) -> dict:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "sweep":
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _leaves(d: Mapping[str, Any], prefix: str = "") -> Iterable[str]:
    for key, value in d.items():
        if isinstance(value, dict) and key != "sweep":
            yield prefix + key  # sections too, so an unknown section can be traced
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield prefix + key


def _validated(data: dict, overrides: Mapping[str, Any], origin: Mapping[str, str]) -> Parameters:
    try:
        params = Parameters.from_dict(data)
    except ParameterError as err:
        raise ScenarioError(_source_of(err.key, origin), err.key, _explain(err)) from None
    if not overrides:
        return params
    try:
        return params.with_values(dict(overrides))
    except ParameterError as err:
        raise ScenarioError(COMMAND_LINE, err.key, _explain(err)) from None


def _source_of(key: str, origin: Mapping[str, str]) -> str:
    parts = key.split(".")
    for depth in range(len(parts), 0, -1):
        found = origin.get(".".join(parts[:depth]))
        if found:
            return found
    return next(iter(origin.values()), "scenario")


def _explain(err: ParameterError) -> str:
    return f"{err.reason} (expected {err.expected})" if err.expected else err.reason
