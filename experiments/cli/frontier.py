"""``sanzhi frontier``: the cheapest staffing that meets a target with 95% confidence, and the
cost-outcome frontier of a staffing sweep."""

from __future__ import annotations

import argparse

from experiments.analysis.frontier import study
from experiments.analysis.frontier.costs import COSTS
from experiments.analysis.frontier.pareto import Target
from experiments.cli import options
from experiments.wording import RESULTS, say


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "frontier",
        help="cheapest staffing meeting a target with 95%% confidence; cost-outcome frontier",
        description="Run a staffing sweep (e.g. scenarios/sweeps/frontier.toml) and find the "
        "cheapest point (staff-days or yuan a year per 10,000 households; costs in the "
        "file's [frontier] table and staffing.*_cost) whose one-sided 95% confidence bound "
        "meets the target.",
    )
    p.add_argument("scenario", help="staffing sweep scenario file")
    p.add_argument(
        "--target",
        required=True,
        metavar="METRIC<=VALUE",
        help="e.g. escalations_per_1000_households_year<=3 (also >=, <, >)",
    )
    p.add_argument("--cost", choices=COSTS, help="what cheapest means (default: the file's)")
    options.add_lang(p)
    options.add_run_options(p)
    p.set_defaults(command=cmd_frontier)


def cmd_frontier(args: argparse.Namespace) -> int:
    target = Target.parse(args.target)  # a bad target stops before the scenario is read
    scenario = options.load_from_args(args)
    with options.saved_on_interrupt():
        result, outcome = study.run(
            scenario,
            args.out,
            target=target,
            cost=args.cost,
            lang=args.lang,
            **options.run_options(args),
        )
    if result is not None:
        files = "frontier.csv, frontier.png, answer.md"
        print("\n" + say(RESULTS, "results", args.lang, out=args.out, files=files))
    return options.report_problems(outcome)
