"""What a staffing option costs: staff numbers as the model builds them, staff-days and yuan
per year, per 10,000 households.

A scenario file may set the costs in an optional ``[frontier]`` table::

    [frontier]
    cost = "staff_days"          # what "cheapest" means: "staff_days" (default) or "yuan"
    [frontier.days_per_year]     # working days a year of one staff member of each type
    grid_worker = 250            # full time
    legal_advisor = 52           # part-time retainer: about one day a week
    social_worker = 250

Yuan per year per staff member are the ``staffing.*_cost`` parameters.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sim import Parameters
from sim.layout import Layout

from .errors import ScenarioError

STAFF = ("grid_worker", "legal_advisor", "social_worker")
DAYS_PER_YEAR = {"grid_worker": 250.0, "legal_advisor": 52.0, "social_worker": 250.0}
COSTS = ("staff_days", "yuan")
PER = 10_000  # costs are reported per 10,000 households
KEYS = ("cost", "days_per_year")


@dataclass(frozen=True)
class Costs:
    cost: str = "staff_days"
    days_per_year: Mapping[str, float] = field(default_factory=lambda: dict(DAYS_PER_YEAR))


def check_costs(table: Any, source: str) -> Costs:
    """The validated ``[frontier]`` table; ScenarioError naming the key otherwise."""
    if table is None:
        return Costs()
    if not isinstance(table, dict):
        raise ScenarioError(source, "frontier", "must be a table")
    for key in table:
        if key not in KEYS:
            raise ScenarioError(source, f"frontier.{key}", "unknown key" + _hint(key, KEYS))
    cost = table.get("cost", "staff_days")
    if cost not in COSTS:
        raise ScenarioError(
            source, "frontier.cost", f"got {cost!r}{_hint(str(cost), COSTS)} (staff_days or yuan)"
        )
    days = dict(DAYS_PER_YEAR)
    raw = table.get("days_per_year", {})
    if not isinstance(raw, dict):
        raise ScenarioError(source, "frontier.days_per_year", "must be a table")
    for key, value in raw.items():
        where = f"frontier.days_per_year.{key}"
        if key not in STAFF:
            raise ScenarioError(source, where, "unknown staff type" + _hint(key, STAFF))
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 366:
            raise ScenarioError(source, where, f"got {value!r} (expected days from 0 to 366)")
        days[key] = float(value)
    return Costs(cost, days)


def staff_numbers(params: Parameters) -> dict[str, int]:
    """Grid workers, legal advisors and social workers, counted as the model counts them
    (sim/staff/grid.py, legal.py, social.py; a test checks they agree)."""
    layout = Layout.build(params)
    st, n = params.staffing, layout.n_households
    return {
        "grid_worker": max(1, round(n / st.households_per_grid_worker)),
        "legal_advisor": round(layout.n_communities * st.legal_advisors_per_community),
        "social_worker": round(n * st.social_workers_per_1000_households / 1000),
    }


def staffing_cost(params: Parameters, costs: Costs) -> dict[str, float]:
    """Staff numbers, and staff-days and yuan a year per 10,000 households."""
    numbers = staff_numbers(params)
    st = params.staffing
    yuan = {
        "grid_worker": st.grid_worker_cost,
        "legal_advisor": st.legal_advisor_cost,
        "social_worker": st.social_worker_cost,
    }
    scale = PER / params.population.households
    out: dict[str, float] = {f"{k}s": float(v) for k, v in numbers.items()}
    out["staff_days_per_year"] = scale * sum(numbers[k] * costs.days_per_year[k] for k in STAFF)
    out["yuan_per_year"] = scale * sum(numbers[k] * yuan[k] for k in STAFF)
    return out


def _hint(key: str, known: Any) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
