"""One rule for every claim a report makes, and intervals that stay inside a metric's range.

**The rule** (docs/analysis.md, "Claims"). A difference, effect or change is *claimed* only
when both hold:

1. its confidence interval excludes zero after multiplicity control over the comparisons
   made together (``holm``: Holm's step-down, which bounds the chance of any false claim at
   ``ALPHA``; ``bh``: Benjamini–Hochberg, which bounds the expected share of false claims);
2. its size is at least the metric's practical threshold (``Metric.threshold`` and
   ``Metric.relative_threshold`` in :mod:`sim.metrics`).

Otherwise the report says "no clear difference" (or "we cannot tell"), with the interval.
The interval reported beside a claim is at the confidence level the adjustment effectively
used for that comparison, ``1 - ALPHA * p / p_adjusted``: it excludes zero exactly when the
adjusted p-value is below ``ALPHA``, so the words and the numbers never disagree.

**Intervals of a mean** (:func:`mean_interval`). Replications are few (often 3 to 10), so
intervals are Student-t intervals; for a bounded metric (``Metric.bounds``) they are built on
a scale on which the bounds are infinitely far away and mapped back, so they cannot cross
them: the logit of the position in the range for metrics bounded on both sides (shares, 0-1
scales), the log of the distance from the lower bound for metrics bounded below (counts,
rates, days, costs). A mean exactly at a bound (every run equal) has a zero-width interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from experiments.wording import Words, say
from sim import REGISTRY, Metric

ALPHA = 0.05
LEVEL = 1 - ALPHA
HOLM, BH, NONE = "holm", "bh", "none"
ADJUSTMENTS = (HOLM, BH)
UNBOUNDED = (-math.inf, math.inf)

WORDS: Words = {
    HOLM: ("Holm", "Holm"),
    BH: ("Benjamini–Hochberg", "Benjamini–Hochberg"),
    NONE: ("no adjustment (a single comparison)", "无需校正（单次比较）"),
    "t": ("Student t interval", "Student t 区间"),
    "logit": (
        "Student t interval on the logit scale (stays within the range)",
        "logit 尺度上的 Student t 区间（不超出取值范围）",
    ),
    "log": (
        "Student t interval on the log scale (stays above the lower bound)",
        "对数尺度上的 Student t 区间（不低于下限）",
    ),
    "no_clear": ("no clear difference", "无明显差异"),
    "cannot_tell": ("we cannot tell", "无法判断"),
    "better": ("better", "改善"),
    "worse": ("worse", "变差"),
    "higher": ("higher", "升高"),
    "lower": ("lower", "降低"),
    "rule": (
        "A difference is called clear only when its confidence interval, adjusted for the "
        "{m} comparisons made together ({method}), excludes zero, and it is at least the "
        "metric's practical threshold (listed below); otherwise the report says there is no "
        "clear difference and gives the interval. Intervals beside the findings are at the "
        "confidence level the adjustment used for each comparison (at least {level}).",
        "只有当差异的置信区间（对同时进行的{m}项比较作{method}多重比较校正）不含零，且差异不小于"
        "该指标的实际意义阈值（见下表）时，才判定为明显差异；否则报告“无明显差异”并给出区间。"
        "结论旁的区间采用校正后各项比较实际使用的置信水平（至少{level}）。",
    ),
    "holm_means": (
        "Holm's method keeps the chance of even one false finding among them at or below {alpha}.",
        "Holm 方法使其中出现任何一项错误结论的概率不超过{alpha}。",
    ),
    "bh_means": (
        "The Benjamini–Hochberg method keeps the expected share of false findings among the "
        "clear ones at or below {alpha}.",
        "Benjamini–Hochberg 方法使明显差异中错误结论的期望比例不超过{alpha}。",
    ),
}


# -- intervals of a mean ------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A mean and its confidence interval; ``method`` is a key of ``WORDS`` ("t", "logit",
    "log"), what the report says about how it was made."""

    estimate: float
    low: float
    high: float
    method: str


def interval_method(bounds: tuple[float, float]) -> str:
    """ "logit" for a metric bounded on both sides, "log" for one bounded below, else "t"."""
    low, high = bounds
    if math.isfinite(low) and math.isfinite(high):
        return "logit"
    if math.isfinite(low):
        return "log"
    return "t"


