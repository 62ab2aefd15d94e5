"""No result lost or mixed, no run wasted, no process left behind: the command line driven
as a careless or unlucky user would, in subprocesses, with the previous results checked
after every accident. Small scenarios (a few hundred households, a few days) keep it quick;
folders are prepared in this process and only the accident runs as a command.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from experiments import load_scenario
from experiments.executors import SerialExecutor
from experiments.folders import FolderLock
from experiments.run_folder import run_into
from experiments.sweeps.job import prepare_sweep
from tests.test_cli import ROOT, sanzhi, write

BASELINE = ROOT / "scenarios" / "baseline.toml"
LIMIT = 120  # seconds: a guard against a hang, not a timing claim


def start(*args: str) -> subprocess.Popen:
    """``sanzhi ARGS`` in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "experiments.cli", *args],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def scenario_file(tmp: Path, *, seed=1, households=200, steps=8, reps=2, extra="") -> Path:
    return write(
        tmp / f"small{seed}.toml",
        f'[scenario]\nextends = "{BASELINE}"\nname = "small"\nsteps = {steps}\n'
        f"replications = {reps}\nseed = {seed}\n[population]\nhouseholds = {households}\n{extra}",
    )


def sweep_file(tmp: Path, *, values="[150, 400, 900]", steps=8, households=200, reps=2) -> Path:
    return write(
        tmp / "sweep.toml",
        f'[scenario]\nextends = "{BASELINE}"\nname = "tiny"\nsteps = {steps}\n'
        f"replications = {reps}\nseed = 7\n[population]\nhouseholds = {households}\n"
        '[sweep]\ndesign = "grid"\n[sweep.parameters]\n'
        f'"staffing.households_per_grid_worker" = {values}\n',
    )


def make_sweep(tmp: Path, out: Path, **kw) -> pd.DataFrame:
    job = prepare_sweep(load_scenario(sweep_file(tmp, **kw)), out)
    return job.run(SerialExecutor(), 1).summary


def digest(folder: Path) -> dict[str, str]:
    """Every visible file under ``folder`` and its SHA-256: what 'unchanged' means."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


def consistent_run_folder(out: Path) -> int:
    """The seed a run folder's files all agree on (manifest, summary, timeseries)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    summary = pd.read_parquet(out / "summary.parquet")
    series = pd.read_parquet(out / "timeseries.parquet", columns=["seed"])
    seeds = [int(s) for s in manifest["replication_seeds"]]
    assert [int(s) for s in summary["seed"]] == seeds
    assert sorted({int(s) for s in series["seed"]}) == sorted(seeds)
    return manifest["seed"]


# --- results folders: replaced whole, never clobbered


def test_a_run_killed_in_its_write_phase_leaves_the_old_results_whole(tmp_path):
    out = tmp_path / "results" / "small"
    run_into(load_scenario(scenario_file(tmp_path, seed=1)), out)
    before = digest(out)
    proc = start("run", str(scenario_file(tmp_path, seed=2)), "--out", str(out), "--workers", "1")
    deadline, caught = time.monotonic() + LIMIT, False
    while proc.poll() is None and time.monotonic() < deadline:
        if any(p.name.startswith(".small.staging-") for p in out.parent.iterdir()):
            proc.kill()  # kill -9 while the new folder is being written
            caught = True
            break
        time.sleep(0.002)
    proc.wait(LIMIT)
    seed = consistent_run_folder(out)  # never a mix, whenever the kill landed
    if caught:
        assert seed == 1 and digest(out) == before
    else:
        assert seed == 2
    # the next run clears what the killed one left beside the folder
    assert sanzhi("run", str(scenario_file(tmp_path, seed=3)), "--out", str(out)).returncode == 0
    assert consistent_run_folder(out) == 3
    assert not [p for p in out.parent.iterdir() if ".staging-" in p.name]


@pytest.mark.parametrize("command", ["run", "compare", "fusion"])
def test_a_sweep_folder_is_not_clobbered_by_another_command(tmp_path, command):
    sweep_out = tmp_path / "sweep"
    make_sweep(tmp_path, sweep_out)
    before = digest(sweep_out)
    small = scenario_file(tmp_path)
    args = {
        "run": ["run", str(small)],
        "compare": ["compare", str(small), str(scenario_file(tmp_path, seed=2))],
        "fusion": ["fusion", str(ROOT / "scenarios" / "sweeps" / "levers.toml")],
    }[command]
    done = sanzhi(*args, "--out", str(sweep_out))
    assert done.returncode == 2, done.stderr
    assert "already holds a sweep results folder" in done.stderr and "--overwrite" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert digest(sweep_out) == before
    assert sanzhi("sweep", str(sweep_file(tmp_path)), "--out", str(sweep_out), "--resume",
                  "--executor", "serial").returncode == 0  # fmt: skip


# --- resume that detects and repairs


