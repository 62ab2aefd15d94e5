"""Staffing where it is needed (ODD 2.3a): how many grid workers each grid and how many
community staff each community has, by policy (equal, by households, by need) and by hand
(``[[staffing.overrides]]``), and the 1+3+N team's police and helpers per grid.

Structure, like the layout: built from the parameters alone, so the model, the reference
model and the cost arithmetic (``sim.staff.costs``) count the same staff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .layout import Layout, apportion, equal_counts, round_half_up
from .params import ParameterError, Parameters, Staffing, StaffOverride

UNSET = -1  # an override setting left as allocated


@dataclass(frozen=True)
class Overrides:
    """What ``[[staffing.overrides]]`` sets, per unit (UNSET where nothing is set); later
    tables win where two select the same unit."""

    grid_workers: np.ndarray  # per grid
    community_staff: np.ndarray  # per community
    police_per_grid: np.ndarray  # per grid
    helpers_per_grid: np.ndarray  # per grid


def resolve_overrides(overrides: Sequence[StaffOverride], layout: Layout) -> Overrides:
    """The overrides as arrays over the layout's units; a selector that matches nothing or
    names a unit that does not exist raises :class:`ParameterError` naming the table."""
    n_grids, n_communities = layout.n_grids, layout.n_communities
    out = Overrides(
        np.full(n_grids, UNSET, np.int64),
        np.full(n_communities, UNSET, np.int64),
        np.full(n_grids, float(UNSET)),
        np.full(n_grids, float(UNSET)),
    )
    for i, table in enumerate(overrides, 1):
        key = f"staffing.overrides[{i}]"
        communities, grids = _selected(table, layout, key)
        if table.community_staff >= 0:
            out.community_staff[communities] = table.community_staff
        for name in ("grid_workers", "police_per_grid", "helpers_per_grid"):
            value = getattr(table, name)
            if value >= 0:
                getattr(out, name)[grids] = value
    return out


def check(params: Parameters) -> None:
    """Raise :class:`ParameterError` for overrides that name no unit, a unit that does not
    exist, or leave no grid worker at all (called when the parameters are built)."""
    layout = Layout.build(params)
    overrides = resolve_overrides(params.staffing.overrides, layout)
    if grid_plan(params, layout, overrides).total == 0:
        raise ParameterError(
            "staffing.overrides", "leave no grid worker in any grid", "grid workers somewhere"
        )


def _selected(table: StaffOverride, layout: Layout, key: str) -> tuple[np.ndarray, np.ndarray]:
    """(communities, grids) a table selects; grids are those of the communities unless the
    table selects grids."""
    size = layout.community_size
    selector = table.selector
    if selector == "grids":
        grids = np.asarray(table.grids, dtype=np.int64) - 1
        _exist(grids, layout.n_grids, f"{key}.grids", "grid")
        return np.unique(layout.community_of_grid[grids]), np.unique(grids)
    if selector == "communities":
        communities = np.asarray(table.communities, dtype=np.int64) - 1
        _exist(communities, layout.n_communities, f"{key}.communities", "community")
    else:
        bound = getattr(table, selector)
        above = selector == "communities_above"
        communities = np.flatnonzero(size > bound if above else size < bound)
        if communities.size == 0:
            extreme = (
                f"the largest has {size.max():,}" if above else f"the smallest has {size.min():,}"
            )
            raise ParameterError(
                f"{key}.{selector}",
                f"selects no community: none has {'more' if above else 'fewer'} than "
                f"{bound:,} households ({extreme})",
                "a bound that some community passes",
            )
    communities = np.unique(communities)
    grids = np.flatnonzero(np.isin(layout.community_of_grid, communities))
    return communities, grids


def _exist(units: np.ndarray, n: int, key: str, what: str) -> None:
    missing = units[(units < 0) | (units >= n)]
    if missing.size:
        raise ParameterError(
            key, f"{what} {int(missing[0]) + 1} does not exist", f"{what} numbers from 1 to {n}"
        )


@dataclass(frozen=True)
class Plan:
    """Whole staff per unit: the policy's allocation with the overridden units fixed.

    Under need allocation the staff start as the equal policy spreads them (where they are
    before anyone reallocates), and every ``reallocation_days`` the free units share the
    staff they started with in proportion to ``(1 - need_share) x`` their households' share
    ``+ need_share x`` their backlog's share.
    """

    counts: np.ndarray  # at the start, per unit
    fixed: np.ndarray  # bool per unit: set by an override
    households: np.ndarray  # per unit
    need_share: float

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def by_need(self, backlog: np.ndarray) -> np.ndarray:
        counts = self.counts.copy()
        free = ~self.fixed
        if not free.any():
            return counts
        households, waiting = self.households[free].astype(float), backlog[free].astype(float)
        weights = (1 - self.need_share) * households / households.sum()
        weights += self.need_share * (
            waiting / waiting.sum() if waiting.sum() > 0 else households / households.sum()
        )
        counts[free] = apportion(int(counts[free].sum()), weights)
        return counts


def _plan(
    policy_counts: np.ndarray, fixed: np.ndarray, households: np.ndarray, st: Staffing
) -> Plan:
    counts = np.where(fixed >= 0, fixed, policy_counts).astype(np.int64)
    return Plan(counts, fixed >= 0, households, st.need_share)


def grid_worker_count(params: Parameters, layout: Layout) -> int:
    """Grid workers before overrides (ODD 2.3): one per ``households_per_grid_worker``,
    at least one."""
    return max(1, round(layout.n_households / params.staffing.households_per_grid_worker))


def grid_plan(params: Parameters, layout: Layout, overrides: Overrides) -> Plan:
    """Grid workers per grid (ODD 2.3a)."""
    st = params.staffing
    total = grid_worker_count(params, layout)
    if st.allocation == "households":
        counts = apportion(total, layout.grid_size)
    else:  # equal, and need before its first revision: staff start where they are today
        counts = equal_counts(layout.n_grids, total)
    return _plan(counts, overrides.grid_workers, layout.grid_size, st)


def community_plan(params: Parameters, layout: Layout, overrides: Overrides) -> Plan:
    """Community staff per community (ODD 2.3a, 2.4a): as the rule sets them (the same
    number each, or one per so many households with a floor); the households policy
    spreads the per-community rule's total in proportion to households instead, and need
    allocation revises them."""
    st = params.staffing
    size = layout.community_size
    if st.community_staff_rule == "per_households":
        ruled = np.maximum(
            st.min_community_staff, round_half_up(size / st.households_per_community_staff)
        )
        total = int(ruled.sum())
    else:
        total = int(round_half_up(layout.n_communities * st.community_staff_per_community))
        ruled = equal_counts(layout.n_communities, total)
    if st.allocation == "households" and st.community_staff_rule == "per_community":
        counts = apportion(total, size)
    else:  # as the rule sets them (need: before its first revision)
        counts = ruled
    return _plan(counts, overrides.community_staff, size, st)


def per_grid(value: float, override: np.ndarray) -> np.ndarray:
    """A per-grid setting (police, helpers): the parameter, or the override where set."""
    return np.where(override >= 0, override, value)


def revision_day(staffing: Staffing, day: int) -> bool:
    """Whether staff are spread again on ``day`` (ODD 2.3a): under need allocation, every
    ``reallocation_days`` from the first revision on (the start is by households)."""
    return staffing.allocation == "need" and day > 0 and day % staffing.reallocation_days == 0
