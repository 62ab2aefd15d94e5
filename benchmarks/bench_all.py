"""All of Sanzhi's speed and memory figures in one run, as one Markdown table.

    python benchmarks/bench_all.py [--quick] [--json OUT]

1. Engine at 1,000 / 10,000 / 100,000 / 1,000,000 households (``bench_engine.py``).
2. Per-agent reference model at 1,000 and 10,000 households, and the engine again at the
   same sizes and with the same protocol, so the ratio is measured in one run
   (``bench_reference.py``).
3. ``sanzhi run scenarios/city_1m.toml``: wall time and peak memory of the whole command
   (network construction and data collection included), as a user runs it.
4. Sweep throughput with 1 and 2 workers (``bench_sweep.py``; the staffing sweep: 10
   points x 10 replications of 10,000 households x 365 days).

Every measurement runs in a fresh process. ``--quick`` runs small sizes only, one timed
block each, the city scenario at 10,000 households for 5 days and no sweep: it checks the
script (as ``tests/test_readme.py`` runs it), it gives no figures to quote. The full run
takes about five minutes on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bench_engine  # same folder: scripts run with it on sys.path
import bench_reference
import bench_sweep

ROOT = Path(__file__).resolve().parent.parent
ENGINE_SIZES = (1_000, 10_000, 100_000, 1_000_000)
REFERENCE_SIZES = (1_000, 10_000)
CITY = ROOT / "scenarios" / "city_1m.toml"
SWEEP = ROOT / "scenarios" / "sweeps" / "staffing.toml"


def engine_rows(sizes: tuple[int, ...], repeats: int) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        print(f"# engine at {size:,} households...", flush=True)
        r = bench_engine.run_child(size, bench_engine.default_steps(size), repeats, warmup=20)
        rows.append(_row("engine", size, r.s_per_step, r.hh_steps_per_s, r.peak_rss_mib))
    return rows


def reference_rows(sizes: tuple[int, ...], repeats: int) -> tuple[list[dict], dict[int, float]]:
    """Reference and engine at the same sizes, same protocol; and their ratio per size."""
    results = []
    for size in sizes:
        for model in bench_reference.MODELS:
            print(f"# {model} (paired) at {size:,} households...", flush=True)
            results.append(bench_reference.run_child(model, size, repeats))
    rows = [
        _row(
            r.model if r.model == "reference" else "engine (paired)",
            r.households,
            r.s_per_step,
            r.hh_steps_per_s,
            r.peak_rss_mib,
        )
        for r in results
    ]
    return rows, bench_reference.speedups(results)


def city_run(scenario: Path, steps: int | None, households: int | None = None) -> dict[str, float]:
    """Wall time and peak memory of ``sanzhi run`` on the city scenario, as a user runs it
    (in a fresh interpreter: this script's ``--city-child`` runs the command's ``main``);
    ``steps`` and ``households`` shrink it to a check."""
    print(f"# sanzhi run {scenario.name}...", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        args = ["run", str(scenario), "--out", tmp] + (["--steps", str(steps)] if steps else [])
        args += ["--set", f"population.households={households}"] if households else []
        cmd = [sys.executable, __file__, "--city-child", json.dumps(args)]
        start = time.perf_counter()
        proc = subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - start
    return {"wall_s": wall, "peak_rss_mib": float(proc.stdout.strip().splitlines()[-1])}


def city_child(args: list[str]) -> None:
    """Run ``sanzhi ARGS``; print the peak RSS of this process or any worker it started."""
    from experiments.cli.main import main as sanzhi

    if sanzhi(args) != 0:
        sys.exit("sanzhi run failed")
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**10
    print(max(bench_engine.peak_rss_mib(), workers))


def sweep_rows(scenario: Path, workers: tuple[int, ...]) -> dict[int, dict[str, float]]:
    out = {}
    for w in workers:
        print(f"# sweep {scenario.name} with {w} worker(s)...", flush=True)
        seconds, runs = bench_sweep.sweep_seconds(scenario, w)
        out[w] = {"wall_s": seconds, "runs": runs, "runs_per_min": 60 * runs / seconds}
    return out


def _row(model: str, size: int, s_per_step: float, rate: float, peak: float) -> dict[str, Any]:
    return {
        "model": model,
        "households": size,
        "ms_per_step": s_per_step * 1e3,
        "hh_steps_per_s": rate,
        "peak_rss_mib": peak,
    }


def report(rows: list[dict], ratios: dict[int, float], city: dict, sweeps: dict) -> str:
    lines = [
        "| model | households | ms/step | household-steps/s | peak MiB |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['households']:,} | {r['ms_per_step']:.2f} | "
            f"{r['hh_steps_per_s']:,.0f} | {r['peak_rss_mib']:.0f} |"
        )
    lines.append("")
    for size, ratio in ratios.items():
        lines.append(f"- engine / reference at {size:,} households: **{ratio:.0f}x**")
    lines.append(
        f"- `sanzhi run {CITY.relative_to(ROOT)}`: **{city['wall_s']:.1f} s** wall, "
        f"**{city['peak_rss_mib']:.0f} MiB** peak"
    )
    for w, s in sweeps.items():
        speedup = sweeps[min(sweeps)]["wall_s"] / s["wall_s"]
        lines.append(
            f"- sweep, {w} worker(s): {s['runs']} runs in {s['wall_s']:.1f} s "
            f"({s['runs_per_min']:.0f} runs/min, {speedup:.2f}x)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed blocks; best is kept")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, one block each: checks the script"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--city-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.city_child:
        return city_child(json.loads(args.city_child))

    quick = args.quick
    repeats = 1 if quick else args.repeats
    facts = bench_engine.machine_facts()
    rows = engine_rows(ENGINE_SIZES[:2] if quick else ENGINE_SIZES, repeats)
    paired, ratios = reference_rows(REFERENCE_SIZES[:1] if quick else REFERENCE_SIZES, repeats)
    city = city_run(CITY, steps=5, households=10_000) if quick else city_run(CITY, None)
    sweeps = {} if quick else sweep_rows(SWEEP, (1, 2))

    print()
    print(bench_engine.format_header(facts))
    print(report(rows + paired, ratios, city, sweeps))
    if args.json:
        figures = {"machine": facts, "rows": rows + paired, "ratios": ratios, "city": city}
        figures["sweep"] = {"scenario": str(SWEEP), "workers": sweeps}
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
