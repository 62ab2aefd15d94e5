"""Words and numbers for every text the project writes, in English and Chinese.

One shape for bilingual text: a table ``{key: (english, chinese)}`` read with :func:`say`,
and one way to write numbers (:func:`number`, :func:`percent`, :func:`interval`), so reports,
analyses and the terminal agree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

LANGS = ("en", "zh")

Words = Mapping[str, tuple[str, str]]  # key -> (english, chinese)


def pick(pair: tuple[str, str], lang: str) -> str:
    """The English or Chinese member of a pair."""
    return pair[1] if lang == "zh" else pair[0]


def say(words: Words, key: str, lang: str, **values: object) -> str:
    """``words[key]`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    text = pick(words[key], lang)
    return text.format(**values) if values else text


def number(x: float, *, sign: bool = False) -> str:
    """Three significant digits; whole numbers with thousands separators from 1,000 up;
    no exponent for ordinary magnitudes; "–" when there is no value."""
    if x is None or not math.isfinite(x):
        return "–"
    if abs(x) >= 1000:
        return f"{x:+,.0f}" if sign else f"{x:,.0f}"
    text = f"{x:+.3g}" if sign else f"{x:.3g}"
    if "e" in text and abs(x) >= 1e-4:
        text = f"{x:+.6f}".rstrip("0") if sign else f"{x:.6f}".rstrip("0")
    return text


def percent(x: float, *, sign: bool = False) -> str:
    """A percentage (``x`` already in percent): whole from 10% up, one decimal below."""
    if x is None or not math.isfinite(x):
        return "–"
    digits = 0 if abs(x) >= 10 else 1
    return f"{x:+.{digits}f}%" if sign else f"{x:.{digits}f}%"


SHARE_UNITS = ("share", "share of households", "share of time")


def quantity(x: float, unit: str, *, sign: bool = False) -> str:
    """A value in a metric's unit as a card or table shows it: shares as percentages
    (:func:`percent`; a difference of shares in percentage points), the rest by
    :func:`number`."""
    if unit in SHARE_UNITS and x is not None:
        return percent(100 * x, sign=sign)
    return number(x, sign=sign)


def interval(low: float, high: float, *, sign: bool = False) -> str:
    """'low – high' of a confidence interval."""
    return f"{number(low, sign=sign)} – {number(high, sign=sign)}"


RESULTS: Words = {
    "results": ("results in {out}/ ({files})", "结果保存在 {out}/（{files}）"),
}

WINDOW: Words = {
    "window": ("the last {days} days", "最后{days}天"),
    "window_mean": ("mean over the last {days} days of each run", "每次运行最后{days}天均值"),
}


def window(lang: str, days: int, key: str = "window") -> str:
    """'the last 90 days' / '最后90天' (or, with ``key="window_mean"``, the mean over them)."""
    return say(WINDOW, key, lang, days=days)


# -- shared vocabulary: scenarios, parameters, levers -------------------------------------

# The scenario library's names and descriptions in both languages. A scenario's own file
# holds its English description; the Chinese one is used while the file's English matches
# the one here (a file edited since shows its own words, marked as the file's).
SCENARIOS: Words = {
    "baseline": ("baseline", "基准情景"),
    "city_1m": ("city_1m", "百万户城市"),
    "coordinated": ("coordinated", "协同治理"),
    "deliberation_pilot": ("deliberation_pilot", "议事协商试点"),
    "heavy_admin_load": ("heavy_admin_load", "行政负担重"),
    "kunshan_2021": ("kunshan_2021", "昆山2021"),
    "moral_bank": ("moral_bank", "道德银行"),
    "more_grid_workers": ("more_grid_workers", "增配网格员"),
    "no_legal_advisors": ("no_legal_advisors", "无法律顾问"),
    "recommended_staffing": ("recommended_staffing", "推荐人员配置"),
    "silos": ("silos", "部门各自为政"),
    "whole_grid": ("whole_grid", "全科网格"),
    "entry_list": ("entry_list", "准入清单"),
    "kunshan_recommended": ("kunshan_recommended", "昆山建议配置"),
    "handan_fuxing": ("handan_fuxing", "邯郸复兴区"),
    "jinchang_2018": ("jinchang_2018", "金昌2018"),
    "jinchang_pilot": ("jinchang_pilot", "金昌协商议事试点"),
    "suzhou_2015": ("suzhou_2015", "苏州2015"),
    "zhongshan_2020": ("zhongshan_2020", "中山2020"),
    "need_allocation": ("need_allocation", "按需调配"),
    "staff_large_communities": ("staff_large_communities", "大社区增配人员"),
    "admin_load": ("admin_load", "行政负担扫描"),
    "frontier": ("frontier", "人员配置前沿"),
    "fusion": ("fusion", "三治融合实验"),
    "legal_coverage": ("legal_coverage", "法律顾问覆盖扫描"),
    "levers": ("levers", "三治组合扫描"),
    "participation": ("participation", "居民参与扫描"),
    "sensitivity": ("sensitivity", "敏感性分析"),
    "staffing": ("staffing", "网格员配置扫描"),
}
DESCRIPTIONS: Words = {
    "baseline": (
        "County-level city, 10k households, today's staffing",
        "县级市，1万户样本，现有人员配置",
    ),
    "city_1m": (
        "A county-level city of 1,000,000 households (Kunshan-like structure), one year",
        "100万户的县级市（类似昆山的结构），模拟一年",
    ),
    "coordinated": (
        "Three modes coordinated under party leadership: coordination 0.9, today's staff",
        "党建引领下三治协同：协同程度0.9，现有人员",
    ),
    "deliberation_pilot": (
        "Fortnightly 1+7+X deliberation councils, revised resident rules",
        "每两周召开“1+7+X”议事会，修订村规民约",
    ),
    "heavy_admin_load": (
        "Administrative tasks take 60% of grid workers' time (baseline: 30%)",
        "行政事务占网格员60%的时间（基准：30%）",
    ),
    "kunshan_2021": (
        "Kunshan 2021 structure, 20,000-household sample of 10 communities",
        "昆山2021年结构，10个社区共2万户样本",
    ),
    "entry_list": (
        "An entry list keeps half of the tasks sent down out of communities and grids",
        "准入清单把下派任务的一半挡在社区和网格之外",
    ),
    "need_allocation": (
        "Kunshan sample, grid workers and community staff spread monthly by need",
        "昆山样本，网格员和社区工作者每月按需求调配",
    ),
    "staff_large_communities": (
        "Kunshan sample with 20 community staff in its largest community (9 elsewhere)",
        "昆山样本，最大社区配20名社区工作者（其他社区9名）",
    ),
    "moral_bank": (
        "Moral bank credits, red/black boards, stronger role models",
        "道德银行积分、红黑榜、更强的榜样作用",
    ),
    "more_grid_workers": (
        "One grid worker per 150 households (baseline: one per grid of 400)",
        "每150户配1名网格员（基准：每个400户的网格1名）",
    ),
    "no_legal_advisors": (
        "No legal advisors (baseline: one per community)",
        "不配法律顾问（基准：每个社区1名）",
    ),
    "recommended_staffing": (
        "Community staff 1 per 130 households (at least 9), grids of 400 with a worker each, "
        "1.8 social workers per 1,000 households",
        "每130户配1名社区工作者（至少9名），每个400户的网格配1名网格员，每千户1.8名社工",
    ),
    "silos": (
        "Three modes in separate departments: coordination 0.1",
        "三种治理方式分属不同部门：协同程度0.1",
    ),
    "whole_grid": (
        "Whole-subject grid: both kinds of grid kept, entry and duty lists, all-round "
        "training, coordination 0.7",
        "全科网格：保留属地网格和专属网格，准入事项与职责清单，全科化培训，协同程度0.7",
    ),
    "kunshan_recommended": (
        "Kunshan sample at the recommended community size (2,000) and staffing (1 per 130 "
        "households, grids of 344)",
        "昆山样本按建议规模（每社区2000户）和配置（每130户1名工作人员，每网格344户）",
    ),
    "handan_fuxing": (
        "Handan Fuxing district: 4.8 party and social organisations a community, 红管家 in 6 "
        "of 10, ageing members, heavy grid tasks",
        "邯郸复兴区：每社区4.8个党组织和社会组织，10个社区中6个推行红管家，党员老龄化，网格任务重",
    ),
    "jinchang_2018": (
        "Jinchang about 2018: 33 communities, 634 grids, 206 lane teams, 42 organisations, "
        "moral bank",
        "金昌约2018年：33个社区、634个网格、206支街巷队伍、42家社会组织、道德银行",
    ),
    "jinchang_pilot": (
        "Jinchang's three pilot communities with monthly 1+7+X councils",
        "金昌三个试点社区，每月召开“1+7+X”居民协商议事会",
    ),
    "suzhou_2015": (
        "Suzhou 2015: 261 households per community organisation, 1.5 social workers per "
        "1,000 households, entry list 0.3",
        "苏州2015年：每个社区社会组织服务261户，每千户1.5名社工，准入清单0.3",
    ),
    "zhongshan_2020": (
        "Zhongshan 2020: whole-subject grid, lawyers for estates, everyone takes part "
        "(20,000-household sample)",
        "中山2020年：全科网格，小区法律顾问，全民参与（2万户样本）",
    ),
    "admin_load": (
        "Grid workers' administrative load from 0% to 70% of their time",
        "网格员行政负担占其时间的0%至70%",
    ),
    "frontier": (
        "Staffing levers x cost: the cheapest staffing that meets a target",
        "人员配置与成本：达到目标的最低成本配置",
    ),
    "fusion": (
        "Self-governance, rule of law and moral governance off/on x three coordination levels",
        "自治、法治、德治各取关/开，与三个协同水平交叉",
    ),
    "legal_coverage": (
        "Legal advisors per community from 0 to 2",
        "每社区法律顾问0至2名",
    ),
    "levers": (
        "Self-governance, rule of law and moral governance off/on x coordination",
        "自治、法治、德治各取关/开，与协同程度交叉",
    ),
    "participation": (
        "Participation in self-governance from 5% to 60%",
        "居民参与自治的比例从5%到60%",
    ),
    "sensitivity": (
        "Morris screening of staffing, levers and behaviour (3,000 households)",
        "对人员配置、治理措施和行为参数的 Morris 筛选（3000户）",
    ),
    "staffing": (
        "Households per grid worker from 100 to 1,000",
        "每名网格员服务100至1000户",
    ),
}

# Parameters by their section.key name: a short label in both languages.
PARAMETERS: Words = {
    "scenario.steps": ("days simulated", "模拟天数"),
    "scenario.seed": ("root seed", "根随机种子"),
    "scenario.replications": ("replications", "重复次数"),
    "population.households": ("households", "住户数"),
    "population.households_per_grid": ("households per grid", "每网格户数"),
    "population.households_per_community": ("households per community", "每社区户数"),
    "population.party_member_share": ("households with a party member", "有党员的住户比例"),
    "population.volunteer_share": ("households with a volunteer", "有注册志愿者的住户比例"),
    "population.mean_norm": ("initial civic norm", "初始道德规范水平"),
    "population.mean_trust": ("initial trust", "初始信任度"),
    "population.mean_legal_awareness": ("initial legal awareness", "初始法治意识"),
    "population.heterogeneity": ("likeness of households", "住户同质程度"),
    "population.network.kind": ("social network", "社会网络类型"),
    "population.network.mean_degree": ("social ties per household", "每户社会关系数"),
    "population.network.rewire": ("long-range ties", "远距离关系比例"),
    "staffing.households_per_grid_worker": ("households per grid worker", "每名网格员服务户数"),
    "staffing.admin_load": ("grid workers' admin load", "网格员行政负担"),
    "staffing.grid_worker_cases_per_day": ("grid-worker cases per day", "网格员每日办件量"),
    "staffing.legal_advisors_per_community": ("legal advisors per community", "每社区法律顾问数"),
    "staffing.legal_cases_per_week": ("advisor cases per week", "法律顾问每周办案量"),
    "staffing.households_per_social_organisation": (
        "households per social organisation",
        "每个社会组织服务户数",
    ),
    "staffing.social_workers_per_1000_households": (
        "social workers per 1,000 households",
        "每千户社工数",
    ),
    "staffing.social_worker_cases_per_day": ("social-worker cases per day", "社工每日办件量"),
    "staffing.party_branch_level": ("party branch level", "党组织设置层级"),
    "staffing.grid_worker_cost": ("grid-worker cost", "网格员人均成本"),
    "staffing.legal_advisor_cost": ("legal-advisor cost", "法律顾问人均成本"),
    "staffing.social_worker_cost": ("social-worker cost", "社工人均成本"),
    "self_governance.participation": ("participation", "居民参与度"),
    "self_governance.deliberation_interval_days": ("days between councils", "议事会间隔天数"),
    "self_governance.topics_per_deliberation": ("topics per council", "每次议事议题数"),
    "self_governance.resident_rules": ("resident rules", "村规民约强度"),
    "self_governance.joint_councils": ('"1+7+X" six-step councils', "“1+7+X”六步议事会"),
    "self_governance.public_dispute_share": (
        "public-interest disputes on the agenda",
        "公共纠纷上会比例",
    ),
    "self_governance.investigation_gain": ("gain from investigation", "议前调研增益"),
    "self_governance.follow_up_success": ("follow-up success", "跟踪落实成功率"),
    "self_governance.public_jury": ("public jury", "公众评判庭"),
    "self_governance.jury_interval_days": ("days between jury sittings", "评判庭间隔天数"),
    "self_governance.jury_cases_per_sitting": ("disputes per jury sitting", "每次评判案件数"),
    "self_governance.jury_size": ("jurors per sitting", "评判员人数"),
    "self_governance.jury_acceptance": ("parties choosing the jury", "选择评判庭的比例"),
    "self_governance.jury_success": ("jury success", "评判成功率"),
    "self_governance.jury_law_weight": ("weight of law in a jury", "评判中法律的分量"),
    "self_governance.jury_audience": ("share watching a sitting", "旁听比例"),
    "self_governance.rules_revision": ("rules revised at councils", "村规民约修订"),
    "self_governance.rules_revision_gain": ("gain of a revision", "每次修订增益"),
    "self_governance.rules_decay_days": ("life of the rules", "村规民约衰减天数"),
    "self_governance.rules_prevention": ("disputes the rules prevent", "村规民约预防纠纷比例"),
    "self_governance.rules_law_weight": ("share of the rules through law", "村规民约中的法治分量"),
    "rule_of_law.detection_probability": ("detection probability", "违规查处概率"),
    "rule_of_law.sanction": ("sanction severity", "处罚力度"),
    "rule_of_law.mediation_success": ("legal mediation success", "法律调解成功率"),
    "rule_of_law.legal_lectures_per_year": ("legal lectures per advisor", "顾问年均法治讲座数"),
    "rule_of_law.lecture_reach": ("lecture reach", "讲座覆盖比例"),
    "rule_of_law.court_days": ("days to a judgment", "诉讼判决天数"),
    "rule_of_law.advisor_attendance": ("advisors at sittings", "法律顾问列席比例"),
    "rule_of_law.advisor_success_gain": ("gain from an advisor", "顾问列席增益"),
    "rule_of_law.advisor_sitting_cases": ("advisor time per sitting", "每次列席占用办件量"),
    "moral.moral_bank": ("moral bank", "道德银行"),
    "moral.credit_value": ("value of a credit", "积分价值"),
    "moral.red_black_list": ("red and black boards", "红黑榜"),
    "moral.list_share": ("share on each board", "上榜比例"),
    "moral.role_models": ("role models", "榜样作用"),
    "moral.crowding_out": ("crowding out by credits", "积分挤出效应"),
    "moral.integrity_points": ("integrity points", "诚信积分"),
    "moral.integrity_sanction_cost": ("points lost per sanction", "每次处罚扣分"),
    "moral.integrity_escalation_cost": ("points lost per escalation", "每次越级上访扣分"),
    "moral.integrity_recovery_days": ("days to regain full points", "积分恢复天数"),
    "moral.integrity_stake": ("standing at stake", "信誉损失分量"),
    "moral.integrity_norm_gain": ("norm gain from a deduction", "扣分公示的规范提升"),
    "moral.integrity_priority_days": ("priority days for full points", "高分优先天数"),
    "moral.redemption": ("credit redemption", "积分兑换"),
    "moral.moral_review": ("moral review councils", "道德评议会"),
    "moral.review_interval_days": ("days between moral reviews", "道德评议间隔天数"),
    "moral.review_panel_size": ("residents on a review panel", "评议团人数"),
    "moral.review_board_share": ("share named on each moral board", "道德榜上榜比例"),
    "moral.review_praise_gain": ("norm gain from praise", "表彰的规范提升"),
    "moral.review_shame_gain": ("norm gain from criticism", "曝光的规范提升"),
    "moral.redemption_rate": ("share of credits spent a month", "每月兑换比例"),
    "moral.redemption_pull": ("extra pull of a spendable credit", "可兑换积分的额外吸引力"),
    "moral.preferential_share": ("share given preferential credit", "道德信贷覆盖比例"),
    "moral.preferential_trust_gain": ("trust from preferential credit", "道德信贷带来的信任"),
    "moral.preferential_priority_days": (
        "priority days for preferential credit",
        "道德信贷优先天数",
    ),
    "fusion.coordination": ("coordination", "部门协同程度"),
    "fusion.party_leadership": ("party leadership", "党建引领强度"),
    "fusion.party_visit_cases_per_week": ("party visit cases per week", "党组织每周下沉办件量"),
    "fusion.stuck_days": ("days until a case is stuck", "久拖事项认定天数"),
    "behaviour.dispute_rate": ("dispute rate", "纠纷发生率"),
    "behaviour.violation_rate": ("violation rate", "违规发生率"),
    "behaviour.service_rate": ("service request rate", "服务诉求率"),
    "behaviour.public_rate": ("public topic rate", "公共议题提出率"),
    "behaviour.max_open_issues": ("open issues per household", "每户最多未结事项"),
    "behaviour.informal_propensity": ("tendency to settle informally", "自行化解倾向"),
    "behaviour.informal_success": ("informal settlement success", "自行化解成功率"),
    "behaviour.grid_weight": ("weight of reporting to the grid", "向网格上报的权重"),
    "behaviour.legal_weight": ("weight of going to a legal advisor", "找法律顾问的权重"),
    "behaviour.unreported_weight": ("weight of not reporting", "不上报的权重"),
    "behaviour.agenda_weight": ("weight of the council agenda", "提交议事会的权重"),
    "behaviour.grid_mediation_success": ("grid mediation success", "网格调解成功率"),
    "behaviour.grid_service_success": ("grid service success", "网格服务办结率"),
    "behaviour.enforcement_success": ("enforcement success", "执法处置成功率"),
    "behaviour.social_service_success": ("social service success", "社会组织服务成功率"),
    "behaviour.party_visit_success": ("party visit success", "党员下沉办结率"),
    "behaviour.council_attendance": ("council attendance", "议事会出席率"),
    "behaviour.council_success": ("council success", "议事会议定成功率"),
    "behaviour.public_grid_success": ("grid success on public topics", "网格办结公共议题成功率"),
    "behaviour.patrol_discovery": ("patrol discovery", "巡查发现率"),
    "behaviour.spontaneous_days": ("days for an issue to fade", "事项自行消退天数"),
    "behaviour.patience_days": ("patience (days)", "耐心天数"),
    "behaviour.escalation_propensity": ("tendency to escalate", "越级上访倾向"),
    "behaviour.referral_loss": ("referral loss", "转办流失率"),
    "behaviour.referral_delay_days": ("referral delay (days)", "转办延迟天数"),
    "behaviour.volunteer_sessions_per_year": ("volunteer sessions a year", "志愿者年均服务次数"),
    "behaviour.active_volunteer_share": ("active volunteers", "活跃志愿者比例"),
    "behaviour.hours_per_session": ("hours per session", "每次服务时长"),
    "behaviour.hours_per_service_case": ("volunteer hours per case", "每件服务所需志愿时长"),
    "behaviour.norm_diffusion": ("norm diffusion", "规范扩散速度"),
    "behaviour.trust_diffusion": ("trust diffusion", "信任扩散速度"),
    "behaviour.engagement_diffusion": ("engagement diffusion", "参与意愿扩散速度"),
    "behaviour.engagement_anchor": ("pull of participation", "参与意愿回归速度"),
    "behaviour.trust_anchor": ("pull of initial trust", "信任回归速度"),
    "behaviour.trust_gain": ("trust gained per resolution", "化解带来的信任提升"),
    "behaviour.trust_loss": ("trust lost per failure", "失败造成的信任损失"),
    "behaviour.deterrence_learning": ("deterrence learning", "威慑感知学习速度"),
    "behaviour.deterrence_weight": ("weight of deterrence", "威慑作用权重"),
    "behaviour.sanction_weight": ("weight of sanctions", "处罚作用权重"),
    "behaviour.broken_windows": ("broken windows", "破窗效应"),
    "behaviour.norm_from_volunteering": ("norm gain from volunteering", "志愿服务的规范提升"),
    "behaviour.lecture_gain": ("awareness gain per lecture", "讲座带来的法治意识提升"),
    "behaviour.awareness_decay_days": ("awareness decay (days)", "法治意识回落时间"),
    "behaviour.satisfaction_days": ("satisfaction lag (days)", "满意度调整时间"),
    "behaviour.security_days": ("security lag (days)", "安全感调整时间"),
    "behaviour.burnout_threshold": ("burnout threshold", "倦怠阈值"),
    "behaviour.burnout_rate": ("burnout rate", "倦怠累积速度"),
    "behaviour.burnout_recovery": ("burnout recovery", "倦怠恢复速度"),
    "population.community_sizes": ("community sizes", "各社区户数"),
    "population.large_community_share": ("share of large communities", "大社区比例"),
    "population.large_community_households": ("size of a large community", "大社区户数标准"),
    "population.largest_community_households": ("largest community", "社区户数上限"),
    "population.active_party_share": ("active party members", "活跃党员比例"),
    "population.in_service_party_share": ("in-service party members", "在职党员比例"),
    "population.dual_registration": ("dual registration", "双报到比例"),
    "staffing.allocation": ("staff allocation", "人员配置方式"),
    "staffing.need_share": ("staff spread by need", "按需调配比例"),
    "staffing.reallocation_days": ("days between reallocations", "调配间隔天数"),
    "staffing.overrides": ("staffing set by hand", "手工设定的人员配置"),
    "staffing.grid_leader_time": ("grid leader's time", "网格长投入时间"),
    "staffing.police_per_grid": ("grid police", "网格警务员"),
    "staffing.helpers_per_grid": ("grid helpers", "网格辅助员"),
    "staffing.community_staff_rule": ("community staff rule", "社区工作者配置规则"),
    "staffing.community_staff_per_community": (
        "community staff per community",
        "每社区社区工作者数",
    ),
    "staffing.households_per_community_staff": (
        "households per community staff member",
        "每名社区工作者服务户数",
    ),
    "staffing.min_community_staff": ("fewest community staff", "社区工作者最少人数"),
    "staffing.community_staff_cases_per_day": (
        "community-staff cases per day",
        "社区工作者每日办件量",
    ),
    "staffing.community_admin_load": ("community staff's admin load", "社区工作者行政负担"),
    "staffing.task_entry_list": ("tasks kept out by an entry list", "准入清单挡回的任务比例"),
    "staffing.initial_social_credibility": (
        "social organisations' initial credibility",
        "社会组织初始公信力",
    ),
    "staffing.community_staff_cost": ("community-staff cost", "社区工作者人均成本"),
    "rule_of_law.police_detection": ("police detection", "警务查处概率"),
    "fusion.party_coordination": ("coordination by the party", "党建引领的协同作用"),
}

# Values of choice parameters (``staffing.allocation`` and the like) in both languages.
CHOICES: Words = {
    "per_community": ("per community", "按社区"),
    "per_households": ("per households", "按户数"),
    "per_grid": ("per grid", "按网格"),
    "grid": ("per grid", "每个网格"),
    "community": ("per community", "每个社区"),
    "equal": ("equal", "平均分配"),
    "need": ("by need", "按需求"),
    "small_world": ("small world", "小世界网络"),
    "ring": ("ring", "环形网络"),
}

# Levers with named levels (the fusion design's modes) and their levels.
LEVERS: Words = {
    "self_governance": ("self-governance", "自治"),
    "rule_of_law": ("rule of law", "法治"),
    "moral": ("moral governance", "德治"),
    "on": ("on", "开"),
    "off": ("off", "关"),
    "True": ("yes", "是"),
    "False": ("no", "否"),
}


def scenario_label(name: str, lang: str) -> str:
    """A scenario's name in ``lang``: the library's translation, else the name itself."""
    return say(SCENARIOS, name, lang) if name in SCENARIOS else name


def scenario_description(name: str, description: str, lang: str) -> tuple[str, bool]:
    """A scenario's description in ``lang`` and whether it is the translation (False: the
    file's own words, shown as written)."""
    if lang == "zh" and name in DESCRIPTIONS and DESCRIPTIONS[name][0] == description:
        return DESCRIPTIONS[name][1], True
    return description, lang != "zh"


def parameter_label(key: str, lang: str) -> str:
    """A parameter (``section.key``) or lever's label in ``lang``; the key if unknown."""
    if key in PARAMETERS:
        return say(PARAMETERS, key, lang)
    if key in LEVERS:
        return say(LEVERS, key, lang)
    return key


# Units of the parameters (their ``Spec.unit``) in both languages; a unit not listed is
# shown in English only (and left out of Chinese text).
UNITS: Words = {
    "households": ("households", "户"),
    "share of households": ("share of households", "住户比例"),
    "share of resident party members": ("share of resident party members", "占常住党员比例"),
    "share of working time": ("share of working time", "工作时间占比"),
    "share of sunk-down tasks": ("share of tasks sent down", "下派任务占比"),
    "officers": ("officers", "名警员"),
    "helpers": ("helpers", "名辅助员"),
    "advisors": ("advisors", "名顾问"),
    "social workers": ("social workers", "名社工"),
    "0-1": ("0–1", "0–1"),
    "days": ("days", "天"),
    "probability": ("probability", "概率"),
    "": ("", ""),
}

# Words of values that are lists or tables: community sizes, ``[[staffing.overrides]]``.
VALUES: Words = {
    "none": ("none", "无"),
    "many": ("{n} values, {low}–{high}", "{n}个值，{low}–{high}"),
    "all_same": ("{n} × {value}", "{n} × {value}"),
    "communities": ("communities {items}", "第{items}号社区"),
    "grids": ("grids {items}", "第{items}号网格"),
    "communities_above": ("communities above {n} households", "{n}户以上的社区"),
    "communities_below": ("communities below {n} households", "{n}户以下的社区"),
    "grid_workers": ("grid workers", "网格员"),
    "community_staff": ("community staff", "社区工作者"),
}
MANY_VALUES = 6  # a longer list is shown as its count and range


def unit_label(unit: str, lang: str) -> str:
    """A parameter's unit in ``lang`` (English units without a translation: none in Chinese)."""
    if unit in UNITS:
        return say(UNITS, unit, lang)
    return "" if lang == "zh" else unit


def value_label(value: object, lang: str) -> str:
    """A parameter value as shown: numbers by :func:`number`, levels and switches in words,
    long lists by their count and range, staffing set by hand by what it sets where."""
    if isinstance(value, bool) or str(value) in LEVERS:
        return say(LEVERS, str(value), lang)
    if isinstance(value, str) and value in CHOICES:
        return say(CHOICES, value, lang)
    if isinstance(value, int | float):
        return number(float(value))
    if isinstance(value, list | tuple):
        if not value:
            return say(VALUES, "none", lang)
        if all(isinstance(v, Mapping) for v in value):
            return ("；" if lang == "zh" else "; ").join(_override_label(v, lang) for v in value)
        if len(value) > MANY_VALUES and all(isinstance(v, int | float) for v in value):
            low, high = number(min(value)), number(max(value))
            if low == high:
                return say(VALUES, "all_same", lang, n=len(value), value=low)
            return say(VALUES, "many", lang, n=len(value), low=low, high=high)
        return ("、" if lang == "zh" else ", ").join(value_label(v, lang) for v in value)
    return str(value)


def _override_label(override: Mapping, lang: str) -> str:
    """One ``[[staffing.overrides]]`` entry: 'communities 1–6: grid helpers = 8'."""
    where = []
    for key in ("communities", "grids"):
        if override.get(key):
            where.append(say(VALUES, key, lang, items=_runs(override[key])))
    for key in ("communities_above", "communities_below"):
        if override.get(key):
            where.append(say(VALUES, key, lang, n=number(override[key])))
    settings = []
    for key, value in override.items():
        if key in ("communities", "grids", "communities_above", "communities_below"):
            continue
        if isinstance(value, int | float) and value != -1:
            label = (
                say(VALUES, key, lang)
                if key in VALUES
                else parameter_label(f"staffing.{key}", lang)
            )
            settings.append(f"{label} = {number(float(value))}")
    sep = "，" if lang == "zh" else ", "
    return f"{sep.join(where)}{'：' if lang == 'zh' else ': '}{sep.join(settings)}"


def _runs(numbers: tuple[int, ...]) -> str:
    """1, 2, 3, 5 as '1–3, 5'."""
    parts, ordered = [], sorted(numbers)
    start = prev = ordered[0]
    for n in [*ordered[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}–{prev}" if prev > start else f"{start}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)
