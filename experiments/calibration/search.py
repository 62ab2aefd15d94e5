"""Calibration arithmetic on plain tables: misfit, a quadratic surrogate, the next search box
and the points that fit every target (approximate Bayesian computation by rejection).

Everything here takes and returns NumPy arrays or DataFrames; running the model is
:mod:`experiments.calibrate_run`'s job.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import optimize

from experiments.calibration.targets import Target
from experiments.claims import HOLM, Estimate, judge, mean_interval
from experiments.columns import final_column
from sim import REGISTRY

Box = np.ndarray  # shape (d, 2): low and high per free parameter


def point_means(summary: pd.DataFrame, keys: Sequence[str], metrics: Sequence[str]):
    """Replication means per point: parameter values and each metric's value on the final
    day (the targets are yearly figures; the metrics look back 365 days), by metric name."""
    ok = summary[summary["status"] == "ok"]
    grouped = ok.groupby("point", sort=True)
    names = list(dict.fromkeys(metrics))
    finals = grouped[[final_column(m) for m in names]].mean()
    finals.columns = names
    return grouped[list(keys)].first().join(finals)


def misfit(values: np.ndarray, targets: Sequence[Target]) -> np.ndarray:
    """Scaled residuals (model - target) / tolerance; |r| <= 1 means within tolerance.

    ``values`` has one column per target (in target order), one row per point.
    """
    value = np.array([t.value for t in targets])
    tolerance = np.array([t.tolerance for t in targets])
    return (np.asarray(values, dtype=float) - value) / tolerance


def distance(residuals: np.ndarray) -> np.ndarray:
    """Root mean square of the scaled residuals: 1 is 'off by one tolerance on average'."""
    return np.sqrt(np.mean(np.square(residuals), axis=-1))


class Surrogate:
    """A full quadratic in box coordinates u in [0, 1]^d, one per target, by least squares.

    Cheap, smooth and good enough inside a box small enough to make the response close to
    quadratic; the rounds shrink the box so that it is.
    """

    def __init__(self, box: Box) -> None:
        self.box = box

    def __repr__(self) -> str:
        return f"Surrogate(box={np.asarray(self.box).tolist()!r})"

    def fit(self, x: np.ndarray, y: np.ndarray) -> Surrogate:
        """Least squares on the points ``x`` (rows) and their outcomes ``y`` (a column per
        target); sets ``coef_`` and each target's ``r2_``."""
        design = self._design(self._unit(x))
        if design.shape[0] < design.shape[1]:
            raise ValueError(
                f"{design.shape[0]} points cannot fit a quadratic in {x.shape[1]} parameters "
                f"(needs at least {design.shape[1]})"
            )
        self.coef_, *_ = np.linalg.lstsq(design, y, rcond=None)
        fitted = design @ self.coef_
        total = np.sum((y - y.mean(axis=0)) ** 2, axis=0)
        self.r2_ = 1 - np.sum((y - fitted) ** 2, axis=0) / np.where(total > 0, total, 1.0)
        return self

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self._design(self._unit(np.atleast_2d(x))) @ self.coef_

    def _unit(self, x: np.ndarray) -> np.ndarray:
        box = np.asarray(self.box, dtype=float)
        low, high = box[:, 0], box[:, 1]
        return (np.asarray(x, dtype=float) - low) / (high - low)

    @staticmethod
    def _design(u: np.ndarray) -> np.ndarray:
        d = u.shape[1]
        cols = [np.ones(len(u)), *u.T]
        cols += [u[:, i] * u[:, j] for i, j in itertools.combinations_with_replacement(range(d), 2)]
        return np.column_stack(cols)


def best_point(surrogate: Surrogate, targets: Sequence[Target], starts: np.ndarray) -> np.ndarray:
    """The point of the box where the surrogate's misfit is smallest (multi-start L-BFGS-B)."""
    box = np.asarray(surrogate.box, dtype=float)

    def loss(x: np.ndarray) -> float:
        return float(np.sum(misfit(surrogate.predict(x), targets) ** 2))

    results = [
        optimize.minimize(loss, start, method="L-BFGS-B", bounds=[tuple(b) for b in box])
        for start in np.atleast_2d(starts)
    ]
    return min(results, key=lambda r: r.fun).x


def next_box(centre: np.ndarray, box: Box, bounds: Box, shrink: float) -> Box:
    """A box ``shrink`` times as wide as ``box`` around ``centre``, moved inside ``bounds``."""
    half = (box[:, 1] - box[:, 0]) * shrink / 2
    low = np.clip(centre - half, bounds[:, 0], bounds[:, 1] - 2 * half)
    return np.column_stack([low, low + 2 * half])


def accepted(residuals: np.ndarray) -> np.ndarray:
    """Points whose replication mean is within every target's tolerance (ABC rejection)."""
    return np.all(np.abs(residuals) <= 1.0, axis=1)


def significant(value: float, digits: int = 3) -> float:
    """``value`` rounded to ``digits`` significant figures (what the defaults record)."""
    if value == 0 or not np.isfinite(value):
        return float(value)
    return float(np.round(value, digits - 1 - int(np.floor(np.log10(abs(value))))))


def fit_table(
    confirm: pd.DataFrame, targets: Sequence[Target], *, adjustment: str = HOLM
) -> pd.DataFrame:
    """Per target: the model's mean over the confirmation runs with a 95% interval within
    the metric's range, and the rule's verdict on its distance from the target.

    The rule for claims (:mod:`experiments.claims`) over the targets together (Holm), with
    each target's tolerance as the practical threshold: ``verdict`` is "off target" only
    when the adjusted interval of model - target excludes zero *and* the distance exceeds
    the tolerance; "within tolerance" when the mean is within it; otherwise "cannot tell".
    """
    rows, estimates = [], []
    for t in targets:
        y = confirm[final_column(t.metric)].to_numpy(dtype=float)
        y = y[np.isfinite(y)]
        ci = mean_interval(y, REGISTRY[t.metric].bounds)
        n = len(y)
        se = float(np.std(y, ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
        estimates.append(Estimate(ci.estimate - t.value, se, max(n - 1, 1)))
        rows.append(
            {
                "target": t.name,
                "metric": t.metric,
                "value": t.value,
                "tolerance": t.tolerance,
                "model_mean": ci.estimate,
                "ci_low": ci.low if n > 1 else ci.estimate,
                "ci_high": ci.high if n > 1 else ci.estimate,
                "replications": n,
                "within_tolerance": bool(abs(ci.estimate - t.value) <= t.tolerance),
                "source": t.source,
            }
        )
    claims = judge(estimates, [t.tolerance for t in targets], adjustment=adjustment)
    for row, claim in zip(rows, claims, strict=True):
        off = claim.clear
        row |= {
            "diff_low": claim.low,
            "diff_high": claim.high,
            "p_adjusted": claim.p_adjusted,
            "verdict": "off target"
            if off
            else "within tolerance"
            if row["within_tolerance"]
            else "cannot tell",
        }
    return pd.DataFrame(rows)
