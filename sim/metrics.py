"""The metric registry: every reported quantity with definition, unit and labels.

The CLI, result files, reports and dashboard all read names and labels from here.
Every metric is computed from arrays and the ledger, never by looping over agents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from .model import GovernanceModel

WINDOW = 30  # days in the trailing window of the rate metrics


@dataclass(frozen=True)
class Metric:
    name: str
    label_en: str
    label_zh: str
    unit: str
    definition: str
    kind: Literal["count", "level"]  # count: events on the day; level: a state or rate
    better: Literal["higher", "lower", ""]
    compute: Callable[[GovernanceModel], float]

    def label(self, lang: str = "en") -> str:
        return self.label_zh if lang == "zh" else self.label_en


def _today(name: str) -> Callable[[GovernanceModel], float]:
    return lambda m: m.ledger.today(name)


def _mean(field: str) -> Callable[[GovernanceModel], float]:
    return lambda m: float(np.mean(getattr(m.households, field), dtype=np.float64))


def _resolution_rate(m: GovernanceModel) -> float:
    resolved, _ = m.ledger.trailing("resolved", WINDOW)
    escalated, _ = m.ledger.trailing("escalated", WINDOW)
    return resolved / (resolved + escalated) if resolved + escalated else float("nan")


def _days_to_resolve(m: GovernanceModel) -> float:
    resolved, _ = m.ledger.trailing("resolved", WINDOW)
    days, _ = m.ledger.trailing("resolve_days", WINDOW)
    return days / resolved if resolved else float("nan")


def _escalation_rate(m: GovernanceModel) -> float:
    escalated, days = m.ledger.trailing("escalated", WINDOW)
    return escalated * 365.0 / days * 1000.0 / m.households.n


def _participation(m: GovernanceModel) -> float:
    return float(np.mean(m.households.last_participation > m.day - 365))


def _volunteer_hours(m: GovernanceModel) -> float:
    hours, days = m.ledger.trailing("volunteer_hours", 365)
    return hours * 365.0 / days / max(1, m.volunteers.size)


def _annual(count: str, per: str) -> Callable[[GovernanceModel], float]:
    """Trailing-365-day count, annualised, per community or per household."""

    def compute(m: GovernanceModel) -> float:
        total, days = m.ledger.trailing(count, 365)
        units = m.layout.n_communities if per == "community" else m.households.n
        return total * 365.0 / days / units

    return compute


def _staff_weighted(field: str) -> Callable[[GovernanceModel], float]:
    def compute(m: GovernanceModel) -> float:
        grid = m.grid_teams
        weights = grid.assignment.staff_per_team
        return float(getattr(grid, field) @ weights / weights.sum())

    return compute


def _staff_cost(m: GovernanceModel) -> float:
    st = m.params.staffing
    yuan = (
        m.grid_teams.n_workers * st.grid_worker_cost
        + m.legal.n_advisors * st.legal_advisor_cost
        + m.social.n_social_workers * st.social_worker_cost
    )
    return yuan / m.households.n


def _m(name, en, zh, unit, definition, kind, better, compute) -> Metric:
    return Metric(name, en, zh, unit, definition, kind, better, compute)


METRICS: tuple[Metric, ...] = (
    _m(
        "issues_raised",
        "Issues raised",
        "新发事项",
        "issues/day",
        "Disputes, service requests, violations and public topics raised today.",
        "count",
        "",
        _today("raised"),
    ),
    _m(
        "issues_resolved",
        "Issues resolved",
        "已化解事项",
        "issues/day",
        "Issues closed today by any route other than escalation.",
        "count",
        "higher",
        _today("resolved"),
    ),
    _m(
        "issues_escalated",
        "Issues escalated",
        "越级上访事项",
        "issues/day",
        "Issues taken beyond the grassroots today (越级上访).",
        "count",
        "lower",
        _today("escalated"),
    ),
    _m(
        "open_issues",
        "Open issues",
        "未结事项",
        "issues",
        "Issues raised and neither resolved nor escalated, at the end of the day.",
        "level",
        "lower",
        lambda m: float(m.issues.n),
    ),
    _m(
        "resolution_rate",
        "Resolution rate",
        "化解率",
        "share",
        f"Resolved / (resolved + escalated) over the trailing {WINDOW} days.",
        "level",
        "higher",
        _resolution_rate,
    ),
    _m(
        "mean_days_to_resolve",
        "Days to resolve",
        "平均化解天数",
        "days",
        f"Mean age of the issues resolved in the trailing {WINDOW} days.",
        "level",
        "lower",
        _days_to_resolve,
    ),
    _m(
        "escalations_per_1000_households_year",
        "Escalations per 1,000 households a year",
        "每千户年越级上访数",
        "per 1,000 households-year",
        f"Escalations in the trailing {WINDOW} days, annualised, per 1,000 households.",
        "level",
        "lower",
        _escalation_rate,
    ),
    _m(
        "disputes",
        "Disputes",
        "矛盾纠纷",
        "issues/day",
        "Disputes raised today.",
        "count",
        "lower",
        _today("disputes"),
    ),
    _m(
        "violations",
        "Violations",
        "违规行为",
        "issues/day",
        "Minor violations committed today.",
        "count",
        "lower",
        _today("violations"),
    ),
    _m(
        "service_requests",
        "Service requests",
        "服务诉求",
        "issues/day",
        "Requests for help raised today.",
        "count",
        "",
        _today("service_requests"),
    ),
    _m(
        "public_topics",
        "Public topics",
        "公共议题",
        "issues/day",
        "Shared concerns raised today.",
        "count",
        "",
        _today("public_topics"),
    ),
    _m(
        "mediations",
        "Mediations",
        "调解次数",
        "cases/day",
        "Disputes mediated today by grid workers and legal advisors.",
        "count",
        "",
        _today("mediations"),
    ),
    _m(
        "legal_mediations",
        "Legal-advisor mediations",
        "法律顾问参与调解",
        "cases/day",
        "Disputes mediated today by legal advisors (part of mediations).",
        "count",
        "",
        _today("legal_mediations"),
    ),
    _m(
        "informal_settlements",
        "Informal settlements",
        "邻里自行化解",
        "cases/day",
        "Disputes and violations settled between neighbours today.",
        "count",
        "higher",
        _today("informal_settlements"),
    ),
    _m(
        "enforcements",
        "Enforcements",
        "执法处置",
        "cases/day",
        "Violations sanctioned today (on the spot or after a report).",
        "count",
        "",
        _today("enforcements"),
    ),
    _m(
        "referrals",
        "Referrals",
        "转办",
        "cases/day",
        "Issues passed from one channel to another today.",
        "count",
        "",
        _today("referrals"),
    ),
    _m(
        "referrals_lost",
        "Lost referrals",
        "转办流失",
        "cases/day",
        "Referrals that never arrived today: the household is left on its own.",
        "count",
        "lower",
        _today("referrals_lost"),
    ),
    _m(
        "deliberations_held",
        "Council meetings",
        "议事会召开次数",
        "meetings/day",
        "Deliberation council meetings held today.",
        "count",
        "",
        _today("deliberations"),
    ),
    _m(
        "deliberation_topics_resolved",
        "Council topics resolved",
        "议事会议题办结",
        "topics/day",
        "Public topics settled by councils today.",
        "count",
        "higher",
        _today("topics_resolved"),
    ),
    _m(
        "party_visits",
        "Party leadership visits",
        "党员干部下沉办理",
        "cases/day",
        "Stuck cases taken up by party branch visits today.",
        "count",
        "",
        _today("party_visits"),
    ),
    _m(
        "legal_lectures",
        "Legal lectures",
        "法治讲座",
        "lectures/day",
        "Legal lectures given by legal advisors today.",
        "count",
        "",
        _today("legal_lectures"),
    ),
    _m(
        "mean_norm",
        "Civic norm",
        "道德规范水平",
        "0-1",
        "Mean civic and moral norm of households.",
        "level",
        "higher",
        _mean("norm"),
    ),
    _m(
        "mean_legal_awareness",
        "Legal awareness",
        "法治意识",
        "0-1",
        "Mean legal awareness of households.",
        "level",
        "higher",
        _mean("legal_awareness"),
    ),
    _m(
        "mean_trust",
        "Trust",
        "基层信任度",
        "0-1",
        "Mean trust of households in grassroots governance.",
        "level",
        "higher",
        _mean("trust"),
    ),
    _m(
        "mean_engagement",
        "Engagement",
        "参与意愿",
        "0-1",
        "Mean willingness of households to take part in self-governance.",
        "level",
        "higher",
        _mean("engagement"),
    ),
    _m(
        "mean_deterrence",
        "Perceived detection",
        "感知查处概率",
        "0-1",
        "Mean perceived probability that a violation is caught.",
        "level",
        "",
        _mean("deterrence"),
    ),
    _m(
        "satisfaction",
        "Satisfaction",
        "群众满意度",
        "0-1",
        "Mean satisfaction: trust, security and not waiting on an old issue.",
        "level",
        "higher",
        _mean("satisfaction"),
    ),
    _m(
        "security",
        "Sense of security",
        "安全感",
        "0-1",
        "Mean perceived security: 1 minus exposure to unchecked violations nearby.",
        "level",
        "higher",
        _mean("security"),
    ),
    _m(
        "participation_rate",
        "Participation rate",
        "参与率",
        "share of households",
        "Households that took part in self-governance (council meeting, volunteering, "
        "putting a topic on the agenda) in the trailing 365 days.",
        "level",
        "higher",
        _participation,
    ),
    _m(
        "volunteer_hours_per_volunteer_year",
        "Volunteer hours per volunteer a year",
        "志愿者人均年服务时长",
        "hours/volunteer-year",
        "Volunteer hours in the trailing 365 days, annualised, per registered volunteer.",
        "level",
        "higher",
        _volunteer_hours,
    ),
    _m(
        "service_requests_per_household_year",
        "Service requests per household a year",
        "户均年服务诉求",
        "requests/household-year",
        "Service requests raised in the trailing 365 days, annualised, per household "
        "(compare: Beijing 12345 action requests).",
        "level",
        "",
        _annual("service_requests", "household"),
    ),
    _m(
        "legal_mediations_per_community_year",
        "Legal-advisor mediations per community a year",
        "每社区年法律顾问调解数",
        "cases/community-year",
        "Disputes mediated by legal advisors in the trailing 365 days, annualised, per community.",
        "level",
        "",
        _annual("legal_mediations", "community"),
    ),
    _m(
        "legal_lectures_per_community_year",
        "Legal lectures per community a year",
        "每社区年法治讲座数",
        "lectures/community-year",
        "Legal lectures given in the trailing 365 days, annualised, per community.",
        "level",
        "",
        _annual("legal_lectures", "community"),
    ),
    _m(
        "grid_worker_utilisation",
        "Grid-worker utilisation",
        "网格员工作负荷",
        "share of time",
        "Share of grid workers' time spent on admin tasks and cases today.",
        "level",
        "",
        _staff_weighted("utilisation"),
    ),
    _m(
        "grid_worker_burnout",
        "Grid-worker burnout",
        "网格员倦怠",
        "0-1",
        "Mean burnout of grid workers (lowers their capacity).",
        "level",
        "lower",
        _staff_weighted("burnout"),
    ),
    _m(
        "staff_cost",
        "Staff cost",
        "人员成本",
        "yuan per household-year",
        "Grid workers, legal advisors and social workers, per household per year.",
        "level",
        "lower",
        _staff_cost,
    ),
)

REGISTRY: dict[str, Metric] = {m.name: m for m in METRICS}

KEY_METRICS = (
    "escalations_per_1000_households_year",
    "resolution_rate",
    "mean_days_to_resolve",
    "mean_trust",
    "satisfaction",
    "security",
    "participation_rate",
    "volunteer_hours_per_volunteer_year",
    "grid_worker_utilisation",
)
