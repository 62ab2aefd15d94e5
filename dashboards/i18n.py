"""The dashboard's one translation table: every UI string, lever label and explanation.

Metric labels are not here: they come from the metric registry (``sim.metrics``), so the
dashboard, the command line and reports always agree. Components never hold literal
strings; they call :func:`t`, :func:`lever_label`, :func:`lever_help`, :func:`preset_label`,
:func:`metric_label` or :func:`quantity_label`. The guided tour's narration is the teaching
script's, and lives with its steps (``dashboards.tour``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from experiments.wording import number, value_label
from sim.metrics import REGISTRY

if TYPE_CHECKING:
    from .cards import Quantity

LANGS = ("en", "zh")

# key: (English, 中文)
UI: dict[str, tuple[str, str]] = {
    "title": ("Sanzhi · three-governance fusion", "三治融合 · 基层治理仿真"),
    "subtitle": (
        "Self-governance, rule of law and moral governance, led by the party, in a grid",
        "党建引领下的自治、法治、德治与网格化管理",
    ),
    "title_short": ("Sanzhi 三治融合", "三治融合仿真"),
    "language": ("Language", "语言"),
    "controls": ("Controls", "控制面板"),
    "close": ("Close", "关闭"),
    # run controls
    "run": ("Run", "运行"),
    "reset": ("Reset", "重置"),
    "step": ("Step", "单步"),
    "play": ("Play", "播放"),
    "pause": ("Pause", "暂停"),
    "speed": ("Speed (days per second)", "速度（每秒天数）"),
    "achieved": ("achieved: {speed} days a second", "实际：每秒 {speed} 天"),
    "achieved_low": (
        "this machine is slower: frames are dropped, days are not",
        "本机较慢：画面会跳帧，天数不会少",
    ),
    "day": ("Day", "第"),
    "day_suffix": ("", "天"),
    "day_card": ("Day", "天数"),
    "plus_30": ("+30 days", "+30天"),
    "plus_365": ("+1 year", "+1年"),
    "seed": ("Seed", "随机种子"),
    "seed_help": (
        "Same seed and same levers give the same run, bit for bit.",
        "相同的种子和参数会得到完全相同的运行结果。",
    ),
    "households": ("households", "户"),
    "grids": ("grids", "个网格"),
    "communities": ("communities", "个社区"),
    "replay_note": (
        "From today: a moved lever applies from the current day and the run goes on; the "
        "charts mark the day with a dotted line and the change, and Rewind goes back to a "
        "marked day. Households and the other levers that cannot change mid-run are "
        "replayed from day 0.",
        "从今天起：调整的参数从当前这一天起生效，运行继续；图中以虚线竖线标出这一天和改动，"
        "可“回到”任一标记的那一天。户数等不能中途改变的参数从第0天起重新运行。",
    ),
    "replay_note_always": (
        "As if it had always been so: a moved lever applies from day 0; the same seed is "
        "re-run up to today and the previous run stays on the charts as a dashed line.",
        "假如一直如此：调整的参数从第0天起生效，用同一随机种子重新运行到当前天数，"
        "上一次运行以虚线保留在图中。",
    ),
    "mode_today": ("From today", "从今天起"),
    "mode_always": ("As if always so", "假如一直如此"),
    "marks": ("Changes (click to rewind)", "改动（点击回到那一天）"),
    "mark_chip": ("Day {day}: {change}", "第{day}天：{change}"),
    "mark_dropped": (
        "only the latest changes keep their saved day: this one can no longer be rewound to",
        "只有最近的改动保存了当天的状态：这一处已无法回到",
    ),
    "rewind_help": (
        "Back to day {day}, right after this change; the run from there on stays dashed",
        "回到第{day}天、这次改动刚生效时；此后的运行以虚线保留",
    ),
    "export_png": ("Figures as PNG", "导出图表 PNG"),
    "export_help": (
        "The figures on screen as one PNG, for slides",
        "将屏幕上的图表导出为一张 PNG 图片，用于幻灯片",
    ),
    # messages
    "lever_error": ("Invalid value", "取值无效"),
    "play_error": ("Play stopped", "播放已停止"),
    "lever_fixed_head": ("Replayed from day 0", "已从第0天重新运行"),
    "lever_fixed": (
        "cannot change mid-run, so it applies as if it had always been so",
        "不能在运行中途改变，因此按“假如一直如此”处理",
    ),
    "refused": ("Refused", "已拒绝"),
    "scenario_loaded": ("Loaded", "已载入"),
    "scenario_outside": (
        "only files inside scenarios/ can be loaded",
        "只能载入 scenarios/ 目录中的文件",
    ),
    "scenario_missing": ("no such scenario file", "情景文件不存在"),
    "scenario_not_toml": ("not a .toml scenario file", "不是 .toml 情景文件"),
    "scenario_not_teaching": (
        "not a teaching scenario: sweep designs and calibration targets are for the command line",
        "不是教学情景：参数扫描和校准目标文件请在命令行中使用",
    ),
    "scenario_too_large_for_link": (
        "too many households to open from a link; use the scenario picker",
        "住户数过多，不能通过链接打开，请使用情景选择器",
    ),
    "scenario_large_busy": (
        "another page has a city-scale scenario open; one at a time",
        "另一页面已打开城市规模情景，同一时间只能打开一个",
    ),
    "link_bad_value": ("not a value this link may set", "链接中的取值无效"),
    "link_bad_number": ("not a whole number in the range", "不是范围内的整数"),
    "link_unknown": ("not a lever the dashboard knows", "不是仪表板中的参数"),
    "link_out_of_range": ("outside the lever's range", "超出参数范围"),
    "full_title": ("The dashboard is full", "仪表板已满"),
    "full_text": (
        "{n} pages are open, the most this server allows. Close a tab you no longer use and "
        "reload, or start the server with more: sanzhi dashboard --max-sessions 80",
        "已打开 {n} 个页面，达到本服务器的上限。请关闭不再使用的页面后刷新，"
        "或以更高上限启动服务器：sanzhi dashboard --max-sessions 80",
    ),
    # scenario picker
    "scenario": ("Scenario", "情景"),
    "scenario_pick": ("Teaching scenario (scenarios/)", "教学情景（scenarios/）"),
    "scenario_load": ("Load scenario", "载入情景"),
    "scenario_size_note": (
        "The scenario's own population, grids, levers and seed are loaded.",
        "载入情景自身的人口、网格、参数和随机种子。",
    ),
    "large_mark": ("city scale", "城市规模"),
    "large_warning": (
        "{name} has {households} households. Each simulated day takes seconds and the page "
        "needs over a gigabyte of memory: it shows scale, it is not for a live class.",
        "{name} 共 {households} 户。每模拟一天需要数秒，页面需占用超过1GB内存："
        "仅用于展示规模，不适合课堂实时演示。",
    ),
    "large_confirm": ("Load anyway", "仍然载入"),
    "cancel": ("Cancel", "取消"),
    # lever groups
    "levers": ("Levers", "政策杠杆"),
    "group_self": ("Self-governance (自治)", "自治"),
    "group_law": ("Rule of law (法治)", "法治"),
    "group_moral": ("Moral governance (德治)", "德治"),
    "group_fusion": ("Fusion & party leadership", "融合与党建引领"),
    "group_staffing": ("Staffing", "人员配置"),
    "group_community": ("Community office & 1+3+N team", "社区工作者与“1+3+N”网格队伍"),
    "group_population": ("Population & grids", "人口与网格"),
    "on": ("on", "开"),
    "off": ("off", "关"),
    "reset_levers": ("Default levers", "恢复默认参数"),
    # tabs and views
    "tab_live": ("Live", "实时"),
    "tab_compare": ("Compare", "对比"),
    "tab_guide": ("Lever guide", "参数说明"),
    "presenter": ("Presenter", "演示模式"),
    "classic": ("Full controls", "完整界面"),
    # quantities the dashboard derives (registry metrics have their own labels)
    "q_escalations_year": (
        "Escalations per 1,000 households a year",
        "每千户年越级上访",
    ),
    "q_escalations_year_help": (
        "Escalations beyond the grassroots in the last 365 days (before day 365: in the days "
        "so far, scaled to a year), per 1,000 households.",
        "近365天越级上访数（不足365天时按已运行天数折算为一年），每千户。",
    ),
    "q_referrals_lost_year": ("Lost referrals a year", "年转办流失"),
    "q_referrals_lost_year_help": (
        "Referrals between channels lost on the way in the last 365 days (before day 365: "
        "scaled to a year).",
        "近365天在渠道之间转办途中流失的事项数（不足365天时折算为一年）。",
    ),
    # grid map
    "grid_map": ("Grid map", "网格地图"),
    "grid_map_colour": ("Colour grids by", "网格着色指标"),
    "map_trust": ("Trust", "信任度"),
    "map_backlog": ("Backlog (open issues per 100 households)", "积压（每百户未结事项）"),
    "map_norm": ("Civic norm", "道德规范"),
    "map_escalations": (
        "Escalations per 1,000 households a year",
        "每千户年越级上访",
    ),
    "map_btn_trust": ("Trust", "信任度"),
    "map_btn_backlog": ("Backlog", "积压"),
    "map_btn_norm": ("Norm", "道德规范"),
    "map_btn_escalations": ("Escalations", "越级上访"),
    "grid_label": ("Grid", "网格"),
    "community_label": ("Community", "社区"),
    "workers_per_grid": ("grid workers", "名网格员"),
    "grid_map_help": (
        "Each tile is one grid (网格); thick outlines group grids into communities. The number "
        "under each tile is its grid-worker staffing.",
        "每个方块是一个网格；粗框表示社区。方块下方数字为该网格的网格员配置。",
    ),
    # network
    "network": ("Network: households of one grid", "社会网络：一个网格内的住户"),
    "network_colour": ("Colour households by", "住户着色指标"),
    "network_grid": ("Grid shown", "显示网格"),
    "net_norm": ("Civic norm", "道德规范"),
    "net_trust": ("Trust", "信任度"),
    "legend_household": ("Household", "住户"),
    "legend_open_issue": ("Household with an open issue", "有未结事项的住户"),
    "legend_party_member": ("Party-member household", "党员户"),
    "legend_grid_worker": ("Grid worker", "网格员"),
    "legend_legal": ("Legal advisor", "法律顾问"),
    "legend_social": ("Social organisation", "社会组织"),
    "legend_party": ("Party branch / council", "党组织/议事会"),
    "network_help": (
        "Lines from a staff marker lead to the households whose open issue sits in that "
        "queue: grid worker, legal advisor, social organisation, or the council agenda convened "
        "by the party branch.",
        "从工作人员标记引出的连线指向其队列中有未结事项的住户：网格员、法律顾问、社会组织，"
        "或党组织召集的议事会议程。",
    ),
    # time series
    "timeseries": ("Key metrics over time", "关键指标走势"),
    "days_axis": ("day", "天"),
    "previous_run": ("previous run", "上一次运行"),
    "current_run": ("current run", "当前运行"),
    # compare
    "compare_title": (
        "Two lever settings, same seed, stepped together",
        "两组参数·同一种子·同步运行",
    ),
    "compare_help": (
        "Both runs start from the same seed and the levers in the sidebar; each side then "
        "applies its preset. Differences come from the preset alone.",
        "两次运行使用相同的随机种子和侧栏中的参数，各自再叠加所选预设，差异只来自预设本身。",
    ),
    "side_a": ("Setting A", "方案 A"),
    "side_b": ("Setting B", "方案 B"),
    "compare_reset": ("Reset both", "全部重置"),
    "compare_step": ("Step both", "同步单步"),
    "metric": ("Metric", "指标"),
    "difference": ("B − A", "B − A"),
    # Preset labels are format strings: the numbers come from the preset's scenario file
    # (library.PRESETS), named by the last part of their key.
    "preset_silos": (
        "Silos: coordination {coordination:g}, party leadership {party_leadership:g}",
        "各自为政：协同 {coordination:g}，党建引领 {party_leadership:g}",
    ),
    "preset_fusion": (
        "Fusion: coordination {coordination:g}, party leadership {party_leadership:g}",
        "三治融合：协同 {coordination:g}，党建引领 {party_leadership:g}",
    ),
    "preset_current": ("Sidebar levers as they are", "侧栏当前参数"),
    "preset_more_workers": (
        "More grid workers: 1 per {households_per_grid_worker:g} households",
        "增配网格员：每{households_per_grid_worker:g}户1名",
    ),
    "preset_moral_bank": ("Moral bank and red/black lists on", "开启道德银行和红黑榜"),
    "preset_no_legal": ("No legal advisors", "不配法律顾问"),
    "preset_admin_heavy": (
        "Heavy admin load: {admin_load:.0%} of grid time",
        "行政任务繁重：占网格员{admin_load:.0%}时间",
    ),
    # guided tour
    "tour_start": ("Guided tour", "导览"),
    "tour_next": ("Next", "下一步"),
    "tour_back": ("Back", "上一步"),
    "tour_end": ("End tour", "结束导览"),
    "tour_of": ("Step {n} of {total}", "第 {n} 步，共 {total} 步"),
    # guide
    "guide_intro": (
        "What each lever means in practice. Hover over a lever in the sidebar for the same text.",
        "各项参数在实践中的含义。将鼠标悬停在侧栏参数上也可看到说明。",
    ),
    "range": ("range", "范围"),
    "default": ("default", "默认"),
}

# Lever key -> (English label, 中文标签, English explanation, 中文说明); the sliders'
# ranges and steps are state.LEVERS.
LEVER_TEXT: dict[str, tuple[str, str, str, str]] = {
    # 自治 self-governance
    "self_governance.participation": (
        "Participation",
        "居民参与度",
        "Baseline share of households willing to take part in self-governance: council "
        "meetings, volunteering, raising topics. Engagement drifts back to this level.",
        "愿意参与自治的住户比例基线：参加议事会、志愿服务、提出议题。参与意愿会向此水平回归。",
    ),
    "self_governance.deliberation_interval_days": (
        "Council every N days",
        "议事会间隔（天）",
        "How often each community's deliberation council (议事会, '1+7+X') meets to settle "
        "public topics with residents. 0 means no councils.",
        "每个社区议事会（“1+7+X”）召开的间隔天数，会上与居民共同商议公共事务。0 表示不设议事会。",
    ),
    "self_governance.topics_per_deliberation": (
        "Topics per council meeting",
        "每次议事议题数",
        "Public topics a council can take up at one meeting.",
        "议事会每次会议能处理的公共议题数量。",
    ),
    "self_governance.resident_rules": (
        "Resident rules (村规民约)",
        "村规民约强度",
        "Strength of the rules residents wrote for themselves: neighbours settle more disputes "
        "and minor violations between them, before anyone has to report them.",
        "居民自订规约的约束力：更多纠纷和轻微违规在邻里之间自行化解，无需上报。",
    ),
    "self_governance.joint_councils": (
        "'1+7+X' councils in six steps",
        "“1+7+X”六步议事",
        "Councils collect topics (and disputes of public interest), choose them, investigate "
        "until the next meeting, decide, publish and follow up (Jinchang). A decision not "
        "carried out is seen: its raiser and grid lose trust and the topic returns.",
        "议事会收集议题（含涉及公共利益的纠纷）、确定议题、议前调研至下次会议、召开议事会、"
        "公示结果、跟踪落实（金昌）。决议未落实会被看见：提出者及其网格信任下降，议题重回议程。",
    ),
    "self_governance.public_dispute_share": (
        "Disputes on the council agenda",
        "纠纷进入议程权重",
        "With six-step councils, how readily a dispute goes on the council agenda, relative "
        "to a public topic (disputes of public interest).",
        "六步议事时，纠纷（涉及公共利益）进入议事会议程的倾向，相对公共议题而言。",
    ),
    "self_governance.investigation_gain": (
        "Gain from investigation",
        "议前调研增益",
        "Relative rise in a decision's success on a topic investigated before the meeting.",
        "经议前调研的议题，议定成功率的相对提升。",
    ),
    "self_governance.follow_up_success": (
        "Decisions carried out",
        "决议落实率",
        "Chance a council's published decision is carried out at follow-up.",
        "已公示的议事决议在跟踪落实中得以落实的概率。",
    ),
    "self_governance.public_jury": (
        "Public juries (公众评判庭)",
        "公众评判庭",
        "Disputes an advisor failed to mediate can be heard, before their court judgment, by "
        "a jury of residents at a weekly sitting, judging on law, policy and facts, with "
        "neighbours watching (Kunshan, 淀山湖镇). Jurors take part and learn law; a sitting "
        "that settles its disputes builds trust among those present.",
        "调解未成的纠纷可在法院判决前，提交每周开庭的公众评判庭，由居民评判团依据法律、政策和"
        "事实评议，邻里旁听（昆山淀山湖镇）。评判员参与自治、学习法律；化解了纠纷的庭审能增进"
        "在场者的信任。",
    ),
    "self_governance.jury_acceptance": (
        "Parties choosing the jury",
        "当事人选择评判庭比例",
        "Chance the parties of a dispute whose mediation failed take it to the public jury. "
        "It stays on the court's docket either way.",
        "调解未成的纠纷当事人选择公众评判庭的概率；无论是否选择，案件都仍在法院排期。",
    ),
    "self_governance.jury_audience": (
        "Jury audience",
        "评判庭旁听比例",
        "Share of a community's households who come to watch a sitting (旁听): they learn "
        "law, and gain trust when they see disputes settled.",
        "每次庭审前来旁听的社区住户比例：旁听者学习法律，看到纠纷化解时信任上升。",
    ),
    "self_governance.jury_interval_days": (
        "Jury every N days",
        "评判庭间隔（天）",
        "How often each community's public jury sits.",
        "每个社区公众评判庭开庭的间隔天数。",
    ),
    "self_governance.jury_cases_per_sitting": (
        "Disputes per jury sitting",
        "每次评判案件数",
        "Disputes a jury can hear at one sitting; the rest wait for the next.",
        "评判庭每次开庭能评判的纠纷数，其余等待下次。",
    ),
    "self_governance.jury_size": (
        "Jurors per sitting",
        "评判员人数",
        "Residents drawn to sit on the jury at each sitting.",
        "每次开庭抽选的居民评判员人数。",
    ),
    "self_governance.jury_success": (
        "Jury success",
        "评判成功率",
        "Chance a jury settles a dispute when its jurors' norms and legal awareness are "
        "complete; it falls with the jurors' actual mean.",
        "评判员道德与法治意识均满分时评判庭化解纠纷的概率；实际按评判员平均水平折减。",
    ),
    "self_governance.jury_law_weight": (
        "Law in the jury's judgment",
        "评判中法律的权重",
        "How much the jurors' legal awareness, against their norms, counts in a jury's success.",
        "评判员法治意识（相对道德水平）在评判成功率中的权重。",
    ),
    "self_governance.rules_decay_days": (
        "Rules' life without revision",
        "规约失效周期（天）",
        "Mean life of the rules' strength if no council revises them.",
        "若不经议事会修订，规约效力的平均存续天数。",
    ),
    "self_governance.rules_prevention": (
        "Disputes the rules prevent",
        "规约预防纠纷比例",
        "Share of disputes that rules at full effect prevent.",
        "效力充分的规约能预防的纠纷比例。",
    ),
    "self_governance.rules_law_weight": (
        "Law in the rules",
        "规约中的法治元素",
        "Share of the rules' effect that works only where residents know the law.",
        "规约作用中依赖居民法治意识的部分。",
    ),
    "self_governance.rules_revision": (
        "Revise the rules at councils",
        "议事会修订村规民约",
        "Resident rules carry law and are revised at council meetings, as attendance allows "
        "(Kunshan: ten rounds of consultation; Jinchang: 以规立德). Between revisions they "
        "erode. They prevent disputes and help neighbours settle, more where residents know "
        "the law. Without councils they never change.",
        "村规民约融入法治元素，并在议事会上按参与情况修订（昆山十余次征求意见；金昌“以规立德”）。"
        "两次修订之间其效力逐渐减弱。它预防纠纷、促进邻里自行化解，居民法治意识越高作用越大。"
        "不设议事会则规约不变。",
    ),
    "self_governance.rules_revision_gain": (
        "Rules revision step",
        "每次修订提升幅度",
        "How far one well-attended council meeting raises the rules' strength toward full.",
        "一次参与充分的议事会把规约效力向满分提升的幅度。",
    ),
    # 法治 rule of law
    "staffing.legal_advisors_per_community": (
        "Legal advisors per community",
        "每社区法律顾问数",
        "One legal advisor per village/community is today's 100% coverage. Advisors mediate "
        "disputes the grid worker could not settle, give legal lectures, and are the backstop "
        "before a case goes to court or is escalated.",
        "一村（社区）一法律顾问即全覆盖。顾问调解网格员未能化解的纠纷、开展法治讲座，"
        "是案件诉至法院或越级上访前的最后防线。",
    ),
    "staffing.legal_cases_per_week": (
        "Advisor cases per week",
        "顾问每周办案量",
        "Advisors are part-time retainers: mediation cases each can take per week.",
        "法律顾问多为兼职，每人每周可承办的调解案件数。",
    ),
    "rule_of_law.detection_probability": (
        "Detection probability",
        "违规查处概率",
        "Chance that a minor violation is caught on the spot. Residents learn the risk from "
        "their own and their neighbours' experience (deterrence).",
        "轻微违规被当场发现的概率。居民从自身和邻居的经历中感知被查处的风险（威慑）。",
    ),
    "rule_of_law.sanction": (
        "Sanction severity",
        "处罚力度",
        "How heavy the sanction is when caught. Perceived detection matters more than "
        "severity (Becker; Entorf).",
        "被查处时处罚的轻重。研究表明，感知到的查处概率比处罚力度更重要。",
    ),
    "rule_of_law.mediation_success": (
        "Legal mediation success",
        "法律调解成功率",
        "Base chance a legal advisor settles a dispute, higher when the parties know the law.",
        "法律顾问调解成功的基础概率，当事人法治意识越强越容易成功。",
    ),
    "rule_of_law.mediation_rounds": (
        "Mediation rounds",
        "调解轮次",
        "Mediation sessions a legal advisor holds on a dispute before it goes to court; each "
        "further round is harder.",
        "法律顾问在纠纷诉至法院前进行的调解次数；每多一轮，调解成功的难度更大。",
    ),
    "rule_of_law.legal_lectures_per_year": (
        "Legal lectures per advisor a year",
        "每名顾问年度法治讲座",
        "Lectures raise legal awareness in the community, so residents use legal channels "
        "and settle more disputes themselves.",
        "法治讲座提升社区居民的法治意识，使其更善于运用法律途径、更多自行化解纠纷。",
    ),
    "rule_of_law.lecture_reach": (
        "Lecture reach",
        "讲座覆盖面",
        "Share of a community's households invited to each lecture.",
        "每场讲座覆盖的社区住户比例。",
    ),
    "rule_of_law.court_days": (
        "Days to a court judgment",
        "诉讼审理天数",
        "When mediation fails the case goes to court; households wait this long, and some "
        "lose patience and escalate.",
        "调解失败后进入诉讼程序，住户需等待这么多天，部分人会失去耐心而越级上访。",
    ),
    "rule_of_law.advisor_attendance": (
        "Advisors at councils and juries",
        "法律顾问列席比例",
        "Share of council meetings and jury sittings a legal advisor attends (Zhongshan: one "
        "advisor per compound; the 法律工作者 of '1+7+X'). An advisor raises the sitting's "
        "success and the quality of rule revisions, but the time comes out of the cases "
        "they would have mediated.",
        "法律顾问列席议事会和公众评判庭的比例（中山一小区一法律顾问；“1+7+X”中的法律工作者）。"
        "顾问列席提高议事与评判的成功率和规约修订质量，但占用其本可用于调解案件的时间。",
    ),
    "rule_of_law.advisor_success_gain": (
        "Advisor's gain at a sitting",
        "顾问列席增益",
        "Relative rise in a council's or jury's success when an advisor attends.",
        "顾问列席时议事会或评判庭成功率的相对提升。",
    ),
    "rule_of_law.advisor_sitting_cases": (
        "Advisor time per sitting",
        "每场列席耗时",
        "Advisor time one sitting takes, in mediation cases given up.",
        "每场列席占用的顾问时间，以少办的调解案件数计。",
    ),
    # 德治 moral governance
    "moral.moral_bank": (
        "Moral bank (道德银行)",
        "道德银行",
        "Volunteer hours earn credits. Residents who value credits volunteer more, and "
        "credits count toward the monthly red board; being paid in credits crowds out part of "
        "the moral gain of volunteering. Credits are spent only with the redemption switch.",
        "志愿服务时长计入积分。看重积分的居民更多参加志愿服务，积分也计入每月红榜评选；"
        "以积分回报会挤出志愿服务的部分道德提升。只有开启“积分兑换”时积分才会被使用。",
    ),
    "moral.credit_value": (
        "Value of a credit",
        "积分吸引力",
        "How much residents value a moral-bank point: the pull of the reward.",
        "居民对道德银行积分的重视程度，即奖励的吸引力。",
    ),
    "moral.red_black_list": (
        "Red and black lists",
        "红黑榜",
        "Monthly 'good people' boards and black boards: public praise and shame that pull "
        "neighbours' norms toward the role models.",
        "每月评选“好人榜”和“黑榜”：以公开表扬和批评带动邻里向榜样看齐。",
    ),
    "moral.list_share": (
        "Share on each board",
        "上榜比例",
        "Share of households named on the red (and on the black) board each month.",
        "每月登上红榜（及黑榜）的住户比例。",
    ),
    "moral.role_models": (
        "Pull of role models",
        "榜样带动力",
        "How strongly role models ('ten-star civilised households') pull their neighbours' norms.",
        "榜样（如“十星级文明户”）对邻居道德规范的带动力度。",
    ),
    "moral.crowding_out": (
        "Crowding out",
        "动机挤出效应",
        "Share of the moral benefit of volunteering that is lost when it is paid in credits.",
        "志愿服务以积分回报时损失的道德提升比例。",
    ),
    "moral.integrity_points": (
        "Integrity points (诚信积分)",
        "诚信积分",
        "Households hold points for keeping the resident rules. A sanction or an escalation "
        "costs points, which come back over a year. Neighbours see the standing: a household "
        "with full points has more to lose by a violation, one that lost points is moved "
        "toward the norm at the monthly review, and full points bring priority at the grid "
        "and the community office.",
        "各户持有遵守村规民约的诚信积分。受到处罚或越级上访会扣分，一年内逐步恢复。积分公开可见："
        "满分住户违规的代价更大，被扣分的住户在每月评议时向规范靠拢，积分高者在网格和社区办事时优先。",
    ),
    "moral.integrity_sanction_cost": (
        "Points lost per sanction",
        "每次处罚扣分",
        "Share of full points a household loses when a violation of its own is sanctioned.",
        "住户自身违规受到处罚时扣除的积分（占满分比例）。",
    ),
    "moral.integrity_escalation_cost": (
        "Points lost per escalation",
        "每次越级上访扣分",
        "Share of full points a household loses when it escalates an issue beyond the "
        "grassroots, going over the order of complaint the rules set.",
        "住户越级上访（不按村规民约的程序反映问题）时扣除的积分（占满分比例）。",
    ),
    "moral.integrity_recovery_days": (
        "Days to regain full points",
        "积分恢复天数",
        "Days of keeping the rules in which lost points come back in full, in monthly steps.",
        "遵守规约多少天后扣除的积分全部恢复（按月逐步恢复）。",
    ),
    "moral.integrity_norm_gain": (
        "Norm gain from a published deduction",
        "扣分公示的规范提升",
        "How far a household that lost points moves toward the norm at each monthly review, "
        "in proportion to the points it lost.",
        "被扣分的住户在每月评议中向规范靠拢的幅度，与扣分多少成正比。",
    ),
    "moral.redemption": (
        "Credit redemption and moral credit (道德信贷)",
        "积分兑换与道德信贷",
        "With a moral bank: credits buy goods and services each month, so a credit pulls "
        "volunteers out more; the households with the most credits get preferential credit, "
        "which raises their trust and gives them priority at the grid and the community office.",
        "在道德银行基础上：积分每月可兑换物品和服务，积分对志愿服务的吸引力因而更大；积分最多的住户"
        "获得道德信贷等优待，信任度提高，在网格和社区办事时优先。",
    ),
    "moral.redemption_rate": (
        "Share of credits spent a month",
        "每月兑换比例",
        "Share of its credits a household spends each month on goods and services.",
        "住户每月用于兑换物品和服务的积分比例。",
    ),
    "moral.redemption_pull": (
        "Extra pull of a spendable credit",
        "可兑换积分的额外吸引力",
        "How much more the moral bank draws volunteers when its credits can be spent.",
        "积分可以兑换时，道德银行对志愿服务的吸引力增加多少。",
    ),
    "moral.preferential_share": (
        "Share given preferential credit",
        "道德信贷覆盖比例",
        "Share of each community's households, those with the most credits, given "
        "preferential credit each month.",
        "每月获得道德信贷优待的住户比例（各社区积分最高者）。",
    ),
    "moral.preferential_trust_gain": (
        "Trust from preferential credit",
        "道德信贷带来的信任",
        "How far a household given preferential credit moves toward full trust each month.",
        "获得道德信贷的住户每月信任度提升的幅度。",
    ),
    "moral.preferential_priority_days": (
        "Priority for preferential credit",
        "道德信贷优先天数",
        "Days by which issues of a household with preferential credit move ahead in the grid's "
        "and the community office's queues.",
        "获得道德信贷的住户的事项在网格和社区办事队列中提前的天数。",
    ),
    "moral.moral_review": (
        "Moral review councils (道德评议会)",
        "道德评议会",
        "On a schedule, a panel of residents in each community judges conduct and names "
        "households on a praise board (good people, filial piety) and a criticism board "
        "(unfilial conduct, lavish weddings and funerals). Both move the named households "
        "toward the norm, as strongly as the panel's own norm. Not the list of sanctioned "
        "violators; it pays no credits.",
        "各社区定期由居民评议团评议住户言行，评选“好人榜”“孝道红榜”，并对不孝、大操大办等陈规陋习"
        "上“黑榜”。上榜住户向规范靠拢，力度取决于评议团自身的道德水平。它不同于违规处罚名单，也不发放积分。",
    ),
    "moral.review_interval_days": (
        "Days between moral reviews",
        "道德评议间隔天数",
        "How often the moral review councils sit.",
        "道德评议会多久召开一次。",
    ),
    "moral.review_panel_size": (
        "Residents on a review panel",
        "评议团人数",
        "Residents drawn at random in each community to judge at a sitting (on average).",
        "每次评议各社区随机抽取的评议居民人数（平均）。",
    ),
    "moral.review_board_share": (
        "Share named on each moral board",
        "道德榜上榜比例",
        "Share of each community's households named on the praise board, and on the "
        "criticism board, at each sitting.",
        "每次评议各社区登上红榜（及黑榜）的住户比例。",
    ),
    "moral.review_praise_gain": (
        "Norm gain from praise",
        "表彰的规范提升",
        "How far a praised household moves toward the norm, with a panel of full norm.",
        "受表彰住户向规范靠拢的幅度（评议团道德水平满分时）。",
    ),
    "moral.review_shame_gain": (
        "Norm gain from criticism",
        "曝光的规范提升",
        "How far a criticised household moves toward the norm, with a panel of full norm.",
        "被曝光住户向规范靠拢的幅度（评议团道德水平满分时）。",
    ),
    "moral.integrity_stake": (
        "Weight of the standing at stake",
        "信誉损失的分量",
        "How much the standing a household would lose if caught deters it from a violation.",
        "违规被发现时可能失去的信誉对住户的威慑程度。",
    ),
    "moral.integrity_priority_days": (
        "Priority for full points",
        "高分优先天数",
        "Days by which an issue of a household with full points moves ahead in the grid's and "
        "the community office's queues.",
        "满分住户的事项在网格和社区办事队列中提前的天数。",
    ),
    # 融合 fusion and party leadership
    "fusion.coordination": (
        "Coordination between departments",
        "部门协同",
        "The three modes are run by different departments. With low coordination, a case "
        "referred from the grid to a legal advisor or social organisation arrives late or is "
        "lost; high coordination makes referrals quick and reliable.",
        "三治分属不同部门。协同不足时，网格转给法律顾问或社会组织的事项会延误甚至流失；"
        "协同充分则转办及时可靠。",
    ),
    "fusion.party_leadership": (
        "Party leadership (党建引领)",
        "党建引领",
        "Party branches coordinate the channels (closing part of the coordination gap), "
        "mobilise members as volunteers and send leaders to take up stuck cases (三下沉).",
        "党组织统筹各渠道（弥补部分协同缺口），动员党员参与志愿服务，并组织干部下沉办理积案（三下沉）。",
    ),
    "fusion.party_visit_cases_per_week": (
        "Stuck cases per branch a week",
        "支部每周办理积案数",
        "Stuck cases a branch can take up each week at full party leadership.",
        "党建引领力度最大时，每个党支部每周可下沉办理的积案数量。",
    ),
    "fusion.council_convening": (
        "Council convening",
        "召集议事会频次",
        "How often the party secretary convenes the council, relative to the usual interval "
        "(2 = twice as often, 0 = never).",
        "党组织书记召集居民议事会的频次，相对于通常间隔的倍数（2为加倍，0为不召集）。",
    ),
    "fusion.member_mobilisation": (
        "Member mobilisation",
        "动员党员力度",
        "Effort to mobilise party members as volunteers, relative to the usual (双报到).",
        "动员党员参与志愿服务的力度，相对于通常水平的倍数（双报到）。",
    ),
    "fusion.stuck_days": (
        "Stuck after N days",
        "积案认定天数",
        "Age from which an open issue counts as stuck and qualifies for a leadership visit.",
        "未结事项超过此天数即视为积案，可由党员干部下沉办理。",
    ),
    "staffing.party_branch_level": (
        "Party branch level",
        "党组织设置层级",
        "One branch per grid ('one grid, one organisation') or one per community.",
        "每个网格一个党组织（“一网格一支部”）或每个社区一个。",
    ),
    "population.party_member_share": (
        "Party-member households",
        "党员户比例",
        "Share of households with a party member; they register as volunteers in their home "
        "community (双报到).",
        "有党员的住户比例；党员到居住社区报到参与志愿服务（双报到）。",
    ),
    # staffing
    "staffing.households_per_grid_worker": (
        "Households per grid worker",
        "每名网格员服务户数",
        "Fewer households per grid worker means more workers. When there are fewer workers "
        "than grids, one worker covers several grids: 'a small horse pulling a big cart'.",
        "每名网格员服务的户数越少，网格员越多。网格员少于网格数时，一人需兼管多个网格，即“小马拉大车”。",
    ),
    "staffing.admin_load": (
        "Admin load on grid workers",
        "网格员行政负担",
        "Share of grid workers' time taken by top-down administrative tasks ('tasks sink "
        "down, responsibility does not'), leaving less for patrols and residents' cases.",
        "上级摊派的行政事务占网格员工作时间的比例（“任务下沉、责任不下沉”），挤占巡查和服务居民的时间。",
    ),
    "staffing.patrol_time": (
        "Patrol time",
        "巡查走访时间",
        "Grid workers' patrol time relative to the usual: more patrols find more unreported "
        "issues, and leave less time for the cases on the desk.",
        "网格员巡查走访时间相对于通常水平的倍数：多巡查能发现更多未上报的事项，但留给案头办件的时间更少。",
    ),
    "staffing.usual_patrol_share": (
        "Usual patrol share",
        "通常巡查时间占比",
        "Share of a grid worker's time after admin tasks that patrols usually take.",
        "扣除行政事务后，网格员通常用于巡查走访的时间比例。",
    ),
    "staffing.serve_first": (
        "Serve first",
        "优先办理",
        "Whom the grid desk serves first: the oldest case, disputes, or service requests "
        "(oldest first within each).",
        "网格案头先办哪类事项：最早的事项、矛盾纠纷或服务诉求（同类中先到先办）。",
    ),
    "staffing.grid_worker_cases_per_day": (
        "Grid-worker cases per day",
        "网格员日办案量",
        "Cases a grid worker can close in a full day without admin tasks.",
        "网格员在无行政事务时每天可办结的事项数。",
    ),
    "staffing.households_per_social_organisation": (
        "Households per social organisation",
        "每个社会组织服务户数",
        "Households served by one social organisation (三社联动): they take referred service "
        "requests and run volunteer activities.",
        "一个社会组织服务的住户数（三社联动）：承接转办的服务诉求并组织志愿活动。",
    ),
    "staffing.social_workers_per_1000_households": (
        "Social workers per 1,000 households",
        "每千户社工数",
        "Professional social workers; the standard (1 per 1,000 registered residents) is about "
        "1.8 per 1,000 households.",
        "专业社会工作者数量；标准为不低于户籍人口的1‰，约合每千户1.8名。",
    ),
    "staffing.social_worker_cases_per_day": (
        "Social-worker cases per day",
        "社工日办案量",
        "Service cases a social worker takes up per day.",
        "每名社工每天承接的服务事项数。",
    ),
    "staffing.grid_worker_cost": (
        "Grid-worker cost (yuan/year)",
        "网格员年成本（元）",
        "Salary and overhead per grid worker; only affects the staff-cost metric.",
        "每名网格员的工资及费用，仅影响人员成本指标。",
    ),
    "staffing.legal_advisor_cost": (
        "Legal-advisor cost (yuan/year)",
        "法律顾问年成本（元）",
        "Retainer per legal advisor; only affects the staff-cost metric.",
        "每名法律顾问的聘用费用，仅影响人员成本指标。",
    ),
    "staffing.social_worker_cost": (
        "Social-worker cost (yuan/year)",
        "社工年成本（元）",
        "Salary and overhead per social worker; only affects the staff-cost metric.",
        "每名社工的工资及费用，仅影响人员成本指标。",
    ),
    # population
    "rule_of_law.police_detection": (
        "Police on-the-spot detection",
        "网格警务现场查处率",
        "Chance that a grid police officer's presence catches a violation on the spot, at "
        "one officer per grid; added to the base detection rate.",
        "网格警务员在场时当场发现违法行为的概率（每个网格一名警务员时），叠加在基础查处率之上。",
    ),
    "fusion.party_coordination": (
        "Party's share of coordination",
        "党建统筹协同作用",
        "Share of the coordination gap that full party leadership closes: effective "
        "coordination = 1 − (1 − coordination)(1 − this × party leadership).",
        "党建引领最强时弥补协同缺口的比例：实际协同 = 1 −（1 − 协同度）（1 − 本值 × 党建引领）。",
    ),
    "staffing.community_staff_rule": (
        "Community staff rule",
        "社区工作者配置方式",
        "A fixed number of community staff (社区工作人员) per community, or one per so many "
        "households with a minimum per community (Kunshan: 1 per 110–150 households, at "
        "least 9).",
        "每个社区配备固定人数的社区工作者，或按户数配备并设每社区下限（昆山建议：每110–150户1人，不少于9人）。",
    ),
    "staffing.community_staff_per_community": (
        "Community staff per community",
        "每社区社区工作者数",
        "Community staff in each community under the fixed rule, whatever its size.",
        "按固定人数配置时每个社区的社区工作者人数，与社区规模无关。",
    ),
    "staffing.households_per_community_staff": (
        "Households per community staff member",
        "每名社区工作者服务户数",
        "Under the per-households rule: fewer households per staff member means more staff.",
        "按户数配置时每名社区工作者服务的户数；户数越少，人员越多。",
    ),
    "staffing.min_community_staff": (
        "Fewest community staff",
        "社区工作者最低人数",
        "The fewest community staff a community has under the per-households rule.",
        "按户数配置时每个社区至少配备的社区工作者人数。",
    ),
    "staffing.community_staff_cases_per_day": (
        "Community-staff cases per day",
        "社区工作者日办件量",
        "Residents' cases a community staff member takes up in a full day without "
        "administrative tasks.",
        "社区工作者在没有行政事务时每天可办理的居民事项数。",
    ),
    "staffing.community_admin_load": (
        "Community admin load",
        "社区行政负担",
        "Share of community staff's time taken by administrative tasks sent down "
        "(社区行政化), leaving less for residents.",
        "上级下派的行政事务占社区工作者时间的比例（社区行政化），挤占服务居民的时间。",
    ),
    "staffing.task_entry_list": (
        "Task entry list",
        "社区事务准入",
        "Share of the tasks sent down that an entry list (准入制度, 职责清单) keeps out of "
        "communities and grids: both admin loads fall by this share.",
        "准入制度和职责清单挡在社区和网格之外的下派事务比例：社区和网格的行政负担都按此比例减少。",
    ),
    "staffing.community_staff_cost": (
        "Community-staff cost (yuan/year)",
        "社区工作者年成本（元）",
        "Salary and overhead per community staff member; only affects the staff-cost metric.",
        "每名社区工作者的工资及费用，仅影响人员成本指标。",
    ),
    "staffing.grid_leader_time": (
        "Grid leader's time in the grid",
        "网格长投入网格的时间",
        "Time the grid leader (网格长, a community staff member) gives to the grid; it is "
        "taken from community work.",
        "网格长（由社区工作者兼任）投入网格工作的时间，从社区工作中挤出。",
    ),
    "staffing.police_per_grid": (
        "Grid police per grid",
        "每网格警务员",
        "Grid police presence (网格警务员): 1 = one community police officer for each grid.",
        "网格警务员的配备程度：1表示每个网格一名社区民警。",
    ),
    "staffing.helpers_per_grid": (
        "Helpers per grid (the N)",
        "每网格辅助力量（N）",
        "Building heads, property staff, social workers and volunteers (网格辅助员): they "
        "find and report issues on the grid's patrols.",
        "楼栋长、物业人员、社工和志愿者等网格辅助力量，协助巡查发现和上报问题。",
    ),
    "staffing.initial_social_credibility": (
        "Social organisations' credibility",
        "社会组织初始公信力",
        "Residents' confidence in social organisations at the start; it then follows their "
        "success, and decides whether residents accept referrals and volunteer.",
        "居民对社会组织的初始信任度，之后随其办事成效变化，影响居民是否接受转介和参与志愿服务。",
    ),
    "staffing.allocation": (
        "Staff allocation",
        "人员配置依据",
        "How grid workers are spread over grids and community staff over communities: "
        "equally, in proportion to households, or by need (households and backlog).",
        "网格员和社区工作者在网格、社区间的分配方式：平均分配、按户数分配，或按需分配（户数和积压）。",
    ),
    "staffing.need_share": (
        "Share allocated by backlog",
        "按积压分配的比例",
        "Under need allocation, the share of staff spread by backlog; the rest follows households.",
        "按需分配时依据积压事项分配的人员比例，其余按户数分配。",
    ),
    "staffing.reallocation_days": (
        "Days between reallocations",
        "重新调配间隔（天）",
        "Under need allocation, how often staff are moved to where the backlog is.",
        "按需分配时，多少天调整一次人员去向积压多的地方。",
    ),
    "population.households": (
        "Households",
        "住户数",
        "Households simulated. Around 2,000 keeps every step fast enough for a live class.",
        "模拟的住户数量。约2,000户可保证课堂演示时每一步都足够快。",
    ),
    "population.households_per_grid": (
        "Households per grid",
        "每网格户数",
        "Size of a grid (网格); the national standard is 300-500 households.",
        "网格规模；一般标准为每网格300至500户。",
    ),
    "population.households_per_community": (
        "Households per community",
        "每社区户数",
        "Size of a community or village (社区/村); communities hold whole grids.",
        "社区（村）的规模；每个社区由若干完整网格组成。",
    ),
    "population.volunteer_share": (
        "Volunteer households",
        "志愿者户比例",
        "Share of households with a registered volunteer, one volunteer each (Kunshan's 18.5% "
        "is a share of persons: 0.55 volunteers a household).",
        "有注册志愿者的住户比例，每户按1名志愿者计（昆山的18.5%是人口比例，约合每户0.55名志愿者）。",
    ),
    "population.mean_norm": (
        "Initial civic norm",
        "初始道德规范水平",
        "Mean civic and moral norm at the start: norms prevent disputes and violations.",
        "初始的平均道德规范水平：道德规范能预防纠纷和违规。",
    ),
    "population.mean_trust": (
        "Initial trust",
        "初始信任度",
        "Mean trust in grassroots governance at the start: trusting households report to "
        "the grid and wait longer before escalating.",
        "初始的基层治理信任度：信任度高的住户更愿意向网格上报，也更有耐心，不轻易越级上访。",
    ),
    "population.mean_legal_awareness": (
        "Initial legal awareness",
        "初始法治意识",
        "Mean legal awareness at the start; it relaxes back to this level without lectures.",
        "初始的平均法治意识；若无讲座会逐渐回落到此水平。",
    ),
}

CHOICES: dict[str, tuple[str, str]] = {
    "grid": ("per grid", "每个网格"),
    "community": ("per community", "每个社区"),
    "per_community": ("fixed per community", "每社区定额"),
    "per_households": ("by households", "按户数"),
    "equal": ("equal", "平均"),
    "households": ("by households", "按户数"),
    "need": ("by need", "按需"),
    "oldest": ("the oldest", "先到先办"),
    "disputes": ("disputes", "矛盾纠纷"),
    "services": ("service requests", "服务诉求"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


def t(key: str, lang: str) -> str:
    """The UI string ``key`` in ``lang`` ('en' or 'zh')."""
    return _pick(UI[key], lang)


def lever_label(key: str, lang: str) -> str:
    en, zh, _, _ = LEVER_TEXT[key]
    return zh if lang == "zh" else en


def lever_help(key: str, lang: str) -> str:
    _, _, en, zh = LEVER_TEXT[key]
    return zh if lang == "zh" else en


def lever_value(value: Any, lang: str) -> str:
    """A lever's value in words: a number in the shared format, on/off, a choice."""
    if isinstance(value, bool):
        return t("on" if value else "off", lang)
    if isinstance(value, str):
        return choice_label(value, lang)
    if isinstance(value, int):
        return f"{value:,}"
    return number(float(value))


