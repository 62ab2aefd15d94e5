"""The cheapest option that meets a target with 95% confidence, and the cost-outcome
frontier, from a table with one row per option (cost, mean outcome, its SD and runs).

"Meets ``metric <= value`` with 95% confidence" means the one-sided upper bound of the
mean, mean + t(level, n - 1) * sd / sqrt(n), is at most the value (for ``>=``: the lower
bound mean - t * sd / sqrt(n) is at least the value). As many options are tested at once,
the level follows the one rule for claims (:mod:`experiments.claims`): Holm's adjustment
over the options' one-sided tests, so that the chance of calling even one option that
misses the target a success stays at most 5%; ``bound`` is at the level the adjustment used
for that option (``bound95`` is the unadjusted 95% bound). The target itself is the
practical threshold: meeting it by any margin counts. An option is *on the frontier*
(Pareto-efficient) when no other option costs no more and has a mean at least as good in
the target's direction, with one of the two strictly better.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from experiments.claims import HOLM, NONE, Estimate, adjust, effective_level
from experiments.errors import InputError
from experiments.names import resolve_metric

TARGET = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*([-+0-9.eE]+)\s*$")


@dataclass(frozen=True)
class Target:
    """``metric op value``, e.g. ``escalations_per_1000_households_year<=3``."""

    metric: str
    op: str
    value: float

    @classmethod
    def parse(cls, text: str) -> Target:
        """Read ``metric<=value`` (also ``>=``, ``<``, ``>``); InputError if malformed or
        the metric is not in the registry."""
        match = TARGET.match(text)
        if match is None:
            raise InputError(
                "command line",
                "--target",
                f"got {text!r} (expected metric<=value or metric>=value, e.g. "
                "escalations_per_1000_households_year<=3)",
            )
        name, op, number = match.groups()
        name = resolve_metric(name, key="--target")
        try:
            value = float(number)
        except ValueError:
            raise InputError("command line", "--target", f"{number!r} is not a number") from None
        return cls(name, op, value)

    @property
    def upper(self) -> bool:
        """True for a ceiling (<=, <), False for a floor (>=, >)."""
        return self.op.startswith("<")

    def met(self, bound: float) -> bool:
        if not math.isfinite(bound):
            return False
        return {
            "<=": bound <= self.value,
            "<": bound < self.value,
            ">=": bound >= self.value,
            ">": bound > self.value,
        }[self.op]

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.value:g}"


@dataclass
class Frontier:
    table: pd.DataFrame  # the input rows + bound, feasible, on_frontier, chosen
    chosen: int | None  # row label of the cheapest feasible option
    closest: int | None  # when none is feasible: the option whose bound is nearest the target


def one_sided_bound(
    mean: pd.Series, sd: pd.Series, n: pd.Series, upper: bool, confidence: float = 0.95
) -> pd.Series:
    """One-sided confidence bound of each mean (upper for a ceiling); NaN with n < 2."""
    n = n.astype(float)
    t = pd.Series(stats.t.ppf(confidence, np.maximum(n - 1, 1)), index=mean.index)
    half = t * sd.fillna(0) / np.sqrt(n)
    bound = mean + half if upper else mean - half
    return bound.where(n >= 2)


def find_frontier(
    table: pd.DataFrame,
    target: Target,
    *,
    cost: str = "cost",
    mean: str = "mean",
    sd: str = "sd",
    n: str = "n",
    confidence: float = 0.95,
    adjustment: str = HOLM,
) -> Frontier:
    """Cheapest option meeting ``target`` with ``confidence`` (Holm-adjusted over the
    options, ``adjustment="none"`` for one option at a time), and the Pareto frontier."""
    out = table.copy()
    out["bound95"] = one_sided_bound(out[mean], out[sd], out[n], target.upper, confidence)
    alpha = 1 - confidence
    p, estimates = [], []
    for m, s, k in zip(out[mean], out[sd].fillna(0), out[n], strict=True):
        e = Estimate(float(m), float(s) / np.sqrt(k), float(k - 1)) if k >= 2 else None
        estimates.append(e)
        if e is None:
            p.append(np.nan)
        elif e.se == 0:  # every run the same: the mean meets the target or it does not
            p.append(0.0 if target.met(e.estimate) else 1.0)
        else:
            p.append(e.p_one_sided(target.value, below=target.upper))
    p = np.array(p, dtype=float)
    family = int(np.isfinite(p).sum())
    p_adj = adjust(p, adjustment if family > 1 else NONE)
    levels = [effective_level(a, b, family, alpha) for a, b in zip(p, p_adj, strict=True)]
    out["p_adjusted"] = p_adj
    out["level"] = levels
    out["bound"] = [
        e.bound(level, target.upper) if e is not None else np.nan
        for e, level in zip(estimates, levels, strict=True)
    ]
    out["feasible"] = [bool(q < alpha) for q in p_adj]
    out["on_frontier"] = _pareto(out[cost].to_numpy(float), out[mean].to_numpy(float), target.upper)
    chosen = closest = None
    feasible = out[out["feasible"]]
    if len(feasible):
        goodness = feasible[mean] if target.upper else -feasible[mean]
        chosen = feasible.assign(_g=goodness).sort_values([cost, "_g"]).index[0]
    else:
        gap = (out["bound"] - target.value) if target.upper else (target.value - out["bound"])
        if gap.notna().any():
            closest = gap.idxmin()
    out["chosen"] = out.index == chosen
    return Frontier(out, chosen, closest)


def _pareto(cost: np.ndarray, value: np.ndarray, lower_is_better: bool) -> np.ndarray:
    """Options not dominated in (cost lower, value better)."""
    good = -value if lower_is_better else value
    keep = np.ones(len(cost), dtype=bool)
    for i in range(len(cost)):
        if not (np.isfinite(cost[i]) and np.isfinite(good[i])):
            keep[i] = False
            continue
        dominated = (cost <= cost[i]) & (good >= good[i]) & ((cost < cost[i]) | (good > good[i]))
        keep[i] = not dominated.any()
    return keep
