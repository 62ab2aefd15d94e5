"""Sanzhi's model: Mesa is the interface, NumPy is the engine."""

from .agents import (
    CommunityWorker,
    GridWorker,
    LegalAdvisor,
    PartyBranch,
    Resident,
    SocialOrganisation,
)
from .issues import Channel, Kind
from .metrics import KEY_METRICS, METRICS, REGISTRY, Metric, tagged
from .model import GovernanceModel
from .params import ParameterError, Parameters
from .world import MetricsView, World

__all__ = [
    "KEY_METRICS",
    "METRICS",
    "REGISTRY",
    "Channel",
    "CommunityWorker",
    "GovernanceModel",
    "GridWorker",
    "Kind",
    "LegalAdvisor",
    "Metric",
    "MetricsView",
    "ParameterError",
    "Parameters",
    "PartyBranch",
    "Resident",
    "SocialOrganisation",
    "World",
    "tagged",
]
