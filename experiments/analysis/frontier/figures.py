"""Figure of the staffing frontier: cost against outcome, the target and the chosen option."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from experiments.analysis.frontier.pareto import Frontier, Target
from experiments.wording import Words, say
from sim import REGISTRY

WORDS: Words = {
    "target": ("target", "目标"),
    "frontier": ("frontier", "前沿"),
    "chosen": ("cheapest meeting the target", "达标的最低成本方案"),
    "closest": ("closest to the target (none meets it)", "最接近目标的方案（无方案达标）"),
    "feasible": ("meets target (95%)", "达标（95%）"),
    "infeasible": ("does not", "未达标"),
    "bound": (
        "mean and one-sided bound (Holm-adjusted over the options)",
        "均值及单侧置信界（已对各方案作 Holm 校正）",
    ),
    "staff_days_per_year": ("staff-days a year per 10,000 households", "每万户每年人员工作日"),
    "yuan_per_year": ("yuan a year per 10,000 households", "每万户每年人员成本（元）"),
}


def frontier(result: Frontier, target: Target, cost: str, lang: str = "en") -> Figure:
    """Cost against outcome: every option with its one-sided 95% bound, the target line, the
    Pareto frontier and the chosen option."""
    m = REGISTRY[target.metric]
    table = result.table
    fig = Figure(figsize=(7.5, 5))
    ax = fig.subplots()
    for feasible, colour, label in (
        (True, "C2", say(WORDS, "feasible", lang)),
        (False, "C7", say(WORDS, "infeasible", lang)),
    ):
        sub = table[table["feasible"] == feasible]
        if sub.empty:
            continue
        gap = (sub["bound"] - sub["mean"]).abs().fillna(0)
        yerr = [np.zeros(len(sub)), gap] if target.upper else [gap, np.zeros(len(sub))]
        ax.errorbar(
            sub[cost],
            sub["mean"],
            yerr=yerr,
            fmt="o",
            ms=4,
            capsize=2,
            color=colour,
            alpha=0.8,
            label=label,
        )
    front = table[table["on_frontier"]].sort_values(cost)
    ax.step(
        front[cost],
        front["mean"],
        where="post",
        color="C0",
        lw=1.2,
        label=say(WORDS, "frontier", lang),
    )
    goal = f"{m.label(lang)} {target.op} {target.value:g}"
    ax.axhline(
        target.value, color="C3", ls="--", lw=1, label=f"{say(WORDS, 'target', lang)}: {goal}"
    )
    pick = result.chosen if result.chosen is not None else result.closest
    if pick is not None:
        row = table.loc[pick]
        ax.plot(
            row[cost],
            row["mean"],
            marker="*",
            ms=16,
            color="C1",
            ls="none",
            label=say(WORDS, "chosen", lang)
            if result.chosen is not None
            else say(WORDS, "closest", lang),
        )
    ax.set_xlabel(say(WORDS, cost, lang))
    ax.set_ylabel(f"{m.label(lang)} ({m.unit_in(lang)})")
    ax.set_title(say(WORDS, "bound", lang), fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
