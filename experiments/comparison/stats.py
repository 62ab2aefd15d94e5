"""Comparison statistics: per group and metric, the mean with an interval that respects the
metric's range; against the reference, the difference (or, where the reference is well away
from zero, the relative change) judged by the one rule for claims (:mod:`experiments.claims`),
and a plain-language sentence per metric.

The compared value of a run is its mean over the last days of the run (``window_column``),
which is steadier than the last day's value. Comparisons are judged in two families, each
with its own multiplicity control: the key metrics of every group against the reference
(what the report and the terminal state), and all other metrics (``summary.csv`` only).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from experiments.claims import (
    HOLM,
    LEVEL,
    Claim,
    Estimate,
    judge,
    log_ratio,
    mean_interval,
    relative_is_meaningful,
    welch,
)
from experiments.columns import window_column
from experiments.comparison.inputs import Group
from experiments.wording import Words, number, percent, say
from sim import KEY_METRICS, METRICS, REGISTRY, Metric

KEY, OTHER = "key", "other"


def compare_groups(
    groups: list[Group], lang: str = "en", *, adjustment: str = HOLM, reference: int = 0
) -> pd.DataFrame:
    """One row per group x metric: mean, bounded CI, n; against the reference group
    (``groups[reference]``), the difference, its judgement and a sentence."""
    ref = groups[reference]
    ordered = [ref, *[g for g in groups if g is not ref]]
    rows, tests = [], {KEY: [], OTHER: []}
    # Metrics no input has (tables of a few metrics, older folders) get no rows.
    metrics = [m for m in METRICS if any(window_column(m.name) in g.runs for g in ordered)]
    for group in ordered:
        for metric in metrics:
            col = window_column(metric.name)
            values = _values(group, col)
            ci = mean_interval(values, metric.bounds, LEVEL)
            row = {
                "group": group.label,
                "group_label": group.title(lang),
                "metric": metric.name,
                "label": metric.label(lang),
                "unit": metric.unit_in(lang),
                "better": metric.better,
                "n": values.size,
                "mean": ci.estimate,
                "sd": float(np.std(values, ddof=1)) if values.size > 1 else np.nan,
                "ci95_low": ci.low,
                "ci95_high": ci.high,
                "interval": ci.method,
            }
            if group is not ref:
                reference_values = _values(ref, col)
                row |= difference(values, reference_values, metric)
                row["reference"] = ref.label
                family = KEY if metric.name in KEY_METRICS else OTHER
                row["family"] = family
                tests[family].append((len(rows), metric, reference_values, values))
            rows.append(row)
    for family in tests.values():
        _judge_family(rows, family, adjustment, lang)
    return pd.DataFrame(rows)


def _values(group: Group, col: str) -> np.ndarray:
    if col not in group.runs:
        return np.array([], dtype=float)
    values = group.runs[col].to_numpy(float)
    return values[np.isfinite(values)]


def difference(values: np.ndarray, ref: np.ndarray, metric: Metric | str) -> dict[str, float]:
    """values - ref: Welch 95% CI and p-value, the relative change with a 95% CI on the log
    scale (where meaningful, :func:`~experiments.claims.relative_is_meaningful`), and
    Hedges' g (in summary.csv only: how separable the runs are, not how big the change)."""
    metric = REGISTRY[metric] if isinstance(metric, str) else metric
    diff = welch(values, ref, metric.bounds)
    low, high = diff.interval(LEVEL)
    out = {
        "diff": diff.estimate,
        "diff_ci95_low": low,
        "diff_ci95_high": high,
        "p_welch": diff.p(),
        "rel_change": np.nan,
        "rel_ci95_low": np.nan,
        "rel_ci95_high": np.nan,
        "hedges_g": _hedges_g(values, ref),
        "shown": "absolute",
    }
    if relative_is_meaningful(ref, metric):
        ratio = log_ratio(values, ref)
        if math.isfinite(ratio.estimate):
            low, high = ratio.interval(LEVEL)
            out |= {"rel_change": ratio.shown, "rel_ci95_low": low, "rel_ci95_high": high}
            out["shown"] = "relative"
    return out


def _hedges_g(values: np.ndarray, ref: np.ndarray) -> float:
    if values.size < 2 or ref.size < 2:
        return np.nan
    pooled = math.sqrt(
        ((ref.size - 1) * ref.var(ddof=1) + (values.size - 1) * values.var(ddof=1))
        / (ref.size + values.size - 2)
    )
    if pooled == 0:
        return np.nan
    correction = 1 - 3 / (4 * (ref.size + values.size) - 9)  # Hedges' small-sample factor
    return (values.mean() - ref.mean()) / pooled * correction