def change_label(values: Mapping[str, Any], lang: str, limit: int | None = None) -> str:
    """A mark's label: each lever changed and its new value ("Admin load → 0.8"); within
    ``limit`` characters, the lever names are cut, never the values."""
    sep = "；" if lang == "zh" else "; "
    parts = [(lever_label(k, lang), lever_value(v, lang)) for k, v in values.items()]
    if limit is not None and parts:
        fixed = sum(len(value) + 3 for _, value in parts) + len(sep) * (len(parts) - 1)
        room = max(4, (limit - fixed) // len(parts))
        parts = [(n if len(n) <= room else n[: room - 1] + "…", v) for n, v in parts]
    return sep.join(f"{name} → {value}" for name, value in parts)


def preset_label(name: str, values: Mapping[str, Any], lang: str) -> str:
    """The label of compare preset ``name`` with the numbers of ``values``, its levers."""
    return t(f"preset_{name}", lang).format_map(
        {k.rsplit(".", 1)[-1]: v for k, v in values.items()}
    )


def choice_label(value: str, lang: str) -> str:
    """A choice lever's value in words (the shared vocabulary knows the others)."""
    return _pick(CHOICES[value], lang) if value in CHOICES else value_label(value, lang)


def metric_label(name: str, lang: str) -> str:
    """A metric's label from the registry (``sim.metrics``)."""
    return REGISTRY[name].label(lang)


def quantity_label(quantity: Quantity, lang: str) -> str:
    """A card's or panel's label: the registry's, or the dashboard's for a yearly rate."""
    return t(f"q_{quantity.key}", lang) if quantity.per else metric_label(quantity.metric, lang)


def quantity_help(quantity: Quantity, lang: str) -> str:
    if not quantity.per:
        return metric_help(quantity.metric, lang)
    sep = "：" if lang == "zh" else ": "
    return f"{quantity_label(quantity, lang)}{sep}{t(f'q_{quantity.key}_help', lang)}"


def metric_help(name: str, lang: str) -> str:
    """A metric's one-line definition, from the registry."""
    metric = REGISTRY[name]
    if lang == "zh":
        return f"{metric.label_zh}：{metric.definition_zh}"
    return f"{metric.label_en}: {metric.definition} ({metric.unit})"
