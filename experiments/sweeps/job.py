"""A sweep's job: every point x replication of a design over any Executor, bundles streamed
to the folder as they finish, resumable after a kill, failed runs recorded and the rest run.

:func:`run` is the one door; :func:`sweep` is the DataFrame convenience around it, and
:func:`prepare_sweep` checks everything (input, folder) before any executor starts.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, Unpack

import pandas as pd
from tqdm.auto import tqdm

from experiments.columns import METRICS_CSV, summary_columns, write_metrics_csv, write_table
from experiments.errors import COMMAND_LINE, InputError
from experiments.executors import using
from experiments.folders import FolderLock, check_out, clear
from experiments.runner import SEED_SCHEME, replication_seeds
from experiments.scenario import Scenario, load_scenario
from experiments.store import environment, manifest_base, now, write_json
from experiments.sweeps.design import Design, assignments, design_of, expand
from experiments.sweeps.folder import FAILURES, LAYOUT, SUMMARY, SweepFolder
from experiments.sweeps.plan import bundle_name, estimate_run_seconds, make_bundles, plan_runs
from experiments.sweeps.worker import Failure, Run, Task, run_bundle

COMMON_RANDOM_NUMBERS = (
    "common random numbers: every point runs with the same replication seeds, so "
    "differences between points are not blurred by different random draws"
)
UNFINISHED = ("manifest.json", "runs", "bundles", "failures.json")  # a sweep's own entries
IN_FLIGHT_PER_WORKER = 2  # bundles queued per worker: keeps workers fed, memory bounded


class RunOptions(TypedDict, total=False):
    """How a design's runs are run, as every command that runs one takes it."""

    executor: str | Executor  # "process" (default), "dask", "serial", or your own Executor
    workers: int | None  # default: every core (a pool's size, for your own executor)
    scheduler: str | None  # a dask scheduler's address, with executor="dask"
    resume: bool  # finish the runs already in the folder
    overwrite: bool  # replace what the folder holds (another kind of results, or a sweep)
    progress: bool  # print what runs, progress bars and warnings
    command: list[str] | None  # what ran it, for the manifest


