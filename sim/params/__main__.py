"""Print every parameter as Markdown tables, or refresh the table in ``docs/ODD.md``.

python -m sim.params                  # print the tables
python -m sim.params --update-odd     # rewrite the block between the markers in docs/ODD.md
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import Parameters
from .base import toml_literal

START = "<!-- parameters:start -->"
END = "<!-- parameters:end -->"
ODD_PATH = Path(__file__).resolve().parents[2] / "docs" / "ODD.md"
COLUMNS = ("key", "default", "range", "unit", "meaning", "source")


def _cell(text: str) -> str:
    """Table-cell text: on one line, with ``|`` escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def markdown_table() -> str:
    """One ``### section`` heading and table per top-level section, from ``Parameters.table()``."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for row in Parameters.table():
        sections.setdefault(row["key"].split(".", 1)[0], []).append(row)
    lines: list[str] = []
    for name, rows in sections.items():
        lines += [f"### {name}", "", "| " + " | ".join(COLUMNS) + " |", "|---" * 6 + "|"]
        for row in rows:
            cells = (
                f"`{row['key']}`",
                _cell(toml_literal(row["default"])),
                *(_cell(str(row[k])) for k in ("range", "unit", "doc", "source")),
            )
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines) + "\n"  # ends in a blank line, so the table ends before END


def odd_block(text: str) -> str:
    """The text between the marker lines (exclusive of both marker lines)."""
    _, sep, rest = text.partition(START + "\n")
    body, sep2, _ = rest.partition(END)
    if not sep or not sep2:
        raise ValueError(f"markers {START!r} and {END!r} not found, each on its own line")
    return body


def with_block(text: str, block: str) -> str:
    """``text`` with the block between the markers replaced by ``block``."""
    odd_block(text)  # raises if the markers are missing
    head, _, rest = text.partition(START + "\n")
    return f"{head}{START}\n{block}{END}{rest.partition(END)[2]}"


def update_odd(path: Path = ODD_PATH) -> bool:
    """Rewrite the parameter block of ``path`` atomically; True if it changed."""
    text = path.read_text(encoding="utf-8")
    new = with_block(text, markdown_table())
    if new == text:
        return False
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(new)
        os.chmod(tmp, path.stat().st_mode & 0o7777)  # mkstemp creates files as 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.params", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--update-odd",
        nargs="?",
        const=ODD_PATH,
        type=Path,
        metavar="PATH",
        help=f"rewrite the parameter block of the ODD (default {ODD_PATH})",
    )
    args = parser.parse_args(argv)
    if args.update_odd is None:
        sys.stdout.write(markdown_table())
        return 0
    try:
        changed = update_odd(args.update_odd)
    except (OSError, ValueError) as err:
        print(f"error: {args.update_odd}: {err}", file=sys.stderr)
        return 2
    print(f"{args.update_odd}: {'updated' if changed else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
