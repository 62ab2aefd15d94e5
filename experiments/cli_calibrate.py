"""``sanzhi calibrate``: fit free parameters of a scenario to a target file."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from . import cli_analysis
from .calibrate_run import calibrate
from .scenario import load_scenario, parse_assignments
from .targets import load_targets


def add_parser(
    sub: argparse._SubParsersAction, add_set: Callable[[argparse.ArgumentParser], None]
) -> None:
    p = sub.add_parser(
        "calibrate",
        help="fit free parameters so a scenario reproduces observed figures",
        description="Fit the free parameters named in a target file by rounds of Latin-"
        "hypercube search with a quadratic surrogate, then confirm the fit with more "
        "replications (docs/calibration.md). Each round is a resumable sweep.",
    )
    p.add_argument("scenario", help="scenario file to calibrate")
    p.add_argument("--targets", required=True, help="target file (e.g. scenarios/targets/...)")
    cli_analysis.add_run_options(p, add_set)
    p.set_defaults(command=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    scenario = load_scenario(Path(args.scenario), parse_assignments(args.set or []))
    targets = load_targets(args.targets)
    pop = scenario.params.population
    runs = targets.rounds * targets.samples * targets.replications + targets.confirm_replications
    print(
        f"calibrating {scenario.name} ({pop.households:,} households x "
        f"{scenario.params.scenario.steps} days) to {len(targets.targets)} targets: "
        f"{', '.join(targets.keys)}; {targets.rounds} rounds x {targets.samples} points x "
        f"{targets.replications} replications + {targets.confirm_replications} confirmation "
        f"runs = {runs} runs"
    )
    clock = time.perf_counter()
    with cli_analysis.saved_on_interrupt():
        result = calibrate(
            scenario,
            targets,
            args.out,
            executor=args.executor,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            progress=True,
            command=["sanzhi", *sys.argv[1:]],
        )
    print("\nfitted values:")
    print(result.parameters.to_string(index=False, float_format="{:.4g}".format))
    print("\nfit per target (confirmation runs, 95% CI):")
    shown = result.fit[
        ["target", "value", "tolerance", "model_mean", "ci_low", "ci_high", "within_tolerance"]
    ]
    print(shown.to_string(index=False, float_format="{:.4g}".format))
    print(
        f"\ndone in {time.perf_counter() - clock:.0f} s; results in {result.out}/ "
        "(fitted.toml, fit.csv, parameters.csv, samples.csv, fit.png, search.png)"
    )
    return 0 if result.fit["within_tolerance"].all() else 1
