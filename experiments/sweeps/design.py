"""The ``[sweep]`` section: validate it, then expand it into parameter points.

A sweep has *factors*. A factor is either one parameter (``[sweep.parameters]``) or a named
set of linked parameters switched together (``[sweep.levels.<name>]``, e.g. ``off``/``on``).
A factor's values are a list, ``{start, stop, num}`` (evenly spaced, both ends included) or,
for the sampled designs, a continuous ``{low, high}`` range. ``grid`` crosses every value of
every factor; ``lhs``, ``sobol`` and ``morris`` draw ``samples`` with SALib, mapping a
sampled number in [0, 1) onto a discrete factor's values.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from SALib import ProblemSpec
from SALib.sample import latin, morris, sobol

from experiments.errors import InputError
from experiments.scenario import COMMAND_LINE, Scenario, explain
from sim.params import ParameterError, Parameters, did_you_mean
from sim.timeline import sweepable

DESIGNS = ("grid", "lhs", "sobol", "morris")
SAMPLED = ("lhs", "sobol", "morris")
MORRIS_LEVELS = 4  # the grid of Morris trajectories
SWEEP_KEYS = ("design", "samples", "parameters", "levels")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Factor:
    """One swept dimension: a parameter, or a named set of linked parameters."""

    name: str  # dotted parameter key, or the level factor's name
    values: tuple[Any, ...] = ()  # discrete values (a parameter's values or level names)
    low: float | None = None  # continuous range (sampled designs only)
    high: float | None = None
    integer: bool = False  # round sampled values (integer parameters)
    levels: Mapping[str, Mapping[str, Any]] | None = None  # level name -> {key: value}

    @property
    def continuous(self) -> bool:
        return self.low is not None

    def parameter_keys(self) -> list[str]:
        """The parameters this factor sets."""
        if self.levels is None:
            return [self.name]
        return list(next(iter(self.levels.values())))

    def assignments(self, value: Any) -> dict[str, Any]:
        """``{dotted key: value}`` that one value of this factor sets."""
        return dict(self.levels[value]) if self.levels is not None else {self.name: value}


@dataclass(frozen=True)
class Design:
    """A validated ``[sweep]`` table: how points are chosen (``method``: grid, lhs, sobol or
    morris), the factors, the number of samples of a sampled design and the file it came
    from."""

    method: str
    factors: tuple[Factor, ...]
    samples: int | None = None
    source: str = ""

    def problem(self) -> ProblemSpec:
        """SALib's problem of a design of ranges: the factors' names and {low, high} bounds."""
        if any(not f.continuous for f in self.factors):
            raise InputError(self.source, "sweep", "expected a sampled design of ranges")
        names = [f.name for f in self.factors]
        return ProblemSpec({"names": names, "bounds": [[f.low, f.high] for f in self.factors]})

    @property
    def columns(self) -> list[str]:
        """Result columns describing a point: factor names, then linked parameters' keys."""
        cols = [f.name for f in self.factors]
        for f in self.factors:
            if f.levels is not None:
                cols += [k for k in f.parameter_keys() if k not in cols]
        return cols


def design_of(scenario: Scenario) -> Design:
    """The scenario's ``[sweep]`` table, validated against its parameters and ``--set``
    overrides; InputError if it has none or it is wrong."""
    if scenario.sweep is None:
        raise InputError(
            scenario.path or "scenario", "sweep", "missing: this file has no [sweep] section"
        )
    return parse_sweep(
        scenario.sweep, scenario.source("sweep"), scenario.params, scenario.overrides
    )


def parse_sweep(
    sweep: Any, source: str, params: Parameters, overrides: Mapping[str, Any] | None = None
) -> Design:
    """The validated :class:`Design` of a ``[sweep]`` table from ``source``; a ``--set``
    override of a swept key is refused (the sweep would overwrite it)."""
    design = _parse(sweep, source, params)
    for key in overrides or {}:
        for factor in design.factors:
            if key in factor.parameter_keys():
                raise InputError(
                    COMMAND_LINE,
                    key,
                    f"is swept by the [sweep] section of {source}; a --set value would be "
                    "overridden (remove one of them)",
                )
    return design


