"""How much common random numbers narrow a comparison (docs/timeline.md, "Paired
comparisons"): the same policy change measured by forks of one warmed state on one seed,
and by independent runs, at the same number of runs.

    python examples/crn_variance.py [--households 2000] [--days 365] [--warmup 365]
                                    [--replications 10]

For each change (a third more grid workers; a moral bank) it prints, per key metric, the
95 % half-width of the mean difference from paired forks and from independent runs (the
changed scenario on another root seed, no fork), and the variance reduction
``1 - (paired / independent)^2``.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd

from experiments.comparison.paired import fork_runs, paired_differences
from experiments.runner import run, summarise
from experiments.scenario import Scenario
from sim import KEY_METRICS, Parameters

CHANGES = {
    "a third more grid workers": {"staffing.households_per_grid_worker": 300.0},
    "moral bank": {"moral.moral_bank": True},
}


def main(argv: list[str] | None = None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=2000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--warmup", type=int, default=365)
    ap.add_argument("--replications", type=int, default=10)
    args = ap.parse_args(argv)
    params = Parameters().with_values(
        {
            "population.households": args.households,
            "scenario.steps": args.days,
            "scenario.warmup_days": args.warmup,
            "scenario.replications": args.replications,
        }
    )
    reference = Scenario(params)
    independent_reference = summarise(run(reference))
    rows = []
    for name, values in CHANGES.items():
        changed = Scenario(params.with_values(values))
        with tempfile.TemporaryDirectory() as tmp:
            a, b = fork_runs([reference, changed], Path(tmp), replications=args.replications)
        paired = paired_differences(summarise(a), {name: summarise(b)}, KEY_METRICS)
        other = Scenario(params.with_values(values | {"scenario.seed": 99}))
        independent = paired_differences(
            independent_reference, {name: summarise(run(other))}, KEY_METRICS
        )
        for p, i in zip(paired.itertuples(), independent.itertuples(), strict=True):
            rows.append(
                {
                    "change": name,
                    "metric": p.metric,
                    "paired difference": p.mean_difference,
                    "paired half-width": p.half_width,
                    "independent half-width": i.half_width,
                    "variance reduction": 1 - (p.half_width / i.half_width) ** 2
                    if i.half_width > 0
                    else float("nan"),
                }
            )
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.float_format", "{:.4g}".format):
        print(table.to_string(index=False))
    return table


if __name__ == "__main__":
    main()
