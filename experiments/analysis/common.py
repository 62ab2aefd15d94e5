"""What the analyses (sensitivity, fusion, frontier) share: running their design through the
sweep machinery into ``DIR/runs/``, choosing metrics, and the analysis folder's manifest."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Unpack

import pandas as pd

from experiments.folders import MANIFEST, check_out, clear
from experiments.names import resolve_metric
from experiments.scenario import Scenario
from experiments.store import finished, manifest_base, write_json
from experiments.sweeps import job as sweeps
from experiments.sweeps.job import RunOptions, SweepOutcome
from sim import tagged

RUNS = "runs"  # the analysis' sweep folder inside DIR (resumable with resume=True)
ANALYSIS_METRICS = tagged("analysis")


def run_design(
    scenario: Scenario, out: str | Path, kind: str, **options: Unpack[RunOptions]
) -> SweepOutcome:
    """Run the scenario's sweep into ``out/runs`` (or finish it, with ``resume=True``).

    ``out`` must be new, empty or an analysis of this ``kind`` (``overwrite=True``
    replaces anything else). The runs folder is an ordinary sweep folder: a killed analysis
    loses only the bundles in flight, and resuming runs just the rest. The old manifest is
    removed before the new results are written, so a folder with a manifest is a finished,
    consistent one.
    """
    out = Path(out)
    overwrite = options.get("overwrite", False)
    foreign = check_out(out, (kind,), overwrite=overwrite, unfinished=(RUNS,))
    if foreign or (overwrite and out.is_dir()):
        clear(out, keep=(RUNS,))  # the runs folder is replaced under its lock
    outcome = sweeps.run(scenario, out / RUNS, **options)
    (out / MANIFEST).unlink(missing_ok=True)
    return outcome


def parse_metrics(
    names: Sequence[str] | None, default: Sequence[str] = ANALYSIS_METRICS
) -> list[str]:
    """Registry names of the chosen metrics (a window suffix allowed); InputError with the
    known names and a did-you-mean for an unknown one."""
    out = []
    for name in names or default:
        metric = resolve_metric(name)
        if metric not in out:
            out.append(metric)
    return out


def ok_runs(summary: pd.DataFrame) -> pd.DataFrame:
    """The runs that finished."""
    return summary[summary["status"] == "ok"]


def write_manifest(
    out: str | Path,
    kind: str,
    scenario: Scenario,
    outcome: SweepOutcome,
    *,
    started: str,
    command: list[str] | None,
    extra: dict[str, Any],
    files: list[str],
) -> Path:
    """``DIR/manifest.json`` of an analysis: command, scenario, design, seeds, outputs."""
    manifest = manifest_base(kind, scenario, command, started) | {
        "replications": scenario.params.scenario.replications,
        "runs_folder": RUNS,
        "runs": len(outcome.summary),
        "runs_ok": int((outcome.summary["status"] == "ok").sum()),
        **extra,
        "outputs": files,
    }
    return write_json(finished(manifest), Path(out) / "manifest.json")
