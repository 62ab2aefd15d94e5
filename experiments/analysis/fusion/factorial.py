"""Effects in a 2x2x2 factorial with replications: main effects, interactions and the
"fusion dividend", each with a 95% confidence interval.

Every estimate is a linear contrast of the eight cell means, L = sum_c w_c * mean_c. Its
standard error treats cells as independent samples, SE^2 = sum_c w_c^2 s_c^2 / n_c, and the
interval is L +/- t(0.975, df) * SE with Welch-Satterthwaite degrees of freedom
df = SE^4 / sum_c (w_c^2 s_c^2 / n_c)^2 / (n_c - 1). Cells are x = (a, b, c) in {0, 1}^3
(off/on), with signs s = 2x - 1:

- main effect of A:      (1/4) sum s_a mean          (on minus off, averaged over the others)
- two-way A x B:         (1/4) sum s_a s_b mean
- three-way A x B x C:   (1/4) sum s_a s_b s_c mean
- alone (A):             mean_100 - mean_000         (A on its own, the others off)
- combined:              mean_111 - mean_000         (all three together)
- separate sum:          sum of the three "alone" effects
- fusion dividend:       combined - separate sum
                         = mean_111 - mean_100 - mean_010 - mean_001 + 2 mean_000

The dividend is what the three together do beyond the sum of what each does alone.

The **relative dividend** is the dividend as a share of the size of the separate sum,
R = D / |separate sum| (+0.25: the three together go a quarter of the separate effects'
size further in the dividend's direction than the sum). Its interval is the delta
method's: R is linearised as the contrast (w_D - R sign(S) w_S) / |S| of the same cells,
whose SE and Welch-Satterthwaite df give the t interval. It is given only when the separate
sum is well away from zero (its 95% interval excludes zero with a half-width below half its
size, the rule ``compare`` uses for relative changes); otherwise R is NaN with a reason.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

MODES = ("self_governance", "rule_of_law", "moral")
COORDINATION = "fusion.coordination"  # the fusion design's fourth factor: cells by its levels
CELLS = tuple(itertools.product((0, 1), repeat=3))  # (a, b, c): 000, 001, ..., 111
DIVIDEND = "fusion_dividend"


def contrasts(factors: Sequence[str] = MODES) -> dict[str, tuple[str, dict[tuple, float]]]:
    """Name -> (kind, weights over the eight cells) of every reported effect."""
    a, b, c = factors
    sign = {cell: tuple(2 * x - 1 for x in cell) for cell in CELLS}
    out: dict[str, tuple[str, dict[tuple, float]]] = {}
    for i, name in enumerate(factors):
        out[name] = ("main", {cell: s[i] / 4 for cell, s in sign.items()})
    for i, j in ((0, 1), (0, 2), (1, 2)):
        name = f"{factors[i]} x {factors[j]}"
        out[name] = ("two-way", {cell: s[i] * s[j] / 4 for cell, s in sign.items()})
    out[f"{a} x {b} x {c}"] = (
        "three-way",
        {cell: s[0] * s[1] * s[2] / 4 for cell, s in sign.items()},
    )
    alone = {}
    for i, name in enumerate(factors):
        cell = tuple(int(k == i) for k in range(3))
        alone[name] = {cell: 1.0, (0, 0, 0): -1.0}
        out[f"alone: {name}"] = ("alone", alone[name])
    out["combined"] = ("combined", {(1, 1, 1): 1.0, (0, 0, 0): -1.0})
    separate: dict[tuple, float] = {}
    for weights in alone.values():
        for cell, w in weights.items():
            separate[cell] = separate.get(cell, 0.0) + w
    out["separate_sum"] = ("separate", separate)
    dividend = dict(out["combined"][1])
    for cell, w in separate.items():
        dividend[cell] = dividend.get(cell, 0.0) - w
    out[DIVIDEND] = ("dividend", dividend)
    return out


def cell_stats(
    data: pd.DataFrame,
    response: str,
    factors: Sequence[str] = MODES,
    *,
    by: str | None = None,
    on: object = "on",
    off: object = "off",
) -> pd.DataFrame:
    """Mean, SD and count of ``response`` in each cell (and each level of ``by``); factor
    columns become 0 (off) and 1 (on). Missing responses (failed runs) are dropped."""
    coded = data[[*factors, *([by] if by else []), response]].dropna(subset=[response]).copy()
    for name in factors:
        coded[name] = _code(coded[name], name, on, off)
    keys = [*([by] if by else []), *factors]
    table = coded.groupby(keys, sort=True)[response].agg(["mean", "std", "count"])
    return table.rename(columns={"std": "sd", "count": "n"}).reset_index()


def effects(
    data: pd.DataFrame,
    response: str,
    factors: Sequence[str] = MODES,
    *,
    by: str | None = None,
    on: object = "on",
    off: object = "off",
    conf: float = 0.95,
) -> pd.DataFrame:
    """Every contrast of :func:`contrasts` with its CI, per level of ``by`` (if given).

    One row per (level, effect): ``effect, kind, estimate, se, df, ci_low, ci_high``.
    """
    rows = []
    for level, stats_ in _levels(data, response, factors, by, on, off):
        for name, (kind, weights) in contrasts(factors).items():
            row = {by: level} if by else {}
            row |= {"effect": name, "kind": kind, **_estimate(stats_, weights, conf)}
            rows.append(row)
    return pd.DataFrame(rows)


def dividend_differences(
    data: pd.DataFrame,
    response: str,
    by: str,
    factors: Sequence[str] = MODES,
    *,
    on: object = "on",
    off: object = "off",
    conf: float = 0.95,
) -> pd.DataFrame:
    """The fusion dividend at each level of ``by`` minus that at its lowest level, with CI."""
    cells = cell_stats(data, response, factors, by=by, on=on, off=off)
    levels = sorted(cells[by].unique())
    weights = contrasts(factors)[DIVIDEND][1]
    base = _by_cell(cells[cells[by] == levels[0]], factors, levels[0])
    rows = []
    for level in levels[1:]:
        other = _by_cell(cells[cells[by] == level], factors, level)
        joint = {("hi", *k): v for k, v in other.items()} | {("lo", *k): v for k, v in base.items()}
        w = {("hi", *k): x for k, x in weights.items()} | {
            ("lo", *k): -x for k, x in weights.items()
        }
        rows.append({"from": levels[0], "to": level, **_estimate(joint, w, conf)})
    return pd.DataFrame(rows, columns=["from", "to", "estimate", "se", "df", "ci_low", "ci_high"])


def relative_dividends(
    data: pd.DataFrame,
    response: str,
    factors: Sequence[str] = MODES,
    *,
    by: str | None = None,
    on: object = "on",
    off: object = "off",
    conf: float = 0.95,
) -> pd.DataFrame:
    """The relative dividend D / |separate sum| with its delta-method CI, per level of
    ``by``: ``estimate, se, df, ci_low, ci_high, defined`` (one row per level)."""
    rows = []
    for level, stats_ in _levels(data, response, factors, by, on, off):
        row = {by: level} if by else {}
        rows.append(row | relative(stats_, factors, conf))
    return pd.DataFrame(rows)


def _levels(
    data: pd.DataFrame,
    response: str,
    factors: Sequence[str],
    by: str | None,
    on: object,
    off: object,
) -> list[tuple[object, dict[tuple, tuple]]]:
    """(level of ``by``, the eight cells' (mean, sd, n)) for each level; one (None, cells)
    without ``by``."""
    cells = cell_stats(data, response, factors, by=by, on=on, off=off)
    levels = sorted(cells[by].unique()) if by else [None]
    return [
        (level, _by_cell(cells[cells[by] == level] if by else cells, factors, level))
        for level in levels
    ]


def relative(cells: dict[tuple, tuple], factors: Sequence[str] = MODES, conf: float = 0.95) -> dict:
    """The relative dividend of one set of eight cells (see the module docstring)."""
    table = contrasts(factors)
    w_d, w_s = table[DIVIDEND][1], table["separate_sum"][1]
    d, s = _estimate(cells, w_d, conf), _estimate(cells, w_s, conf)
    half = s["ci_high"] - s["estimate"]
    if not (s["estimate"] != 0 and half < abs(s["estimate"]) / 2):
        nan = float("nan")
        out = {"estimate": nan, "se": nan, "df": nan, "ci_low": nan, "ci_high": nan}
        return out | {"defined": False}
    size, sign = abs(s["estimate"]), float(np.sign(s["estimate"]))
    r = d["estimate"] / size
    keys = set(w_d) | set(w_s)
    linear = {c: (w_d.get(c, 0.0) - r * sign * w_s.get(c, 0.0)) / size for c in keys}
    out = _estimate(cells, linear, conf)
    half = out["ci_high"] - out["estimate"]
    return {"estimate": r, "se": out["se"], "df": out["df"]} | {
        "ci_low": r - half,
        "ci_high": r + half,
        "defined": True,
    }


def _code(values: pd.Series, name: str, on: object, off: object) -> pd.Series:
    if values.isin([on, off]).all():
        return (values == on).astype(int)
    if values.isin([0, 1, True, False]).all():
        return values.astype(int)
    bad = sorted(set(map(str, values[~values.isin([on, off])].unique())))
    raise ValueError(f"{name}: values {bad} are neither {on!r} nor {off!r}")


def _by_cell(cells: pd.DataFrame, factors: Sequence[str], level: object) -> dict[tuple, tuple]:
    """(a, b, c) -> (mean, sd, n); every cell must be present with at least 2 runs."""
    found = {
        tuple(int(v) for v in row[list(factors)]): (row["mean"], row["sd"], int(row["n"]))
        for _, row in cells.iterrows()
    }
    where = f" at {level}" if level is not None else ""
    for cell in CELLS:
        if cell not in found:
            raise ValueError(f"cell {cell} of {list(factors)} has no runs{where}")
        if found[cell][2] < 2:
            raise ValueError(f"cell {cell}{where} has fewer than 2 runs: no variance estimate")
    return found


def _estimate(cells: dict[tuple, tuple], weights: dict[tuple, float], conf: float) -> dict:
    """A linear contrast of cell means with its Welch-Satterthwaite t interval."""
    terms = [w * cells[c][0] for c, w in weights.items()]
    estimate = sum(terms)
    if abs(estimate) <= 1e-12 * max(map(abs, terms), default=0.0):
        estimate = 0.0  # equal means cancelled: rounding residue, not an effect
    parts = np.array([w * w * cells[c][1] ** 2 / cells[c][2] for c, w in weights.items()])
    dofs = np.array([cells[c][2] - 1 for c in weights])
    var = float(parts.sum())
    se = float(np.sqrt(var))
    if var > 0:
        df = var**2 / float(np.sum(parts**2 / dofs))
        half = float(stats.t.ppf(0.5 + conf / 2, df)) * se
    else:  # no spread at all (e.g. a deterministic response): the estimate is exact
        df, half = float("inf"), 0.0
    return {
        "estimate": float(estimate),
        "se": se,
        "df": df,
        "ci_low": float(estimate) - half,
        "ci_high": float(estimate) + half,
    }
