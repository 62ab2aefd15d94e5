"""How long the default scenario takes to leave its initial state (docs/timeline.md,
"Warm-up"): the stationarity check behind ``scenario.warmup_days``.

    python examples/warmup_check.py [--households 4000] [--years 4] [--replications 4]
                                    [--out docs/img/warmup.png]

Runs the default parameters for ``--years`` years, averages the replications day by day,
and for each key metric finds the day from which its 90-day running mean stays within the
metric's practical threshold (``sim.metrics``: the smallest difference worth a claim) of
its mean over the last year. Prints the table and draws the key metrics with that day
marked.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.plotting import figure_language, panels, save_figure
from experiments.runner import replication_seeds, simulate
from sim import METRICS, Parameters

WINDOW = 90


def settled_day(series: pd.Series, threshold: float, reference: float) -> int | None:
    """First day from which the running mean stays within ``threshold`` of ``reference``
    up to the start of the reference year; None if it never does."""
    running = series.rolling(WINDOW).mean().to_numpy()[: len(series) - 365]
    off = np.flatnonzero(~(np.abs(running - reference) <= threshold))
    if off.size == 0:
        return 0
    day = int(off.max()) + 1
    return None if day >= len(running) else day


def main(argv: list[str] | None = None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=4000)
    ap.add_argument("--years", type=int, default=4)
    ap.add_argument("--replications", type=int, default=4)
    ap.add_argument("--out", type=Path, default=Path("docs/img/warmup.png"))
    args = ap.parse_args(argv)
    params = Parameters().with_values(
        {"population.households": args.households, "scenario.steps": 365 * args.years}
    )
    seeds = replication_seeds(params.scenario.seed, args.replications)
    mean = pd.concat([simulate(params, s) for s in seeds]).groupby("day").mean()
    rows = []
    for m in METRICS:
        if "key" not in m.tags:
            continue
        reference = float(mean[m.name].iloc[-365:].mean())
        threshold = (
            m.threshold if m.threshold is not None else m.relative_threshold * abs(reference)
        )
        rows.append(
            {
                "metric": m.name,
                "first 30 days": float(mean[m.name].iloc[:30].mean()),
                "last year": reference,
                "threshold": threshold,
                "settled by day": settled_day(mean[m.name], threshold, reference),
            }
        )
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    shown = ["mean_trust", "satisfaction", "participation_rate", "mean_days_to_resolve"]
    with figure_language("en"):
        fig, axes = panels(len(shown))
        for ax, name in zip(axes, shown, strict=False):
            ax.plot(mean.index, mean[name], lw=0.8)
            ax.plot(mean.index, mean[name].rolling(WINDOW).mean(), lw=1.5)
            day = table.set_index("metric").loc[name, "settled by day"]
            if day is not None and not pd.isna(day):
                ax.axvline(day, ls="--", color="k", lw=0.8)
                ax.set_title(f"{name} (settled by day {int(day)})", fontsize=8)
            else:
                ax.set_title(f"{name} (not settled)", fontsize=8)
            ax.set_xlabel("day")
        save_figure(fig, args.out)
    return table


if __name__ == "__main__":
    main()
