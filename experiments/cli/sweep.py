"""``sanzhi sweep``: run a sweep scenario into a results folder, resumably."""

from __future__ import annotations

import argparse

from experiments.cli import options
from experiments.sweeps import job


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep",
        help="run every point x replication of a sweep scenario",
        description="Run a sweep ([sweep] section of a scenario file). Each finished bundle "
        "of runs is saved at once, so --resume finishes a sweep that was interrupted.",
    )
    p.add_argument("scenario", help="sweep scenario file (with a [sweep] section)")
    options.add_run_options(p, out="results folder", resume="finish the sweep already in --out")
    p.set_defaults(command=cmd_sweep)


def cmd_sweep(args: argparse.Namespace) -> int:
    scenario = options.load_from_args(args)
    with options.saved_on_interrupt():
        outcome = job.run(scenario, args.out, **options.run_options(args))
    ok = int((outcome.summary["status"] == "ok").sum())
    print(
        f"\n{ok} of {len(outcome.summary)} runs done; {outcome.ran} run in {outcome.seconds:.1f} s"
    )
    print(f"results in {outcome.out}/ (summary.parquet, manifest.json, runs/)")
    return options.report_problems(outcome)
