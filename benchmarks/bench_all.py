"""The engine's speed figures (issue 21's targets) side by side in one run, optionally as an
interleaved A/B against an older engine.

    python benchmarks/bench_all.py [--repeats 3] [--before DIR] [--only NAME ...]
                                   [--json OUT] [--quick]

Measurements (``--only`` picks some; names in brackets):

1. [start] cold and warm start: import + building + the first day of a 1,000-household
   model in a fresh interpreter, with an empty compiled-kernel cache (Numba's, in a
   temporary ``NUMBA_CACHE_DIR``) and then with the cache that run filled;
2. [town] 10,000 households: ms per day (best block of 365 days after 20 warm-up days,
   ``bench_engine.py``), a whole 365-day run (build, then every day from day 0), and the
   ratio to the per-agent reference model (``bench_reference.py``; the reference is timed
   once per repeat, with this checkout's code, since both arms share it);
3. [large] 100,000 households: household-steps per second (``bench_engine.py``);
4. [city] ``sanzhi run scenarios/city_1m.toml``: wall time and peak memory of the command;
5. [sweep] the staffing sweep (``scenarios/sweeps/staffing.toml``, 10 points x
   ``--sweep-replications`` and twice that, of 10,000 households x 365 days) on 1 and 2
   workers: throughput is the extra runs over the extra wall time, so the pool's start
   and the summary, paid once a job, do not dilute the speed-up;
6. [sobol] ``sanzhi sensitivity --method sobol`` on ``scenarios/sweeps/sensitivity.toml``
   at 10,000 households, one replication, ``--sobol-samples`` and four times that base
   samples (two slices), on 2 workers; the seconds an extra run costs, plus what a job
   pays once, extrapolate the issue's analysis: N = 512, 15 parameters, 3 replications
   (512 x 32 x 3 = 49,152 runs), and the file's 10 parameters.

``--before DIR`` names a folder holding an older ``sim`` package (``git archive <commit>
sim | tar -x -C DIR``): every measurement then runs for both arms, interleaved (before,
after, before, after, ...), each in a fresh subprocess whose ``PYTHONPATH`` puts DIR first
(the benchmarks and ``experiments`` stay this checkout's). The best repeat of each counts.
On a shared machine absolute figures are pessimistic; the interleaved ratios are what to
trust. Before timing, each arm runs one small model, so the warm figures never include
compiling. ``--quick`` checks the script in about a minute: small sizes, no sweeps unless
``--only`` names them, no figures to quote.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bench_engine  # same folder: scripts run with it on sys.path
import bench_reference

ROOT = Path(__file__).resolve().parent.parent
CITY = ROOT / "scenarios" / "city_1m.toml"
SWEEP = ROOT / "scenarios" / "sweeps" / "staffing.toml"
SOBOL = ROOT / "scenarios" / "sweeps" / "sensitivity.toml"
MEASUREMENTS = ("start", "town", "large", "city", "sweep", "sobol")
# The issue's Sobol' analysis: base sample N, parameters, replications (Saltelli with
# second-order indices: N x (2 D + 2) points).
SOBOL_N, SOBOL_D, SOBOL_REPLICATIONS = 512, 15, 3
SOBOL_FILE_D = 10  # parameters of scenarios/sweeps/sensitivity.toml

Env = dict[str, str]


def arm_env(before: Path | None) -> Env:
    """The environment of an arm's subprocesses: this checkout, or DIR's ``sim`` first."""
    paths = ([str(before)] if before else []) + [str(ROOT)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def _python(args: list[str], env: Env, **kwargs: Any) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, **kwargs
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return proc


# --- Measurements: each takes an arm's environment and returns named figures.


def start(env: Env, quick: bool) -> dict[str, float]:
    """Cold (empty kernel cache) and warm start of a fresh interpreter, in seconds."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**env, "NUMBA_CACHE_DIR": cache}
        cold = json.loads(_python([__file__, "--start-child"], env).stdout.splitlines()[-1])
        warm = json.loads(_python([__file__, "--start-child"], env).stdout.splitlines()[-1])
    return {"cold_s": cold["total_s"], "warm_s": warm["total_s"], "import_s": warm["import_s"]}


