"""Figures of the fusion analysis: the interaction plot of the eight mode combinations, the
effects chart (the relative dividend written beside the dividend's bar) and the practices'
contributions to the dividend. Each returns a Figure."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.analysis.fusion.factorial import COORDINATION, DIVIDEND, MODES
from experiments.analysis.fusion.text import MODE_LABELS, effect_label, level_label
from experiments.columns import SUMMARY_WINDOW
from experiments.plotting import panels
from experiments.wording import Words, say
from sim import REGISTRY

COMBOS = ((0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1))
SHORT = {"en": ("S", "L", "M"), "zh": ("自", "法", "德")}
WORDS: Words = {
    "none": ("none", "全无"),
    "additive": ("sum of separate effects", "单独效果之和"),
    "additive_bound": (
        "sum of separate effects (beyond the metric's range: drawn at its bound)",
        "单独效果之和（超出指标取值范围：画在边界上）",
    ),
    "mean": (
        f"mean over the last {SUMMARY_WINDOW} days, 95% CI",
        f"最后{SUMMARY_WINDOW}天均值，95%置信区间",
    ),
    "effect": ("effect (95% CI)", "效应（95%置信区间）"),
    "modes": (
        "S = self-governance, L = rule of law, M = moral governance",
        "自 = 自治，法 = 法治，德 = 德治",
    ),
    "dividend": ("fusion dividend", "融合红利"),
    "three": ("three-way", "三阶交互"),
    "contribution": (
        "contribution to the fusion dividend (95% CI)",
        "对融合红利的贡献（95%置信区间）",
    ),
}


def interaction(
    cells: pd.DataFrame, metrics: Sequence[str], levels: Sequence[float], lang: str = "en"
) -> Figure:
    """Cell means (95% CI) of each mode combination, one line per coordination level; a
    hollow marker shows where 'all three' would be if the modes simply added up."""
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
            # The modes' separate effects can add up past what the metric can take (a
            # resolution rate above 1): such a sum is drawn at the bound and says so.
            low_bound, high_bound = REGISTRY[metric].bounds
            beyond = not low_bound <= additive <= high_bound
            additive = min(max(additive, low_bound), high_bound)
            ax.plot(
                x[-1],
                additive,
                marker="D",
                mfc="none",
                mec=f"C{i}",
                ms=7,
                ls="none",
                label=say(WORDS, "additive_bound" if beyond else "additive", lang)
                if i == 0 or beyond
                else None,
            )
        ax.set_xticks(np.arange(len(COMBOS)), labels, fontsize=7, rotation=30)
        _title(ax, metric, lang)
    fig.suptitle(f"{say(WORDS, 'mean', lang)}; {say(WORDS, 'modes', lang)}", fontsize=9)
    return _legend_below(fig, axes[0])


def effects(
    table: pd.DataFrame,
    metrics: Sequence[str],
    levels: Sequence[float],
    lang: str = "en",
    relative: pd.DataFrame | None = None,
) -> Figure:
    """Main effects, interactions and the fusion dividend with 95% CIs, per coordination
    level; the relative dividend (``relative``, where defined) written at its bar."""
    shown = [*MODES, *[e for e in table["effect"].unique() if " x " in e], DIVIDEND]
    fig, axes = panels(len(metrics), 3.4, 4.4)
    for ax, metric in zip(axes, metrics, strict=True):
        y = np.arange(len(shown))[::-1]
        for i, level, est, off in _bars(ax, table, metric, shown, levels, lang):
            share = _relative_at(relative, metric, level)
            if share is not None:
                ax.annotate(
                    f"{share:+.0%}".replace("-", "−"),
                    (est[-1], y[-1] + off),
                    xytext=(3 if est[-1] >= 0 else -3, 0),
                    textcoords="offset points",
                    ha="left" if est[-1] >= 0 else "right",
                    va="center",
                    fontsize=6,
                    color=f"C{i}",
                )
        ax.axvline(0, color="black", lw=0.6)
        ax.set_yticks(y, [_effect_label(e, lang) for e in shown], fontsize=7)
        _title(ax, metric, lang)
    fig.suptitle(f"{say(WORDS, 'effect', lang)}; {say(WORDS, 'modes', lang)}", fontsize=9)
    return _legend_below(fig, axes[0])


def practices(
    table: pd.DataFrame,
    metrics: Sequence[str],
    levels: Sequence[float],
    lang: str = "en",
    practice_keys: dict[str, list[str]] | None = None,
) -> Figure:
    """Each practice's contribution to the fusion dividend (Shapley values, or leave-one-out
    and add-one contributions) and their total, with 95% CIs, per coordination level."""
    shown = [e for e in table["effect"].drop_duplicates() if not e.startswith("gap: ")]
    fig, axes = panels(len(metrics), 3.6, 2.0 + 0.25 * len(shown))
    for ax, metric in zip(axes, metrics, strict=True):
        y = np.arange(len(shown))[::-1]
        _bars(ax, table, metric, shown, levels, lang)
        ax.axvline(0, color="black", lw=0.6)
        ax.set_yticks(
            y, [effect_label(e, lang, practice_keys=practice_keys or {}) for e in shown], fontsize=7
        )
        _title(ax, metric, lang)
    fig.suptitle(say(WORDS, "contribution", lang), fontsize=9)
    return _legend_below(fig, axes[0])


def _bars(
    ax, table: pd.DataFrame, metric: str, shown: list[str], levels: Sequence[float], lang: str
) -> list[tuple[int, float, np.ndarray, float]]:
    """Horizontal bars with 95% CI whiskers of the ``shown`` effects of ``metric`` (top to
    bottom), one colour a coordination level; (i, level, estimates, offset) of each."""
    sub = table[table["metric"] == metric].set_index([COORDINATION, "effect"])
    y = np.arange(len(shown))[::-1]
    drawn = []
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
        drawn.append((i, level, est, off))
    return drawn


def _relative_at(relative: pd.DataFrame | None, metric: str, level: float) -> float | None:
    if relative is None or relative.empty:
        return None
    row = relative[(relative["metric"] == metric) & (relative[COORDINATION] == level)]
    if row.empty or not bool(row["defined"].iloc[0]):
        return None
    return float(row["estimate"].iloc[0])


def _combo(cell: tuple[int, int, int], lang: str) -> str:
    on = [s for s, x in zip(SHORT[lang], cell, strict=True) if x]
    return "+".join(on) if on else say(WORDS, "none", lang)


def _effect_label(effect: str, lang: str) -> str:
    if effect == DIVIDEND:
        return say(WORDS, "dividend", lang)
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
    ax.set_title(f"{m.label(lang)}\n({m.unit_in(lang)})", fontsize=9)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
