"""The scenario files the dashboard may open: which are listed, which are refused, and why.

Only files inside ``scenarios/`` are ever read. The picker lists the teaching scenarios (the
files directly in ``scenarios/``); sweep designs (``sweeps/``) and calibration targets
(``targets/``) are for the command line. A scenario larger than the live-class limit (the
city scale) is listed behind a warning and can be opened only from the picker, one at a
time in the whole server, never from a link: a link anyone can send would otherwise put a
gigabyte-sized model in the server per visitor.
"""

from __future__ import annotations

import functools
import threading
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim import Parameters

from .settings import settings

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

# About 2,000 households for a live class: 8 grids of 250 in 2 communities of 1,000, so the
# grid map has enough tiles to show strain, and a year replays in a few seconds.
DEFAULT_VALUES: dict[str, Any] = {
    "population.households": 2000,
    "population.households_per_grid": 250,
    "population.households_per_community": 1000,
}
# The two runs of a comparison share the sidebar's town, so that only policy differs.
SIZE_KEYS = frozenset(DEFAULT_VALUES)


class Refused(ValueError):
    """A request the dashboard does not carry out. ``reason`` is a translation key
    (``dashboards.i18n``); ``name`` is what was asked for, shown as it was typed."""

    def __init__(self, name: str, reason: str, detail: str = "") -> None:
        self.name, self.reason, self.detail = name, reason, detail
        super().__init__(f"{name}: {reason}" + (f" ({detail})" if detail else ""))


class ScenarioRefused(Refused):
    """A scenario request that points outside ``scenarios/``, at no teaching scenario, or at
    one too large to open that way."""


def readable(err: Exception) -> str:
    """An error's message without the server's folders: paths shown relative to the
    repository (``scenarios/x.toml``), whatever the platform's separators."""
    text = str(err)
    for root in {str(ROOT), ROOT.as_posix()}:
        text = text.replace(root + "/", "").replace(root + "\\", "").replace(root, ".")
    return text


# --- Listing and resolving.


def list_scenarios(root: Path = SCENARIOS) -> list[str]:
    """The teaching scenarios: the ``.toml`` files directly in ``root``, sorted. Sweep designs
    and calibration targets live in subfolders and are not listed."""
    if not root.is_dir():
        return []
    found = (p for p in root.glob("*.toml") if p.is_file() and _inside(p.resolve(), root))
    return sorted(p.name for p in found)


@dataclass(frozen=True)
class Entry:
    """A teaching scenario as the picker shows it."""

    name: str
    households: int
    large: bool  # above the live-class limit: behind a warning, never from a link


def catalogue(root: Path = SCENARIOS) -> list[Entry]:
    """Every teaching scenario with its size; files that do not load are left out (the
    scenario tests keep the library loadable)."""
    entries = []
    for name in list_scenarios(root):
        try:
            households = _households(root / name, (root / name).stat().st_mtime_ns)
        except (OSError, ValueError):
            continue
        entries.append(Entry(name, households, households > settings().max_households))
    return entries


@functools.cache
def _households(path: Path, _mtime: int) -> int:
    return load_file(path).population.households


def resolve_scenario(name: str, root: Path = SCENARIOS) -> Path:
    """The file ``name`` inside ``root``; refuses anything that resolves outside it.

    Raises :class:`ScenarioRefused` with reason ``outside``, ``not_toml`` or ``missing``.
    """
    if not name or "\x00" in name:
        raise ScenarioRefused(name, "scenario_missing")
    base = root.resolve()
    candidate = Path(name)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise ScenarioRefused(name, "scenario_outside")
    path = (base / candidate).resolve()  # follows symbolic links
    if not _inside(path, base):
        raise ScenarioRefused(name, "scenario_outside")
    if path.suffix != ".toml":
        raise ScenarioRefused(name, "scenario_not_toml")
    if not path.is_file():
        raise ScenarioRefused(name, "scenario_missing")
    return path


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root.resolve())
    except ValueError:
        return False
    return True


def load_file(path: Path) -> Parameters:
    """The parameters of a scenario file (``extends`` followed); a bad file raises
    :class:`experiments.errors.InputError`."""
    # Imported on first load: the ``experiments`` package imports its sweep engine (and
    # SALib) on the way, which a class that only steps the default town never needs.
    from experiments.scenario import load_scenario

    return load_scenario(path).params


def load_scenario_params(
    name: str, root: Path = SCENARIOS, *, from_link: bool = False
) -> Parameters:
    """The parameters of teaching scenario ``name``.

    Refuses (:class:`ScenarioRefused`) a file outside ``root`` or not listed in the picker,
    and a large one when asked ``from_link``; a bad file raises ``InputError``.
    """
    path = resolve_scenario(name, root)
    if path.parent != root.resolve():
        raise ScenarioRefused(name, "scenario_not_teaching")
    params = load_file(path)
    if from_link and params.population.households > settings().max_households:
        raise ScenarioRefused(
            name, "scenario_too_large_for_link", f"{params.population.households:,}"
        )
    return params


# The large scenarios open one at a time in the whole server.
LARGE_SLOT = threading.BoundedSemaphore(1)


# --- Compare-tab presets: each is what one file in scenarios/ sets itself, applied on top
# of the sidebar's levers; "current" applies nothing. Key order is the picker's order.

PRESETS: dict[str, str | None] = {
    "silos": "silos.toml",
    "fusion": "coordinated.toml",
    "current": None,
    "more_workers": "more_grid_workers.toml",
    "moral_bank": "moral_bank.toml",
    "no_legal": "no_legal_advisors.toml",
    "admin_heavy": "heavy_admin_load.toml",
}


def preset_values(name: str) -> dict[str, Any]:
    """The levers preset ``name`` sets (dotted keys), read from its scenario file."""
    return dict(_preset_values(name))


@functools.cache
def _preset_values(name: str) -> Mapping[str, Any]:
    file = PRESETS[name]
    return {} if file is None else scenario_levers(SCENARIOS / file)


def scenario_levers(path: Path) -> dict[str, Any]:
    """The parameters a scenario file sets itself, as dotted keys: its own tables, without
    ``[scenario]``, what it inherits through ``extends``, or the population's size.

    Read with ``tomllib`` rather than ``experiments.scenario``, which would follow
    ``extends``. Values are checked against the default parameters; a bad one raises
    ``ParameterError`` with a note naming the file.
    """
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    data.pop("scenario", None)
    values = {k: v for k, v in _dotted(data) if k not in SIZE_KEYS}
    try:
        Parameters().with_values(values)
    except ValueError as err:
        err.add_note(f"in {path}")
        raise
    return values


def _dotted(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in table.items():
        if isinstance(value, Mapping):
            yield from _dotted(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def default_params() -> Parameters:
    """The class town with the model's default levers."""
    return Parameters().with_values(DEFAULT_VALUES)
