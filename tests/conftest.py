from __future__ import annotations

import pytest

from sim import Parameters

# The files that take minutes, longest first (--durations on two cores). With one file a
# worker (pytest-xdist, --dist loadfile, in pyproject's addopts) they are handed out first,
# so no worker is left with a long file while the others have finished.
LONG_FILES = (
    "test_equivalence.py",
    "test_readme.py",
    "test_dashboard_memory.py",
    "test_teaching_script.py",
    "test_claims.py",
    "test_levers.py",
    "test_dashboard_browser.py",
    "test_classroom_browser.py",
    "test_classroom_web.py",
    "test_calibration.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long files first; the order within a file and of the others is kept (sort is stable)."""
    rank = {name: i for i, name in enumerate(LONG_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def small(households: int = 1000, steps: int = 120, **values) -> Parameters:
    """Default parameters at a small size; extra values by dotted key with '__' for '.'."""
    dotted = {k.replace("__", "."): v for k, v in values.items()}
    return Parameters().with_values(
        {"population.households": households, "scenario.steps": steps, **dotted}
    )


@pytest.fixture
def small_params() -> Parameters:
    return small()


# The classroom's town: 8 grids of 250 households in 2 communities of 1,000, a short warm-up,
# so that a round of a class is a few milliseconds.
CLASS_PARAMS = small(
    2000,
    28,
    population__households_per_grid=250,
    population__households_per_community=1000,
    scenario__warmup_days=3,
)


# The metric columns of main before the practices of issue 14 (commit 15358eb), sorted: the
# practices' off-is-unchanged tests hash these.
MAIN_COLUMNS = [
    "backlog_dispersion",
    "community_staff_cost",
    "community_staff_utilisation",
    "deliberation_topics_resolved",
    "deliberations_held",
    "disputes",
    "enforcements",
    "escalations_largest_quarter",
    "escalations_per_1000_households_year",
    "escalations_smallest_quarter",
    "grid_worker_burnout",
    "grid_worker_utilisation",
    "informal_settlements",
    "issues_escalated",
    "issues_faded",
    "issues_raised",
    "issues_resolved",
    "legal_lectures",
    "legal_lectures_per_community_year",
    "legal_mediations",
    "legal_mediations_per_community_year",
    "mean_days_to_resolve",
    "mean_days_to_serve",
    "mean_deterrence",
    "mean_engagement",
    "mean_legal_awareness",
    "mean_norm",
    "mean_trust",
    "mediations",
    "open_issues",
    "participation_rate",
    "party_visits",
    "public_topics",
    "referrals",
    "referrals_lost",
    "resolution_rate",
    "satisfaction",
    "security",
    "service_requests",
    "service_requests_per_household_year",
    "social_credibility",
    "staff_cost",
    "violations",
    "volunteer_hours_per_volunteer_year",
]
