"""The staffing frontier: a sweep over staffing levers, each point's cost and outcome, and
the cheapest point meeting a target with 95% confidence (:mod:`experiments.frontier`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .analysis_runs import column, ok_runs
from .frontier import Frontier, Target, find_frontier
from .scenario import Scenario
from .staffing_costs import Costs, check_costs, staffing_cost
from .sweep_design import assignments, expand
from .sweep_run import design_of

COST_COLUMNS = {"staff_days": "staff_days_per_year", "yuan": "yuan_per_year"}


def costs_of(scenario: Scenario, cost: str | None = None) -> Costs:
    """The scenario's ``[frontier]`` costs; ``cost`` (staff_days or yuan) overrides its choice."""
    costs = check_costs(scenario.frontier, scenario.origin.get("frontier", str(scenario.path)))
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
    last-90-day mean."""
    runs = ok_runs(summary)
    stats = runs.groupby("point")[column(metric)].agg(["mean", "std", "count"])
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


def describe_point(row: Mapping, factors: list[str]) -> str:
    """'staffing.households_per_grid_worker = 250, ...' for one point."""
    return ", ".join(
        f"{k} = {row[k]:g}" if isinstance(row[k], float) else f"{k} = {row[k]}" for k in factors
    )
