"""Sanzhi's model: Mesa is the interface, NumPy is the engine."""

from .agents import GridWorker, LegalAdvisor, PartyBranch, Resident, SocialOrganisation
from .issues import Channel, Kind
from .metrics import KEY_METRICS, METRICS, REGISTRY, Metric
from .model import GovernanceModel
from .params import ParameterError, Parameters

__all__ = [
    "KEY_METRICS",
    "METRICS",
    "REGISTRY",
    "Channel",
    "GovernanceModel",
    "GridWorker",
    "Kind",
    "LegalAdvisor",
    "Metric",
    "ParameterError",
    "Parameters",
    "PartyBranch",
    "Resident",
    "SocialOrganisation",
]
