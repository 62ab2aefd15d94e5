"""The ``[sweep.practices]`` table of a fusion scenario: which practices the fusion analysis
switches, and the sweep that runs the subsets its decomposition needs.

A practice is a named table of parameter switches, ``"section.key" = value when on``; off,
each key keeps the scenario's value. The machinery does not know what a practice is: any
parameters will do, and several switches in one table make one practice (a group)::

    [sweep.practices]
    exact_up_to = 4                       # exact Shapley up to 4 practices (default 4)

    [sweep.practices.public_jury]
    "self_governance.public_jury" = true

The fusion wing turns the table into one more level factor of the grid, ``practices``,
whose levels are the subsets of practices that are on (``attribution.subsets``): the full
model (all on) first, then none, then the rest. Every subset runs the whole 2x2x2 mode
design at every coordination level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from experiments.analysis.fusion.attribution import EXACT_UP_TO, estimator_for, members, subsets
from experiments.errors import InputError
from experiments.scenario import Scenario, explain
from experiments.sweeps.design import NAME, check_key
from sim.params import ParameterError, Parameters, did_you_mean

TABLE = "practices"  # [sweep.practices]; also the level factor's name and result column
SETTINGS = ("exact_up_to",)


@dataclass(frozen=True)
class Practices:
    """The validated ``[sweep.practices]``: practice -> {key: value when on}, the scenario's
    values of those keys (off), and the estimator of the decomposition."""

    switches: Mapping[str, Mapping[str, Any]]
    off: Mapping[str, Any]
    exact_up_to: int = EXACT_UP_TO

    @property
    def names(self) -> list[str]:
        return list(self.switches)

    @property
    def estimator(self) -> str:
        return estimator_for(len(self.switches), self.exact_up_to)

    @property
    def full(self) -> str:
        """The label of the full model (every practice on)."""
        return self.subsets()[0]

    def subsets(self) -> list[str]:
        return subsets(self.names, self.estimator)

    def level(self, subset: str) -> dict[str, Any]:
        """The parameter values of one subset: its practices' switches on, the rest off."""
        on = members(subset)
        out = dict(self.off)
        for name in on:
            out |= self.switches[name]
        return out


def practices_of(scenario: Scenario) -> Practices | None:
    """The scenario's ``[sweep.practices]``, validated; None when it names none."""
    sweep = scenario.sweep
    if not isinstance(sweep, Mapping) or TABLE not in sweep:
        return None
    return parse_practices(sweep[TABLE], scenario.source("sweep"), scenario.params, sweep)


def parse_practices(
    table: Any, source: str, params: Parameters, sweep: Mapping[str, Any] | None = None
) -> Practices:
    """Validate a ``[sweep.practices]`` table from ``source`` (InputError naming the key)."""
    where = f"sweep.{TABLE}"
    if not isinstance(table, Mapping):
        raise InputError(source, where, "must be a table of practices")
    exact_up_to = table.get("exact_up_to", EXACT_UP_TO)
    if isinstance(exact_up_to, bool) or not isinstance(exact_up_to, int) or exact_up_to < 0:
        raise InputError(
            source, f"{where}.exact_up_to", f"got {exact_up_to!r} (expected an integer >= 0)"
        )
    specs = {key for key, *_ in Parameters.specs()}
    swept = _swept_keys(sweep or {})
    switches: dict[str, dict[str, Any]] = {}
    owner: dict[str, str] = {}
    for name, keys in table.items():
        if name in SETTINGS:
            continue
        at = f"{where}.{name}"
        if not isinstance(keys, Mapping):
            raise InputError(
                source,
                at,
                f'got {keys!r}: a practice is a table of "section.key" = value when on '
                f"(settings: {', '.join(SETTINGS)})" + did_you_mean(name, SETTINGS),
            )
        if not NAME.match(name):
            raise InputError(source, at, "a practice's name must be a plain word (no dots)")
        if not keys:
            raise InputError(source, at, 'empty: expected "section.key" = value when on')
        for key in keys:
            check_key(key, specs, source, f"{at}.{key}", "switched")
            if key in owner:
                raise InputError(
                    source, f"{at}.{key}", f"already switched by practice {owner[key]!r}"
                )
            if key in swept:
                raise InputError(
                    source,
                    f"{at}.{key}",
                    f"is also swept by {swept[key]}; a practice's keys must be left to it",
                )
            owner[key] = name
        try:
            on = params.with_values(dict(keys))
        except ParameterError as err:
            raise InputError(source, f"{at}.{err.key}", explain(err)) from None
        switches[name] = {key: on.get(key) for key in keys}
        if all(switches[name][key] == params.get(key) for key in keys):
            raise InputError(
                source,
                at,
                "switching it on changes nothing: every key already has this value in the "
                "scenario (off is the scenario's value)",
            )
    if not switches:
        raise InputError(source, where, "names no practice (expected [sweep.practices.<name>])")
    off = {key: params.get(key) for key in owner}
    return Practices(switches, off, exact_up_to)


def _swept_keys(sweep: Mapping[str, Any]) -> dict[str, str]:
    """Key -> what sweeps it in the rest of the ``[sweep]`` table (unvalidated)."""
    out: dict[str, str] = {}
    parameters = sweep.get("parameters", {})
    if isinstance(parameters, Mapping):
        out |= {key: f"sweep.parameters.{key}" for key in parameters}
    levels = sweep.get("levels", {})
    if isinstance(levels, Mapping):
        for factor, table in levels.items():
            for values in table.values() if isinstance(table, Mapping) else ():
                if isinstance(values, Mapping):
                    out |= {key: f"sweep.levels.{factor}" for key in values}
    return out


def expanded(scenario: Scenario) -> tuple[Scenario, Practices | None]:
    """The scenario whose ``[sweep]`` runs the practices' subsets as one more level factor
    (``practices``), and the practices; the scenario itself when it names none."""
    practices = practices_of(scenario)
    if practices is None:
        return scenario, None
    sweep = {k: v for k, v in scenario.sweep.items() if k != TABLE}
    levels = dict(sweep.get("levels", {}))
    if TABLE in levels:
        raise InputError(
            scenario.source("sweep"),
            f"sweep.levels.{TABLE}",
            "is the name of the practices' factor ([sweep.practices]); use another name",
        )
    levels[TABLE] = {subset: practices.level(subset) for subset in practices.subsets()}
    sweep["levels"] = levels
    return scenario.with_sweep(sweep, scenario.source("sweep")), practices
