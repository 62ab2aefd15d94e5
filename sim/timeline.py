"""Policies over time (docs/timeline.md): which parameters may change mid-run, the checks of a
scenario's ``[[timeline]]`` entries, and the changes they make, day by day.

Like the staffing plans, this is parameters, not step code: the engine and the reference
model read the same :class:`Timeline` and each applies its changes its own way
(``GovernanceModel.apply``, ``ReferenceModel.apply``).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import defaultdict
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from .params.base import ParameterError, check_value, did_you_mean

if TYPE_CHECKING:
    from .params import Parameters, TimelineEntry

# What may not change mid-run, and why: whole sections, then single parameters of the
# sections that may. Everything else may change from any day on.
FIXED_SECTIONS = {
    "scenario": "a run setting, not a policy",
    "population": "households, their communities, grids, network and initial traits are "
    "drawn once, at the start; the number of households cannot change",
}
FIXED = {
    "staffing.allocation": "how staff are spread is the run's design (need allocation "
    "revises on its own calendar)",
    "staffing.overrides": "hand-set units are part of the structure",
    "staffing.party_branch_level": "party branches are set up per grid or per community once",
    "staffing.households_per_social_organisation": "social organisations serve blocks of "
    "households set up once",
    "staffing.initial_social_credibility": "an initial condition",
    "staffing.legal_advisors_per_community": "legal advisors are assigned to communities once "
    "(their capacity, legal_cases_per_week, may change)",
    "staffing.grid_worker_cost": "costs are counted for a run's staffing as a whole",
    "staffing.community_staff_cost": "costs are counted for a run's staffing as a whole",
    "staffing.legal_advisor_cost": "costs are counted for a run's staffing as a whole",
    "staffing.social_worker_cost": "costs are counted for a run's staffing as a whole",
    "self_governance.deliberation_interval_days": "councils are set up, and their meeting "
    "days staggered, once",
    "behaviour.active_volunteer_share": "which volunteers ever turn out is drawn once",
}
# Staffing that changes how many staff each unit has: staff are hired or leave, and the
# teams are formed again (as at a need revision; queues, burnout and workload stay with
# their grids).
MID_RUN_EXPECTED = "a parameter that may change mid-run (docs/timeline.md)"
RESTAFF = frozenset(
    {
        "staffing.households_per_grid_worker",
        "staffing.community_staff_rule",
        "staffing.community_staff_per_community",
        "staffing.households_per_community_staff",
        "staffing.min_community_staff",
        "staffing.grid_leader_time",
    }
)


def why_fixed(key: str) -> str | None:
    """Why ``key`` may not change mid-run, or None if it may."""
    return FIXED_SECTIONS.get(key.partition(".")[0]) or FIXED.get(key)


def mid_run_keys() -> list[str]:
    """Every parameter that may change mid-run, in the parameter table's order."""
    from .params import Parameters

    return [key for key, _, kind, _ in Parameters.specs() if _scalar(kind) and not why_fixed(key)]


def check_change(key: str, value: Any) -> Any:
    """``value`` as ``key`` takes it (typed, in range); :class:`ParameterError` if the key
    is unknown, may not change mid-run, or the value is not one it takes."""
    kind, spec = _specs().get(key, (None, None))
    if kind is None or not _scalar(kind):
        raise ParameterError(key, "unknown parameter" + did_you_mean(key, _specs()), "section.key")
    if reason := why_fixed(key):
        raise ParameterError(key, f"cannot change mid-run: {reason}", MID_RUN_EXPECTED)
    return check_value(key, value, kind, spec)


def sweepable(params: Parameters) -> dict[str, Any]:
    """``{"timeline.<n>.<field>": type}`` for the fields of the timeline's entries that a
    sweep may vary: the days, and the values (of their key's type)."""
    out: dict[str, Any] = {}
    for i, entry in enumerate(params.timeline, 1):
        days = ("day",) if entry.kind == "set" else ("start", "end")
        values = ("value", "from_value") if entry.kind == "ramp" else ("value",)
        out |= {f"timeline.{i}.{name}": int for name in days}
        out |= {f"timeline.{i}.{name}": _specs()[entry.key][0] for name in values}
    return out


