"""Results folders that are never mixed and never clobbered (docs/architecture.md, "Results
folders").

- :func:`check_out` checks an output folder before anything runs: not a file, writable, and
  empty or of the command's own kind (``--overwrite`` replaces another kind).
- :func:`staged` writes a folder beside its place and swaps it in whole, so a reader sees
  the old folder or the new one, never a mix (``run``, ``compare``).
- :class:`FolderLock` is an exclusive lock on a folder written in place (a sweep's), held
  for as long as its process runs; a second process is told which process holds it.
- :func:`safe_name` turns a scenario name into a folder name that stays where it is put.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from experiments.errors import InputError, WriteError, reason
from experiments.store import umask

try:  # POSIX; elsewhere folders are not locked
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

MANIFEST = "manifest.json"
LOCK = ".lock"
OVERWRITE = "choose another --out, or add --overwrite to replace it"


def safe_name(name: str) -> str:
    """``name`` as one folder name: path separators and other unsafe characters become
    ``_``, dots and ``_`` at either end go (no ``..``, no hidden folder); empty becomes
    ``scenario``."""
    return re.sub(r"[^\w.\-]+", "_", name).strip("._") or "scenario"


def kind_of(folder: Path) -> str | None:
    """The ``kind`` its manifest states; ``None`` without a manifest. A manifest that
    cannot be read is an InputError naming it."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(
            path, None, f"is damaged ({reason(err)}); restore it, or {OVERWRITE}"
        ) from None
    return manifest.get("kind") if isinstance(manifest, dict) else None


def visible(folder: Path) -> list[Path]:
    """Its entries, without hidden ones (locks, temporaries, staging folders)."""
    return [p for p in folder.iterdir() if not p.name.startswith(".")]


def check_out(
    out: str | Path,
    kinds: Iterable[str],
    *,
    overwrite: bool = False,
    unfinished: Iterable[str] = (),
    option: str = "--out",
) -> bool:
    """Check ``out`` before anything runs; True when it holds something ``--overwrite``
    is to replace.

    Accepted as it is: a folder that does not exist, an empty one, one whose manifest is of
    one of ``kinds``, or one holding only ``unfinished`` entries (what a killed command of
    this kind leaves before its manifest). Anything else is refused unless ``overwrite``.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(out, None, f"is a file, not a folder ({option} names a folder)")
    foreign = False
    if out.is_dir():
        entries = visible(out)
        try:
            kind = kind_of(out)
        except InputError:
            if not overwrite:
                raise
            kind = None
        own = kind in set(kinds) or (kind is None and {p.name for p in entries} <= set(unfinished))
        if entries and not own:
            if not overwrite:
                what = f"a {kind} results folder" if kind else "files that are not these results"
                raise InputError(out, None, f"already holds {what}; {OVERWRITE}")
            foreign = True
    _check_writable(out)
    return foreign


def _check_writable(out: Path) -> None:
    """Create a file where ``out`` will be written (``out`` or its nearest existing
    parent), so a read-only disk or a parent that is a file is found before any run."""
    place = out
    while not place.exists():
        place = place.parent
    if not place.is_dir():
        raise InputError(out, None, f"cannot be created: {place} is a file")
    try:
        fd, probe = tempfile.mkstemp(prefix=".sanzhi-probe-", dir=place)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise InputError(out, None, f"cannot be written: {err.strerror or err}") from None


def clear(folder: Path, keep: Iterable[str] = (LOCK,)) -> None:
    """Remove everything in ``folder`` but ``keep`` (what ``--overwrite`` replaces)."""
    keep = set(keep)
    for entry in folder.iterdir():
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


@contextlib.contextmanager
def staged(out: str | Path) -> Iterator[Path]:
    """A new folder beside ``out`` to write into; on success it replaces ``out`` whole.

    If the block raises (or the process is killed), ``out`` is as it was; the staging
    folder of a killed process is removed by the next write to the same place. A failed
    write (full disk, ...) becomes an :class:`InputError` naming ``out``.
    """
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(out)
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-{os.getpid()}-", dir=out.parent))
    except OSError as err:
        raise _unwritable(out, err) from None
    try:
        yield stage
        os.chmod(stage, 0o777 & ~umask())  # mkdtemp makes 0700; results are meant to be shared
        _swap_in(stage, out)
    except OSError as err:
        shutil.rmtree(stage, ignore_errors=True)
        raise _unwritable(out, err) from None
    except WriteError as err:  # a file of the new folder: name the folder the user knows
        shutil.rmtree(stage, ignore_errors=True)
        raise WriteError(out, f"{err.reason}; nothing there changed") from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _unwritable(out: Path, err: OSError) -> WriteError:
    return WriteError(out, f"{err.strerror or err}; nothing there changed")


def _swap_in(stage: Path, out: Path) -> None:
    """Put ``stage`` where ``out`` is: one atomic exchange on Linux, else two renames."""
    if not out.exists():
        os.rename(stage, out)
        return
    if _exchange(stage, out):
        shutil.rmtree(stage, ignore_errors=True)  # now the old folder
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.rename(out, old)
    os.rename(stage, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False if the
    system cannot."""
    libc = _libc()
    if libc is None or not hasattr(libc, "renameat2"):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot
        return False
    raise OSError(errno, os.strerror(errno), str(b))


_LIBC: list = []


def _libc() -> ctypes.CDLL | None:
    if not _LIBC:
        name = ctypes.util.find_library("c")
        try:
            _LIBC.append(ctypes.CDLL(name, use_errno=True) if name else None)
        except OSError:
            _LIBC.append(None)
    return _LIBC[0]


def _remove_stale(out: Path) -> None:
    """Staging folders that killed processes left beside ``out``."""
    for stage in out.parent.glob(f".{glob_escape(out.name)}.staging-*"):
        pid = stage.name.rsplit(".staging-", 1)[-1].split("-", 1)[0]
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(stage, ignore_errors=True)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def alive(pid: int) -> bool:
    """Is process ``pid`` running?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class FolderLock:
    """An exclusive lock on a folder, as long as this process holds it (``flock``: the
    system drops it when the process dies, even by ``kill -9``). The lock file names the
    process, for the message another process gets."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._file: IO[str] | None = None

    def acquire(self) -> FolderLock:
        if fcntl is None or self._file is not None:
            return self
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            file = open(self.folder / LOCK, "a+", encoding="utf-8")  # noqa: SIM115 - held
        except OSError as err:
            raise _unwritable(self.folder, err) from None
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.seek(0)
            holder = file.read().strip() or "another process"
            file.close()
            raise InputError(
                self.folder,
                None,
                f"is in use by process {holder}; wait until it has finished (or stop it), "
                "then run again",
            ) from None
        file.seek(0)
        file.truncate()
        file.write(f"{os.getpid()} ({' '.join(_command())})\n")
        file.flush()
        self._file = file
        return self

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock; the file stays (removing it would race)
            self._file = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder(folder: str | Path) -> str | None:
    """Who holds the lock on ``folder`` (its lock file's line), or None if nobody does."""
    path = Path(folder) / LOCK
    if fcntl is None or not path.is_file():
        return None
    with open(path, encoding="utf-8") as file:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return file.read().strip() or "another process"
        fcntl.flock(file.fileno(), fcntl.LOCK_UN)
    return None


def _command() -> list[str]:
    return [Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python", *sys.argv[1:]]
