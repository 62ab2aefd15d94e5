"""The roles a class plays (as in NetLogo HubNet, each student governs one part of the model)
and the levers each role holds.

A lever's kind and range come from the parameter's :class:`~sim.params.Spec`, narrowed where
the dashboard narrows its slider (``dashboards.state.LEVERS``: a slider across 365 lectures a
year would crowd every realistic value into its first pixels); its labels and help are the
dashboard's (``dashboards.i18n.LEVER_TEXT``), so the class and the dashboard speak alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboards.i18n import LEVER_TEXT, choice_label
from dashboards.state import LEVERS_BY_KEY, SPECS

KINDS: tuple[str, ...] = (
    "grid_worker",
    "legal_advisor",
    "party_secretary",
    "residents_rep",
    "moral_office",
)

# kind -> (scope, the levers, English name, 中文名称); the names take the unit's number.
ROLE_TABLE: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "grid_worker": (
        "grid",
        ("staffing.admin_load", "staffing.patrol_time", "staffing.serve_first"),
        "Grid worker, grid {n}",
        "第{n}网格网格员",
    ),
    "legal_advisor": (
        "community",
        (
            "rule_of_law.legal_lectures_per_year",
            "rule_of_law.mediation_rounds",
            "rule_of_law.advisor_attendance",
        ),
        "Legal advisor, community {n}",
        "第{n}社区法律顾问",
    ),
    "party_secretary": (
        "community",
        (
            "fusion.party_coordination",
            "fusion.council_convening",
            "fusion.party_visit_cases_per_week",
            "fusion.member_mobilisation",
        ),
        "Party secretary, community {n}",
        "第{n}社区党组织书记",
    ),
    "residents_rep": (
        "community",
        ("self_governance.participation", "self_governance.topics_per_deliberation"),
        "Residents' representative, community {n}",
        "第{n}社区居民代表",
    ),
    "moral_office": (
        "city",
        ("moral.moral_bank", "moral.red_black_list", "moral.role_models"),
        "Moral-governance office",
        "德治工作办公室",
    ),
}
# The short id of each kind's roles: "grid-3", "legal-0", ...; the city's role has no unit.
ID_PREFIX = {
    "grid_worker": "grid",
    "legal_advisor": "legal",
    "party_secretary": "party",
    "residents_rep": "residents",
    "moral_office": "moral",
}
# More grid-worker roles than this would outnumber a class in a large town; a Session may
# ask for more or fewer (its ``max_grid_roles``).
MAX_GRID_ROLES = 12


@dataclass(frozen=True)
class Lever:
    """One parameter a role sets: ``low``/``high``/``step`` are None for a switch."""

    key: str
    label_en: str
    label_zh: str
    kind: str  # "float" | "int" | "bool" | "choice"
    low: float | None
    high: float | None
    step: float | None
    help_en: str
    help_zh: str
    choices: tuple[str, ...] = ()  # a choice's values, in the Spec's order

    @classmethod
    def of(cls, key: str) -> Lever:
        """The lever of parameter ``key``: range and step as the dashboard's slider."""
        kind, spec = SPECS[key]
        label_en, label_zh, help_en, help_zh = LEVER_TEXT[key]
        low = high = step = None
        if kind in (int, float):
            slider = LEVERS_BY_KEY.get(key)
            low = slider.low if slider else spec.low
            high = slider.high if slider else spec.high
            step = slider.step if slider else (1 if kind is int else None)
            if low is None or high is None:
                raise ValueError(f"{key}: a classroom lever needs a range (its Spec has none)")
        if spec.choices:
            return cls(
                key,
                label_en,
                label_zh,
                "choice",
                None,
                None,
                None,
                help_en,
                help_zh,
                tuple(spec.choices),
            )
        if kind not in (int, float, bool):
            raise ValueError(f"{key}: a classroom lever is a number, a switch or a choice")
        return cls(key, label_en, label_zh, kind.__name__, low, high, step, help_en, help_zh)

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def help(self, lang: str) -> str:
        return self.help_zh if lang == "zh" else self.help_en

    def as_dict(self, lang: str) -> dict[str, Any]:
        """JSON-safe, with the label and help in ``lang``."""
        return {
            "key": self.key,
            "label": self.label(lang),
            "help": self.help(lang),
            "kind": self.kind,
            "low": self.low,
            "high": self.high,
            "step": self.step,
            "choices": [
                {"value": value, "label": choice_label(value, lang)} for value in self.choices
            ],
        }


@dataclass(frozen=True)
class Role:
    """A part of the town one student governs: its scope (grid, community, city), the
    unit (0-based index in ``model.layout``; None for the city) and its levers."""

    id: str
    kind: str
    scope: str  # "grid" | "community" | "city"
    unit: int | None
    name_en: str
    name_zh: str
    levers: tuple[Lever, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(lever.key for lever in self.levers)

    def lever(self, key: str) -> Lever:
        return next(lever for lever in self.levers if lever.key == key)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "scope": self.scope,
            "unit": self.unit,
            "name": self.name(lang),
            "name_en": self.name_en,
            "name_zh": self.name_zh,
            "lever_labels": {lever.key: lever.label(lang) for lever in self.levers},
        }


def role(kind: str, unit: int | None) -> Role:
    """The role of ``kind`` for ``unit`` (a grid or community index; None for the city)."""
    scope, keys, name_en, name_zh = ROLE_TABLE[kind]
    n = "" if unit is None else unit + 1  # people count grids from 1; ids keep the index
    suffix = "" if unit is None else f"-{unit}"
    return Role(
        id=ID_PREFIX[kind] + suffix,
        kind=kind,
        scope=scope,
        unit=unit,
        name_en=name_en.format(n=n),
        name_zh=name_zh.format(n=n),
        levers=tuple(Lever.of(key) for key in keys),
    )


def catalogue(
    model: Any, kinds: tuple[str, ...] = KINDS, *, max_grids: int | None = None
) -> list[Role]:
    """The roles on offer in ``model``'s town, kind by kind in ``KINDS`` order: one grid
    worker for each of the first ``max_grids`` grids (:data:`MAX_GRID_ROLES` by default),
    one legal advisor, party secretary and residents' representative for each community,
    one moral-governance office for the city."""
    if unknown := set(kinds) - set(KINDS):
        raise ValueError(f"unknown role kinds {sorted(unknown)}; known: {list(KINDS)}")
    layout = model.layout
    limit = MAX_GRID_ROLES if max_grids is None else max_grids
    units = {
        "grid": range(min(layout.n_grids, max(0, limit))),
        "community": range(layout.n_communities),
        "city": (None,),
    }
    return [
        role(kind, unit) for kind in KINDS if kind in kinds for unit in units[ROLE_TABLE[kind][0]]
    ]
