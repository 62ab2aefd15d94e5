"""How much each practice contributes to the fusion dividend, with 95% confidence intervals.

Let N be the k practices a fusion scenario names and D(S) the fusion dividend of the model
with the practices in S on (and the others at the scenario's values), measured in its own
2x2x2 mode factorial: D(S) = mean_111 - mean_100 - mean_010 - mean_001 + 2 mean_000 over the
cells of S. The dividend of the full model minus that of the model without practices,
D(N) - D(empty), is split among the practices by one of two estimators:

- **Shapley** (``SHAPLEY``; exact, needs D(S) for all 2^k subsets, used when k is at most
  ``exact_up_to``, default 4): phi_p = sum over S not holding p of
  |S|! (k - |S| - 1)! / k! * (D(S + p) - D(S)). The phi_p add up to D(N) - D(empty)
  exactly (efficiency), equal practices get equal shares, and a practice that changes no
  D(S) gets zero.
- **One at a time** (``ONE_AT_A_TIME``; 2k + 2 subsets, for larger k): the leave-one-out
  contribution D(N) - D(N - p) (what the full model loses without p) and the add-one
  contribution D({p}) - D(empty) (what p does on its own). When D is additive over practices
  both equal the Shapley value; their gap (leave-one-out minus add-one) is p's interaction
  with the other practices, and the sum of the leave-one-out contributions need not be
  D(N) - D(empty) (the shortfall is reported as ``interactions``).

A practice may itself be a group of switches (a scenario table with several keys): grouping
practices, e.g. by the pair of modes they join, is how a scenario keeps k small enough for
the exact estimator.

Every D(S) is a linear contrast of cell means, so every contribution is a linear contrast
of the cell means of the subsets it uses, L = sum w_c mean_c over cells c = (S, a, b, c);
its interval is the factorial's (``factorial._estimate``: SE^2 = sum w^2 s^2 / n, t with
Welch-Satterthwaite df), cells treated as independent (conservative under the common
random numbers every cell shares).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import pandas as pd

from experiments.analysis.fusion.factorial import (
    DIVIDEND,
    MODES,
    _by_cell,
    _estimate,
    cell_stats,
    contrasts,
)

SHAPLEY, ONE_AT_A_TIME = "shapley", "one_at_a_time"
ESTIMATORS = (SHAPLEY, ONE_AT_A_TIME)
EXACT_UP_TO = 4  # the default cap on k for exact Shapley: 2^4 = 16 subsets of 8 cells
NONE = "none"  # the label of the empty subset
JOIN = "+"


def label(subset: Sequence[str], names: Sequence[str]) -> str:
    """A subset's label: its practices in the scenario's order joined by '+', or 'none'."""
    chosen = [n for n in names if n in set(subset)]
    return JOIN.join(chosen) if chosen else NONE


def members(subset_label: str) -> frozenset[str]:
    """The practices of a subset label."""
    return frozenset() if subset_label == NONE else frozenset(subset_label.split(JOIN))


def estimator_for(k: int, exact_up_to: int = EXACT_UP_TO) -> str:
    """Exact Shapley up to ``exact_up_to`` practices, one at a time beyond."""
    return SHAPLEY if k <= exact_up_to else ONE_AT_A_TIME


def subsets(names: Sequence[str], estimator: str) -> list[str]:
    """The labels of the subsets the estimator needs, the full model first, 'none' second."""
    full, k = tuple(names), len(names)
    if estimator == SHAPLEY:
        chosen = [c for r in range(k + 1) for c in itertools.combinations(full, r)]
    elif estimator == ONE_AT_A_TIME:
        chosen = [(), *((p,) for p in full), *(tuple(n for n in full if n != p) for p in full)]
    else:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, not {estimator!r}")
    out = [label(full, names), NONE]
    for c in chosen:
        if label(c, names) not in out:
            out.append(label(c, names))
    return out


def weights(names: Sequence[str], estimator: str) -> dict[str, tuple[str, dict[str, float]]]:
    """Row name -> (kind, weights over the dividends D(S), keyed by subset label).

    Shapley: one row per practice (kind "shapley"). One at a time: "leave_one_out: p",
    "add_one: p" and "gap: p" (their difference) per practice, and "interactions"
    (D(N) - D(empty) minus the sum of the leave-one-out contributions). Both end with
    "total": D(N) - D(empty).
    """
    full, k = tuple(names), len(names)
    every, none = label(full, names), NONE
    out: dict[str, tuple[str, dict[str, float]]] = {}
    if estimator == SHAPLEY:
        for p in full:
            w: dict[str, float] = {}
            others = [n for n in full if n != p]
            for r in range(k):
                share = math.factorial(r) * math.factorial(k - r - 1) / math.factorial(k)
                for s in itertools.combinations(others, r):
                    _add(w, label((*s, p), names), share)
                    _add(w, label(s, names), -share)
            out[p] = (SHAPLEY, w)
    elif estimator == ONE_AT_A_TIME:
        loo_sum: dict[str, float] = {}
        for p in full:
            without = label([n for n in full if n != p], names)
            loo = {every: 1.0, without: -1.0}
            add = {label((p,), names): 1.0, none: -1.0}
            gap = dict(loo)
            for s, x in add.items():
                _add(gap, s, -x)
            out[f"leave_one_out: {p}"] = ("leave_one_out", loo)
            out[f"add_one: {p}"] = ("add_one", add)
            out[f"gap: {p}"] = ("gap", gap)
            for s, x in loo.items():
                _add(loo_sum, s, x)
        rest = {every: 1.0, none: -1.0}
        for s, x in loo_sum.items():
            _add(rest, s, -x)
        out["interactions"] = ("interactions", rest)
    else:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, not {estimator!r}")
    out["total"] = ("total", {every: 1.0, none: -1.0})
    return {name: (kind, {s: x for s, x in w.items() if x != 0}) for name, (kind, w) in out.items()}


def _add(w: dict[str, float], key: str, x: float) -> None:
    w[key] = w.get(key, 0.0) + x


def subset_dividends(
    data: pd.DataFrame,
    response: str,
    column: str,
    *,
    factors: Sequence[str] = MODES,
    conf: float = 0.95,
) -> pd.DataFrame:
    """D(S) with its CI for every subset S in ``column`` (one row per subset label)."""
    dividend = contrasts(factors)[DIVIDEND][1]
    rows = []
    for subset, cells in _subset_cells(data, response, column, factors).items():
        rows.append({column: subset, **_estimate(cells, dividend, conf)})
    return pd.DataFrame(rows)


def attribution(
    data: pd.DataFrame,
    response: str,
    names: Sequence[str],
    estimator: str,
    column: str,
    *,
    factors: Sequence[str] = MODES,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Each row of :func:`weights` as a contrast of the cell means of the subsets in
    ``column`` (runs of one coordination level): ``effect, kind, estimate, se, df, ci_low,
    ci_high``. Every subset the estimator needs must have all eight cells, two runs each."""
    by_subset = _subset_cells(data, response, column, factors)
    missing = [s for s in subsets(names, estimator) if s not in by_subset]
    if missing:
        raise ValueError(f"subsets {missing} of the practices have no runs")
    joint = {(s, *cell): v for s, cells in by_subset.items() for cell, v in cells.items()}
    dividend = contrasts(factors)[DIVIDEND][1]
    rows = []
    for name, (kind, over_subsets) in weights(names, estimator).items():
        w = {(s, *cell): x * y for s, x in over_subsets.items() for cell, y in dividend.items()}
        rows.append({"effect": name, "kind": kind, **_estimate(joint, w, conf)})
    return pd.DataFrame(rows)


def _subset_cells(
    data: pd.DataFrame, response: str, column: str, factors: Sequence[str]
) -> dict[str, dict[tuple, tuple]]:
    stats_ = cell_stats(data, response, factors, by=column)
    return {
        s: _by_cell(stats_[stats_[column] == s], factors, f"{column} = {s}")
        for s in stats_[column].unique()
    }
