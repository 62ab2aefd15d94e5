"""The parameter sections of a scenario: every lever with default, range, unit and source.

Rates given "per household per year" are converted to daily hazards by the model
(one step is one day).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .base import (
    Section,
    daily_rate,
    logit_weight,
    param,
    per_household_year,
    probability,
    share,
    unit_interval,
    yuan_per_year,
)

KUNSHAN = "DOMAIN.md, Kunshan 2022 party-school article"
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
        source=KUNSHAN + " (standard 300-500)",
        doc="Households per grid (网格).",
    )
    households_per_community: int = param(
        2000,
        unit="households",
        low=10,
        high=200000,
        source=KUNSHAN + " (recommended 2,000)",
        doc="Households per community or village (社区/村); communities hold whole grids.",
    )
    party_member_share: float = share(
        0.06,
        of="households",
        doc="Households with a party member; they register as volunteers too (双报到).",
        source="DESIGN.md example",
    )
    volunteer_share: float = share(
        0.18,
        of="households",
        doc="Households with a registered volunteer (a share of persons, applied to households).",
        source=KUNSHAN + " (18%)",
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


@dataclass(frozen=True)
class Staffing(Section):
    households_per_grid_worker: float = param(
        400.0,
        unit="households",
        low=20.0,
        high=100000.0,
        source=KUNSHAN + ": 1,654 grids staffed where 2,024 are needed (about 420 per worker)",
        doc="Households per full-time grid worker (网格员); fewer means more staff.",
    )
    admin_load: float = share(
        0.3,
        of="working time",
        high=0.95,
        doc="Top-down administrative tasks that take grid workers' time from residents.",
        source="DOMAIN.md ('tasks sink down'); assumption",
    )
    grid_worker_cases_per_day: float = param(
        2.0,
        unit="cases per worker-day",
        low=0.05,
        high=50.0,
        doc="Cases a grid worker can take to closure in a full day without admin tasks.",
    )
    legal_advisors_per_community: float = param(
        1.0,
        unit="advisors",
        low=0.0,
        high=10.0,
        source=KUNSHAN + " (100% coverage)",
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
        source="DOMAIN.md, Jinchang: 42 community social organisations for 33 communities",
        doc="Households served by one social organisation.",
    )
    social_workers_per_1000_households: float = param(
        1.0,
        unit="social workers",
        low=0.0,
        high=50.0,
        source=KUNSHAN + ": 1 per 1,000 residents (3 per 1,000 households) recommended; "
        "today assumed a third of that",
        doc="Professional social workers per 1,000 households (today below the recommended 3).",
    )
    social_worker_cases_per_day: float = param(
        1.0,
        unit="cases per worker-day",
        low=0.0,
        high=50.0,
        doc="Service cases a social worker takes up per day.",
    )
    party_branch_level: str = param(
        "grid",
        choices=("grid", "community"),
        doc="One branch per grid ('one grid, one organisation') or per community.",
        source="DOMAIN.md",
    )
    grid_worker_cost: float = yuan_per_year(80000.0, doc="Salary and overhead.")
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
        0.3, doc="Strength of resident/village rules (村规民约): raises informal settlement."
    )


@dataclass(frozen=True)
class RuleOfLaw(Section):
    detection_probability: float = probability(0.2, doc="Chance a violation is caught on the spot.")
    sanction: float = unit_interval(0.5, doc="Severity of the sanction when caught.")
    mediation_success: float = probability(
        0.7,
        doc="Base chance a legal advisor settles a dispute (scaled by the parties' awareness).",
        source="DOMAIN.md: reported >95%; 0.7 as a pessimistic value",
    )
    legal_lectures_per_year: float = param(
        2.52,
        unit="lectures per advisor-year",
        low=0.0,
        high=365.0,
        source=KUNSHAN + " (868/345)",
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
    moral_bank: bool = param(False, doc="Volunteer hours earn credits (道德银行).")
    credit_value: float = unit_interval(0.5, doc="How much residents value a credit.")
    red_black_list: bool = param(False, doc="Monthly 'good people' and black boards.")
    list_share: float = share(0.02, of="households", high=0.5, doc="Share on each board.")
    role_models: float = unit_interval(0.2, doc="Pull of role models on their neighbours' norms.")
    crowding_out: float = unit_interval(
        0.2,
        doc="Share of the norm gain from volunteering lost when it is paid in credits.",
        source="DOMAIN.md (extrinsic rewards crowd out intrinsic motivation)",
    )


@dataclass(frozen=True)
class Fusion(Section):
    coordination: float = unit_interval(
        0.5, doc="Coordination between departments: referrals arrive sooner and are lost less."
    )
    party_leadership: float = unit_interval(
        0.5, doc="Party branches coordinate, mobilise members and visit stuck cases."
    )
    party_visit_cases_per_week: float = param(
        2.0,
        unit="cases per branch-week",
        low=0.0,
        high=100.0,
        source="DOMAIN.md (三下沉)",
        doc="Stuck cases a branch can take up a week at full party leadership.",
    )
    stuck_days: int = param(
        30, unit="days", low=1, high=365, doc="Age from which an issue is 'stuck'."
    )


@dataclass(frozen=True)
class Behaviour(Section):
    """Free behavioural parameters: not reported anywhere, to be calibrated."""

    dispute_rate: float = per_household_year(
        0.0338,
        doc="Disputes per household-year at norm 0 (norms prevent up to 80%).",
        source=FITTED + "5,018 legal-advisor mediations / 345 communities",
    )
    violation_rate: float = per_household_year(
        0.3,
        doc="Violations suffered per household-year by a neighbour with norm 0 and no deterrence.",
    )
    service_rate: float = per_household_year(
        0.591,
        doc="Service requests (demands for action) per household-year.",
        source=FITTED + "Beijing 12345, about 0.6 action requests per household-year",
    )
    public_rate: float = per_household_year(
        0.05, doc="Public topics (shared concerns) raised per household-year."
    )
    max_open_issues: int = param(
        3, unit="issues", low=1, high=50, doc="Most issues a household has open at once."
    )
    informal_propensity: float = probability(0.8, doc="Scale of trying to settle informally.")
    informal_success: float = probability(
        0.7, doc="Base chance an informal settlement attempt succeeds."
    )
    grid_weight: float = logit_weight(
        1.0, doc="Weight of reporting to the grid worker (times 0.2 + trust)."
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
    grid_mediation_success: float = probability(
        0.55, doc="Base chance a grid worker settles a dispute (scaled by the parties' norm)."
    )
    grid_service_success: float = probability(
        0.5, doc="Chance a grid worker meets a service request on the spot."
    )
    enforcement_success: float = probability(
        0.85, doc="Chance a reported violation is stopped and sanctioned when worked."
    )
    social_service_success: float = probability(
        0.85, doc="Base chance a social organisation meets a service request."
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
    public_grid_success: float = probability(
        0.25, doc="Chance a grid worker settles a public topic alone."
    )
    patrol_discovery: float = param(
        0.04, unit="per issue-day", low=0.0, high=1.0, doc="At full staffing and no admin load."
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
    )
    referral_loss: float = probability(0.4, doc="Referral loss with no coordination.")
    referral_delay_days: float = param(
        14.0, unit="days", low=0.0, high=365.0, doc="Referral delay with no coordination."
    )
    volunteer_sessions_per_year: float = param(
        153.0,
        unit="sessions per volunteer-year",
        low=0.0,
        high=365.0,
        source=FITTED + "14.7 hours per registered volunteer a year",
        doc="At full engagement without credits.",
    )
    active_volunteer_share: float = share(
        0.263,
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
    norm_diffusion: float = daily_rate(0.02, doc="DeGroot weight on the neighbours' mean.")
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
    trust_loss: float = unit_interval(
        0.08,
        doc="Share of trust lost when patience runs out or a referral is lost (x2 on escalation).",
    )
    deterrence_learning: float = unit_interval(
        0.2, doc="Step of perceived detection toward the outcome (caught 1, not caught 0)."
    )
    deterrence_weight: float = param(
        3.0, unit="1", low=0.0, high=50.0, doc="Effect of perceived detection on violating."
    )
    sanction_weight: float = param(
        1.0, unit="1", low=0.0, high=50.0, doc="Extra effect per unit of sanction when detected."
    )
    broken_windows: float = daily_rate(0.002, doc="Norm erosion from unchecked violations.")
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
