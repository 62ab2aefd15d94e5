"""Scenarios, runs, sweeps, comparisons, analyses, result stores and the ``sanzhi`` command
line, in wings that import downwards only (``docs/architecture.md``):

- ``scenario``, ``runner``, ``run_folder``, ``store``, ``folders``, ``executors``: a scenario
  file, its runs and their results folder (checked, written whole, locked);
- ``sweeps``: designs of many runs, streamed to a resumable folder;
- ``comparison``: the comparison report; ``analysis``: sensitivity, fusion, frontier;
  ``calibration``: fitting free parameters;
- ``plotting``, ``wording``, ``names``, ``errors``: what every wing shares; ``claims``: the
  one rule for claims and intervals within a metric's range; ``columns``: the names and
  meanings of result columns;
- ``cli``: the command line, on top.
"""

import importlib
from typing import Any

from experiments.errors import InputError, ScenarioError
from experiments.runner import replication_seeds, run, simulate, summarise
from experiments.scenario import Scenario, load_scenario, parse_assignments

# Imported on first use: sweeps need SALib and reports matplotlib, and loading a scenario
# (the dashboard's only need) should pull in neither.
_LAZY = {
    "sweep": "experiments.sweeps.job",
    "run_sweep": "experiments.sweeps.job",
    "compare": "experiments.comparison.report",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'experiments' has no attribute {name!r}")


__all__ = [
    "InputError",
    "Scenario",
    "ScenarioError",
    "compare",
    "load_scenario",
    "parse_assignments",
    "replication_seeds",
    "run",
    "run_sweep",
    "simulate",
    "summarise",
    "sweep",
]
