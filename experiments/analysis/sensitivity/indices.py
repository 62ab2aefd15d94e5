"""Global sensitivity indices (Morris, Sobol') from a sample matrix and its outputs.

Plain data in, plain data out: a SALib problem (``Design.problem()``), the sample matrix
``X`` (SALib's, in the parameters' own units) and outputs ``Y`` (one value per row of ``X``)
give a table of indices with bootstrap 95% confidence intervals. The model's results and known test
functions (Ishigami, linear) go through the same :func:`analyse`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.util import scale_samples

from experiments.sweeps.design import MORRIS_LEVELS, unit_sample
from experiments.wording import Words, say

METHODS = ("morris", "sobol")
CONF_LEVEL = 0.95
# Sobol' warning rule (documented in docs/analysis.md): indices are flagged as unstable when
SOBOL_MIN_N = 512  # ... the base sample N is below this (Saltelli runs N x (2D + 2)),
SOBOL_MAX_REL_CI = 0.1  # ... or a total index's CI half-width exceeds 10% of the largest ST,
SOBOL_MAX_SUM_S1 = 1.1  # ... or the first-order indices add up to more than 1.1,
# ... or an S1 or ST is negative beyond its CI (the estimator's noise dominates).


def sample(problem: Mapping[str, Any], method: str, n: int, seed: int) -> np.ndarray:
    """SALib's sample matrix in the parameters' units, drawn as sweep designs draw it (over
    [0, 1], then scaled to each range), so a known function sees the model's matrix."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    unit = unit_sample(method, list(problem["names"]), n, seed)
    return scale_samples(unit, {"bounds": problem["bounds"]})  # scales in place; marks the dict


def evaluate(fn: Callable[[np.ndarray], np.ndarray], X: np.ndarray) -> np.ndarray:
    """Outputs of a vectorised known function, one per row of X."""
    return np.asarray(fn(X), dtype=float).reshape(len(X))


def analyse(
    problem: Mapping[str, Any],
    X: np.ndarray,
    Y: np.ndarray,
    method: str,
    *,
    num_resamples: int = 1000,
    conf_level: float = CONF_LEVEL,
    seed: int | None = None,
) -> pd.DataFrame:
    """Sensitivity indices with bootstrap confidence intervals, one row per parameter.

    Morris: ``mu_star`` (with SALib's bootstrap CI), ``sigma`` (CI from a bootstrap over
    trajectories), ``mu``. Sobol': ``S1``, ``ST`` with SALib's bootstrap CIs; the second-order
    ``S2`` are in :func:`second_order`. CI columns are ``<index>_low`` and ``<index>_high``;
    ``rank`` orders parameters by mu* (Morris) or ST (Sobol'), 1 = most influential.
    """
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float).reshape(-1)
    if len(X) != len(Y):
        raise ValueError(f"X has {len(X)} rows but Y has {len(Y)} values")
    if not np.isfinite(Y).all():
        raise ValueError(f"Y has {int((~np.isfinite(Y)).sum())} missing or infinite values")
    names = list(problem["names"])
    if method == "morris":
        si = morris_analyze.analyze(
            problem,
            X,
            Y,
            num_resamples=num_resamples,
            conf_level=conf_level,
            num_levels=MORRIS_LEVELS,
            seed=seed,
        )
        low, high = _morris_sigma_ci(problem, X, Y, num_resamples, conf_level, seed)
        frame = pd.DataFrame(
            {
                "parameter": names,
                "mu_star": si["mu_star"],
                # SALib's interval is mu* +/- a normal half-width; mu* cannot be negative
                "mu_star_low": np.maximum(si["mu_star"] - si["mu_star_conf"], 0.0),
                "mu_star_high": si["mu_star"] + si["mu_star_conf"],
                "sigma": si["sigma"],
                "sigma_low": low,
                "sigma_high": high,
                "mu": si["mu"],
            }
        )
        key = "mu_star"
    elif method == "sobol":
        si = sobol_analyze.analyze(
            problem,
            Y,
            calc_second_order=True,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=seed,
        )
        frame = pd.DataFrame(
            {
                "parameter": names,
                "S1": si["S1"],
                "S1_low": si["S1"] - si["S1_conf"],
                "S1_high": si["S1"] + si["S1_conf"],
                "ST": si["ST"],
                "ST_low": si["ST"] - si["ST_conf"],
                "ST_high": si["ST"] + si["ST_conf"],
            }
        )
        frame.attrs["S2"] = _s2_table(names, si)
        key = "ST"
    else:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    frame["rank"] = frame[key].rank(ascending=False, method="min").astype(int)
    return frame


def second_order(indices: pd.DataFrame) -> pd.DataFrame:
    """The Sobol' second-order indices of an :func:`analyse` result (empty for Morris)."""
    return indices.attrs.get("S2", pd.DataFrame(columns=["parameter_1", "parameter_2", "S2"]))


