"""The one error type the command line turns into exit status 2."""

from __future__ import annotations

from pathlib import Path

COMMAND_LINE = "command line"


class InputError(ValueError):
    """Bad input: a scenario file, a results folder or a command-line option. The message
    names the source (file or option), the key and what was expected."""

    def __init__(self, source: str | Path, key: str | None, message: str) -> None:
        self.source, self.key = str(source), key
        super().__init__(f"{source}: {key}: {message}" if key else f"{source}: {message}")


class WriteError(InputError):
    """A results file that could not be written (a full or read-only disk): ``reason`` is
    the system's word for it."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.reason = reason
        super().__init__(path, None, f"could not be written: {reason}")


def reason(err: BaseException) -> str:
    """An exception as a short phrase for an InputError message (its type and first line)."""
    return f"{type(err).__name__}: {err}".splitlines()[0][:200]


ScenarioError = InputError  # the name it had first; scenario code still says so
