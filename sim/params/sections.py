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

KUNSHAN = "000_aecff9f858950d40.txt (Kunshan 2022)"
HANDAN = "001_1343c9a623072120.txt (Handan 2024)"
JINCHANG = "002_8ab32e8761ffd27c.txt (Jinchang)"
SUZHOU = "003_a0faf013af128ded.txt (Suzhou 2016)"
ZHONGSHAN = "004_d0c8e2eb9d569d81.txt (Zhongshan 2020)"
# Fitted by `sanzhi calibrate scenarios/kunshan_2021.toml` (docs/calibration.md).
FITTED = "fitted to Kunshan 2021 (docs/calibration.md): "


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
        source=KUNSHAN + " (standard 300-500 households, 1,000-1,500 people)",
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
        doc="Households with a party member.",
        source="assumption (about 7% of China's people are party members)",
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
        doc="Households with a registered volunteer (a share of persons, applied to households); "
        "serving party members register too.",
        source=KUNSHAN + " (386,600 registered of 2.09 million residents)",
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
        source=KUNSHAN + ": 1,654 grids set up where the standard needs 2,024, one full-time "
        "grid worker each (about 420 households per worker)",
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
        source=SUZHOU + " (准入制度); " + ZHONGSHAN + " (准入事项, 网格员职责清单)",
    )
    legal_advisors_per_community: float = param(
        1.0,
        unit="advisors",
        low=0.0,
        high=10.0,
        source=KUNSHAN + " (100% coverage, 345 of 345)",
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
        source=JINCHANG + ": 42 community social organisations for 33 communities",
        doc="Households served by one social organisation.",
    )
    social_workers_per_1000_households: float = param(
        1.0,
        unit="social workers",
        low=0.0,
        high=50.0,
        source=KUNSHAN + ": at least 1 per 1,000 residents (3 per 1,000 households) "
        "recommended; today assumed a third of that",
        doc="Professional social workers per 1,000 households (today below the recommended 3).",
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
        source=KUNSHAN + " (党支部建在网格上); " + HANDAN + " (社区'大党委')",
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
        source=KUNSHAN + " (15.71% took part in or knew of the campaign; the participation "
        "outcome is fitted by behaviour.active_volunteer_share)",
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
        source="assumption (national figures report >95%; 0.7 as a pessimistic value)",
    )
    legal_lectures_per_year: float = param(
        2.52,
        unit="lectures per advisor-year",
        low=0.0,
        high=365.0,
        source=KUNSHAN + " (868 lectures by 345 advisors in 2021)",
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
        source="literature: Frey & Jegen 2001 (motivation crowding); level an assumption",
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
        source=HANDAN + " (三下沉: leaders visit the grassroots every week); level an assumption",
        doc="Stuck cases a branch can take up a week at full party leadership.",
    )
    stuck_days: int = param(
        30, unit="days", low=1, high=365, doc="Age from which an issue is 'stuck'."
    )


@dataclass(frozen=True)
class Behaviour(Section):
    """Behavioural parameters: rates, chances and weights no report gives; four are fitted
    to Kunshan (docs/calibration.md), the rest are documented assumptions for sensitivity
    analysis."""

    dispute_rate: float = per_household_year(
        0.0337,
        doc="Disputes per household-year at norm 0 (norms prevent up to dispute_prevention).",
        source=FITTED + "5,018 legal-advisor mediations / 345 communities",
    )
    violation_rate: float = per_household_year(
        0.3,
        doc="Violations suffered per household-year by a neighbour with norm 0 and no deterrence.",
    )
    service_rate: float = per_household_year(
        0.598,
        doc="Service requests (demands for action) per household-year.",
        source=FITTED + "Beijing 12345, about 0.6 action requests per household-year",
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
        doc="Factor on the grid's mediation chance per earlier failed attempt (a dispute that "
        "failed has shown itself hard).",
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
        doc="Days before a legal advisor takes up again a violation not stopped.",
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
        source="literature: Epstein 2002 (grievance x illegitimacy); level an assumption",
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
        source=FITTED + "14.7 hours per registered volunteer a year",
        doc="At full engagement without credits.",
    )
    active_volunteer_share: float = share(
        0.316,
        of="registered volunteers",
        doc="Registered volunteers who ever turn out (registration overstates activity).",
        source=FITTED + "15.71% took part in or knew of the campaign",
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
        source="literature: DeGroot 1974 (the form); level an assumption",
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
        source="literature: Becker 1968, Entorf 2012 (certainty above severity); level an "
        "assumption",
    )
    sanction_weight: float = param(
        1.0, unit="1", low=0.0, high=50.0, doc="Extra effect per unit of sanction when detected."
    )
    broken_windows: float = daily_rate(
        0.002,
        doc="Norm erosion from unchecked violations.",
        source="literature: Wilson & Kelling 1982; level an assumption",
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
