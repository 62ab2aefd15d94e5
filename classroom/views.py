"""What students and the instructor see, as JSON-safe pieces: a role's own-area metrics next
to the city's, the grid map, the key series.

The engine keeps its counts for the whole town (escalations also per community); a role's
area needs them per grid, so :class:`EscalationCounter` listens to the model's escalations
(``model.on_escalate``, as ``dashboards.state.DashboardModel`` does). An area's metrics and
the city's are computed the same way from the same arrays, so the two always compare.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from dashboards.i18n import UI
from sim.issues import CLOSED, DISPUTE
from sim.metrics import REGISTRY, WINDOW
from sim.units import DAYS_PER_YEAR

SCOPES = ("grid", "community", "city")


@dataclass(frozen=True)
class AreaMetric:
    """A metric of one grid, one community or the city."""

    name: str
    label_en: str
    label_zh: str
    unit_en: str
    unit_zh: str
    better: str  # "higher" | "lower"

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def unit(self, lang: str) -> str:
        return self.unit_zh if lang == "zh" else self.unit_en


def _registered(name: str) -> AreaMetric:
    """An area metric with the registry's (``sim.metrics``) name, labels and unit."""
    m = REGISTRY[name]
    return AreaMetric(name, m.label_en, m.label_zh, m.unit, m.unit_in("zh"), m.better)


# The registry's open_issues and disputes are town totals (and disputes a count of the day,
# which the pool no longer holds once its issues close): per area they are shares of the
# area's households, named here; trust and the escalation rate are the registry's own.
AREA_METRICS: tuple[AreaMetric, ...] = (
    AreaMetric("backlog", *UI["map_backlog"], "per 100 households", "件/百户", "lower"),
    AreaMetric(
        "open_disputes",
        "Open disputes per 100 households",
        "每百户未结矛盾纠纷",
        "per 100 households",
        "件/百户",
        "lower",
    ),
    _registered("mean_trust"),
    _registered("escalations_per_1000_households_year"),
)
AREA_NAMES = tuple(m.name for m in AREA_METRICS)


class EscalationCounter:
    """Escalations per grid over the trailing :data:`~sim.metrics.WINDOW` days, the window
    of the registry's escalation rate. Attached to ``model.on_escalate`` when built."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.counts = np.zeros((WINDOW, model.layout.n_grids), dtype=np.int64)
        self.stamp = np.full(WINDOW, -1, dtype=np.int64)  # the day each row counts
        model.on_escalate.append(self)

    def __call__(self, rows: np.ndarray) -> None:
        day = self.model.day
        row = day % WINDOW
        if self.stamp[row] != day:  # a new day: the row's old day left the window
            self.counts[row] = 0
            self.stamp[row] = day
        grid = self.model.layout.grid[self.model.issues.household[rows]]
        np.add.at(self.counts[row], grid, 1)

    def trailing(self) -> tuple[np.ndarray, int]:
        """Per grid, escalations over the trailing days, and how many days (as the ledger)."""
        done = self.model.day  # days run so far; the last one is day - 1
        days = min(WINDOW, done)
        inside = (self.stamp >= done - days) & (self.stamp < done)
        return self.counts[inside].sum(axis=0), days


def area_values(model: Any, counter: EscalationCounter) -> dict[str, dict[str, np.ndarray]]:
    """``{scope: {metric: values}}``: one value per grid, per community, and the city's."""
    layout, h, issues = model.layout, model.households, model.issues
    open_rows = issues.channel != CLOSED  # closed rows stay until the end of their day
    open_grid = layout.grid[issues.household[open_rows]]
    disputes = open_grid[issues.kind[open_rows] == DISPUTE]
    escalated, days = counter.trailing()
    n = layout.n_grids
    sums = {
        "households": layout.grid_size.astype(float),
        "open": np.bincount(open_grid, minlength=n).astype(float),
        "disputes": np.bincount(disputes, minlength=n).astype(float),
        "trust": np.bincount(layout.grid, weights=h.trust, minlength=n),
        "escalated": escalated.astype(float),
    }
    of_grid = layout.community_of_grid
    by_scope = {
        "grid": sums,
        "community": {
            k: np.bincount(of_grid, weights=v, minlength=layout.n_communities)
            for k, v in sums.items()
        },
        "city": {k: np.array([v.sum()]) for k, v in sums.items()},
    }
    out = {}
    for scope, s in by_scope.items():
        size = np.maximum(s["households"], 1.0)
        rate = s["escalated"] * DAYS_PER_YEAR / days * 1000.0 / size if days else s["escalated"]
        out[scope] = {
            "backlog": 100.0 * s["open"] / size,
            "open_disputes": 100.0 * s["disputes"] / size,
            "mean_trust": s["trust"] / size,
            "escalations_per_1000_households_year": rate,
        }
    return out


