"""The fusion experiment: the three governance modes off/on (2x2x2) crossed with
coordination levels, run as a sweep; effects, the fusion dividend and the relative dividend
per metric. With ``[sweep.practices]`` (:mod:`.practices`) every subset of practices the
decomposition needs runs the same design: the effects are the full model's (every practice
on), and the dividend is split among the practices (:mod:`.attribution`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Unpack

import pandas as pd

from experiments.analysis.common import ok_runs, parse_metrics, run_design, write_manifest
from experiments.analysis.fusion.attribution import NONE, attribution, subset_dividends
from experiments.analysis.fusion.factorial import (
    COORDINATION,
    DIVIDEND,
    MODES,
    cell_stats,
    contrasts,
    dividend_differences,
    effects,
    relative_dividends,
)
from experiments.analysis.fusion.practices import TABLE, Practices, expanded
from experiments.analysis.fusion.text import summary
from experiments.claims import HOLM, Claim, Estimate, contrast_bounds, judge, mean_interval
from experiments.columns import SUMMARY_WINDOW, window_column
from experiments.errors import InputError
from experiments.plotting import figure_language, save_figure
from experiments.scenario import Scenario
from experiments.store import now, write_csv, write_text
from experiments.sweeps.design import Design, design_of, expand
from experiments.sweeps.job import RunOptions, SweepOutcome, runs_line
from experiments.wording import LANGS
from sim import REGISTRY

LEVELS = ("off", "on")


@dataclass
class FusionResult:
    effects: pd.DataFrame  # metric, coordination, effect, kind, estimate, se, df, ci_low, ci_high
    cells: pd.DataFrame  # metric, coordination, the three modes (off/on), mean, sd, n, CI
    differences: pd.DataFrame  # metric, from, to: dividend(to) - dividend(from) with CI
    coordination: list[float]  # levels, lowest ("silos") first
    metrics: list[str] = field(default_factory=list)  # analysed, in this order
    # The rule for claims over the dividends and their changes with coordination (one
    # family, Holm): metric, kind ("dividend"/"change"), level or from/to, the adjusted
    # interval, p-values, threshold and verdict. Built by :func:`judge_dividends`.
    claims: pd.DataFrame = field(default_factory=pd.DataFrame)
    # metric, coordination, estimate, se, df, ci_low, ci_high, defined: D / |separate sum|
    relative: pd.DataFrame = field(default_factory=pd.DataFrame)
    # With practices: their decomposition (metric, coordination, effect, kind, estimate,
    # CI and the rule's verdict; Holm over the contributions), the dividend of every subset
    # run (metric, coordination, practices, estimate, CI, relative_*), and how.
    practices: pd.DataFrame = field(default_factory=pd.DataFrame)
    subsets: pd.DataFrame = field(default_factory=pd.DataFrame)
    estimator: str = ""
    practice_keys: dict[str, list[str]] = field(default_factory=dict)  # practice -> switches


def parse_design(scenario: Scenario, practices: Practices | None = None) -> Design:
    """The scenario's sweep, checked to be the three off/on levers x coordination levels
    (x the practices' subsets, when ``practices`` expanded it)."""
    design = design_of(scenario)
    source = design.source or str(scenario.path)
    guide = (
        "a fusion analysis needs a grid over the levers self_governance, rule_of_law and "
        "moral, each with levels 'off' and 'on' ([sweep.levels.<mode>.off] / .on), and "
        f'"{COORDINATION}" over at least two values (see scenarios/sweeps/levers.toml)'
    )
    if design.method != "grid":
        raise InputError(source, "sweep.design", f"got {design.method!r}; {guide}")
    factors = {f.name: f for f in design.factors}
    missing = [m for m in MODES if m not in factors or factors[m].levels is None]
    if missing:
        raise InputError(source, "sweep.levels", f"missing {', '.join(missing)}; {guide}")
    for mode in MODES:
        if set(factors[mode].values) != set(LEVELS):
            raise InputError(
                source,
                f"sweep.levels.{mode}",
                f"has levels {list(factors[mode].values)}; {guide}",
            )
    coordination = factors.get(COORDINATION)
    if coordination is None or coordination.continuous or len(coordination.values) < 2:
        raise InputError(source, f"sweep.parameters.{COORDINATION}", f"missing; {guide}")
    extra = sorted(set(factors) - {*MODES, COORDINATION, *([TABLE] if practices else [])})
    if extra:
        raise InputError(
            source,
            "sweep",
            f"also sweeps {', '.join(extra)}, which would mix into the cells; {guide}",
        )
    return design


def analyse_fusion(
    summary: pd.DataFrame, metrics: Sequence[str], *, adjustment: str = HOLM
) -> FusionResult:
    """Effects (with 95% CIs) of every metric at every coordination level, and the rule's
    verdict on each dividend and its change with coordination."""
    runs = ok_runs(summary)
    parts, cells, diffs, relative = [], [], [], []
    for metric in metrics:
        y = window_column(metric)
        bounds = REGISTRY[metric].bounds
        table = effects(runs, y, MODES, by=COORDINATION)
        parts.append(_within_range(table, bounds).assign(metric=metric))
        cell = cell_stats(runs, y, MODES, by=COORDINATION)
        cell = cell.assign(**_cell_intervals(runs, y, cell, bounds))
        for mode in MODES:
            cell[mode] = cell[mode].map({0: "off", 1: "on"})
        cells.append(cell.assign(metric=metric))
        diffs.append(dividend_differences(runs, y, COORDINATION, MODES).assign(metric=metric))
        relative.append(relative_dividends(runs, y, MODES, by=COORDINATION).assign(metric=metric))
    levels = sorted(float(x) for x in runs[COORDINATION].unique())
    result = FusionResult(
        _front(pd.concat(parts, ignore_index=True)),
        _front(pd.concat(cells, ignore_index=True)),
        _front(pd.concat(diffs, ignore_index=True)),
        levels,
        list(metrics),
        relative=_front(pd.concat(relative, ignore_index=True)),
    )
    result.claims = judge_dividends(result, adjustment=adjustment)
    return result


def analyse_practices(
    summary: pd.DataFrame,
    metrics: Sequence[str],
    practices: Practices,
    *,
    adjustment: str = HOLM,
) -> FusionResult:
    """The full model's analysis (:func:`analyse_fusion` of the runs with every practice
    on) with the decomposition of its dividend by practice at every coordination level."""
    runs = ok_runs(summary)
    result = analyse_fusion(runs[runs[TABLE] == practices.full], metrics, adjustment=adjustment)
    names, estimator = practices.names, practices.estimator
    parts, subsets = [], []
    for metric in metrics:
        y = window_column(metric)
        for level in result.coordination:
            at = runs[runs[COORDINATION] == level]
            table = attribution(at, y, names, estimator, TABLE)
            parts.append(table.assign(metric=metric, **{COORDINATION: level}))
            d = subset_dividends(at, y, TABLE)
            rel = pd.DataFrame(
                [relative_dividends(at[at[TABLE] == s], y).iloc[0].to_dict() for s in d[TABLE]]
            ).add_prefix("relative_")
            subsets.append(
                pd.concat([d, rel], axis=1).assign(metric=metric, **{COORDINATION: level})
            )
    result.practices = _judged(_front(pd.concat(parts, ignore_index=True)), runs, adjustment)
    result.subsets = _front(pd.concat(subsets, ignore_index=True))
    result.estimator = estimator
    result.practice_keys = {name: list(keys) for name, keys in practices.switches.items()}
    return result


CLAIMED = ("shapley", "leave_one_out", "add_one", "total")  # the decomposition's claims


def _judged(table: pd.DataFrame, runs: pd.DataFrame, adjustment: str) -> pd.DataFrame:
    """The rule over the practices' contributions and their totals (metric x coordination
    x contribution) as one family, against each metric's practical threshold (relative
    ones against the all-off cell of the model without practices)."""
    rows = table.to_dict("records")
    chosen = [i for i, r in enumerate(rows) if r["kind"] in CLAIMED]
    estimates, thresholds = [], []
    for i in chosen:
        r = rows[i]
        estimates.append(Estimate(r["estimate"], r["se"], r["df"]))
        y = window_column(r["metric"])
        off = runs[(runs[TABLE] == NONE) & (runs[COORDINATION] == r[COORDINATION])]
        off = off[(off[list(MODES)] == "off").all(axis=1)][y]
        reference = float(off.mean()) if len(off) else float("nan")
        thresholds.append(REGISTRY[r["metric"]].practical_threshold(reference))
    claims = judge(estimates, thresholds, adjustment=adjustment)
    for i, claim in zip(chosen, claims, strict=True):
        rows[i] |= _verdict(claim, REGISTRY[rows[i]["metric"]].better)
    return pd.DataFrame(rows)


def _verdict(claim: Claim, better: str) -> dict:
    """The columns a claim adds to its row."""
    return {
        "low": claim.low,
        "high": claim.high,
        "level_used": claim.level,
        "p": claim.p,
        "p_adjusted": claim.p_adjusted,
        "adjustment": claim.adjustment,
        "comparisons": claim.family,
        "threshold": claim.threshold,
        "clear": claim.clear,
        "status": claim.status(better),
    }


def _within_range(table: pd.DataFrame, bounds: tuple[float, float]) -> pd.DataFrame:
    """Effect intervals cut to where each contrast of a bounded metric can lie."""
    weights = contrasts()
    lows, highs = [], []
    for row in table.itertuples():
        low, high = contrast_bounds(list(weights[row.effect][1].values()), bounds)
        lows.append(min(max(row.ci_low, low), high))
        highs.append(max(min(row.ci_high, high), low))
    return table.assign(ci_low=lows, ci_high=highs)


def _cell_intervals(
    runs: pd.DataFrame, y: str, cells: pd.DataFrame, bounds: tuple[float, float]
) -> dict[str, list[float]]:
    """Each cell mean's 95% interval within the metric's range (``claims.mean_interval``)."""
    coded = runs.assign(**{m: (runs[m] == "on").astype(int) for m in MODES})
    groups = coded.groupby([COORDINATION, *MODES])[y]
    lows, highs, methods = [], [], []
    for row in cells.itertuples(index=False):
        values = groups.get_group(tuple(row[:4])).to_numpy(float)  # coordination, modes
        interval = mean_interval(values, bounds)
        lows.append(interval.low)
        highs.append(interval.high)
        methods.append(interval.method)
    return {"ci_low": lows, "ci_high": highs, "interval": methods}


def judge_dividends(result: FusionResult, *, adjustment: str = HOLM) -> pd.DataFrame:
    """The rule over every dividend (metric x coordination level) and every change of the
    dividend with coordination, as one family: what the summaries and the terminal say."""
    rows, estimates, thresholds = [], [], []
    weights = list(contrasts()[DIVIDEND][1].values())
    for metric in result.metrics:
        m = REGISTRY[metric]
        bounds = contrast_bounds(weights, m.bounds)
        effects_ = result.effects[result.effects["metric"] == metric]
        for level in result.coordination:
            at = effects_[effects_[COORDINATION] == level].set_index("effect")
            d = at.loc[DIVIDEND]
            rows.append({"metric": metric, "kind": "dividend", "level": level})
            estimates.append(Estimate(d["estimate"], d["se"], d["df"], bounds=bounds))
            thresholds.append(m.practical_threshold(_all_off(result, metric, level)))
        diffs = result.differences
        diffs = diffs[diffs["metric"] == metric] if len(diffs) else diffs
        for d in diffs.to_dict("records"):
            rows.append({"metric": metric, "kind": "change", "from": d["from"], "to": d["to"]})
            wide = (2 * bounds[0] - 2 * bounds[1], 2 * bounds[1] - 2 * bounds[0])
            estimates.append(Estimate(d["estimate"], d["se"], d["df"], bounds=wide))
            thresholds.append(m.practical_threshold(_all_off(result, metric, d["from"])))
    claims = judge(estimates, thresholds, adjustment=adjustment)
    for row, claim in zip(rows, claims, strict=True):
        row |= {"estimate": claim.estimate} | _verdict(claim, REGISTRY[row["metric"]].better)
    return pd.DataFrame(rows)


def _all_off(result: FusionResult, metric: str, level: float) -> float:
    """The mean with all three modes off: the reference of a relative threshold."""
    cells = result.cells
    if cells.empty:
        return float("nan")
    at = cells[(cells["metric"] == metric) & (cells[COORDINATION] == level)]
    off = at[(at[list(MODES)] == "off").all(axis=1)]
    return float(off["mean"].iloc[0]) if len(off) else float("nan")


def _front(frame: pd.DataFrame) -> pd.DataFrame:
    """Metric first (and coordination second where it is not already early)."""
    first = ["metric", *([COORDINATION] if COORDINATION in frame.columns else [])]
    return frame[[*first, *[c for c in frame.columns if c not in first]]]


OUTPUTS = (
    "effects.csv",
    "cells.csv",
    "dividend_by_coordination.csv",
    "relative_dividend.csv",
    "summary_en.md",
    "summary_zh.md",
    "interaction.png",
    "effects.png",
    "manifest.json",
)
PRACTICE_OUTPUTS = ("practices.csv", "dividend_by_practices.csv", "practices.png")


def run(
    scenario: Scenario,
    out: str | Path,
    *,
    metrics: Sequence[str] | None = None,
    lang: str = "en",
    **options: Unpack[RunOptions],
) -> tuple[FusionResult | None, SweepOutcome]:
    """Run the fusion factorial into ``out/runs`` and write its results into ``out``
    (``OUTPUTS``, and ``PRACTICE_OUTPUTS`` when the scenario names practices; figures
    labelled in ``lang``). The result is None when bundles did not run
    (``outcome.errors``: resume to finish)."""
    from experiments.analysis.fusion import figures  # matplotlib only when figures are made

    started, clock = now(), time.perf_counter()
    metrics = parse_metrics(metrics)
    scenario, practices = expanded(scenario)
    design = parse_design(scenario, practices)
    points = len(expand(design, scenario.params.scenario.seed))
    if options.get("progress"):
        subsets = f" x {len(practices.subsets())} subsets of practices" if practices else ""
        print(
            f"fusion {scenario.name}: 2x2x2 modes x {COORDINATION}{subsets}; "
            + runs_line(scenario, points)
        )
    outcome = run_design(scenario, out, "fusion", **options)
    if outcome.errors:
        return None, outcome
    if practices is None:
        result = analyse_fusion(outcome.summary, metrics)
    else:
        result = analyse_practices(outcome.summary, metrics, practices)
    out = Path(out)
    write_csv(result.effects, out / "effects.csv")
    write_csv(result.cells, out / "cells.csv")
    write_csv(result.differences, out / "dividend_by_coordination.csv")
    write_csv(result.relative, out / "relative_dividend.csv")
    files = list(OUTPUTS)
    if practices is not None:
        write_csv(result.practices, out / "practices.csv")
        write_csv(result.subsets, out / "dividend_by_practices.csv")
        files[-1:-1] = PRACTICE_OUTPUTS
    for language in LANGS:
        write_text(summary(result, metrics, language), out / f"summary_{language}.md")
    levels = result.coordination
    with figure_language(lang) as used:
        save_figure(
            figures.interaction(result.cells, metrics, levels, used), out / "interaction.png"
        )
        save_figure(
            figures.effects(result.effects, metrics, levels, used, result.relative),
            out / "effects.png",
        )
        if practices is not None:
            save_figure(
                figures.practices(result.practices, metrics, levels, used, result.practice_keys),
                out / "practices.png",
            )
    dividend = result.effects[result.effects["effect"] == "fusion_dividend"]
    write_manifest(
        out,
        "fusion",
        scenario,
        outcome,
        started=started,
        command=options.get("command"),
        files=files,
        extra={
            "design": "2x2x2 (self_governance, rule_of_law, moral: off/on) x "
            + COORDINATION
            + (f" x {TABLE} ({len(practices.subsets())} subsets)" if practices else ""),
            "coordination_levels": levels,
            "points": points,
            "metrics": metrics,
            "response": f"each run's mean over its last {SUMMARY_WINDOW} days",
            "estimator": "linear contrasts of cell means; t CIs, Welch-Satterthwaite df",
            "fusion_dividend": dividend.to_dict("records"),
            "relative_dividend": "fusion dividend / |sum of separate effects|; delta-method "
            "t CI; given only when the separate sum's 95% CI has a half-width below half "
            "its size",
            "relative_fusion_dividend": result.relative.to_dict("records"),
            **(_practices_manifest(result, practices) if practices else {}),
            "seconds": round(time.perf_counter() - clock, 1),
        },
    )
    return result, outcome


def _practices_manifest(result: FusionResult, practices: Practices) -> dict:
    """What the manifest records of the practices and their decomposition."""
    return {
        "practices": {name: dict(keys) for name, keys in practices.switches.items()},
        "practices_off": dict(practices.off),
        "full_model": practices.full,
        "subsets": practices.subsets(),
        "decomposition": {
            "estimator": practices.estimator,
            "exact_up_to": practices.exact_up_to,
            "description": ESTIMATORS_TEXT[practices.estimator],
            "claims": "Holm over every contribution and total x metric x coordination level",
        },
    }


ESTIMATORS_TEXT = {
    "shapley": "exact Shapley values of the practices in the fusion dividend D(S) over all "
    "2^k subsets; they add up to D(all) - D(none); linear contrasts of cell means, t CIs "
    "with Welch-Satterthwaite df",
    "one_at_a_time": "leave-one-out D(all) - D(all - p) and add-one D({p}) - D(none) per "
    "practice, their gap (p's interaction with the others) and the interactions' share of "
    "D(all) - D(none); linear contrasts of cell means, t CIs with Welch-Satterthwaite df",
}
