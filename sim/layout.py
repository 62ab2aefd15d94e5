"""Where households live: grids nested in communities, and how staff are spread over them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .params import Parameters


@dataclass(frozen=True)
class Assignment:
    """A number of staff spread over a number of units (grids, communities, ...).

    When there are at least as many staff as units, each unit is a team of one or more
    staff; when there are fewer, each staff member serves a contiguous block of units.
    """

    team_of_unit: np.ndarray  # int32, one entry per unit
    staff_per_team: np.ndarray  # float64, one entry per team
    team_of_staff: np.ndarray  # int32, one entry per staff member

    @classmethod
    def spread(cls, n_units: int, n_staff: int) -> Assignment:
        if n_staff == 0:
            return cls(np.full(n_units, -1, np.int32), np.zeros(0), np.zeros(0, np.int32))
        if n_staff >= n_units:
            team_of_staff = (np.arange(n_staff) % n_units).astype(np.int32)
            staff = np.bincount(team_of_staff, minlength=n_units).astype(float)
            return cls(np.arange(n_units, dtype=np.int32), staff, team_of_staff)
        team_of_unit = (np.arange(n_units, dtype=np.int64) * n_staff // n_units).astype(np.int32)
        return cls(team_of_unit, np.ones(n_staff), np.arange(n_staff, dtype=np.int32))

    @property
    def n_teams(self) -> int:
        return len(self.staff_per_team)

    def random_unit(self, teams: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A uniformly chosen unit served by each of ``teams`` (teams serve contiguous blocks)."""
        bounds = np.searchsorted(self.team_of_unit, np.arange(self.n_teams + 1))
        start, size = bounds[teams], np.diff(bounds)[teams]
        return start + (rng.random(teams.size) * size).astype(np.int64)


@dataclass(frozen=True)
class Layout:
    """Households ordered so that grids and communities are contiguous ranges."""

    n_households: int
    grid: np.ndarray  # int32 grid of each household
    community: np.ndarray  # int32 community of each household
    grid_start: np.ndarray  # first household of each grid (n_grids + 1 boundaries)
    community_start: np.ndarray  # first household of each community (n_communities + 1)
    community_of_grid: np.ndarray

    @classmethod
    def build(cls, params: Parameters) -> Layout:
        pop = params.population
        n = pop.households
        per_grid = min(pop.households_per_grid, n)
        n_grids = -(-n // per_grid)
        grids_per_community = max(1, round(pop.households_per_community / per_grid))
        grid = (np.arange(n) // per_grid).astype(np.int32)
        community_of_grid = (np.arange(n_grids) // grids_per_community).astype(np.int32)
        community = community_of_grid[grid]
        grid_start = np.append(np.arange(n_grids) * per_grid, n).astype(np.int64)
        first_grid = np.arange(0, n_grids, grids_per_community)
        community_start = np.append(grid_start[first_grid], n).astype(np.int64)
        return cls(n, grid, community, grid_start, community_start, community_of_grid)

    @property
    def n_grids(self) -> int:
        return len(self.grid_start) - 1

    @property
    def n_communities(self) -> int:
        return len(self.community_start) - 1

    def members(self, starts: np.ndarray, units: np.ndarray) -> np.ndarray:
        """All households of the given grids or communities (``starts`` = their boundaries)."""
        first, stop = starts[units], starts[units + 1]
        size = stop - first
        return np.repeat(first - np.cumsum(size) + size, size) + np.arange(size.sum())

    @property
    def grid_size(self) -> np.ndarray:
        return np.diff(self.grid_start)

    @property
    def community_size(self) -> np.ndarray:
        return np.diff(self.community_start)
