"""The words of a sensitivity analysis, in English or Chinese: the terminal lines and the
Markdown summaries.

Which parameters *matter* follows the one rule for claims (``study.judge_indices``): the
index's adjusted interval excludes zero and the effect is at least the metric's practical
threshold. The ranking is shown for all parameters; the claim only for those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from experiments.analysis.sensitivity.indices import ranking, sobol_warnings
from experiments.claims import rule_text
from experiments.columns import SUMMARY_WINDOW
from experiments.wording import Words, number, parameter_label, say, window
from sim import REGISTRY

if TYPE_CHECKING:
    from experiments.analysis.sensitivity.study import SensitivityResult

SHOWN = {"mu_star": "mu*", "ST": "ST"}
METHODS = {"morris": "Morris", "sobol": "Sobol'"}
WORDS: Words = {
    "head": (
        "most influential parameters ({index}, 95% CI; noise = replication SD / SD across points):",
        "最有影响的参数（{index}，95%置信区间；噪声 = 重复间标准差 / 各点间标准差）：",
    ),
    "noise": ("noise", "噪声"),
    "matters": ("clearly matter: {names}", "明显有影响：{names}"),
    "none_matter": (
        "no parameter clearly matters (we cannot tell)",
        "没有参数明显有影响（无法判断）",
    ),
    "title": (
        "Sensitivity analysis ({method}, {samples} {size})",
        "敏感性分析（{method}，{samples} {size}）",
    ),
    "trajectories": ("trajectories", "条轨迹"),
    "base": ("base samples N", "个基础样本 N"),
    "method": (
        "Indices are computed on each point's mean over replications of the metric's mean over "
        "{window}; CIs are SALib's bootstrap 95% intervals (Morris sigma: bootstrap over "
        "trajectories). *Noise* is the mean replication SD relative to the SD of point "
        "means: near 1, replication noise is as large as the parameters' effects.",
        "指数基于各点在各次重复上的均值计算，每次重复取指标在{window}的均值；置信区间为 SALib "
        "的自助法95%区间（Morris 的 sigma：按轨迹自助抽样）。*噪声*为重复间平均标准差与各点"
        "均值标准差之比：接近1时，重复噪声与参数效应一样大。",
    ),
    "what_matters": (
        "A parameter is said to matter for a metric only when its index's adjusted interval "
        "excludes zero and the effect it stands for ({effect}) is at least the metric's "
        "practical threshold; for the others the analysis cannot tell.",
        "只有当参数指数的校正后区间不含零、且其代表的效应（{effect}）不小于该指标的实际意义"
        "阈值时，才称该参数对该指标有影响；对其他参数，本分析无法判断。",
    ),
    "effect_morris": (
        "mu*, the mean absolute change of the metric over the parameter's range",
        "mu*，即参数在其范围内变化时指标的平均绝对变化",
    ),
    "effect_sobol": (
        "sqrt(ST) times the SD of the outputs, the spread the parameter accounts for",
        "sqrt(ST) 乘以输出的标准差，即该参数所解释的离散程度",
    ),
    "noise_share": ("Replication noise share: {share}", "重复噪声占比：{share}"),
    "one_rep": ("n/a (one replication)", "无（仅一次重复）"),
    "warning": ("**Warning:**", "**警告：**"),
    "rank": ("rank", "排名"),
    "parameter": ("parameter", "参数"),
    "verdict": ("matters?", "是否有影响"),
    "yes": ("clearly", "明显"),
    "no": ("cannot tell", "无法判断"),
    "threshold": ("Practical threshold: {threshold}", "实际意义阈值：{threshold}"),
    "ranked": ("Ranked by {index}.", "按 {index} 排序。"),
    "ci": ("95% CI", "95%置信区间"),
}


def text_summary(result: SensitivityResult, metrics: list[str], lang: str = "en") -> str:
    """The three most influential parameters of each metric and those that clearly matter,
    one line each."""
    key = result.key
    lines = [say(WORDS, "head", lang, index=SHOWN[key])]
    for metric in metrics:
        rows = result.indices[result.indices["metric"] == metric].set_index("parameter")
        top = ", ".join(
            f"{parameter_label(p, lang)} {rows.loc[p, key]:.3g} "
            f"[{rows.loc[p, f'{key}_low']:.3g}, {rows.loc[p, f'{key}_high']:.3g}]"
            for p in ranking(rows.reset_index())
        )
        label = REGISTRY[metric].label(lang)
        sep = "：" if lang == "zh" else ": "
        noise = f"{say(WORDS, 'noise', lang)} {_share(result.noise[metric], lang)}"
        lines.append(f"  {label}{sep}{top}; {noise}")
        lines.append(f"    {_matters(rows.reset_index(), lang)}")
    return "\n".join(lines)


def _matters(rows, lang: str) -> str:
    if "matters" not in rows:
        return ""
    clear = rows[rows["matters"]].sort_values("rank")["parameter"]
    if clear.empty:
        return say(WORDS, "none_matter", lang)
    names = ("、" if lang == "zh" else ", ").join(parameter_label(p, lang) for p in clear)
    return say(WORDS, "matters", lang, names=names)


def markdown(result: SensitivityResult, metrics: list[str], lang: str = "en") -> str:
    """summary.md: the ranking per metric, which parameters clearly matter, noise shares
    and warnings."""
    key = result.key
    size = say(WORDS, "trajectories" if result.method == "morris" else "base", lang)
    lines = [
        "# "
        + say(
            WORDS, "title", lang, method=METHODS[result.method], samples=result.samples, size=size
        ),
        "",
        say(WORDS, "method", lang, window=window(lang, SUMMARY_WINDOW)),
        "",
    ]
    effect = say(WORDS, "effect_morris" if result.method == "morris" else "effect_sobol", lang)
    lines += [say(WORDS, "what_matters", lang, effect=effect)]
    if "comparisons" in result.indices:
        m = int(result.indices["comparisons"].max())
        lines += ["", rule_text(lang, m, str(result.indices["adjustment"].iloc[0]))]
    lines += [""]
    for metric in metrics:
        m = REGISTRY[metric]
        rows = result.indices[result.indices["metric"] == metric].sort_values("rank")
        lines += [f"## {m.label(lang)} ({m.unit_in(lang)})", ""]
        noise = say(WORDS, "noise_share", lang, share=_share(result.noise[metric], lang))
        lines += [noise, "", _matters(rows, lang), ""]
        if "threshold" in rows and len(rows):
            threshold = number(float(rows["threshold"].iloc[0]))
            unit = m.unit_in(lang)
            lines += [say(WORDS, "threshold", lang, threshold=f"{threshold} {unit}"), ""]
        reasons = (
            sobol_warnings(rows, result.samples, lang)
            if result.method == "sobol"
            else result.warnings.get(metric, [])
        )
        for reason in reasons:
            lines += [f"{say(WORDS, 'warning', lang)} {reason}", ""]
        head = [say(WORDS, k, lang) for k in ("rank", "parameter")]
        ci = say(WORDS, "ci", lang)
        if result.method == "morris":
            head += [f"mu* [{ci}]", f"sigma [{ci}]", "mu", say(WORDS, "verdict", lang)]
        else:
            head += [f"S1 [{ci}]", f"ST [{ci}]", say(WORDS, "verdict", lang)]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in rows.itertuples():
            verdict = say(WORDS, "yes" if getattr(r, "matters", False) else "no", lang)
            name = parameter_label(r.parameter, lang)
            if result.method == "morris":
                cells = [
                    f"{r.mu_star:.3g} [{r.mu_star_low:.3g}, {r.mu_star_high:.3g}]",
                    f"{r.sigma:.3g} [{r.sigma_low:.3g}, {r.sigma_high:.3g}]",
                    f"{r.mu:.3g}",
                ]
            else:
                cells = [
                    f"{r.S1:.3g} [{r.S1_low:.3g}, {r.S1_high:.3g}]",
                    f"{r.ST:.3g} [{r.ST_low:.3g}, {r.ST_high:.3g}]",
                ]
            lines.append("| " + " | ".join([str(r.rank), name, *cells, verdict]) + " |")
        lines += ["", say(WORDS, "ranked", lang, index=SHOWN[key]), ""]
    return "\n".join(lines)


def _share(x: float, lang: str = "en") -> str:
    return f"{x:.2f}" if x == x else say(WORDS, "one_rep", lang)
