"""``sanzhi fusion``: the 2x2x2 factorial of the three modes x coordination, and the
measured fusion dividend with 95% CIs."""

from __future__ import annotations

import argparse

from experiments.analysis.fusion import study
from experiments.analysis.fusion.text import headlines
from experiments.cli import options
from experiments.wording import RESULTS, say


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fusion",
        help="measure the fusion dividend: 2x2x2 modes x coordination, effects with 95%% CIs",
        description="Run the full factorial of self-governance, rule of law and moral "
        "governance (off/on, as [sweep.levels.<mode>] define them) crossed with the "
        "coordination levels of [sweep.parameters] (e.g. scenarios/sweeps/levers.toml), then "
        "estimate main effects, interactions and the fusion dividend (all three together "
        "minus the sum of their separate effects) with 95% CIs, and the relative dividend. "
        "With [sweep.practices] (e.g. scenarios/sweeps/fusion_practices.toml) every subset "
        "of practices the decomposition needs runs the same design, and the dividend is "
        "split among the practices (exact Shapley values, or leave-one-out and add-one "
        "contributions), with 95% CIs.",
    )
    p.add_argument("scenario", help="scenario file with the three off/on levers x coordination")
    options.add_metric_option(p)
    options.add_lang(p)
    options.add_run_options(p)
    p.set_defaults(command=cmd_fusion)


def cmd_fusion(args: argparse.Namespace) -> int:
    scenario = options.load_from_args(args)
    with options.saved_on_interrupt():
        result, outcome = study.run(
            scenario, args.out, metrics=args.metric, lang=args.lang, **options.run_options(args)
        )
    if result is not None:
        print()
        for line in headlines(result, result.metrics, args.lang):
            print(f"- {line}")
        files = "summary_en.md, summary_zh.md, effects.csv, ..."
        print("\n" + say(RESULTS, "results", args.lang, out=args.out, files=files))
    return options.report_problems(outcome)
