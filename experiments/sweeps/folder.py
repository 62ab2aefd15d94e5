"""A sweep's results folder on disk (``LAYOUT`` lists its files; the manifest repeats it).

A bundle counts as done once its record in ``bundles/`` exists; the record is written after
the timeseries, and both atomically, so a sweep killed at any moment loses at most the
bundles in flight. ``pandas.read_parquet(DIR / "runs")`` reads every timeseries at once
(hidden temporary files are ignored), for sweeps small enough to fit in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.runner import SUMMARY_WINDOW, summarise
from experiments.store import write_json, write_parquet

MANIFEST = "manifest.json"
SUMMARY = "summary.parquet"
FAILURES = "failures.json"
LAYOUT = {
    MANIFEST: "the sweep: design, points, seeds, parameters, bundles, sessions and times",
    "runs/<bundle>.parquet": "per-day timeseries of the bundle's successful runs",
    "bundles/<bundle>.json": "bundle record (runs, failures, seconds); marks it done",
    SUMMARY: "one row per run: ids, seed, swept values, final and "
    f"last-{SUMMARY_WINDOW}-day mean of every metric (written at the end)",
    FAILURES: "runs that raised, with parameters, seed, message, traceback",
}


class SweepFolder:
    """The files of one sweep folder, read and written as ``LAYOUT`` says."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.runs = self.root / "runs"
        self.records = self.root / "bundles"

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def exists(self) -> bool:
        """Does the folder already hold (part of) a sweep?"""
        return self.manifest_path.exists() or self.records.is_dir() or self.runs.is_dir()

    def read_manifest(self) -> dict[str, Any] | None:
        if not self.manifest_path.is_file():
            return None
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        write_json(manifest, self.manifest_path)

    def done(self) -> set[str]:
        """Names of the bundles whose record exists."""
        if not self.records.is_dir():
            return set()
        return {p.stem for p in self.records.glob("b*.json")}

    def record(self, name: str) -> dict[str, Any]:
        return json.loads((self.records / f"{name}.json").read_text(encoding="utf-8"))

    def save_bundle(self, name: str, series: pd.DataFrame | None, record: dict[str, Any]) -> None:
        """Timeseries first, record last: the record marks the bundle as done."""
        path = self.runs / f"{name}.parquet"
        if series is not None:
            write_parquet(series, path)
        else:
            path.unlink(missing_ok=True)  # left by an earlier, killed attempt
        write_json(record, self.records / f"{name}.json")

    def remove_temporaries(self) -> None:
        """Temporary files of writes a kill interrupted."""
        for folder in (self.root, self.runs, self.records):
            if folder.is_dir():
                for tmp in folder.glob(".*.tmp"):
                    tmp.unlink(missing_ok=True)

    def timeseries(
        self, names: list[str], columns: list[str] | None = None
    ) -> Iterator[pd.DataFrame]:
        """Each bundle's timeseries in turn, so memory holds one bundle at a time."""
        for name in names:
            path = self.runs / f"{name}.parquet"
            if path.is_file():
                yield pd.read_parquet(path, columns=columns)

    def metric_summary(self, names: list[str]) -> pd.DataFrame:
        """Per-run final values and window means (``summarise``), one bundle at a time."""
        parts = [summarise(frame, keys=["run_id"]) for frame in self.timeseries(names)]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"run_id": []})
