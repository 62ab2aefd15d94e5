"""Plain-language summaries of a fusion experiment, in English and Chinese.

Every verdict follows the one rule for claims (:mod:`experiments.claims`, applied by
``study.judge_dividends`` over all dividends and their changes together, Holm): the modes
are called complements or substitutes only when the dividend's adjusted interval excludes
zero and the dividend is at least the metric's practical threshold; otherwise the summary
says we cannot tell, with the interval. The direction of the dividend is a finding, never
assumed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from experiments.analysis.fusion.factorial import COORDINATION, DIVIDEND, MODES
from experiments.claims import rule_text
from experiments.wording import LEVERS, Words, number, parameter_label, say
from sim import REGISTRY

if TYPE_CHECKING:
    from experiments.analysis.fusion.study import FusionResult

MODE_LABELS = {lang: {m: say(LEVERS, m, lang) for m in MODES} for lang in ("en", "zh")}

WORDS: Words = {
    "title": ("Fusion experiment: the fusion dividend", "三治融合实验：融合红利"),
    "siloed": ("siloed departments ({value})", "部门各自为政（{value}）"),
    "fused": ("fused coordination ({value})", "融合协同（{value}）"),
    "together_more": (
        "With {where}, the three modes together {verb} {label} by {combined}, {gap} {more} "
        "than the sum of their separate effects ({separate}).",
        "在{where}下，三种治理方式同时实施使{label}{verb}{combined}，比各自单独效果之和"
        "（{separate}）{more}{verb}{gap}。",
    ),
    "together_mixed": (
        "With {where}, the three modes together {change}, while the sum of their separate "
        "effects is {separate}.",
        "在{where}下，三种治理方式同时实施使{label}{change}，而各自单独效果之和为{separate}。",
    ),
    "more": ("more", "多"),
    "less": ("less", "少"),
    "reduce": ("reduce", "减少"),
    "increase": ("increase", "增加"),
    "unchanged": ("leave {label} unchanged", "不变"),
    "change_by": ("{verb} {label} by {amount}", "{verb}{amount}"),
    "a_reduction": ("a reduction of {amount}", "减少{amount}"),
    "an_increase": ("an increase of {amount}", "增加{amount}"),
    "zero": ("zero", "零"),
    "dividend_number": (
        "Fusion dividend (together minus the sum): {estimate} (adjusted 95% CI {low} to {high}).",
        "融合红利（合力减去单独效果之和）：{estimate}（校正后95%置信区间 {low} 至 {high}）。",
    ),
    "complements": (
        "Better than additive: the modes are complements (a favourable fusion dividend).",
        "优于简单相加：三种方式相辅相成（融合红利有利）。",
    ),
    "substitutes": (
        "Worse than additive: the modes partly substitute for one another (an unfavourable "
        "fusion dividend).",
        "劣于简单相加：三种方式部分相互替代（融合红利不利）。",
    ),
    "differ": ("Together they clearly differ from the sum.", "三者合力与简单相加明显不同。"),
    "cannot_tell": (
        "We cannot tell whether the modes add up, reinforce or undercut one another: the "
        "interval includes zero.",
        "无法判断三种方式是简单相加、相互促进还是相互削弱：区间包含零。",
    ),
    "too_small": (
        "We cannot tell a dividend that matters: it is smaller than the {threshold} that "
        "counts as a difference.",
        "无法判断存在有实际意义的融合红利：其大小低于视为差异的阈值{threshold}。",
    ),
    "change": (
        "From {a} to {b} the fusion dividend changes by {estimate} (adjusted 95% CI {low} to "
        "{high}){tail}.",
        "从{a}到{b}，融合红利变化{estimate}（校正后95%置信区间 {low} 至 {high}）{tail}。",
    ),
    "change_unclear": (
        ": we cannot tell whether coordination changes it",
        "，无法判断协同是否改变融合红利",
    ),
    "change_clear": (": coordination clearly changes it", "，协同明显改变了融合红利"),
    "effect": ("effect", "效应"),
    "all_three": ("all three together (vs none)", "三者同时（相对全无）"),
    "separate_sum": ("sum of separate effects", "单独效果之和"),
    "alone": ("alone: {mode}", "仅{mode}"),
    "dividend": ("fusion dividend", "融合红利"),
    "method": (
        "Each mode (self-governance, rule of law, moral governance) off and on, a full 2x2x2 "
        "factorial crossed with coordination levels, with replications. Fusion dividend = "
        "(effect of all three together) - (sum of their separate effects), each relative to "
        "all three off. Intervals: t intervals of linear contrasts of cell means (Welch-"
        "Satterthwaite degrees of freedom), kept within what the metric can take. The table's "
        "brackets are 95% intervals of each effect on its own; main effects and interactions "
        "are the standard factorial effects (+/-1 coding).",
        "三种治理方式（自治、法治、德治）各取“关/开”，完全析因（2×2×2），并与协同水平交叉，"
        "每个组合多次重复。融合红利 = 三者同时实施的效果 −（各自单独实施效果之和），均相对于"
        "“三者皆关”。区间：组均值线性对比的 t 区间（Welch–Satterthwaite 自由度），且不超出"
        "指标可能的取值范围。表中括号为各效应单独的95%置信区间；主效应与交互作用为标准析因"
        "效应（±1 编码）。",
    ),
}


def level_label(level: float, levels: Sequence[float], lang: str = "en") -> str:
    """Siloed departments at the lowest coordination, fused at the highest (with the value)."""
    value = f"{parameter_label(COORDINATION, lang)} = {level:g}"
    if level == min(levels):
        return say(WORDS, "siloed", lang, value=value)
    if level == max(levels):
        return say(WORDS, "fused", lang, value=value)
    return value


def summary(result: FusionResult, metrics: list[str], lang: str = "en") -> str:
    """The Markdown summary: per metric, the dividend sentence at each coordination level,
    the change of the dividend with coordination, and the effects table."""
    lines = [f"# {say(WORDS, 'title', lang)}", ""]
    lines += [say(WORDS, "method", lang), ""]
    m = int(result.claims["comparisons"].max()) if len(result.claims) else 0
    adjustment = result.claims["adjustment"].iloc[0] if len(result.claims) else "holm"
    lines += [rule_text(lang, m, adjustment), ""]
    for metric in metrics:
        mm = REGISTRY[metric]
        lines += [f"## {mm.label(lang)} ({mm.unit_in(lang)})", ""]
        for level in result.coordination:
            lines += ["- " + dividend_sentence(result, metric, level, lang)]
        for row in _claims(result, metric, "change"):
            lines += ["- " + _difference_sentence(row, result.coordination, lang)]
        lines += ["", *_effects_table(result, metric, lang), ""]
    return "\n".join(lines)


def headlines(result: FusionResult, metrics: list[str], lang: str = "en") -> list[str]:
    """What the terminal prints: every dividend sentence (each metric at each coordination
    level) and every change with coordination, clear findings first."""
    out, rest = [], []
    for metric in metrics:
        for level in result.coordination:
            claim = _claim(result, metric, level)
            text = dividend_sentence(result, metric, level, lang)
            (out if claim is not None and claim["clear"] else rest).append(text)
        for row in _claims(result, metric, "change"):
            text = _difference_sentence(row, result.coordination, lang)
            (out if row["clear"] else rest).append(text)
    return out + rest


def _claims(result: FusionResult, metric: str, kind: str) -> list[dict]:
    c = result.claims
    if c.empty:
        return []
    return c[(c["metric"] == metric) & (c["kind"] == kind)].to_dict("records")


def _claim(result: FusionResult, metric: str, level: float) -> dict | None:
    rows = [r for r in _claims(result, metric, "dividend") if r["level"] == level]
    return rows[0] if rows else None


def dividend_sentence(result: FusionResult, metric: str, level: float, lang: str = "en") -> str:
    """'With coordination, the three modes together reduce X by ... more than the sum of
    their separate effects', the dividend with its adjusted interval, and the verdict."""
    zh = lang == "zh"
    rows = result.effects[
        (result.effects["metric"] == metric) & (result.effects[COORDINATION] == level)
    ]
    row = {r.effect: r for r in rows.itertuples()}
    c, s = row["combined"], row["separate_sum"]
    m = REGISTRY[metric]
    label = m.label(lang)
    where = level_label(level, result.coordination, lang)
    if c.estimate * s.estimate > 0:  # both reductions or both increases: "X more / less"
        more = abs(c.estimate) > abs(s.estimate)
        text = say(
            WORDS,
            "together_more",
            lang,
            where=where,
            verb=say(WORDS, "reduce" if c.estimate < 0 else "increase", lang),
            label=label if zh else _lower(label),
            combined=_n(abs(c.estimate)),
            gap=_n(abs(c.estimate - s.estimate)),
            more=say(WORDS, "more" if more else "less", lang),
            separate=_amount(s.estimate, lang),
        )
    else:
        text = say(
            WORDS,
            "together_mixed",
            lang,
            where=where,
            label=label,
            change=_change(c.estimate, label if zh else _lower(label), lang),
            separate=_amount(s.estimate, lang),
        )
    claim = _claim(result, metric, level)
    if claim is None:  # no verdict computed (a table without claims): say nothing more
        return text
    number_ = say(
        WORDS,
        "dividend_number",
        lang,
        estimate=_n(claim["estimate"], True),
        low=_n(claim["low"], True),
        high=_n(claim["high"], True),
    )
    judged = verdict(claim, m.better, lang)
    gap = "" if zh else " "
    return f"{text}{gap}{number_}{gap}{judged}"


