"""``sanzhi sensitivity``: Morris or Sobol' indices of the chosen metrics, with bootstrap CIs."""

from __future__ import annotations

import argparse

from experiments.analysis.sensitivity import study
from experiments.analysis.sensitivity.indices import METHODS
from experiments.cli import options
from experiments.wording import RESULTS, say


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sensitivity",
        help="Morris or Sobol' sensitivity indices (SALib) of key metrics",
        description="Sample the parameters' ranges with SALib (from the file's "
        "[sweep.parameters] {low, high} ranges, or --param), run every sample with the "
        "scenario's replications through the sweep machinery (resumable), and write indices "
        "with bootstrap 95% CIs, per-point outputs and bar plots.",
    )
    p.add_argument("scenario", help="scenario file")
    p.add_argument("--method", choices=METHODS, required=True)
    p.add_argument(
        "--samples",
        type=options.positive,
        help="Morris trajectories or Sobol' base sample N (a power of 2); default: the file's "
        "[sweep] samples, else 10 (morris) / 64 (sobol)",
    )
    p.add_argument(
        "--param",
        action="append",
        metavar="SECTION.KEY=LOW:HIGH",
        help="a parameter range; repeatable; replaces the file's [sweep.parameters]",
    )
    options.add_metric_option(p)
    p.add_argument("--resamples", type=options.positive, default=1000, help="bootstrap resamples")
    options.add_lang(p)
    options.add_run_options(p)
    p.set_defaults(command=cmd_sensitivity)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    scenario = options.load_from_args(args)
    ranges = study.parse_ranges(args.param or [])
    with options.saved_on_interrupt():
        result, outcome = study.run(
            scenario,
            args.out,
            method=args.method,
            samples=args.samples,
            ranges=ranges,
            metrics=args.metric,
            resamples=args.resamples,
            lang=args.lang,
            **options.run_options(args),
        )
    if result is not None:
        files = "indices.csv, points.csv, summary.md, ..."
        print("\n" + say(RESULTS, "results", args.lang, out=args.out, files=files))
    return options.report_problems(outcome)
