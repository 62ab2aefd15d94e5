"""The few, organised actors: grid teams, legal advisors, social organisations, party
branches and deliberation councils. Each holds its agents' state as arrays and works all of
its queues in one vectorised ``step``; the Mesa agents in ``sim.agents`` are views onto them.
``costs`` counts and prices the paid staff.
"""

from .costs import STAFF, staff_counts, yearly_cost, yearly_cost_per_head
from .councils import Councils
from .grid import GridTeams
from .legal import LegalAdvisors
from .party import PartyBranches
from .social import SocialOrganisations

__all__ = [
    "STAFF",
    "Councils",
    "GridTeams",
    "LegalAdvisors",
    "PartyBranches",
    "SocialOrganisations",
    "staff_counts",
    "yearly_cost",
    "yearly_cost_per_head",
]
