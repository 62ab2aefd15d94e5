"""``sanzhi sensitivity``: Morris or Sobol' indices of the chosen metrics, with bootstrap CIs."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sim import REGISTRY

from . import cli_analysis
from .analysis_runs import ANALYSIS_METRICS, check_metrics, save_figure, write_manifest
from .errors import ScenarioError
from .scenario import load_scenario, parse_assignments
from .sensitivity import SOBOL_MIN_N, ranking
from .sensitivity_run import SensitivityResult, analyse_runs, parse_ranges, sensitivity_scenario
from .store import now, write_csv, write_text
from .sweep_design import expand


def add_parser(
    sub: argparse._SubParsersAction, add_set: Callable[[argparse.ArgumentParser], None]
) -> None:
    p = sub.add_parser(
        "sensitivity",
        help="Morris or Sobol' sensitivity indices (SALib) of key metrics",
        description="Sample the parameters' ranges with SALib (from the file's "
        "[sweep.parameters] {low, high} ranges, or --param), run every sample with the "
        "scenario's replications through the sweep machinery (resumable), and write indices "
        "with bootstrap 95% CIs, per-point outputs and bar plots.",
    )
    p.add_argument("scenario", help="scenario file")
    p.add_argument("--method", choices=("morris", "sobol"), required=True)
    p.add_argument(
        "--samples",
        type=cli_analysis.positive,
        help="Morris trajectories or Sobol' base sample N (a power of 2); default: the file's "
        "[sweep] samples, else 10 (morris) / 64 (sobol)",
    )
    p.add_argument(
        "--param",
        action="append",
        metavar="SECTION.KEY=LOW:HIGH",
        help="a parameter range; repeatable; replaces the file's [sweep.parameters]",
    )
    cli_analysis.add_metric_option(p, ", ".join(ANALYSIS_METRICS))
    p.add_argument(
        "--resamples", type=cli_analysis.positive, default=1000, help="bootstrap resamples"
    )
    cli_analysis.add_run_options(p, add_set)
    p.set_defaults(command=cmd_sensitivity)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    started, clock = now(), time.perf_counter()
    base = load_scenario(Path(args.scenario), parse_assignments(args.set or []))
    metrics = check_metrics(args.metric)
    scenario = sensitivity_scenario(
        base, args.method, samples=args.samples, ranges=parse_ranges(args.param or [])
    )
    design = scenario.design
    if design is None:  # pragma: no cover - sensitivity_scenario always sets it
        raise ScenarioError(args.scenario, "sweep", "no design")
    points = len(expand(design, scenario.params.scenario.seed))
    unit = "trajectories" if args.method == "morris" else "base samples (N)"
    factors = ", ".join(f.name for f in design.factors)
    describe = (
        f"sensitivity {scenario.name}: {args.method}, {design.samples} {unit} over "
        f"{len(design.factors)} parameters ({factors}); " + cli_analysis.runs_line(scenario, points)
    )
    if args.method == "sobol" and design.samples < SOBOL_MIN_N:
        print(
            f"warning: Sobol' with N = {design.samples} < {SOBOL_MIN_N}: indices will be "
            "unstable (see summary.md)",
            file=sys.stderr,
        )
    outcome, status = cli_analysis.run(scenario, args, describe)
    if outcome.errors:
        return status
    result = analyse_runs(
        outcome.summary,
        design,
        scenario.params.scenario.seed,
        metrics,
        num_resamples=args.resamples,
    )
    out = Path(args.out)
    files = write_outputs(result, metrics, out)
    seconds = time.perf_counter() - clock
    write_manifest(
        out,
        "sensitivity",
        scenario,
        outcome,
        started=started,
        files=files,
        extra={
            "method": args.method,
            "samples": design.samples,
            "points": points,
            "parameters": {f.name: [f.low, f.high] for f in design.factors},
            "metrics": metrics,
            "response": "per point: mean over replications of each metric's last-90-day mean",
            "bootstrap_resamples": args.resamples,
            "conf_level": 0.95,
            "noise_share": result.noise,
            "warnings": result.warnings,
            "seconds": round(seconds, 1),
        },
    )
    print()
    print(text_summary(result, metrics))
    for metric, reasons in result.warnings.items():
        for reason in reasons:
            print(f"warning: {metric}: {reason}", file=sys.stderr)
    print(f"\nresults in {out}/ ({', '.join(files[:4])}, ...); {seconds:.0f} s")
    return status


def write_outputs(result: SensitivityResult, metrics: list[str], out: Path) -> list[str]:
    """indices.csv, second_order.csv (Sobol'), points.csv, a bar plot per metric, summary.md."""
    from . import analysis_figures

    files = ["indices.csv", "points.csv"]
    write_csv(result.indices, out / "indices.csv")
    write_csv(result.points, out / "points.csv")
    if not result.second_order.empty:
        write_csv(result.second_order, out / "second_order.csv")
        files.append("second_order.csv")
    for metric in metrics:
        name = f"{result.method}_{metric}.png"
        rows = result.indices[result.indices["metric"] == metric]
        save_figure(analysis_figures.sensitivity(rows, result.method, metric), out / name)
        files.append(name)
    write_text(markdown(result, metrics), out / "summary.md")
    return [*files, "summary.md", "manifest.json"]


def text_summary(result: SensitivityResult, metrics: list[str]) -> str:
    """The three most influential parameters of each metric, one line each."""
    key = "mu_star" if result.method == "morris" else "ST"
    lines = [
        f"most influential parameters ({key}, 95% CI; noise = replication SD / SD across points):"
    ]
    for metric in metrics:
        rows = result.indices[result.indices["metric"] == metric].set_index("parameter")
        top = ", ".join(
            f"{p} {rows.loc[p, key]:.3g} [{rows.loc[p, f'{key}_low']:.3g}, "
            f"{rows.loc[p, f'{key}_high']:.3g}]"
            for p in ranking(rows.reset_index())
        )
        lines.append(f"  {metric}: {top}; noise {_share(result.noise[metric])}")
    return "\n".join(lines)


def markdown(result: SensitivityResult, metrics: list[str]) -> str:
    """summary.md: the ranking per metric, noise shares and warnings."""
    key = "mu_star" if result.method == "morris" else "ST"
    size = "trajectories" if result.method == "morris" else "base samples N"
    lines = [
        f"# Sensitivity analysis ({result.method}, {result.samples} {size})",
        "",
        "Indices are computed on each point's mean over replications of the metric's mean "
        "over the last 90 days; CIs are SALib's bootstrap 95% intervals (Morris sigma: "
        "bootstrap over trajectories). *Noise* is the mean replication SD relative to the SD "
        "of point means: near 1, replication noise is as large as the parameters' effects.",
        "",
    ]
    for metric in metrics:
        m = REGISTRY[metric]
        rows = result.indices[result.indices["metric"] == metric].sort_values("rank")
        lines += [f"## {m.label_en} / {m.label_zh} ({m.unit})", ""]
        lines += [f"Replication noise share: {_share(result.noise[metric])}", ""]
        for reason in result.warnings.get(metric, []):
            lines += [f"**Warning:** {reason}", ""]
        if result.method == "morris":
            lines += [
                "| rank | parameter | mu* [95% CI] | sigma [95% CI] | mu |",
                "|---|---|---|---|---|",
            ]
            for r in rows.itertuples():
                lines.append(
                    f"| {r.rank} | {r.parameter} | {r.mu_star:.3g} [{r.mu_star_low:.3g}, "
                    f"{r.mu_star_high:.3g}] | {r.sigma:.3g} [{r.sigma_low:.3g}, "
                    f"{r.sigma_high:.3g}] | {r.mu:.3g} |"
                )
        else:
            lines += ["| rank | parameter | S1 [95% CI] | ST [95% CI] |", "|---|---|---|---|"]
            for r in rows.itertuples():
                lines.append(
                    f"| {r.rank} | {r.parameter} | {r.S1:.3g} [{r.S1_low:.3g}, {r.S1_high:.3g}]"
                    f" | {r.ST:.3g} [{r.ST_low:.3g}, {r.ST_high:.3g}] |"
                )
        lines += ["", f"Ranked by {key}.", ""]
    return "\n".join(lines)


def _share(x: float) -> str:
    return f"{x:.2f}" if x == x else "n/a (one replication)"
