"""A sweep's results folder on disk (``LAYOUT`` lists its files; the manifest repeats it).

A bundle counts as done once its record in ``bundles/`` exists; the record is written after
the timeseries, and both atomically, so a sweep killed at any moment loses at most the
bundles in flight. The record holds the timeseries' SHA-256, so :meth:`SweepFolder.check`
finds a bundle whose file was lost or damaged since (the bundle is then run again).
``pandas.read_parquet(DIR / "runs")`` reads every timeseries at once (hidden temporary files
are ignored), for sweeps small enough to fit in memory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.errors import InputError, reason
from experiments.folders import holder
from experiments.runner import SUMMARY_WINDOW, summarise
from experiments.store import write_json, write_parquet

MANIFEST = "manifest.json"
SUMMARY = "summary.parquet"
FAILURES = "failures.json"
LAYOUT = {
    MANIFEST: "the sweep: design, points, seeds, parameters, bundles, sessions and times",
    "runs/<bundle>.parquet": "per-day timeseries of the bundle's successful runs",
    "bundles/<bundle>.json": "bundle record (runs, failures, seconds, the timeseries' "
    "SHA-256); marks it done",
    SUMMARY: "one row per run: ids, seed, swept values, final and "
    f"last-{SUMMARY_WINDOW}-day mean of every metric (written at the end)",
    FAILURES: "runs that raised, with parameters, seed, message, traceback",
    ".lock": "held by the process writing the folder (its id and command inside)",
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
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as err:
            raise InputError(
                self.manifest_path,
                None,
                f"is damaged ({reason(err)}); restore it, or start the sweep again in "
                "another --out",
            ) from None
        if not isinstance(manifest, dict):
            raise InputError(self.manifest_path, None, "is damaged (not a JSON object)")
        return manifest

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        write_json(manifest, self.manifest_path)

    def done(self) -> set[str]:
        """Names of the bundles whose record exists."""
        if not self.records.is_dir():
            return set()
        return {p.stem for p in self.records.glob("b*.json")}

    def in_use(self) -> str | None:
        """The process writing the folder now (its lock file's line), or None."""
        return holder(self.root)

    def record(self, name: str) -> dict[str, Any]:
        return json.loads((self.records / f"{name}.json").read_text(encoding="utf-8"))

    def save_bundle(self, name: str, series: pd.DataFrame | None, record: dict[str, Any]) -> None:
        """Timeseries first, record (with the timeseries' checksum) last: the record marks
        the bundle as done."""
        path = self.runs / f"{name}.parquet"
        if series is not None:
            write_parquet(series, path)
            record = record | {"timeseries_sha256": sha256(path)}
        else:
            path.unlink(missing_ok=True)  # left by an earlier, killed attempt
            record = record | {"timeseries_sha256": None}
        write_json(record, self.records / f"{name}.json")

    def check(self, names: list[str]) -> tuple[set[str], list[str]]:
        """The bundles done and intact, and a line for each done bundle that is not (its
        record unreadable, its timeseries missing or not matching the record's checksum).
        Those are forgotten (record and timeseries removed), so they run again."""
        done, problems = set(), []
        for name in sorted(self.done() & set(names)):
            problem = self._problem(name)
            if problem is None:
                done.add(name)
                continue
            problems.append(f"bundle {name}: {problem}; it is run again")
            (self.records / f"{name}.json").unlink(missing_ok=True)  # record first: not done
            (self.runs / f"{name}.parquet").unlink(missing_ok=True)
        return done, problems

    def _problem(self, name: str) -> str | None:
        record_path, path = self.records / f"{name}.json", self.runs / f"{name}.parquet"
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            runs, failures = record["runs"], record["failures"]
        except (ValueError, OSError, KeyError, TypeError) as err:
            return f"{record_path} is damaged ({reason(err)})"
        if "timeseries_sha256" in record:  # written since checksums were recorded
            expected = record["timeseries_sha256"]
            if expected is None:
                return None
            if not path.is_file():
                return f"{path} is missing"
            return None if sha256(path) == expected else f"{path} is damaged (checksum differs)"
        if len(failures) == len(runs):  # an older record: every run failed, no timeseries
            return None
        if not path.is_file():
            return f"{path} is missing"
        try:
            import pyarrow.parquet as pq

            pq.read_metadata(path)
        except Exception as err:  # pyarrow's errors for a damaged file vary
            return f"{path} is damaged ({reason(err)})"
        return None

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


def sha256(path: Path) -> str:
    """The file's SHA-256, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
