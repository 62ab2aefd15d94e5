"""Figures of the analyses (matplotlib, Agg): sensitivity indices, the fusion interaction
plot and effects, the staffing cost-outcome frontier. Each returns a Figure."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # files only; never open a window

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim import REGISTRY

from .factorial import DIVIDEND, MODES
from .figures import panels
from .frontier import Frontier, Target
from .fusion_run import COORDINATION, level_label
from .fusion_text import MODE_LABELS

COMBOS = ((0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1))
SHORT = {"en": ("S", "L", "M"), "zh": ("自", "法", "德")}
TEXT = {
    "en": {
        "none": "none",
        "additive": "sum of separate effects",
        "mean": "mean over the last 90 days, 95% CI",
        "effect": "effect (95% CI)",
        "modes": "S = self-governance, L = rule of law, M = moral governance",
        "dividend": "fusion dividend",
        "three": "three-way",
        "target": "target",
        "frontier": "frontier",
        "chosen": "cheapest meeting the target",
        "closest": "closest to the target (none meets it)",
        "feasible": "meets target (95%)",
        "infeasible": "does not",
        "bound": "mean and one-sided 95% bound",
        "staff_days_per_year": "staff-days a year per 10,000 households",
        "yuan_per_year": "yuan a year per 10,000 households",
    },
    "zh": {
        "none": "全无",
        "additive": "单独效果之和",
        "mean": "最后90天均值，95%置信区间",
        "effect": "效应（95%置信区间）",
        "modes": "自 = 自治，法 = 法治，德 = 德治",
        "dividend": "融合红利",
        "three": "三阶交互",
        "target": "目标",
        "frontier": "前沿",
        "chosen": "达标的最低成本方案",
        "closest": "最接近目标的方案（无方案达标）",
        "feasible": "达标（95%）",
        "infeasible": "未达标",
        "bound": "均值及单侧95%置信界",
        "staff_days_per_year": "每万户每年人员工作日",
        "yuan_per_year": "每万户每年人员成本（元）",
    },
}


def sensitivity(indices: pd.DataFrame, method: str, metric: str, lang: str = "en") -> Figure:
    """Bars of the indices of one metric with CI whiskers: mu* and sigma (Morris) or S1 and
    ST (Sobol'), most influential at the top."""
    m = REGISTRY[metric]
    order = indices.sort_values("rank", ascending=False)
    names = order["parameter"].tolist()
    y = np.arange(len(names))
    pairs = (
        (("mu_star", "mu*"), ("sigma", "σ")) if method == "morris" else (("S1", "S1"), ("ST", "ST"))
    )
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.45 * len(names) + 1.6), sharey=True)
    for ax, (col, title) in zip(axes, pairs, strict=True):
        value = order[col].to_numpy(float)
        err = np.vstack([value - order[f"{col}_low"], order[f"{col}_high"] - value])
        ax.barh(
            y, value, xerr=np.clip(np.nan_to_num(err), 0, None), color="C0", alpha=0.8, capsize=3
        )
        ax.set_title(title, fontsize=10)
        ax.grid(axis="x", alpha=0.3)
        ax.axvline(0, color="black", lw=0.6)
    axes[0].set_yticks(y, names, fontsize=8)
    fig.suptitle(f"{m.label(lang)} ({m.unit}) — {method}", fontsize=10)
    fig.tight_layout()
    return fig


def interaction(
    cells: pd.DataFrame, metrics: Sequence[str], levels: Sequence[float], lang: str = "en"
) -> Figure:
    """Cell means (95% CI) of each mode combination, one line per coordination level; a
    hollow marker shows where 'all three' would be if the modes simply added up."""
    t = TEXT[lang]
    fig, axes = panels(len(metrics), 3.0, 4.4)
    labels = [_combo(c, lang) for c in COMBOS]
    for ax, metric in zip(axes, metrics, strict=True):
        sub = cells[cells["metric"] == metric]
        for i, level in enumerate(levels):
            at = sub[sub[COORDINATION] == level].set_index(list(MODES))
            rows = [at.loc[tuple("on" if x else "off" for x in c)] for c in COMBOS]
            mean = np.array([r["mean"] for r in rows])
            low, high = (
                np.array([r["ci_low"] for r in rows]),
                np.array([r["ci_high"] for r in rows]),
            )
            x = np.arange(len(COMBOS)) + (i - (len(levels) - 1) / 2) * 0.08
            ax.errorbar(
                x,
                mean,
                yerr=[mean - low, high - mean],
                marker="o",
                ms=4,
                capsize=2,
                color=f"C{i}",
                label=level_label(level, levels, lang),
            )
            additive = mean[0] + (mean[1] - mean[0]) + (mean[2] - mean[0]) + (mean[3] - mean[0])
            ax.plot(
                x[-1],
                additive,
                marker="D",
                mfc="none",
                mec=f"C{i}",
                ms=7,
                ls="none",
                label=t["additive"] if i == 0 else None,
            )
        ax.set_xticks(np.arange(len(COMBOS)), labels, fontsize=7, rotation=30)
        _title(ax, metric, lang)
    fig.suptitle(f"{t['mean']}; {t['modes']}", fontsize=9)
    return _legend_below(fig, axes[0])


