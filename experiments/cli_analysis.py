"""Command-line pieces the analysis commands (sensitivity, fusion, frontier) share: the
options that run their sweep, and running it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .analysis_runs import run_design
from .cli_sweep import positive, report_problems
from .executors import EXECUTORS
from .runner import default_workers
from .scenario import Scenario
from .sweep_run import SweepOutcome


def add_run_options(
    p: argparse.ArgumentParser, add_set: Callable[[argparse.ArgumentParser], None]
) -> None:
    """--out, --workers, --executor, --scheduler, --resume, --set (as ``sanzhi sweep``)."""
    p.add_argument(
        "--out", required=True, help="analysis folder (its runs are kept in it, for --resume)"
    )
    p.add_argument(
        "--workers", type=positive, help=f"worker processes (default {default_workers()})"
    )
    p.add_argument("--executor", choices=EXECUTORS, default="process", help="default: process")
    p.add_argument(
        "--scheduler", metavar="ADDR", help="join this dask scheduler (with --executor dask)"
    )
    p.add_argument(
        "--resume", action="store_true", help="finish (or re-analyse) the runs already in --out"
    )
    add_set(p)


def add_metric_option(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument(
        "--metric",
        action="append",
        metavar="NAME",
        help=f"metric to analyse (registry name); repeatable; default: {default}",
    )


def run(scenario: Scenario, args: argparse.Namespace, describe: str) -> tuple[SweepOutcome, int]:
    """Run the analysis' sweep with the command's options; the outcome and exit status so far
    (1 if runs failed or bundles did not run)."""
    with saved_on_interrupt():
        outcome = run_design(
            scenario,
            args.out,
            executor=args.executor,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            progress=True,
            command=["sanzhi", *sys.argv[1:]],
            describe=describe,
        )
    return outcome, report_problems(outcome)


@contextmanager
def saved_on_interrupt() -> Iterator[None]:
    """On Ctrl-C, say that finished runs are kept and how to finish them, then stop."""
    try:
        yield
    except KeyboardInterrupt:
        print("\nstopped; finished runs are saved: add --resume to finish", file=sys.stderr)
        raise


def runs_line(scenario: Scenario, points: int) -> str:
    """'N points x R replications = M runs of H households x D days'."""
    params = scenario.params
    reps = params.scenario.replications
    return (
        f"{points} point(s) x {reps} replication(s) = {points * reps} runs of "
        f"{params.population.households:,} households x {params.scenario.steps} days"
    )