def test_resume_names_and_reruns_lost_and_damaged_bundles(tmp_path):
    out = tmp_path / "sweep"
    summary = make_sweep(tmp_path, out, values="[150, 400, 900, 1200]")
    runs = sorted((out / "runs").glob("b*.parquet"))
    assert len(runs) >= 3
    runs[0].write_bytes(runs[0].read_bytes()[:100])  # truncated
    runs[1].unlink()  # lost, its record kept
    record = out / "bundles" / f"{runs[2].stem}.json"
    record.write_text(record.read_text(encoding="utf-8")[:20], encoding="utf-8")  # truncated
    done = sanzhi("sweep", str(sweep_file(tmp_path, values="[150, 400, 900, 1200]")),
                  "--out", str(out), "--resume", "--executor", "serial")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert f"bundle {runs[0].stem}: {runs[0]} is damaged (checksum differs)" in done.stderr
    assert f"bundle {runs[1].stem}: {runs[1]} is missing; it is run again" in done.stderr
    assert f"bundle {runs[2].stem}: {record} is damaged" in done.stderr
    again = pd.read_parquet(out / "summary.parquet")
    pd.testing.assert_frame_equal(summary, again, check_exact=True)
    assert json.loads((out / "failures.json").read_text(encoding="utf-8")) == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete" and len(manifest["sessions"][-1]["repaired"]) == 3


def test_a_damaged_manifest_is_named_not_a_traceback(tmp_path):
    out = tmp_path / "sweep"
    make_sweep(tmp_path, out)
    manifest = out / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8")[:50], encoding="utf-8")
    before = digest(out)
    done = sanzhi("sweep", str(sweep_file(tmp_path)), "--out", str(out), "--resume")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{manifest}: is damaged (JSONDecodeError" in done.stderr
    assert digest(out) == before


def test_a_second_resume_is_told_who_holds_the_folder_and_touches_nothing(tmp_path):
    out = tmp_path / "sweep"
    make_sweep(tmp_path, out)
    (out / "bundles" / "b000000.json").unlink()  # work left for a resume
    in_flight = out / "bundles" / ".b000000.json.abc123.tmp"  # the first one's write
    in_flight.write_text("{}", encoding="utf-8")
    before = digest(out)
    with FolderLock(out):  # this process stands for the first `--resume`
        done = sanzhi("sweep", str(sweep_file(tmp_path)), "--out", str(out), "--resume")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{out}: is in use by process {os.getpid()} (" in done.stderr
    assert in_flight.exists() and digest(out) == before


def test_two_resumes_at_once_one_runs_the_other_is_refused(tmp_path):
    out = tmp_path / "sweep"
    path = sweep_file(tmp_path, values=list(range(100, 1300, 100)), steps=150, households=300)
    first = start("sweep", str(path), "--out", str(out), "--executor", "serial")
    try:
        deadline = time.monotonic() + LIMIT
        while not (out / "manifest.json").is_file():  # the first holds the lock by then
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        second = sanzhi("sweep", str(path), "--out", str(out), "--resume", "--executor", "serial")
        still_running = first.poll() is None
    finally:
        first.kill()
        first.wait(LIMIT)
    if still_running:  # else the first finished before the second started: nothing to show
        assert second.returncode == 2 and "Traceback" not in second.stderr
        assert f"{out}: is in use by process {first.pid} (" in second.stderr
        sessions = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["sessions"]
        assert len(sessions) == 1  # the second added no session and changed nothing


# --- processes that go when their parent goes


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid`` (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its exit status waits to be read


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_pool_workers_go_when_the_sweep_is_killed(tmp_path):
    out = tmp_path / "sweep"
    path = sweep_file(tmp_path, values=list(range(100, 1300, 100)), steps=150, households=300)
    proc = start("sweep", str(path), "--out", str(out), "--executor", "process", "--workers", "2")
    deadline = time.monotonic() + LIMIT
    while len(_children(proc.pid)) < 3 and time.monotonic() < deadline:  # 2 workers + tracker
        assert proc.poll() is None
        time.sleep(0.2)
    while not (out / "runs").is_dir() and time.monotonic() < deadline:  # workers are running
        time.sleep(0.2)
    children = _children(proc.pid)
    assert len(children) >= 3
    proc.kill()
    proc.wait(LIMIT)
    deadline = time.monotonic() + LIMIT
    while any(_running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in children if _running(pid)], "orphaned pool processes"
    with FolderLock(out):  # the lock died with its holder: a --resume may take it
        pass


@pytest.mark.skipif(sys.platform != "linux", reason="signals as on Linux")
def test_the_dashboard_server_stops_on_hangup(tmp_path):
    pytest.importorskip("solara")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "experiments.cli", "dashboard", "--port", str(port)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + LIMIT
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10):
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(1)
        server = _children(proc.pid)
        assert server
        proc.send_signal(signal.SIGHUP)  # the terminal closed
        proc.wait(LIMIT)
        deadline = time.monotonic() + LIMIT
        while any(_running(pid) for pid in server) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in server if _running(pid)]
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))  # free again: no "address in use" on restart
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


# --- a full disk


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs, where the machine lets us mount one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_is_one_line_and_keeps_the_old_results(tmp_path, small_disk):
    out = small_disk / "small"
    run_into(load_scenario(scenario_file(tmp_path, seed=1)), out)
    before = digest(out)
    with open(small_disk / "filler", "wb") as filler:  # fill the disk
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass
    done = sanzhi("run", str(scenario_file(tmp_path, seed=2)), "--out", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("sanzhi: error:")]
    assert len(errors) == 1 and errors[0].startswith(f"sanzhi: error: {out}: could not be written")
    assert "No space left on device" in errors[0] and "nothing there changed" in errors[0]
    assert digest(out) == before and consistent_run_folder(out) == 1
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "small"]  # no leftovers