def area_key(scope: str, unit: int | None) -> str:
    """An area's name in records and files: ``grid-3``, ``community-0``, ``city``."""
    return "city" if scope == "city" else f"{scope}-{unit}"


class AreaRecord:
    """Each recorded day's metrics of some areas (the roles' own and the city):
    ``rows`` of (record day, area, values in :data:`AREA_NAMES` order)."""

    def __init__(self, model: Any, areas: Iterable[tuple[str, int | None]]) -> None:
        self.counter = EscalationCounter(model)
        self.areas = list(dict.fromkeys([*areas, ("city", None)]))
        self.rows: list[tuple[int, str, tuple[float, ...]]] = []

    def collect(self, model: Any) -> None:
        """After a recorded day (``model.step``): that day's values of every area."""
        values = area_values(model, self.counter)
        day = model.record_day - 1
        for scope, unit in self.areas:
            at = 0 if unit is None else unit
            row = tuple(float(values[scope][name][at]) for name in AREA_NAMES)
            self.rows.append((day, area_key(scope, unit), row))


def num(x: Any) -> float | int | bool | None:
    """A value JSON can carry: NaN and infinities become None, numpy scalars plain."""
    if isinstance(x, bool | np.bool_):
        return bool(x)
    if isinstance(x, int | np.integer):
        return int(x)
    x = float(x)
    return x if math.isfinite(x) else None


def own_area(
    values: Mapping[str, Mapping[str, np.ndarray]], scope: str, unit: int | None, lang: str
) -> list[dict[str, Any]]:
    """A role's area's metrics, each next to the city's."""
    at = 0 if unit is None else unit
    return [
        {
            "name": m.name,
            "label": m.label(lang),
            "unit": m.unit(lang),
            "better": m.better,
            "own": num(values[scope][m.name][at]),
            "city": num(values["city"][m.name][0]),
        }
        for m in AREA_METRICS
    ]


def grid_map(
    model: Any, values: Mapping[str, Mapping[str, np.ndarray]], lang: str
) -> dict[str, Any]:
    """The console's grid map: every grid's metrics, its community and households."""
    layout = model.layout
    grid = values["grid"]
    return {
        "metrics": [
            {"name": m.name, "label": m.label(lang), "unit": m.unit(lang)} for m in AREA_METRICS
        ],
        "grids": [
            {
                "grid": g,
                "community": int(layout.community_of_grid[g]),
                "households": int(layout.grid_size[g]),
                **{name: num(grid[name][g]) for name in AREA_NAMES},
            }
            for g in range(layout.n_grids)
        ],
    }


def key_series(model: Any, names: Iterable[str], days: int, lang: str) -> dict[str, Any]:
    """The last ``days`` recorded days of metrics ``names`` from the model's DataCollector."""
    data = model.datacollector.model_vars
    n = len(next(iter(data.values()), []))
    start = max(0, n - days)
    return {
        "days": list(range(start, n)),
        "series": [
            {
                "name": name,
                "label": REGISTRY[name].label(lang),
                "unit": REGISTRY[name].unit_in(lang),
                "values": [num(v) for v in data[name][start:]],
            }
            for name in names
        ],
    }
