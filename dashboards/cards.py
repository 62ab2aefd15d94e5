"""What the cards, the compare table and the trend panels show, computed from a model's
DataCollector.

Most are registry metrics as they are. Two are yearly rates instead of the registry's
30-day windows, because a class talks about a year and 2,000 households have too few
escalations in 30 days to show a rate (one escalation moves a 30-day rate by 6.1): the
escalations and the lost referrals of the last 365 days (of the days so far, before day 365).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from experiments.wording import quantity
from sim import tagged
from sim.metrics import REGISTRY

YEAR = 365


@dataclass(frozen=True)
class Quantity:
    """One number shown on the page: a registry metric, or a yearly rate of a daily count."""

    key: str  # the name shown in class names and links
    metric: str  # the registry metric it reads
    per: str = ""  # "" (the metric as it is), "households" (per 1,000 a year), "year"

    @property
    def unit(self) -> str:
        if self.per == "households":
            return "per 1,000 households-year"
        if self.per == "year":
            return "a year"
        return REGISTRY[self.metric].unit

    @property
    def bounded(self) -> tuple[float, float] | None:
        """The metric's range when it has one on both sides (shares, 0-1 scales)."""
        low, high = REGISTRY[self.metric].bounds
        return (low, high) if self.per == "" and math.isfinite(high) else None

    @property
    def better(self) -> str:
        return REGISTRY[self.metric].better

    def series(self, model) -> np.ndarray:
        """One value per day so far, of a model."""
        return self.values(model.datacollector.model_vars, model.households.n)

    def values(self, data: Mapping[str, Sequence[float]], households: int) -> np.ndarray:
        """One value per day, from a DataCollector's ``model_vars`` (or a copy of them)."""
        values = np.asarray(data[self.metric], dtype=float)
        if not self.per:
            return values
        per_year = _trailing_yearly(values)
        if self.per == "households":
            return per_year * 1000.0 / households
        return per_year

    def value(self, model) -> float:
        """Today's value (nan before the first day)."""
        values = self.series(model)
        return float(values[-1]) if values.size else math.nan

    def text(self, value: float, *, sign: bool = False) -> str:
        """``value`` as the page shows it (``experiments.wording``'s number formats)."""
        if self.per == "" and REGISTRY[self.metric].kind == "level" and self.unit == "issues":
            value = round(value) if math.isfinite(value) else value  # whole issues
        return quantity(value, self.unit, sign=sign)


def _trailing_yearly(counts: np.ndarray) -> np.ndarray:
    """Each day's count over the trailing 365 days (over the days so far before that),
    scaled to a year."""
    total = np.cumsum(counts)
    lagged = np.concatenate([np.zeros(YEAR), total])[: total.size]
    days = np.minimum(np.arange(1, total.size + 1), YEAR)
    return (total - lagged) * YEAR / days


ESCALATIONS = Quantity("escalations_year", "issues_escalated", per="households")
LOST_REFERRALS = Quantity("referrals_lost_year", "referrals_lost", per="year")


def registry(name: str) -> Quantity:
    return Quantity(name, name)


# The registry's curated lists, with its 30-day escalation rate shown as the yearly one.
YEARLY = {"escalations_per_1000_households_year": ESCALATIONS}


def curated(tag: str) -> tuple[Quantity, ...]:
    """The registry's list for ``tag`` (``dashboard_kpi``, ``dashboard_series``)."""
    return tuple(YEARLY.get(name) or registry(name) for name in tagged(tag))


LIVE_CARDS = curated("dashboard_kpi")
TRENDS = curated("dashboard_series")
# The compare table and chart: what the teaching script's Compare steps talk about.
COMPARE = (
    ESCALATIONS,
    registry("mean_days_to_resolve"),
    LOST_REFERRALS,
    registry("volunteer_hours_per_volunteer_year"),
    registry("legal_mediations_per_community_year"),
    registry("mean_trust"),
    registry("satisfaction"),
    registry("resolution_rate"),
    registry("open_issues"),
)
BY_KEY = {q.key: q for q in (*LIVE_CARDS, *COMPARE, *TRENDS)}
