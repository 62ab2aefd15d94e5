"""After class: the run the class made, rebuilt from its decision log, beside two runs on the
same seed it can be held against, and a debrief folder of files.

The live session is a :class:`ClassRun` too, and :func:`replay` drives one the same way
(build, warm up, then day by day: that day's decisions, then the day), so the same
parameters, seed and decisions give the same record, bit for bit.

The comparison runs:

- **default**: the scenario as it is, no decisions (every role "follows the scenario");
- **fully coordinated**: the scenario with ``fusion.party_coordination`` (every community's
  party secretary's coordination lever) and ``fusion.coordination`` (coordination between
  departments) both at the high end of their lever's range (1.0: their Spec's top), from
  day 0 and in every community alike; nothing else changes: no other role decides, the
  party secretaries' visits and every other lever stay the scenario's, and the scenario's
  own timeline still runs. The model's effective coordination,
  ``1 - (1 - coordination)(1 - party_coordination x party_leadership)``, is then 1.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.folders import MANIFEST, check_out, staged
from experiments.plotting import figure_language, panels, save_figure
from experiments.store import environment, now, write_csv, write_json, write_text
from experiments.wording import number
from sim import KEY_METRICS, REGISTRY, GovernanceModel, Parameters
from sim.state import model_version

from .roles import MAX_GRID_ROLES, Lever
from .views import AREA_NAMES, AreaRecord

KIND = "classroom"  # the manifest's kind: a classroom debrief folder
DECISION_COLUMNS = (
    "round",
    "record_day",
    "student",
    "role_id",
    "kind",
    "scope",
    "unit",
    "key",
    "value",
)
FIGURE_METRICS = KEY_METRICS[:4]  # the headline outcomes, one figure each
RUNS = ("class", "default", "coordinated")
COORDINATED_KEYS = ("fusion.party_coordination", "fusion.coordination")


@dataclass
class ClassRun:
    """A model with its per-area record: what the session plays and what a replay rebuilds.
    ``params`` are the ones it started from (the model's own change as levers move)."""

    params: Parameters
    seed: int
    model: GovernanceModel
    record: AreaRecord

    @classmethod
    def start(cls, params: Parameters, seed: int, max_grids: int = MAX_GRID_ROLES) -> ClassRun:
        """Day 0 of the record: the model built and its warm-up run. The areas recorded are
        those a role can govern: the first ``max_grids`` grids, every community."""
        model = GovernanceModel(params, rng=seed)
        layout = model.layout
        areas = [("grid", g) for g in range(min(layout.n_grids, max_grids))]
        areas += [("community", c) for c in range(layout.n_communities)]
        record = AreaRecord(model, areas)  # before the warm-up: its escalations count too
        for _ in range(model.warmup):
            model.step()
        return cls(params, seed, model, record)

    def apply(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """One role's decision (rows of one scope and unit) from the day about to run."""
        values = {row["key"]: row["value"] for row in rows}
        scope, unit = rows[0]["scope"], rows[0]["unit"]
        if scope == "city":
            self.model.apply(values)
        else:
            self.model.apply_local(scope, unit, values)

    def step(self, days: int) -> None:
        for _ in range(days):
            self.model.step()
            self.record.collect(self.model)

    def close(self) -> None:
        """Let the model go (Mesa keeps every model in a class-level table until then)."""
        self.model.close()

    @property
    def days(self) -> int:
        """Days recorded so far."""
        return max(0, int(self.model.record_day))

    def series(self) -> dict[str, np.ndarray]:
        """The DataCollector's record: one value a recorded day per metric."""
        return {
            k: np.asarray(v, dtype=float) for k, v in self.model.datacollector.model_vars.items()
        }

    def outcomes(self, run: str) -> pd.DataFrame:
        """The per-area record, one row a day and area."""
        frame = pd.DataFrame(
            [(run, day, area, *values) for day, area, values in self.record.rows],
            columns=["run", "day", "area", *AREA_NAMES],
        )
        return frame


def replay(
    params: Parameters,
    decisions: Iterable[Mapping[str, Any]],
    seed: int,
    *,
    days: int | None = None,
    max_grids: int = MAX_GRID_ROLES,
) -> ClassRun:
    """The run ``decisions`` (a session's log) describe, rebuilt: ``days`` recorded days
    (the scenario's steps by default), each decision applied on its ``record_day``, those
    of one round and role together, in the log's order, as the session applied them."""
    days = params.scenario.steps if days is None else days
    rows = sorted(decisions, key=lambda r: r["record_day"])  # stable: the log's order kept
    groups = [
        list(group)
        for _, group in itertools.groupby(
            rows, key=lambda r: (r["record_day"], r["round"], r["role_id"])
        )
    ]
    run = ClassRun.start(params, seed, max_grids)
    pending = iter(groups)
    group = next(pending, None)
    for day in range(days):
        while group is not None and group[0]["record_day"] == day:
            run.apply(group)
            group = next(pending, None)
        run.step(1)
    return run


def coordinated(params: Parameters) -> Parameters:
    """The fully coordinated scenario (the module's docstring says exactly what it is)."""
    return params.with_values({key: Lever.of(key).high for key in COORDINATED_KEYS})


def comparison_runs(
    params: Parameters, seed: int, days: int, max_grids: int = MAX_GRID_ROLES
) -> dict[str, ClassRun]:
    """The default and the fully coordinated run, ``days`` recorded days on ``seed``."""
    return {
        "default": replay(params, (), seed, days=days, max_grids=max_grids),
        "coordinated": replay(coordinated(params), (), seed, days=days, max_grids=max_grids),
    }


def export(
    folder: str | Path,
    run: ClassRun,
    *,
    scenario: str,
    seed: int,
    decisions: Sequence[Mapping[str, Any]],
    roster: Sequence[Mapping[str, Any]] = (),
    others: Mapping[str, ClassRun] | None = None,
) -> Path:
    """Write the debrief folder of ``run`` (the class's): decisions.csv, outcomes.csv,
    figures/*.png, summary.html and manifest.json, all at once (``experiments.folders``:
    a reader sees the old folder or the new one, never half of one). ``others`` are the
    comparison runs (computed here by default)."""
    folder = Path(folder)
    check_out(folder, (KIND,))  # never clobbers a folder of something else
    max_grids = sum(1 for scope, _ in run.record.areas if scope == "grid")
    own = others is None  # the comparison runs made here are let go of when written
    others = comparison_runs(run.params, seed, run.days, max_grids) if own else others
    runs = {"class": run, **others}
    try:
        _write(folder, runs, scenario, seed, decisions, roster)
    finally:
        if own:
            for other in others.values():
                other.close()
    return folder


def _write(
    folder: Path,
    runs: Mapping[str, ClassRun],
    scenario: str,
    seed: int,
    decisions: Sequence[Mapping[str, Any]],
    roster: Sequence[Mapping[str, Any]],
) -> None:
    run = runs["class"]
    with staged(folder) as stage:
        write_csv(
            pd.DataFrame(
                [[row.get(c) for c in DECISION_COLUMNS] for row in decisions],
                columns=list(DECISION_COLUMNS),
            ),
            stage / "decisions.csv",
        )
        write_csv(
            pd.concat([r.outcomes(name) for name, r in runs.items()], ignore_index=True),
            stage / "outcomes.csv",
        )
        figures = _figures(runs, stage / "figures")
        write_text(
            _summary(runs, scenario, seed, decisions, roster, figures), stage / "summary.html"
        )
        write_json(
            {
                "kind": KIND,
                "scenario": scenario,
                "seed": seed,
                "days": run.days,
                "warmup_days": run.params.scenario.warmup_days,
                "households": int(run.model.households.n),
                "rounds": max((int(r["round"]) for r in decisions), default=0),
                "students": len(roster),
                "parameters": run.params.flat(),
                "decisions": [dict(r) for r in decisions],
                "runs": {
                    "class": "the class's decisions (decisions.csv)",
                    "default": "the scenario, no decisions",
                    "coordinated": "the scenario with "
                    + ", ".join(f"{k} = {Lever.of(k).high:g}" for k in COORDINATED_KEYS)
                    + " from day 0 (classroom.debrief)",
                },
                "files": ["decisions.csv", "outcomes.csv", *figures, "summary.html"],
                "model_version": model_version(),
                "finished": now(),
                "environment": environment(),
            },
            stage / MANIFEST,
        )


def _figures(runs: Mapping[str, ClassRun], out: Path) -> list[str]:
    """One PNG a headline metric: the class's run against the default and coordinated,
    labelled in English and Chinese (English alone where no CJK font is installed)."""
    out.mkdir()
    styles = {"class": "-", "default": "--", "coordinated": ":"}
    names = []
    with figure_language("zh") as lang:

        def both(en: str, zh: str) -> str:
            return f"{en} · {zh}" if lang == "zh" and zh and zh != en else en

        for name in FIGURE_METRICS:
            metric = REGISTRY[name]
            fig, (ax,) = panels(1)
            for run, r in runs.items():
                ax.plot(r.series()[name], styles[run], label=both(*WORDS[run]))
            ax.set_title(both(metric.label_en, metric.label_zh))
            ax.set_xlabel(both("day", "天"))
            ax.set_ylabel(both(metric.unit, metric.unit_in("zh")))
            ax.legend(frameon=False, fontsize="small")
            path = out / f"{name}.png"
            save_figure(fig, path)
            names.append(path.relative_to(out.parent).as_posix())
    return names


# Words of the summary: (English, 中文).
WORDS = {
    "title": ("Classroom debrief", "课堂复盘"),
    "what": (
        "{households} households in {grids} grids and {communities} communities, scenario "
        "“{scenario}”, seed {seed}: {days} days simulated after a {warmup}-day warm-up, in "
        "{rounds} rounds. {students} students made {decisions} decisions.",
        "情景“{scenario}”，{households}户、{grids}个网格、{communities}个社区，随机种子{seed}："
        "预热{warmup}天后模拟{days}天，共{rounds}轮。{students}名学生做出{decisions}项决定。",
    ),
    "runs": (
        "Three runs on the same seed: the class's decisions; the scenario with no decisions "
        "(default); and every party secretary's coordination and the departments' coordination "
        "at their highest (coordinated).",
        "同一随机种子下的三次运行：课堂的决定；不做任何决定的情景（默认）；"
        "所有党组织书记的统筹协调与部门间协调均取最高值（充分协调）。",
    ),
    "caveat": (
        "Each is one run on one seed: a difference here is a difference of these runs, not an "
        "estimate of what the decisions do in general (that needs many seeds: sanzhi compare). "
        "“About the same” means a difference below the metric's reporting threshold.",
        "每种只运行一次、一个随机种子：这里的差异只是这几次运行之间的差异，"
        "不能据此估计这些决定的一般效果（需要多个随机种子：sanzhi compare）。"
        "“大致相同”指差异小于该指标的报告阈值。",
    ),
    "metric": ("Metric (last day)", "指标（最后一天）"),
    "class": ("Class", "课堂"),
    "default": ("Default", "默认"),
    "coordinated": ("Coordinated", "充分协调"),
    "vs": ("Class vs default", "课堂与默认相比"),
    "higher": ("higher", "更高"),
    "lower": ("lower", "更低"),
    "same": ("about the same", "大致相同"),
    "none": ("no value", "无数值"),
}


def _say(key: str, lang: str, **values: Any) -> str:
    en, zh = WORDS[key]
    return html.escape((zh if lang == "zh" else en).format(**values))


def _last(r: ClassRun, name: str) -> float:
    values = r.series()[name]
    return float(values[-1]) if values.size else float("nan")


def _versus(name: str, ours: float, default: float, lang: str) -> str:
    """The class's value against the default's, in words, claimed only past the threshold."""
    if not (np.isfinite(ours) and np.isfinite(default)):
        return _say("none", lang)
    diff = ours - default
    if abs(diff) < REGISTRY[name].practical_threshold(default) or diff == 0:
        return _say("same", lang)
    return _say("higher" if diff > 0 else "lower", lang) + f" ({number(diff, sign=True)})"


def _summary(
    runs: Mapping[str, ClassRun],
    scenario: str,
    seed: int,
    decisions: Sequence[Mapping[str, Any]],
    roster: Sequence[Mapping[str, Any]],
    figures: Sequence[str],
) -> str:
    """summary.html: one page, English then Chinese."""
    run = runs["class"]
    layout = run.model.layout
    facts = {
        "households": f"{run.model.households.n:,}",
        "grids": layout.n_grids,
        "communities": layout.n_communities,
        "scenario": scenario,
        "seed": seed,
        "days": run.days,
        "warmup": run.params.scenario.warmup_days,
        "rounds": max((int(r["round"]) for r in decisions), default=0),
        "students": len(roster),
        "decisions": len(decisions),
    }
    parts = []
    for lang in ("en", "zh"):
        rows = []
        for name in KEY_METRICS:
            metric = REGISTRY[name]
            values = {k: _last(r, name) for k, r in runs.items()}
            cells = "".join(
                f"<td>{'–' if not np.isfinite(values[k]) else number(values[k])}</td>" for k in RUNS
            )
            rows.append(
                f"<tr><th>{html.escape(metric.label(lang))} "
                f"<small>({html.escape(metric.unit_in(lang))})</small></th>{cells}"
                f"<td>{_versus(name, values['class'], values['default'], lang)}</td></tr>"
            )
        head = "".join(f"<th>{_say(k, lang)}</th>" for k in ("metric", *RUNS, "vs"))
        parts.append(
            f'<section lang="{lang}"><h2>{_say("title", lang)}</h2>'
            f"<p>{_say('what', lang, **facts)}</p><p>{_say('runs', lang)}</p>"
            f"<table><tr>{head}</tr>{''.join(rows)}</table>"
            f"<p><em>{_say('caveat', lang)}</em></p></section>"
        )
    images = "".join(f'<img src="{html.escape(f)}" alt="{html.escape(f)}">' for f in figures)
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;"
        "text-align:right}th:first-child{text-align:left}img{width:48%}"
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>Classroom debrief · 课堂复盘</title><style>{style}</style></head>"
        f"<body>{''.join(parts)}<div>{images}</div></body></html>\n"
    )
