"""What staff number and cost: the one place that counts a run's paid staff and prices them.

The model staffs itself with these counts (each staff class's ``count_from``), the
``staff_cost`` metric prices them, and the experiments' cost frontier asks the same
questions before any run, from the parameters alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..layout import Layout
from ..params import Parameters, Staffing
from .grid import GridTeams
from .legal import LegalAdvisors
from .social import SocialOrganisations

STAFF = ("grid_worker", "legal_advisor", "social_worker")  # the paid staff, in this order


def staff_counts(params: Parameters, layout: Layout | None = None) -> dict[str, int]:
    """Grid workers, legal advisors and social workers of a run, keyed as ``STAFF``.

    ``layout`` defaults to the one the parameters build (``Layout.build(params)``).
    """
    layout = Layout.build(params) if layout is None else layout
    return {
        "grid_worker": GridTeams.count_from(params, layout),
        "legal_advisor": LegalAdvisors.count_from(params, layout),
        "social_worker": SocialOrganisations.count_from(params, layout),
    }


def yearly_cost_per_head(staffing: Staffing) -> dict[str, float]:
    """Yuan a year of one member of each kind of staff, keyed as ``STAFF``."""
    return {
        "grid_worker": staffing.grid_worker_cost,
        "legal_advisor": staffing.legal_advisor_cost,
        "social_worker": staffing.social_worker_cost,
    }


def yearly_cost(counts: Mapping[str, int], staffing: Staffing) -> float:
    """Yuan a year of the given staff (``counts`` keyed as ``STAFF``)."""
    per_head = yearly_cost_per_head(staffing)
    return float(sum(counts[kind] * per_head[kind] for kind in STAFF))
