"""The model as a plain function, ``dict of parameters -> dict of outcomes``, for tools that
drive a model by calling it (SALib, the EMA Workbench, optimisers, notebooks).

    >>> from experiments.model_function import evaluate
    >>> evaluate({"staffing.admin_load": 0.5, "population.households": 300, "scenario.steps": 60})
    {'issues_raised': ..., 'escalations_per_1000_households_year': ..., ...}

Parameters are dotted ``section.key`` names (or nested dicts, or ``section__key`` where a
tool needs identifiers), validated like a scenario file. Outcomes are each metric's mean over
the last days of a run (``SUMMARY_WINDOW``), averaged over replications. The seeds are the
scenario's replication seeds (common random numbers), so equal parameters give equal
outcomes: a deterministic function.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from experiments.columns import SUMMARY_WINDOW
from experiments.errors import InputError
from experiments.names import resolve_metric
from experiments.runner import replication_seeds, simulate
from experiments.scenario import Scenario, explain, load_scenario
from sim import METRICS
from sim.params import ParameterError, Parameters

SOURCE = "model function"


def evaluate(
    params: Mapping[str, Any] | None = None,
    *,
    scenario: Scenario | str | Path | None = None,
    seed: int | None = None,
    replications: int = 1,
    metrics: Sequence[str] | None = None,
) -> dict[str, float]:
    """Run the model with ``params`` over ``scenario`` (default: built-in defaults) and return
    ``{metric: mean over the last SUMMARY_WINDOW days}``, averaged over ``replications`` runs.

    ``seed`` defaults to the scenario's seed. Raises InputError (a ValueError) for an
    unknown parameter or a value out of range.
    """
    base = _base(scenario)
    values = flatten(params or {})
    try:
        resolved = base.with_values(values)
    except ParameterError as err:
        raise InputError(SOURCE, err.key, explain(err)) from None
    if metrics is None:
        names = [m.name for m in METRICS]
    else:
        names = [resolve_metric(name, SOURCE, "metrics") for name in metrics]
    root = resolved.scenario.seed if seed is None else seed
    tails = []
    for s in replication_seeds(root, replications):
        frame = simulate(resolved, s)
        tails.append(frame[names].tail(SUMMARY_WINDOW).mean())
    return {name: float(np.mean([t[name] for t in tails])) for name in names}


class ModelFunction:
    """:func:`evaluate` with fixed settings, called with keyword arguments: what the EMA
    Workbench's ``Model(name, function=...)`` expects. ``section__key`` names are read as
    ``section.key`` (EMA names must be identifiers)."""

    def __init__(
        self,
        scenario: Scenario | str | Path | None = None,
        *,
        fixed: Mapping[str, Any] | None = None,
        seed: int | None = None,
        replications: int = 1,
        metrics: Sequence[str] | None = None,
    ) -> None:
        self.scenario = scenario
        self.fixed = fixed
        self.seed, self.replications, self.metrics = seed, replications, metrics

    def __repr__(self) -> str:
        scenario = self.scenario.name if isinstance(self.scenario, Scenario) else self.scenario
        return (
            f"ModelFunction({scenario!r}, fixed={self.fixed!r}, seed={self.seed!r}, "
            f"replications={self.replications!r}, metrics={self.metrics!r})"
        )

    @functools.cached_property
    def _scenario(self) -> Scenario | None:
        """The scenario, read from its file on the first call (not in ``__init__``)."""
        if isinstance(self.scenario, Scenario | None):
            return self.scenario
        return load_scenario(self.scenario)

    def __call__(self, **values: Any) -> dict[str, float]:
        return evaluate(
            flatten(self.fixed or {}) | flatten(values),
            scenario=self._scenario,
            seed=self.seed,
            replications=self.replications,
            metrics=self.metrics,
        )


def flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts and ``section__key`` names -> ``{"section.key": value}``."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = prefix + str(key).replace("__", ".")
        if isinstance(value, Mapping):
            out |= flatten(value, name + ".")
        else:
            out[name] = value.item() if isinstance(value, np.generic) else value
    return out


def _base(scenario: Scenario | str | Path | None) -> Parameters:
    if scenario is None:
        return Parameters()
    if isinstance(scenario, Scenario):
        return scenario.params
    return load_scenario(scenario).params
