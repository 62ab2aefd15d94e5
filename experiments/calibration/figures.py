"""Calibration figures: the fit per target, and how the search closed in on each parameter."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.calibration.targets import TargetFile
from experiments.plotting import panels
from experiments.wording import Words, number, parameter_label, say
from sim import REGISTRY

WORDS: Words = {
    "within": ("within tolerance", "在容差范围内"),
    "model": ("model mean, 95% CI", "模型均值及95%置信区间"),
    "target": (
        "target {value} ± {tolerance}, model {model}",
        "目标 {value} ± {tolerance}，模型 {model}",
    ),
    "scaled": ("(model - target) / tolerance", "（模型 − 目标）/ 容差"),
    "title": ("Calibration fit: model vs target", "校准拟合：模型与目标"),
    "round": ("round {r}", "第{r}轮"),
    "misfit": ("misfit (RMS, tolerances)", "失拟度（均方根，以容差计）"),
}


def fit_figure(fit: pd.DataFrame, lang: str = "en") -> Figure:
    """Each target's tolerance band (shaded) and the model's mean with its 95% CI, on the
    scale of the tolerance, so every target reads the same way: inside the band fits."""
    n = len(fit)
    fig = Figure(figsize=(7.5, 0.6 * n + 1.4))
    ax = fig.subplots()
    y = np.arange(n)[::-1]
    scale = fit["tolerance"].to_numpy()
    centre = (fit["model_mean"] - fit["value"]).to_numpy() / scale
    low = (fit["ci_low"] - fit["value"]).to_numpy() / scale
    high = (fit["ci_high"] - fit["value"]).to_numpy() / scale
    ax.axvspan(-1, 1, color="tab:green", alpha=0.15, label=say(WORDS, "within", lang))
    ax.axvline(0, color="tab:green", lw=1)
    colours = np.where(fit["within_tolerance"], "tab:blue", "tab:red")
    ax.errorbar(centre, y, xerr=[centre - low, high - centre], fmt="none", ecolor=colours, lw=2)
    ax.scatter(centre, y, c=colours, zorder=3, label=say(WORDS, "model", lang))
    labels = [
        f"{REGISTRY[r.metric].label(lang)}\n"
        + say(
            WORDS,
            "target",
            lang,
            value=f"{r.value:g}",
            tolerance=f"{r.tolerance:g}",
            model=number(r.model_mean),
        )
        for r in fit.itertuples()
    ]
    ax.set_yticks(y, labels, fontsize=8)
    lim = max(1.5, float(np.nanmax(np.abs(np.r_[low, high]))) * 1.1)
    ax.set_xlim(-lim, lim)
    ax.set_xlabel(say(WORDS, "scaled", lang))
    ax.set_title(say(WORDS, "title", lang), fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def search_figure(samples: pd.DataFrame, targets: TargetFile, lang: str = "en") -> Figure:
    """Misfit of every searched point against each free parameter, coloured by round; the
    fitted value is marked. A clear valley means the targets identify the parameter."""
    fig, axes = panels(len(targets.parameters), height=3.0)
    rounds = sorted(samples["round"].unique())
    cmap = matplotlib.colormaps["viridis"].resampled(max(2, len(rounds)))
    for ax, p in zip(axes, targets.parameters, strict=True):
        for i, r in enumerate(rounds):
            part = samples[samples["round"] == r]
            label = say(WORDS, "round", lang, r=r)
            ax.scatter(part[p.key], part["distance"], s=10, color=cmap(i), label=label)
        ax.axhline(1, color="grey", ls=":", lw=1)
        ax.set_xlim(p.low, p.high)
        ax.set_yscale("log")
        ax.set_title(parameter_label(p.key, lang), fontsize=9)
        ax.set_ylabel(say(WORDS, "misfit", lang), fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    return fig
