"""What the analyses (sensitivity, fusion, frontier) share: running their design through the
sweep machinery into ``DIR/runs/``, choosing metrics, and the analysis folder's manifest."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from .executors import open_executor
from .metric_names import resolve_metric
from .runner import SUMMARY_WINDOW, default_workers
from .scenario import Scenario
from .store import atomic_write, environment, now, write_json
from .sweep_run import SweepOutcome, prepare_sweep

RUNS = "runs"  # the analysis' sweep folder inside DIR (resumable with --resume)
ANALYSIS_METRICS = (
    "escalations_per_1000_households_year",
    "resolution_rate",
    "mean_trust",
    "satisfaction",
    "security",
)


def run_design(
    scenario: Scenario,
    out: str | Path,
    *,
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
    command: list[str] | None = None,
    describe: str | None = None,
) -> SweepOutcome:
    """Run the scenario's sweep into ``out/runs`` (or finish it, with ``resume``).

    The folder is an ordinary sweep folder: a killed analysis loses only the bundles in
    flight, and ``resume`` runs just the rest.
    """
    job = prepare_sweep(scenario, Path(out) / RUNS, resume=resume)  # bad input stops here
    if describe:
        print(describe + ("; resuming" if job.manifest else ""), flush=True)
    n = workers or default_workers()
    with open_executor(executor, n, scheduler) as (pool, size):
        return job.run(pool, size, progress=progress, command=command, executor_name=executor)


def check_metrics(
    names: Sequence[str] | None, default: Sequence[str] = ANALYSIS_METRICS
) -> list[str]:
    """Registry names of the chosen metrics (``_last90`` suffix allowed); ScenarioError with
    the known names and a did-you-mean for an unknown one."""
    out = []
    for name in names or default:
        metric = resolve_metric(name)
        if metric not in out:
            out.append(metric)
    return out


def column(metric: str) -> str:
    """The summary column analyses read: the metric's mean over the last days of each run."""
    return f"{metric}_last{SUMMARY_WINDOW}"


def ok_runs(summary: pd.DataFrame) -> pd.DataFrame:
    """The runs that finished."""
    return summary[summary["status"] == "ok"]


def save_figure(fig: Any, path: str | Path) -> Path:
    """A matplotlib figure as PNG, written atomically; the figure is closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=130, bbox_inches="tight")
    plt.close(fig)
    data = buffer.getvalue()
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


@contextmanager
def figure_language(lang: str) -> Iterator[str]:
    """matplotlib settings for figures in ``lang``; yields the language figures can use
    (English when no Chinese font is installed, with a warning)."""
    import matplotlib.pyplot as plt

    from .fonts import figure_style

    rc, used = figure_style(lang)
    with plt.rc_context(rc):
        yield used


def write_manifest(
    out: str | Path,
    kind: str,
    scenario: Scenario,
    outcome: SweepOutcome,
    *,
    started: str,
    extra: dict[str, Any],
    files: list[str],
) -> Path:
    """``DIR/manifest.json`` of an analysis: command, scenario, design, seeds, outputs."""
    params = scenario.params
    return write_json(
        {
            "kind": kind,
            "command": ["sanzhi", *sys.argv[1:]],
            "scenario": scenario.name,
            "files": [str(p) for p in scenario.files],
            "overrides": dict(scenario.overrides),
            "seed": params.scenario.seed,
            "replications": params.scenario.replications,
            "runs_folder": RUNS,
            "runs": len(outcome.summary),
            "runs_ok": int((outcome.summary["status"] == "ok").sum()),
            **extra,
            "outputs": files,
            "started": started,
            "finished": now(),
            "environment": environment(),
        },
        Path(out) / "manifest.json",
    )
