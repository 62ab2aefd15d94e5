"""Where households live: grids nested in communities of different sizes, and how a number
of staff is spread over units (grids, communities)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .params import Parameters, Population

# Community sizes are drawn from their own stream of the scenario seed, not from a run's
# generator: a city's communities are part of the scenario, the same in every replication,
# and the staffing arithmetic (sim.staff.costs) can be done from the parameters alone.
LAYOUT_STREAM = 0x5A2_C0


def round_half_up(x: np.ndarray | float) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) + 0.5).astype(np.int64)


def apportion(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """``total`` whole units shared in proportion to ``weights`` by largest remainder
    (Hamilton), each part at least ``minimum``; ties go to the lower index.

    Equal weights give parts that differ by at most one, the larger ones first. Parts whose
    share would fall below ``minimum`` get the minimum and the rest share what is left.
    """
    weights = np.asarray(weights, dtype=float)
    n = weights.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if total < minimum * n:
        raise ValueError(f"{total} cannot give {n} parts at least {minimum} each")
    if weights.sum() <= 0:
        weights = np.ones(n)
    floor = np.zeros(n, dtype=bool)
    while True:
        rest = total - minimum * floor.sum()
        free = weights * ~floor
        weight = free.sum()  # may be subnormal: divide by it, never by a floor under it
        if weight > 0:
            quota = np.where(floor, minimum, rest * free / weight)
        else:
            quota = np.where(floor, minimum, rest * ~floor / max(int((~floor).sum()), 1))
        low = ~floor & (quota < minimum)
        if not low.any():
            break
        floor |= low
    parts = np.floor(quota).astype(np.int64)
    short = total - int(parts.sum())
    if short > 0:
        order = np.lexsort((np.arange(n), -(quota - parts)))
        parts[order[:short]] += 1
    return parts


def equal_counts(n_units: int, n_staff: int) -> np.ndarray:
    """Staff per unit when staff are dealt out equally (the counts of
    :meth:`Assignment.spread`): each unit ``n_staff // n_units`` or one more when there are
    enough; when there are fewer staff than units, one at the first unit of each of
    ``n_staff`` contiguous blocks of units."""
    if n_staff == 0:
        return np.zeros(n_units, dtype=np.int64)
    if n_staff >= n_units:
        return n_staff // n_units + (np.arange(n_units) < n_staff % n_units).astype(np.int64)
    block = np.arange(n_units, dtype=np.int64) * n_staff // n_units
    return np.diff(block, prepend=-1).astype(np.int64)


@dataclass(frozen=True)
class Assignment:
    """A number of staff spread over a number of units (grids, communities, ...).

    A unit with staff is a team; a unit without joins the team of the nearest staffed unit
    before it (after it, for units before the first), so every team serves a contiguous
    block of units, and an equal spread of fewer staff than units gives each staff member a
    block of its own.
    """

    team_of_unit: np.ndarray  # int32, one entry per unit (-1 if there are no staff)
    staff_per_team: np.ndarray  # float64, one entry per team
    team_of_staff: np.ndarray  # int32, one entry per staff member

    @classmethod
    def spread(cls, n_units: int, n_staff: int) -> Assignment:
        """Staff dealt out equally over the units."""
        return cls.from_counts(equal_counts(n_units, n_staff))

    @classmethod
    def from_counts(cls, counts: np.ndarray) -> Assignment:
        """Teams from whole staff per unit (``counts``, one entry per unit)."""
        counts = np.asarray(counts, dtype=np.int64)
        staffed = counts > 0
        if not staffed.any():
            return cls(np.full(counts.size, -1, np.int32), np.zeros(0), np.zeros(0, np.int32))
        team_of_unit = np.maximum(np.cumsum(staffed) - 1, 0).astype(np.int32)
        staff = counts[staffed].astype(float)
        team_of_staff = np.repeat(np.arange(staff.size, dtype=np.int32), counts[staffed])
        return cls(team_of_unit, staff, team_of_staff)

    @property
    def n_teams(self) -> int:
        return len(self.staff_per_team)

    def units_per_team(self) -> np.ndarray:
        return np.bincount(self.team_of_unit[self.team_of_unit >= 0], minlength=self.n_teams)

    def random_unit(self, teams: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A uniformly chosen unit served by each of ``teams`` (teams serve contiguous blocks)."""
        bounds = np.searchsorted(self.team_of_unit, np.arange(self.n_teams + 1))
        start, size = bounds[teams], np.diff(bounds)[teams]
        return start + (rng.random(teams.size) * size).astype(np.int64)


