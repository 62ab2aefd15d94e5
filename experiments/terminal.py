"""The end-of-run table `sanzhi run` prints: key metrics with 95% confidence intervals that
stay inside each metric's range (:func:`experiments.claims.mean_interval`)."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from experiments.claims import mean_interval
from experiments.columns import window_column
from experiments.wording import Words, say
from sim import KEY_METRICS, REGISTRY

EXTRA = ("open_issues", "mean_norm", "mean_legal_awareness", "staff_cost")

WORDS: Words = {
    "metric": ("metric", "指标"),
    "mean": ("mean", "均值"),
    "ci": ("95% CI", "95%置信区间"),
    "unit": ("unit", "单位"),
    "head": (
        "{name}: {households} households, {days} days, {reps} replication(s), seed {seed}",
        "{name}：{households}户，{days}天，重复{reps}次，随机种子 {seed}",
    ),
    "runs": (
        "{n} run(s) in {seconds:.1f} s; results in {out}/",
        "共{n}次运行，用时{seconds:.1f}秒；结果保存在 {out}/",
    ),
}


def key_metrics_table(summary: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Mean over the last days of each run, then mean and 95% CI across replications."""
    rows = []
    for name in (*KEY_METRICS, *EXTRA):
        metric = REGISTRY[name]
        ci = mean_interval(summary[window_column(name)].to_numpy(float), metric.bounds)
        rows.append(
            {
                "metric": metric.label(lang),
                "mean": ci.estimate,
                "ci95_low": ci.low,
                "ci95_high": ci.high,
                "unit": metric.unit_in(lang),
            }
        )
    return pd.DataFrame(rows)


def format_table(table: pd.DataFrame, lang: str = "en") -> str:
    def num(x: float) -> str:
        if not np.isfinite(x):
            return "-"
        return f"{x:,.3f}" if abs(x) < 10 else f"{x:,.1f}"

    rows = [tuple(say(WORDS, k, lang) for k in ("metric", "mean", "ci", "unit"))]
    for row in table.itertuples(index=False):
        ci = f"{num(row.ci95_low)} – {num(row.ci95_high)}" if np.isfinite(row.ci95_low) else "-"
        rows.append((row.metric, num(row.mean), ci, row.unit))
    widths = [max(_width(r[i]) for r in rows) for i in range(4)]
    lines = []
    for r in rows:
        cells = [_pad(r[0], widths[0]), _rjust(r[1], widths[1]), _pad(r[2], widths[2]), r[3]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _rjust(text: str, width: int) -> str:
    return " " * (width - _width(text)) + text
