"""``sanzhi calibrate``: fit free parameters of a scenario to a target file."""

from __future__ import annotations

import argparse

from experiments.calibration.study import calibrate
from experiments.calibration.targets import load_targets
from experiments.calibration.text import fit_text
from experiments.cli import options


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "calibrate",
        help="fit free parameters so a scenario reproduces observed figures",
        description="Fit the free parameters named in a target file by rounds of Latin-"
        "hypercube search with a quadratic surrogate, then confirm the fit with more "
        "replications (docs/calibration.md). Each round is a resumable sweep.",
    )
    p.add_argument("scenario", help="scenario file to calibrate")
    p.add_argument("--targets", required=True, help="target file (e.g. scenarios/targets/...)")
    options.add_lang(p)
    options.add_run_options(
        p,
        out="calibration folder (its rounds are kept in it, for --resume)",
        resume="finish the calibration already in --out",
    )
    p.set_defaults(command=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    scenario = options.load_from_args(args)
    targets = load_targets(args.targets)
    with options.saved_on_interrupt():
        result = calibrate(scenario, targets, args.out, lang=args.lang, **options.run_options(args))
    print()
    print(fit_text(result, args.lang))
    return 0 if result.fit["within_tolerance"].all() else 1
