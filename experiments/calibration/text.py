"""The words of a calibration: what ``sanzhi calibrate`` prints, in English or Chinese.

The verdict per target follows the one rule for claims (``search.fit_table``): "off target"
only when the adjusted interval of model - target excludes zero and the distance exceeds
the target's tolerance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from experiments.wording import Words, number, parameter_label, say
from sim import REGISTRY

if TYPE_CHECKING:
    from experiments.calibration.study import CalibrationResult

WORDS: Words = {
    "fitted": ("fitted values:", "拟合值："),
    "parameter": (
        "  {name}: {value} (searched {low} to {high}; plausible {plo} to {phi}, {k} points fit "
        "every target)",
        "  {name}：{value}（搜索范围 {low} 至 {high}；可信范围 {plo} 至 {phi}，"
        "{k}个点满足全部目标）",
    ),
    "fit": (
        "fit per target (confirmation runs, 95% CI):",
        "各目标拟合情况（确认运行，95%置信区间）：",
    ),
    "target": (
        "  {label}: target {value} ± {tolerance}; model {mean} (95% CI {low} to {high}) — "
        "{verdict}",
        "  {label}：目标 {value} ± {tolerance}；模型 {mean}"
        "（95%置信区间 {low} 至 {high}）——{verdict}",
    ),
    "within tolerance": ("within tolerance", "在容差范围内"),
    "off target": ("clearly off target", "明显偏离目标"),
    "cannot tell": (
        "outside the tolerance, but we cannot tell it is off target",
        "超出容差，但无法判断是否确实偏离目标",
    ),
    "results": (
        "results in {out}/ (fitted.toml, fit.csv, parameters.csv, samples.csv, fit.png, "
        "search.png)",
        "结果保存在 {out}/（fitted.toml、fit.csv、parameters.csv、samples.csv、"
        "fit.png、search.png）",
    ),
}


def fit_text(result: CalibrationResult, lang: str = "en") -> str:
    """The fitted values with their plausible ranges, and the fit per target."""
    lines = [say(WORDS, "fitted", lang)]
    for r in result.parameters.itertuples():
        lines.append(
            say(
                WORDS,
                "parameter",
                lang,
                name=parameter_label(r.parameter, lang),
                value=number(r.fitted),
                low=number(r.search_low),
                high=number(r.search_high),
                plo=number(r.plausible_low),
                phi=number(r.plausible_high),
                k=r.accepted_points,
            )
        )
    lines += ["", say(WORDS, "fit", lang)]
    for r in result.fit.itertuples():
        lines.append(
            say(
                WORDS,
                "target",
                lang,
                label=REGISTRY[r.metric].label(lang),
                value=f"{r.value:g}",
                tolerance=f"{r.tolerance:g}",
                mean=number(r.model_mean),
                low=number(r.ci_low),
                high=number(r.ci_high),
                verdict=say(WORDS, r.verdict, lang),
            )
        )
    lines += ["", say(WORDS, "results", lang, out=result.out)]
    return "\n".join(lines)
