from __future__ import annotations

import pytest

from sim import Parameters


def small(households: int = 1000, steps: int = 120, **values) -> Parameters:
    """Default parameters at a small size; extra values by dotted key with '__' for '.'."""
    dotted = {k.replace("__", "."): v for k, v in values.items()}
    return Parameters().with_values(
        {"population.households": households, "scenario.steps": steps, **dotted}
    )


@pytest.fixture
def small_params() -> Parameters:
    return small()


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
