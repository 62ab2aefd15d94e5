"""The few, organised actors: grid teams, community staff, legal advisors, social
organisations, party branches and deliberation councils. Each holds its agents' state as
arrays and works all of its queues in one vectorised ``step``; the Mesa agents in
``sim.agents`` are views onto them. ``costs`` counts and prices the paid staff.
"""

from .community import CommunityStaff
from .costs import (
    ALL_STAFF,
    COMMUNITY_STAFF,
    STAFF,
    staff_counts,
    yearly_cost,
    yearly_cost_per_head,
)
from .councils import Councils
from .grid import GridTeams
from .legal import LegalAdvisors
from .party import PartyBranches
from .social import SocialOrganisations

__all__ = [
    "ALL_STAFF",
    "COMMUNITY_STAFF",
    "STAFF",
    "CommunityStaff",
    "Councils",
    "GridTeams",
    "LegalAdvisors",
    "PartyBranches",
    "SocialOrganisations",
    "staff_counts",
    "yearly_cost",
    "yearly_cost_per_head",
]
