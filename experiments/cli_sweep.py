"""``sanzhi sweep``: run a sweep scenario into a results folder, resumably."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .executors import EXECUTORS, open_executor
from .runner import default_workers
from .scenario import Scenario, load_scenario, parse_assignments
from .sweep_design import expand
from .sweep_run import SweepOutcome, design_of, prepare_sweep

SHOWN = 20  # failures listed on the terminal; all are in failures.json


def add_parser(
    sub: argparse._SubParsersAction, add_set: Callable[[argparse.ArgumentParser], None]
) -> None:
    p = sub.add_parser(
        "sweep",
        help="run every point x replication of a sweep scenario",
        description="Run a sweep ([sweep] section of a scenario file). Each finished bundle "
        "of runs is saved at once, so --resume finishes a sweep that was interrupted.",
    )
    p.add_argument("scenario", help="sweep scenario file (with a [sweep] section)")
    p.add_argument("--out", required=True, help="results folder")
    p.add_argument(
        "--workers", type=positive, help=f"worker processes (default {default_workers()})"
    )
    p.add_argument("--executor", choices=EXECUTORS, default="process", help="default: process")
    p.add_argument(
        "--scheduler", metavar="ADDR", help="join this dask scheduler (with --executor dask)"
    )
    p.add_argument("--resume", action="store_true", help="finish the sweep already in --out")
    add_set(p)
    p.set_defaults(command=cmd_sweep)


def positive(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def cmd_sweep(args: argparse.Namespace) -> int:
    scenario = load_scenario(Path(args.scenario), parse_assignments(args.set or []))
    job = prepare_sweep(scenario, args.out, resume=args.resume)  # bad input stops here
    print(
        f"{describe(scenario)}; {args.executor} executor" + (" (resuming)" if job.manifest else "")
    )
    try:
        with open_executor(args.executor, args.workers or default_workers(), args.scheduler) as (
            executor,
            workers,
        ):
            outcome = job.run(
                executor,
                workers,
                progress=True,
                command=["sanzhi", *sys.argv[1:]],
                executor_name=args.executor,
            )
    except KeyboardInterrupt:
        print("\nstopped; finished bundles are saved: add --resume to finish", file=sys.stderr)
        raise
    ok = int((outcome.summary["status"] == "ok").sum())
    print(f"\n{ok} of {len(job.runs)} runs done; {outcome.ran} run in {outcome.seconds:.1f} s")
    print(f"results in {outcome.out}/ (summary.parquet, manifest.json, runs/)")
    return report_problems(outcome)


def describe(scenario: Scenario) -> str:
    """One line: design, points, replications, runs and their size."""
    params = scenario.params
    design = design_of(scenario)
    points = len(expand(design, params.scenario.seed))
    reps = params.scenario.replications
    factors = ", ".join(f.name for f in design.factors)
    return (
        f"sweep {params.scenario.name}: {design.kind} design over {factors}; {points} point(s) x "
        f"{reps} replication(s) = {points * reps} runs of {params.population.households:,} "
        f"households x {params.scenario.steps} days"
    )


def report_problems(outcome: SweepOutcome) -> int:
    """List failed runs and bundles that could not run; exit status 1 if any."""
    err = sys.stderr
    if outcome.failures:
        print(f"\n{len(outcome.failures)} run(s) failed ({outcome.out}/failures.json):", file=err)
        for f in outcome.failures[:SHOWN]:
            values = ", ".join(f"{k}={v}" for k, v in f["parameters"].items())
            print(f"  run {f['run_id']} ({values}; seed {f['seed']}): {f['message']}", file=err)
        if len(outcome.failures) > SHOWN:
            print(f"  ... and {len(outcome.failures) - SHOWN} more", file=err)
    if outcome.errors:
        print(f"\n{len(outcome.errors)} bundle(s) did not run; --resume retries them:", file=err)
        for line in outcome.errors[:SHOWN]:
            print(f"  {line}", file=err)
    return 1 if outcome.failures or outcome.errors else 0
