"""The dashboard's session state, free of Solara so it can be tested on its own.

One :class:`Simulation` per browser session (created with ``solara.use_memo`` in the page).
Levers define the run from day 0: changing one rebuilds the model with the same seed and
replays it to the current day (about 1.5 ms a day at 2,000 households), keeping the
previous trajectory so the charts can show it as a dashed line.
"""

from __future__ import annotations

import functools
import threading
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim import GovernanceModel, Parameters, tagged
from sim.issues import Channel
from sim.metrics import WINDOW  # the grid map counts escalations over the KPIs' window
from sim.params import Spec

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
TARGETS = "targets"  # calibration target files inside scenarios/
DEFAULT_SEED: int = Parameters().scenario.seed

# About 2,000 households for a live class: 8 grids of 250 in 2 communities of 1,000, so the
# grid map has enough tiles to show strain; 400 households per grid worker (today's ratio)
# leaves 5 workers for 8 grids.
DEFAULT_VALUES: dict[str, Any] = {
    "population.households": 2000,
    "population.households_per_grid": 250,
    "population.households_per_community": 1000,
}

TIMESERIES = tagged("dashboard_series")  # the registry's tags say which metrics are shown
KPIS = tagged("dashboard_kpi")
GRID_METRICS = ("trust", "backlog", "norm", "escalations")

SPECS: dict[str, tuple[type, Spec]] = {
    key: (kind, spec) for key, _, kind, spec in Parameters.specs()
}


# --- Levers: what the dashboard adds to a parameter is its group, its slider step and, only
# where the classroom needs less than the model accepts, a narrower range.


@dataclass(frozen=True)
class Lever:
    """A parameter as a sidebar control. ``low``/``high`` default to the parameter's
    :class:`~sim.params.Spec` range; switches and choices have neither range nor step."""

    key: str
    group: str  # self | law | moral | fusion | staffing | population
    step: float | None = None
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        kind, spec = SPECS[self.key]
        if kind not in (int, float):
            return
        low = spec.low if self.low is None else self.low
        high = spec.high if self.high is None else self.high
        if low is None or high is None or self.step is None:
            raise ValueError(f"{self.key}: a slider needs a step and a range (its Spec has none)")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    @property
    def kind(self) -> type:
        return SPECS[self.key][0]

    @property
    def spec(self) -> Spec:
        return SPECS[self.key][1]