def _parse(sweep: Any, source: str, params: Parameters) -> Design:
    if not isinstance(sweep, dict):
        raise InputError(source, "sweep", "must be a table")
    for key in sweep:
        if key == "practices":  # the fusion wing's table (analysis.fusion.practices)
            raise InputError(
                source,
                "sweep.practices",
                "is read by `sanzhi fusion` only, which runs the practices' subsets; "
                "another command would ignore it",
            )
        if key not in SWEEP_KEYS:
            raise InputError(source, f"sweep.{key}", "unknown key" + did_you_mean(key, SWEEP_KEYS))
    method = sweep.get("design", "grid")
    if method not in DESIGNS:
        raise InputError(
            source,
            "sweep.design",
            f"got {method!r}{did_you_mean(str(method), DESIGNS)} "
            f"(expected one of {', '.join(DESIGNS)})",
        )
    samples = _samples(sweep, method, source)
    specs = {key: kind_ for key, _, kind_, _ in Parameters.specs()}
    specs |= sweepable(params)  # timeline.<n>.day, .value, ... (docs/timeline.md)
    raw_params = sweep.get("parameters", {})
    raw_levels = sweep.get("levels", {})
    for name, table in (("parameters", raw_params), ("levels", raw_levels)):
        if not isinstance(table, dict):
            raise InputError(source, f"sweep.{name}", "must be a table")
    factors = [
        _parameter_factor(key, value, method, specs, params, source)
        for key, value in raw_params.items()
    ]
    factors += [
        _level_factor(name, table, specs, params, source) for name, table in raw_levels.items()
    ]
    if not factors:
        raise InputError(source, "sweep.parameters", "nothing to sweep (no parameters)")
    _check_disjoint(factors, source)
    return Design(method, tuple(factors), samples, source)


def expand(design: Design, seed: int) -> list[dict[str, Any]]:
    """The points of a design, in a fixed order: ``{column: value}`` per point.

    Sampled designs draw with ``seed``, so a design always expands to the same points.
    """
    if design.method == "grid":
        choices = itertools.product(*(f.values for f in design.factors))
    else:
        unit = _unit_samples(design, seed)
        choices = (
            [_from_unit(f, u) for f, u in zip(design.factors, row, strict=True)] for row in unit
        )
    points = []
    for chosen in choices:
        point: dict[str, Any] = {}
        for factor, value in zip(design.factors, chosen, strict=True):
            point[factor.name] = value
            if factor.levels is not None:
                point |= factor.assignments(value)
        points.append(point)
    return points


def assignments(design: Design, point: Mapping[str, Any]) -> dict[str, Any]:
    """The ``{dotted key: value}`` parameter changes of one point."""
    out: dict[str, Any] = {}
    for factor in design.factors:
        out |= factor.assignments(point[factor.name])
    return out


def _samples(sweep: dict, method: str, source: str) -> int | None:
    samples = sweep.get("samples")
    if method == "grid":
        if samples is not None:
            raise InputError(source, "sweep.samples", "only for lhs, sobol and morris designs")
        return None
    if samples is None:
        raise InputError(source, "sweep.samples", f"missing: design {method!r} needs samples")
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise InputError(source, "sweep.samples", f"got {samples!r} (expected a positive integer)")
    if method == "sobol" and samples & (samples - 1):
        raise InputError(
            source,
            "sweep.samples",
            f"got {samples} (Sobol' sequences need a power of 2, e.g. "
            f"{2 ** math.floor(math.log2(samples))} or {2 ** math.ceil(math.log2(samples))})",
        )
    return samples


def _parameter_factor(
    key: str, raw: Any, method: str, specs: dict, params: Parameters, source: str
) -> Factor:
    where = f"sweep.parameters.{key}"
    if key not in specs:
        raise InputError(source, where, "unknown parameter" + did_you_mean(key, specs))
    if key.startswith("scenario."):
        raise InputError(
            source, where, "scenario settings (steps, seed, replications) cannot be swept"
        )
    ptype = specs[key]
    if isinstance(raw, dict) and set(raw) <= {"low", "high"}:
        if method not in SAMPLED:
            raise InputError(
                source,
                where,
                "a {low, high} range needs a sampled design (lhs, sobol or morris); for a grid "
                "give a list or {start, stop, num}",
            )
        low, high = _number(raw, "low", where, source), _number(raw, "high", where, source)
        if not high > low:
            raise InputError(source, where, f"high ({high}) must be greater than low ({low})")
        if ptype not in (int, float):
            raise InputError(
                source, where, f"a range needs a numeric parameter, not {ptype.__name__}"
            )
        low, high = (_typed(params, key, x, source, where) for x in (low, high))
        return Factor(key, low=low, high=high, integer=ptype is int)
    values = _values(raw, where, source)
    typed = tuple(_typed(params, key, v, source, where) for v in values)
    if len(set(typed)) != len(typed):
        raise InputError(source, where, f"repeated values in {list(typed)}")
    return Factor(key, values=typed)


