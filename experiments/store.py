"""Result files: atomic writes, Parquet/CSV/JSON/text tables, and what every manifest holds."""

from __future__ import annotations

import functools
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from experiments.errors import WriteError

if TYPE_CHECKING:
    from experiments.scenario import Scenario

PACKAGES = ("sanzhi", "mesa", "numpy", "scipy", "pandas", "pyarrow", "networkx", "matplotlib")


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place,
    so a reader (or a killed process) never sees a half-written file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise WriteError(path, err.strerror or str(err)) from None
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes 0600; results are meant to be shared
        os.replace(tmp, path)
    except OSError as err:  # a full or read-only disk: one line naming the file, exit 2
        Path(tmp).unlink(missing_ok=True)
        raise WriteError(path, err.strerror or str(err)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@functools.cache
def umask() -> int:
    """The process umask. POSIX can only read it by setting it, so it is set and restored
    once, on first use (not at import), and kept."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_parquet(frame: pd.DataFrame, path: str | Path) -> Path:
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))


def write_json(obj: Any, path: str | Path) -> Path:
    text = json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def manifest_base(
    kind: str, scenario: Scenario, command: list[str] | None, started: str
) -> dict[str, Any]:
    """What every results folder's manifest starts with: what ran it, the scenario as read
    (its files and ``--set`` overrides) and its seed. :func:`finished` closes it."""
    return {
        "kind": kind,
        "command": command,
        "scenario": scenario.name,
        "files": [str(p) for p in scenario.files],
        "overrides": dict(scenario.overrides),
        "seed": scenario.params.scenario.seed,
        "started": started,
    }


def finished(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest with the time it finished and the environment that ran it."""
    return manifest | {"finished": now(), "environment": environment()}


def environment() -> dict[str, Any]:
    """Package versions, Python, platform and the git commit of the code that ran."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": versions,
        "git": _git_state(),
    }


def _git_state() -> dict[str, Any] | None:
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if commit.returncode != 0:
        return None
    return {"commit": commit.stdout.strip(), "dirty": bool(status.stdout.strip())}


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    return atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False))


def write_text(text: str, path: str | Path) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
