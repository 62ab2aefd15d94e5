"""The words of a staffing frontier: the plain answer, in English or Chinese."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from experiments.analysis.frontier.costs import Costs
from experiments.analysis.frontier.pareto import Frontier, Target
from sim import REGISTRY


def answer(result: Frontier, target: Target, costs: Costs, factors: list[str], lang: str) -> str:
    """A short plain answer: the cheapest point meeting the target, or the closest one."""
    m = REGISTRY[target.metric]
    zh = lang == "zh"
    bound_name = (
        ("上界" if zh else "upper bound") if target.upper else ("下界" if zh else "lower bound")
    )
    label = m.label(lang) if zh else m.label(lang)[0].lower() + m.label(lang)[1:]
    goal = f"{label} {target.op} {target.value:g}"
    pick = result.chosen if result.chosen is not None else result.closest
    if pick is None:
        return (
            "没有可评估的方案（所有运行均失败）。"
            if zh
            else "No option could be assessed (all runs failed)."
        )
    row = result.table.loc[pick]
    where = describe_point(row, factors)
    price = _price(row, zh)
    value = f"{row['mean']:.3g}"
    bound = f"{row['bound']:.3g}"
    feasible = int(result.table["feasible"].sum())
    total = len(result.table)
    if result.chosen is not None:
        if zh:
            return (
                f"在95%置信水平下满足“{goal}”的最低成本人员配置：{where}；{price}。"
                f"预计{m.label(lang)}为 {value}（单侧95%{bound_name} {bound}）。"
                f"共 {total} 个方案中 {feasible} 个达标。"
            )
        return (
            f"Cheapest staffing meeting {goal} with 95% confidence: {where}; {price}. "
            f"Expected {label} {value} (one-sided 95% {bound_name} {bound}). "
            f"{feasible} of {total} options meet the target."
        )
    if zh:
        return (
            f"扫描范围内没有任何人员配置能在95%置信水平下满足“{goal}”。"
            f"最接近的方案：{where}；{price}；"
            f"{m.label(lang)} {value}（单侧95%{bound_name} {bound}）。"
        )
    return (
        f"No staffing option in the sweep meets {goal} with 95% confidence. Closest: {where}; "
        f"{price}; {label} {value} (one-sided 95% {bound_name} {bound})."
    )


def _price(row: pd.Series, zh: bool) -> str:
    days, yuan = row["staff_days_per_year"], row["yuan_per_year"]
    staff = (int(row["grid_workers"]), int(row["legal_advisors"]), int(row["social_workers"]))
    if zh:
        return (
            f"每万户每年 {days:,.0f} 个人员工作日、{yuan / 1e4:,.1f} 万元"
            f"（网格员 {staff[0]}、法律顾问 {staff[1]}、社工 {staff[2]} 人，按模拟规模计）"
        )
    return (
        f"{days:,.0f} staff-days and {yuan / 1e6:,.2f} million yuan a year per 10,000 households "
        f"({staff[0]} grid workers, {staff[1]} legal advisors, {staff[2]} social workers "
        "at the simulated size)"
    )


def describe_point(row: Mapping, factors: list[str]) -> str:
    """'staffing.households_per_grid_worker = 250, ...' for one point."""
    return ", ".join(
        f"{k} = {row[k]:g}" if isinstance(row[k], float) else f"{k} = {row[k]}" for k in factors
    )