def start_child() -> None:
    clock = time.perf_counter()
    from sim import GovernanceModel, Parameters

    imported = time.perf_counter()
    model = GovernanceModel(Parameters().with_values({"population.households": 1000}), rng=1)
    model.step()
    done = time.perf_counter()
    print(json.dumps({"import_s": imported - clock, "total_s": done - clock}))


def town(env: Env, quick: bool) -> dict[str, float]:
    """10,000 households: ms/day, a whole 365-day run, and the reference's ms/day is added
    by the caller (it does not depend on the arm)."""
    size, days = (1_000, 30) if quick else (10_000, 365)
    r = _engine(size, days, env)
    year = json.loads(_python([__file__, "--year-child", str(size), str(days)], env).stdout)
    return {"ms_per_day": r.s_per_step * 1e3, "year_s": year["steps_s"], "build_s": year["build_s"]}


def year_child(size: int, days: int) -> None:
    from sim import GovernanceModel, Parameters

    GovernanceModel(Parameters().with_values({"population.households": 100}), rng=1).step()
    clock = time.perf_counter()  # kernels loaded: their once-a-process cost is "start"'s
    values = {"population.households": size, "scenario.steps": days}
    model = GovernanceModel(Parameters().with_values(values), rng=1)
    built = time.perf_counter()
    for _ in range(days):
        model.step()
    print(json.dumps({"build_s": built - clock, "steps_s": time.perf_counter() - built}))


def reference_ms(quick: bool) -> float:
    size = 1_000 if quick else 10_000
    env = arm_env(None)
    cmd = [str(ROOT / "benchmarks" / "bench_reference.py"), "--child", "reference", str(size)]
    out = _python([*cmd, "--repeats", "1"], env).stdout.strip().splitlines()[-1]
    return bench_reference.Result(**json.loads(out)).s_per_step * 1e3


def large(env: Env, quick: bool) -> dict[str, float]:
    size = 10_000 if quick else 100_000
    r = _engine(size, 30 if quick else bench_engine.default_steps(size), env)
    return {"hh_steps_per_s": r.hh_steps_per_s, "ms_per_day": r.s_per_step * 1e3}


def _engine(size: int, steps: int, env: Env) -> bench_engine.Result:
    cmd = [str(ROOT / "benchmarks" / "bench_engine.py"), "--child", str(size)]
    cmd += ["--steps", str(steps), "--repeats", "1", "--warmup", "20"]
    out = _python(cmd, env).stdout.strip().splitlines()[-1]
    return bench_engine.Result(**json.loads(out))


def city(env: Env, quick: bool) -> dict[str, float]:
    """``sanzhi run`` on the city scenario, as a user runs it, in a fresh interpreter."""
    with tempfile.TemporaryDirectory() as tmp:
        args = ["run", str(CITY), "--out", tmp]
        args += ["--steps", "5", "--set", "population.households=10000"] if quick else []
        clock = time.perf_counter()
        proc = _python([__file__, "--city-child", json.dumps(args)], env)
        wall = time.perf_counter() - clock
    return {"wall_s": wall, "peak_rss_mib": float(proc.stdout.strip().splitlines()[-1])}


def city_child(args: list[str]) -> None:
    """Run ``sanzhi ARGS``; print the peak RSS of this process or any worker it started."""
    from experiments.cli.main import main as sanzhi

    if sanzhi(args) != 0:
        sys.exit("sanzhi run failed")
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**10
    print(max(bench_engine.peak_rss_mib(), workers))


