"""Scenarios, runs, sweeps, comparisons, result stores and the ``sanzhi`` command line."""

from pathlib import Path
from typing import Any

import pandas as pd

from .errors import ScenarioError
from .runner import replication_seeds, run, simulate, summarise
from .scenario import Scenario, load_scenario, parse_assignments
from .sweep_run import run_sweep, sweep


def compare(paths: list[str], out: str | Path, **options: Any) -> pd.DataFrame:
    """Compare scenario files and results folders in a report; see ``report.compare``."""
    from .report import compare as _compare  # load matplotlib only when a report is made

    return _compare(paths, out, **options)


__all__ = [
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