def _values(raw: Any, where: str, source: str) -> list[Any]:
    if isinstance(raw, list):
        if not raw:
            raise InputError(source, where, "empty list (expected at least one value)")
        return raw
    if isinstance(raw, dict):
        unknown = set(raw) - {"start", "stop", "num"}
        if unknown or set(raw) != {"start", "stop", "num"}:
            raise InputError(
                source,
                where,
                f"got keys {sorted(raw)} (expected {{start, stop, num}} or {{low, high}})",
            )
        start, stop = _number(raw, "start", where, source), _number(raw, "stop", where, source)
        num = raw["num"]
        if isinstance(num, bool) or not isinstance(num, int) or num < 1:
            raise InputError(source, f"{where}.num", f"got {num!r} (expected a positive integer)")
        if stop < start:
            raise InputError(source, f"{where}.stop", f"stop ({stop}) is less than start ({start})")
        if num > 1 and stop == start:
            raise InputError(source, f"{where}.stop", f"equals start; {num} values would repeat")
        both_int = all(isinstance(raw[k], int) for k in ("start", "stop"))
        grid = np.linspace(start, stop, num)
        if both_int and np.allclose(grid, np.round(grid)):
            return [int(x) for x in np.round(grid)]
        return [float(f"{x:.12g}") for x in grid]  # 0.15, not 0.15000000000000002
    raise InputError(
        source, where, f"got {raw!r} (expected a list, {{start, stop, num}} or {{low, high}})"
    )


def _level_factor(name: str, table: Any, specs: dict, params: Parameters, source: str) -> Factor:
    where = f"sweep.levels.{name}"
    if not NAME.match(name):
        raise InputError(source, where, "a level factor's name must be a plain word (no dots)")
    if not isinstance(table, dict) or not table:
        raise InputError(
            source, where, "expected a table of named levels, e.g. off = {...} and on = {...}"
        )
    levels: dict[str, dict[str, Any]] = {}
    first: list[str] | None = None
    for level, values in table.items():
        at = f"{where}.{level}"
        if not isinstance(values, dict) or not values:
            raise InputError(source, at, 'expected a table of "section.key" = value')
        for key in values:
            check_key(key, specs, source, f"{at}.{key}")
        if first is None:
            first = list(values)
        elif set(values) != set(first):
            missing = sorted(set(first) ^ set(values))
            raise InputError(
                source, at, f"every level must set the same keys; differs in {', '.join(missing)}"
            )
        try:
            resolved = _resolved(params.with_values(dict(values)), values)
        except ParameterError as err:
            raise InputError(source, f"{at}.{err.key}", explain(err)) from None
        levels[level] = {key: resolved[key] for key in first}
    return Factor(name, values=tuple(levels), levels=levels)


def check_key(key: str, specs: Any, source: str, where: str, verb: str = "swept") -> None:
    """InputError unless ``key`` is a parameter (with a did-you-mean) other than the
    scenario's own settings."""
    if key not in specs:
        raise InputError(source, where, "unknown parameter" + did_you_mean(key, specs))
    if key.startswith("scenario."):
        raise InputError(source, where, f"scenario settings cannot be {verb}")


def _resolved(params: Parameters, keys: Any) -> dict[str, Any]:
    return {key: params.get(key) for key in keys}


def _check_disjoint(factors: list[Factor], source: str) -> None:
    owner: dict[str, str] = {}
    for factor in factors:
        for key in factor.parameter_keys():
            if key in owner:
                raise InputError(
                    source, f"sweep.{key}", f"swept twice (by {owner[key]} and {factor.name})"
                )
            owner[key] = factor.name


def _typed(params: Parameters, key: str, value: Any, source: str, where: str) -> Any:
    """The value as the parameter's type, validated against its range."""
    try:
        return params.with_values({key: value}).get(key)
    except ParameterError as err:
        raise InputError(source, where, explain(err)) from None


def _number(raw: dict, name: str, where: str, source: str) -> float:
    value = raw.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(source, f"{where}.{name}", f"got {value!r} (expected a number)")
    return value


def _unit_samples(design: Design, seed: int) -> np.ndarray:
    return unit_sample(design.method, [f.name for f in design.factors], design.samples, seed)


def unit_sample(method: str, names: list[str], n: int, seed: int) -> np.ndarray:
    """SALib's ``method`` sample over [0, 1] per factor; ranges are applied afterwards, so
    grid-like (discrete) and continuous factors share one sample."""
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if method == "lhs":
        return latin.sample(problem, n, seed=seed)
    if method == "sobol":
        return sobol.sample(problem, n, calc_second_order=True, seed=seed)
    if method == "morris":
        return morris.sample(problem, n, num_levels=MORRIS_LEVELS, seed=seed)
    raise ValueError(f"method must be one of {SAMPLED}, not {method!r}")


def _from_unit(factor: Factor, u: float) -> Any:
    if factor.continuous:
        x = factor.low + float(u) * (factor.high - factor.low)
        return round(x) if factor.integer else x
    k = len(factor.values)
    return factor.values[min(int(u * k), k - 1)]
