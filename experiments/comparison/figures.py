"""Comparison figures: time series with 95% bands, end-of-run values with
95% CIs, and each key metric against a swept parameter. Each returns a Figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, ScalarFormatter
from scipy import stats

from experiments.comparison.inputs import Group, SweepInput
from experiments.plotting import COLS, panels
from experiments.runner import SUMMARY_WINDOW, window_column
from experiments.wording import Words, say, window
from sim import KEY_METRICS, REGISTRY

WORDS: Words = {
    "day": ("day", "天"),
    "band": ("mean and 95% CI across replications", "各次重复的均值及95%置信区间"),
}


def _title(ax, name: str, lang: str) -> None:
    metric = REGISTRY[name]
    ax.set_title(f"{metric.label(lang)}\n({metric.unit})", fontsize=9)
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
            ax.plot(band["day"], band["mean"], color=colour, lw=1.2, label=group.label)
            ax.fill_between(band["day"], band["low"], band["high"], color=colour, alpha=0.2, lw=0)
        _title(ax, name, lang)
        ax.set_xlabel(say(WORDS, "day", lang), fontsize=8)
    _legend(fig, axes[0], len(groups))
    fig.suptitle(say(WORDS, "band", lang), fontsize=10)
    fig.tight_layout(rect=(0, 0.04 + 0.02 * min(len(groups), 8) / 2, 1, 0.97))
    return fig


def day_band(series: pd.DataFrame, name: str) -> pd.DataFrame:
    """Per day: mean across replications and its Student-t 95% interval."""
    by_day = series.groupby("day")[name]
    out = by_day.agg(["mean", "sem", "count"]).reset_index()
    t = stats.t.ppf(0.975, np.maximum(out["count"] - 1, 1))
    half = np.where(out["count"] > 1, t * out["sem"], np.nan)
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    return out


def final_values(table: pd.DataFrame, labels: list[str], lang: str) -> Figure:
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
        ax.set_yticks(y, labels if ax in axes[::COLS] else [""] * len(labels), fontsize=7)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        _title(ax, name, lang)
    fig.suptitle(
        f"{window(lang, SUMMARY_WINDOW, 'window_mean')}, {say(WORDS, 'band', lang)}", fontsize=10
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
            xs = x if pd.api.types.is_numeric_dtype(x) and x.dtype != bool else x.astype(str)
            label = f"{hue.rsplit('.', 1)[-1]}={key}" if hue else None
            ax.plot(xs, stats_["mean"], "o-", ms=3, color=f"C{i}", label=label)
            ax.fill_between(xs, stats_["low"], stats_["high"], color=f"C{i}", alpha=0.2, lw=0)
        _title(ax, name, lang)
        ax.set_xlabel(factor, fontsize=8)
    if hue:
        _legend(fig, axes[0], sweep.summary[hue].nunique())
        fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    else:
        fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.suptitle(
        f"{sweep.name}: {window(lang, SUMMARY_WINDOW, 'window_mean')}, {say(WORDS, 'band', lang)}",
        fontsize=10,
    )
    return fig


def _by_value(frame: pd.DataFrame, factor: str, col: str) -> pd.DataFrame:
    def ci(values: pd.Series) -> pd.Series:
        v = values.dropna().to_numpy(float)
        mean = v.mean() if v.size else np.nan
        if v.size < 2:
            return pd.Series({"mean": mean, "low": np.nan, "high": np.nan})
        low, high = stats.t.interval(0.95, v.size - 1, loc=mean, scale=stats.sem(v))
        return pd.Series({"mean": mean, "low": low, "high": high})

    return frame.groupby(factor)[col].apply(ci).unstack().reset_index()


def _legend(fig: Figure, ax, n: int) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="lower center", ncol=min(n, 3), fontsize=8, frameon=False)
