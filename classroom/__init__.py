"""The classroom: a class plays one town, each student governing one part of it (a grid, a
community's legal advisor, party secretary or residents' representative, the city's
moral-governance office), as in NetLogo's HubNet. Pure Python; the web layer is
``classroom.web``."""

from .roles import KINDS, Lever, Role, catalogue
from .session import Refused, Session

__all__ = ["KINDS", "Lever", "Refused", "Role", "Session", "catalogue"]
