"""Machinery for typed, documented, validated parameter sections."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Self


class ParameterError(ValueError):
    """A parameter is unknown, of the wrong type or out of range.

    ``key`` is the dotted path of the offending parameter, ``expected`` says what would be
    accepted; the scenario loader adds the file name.
    """

    def __init__(self, key: str, message: str, expected: str = "") -> None:
        self.key = key
        self.expected = expected
        self.reason = message
        text = f"{key}: {message}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)

    def within(self, section: str) -> ParameterError:
        """The same error with its key prefixed by an enclosing section name."""
        return ParameterError(f"{section}.{self.key}", self.reason, self.expected)


@dataclass(frozen=True)
class Spec:
    """What a parameter means and which values it accepts."""

    unit: str = ""
    doc: str = ""
    source: str = "assumption"
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None

    def expected(self, kind: Any) -> str:
        item = element_type(kind)
        if item is not None:
            return "a list, each element " + self.expected(item)
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        name = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}[kind]
        if self.low is not None and self.high is not None:
            return f"{name} from {_fmt(self.low)} to {_fmt(self.high)}"
        if self.low is not None:
            return f"{name} of at least {_fmt(self.low)}"
        return name


def _fmt(x: float) -> str:
    return f"{x:g}"


def param(
    default: Any,
    *,
    unit: str = "",
    doc: str = "",
    source: str = "assumption",
    low: float | None = None,
    high: float | None = None,
    choices: tuple[str, ...] | None = None,
) -> Any:
    """A dataclass field carrying its :class:`Spec`."""
    spec = Spec(unit=unit, doc=doc, source=source, low=low, high=high, choices=choices)
    return field(default=default, metadata={"spec": spec})


class Section:
    """Base of every parameter section: validates its fields once, at construction.

    A field is a scalar (``bool``, ``int``, ``float``, ``str``), a nested section, a list of
    scalars (``tuple[int, ...]``: every element checked against the field's Spec) or a list
    of tables (``tuple[SomeSection, ...]``: each element a table of that section). Lists
    are stored as tuples, so parameters stay hashable.
    """

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            kind = _field_type(type(self), f.name)
            if _is_section(kind):
                if not isinstance(value, kind):
                    raise ParameterError(f.name, "must be a table", f"a table of {kind.__name__}")
                continue
            if kind is object:  # typed by another field (TimelineEntry.value by its key)
                continue
            spec: Spec = f.metadata["spec"]
            item = element_type(kind)
            if item is None:
                checked = _check(f.name, value, kind, spec)
            elif _is_section(item):
                checked = _check_tables(f.name, value, item)
            else:
                checked = _check_list(f.name, value, item, spec)
            object.__setattr__(self, f.name, checked)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build the section from plain data, rejecting unknown keys."""
        if not isinstance(data, dict):
            raise ParameterError(cls.__name__, "must be a table", "a table of keys")
        names = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in names:
                raise unknown_key(key, names)
            kind = _field_type(cls, key)
            if _is_section(kind):
                try:
                    value = kind.from_dict(value)
                except ParameterError as err:
                    raise err.within(key) from None
            kwargs[key] = value
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def specs(cls) -> list[tuple[str, Any, type, Spec]]:
        """(dotted name, default, type, spec) for every leaf parameter, in order."""
        rows = []
        for f in dataclasses.fields(cls):
            kind = _field_type(cls, f.name)
            if _is_section(kind):
                rows += [(f"{f.name}.{n}", d, k, s) for n, d, k, s in kind.specs()]
            else:
                rows.append((f.name, f.default, kind, f.metadata["spec"]))
        return rows


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest known name, or '': every input error says it."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def toml_literal(value: Any) -> str:
    """A value as a scenario file (TOML) writes it: lists as arrays, tables inline."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_literal(v)}" for k, v in value.items()) + " }"
    return repr(value)


def unknown_key(key: str, known: Any) -> ParameterError:
    hint = did_you_mean(key, known)
    return ParameterError(key, f"unknown key{hint}", "one of " + ", ".join(sorted(known)))


def _field_type(cls: type, name: str) -> Any:
    kind = _type_hints(cls)[name]
    if isinstance(kind, types.UnionType):  # "float | None" is not used; keep the first member
        kind = typing.get_args(kind)[0]
    return kind


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_section(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Section)


def element_type(kind: Any) -> Any:
    """The element type of a list field (``tuple[int, ...]`` -> ``int``), else None."""
    if typing.get_origin(kind) is tuple:
        return typing.get_args(kind)[0]
    return None


def _as_list(name: str, value: Any, expected: str) -> tuple:
    if not isinstance(value, list | tuple):
        raise ParameterError(name, f"got {value!r}", expected)
    return tuple(value)


def _check_list(name: str, value: Any, item: type, spec: Spec) -> tuple:
    """A list of scalars, each checked as the field's Spec says (a TOML array)."""
    values = _as_list(name, value, spec.expected(tuple[item, ...]))
    checked = []
    for i, element in enumerate(values, 1):
        try:
            checked.append(_check(name, element, item, spec))
        except ParameterError as err:
            raise ParameterError(name, f"element {i}: {err.reason}", err.expected) from None
    return tuple(checked)


def _check_tables(name: str, value: Any, item: type[Section]) -> tuple:
    """A list of tables of one section (a TOML array of tables, ``[[name]]``); an error
    names the table by its number from 1, ``name[2].key``."""
    tables = _as_list(name, value, f"a list of tables of {item.__name__}")
    checked = []
    for i, table in enumerate(tables, 1):
        if isinstance(table, item):
            checked.append(table)
            continue
        if not isinstance(table, dict):
            raise ParameterError(f"{name}[{i}]", f"got {table!r}", f"a table of {item.__name__}")
        try:
            checked.append(item.from_dict(table))
        except ParameterError as err:
            raise err.within(f"{name}[{i}]") from None
    return tuple(checked)


def check_value(name: str, value: Any, kind: type, spec: Spec) -> Any:
    """``value`` as a scalar parameter ``name`` of type ``kind`` takes it, or
    :class:`ParameterError` (a timeline entry's value is checked against its key)."""
    return _check(name, value, kind, spec)


def _check(name: str, value: Any, kind: type, spec: Spec) -> Any:
    expected = spec.expected(kind)
    if kind is bool:
        if not isinstance(value, bool):
            raise ParameterError(name, f"got {value!r}", expected)
        return value
    if kind is str:
        if not isinstance(value, str):
            raise ParameterError(name, f"got {value!r}", expected)
        if spec.choices and value not in spec.choices:
            hint = did_you_mean(value, spec.choices)
            raise ParameterError(name, f"got {value!r}{hint}", expected)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParameterError(name, f"got {value!r}", expected)
    if kind is int:
        if isinstance(value, float):
            if not value.is_integer():
                raise ParameterError(name, f"got {value!r}", expected)
            value = int(value)
    else:
        value = float(value)
        if not math.isfinite(value):
            raise ParameterError(name, f"got {value!r}", expected)
    if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
        raise ParameterError(name, f"{value!r} is out of range", expected)
    return value


# --- Shorthands for the kinds of parameter that recur: each is ``param`` with a fixed unit
# and range, so a declaration states only what is particular to it.


def probability(default: float, *, doc: str, source: str = "assumption") -> Any:
    """A probability, from 0 to 1."""
    return param(default, unit="probability", low=0.0, high=1.0, doc=doc, source=source)


def unit_interval(default: float, *, doc: str, source: str = "assumption") -> Any:
    """A level or weight on the 0-1 scale (a trait, a lever's strength, a nudge's step)."""
    return param(default, unit="0-1", low=0.0, high=1.0, doc=doc, source=source)


def share(
    default: float, *, of: str, doc: str, source: str = "assumption", high: float = 1.0
) -> Any:
    """A share of ``of`` (households, working time, ...), from 0 to ``high``."""
    return param(default, unit=f"share of {of}", low=0.0, high=high, doc=doc, source=source)


def daily_rate(default: float, *, doc: str, source: str = "assumption") -> Any:
    """A rate per day, from 0 to 1 (a diffusion weight, an anchor, a drift)."""
    return param(default, unit="per day", low=0.0, high=1.0, doc=doc, source=source)


def interval_days(default: int, *, doc: str, source: str = "assumption") -> Any:
    """Days between two events of a calendar (a retry, a board), from 1 to a year."""
    return param(default, unit="days", low=1, high=365, doc=doc, source=source)


def per_household_year(default: float, *, doc: str, source: str = "assumption") -> Any:
    """An event rate per household-year, from 0 to 50."""
    return param(default, unit="per household-year", low=0.0, high=50.0, doc=doc, source=source)


def logit_weight(default: float, *, doc: str, source: str = "assumption") -> Any:
    """A weight of the channel choice, from 0 to 100."""
    return param(default, unit="logit weight", low=0.0, high=100.0, doc=doc, source=source)


def yuan_per_year(default: float, *, doc: str, source: str = "assumption") -> Any:
    """A yearly cost in yuan, from 0 to ten million."""
    return param(default, unit="yuan per year", low=0.0, high=1e7, doc=doc, source=source)
