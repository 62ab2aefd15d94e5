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

from experiments.analysis.fusion.attribution import NONE, label
from experiments.analysis.fusion.factorial import COORDINATION, DIVIDEND, MODES
from experiments.claims import rule_text
from experiments.wording import LEVERS, Words, number, parameter_label, percent, say
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
    "relative_number": (
        "Relative dividend: {estimate} of the size of the sum of separate effects (95% CI "
        "{low} to {high}).",
        "相对融合红利：为单独效果之和大小的{estimate}（95%置信区间 {low} 至 {high}）。",
    ),
    "relative_dividend": ("relative dividend", "相对融合红利"),
    "relative_method": (
        "Relative dividend = fusion dividend / |sum of separate effects|, with a delta-method "
        "t interval; given only when the sum of separate effects is well away from zero (its "
        "95% interval's half-width below half its size), '—' otherwise.",
        "相对融合红利 = 融合红利 / |单独效果之和|，区间为德尔塔法（一阶泰勒近似）的 t 区间；"
        "仅当单独效果之和明显不为零（其95%置信区间半宽小于其大小的一半）时给出，否则记为“—”。",
    ),
    "practices_title": ("Contributions of the practices", "各项实践的贡献"),
    "practices_method_shapley": (
        "The fusion dividend of the full model (every practice on) minus that of the model "
        "without them, D(all) − D(none), is split among the {k} practices by their exact "
        "Shapley values over all {n} subsets (each subset runs the whole design): each "
        "practice's marginal change of the dividend averaged over the orders of switching "
        "them on. They add up to the total. Brackets: adjusted 95% intervals (Holm over every "
        "contribution and total, metric and coordination level); ✓ marks a contribution the "
        "rule for claims calls clear.",
        "完整模型（全部实践开启）的融合红利减去无实践模型的融合红利，D(全部) − D(无)，按 {k} "
        "项实践的精确 Shapley 值分解（全部 {n} 个子集，每个子集运行完整设计）：即各实践按"
        "所有开启顺序平均的融合红利边际变化，其和等于总变化。括号内为校正后95%置信区间"
        "（Holm，覆盖全部贡献与总量、指标和协同水平）；✓ 表示按判定规则明确的贡献。",
    ),
    "practices_method_one_at_a_time": (
        "The fusion dividend of the full model (every practice on) minus that of the model "
        "without them, D(all) − D(none), is attributed to the {k} practices one at a time "
        "({n} subsets; exact Shapley values would need 2^{k}): leave-one-out, "
        "D(all) − D(all without p), what the full model loses without p; add-one, "
        "D(only p) − D(none), what p does alone; their gap is p's interaction with the other "
        "practices, and 'interactions' is the total minus the sum of the leave-one-out "
        "contributions. For a dividend additive in the practices both equal the Shapley "
        "value. Brackets: adjusted 95% intervals (Holm over every contribution and total, "
        "metric and coordination level); ✓ marks a contribution the rule for claims calls "
        "clear.",
        "完整模型（全部实践开启）的融合红利减去无实践模型的融合红利，D(全部) − D(无)，逐项"
        "归因于 {k} 项实践（{n} 个子集；精确 Shapley 值需 2^{k} 个）：去一贡献 "
        "D(全部) − D(除 p 外全部)，即完整模型缺少 p 时失去的部分；单加贡献 D(仅 p) − D(无)，"
        "即 p 单独的作用；二者之差为 p 与其他实践的交互，“交互”为总量减去去一贡献之和。若"
        "融合红利对实践可加，二者均等于 Shapley 值。括号内为校正后95%置信区间（Holm，覆盖"
        "全部贡献与总量、指标和协同水平）；✓ 表示按判定规则明确的贡献。",
    ),
    "practices_line": (
        "With {where}: the fusion dividend is {full} with every practice on and {none} with "
        "none; the practices change it by {total}.",
        "在{where}下：全部实践开启时融合红利为{full}，无实践时为{none}；实践使其变化{total}。",
    ),
    "with_ci": ("{estimate} (95% CI {low} to {high})", "{estimate}（95%置信区间 {low} 至 {high}）"),
    "with_adjusted_ci": (
        "{estimate} (adjusted 95% CI {low} to {high})",
        "{estimate}（校正后95%置信区间 {low} 至 {high}）",
    ),
    "total": ("all practices (total)", "全部实践（合计）"),
    "interactions": ("interactions among practices", "实践之间的交互"),
    "leave_one_out": ("without {practice} (leave-one-out)", "去掉{practice}（去一）"),
    "add_one": ("{practice} alone (add-one)", "仅{practice}（单加）"),
    "gap": ("{practice}: interaction (gap)", "{practice}：交互（差）"),
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
    if not result.relative.empty:
        lines += [say(WORDS, "relative_method", lang), ""]
    if not result.practices.empty:
        k, n = len(result.practice_keys), result.subsets[SUBSET].nunique()
        lines += [say(WORDS, f"practices_method_{result.estimator}", lang, k=k, n=n), ""]
    lines += [rule_text(lang, m, adjustment), ""]
    for metric in metrics:
        mm = REGISTRY[metric]
        lines += [f"## {mm.label(lang)} ({mm.unit_in(lang)})", ""]
        for level in result.coordination:
            lines += ["- " + dividend_sentence(result, metric, level, lang)]
        for row in _claims(result, metric, "change"):
            lines += ["- " + _difference_sentence(row, result.coordination, lang)]
        lines += ["", *_effects_table(result, metric, lang), ""]
        if not result.practices.empty:
            lines += [f"### {say(WORDS, 'practices_title', lang)}", ""]
            lines += ["- " + line for line in practices_lines(result, metric, lang)]
            lines += ["", *_practices_table(result, metric, lang), ""]
    return "\n".join(lines)


