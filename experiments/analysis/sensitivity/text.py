"""The words of a sensitivity analysis: the terminal lines and ``summary.md``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from experiments.analysis.sensitivity.indices import ranking
from experiments.runner import SUMMARY_WINDOW
from experiments.wording import window
from sim import REGISTRY

if TYPE_CHECKING:
    from experiments.analysis.sensitivity.study import SensitivityResult


def text_summary(result: SensitivityResult, metrics: list[str]) -> str:
    """The three most influential parameters of each metric, one line each."""
    key = "mu_star" if result.method == "morris" else "ST"
    lines = [
        f"most influential parameters ({key}, 95% CI; noise = replication SD / SD across points):"
    ]
    for metric in metrics:
        rows = result.indices[result.indices["metric"] == metric].set_index("parameter")
        top = ", ".join(
            f"{p} {rows.loc[p, key]:.3g} [{rows.loc[p, f'{key}_low']:.3g}, "
            f"{rows.loc[p, f'{key}_high']:.3g}]"
            for p in ranking(rows.reset_index())
        )
        lines.append(f"  {metric}: {top}; noise {_share(result.noise[metric])}")
    return "\n".join(lines)


def markdown(result: SensitivityResult, metrics: list[str]) -> str:
    """summary.md: the ranking per metric, noise shares and warnings."""
    key = "mu_star" if result.method == "morris" else "ST"
    size = "trajectories" if result.method == "morris" else "base samples N"
    lines = [
        f"# Sensitivity analysis ({result.method}, {result.samples} {size})",
        "",
        "Indices are computed on each point's mean over replications of the metric's mean "
        f"over {window('en', SUMMARY_WINDOW)}; CIs are SALib's bootstrap 95% intervals "
        "(Morris sigma: bootstrap over trajectories). *Noise* is the mean replication SD "
        "relative to the SD of point means: near 1, replication noise is as large as the "
        "parameters' effects.",
        "",
    ]
    for metric in metrics:
        m = REGISTRY[metric]
        rows = result.indices[result.indices["metric"] == metric].sort_values("rank")
        lines += [f"## {m.label_en} / {m.label_zh} ({m.unit})", ""]
        lines += [f"Replication noise share: {_share(result.noise[metric])}", ""]
        for reason in result.warnings.get(metric, []):
            lines += [f"**Warning:** {reason}", ""]
        if result.method == "morris":
            lines += [
                "| rank | parameter | mu* [95% CI] | sigma [95% CI] | mu |",
                "|---|---|---|---|---|",
            ]
            for r in rows.itertuples():
                lines.append(
                    f"| {r.rank} | {r.parameter} | {r.mu_star:.3g} [{r.mu_star_low:.3g}, "
                    f"{r.mu_star_high:.3g}] | {r.sigma:.3g} [{r.sigma_low:.3g}, "
                    f"{r.sigma_high:.3g}] | {r.mu:.3g} |"
                )
        else:
            lines += ["| rank | parameter | S1 [95% CI] | ST [95% CI] |", "|---|---|---|---|"]
            for r in rows.itertuples():
                lines.append(
                    f"| {r.rank} | {r.parameter} | {r.S1:.3g} [{r.S1_low:.3g}, {r.S1_high:.3g}]"
                    f" | {r.ST:.3g} [{r.ST_low:.3g}, {r.ST_high:.3g}] |"
                )
        lines += ["", f"Ranked by {key}.", ""]
    return "\n".join(lines)


def _share(x: float) -> str:
    return f"{x:.2f}" if x == x else "n/a (one replication)"
