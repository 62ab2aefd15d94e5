"""Levers scoped to one grid or one community (docs/timeline.md, "Levers scoped to a grid or
a community").

In the classroom each student governs one part of the model: a grid worker sets the admin
load of one grid, a community's legal advisor, party secretary or residents' representative
set their community's levers. A scoped value replaces the city-wide value of its key in
that unit only; every other unit keeps the city-wide value.

``SCOPED`` lists the keys that may be scoped and the unit each is scoped to:

- ``staffing.admin_load`` (grid): the share of a grid worker's time that admin tasks coming
  down take, in that grid (a team serving several grids carries their mean).
- ``staffing.patrol_time`` (grid): the grid worker's patrol time relative to the usual, in
  that grid: patrols there find more, and the team's desk has less time (its grids' mean).
- ``staffing.serve_first`` (grid): whom the desk serves first among that grid's cases
  (the oldest, disputes or service requests).
- ``rule_of_law.legal_lectures_per_year`` (community): lectures its legal advisors give in
  that community, per advisor-year.
- ``rule_of_law.mediation_rounds`` (community): mediation sessions its legal advisors hold
  on a dispute of that community before it goes to court.
- ``rule_of_law.advisor_attendance`` (community): the chance a legal advisor sits with that
  community's council meetings and jury sittings.
- ``fusion.party_coordination`` (community): the party secretary's coordination effort;
  the effective coordination of referrals of that community's issues.
- ``fusion.party_visit_cases_per_week`` (community): stuck cases the party branch(es) of
  that community take up on their weekly visit (each grid branch of it, under grid branches).
- ``fusion.council_convening`` (community): how often the party secretary convenes that
  community's council, relative to every ``deliberation_interval_days``.
- ``fusion.member_mobilisation`` (community): the party secretary's effort to mobilise that
  community's party members as volunteers.
- ``self_governance.participation`` (community): the engagement that community's households
  drift toward (the residents' representative's mobilisation).
- ``self_governance.topics_per_deliberation`` (community): agenda topics its council takes
  up at a meeting.

The engine (``GovernanceModel``) and the reference model (``ReferenceModel``) each keep a
:class:`LocalLevers` and read a unit's value from it where their submodels read the key.
Nothing scoped means every submodel reads the scalar parameter exactly as before, so a run
without scoped levers is bit for bit the run it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .timeline import changed, check_change

if TYPE_CHECKING:
    from .layout import Layout
    from .params import Parameters

SCOPED: dict[str, str] = {
    "staffing.admin_load": "grid",
    "staffing.patrol_time": "grid",
    "staffing.serve_first": "grid",
    "rule_of_law.legal_lectures_per_year": "community",
    "rule_of_law.mediation_rounds": "community",
    "rule_of_law.advisor_attendance": "community",
    "fusion.party_coordination": "community",
    "fusion.party_visit_cases_per_week": "community",
    "fusion.council_convening": "community",
    "fusion.member_mobilisation": "community",
    "self_governance.participation": "community",
    "self_governance.topics_per_deliberation": "community",
}
SCOPES = ("grid", "community")


def n_units(layout: Layout, scope: str) -> int:
    """Grids or communities of ``layout``."""
    return layout.n_grids if scope == "grid" else layout.n_communities


def check_local(
    params: Parameters, layout: Layout, scope: str, unit: int, values: Mapping[str, Any]
) -> dict[str, Any]:
    """``values`` as the unit takes them (typed, in range; None kept, for "back to the
    city-wide value").

    Raises ValueError for an unknown scope, a key not scoped to ``scope`` or a unit out of
    range, and :class:`~sim.params.base.ParameterError` (a ValueError too) for a value a
    scenario file could not set mid-run.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; expected one of {', '.join(SCOPES)}")
    for key in values:
        if SCOPED.get(key) != scope:
            allowed = sorted(k for k, s in SCOPED.items() if s == scope)
            where = f"is scoped to a {SCOPED[key]}" if key in SCOPED else "cannot be scoped"
            raise ValueError(
                f"{key} {where}, not to a {scope}; keys scoped to a {scope}: " + ", ".join(allowed)
            )
    n = n_units(layout, scope)
    if isinstance(unit, bool) or not isinstance(unit, int | np.integer) or not 0 <= unit < n:
        raise ValueError(f"{scope} {unit!r} out of range (the model has {n}: 0 to {n - 1})")
    checked = {
        key: None if value is None else check_change(key, value) for key, value in values.items()
    }
    # The section's own checks across its fields, with the unit's values in place (the
    # result is not kept: the city-wide parameters do not change).
    changed(params, {key: value for key, value in checked.items() if value is not None})
    return checked


class LocalLevers:
    """The scoped values in force: ``{key: {unit: value}}``, only keys with some unit set.

    An empty store is the fast path every submodel takes: :meth:`array` is None and the
    scalar parameter is read as before.
    """

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.values: dict[str, dict[int, Any]] = {}

    def set(self, unit: int, values: Mapping[str, Any]) -> None:
        """Values checked by :func:`check_local`; None clears the unit's value."""
        for key, value in values.items():
            units = self.values.setdefault(key, {})
            if value is None:
                units.pop(int(unit), None)
            else:
                units[int(unit)] = value
            if not units:
                del self.values[key]

    def active(self, key: str) -> bool:
        """Whether any unit has its own value of ``key``."""
        return key in self.values

    def array(self, key: str, citywide: Any) -> np.ndarray | None:
        """Per unit of the key's scope, the value in force (float64; a choice's names as an
        object array), or None when no unit has its own (the submodel reads the scalar, as
        without scoped levers)."""
        units = self.values.get(key)
        if units is None:
            return None
        out = _full(n_units(self.layout, SCOPED[key]), citywide)
        for unit, value in units.items():
            out[unit] = value
        return out

    def of(self, key: str, unit: int, citywide: Any) -> Any:
        """The value in force in one unit (the reference's per-agent read)."""
        units = self.values.get(key)
        return citywide if units is None else units.get(unit, citywide)

    def value(self, key: str, citywide: Any) -> np.ndarray:
        """Per unit, the value in force, also when none is scoped."""
        if key not in SCOPED:
            raise ValueError(f"{key} cannot be scoped; scoped keys: {', '.join(SCOPED)}")
        out = self.array(key, citywide)
        return _full(n_units(self.layout, SCOPED[key]), citywide) if out is None else out


def _full(n: int, value: Any) -> np.ndarray:
    return np.full(n, value, dtype=object) if isinstance(value, str) else np.full(n, float(value))
