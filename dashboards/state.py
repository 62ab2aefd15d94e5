"""The dashboard's session state, free of Solara so it can be tested on its own: the levers
(sidebar controls over parameters), the live run and the two runs of the Compare tab.

A moved lever applies from the current day and the run goes on (``model.apply``): the
change is a :class:`Mark` on the charts, and the state right after it is kept in memory (a
:mod:`sim.state` snapshot, at most :data:`MAX_SAVED` of them), so the class can rewind to
it and continue, bit for bit, as the run did. The second mode, "as if it had always been
so", rebuilds the model with the same seed and the new value from day 0 and replays it to
the current day, keeping the previous trajectory so the charts can show it dashed; levers
that cannot change mid-run (``sim.timeline.why_fixed``: the households, say) always do so.
A model the session lets go of is closed (``GovernanceModel.close``): Mesa keeps every model it has
seen in a class-level table, so without that each change would leak one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim import GovernanceModel, Parameters, tagged
from sim.issues import Channel
from sim.params import ParameterError, Spec
from sim.state import dumps, loads
from sim.timeline import check_change, why_fixed

from .library import (
    DEFAULT_VALUES,
    LARGE_SLOT,
    PRESETS,
    SCENARIOS,
    ScenarioRefused,
    default_params,
    load_scenario_params,
    preset_values,
)
from .settings import settings

DEFAULT_SEED: int = Parameters().scenario.seed

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
    Lever("self_governance.joint_councils", "self"),
    Lever("self_governance.public_dispute_share", "self", 0.05),
    Lever("self_governance.investigation_gain", "self", 0.1, low=0.0, high=2.0),
    Lever("self_governance.follow_up_success", "self", 0.05),
    Lever("self_governance.public_jury", "self"),
    Lever("self_governance.jury_acceptance", "self", 0.05),
    Lever("self_governance.jury_audience", "self", 0.005, low=0.0, high=0.1),
    Lever("self_governance.jury_interval_days", "self", 1, low=1, high=90),
    Lever("self_governance.jury_cases_per_sitting", "self", 1, low=1, high=20),
    Lever("self_governance.jury_size", "self", 1, low=1, high=30),
    Lever("self_governance.jury_success", "self", 0.05),
    Lever("self_governance.jury_law_weight", "self", 0.05),
    Lever("self_governance.rules_revision", "self"),
    Lever("self_governance.rules_revision_gain", "self", 0.05),
    Lever("self_governance.rules_decay_days", "self", 30, low=30, high=3650),
    Lever("self_governance.rules_prevention", "self", 0.05),
    Lever("self_governance.rules_law_weight", "self", 0.05),
    # one per community is today's full coverage
    Lever("staffing.legal_advisors_per_community", "law", 0.5, low=0.0, high=4.0),
    Lever("staffing.legal_cases_per_week", "law", 0.5, low=0.0, high=20.0),  # x10
    Lever("rule_of_law.detection_probability", "law", 0.05),
    Lever("rule_of_law.police_detection", "law", 0.01),
    Lever("rule_of_law.sanction", "law", 0.05),
    Lever("rule_of_law.mediation_success", "law", 0.05),
    Lever("rule_of_law.mediation_rounds", "law", 1),
    # two a month; Kunshan's advisors gave 2.5 a year
    Lever("rule_of_law.legal_lectures_per_year", "law", 0.5, low=0.0, high=24.0),
    Lever("rule_of_law.lecture_reach", "law", 0.01, low=0.0, high=0.3),  # x10
    Lever("rule_of_law.court_days", "law", 5, low=10, high=365),  # up to a year's wait
    Lever("rule_of_law.advisor_attendance", "law", 0.05),
    Lever("rule_of_law.advisor_success_gain", "law", 0.1, low=0.0, high=2.0),
    Lever("rule_of_law.advisor_sitting_cases", "law", 0.25, low=0.0, high=5.0),
    Lever("moral.moral_bank", "moral"),
    Lever("moral.credit_value", "moral", 0.05),
    Lever("moral.red_black_list", "moral"),
    # x10; a board naming more than a fifth of the households is no longer an honour
    Lever("moral.list_share", "moral", 0.01, low=0.0, high=0.2),
    Lever("moral.role_models", "moral", 0.05),
    Lever("moral.crowding_out", "moral", 0.05),
    Lever("moral.integrity_points", "moral"),
    Lever("moral.integrity_sanction_cost", "moral", 0.05),
    Lever("moral.integrity_escalation_cost", "moral", 0.05),
    Lever("moral.integrity_recovery_days", "moral", 30, high=1095),  # up to three years
    Lever("moral.integrity_stake", "moral", 0.1, high=5.0),
    Lever("moral.integrity_norm_gain", "moral", 0.05),
    Lever("moral.integrity_priority_days", "moral", 1.0, high=30.0),
    Lever("moral.redemption", "moral"),
    Lever("moral.redemption_rate", "moral", 0.05),
    Lever("moral.redemption_pull", "moral", 0.1),
    Lever("moral.preferential_share", "moral", 0.01, high=0.2),
    Lever("moral.preferential_trust_gain", "moral", 0.01, high=0.3),
    Lever("moral.preferential_priority_days", "moral", 1.0, high=30.0),
    Lever("moral.moral_review", "moral"),
    Lever("moral.review_interval_days", "moral", 7, low=7, high=364),
    Lever("moral.review_panel_size", "moral", 1),
    Lever("moral.review_board_share", "moral", 0.01),
    Lever("moral.review_praise_gain", "moral", 0.05),
    Lever("moral.review_shame_gain", "moral", 0.05),
    Lever("fusion.coordination", "fusion", 0.05),
    Lever("fusion.party_leadership", "fusion", 0.05),
    Lever("fusion.party_coordination", "fusion", 0.05),
    Lever("fusion.party_visit_cases_per_week", "fusion", 0.5, low=0.0, high=20.0),  # x10
    Lever("fusion.stuck_days", "fusion", 5, low=5, high=180),  # x6
    Lever("fusion.council_convening", "fusion", 0.25),
    Lever("fusion.member_mobilisation", "fusion", 0.1),
    Lever("staffing.party_branch_level", "fusion"),
    # party members are about 7% of China's people; 30% is a party-dense neighbourhood
    Lever("population.party_member_share", "fusion", 0.01, low=0.0, high=0.3),
    # the standard one per grid of 300-500, today about 420, badly understaffed above 1,000
    Lever("staffing.households_per_grid_worker", "staffing", 10, low=50, high=1500),
    Lever("staffing.admin_load", "staffing", 0.05),
    Lever("staffing.patrol_time", "staffing", 0.1),
    Lever("staffing.usual_patrol_share", "staffing", 0.01),
    Lever("staffing.serve_first", "staffing"),
    Lever("staffing.grid_worker_cases_per_day", "staffing", 0.5, low=0.5, high=10.0),  # x5
    Lever("staffing.households_per_social_organisation", "staffing", 100, low=200, high=10000),
    # the standard (1 per 1,000 registered residents) is about 1.8 per 1,000 households
    Lever("staffing.social_workers_per_1000_households", "staffing", 0.1, low=0.0, high=5.0),
    Lever("staffing.social_worker_cases_per_day", "staffing", 0.1, low=0.0, high=5.0),  # x5
    # the defaults are 50,000-80,000 yuan a year
    Lever("staffing.grid_worker_cost", "staffing", 5000, low=0, high=200000),
    Lever("staffing.legal_advisor_cost", "staffing", 5000, low=0, high=200000),
    Lever("staffing.social_worker_cost", "staffing", 5000, low=0, high=200000),
    # a larger town replays too slowly to move a lever live in class
    # community office (社区工作人员) and the rest of the 1+3+N grid team
    Lever("staffing.community_staff_rule", "community"),
    Lever("staffing.community_staff_per_community", "community", 1, low=0, high=40),
    Lever("staffing.households_per_community_staff", "community", 10, low=50, high=1000),
    Lever("staffing.min_community_staff", "community", 1, low=0, high=30),
    Lever("staffing.community_staff_cases_per_day", "community", 0.5, low=0.0, high=10.0),
    Lever("staffing.community_admin_load", "community", 0.05),
    Lever("staffing.task_entry_list", "community", 0.05),
    Lever("staffing.community_staff_cost", "community", 5000, low=0, high=200000),
    Lever("staffing.grid_leader_time", "community", 0.05),
    Lever("staffing.police_per_grid", "community", 0.05),
    Lever("staffing.helpers_per_grid", "community", 1, low=0, high=30),
    Lever("staffing.initial_social_credibility", "community", 0.05),
    Lever("staffing.allocation", "community"),
    Lever("staffing.need_share", "community", 0.05),
    Lever("staffing.reallocation_days", "community", 5, low=5, high=180),
    Lever("population.households", "population", 100, low=200, high=10000),
    Lever("population.households_per_grid", "population", 50, low=50, high=1000),  # std 300-500
    # recommended 2,000, at most 3,000
    Lever("population.households_per_community", "population", 100, low=200, high=5000),
    # Kunshan 18.5% of persons, applied to households (docs/sources.md, "Units")
    Lever("population.volunteer_share", "population", 0.01, low=0.0, high=0.6),
    Lever("population.mean_norm", "population", 0.05),
    Lever("population.mean_trust", "population", 0.05),
    Lever("population.mean_legal_awareness", "population", 0.05),
)
GROUPS = ("self", "law", "moral", "fusion", "staffing", "community", "population")


def lever(key: str) -> Lever:
    """The lever of parameter ``key`` (``KeyError`` if it is not a lever)."""
    return LEVERS_BY_KEY[key]


LEVERS_BY_KEY: dict[str, Lever] = {lv.key: lv for lv in LEVERS}


# --- The model with per-grid escalation counts (the engine keeps only totals).


YEAR = 365  # the grid map's escalations are a yearly rate, as the cards' are


class DashboardModel(GovernanceModel):
    """``GovernanceModel`` that also counts escalations per grid and day over the last year,
    for the grid map (the engine keeps only totals)."""

    def __init__(self, params: Parameters, *, rng: Any = None) -> None:
        super().__init__(params, rng=rng)
        self.escalations_by_day = np.zeros((YEAR, self.layout.n_grids), dtype=np.int32)
        self.on_escalate.append(self._count_escalations)

    def step(self) -> None:
        self.escalations_by_day[self.day % YEAR] = 0
        super().step()

    def _count_escalations(self, rows: np.ndarray) -> None:
        grid = self.layout.grid[self.issues.household[rows]]
        np.add.at(self.escalations_by_day[self.day % YEAR], grid, 1)


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
        days = max(1, min(model.day, YEAR))
        per_grid = model.escalations_by_day.sum(axis=0)
        return per_grid * 365.0 / days * 1000.0 / size
    raise ValueError(f"unknown grid metric {metric!r}")


def check_seed(seed: Any) -> int:
    """``seed`` as the model's root seed, or ``ParameterError`` saying what a seed may be."""
    try:
        value = int(seed)
    except (TypeError, ValueError):
        value = None
    low, high = SPECS["scenario.seed"][1].low, SPECS["scenario.seed"][1].high
    if value is None or isinstance(seed, bool) or (isinstance(seed, float) and seed != value):
        raise ParameterError("scenario.seed", f"{seed!r} is not a whole number", SEED_RANGE)
    if not low <= value <= high:
        raise ParameterError("scenario.seed", f"{value} is out of range", SEED_RANGE)
    return value


