"""``sanzhi fusion``: the 2x2x2 factorial of the three modes x coordination, and the
measured fusion dividend with 95% CIs."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from . import cli_analysis
from .analysis_runs import (
    ANALYSIS_METRICS,
    check_metrics,
    figure_language,
    save_figure,
    write_manifest,
)
from .fusion_run import COORDINATION, analyse_fusion, check_fusion_design
from .fusion_text import headlines, summary
from .scenario import load_scenario, parse_assignments
from .store import now, write_csv, write_text
from .sweep_design import expand


def add_parser(
    sub: argparse._SubParsersAction, add_set: Callable[[argparse.ArgumentParser], None]
) -> None:
    p = sub.add_parser(
        "fusion",
        help="measure the fusion dividend: 2x2x2 modes x coordination, effects with 95%% CIs",
        description="Run the full factorial of self-governance, rule of law and moral "
        "governance (off/on, as [sweep.levels.<mode>] define them) crossed with the "
        "coordination levels of [sweep.parameters] (e.g. scenarios/sweeps/levers.toml), then "
        "estimate main effects, interactions and the fusion dividend (all three together "
        "minus the sum of their separate effects) with 95% CIs.",
    )
    p.add_argument("scenario", help="scenario file with the three off/on levers x coordination")
    cli_analysis.add_metric_option(p, ", ".join(ANALYSIS_METRICS))
    p.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language printed and in figures"
    )
    cli_analysis.add_run_options(p, add_set)
    p.set_defaults(command=cmd_fusion)


def cmd_fusion(args: argparse.Namespace) -> int:
    from . import analysis_figures

    started, clock = now(), time.perf_counter()
    scenario = load_scenario(Path(args.scenario), parse_assignments(args.set or []))
    metrics = check_metrics(args.metric)
    design = check_fusion_design(scenario)
    points = len(expand(design, scenario.params.scenario.seed))
    describe = f"fusion {scenario.name}: 2x2x2 modes x {COORDINATION}; " + cli_analysis.runs_line(
        scenario, points
    )
    outcome, status = cli_analysis.run(scenario, args, describe)
    if outcome.errors:
        return status
    result = analyse_fusion(outcome.summary, metrics)
    out = Path(args.out)
    write_csv(result.effects, out / "effects.csv")
    write_csv(result.cells, out / "cells.csv")
    write_csv(result.differences, out / "dividend_by_coordination.csv")
    texts = {lang: summary(result, metrics, lang) for lang in ("en", "zh")}
    for lang, text in texts.items():
        write_text(text, out / f"summary_{lang}.md")
    levels = result.coordination
    with figure_language(args.lang) as lang:  # figure labels in --lang
        figure = analysis_figures.interaction(result.cells, metrics, levels, lang)
        save_figure(figure, out / "interaction.png")
        figure = analysis_figures.effects(result.effects, metrics, levels, lang)
        save_figure(figure, out / "effects.png")
    files = [
        "effects.csv",
        "cells.csv",
        "dividend_by_coordination.csv",
        "summary_en.md",
        "summary_zh.md",
        "interaction.png",
        "effects.png",
        "manifest.json",
    ]
    seconds = time.perf_counter() - clock
    dividend = result.effects[result.effects["effect"] == "fusion_dividend"]
    write_manifest(
        out,
        "fusion",
        scenario,
        outcome,
        started=started,
        files=files,
        extra={
            "design": "2x2x2 (self_governance, rule_of_law, moral: off/on) x " + COORDINATION,
            "coordination_levels": levels,
            "points": points,
            "metrics": metrics,
            "response": "each run's mean over its last 90 days",
            "estimator": "linear contrasts of cell means; t CIs, Welch-Satterthwaite df",
            "fusion_dividend": dividend.to_dict("records"),
            "seconds": round(seconds, 1),
        },
    )
    print()
    for line in headlines(result, metrics, args.lang):
        print(f"- {line}")
    print(f"\nresults in {out}/ (summary_en.md, summary_zh.md, effects.csv, ...); {seconds:.0f} s")
    return status