def _judge_family(rows: list[dict], family: list[tuple], adjustment: str, lang: str) -> None:
    """The rule over one family; writes the adjusted interval, verdict and sentence."""
    estimates: list[Estimate] = []
    thresholds, sizes = [], []
    for i, metric, ref, values in family:
        relative = rows[i]["shown"] == "relative"
        estimates.append(log_ratio(values, ref) if relative else welch(values, ref, metric.bounds))
        thresholds.append(metric.practical_threshold(float(ref.mean()) if ref.size else math.nan))
        sizes.append(rows[i]["diff"])  # the threshold is in the metric's unit, as is the diff
    claims = judge(estimates, thresholds, sizes, adjustment=adjustment)
    for (i, metric, _, _), claim in zip(family, claims, strict=True):
        rows[i] |= claim_columns(claim, metric)
        rows[i]["sentence"] = sentence(metric, rows[i], lang)


def claim_columns(claim: Claim, metric: Metric) -> dict[str, object]:
    """The rule's verdict as summary.csv columns."""
    return {
        "p": claim.p,
        "p_adjusted": claim.p_adjusted,
        "adjustment": claim.adjustment,
        "comparisons": claim.family,
        "level": claim.level,
        "adj_low": claim.low,
        "adj_high": claim.high,
        "threshold": claim.threshold,
        "status": claim.status(metric.better),
    }


WORDS: Words = {
    "rise": ("rises", "上升"),
    "fall": ("falls", "下降"),
    "rise_pl": ("rise", "上升"),
    "fall_pl": ("fall", "下降"),
    "better": ("better", "改善"),
    "worse": ("worse", "变差"),
    "none": ("no clear difference", "无明显差异"),
    "ci": ("adjusted 95% CI", "校正后95%置信区间"),
    "small": (
        "smaller than the {threshold} that counts as a difference",
        "小于视为差异的阈值{threshold}",
    ),
    "to": ("to", "至"),
}


def sentence(metric: Metric | str, row: dict, lang: str = "en") -> str:
    """E.g. 'Escalations per 1,000 households a year fall by 31% (adjusted 95% CI 24% to
    38%) — better.', or '...: no clear difference (+0.3%, adjusted 95% CI -2.1% to +2.6%).'"""
    metric = REGISTRY[metric] if isinstance(metric, str) else metric
    w = {key: say(WORDS, key, lang) for key in WORDS}
    label = metric.label(lang)
    unit = "" if metric.unit in ("0-1", "0–1") else metric.unit_in(lang)  # a scale: no unit
    relative = row.get("shown") == "relative"
    est = row["rel_change"] if relative else row["diff"]
    low, high = row.get("adj_low", np.nan), row.get("adj_high", np.nan)

    def fmt(x: float, sign: bool = False, unit_too: bool = True) -> str:
        if relative:
            return percent(100 * x, sign=sign)
        if not unit_too:
            return number(x, sign=sign)
        return number(x, sign=sign) + (f" {unit}" if lang == "en" and unit else unit)

    if not np.isfinite(est):
        return f"{label}: –"
    # The estimate carries the unit; the interval's ends are in the same unit.
    ci = f"{w['ci']} {fmt(low, True, False)} {w['to']} {fmt(high, True, False)}"
    if row.get("status", "no_clear") == "no_clear":
        small = ""
        if np.isfinite(low) and (low > 0 or high < 0):  # clear of zero but too small to count
            threshold = number(row["threshold"]) + (f" {unit}" if lang == "en" and unit else unit)
            gap = "；" if lang == "zh" else "; "
            small = gap + say(WORDS, "small", lang, threshold=threshold)
        if lang == "zh":
            return f"{label}{w['none']}（{fmt(est, True)}，{ci}{small}）。"
        return f"{label}: {w['none']} ({fmt(est, True)}, {ci}{small})."
    up = est > 0
    lo, hi = sorted((abs(low), abs(high)))
    ci = f"{w['ci']} {fmt(lo, unit_too=False)} {w['to']} {fmt(hi, unit_too=False)}"
    status = row["status"]
    judged = w[status] if status in ("better", "worse") else ""
    if lang == "zh":
        verb = w["rise"] if up else w["fall"]
        tail = f"，{judged}" if judged else ""
        return f"{label}{verb}{fmt(abs(est))}（{ci}）{tail}。"
    plural = _plural(label)
    verb = w[("rise" if up else "fall") + ("_pl" if plural else "")]
    tail = f" — {judged}" if judged else ""
    return f"{label} {verb} by {fmt(abs(est))} ({ci}){tail}."


def _plural(label: str) -> bool:
    """Is the label's head noun plural ('Escalations per ...', 'Days to resolve')?"""
    head = re.split(r" (?:per|to|of|a year)\b", label)[0]
    head = re.sub(r" (?:raised|resolved|escalated|held|lost)$", "", head)
    word = head.split()[-1].lower() if head.split() else ""
    return word.endswith("s") and not word.endswith("ss")
