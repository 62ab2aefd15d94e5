"""``sanzhi frontier``: the cheapest staffing that meets a target with 95% confidence, and the
cost-outcome frontier of a staffing sweep."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sim import REGISTRY

from . import cli_analysis
from .analysis_runs import figure_language, save_figure, write_manifest
from .frontier import Frontier, Target
from .frontier_run import COST_COLUMNS, costs_of, describe_point, staffing_frontier
from .scenario import load_scenario, parse_assignments
from .staffing_costs import COSTS, Costs
from .store import now, write_csv, write_text
from .sweep_design import expand
from .sweep_run import design_of

CONFIDENCE = 0.95


def add_parser(
    sub: argparse._SubParsersAction, add_set: Callable[[argparse.ArgumentParser], None]
) -> None:
    p = sub.add_parser(
        "frontier",
        help="cheapest staffing meeting a target with 95%% confidence; cost-outcome frontier",
        description="Run a staffing sweep (e.g. scenarios/sweeps/frontier.toml) and find the "
        "cheapest point (staff-days or yuan a year per 10,000 households; costs in the "
        "file's [frontier] table and staffing.*_cost) whose one-sided 95% confidence bound "
        "meets the target.",
    )
    p.add_argument("scenario", help="staffing sweep scenario file")
    p.add_argument(
        "--target",
        required=True,
        metavar="METRIC<=VALUE",
        help="e.g. escalations_per_1000_households_year<=3 (also >=, <, >)",
    )
    p.add_argument("--cost", choices=COSTS, help="what cheapest means (default: the file's)")
    p.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language printed and in figures"
    )
    cli_analysis.add_run_options(p, add_set)
    p.set_defaults(command=cmd_frontier)


def cmd_frontier(args: argparse.Namespace) -> int:
    from . import analysis_figures

    started, clock = now(), time.perf_counter()
    target = Target.parse(args.target)  # bad target: exit 2 before anything runs
    scenario = load_scenario(Path(args.scenario), parse_assignments(args.set or []))
    costs = costs_of(scenario, args.cost)
    design = design_of(scenario)
    points = len(expand(design, scenario.params.scenario.seed))
    describe = f"frontier {scenario.name}: {target}; " + cli_analysis.runs_line(scenario, points)
    outcome, status = cli_analysis.run(scenario, args, describe)
    if outcome.errors:
        return status
    result = staffing_frontier(outcome.summary, scenario, target, costs, confidence=CONFIDENCE)
    factors = [f.name for f in design.factors]
    out = Path(args.out)
    write_csv(result.table, out / "frontier.csv")
    cost = COST_COLUMNS[costs.cost]
    with figure_language(args.lang) as lang:  # figure labels in --lang
        save_figure(analysis_figures.frontier(result, target, cost, lang), out / "frontier.png")
    texts = {lang: answer(result, target, costs, factors, lang) for lang in ("en", "zh")}
    write_text(texts["en"] + "\n\n" + texts["zh"] + "\n", out / "answer.md")
    seconds = time.perf_counter() - clock
    chosen = result.table.loc[result.chosen].to_dict() if result.chosen is not None else None
    write_manifest(
        out,
        "frontier",
        scenario,
        outcome,
        started=started,
        files=["frontier.csv", "frontier.png", "answer.md", "manifest.json"],
        extra={
            "target": str(target),
            "confidence": CONFIDENCE,
            "rule": "one-sided bound mean +/- t(0.95, n-1) * sd / sqrt(n) meets the target",
            "cost": cost,
            "days_per_year": dict(costs.days_per_year),
            "points": points,
            "feasible_points": int(result.table["feasible"].sum()),
            "chosen": chosen,
            "seconds": round(seconds, 1),
        },
    )
    print()
    print(texts[args.lang])
    print(f"\nresults in {out}/ (frontier.csv, frontier.png, answer.md); {seconds:.0f} s")
    return status


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
