"""The dashboard's session state, free of Solara so it can be tested on its own.

One :class:`Simulation` per browser session (created with ``solara.use_memo`` in the page).
Levers define the run from day 0: changing one rebuilds the model with the same seed and
replays it to the current day (about 1.5 ms a day at 2,000 households), keeping the
previous trajectory so the charts can show it as a dashed line.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from experiments.scenario import ScenarioError, load_scenario
from sim import GovernanceModel, Parameters
from sim.issues import Channel

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
TARGETS = "targets"  # calibration target files inside scenarios/
DEFAULT_SEED = 20240501
WINDOW = 30  # days of the per-grid escalation rate, as the registry's metric

# About 2,000 households for a live class: 8 grids of 250 in 2 communities of 1,000, so the
# grid map has enough tiles to show strain; 400 households per grid worker (today's ratio)
# leaves 5 workers for 8 grids.
DEFAULT_VALUES: dict[str, Any] = {
    "population.households": 2000,
    "population.households_per_grid": 250,
    "population.households_per_community": 1000,
}

TIMESERIES = (
    "escalations_per_1000_households_year",
    "resolution_rate",
    "mean_trust",
    "participation_rate",
    "volunteer_hours_per_volunteer_year",
    "grid_worker_utilisation",
)
KPIS = (
    "escalations_per_1000_households_year",
    "resolution_rate",
    "mean_days_to_resolve",
    "mean_trust",
    "satisfaction",
    "open_issues",
)
GRID_METRICS = ("trust", "backlog", "norm", "escalations")


@dataclass(frozen=True)
class Lever:
    """A lever as the dashboard shows it: its group and the slider's range and step."""

    key: str
    group: str  # self | law | moral | fusion | staffing | population
    low: float | None = None
    high: float | None = None
    step: float | None = None


LEVERS: tuple[Lever, ...] = (
    Lever("self_governance.participation", "self", 0.0, 1.0, 0.01),
    Lever("self_governance.deliberation_interval_days", "self", 0, 120, 5),
    Lever("self_governance.topics_per_deliberation", "self", 1, 30, 1),
    Lever("self_governance.resident_rules", "self", 0.0, 1.0, 0.05),
    Lever("staffing.legal_advisors_per_community", "law", 0.0, 4.0, 0.5),
    Lever("staffing.legal_cases_per_week", "law", 0.0, 20.0, 0.5),
    Lever("rule_of_law.detection_probability", "law", 0.0, 1.0, 0.05),
    Lever("rule_of_law.sanction", "law", 0.0, 1.0, 0.05),
    Lever("rule_of_law.mediation_success", "law", 0.0, 1.0, 0.05),
    Lever("rule_of_law.legal_lectures_per_year", "law", 0.0, 24.0, 0.5),
    Lever("rule_of_law.lecture_reach", "law", 0.0, 0.3, 0.01),
    Lever("rule_of_law.court_days", "law", 10, 365, 5),
    Lever("moral.moral_bank", "moral"),
    Lever("moral.credit_value", "moral", 0.0, 1.0, 0.05),
    Lever("moral.red_black_list", "moral"),
    Lever("moral.list_share", "moral", 0.0, 0.2, 0.01),
    Lever("moral.role_models", "moral", 0.0, 1.0, 0.05),
    Lever("moral.crowding_out", "moral", 0.0, 1.0, 0.05),
    Lever("fusion.coordination", "fusion", 0.0, 1.0, 0.05),
    Lever("fusion.party_leadership", "fusion", 0.0, 1.0, 0.05),
    Lever("fusion.party_visit_cases_per_week", "fusion", 0.0, 20.0, 0.5),
    Lever("fusion.stuck_days", "fusion", 5, 180, 5),
    Lever("staffing.party_branch_level", "fusion"),
    Lever("population.party_member_share", "fusion", 0.0, 0.3, 0.01),
    Lever("staffing.households_per_grid_worker", "staffing", 50, 1500, 10),
    Lever("staffing.admin_load", "staffing", 0.0, 0.95, 0.05),
    Lever("staffing.grid_worker_cases_per_day", "staffing", 0.5, 10.0, 0.5),
    Lever("staffing.households_per_social_organisation", "staffing", 200, 10000, 100),
    Lever("staffing.social_workers_per_1000_households", "staffing", 0.0, 5.0, 0.1),
    Lever("staffing.social_worker_cases_per_day", "staffing", 0.0, 5.0, 0.1),
    Lever("staffing.grid_worker_cost", "staffing", 0, 200000, 5000),
    Lever("staffing.legal_advisor_cost", "staffing", 0, 200000, 5000),
    Lever("staffing.social_worker_cost", "staffing", 0, 200000, 5000),
    Lever("population.households", "population", 200, 10000, 100),
    Lever("population.households_per_grid", "population", 50, 1000, 50),
    Lever("population.households_per_community", "population", 200, 5000, 100),
    Lever("population.volunteer_share", "population", 0.0, 0.6, 0.01),
    Lever("population.mean_norm", "population", 0.0, 1.0, 0.05),
    Lever("population.mean_trust", "population", 0.0, 1.0, 0.05),
    Lever("population.mean_legal_awareness", "population", 0.0, 1.0, 0.05),
)
GROUPS = ("self", "law", "moral", "fusion", "staffing", "population")
LEVER_BY_KEY = {lever.key: lever for lever in LEVERS}

