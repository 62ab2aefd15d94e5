"""What staff number and cost: the one place that counts a run's paid staff and prices them.

The model staffs itself with these counts (the staffing plans of ``sim.staffing`` and each
staff class's ``count_from``), the ``staff_cost`` and ``community_staff_cost`` metrics price
them, and the experiments' cost frontier asks the same questions before any run, from the
parameters alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..layout import Layout
from ..params import Parameters, Staffing
from ..staffing import community_plan, grid_plan, resolve_overrides
from .legal import LegalAdvisors
from .social import SocialOrganisations

STAFF = ("grid_worker", "legal_advisor", "social_worker")  # priced by staff_cost, in order
COMMUNITY_STAFF = "community_staff"  # priced by community_staff_cost
ALL_STAFF = (*STAFF, COMMUNITY_STAFF)


def staff_counts(
    params: Parameters, layout: Layout | None = None, *, community: bool = False
) -> dict[str, int]:
    """Grid workers, legal advisors and social workers of a run, keyed as ``STAFF``, and
    community staff too with ``community=True`` (keyed as ``ALL_STAFF``).

    ``layout`` defaults to the one the parameters build (``Layout.build(params)``).
    """
    layout = Layout.build(params) if layout is None else layout
    overrides = resolve_overrides(params.staffing.overrides, layout)
    counts = {
        "grid_worker": grid_plan(params, layout, overrides).total,
        "legal_advisor": LegalAdvisors.count_from(params, layout),
        "social_worker": SocialOrganisations.count_from(params, layout),
    }
    if community:
        counts[COMMUNITY_STAFF] = community_plan(params, layout, overrides).total
    return counts


def yearly_cost_per_head(staffing: Staffing) -> dict[str, float]:
    """Yuan a year of one member of each kind of staff, keyed as ``ALL_STAFF``."""
    return {
        "grid_worker": staffing.grid_worker_cost,
        "legal_advisor": staffing.legal_advisor_cost,
        "social_worker": staffing.social_worker_cost,
        COMMUNITY_STAFF: staffing.community_staff_cost,
    }


def yearly_cost(counts: Mapping[str, int], staffing: Staffing) -> float:
    """Yuan a year of the given staff (``counts`` keyed by kinds of ``ALL_STAFF``)."""
    per_head = yearly_cost_per_head(staffing)
    return float(sum(count * per_head[kind] for kind, count in counts.items()))
