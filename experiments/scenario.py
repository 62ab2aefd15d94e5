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
MAX_EXTENDS = 32  # files in one extends chain: deeper is a mistake, not a design
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

    def with_overrides(
        self, overrides: Mapping[str, Any], flags: Mapping[str, str] | None = None
    ) -> Scenario:
        """The scenario with ``section.key`` overrides applied (as ``--set`` would; ``flags``
        names the option that set a key, e.g. ``{"scenario.replications": "--replications"}``)."""
        labels = _labels(overrides, flags)
        params = _validated(self.params.to_dict(), overrides, self.origin, labels, self.files)
        if self.sweep is None:
            _checked(params, dict(self.origin) | labels, self.files)
        return dataclasses.replace(
            self,
            params=params,
            origin=dict(self.origin) | labels,
            overrides=dict(self.overrides) | dict(overrides),
        )

    def with_sweep(self, sweep: Mapping[str, Any], source: str) -> Scenario:
        """The scenario with ``sweep`` (a ``[sweep]`` table from ``source``) as its design."""
        origin = dict(self.origin) | {"sweep": source}
        return dataclasses.replace(self, origin=origin, sweep=dict(sweep))


def load_scenario(
    path: str | Path,
    overrides: Mapping[str, Any] | None = None,
    flags: Mapping[str, str] | None = None,
) -> Scenario:
    """Read a scenario file (following ``extends``), apply ``section.key`` overrides, validate
    the parameters, and (without a ``[sweep]``, whose points are checked run by run) the
    rules between parameters (``Parameters.check``). ``flags`` names the option that set an
    override, for messages (default ``--set``). Other tables are kept for their owners."""
    path = Path(path)
    overrides = dict(overrides or {})
    data, origin, files = _read_chain(path, ())
    tables = {name: data.pop(name, None) for name in TABLES}
    labels = _labels(overrides, flags)
    params = _validated(data, overrides, origin, labels, files)
    origin |= labels
    if tables["sweep"] is None:
        _checked(params, origin, files)
    return Scenario(params, path, files, origin, overrides, **tables)


def _labels(overrides: Mapping[str, Any], flags: Mapping[str, str] | None) -> dict[str, str]:
    """Where each override came from: ``command line (--set)`` or the option's name."""
    flags = flags or {}
    return {key: f"{_CLI} ({flags[key]})" if key in flags else COMMAND_LINE for key in overrides}


def _checked(params: Parameters, origin: Mapping[str, str], files: tuple[Path, ...]) -> None:
    """The rules between parameters, as an InputError naming the file (or option) of the key."""
    try:
        params.check()
    except ParameterError as err:
        raise _in_file(err, origin, files) from None


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
    """The merged tables of ``path`` and the files it extends, iteratively (a chain has
    at most ``MAX_EXTENDS`` files); an error in an extended file also names the file and
    key that led there."""
    chain: list[tuple[Path, dict]] = []
    via: str | None = None  # "a.toml: scenario.extends" that led to path
    while True:
        resolved = path.resolve()
        if resolved in seen:
            cycle = " -> ".join(str(p) for p in (*seen, resolved))
            raise InputError(seen[-1], "scenario.extends", f"circular extends: {cycle}")
        if len(chain) >= MAX_EXTENDS:
            raise InputError(
                chain[-1][0],
                "scenario.extends",
                f"the extends chain is longer than {MAX_EXTENDS} files ({chain[0][0]} -> ...)",
            )
        data = _read_file(path, via)
        chain.append((path, data))
        seen = (*seen, resolved)
        parent = (
            data.get("scenario", {}).pop("extends", None)
            if isinstance(data.get("scenario"), dict)
            else None
        )
        if parent is None:
            break
        if not isinstance(parent, str):
            raise InputError(path, "scenario.extends", f"got {parent!r} (expected a file path)")
        parent_path = path.parent / parent
        if not parent_path.is_file():
            what = "is a folder" if parent_path.is_dir() else "file not found"
            raise InputError(path, "scenario.extends", f"{what}: {parent_path}")
        via = f"{path}: scenario.extends"
        path = parent_path
    data, origin, files = {}, {}, ()
    for file, own in reversed(chain):  # the base first, each file over it
        data = _merge(data, own)
        origin |= {k: str(file) for k in _leaves(own)}
        files = (*files, file)
    return data, origin, files


def _read_file(path: Path, via: str | None) -> dict:
    """One TOML file's tables; a UTF-8 byte-order mark is allowed (Windows editors write it)."""
    reached = f" (reached through {via})" if via else ""
    if path.is_dir():
        raise InputError(path, None, f"is a folder, not a scenario file{reached}")
    if not path.exists():
        raise InputError(path, None, f"file not found{reached}")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(path, None, f"cannot be read: {err.strerror or err}{reached}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, None, f"not a UTF-8 text file{reached}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError(path, None, f"not valid TOML: {err}{reached}") from None


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


def _validated(
    data: dict,
    overrides: Mapping[str, Any],
    origin: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
    files: tuple[Path, ...] = (),
) -> Parameters:
    try:
        params = Parameters.from_dict(data)
    except ParameterError as err:
        raise _in_file(err, origin, files) from None
    if not overrides:
        return params
    try:
        return params.with_values(dict(overrides))
    except ParameterError as err:
        source = (labels or {}).get(err.key, COMMAND_LINE)
        raise InputError(source, err.key, explain(err)) from None


def _in_file(err: ParameterError, origin: Mapping[str, str], files: tuple[Path, ...]) -> InputError:
    """The error naming the file (or option) its key came from, and for a file reached
    through ``extends`` the file and key that led there."""
    source = _source_of(err.key, origin)
    names = [str(f) for f in files]
    via = ""
    if source in names[:-1]:  # files lists the base first: the next file extends it
        via = f" (reached through {names[names.index(source) + 1]}: scenario.extends)"
    return InputError(source, err.key, explain(err) + via)


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
