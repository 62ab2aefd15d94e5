"""Comparison figures: time series with 95% bands, end-of-run values with 95% CIs, and each
key metric against a swept parameter. Each returns a Figure. Bands and intervals are those of
:func:`experiments.claims.mean_interval`, so they stay inside each metric's range."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from experiments.claims import bounded_interval, mean_interval
from experiments.columns import SUMMARY_WINDOW, metric_of, window_column
from experiments.comparison.inputs import Group, SweepInput
from experiments.plotting import COLS, panels
from experiments.wording import Words, parameter_label, say, scenario_label, value_label, window
from sim import KEY_METRICS, REGISTRY

WORDS: Words = {
    "day": ("day", "天"),
    "band": ("mean and 95% CI across replications", "各次重复的均值及95%置信区间"),
}


def _title(ax, name: str, lang: str) -> None:
    metric = REGISTRY[name]
    ax.set_title(f"{metric.label(lang)}\n({metric.unit_in(lang)})", fontsize=9)
    ax.tick_params(labelsize=8)
    if isinstance(ax.xaxis.get_major_formatter(), ScalarFormatter):  # not for categories
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.xaxis.get_major_formatter().set_useOffset(False)
    ax.grid(alpha=0.3)


def timeseries(groups: list[Group], lang: str) -> Figure:
    """Key metrics by day: mean across replications with a 95% band, one line per group."""
    fig, axes = panels(len(KEY_METRICS))
    for ax, name in zip(axes, KEY_METRICS, strict=True):
        for i, group in enumerate(groups):
            band = day_band(group.timeseries, name)
            colour = f"C{i % 10}"
            ax.plot(band["day"], band["mean"], color=colour, lw=1.2, label=group.title(lang))
            ax.fill_between(band["day"], band["low"], band["high"], color=colour, alpha=0.2, lw=0)
        _title(ax, name, lang)
        ax.set_xlabel(say(WORDS, "day", lang), fontsize=8)
    _legend(fig, axes[0], len(groups))
    fig.suptitle(say(WORDS, "band", lang), fontsize=10)
    fig.tight_layout(rect=(0, 0.04 + 0.02 * min(len(groups), 8) / 2, 1, 0.97))
    return fig


def day_band(series: pd.DataFrame, name: str) -> pd.DataFrame:
    """Per day: mean across replications and its 95% interval within the metric's range."""
    by_day = series.groupby("day")[name]
    out = by_day.agg(["mean", "sem", "count"]).reset_index()
    se = np.where(out["count"] > 1, out["sem"], np.nan)
    bounds = REGISTRY[name].bounds
    out["low"], out["high"] = bounded_interval(out["mean"], se, out["count"] - 1, bounds)
    return out


def final_values(
    table: pd.DataFrame, labels: list[str], lang: str, titles: list[str] | None = None
) -> Figure:
    """Each key metric's window mean (``window_column``) with 95% CI, one marker per group."""
    fig, axes = panels(len(KEY_METRICS), height=1.3 + 0.3 * len(labels))
    y = np.arange(len(labels))
    colours = (
        [f"C{i % 10}" for i in range(len(labels))] if len(labels) <= 10 else ["C0"] * len(labels)
    )
    for ax, name in zip(axes, KEY_METRICS, strict=True):
        rows = table[table["metric"] == name].set_index("group").loc[labels]
        err = np.vstack([rows["mean"] - rows["ci95_low"], rows["ci95_high"] - rows["mean"]])
        err = np.nan_to_num(err)
        for i in range(len(labels)):
            ax.errorbar(rows["mean"].iloc[i], y[i], xerr=err[:, i : i + 1], fmt="o", ms=4,
                        capsize=3, color=colours[i])  # fmt: skip
        shown = titles or labels
        ax.set_yticks(y, shown if ax in axes[::COLS] else [""] * len(labels), fontsize=7)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        _title(ax, name, lang)
    comma = "，" if lang == "zh" else ", "
    fig.suptitle(
        f"{window(lang, SUMMARY_WINDOW, 'window_mean')}{comma}{say(WORDS, 'band', lang)}",
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return fig


def against(sweep: SweepInput, factor: str, lang: str) -> Figure:
    """Each key metric against one swept factor: mean and 95% CI of the runs at each value
    (pooled over the other factors); one line per value of a second factor when there are
    exactly two."""
    others = [f for f in sweep.factors if f != factor]
    hue = others[0] if len(others) == 1 and sweep.summary[others[0]].nunique() <= 6 else None
    fig, axes = panels(len(KEY_METRICS))
    for ax, name in zip(axes, KEY_METRICS, strict=True):
        for i, (key, part) in enumerate(
            sweep.summary.groupby(hue) if hue else [(None, sweep.summary)]
        ):
            stats_ = _by_value(part, factor, window_column(name))
            x = stats_[factor]
            numeric = pd.api.types.is_numeric_dtype(x) and x.dtype != bool
            xs = x if numeric else [value_label(v, lang) for v in x]
            label = f"{parameter_label(hue, lang)} = {value_label(key, lang)}" if hue else None
            ax.plot(xs, stats_["mean"], "o-", ms=3, color=f"C{i}", label=label)
            ax.fill_between(xs, stats_["low"], stats_["high"], color=f"C{i}", alpha=0.2, lw=0)
        _title(ax, name, lang)
        ax.set_xlabel(parameter_label(factor, lang), fontsize=8)
    if hue:
        _legend(fig, axes[0], sweep.summary[hue].nunique())
        fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    else:
        fig.tight_layout(rect=(0, 0, 1, 0.97))
    name = scenario_label(sweep.name, lang)
    sep, comma = ("：", "，") if lang == "zh" else (": ", ", ")
    mean = window(lang, SUMMARY_WINDOW, "window_mean")
    fig.suptitle(f"{name}{sep}{mean}{comma}{say(WORDS, 'band', lang)}", fontsize=10)
    return fig


def _by_value(frame: pd.DataFrame, factor: str, col: str) -> pd.DataFrame:
    bounds = REGISTRY[metric_of(col)].bounds

    def ci(values: pd.Series) -> pd.Series:
        interval = mean_interval(values.to_numpy(float), bounds)
        return pd.Series({"mean": interval.estimate, "low": interval.low, "high": interval.high})

    return frame.groupby(factor)[col].apply(ci).unstack().reset_index()


def _legend(fig: Figure, ax, n: int) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="lower center", ncol=min(n, 3), fontsize=8, frameon=False)
