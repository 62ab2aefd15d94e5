"""The guided tour: the teaching script (``docs/teaching.md``) as steps that "Next" walks
through in presenter mode, each setting the page to what the script talks about and
narrating it in Chinese or English.

Every number the script promises is a :class:`Claim` here, once: the narration prints it,
``docs/teaching.md`` quotes it (in bold), and ``tests/test_teaching_script.py`` walks the
script in a real browser and checks the screen against it within :data:`TOLERANCE`, over
the script's seed (the model's default, 20240501). When the model changes, run
``python -m dashboards.tour`` for the numbers the screen now shows.

A step sets the whole state it needs (levers, day, tab, presets), so "Back" and "Next" work
from any step, and a class can join the tour at any point.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .cards import BY_KEY
from .link import TABS

# A promised number holds if the screen shows it within 15% (counts under 10: within 2):
# the script rounds, and says "about".
TOLERANCE = 0.15
SMALL, SMALL_TOLERANCE = 10.0, 2.0
SEED = 20240501


@dataclass(frozen=True)
class Claim:
    """A number the script promises: ``quantity`` (a key of ``cards.BY_KEY``) on the live
    cards (``side`` "live") or in the compare table (side "a" or "b")."""

    name: str  # the narration's format field
    quantity: str
    side: str
    value: float

    def holds(self, shown: float) -> bool:
        if not math.isfinite(shown):
            return False
        if abs(self.value) < SMALL:
            return abs(shown - self.value) <= SMALL_TOLERANCE
        return abs(shown - self.value) <= TOLERANCE * abs(self.value)

    def text(self) -> str:
        return BY_KEY[self.quantity].text(self.value)


@dataclass(frozen=True)
class Step:
    key: str
    title: tuple[str, str]  # (English, 中文)
    text: tuple[str, str]  # the narration, with a {name} field per claim
    apply: Callable  # (session) -> None: sets the page to what the step talks about
    claims: tuple[Claim, ...] = ()

    def narration(self, lang: str) -> str:
        text = self.text[1] if lang == "zh" else self.text[0]
        return text.format(**{c.name: c.text() for c in self.claims})

    def heading(self, lang: str) -> str:
        return self.title[1] if lang == "zh" else self.title[0]


# --- What each step sets.


def _town(session, day: int = 0, metric: str = "trust") -> None:
    """The class town at the script's seed with the default levers, at ``day``."""
    from .library import default_params

    session.pause()
    session.compare_pause()
    session.sim.restart(default_params(), SEED)
    session.sim.run_to(day)
    session.map_metric.value = metric
    session.message.value = type(session.message.value)()
    session.levers_version.value += 1
    session.set_tab(TABS.index("live"))
    session.changed()


def _admin(session) -> None:
    """As an instructor would: a year of the default town, then the lever moved as if it
    had always been so, so that the default run stays on the charts, dashed."""
    _town(session, day=365, metric="backlog")
    session.set_levers({"staffing.admin_load": 0.8}, mode="always")


def _play(session) -> None:
    _town(session)
    session.speed.value = 10
    session.play()


def _compare(a: str, b: str) -> Callable:
    def apply(session) -> None:
        _town(session)
        session.set_tab(TABS.index("compare"))
        session.set_preset("a", a)
        session.set_preset("b", b)
        session.compare_step(365)

    return apply


