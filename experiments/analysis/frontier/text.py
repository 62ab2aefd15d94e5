"""The words of a staffing frontier: the plain answer, in English or Chinese.

"Meets the target" follows the one rule for claims: the option's one-sided bound, at the
level Holm's adjustment over all options used for it, is on the right side of the target
(``pareto.find_frontier``).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from experiments.analysis.frontier.costs import Costs
from experiments.analysis.frontier.pareto import Frontier, Target
from experiments.wording import Words, parameter_label, say, value_label
from sim import REGISTRY

WORDS: Words = {
    "none": (
        "No option could be assessed (all runs failed).",
        "没有可评估的方案（所有运行均失败）。",
    ),
    "upper": ("upper bound", "上界"),
    "lower": ("lower bound", "下界"),
    "chosen": (
        "Cheapest staffing meeting {goal} with 95% confidence: {where}; {price}. Expected "
        "{label} {value} (one-sided {bound_name} {bound}, Holm-adjusted over the {total} "
        "options). {feasible} of {total} options meet the target.",
        "在95%置信水平下满足“{goal}”的最低成本人员配置：{where}；{price}。预计{label}为 "
        "{value}（单侧{bound_name} {bound}，已对全部{total}个方案作 Holm 校正）。"
        "共 {total} 个方案中 {feasible} 个达标。",
    ),
    "closest": (
        "No staffing option in the sweep meets {goal} with 95% confidence. Closest: {where}; "
        "{price}; {label} {value} (one-sided {bound_name} {bound}, Holm-adjusted over the "
        "{total} options).",
        "扫描范围内没有任何人员配置能在95%置信水平下满足“{goal}”。最接近的方案：{where}；"
        "{price}；{label} {value}（单侧{bound_name} {bound}，已对全部{total}个方案作 Holm 校正）。",
    ),
    "price": (
        "{days} staff-days and {yuan} million yuan a year per 10,000 households ({grid} grid "
        "workers, {legal} legal advisors, {social} social workers at the simulated size)",
        "每万户每年 {days} 个人员工作日、{yuan} 万元（网格员 {grid}、法律顾问 {legal}、"
        "社工 {social} 人，按模拟规模计）",
    ),
}


def answer(result: Frontier, target: Target, costs: Costs, factors: list[str], lang: str) -> str:
    """A short plain answer: the cheapest point meeting the target, or the closest one."""
    m = REGISTRY[target.metric]
    zh = lang == "zh"
    bound_name = say(WORDS, "upper" if target.upper else "lower", lang)
    label = m.label(lang) if zh else m.label(lang)[0].lower() + m.label(lang)[1:]
    goal = f"{label} {target.op} {target.value:g}"
    pick = result.chosen if result.chosen is not None else result.closest
    if pick is None:
        return say(WORDS, "none", lang)
    row = result.table.loc[pick]
    values = {
        "goal": goal,
        "where": describe_point(row, factors, lang),
        "price": _price(row, lang),
        "label": label,
        "value": f"{row['mean']:.3g}",
        "bound": f"{row['bound']:.3g}",
        "bound_name": bound_name,
        "feasible": int(result.table["feasible"].sum()),
        "total": len(result.table),
    }
    return say(WORDS, "chosen" if result.chosen is not None else "closest", lang, **values)


def _price(row: pd.Series, lang: str) -> str:
    days, yuan = row["staff_days_per_year"], row["yuan_per_year"]
    zh = lang == "zh"
    return say(
        WORDS,
        "price",
        lang,
        days=f"{days:,.0f}",
        yuan=f"{yuan / 1e4:,.1f}" if zh else f"{yuan / 1e6:,.2f}",
        grid=int(row["grid_workers"]),
        legal=int(row["legal_advisors"]),
        social=int(row["social_workers"]),
    )


def describe_point(row: Mapping, factors: list[str], lang: str = "en") -> str:
    """'households per grid worker = 250, ...' (the key itself where no label is known)."""
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{parameter_label(k, lang)} = {value_label(row[k], lang)}" for k in factors)