# A Spec bounds what the model accepts (365 lectures a year, 10 million yuan a year); a
# slider about 250 px wide across such a range would crowd every realistic value into its
# first few pixels. Rows with a range say what bounds it; "x10" means ten times the default.
LEVERS: tuple[Lever, ...] = (
    Lever("self_governance.participation", "self", 0.01),
    Lever("self_governance.deliberation_interval_days", "self", 5, low=0, high=120),  # quarterly
    Lever("self_governance.topics_per_deliberation", "self", 1, low=1, high=30),  # x6
    Lever("self_governance.resident_rules", "self", 0.05),
    # one per community is today's full coverage
    Lever("staffing.legal_advisors_per_community", "law", 0.5, low=0.0, high=4.0),
    Lever("staffing.legal_cases_per_week", "law", 0.5, low=0.0, high=20.0),  # x10
    Lever("rule_of_law.detection_probability", "law", 0.05),
    Lever("rule_of_law.sanction", "law", 0.05),
    Lever("rule_of_law.mediation_success", "law", 0.05),
    # two a month; Kunshan's advisors gave 2.5 a year
    Lever("rule_of_law.legal_lectures_per_year", "law", 0.5, low=0.0, high=24.0),
    Lever("rule_of_law.lecture_reach", "law", 0.01, low=0.0, high=0.3),  # x10
    Lever("rule_of_law.court_days", "law", 5, low=10, high=365),  # up to a year's wait
    Lever("moral.moral_bank", "moral"),
    Lever("moral.credit_value", "moral", 0.05),
    Lever("moral.red_black_list", "moral"),
    # x10; a board naming more than a fifth of the households is no longer an honour
    Lever("moral.list_share", "moral", 0.01, low=0.0, high=0.2),
    Lever("moral.role_models", "moral", 0.05),
    Lever("moral.crowding_out", "moral", 0.05),
    Lever("fusion.coordination", "fusion", 0.05),
    Lever("fusion.party_leadership", "fusion", 0.05),
    Lever("fusion.party_visit_cases_per_week", "fusion", 0.5, low=0.0, high=20.0),  # x10
    Lever("fusion.stuck_days", "fusion", 5, low=5, high=180),  # x6
    Lever("staffing.party_branch_level", "fusion"),
    # party members are about 7% of China's people; 30% is a party-dense neighbourhood
    Lever("population.party_member_share", "fusion", 0.01, low=0.0, high=0.3),
    # recommended 110-150, today about 400, badly understaffed above 1,000
    Lever("staffing.households_per_grid_worker", "staffing", 10, low=50, high=1500),
    Lever("staffing.admin_load", "staffing", 0.05),
    Lever("staffing.grid_worker_cases_per_day", "staffing", 0.5, low=0.5, high=10.0),  # x5
    Lever("staffing.households_per_social_organisation", "staffing", 100, low=200, high=10000),
    # the recommended level is about 3 per 1,000 households
    Lever("staffing.social_workers_per_1000_households", "staffing", 0.1, low=0.0, high=5.0),
    Lever("staffing.social_worker_cases_per_day", "staffing", 0.1, low=0.0, high=5.0),  # x5
    # the defaults are 50,000-80,000 yuan a year
    Lever("staffing.grid_worker_cost", "staffing", 5000, low=0, high=200000),
    Lever("staffing.legal_advisor_cost", "staffing", 5000, low=0, high=200000),
    Lever("staffing.social_worker_cost", "staffing", 5000, low=0, high=200000),
    # a larger town replays too slowly to move a lever live in class
    Lever("population.households", "population", 100, low=200, high=10000),
    Lever("population.households_per_grid", "population", 50, low=50, high=1000),  # std 300-500
    # recommended 2,000, at most 3,000
    Lever("population.households_per_community", "population", 100, low=200, high=5000),
    # Kunshan 18%, China about 15%
    Lever("population.volunteer_share", "population", 0.01, low=0.0, high=0.6),
    Lever("population.mean_norm", "population", 0.05),
    Lever("population.mean_trust", "population", 0.05),
    Lever("population.mean_legal_awareness", "population", 0.05),
)
GROUPS = ("self", "law", "moral", "fusion", "staffing", "population")


# --- Compare-tab presets: each is what one file in scenarios/ sets itself, applied on top
# of the sidebar's levers; "current" applies nothing. Key order is the picker's order.

PRESETS: dict[str, str | None] = {
    "silos": "silos.toml",
    "fusion": "coordinated.toml",
    "current": None,
    "more_workers": "more_grid_workers.toml",
    "moral_bank": "moral_bank.toml",
    "no_legal": "no_legal_advisors.toml",
    "admin_heavy": "heavy_admin_load.toml",
}
# The two runs of a comparison share the sidebar's town, so that only policy differs.
SIZE_KEYS = frozenset(DEFAULT_VALUES)


def preset_values(name: str) -> dict[str, Any]:
    """The levers preset ``name`` sets (dotted keys), read from its scenario file."""
    return dict(_preset_values(name))


@functools.cache
def _preset_values(name: str) -> Mapping[str, Any]:
    file = PRESETS[name]
    return {} if file is None else scenario_levers(SCENARIOS / file)


def scenario_levers(path: Path) -> dict[str, Any]:
    """The parameters a scenario file sets itself, as dotted keys: its own tables, without
    ``[scenario]``, what it inherits through ``extends``, or the population's size.

    Read with ``tomllib`` rather than ``experiments.scenario``, which would follow
    ``extends``. Values are checked against the default parameters; a bad one raises
    ``ParameterError`` with a note naming the file.
    """
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    data.pop("scenario", None)
    values = {k: v for k, v in _dotted(data) if k not in SIZE_KEYS}
    try:
        Parameters().with_values(values)
    except ValueError as err:
        err.add_note(f"in {path}")
        raise
    return values


