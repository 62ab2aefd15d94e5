"""The end-of-run table `sanzhi run` prints: key metrics with 95% confidence intervals."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from experiments.runner import confidence_interval, window_column
from sim import KEY_METRICS, REGISTRY

EXTRA = ("open_issues", "mean_norm", "mean_legal_awareness", "staff_cost")


def key_metrics_table(summary: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Mean over the last days of each run, then mean and 95% CI across replications."""
    rows = []
    for name in (*KEY_METRICS, *EXTRA):
        metric = REGISTRY[name]
        mean, low, high = confidence_interval(summary[window_column(name)])
        rows.append(
            {
                "metric": metric.label(lang),
                "mean": mean,
                "ci95_low": low,
                "ci95_high": high,
                "unit": metric.unit,
            }
        )
    return pd.DataFrame(rows)


def format_table(table: pd.DataFrame) -> str:
    def num(x: float) -> str:
        if not np.isfinite(x):
            return "-"
        return f"{x:,.3f}" if abs(x) < 10 else f"{x:,.1f}"

    rows = [("metric", "mean", "95% CI", "unit")]
    for row in table.itertuples(index=False):
        ci = f"{num(row.ci95_low)} – {num(row.ci95_high)}" if np.isfinite(row.ci95_low) else "-"
        rows.append((row.metric, num(row.mean), ci, row.unit))
    widths = [max(_width(r[i]) for r in rows) for i in range(4)]
    lines = []
    for r in rows:
        cells = [_pad(r[0], widths[0]), r[1].rjust(widths[1]), _pad(r[2], widths[2]), r[3]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