def effects(
    table: pd.DataFrame, metrics: Sequence[str], levels: Sequence[float], lang: str = "en"
) -> Figure:
    """Main effects, interactions and the fusion dividend with 95% CIs, per coordination level."""
    t = TEXT[lang]
    shown = [*MODES, *[e for e in table["effect"].unique() if " x " in e], DIVIDEND]
    fig, axes = panels(len(metrics), 3.4, 4.4)
    for ax, metric in zip(axes, metrics, strict=True):
        sub = table[table["metric"] == metric].set_index([COORDINATION, "effect"])
        y = np.arange(len(shown))[::-1]
        for i, level in enumerate(levels):
            rows = sub.loc[level].loc[shown]
            est = rows["estimate"].to_numpy(float)
            err = [est - rows["ci_low"].to_numpy(float), rows["ci_high"].to_numpy(float) - est]
            off = (i - (len(levels) - 1) / 2) * 0.8 / len(levels)
            ax.barh(
                y + off,
                est,
                height=0.8 / len(levels),
                xerr=err,
                capsize=2,
                color=f"C{i}",
                alpha=0.8,
                label=level_label(level, levels, lang),
            )
        ax.axvline(0, color="black", lw=0.6)
        ax.set_yticks(y, [_effect_label(e, lang) for e in shown], fontsize=7)
        _title(ax, metric, lang)
    fig.suptitle(f"{t['effect']}; {t['modes']}", fontsize=9)
    return _legend_below(fig, axes[0])


def frontier(result: Frontier, target: Target, cost: str, lang: str = "en") -> Figure:
    """Cost against outcome: every option with its one-sided 95% bound, the target line, the
    Pareto frontier and the chosen option."""
    t = TEXT[lang]
    m = REGISTRY[target.metric]
    table = result.table
    fig, ax = plt.subplots(figsize=(7.5, 5))
    for feasible, colour, label in ((True, "C2", t["feasible"]), (False, "C7", t["infeasible"])):
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
    ax.step(front[cost], front["mean"], where="post", color="C0", lw=1.2, label=t["frontier"])
    goal = f"{m.label(lang)} {target.op} {target.value:g}"
    ax.axhline(target.value, color="C3", ls="--", lw=1, label=f"{t['target']}: {goal}")
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
            label=t["chosen"] if result.chosen is not None else t["closest"],
        )
    ax.set_xlabel(t[cost])
    ax.set_ylabel(f"{m.label(lang)} ({m.unit})")
    ax.set_title(t["bound"], fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _combo(cell: tuple[int, int, int], lang: str) -> str:
    on = [s for s, x in zip(SHORT[lang], cell, strict=True) if x]
    return "+".join(on) if on else TEXT[lang]["none"]


def _effect_label(effect: str, lang: str) -> str:
    if effect == DIVIDEND:
        return TEXT[lang]["dividend"]
    if effect in MODES:
        return MODE_LABELS[lang][effect]
    short = dict(zip(MODES, SHORT[lang], strict=True))
    return " × ".join(short.get(part, part) for part in effect.split(" x "))


def _legend_below(fig: Figure, ax) -> Figure:
    handles, labels = ax.get_legend_handles_labels()
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8, frameon=False)
    return fig


def _title(ax, metric: str, lang: str) -> None:
    m = REGISTRY[metric]
    ax.set_title(f"{m.label(lang)}\n({m.unit})", fontsize=9)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