def metric_bounds(metric: str | Metric | None) -> tuple[float, float]:
    """The registry bounds of a metric (unbounded for None)."""
    if metric is None:
        return UNBOUNDED
    m = REGISTRY[metric] if isinstance(metric, str) else metric
    return m.bounds


def mean_interval(
    values: Sequence[float] | np.ndarray,
    bounds: tuple[float, float] = UNBOUNDED,
    level: float = LEVEL,
) -> Interval:
    """Mean of ``values`` (missing values dropped) and its interval, kept within ``bounds``
    (NaN bounds for fewer than two values)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    method = interval_method(bounds)
    if v.size == 0:
        return Interval(math.nan, math.nan, math.nan, method)
    mean = float(v.mean())
    if v.size < 2:
        return Interval(mean, math.nan, math.nan, method)
    se = float(v.std(ddof=1) / math.sqrt(v.size))
    low, high = bounded_interval(np.array([mean]), np.array([se]), v.size - 1, bounds, level)
    return Interval(mean, float(low[0]), float(high[0]), method)


def bounded_interval(
    mean: np.ndarray,
    se: np.ndarray,
    df: np.ndarray | float,
    bounds: tuple[float, float] = UNBOUNDED,
    level: float = LEVEL,
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`mean_interval` from means, standard errors and degrees of freedom
    (for time-series bands: one per day)."""
    mean = np.asarray(mean, dtype=float)
    se = np.asarray(se, dtype=float)
    t = stats.t.ppf(0.5 + level / 2, np.maximum(np.asarray(df, dtype=float), 1))
    lo, hi = bounds
    method = interval_method(bounds)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "t":
            low, high = mean - t * se, mean + t * se
        elif method == "log":
            gap = np.maximum(mean - lo, 0.0)
            spread = t * se / gap
            low, high = lo + gap * np.exp(-spread), lo + gap * np.exp(spread)
        else:
            width = hi - lo
            share = np.clip((mean - lo) / width, 0.0, 1.0)
            spread = t * se / (width * share * (1 - share))
            z = np.log(share) - np.log1p(-share)
            low = lo + width * _expit(z - spread)
            high = lo + width * _expit(z + spread)
    # Every run the same, or the mean at a bound (values all at it, up to rounding):
    # nothing to spread.
    exact = (se == 0) | (mean <= lo) | (mean >= hi)
    low = np.where(exact, mean, low)
    high = np.where(exact, mean, high)
    undefined = ~np.isfinite(se) | ~np.isfinite(mean)
    return np.where(undefined, np.nan, low), np.where(undefined, np.nan, high)


def _expit(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(x / 2))  # = 1 / (1 + exp(-x)), without overflow warnings


def clip(low: float, high: float, bounds: tuple[float, float]) -> tuple[float, float]:
    """An interval cut to ``bounds`` (for estimates whose own range is known)."""
    return (min(max(low, bounds[0]), bounds[1]), max(min(high, bounds[1]), bounds[0]))


def contrast_bounds(weights: Sequence[float], bounds: tuple[float, float]) -> tuple[float, float]:
    """The range of ``sum w_i * mean_i`` when every mean lies within ``bounds``: where a
    difference, effect or fusion dividend of a bounded metric can possibly lie."""
    lo, hi = bounds
    pos = sum(w for w in weights if w > 0)
    neg = sum(w for w in weights if w < 0)
    with np.errstate(invalid="ignore"):
        low = _times(pos, lo) + _times(neg, hi)
        high = _times(pos, hi) + _times(neg, lo)
    return (low if not math.isnan(low) else -math.inf, high if not math.isnan(high) else math.inf)


def _times(w: float, x: float) -> float:
    return 0.0 if w == 0 else w * x


