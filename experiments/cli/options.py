"""What the commands share: their options, declared once, and turning them into a scenario,
a command record and an exit status."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from experiments.analysis.common import ANALYSIS_METRICS
from experiments.analysis.frontier.costs import parse_costs
from experiments.analysis.fusion import practices as fusion_practices
from experiments.executors import EXECUTORS, default_workers
from experiments.scenario import COMMAND_LINE, Scenario, load_scenario, parse_assignments
from experiments.sweeps.design import Design, design_of
from experiments.sweeps.job import RunOptions, SweepOutcome

DEFAULT_SCENARIO = Path("scenarios") / "baseline.toml"
SHOWN = 20  # failures listed on the terminal; all are in failures.json


def positive(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def add_set(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--set",
        action="append",
        metavar="SECTION.KEY=VALUE",
        help=f"override a parameter ({COMMAND_LINE}); repeatable",
    )


def add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language of labels and text (en)"
    )


def add_workers(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workers", type=positive, help=f"worker processes (default {default_workers()})"
    )


def add_overwrite(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace what --out holds (without it, a folder of other results is refused)",
    )


ANALYSIS_OUT = "analysis folder (its runs are kept in it, for --resume)"
ANALYSIS_RESUME = "finish (or re-analyse) the runs already in --out"


def add_run_options(
    p: argparse.ArgumentParser, *, out: str = ANALYSIS_OUT, resume: str = ANALYSIS_RESUME
) -> None:
    """--out, --workers, --executor, --scheduler, --resume and --set of the commands that
    run a design through the sweep machinery."""
    p.add_argument("--out", required=True, help=out)
    add_workers(p)
    p.add_argument("--executor", choices=EXECUTORS, default="process", help="default: process")
    p.add_argument(
        "--scheduler", metavar="ADDR", help="join this dask scheduler (with --executor dask)"
    )
    p.add_argument("--resume", action="store_true", help=resume)
    add_overwrite(p)
    add_set(p)


def add_metric_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--metric",
        action="append",
        metavar="NAME",
        help="metric to analyse (registry name); repeatable; default: "
        + ", ".join(ANALYSIS_METRICS),
    )


def run_options(args: argparse.Namespace) -> RunOptions:
    """The run options as the library functions take them."""
    return {
        "executor": args.executor,
        "workers": args.workers,
        "scheduler": args.scheduler,
        "resume": args.resume,
        "overwrite": args.overwrite,
        "progress": True,
        "command": command(),
    }


FLAGS = {
    "scenario.steps": "--steps",
    "scenario.seed": "--seed",
    "scenario.replications": "--replications",
}  # the options that set a parameter, for messages


def load_from_args(
    args: argparse.Namespace,
    *,
    steps: int | None = None,
    seed: int | None = None,
    replications: int | None = None,
) -> Scenario:
    """The scenario named on the command line (default: the baseline), with its --set
    overrides (and --steps, --seed, --replications where the command has them, checked as
    the file's values are and named as those options in messages)."""
    overrides = parse_assignments(args.set or [])
    for key, value in (
        ("scenario.steps", steps),
        ("scenario.seed", seed),
        ("scenario.replications", replications),
    ):
        if value is not None:
            overrides[key] = value
    return load_scenario(scenario_path(args.scenario), overrides, FLAGS)


def check_tables(scenario: Scenario) -> Design | None:
    """Ask each table's owner to check it: the sweep machinery its ``[sweep]`` (the design is
    returned), the frontier its ``[frontier]`` costs."""
    parse_costs(scenario.frontier, scenario.source("frontier"))
    scenario, _ = fusion_practices.expanded(scenario)
    return design_of(scenario) if scenario.sweep is not None else None


def scenario_path(path: str | None) -> Path:
    if path is not None:
        return Path(path)
    if DEFAULT_SCENARIO.is_file():
        return DEFAULT_SCENARIO
    return Path(__file__).resolve().parents[2] / DEFAULT_SCENARIO


def command() -> list[str]:
    """The command line that is running, for manifests."""
    return ["sanzhi", *sys.argv[1:]]


@contextmanager
def saved_on_interrupt() -> Iterator[None]:
    """On Ctrl-C, say that finished runs are kept and how to finish them, then stop."""
    try:
        yield
    except KeyboardInterrupt:
        print("\nstopped; finished runs are saved: add --resume to finish", file=sys.stderr)
        raise


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
    if outcome.not_run or outcome.errors:
        runs = int((outcome.summary["status"] == "not run").sum())
        print(
            f"\n{len(outcome.not_run)} bundle(s) ({runs} run(s)) did not run; --resume runs them:",
            file=err,
        )
        for line in outcome.errors[:SHOWN]:
            print(f"  {line}", file=err)
    return 1 if outcome.failures or outcome.errors or outcome.not_run else 0
