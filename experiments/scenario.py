"""Scenario files (TOML): loading, ``extends`` chains, overrides and parameter validation."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from experiments.errors import COMMAND_LINE as _CLI
from experiments.errors import InputError
from sim.params import ParameterError, Parameters

COMMAND_LINE = f"{_CLI} (--set)"
TABLES = ("sweep", "frontier")  # tables that are not parameters; their owners validate them


@dataclass(frozen=True)
class Scenario:
    """A scenario: validated parameters, where each value came from, and the raw tables
    that are not parameters (``[sweep]``, ``[frontier]``), which their owners validate
    (``experiments.sweeps.design``, ``experiments.analysis.frontier.costs``)."""

    params: Parameters
    path: Path | None = None
    files: tuple[Path, ...] = ()  # the file and everything it extends, outermost first
    origin: Mapping[str, str] = field(default_factory=dict)  # dotted key -> file or --set
    overrides: Mapping[str, Any] = field(default_factory=dict)
    sweep: Mapping[str, Any] | None = None  # the raw [sweep] table
    frontier: Mapping[str, Any] | None = None  # the raw [frontier] table

    @property
    def name(self) -> str:
        return self.params.scenario.name

    def source(self, table: str) -> str:
        """The file (or option) a table came from, for error messages."""
        return self.origin.get(table, str(self.path or "scenario"))

    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario:
        """The scenario with ``section.key`` overrides applied (as ``--set`` would)."""
        params = _validated(self.params.to_dict(), overrides, self.origin)
        return dataclasses.replace(
            self,
            params=params,
            origin=dict(self.origin) | dict.fromkeys(overrides, COMMAND_LINE),
            overrides=dict(self.overrides) | dict(overrides),
        )

    def with_sweep(self, sweep: Mapping[str, Any], source: str) -> Scenario:
        """The scenario with ``sweep`` (a ``[sweep]`` table from ``source``) as its design."""
        origin = dict(self.origin) | {"sweep": source}
        return dataclasses.replace(self, origin=origin, sweep=dict(sweep))


def load_scenario(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Read a scenario file (following ``extends``), apply ``section.key`` overrides, validate
    the parameters. Other tables are kept as they are, for their owners."""
    path = Path(path)
    overrides = dict(overrides or {})
    data, origin, files = _read_chain(path, ())
    tables = {name: data.pop(name, None) for name in TABLES}
    params = _validated(data, overrides, origin)
    origin |= dict.fromkeys(overrides, COMMAND_LINE)
    return Scenario(params, path, files, origin, overrides, **tables)


def parse_assignments(items: Iterable[str]) -> dict[str, Any]:
    """``["staffing.admin_load=0.4", "moral.moral_bank=true"]`` -> typed values (TOML syntax;
    a bare word that is not TOML is taken as a string)."""
    values: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(COMMAND_LINE, item, "expected section.key=value")
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
        raise InputError(seen[-1], "scenario.extends", f"circular extends: {cycle}")
    if not path.is_file():
        raise InputError(path, None, "file not found")
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise InputError(path, None, f"not valid TOML: {err}") from None
    except UnicodeDecodeError:
        raise InputError(path, None, "not a UTF-8 text file") from None
    own = {k: str(path) for k in _leaves(data)}
    parent = (
        data.get("scenario", {}).pop("extends", None)
        if isinstance(data.get("scenario"), dict)
        else None
    )
    if parent is None:
        return data, own, (path,)
    if not isinstance(parent, str):
        raise InputError(path, "scenario.extends", f"got {parent!r} (expected a file path)")
    parent_path = path.parent / parent
    if not parent_path.is_file():
        raise InputError(path, "scenario.extends", f"file not found: {parent_path}")
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
        raise InputError(_source_of(err.key, origin), err.key, explain(err)) from None
    if not overrides:
        return params
    try:
        return params.with_values(dict(overrides))
    except ParameterError as err:
        raise InputError(COMMAND_LINE, err.key, explain(err)) from None


def _source_of(key: str, origin: Mapping[str, str]) -> str:
    parts = key.split(".")
    parts[0] = parts[0].partition("[")[0]  # timeline[2].day: the [[timeline]] array's file
    for depth in range(len(parts), 0, -1):
        found = origin.get(".".join(parts[:depth]))
        if found:
            return found
    return next(iter(origin.values()), "scenario")


def explain(err: ParameterError) -> str:
    """A parameter error's reason and what was expected, for an InputError message."""
    return f"{err.reason} (expected {err.expected})" if err.expected else err.reason