SUBSET = "practices"  # the subsets' column (analysis.fusion.practices.TABLE)


def practices_lines(result: FusionResult, metric: str, lang: str = "en") -> list[str]:
    """Per coordination level: the dividend with every practice and with none, and the
    practices' total change of it (adjusted interval)."""
    out = []
    full = label(list(result.practice_keys), list(result.practice_keys))
    for level in result.coordination:
        d = result.subsets[
            (result.subsets["metric"] == metric) & (result.subsets[COORDINATION] == level)
        ].set_index(SUBSET)
        total = _practice_rows(result, metric, level).get("total")
        out.append(
            say(
                WORDS,
                "practices_line",
                lang,
                where=level_label(level, result.coordination, lang),
                full=_with_ci(d.loc[full], lang),
                none=_with_ci(d.loc[NONE], lang),
                total=_with_ci(total, lang, adjusted=True) if total else "—",
            )
        )
    return out


def _practice_rows(result: FusionResult, metric: str, level: float) -> dict[str, dict]:
    p = result.practices
    rows = p[(p["metric"] == metric) & (p[COORDINATION] == level)]
    return {r["effect"]: r for r in rows.to_dict("records")}


def _with_ci(row, lang: str, adjusted: bool = False) -> str:
    low, high = ("low", "high") if adjusted else ("ci_low", "ci_high")
    text = say(
        WORDS,
        "with_adjusted_ci" if adjusted else "with_ci",
        lang,
        estimate=_n(row["estimate"], True),
        low=_n(row[low], True),
        high=_n(row[high], True),
    )
    if bool(row.get("relative_defined", False)):
        text += f" [{_pct(row['relative_estimate'])}]"
    return text


