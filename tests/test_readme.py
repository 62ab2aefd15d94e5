"""The README's examples run as written: every ``bash`` and ``python`` block, in order, in a
scratch folder holding a copy of ``scenarios/`` (``text`` blocks are synopses, ``toml``
blocks are checked to parse). CI runs the README's test command verbatim.

Short settings, so the whole page runs in a few minutes on two cores:

- the copied scenarios are small: every ``households = N`` becomes 2,000 (community sizes
  given as a list are scaled to it), ``steps = N`` 60 and ``replications = N`` 2 (Kunshan
  keeps 365 days: calibration targets are yearly figures); the copied
  Kunshan target file searches one round of 16 points with one replication and confirms
  with 2 (a short search may miss a tolerance: ``sanzhi calibrate`` then exits 1, which
  counts as running); a sweep's ``samples = N`` (Morris trajectories, Sobol's base sample)
  becomes 4, still a real design (4 trajectories of 11 points for the ten-parameter
  screening) at a fifth of the runs;
- ``pip install`` lines run with ``--dry-run`` in the repository (the
  test runs inside that installation and must not change it);
- ``python -m pytest`` runs with ``--collect-only`` (the suite would run itself again);
- a dry run or a collection the page repeats (the install and test commands open the page
  and come again under Development) is checked once: it changes nothing, so a second run
  of the same command would only check the same thing again;
- ``ruff format .`` runs with ``--check`` (the test must not rewrite files);
- ``sanzhi dashboard`` and ``sanzhi classroom`` are started on a free port, their first
  page fetched, then stopped;
- ``dask_jobqueue`` (no SLURM here) is a stand-in whose ``SLURMCluster`` is a
  ``dask.distributed.LocalCluster`` of two single-threaded workers in the script's process.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
LIMIT = 900  # seconds for any one block: a hang fails instead of blocking CI

SLURM_STAND_IN = '''
"""Stand-in for dask_jobqueue in tests/test_readme.py: SLURM jobs become local workers."""
from dask.distributed import LocalCluster


class SLURMCluster(LocalCluster):
    # Threads, not processes: worker processes would re-import the script, which (run on a
    # login node, its workers being SLURM jobs) rightly has no __main__ guard.
    def __init__(self, **job_options):
        super().__init__(n_workers=0, threads_per_worker=1, processes=False)

    def scale(self, n=None, jobs=0, **kwargs):
        return super().scale(min(n or jobs, 2))
'''


def readme_commands() -> list[str]:
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("```bash") + 1
    return lines[start : start + 2]


def blocks() -> list[tuple[str, str]]:
    """(language, text) of every fenced block of the README, in order."""
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(README.read_text(encoding="utf-8"))]


def shell_commands(text: str) -> list[str]:
    """The commands of a bash block: one a line, backslash continuations joined, trailing
    comments dropped (options are added after some)."""
    joined = re.sub(r"\\\n\s*", " ", text)
    lines = (re.sub(r"\s+#.*$", "", line).strip() for line in joined.splitlines())
    return [line for line in lines if line]


def test_readme_opens_with_run_and_test_commands():
    run, test = readme_commands()
    assert run.endswith("sanzhi run")
    assert "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim():
    _, test = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci


def test_every_block_is_runnable_or_marked_as_a_synopsis():
    kinds = {kind for kind, _ in blocks()}
    assert kinds <= {"bash", "python", "toml", "text"}, kinds
    for kind, text in blocks():
        if kind == "toml":
            tomllib.loads(text)
        if kind == "bash":  # a synopsis in a bash block would be run: they are ``text``
            assert "[--" not in text and "SCENARIO" not in text, text


def workspace(tmp: Path) -> Path:
    """A scratch folder with a small copy of the scenario library (see the docstring)."""
    shutil.copytree(ROOT / "scenarios", tmp / "scenarios")
    for path in (tmp / "scenarios").rglob("*.toml"):
        if path.parent.name == "targets":
            continue
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^households = \d+", "households = 2000", text)
        text = re.sub(r"(?m)^steps = \d+", "steps = 60", text)
        text = re.sub(r"(?m)^replications = \d+", "replications = 2", text)
        text = re.sub(r"(?m)^samples = \d+", "samples = 4", text)
        if path.name == "kunshan_2021.toml":
            text = text.replace("[scenario]\n", "[scenario]\nsteps = 365\n", 1)
        path.write_text(text, encoding="utf-8")
    targets = tmp / "scenarios" / "targets" / "kunshan_2021.toml"
    text = targets.read_text(encoding="utf-8")
    for key, value in (("rounds", 1), ("samples", 16), ("replications", 1)):
        text = re.sub(rf"(?m)^{key} = \d+", f"{key} = {value}", text)
    text = re.sub(r"(?m)^confirm_replications = \d+", "confirm_replications = 2", text)
    targets.write_text(text, encoding="utf-8")
    stand_ins = tmp / "stand_ins"
    stand_ins.mkdir()
    (stand_ins / "dask_jobqueue.py").write_text(SLURM_STAND_IN, encoding="utf-8")
    return tmp


def environment(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join([str(tmp / "stand_ins"), str(ROOT)])
    env["MPLBACKEND"] = "Agg"
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_shell(command: str, tmp: Path, env: dict[str, str], checked: set[str]) -> None:
    """Run one README command as the docstring says, each part of an ``a && b`` in its own
    place; fail with its output if it fails. ``checked`` holds the dry runs and collections
    already done."""
    for part in command.split(" && "):
        cwd, ok = tmp, {0}
        if "pip install" in part:
            part = part.replace("pip install", "pip install --dry-run")
            cwd = ROOT
        if re.search(r"python -m pytest\b", part):
            part = part.replace("python -m pytest", "python -m pytest --collect-only -q")
            cwd = ROOT
        if "--dry-run" in part or "--collect-only" in part:
            if part in checked:
                continue
            checked.add(part)
        if part.startswith("ruff") or "benchmarks/" in part:
            part = part.replace("ruff format .", "ruff format --check .")
            cwd = ROOT
        if "sanzhi calibrate" in part:
            ok = {0, 1}  # 1: the fit misses a tolerance, as a short search may
        if "sanzhi dashboard" in part or "sanzhi classroom" in part:
            serve(part, cwd, env)
            continue
        done = subprocess.run(
            ["bash", "-c", part], cwd=cwd, env=env, capture_output=True, text=True, timeout=LIMIT
        )
        assert done.returncode in ok, f"{part}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def serve(command: str, cwd: Path, env: dict[str, str]) -> None:
    """Start a server command as written (on a free port), fetch its first page, stop it."""
    port = free_port()
    proc = subprocess.Popen(
        ["bash", "-c", f"{command} --port {port}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + LIMIT  # a limit against a hang, not a timing claim
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
                    assert page.status == 200
                    return
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, f"{command} never answered"
                time.sleep(1)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)


def run_python(text: str, index: int, tmp: Path, env: dict[str, str]) -> None:
    script = tmp / f"readme_block_{index}.py"
    script.write_text(textwrap.dedent(text), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, script.name], cwd=tmp, env=env, capture_output=True, text=True,
        timeout=LIMIT,
    )  # fmt: skip
    assert done.returncode == 0, f"{script.name}\n{text}\n{done.stdout[-3000:]}\n{done.stderr}"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_every_example_runs_as_written(tmp_path):
    tmp = workspace(tmp_path)
    env = environment(tmp)
    ran, checked = 0, set()
    for index, (kind, text) in enumerate(blocks()):
        if kind == "bash":
            for command in shell_commands(text):
                run_shell(command, tmp, env, checked)
                ran += 1
        elif kind == "python":
            run_python(text, index, tmp, env)
            ran += 1
    assert ran >= 15
    # what the examples promise is there
    assert (tmp / "results" / "baseline" / "metrics.csv").is_file()
    assert (tmp / "reports" / "fusion" / "report.pdf").is_file()
    assert (tmp / "reports" / "workers" / "report.html").is_file()
    assert (tmp / "results" / "calibration" / "fit.csv").is_file()
