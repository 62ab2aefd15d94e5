"""The staffing frontier: a sweep over staffing levers, each point's cost and outcome, and
the cheapest point meeting a target with 95% confidence (:mod:`experiments.frontier`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Unpack

import pandas as pd

from experiments.analysis.common import ok_runs, run_design, write_manifest
from experiments.analysis.frontier.costs import Costs, parse_costs, staffing_cost
from experiments.analysis.frontier.pareto import Frontier, Target, find_frontier
from experiments.analysis.frontier.text import answer
from experiments.columns import window_column
from experiments.plotting import figure_language, save_figure
from experiments.scenario import Scenario
from experiments.store import now, write_csv, write_text
from experiments.sweeps.design import assignments, design_of, expand
from experiments.sweeps.job import RunOptions, SweepOutcome, runs_line

COST_COLUMNS = {"staff_days": "staff_days_per_year", "yuan": "yuan_per_year"}
CONFIDENCE = 0.95
OUTPUTS = ("frontier.csv", "frontier.png", "answer.md", "manifest.json")


def costs_of(scenario: Scenario, cost: str | None = None) -> Costs:
    """The scenario's ``[frontier]`` costs; ``cost`` (staff_days or yuan) overrides its choice."""
    costs = parse_costs(scenario.frontier, scenario.source("frontier"))
    if cost is not None:
        costs = Costs(cost, costs.days_per_year)
    return costs


def point_costs(scenario: Scenario, costs: Costs) -> pd.DataFrame:
    """One row per sweep point: its swept values, staff numbers, staff-days and yuan a year
    per 10,000 households."""
    design = design_of(scenario)
    params = scenario.params
    rows = []
    for i, point in enumerate(expand(design, params.scenario.seed)):
        resolved = params.with_values(assignments(design, point))
        rows.append({"point": i, **point, **staffing_cost(resolved, costs)})
    return pd.DataFrame(rows)


def outcome_table(summary: pd.DataFrame, priced: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per point: the costs and the mean, SD and count over replications of the metric's
    window mean (``window_column``)."""
    runs = ok_runs(summary)
    stats = runs.groupby("point")[window_column(metric)].agg(["mean", "std", "count"])
    stats = stats.rename(columns={"std": "sd", "count": "n"})
    table = priced.join(stats, on="point")
    table["n"] = table["n"].fillna(0).astype(int)
    return table


def staffing_frontier(
    summary: pd.DataFrame,
    scenario: Scenario,
    target: Target,
    costs: Costs,
    *,
    confidence: float = 0.95,
) -> Frontier:
    """The frontier of a finished staffing sweep for ``target``."""
    table = outcome_table(summary, point_costs(scenario, costs), target.metric)
    return find_frontier(table, target, cost=COST_COLUMNS[costs.cost], confidence=confidence)


def run(
    scenario: Scenario,
    out: str | Path,
    *,
    target: Target | str,
    cost: str | None = None,
    lang: str = "en",
    **options: Unpack[RunOptions],
) -> tuple[Frontier | None, SweepOutcome]:
    """Run a staffing sweep into ``out/runs`` and write its frontier into ``out``
    (``OUTPUTS``; the figure in ``lang``, answer.md in both languages). The result is None
    when bundles did not run (``outcome.errors``: resume to finish)."""
    from experiments.analysis.frontier import figures  # matplotlib only when drawing

    started, clock = now(), time.perf_counter()
    target = Target.parse(target) if isinstance(target, str) else target
    costs = costs_of(scenario, cost)
    design = design_of(scenario)
    points = len(expand(design, scenario.params.scenario.seed))
    if options.get("progress"):
        print(f"frontier {scenario.name}: {target}; " + runs_line(scenario, points))
    outcome = run_design(scenario, out, "frontier", **options)
    if outcome.errors:
        return None, outcome
    result = staffing_frontier(outcome.summary, scenario, target, costs, confidence=CONFIDENCE)
    factors = [f.name for f in design.factors]
    out = Path(out)
    write_csv(result.table, out / "frontier.csv")
    column = COST_COLUMNS[costs.cost]
    with figure_language(lang) as used:
        save_figure(figures.frontier(result, target, column, used), out / "frontier.png")
    texts = {
        language: answer(result, target, costs, factors, language) for language in ("en", "zh")
    }
    write_text(texts["en"] + "\n\n" + texts["zh"] + "\n", out / "answer.md")
    chosen = result.table.loc[result.chosen].to_dict() if result.chosen is not None else None
    write_manifest(
        out,
        "frontier",
        scenario,
        outcome,
        started=started,
        command=options.get("command"),
        files=list(OUTPUTS),
        extra={
            "target": str(target),
            "confidence": CONFIDENCE,
            "rule": "one-sided bound mean +/- t(level, n-1) * sd / sqrt(n) meets the target, "
            "the level Holm-adjusted over all options (bound95: unadjusted)",
            "adjustment": "holm",
            "cost": column,
            "days_per_year": dict(costs.days_per_year),
            "points": points,
            "feasible_points": int(result.table["feasible"].sum()),
            "chosen": chosen,
            "seconds": round(time.perf_counter() - clock, 1),
        },
    )
    if options.get("progress"):
        print()
        print(texts[lang])
    return result, outcome
