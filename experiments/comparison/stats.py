"""Comparison statistics: per group and metric, mean and 95% CI across replications;
differences from the first group with Welch's 95% CI, relative change and Hedges' g; and a
plain-language sentence per metric.

The compared value of a run is its mean over the last days of the run (``window_column``),
which is steadier than the last day's value.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from experiments.comparison.inputs import Group
from experiments.runner import confidence_interval, window_column
from experiments.wording import Words, number, percent, say
from sim import METRICS, REGISTRY, Metric

LEVEL = 0.95


def compare_groups(groups: list[Group], lang: str = "en") -> pd.DataFrame:
    """One row per group x metric: mean, CI, n; differences from the first group."""
    reference = groups[0]
    rows = []
    for group in groups:
        for metric in METRICS:
            col = window_column(metric.name)
            values = group.runs[col].dropna().to_numpy(float)
            mean, low, high = confidence_interval(pd.Series(values), LEVEL)
            row = {
                "group": group.label,
                "metric": metric.name,
                "label": metric.label(lang),
                "unit": metric.unit,
                "better": metric.better,
                "n": values.size,
                "mean": mean,
                "sd": float(np.std(values, ddof=1)) if values.size > 1 else np.nan,
                "ci95_low": low,
                "ci95_high": high,
            }
            if group is not reference:
                ref = reference.runs[col].dropna().to_numpy(float)
                row |= difference(values, ref)
                row["reference"] = reference.label
                row["sentence"] = sentence(metric, row, lang)
            rows.append(row)
    return pd.DataFrame(rows)


def difference(values: np.ndarray, ref: np.ndarray) -> dict[str, float]:
    """values - ref: Welch CI and p-value, relative change with a delta-method CI, Hedges' g."""
    out = dict.fromkeys(
        ("diff", "diff_ci95_low", "diff_ci95_high", "p_welch", "rel_change", "rel_ci95_low",
         "rel_ci95_high", "hedges_g"),
        np.nan,
    )  # fmt: skip
    if values.size < 2 or ref.size < 2:
        return out
    a_mean, b_mean = ref.mean(), values.mean()
    out["diff"] = b_mean - a_mean
    va, vb = ref.var(ddof=1) / ref.size, values.var(ddof=1) / values.size
    if va + vb == 0:  # identical constant groups: no uncertainty to speak of
        out["diff_ci95_low"] = out["diff_ci95_high"] = out["diff"]
    else:
        with warnings.catch_warnings():  # near-constant metrics (e.g. security ~ 1) are fine
            warnings.simplefilter("ignore", RuntimeWarning)
            test = stats.ttest_ind(values, ref, equal_var=False)
        ci = test.confidence_interval(LEVEL)
        out |= {"diff_ci95_low": ci.low, "diff_ci95_high": ci.high, "p_welch": test.pvalue}
    if a_mean != 0:
        ratio = b_mean / a_mean
        # Delta method for a ratio of independent means, with Welch's degrees of freedom.
        se = math.sqrt(vb + ratio**2 * va) / abs(a_mean)
        df = (va + vb) ** 2 / (va**2 / (ref.size - 1) + vb**2 / (values.size - 1)) if va + vb else 1
        half = stats.t.ppf(0.5 + LEVEL / 2, df) * se
        out |= {"rel_change": ratio - 1, "rel_ci95_low": ratio - 1 - half}
        out["rel_ci95_high"] = ratio - 1 + half
    pooled = math.sqrt(
        ((ref.size - 1) * ref.var(ddof=1) + (values.size - 1) * values.var(ddof=1))
        / (ref.size + values.size - 2)
    )
    if pooled > 0:
        correction = 1 - 3 / (4 * (ref.size + values.size) - 9)  # Hedges' small-sample factor
        out["hedges_g"] = (b_mean - a_mean) / pooled * correction
    return out


WORDS: Words = {
    "rise": ("rises", "上升"),
    "fall": ("falls", "下降"),
    "rise_pl": ("rise", "上升"),
    "fall_pl": ("fall", "下降"),
    "better": ("better", "改善"),
    "worse": ("worse", "变差"),
    "none": ("no clear change", "无明显变化"),
    "ci": ("95% CI", "95%置信区间"),
}


def sentence(metric: Metric | str, row: dict, lang: str = "en") -> str:
    """E.g. 'Escalations per 1,000 households a year fall by 31% (95% CI 24–38%) — better.'"""
    metric = REGISTRY[metric] if isinstance(metric, str) else metric
    w = {key: say(WORDS, key, lang) for key in WORDS}
    label = metric.label(lang)
    relative = np.isfinite(row.get("rel_change", np.nan))
    if relative:
        est, low, high = (100 * row[k] for k in ("rel_change", "rel_ci95_low", "rel_ci95_high"))
        fmt = percent
    else:
        est, low, high = row["diff"], row["diff_ci95_low"], row["diff_ci95_high"]
        fmt = lambda x: number(x) + (f" {metric.unit}" if lang == "en" else metric.unit)  # noqa: E731
    if not np.isfinite(est):
        return f"{label}: –"
    clear = np.isfinite(low) and (low > 0 or high < 0)
    if not clear:
        if lang == "zh":
            return f"{label}{w['none']}（{fmt(est)}，{w['ci']} {fmt(low)} 至 {fmt(high)}）。"
        return f"{label}: {w['none']} ({fmt(est)}, {w['ci']} {fmt(low)} to {fmt(high)})."
    up = est > 0
    lo, hi = sorted((abs(low), abs(high)))
    judged = ""
    if metric.better:
        good = up == (metric.better == "higher")
        judged = w["better"] if good else w["worse"]
    if lang == "zh":
        verb = w["rise"] if up else w["fall"]
        tail = f"，{judged}" if judged else ""
        return f"{label}{verb}{fmt(abs(est))}（{w['ci']} {fmt(lo)}–{fmt(hi)}）{tail}。"
    plural = _plural(label)
    verb = w[("rise" if up else "fall") + ("_pl" if plural else "")]
    tail = f" — {judged}" if judged else ""
    return f"{label} {verb} by {fmt(abs(est))} ({w['ci']} {fmt(lo)}–{fmt(hi)}){tail}."


def _plural(label: str) -> bool:
    """Is the label's head noun plural ('Escalations per ...', 'Days to resolve')?"""
    head = re.split(r" (?:per|to|of|a year)\b", label)[0]
    head = re.sub(r" (?:raised|resolved|escalated|held|lost)$", "", head)
    word = head.split()[-1].lower() if head.split() else ""
    return word.endswith("s") and not word.endswith("ss")
