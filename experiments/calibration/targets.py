"""Calibration target files (TOML): observed outcomes, free parameters and search settings.

A target file names what the model should reproduce and which parameters may move::

    [search]                    # optional; these are the defaults
    rounds = 3                  # Latin-hypercube rounds, each in a smaller box
    samples = 40                # points per round
    replications = 2            # runs per point
    confirm_replications = 10   # runs at the fitted values
    shrink = 0.4                # each round's box is this share of the last one

    [parameters]                # the free parameters and their search ranges
    "behaviour.service_rate" = { low = 0.3, high = 1.2 }

    [targets.requests]          # one table per observed figure
    metric = "service_requests_per_household_year"
    value = 0.6
    tolerance = 0.06            # the model fits when |model - value| <= tolerance
    source = "Beijing 12345 (2020)"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from experiments.errors import InputError
from experiments.names import resolve_metric
from sim import Parameters
from sim.params import did_you_mean

SEARCH = {
    "rounds": (3, int, 1, 10),
    "samples": (40, int, 4, 100_000),
    "replications": (2, int, 1, 1000),
    "confirm_replications": (10, int, 2, 1000),
    "shrink": (0.4, float, 0.05, 1.0),
}
TARGET_KEYS = ("metric", "value", "tolerance", "source", "note")


@dataclass(frozen=True)
class Target:
    name: str
    metric: str
    value: float
    tolerance: float
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class FreeParameter:
    key: str  # dotted parameter key
    low: float
    high: float


@dataclass(frozen=True)
class TargetFile:
    """A validated target file."""

    path: Path
    targets: tuple[Target, ...]
    parameters: tuple[FreeParameter, ...]
    rounds: int = 3
    samples: int = 40
    replications: int = 2
    confirm_replications: int = 10
    shrink: float = 0.4

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.parameters]


def load_targets(path: str | Path) -> TargetFile:
    """Read and validate a target file; raise InputError naming the file and key."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, None, "no such target file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise InputError(path, None, f"not valid TOML ({err})") from None
    for key in data:
        if key not in ("search", "parameters", "targets"):
            raise InputError(
                path,
                key,
                "unknown section" + did_you_mean(key, ("search", "parameters", "targets")),
            )
    search = _search(data.get("search", {}), path)
    parameters = _parameters(data.get("parameters"), path)
    targets = _targets(data.get("targets"), path)
    return TargetFile(path, targets, parameters, **search)


def _search(raw: Any, path: Path) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InputError(path, "search", "must be a table")
    for key in raw:
        if key not in SEARCH:
            raise InputError(path, f"search.{key}", "unknown key" + did_you_mean(key, SEARCH))
    out = {}
    for key, (default, kind, low, high) in SEARCH.items():
        value = raw.get(key, default)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if kind is int:
            ok = ok and float(value).is_integer()
        if not ok or not low <= value <= high:
            expected = "a whole number" if kind is int else "a number"
            raise InputError(
                path, f"search.{key}", f"got {value!r} (expected {expected} in [{low}, {high}])"
            )
        out[key] = kind(value)
    return out


def _parameters(raw: Any, path: Path) -> tuple[FreeParameter, ...]:
    if not isinstance(raw, dict) or not raw:
        raise InputError(path, "parameters", "missing: name the free parameters to fit")
    specs = {key: (kind, spec.low, spec.high) for key, _, kind, spec in Parameters.specs()}
    out = []
    for key, bounds in raw.items():
        where = f"parameters.{key}"
        if key not in specs:
            raise InputError(path, where, "unknown parameter" + did_you_mean(key, specs))
        kind, lo, hi = specs[key]
        if kind is not float:
            raise InputError(path, where, "only real-valued parameters can be fitted")
        if not isinstance(bounds, dict) or set(bounds) != {"low", "high"}:
            raise InputError(path, where, "expected { low = ..., high = ... }")
        low, high = bounds["low"], bounds["high"]
        for name, v in (("low", low), ("high", high)):
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise InputError(path, f"{where}.{name}", f"got {v!r} (expected a number)")
        if not high > low:
            raise InputError(path, where, f"high ({high}) must be greater than low ({low})")
        if (lo is not None and low < lo) or (hi is not None and high > hi):
            raise InputError(path, where, f"range [{low}, {high}] leaves [{lo}, {hi}]")
        out.append(FreeParameter(key, float(low), float(high)))
    return tuple(out)


def _targets(raw: Any, path: Path) -> tuple[Target, ...]:
    if not isinstance(raw, dict) or not raw:
        raise InputError(path, "targets", "missing: give at least one [targets.NAME] table")
    out = []
    for name, table in raw.items():
        where = f"targets.{name}"
        if not isinstance(table, dict):
            raise InputError(path, where, "must be a table")
        for key in table:
            if key not in TARGET_KEYS:
                raise InputError(
                    path, f"{where}.{key}", "unknown key" + did_you_mean(key, TARGET_KEYS)
                )
        metric = table.get("metric")
        if not isinstance(metric, str):
            raise InputError(path, f"{where}.metric", f"got {metric!r} (expected a name)")
        metric = resolve_metric(metric, str(path), f"{where}.metric")
        numbers = {}
        for key in ("value", "tolerance"):
            v = table.get(key)
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise InputError(path, f"{where}.{key}", f"got {v!r} (expected a number)")
            numbers[key] = float(v)
        if not numbers["tolerance"] > 0:
            raise InputError(path, f"{where}.tolerance", "must be greater than 0")
        out.append(
            Target(
                name,
                metric,
                numbers["value"],
                numbers["tolerance"],
                str(table.get("source", "")),
                str(table.get("note", "")),
            )
        )
    return tuple(out)
