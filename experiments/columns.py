"""The names and meanings of result columns: the one home of ``<metric>_final_day`` and
``<metric>_mean_last_90_days``, the units and definitions stored with every results table
(Parquet column metadata) and ``metrics.csv`` beside them.

A run is summarised two ways, and the names say which so that nobody reads one for the
other: the value on the run's final day (:func:`final_column`) and the mean over its last
``SUMMARY_WINDOW`` days (:func:`window_column`), which comparisons and analyses use because
it is steadier. Timeseries keep the bare metric name: the value on that day.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.store import atomic_write
from sim import METRICS, REGISTRY, Parameters

SUMMARY_WINDOW = 90  # days at the end of a run over which summaries average
FINAL = "_final_day"
METRICS_CSV = "metrics.csv"
# Summary columns as they were named before the final-day / window-mean names (results
# folders written by earlier versions): <metric> was the final day, <metric>_last90 the mean.
LEGACY_WINDOW = "_last90"

IDS = {
    "scenario": ("scenario name", "情景名称"),
    "replication": ("replication number (0 = first)", "重复编号（0 为第一次）"),
    "seed": ("seed of this replication (SeedSequence child)", "本次重复的随机种子"),
    "day": ("day of the run (1 = first day)", "运行天数（1 为第一天）"),
    "run_id": ("run number within the sweep", "扫描中的运行编号"),
    "point": ("design point number within the sweep", "扫描设计点编号"),
    "status": ("ok, failed or not run", "运行状态：ok 成功，failed 失败，not run 未运行"),
}


def final_column(metric: str) -> str:
    """The summary column of a metric's value on the last day of a run."""
    return f"{metric}{FINAL}"


def window_column(metric: str, window: int = SUMMARY_WINDOW) -> str:
    """The summary column of a metric's mean over the last ``window`` days of a run: what
    comparisons and analyses read."""
    return f"{metric}_mean_last_{window}_days"


def metric_of(column: str) -> str | None:
    """The registry metric a column is about (per-day, final-day or window-mean), else None."""
    if column in REGISTRY:
        return column
    base = column.removesuffix(FINAL)
    if base != column and base in REGISTRY:
        return base
    head, sep, tail = column.rpartition("_mean_last_")
    if sep and head in REGISTRY and tail.endswith("_days") and tail[:-5].isdigit():
        return head
    return None


def upgrade_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """A summary table with today's column names, whatever version wrote it: older folders
    named the final day ``<metric>`` and the window mean ``<metric>_last90``."""
    if not any(f"{m.name}{LEGACY_WINDOW}" in frame for m in METRICS):
        return frame
    names = {}
    for m in METRICS:
        if f"{m.name}{LEGACY_WINDOW}" in frame:
            names[f"{m.name}{LEGACY_WINDOW}"] = window_column(m.name)
        if m.name in frame:
            names[m.name] = final_column(m.name)
    return frame.rename(columns=names)


def describe(column: str, window: int = SUMMARY_WINDOW) -> dict[str, str]:
    """What a results column holds: label, statistic, unit and definition in both languages
    (empty for a column Sanzhi does not know)."""
    name = metric_of(column)
    if name is not None:
        m = REGISTRY[name]
        if column == name:
            stat = ("value on the day", "当天数值")
        elif column == final_column(name):
            stat = ("value on the final day of the run", "运行最后一天的数值")
        else:
            days = int(column.rpartition("_mean_last_")[2][:-5])
            stat = (f"mean over the last {days} days of the run", f"运行最后{days}天的均值")
        low, high = m.bounds
        return {
            "metric": name,
            "label_en": m.label_en,
            "label_zh": m.label_zh,
            "statistic_en": stat[0],
            "statistic_zh": stat[1],
            "unit": m.unit,
            "unit_zh": m.unit_zh or m.unit,
            "definition_en": m.definition,
            "definition_zh": m.definition_zh,
            "lower_bound": _bound(low),
            "upper_bound": _bound(high),
        }
    if column in IDS:
        en, zh = IDS[column]
        return {"label_en": en, "label_zh": zh}
    specs = {key: spec for key, _, _, spec in Parameters.specs()}
    if column in specs:
        spec = specs[column]
        return {"label_en": f"swept parameter: {spec.doc}", "unit": spec.unit}
    return {}


def metrics_table() -> pd.DataFrame:
    """``metrics.csv``: every metric with its labels, unit, definition, bounds, practical
    threshold and the names of its columns."""
    rows = []
    for m in METRICS:
        low, high = m.bounds
        rows.append(
            {
                "metric": m.name,
                "label_en": m.label_en,
                "label_zh": m.label_zh,
                "unit": m.unit,
                "unit_zh": m.unit_zh or m.unit,
                "definition_en": m.definition,
                "definition_zh": m.definition_zh,
                "kind": m.kind,
                "better": m.better or "",
                "lower_bound": _bound(low),
                "upper_bound": _bound(high),
                "threshold": m.threshold,
                "relative_threshold": m.relative_threshold,
                "timeseries_column": m.name,
                "final_day_column": final_column(m.name),
                "window_mean_column": window_column(m.name),
            }
        )
    return pd.DataFrame(rows)


def write_metrics_csv(folder: str | Path) -> Path:
    """``metrics.csv`` in ``folder``, atomically."""
    table = metrics_table()
    return atomic_write(
        Path(folder) / METRICS_CSV, lambda tmp: table.to_csv(tmp, index=False, encoding="utf-8")
    )


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """``frame`` as an Arrow table whose fields carry :func:`describe` as metadata, and
    whose schema names the file's window and ``metrics.csv``. The values are untouched."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for f in table.schema:
        meta = describe(f.name)
        fields.append(f.with_metadata({k: v.encode() for k, v in meta.items()}) if meta else f)
    extra = {
        b"sanzhi": json.dumps(
            {
                "final_day_columns": f"<metric>{FINAL}",
                "window_mean_columns": window_column("<metric>"),
                "window_days": SUMMARY_WINDOW,
                "definitions": METRICS_CSV,
            }
        ).encode()
    }
    schema = pa.schema(fields, metadata={**(table.schema.metadata or {}), **extra})
    return table.cast(schema)


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """A results table as Parquet with its column metadata, written atomically."""
    table = to_arrow(frame)
    return atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def column_metadata(path: str | Path) -> dict[str, dict[str, str]]:
    """The metadata of each column of a Parquet file written by :func:`write_table`."""
    schema = pq.read_schema(path)
    return {f.name: {k.decode(): v.decode() for k, v in (f.metadata or {}).items()} for f in schema}


def summary_columns(metrics: Iterable[str] | None = None) -> list[str]:
    """Every final-day column, then every window-mean column, in registry order."""
    names = list(metrics) if metrics is not None else [m.name for m in METRICS]
    return [final_column(n) for n in names] + [window_column(n) for n in names]


def _bound(x: float) -> str:
    return "" if not math.isfinite(x) else f"{x:g}"
