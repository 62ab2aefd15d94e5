"""Metric names typed by users (``--metric``, ``--target``): checked against the registry."""

from __future__ import annotations

import difflib

from sim import METRICS, REGISTRY

from .errors import ScenarioError
from .runner import SUMMARY_WINDOW


def resolve_metric(name: str, source: str = "command line", key: str = "--metric") -> str:
    """The registry name of ``name`` (a ``_last90`` suffix is allowed); ScenarioError with a
    did-you-mean and the known names otherwise."""
    base = name.strip().removesuffix(f"_last{SUMMARY_WINDOW}")
    if base in REGISTRY:
        return base
    close = suggest(base)
    hint = f"; did you mean {close!r}?" if close else ""
    known = ", ".join(m.name for m in METRICS)
    raise ScenarioError(source, key, f"unknown metric {name!r}{hint} (known: {known})")


def suggest(name: str) -> str | None:
    """The closest registry name: one that starts with or contains ``name`` (users type
    'escalations' for 'escalations_per_1000_households_year'), else the nearest spelling."""
    lowered = name.lower()
    for test in (str.startswith, str.__contains__):
        hits = [m for m in REGISTRY if lowered and test(m, lowered)]
        if hits:
            return min(hits, key=len)
    close = difflib.get_close_matches(lowered, list(REGISTRY), n=1)
    return close[0] if close else None