# -- estimates, tests and the rule --------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """An estimate with a Student-t (``df`` = inf: normal) sampling distribution.

    ``log_ratio`` estimates are log(mean / reference mean), shown as a relative change
    ``exp(x) - 1`` (never below -100%). ``bounds`` is the range the shown value can take
    (e.g. -1 to 1 for a difference of two shares); intervals are cut to it.
    """

    estimate: float
    se: float
    df: float = math.inf
    log_ratio: bool = False
    bounds: tuple[float, float] = UNBOUNDED

    def p(self) -> float:
        """Two-sided p-value of "no difference"."""
        if not (math.isfinite(self.estimate) and math.isfinite(self.se)):
            return math.nan
        if self.se == 0:
            return 0.0 if self.estimate != 0 else 1.0
        return float(2 * stats.t.sf(abs(self.estimate) / self.se, self.df))

    def p_one_sided(self, value: float, below: bool) -> float:
        """p-value of "the true value is on the wrong side of ``value``": small when the
        estimate is clearly below ``value`` (``below``) or clearly above it."""
        if not (math.isfinite(self.estimate) and math.isfinite(self.se)):
            return math.nan
        gap = (value - self.estimate) if below else (self.estimate - value)
        if self.se == 0:
            return 0.0 if gap > 0 else 1.0
        return float(stats.t.sf(gap / self.se, self.df))

    def interval(self, level: float = LEVEL) -> tuple[float, float]:
        """Two-sided interval at ``level``, on the shown scale, within ``bounds``."""
        if not (math.isfinite(self.estimate) and math.isfinite(self.se)):
            return (math.nan, math.nan)
        half = float(stats.t.ppf(0.5 + level / 2, self.df)) * self.se if self.se else 0.0
        low, high = self.estimate - half, self.estimate + half
        if self.log_ratio:
            low, high = math.expm1(low), math.expm1(high)
        return clip(low, high, self.bounds)

    def bound(self, level: float, upper: bool) -> float:
        """One-sided confidence bound at ``level`` (upper or lower), on the shown scale."""
        if not (math.isfinite(self.estimate) and math.isfinite(self.se)):
            return math.nan
        half = float(stats.t.ppf(level, self.df)) * self.se if self.se else 0.0
        x = self.estimate + half if upper else self.estimate - half
        return math.expm1(x) if self.log_ratio else x

    @property
    def shown(self) -> float:
        return math.expm1(self.estimate) if self.log_ratio else self.estimate


@dataclass(frozen=True)
class Claim:
    """What the rule says about one estimate.

    ``low``/``high`` are at ``level``, the confidence level the adjustment used for it;
    ``clear`` is the rule's verdict; ``size`` is what was held against ``threshold``.
    """

    estimate: float
    low: float
    high: float
    level: float
    p: float
    p_adjusted: float
    threshold: float
    size: float
    clear: bool
    adjustment: str
    family: int  # comparisons made together

    @property
    def excludes_zero(self) -> bool:
        return bool(self.p_adjusted < ALPHA)

    def status(self, better: str = "") -> str:
        """ "better"/"worse" (a clear change of a metric with a preferred direction),
        "higher"/"lower" (clear, no preferred direction) or "no_clear"."""
        if not self.clear:
            return "no_clear"
        up = self.estimate > 0
        if better:
            return "better" if up == (better == "higher") else "worse"
        return "higher" if up else "lower"


def adjust(p: Sequence[float] | np.ndarray, method: str = HOLM) -> np.ndarray:
    """Multiplicity-adjusted p-values (Holm step-down or Benjamini–Hochberg step-up); NaN
    p-values stay NaN and do not count as comparisons."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = ok.size
    if m == 0:
        return out
    if method == NONE or m == 1:
        out[ok] = p[ok]
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    ranked = p[order]
    if method == HOLM:
        adjusted = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * ranked))
    elif method == BH:
        adjusted = np.minimum.accumulate((m / np.arange(1, m + 1) * ranked)[::-1])[::-1]
        adjusted = np.minimum(adjusted, 1.0)
    else:
        raise ValueError(f"unknown adjustment {method!r}; one of {', '.join(ADJUSTMENTS)}")
    out[order] = adjusted
    return out


def effective_level(p: float, p_adjusted: float, family: int, alpha: float = ALPHA) -> float:
    """The confidence level at which an interval excludes zero exactly when the adjusted
    p-value is below ``alpha``: ``1 - alpha * p / p_adjusted`` (Bonferroni's ``1 - alpha /
    family`` when both are zero)."""
    if not (math.isfinite(p) and math.isfinite(p_adjusted)):
        return 1 - alpha
    if p_adjusted <= 0:
        return 1 - alpha / max(family, 1)
    return 1 - alpha * min(1.0, p / p_adjusted)