STEPS: tuple[Step, ...] = (
    Step(
        "town",
        ("What is this community?", "这是一个什么样的社区？"),
        (
            "2,000 households in 8 grids and 2 communities. Each tile of the grid map is a "
            "grid; under it, its grid-worker staffing: 0.5 means one worker covers two grids. "
            "The network shows one grid's households and the staff who serve them.",
            "2,000户，分为8个网格、2个社区。网格地图上每个方块是一个网格，下方写着网格员配置："
            "0.5表示一名网格员兼管两个网格。社会网络显示一个网格内的住户和为他们服务的工作人员。",
        ),
        lambda s: _town(s),
    ),
    Step(
        "play",
        ("Let it run: how issues flow", "让社区运转起来：事项如何流动"),
        (
            "Disputes, service requests, violations and public topics are first settled "
            "between neighbours; the rest go to the grid worker, the legal advisor or the "
            "council, or are left. Red outlines are households with an open issue; lines "
            "lead from each staff member to the households in their queue. Households who "
            "wait too long escalate beyond the grassroots.",
            "纠纷、服务诉求、违规和公共议题先由邻里自行化解，其余上报网格员、找法律顾问、"
            "提交议事会，或被搁置。红色外圈表示有未结事项的住户；连线从工作人员指向其队列中的住户。"
            "等得太久的住户会越级上访。",
        ),
        _play,
    ),
    Step(
        "year",
        ("One year on", "一年之后"),
        (
            "Day 365. Escalations are rare: about {esc} per 1,000 households a year. An issue "
            "takes about {days} days to resolve; about {open} issues are open.",
            "第365天。越级上访很少：每千户每年约{esc}起。事项平均约{days}天化解；"
            "未结事项约{open}件。",
        ),
        lambda s: _town(s, day=365),
        (
            Claim("esc", "escalations_year", "live", 0.5),
            Claim("days", "mean_days_to_resolve", "live", 5.7),
            Claim("open", "open_issues", "live", 24),
        ),
    ),
    Step(
        "admin",
        ("Admin load eats the time for residents", "行政负担挤占服务时间"),
        (
            "Admin load on grid workers at 0.8 ('tasks sink down, responsibility does not'), "
            "the same seed replayed to day 365: an issue now takes about {days} days to "
            "resolve, about {open} issues are open, escalations rise to about {esc} per "
            "1,000 households a year. Queues blow up near capacity, not before.",
            "网格员行政负担调到0.8（“任务下沉、责任不下沉”），同一种子重新运行到第365天："
            "事项平均约{days}天才能化解，未结事项约{open}件，每千户年越级上访升至约{esc}起。"
            "队列在接近满负荷时才急剧膨胀。",
        ),
        _admin,
        (
            Claim("days", "mean_days_to_resolve", "live", 36),
            Claim("open", "open_issues", "live", 182),
            Claim("esc", "escalations_year", "live", 3.5),
        ),
    ),
    Step(
        "fusion",
        ("Silos against fusion", "各自为政与三治融合"),
        (
            "Same seed and levers, one year. In A (silos) about {lost_a} referrals a year are "
            "lost between departments, in B (fusion) about {lost_b}; open issues: about "
            "{open_a} against {open_b}. There is no fusion bonus in the model: the difference "
            "comes from referrals that arrive, and party branches that take up stuck cases.",
            "同一种子和参数，运行一年。方案A（各自为政）每年约{lost_a}件转办在部门之间流失，"
            "方案B（三治融合）约{lost_b}件；未结事项约{open_a}件对{open_b}件。模型中没有"
            "“融合加成”：差异来自转办能否送达，以及党组织下沉办理积案。",
        ),
        _compare("silos", "fusion"),
        (
            Claim("lost_a", "referrals_lost_year", "a", 209),
            Claim("lost_b", "referrals_lost_year", "b", 17),
            Claim("open_a", "open_issues", "a", 39),
            Claim("open_b", "open_issues", "b", 22),
        ),
    ),
    Step(
        "moral",
        ("Moral governance: the moral bank", "德治：道德银行"),
        (
            "B turns on the moral bank and the red and black boards: volunteer hours rise "
            "from about {hours_a} to about {hours_b} hours per volunteer a year. Paying in "
            "credits can crowd out the motive it rewards: a moment to discuss.",
            "方案B开启道德银行和红黑榜：志愿者人均年服务时长从约{hours_a}小时增至约{hours_b}"
            "小时。以积分回报可能挤出内在动机，可借此讨论。",
        ),
        _compare("current", "moral_bank"),
        (
            Claim("hours_a", "volunteer_hours_per_volunteer_year", "a", 15.2),
            Claim("hours_b", "volunteer_hours_per_volunteer_year", "b", 22.6),
        ),
    ),
    Step(
        "legal",
        ("Rule of law: no legal advisors", "法治：不配法律顾问"),
        (
            "B has no legal advisors. In A each community's advisor mediates about "
            "{mediations_a} disputes a year, in B none ({mediations_b}); yet open issues stay "
            "about the same (about {open_a} and {open_b}): with this seed the grid absorbs "
            "the cases. One seed is one story: whether the backstop matters is a question for "
            "sanzhi compare's replications.",
            "方案B不配法律顾问。方案A中每个社区的法律顾问每年调解约{mediations_a}起纠纷，"
            "方案B为{mediations_b}；但未结事项相差无几（约{open_a}件和{open_b}件）："
            "本种子下网格消化了这些案件。一个种子只是一个故事：法律兜底是否重要，"
            "要用 sanzhi compare 的多次重复来回答。",
        ),
        _compare("current", "no_legal"),
        (
            Claim("mediations_a", "legal_mediations_per_community_year", "a", 7.5),
            Claim("mediations_b", "legal_mediations_per_community_year", "b", 0),
            Claim("open_a", "open_issues", "a", 24),
            Claim("open_b", "open_issues", "b", 23),
        ),
    ),
    Step(
        "wrap",
        ("Wrap-up", "小结"),
        (
            "Whether self-governance, rule of law and moral governance are complements or "
            "substitutes is measured by the model, not written into it. For research: "
            "sanzhi sweep and sanzhi compare replicate runs and give confidence intervals.",
            "自治、法治、德治在模型中是互补还是替代，是“测出来的”，不是写进去的。"
            "研究时用 sanzhi sweep 和 sanzhi compare 做多次重复并给出置信区间。",
        ),
        lambda s: None,
    ),
)


def measure(step: Step) -> dict[str, float]:
    """What the page shows for each of ``step``'s claims, computed without a browser."""
    from .session import Session

    session = Session()
    try:
        step.apply(session)
        session.pause()
        shown = {}
        for claim in step.claims:
            quantity = BY_KEY[claim.quantity]
            model = session.sim.model if claim.side == "live" else session.compare.runs[claim.side]
            shown[claim.name] = quantity.value(model)
        return shown
    finally:
        session.close()


def main() -> None:
    """Print each promised number next to what the model now shows."""
    for step in STEPS:
        for claim, (_, shown) in zip(step.claims, measure(step).items(), strict=True):
            mark = "ok" if claim.holds(shown) else "CHANGED"
            print(f"{step.key:8} {claim.name:8} {claim.value:<8g} shown {shown:<10.4g} {mark}")


if __name__ == "__main__":
    main()
