"""The fusion experiment: the three governance modes off/on (2x2x2) crossed with
coordination levels, run as a sweep; effects and the fusion dividend per metric."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from scipy import stats

from .analysis_runs import column, ok_runs
from .errors import ScenarioError
from .factorial import MODES, cell_stats, dividend_differences, effects
from .scenario import Scenario
from .sweep_design import Design
from .sweep_run import design_of

COORDINATION = "fusion.coordination"
LEVELS = ("off", "on")


@dataclass
class FusionResult:
    effects: pd.DataFrame  # metric, coordination, effect, kind, estimate, se, df, ci_low, ci_high
    cells: pd.DataFrame  # metric, coordination, the three modes (off/on), mean, sd, n, CI
    differences: pd.DataFrame  # metric, from, to: dividend(to) - dividend(from) with CI
    coordination: list[float]  # levels, lowest ("silos") first


def check_fusion_design(scenario: Scenario) -> Design:
    """The scenario's sweep, checked to be the three off/on levers x coordination levels."""
    design = design_of(scenario)
    source = design.source or str(scenario.path)
    guide = (
        "a fusion analysis needs a grid over the levers self_governance, rule_of_law and "
        "moral, each with levels 'off' and 'on' ([sweep.levels.<mode>.off] / .on), and "
        f'"{COORDINATION}" over at least two values (see scenarios/sweeps/levers.toml)'
    )
    if design.kind != "grid":
        raise ScenarioError(source, "sweep.design", f"got {design.kind!r}; {guide}")
    factors = {f.name: f for f in design.factors}
    missing = [m for m in MODES if m not in factors or factors[m].levels is None]
    if missing:
        raise ScenarioError(source, "sweep.levels", f"missing {', '.join(missing)}; {guide}")
    for mode in MODES:
        if set(factors[mode].values) != set(LEVELS):
            raise ScenarioError(
                source,
                f"sweep.levels.{mode}",
                f"has levels {list(factors[mode].values)}; {guide}",
            )
    coordination = factors.get(COORDINATION)
    if coordination is None or coordination.continuous or len(coordination.values) < 2:
        raise ScenarioError(source, f"sweep.parameters.{COORDINATION}", f"missing; {guide}")
    extra = sorted(set(factors) - {*MODES, COORDINATION})
    if extra:
        raise ScenarioError(
            source,
            "sweep",
            f"also sweeps {', '.join(extra)}, which would mix into the cells; {guide}",
        )
    return design


def analyse_fusion(summary: pd.DataFrame, metrics: Sequence[str]) -> FusionResult:
    """Effects (with 95% CIs) of every metric at every coordination level."""
    runs = ok_runs(summary)
    parts, cells, diffs = [], [], []
    for metric in metrics:
        y = column(metric)
        table = effects(runs, y, MODES, by=COORDINATION)
        parts.append(table.assign(metric=metric))
        cell = cell_stats(runs, y, MODES, by=COORDINATION)
        half = stats.t.ppf(0.975, (cell["n"] - 1).clip(lower=1)) * cell["sd"] / cell["n"] ** 0.5
        cell = cell.assign(ci_low=cell["mean"] - half, ci_high=cell["mean"] + half)
        for mode in MODES:
            cell[mode] = cell[mode].map({0: "off", 1: "on"})
        cells.append(cell.assign(metric=metric))
        diffs.append(dividend_differences(runs, y, COORDINATION, MODES).assign(metric=metric))
    levels = sorted(float(x) for x in runs[COORDINATION].unique())
    return FusionResult(
        _front(pd.concat(parts, ignore_index=True)),
        _front(pd.concat(cells, ignore_index=True)),
        _front(pd.concat(diffs, ignore_index=True)),
        levels,
    )


def level_label(level: float, levels: Sequence[float], lang: str = "en") -> str:
    """Siloed departments at the lowest coordination, fused at the highest (with the value)."""
    value = f"{COORDINATION} = {level:g}"
    if level == min(levels):
        return f"部门各自为政（{value}）" if lang == "zh" else f"siloed departments ({value})"
    if level == max(levels):
        return f"融合协同（{value}）" if lang == "zh" else f"fused coordination ({value})"
    return value


def _front(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["metric", *[c for c in frame.columns if c != "metric"]]]
