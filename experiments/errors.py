"""The one error type the command line turns into exit status 2."""

from __future__ import annotations

from pathlib import Path


class ScenarioError(ValueError):
    """A scenario is wrong. The message names the file, the key and what was expected."""

    def __init__(self, source: str | Path, key: str | None, message: str) -> None:
        self.source, self.key = str(source), key
        super().__init__(f"{source}: {key}: {message}" if key else f"{source}: {message}")