def community_sizes(population: Population, seed: int) -> np.ndarray:
    """Households of each community (ODD 2.8): the scenario's list scaled to the
    population, or ``round(households / households_per_community)`` communities drawn
    lognormal (from the scenario seed; at most ``largest_community_households``) or of one
    size, apportioned to the households."""
    n = population.households
    if population.community_sizes:
        listed = np.asarray(population.community_sizes, dtype=np.int64)
        return listed if listed.sum() == n else apportion(n, listed, minimum=1)
    k = max(1, int(round_half_up(n / population.households_per_community)))
    sigma = population.community_sigma()
    if sigma is None:
        return apportion(n, np.ones(k))
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(LAYOUT_STREAM,)))
    mu = np.log(population.households_per_community) - sigma**2 / 2
    sizes = capped(rng.lognormal(mu, sigma, k), n, population.largest_community_households)
    return apportion(n, sizes, minimum=1)


def capped(draws: np.ndarray, total: float, cap: float) -> np.ndarray:
    """``draws`` scaled to ``total``, none above ``cap``: the capped ones give what is above
    the cap to the others, in proportion to their draws (if the cap leaves room)."""
    if cap * draws.size <= total:
        return np.full(draws.size, total / draws.size)
    sizes = draws * total / draws.sum()
    full = np.zeros(draws.size, dtype=bool)
    while (sizes > cap).any():
        full |= sizes > cap
        rest = total - cap * full.sum()
        sizes = np.where(full, cap, draws * rest / draws[~full].sum())
    return sizes


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
        """Communities of the sizes :func:`community_sizes` gives, each cut into
        ``round(size / households_per_grid)`` grids (at least one) of equal size."""
        pop = params.population
        sizes = community_sizes(pop, params.scenario.seed)
        per_community = np.maximum(1, round_half_up(sizes / pop.households_per_grid))
        community_of_grid = np.repeat(np.arange(sizes.size, dtype=np.int32), per_community)
        first_grid = np.concatenate([[0], np.cumsum(per_community)[:-1]])
        rank = np.arange(community_of_grid.size) - first_grid[community_of_grid]
        base, extra = sizes // per_community, sizes % per_community
        grid_size = base[community_of_grid] + (rank < extra[community_of_grid])
        grid_start = np.concatenate([[0], np.cumsum(grid_size)]).astype(np.int64)
        community_start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        grid = np.repeat(np.arange(grid_size.size, dtype=np.int32), grid_size)
        community = community_of_grid[grid]
        return cls(pop.households, grid, community, grid_start, community_start, community_of_grid)

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

    # The layout never changes during a run, yet mechanisms and metrics read these every
    # day: each is computed once, on first use, and read-only so no caller can change it.
    @cached_property
    def grid_size(self) -> np.ndarray:
        return _frozen(np.diff(self.grid_start))

    @cached_property
    def community_size(self) -> np.ndarray:
        return _frozen(np.diff(self.community_start))

    @cached_property
    def grids_per_community(self) -> np.ndarray:
        return _frozen(np.bincount(self.community_of_grid, minlength=self.n_communities))

    def size_rank(self) -> np.ndarray:
        """Communities from the smallest to the largest (ties by number)."""
        return self._size_rank

    @cached_property
    def _size_rank(self) -> np.ndarray:
        return _frozen(np.lexsort((np.arange(self.n_communities), self.community_size)))


def _frozen(values: np.ndarray) -> np.ndarray:
    values.flags.writeable = False
    return values