def check(params: Parameters) -> None:
    """The timeline's entries as a whole: known keys that may change mid-run, values they
    take, days within the run, no two entries for one key at once. Errors name the entry
    (``timeline[2].day``)."""
    steps = params.scenario.steps
    specs = _specs()
    for i, entry in enumerate(params.timeline, 1):
        where, key = f"timeline[{i}]", entry.key
        if key not in specs or not _scalar(specs[key][0]):
            hint = did_you_mean(key, specs)
            raise ParameterError(f"{where}.key", f"unknown parameter {key!r}{hint}", "section.key")
        if reason := why_fixed(key):
            raise ParameterError(
                f"{where}.key", f"{key} cannot change mid-run: {reason}", MID_RUN_EXPECTED
            )
        kind, spec = specs[key]
        if entry.kind == "ramp" and kind not in (int, float):
            raise ParameterError(
                f"{where}.kind", f"{key} is not a number and cannot ramp", "set or campaign"
            )
        for name in ("value", "from_value") if entry.kind == "ramp" else ("value",):
            try:
                check_value(key, getattr(entry, name), kind, spec)
            except ParameterError as err:
                raise ParameterError(f"{where}.{name}", err.reason, err.expected) from None
        first = "day" if entry.kind == "set" else "start"
        if entry.first_day >= steps:
            raise ParameterError(
                f"{where}.{first}",
                f"day {entry.first_day} is beyond the run's {steps} steps",
                f"a day from 0 to {steps - 1}",
            )
        if entry.kind != "set" and entry.end > steps:
            raise ParameterError(
                f"{where}.end",
                f"day {entry.end} is beyond the run's {steps} steps",
                f"a day up to {steps}",
            )
    by_key: dict[str, list[tuple[int, TimelineEntry]]] = defaultdict(list)
    for i, entry in enumerate(params.timeline, 1):
        by_key[entry.key].append((i, entry))
    for key, entries in by_key.items():
        entries.sort(key=lambda pair: pair[1].first_day)
        for (i, a), (j, b) in itertools.pairwise(entries):
            if b.first_day <= a.last_day:
                raise ParameterError(
                    f"timeline[{j}].key",
                    f"{key} overlaps timeline[{i}] (days {a.first_day}-{a.last_day} and "
                    f"{b.first_day}-{b.last_day})",
                    "one entry at a time for a key",
                )


@dataclasses.dataclass(frozen=True)
class Timeline:
    """The changes a scenario's timeline makes: ``{day: {key: value}}``, days of the record
    (day 0 is the first recorded day). Built once per run; a day without changes costs one
    dictionary look-up."""

    changes: Mapping[int, Mapping[str, Any]]

    @classmethod
    def of(cls, params: Parameters) -> Timeline:
        changes: dict[int, dict[str, Any]] = defaultdict(dict)
        current = params.flat()
        kinds = _specs()
        for entry in sorted(params.timeline, key=lambda e: e.first_day):
            key, kind = entry.key, kinds[entry.key][0]
            if entry.kind == "set":
                changes[entry.day][key] = current[key] = check_change(key, entry.value)
            elif entry.kind == "campaign":
                changes[entry.start][key] = check_change(key, entry.value)
                changes[entry.end][key] = current[key]  # what held before comes back
            else:
                a, b = float(entry.from_value), float(entry.value)
                span = entry.end - entry.start
                for day in range(entry.start, entry.end + 1):
                    x = a + (b - a) * (day - entry.start) / span
                    changes[day][key] = math.floor(x + 0.5) if kind is int else x
                current[key] = check_change(key, entry.value)
        return cls({day: dict(values) for day, values in sorted(changes.items())})

    def on(self, day: int) -> Mapping[str, Any]:
        """The changes of record day ``day`` (empty on most days)."""
        return self.changes.get(day, _NONE)

    def __bool__(self) -> bool:
        return bool(self.changes)


_NONE: Mapping[str, Any] = {}


def changed(params: Parameters, values: Mapping[str, Any]) -> Parameters:
    """``params`` with mid-run ``values`` (checked by :func:`check_change`) replaced.

    Each changed section checks itself; the checks across sections and of the overrides
    are about structure, which cannot change mid-run, so they are not run again (a ramp
    changes a value every day).
    """
    by_section: dict[str, dict[str, Any]] = defaultdict(dict)
    for key, value in values.items():
        section, _, leaf = key.partition(".")
        by_section[section][leaf] = check_change(key, value)
    copy = object.__new__(type(params))
    for f in dataclasses.fields(params):
        object.__setattr__(copy, f.name, getattr(params, f.name))
    for section, leaves in by_section.items():
        try:
            updated = dataclasses.replace(getattr(params, section), **leaves)
        except ParameterError as err:
            raise err.within(section) from None
        object.__setattr__(copy, section, updated)
    return copy


def _scalar(kind: Any) -> bool:
    return kind in (bool, int, float, str)


@cache
def _specs() -> dict[str, tuple[Any, Any]]:
    """``{dotted key: (type, Spec)}`` of every leaf parameter."""
    from .params import Parameters

    return {key: (kind, spec) for key, _, kind, spec in Parameters.specs()}