@dataclass
class SweepOutcome:
    """What a sweep produced: the summary, failed runs and bundles that could not run."""

    summary: pd.DataFrame
    failures: list[Failure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # infrastructure errors; --resume retries
    out: Path | None = None
    seconds: float = 0.0
    ran: int = 0  # runs executed in this session
    not_run: list[str] = field(default_factory=list)  # bundles without a record; --resume runs them
    repaired: list[str] = field(default_factory=list)  # damaged or lost bundles found and rerun


def run(
    scenario: Scenario | str | Path, out: str | Path, **options: Unpack[RunOptions]
) -> SweepOutcome:
    """Run (or, with ``resume=True``, finish) a sweep into ``out``.

    ``executor`` is ``"process"`` (a local pool), ``"dask"`` (a LocalCluster, or the
    ``scheduler`` at that address), ``"serial"``, or any ``concurrent.futures.Executor``
    (e.g. ``Client.get_executor()``); see :class:`RunOptions`. Raises InputError for bad
    input or a folder holding another sweep, before anything runs.
    """
    job = prepare_sweep(
        scenario,
        out,
        resume=options.get("resume", False),
        overwrite=options.get("overwrite", False),
    )
    progress = options.get("progress", False)
    if progress:
        print(describe(job.scenario, job.design) + ("; resuming" if job.manifest else ""))
    executor = options.get("executor", "process")
    try:
        with using(executor, options.get("workers"), options.get("scheduler")) as (pool, n, name):
            return job.run(
                pool, n, progress=progress, command=options.get("command"), executor_name=name
            )
    finally:
        job.lock.release()


run_sweep = run  # the name it has in ``experiments``


def sweep(
    scenario: Scenario | str | Path,
    executor: str | Executor = "process",
    *,
    out: str | Path | None = None,
    workers: int | None = None,
    resume: bool = False,
    progress: bool = False,
) -> pd.DataFrame:
    """Run a sweep scenario; one summary row per run (see :func:`run`).

    Without ``out`` results go to a temporary folder. Failed runs have
    ``status == "failed"``; their records are in ``.attrs["failures"]``.
    """
    options = {"executor": executor, "workers": workers, "progress": progress}
    if out is None:
        with tempfile.TemporaryDirectory(prefix="sanzhi-sweep-") as tmp:
            outcome = run(scenario, tmp, **options)
    else:
        outcome = run(scenario, out, resume=resume, **options)
    summary = outcome.summary
    summary.attrs["failures"] = outcome.failures
    summary.attrs["errors"] = outcome.errors
    return summary


def describe(scenario: Scenario, design: Design) -> str:
    """One line: design, points, replications, runs and their size."""
    points = len(expand(design, scenario.params.scenario.seed))
    factors = ", ".join(f.name for f in design.factors)
    return f"sweep {scenario.name}: {design.method} design over {factors}; " + runs_line(
        scenario, points
    )


def runs_line(scenario: Scenario, points: int) -> str:
    """'N point(s) x R replication(s) = M runs of H households x D days'."""
    params = scenario.params
    reps = params.scenario.replications
    return (
        f"{points} point(s) x {reps} replication(s) = {points * reps} runs of "
        f"{params.population.households:,} households x {params.scenario.steps} days"
    )


@dataclass
class SweepJob:
    """A validated sweep and its folder, checked before any executor starts."""

    scenario: Scenario
    design: Design
    points: list[dict[str, Any]]
    runs: list[Run]
    identity: dict[str, Any]
    folder: SweepFolder
    manifest: dict[str, Any] | None  # of the sweep being resumed
    lock: FolderLock  # held from prepare_sweep until run returns

    def run(
        self,
        executor: Executor,
        workers: int,
        *,
        progress: bool = False,
        command: list[str] | None = None,
        executor_name: str | None = None,
    ) -> SweepOutcome:
        """Run the bundles not done yet, then write summary, failures and manifest."""
        try:
            return self._run(executor, workers, progress, command, executor_name)
        finally:
            self.lock.release()

    def _run(
        self,
        executor: Executor,
        workers: int,
        progress: bool,
        command: list[str] | None,
        executor_name: str | None,
    ) -> SweepOutcome:
        folder, runs, params = self.folder, self.runs, self.scenario.params
        manifest = self.manifest
        if manifest is None:
            bundles = make_bundles(len(runs), estimate_run_seconds(params), workers)
            manifest = _new_manifest(self.scenario, self.identity, bundles, command)
        bundles = [list(range(a, b)) for a, b in manifest["bundles"]]
        session = {
            "started": now(),
            "command": command,
            "executor": executor_name or type(executor).__name__,
            "workers": workers,
        }
        names = [bundle_name(i) for i in range(len(bundles))]
        folder.remove_temporaries()
        done, repaired = folder.check(names)
        for line in repaired:
            print(f"sanzhi: {line}", file=sys.stderr)
        if repaired:
            session["repaired"] = repaired
        manifest["sessions"].append(session)
        manifest["status"] = "running"
        folder.write_manifest(manifest)

        failures = [f for name in sorted(done) for f in folder.record(name)["failures"]]
        tasks = (self._task(bundles[i], name) for i, name in enumerate(names) if name not in done)
        already = sum(len(bundles[i]) for i, name in enumerate(names) if name in done)

        clock = time.perf_counter()
        bar = tqdm(
            total=len(runs),
            initial=already,
            unit="run",
            desc=self.scenario.name,
            disable=not progress,
        )
        ran, errors = _Stream(folder, failures, bar).run(executor, workers, tasks, already)
        seconds = time.perf_counter() - clock

        failures.sort(key=lambda f: f["run_id"])
        write_json(failures, folder.root / FAILURES)
        complete = [name for name in names if name in folder.done()]
        failed = {f["run_id"] for f in failures}
        summary = _summary(
            folder, complete, runs, self.points, self.design, self.scenario.name, failed
        )
        write_table(summary, folder.root / SUMMARY)  # with each column's unit and meaning
        write_metrics_csv(folder.root)

        session |= {"finished": now(), "seconds": round(seconds, 3), "runs_executed": ran}
        counts = summary["status"].value_counts()
        manifest["counts"] = {
            "runs": len(runs),
            "done": int(counts.get("ok", 0)),
            "failed": int(counts.get("failed", 0)),
            "not_run": int(counts.get("not run", 0)),
        }
        manifest["status"] = "complete" if len(complete) == len(names) else "incomplete"
        manifest["finished"] = session["finished"]
        folder.write_manifest(manifest)
        not_run = [name for name in names if name not in complete]
        return SweepOutcome(summary, failures, errors, folder.root, seconds, ran, not_run, repaired)

    def _task(self, bundle: list[int], name: str) -> Task:
        """What a worker needs for one bundle: plain data, cheap to pickle."""
        runs = []
        for i in bundle:
            point = self.points[self.runs[i]["point"]]
            runs.append(
                {**self.runs[i], "columns": point, "assign": assignments(self.design, point)}
            )
        return {
            "bundle": name,
            "scenario": self.scenario.name,
            "base": self.scenario.params.to_dict(),
            "runs": runs,
        }


def prepare_sweep(
    scenario: Scenario | str | Path,
    out: str | Path,
    *,
    resume: bool = False,
    overwrite: bool = False,
) -> SweepJob:
    """Validate the sweep and expand its points; check ``out`` (new, or the same sweep when
    resuming; with ``overwrite``, whatever it holds is replaced) and lock it."""
    if resume and overwrite:
        raise InputError(COMMAND_LINE, "--overwrite", "cannot go with --resume (choose one)")
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    design = design_of(scenario)
    params = scenario.params
    seeds = replication_seeds(params.scenario.seed, params.scenario.replications)
    points = expand(design, params.scenario.seed)
    identity = _identity(scenario, design, points, seeds)
    folder = SweepFolder(out)
    check_out(folder.root, ("sweep",), overwrite=overwrite, unfinished=UNFINISHED)
    lock = FolderLock(folder.root)
    try:
        if overwrite and folder.root.is_dir():
            lock.acquire()
            clear(folder.root)
        manifest = _open_folder(folder, identity, resume)
        lock.acquire()
    except BaseException:
        lock.release()
        raise
    runs = plan_runs(points, seeds)
    return SweepJob(scenario, design, points, runs, identity, folder, manifest, lock)


@dataclass
class _Stream:
    """Submits bundles with a bounded queue and saves each as it finishes."""

    folder: SweepFolder
    failures: list[Failure]
    bar: tqdm  # runs done, with the number failed
    errors: list[str] = field(default_factory=list)

    def run(
        self, executor: Executor, workers: int, tasks: Iterator[Task], already: int
    ) -> tuple[int, list[str]]:
        pending: dict[Future, str] = {}
        limit = IN_FLIGHT_PER_WORKER * max(1, workers)
        self.bar.set_postfix(failed=len(self.failures))
        try:
            broken = False
            for task in tasks:
                pending[executor.submit(run_bundle, task)] = task["bundle"]
                if len(pending) >= limit and (broken := self._collect(pending)):
                    break
            while pending and not broken:
                broken = self._collect(pending)
            for future in pending:
                future.cancel()
            return self.bar.n - already, self.errors
        finally:
            self.bar.close()

    def _collect(self, pending: dict[Future, str]) -> bool:
        """Save the bundles that finished; True if the executor broke down."""
        finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in finished:
            name = pending.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool as err:
                self.errors.append(f"{name}: a worker process died ({err})")
                return True
            except Exception as err:  # e.g. a lost dask worker: not the runs' fault, retry later
                self.errors.append(f"{name}: {type(err).__name__}: {err}")
                continue
            record = {
                "bundle": name,
                "runs": sorted(result["seconds"]),
                "failures": result["failures"],
                "seconds": result["seconds"],
                "finished": now(),
            }
            self.folder.save_bundle(name, result["timeseries"], record)
            self.failures.extend(result["failures"])
            self.bar.update(len(result["seconds"]))
            if result["failures"]:
                self.bar.set_postfix(failed=len(self.failures))
                ordered = sorted(self.failures, key=lambda f: f["run_id"])
                write_json(ordered, self.folder.root / FAILURES)
        return False


def _summary(
    folder: SweepFolder,
    names: list[str],
    runs: list[Run],
    points: list[dict[str, Any]],
    design: Design,
    scenario: str,
    failed: set[int],
) -> pd.DataFrame:
    """One row per run, sorted by run id, whatever the order bundles finished in; a run is
    "failed" if it is in failures.json, "not run" if its bundle has no record."""
    plan = pd.DataFrame(runs)
    plan.insert(1, "scenario", scenario)
    plan["seed"] = plan["seed"].astype("uint64")
    cols = pd.DataFrame(points, columns=design.columns)
    plan = plan.join(cols, on="point")
    metrics = folder.metric_summary(names)
    table = plan.merge(metrics, on="run_id", how="left", validate="one_to_one")
    names_out = summary_columns()
    table = table.reindex(columns=[*table.columns, *(c for c in names_out if c not in table)])
    ok = set(metrics["run_id"].tolist())
    status = ["ok" if r in ok else "failed" if r in failed else "not run" for r in table["run_id"]]
    table.insert(table.columns.get_loc("seed") + 1, "status", status)
    front = ["run_id", "scenario", "point", "replication", "seed", "status", *design.columns]
    return table[front + names_out].sort_values("run_id", ignore_index=True)


def _identity(
    scenario: Scenario, design: Design, points: list[dict[str, Any]], seeds: list[int]
) -> dict[str, Any]:
    """Everything that fixes the sweep's results; compared on --resume."""
    identity = {
        "scenario": scenario.name,
        "parameters": scenario.params.to_dict(),
        "design": {
            "kind": design.method,  # "kind" in manifests: folders written before the rename
            "samples": design.samples,
            "table": dict(scenario.sweep or {}),
            "factors": [f.name for f in design.factors],
            "columns": design.columns,
        },
        "points": points,
        "replication_seeds": seeds,
    }
    return json.loads(json.dumps(identity, default=str))  # as it will read back from JSON


def _open_folder(folder: SweepFolder, identity: dict[str, Any], resume: bool) -> dict | None:
    """The manifest of the sweep to resume, or None to start afresh."""
    manifest = folder.read_manifest()
    if not resume:
        if folder.exists():
            raise InputError(
                folder.root,
                None,
                "already holds a sweep; add --resume to finish it, --overwrite to start it "
                "again, or choose another --out",
            )
        return None
    if manifest is None:
        if folder.done():
            raise InputError(folder.root, None, "has bundle records but no manifest.json")
        return None  # nothing to resume: start
    if manifest.get("kind") != "sweep":
        raise InputError(folder.manifest_path, None, "is not the manifest of a sweep")
    differs = _differences({k: manifest.get(k) for k in identity}, identity)
    if differs:
        raise InputError(
            folder.manifest_path,
            None,
            f"describes a different sweep ({'; '.join(differs[:5])}"
            f"{'; ...' if len(differs) > 5 else ''}); "
            "resume with the same scenario file and --set values, or choose another --out",
        )
    env, old = environment(), manifest.get("environment", {})
    if (env.get("git") or {}).get("commit") != (old.get("git") or {}).get("commit") or env.get(
        "packages"
    ) != old.get("packages"):
        warnings.warn(
            "resuming with different code or package versions than the sweep started with; "
            "results may not match an uninterrupted sweep",
            stacklevel=3,
        )
    return manifest


def _differences(old: Any, new: Any, path: str = "") -> list[str]:
    """Readable differences between two JSON values, e.g. 'parameters.staffing.x: 1 -> 2'."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in dict.fromkeys([*old, *new]):
            out += _differences(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) != len(new):
        return [f"{path}: {len(old)} -> {len(new)} entries"]
    if isinstance(old, list) and isinstance(new, list):
        return [
            d
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            for d in _differences(a, b, f"{path}[{i}]")
        ]
    return [] if old == new else [f"{path}: {old!r} -> {new!r}"]


def _new_manifest(
    scenario: Scenario,
    identity: dict[str, Any],
    bundles: list[list[int]],
    command: list[str] | None,
) -> dict[str, Any]:
    return manifest_base("sweep", scenario, command, now()) | {
        **identity,
        "replications": len(identity["replication_seeds"]),
        "seed_scheme": SEED_SCHEME,
        "random_numbers": COMMON_RANDOM_NUMBERS,
        "design_seed": "lhs/sobol/morris samples are drawn with the scenario seed",
        "runs": sum(len(b) for b in bundles),
        "bundles": [[b[0], b[-1] + 1] for b in bundles],  # run-id ranges [first, last + 1)
        "layout": LAYOUT | {METRICS_CSV: "every metric: labels, unit, definition, columns"},
        "sessions": [],
        "environment": environment(),
    }
