"""The ODD description stays in step with the code: parameters, metrics and structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.metrics import METRICS
from sim.params.__main__ import END, START, main, markdown_table, odd_block

ODD = Path(__file__).resolve().parents[1] / "docs" / "ODD.md"
REGENERATE = "python -m sim.params --update-odd"
ELEMENTS = (
    "Purpose and patterns",
    "Entities, state variables and scales",
    "Process overview and scheduling",
    "Design concepts",
    "Initialization",
    "Input data",
    "Submodels",
)


@pytest.fixture(scope="module")
def odd() -> str:
    return ODD.read_text(encoding="utf-8")


def test_parameter_table_is_current(odd: str) -> None:
    assert odd.count(START) == 1 and odd.count(END) == 1, "one pair of parameter markers"
    assert odd_block(odd) == markdown_table(), (
        f"the parameter table in {ODD} is out of date; regenerate it with `{REGENERATE}`"
    )


def test_every_metric_is_described(odd: str) -> None:
    missing = [m.name for m in METRICS if f"`{m.name}`" not in odd]
    assert not missing, f"metrics missing from {ODD}: {missing}"


def test_seven_elements_in_order(odd: str) -> None:
    headings = re.findall(r"^## (\d+)\. (.+?)\s*$", odd, flags=re.MULTILINE)
    assert headings == [(str(i), name) for i, name in enumerate(ELEMENTS, 1)]


def test_update_rewrites_only_the_block(tmp_path: Path) -> None:
    doc = tmp_path / "ODD.md"
    doc.write_text(f"# Title\n\n{START}\nstale | table\n{END}\n\nafter\n", encoding="utf-8")
    assert main(["--update-odd", str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text == f"# Title\n\n{START}\n{markdown_table()}{END}\n\nafter\n"
    assert main(["--update-odd", str(doc)]) == 0  # idempotent
    assert doc.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["ODD.md"]  # no temp file left behind


def test_update_keeps_file_mode(tmp_path: Path) -> None:
    doc = tmp_path / "ODD.md"
    doc.write_text(f"{START}\nstale\n{END}\n", encoding="utf-8")
    doc.chmod(0o644)
    assert main(["--update-odd", str(doc)]) == 0
    assert doc.stat().st_mode & 0o777 == 0o644


def test_update_without_markers_fails_cleanly(tmp_path: Path) -> None:
    doc = tmp_path / "ODD.md"
    doc.write_text("no markers here\n", encoding="utf-8")
    assert main(["--update-odd", str(doc)]) == 2
    assert doc.read_text(encoding="utf-8") == "no markers here\n"


def test_table_escapes_pipes_and_has_a_row_per_parameter() -> None:
    from sim.params import Parameters

    table = markdown_table()
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(Parameters.table())
    assert all(len(re.split(r"(?<!\\)\|", row)) == 8 for row in rows)  # 6 cells
