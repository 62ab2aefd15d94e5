"""A/B timing of the practices of issue 14 (ODD 7.10 six steps, 7.17-7.22): seconds per
household-step with them off and all on (the moral bank too, which redemption needs),
against the code before them if its folder is given.

    python benchmarks/bench_practices.py [--households 100000] [--steps 60] [--repeats 2]
                                         [--before DIR]   # a checkout without the practices

Each arm runs in a fresh subprocess, interleaved over the repeats; the best repeat counts
(the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

ON = {
    "self_governance.public_jury": True,
    "self_governance.rules_revision": True,
    "rule_of_law.advisor_attendance": 0.5,
    "self_governance.joint_councils": True,
    "moral.integrity_points": True,
    "moral.moral_bank": True,
    "moral.redemption": True,
    "moral.moral_review": True,
}


def child(households: int, steps: int, on: bool) -> None:
    from sim import GovernanceModel, Parameters

    values = {"population.households": households, "scenario.steps": steps}
    model = GovernanceModel(Parameters().with_values({**values, **(ON if on else {})}), rng=1)
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    print(json.dumps({"seconds": time.perf_counter() - start}))


def run(households: int, steps: int, on: bool, root: str) -> float:
    env = {**os.environ, "PYTHONPATH": root}
    args = [
        sys.executable,
        os.path.abspath(__file__),
        "--child",
        str(households),
        str(steps),
        str(int(on)),
    ]
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True, cwd=root)
    return json.loads(out.stdout)["seconds"] / (households * steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--before", help="folder holding the code before the practices")
    parser.add_argument("--child", nargs=3, type=int, help=argparse.SUPPRESS)
    a = parser.parse_args()
    if a.child:
        child(a.child[0], a.child[1], bool(a.child[2]))
        return
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    arms = {"off": (here, False), "on": (here, True)}
    if a.before:
        arms = {"before": (a.before, False), **arms}
    best = {name: float("inf") for name in arms}
    for _ in range(a.repeats):
        for name, (root, on) in arms.items():
            best[name] = min(best[name], run(a.households, a.steps, on, root))
    for name, value in best.items():
        ratio = value / best["off"]
        print(f"{name:7s} {value * 1e9:8.1f} ns per household-step  ({ratio:.3f} x off)")


if __name__ == "__main__":
    main()
