"""Benchmark the Sanzhi engine: build time, stepping throughput and peak memory by size.

Each size runs in a fresh subprocess (this script re-invoked with ``--child``), so peak
memory is per size and nothing (Mesa registries, caches, allocator state) carries over.

    python benchmarks/bench_engine.py [--sizes 1000 10000 100000] [--steps N]
                                      [--repeats R] [--warmup W] [--json OUT]
    python benchmarks/bench_engine.py --profile 100000   # cProfile of stepping, top 20
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import importlib
import importlib.metadata
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_SIZES = (1_000, 10_000, 100_000)
STEP_BUDGET = 3_000_000  # household-steps per timed block; x3 repeats + warm-up ~ 2 s at 5M/s
MIN_STEPS, MAX_STEPS = 30, 365
PACKAGES = ("numpy", "scipy", "mesa", "pandas")


@dataclass(frozen=True)
class Result:
    """One size's measurements (stepping figures are the best of the repeats)."""

    households: int
    build_s: float
    steps: int
    repeats: int
    s_per_step: float
    hh_steps_per_s: float
    base_rss_mib: float
    peak_rss_mib: float


# --- Child side: runs inside the fresh subprocess.


def default_steps(size: int) -> int:
    """Steps per timed block: enough for roughly >=2 s of stepping, within [30, 365]."""
    return min(MAX_STEPS, max(MIN_STEPS, STEP_BUDGET // size))


def peak_rss_mib() -> float:
    """High-water mark of this process's resident set size, in MiB.

    On Linux, VmHWM: ``ru_maxrss`` would carry over the parent's peak at fork, which the
    exec'd child never touches.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10  # kB
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS


def build_model(size: int, total_steps: int) -> tuple[Any, float]:
    """Build a model of ``size`` households; return it and the seconds it took."""
    from sim import GovernanceModel, Parameters

    params = Parameters().with_values(
        {"population.households": size, "scenario.steps": min(total_steps, 36_500)}
    )
    start = time.perf_counter()
    model = GovernanceModel(params)
    return model, time.perf_counter() - start


def run_steps(model: Any, steps: int) -> float:
    """Advance ``model`` by ``steps`` days; return the wall-clock seconds."""
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    return time.perf_counter() - start


def measure(size: int, steps: int, repeats: int, warmup: int) -> Result:
    """Build, warm up, then time ``repeats`` blocks of ``steps`` steps; keep the best."""
    importlib.import_module("sim")  # so the baseline includes NumPy, SciPy, Mesa
    base = peak_rss_mib()
    model, build_s = build_model(size, warmup + steps * repeats)
    run_steps(model, warmup)
    best = min(run_steps(model, steps) for _ in range(repeats))
    return Result(
        households=size,
        build_s=build_s,
        steps=steps,
        repeats=repeats,
        s_per_step=best / steps,
        hh_steps_per_s=size * steps / best,
        base_rss_mib=base,
        peak_rss_mib=peak_rss_mib(),
    )


def profile(size: int, steps: int, warmup: int, top: int = 20) -> None:
    """Print the ``top`` functions by tottime while stepping a model of ``size``."""
    model, build_s = build_model(size, warmup + steps)
    run_steps(model, warmup)
    profiler = cProfile.Profile()
    profiler.enable()
    seconds = run_steps(model, steps)
    profiler.disable()
    print(f"# cProfile: {size:,} households, {steps} steps after {warmup} warm-up steps")
    print(f"# build {build_s:.2f} s; {seconds / steps * 1e3:.2f} ms/step under the profiler")
    pstats.Stats(profiler).strip_dirs().sort_stats("tottime").print_stats(top)


# --- Parent side: spawns one child per size and reports.


def run_child(size: int, steps: int, repeats: int, warmup: int) -> Result:
    """Measure one size in a fresh interpreter; the child prints a JSON Result last."""
    cmd = [sys.executable, os.path.abspath(__file__), "--child", str(size)]
    cmd += ["--steps", str(steps), "--repeats", str(repeats), "--warmup", str(warmup)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child for size {size} failed:\n{proc.stderr}")
    return Result(**json.loads(proc.stdout.strip().splitlines()[-1]))


def machine_facts() -> dict[str, Any]:
    """CPU, OS and package versions for the report header."""
    facts: dict[str, Any] = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
    }
    if hasattr(os, "sched_getaffinity"):
        facts["cpus_usable"] = len(os.sched_getaffinity(0))
    facts["python"] = platform.python_version()
    for name in PACKAGES:
        facts[name] = importlib.metadata.version(name)
    return facts


def cpu_model() -> str:
    """CPU model name from /proc/cpuinfo where available, else ``platform.processor()``."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def format_table(results: list[Result]) -> str:
    """An aligned table: markdown if tabulate is installed, else pandas' plain text."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "households": [f"{r.households:,}" for r in results],
            "build s": [f"{r.build_s:.3f}" for r in results],
            "steps": [f"{r.steps}x{r.repeats}" for r in results],
            "ms/step": [f"{r.s_per_step * 1e3:.2f}" for r in results],
            "hh-steps/s": [f"{r.hh_steps_per_s:,.0f}" for r in results],
            "base MiB": [f"{r.base_rss_mib:.0f}" for r in results],
            "peak MiB": [f"{r.peak_rss_mib:.0f}" for r in results],
        }
    )
    try:
        return frame.to_markdown(index=False, colalign=["right"] * frame.shape[1])
    except ImportError:
        return frame.to_string(index=False, col_space=11)


def format_header(facts: dict[str, Any]) -> str:
    """Machine facts as ``# key: value`` lines."""
    return "\n".join(f"# {key}: {value}" for key, value in facts.items())


def benchmark(args: argparse.Namespace) -> None:
    """Run every size in its own child, print the table, optionally write JSON."""
    facts = machine_facts()
    print(format_header(facts), flush=True)
    results = []
    for size in args.sizes:
        steps = args.steps or default_steps(size)
        print(f"# running {size:,} households ({steps} steps x {args.repeats})...", flush=True)
        results.append(run_child(size, steps, args.repeats, args.warmup))
    print(format_table(results))
    if args.json:
        report = {
            "machine": facts,
            "warmup": args.warmup,
            "results": [asdict(r) for r in results],
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
        print(f"# wrote {args.json}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options; ``--child`` is internal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="households per run"
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=None,
        help=f"timed steps per repeat (default: {STEP_BUDGET:,} // size "
        f"within [{MIN_STEPS}, {MAX_STEPS}])",
    )
    parser.add_argument("--repeats", type=int, default=3, help="timed blocks; best is kept")
    parser.add_argument("--warmup", type=int, default=20, help="untimed steps before timing")
    parser.add_argument("--json", metavar="OUT", help="also write results as JSON to OUT")
    parser.add_argument(
        "--profile", type=int, metavar="SIZE", help="cProfile stepping at SIZE, print top 20"
    )
    parser.add_argument("--child", type=int, metavar="SIZE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("steps", "repeats"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name} must be at least 1")
    if args.warmup < 0 or min(args.sizes) < 1:
        parser.error("--warmup must be >= 0 and --sizes >= 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child is not None:
        steps = args.steps or default_steps(args.child)
        result = measure(args.child, steps, args.repeats, args.warmup)
        print(json.dumps(asdict(result)))
    elif args.profile is not None:
        profile(args.profile, args.steps or default_steps(args.profile), args.warmup)
    else:
        try:
            benchmark(args)
        except RuntimeError as err:
            sys.exit(f"bench_engine: {err}")


if __name__ == "__main__":
    main()