def verdict(claim: dict, better: str, lang: str = "en") -> str:
    """Whether all three together do better or worse than the sum of their separate effects
    (by the metric's ``better`` direction), or we cannot tell."""
    if not claim["clear"]:
        low, high = claim["low"], claim["high"]
        if math.isfinite(low) and (low > 0 or high < 0):  # clear of zero, too small to count
            return say(WORDS, "too_small", lang, threshold=_n(claim["threshold"]))
        return say(WORDS, "cannot_tell", lang)
    if not better:
        return say(WORDS, "differ", lang)
    good = claim["estimate"] < 0 if better == "lower" else claim["estimate"] > 0
    return say(WORDS, "complements" if good else "substitutes", lang)


def _difference_sentence(row: dict, levels: list[float], lang: str) -> str:
    a, b = level_label(row["from"], levels, lang), level_label(row["to"], levels, lang)
    tail = say(WORDS, "change_clear" if row["clear"] else "change_unclear", lang)
    return say(
        WORDS,
        "change",
        lang,
        a=a,
        b=b,
        estimate=_n(row["estimate"], True),
        low=_n(row["low"], True),
        high=_n(row["high"], True),
        tail=tail,
    )


def _effects_table(result: FusionResult, metric: str, lang: str) -> list[str]:
    names = MODE_LABELS[lang]
    frame = result.effects[result.effects["metric"] == metric]
    head = [say(WORDS, "effect", lang)] + [
        level_label(x, result.coordination, lang) for x in result.coordination
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for effect in frame["effect"].drop_duplicates():
        cells = [effect_label(effect, lang, names), *_cells(frame, effect, result)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def effect_label(effect: str, lang: str, names: dict[str, str] | None = None) -> str:
    """An effect's name in ``lang`` ('self_governance x moral' -> 'self-governance × ...')."""
    names = names or MODE_LABELS[lang]
    if effect == DIVIDEND:
        return f"**{say(WORDS, 'dividend', lang)}**"
    if effect == "combined":
        return say(WORDS, "all_three", lang)
    if effect == "separate_sum":
        return say(WORDS, "separate_sum", lang)
    if effect.startswith("alone: "):
        return say(WORDS, "alone", lang, mode=names[effect.removeprefix("alone: ")])
    return " × ".join(names.get(part, part) for part in effect.split(" x "))


def _cells(frame, effect: str, result: FusionResult) -> list[str]:
    cells = []
    for level in result.coordination:
        r = frame[(frame["effect"] == effect) & (frame[COORDINATION] == level)].iloc[0]
        cells.append(f"{_n(r.estimate, True)} [{_n(r.ci_low, True)}, {_n(r.ci_high, True)}]")
    return cells


def _amount(x: float, lang: str) -> str:
    if x == 0:
        return say(WORDS, "zero", lang)
    return say(WORDS, "a_reduction" if x < 0 else "an_increase", lang, amount=_n(abs(x)))


def _change(x: float, label: str, lang: str) -> str:
    if x == 0:
        return say(WORDS, "unchanged", lang, label=label)
    verb = say(WORDS, "reduce" if x < 0 else "increase", lang)
    return say(WORDS, "change_by", lang, verb=verb, label=label, amount=_n(abs(x)))


def _lower(label: str) -> str:
    return label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label


def _n(x: float, sign: bool = False) -> str:
    """Three significant digits (``wording.number``), with a true minus sign."""
    return number(x, sign=sign).replace("-", "−")
