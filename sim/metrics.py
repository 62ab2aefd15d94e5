"""The metric registry: every reported quantity with definitions, unit, labels and tags.

The CLI, result files, reports and dashboard all read names and labels from here.
Every metric is computed from arrays and the ledger, never by looping over agents.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .staff.costs import yearly_cost
from .units import DAYS_PER_YEAR
from .world import MetricsView

WINDOW = 30  # days in the trailing window of the rate metrics

# The curated lists of metrics, each derived from the tags by :func:`tagged`.
TAGS = {
    "key": "the headline outcomes of run summaries, comparisons and their figures",
    "analysis": "the default outcomes of sensitivity, fusion and frontier analyses",
    "dashboard_series": "the dashboard's time-series panels",
    "dashboard_kpi": "the dashboard's KPI cards",
}


@dataclass(frozen=True, kw_only=True)
class Metric:
    """A reported quantity: computed each day from a :class:`~sim.world.MetricsView`."""

    name: str
    label_en: str
    label_zh: str
    unit: str
    definition: str
    definition_zh: str
    kind: Literal["count", "level"]  # count: events on the day; level: a state or rate
    better: Literal["higher", "lower", ""]
    compute: Callable[[MetricsView], float]
    tags: tuple[str, ...] = ()  # keys of TAGS: the curated lists the metric belongs to
    # Where the metric stands in every curated list (1 = the headline, shown first), so
    # reports, analyses and the dashboard lead with the same outcomes; ties: registry order.
    headline: int = 99
    unit_zh: str = ""  # the unit in Chinese (reports in Chinese); empty: as ``unit``
    # The values the metric can take: intervals of a bounded metric stay inside them
    # (docs/analysis.md, "Intervals"). Every metric here is at least 0; shares and 0-1
    # scales are at most 1.
    bounds: tuple[float, float] = (0.0, math.inf)
    # The smallest difference worth reporting (docs/analysis.md, "Claims"): a difference is
    # claimed only if it is at least ``threshold`` (in ``unit``) and at least
    # ``relative_threshold`` times the reference's mean (for counts that grow with the
    # number of households simulated), besides being clear of zero.
    threshold: float = 0.0
    relative_threshold: float = 0.0

    def __post_init__(self) -> None:
        if unknown := set(self.tags) - TAGS.keys():
            raise ValueError(f"{self.name}: unknown tags {sorted(unknown)}; known: {list(TAGS)}")

    def label(self, lang: str = "en") -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def unit_in(self, lang: str = "en") -> str:
        """The unit in ``lang`` ('en' or 'zh')."""
        return (self.unit_zh or self.unit) if lang == "zh" else self.unit

    def practical_threshold(self, reference: float = 0.0) -> float:
        """The smallest difference from a reference mean worth calling a difference."""
        scale = abs(reference) if math.isfinite(reference) else 0.0
        return max(self.threshold, self.relative_threshold * scale)

    def describe(self, lang: str = "en") -> str:
        """The one-line definition in ``lang`` ('en' or 'zh')."""
        return self.definition_zh if lang == "zh" else self.definition


def _today(name: str) -> Callable[[MetricsView], float]:
    return lambda m: m.ledger.today(name)


def _mean(field: str) -> Callable[[MetricsView], float]:
    # np.mean's own arithmetic (a float64 sum, then one division) without its Python layers.
    return lambda m: float(
        np.add.reduce(getattr(m.households, field), dtype=np.float64) / m.households.n
    )


def _resolution_rate(m: MetricsView) -> float:
    resolved, _ = m.ledger.trailing("resolved", WINDOW)
    escalated, _ = m.ledger.trailing("escalated", WINDOW)
    return resolved / (resolved + escalated) if resolved + escalated else float("nan")


def _days_to_resolve(m: MetricsView) -> float:
    resolved, _ = m.ledger.trailing("resolved", WINDOW)
    days, _ = m.ledger.trailing("resolve_days", WINDOW)
    return days / resolved if resolved else float("nan")


def _escalation_rate(m: MetricsView) -> float:
    escalated, days = m.ledger.trailing("escalated", WINDOW)
    return escalated * DAYS_PER_YEAR / days * 1000.0 / m.households.n


def _participation(m: MetricsView) -> float:
    took_part = m.households.last_participation > m.day - DAYS_PER_YEAR
    # A count is an exact integer however it is summed; counting skips a float64 pass.
    return float(np.count_nonzero(took_part)) / took_part.size


def _volunteer_hours(m: MetricsView) -> float:
    hours, days = m.ledger.trailing("volunteer_hours", DAYS_PER_YEAR)
    return hours * DAYS_PER_YEAR / days / max(1, m.volunteers.size)


def _annual(count: str, per: str) -> Callable[[MetricsView], float]:
    """Trailing-365-day count, annualised, per community or per household."""

    def compute(m: MetricsView) -> float:
        total, days = m.ledger.trailing(count, DAYS_PER_YEAR)
        units = m.layout.n_communities if per == "community" else m.households.n
        return total * DAYS_PER_YEAR / days / units

    return compute


def _staff_weighted(field: str, staff: str = "grid_teams") -> Callable[[MetricsView], float]:
    def compute(m: MetricsView) -> float:
        teams = getattr(m, staff)
        weights = teams.assignment.staff_per_team
        if weights.sum() == 0:
            return float("nan")
        # A sum, not a dot product: BLAS picks its kernel (and so its order of additions)
        # by CPU, and the record must be the same to the bit on every machine.
        return float(np.add.reduce(getattr(teams, field) * weights) / weights.sum())

    return compute


def _days_to_serve(m: MetricsView) -> float:
    served, _ = m.ledger.trailing("services_resolved", WINDOW)
    days, _ = m.ledger.trailing("service_days", WINDOW)
    return days / served if served else float("nan")


def _quarter(m: MetricsView, largest: bool) -> np.ndarray:
    """The quarter of communities (at least one) with the most, or fewest, households."""
    ranked = m.layout.size_rank()
    k = max(1, -(-ranked.size // 4))
    return ranked[-k:] if largest else ranked[:k]


def _escalations_in_quarter(largest: bool) -> Callable[[MetricsView], float]:
    def compute(m: MetricsView) -> float:
        escalated, days = m.ledger.trailing_by_community("escalated", WINDOW)
        quarter = _quarter(m, largest)
        households = m.layout.community_size[quarter].sum()
        return float(escalated[quarter].sum()) * DAYS_PER_YEAR / days * 1000.0 / households

    return compute


def _backlog_dispersion(m: MetricsView) -> float:
    layout = m.layout
    backlog = np.bincount(
        layout.community[m.issues.open_households()], minlength=layout.n_communities
    )
    per_household = backlog / layout.community_size
    # np.mean and np.std's own arithmetic (sum, divide; squared deviations, sum, divide,
    # root) without their Python layers, which cost more than the sums on a few communities.
    n = per_household.size
    mean = np.add.reduce(per_household) / n
    deviation = per_household - mean
    spread = np.sqrt(np.add.reduce(deviation * deviation) / n)
    return float(spread / mean) if mean > 0 else 0.0


def _community_staff_cost(m: MetricsView) -> float:
    counts = {"community_staff": m.community.n_staff}
    return yearly_cost(counts, m.params.staffing) / m.households.n


def _staff_cost(m: MetricsView) -> float:
    counts = {
        "grid_worker": m.grid_teams.n_workers,
        "legal_advisor": m.legal.n_advisors,
        "social_worker": m.social.n_social_workers,
    }
    return yearly_cost(counts, m.params.staffing) / m.households.n


class Metrics(tuple):
    """The registry's metrics in order: a tuple (iterate, index by position) that is also
    indexable by name, ``METRICS["mean_trust"]``, so notebooks need not build a dict."""

    __slots__ = ()

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            for metric in self:
                if metric.name == key:
                    return metric
            raise KeyError(f"unknown metric {key!r}")
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            return any(metric.name == key for metric in self)
        return super().__contains__(key)


METRICS: tuple[Metric, ...] = (
    Metric(
        name="issues_raised",
        label_en="Issues raised",
        label_zh="新发事项",
        unit="issues/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Disputes, service requests, violations and public topics raised today.",
        definition_zh="当天新提出的矛盾纠纷、服务诉求、违规行为和公共议题。",
        kind="count",
        better="",
        compute=_today("raised"),
    ),
    Metric(
        name="issues_resolved",
        label_en="Issues resolved",
        label_zh="已化解事项",
        unit="issues/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Issues resolved today by a channel: neighbours, staff, councils, party "
        "visits or courts (issues that faded unhandled are not counted).",
        definition_zh="当天经渠道化解的事项（邻里、工作人员、议事会、党员干部、法院）；"
        "无人处理而自行消解的事项不计入。",
        kind="count",
        better="higher",
        compute=_today("resolved"),
    ),
    Metric(
        name="issues_escalated",
        label_en="Issues escalated",
        label_zh="越级上访事项",
        unit="issues/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Issues taken beyond the grassroots today (越级上访).",
        definition_zh="当天越过基层反映的事项（越级上访）。",
        kind="count",
        better="lower",
        compute=_today("escalated"),
    ),
    Metric(
        name="open_issues",
        headline=10,
        label_en="Open issues",
        label_zh="未结事项",
        unit="issues",
        unit_zh="件",
        relative_threshold=0.05,
        definition="Issues raised and neither resolved nor escalated, at the end of the day.",
        definition_zh="当天结束时既未化解也未越级的事项数。",
        kind="level",
        better="lower",
        compute=lambda m: float(m.issues.n),
        tags=("dashboard_kpi",),
    ),
    Metric(
        name="resolution_rate",
        headline=2,
        label_en="Resolution rate (fading excluded)",
        label_zh="化解率（不含自行消解）",
        unit="share",
        unit_zh="比例",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition=f"Resolved by a channel / (resolved by a channel + escalated) over the "
        f"trailing {WINDOW} days; issues that faded unhandled count as neither.",
        definition_zh=f"近{WINDOW}天渠道化解 ÷（渠道化解 + 越级上访）；"
        "无人处理而自行消解的事项既不算化解，也不计入分母。",
        kind="level",
        better="higher",
        compute=_resolution_rate,
        tags=("key", "analysis", "dashboard_series", "dashboard_kpi"),
    ),
    Metric(
        name="mean_days_to_resolve",
        headline=3,
        label_en="Days to resolve",
        label_zh="平均化解天数",
        unit="days",
        unit_zh="天",
        threshold=0.5,
        definition=f"Mean age of the issues resolved by a channel in the trailing {WINDOW} "
        "days (faded issues excluded).",
        definition_zh=f"近{WINDOW}天经渠道化解的事项从提出到化解的平均天数（不含自行消解）。",
        kind="level",
        better="lower",
        compute=_days_to_resolve,
        tags=("key", "dashboard_kpi"),
    ),
    Metric(
        name="escalations_per_1000_households_year",
        headline=1,
        label_en="Escalations per 1,000 households a year",
        label_zh="每千户年越级上访数",
        unit="per 1,000 households-year",
        unit_zh="件/千户·年",
        threshold=0.5,
        definition=f"Escalations in the trailing {WINDOW} days, annualised, per 1,000 households.",
        definition_zh=f"近{WINDOW}天越级上访数，折算为每千户每年。",
        kind="level",
        better="lower",
        compute=_escalation_rate,
        tags=("key", "analysis", "dashboard_series", "dashboard_kpi"),
    ),
    Metric(
        name="disputes",
        label_en="Disputes",
        label_zh="矛盾纠纷",
        unit="issues/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Disputes raised today.",
        definition_zh="当天新发的矛盾纠纷。",
        kind="count",
        better="lower",
        compute=_today("disputes"),
    ),
    Metric(
        name="violations",
        label_en="Violations",
        label_zh="违规行为",
        unit="issues/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Minor violations committed today.",
        definition_zh="当天发生的轻微违规行为。",
        kind="count",
        better="lower",
        compute=_today("violations"),
    ),
    Metric(
        name="service_requests",
        label_en="Service requests",
        label_zh="服务诉求",
        unit="issues/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Requests for help raised today.",
        definition_zh="当天新提出的求助诉求。",
        kind="count",
        better="",
        compute=_today("service_requests"),
    ),
    Metric(
        name="public_topics",
        label_en="Public topics",
        label_zh="公共议题",
        unit="issues/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Shared concerns raised today.",
        definition_zh="当天新提出的共同关心的问题。",
        kind="count",
        better="",
        compute=_today("public_topics"),
    ),
    Metric(
        name="mediations",
        label_en="Mediations",
        label_zh="调解次数",
        unit="cases/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Disputes mediated today by grid workers, community staff and legal advisors.",
        definition_zh="当天由网格员、社区工作人员和法律顾问调解的纠纷。",
        kind="count",
        better="",
        compute=_today("mediations"),
    ),
    Metric(
        name="legal_mediations",
        label_en="Legal-advisor mediations",
        label_zh="法律顾问参与调解",
        unit="cases/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Disputes mediated today by legal advisors (part of mediations).",
        definition_zh="当天由法律顾问调解的纠纷（属于调解次数的一部分）。",
        kind="count",
        better="",
        compute=_today("legal_mediations"),
    ),
    Metric(
        name="informal_settlements",
        label_en="Informal settlements",
        label_zh="邻里自行化解",
        unit="cases/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Disputes and violations settled between neighbours today.",
        definition_zh="当天由邻里之间自行化解的纠纷和违规行为。",
        kind="count",
        better="higher",
        compute=_today("informal_settlements"),
    ),
    Metric(
        name="enforcements",
        label_en="Enforcements",
        label_zh="执法处置",
        unit="cases/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Violations sanctioned today (on the spot or after a report).",
        definition_zh="当天受到处置的违规行为（当场查处或接报后处置）。",
        kind="count",
        better="",
        compute=_today("enforcements"),
    ),
    Metric(
        name="referrals",
        label_en="Referrals",
        label_zh="转办",
        unit="cases/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Issues passed from one channel to another today.",
        definition_zh="当天从一个渠道转到另一个渠道的事项。",
        kind="count",
        better="",
        compute=_today("referrals"),
    ),
    Metric(
        name="referrals_lost",
        label_en="Lost referrals",
        label_zh="转办流失",
        unit="cases/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Referrals that never arrived today: the household is left on its own.",
        definition_zh="当天转办途中流失的事项（住户被撂在一边）。",
        kind="count",
        better="lower",
        compute=_today("referrals_lost"),
    ),
    Metric(
        name="deliberations_held",
        label_en="Council meetings",
        label_zh="议事会召开次数",
        unit="meetings/day",
        unit_zh="场/天",
        relative_threshold=0.05,
        definition="Deliberation council meetings held today.",
        definition_zh="当天召开的议事会会议。",
        kind="count",
        better="",
        compute=_today("deliberations"),
    ),
    Metric(
        name="deliberation_topics_resolved",
        label_en="Council topics resolved",
        label_zh="议事会议题办结",
        unit="topics/day",
        unit_zh="项/天",
        relative_threshold=0.05,
        definition="Public topics settled by councils today.",
        definition_zh="当天由议事会议定解决的公共议题。",
        kind="count",
        better="higher",
        compute=_today("topics_resolved"),
    ),
    Metric(
        name="jury_hearings",
        label_en="Public jury hearings",
        label_zh="公众评判庭评判案件",
        unit="disputes/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Disputes that failed mediation heard by a public jury today (ODD 7.17).",
        definition_zh="当天由公众评判庭评判的调解未成纠纷(ODD 7.17)。",
        kind="count",
        better="",
        compute=_today("jury_hearings"),
    ),
    Metric(
        name="jury_settlements",
        label_en="Disputes settled by public juries",
        label_zh="公众评判庭化解纠纷",
        unit="disputes/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Disputes a public jury settled today, before their court judgment (ODD 7.17).",
        definition_zh="当天经公众评判庭化解、无需等待法院判决的纠纷(ODD 7.17)。",
        kind="count",
        better="higher",
        compute=_today("jury_settlements"),
    ),
    Metric(
        name="advisor_sittings",
        label_en="Sittings attended by legal advisors",
        label_zh="法律顾问列席议事与评判",
        unit="sittings/day",
        unit_zh="场/天",
        relative_threshold=0.05,
        definition="Council meetings and jury sittings a legal advisor attended today, each "
        "taking advisor time from their queue (ODD 7.18).",
        definition_zh="当天有法律顾问列席的议事会和公众评判庭场次;列席占用顾问办案时间(ODD 7.18)。",
        kind="count",
        better="",
        compute=_today("advisor_sittings"),
    ),
    Metric(
        name="rules_strength",
        label_en="Resident rules strength",
        label_zh="居规民约效力",
        unit="0-1",
        unit_zh="0–1",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition="Households' mean strength of their community's resident rules: revised "
        "at councils and eroding between revisions with rules revision on, the fixed "
        "resident_rules otherwise (ODD 7.19).",
        definition_zh="住户所在社区居规民约效力的均值:启用修订时在议事会上修订、两次修订之间"
        "逐渐减弱;否则为固定的 resident_rules(ODD 7.19)。",
        kind="level",
        better="higher",
        compute=lambda m: m.rules.mean_strength(),
    ),
    Metric(
        name="council_decisions",
        label_en="Council decisions published",
        label_zh="议事决议公示",
        unit="topics/day",
        unit_zh="项/天",
        relative_threshold=0.05,
        definition='Topics a "1+7+X" joint council decided and published today, after '
        "investigation; carried out or not at follow-up (ODD 7.10).",
        definition_zh="当天“1+7+X”议事会经议前调研后议定并公示的议题,无论跟踪落实是否成功"
        "(ODD 7.10)。",
        kind="count",
        better="",
        compute=_today("council_decisions"),
    ),
    Metric(
        name="follow_up_failures",
        label_en="Council decisions not carried out",
        label_zh="议事决议未落实",
        unit="topics/day",
        unit_zh="项/天",
        relative_threshold=0.05,
        definition="Published joint-council decisions found not carried out at follow-up "
        "today; the topic returns to the agenda and its raiser and grid lose trust (ODD 7.10).",
        definition_zh="当天跟踪落实时发现未落实的已公示议事决议;议题重回议程,提出住户及其网格"
        "信任下降(ODD 7.10)。",
        kind="count",
        better="lower",
        compute=_today("follow_up_failures"),
    ),
    Metric(
        name="party_visits",
        label_en="Party leadership visits",
        label_zh="党员干部下沉办理",
        unit="cases/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Stuck cases taken up by party branch visits today.",
        definition_zh="当天党组织下沉走访接手办理的久拖事项。",
        kind="count",
        better="",
        compute=_today("party_visits"),
    ),
    Metric(
        name="legal_lectures",
        label_en="Legal lectures",
        label_zh="法治讲座",
        unit="lectures/day",
        unit_zh="场/天",
        relative_threshold=0.05,
        definition="Legal lectures given by legal advisors today.",
        definition_zh="当天法律顾问开展的法治讲座。",
        kind="count",
        better="",
        compute=_today("legal_lectures"),
    ),
    Metric(
        name="mean_norm",
        label_en="Civic norm",
        label_zh="道德规范水平",
        unit="0-1",
        unit_zh="0–1",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition="Mean civic and moral norm of households.",
        definition_zh="住户的平均公民道德规范水平。",
        kind="level",
        better="higher",
        compute=_mean("norm"),
    ),
    Metric(
        name="mean_legal_awareness",
        label_en="Legal awareness",
        label_zh="法治意识",
        unit="0-1",
        unit_zh="0–1",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition="Mean legal awareness of households.",
        definition_zh="住户的平均法治意识。",
        kind="level",
        better="higher",
        compute=_mean("legal_awareness"),
    ),
    Metric(
        name="mean_trust",
        headline=4,
        label_en="Trust",
        label_zh="基层信任度",
        unit="0-1",
        unit_zh="0–1",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition="Mean trust of households in grassroots governance.",
        definition_zh="住户对基层治理的平均信任度。",
        kind="level",
        better="higher",
        compute=_mean("trust"),
        tags=("key", "analysis", "dashboard_series", "dashboard_kpi"),
    ),
    Metric(
        name="mean_engagement",
        label_en="Engagement",
        label_zh="参与意愿",
        unit="0-1",
        unit_zh="0–1",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition="Mean willingness of households to take part in self-governance.",
        definition_zh="住户参与自治的平均意愿。",
        kind="level",
        better="higher",
        compute=_mean("engagement"),
    ),
    Metric(
        name="mean_deterrence",
        label_en="Perceived detection",
        label_zh="感知查处概率",
        unit="0-1",
        unit_zh="0–1",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition="Mean perceived probability that a violation is caught.",
        definition_zh="住户对违规被查处概率的平均感知。",
        kind="level",
        better="",
        compute=_mean("deterrence"),
    ),
    Metric(
        name="satisfaction",
        headline=5,
        label_en="Satisfaction",
        label_zh="群众满意度",
        unit="0-1",
        unit_zh="0–1",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition="Mean satisfaction: trust, security and not waiting on an old issue.",
        definition_zh="平均满意度：信任、安全感，以及没有久拖未决的事项。",
        kind="level",
        better="higher",
        compute=_mean("satisfaction"),
        tags=("key", "analysis", "dashboard_kpi"),
    ),
    Metric(
        name="security",
        headline=6,
        label_en="Sense of security",
        label_zh="安全感",
        unit="0-1",
        unit_zh="0–1",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition="Mean perceived security: 1 minus exposure to unchecked violations nearby.",
        definition_zh="平均安全感：1 减去身边未被制止的违规行为的影响。",
        kind="level",
        better="higher",
        compute=_mean("security"),
        tags=("key", "analysis"),
    ),
    Metric(
        name="participation_rate",
        headline=7,
        label_en="Participation rate",
        label_zh="参与率",
        unit="share of households",
        unit_zh="住户比例",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition="Households that took part in self-governance (council meeting, public-jury "
        "service, volunteering, putting a topic on the agenda) in the trailing 365 days.",
        definition_zh="近365天参与过自治（议事会、公众评判庭评判、志愿服务、提出议题）的住户比例。",
        kind="level",
        better="higher",
        compute=_participation,
        tags=("key", "dashboard_series"),
    ),
    Metric(
        name="volunteer_hours_per_volunteer_year",
        headline=8,
        label_en="Volunteer hours per volunteer a year",
        label_zh="志愿者人均年服务时长",
        unit="hours/volunteer-year",
        unit_zh="小时/志愿者·年",
        threshold=1.0,
        definition=(
            "Volunteer hours in the trailing 365 days, annualised, per registered volunteer."
        ),
        definition_zh="近365天志愿服务时长，折算为每名注册志愿者每年。",
        kind="level",
        better="higher",
        compute=_volunteer_hours,
        tags=("key", "dashboard_series"),
    ),
    Metric(
        name="integrity_standing",
        label_en="Integrity standing",
        label_zh="诚信积分水平",
        unit="share of full points",
        unit_zh="占满分比例",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition="Mean integrity points (诚信积分) of households as a share of full points "
        "(1 without the practice: nobody loses points).",
        definition_zh="各户诚信积分平均值占满分的比例（未实行诚信积分时为1：无人扣分）。",
        kind="level",
        better="higher",
        compute=_mean("integrity"),
    ),
    Metric(
        name="integrity_deductions",
        label_en="Integrity-point deductions",
        label_zh="诚信积分扣分次数",
        unit="deductions/day",
        unit_zh="次/天",
        relative_threshold=0.05,
        definition="Deductions of integrity points on the day: one for each sanctioned "
        "violation and each escalation (0 without the practice).",
        definition_zh="当日诚信积分扣分次数：每起受处罚的违规、每次越级上访各一次（未实行时为0）。",
        kind="count",
        better="lower",
        compute=_today("integrity_deductions"),
    ),
    Metric(
        name="moral_reviewers",
        label_en="Moral-review panellists",
        label_zh="道德评议会评议人数",
        unit="residents/day",
        unit_zh="人/天",
        relative_threshold=0.05,
        definition="Residents sitting on moral review panels (道德评议会) on the day (on "
        "sitting days; 0 without the practice).",
        definition_zh="当天参加道德评议会评议的居民人数（仅评议日；未实行时为0）。",
        kind="count",
        better="",
        compute=_today("moral_reviewers"),
    ),
    Metric(
        name="credits_redeemed",
        label_en="Moral-bank credits redeemed",
        label_zh="道德银行积分兑换量",
        unit="credits/day",
        unit_zh="分/天",
        relative_threshold=0.05,
        definition="Moral-bank credits spent on goods and services on the day (monthly, on "
        "the month's last day; 0 without redemption).",
        definition_zh="当天用于兑换物品和服务的道德银行积分（每月最后一天兑换；未实行兑换时为0）。",
        kind="count",
        better="",
        compute=_today("credits_redeemed"),
    ),
    Metric(
        name="service_requests_per_household_year",
        label_en="Service requests per household a year",
        label_zh="户均年服务诉求",
        unit="requests/household-year",
        unit_zh="件/户·年",
        threshold=0.03,
        definition="Service requests raised in the trailing 365 days, annualised, per household "
        "(compare: Beijing 12345 action requests).",
        definition_zh="近365天提出的服务诉求，折算为每户每年（可对照北京12345接诉即办的诉求量）。",
        kind="level",
        better="",
        compute=_annual("service_requests", "household"),
    ),
    Metric(
        name="legal_mediations_per_community_year",
        label_en="Legal-advisor mediations per community a year",
        label_zh="每社区年法律顾问调解数",
        unit="cases/community-year",
        unit_zh="件/社区·年",
        threshold=1.0,
        definition=(
            "Disputes mediated by legal advisors in the trailing 365 days, annualised, "
            "per community."
        ),
        definition_zh="近365天法律顾问调解的纠纷，折算为每个社区每年。",
        kind="level",
        better="",
        compute=_annual("legal_mediations", "community"),
    ),
    Metric(
        name="legal_lectures_per_community_year",
        label_en="Legal lectures per community a year",
        label_zh="每社区年法治讲座数",
        unit="lectures/community-year",
        unit_zh="场/社区·年",
        threshold=0.5,
        definition="Legal lectures given in the trailing 365 days, annualised, per community.",
        definition_zh="近365天开展的法治讲座，折算为每个社区每年。",
        kind="level",
        better="",
        compute=_annual("legal_lectures", "community"),
    ),
    Metric(
        name="grid_worker_utilisation",
        headline=9,
        label_en="Grid-worker utilisation",
        label_zh="网格员工作负荷",
        unit="share of time",
        unit_zh="时间占比",
        bounds=(0.0, 1.0),
        threshold=0.02,
        definition="Share of grid workers' time spent on admin tasks and cases today.",
        definition_zh="网格员当天用于行政事务和办理事项的时间比例。",
        kind="level",
        better="",
        compute=_staff_weighted("utilisation"),
        tags=("key", "dashboard_series"),
    ),
    Metric(
        name="grid_worker_burnout",
        label_en="Grid-worker burnout",
        label_zh="网格员倦怠",
        unit="0-1",
        unit_zh="0–1",
        bounds=(0.0, 1.0),
        threshold=0.02,
        definition="Mean burnout of grid workers (lowers their capacity).",
        definition_zh="网格员的平均倦怠程度（倦怠会降低办事能力）。",
        kind="level",
        better="lower",
        compute=_staff_weighted("burnout"),
    ),
    Metric(
        name="staff_cost",
        label_en="Staff cost",
        label_zh="人员成本",
        unit="yuan per household-year",
        unit_zh="元/户·年",
        threshold=5.0,
        definition="Grid workers, legal advisors and social workers, per household per year "
        "(community staff: community_staff_cost).",
        definition_zh="网格员、法律顾问和社工的人员成本，折算为每户每年（社区工作人员另计）。",
        kind="level",
        better="lower",
        compute=_staff_cost,
    ),
    Metric(
        name="issues_faded",
        label_en="Issues faded",
        label_zh="自行消解事项",
        unit="issues/day",
        unit_zh="件/天",
        relative_threshold=0.05,
        definition="Unreported issues that faded today without anyone handling them; counted "
        "neither as resolved nor as escalated.",
        definition_zh="当天无人处理、自行消解的未报告事项；既不算化解，也不算越级上访。",
        kind="count",
        better="",
        compute=_today("faded"),
    ),
    Metric(
        name="mean_days_to_serve",
        headline=13,
        label_en="Days to serve a request",
        label_zh="服务诉求平均办结天数",
        unit="days",
        unit_zh="天",
        threshold=0.5,
        definition=f"Mean age of the service requests resolved in the trailing {WINDOW} days.",
        definition_zh=f"近{WINDOW}天办结的服务诉求从提出到办结的平均天数。",
        kind="level",
        better="lower",
        compute=_days_to_serve,
        tags=("key",),
    ),
    Metric(
        name="community_staff_utilisation",
        label_en="Community-staff utilisation",
        label_zh="社区工作人员工作负荷",
        unit="share of time",
        unit_zh="时间占比",
        bounds=(0.0, 1.0),
        threshold=0.02,
        definition="Share of community staff's time spent on tasks sent down and on residents' "
        "cases today.",
        definition_zh="社区工作人员当天用于上级下派事务和办理居民事项的时间比例。",
        kind="level",
        better="",
        compute=_staff_weighted("utilisation", "community"),
    ),
    Metric(
        name="escalations_largest_quarter",
        headline=11,
        label_en="Escalations per 1,000 households a year, largest quarter of communities",
        label_zh="规模最大四分之一社区每千户年越级上访数",
        unit="per 1,000 households-year",
        unit_zh="件/千户·年",
        threshold=0.5,
        definition=f"Escalations in the trailing {WINDOW} days from the quarter of communities "
        "with the most households, annualised, per 1,000 of their households.",
        definition_zh=f"户数最多的四分之一社区近{WINDOW}天越级上访数，折算为每千户每年。",
        kind="level",
        better="lower",
        compute=_escalations_in_quarter(largest=True),
        tags=("key",),
    ),
    Metric(
        name="escalations_smallest_quarter",
        label_en="Escalations per 1,000 households a year, smallest quarter of communities",
        label_zh="规模最小四分之一社区每千户年越级上访数",
        unit="per 1,000 households-year",
        unit_zh="件/千户·年",
        threshold=0.5,
        definition=f"Escalations in the trailing {WINDOW} days from the quarter of communities "
        "with the fewest households, annualised, per 1,000 of their households.",
        definition_zh=f"户数最少的四分之一社区近{WINDOW}天越级上访数，折算为每千户每年。",
        kind="level",
        better="lower",
        compute=_escalations_in_quarter(largest=False),
    ),
    Metric(
        name="backlog_dispersion",
        headline=12,
        label_en="Spread of backlog across communities",
        label_zh="各社区未结事项离散系数",
        unit="coefficient of variation",
        unit_zh="离散系数",
        threshold=0.05,
        definition="Standard deviation over mean, across communities, of open issues per "
        "household (0 when nothing is open anywhere).",
        definition_zh="各社区每户未结事项数的标准差 ÷ 平均值（各处均无未结事项时为0）。",
        kind="level",
        better="lower",
        compute=_backlog_dispersion,
        tags=("key",),
    ),
    Metric(
        name="social_credibility",
        label_en="Social-organisation credibility",
        label_zh="社会组织公信力",
        unit="0-1",
        unit_zh="0–1",
        bounds=(0.0, 1.0),
        threshold=0.01,
        definition="Mean credibility of social organisations with the residents they serve.",
        definition_zh="社会组织在其服务居民中的平均公信力。",
        kind="level",
        better="higher",
        compute=lambda m: float(np.add.reduce(m.social.credibility) / m.social.credibility.size),
    ),
    Metric(
        name="community_staff_cost",
        label_en="Community-staff cost",
        label_zh="社区工作人员成本",
        unit="yuan per household-year",
        unit_zh="元/户·年",
        threshold=5.0,
        definition="Community staff (社区工作人员), per household per year.",
        definition_zh="社区工作人员的人员成本，折算为每户每年。",
        kind="level",
        better="lower",
        compute=_community_staff_cost,
    ),
)
METRICS = Metrics(METRICS)  # sim.METRICS["mean_trust"] as well as sim.METRICS[0]

REGISTRY: dict[str, Metric] = {m.name: m for m in METRICS}


def tagged(tag: str) -> tuple[str, ...]:
    """Names of the metrics carrying ``tag`` (a key of ``TAGS``), headline first."""
    if tag not in TAGS:
        raise ValueError(f"unknown metric tag {tag!r}; known: {list(TAGS)}")
    return tuple(m.name for m in sorted(METRICS, key=lambda m: m.headline) if tag in m.tags)


KEY_METRICS = tagged("key")