# Compare-tab presets: overrides applied on top of the sidebar's levers.
PRESETS: dict[str, dict[str, Any]] = {
    "silos": {"fusion.coordination": 0.0, "fusion.party_leadership": 0.0},
    "fusion": {"fusion.coordination": 0.9, "fusion.party_leadership": 0.8},
    "current": {},
    "more_workers": {"staffing.households_per_grid_worker": 150.0},
    "moral_bank": {"moral.moral_bank": True, "moral.red_black_list": True},
    "no_legal": {"staffing.legal_advisors_per_community": 0.0},
    "admin_heavy": {"staffing.admin_load": 0.6},
}


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
    :class:`ScenarioRefused` or :class:`experiments.ScenarioError`."""
    return load_scenario(resolve_scenario(name, root)).params


# --- The model with per-grid escalation counts (the engine keeps only totals).


class DashboardModel(GovernanceModel):
    """``GovernanceModel`` that also counts escalations per grid, for the grid map."""

    def __init__(self, params: Parameters, *, rng: Any = None) -> None:
        super().__init__(params, rng=rng)
        self.escalations_by_day = np.zeros((WINDOW, self.layout.n_grids), dtype=np.int32)

    def step(self) -> None:
        self.escalations_by_day[self.day % WINDOW] = 0
        super().step()

    def escalate(self, rows: np.ndarray) -> None:
        if rows.size:
            grid = self.layout.grid[self.issues.household[rows]]
            np.add.at(self.escalations_by_day[self.day % WINDOW], grid, 1)
        super().escalate(rows)


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


def workers_per_grid(model: GovernanceModel) -> np.ndarray:
    """Grid-worker staffing of each grid (e.g. 0.5 when one worker serves two grids)."""
    a = model.grid_teams.assignment
    grids_per_team = np.bincount(a.team_of_unit, minlength=a.n_teams)
    return a.staff_per_team[a.team_of_unit] / grids_per_team[a.team_of_unit]


# --- One session's run.


class Simulation:
    """The model of one browser session, its levers, seed and history. Thread-safe."""

    def __init__(self, params: Parameters | None = None, seed: int = DEFAULT_SEED) -> None:
        self.lock = threading.RLock()
        self.params = params or default_params()
        self.seed = int(seed)
        self.previous: dict[str, np.ndarray] | None = None
        self.scenario: str | None = None
        self.playing = threading.Event()
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
        ``ScenarioError``)."""
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
                side: DashboardModel(self.base.with_values(PRESETS[preset]), rng=self.seed)
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
    "Comparison",
    "DashboardModel",
    "ScenarioError",
    "ScenarioRefused",
    "Simulation",
    "grid_values",
    "list_scenarios",
    "load_scenario_params",
    "resolve_scenario",
    "workers_per_grid",
]
