"""Plain-language summaries of a fusion experiment, in English and Chinese.

Wording follows the sign of each estimate and the metric's ``better`` direction, and says
"not distinguishable from zero" whenever the 95% CI covers 0: the direction of the
dividend is a finding, never assumed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from experiments.analysis.fusion.factorial import COORDINATION, DIVIDEND, MODES
from sim import REGISTRY

if TYPE_CHECKING:
    from experiments.analysis.fusion.study import FusionResult

MODE_LABELS = {
    "en": {
        "self_governance": "self-governance",
        "rule_of_law": "rule of law",
        "moral": "moral governance",
    },
    "zh": {"self_governance": "自治", "rule_of_law": "法治", "moral": "德治"},
}


def level_label(level: float, levels: Sequence[float], lang: str = "en") -> str:
    """Siloed departments at the lowest coordination, fused at the highest (with the value)."""
    value = f"{COORDINATION} = {level:g}"
    if level == min(levels):
        return f"部门各自为政（{value}）" if lang == "zh" else f"siloed departments ({value})"
    if level == max(levels):
        return f"融合协同（{value}）" if lang == "zh" else f"fused coordination ({value})"
    return value


def summary(result: FusionResult, metrics: list[str], lang: str = "en") -> str:
    """The Markdown summary: per metric, the dividend sentence at each coordination level,
    the change of the dividend with coordination, and the effects table."""
    zh = lang == "zh"
    lines = ["# 三治融合实验：融合红利" if zh else "# Fusion experiment: the fusion dividend", ""]
    lines += [_method(zh), ""]
    for metric in metrics:
        m = REGISTRY[metric]
        lines += [f"## {m.label(lang)} ({m.unit})", ""]
        for level in result.coordination:
            lines += ["- " + dividend_sentence(result, metric, level, lang)]
        diffs = result.differences[result.differences["metric"] == metric]
        for row in diffs.to_dict("records"):
            lines += ["- " + _difference_sentence(row, result.coordination, zh)]
        lines += ["", *_effects_table(result, metric, lang), ""]
    return "\n".join(lines)


def headlines(result: FusionResult, metrics: list[str], lang: str = "en") -> list[str]:
    """The dividend sentence of every metric at the highest coordination level."""
    top = max(result.coordination)
    return [dividend_sentence(result, metric, top, lang) for metric in metrics]


def dividend_sentence(result: FusionResult, metric: str, level: float, lang: str = "en") -> str:
    """'With coordination, the three modes together reduce X by ... more than the sum of
    their separate effects (95% CI ...)', with a verdict, for one metric and level."""
    zh = lang == "zh"
    rows = result.effects[
        (result.effects["metric"] == metric) & (result.effects[COORDINATION] == level)
    ]
    row = {r.effect: r for r in rows.itertuples()}
    d, c, s = row[DIVIDEND], row["combined"], row["separate_sum"]
    m = REGISTRY[metric]
    label = m.label(lang)
    where = level_label(level, result.coordination, lang)
    if c.estimate * s.estimate > 0:  # both reductions or both increases: "X more / less"
        more = abs(c.estimate) > abs(s.estimate)
        if zh:
            text = (
                f"在{where}下，三种治理方式同时实施使{label}"
                f"{_verb(c.estimate, zh)}{_n(abs(c.estimate))}，"
                f"比各自单独效果之和（{_verb(s.estimate, zh)}{_n(abs(s.estimate))}）"
                f"{'多' if more else '少'}{_verb(c.estimate, zh)}{_n(abs(d.estimate))}。"
            )
        else:
            text = (
                f"With {where}, the three modes together {_verb(c.estimate, zh)} "
                f"{_lower(label)} by {_n(abs(c.estimate))}, {_n(abs(d.estimate))} "
                f"{'more' if more else 'less'} than the sum of their separate effects "
                f"({_amount(s.estimate)})."
            )
    elif zh:
        text = (
            f"在{where}下，三种治理方式同时实施使{label}{_change(c.estimate, zh)}，"
            f"而各自单独效果之和为{_change(s.estimate, zh)}。"
        )
    else:
        text = (
            f"With {where}, the three modes together {_change_en(_lower(label), c.estimate)}, "
            f"while the sum of their separate effects is {_amount(s.estimate)}."
        )
    ci = _ci(d.ci_low, d.ci_high, zh)
    if zh:
        number = f"融合红利（合力减去单独效果之和）：{_n(d.estimate, True)}（{ci}）。"
    else:
        number = f"Fusion dividend (together minus the sum): {_n(d.estimate, True)} ({ci})."
    gap = "" if zh else " "
    judged = verdict(d.estimate, d.ci_low, d.ci_high, m.better, zh)
    return f"{text}{gap}{number}{gap}{judged}"


