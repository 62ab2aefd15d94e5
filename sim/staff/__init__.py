"""The few, organised actors: grid teams, legal advisors, social organisations, party
branches and deliberation councils. Each holds its agents' state as arrays and works all of
its queues in one vectorised ``step``; the Mesa agents in ``sim.agents`` are views onto them.
"""

from .councils import Councils
from .grid import GridTeams
from .legal import LegalAdvisors
from .party import PartyBranches
from .social import SocialOrganisations

__all__ = ["Councils", "GridTeams", "LegalAdvisors", "PartyBranches", "SocialOrganisations"]
