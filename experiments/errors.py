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


ScenarioError = InputError  # the name it had first; scenario code still says so