SEED_RANGE = "a whole number from 0 to 2⁶³ − 1"


@dataclass(frozen=True)
class Trajectory:
    """What a run recorded (its DataCollector's values), kept after the model is gone."""

    data: dict[str, np.ndarray]
    households: int

    @classmethod
    def of(cls, model: DashboardModel) -> Trajectory:
        data = {k: np.asarray(v, dtype=float) for k, v in model.datacollector.model_vars.items()}
        return cls(data, model.households.n)


# --- One session's live run.

MODES = ("today", "always")  # a moved lever applies from today, or as if always so
MAX_SAVED = 12  # rewindable marks a session keeps: the oldest state goes first
MAX_SAVED_BYTES = 24 * 2**20  # and never more than this in all (a large town's states)


@dataclass(frozen=True)
class Mark:
    """Levers changed mid-run: the model's day they apply from, and their new values."""

    day: int
    values: Mapping[str, Any] = field(default_factory=dict)

    def without(self, keys: Iterable[str]) -> Mark:
        drop = set(keys)
        return Mark(self.day, {k: v for k, v in self.values.items() if k not in drop})


class Simulation:
    """The live model of one browser session, its levers, seed and history. Thread-safe.

    ``base`` is what the levers start from (the default town or the scenario loaded last);
    ``initial`` is ``base`` with the levers set from day 0, and ``marks`` the changes made
    mid-run since: ``params``, what the model runs with today, is ``initial`` with the marks.
    ``saved`` holds the state right after the change of each recent mark (by day).
    """

    def __init__(self, params: Parameters | None = None, seed: int = DEFAULT_SEED) -> None:
        self.lock = threading.RLock()
        self.base = params or default_params()
        self.initial = self.base
        self.seed = int(seed)
        self.mode = "today"
        self.marks: list[Mark] = []
        self.saved: dict[int, bytes] = {}
        self.previous: Trajectory | None = None  # the run before the last replay or rewind
        self.scenario: str | None = None
        self._large = False
        self.model = DashboardModel(self.initial, rng=self.seed)

    @property
    def day(self) -> int:
        return self.model.day

    @property
    def params(self) -> Parameters:
        return self.model.params

    def value(self, key: str) -> Any:
        return self.params.flat()[key]

    def changes(self) -> dict[str, Any]:
        """The levers set away from ``base`` from day 0 (dotted keys), as a link records
        them; the marks are the rest."""
        base, now = self.base.flat(), self.initial.flat()
        return {key: now[key] for key in LEVERS_BY_KEY if now[key] != base[key]}

    def step(self, days: int = 1, running: threading.Event | None = None) -> int:
        """Advance ``days``; with ``running``, stop before any day once it is cleared.
        Returns the days stepped."""
        done = 0
        with self.lock:
            for _ in range(days):
                if running is not None and not running.is_set():
                    break
                self.model.step()
                done += 1
        return done

    def run_to(self, day: int) -> None:
        with self.lock:
            self.step(max(0, day - self.model.day))

    def reset(self) -> None:
        """Back to day 0 with the levers as they are today and the same seed; the marks and
        the dashed previous run go."""
        with self.lock:
            self.initial = self.initial.with_values(self._marked())
            self._replace(DashboardModel(self.initial, rng=self.seed))
            self.marks, self.saved, self.previous = [], {}, None

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode {mode!r}: one of {MODES}")
        self.mode = mode

    def set_values(self, values: Mapping[str, Any], mode: str | None = None) -> str:
        """Change levers (validated; raises ``ParameterError``, changing nothing).

        In ``"today"`` mode (the session's, unless ``mode`` says otherwise) they apply from
        today and the run goes on: ``"applied"``. In ``"always"`` mode, on day 0, or for a
        lever that cannot change mid-run, the run is replayed from day 0 with them, the
        marks of those levers dropped: ``"replayed"``, or ``"fixed"`` if today's mode was
        asked for and a lever could not follow it.
        """
        mode = mode or self.mode
        if not values:
            return "applied"  # nothing moved: no mark
        with self.lock:
            fixed = any(why_fixed(key) for key in values)
            if mode == "always" or fixed or self.model.day == 0:
                initial = self.initial.with_values(values)
                self._replay(initial, self.seed, [m.without(values) for m in self.marks])
                return "fixed" if fixed and mode == "today" and self.model.day > 0 else "replayed"
            checked = {key: check_change(key, value) for key, value in values.items()}
            self.model.apply(checked)
            self._mark(Mark(self.model.day, checked))
            return "applied"

    def set_seed(self, seed: Any) -> None:
        """Replay with another seed, marks kept (a whole number in the seed's range, or
        ``ParameterError``)."""
        value = check_seed(seed)
        with self.lock:
            self._replay(self.initial, value, self.marks)

    def set_params(self, params: Parameters, scenario: str | None = None) -> None:
        """Start the levers from ``params`` (the default town, say) and replay to today."""
        with self.lock:
            self.scenario = scenario
            self.base = params
            self._replay(params, self.seed)

    def restart(self, params: Parameters, seed: int, scenario: str | None = None) -> None:
        """Day 0 of ``params`` (the levers' new base) with ``seed``, no previous run."""
        with self.lock:
            self.reset()  # day 0 first, so that the replay below only rebuilds
            self.scenario, self.base = scenario, params
            self._replay(params, check_seed(seed))
            self.previous = None

    def load_scenario(self, name: str, *, from_link: bool = False) -> None:
        """Load ``scenarios/<name>`` into the levers, with its own seed and size.

        May raise ``ScenarioRefused`` (outside the folder, not a teaching scenario, too
        large for a link, or the one large-scenario slot taken) or ``InputError``.
        """
        params = load_scenario_params(name, from_link=from_link)
        with self.lock:
            self.scenario = name
            self.base = params
            self._replay(params, params.scenario.seed)

    def replay(self, marks: Iterable[Mark], day: int) -> None:
        """Run from day 0 to ``day`` with ``marks`` applied on their days (a link's run).
        The changes are checked (``ParameterError``); a mark after ``day`` is not reached."""
        marks = [Mark(m.day, {k: check_change(k, v) for k, v in m.values.items()}) for m in marks]
        with self.lock:
            self._replay(self.initial, self.seed, [m for m in marks if m.day <= day], day)

    def rewind(self, day: int) -> None:
        """Back to the state right after the change marked on ``day``; the run left behind
        stays on the charts, dashed, and the marks after ``day`` go. ``KeyError`` if that
        state is not kept."""
        with self.lock:
            model = loads(self.saved[day])
            self.previous = Trajectory.of(self.model)
            self.marks = [m for m in self.marks if m.day <= day]
            self.saved = {d: data for d, data in self.saved.items() if d <= day}
            self._replace(model)

    def shown_marks(self) -> list[tuple[int, Mapping[str, Any], bool]]:
        """The marks as the charts draw them: (record day, values, whether one can rewind
        to it)."""
        with self.lock:
            warmup = self.model.warmup
            return [(m.day - warmup, m.values, m.day in self.saved) for m in self.marks]

    def _marked(self) -> dict[str, Any]:
        """Every value the marks set, the last one of each key."""
        return {k: v for mark in self.marks for k, v in mark.values.items()}

    def _mark(self, mark: Mark) -> None:
        if self.marks and self.marks[-1].day == mark.day:  # two changes on one day: one mark
            mark = Mark(mark.day, {**self.marks[-1].values, **mark.values})
            self.marks.pop()
        self.marks.append(mark)
        self.saved[mark.day] = dumps(self.model)
        self.saved = _bounded(self.saved)

    def _replay(
        self,
        initial: Parameters,
        seed: int,
        marks: Iterable[Mark] = (),
        day: int | None = None,
    ) -> None:
        """Day 0 of ``initial`` and ``seed`` run to ``day`` (today by default), each mark
        applied on its day and its state kept, as the live run made them."""
        large = initial.population.households > settings().max_households
        if large and not self._large and not LARGE_SLOT.acquire(blocking=False):
            raise ScenarioRefused(f"{initial.population.households:,}", "scenario_large_busy")
        today = self.model.day
        day = today if day is None else day
        marks = [m for m in marks if m.values]
        on = {m.day: m.values for m in marks}
        saved: dict[int, bytes] = {}
        try:
            model = DashboardModel(initial, rng=seed)
            for d in range(day + 1):
                if d in on:
                    model.apply(on[d])
                    saved[d] = dumps(model)
                if d < day:
                    model.step()
        except BaseException:
            if large and not self._large:
                LARGE_SLOT.release()
            raise
        if today > 0:
            self.previous = Trajectory.of(self.model)
        if self._large and not large:
            LARGE_SLOT.release()
        self._large = large
        self.initial, self.seed, self.marks, self.saved = initial, seed, marks, _bounded(saved)
        self._replace(model)

    def _replace(self, model: DashboardModel) -> None:
        old, self.model = self.model, model
        old.close()

    def close(self) -> None:
        """Free the model and the saved states (the session is gone)."""
        with self.lock:
            self.model.close()
            self.saved = {}
            if self._large:
                LARGE_SLOT.release()
                self._large = False

    def series(self, names: tuple[str, ...] = TIMESERIES) -> dict[str, np.ndarray]:
        """Metric trajectories (one value per day so far) from the DataCollector."""
        with self.lock:
            data = self.model.datacollector.model_vars
            return {name: np.asarray(data[name], dtype=float) for name in names}

    def latest(self, name: str) -> float:
        with self.lock:
            values = self.model.datacollector.model_vars[name]
            return float(values[-1]) if values else float("nan")


