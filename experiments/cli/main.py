"""``sanzhi``: the parser, and the ``run`` and ``validate`` commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from experiments.cli import (
    calibrate,
    cities,
    classroom,
    compare,
    dashboard,
    frontier,
    fusion,
    sensitivity,
    sweep,
)
from experiments.cli.options import (
    DEFAULT_SCENARIO,
    add_lang,
    add_overwrite,
    add_set,
    add_workers,
    check_tables,
    command,
    load_from_args,
    positive,
)
from experiments.errors import InputError
from experiments.executors import default_workers
from experiments.run_folder import Precision, run_into
from experiments.sweeps.job import describe
from experiments.terminal import WORDS as TERMINAL
from experiments.terminal import format_table, key_metrics_table
from experiments.wording import say, scenario_label
from sim import Parameters
from sim.params import toml_literal

BAD_INPUT = 2
COMMANDS = (sweep, compare, cities, calibrate, sensitivity, fusion, frontier, dashboard, classroom)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command named in ``argv`` (default: ``sys.argv``); its exit status.

    ``sanzhi`` alone prints the help and exits 0: asking what the tool can do is not an
    error (a mistyped command still is, with argparse's status 2).
    """
    top = parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        top.print_help()
        return 0
    args = top.parse_args(argv)
    try:
        return args.command(args)
    except InputError as err:
        print(f"sanzhi: error: {err}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print("sanzhi: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `sanzhi validate ... | head`
        sys.stderr.close()
        return 0


def cmd_run(args: argparse.Namespace) -> int:
    scenario = load_from_args(
        args, steps=args.steps, seed=args.seed, replications=args.replications
    )
    check_tables(scenario)
    params = scenario.params
    reps = params.scenario.replications
    print(
        say(
            TERMINAL,
            "head",
            args.lang,
            name=scenario_label(scenario.name, args.lang),
            households=f"{params.population.households:,}",
            days=params.scenario.steps,
            reps=reps,
            seed=params.scenario.seed,
        )
    )
    record = run_into(
        scenario,
        args.out,
        replications=reps,
        workers=args.workers or default_workers(),
        progress=True,
        command=command(),
        overwrite=args.overwrite,
        save_state=args.save_state,
        from_state=args.from_state,
        precision=Precision.parse(args.ci_target, args.max_replications)
        if args.ci_target
        else None,
    )
    print()
    print(format_table(key_metrics_table(record.summary, args.lang), args.lang))
    print()
    print(
        say(
            TERMINAL,
            "runs",
            args.lang,
            n=record.replications,
            seconds=record.seconds,
            out=record.out,
        )
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    scenario = load_from_args(args)
    design = check_tables(scenario)
    chain = " <- ".join(str(p) for p in scenario.files)
    print(f"# {args.scenario}: valid ({chain})")
    defaults = Parameters().flat()
    section = None
    for key, value in scenario.params.flat().items():
        if key == "timeline":
            continue  # printed as its own tables below
        head, _, leaf = key.partition(".")
        if head != section:
            section = head
            print(f"\n[{section}]")
        where = scenario.origin.get(key)
        note = where if where else ("default" if value == defaults[key] else "")
        print(f"{leaf} = {toml_literal(value)}".ljust(46) + f"  # {note}")
    for entry in scenario.params.timeline:
        print(f"\n[[timeline]]  # {scenario.origin.get('timeline', '')}")
        for field, value in entry.to_dict().items():
            if value not in (None, -1):
                print(f"{field} = {toml_literal(value)}")
    if design is not None:
        print(f"\n# {describe(scenario, design)}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="sanzhi", description="Three-governance fusion (三治融合) simulation."
    )
    sub = top.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="run one scenario (all its replications)")
    p.add_argument("scenario", nargs="?", help=f"scenario file (default {DEFAULT_SCENARIO})")
    p.add_argument("--out", help="results folder (default results/<scenario name>)")
    p.add_argument("--steps", type=int, help="days to simulate (overrides the file)")
    p.add_argument("--seed", type=int, help="root seed (overrides the file)")
    p.add_argument("--replications", type=positive, help="replications (overrides the file)")
    p.add_argument(
        "--save-state",
        type=int,
        metavar="DAY",
        help="also save each replication's full state on record day DAY (in OUT/states/)",
    )
    p.add_argument(
        "--from-state",
        metavar="FILE",
        help="fork every replication from a saved state, with this scenario's levers",
    )
    p.add_argument(
        "--ci-target",
        action="append",
        metavar="METRIC=VALUE[%]",
        help="add replications until the 95%% interval half-width of METRIC's mean (over the "
        "last 90 days) is at most VALUE, or VALUE%% of the mean; repeatable",
    )
    p.add_argument(
        "--max-replications",
        type=positive,
        default=100,
        help="the most replications --ci-target may reach (default 100)",
    )
    add_workers(p)
    add_overwrite(p)
    add_lang(p)
    add_set(p)
    p.set_defaults(command=cmd_run)

    p = sub.add_parser("validate", help="check a scenario file and print its parameters")
    p.add_argument("scenario", help="scenario file")
    add_set(p)
    p.set_defaults(command=cmd_validate)

    for module in COMMANDS:
        module.add_parser(sub)
    return top


if __name__ == "__main__":
    sys.exit(main())