def sweep(env: Env, quick: bool, replications: int) -> dict[str, float]:
    """The staffing sweep on 1 and 2 workers, each at ``replications`` and twice that per
    point. Throughput is the extra runs over the extra wall time (the starting of the pool
    and the writing of the summary are paid once a job, not once a run); the speed-up is the
    ratio of the two throughputs, and the larger job's walls are reported as they are."""
    out: dict[str, float] = {}
    for workers in (1, 2):
        walls = []
        for reps in (replications, 2 * replications):
            args = [__file__, "--sweep-child", str(workers), str(reps), str(int(quick))]
            figures = json.loads(_python(args, env).stdout.strip().splitlines()[-1])
            walls.append(figures["wall_s"])
            runs, busy = figures["runs"], figures["busy_s"]
        out[f"w{workers}_s"], out["runs"] = walls[1], runs
        out[f"w{workers}_runs_per_s"] = (runs / 2) / max(walls[1] - walls[0], 1e-9)
        out[f"w{workers}_busy"] = busy / (walls[1] * workers)
    out["speedup"] = out["w2_runs_per_s"] / out["w1_runs_per_s"]
    out["wall_speedup"] = out["w1_s"] / out["w2_s"]
    out["machine_speedup"] = machine_speedup(env, quick)
    return out


def machine_speedup(env: Env, quick: bool) -> float:
    """Runs a second of two bare model-years at once over one alone (no sweep machinery):
    what the machine's two cores give this engine, the ceiling of any sweep's speed-up."""
    size, days = (1_000, 30) if quick else (10_000, 365)
    cmd = [sys.executable, __file__, "--year-child", str(size), str(days)]

    def batch(k: int) -> float:
        procs = [subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE) for _ in range(k)]
        return max(json.loads(p.communicate()[0])["steps_s"] for p in procs)

    return 2 * batch(1) / batch(2)


def sweep_child(workers: int, replications: int, quick: bool) -> None:
    from experiments.executors import open_executor
    from experiments.scenario import load_scenario
    from experiments.sweeps.job import prepare_sweep

    overrides: dict[str, Any] = {"scenario.replications": replications}
    if quick:
        overrides.update({"population.households": 1000, "scenario.steps": 30})
    with tempfile.TemporaryDirectory() as tmp:
        clock = time.perf_counter()
        job = prepare_sweep(load_scenario(SWEEP, overrides), Path(tmp) / "out")
        with open_executor("process", workers) as (pool, n):
            outcome = job.run(pool, n)
        wall = time.perf_counter() - clock
        # The seconds each run took in its worker (the bundles' records), against the time
        # the workers were there: how well the sweep keeps them busy.
        records = (json.loads(f.read_text()) for f in outcome.out.glob("bundles/*.json"))
        busy = sum(sum(r["seconds"].values()) for r in records)
    print(json.dumps({"wall_s": wall, "runs": len(outcome.summary), "busy_s": busy}))


def sobol(env: Env, quick: bool, samples: int) -> dict[str, float]:
    """Two slices of a Sobol' analysis on 2 workers (``samples`` and four times that base
    samples); the seconds a run costs are the larger slice's extra wall time over its extra
    runs, so the once-a-job costs (the pool, SALib's analysis, the plots) are not
    extrapolated to 49,152 runs; the full analyses are then that per run plus them."""
    households, steps = (1000, 30) if quick else (10_000, 365)
    walls, counts = [], []
    for n in (samples, 4 * samples):
        with tempfile.TemporaryDirectory() as tmp:
            args = ["-m", "experiments.cli", "sensitivity", str(SOBOL), "--method", "sobol"]
            args += ["--samples", str(n), "--workers", "2", "--out", str(Path(tmp) / "s")]
            args += ["--set", f"population.households={households}"]
            args += ["--set", "scenario.replications=1", "--set", f"scenario.steps={steps}"]
            clock = time.perf_counter()
            _python(args, env)
            walls.append(time.perf_counter() - clock)
        counts.append(n * (2 * SOBOL_FILE_D + 2))
    per_run = (walls[1] - walls[0]) / (counts[1] - counts[0])
    once = max(walls[1] - per_run * counts[1], 0.0)
    full = SOBOL_N * (2 * SOBOL_D + 2) * SOBOL_REPLICATIONS
    file_full = SOBOL_N * (2 * SOBOL_FILE_D + 2) * SOBOL_REPLICATIONS
    return {
        "s_per_run": per_run,
        "slice_runs": counts[1],
        "slice_s": walls[1],
        "once_s": once,
        "issue_hours": (full * per_run + once) / 3600,
        "file_hours": (file_full * per_run + once) / 3600,
    }


