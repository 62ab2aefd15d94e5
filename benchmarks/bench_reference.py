"""Benchmark the per-agent reference model against the vectorised engine.

Measures household-steps per second of ``sim.reference.ReferenceModel`` and of
``sim.GovernanceModel`` at the same sizes, in the same run, and prints the speed-up
engine / reference (the design target is at least 150x at 10,000 households). Each
(model, size) runs in a fresh subprocess (this script re-invoked with ``--child``), so
peak memory is per run and nothing carries over between them.

    python benchmarks/bench_reference.py [--sizes 1000 10000] [--repeats R] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

from bench_engine import peak_rss_mib  # same folder: scripts run with it on sys.path

DEFAULT_SIZES = (1_000, 10_000)
MODELS = ("engine", "reference")
# Household-steps per timed block: the reference does ~1e5 a second, the engine ~1e6-1e7.
BUDGET = {"engine": 3_000_000, "reference": 200_000}
MIN_STEPS, MAX_STEPS = 5, 365
WARMUP = {"engine": 20, "reference": 5}


@dataclass(frozen=True)
class Result:
    """One (model, size) measurement; stepping figures are the best of the repeats."""

    model: str
    households: int
    build_s: float
    steps: int
    repeats: int
    s_per_step: float
    hh_steps_per_s: float
    peak_rss_mib: float


def default_steps(model: str, size: int) -> int:
    return min(MAX_STEPS, max(MIN_STEPS, BUDGET[model] // size))


def measure(model: str, size: int, steps: int, repeats: int) -> Result:
    """Build, warm up, then time ``repeats`` blocks of ``steps`` steps; keep the best."""
    from sim import GovernanceModel, Parameters
    from sim.reference import ReferenceModel

    cls: Any = GovernanceModel if model == "engine" else ReferenceModel
    warmup = WARMUP[model]
    params = Parameters().with_values(
        {"population.households": size, "scenario.steps": warmup + steps * repeats}
    )
    start = time.perf_counter()
    m = cls(params)
    build_s = time.perf_counter() - start
    for _ in range(warmup):
        m.step()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            m.step()
        best = min(best, time.perf_counter() - start)
    return Result(
        model=model,
        households=size,
        build_s=build_s,
        steps=steps,
        repeats=repeats,
        s_per_step=best / steps,
        hh_steps_per_s=size * steps / best,
        peak_rss_mib=peak_rss_mib(),
    )


def run_child(model: str, size: int, repeats: int) -> Result:
    """Measure one (model, size) in a fresh interpreter; it prints a JSON Result last."""
    cmd = [sys.executable, os.path.abspath(__file__), "--child", model, str(size)]
    cmd += ["--repeats", str(repeats)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child {model} {size} failed:\n{proc.stderr}")
    return Result(**json.loads(proc.stdout.strip().splitlines()[-1]))


def format_table(results: list[Result]) -> str:
    lines = [
        f"| {'households':>10} | {'model':>9} | {'build s':>7} | {'steps':>6} | "
        f"{'ms/step':>9} | {'hh-steps/s':>12} | {'us/hh-step':>10} | {'peak MiB':>8} |",
        "|" + "|".join("-" * w for w in (12, 11, 9, 8, 11, 14, 12, 10)) + "|",
    ]
    for r in results:
        lines.append(
            f"| {r.households:>10,} | {r.model:>9} | {r.build_s:>7.3f} | "
            f"{f'{r.steps}x{r.repeats}':>6} | {r.s_per_step * 1e3:>9.2f} | "
            f"{r.hh_steps_per_s:>12,.0f} | {1e6 / r.hh_steps_per_s:>10.3f} | "
            f"{r.peak_rss_mib:>8.0f} |"
        )
    return "\n".join(lines)


def speedups(results: list[Result]) -> dict[int, float]:
    """Engine hh-steps/s over reference hh-steps/s, per size."""
    by = {(r.model, r.households): r for r in results}
    return {
        size: by["engine", size].hh_steps_per_s / by["reference", size].hh_steps_per_s
        for (model, size) in by
        if model == "engine" and ("reference", size) in by
    }


def benchmark(args: argparse.Namespace) -> None:
    results = []
    for size in args.sizes:
        for model in MODELS:
            print(f"# {model} at {size:,} households...", flush=True)
            results.append(run_child(model, size, args.repeats))
    print(format_table(results))
    ratios = speedups(results)
    for size, ratio in ratios.items():
        print(f"# speed-up engine/reference at {size:,} households: {ratio:,.0f}x")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            report = {"results": [asdict(r) for r in results], "speedup": ratios}
            json.dump(report, f, indent=2)
        print(f"# wrote {args.json}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--repeats", type=int, default=3, help="timed blocks; best is kept")
    parser.add_argument("--json", metavar="OUT", help="also write results as JSON to OUT")
    parser.add_argument("--child", nargs=2, metavar=("MODEL", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeats < 1 or min(args.sizes) < 1:
        parser.error("--repeats and --sizes must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        model, size = args.child[0], int(args.child[1])
        result = measure(model, size, default_steps(model, size), args.repeats)
        print(json.dumps(asdict(result)))
    else:
        try:
            benchmark(args)
        except RuntimeError as err:
            sys.exit(f"bench_reference: {err}")


if __name__ == "__main__":
    main()
