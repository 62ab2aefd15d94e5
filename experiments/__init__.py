"""Scenarios, runs, result stores and the ``sanzhi`` command line."""

from .runner import replication_seeds, run, simulate, summarise
from .scenario import Scenario, ScenarioError, load_scenario, parse_assignments

__all__ = [
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "parse_assignments",
    "replication_seeds",
    "run",
    "simulate",
    "summarise",
]