# --- The A/B loop and the report.


def measure_all(args: argparse.Namespace) -> dict[str, Any]:
    arms = {"after": arm_env(None)}
    if args.before:
        arms = {"before": arm_env(args.before.resolve()), **arms}
    tasks: dict[str, Callable[[Env], dict[str, float]]] = {
        "start": lambda env: start(env, args.quick),
        "town": lambda env: town(env, args.quick),
        "large": lambda env: large(env, args.quick),
        "city": lambda env: city(env, args.quick),
        "sweep": lambda env: sweep(env, args.quick, args.sweep_replications),
        "sobol": lambda env: sobol(env, args.quick, args.sobol_samples),
    }
    default = MEASUREMENTS[:4] if args.quick else MEASUREMENTS  # --quick: no sweeps
    chosen = [name for name in MEASUREMENTS if name in (args.only or default)]
    for env in arms.values():  # fill each arm's kernel cache: warm figures never compile
        _python([__file__, "--start-child"], env)
    best: dict[str, dict[str, dict[str, float]]] = {arm: {} for arm in arms}
    reference: list[float] = []
    for repeat in range(args.repeats):
        for name in chosen:
            for arm, env in arms.items():
                print(f"# repeat {repeat + 1}: {name} ({arm})...", flush=True)
                figures = tasks[name](env)
                key = next(iter(figures))  # the first figure is the one to minimise
                if key == "hh_steps_per_s":
                    better = figures[key] > best[arm].get(name, {key: -1.0})[key]
                else:
                    better = figures[key] < best[arm].get(name, {key: float("inf")})[key]
                if better:
                    best[arm][name] = figures
            if name == "town":
                print(f"# repeat {repeat + 1}: reference model...", flush=True)
                reference.append(reference_ms(args.quick))
    if reference:
        for arm in arms:
            best[arm]["town"]["reference_ms_per_day"] = min(reference)
            best[arm]["town"]["ratio"] = min(reference) / best[arm]["town"]["ms_per_day"]
    return best