def judge(
    estimates: Sequence[Estimate],
    thresholds: Sequence[float],
    sizes: Sequence[float] | None = None,
    *,
    adjustment: str = HOLM,
    alpha: float = ALPHA,
) -> list[Claim]:
    """The rule over one family of comparisons made together.

    ``thresholds`` are the practical thresholds (``Metric.practical_threshold``); ``sizes``
    the magnitudes held against them (default: ``|estimate|`` as shown; a relative change
    passes the absolute difference of the means, in the metric's unit).
    """
    p = np.array([e.p() for e in estimates], dtype=float)
    family = int(np.isfinite(p).sum())
    p_adj = adjust(p, adjustment if family > 1 else NONE)
    used = adjustment if family > 1 else NONE
    claims = []
    for i, e in enumerate(estimates):
        level = effective_level(p[i], p_adj[i], family, alpha)
        low, high = e.interval(level)
        size = abs(sizes[i]) if sizes is not None else abs(e.shown)
        clear = bool(p_adj[i] < alpha) and math.isfinite(size) and size >= thresholds[i]
        claims.append(
            Claim(
                estimate=float(e.shown),
                low=float(low),
                high=float(high),
                level=float(level),
                p=float(p[i]),
                p_adjusted=float(p_adj[i]),
                threshold=float(thresholds[i]),
                size=float(size),
                clear=clear,
                adjustment=used,
                family=family,
            )
        )
    return claims


def welch(values: np.ndarray, reference: np.ndarray, bounds=UNBOUNDED) -> Estimate:
    """``mean(values) - mean(reference)`` with Welch's standard error and degrees of
    freedom; the shown difference stays within what a metric in ``bounds`` allows."""
    a, b = np.asarray(reference, float), np.asarray(values, float)
    diff_bounds = contrast_bounds((1.0, -1.0), bounds)
    if a.size < 2 or b.size < 2:
        return Estimate(math.nan, math.nan, bounds=diff_bounds)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    diff = float(b.mean() - a.mean())
    return Estimate(diff, math.sqrt(va + vb), _df(va, vb, a.size, b.size), bounds=diff_bounds)


def log_ratio(values: np.ndarray, reference: np.ndarray) -> Estimate:
    """log(mean(values) / mean(reference)) by the delta method with Welch-Satterthwaite
    degrees of freedom: a relative change that cannot fall below -100%."""
    a, b = np.asarray(reference, float), np.asarray(values, float)
    if a.size < 2 or b.size < 2 or not (a.mean() > 0 and b.mean() > 0):
        return Estimate(math.nan, math.nan, log_ratio=True)
    ua = a.var(ddof=1) / a.size / a.mean() ** 2
    ub = b.var(ddof=1) / b.size / b.mean() ** 2
    return Estimate(
        float(math.log(b.mean() / a.mean())),
        math.sqrt(ua + ub),
        _df(ua, ub, a.size, b.size),
        log_ratio=True,
        bounds=(-1.0, math.inf),
    )


def _df(va: float, vb: float, na: int, nb: int) -> float:
    if va + vb == 0:
        return math.inf
    return (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))


def relative_is_meaningful(reference: np.ndarray, metric: str | Metric) -> bool:
    """Report a relative change only for a metric measured from zero (bounded below by 0,
    not above: counts, rates, days) whose reference is well away from zero: its 95%
    interval lies above half its mean."""
    m = REGISTRY[metric] if isinstance(metric, str) else metric
    if m.bounds != (0.0, math.inf):
        return False
    ref = mean_interval(reference, m.bounds)
    return bool(ref.estimate > 0 and np.isfinite(ref.low) and ref.low >= ref.estimate / 2)


def rule_text(lang: str, m: int, adjustment: str = HOLM) -> str:
    """The rule in words, for a report's method section."""
    used = adjustment if m > 1 else NONE
    text = say(WORDS, "rule", lang, m=m, method=say(WORDS, used, lang), level=f"{LEVEL:.0%}")
    if used == HOLM:
        text += (" " if lang == "en" else "") + say(WORDS, "holm_means", lang, alpha=f"{ALPHA:.0%}")
    elif used == BH:
        text += (" " if lang == "en" else "") + say(WORDS, "bh_means", lang, alpha=f"{ALPHA:.0%}")
    return text