WARNINGS: Words = {
    "few": (
        "base sample N = {n} is below {min_n}: Sobol' indices from so few samples are "
        "usually unstable (use --samples 512 or more)",
        "基础样本量 N = {n} 低于 {min_n}：样本这么少时 Sobol' 指数通常不稳定"
        "（请使用 --samples 512 或更多）",
    ),
    "wide": (
        "the widest ST confidence interval (+/-{half}) exceeds {share} of the largest ST ({top})",
        "最宽的 ST 置信区间（±{half}）超过最大 ST（{top}）的{share}",
    ),
    "sum": (
        "first-order indices add up to {total} (> {limit})",
        "一阶指数之和为 {total}（大于 {limit}）",
    ),
    "negative": ("negative beyond their CI: {items}", "在置信区间之外仍为负值：{items}"),
}


def sobol_warnings(indices: pd.DataFrame, n: int, lang: str = "en") -> list[str]:
    """Reasons to distrust Sobol' indices (empty when none); see the SOBOL_* rule above."""
    out = []
    if n < SOBOL_MIN_N:
        out.append(say(WARNINGS, "few", lang, n=n, min_n=SOBOL_MIN_N))
    top = float(indices["ST"].max())
    half = float(((indices["ST_high"] - indices["ST_low"]) / 2).max())
    if top > 0 and half > SOBOL_MAX_REL_CI * top:
        share = f"{SOBOL_MAX_REL_CI:.0%}"
        out.append(say(WARNINGS, "wide", lang, half=f"{half:.3g}", share=share, top=f"{top:.3g}"))
    total = float(indices["S1"].sum())
    if total > SOBOL_MAX_SUM_S1:
        out.append(say(WARNINGS, "sum", lang, total=f"{total:.2f}", limit=SOBOL_MAX_SUM_S1))
    negative = [
        f"{row.parameter} ({index} = {getattr(row, index):.3g})"
        for row in indices.itertuples()
        for index in ("S1", "ST")
        if getattr(row, f"{index}_high") < 0
    ]
    if negative:
        out.append(say(WARNINGS, "negative", lang, items=", ".join(negative)))
    return out


def replication_noise(point_means: pd.Series, point_sds: pd.Series) -> float:
    """Mean replication SD relative to the SD of the point means across the sample.

    Near 0: indices reflect the parameters; near or above 1: replication noise is as large
    as the parameters' effect, and indices are uncertain beyond their bootstrap CIs.
    """
    spread = float(np.std(point_means, ddof=1)) if len(point_means) > 1 else float("nan")
    sds = np.asarray(point_sds, dtype=float)
    sds = sds[np.isfinite(sds)]  # one replication: no SD, no noise estimate
    noise = float(sds.mean()) if sds.size else float("nan")
    return noise / spread if spread > 0 else float("nan")


def ranking(indices: pd.DataFrame, top: int = 3) -> list[str]:
    """The ``top`` most influential parameters, most influential first."""
    return indices.sort_values(["rank", "parameter"])["parameter"].head(top).tolist()


def _s2_table(names: Sequence[str], si: Any) -> pd.DataFrame:
    rows = []
    for i, a in enumerate(names):
        for j in range(i + 1, len(names)):
            value, conf = si["S2"][i, j], si["S2_conf"][i, j]
            rows.append(
                {
                    "parameter_1": a,
                    "parameter_2": names[j],
                    "S2": value,
                    "S2_low": value - conf,
                    "S2_high": value + conf,
                }
            )
    return pd.DataFrame(rows)


def _morris_sigma_ci(
    problem: Mapping[str, Any],
    X: np.ndarray,
    Y: np.ndarray,
    num_resamples: int,
    conf_level: float,
    seed: int | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap CI of sigma, resampling whole trajectories (SALib gives none)."""
    size = problem["num_vars"] + 1
    trajectories = len(Y) // size
    d = problem["num_vars"]
    if trajectories < 2:
        return np.full(d, np.nan), np.full(d, np.nan)
    rng = np.random.default_rng(seed)
    blocks_x = X.reshape(trajectories, size, -1)
    blocks_y = Y.reshape(trajectories, size)
    draws = np.empty((min(num_resamples, 500), d))  # sigma is smooth: 500 draws are plenty
    for k in range(len(draws)):
        pick = rng.integers(0, trajectories, trajectories)
        si = morris_analyze.analyze(
            problem,
            blocks_x[pick].reshape(-1, X.shape[1]),
            blocks_y[pick].reshape(-1),
            num_resamples=2,
            num_levels=MORRIS_LEVELS,
            seed=int(rng.integers(2**31)),
        )
        draws[k] = si["sigma"]
    tail = (1 - conf_level) / 2 * 100
    return np.nanpercentile(draws, tail, axis=0), np.nanpercentile(draws, 100 - tail, axis=0)