def _dotted(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in table.items():
        if isinstance(value, Mapping):
            yield from _dotted(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def default_params() -> Parameters:
    return Parameters().with_values(DEFAULT_VALUES)


# --- Scenario files: only files inside scenarios/ may be loaded.


class ScenarioRefused(ValueError):
    """A scenario request that points outside ``scenarios/`` (or at no scenario file)."""

    def __init__(self, name: str, reason: str) -> None:
        self.name, self.reason = name, reason
        super().__init__(f"{name}: {reason}")


def list_scenarios(root: Path = SCENARIOS) -> list[str]:
    """Scenario files under ``root`` (subfolders included), as POSIX paths relative to it;
    calibration target files (``targets/``) are not scenarios and are left out."""
    if not root.is_dir():
        return []
    found = (p for p in root.rglob("*.toml") if p.is_file() and _inside(p.resolve(), root))
    names = (p.relative_to(root).as_posix() for p in found)
    return sorted(n for n in names if not n.startswith(f"{TARGETS}/"))


def resolve_scenario(name: str, root: Path = SCENARIOS) -> Path:
    """The file ``name`` inside ``root``; refuses anything that resolves outside it.

    Raises :class:`ScenarioRefused` with reason ``outside``, ``not_toml`` or ``missing``.
    """
    if not name or "\x00" in name:
        raise ScenarioRefused(name, "missing")
    base = root.resolve()
    candidate = Path(name)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise ScenarioRefused(name, "outside")
    path = (base / candidate).resolve()  # follows symbolic links
    if not _inside(path, base):
        raise ScenarioRefused(name, "outside")
    if path.suffix != ".toml":
        raise ScenarioRefused(name, "not_toml")
    if not path.is_file():
        raise ScenarioRefused(name, "missing")
    return path


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root.resolve())
    except ValueError:
        return False
    return True


def load_scenario_params(name: str, root: Path = SCENARIOS) -> Parameters:
    """The parameters of scenario ``name`` (inside ``root`` only); may raise
    :class:`ScenarioRefused` or :class:`experiments.errors.InputError`."""
    # Imported on first load: the ``experiments`` package imports its sweep engine (and
    # SALib) on the way, which a class that only steps the default town never needs.
    from experiments.scenario import load_scenario

    return load_scenario(resolve_scenario(name, root)).params


# --- The model with per-grid escalation counts (the engine keeps only totals).


class DashboardModel(GovernanceModel):
    """``GovernanceModel`` that also counts escalations per grid, for the grid map."""

    def __init__(self, params: Parameters, *, rng: Any = None) -> None:
        super().__init__(params, rng=rng)
        self.escalations_by_day = np.zeros((WINDOW, self.layout.n_grids), dtype=np.int32)
        self.on_escalate.append(self._count_escalations)

    def step(self) -> None:
        self.escalations_by_day[self.day % WINDOW] = 0
        super().step()

    def _count_escalations(self, rows: np.ndarray) -> None:
        grid = self.layout.grid[self.issues.household[rows]]
        np.add.at(self.escalations_by_day[self.day % WINDOW], grid, 1)


def grid_values(model: DashboardModel, metric: str) -> np.ndarray:
    """One value per grid for the grid map, aggregated from the household arrays."""
    layout, h = model.layout, model.households
    n, size = layout.n_grids, layout.grid_size.astype(float)
    if metric in ("trust", "norm"):
        return np.bincount(layout.grid, weights=getattr(h, metric), minlength=n) / size
    if metric == "backlog":
        open_grid = layout.grid[model.issues.household[model.issues.channel != Channel.CLOSED]]
        return 100.0 * np.bincount(open_grid, minlength=n) / size
    if metric == "escalations":
        days = max(1, min(model.day, WINDOW))
        per_grid = model.escalations_by_day.sum(axis=0)
        return per_grid * 365.0 / days * 1000.0 / size
    raise ValueError(f"unknown grid metric {metric!r}")


# --- One session's run.


class Simulation:
    """The model of one browser session, its levers, seed and history. Thread-safe."""

    def __init__(self, params: Parameters | None = None, seed: int = DEFAULT_SEED) -> None:
        self.lock = threading.RLock()
        self.params = params or default_params()
        self.seed = int(seed)
        self.previous: dict[str, np.ndarray] | None = None
        self.scenario: str | None = None
        self.model = DashboardModel(self.params, rng=self.seed)

    @property
    def day(self) -> int:
        return self.model.day

    def value(self, key: str) -> Any:
        return self.params.flat()[key]

    def step(self, days: int = 1) -> None:
        with self.lock:
            for _ in range(days):
                self.model.step()

    def reset(self) -> None:
        """Back to day 0 with the same levers and seed."""
        with self.lock:
            self.model = DashboardModel(self.params, rng=self.seed)

    def set_values(self, values: dict[str, Any]) -> None:
        """Change levers (validated; raises ``ParameterError``) and replay to today."""
        with self.lock:
            self._replay(self.params.with_values(values), self.seed)

    def set_seed(self, seed: int) -> None:
        with self.lock:
            self._replay(self.params, int(seed))

    def set_params(self, params: Parameters, scenario: str | None = None) -> None:
        with self.lock:
            self.scenario = scenario
            self._replay(params, self.seed)

    def load_scenario(self, name: str) -> None:
        """Load ``scenarios/<name>`` into the levers (may raise ``ScenarioRefused`` or
        ``InputError``)."""
        params = load_scenario_params(name)
        with self.lock:
            self.scenario = name
            self._replay(params, params.scenario.seed)

    def _replay(self, params: Parameters, seed: int) -> None:
        day = self.model.day
        if day > 0:
            self.previous = self.series()
        model = DashboardModel(params, rng=seed)
        for _ in range(day):
            model.step()
        self.params, self.seed, self.model = params, seed, model

    def series(self, names: tuple[str, ...] = TIMESERIES) -> dict[str, np.ndarray]:
        """Metric trajectories (one value per day so far) from the DataCollector."""
        with self.lock:
            data = self.model.datacollector.model_vars
            return {name: np.asarray(data[name], dtype=float) for name in names}

    def latest(self, name: str) -> float:
        with self.lock:
            values = self.model.datacollector.model_vars[name]
            return float(values[-1]) if values else float("nan")


class Comparison:
    """Two runs from the same seed and base levers, each with a preset, stepped together."""

    def __init__(self, base: Parameters, seed: int, a: str = "silos", b: str = "fusion") -> None:
        self.lock = threading.RLock()
        self.presets = {"a": a, "b": b}
        self.base, self.seed = base, seed
        self.runs: dict[str, DashboardModel] = {}
        self.reset()

    def reset(self, base: Parameters | None = None, seed: int | None = None) -> None:
        with self.lock:
            if base is not None:
                self.base = base
            if seed is not None:
                self.seed = seed
            self.runs = {
                side: DashboardModel(self.base.with_values(preset_values(preset)), rng=self.seed)
                for side, preset in self.presets.items()
            }

    def set_preset(self, side: str, preset: str) -> None:
        with self.lock:
            self.presets[side] = preset
            self.reset()

    def step(self, days: int = 1) -> None:
        with self.lock:
            for model in self.runs.values():
                for _ in range(days):
                    model.step()

    @property
    def day(self) -> int:
        return self.runs["a"].day

    def series(self, name: str) -> dict[str, np.ndarray]:
        with self.lock:
            return {
                side: np.asarray(m.datacollector.model_vars[name], dtype=float)
                for side, m in self.runs.items()
            }

    def trailing_mean(self, name: str, days: int = 30) -> dict[str, float]:
        out = {}
        for side, values in self.series(name).items():
            tail = values[-days:]
            tail = tail[~np.isnan(tail)]
            out[side] = float(tail.mean()) if tail.size else float("nan")
        return out


__all__ = [
    "GROUPS",
    "LEVERS",
    "PRESETS",
    "SPECS",
    "Comparison",
    "DashboardModel",
    "Lever",
    "ScenarioRefused",
    "Simulation",
    "grid_values",
    "list_scenarios",
    "load_scenario_params",
    "preset_values",
    "resolve_scenario",
    "scenario_levers",
]
