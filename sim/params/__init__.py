"""Validated scenario parameters, grouped by section."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .base import (
    ParameterError,
    Section,
    Spec,
    did_you_mean,
    element_type,
    param,
    toml_literal,
    unknown_key,
)
from .sections import (
    Behaviour,
    Fusion,
    Moral,
    NetworkParams,
    Population,
    RuleOfLaw,
    ScenarioInfo,
    SelfGovernance,
    Staffing,
    StaffOverride,
    TimelineEntry,
)

__all__ = [
    "Behaviour",
    "Fusion",
    "Moral",
    "NetworkParams",
    "ParameterError",
    "Parameters",
    "Population",
    "RuleOfLaw",
    "ScenarioInfo",
    "SelfGovernance",
    "Spec",
    "StaffOverride",
    "Staffing",
    "TimelineEntry",
    "did_you_mean",
    "toml_literal",
]


@dataclass(frozen=True)
class Parameters(Section):
    """All parameters of one run. ``Parameters()`` is the documented default."""

    scenario: ScenarioInfo = field(default_factory=ScenarioInfo)
    population: Population = field(default_factory=Population)
    staffing: Staffing = field(default_factory=Staffing)
    self_governance: SelfGovernance = field(default_factory=SelfGovernance)
    rule_of_law: RuleOfLaw = field(default_factory=RuleOfLaw)
    moral: Moral = field(default_factory=Moral)
    fusion: Fusion = field(default_factory=Fusion)
    behaviour: Behaviour = field(default_factory=Behaviour)
    timeline: tuple[TimelineEntry, ...] = param(
        (),
        doc="Policy changes on days of the run (an array of tables, ``[[timeline]]``; see "
        "TimelineEntry and docs/timeline.md): set a key on a day, ramp it, or run a campaign.",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.timeline:
            from ..timeline import check as check_timeline

            check_timeline(self)
        if self.staffing.overrides:
            # Overrides name communities and grids, which exist only once the layout is
            # drawn: one that names none, or one that does not exist, is bad input, found
            # when the file is read rather than when a run starts.
            from ..staffing import check

            check(self)

    @classmethod
    def coerce(cls, params: Parameters | dict[str, Any] | None) -> Parameters:
        """The parameters a model was given: None means the defaults, a nested dict of
        sections is validated, a :class:`Parameters` is used as it is."""
        if params is None:
            return cls()
        if isinstance(params, dict):
            return cls.from_dict(params)
        if isinstance(params, Parameters):
            return params
        raise TypeError(f"expected Parameters, a dict of sections or None, got {params!r}")

    def check(self) -> Parameters:
        """Checks that involve more than one parameter; returns ``self``.

        Not part of construction: a sweep validates its whole design up front, and a
        combination that cannot be built (an odd degree, more ties than households) should
        fail as that one run, when a model is built from it.
        """
        net, n = self.population.network, self.population.households
        if net.mean_degree % 2:
            raise ParameterError(
                "population.network.mean_degree", "must be even", "an even integer"
            )
        if net.mean_degree >= n:
            raise ParameterError(
                "population.network.mean_degree",
                f"{net.mean_degree} ties need more than {n} households",
                "fewer ties than households",
            )
        return self

    def flat(self) -> dict[str, Any]:
        """``{"section.key": value}`` for every leaf parameter."""
        return dict(_flatten(self.to_dict()))

    def get(self, dotted: str) -> Any:
        """The value of a dotted key; ``timeline.2.day`` is the second entry's day."""
        node: Any = self.to_dict()
        for part in dotted.split("."):
            node = node[int(part) - 1] if isinstance(node, list | tuple) else node[part]
        return node

    def with_values(self, values: dict[str, Any]) -> Parameters:
        """A copy with dotted keys (``"staffing.admin_load"``) replaced, validated; a
        timeline entry's field is ``timeline.<n>.<field>``, entries numbered from 1."""
        nested = self.to_dict()
        nested["timeline"] = [dict(entry) for entry in nested["timeline"]]
        for dotted, value in values.items():
            *path, leaf = dotted.split(".")
            if path[:1] == ["timeline"] and len(path) == 2 and path[1].isdigit():
                entries = nested["timeline"]
                if not 1 <= int(path[1]) <= len(entries) or leaf not in entries[0]:
                    raise ParameterError(
                        dotted,
                        "no such timeline entry or field",
                        f"an entry from 1 to {len(entries)} and one of its fields",
                    )
                entries[int(path[1]) - 1][leaf] = value
                continue
            node = nested
            for depth, part in enumerate(path):
                if not isinstance(node.get(part), dict):
                    raise unknown_key(".".join([*path[:depth], part]), node)
                node = node[part]
            if leaf not in node or isinstance(node[leaf], dict):
                err = unknown_key(leaf, {k for k, v in node.items() if not isinstance(v, dict)})
                raise err.within(".".join(path)) if path else err
            node[leaf] = value
        return Parameters.from_dict(nested)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.flat().items() if v != _DEFAULTS.get(k)}
        body = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        return f"Parameters({body})"

    @classmethod
    def table(cls) -> list[dict[str, Any]]:
        """One row per leaf parameter: key, default, type, range, unit, doc, source."""
        rows = []
        for key, default, kind, spec in cls.specs():
            item = element_type(kind)
            allowed = _allowed(item if item is not None else kind, spec)
            if item is not None:
                allowed = "list of tables" if allowed == "text" else f"list of {allowed}"
            rows.append(
                {
                    "key": key,
                    "default": default,
                    "type": "list" if item is not None else kind.__name__,
                    "range": allowed,
                    "unit": spec.unit,
                    "doc": spec.doc,
                    "source": spec.source,
                }
            )
        return rows

    def replace(self, **sections: Section) -> Parameters:
        return replace(self, **sections)


def _allowed(kind: Any, spec: Spec) -> str:
    """The accepted values of a scalar parameter, as the ODD's table states them."""
    if spec.choices:
        return " / ".join(spec.choices)
    if kind is bool:
        return "true / false"
    if spec.low is not None and kind is int:
        return f"{int(spec.low):,} - {int(spec.high):,}"
    if spec.low is not None:
        return f"{spec.low:g} - {spec.high:g}" if spec.high is not None else f">= {spec.low:g}"
    return "text"


def _flatten(d: dict[str, Any], prefix: str = ""):
    for key, value in d.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


_DEFAULTS = dict(_flatten(Parameters().to_dict()))
