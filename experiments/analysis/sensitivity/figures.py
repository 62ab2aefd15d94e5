"""Figure of a sensitivity analysis: each parameter's indices with their 95% CIs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.wording import parameter_label
from sim import REGISTRY


def sensitivity(indices: pd.DataFrame, method: str, metric: str, lang: str = "en") -> Figure:
    """Bars of the indices of one metric with CI whiskers: mu* and sigma (Morris) or S1 and
    ST (Sobol'), most influential at the top."""
    m = REGISTRY[metric]
    order = indices.sort_values("rank", ascending=False)
    names = [parameter_label(p, lang) for p in order["parameter"]]
    y = np.arange(len(names))
    pairs = (
        (("mu_star", "mu*"), ("sigma", "σ")) if method == "morris" else (("S1", "S1"), ("ST", "ST"))
    )
    fig = Figure(figsize=(10, 0.45 * len(names) + 1.6))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, (col, title) in zip(axes, pairs, strict=True):
        value = order[col].to_numpy(float)
        err = np.vstack([value - order[f"{col}_low"], order[f"{col}_high"] - value])
        ax.barh(
            y, value, xerr=np.clip(np.nan_to_num(err), 0, None), color="C0", alpha=0.8, capsize=3
        )
        ax.set_title(title, fontsize=10)
        ax.grid(axis="x", alpha=0.3)
        ax.axvline(0, color="black", lw=0.6)
    axes[0].set_yticks(y, names, fontsize=8)
    fig.suptitle(f"{m.label(lang)} ({m.unit_in(lang)}) — {method.capitalize()}", fontsize=10)
    fig.tight_layout()
    return fig
