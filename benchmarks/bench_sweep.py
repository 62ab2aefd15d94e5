"""Benchmark sweeps: wall time of a 100-run sweep by worker count, and executor overheads.

    python benchmarks/bench_sweep.py [--scenario scenarios/sweeps/staffing.toml]
                                     [--workers 1 2] [--tasks 200] [--json OUT]

1. The sweep (default: the staffing sweep, 10 points x 10 replications of 10,000
   households x 365 days) with the process executor and each worker count, into a
   temporary folder; wall time includes pool start-up, writing and the summary.
2. Per-task overhead on one worker of each executor, one run per task (no bundling, the
   worst case), minus the same tasks in a loop: a trivial task returning a one-run result
   of the real size (the executor's own cost), and a tiny model run (20 households, 1 day).
   Start-up (pool or cluster, until the first task is back) is measured separately.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from experiments.executors import open_executor  # noqa: E402
from experiments.scenario import load_scenario  # noqa: E402
from experiments.sweeps.job import prepare_sweep  # noqa: E402
from experiments.sweeps.worker import run_bundle  # noqa: E402
from sim import Parameters  # noqa: E402


def sweep_seconds(scenario: Path, workers: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        clock = time.perf_counter()
        job = prepare_sweep(load_scenario(scenario), Path(tmp) / "out")
        with open_executor("process", workers) as (pool, n):
            outcome = job.run(pool, n)
        return time.perf_counter() - clock, len(outcome.summary)


def echo(task: dict) -> dict:
    """A stand-in for run_bundle with no model: returns a one-run result of the real size
    (365 days x 41 columns), so only the executor's own costs are timed."""
    frame = pd.DataFrame(np.zeros((365, 41)), columns=[f"c{i}" for i in range(41)])
    return {"bundle": task["bundle"], "timeseries": frame, "failures": [], "seconds": {0: 0.0}}


def tiny_run(task: dict) -> dict:
    """A real tiny bundle: one model of 20 households for one day."""
    return run_bundle(task)


def tasks(n: int) -> list[dict]:
    base = Parameters().with_values({"population.households": 20, "scenario.steps": 1})
    run = {"point": 0, "replication": 0, "seed": 1, "columns": {}, "assign": {}}
    return [
        {
            "bundle": f"t{i}",
            "scenario": "tiny",
            "base": base.to_dict(),
            "runs": [{**run, "run_id": i}],
        }
        for i in range(n)
    ]


def per_task(kind: str, fn, work: list[dict]) -> dict[str, float]:
    """Start-up (until a first task is back) and seconds per task, on one worker."""
    clock = time.perf_counter()
    with open_executor(kind, 1) as (executor, _):
        executor.submit(fn, work[0]).result()
        start = time.perf_counter() - clock
        clock = time.perf_counter()
        for future in [executor.submit(fn, t) for t in work]:
            future.result()
        seconds = time.perf_counter() - clock
    return {"startup_s": start, "per_task_s": seconds / len(work)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios/sweeps/staffing.toml")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2], help="none: skip")
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict = {"machine": platform.platform(), "python": platform.python_version()}

    work = tasks(args.tasks)
    for label, fn in (("trivial task", echo), ("tiny model run", tiny_run)):
        serial = per_task("serial", fn, work)["per_task_s"]
        results[label] = {"serial_per_task_s": serial}
        for kind in ("process", "dask"):
            o = per_task(kind, fn, work)
            o["overhead_per_task_s"] = o["per_task_s"] - serial
            results[label][kind] = o
            print(
                f"{label}, {kind}: start-up {o['startup_s']:.2f} s; "
                f"{1000 * o['per_task_s']:.2f} ms per task vs {1000 * serial:.2f} ms in a loop "
                f"(overhead {1000 * o['overhead_per_task_s']:.2f} ms)"
            )

    walls = {}
    for w in args.workers:
        seconds, runs = sweep_seconds(args.scenario, w)
        walls[w] = seconds
        print(f"sweep {args.scenario.name}: {runs} runs, {w} worker(s): {seconds:.1f} s")
    if 1 in walls:
        for w, s in walls.items():
            print(f"  speed-up with {w} worker(s): {walls[1] / s:.2f}x")
    results["sweep"] = {"scenario": str(args.scenario), "wall_s": walls}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
