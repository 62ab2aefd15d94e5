"""Benchmark policies over time (docs/timeline.md): what a timeline costs on a day without
an entry, and the size, save and load time of a saved state.

    python benchmarks/bench_timeline.py [--households 10000] [--steps 60] [--repeats 5]

Step cost: two models of the same seed, one without a timeline and one whose only entry is
on the last day of a long run (so no measured day has an entry), stepped in alternating
blocks of ``--steps`` days; the best block of each is kept (the least disturbed by other
work on the machine). State: the model after the blocks, saved and loaded ``--repeats``
times (best of each), and the file's size.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sim import GovernanceModel, Parameters, state


def block(model: GovernanceModel, steps: int) -> float:
    clock = time.perf_counter()
    for _ in range(steps):
        model.step()
    return (time.perf_counter() - clock) / steps


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=10_000)
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    days = 20 + 2 * args.steps * args.repeats + 1
    base = Parameters().with_values(
        {"population.households": args.households, "scenario.steps": days}
    )
    late = base.with_values(
        {"timeline": [{"key": "moral.moral_bank", "day": days - 1, "value": True}]}
    )
    models = {"no timeline": GovernanceModel(base, rng=1), "timeline": GovernanceModel(late, rng=1)}
    for model in models.values():
        block(model, 20)  # queues reach a working size
    best = dict.fromkeys(models, float("inf"))
    for _ in range(args.repeats):
        for name, model in models.items():
            best[name] = min(best[name], block(model, args.steps))
    model = models["timeline"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state"
        save = load = float("inf")
        for _ in range(args.repeats):
            clock = time.perf_counter()
            state.save(model, path)
            save = min(save, time.perf_counter() - clock)
            clock = time.perf_counter()
            state.load(path)
            load = min(load, time.perf_counter() - clock)
        size = path.stat().st_size
    result = {
        "households": args.households,
        "ms_per_step_no_timeline": 1e3 * best["no timeline"],
        "ms_per_step_timeline_no_entry_today": 1e3 * best["timeline"],
        "difference_percent": 100 * (best["timeline"] / best["no timeline"] - 1),
        "state_mb": size / 1e6,
        "state_save_s": save,
        "state_load_s": load,
    }
    for key, value in result.items():
        print(f"{key:40s} {value:,.4g}" if isinstance(value, float) else f"{key:40s} {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
