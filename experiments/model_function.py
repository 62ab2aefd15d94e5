"""The model as a plain function, ``dict of parameters -> dict of outcomes``, for tools that
drive a model by calling it (SALib, the EMA Workbench, optimisers, notebooks).

    >>> from experiments.model_function import evaluate
    >>> evaluate({"staffing.admin_load": 0.5, "population.households": 300, "scenario.steps": 60})
    {'issues_raised': ..., 'escalations_per_1000_households_year': ..., ...}

Parameters are dotted ``section.key`` names (or nested dicts, or ``section__key`` where a
tool needs identifiers), validated like a scenario file. Outcomes are each metric's mean over
the last 90 days, averaged over replications. The seeds are the scenario's replication seeds
(common random numbers), so equal parameters give equal outcomes: a deterministic function.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sim import METRICS
from sim.params import ParameterError, Parameters

from .errors import ScenarioError
from .runner import SUMMARY_WINDOW, replication_seeds, simulate
from .scenario import Scenario, load_scenario

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
    ``{metric: mean over the last 90 days}``, averaged over ``replications`` runs.

    ``seed`` defaults to the scenario's seed. Raises ScenarioError (a ValueError) for an
    unknown parameter or a value out of range.
    """
    base = _base(scenario)
    values = flatten(params or {})
    try:
        resolved = base.with_values(values)
    except ParameterError as err:
        reason = f"{err.reason} (expected {err.expected})" if err.expected else err.reason
        raise ScenarioError(SOURCE, err.key, reason) from None
    names = list(metrics) if metrics is not None else [m.name for m in METRICS]
    unknown = sorted(set(names) - {m.name for m in METRICS})
    if unknown:
        raise ScenarioError(SOURCE, "metrics", f"unknown metric(s) {unknown}")
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
        self.scenario = (
            scenario if isinstance(scenario, Scenario | None) else load_scenario(scenario)
        )
        self.fixed = flatten(fixed or {})
        self.seed, self.replications, self.metrics = seed, replications, metrics

    def __call__(self, **values: Any) -> dict[str, float]:
        return evaluate(
            self.fixed | flatten(values),
            scenario=self.scenario,
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
