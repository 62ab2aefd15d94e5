"""Metric names typed by users (``--metric``, ``--target``), checked against the registry.

Every other name is checked with the parameters' ``sim.params.did_you_mean``; metrics get a
friendlier guess (:func:`suggest`), as users type the start of a long name."""

from __future__ import annotations

import difflib

from experiments.columns import FINAL, LEGACY_WINDOW, window_column
from experiments.errors import COMMAND_LINE, InputError
from sim import METRICS, REGISTRY


def resolve_metric(name: str, source: str = COMMAND_LINE, key: str = "--metric") -> str:
    """The registry name of ``name`` (a summary column's suffix, such as
    ``_mean_last_90_days``, is allowed); InputError with a did-you-mean and the known
    names otherwise."""
    base = name.strip()
    for suffix in (window_column(""), FINAL, LEGACY_WINDOW):
        base = base.removesuffix(suffix)
    if base in REGISTRY:
        return base
    close = suggest(base)
    did = f"; did you mean {close!r}?" if close else ""  # suggest() knows metric names
    known = ", ".join(m.name for m in METRICS)
    raise InputError(source, key, f"unknown metric {name!r}{did} (known: {known})")


def suggest(name: str) -> str | None:
    """The closest registry name: one that starts with or contains ``name`` (users type
    'escalations' for 'escalations_per_1000_households_year'), else the nearest spelling."""
    lowered = name.lower()
    for test in (str.startswith, str.__contains__):
        hits = [m for m in REGISTRY if lowered and test(m, lowered)]
        if hits:  # the headline metrics first: what a user most likely means
            return min(hits, key=lambda m: (REGISTRY[m].headline, len(m)))
    close = difflib.get_close_matches(lowered, list(REGISTRY), n=1)
    return close[0] if close else None
