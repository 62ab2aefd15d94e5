"""Every figure is traceable: parameter sources and scenario headers cite keys of
docs/sources.md, and every key cited there has an entry (docs/sources.md, first section)."""

from __future__ import annotations

import dataclasses
import inspect
import re
import tomllib
from pathlib import Path

import pytest

from sim.params import sections
from sim.params.base import Section

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "docs" / "sources.md"
SCENARIOS = sorted((ROOT / "scenarios").rglob("*.toml"))
KEY = r"[a-z]+[0-9]{4}[a-z]?"
CITED = re.compile(rf"\[({KEY})\]")  # "[kunshan2022]" anywhere in a text
ENTRY = re.compile(rf"^- \*\*\[({KEY})\]\*\*", re.MULTILINE)  # "- **[kunshan2022]** ..."


def entries() -> list[str]:
    return ENTRY.findall(SOURCES.read_text(encoding="utf-8"))


def cited(text: str) -> set[str]:
    return set(CITED.findall(text))


def specs() -> list[tuple[str, str]]:
    """(section.field, source) of every parameter of every section, nested tables too."""
    out = []
    for name, cls in inspect.getmembers(sections, inspect.isclass):
        if issubclass(cls, Section) and dataclasses.is_dataclass(cls):
            for f in dataclasses.fields(cls):
                if "spec" in f.metadata:
                    out.append((f"{name}.{f.name}", f.metadata["spec"].source))
    return out


def header(path: Path) -> str:
    """The leading comment block of a scenario file."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def test_sources_have_unique_keys_and_the_five_reports() -> None:
    keys = entries()
    assert len(keys) == len(set(keys)), "a key defined twice in docs/sources.md"
    text = SOURCES.read_text(encoding="utf-8")
    for key, report in [
        ("kunshan2022", "000_aecff9f858950d40.txt"),
        ("handan2024", "001_1343c9a623072120.txt"),
        ("jinchang2018", "002_8ab32e8761ffd27c.txt"),
        ("suzhou2016", "003_a0faf013af128ded.txt"),
        ("zhongshan2020", "004_d0c8e2eb9d569d81.txt"),
    ]:
        assert key in keys
        entry = text[text.index(f"**[{key}]**") :].split("\n- **", 1)[0]
        assert report in entry, f"[{key}] does not name its file {report}"


def test_citation_syntax_finds_keys_and_nothing_else() -> None:
    text = "# [kunshan2022] and [handan2024], not [staffing] or [[timeline]] or [此处数字已隐去]"
    assert cited(text) == {"kunshan2022", "handan2024"}


def test_every_parameter_source_is_an_assumption_or_cites_a_key() -> None:
    rows = specs()
    assert len(rows) > 150  # every section was found
    bare = [k for k, s in rows if not s.startswith("assumption") and not cited(s)]
    assert not bare, f"sources that neither cite a [key] nor say 'assumption': {bare}"


def test_every_key_in_the_parameter_specs_resolves() -> None:
    known = set(entries())
    unknown = {k: sorted(cited(s) - known) for k, s in specs() if cited(s) - known}
    assert not unknown, f"keys missing from {SOURCES}: {unknown}"


@pytest.mark.parametrize("path", SCENARIOS, ids=[str(p.relative_to(ROOT)) for p in SCENARIOS])
def test_every_scenario_header_cites_keys_that_resolve(path: Path) -> None:
    keys = cited(header(path))
    assert keys, f"{path.name}: its header cites no source key"
    assert keys <= set(entries()), f"{path.name}: unknown keys {sorted(keys - set(entries()))}"


def test_every_calibration_target_cites_a_key() -> None:
    for path in (ROOT / "scenarios" / "targets").glob("*.toml"):
        targets = tomllib.loads(path.read_text(encoding="utf-8"))["targets"]
        for name, target in targets.items():
            keys = cited(target["source"])
            assert keys and keys <= set(entries()), f"{path.name}: target {name}"


def test_participation_is_a_target_not_an_input() -> None:
    """Kunshan's 15.71% is the participation target (docs/calibration.md), so the
    participation lever's source must not claim it."""
    source = dict(specs())["SelfGovernance.participation"]
    assert source.startswith("assumption")
    targets = tomllib.loads(
        (ROOT / "scenarios" / "targets" / "kunshan_2021.toml").read_text(encoding="utf-8")
    )["targets"]
    assert targets["participation"]["value"] == pytest.approx(0.157)
