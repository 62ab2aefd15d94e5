"""What a staffing option costs: staff numbers as the model builds them (``sim.staff``),
staff-days and yuan a year, per 10,000 households.

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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from experiments.errors import InputError
from sim import Parameters
from sim.params import did_you_mean
from sim.staff import STAFF, staff_counts, yearly_cost

DAYS_PER_YEAR = {"grid_worker": 250.0, "legal_advisor": 52.0, "social_worker": 250.0}
COSTS = ("staff_days", "yuan")
PER = 10_000  # costs are reported per 10,000 households
KEYS = ("cost", "days_per_year")


@dataclass(frozen=True)
class Costs:
    cost: str = "staff_days"
    days_per_year: Mapping[str, float] = field(default_factory=lambda: dict(DAYS_PER_YEAR))


def parse_costs(table: Any, source: str) -> Costs:
    """The validated ``[frontier]`` table; InputError naming the key otherwise."""
    if table is None:
        return Costs()
    if not isinstance(table, dict):
        raise InputError(source, "frontier", "must be a table")
    for key in table:
        if key not in KEYS:
            raise InputError(source, f"frontier.{key}", "unknown key" + did_you_mean(key, KEYS))
    cost = table.get("cost", "staff_days")
    if cost not in COSTS:
        raise InputError(
            source,
            "frontier.cost",
            f"got {cost!r}{did_you_mean(str(cost), COSTS)} (staff_days or yuan)",
        )
    days = dict(DAYS_PER_YEAR)
    raw = table.get("days_per_year", {})
    if not isinstance(raw, dict):
        raise InputError(source, "frontier.days_per_year", "must be a table")
    for key, value in raw.items():
        where = f"frontier.days_per_year.{key}"
        if key not in STAFF:
            raise InputError(source, where, "unknown staff type" + did_you_mean(key, STAFF))
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 366:
            raise InputError(source, where, f"got {value!r} (expected days from 0 to 366)")
        days[key] = float(value)
    return Costs(cost, days)


def staffing_cost(params: Parameters, costs: Costs) -> dict[str, float]:
    """Staff numbers (as the model staffs itself), and staff-days and yuan a year per 10,000
    households."""
    numbers = staff_counts(params)
    scale = PER / params.population.households
    out: dict[str, float] = {f"{k}s": float(v) for k, v in numbers.items()}
    out["staff_days_per_year"] = scale * sum(numbers[k] * costs.days_per_year[k] for k in STAFF)
    out["yuan_per_year"] = scale * yearly_cost(numbers, params.staffing)
    return out