def _practices_table(result: FusionResult, metric: str, lang: str) -> list[str]:
    head = [say(WORDS, "effect", lang)] + [
        level_label(x, result.coordination, lang) for x in result.coordination
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    by_level = {x: _practice_rows(result, metric, x) for x in result.coordination}
    for effect in result.practices["effect"].drop_duplicates():
        cells = [effect_label(effect, lang, practice_keys=result.practice_keys)]
        for level in result.coordination:
            r = by_level[level][effect]
            if isinstance(r.get("low"), float) and math.isfinite(r["low"]):
                mark = " ✓" if r.get("clear") else ""
                low, high = r["low"], r["high"]
            else:  # a row outside the claims (gap): its own 95% interval
                mark, low, high = "", r["ci_low"], r["ci_high"]
            cells.append(f"{_n(r['estimate'], True)} [{_n(low, True)}, {_n(high, True)}]{mark}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def practice_label(name: str, keys: Sequence[str], lang: str = "en") -> str:
    """A practice's label: its switches' labels (the vocabulary's), else its name."""
    labels = [parameter_label(key, lang) for key in keys]
    if keys and all(label != key for label, key in zip(labels, keys, strict=True)):
        return ("、" if lang == "zh" else ", ").join(labels)
    return name.replace("_", " ")


def headlines(result: FusionResult, metrics: list[str], lang: str = "en") -> list[str]:
    """What the terminal prints: every dividend sentence (each metric at each coordination
    level) and every change with coordination, clear findings first; with practices, the
    dividend with and without them."""
    out, rest = [], []
    for metric in metrics:
        for level in result.coordination:
            claim = _claim(result, metric, level)
            text = dividend_sentence(result, metric, level, lang)
            (out if claim is not None and claim["clear"] else rest).append(text)
        for row in _claims(result, metric, "change"):
            text = _difference_sentence(row, result.coordination, lang)
            (out if row["clear"] else rest).append(text)
        if not result.practices.empty:
            rest += practices_lines(result, metric, lang)
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
    rel = _relative(result, metric, level)
    if rel is not None:
        judged += gap + say(
            WORDS,
            "relative_number",
            lang,
            estimate=_pct(rel["estimate"]),
            low=_pct(rel["ci_low"]),
            high=_pct(rel["ci_high"]),
        )
    return f"{text}{gap}{number_}{gap}{judged}"


def _relative(result: FusionResult, metric: str, level: float) -> dict | None:
    r = result.relative
    if r.empty:
        return None
    rows = r[(r["metric"] == metric) & (r[COORDINATION] == level) & r["defined"].astype(bool)]
    return rows.iloc[0].to_dict() if len(rows) else None


def _pct(x: float) -> str:
    """A share as a signed percentage with a true minus sign."""
    return percent(100 * x, sign=True).replace("-", "−")


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
        if effect == DIVIDEND and not result.relative.empty:
            cells = [say(WORDS, "relative_dividend", lang)]
            for level in result.coordination:
                rel = _relative(result, metric, level)
                cells.append(
                    f"{_pct(rel['estimate'])} [{_pct(rel['ci_low'])}, {_pct(rel['ci_high'])}]"
                    if rel
                    else "—"
                )
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def effect_label(
    effect: str,
    lang: str,
    names: dict[str, str] | None = None,
    practice_keys: dict[str, list[str]] | None = None,
) -> str:
    """An effect's name in ``lang`` ('self_governance x moral' -> 'self-governance × ...');
    with ``practice_keys``, the names of the practices' contributions too."""
    names = names or MODE_LABELS[lang]
    if practice_keys is not None:
        label = _contribution_label(effect, lang, practice_keys)
        if label is not None:
            return label
    if effect == DIVIDEND:
        return f"**{say(WORDS, 'dividend', lang)}**"
    if effect == "combined":
        return say(WORDS, "all_three", lang)
    if effect == "separate_sum":
        return say(WORDS, "separate_sum", lang)
    if effect.startswith("alone: "):
        return say(WORDS, "alone", lang, mode=names[effect.removeprefix("alone: ")])
    return " × ".join(names.get(part, part) for part in effect.split(" x "))


def _contribution_label(effect: str, lang: str, keys: dict[str, list[str]]) -> str | None:
    if effect in ("total", "interactions"):
        return say(WORDS, effect, lang)
    if effect in keys:
        return practice_label(effect, keys[effect], lang)
    kind, sep, name = effect.partition(": ")
    if sep and name in keys and kind in ("leave_one_out", "add_one", "gap"):
        return say(WORDS, kind, lang, practice=practice_label(name, keys[name], lang))
    return None


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