def _bounded(saved: dict[int, bytes]) -> dict[int, bytes]:
    """The latest states within :data:`MAX_SAVED` and :data:`MAX_SAVED_BYTES`."""
    kept: dict[int, bytes] = {}
    total = 0
    for day in sorted(saved, reverse=True):
        total += len(saved[day])
        if len(kept) >= MAX_SAVED or (kept and total > MAX_SAVED_BYTES):
            break
        kept[day] = saved[day]
    return dict(sorted(kept.items()))


# --- The Compare tab's two runs.


class Comparison:
    """Two runs from the sidebar's levers and seed, each with a preset on top, stepped
    together. :meth:`follow` keeps them on the sidebar's levers: a change there replays
    both to their day, as a lever change replays the live run."""

    def __init__(self, base: Parameters, seed: int, a: str = "silos", b: str = "fusion") -> None:
        self.lock = threading.RLock()
        self.presets = {"a": a, "b": b}
        self.base, self.seed = base, seed
        self.runs: dict[str, DashboardModel] = {}
        self._build(0)

    def follow(self, base: Parameters, seed: int) -> bool:
        """Start from ``base`` and ``seed`` (the sidebar's), replaying to today; whether
        anything changed."""
        with self.lock:
            if base == self.base and seed == self.seed:
                return False
            self.base, self.seed = base, seed
            self._build(self.day)
            return True

    def reset(self) -> None:
        """Both runs back to day 0."""
        with self.lock:
            self._build(0)

    def set_preset(self, side: str, preset: str) -> None:
        """Choose ``side``'s preset; both runs start again from day 0, side by side."""
        if preset not in PRESETS:
            raise KeyError(preset)
        with self.lock:
            self.presets[side] = preset
            self._build(0)

    def params(self, side: str) -> Parameters:
        return self.base.with_values(preset_values(self.presets[side]))

    def _build(self, day: int) -> None:
        runs = {}
        for side in self.presets:
            model = DashboardModel(self.params(side), rng=self.seed)
            for _ in range(day):
                model.step()
            runs[side] = model
        old, self.runs = self.runs, runs
        for model in old.values():
            model.close()

    def step(self, days: int = 1, running: threading.Event | None = None) -> int:
        done = 0
        with self.lock:
            for _ in range(days):
                if running is not None and not running.is_set():
                    break
                for model in self.runs.values():
                    model.step()
                done += 1
        return done

    @property
    def day(self) -> int:
        return self.runs["a"].day if self.runs else 0

    def series(self, name: str) -> dict[str, np.ndarray]:
        with self.lock:
            return {
                side: np.asarray(m.datacollector.model_vars[name], dtype=float)
                for side, m in self.runs.items()
            }

    def close(self) -> None:
        with self.lock:
            for model in self.runs.values():
                model.close()


__all__ = [
    "DEFAULT_VALUES",
    "GROUPS",
    "LEVERS",
    "MAX_SAVED",
    "MODES",
    "PRESETS",
    "SCENARIOS",
    "SPECS",
    "Comparison",
    "DashboardModel",
    "Lever",
    "Mark",
    "Simulation",
    "Trajectory",
    "check_seed",
    "grid_values",
    "lever",
]
