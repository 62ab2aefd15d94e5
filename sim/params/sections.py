"""The parameter sections of a scenario: every lever with default, range, unit and source.

Rates given "per household per year" are converted to daily hazards by the model
(one step is one day).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..sizes import largest_share, lognormal_sigma
from .base import (
    ParameterError,
    Section,
    daily_rate,
    interval_days,
    logit_weight,
    param,
    per_household_year,
    probability,
    share,
    unit_interval,
    yuan_per_year,
)

# Source keys of docs/sources.md (the five reports are ../shared/seeds/000-004); a source
# is "assumption ..." or cites at least one [key] (tests/test_sources.py).
KUNSHAN = "[kunshan2022]"
HANDAN = "[handan2024]"
JINCHANG = "[jinchang2018]"
SUZHOU = "[suzhou2016]"
ZHONGSHAN = "[zhongshan2020]"
# Fitted by `sanzhi calibrate scenarios/kunshan_2021.toml` (docs/calibration.md).
FITTED = "fitted (docs/calibration.md) to "


@dataclass(frozen=True)
class ScenarioInfo(Section):
    name: str = param("baseline", doc="Scenario name used in reports.")
    description: str = param("", doc="One line on what the scenario represents.")
    steps: int = param(365, unit="days", low=1, high=36500, doc="Days to simulate.")
    seed: int = param(20240501, low=0, high=2**63 - 1, doc="Root seed; replications spawn from it.")
    replications: int = param(
        10, low=1, high=100000, doc="Independent runs per parameter set (seeds spawned)."
    )
    warmup_days: int = param(
        0,
        unit="days",
        low=0,
        high=36500,
        doc="Days simulated before day 0 of the record and left out of the time series and "
        "summaries (the drift from the initial state); the timeline counts from day 0.",
    )

    @property
    def days(self) -> int:
        """Days a run simulates: the warm-up, then the recorded ``steps``."""
        return self.warmup_days + self.steps


@dataclass(frozen=True)
class NetworkParams(Section):
    kind: str = param(
        "small_world",
        choices=("small_world", "ring"),
        doc="small_world: ring lattice over households ordered by grid, edges rewired to "
        "random households with probability `rewire` (Watts-Strogatz); ring: no rewiring.",
    )
    mean_degree: int = param(
        8, unit="ties per household", low=2, high=64, doc="Even number of social ties."
    )
    rewire: float = probability(0.1, doc="Share of ties that are long-range.")


@dataclass(frozen=True)
class Population(Section):
    households: int = param(
        10000,
        unit="households",
        low=20,
        high=5_000_000,
        doc="Households simulated (the sample or whole city).",
    )
    households_per_grid: int = param(
        400,
        unit="households",
        low=10,
        high=20000,
        source=KUNSHAN + " (Jiangsu's standard as it quotes: 300—500户、1000—1500人)",
        doc="Households per grid (网格): each community is cut into grids of about this size.",
    )
    households_per_community: int = param(
        2000,
        unit="households",
        low=10,
        high=200000,
        source=KUNSHAN + " (recommended 2,000, at most 3,000)",
        doc="Mean households per community or village (社区/村).",
    )
    community_sizes: tuple[int, ...] = param(
        (),
        unit="households",
        low=1,
        high=10_000_000,
        doc="Households of each community, in order (empty: drawn, see "
        "large_community_share); scaled to population.households if the total differs.",
    )
    large_community_share: float = share(
        0.0,
        of="communities",
        high=0.9,
        doc="Share of communities above large_community_households: community sizes are "
        "lognormal with mean households_per_community; 0 = all of one size.",
        source=KUNSHAN + ": 41 of 221 urban communities above 5,000 households",
    )
    large_community_households: int = param(
        5000,
        unit="households",
        low=10,
        high=1_000_000,
        doc="What counts as a large community for large_community_share.",
        source=KUNSHAN + " (超过5000户、1.5万人口)",
    )
    largest_community_households: int = param(
        10000,
        unit="households",
        low=10,
        high=10_000_000,
        doc="Cap on drawn community sizes; the households above it go to the other communities.",
        source=KUNSHAN + " (部分社区人口将近3万人: about 10,000 households)",
    )
    party_member_share: float = share(
        0.06,
        of="households",
        doc="Households with a party member (one member each). About 7% of China's people "
        "are members ([cpc2022], [nbs2022]), which would put one in more households than "
        "this at 2.6-3 people a household; the level is not from a report.",
    )
    active_party_share: float = share(
        0.7,
        of="resident party members",
        doc="Party members living and working in the community who are still active "
        "(ageing membership: the rest no longer serve).",
        source=HANDAN + " (党员老龄化程度较为严重; level an assumption)",
    )
    in_service_party_share: float = share(
        0.4,
        of="party members",
        doc="Party members employed in a unit elsewhere (在职党员): they serve their home "
        "community only if registered there (dual_registration).",
    )
    dual_registration: float = share(
        0.5,
        of="in-service party members",
        doc="In-service party members who registered with and serve their home community (双报到).",
        source=HANDAN + " (双报到 制度仍需进一步完善; level an assumption)",
    )
    volunteer_share: float = share(
        0.18,
        of="households",
        doc="Households with a registered volunteer; the model gives each such household one "
        "volunteer, so volunteers per household equal this share (serving party members "
        "register too). Kunshan's 18.5% is of persons (0.55 volunteers a household at 3 "
        "people a household): at 0.18 the model has about a third of Kunshan's volunteers and "
        "volunteer hours per household (docs/sources.md, 'Units').",
        source=KUNSHAN + " (志愿者注册数量达38.66万人 / 常住人口209万 = 18.5% of persons, "
        "applied as a share of households)",
    )
    mean_norm: float = unit_interval(0.6, doc="Initial mean civic/moral norm.")
    mean_trust: float = unit_interval(0.6, doc="Initial mean trust in grassroots governance.")
    mean_legal_awareness: float = unit_interval(
        0.4, doc="Initial mean legal awareness; awareness relaxes back to it without lectures."
    )
    heterogeneity: float = param(
        8.0,
        unit="Beta concentration",
        low=1.0,
        high=1000.0,
        doc="Concentration of the Beta distributions of initial traits (higher = more alike).",
    )
    network: NetworkParams = field(default_factory=NetworkParams)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.community_sizes:
            if self.large_community_share > 0:
                raise ParameterError(
                    "large_community_share",
                    "a drawn share of large communities and a list of community_sizes "
                    "contradict each other",
                    "0 when community_sizes is given",
                )
            if len(self.community_sizes) > self.households:
                raise ParameterError(
                    "community_sizes",
                    f"{len(self.community_sizes)} communities need more than "
                    f"{self.households} households",
                    "no more communities than households",
                )
        elif self.large_community_share > 0 and (
            self.largest_community_households < self.households_per_community
        ):
            raise ParameterError(
                "largest_community_households",
                f"{self.largest_community_households:,} is below the mean community size "
                f"{self.households_per_community:,}",
                "at least households_per_community",
            )
        elif self.large_community_share > 0 and self.community_sigma() is None:
            mean, threshold = self.households_per_community, self.large_community_households
            most = largest_share(mean, threshold)
            raise ParameterError(
                "large_community_share",
                f"{self.large_community_share:g} of communities above {threshold:,} "
                f"households is more than sizes with mean {mean:,} can give",
                f"at most {most:.3f}, or a larger households_per_community",
            )

    def community_sigma(self) -> float | None:
        """Spread (sigma of the log) of drawn community sizes; None if they are all equal
        or the share cannot be reached."""
        if self.community_sizes or self.large_community_share <= 0:
            return None
        return lognormal_sigma(
            self.households_per_community,
            self.large_community_households,
            self.large_community_share,
        )


@dataclass(frozen=True)
class TimelineEntry(Section):
    """A policy change on the timeline (``[[timeline]]``, docs/timeline.md): ``set`` a key
    to ``value`` on ``day``; ``ramp`` it from ``from_value`` on ``start`` to ``value`` on
    ``end``; a ``campaign`` holds it at ``value`` from ``start`` until ``end``, when the
    value before it returns. Days count from day 0 of the record (after any warm-up).

    ``value`` and ``from_value`` take the key's own type and range; the parameters check
    them, and that the key may change mid-run (``sim.timeline.MID_RUN``), as a whole.
    """

    key: str = param("", doc="The parameter that changes, as section.key.")
    kind: str = param("set", choices=("set", "ramp", "campaign"), doc="How it changes.")
    day: int = param(-1, unit="day", low=-1, high=36500, doc="set: the day of the change.")
    start: int = param(-1, unit="day", low=-1, high=36500, doc="ramp, campaign: first day.")
    end: int = param(
        -1,
        unit="day",
        low=-1,
        high=36500,
        doc="ramp: day the value is reached; campaign: "
        "day it ends (the old value is back that day).",
    )
    value: object = param(None, doc="The value set, reached at the end of a ramp, or held.")
    from_value: object = param(None, doc="ramp: the value on its first day.")

    LOOSE = ("value", "from_value")  # typed by the key they set, checked by the parameters

    def __post_init__(self) -> None:
        for name in self.LOOSE:  # the generic check needs a type; these take the key's
            if isinstance(getattr(self, name), list):
                object.__setattr__(self, name, tuple(getattr(self, name)))
        super().__post_init__()
        if not self.key:
            raise ParameterError("key", "is missing", "a parameter as section.key")
        needs = {"set": ("day", "value"), "ramp": ("start", "end", "value", "from_value")}
        needs["campaign"] = ("start", "end", "value")
        for name in needs[self.kind]:
            if getattr(self, name) in (None, -1):
                raise ParameterError(name, f"is missing for a {self.kind}", "a value")
        unused = {"day", "start", "end", "from_value"} - set(needs[self.kind])
        for name in sorted(unused):
            if getattr(self, name) not in (None, -1):
                raise ParameterError(name, f"is not used by a {self.kind}", "no " + name)
        if self.kind != "set" and self.end <= self.start:
            raise ParameterError(
                "end", f"{self.end} is not after start {self.start}", "a day after start"
            )

    @property
    def first_day(self) -> int:
        return self.day if self.kind == "set" else self.start

    @property
    def last_day(self) -> int:
        return self.day if self.kind == "set" else self.end


@dataclass(frozen=True)
class StaffOverride(Section):
    """Staffing set by hand for some communities or grids (``[[staffing.overrides]]``).

    Exactly one selector (``communities``, ``grids``, ``communities_above`` or
    ``communities_below``) and at least one setting; a setting left at -1 is as allocated.
    Communities and grids are numbered from 1, as the dashboard labels them.
    """

    communities: tuple[int, ...] = param(
        (), unit="community numbers", low=1, high=10_000_000, doc="Communities, by number."
    )
    grids: tuple[int, ...] = param(
        (), unit="grid numbers", low=1, high=10_000_000, doc="Grids, by number."
    )
    communities_above: int = param(
        0,
        unit="households",
        low=0,
        high=10_000_000,
        doc="Communities with more than this many households (0: not used).",
    )
    communities_below: int = param(
        0,
        unit="households",
        low=0,
        high=10_000_000,
        doc="Communities with fewer than this many households (0: not used).",
    )
    grid_workers: int = param(
        -1, unit="grid workers", low=-1, high=10_000, doc="Grid workers in each selected grid."
    )
    community_staff: int = param(
        -1,
        unit="staff",
        low=-1,
        high=100_000,
        doc="Community staff in each selected community (not with a grids selector).",
    )
    police_per_grid: float = param(
        -1.0, unit="officers", low=-1.0, high=1.0, doc="Grid police presence in each grid."
    )
    helpers_per_grid: float = param(
        -1.0, unit="helpers", low=-1.0, high=10_000.0, doc="Helpers in each grid."
    )

    SELECTORS = ("communities", "grids", "communities_above", "communities_below")
    SETTINGS = ("grid_workers", "community_staff", "police_per_grid", "helpers_per_grid")

    def __post_init__(self) -> None:
        super().__post_init__()
        chosen = [name for name in self.SELECTORS if getattr(self, name)]
        if len(chosen) != 1:
            raise ParameterError(
                chosen[1] if chosen else "communities",
                "needs exactly one selector" + (f", got {', '.join(chosen)}" if chosen else ""),
                "one of " + ", ".join(self.SELECTORS),
            )
        if all(getattr(self, name) < 0 for name in self.SETTINGS):
            raise ParameterError(
                "grid_workers", "sets nothing", "at least one of " + ", ".join(self.SETTINGS)
            )
        if self.grids and self.community_staff >= 0:
            raise ParameterError(
                "community_staff",
                "is set per community, not per grid",
                "a communities selector for community_staff",
            )

    @property
    def selector(self) -> str:
        return next(name for name in self.SELECTORS if getattr(self, name))


@dataclass(frozen=True)
class Staffing(Section):
    households_per_grid_worker: float = param(
        400.0,
        unit="households",
        low=20.0,
        high=100000.0,
        source=KUNSHAN + ": 1,654 comprehensive grids where the 300-500-household standard "
        "needs 2,024, one full-time grid worker (专职网格员) each: 696,667 / 1,654 = 421 "
        "households per worker; the 110-150 households per staff member is for community "
        "staff, not grid workers",
        doc="Households per full-time grid worker (专职网格员); fewer means more staff.",
    )
    admin_load: float = share(
        0.3,
        of="working time",
        high=0.95,
        doc="Top-down administrative tasks that take grid workers' time from residents.",
        source=HANDAN + " (tasks beyond the grid's remit take much of its time); level an "
        "assumption",
    )
    patrol_time: float = param(
        1.0,
        unit="times the usual",
        low=0.0,
        high=3.0,
        doc="Grid workers' patrol time relative to the usual (a grid worker's split between "
        "patrols and desk cases): patrol discovery scales with it, and the time comes from "
        "or goes to the cases (the share usual_patrol_share of the time left after admin "
        "tasks).",
        source="assumption (the split of a grid worker's time; no report gives it)",
    )
    usual_patrol_share: float = param(
        0.3,
        unit="share of time after admin tasks",
        low=0.0,
        high=0.33,
        doc="Share of a grid worker's time after admin tasks that patrols take at "
        "patrol_time = 1 (at most 0.33, so that three times the usual still leaves time "
        "for cases).",
    )
    serve_first: str = param(
        "oldest",
        choices=("oldest", "disputes", "services"),
        doc="Whom the grid desk serves first: the oldest case, or disputes or service "
        "requests before all others (oldest first within each).",
        source="assumption (a classroom decision: 先办哪类事项)",
    )
    grid_worker_cases_per_day: float = param(
        2.0,
        unit="cases per worker-day",
        low=0.05,
        high=50.0,
        doc="Cases a grid worker can take to closure in a full day without admin tasks.",
    )
    allocation: str = param(
        "equal",
        choices=("equal", "households", "need"),
        doc="How grid workers are spread over grids and community staff over communities: "
        "equally (community staff: as their rule sets them), in proportion to households, "
        "or by need (starting as equal, then by households and backlog every "
        "reallocation_days).",
        source=HANDAN + " (资源分配不均衡: some communities lack grid workers)",
    )
    need_share: float = share(
        0.5,
        of="staff",
        doc="Under need allocation, the share of staff spread by backlog; the rest follows "
        "households.",
    )
    reallocation_days: int = param(
        30, unit="days", low=1, high=365, doc="Days between revisions of need allocation."
    )
    overrides: tuple[StaffOverride, ...] = param(
        (),
        doc="Staffing set by hand for selected communities or grids (an array of tables; "
        "see StaffOverride): overridden units keep it, the rest are allocated as before.",
    )
    grid_leader_time: float = share(
        0.2,
        of="a community cadre's time",
        doc="Time the grid leader (网格长, a community staff member) gives to the grid; it is "
        "taken from community work.",
        source=KUNSHAN + " (1+3+N: 网格长由村(社区)干部兼任); level an assumption",
    )
    police_per_grid: float = param(
        0.5,
        unit="officers",
        low=0.0,
        high=1.0,
        doc="Grid police presence (网格警务员, a community police officer, 社区民警); 1 = one "
        "officer for each grid.",
        source=KUNSHAN + " (1+3+N); level an assumption",
    )
    helpers_per_grid: float = param(
        5.0,
        unit="helpers",
        low=0.0,
        high=1000.0,
        doc="Grid helpers (网格辅助员: building heads, property staff, social workers, "
        "volunteers): they raise patrol discovery and reporting.",
        source=KUNSHAN + " (1+3+N); level an assumption",
    )
    community_staff_rule: str = param(
        "per_community",
        choices=("per_community", "per_households"),
        doc="How many community staff (社区工作人员): a number per community, or one per "
        "households_per_community_staff households with at least min_community_staff.",
        source=KUNSHAN + " (today 8-10 whatever the size; recommended one per 110-150 households)",
    )
    community_staff_per_community: float = param(
        9.0,
        unit="staff",
        low=0.0,
        high=1000.0,
        doc="Community staff per community under the per_community rule.",
        source=KUNSHAN + " (communities of 20,000-30,000 people have only 8-10 staff)",
    )
    households_per_community_staff: float = param(
        130.0,
        unit="households",
        low=10.0,
        high=100000.0,
        doc="Households per community staff member under the per_households rule.",
        source=KUNSHAN + " (recommended: one per 110-150 households)",
    )
    min_community_staff: int = param(
        9,
        unit="staff",
        low=0,
        high=1000,
        doc="Fewest community staff per community under the per_households rule.",
        source=KUNSHAN + " (recommended: at least 9 per community)",
    )
    community_staff_cases_per_day: float = param(
        1.0,
        unit="cases per staff-day",
        low=0.0,
        high=50.0,
        doc="Residents' cases a community staff member takes up in a full day without "
        "administrative tasks.",
        source="assumption (at 1, 9 staff are short of the demand of a 7,500-household "
        "community and ample for a 600-household one, the pattern " + KUNSHAN + " reports)",
    )
    community_admin_load: float = share(
        0.4,
        of="working time",
        high=0.95,
        doc="Administrative tasks sent down that take community staff's time from "
        "residents (社区行政化).",
        source=SUZHOU + " (社区行政化体制还没根本转变); " + HANDAN + "; level an assumption",
    )
    task_entry_list: float = share(
        0.0,
        of="sunk-down tasks",
        doc="Tasks an entry list keeps out of communities and grids (准入制度, 职责清单): "
        "both admin loads are cut by this share.",
        source=SUZHOU
        + " (工作事项进社区准入制度); "
        + ZHONGSHAN
        + " (准入事项、网格员职责清单); "
        + HANDAN
        + " (梳理工作职责清单); level an assumption",
    )
    legal_advisors_per_community: float = param(
        1.0,
        unit="advisors",
        low=0.0,
        high=10.0,
        source=KUNSHAN
        + " (一对一分配至全市345个村(社区), 100%配备); "
        + JINCHANG
        + " (一社区一法律顾问)",
        doc="Legal advisors per community (1 = one each; 0.5 = one per two communities; 0 = none).",
    )
    legal_cases_per_week: float = param(
        2.0,
        unit="cases per advisor-week",
        low=0.0,
        high=100.0,
        doc="Advisors are part-time retainers; mediation capacity per week.",
    )
    households_per_social_organisation: float = param(
        2000.0,
        unit="households",
        low=100.0,
        high=10_000_000.0,
        source=JINCHANG + ": 培育社区各类社团组织42家 for 33 communities (1.3 a community); "
        "2,000, about one per community, is the level (an assumption)",
        doc="Households served by one social organisation.",
    )
    social_workers_per_1000_households: float = param(
        1.0,
        unit="social workers",
        low=0.0,
        high=50.0,
        source="assumption (no count reported; " + KUNSHAN + " says 社工人数较少, below the "
        "standard of 不低于全市户籍人口的1‰, which is 3 x r per 1,000 usual-resident households "
        "at 3 people a household and r registered per usual resident: 1.8 at r = 0.6, "
        "docs/sources.md)",
        doc="Professional social workers per 1,000 (usually resident) households; the "
        "standard counts registered (户籍) residents, about 1.8 per 1,000 households.",
    )
    social_worker_cases_per_day: float = param(
        1.0,
        unit="cases per worker-day",
        low=0.0,
        high=50.0,
        doc="Service cases a social worker takes up per day.",
    )
    initial_social_credibility: float = unit_interval(
        0.7,
        doc="Social organisations' credibility with residents at the start; it then follows "
        "their success rate.",
        source=HANDAN + " (社会组织社会认可度下降、公信力缺失); level an assumption",
    )
    party_branch_level: str = param(
        "grid",
        choices=("grid", "community"),
        doc="One branch per grid ('one grid, one organisation') or per community.",
        source=KUNSHAN + " (党支部建在网格上, 一网格一组织); " + HANDAN + " (村(社区)'大党委')",
    )
    grid_worker_cost: float = yuan_per_year(80000.0, doc="Salary and overhead.")
    community_staff_cost: float = yuan_per_year(
        70000.0, doc="Salary and overhead of a community staff member."
    )
    legal_advisor_cost: float = yuan_per_year(50000.0, doc="Retainer of a legal advisor.")
    social_worker_cost: float = yuan_per_year(
        70000.0, doc="Salary and overhead of a social worker."
    )


@dataclass(frozen=True)
class SelfGovernance(Section):
    participation: float = share(
        0.16,
        of="households",
        doc="Baseline willingness to take part in self-governance (initial and long-run "
        "mean engagement).",
        source="assumption (a latent propensity no report gives; Kunshan's 15.71% is used "
        "only as the calibration target participation_rate, docs/calibration.md)",
    )
    deliberation_interval_days: int = param(
        30, unit="days", low=0, high=365, doc="Days between council meetings; 0 = no councils."
    )
    topics_per_deliberation: int = param(
        5, unit="topics", low=1, high=100, doc="Public topics a council takes up per meeting."
    )
    resident_rules: float = unit_interval(
        0.3,
        doc="Strength of resident/village rules (村规民约): raises informal settlement.",
        source=KUNSHAN + " (市北村《村规民约》); level an assumption",
    )
    joint_councils: bool = param(
        False,
        doc='Councils as "1+7+X" bodies working in six steps: topics (and disputes of '
        "public interest) are collected and chosen, investigated until the next meeting, "
        "decided, published and followed up; a decision not carried out returns to the agenda "
        "and its failure is seen.",
        source=JINCHANG + " (“1+7+X”居民协商议事会, “六步议事”: 收集议题、确定议题、议前调研、"
        "召开会议、公开公示、跟踪落实)",
    )
    public_dispute_share: float = share(
        0.2,
        of="disputes",
        doc="With joint councils, the weight of the council agenda in a dispute's channel "
        "choice, relative to a public topic's (disputes of public interest).",
    )
    investigation_gain: float = param(
        0.5,
        unit="relative gain",
        low=0.0,
        high=5.0,
        doc="Relative rise in a joint council's decision success on an investigated topic "
        "(议前调研).",
    )
    follow_up_success: float = probability(
        0.8,
        doc="Chance a joint council's decision is carried out at follow-up (跟踪落实); "
        "otherwise the topic returns to the agenda.",
    )
    public_jury: bool = param(
        False,
        doc="Public juries (公众评判庭): disputes that failed mediation, whose parties choose "
        "it, are heard by residents at weekly sittings before their court judgment.",
        source=KUNSHAN + " (淀山湖镇“公众评判庭”: 由群众评判团及旁听代表依据法律、政策和事实"
        "发表评论)",
    )
    jury_interval_days: int = param(
        7, unit="days", low=1, high=365, doc="Days between a community's jury sittings."
    )
    jury_cases_per_sitting: int = param(
        2, unit="disputes", low=1, high=100, doc="Disputes a jury hears per sitting."
    )
    jury_size: int = param(
        7, unit="households", low=1, high=100, doc="Resident jurors per sitting."
    )
    jury_acceptance: float = probability(
        0.5,
        doc="Chance the parties of a dispute whose mediation failed choose to take it to the "
        "public jury (it stays on the court's docket either way).",
    )
    jury_success: float = probability(
        0.9,
        doc="Chance a jury settles a dispute when its jurors' norm and legal awareness are "
        "both 1 (scaled by the jurors' mean).",
    )
    jury_law_weight: float = unit_interval(
        0.5,
        doc="Weight of the jurors' legal awareness, against their norm, in a jury's "
        "success (依据法律、政策和事实).",
    )
    jury_audience: float = share(
        0.01,
        of="community households",
        high=0.5,
        doc="Share of a community's households who watch a sitting (旁听).",
    )
    rules_revision: bool = param(
        False,
        doc="Resident rules (村规民约) carry law and are revised at councils: each community's "
        "rules strength erodes over time and is raised at council meetings as attendance "
        "allows; their effect on prevention and informal settlement grows with the parties' "
        "legal awareness.",
        source=KUNSHAN + " (《村规民约》在多方力量经过10余次的意见征集与协商探讨下修订完成, "
        "凸显了“法”元素的融入); " + JINCHANG + " (以规立德)",
    )
    rules_revision_gain: float = unit_interval(
        0.2,
        doc="Step of a community's rules strength toward 1 at a council meeting of full "
        "quality (scaled by the meeting's attendance quality).",
    )
    rules_decay_days: float = param(
        730.0,
        unit="days",
        low=1.0,
        high=1e6,
        doc="Mean life of the rules' strength unless revised: it erodes toward 0.",
    )
    rules_prevention: float = unit_interval(
        0.3,
        doc="Share of disputes that rules of full effect prevent (村规民约 carry the "
        "prevention of new kinds of dispute, e.g. 广场舞扰民).",
        source=KUNSHAN + " (将…新兴纠纷的预防措施纳入其中); level an assumption",
    )
    rules_law_weight: float = unit_interval(
        0.5,
        doc="Share of the rules' effect that works through the parties' legal awareness "
        "(effect = strength x (1 - this + this x awareness)).",
    )


@dataclass(frozen=True)
class RuleOfLaw(Section):
    detection_probability: float = probability(
        0.1,
        doc="Base chance a violation is caught on the spot without the grid team (cameras, "
        "passers-by); grid police add police_detection.",
        source=SUZHOU + " (420,000 surveillance cameras); level an assumption",
    )
    police_detection: float = probability(
        0.22,
        doc="Chance a grid police officer's presence catches a violation on the spot, at full "
        "presence (police_per_grid = 1), on top of the base rate.",
    )
    sanction: float = unit_interval(0.5, doc="Severity of the sanction when caught.")
    mediation_success: float = probability(
        0.7,
        doc="Base chance a legal advisor settles a dispute (scaled by the parties' awareness).",
        source="assumption (0.7, below the high success rates reported for people's "
        "mediation nationally, which no source here checks)",
    )
    mediation_rounds: int = param(
        1,
        unit="rounds",
        low=1,
        high=5,
        doc="Mediation sessions a legal advisor holds on a dispute before it goes to court: "
        "a failed round is tried again after legal_retry_days, each round harder "
        "(behaviour.repeat_factor); 1 = court after the first failure.",
        source="assumption (no report gives how many sessions precede a lawsuit)",
    )
    legal_lectures_per_year: float = param(
        2.52,
        unit="lectures per advisor-year",
        low=0.0,
        high=365.0,
        source=KUNSHAN + " (开展法治讲座868场 by 345 advisors in 2021: 2.52 each)",
        doc="Legal lectures each advisor gives a year.",
    )
    lecture_reach: float = share(
        0.03,
        of="community households",
        doc="Share of a community's households invited to a lecture.",
    )
    court_days: int = param(
        90, unit="days", low=1, high=1000, doc="Days to a judgment when mediation fails."
    )
    advisor_attendance: float = share(
        0.0,
        of="council and jury sittings",
        doc="Share of council and jury sittings a legal advisor attends (驻村律师, "
        "法律工作者 among the seven of 1+7+X); 0 = none.",
        source=ZHONGSHAN + " (一小区一法律顾问); " + KUNSHAN + " (村村有顾问)",
    )
    advisor_success_gain: float = param(
        0.5,
        unit="relative gain",
        low=0.0,
        high=5.0,
        doc="Relative rise in a sitting's success (a jury's settlement, a council's topics and "
        "rules revision) when a legal advisor attends.",
    )
    advisor_sitting_cases: float = param(
        1.0,
        unit="cases per sitting",
        low=0.0,
        high=50.0,
        doc="Advisor time a sitting takes, in cases of the advisor's own queue (taken from "
        "the next days' capacity).",
    )


@dataclass(frozen=True)
class Moral(Section):
    moral_bank: bool = param(
        False, doc="Volunteer hours earn credits (道德银行).", source=JINCHANG + " (道德银行)"
    )
    credit_value: float = unit_interval(0.5, doc="How much residents value a credit.")
    red_black_list: bool = param(
        False,
        doc="Monthly 'good people' and black boards.",
        source=JINCHANG + " (道德红黑榜)",
    )
    list_share: float = share(0.02, of="households", high=0.5, doc="Share on each board.")
    role_models: float = unit_interval(0.2, doc="Pull of role models on their neighbours' norms.")
    crowding_out: float = unit_interval(
        0.2,
        doc="Share of the norm gain from volunteering lost when it is paid in credits.",
        source="assumption (the mechanism is motivation crowding, [frey2001]; the level is "
        "not from any source)",
    )
    # ODD 7.20: integrity points (诚信积分) for keeping the resident rules.
    integrity_points: bool = param(
        False,
        doc="Households hold integrity points for keeping the resident rules (诚信积分): "
        "sanctions and escalations cost points; neighbours see a household's standing.",
        source=KUNSHAN + " (通过制定村民“诚信积分”制度,督促村民尊重和遵守《村规民约》)",
    )
    integrity_sanction_cost: float = share(
        0.25,
        of="full points",
        doc="Points a household loses when a violation of its own is sanctioned.",
    )
    integrity_escalation_cost: float = share(
        0.1,
        of="full points",
        doc="Points a household loses when it escalates an issue beyond the grassroots "
        "(越级上访 breaks the rules' order of complaint).",
    )
    integrity_recovery_days: int = param(
        365,
        unit="days",
        low=30,
        high=3650,
        doc="Days of keeping the rules in which lost points are restored in full (restored "
        "in monthly steps at the points review).",
    )
    integrity_stake: float = param(
        2.0,
        unit="weight",
        low=0.0,
        high=10.0,
        doc="Weight of the standing at stake in the violation hazard: a household with full "
        "points has the most to lose if caught (the hazard is multiplied by "
        "exp(-deterrence x stake x standing)).",
        source="assumption (the mechanism is image scoring, [nowak1998]; the level is "
        "not from any source)",
    )
    integrity_norm_gain: float = unit_interval(
        0.1,
        doc="Monthly step of the norm toward 1 of a household that lost points, times the "
        "share it lost (the deduction is published: reintegrative shaming).",
        source="assumption (the mechanism is reintegrative shaming, [braithwaite1989]; the "
        "level is not from any source)",
    )
    integrity_priority_days: float = param(
        7.0,
        unit="days",
        low=0.0,
        high=90.0,
        doc="Priority in the grid's and the community office's queues: an issue of a household "
        "with full points is taken up as if raised this many days earlier (oldest first, "
        "shifted by standing).",
    )
    # ODD 7.21: the moral bank's credits spent, and preferential credit for high scorers.
    redemption: bool = param(
        False,
        doc="Moral-bank credits are spent on goods and services, and the households with the "
        "most credits get preferential credit (道德信贷) and priority (needs moral_bank).",
        source=JINCHANG + " (所得积分可以兑换物品或社会服务,并探索推行“道德信贷”,将道德积分较高的"
        "…“道德模范”“星级文明户”优先纳入银行评级授信、优先安排信贷)",
    )
    redemption_rate: float = share(
        0.5,
        of="credits held",
        doc="Share of its credits a household spends each month on goods and services.",
    )
    redemption_pull: float = param(
        0.5,
        unit="share of the bank's pull",
        low=0.0,
        high=2.0,
        doc="How much more a credit that can be spent pulls volunteers out: the bank's boost "
        "on turnout is multiplied by (1 + this).",
    )
    preferential_share: float = share(
        0.05,
        of="households",
        high=0.5,
        doc="Share of each community's households, those with the most credits, that get "
        "preferential credit (道德信贷) each month.",
    )
    preferential_trust_gain: float = unit_interval(
        0.05,
        doc="Monthly step of trust toward 1 of a household given preferential credit (a "
        "tangible return from the community).",
    )
    preferential_priority_days: float = param(
        7.0,
        unit="days",
        low=0.0,
        high=90.0,
        doc="Priority of a household with preferential credit in the grid's and the community "
        "office's queues: its issues are taken up as if raised this many days earlier.",
    )
    # ODD 7.22: moral review councils (道德评议会) and their boards.
    moral_review: bool = param(
        False,
        doc="Moral review councils (道德评议会): panels of residents judge conduct on a schedule "
        "and name households on moral boards (good people, filial piety; against lavish "
        "weddings and funerals), apart from the list of sanctioned violators.",
        source=JINCHANG
        + " (推广设立“道德评议会”“道德红黑榜”等德治平台; “好人榜”“善行义举榜”“孝道红黑榜”; "
        "坚决遏制大操大办…厚葬薄养等陈规陋习)",
    )
    review_interval_days: int = param(
        90, unit="days", low=7, high=365, doc="Days between sittings of a moral review council."
    )
    review_panel_size: int = param(
        7,
        unit="households",
        low=1,
        high=50,
        doc="Residents drawn at random to sit on a community's moral review panel (on average).",
    )
    review_board_share: float = share(
        0.02,
        of="households",
        high=0.2,
        doc="Share of each community named on the praise board, and again on the criticism "
        "board, at each sitting.",
    )
    review_praise_gain: float = unit_interval(
        0.1,
        doc="Step of the norm toward 1 of a household praised by the review, at a panel of "
        "full norm (the verdict weighs as much as the panel's own norm).",
    )
    review_shame_gain: float = unit_interval(
        0.1,
        doc="Step of the norm toward 1 of a household criticised by the review, at a panel "
        "of full norm.",
    )


@dataclass(frozen=True)
class Fusion(Section):
    coordination: float = unit_interval(
        0.5,
        doc="Coordination between departments: referrals arrive sooner and are lost less.",
        source=KUNSHAN + " (各自为政, 多头管理: the mechanism is missing); level an assumption",
    )
    party_leadership: float = unit_interval(
        0.5, doc="Party branches coordinate, mobilise members and visit stuck cases."
    )
    party_coordination: float = unit_interval(
        0.5,
        doc="Share of the coordination gap that full party leadership closes "
        "(effective coordination = 1 - (1 - coordination)(1 - this x party_leadership)).",
    )
    party_visit_cases_per_week: float = param(
        2.0,
        unit="cases per branch-week",
        low=0.0,
        high=100.0,
        doc="Stuck cases a branch can take up a week at full party leadership (the weekly "
        "rhythm is Handan's 三下沉, leaders visiting the grassroots every week; the number is "
        "not from a report).",
    )
    stuck_days: int = param(
        30, unit="days", low=1, high=365, doc="Age from which an issue is 'stuck'."
    )
    council_convening: float = param(
        1.0,
        unit="times the usual",
        low=0.0,
        high=4.0,
        doc="How often the party secretary convenes the council, relative to every "
        "deliberation_interval_days (2 = twice as often; 0 = never).",
        source=JINCHANG + " (党组织领导、议事会决策); the rate an assumption",
    )
    member_mobilisation: float = param(
        1.0,
        unit="times the usual",
        low=0.0,
        high=3.0,
        doc="Effort to mobilise party members as volunteers, relative to the usual: an "
        "active member's turnout is raised by member_mobilisation x party_leadership.",
        source=HANDAN + " (党员“双报到 双报告”制度仍需进一步完善); the level an assumption",
    )


@dataclass(frozen=True)
class Behaviour(Section):
    """Behavioural parameters: rates, chances and weights no report gives; four are fitted
    to Kunshan (docs/calibration.md), the rest are documented assumptions for sensitivity
    analysis."""

    dispute_rate: float = per_household_year(
        0.0337,
        doc="Disputes per household-year at norm 0 (norms prevent up to dispute_prevention).",
        source=FITTED + KUNSHAN + ": 参与人民调解5018起 / 345 communities = 14.5 a year",
    )
    violation_rate: float = per_household_year(
        0.3,
        doc="Violations suffered per household-year by a neighbour with norm 0 and no deterrence.",
    )
    service_rate: float = per_household_year(
        0.598,
        doc="Service requests (demands for action) per household-year.",
        source=FITTED + "[beijing2020] (Beijing's 12345 hotline, not a Kunshan figure): about "
        "0.6 action requests per household-year",
    )
    public_rate: float = per_household_year(
        0.05, doc="Public topics (shared concerns) raised per household-year."
    )
    max_open_issues: int = param(
        3, unit="issues", low=1, high=50, doc="Most issues a household has open at once."
    )
    dispute_prevention: float = unit_interval(
        0.8, doc="Share of the dispute hazard that a perfect norm prevents."
    )
    aware_compliance: float = unit_interval(
        0.5, doc="Share of the violation hazard that full legal awareness prevents."
    )
    informal_propensity: float = probability(0.8, doc="Scale of trying to settle informally.")
    informal_success: float = probability(
        0.7, doc="Base chance an informal settlement attempt succeeds."
    )
    normless_settlement: float = unit_interval(
        0.4, doc="Share of informal_success left when the weaker party's norm is 0."
    )
    ruleless_settlement: float = unit_interval(
        0.6, doc="Share of informal_success left without resident rules."
    )
    settlement_engagement_gain: float = unit_interval(
        0.02, doc="Step of both parties' engagement toward 1 after an informal settlement."
    )
    grid_weight: float = logit_weight(
        1.0,
        doc="Weight of reporting to the grid worker (times 0.2 + trust, and 1 + "
        "helper_reporting per helper).",
    )
    community_weight: float = logit_weight(
        1.0,
        doc="Weight of taking an issue to the community office (times 0.2 + trust), where "
        "there are community staff.",
    )
    legal_weight: float = logit_weight(
        0.6, doc="Weight of going to the legal advisor (times legal awareness)."
    )
    unreported_weight: float = logit_weight(
        0.5, doc="Weight of leaving an issue unreported (halved for service requests)."
    )
    agenda_weight: float = logit_weight(
        1.0, doc="Weight of putting a public topic on the council agenda (times engagement)."
    )
    helper_reporting: float = param(
        0.05,
        unit="per helper",
        low=0.0,
        high=10.0,
        doc="Rise in the weight of reporting to the grid per grid helper (they pass issues on).",
    )
    grid_mediation_success: float = probability(
        0.55, doc="Base chance a grid worker settles a dispute (scaled by the parties' norm)."
    )
    repeat_factor: float = unit_interval(
        0.5,
        doc="Factor on a mediation chance per earlier failed attempt (a dispute that failed "
        "has shown itself hard): the grid's, and a legal advisor's further rounds.",
    )
    grid_service_success: float = probability(
        0.5, doc="Chance a grid worker meets a service request on the spot."
    )
    community_service_success: float = probability(
        0.6,
        doc="Chance community staff meet a service request on the spot (one-stop service).",
    )
    community_mediation_success: float = probability(
        0.5,
        doc="Base chance community staff settle a dispute (people's mediation; scaled by the "
        "parties' norm); failures go to the legal advisor.",
    )
    enforcement_success: float = probability(
        0.85, doc="Chance a reported violation is stopped and sanctioned when worked."
    )
    social_service_success: float = probability(
        0.85, doc="Base chance a social organisation meets a service request."
    )
    grid_retry_days: int = interval_days(
        7,
        doc="Days before a grid team takes up again an issue it failed to settle and could not "
        "pass on (public issues with no council: twice this); also its service requests a "
        "social organisation could not take.",
    )
    community_retry_days: int = interval_days(
        7,
        doc="Days before community staff take up again a service request a social "
        "organisation could not take.",
    )
    legal_retry_days: int = interval_days(
        7,
        doc="Days before a legal advisor takes up again a violation not stopped, or a dispute "
        "for its next mediation round.",
    )
    social_retry_days: int = interval_days(
        3,
        doc="Days before a social organisation takes up again a service request it did not meet.",
    )
    credibility_rate: float = unit_interval(
        0.02,
        doc="Step of a social organisation's credibility toward its success rate, per day worked.",
    )
    credibility_referral: float = unit_interval(
        0.5,
        doc="Refusal of referrals to a social organisation at credibility 0 (refused with "
        "this x (1 - credibility)).",
        source=HANDAN + " (falling recognition weakens social organisations); level an assumption",
    )
    credibility_volunteering: float = unit_interval(
        0.5,
        doc="Volunteer turnout lost at credibility 0 of the household's social organisation "
        "(turnout x (1 - this x (1 - credibility))).",
        source=HANDAN + "; level an assumption",
    )
    party_visit_success: float = probability(
        0.8, doc="Chance a leadership visit resolves a stuck case."
    )
    council_attendance: float = probability(
        0.05, doc="Chance a fully engaged household attends a given council meeting."
    )
    council_success: float = probability(
        0.7, doc="Chance a council settles a topic at full attendance."
    )
    half_success_attendance: float = param(
        0.01,
        unit="share of households",
        low=1e-4,
        high=1.0,
        doc="Attendance share at which a council reaches half its success.",
    )
    attendance_engagement_gain: float = unit_interval(
        0.05, doc="Step of a council attendee's engagement toward 1."
    )
    public_grid_success: float = probability(
        0.25, doc="Chance a grid worker settles a public topic alone."
    )
    patrol_discovery: float = param(
        0.04, unit="per issue-day", low=0.0, high=1.0, doc="At full staffing and no admin load."
    )
    helper_discovery: float = param(
        0.005,
        unit="per helper per issue-day",
        low=0.0,
        high=1.0,
        doc="Chance a grid helper notices an unreported issue and brings it to the grid.",
    )
    spontaneous_days: float = param(
        60.0, unit="days", low=1.0, high=1e6, doc="Mean time for an unhandled issue to fade."
    )
    patience_days: float = param(
        45.0, unit="days", low=1.0, high=3650.0, doc="Mean patience before thinking of escalating."
    )
    escalation_propensity: float = probability(
        0.1,
        doc="Chance of escalating when patience runs out, at trust 0 (Epstein-style grievance).",
        source="[epstein2002] (grievance x illegitimacy, the form); level an assumption",
    )
    awareness_damping: float = unit_interval(
        0.5,
        doc="Share of the escalation chance that full legal awareness removes (knowing the "
        "legal routes).",
    )
    escalation_unreported: float = unit_interval(
        0.6, doc="Escalation factor while an issue is left unreported (1 = no damping)."
    )
    escalation_grid: float = unit_interval(
        0.8, doc="Escalation factor while an issue waits with the grid worker."
    )
    escalation_community: float = unit_interval(
        0.8, doc="Escalation factor while an issue waits at the community office."
    )
    escalation_legal: float = unit_interval(
        0.5, doc="Escalation factor while an issue waits with the legal advisor."
    )
    escalation_social: float = unit_interval(
        0.8, doc="Escalation factor while an issue waits with a social organisation."
    )
    escalation_agenda: float = unit_interval(
        0.7, doc="Escalation factor while a topic waits on the council agenda."
    )
    escalation_court: float = unit_interval(
        0.3, doc="Escalation factor while a dispute waits for a judgment."
    )
    referral_loss: float = probability(0.4, doc="Referral loss with no coordination.")
    referral_delay_days: float = param(
        14.0, unit="days", low=0.0, high=365.0, doc="Referral delay with no coordination."
    )
    volunteer_sessions_per_year: float = param(
        152.0,
        unit="sessions per volunteer-year",
        low=0.0,
        high=365.0,
        source=FITTED + KUNSHAN + ": 志愿者年平均服务时长仅14.7小时",
        doc="At full engagement without credits.",
    )
    active_volunteer_share: float = share(
        0.316,
        of="registered volunteers",
        doc="Registered volunteers who ever turn out (registration overstates activity).",
        source=FITTED + KUNSHAN + ": 15.71%的群众参与或知晓 (the participation target)",
    )
    hours_per_session: float = param(
        2.0, unit="hours", low=0.1, high=24.0, doc="Hours of one volunteering session."
    )
    hours_per_service_case: float = param(
        6.0,
        unit="volunteer hours",
        low=0.1,
        high=1000.0,
        doc="Volunteer hours a social organisation needs per service case.",
    )
    bank_boost: float = param(
        1.0,
        unit="per unit of credit value",
        low=0.0,
        high=10.0,
        doc="Rise in volunteer turnout per unit of credit value with a moral bank.",
    )
    board_interval_days: int = interval_days(
        30,
        doc="Days between choosings of the boards and role models (on the interval's last "
        "day); the black board lists the households sanctioned within the interval.",
        source="assumption: a monthly institution (" + JINCHANG + " names the boards, not "
        "their rhythm), in 30-day months",
    )
    board_norm_gain: float = unit_interval(
        0.05, doc="Step of the norm toward 1 of a household on the red or the black board."
    )
    black_deterrence_gain: float = unit_interval(
        0.1,
        doc="Step of perceived detection toward 1 of a black-listed household (a quarter of "
        "it for its neighbours).",
    )
    role_model_rate: float = unit_interval(
        0.1, doc="Monthly step toward role-model neighbours' norm, per unit of moral.role_models."
    )
    norm_diffusion: float = daily_rate(
        0.02,
        doc="DeGroot weight on the neighbours' mean.",
        source="[degroot1974] (the form); level an assumption",
    )
    trust_diffusion: float = daily_rate(
        0.01, doc="DeGroot weight on neighbours' mean trust (word of mouth)."
    )
    engagement_diffusion: float = daily_rate(
        0.01, doc="DeGroot weight on neighbours' mean engagement."
    )
    engagement_anchor: float = daily_rate(0.005, doc="Pull back to the participation lever.")
    trust_anchor: float = daily_rate(
        0.003,
        doc="Pull of trust back to its initial mean: influences outside grassroots governance.",
    )
    trust_gain: float = unit_interval(
        0.08, doc="Share of the gap to 1 that trust closes when an issue is resolved."
    )
    routine_trust_weight: float = param(
        1.0,
        unit="trust_gain steps",
        low=0.0,
        high=10.0,
        doc="Trust gained when staff (grid, community, legal mediation, social organisation) "
        "resolve an issue or enforce a violation.",
    )
    leadership_trust_weight: float = param(
        1.5,
        unit="trust_gain steps",
        low=0.0,
        high=10.0,
        doc="Trust gained when a council or a party visit resolves an issue.",
    )
    court_trust_weight: float = param(
        0.5,
        unit="trust_gain steps",
        low=0.0,
        high=10.0,
        doc="Trust gained when a court judgment resolves a dispute.",
    )
    public_spillover: float = unit_interval(
        0.1, doc="Share of a resolved public topic's trust gain that the raiser's whole grid gets."
    )
    trust_loss: float = unit_interval(
        0.08,
        doc="Share of trust lost when patience runs out or a referral is lost (x2 on escalation).",
    )
    deterrence_learning: float = unit_interval(
        0.2, doc="Step of perceived detection toward the outcome (caught 1, not caught 0)."
    )
    deterrence_weight: float = param(
        3.0,
        unit="1",
        low=0.0,
        high=50.0,
        doc="Effect of perceived detection on violating.",
        source="[becker1968], [entorf2012] (certainty above severity); level an assumption",
    )
    sanction_weight: float = param(
        1.0, unit="1", low=0.0, high=50.0, doc="Extra effect per unit of sanction when detected."
    )
    broken_windows: float = daily_rate(
        0.002,
        doc="Norm erosion from unchecked violations.",
        source="[wilson1982]; level an assumption",
    )
    neighbour_exposure: float = unit_interval(
        0.5, doc="Weight of violations suffered by neighbours in a household's exposure."
    )
    norm_from_volunteering: float = unit_interval(
        0.01, doc="Share of the gap to 1 that a volunteering session closes in the norm."
    )
    lecture_gain: float = unit_interval(
        0.1, doc="Share of the gap to 1 that a lecture closes in legal awareness."
    )
    awareness_decay_days: float = param(
        730.0,
        unit="days",
        low=1.0,
        high=1e6,
        doc="Time constant of legal awareness relaxing back to its initial mean.",
    )
    satisfaction_from_trust: float = param(
        0.5,
        unit="weight",
        low=0.0,
        high=1.0,
        doc="Weight of trust in satisfaction's target (the three weights are normalised).",
    )
    satisfaction_from_security: float = param(
        0.3, unit="weight", low=0.0, high=1.0, doc="Weight of security in satisfaction's target."
    )
    satisfaction_from_not_waiting: float = param(
        0.2,
        unit="weight",
        low=0.0,
        high=1.0,
        doc="Weight of not waiting on an old issue in satisfaction's target.",
    )
    waiting_days: int = param(
        14, unit="days", low=1, high=365, doc="Age of an open issue that makes its household wait."
    )
    satisfaction_days: float = param(
        30.0,
        unit="days",
        low=1.0,
        high=3650.0,
        doc="Time constant of satisfaction following its target.",
    )
    security_days: float = param(
        30.0,
        unit="days",
        low=1.0,
        high=3650.0,
        doc="Time constant of perceived security following exposure.",
    )
    workload_days: int = interval_days(
        14,
        doc="Time constant of a grid team's workload (its queue per full day of capacity): "
        "burnout follows sustained pressure, not one busy day.",
    )
    burnout_threshold: float = param(
        0.85,
        unit="utilisation",
        low=0.0,
        high=5.0,
        doc="Pressure (admin share + workload) above which burnout builds.",
    )
    burnout_rate: float = daily_rate(
        0.01, doc="Burnout added per day per unit of pressure above the threshold."
    )
    burnout_recovery: float = daily_rate(
        0.005, doc="Share of burnout recovered per day below the threshold."
    )
    burnout_slowdown: float = unit_interval(
        0.5, doc="Share of a grid team's capacity and patrols lost at full burnout."
    )
