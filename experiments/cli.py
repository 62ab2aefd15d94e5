"""The ``sanzhi`` command line."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sim import Parameters

from . import cli_calibrate, cli_compare, cli_frontier, cli_fusion, cli_sensitivity, cli_sweep
from .runner import default_workers, replication_seeds, run, summarise
from .scenario import COMMAND_LINE, Scenario, ScenarioError, load_scenario, parse_assignments
from .store import environment, now, write_json, write_parquet
from .summary import format_table, key_metrics_table

DEFAULT_SCENARIO = Path("scenarios") / "baseline.toml"
BAD_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.command(args)
    except ScenarioError as err:
        print(f"sanzhi: error: {err}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print("sanzhi: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `sanzhi validate ... | head`
        sys.stderr.close()
        return 0


def cmd_run(args: argparse.Namespace) -> int:
    scenario = _load(args.scenario, args.set, steps=args.steps, seed=args.seed)
    params = scenario.params
    reps = args.replications or params.scenario.replications
    out = Path(args.out or Path("results") / params.scenario.name)
    pop = params.population
    print(
        f"{params.scenario.name}: {pop.households:,} households, {params.scenario.steps} days, "
        f"{reps} replication(s), seed {params.scenario.seed}"
    )
    started, clock = now(), time.perf_counter()
    timeseries = run(scenario, replications=reps, workers=args.workers, progress=True)
    summary = summarise(timeseries)
    seconds = time.perf_counter() - clock
    write_parquet(timeseries, out / "timeseries.parquet")
    write_parquet(summary, out / "summary.parquet")
    write_json(
        _manifest(scenario, reps, started, seconds, argv=sys.argv[1:]),
        out / "manifest.json",
    )
    print()
    print(format_table(key_metrics_table(summary, args.lang)))
    print(f"\n{reps} run(s) in {seconds:.1f} s; results in {out}/")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    scenario = _load(args.scenario, args.set)
    chain = " <- ".join(str(p) for p in scenario.files)
    print(f"# {args.scenario}: valid ({chain})")
    defaults = Parameters().flat()
    section = None
    for key, value in scenario.params.flat().items():
        head, _, leaf = key.partition(".")
        if head != section:
            section = head
            print(f"\n[{section}]")
        where = scenario.origin.get(key)
        note = where if where else ("default" if value == defaults[key] else "")
        print(f"{leaf} = {_toml(value)}".ljust(46) + f"  # {note}")
    if scenario.sweep is not None:
        print(f"\n# {cli_sweep.describe(scenario)}")
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from dashboards.server import serve  # Solara is needed only here

    return serve(args.host, args.port)


def _load(path: str | None, assignments: list[str], *, steps=None, seed=None) -> Scenario:
    overrides = parse_assignments(assignments or [])
    if steps is not None:
        overrides["scenario.steps"] = steps
    if seed is not None:
        overrides["scenario.seed"] = seed
    return load_scenario(_scenario_path(path), overrides)


def _scenario_path(path: str | None) -> Path:
    if path is not None:
        return Path(path)
    if DEFAULT_SCENARIO.is_file():
        return DEFAULT_SCENARIO
    return Path(__file__).resolve().parent.parent / DEFAULT_SCENARIO


def _manifest(
    scenario: Scenario, replications: int, started: str, seconds: float, argv: list[str]
) -> dict:
    params = scenario.params
    return {
        "scenario": params.scenario.name,
        "command": ["sanzhi", *argv],
        "files": [str(p) for p in scenario.files],
        "overrides": dict(scenario.overrides),
        "parameters": params.to_dict(),
        "seed": params.scenario.seed,
        "replications": replications,
        "replication_seeds": replication_seeds(params.scenario.seed, replications),
        "seed_scheme": "numpy.random.SeedSequence(seed).spawn(replications); "
        "each child's generate_state(1, uint64)[0] seeds GovernanceModel(rng=...)",
        "started": started,
        "finished": now(),
        "seconds": round(seconds, 3),
        "environment": environment(),
    }


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sanzhi", description="Three-governance fusion (三治融合) simulation."
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="run one scenario (all its replications)")
    p.add_argument("scenario", nargs="?", help=f"scenario file (default {DEFAULT_SCENARIO})")
    p.add_argument("--out", help="results folder (default results/<scenario name>)")
    p.add_argument("--steps", type=int, help="days to simulate (overrides the file)")
    p.add_argument("--seed", type=int, help="root seed (overrides the file)")
    p.add_argument("--replications", type=int, help="replications (overrides the file)")
    p.add_argument("--workers", type=int, default=default_workers(), help="processes")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="labels of the summary")
    _add_set(p)
    p.set_defaults(command=cmd_run)

    p = sub.add_parser("validate", help="check a scenario file and print its parameters")
    p.add_argument("scenario", help="scenario file")
    _add_set(p)
    p.set_defaults(command=cmd_validate)

    cli_sweep.add_parser(sub, _add_set)
    cli_compare.add_parser(sub)
    cli_calibrate.add_parser(sub, _add_set)
    cli_sensitivity.add_parser(sub, _add_set)
    cli_fusion.add_parser(sub, _add_set)
    cli_frontier.add_parser(sub, _add_set)

    p = sub.add_parser("dashboard", help="serve the instructors' dashboard (open it in a browser)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.set_defaults(command=cmd_dashboard)
    return parser


def _add_set(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--set",
        action="append",
        metavar="SECTION.KEY=VALUE",
        help=f"override a parameter ({COMMAND_LINE}); repeatable",
    )


if __name__ == "__main__":
    sys.exit(main())