TARGETS = {  # (measurement, figure): (target text, test)
    ("town", "ms_per_day"): ("<= 0.7 ms/day", lambda v: v <= 0.7),
    ("town", "year_s"): ("<= 0.25 s", lambda v: v <= 0.25),
    ("town", "ratio"): (">= 150x", lambda v: v >= 150),
    ("large", "hh_steps_per_s"): (">= 25 M/s", lambda v: v >= 25e6),
    ("city", "wall_s"): ("<= 30 s", lambda v: v <= 30),
    ("city", "peak_rss_mib"): ("<= 1 GB", lambda v: v <= 1000),
    ("sweep", "speedup"): (">= 1.9x", lambda v: v >= 1.9),
    ("sobol", "issue_hours"): ("<= 1 h", lambda v: v <= 1),
}
LABELS = {
    ("start", "cold_s"): "start, empty kernel cache: import + 1,000-household day 1 (s)",
    ("start", "warm_s"): "start, warm cache: import + 1,000-household day 1 (s)",
    ("start", "import_s"): "import sim (s)",
    ("town", "ms_per_day"): "10,000 households: ms/day",
    ("town", "year_s"): "10,000 households: 365-day run, stepping (s; kernels loaded)",
    ("town", "build_s"): "10,000 households: build (s)",
    ("town", "reference_ms_per_day"): "reference model, 10,000 households: ms/day",
    ("town", "ratio"): "engine / reference at 10,000 households",
    ("large", "hh_steps_per_s"): "100,000 households: household-steps/s",
    ("large", "ms_per_day"): "100,000 households: ms/day",
    ("city", "wall_s"): "sanzhi run scenarios/city_1m.toml (s)",
    ("city", "peak_rss_mib"): "... peak memory (MiB)",
    ("sweep", "w1_s"): "staffing sweep, 1 worker (s)",
    ("sweep", "w2_s"): "staffing sweep, 2 workers (s)",
    ("sweep", "runs"): "... runs",
    ("sweep", "w1_runs_per_s"): "... throughput, 1 worker (runs/s, extra runs over extra wall)",
    ("sweep", "w2_runs_per_s"): "... throughput, 2 workers (runs/s)",
    ("sweep", "speedup"): "... throughput, 2 workers / 1 worker",
    ("sweep", "wall_speedup"): "... wall, 1 worker / 2 workers (pool start included)",
    ("sweep", "w2_busy"): "... 2 workers: share of their time spent in runs",
    ("sweep", "machine_speedup"): "... ceiling: two bare 365-day runs at once / one alone",
    ("sobol", "slice_runs"): "Sobol' slice (10,000 households, 365 days; --quick: smaller): runs",
    ("sobol", "slice_s"): "... wall on 2 workers (s)",
    ("sobol", "s_per_run"): "... wall seconds per extra run (2 workers)",
    ("sobol", "once_s"): "... once a job: pool, analysis, plots (s)",
    ("sobol", "issue_hours"): "Sobol' N=512, 15 parameters, 3 replications (h, extrapolated)",
    ("sobol", "file_hours"): "Sobol' N=512, sensitivity.toml's 10 parameters, 3 reps (h)",
}


def _fmt(value: float) -> str:
    if abs(value) >= 1e5:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:,.1f}"


def report(best: dict[str, dict[str, dict[str, float]]]) -> str:
    arms = list(best)
    head = "| measurement | " + " | ".join(arms)
    head += " | after / before |" if len(arms) == 2 else " |"
    lines = [head + " target |", "|---" * (len(arms) + (3 if len(arms) == 2 else 2)) + "|"]
    for (name, figure), label in LABELS.items():
        values = [best[arm].get(name, {}).get(figure) for arm in arms]
        if all(v is None for v in values):
            continue
        cells = [_fmt(v) if v is not None else "" for v in values]
        if len(arms) == 2:
            a, b = values
            cells.append(f"{b / a:.2f}" if a and b is not None else "")
        target, test = TARGETS.get((name, figure), ("", None))
        if target and values[-1] is not None and test is not None:
            target += " (met)" if test(values[-1]) else " (not met)"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="interleaved rounds; best counts")
    parser.add_argument("--before", type=Path, help="folder with an older sim/ to compare")
    parser.add_argument("--only", nargs="+", choices=MEASUREMENTS, help="these measurements")
    parser.add_argument(
        "--sweep-replications", type=int, default=5, help="per sweep point (and twice that)"
    )
    parser.add_argument("--sobol-samples", type=int, default=1, help="base samples of the slice")
    parser.add_argument("--quick", action="store_true", help="small sizes: checks the script")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--start-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--year-child", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--city-child", help=argparse.SUPPRESS)
    parser.add_argument("--sweep-child", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.start_child:
        return start_child()
    if args.year_child:
        return year_child(*args.year_child)
    if args.city_child:
        return city_child(json.loads(args.city_child))
    if args.sweep_child:
        return sweep_child(args.sweep_child[0], args.sweep_child[1], bool(args.sweep_child[2]))
    if args.quick:
        args.repeats, args.sweep_replications = 1, 1

    facts = bench_engine.machine_facts()
    best = measure_all(args)
    print()
    print(bench_engine.format_header(facts))
    print(report(best))
    if args.json:
        args.json.write_text(json.dumps({"machine": facts, "figures": best}, indent=2))


if __name__ == "__main__":
    main()
