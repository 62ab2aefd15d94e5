"""Where a day goes, without a profiler: each statement of ``GovernanceModel.step`` timed on
its own, in the day's order, over many days.

cProfile's own cost per call inflates the many small NumPy calls of a day by two to three
times; here the model runs its own step statements (read from the source with ``ast``, so
the list follows the model), each wrapped in one pair of clock readings, so what a phase
costs is close to what it costs in a plain run (the wall of the whole day is printed beside
the sum for a check).

    python benchmarks/bench_phases.py [--households 10000] [--days 600] [--warmup 20]
"""

from __future__ import annotations

import argparse
import ast
import inspect
import textwrap
import time

import sim.model
from sim import GovernanceModel, Parameters


def phases() -> list[tuple[str, object]]:
    """The step's top-level statements, compiled, with the first line of each as its name."""
    source = textwrap.dedent(inspect.getsource(GovernanceModel.step))
    body = ast.parse(source).body[0].body
    out = []
    for statement in body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # the docstring
        text = ast.get_source_segment(source, statement) or ""
        name = text.splitlines()[0].split("  #")[0].rstrip(":")
        out.append((name, compile(ast.Module([statement], []), name, "exec")))
    return out


def measure(households: int, days: int, warmup: int) -> tuple[list[tuple[str, float]], float]:
    """Milliseconds per day of each phase, and of the whole day."""
    params = Parameters().with_values(
        {"population.households": households, "scenario.steps": days + warmup}
    )
    model = GovernanceModel(params, rng=1)
    for _ in range(warmup):  # kernels compiled or loaded, queues filled
        model.step()
    namespace = {**vars(sim.model), "self": model}
    steps = phases()
    spent = [0.0] * len(steps)
    clock = time.perf_counter
    began = clock()
    for _ in range(days):
        for i, (_, code) in enumerate(steps):
            t = clock()
            exec(code, namespace)  # the model's own statements
            spent[i] += clock() - t
    wall = clock() - began
    per_day = [(name, s / days * 1e3) for (name, _), s in zip(steps, spent, strict=True)]
    return per_day, wall / days * 1e3


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args(argv)
    per_day, wall = measure(args.households, args.days, args.warmup)
    total = sum(ms for _, ms in per_day)
    print(f"# {args.households:,} households, {args.days} days after {args.warmup}")
    print("| ms/day | share | statement of GovernanceModel.step |")
    print("|---:|---:|---|")
    for name, ms in sorted(per_day, key=lambda item: -item[1]):
        print(f"| {ms:.3f} | {ms / total:.0%} | `{name}` |")
    print(f"| {total:.3f} | | sum (the whole day, clocks included: {wall:.3f}) |")


if __name__ == "__main__":
    main()
