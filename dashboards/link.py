"""A session's state as the address bar's query, and back: a reload, a bookmark or a link
sent to a colleague opens the same demonstration.

``?lang=zh&scenario=baseline.toml&staffing.admin_load=0.6&day=365&tab=compare&b=moral_bank``:
lever keys are the parameters' dotted names; a lever moved mid-run is its key and the day
it applies from, ``staffing.admin_load:120=0.8``, and ``mode=always`` is the second lever
mode (``state.MODES``). What a link may ask is bounded: levers within
their sliders' ranges, no day beyond :data:`MAX_DAY`, no scenario above the live-class
limit (``library.load_scenario_params(from_link=True)``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

from .library import PRESETS, Refused
from .state import LEVERS_BY_KEY, MODES, Mark

MAX_DAY = 3650  # ten years: what a class needs, and a bound on the replay a link can ask for
TABS = ("live", "compare", "guide")
VIEWS = ("classic", "presenter")


@dataclass(frozen=True)
class Link:
    lang: str = "en"
    view: str = "classic"
    tab: str = "live"
    scenario: str | None = None
    seed: int | None = None  # None: the scenario's (or the model's default) seed
    levers: Mapping[str, Any] = field(default_factory=dict)  # away from the scenario's
    marks: tuple[Mark, ...] = ()  # levers moved mid-run, by day
    mode: str = "today"
    day: int = 0
    a: str = "silos"
    b: str = "fusion"
    compare_day: int = 0
    tour: int | None = None  # the guided tour's step, while it runs


def encode(link: Link) -> str:
    """The query string of ``link``, leaving out what is at its default."""
    default = Link()
    pairs: list[tuple[str, str]] = []
    for name in ("lang", "view", "tab", "scenario", "seed"):
        value = getattr(link, name)
        if value != getattr(default, name) and value is not None:
            pairs.append((name, str(value)))
    for key, value in sorted(link.levers.items()):
        pairs.append((key, _text(value)))
    for mark in link.marks:
        pairs += [(f"{key}:{mark.day}", _text(value)) for key, value in mark.values.items()]
    if link.mode != default.mode:
        pairs.append(("mode", link.mode))
    for name, key in (("day", "day"), ("a", "a"), ("b", "b"), ("compare_day", "cday")):
        value = getattr(link, name)
        if value != getattr(default, name):
            pairs.append((key, str(value)))
    if link.tour is not None:
        pairs.append(("tour", str(link.tour)))
    return urlencode(pairs, safe=".,:/")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def decode(search: str | None) -> tuple[Link, list[Refused]]:
    """The link in a query string, and what in it was refused (each with its reason); the
    refused parts are left at their defaults."""
    query = {k: v[-1] for k, v in parse_qs(search or "", keep_blank_values=True).items()}
    refused: list[Refused] = []
    values: dict[str, Any] = {}
    levers: dict[str, Any] = {}

    def choice(name: str, allowed: tuple[str, ...] | dict, key: str | None = None) -> None:
        text = query.pop(key or name, None)
        if text is None:
            return
        if text in allowed:
            values[name] = text
        else:
            refused.append(Refused(f"{key or name}={text}", "link_bad_value"))

    def whole(name: str, key: str, high: int) -> None:
        text = query.pop(key, None)
        if text is None:
            return
        try:
            number = int(text)
        except ValueError:
            number = -1
        if 0 <= number <= high:
            values[name] = number
        else:
            refused.append(Refused(f"{key}={text}", "link_bad_number", f"0–{high:,}"))

    choice("lang", ("en", "zh"))
    choice("view", VIEWS)
    choice("tab", TABS)
    choice("a", PRESETS)
    choice("b", PRESETS)
    choice("mode", MODES)
    whole("day", "day", MAX_DAY)
    whole("compare_day", "cday", MAX_DAY)
    whole("tour", "tour", 99)
    if (scenario := query.pop("scenario", None)) is not None:
        values["scenario"] = scenario  # checked when it is loaded
    if (seed := query.pop("seed", None)) is not None:
        try:
            values["seed"] = int(seed)
        except ValueError:
            refused.append(Refused(f"seed={seed}", "link_bad_number", "0–2⁶³"))
    marks: dict[int, dict[str, Any]] = {}
    for name, text in query.items():
        key, at, day = name.partition(":")
        if key not in LEVERS_BY_KEY:
            refused.append(Refused(key, "link_unknown"))
        elif not at:
            levers[key] = _value(text)
        elif day.isdigit() and 0 < int(day) <= MAX_DAY:
            marks.setdefault(int(day), {})[key] = _value(text)
        else:
            refused.append(Refused(f"{name}={text}", "link_bad_number", f"1–{MAX_DAY:,}"))
    ordered = tuple(Mark(day, marks[day]) for day in sorted(marks))
    return Link(**values, levers=levers, marks=ordered), refused


def _value(text: str) -> Any:
    """A lever's value from its text, read as TOML would read it (a bare word: a string)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