def verdict(estimate: float, low: float, high: float, better: str, zh: bool = False) -> str:
    """Whether all three together do better or worse than the sum of their separate effects
    (judged by the metric's ``better`` direction), or cannot be told from additive."""
    if low <= 0 <= high or not (math.isfinite(low) and math.isfinite(high)):
        return (
            "与零无显著差异：三者效果大致等于简单相加。"
            if zh
            else "Not distinguishable from zero: the modes add up."
        )
    good = (estimate < 0) if better == "lower" else (estimate > 0) if better == "higher" else None
    if good is None:
        return "三者合力与简单相加显著不同。" if zh else "Together they differ from the sum."
    if good:
        return (
            "优于简单相加：三种方式相辅相成（融合红利有利）。"
            if zh
            else "Better than additive: the modes are complements (a favourable fusion dividend)."
        )
    return (
        "劣于简单相加：三种方式部分相互替代（融合红利不利）。"
        if zh
        else "Worse than additive: the modes partly substitute for one another (an unfavourable "
        "fusion dividend)."
    )


def _difference_sentence(row: dict, levels: list[float], zh: bool) -> str:
    lang = "zh" if zh else "en"
    a, b = level_label(row["from"], levels, lang), level_label(row["to"], levels, lang)
    ci = _ci(row["ci_low"], row["ci_high"], zh)
    change = _n(row["estimate"], True)
    covers = row["ci_low"] <= 0 <= row["ci_high"]
    if zh:
        tail = "，与零无显著差异" if covers else ""
        return f"从{a}到{b}，融合红利变化{change}（{ci}）{tail}。"
    tail = ": not distinguishable from zero" if covers else ""
    return f"From {a} to {b} the fusion dividend changes by {change} ({ci}){tail}."


def _effects_table(result: FusionResult, metric: str, lang: str) -> list[str]:
    zh = lang == "zh"
    names = MODE_LABELS[lang]
    frame = result.effects[result.effects["metric"] == metric]
    head = ["效应" if zh else "effect"] + [
        level_label(x, result.coordination, lang) for x in result.coordination
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for effect in frame["effect"].drop_duplicates():
        shown = effect.replace(" x ", " × ")
        for mode in MODES:
            shown = shown.replace(mode, names[mode])
        if effect == DIVIDEND:
            shown = "**融合红利**" if zh else "**fusion dividend**"
        elif effect == "combined":
            shown = "三者同时（相对全无）" if zh else "all three together (vs none)"
        elif effect == "separate_sum":
            shown = "单独效果之和" if zh else "sum of separate effects"
        elif effect.startswith("alone: "):
            shown = shown.replace("alone: ", "仅" if zh else "alone: ")
        cells = []
        for level in result.coordination:
            r = frame[(frame["effect"] == effect) & (frame[COORDINATION] == level)].iloc[0]
            cells.append(f"{_n(r.estimate, True)} [{_n(r.ci_low, True)}, {_n(r.ci_high, True)}]")
        lines.append("| " + " | ".join([shown, *cells]) + " |")
    return lines


def _method(zh: bool) -> str:
    if zh:
        return (
            "三种治理方式（自治、法治、德治）各取“关/开”，完全析因（2×2×2），并与协调水平交叉，"
            "每个组合多次重复。融合红利 = 三者同时实施的效果 −（各自单独实施效果之和），"
            "均相对于“三者皆关”。置信区间：组均值线性对比的 t 区间（Welch–Satterthwaite 自由度）。"
            "表中括号为95%置信区间；主效应与交互作用为标准析因效应（±1 编码）。"
        )
    return (
        "Each mode (self-governance, rule of law, moral governance) off and on, a full 2x2x2 "
        "factorial crossed with coordination levels, with replications. Fusion dividend = "
        "(effect of all three together) - (sum of their separate effects), each relative to "
        "all three off. CIs: t intervals of linear contrasts of cell means (Welch-Satterthwaite "
        "df). Brackets are 95% CIs; main effects and interactions are the standard factorial "
        "effects (+/-1 coding)."
    )


def _ci(low: float, high: float, zh: bool) -> str:
    return (
        f"95%置信区间 {_n(low, True)} 至 {_n(high, True)}"
        if zh
        else f"95% CI {_n(low, True)} to {_n(high, True)}"
    )


def _verb(x: float, zh: bool) -> str:
    if zh:
        return "减少" if x < 0 else "增加"
    return "reduce" if x < 0 else "increase"


def _amount(x: float) -> str:
    if x == 0:
        return "zero"
    return f"{'a reduction' if x < 0 else 'an increase'} of {_n(abs(x))}"


def _change_en(label: str, x: float) -> str:
    if x == 0:
        return f"leave {label} unchanged"
    return f"{_verb(x, False)} {label} by {_n(abs(x))}"


def _change(x: float, zh: bool) -> str:
    if x == 0:
        return "不变" if zh else "leave unchanged"
    return f"{_verb(x, zh)}{_n(abs(x))}" if zh else f"{_verb(x, zh)} by {_n(abs(x))}"


def _lower(label: str) -> str:
    return label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label


def _n(x: float, sign: bool = False) -> str:
    """Three significant digits, no exponent for ordinary magnitudes."""
    if not math.isfinite(x):
        return "n/a"
    text = f"{x:+.3g}" if sign else f"{x:.3g}"
    if "e" in text and 1e-4 <= abs(x) < 1e6:
        text = f"{x:+.6f}".rstrip("0") if sign else f"{x:.6f}".rstrip("0")
    return text.replace("-", "−")
