"""The five cities compared (``sanzhi cities``): one scenario per city of the source reports
(docs/sources.md), run with the same replications and compared with Kunshan in one report per
language, with the levers in which the scenarios differ.

Each city runs at its own scenario's scale; the report compares only rates, shares and means
(the metric registry's key metrics and its per-household and per-community rates), never raw
totals. A difference between two cities is stated with the levers in which their scenarios
differ, which is what the numbers support: the scenarios differ in many levers at once, and
this comparison does not measure which of them makes a difference.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.claims import HOLM
from experiments.comparison import attribution
from experiments.comparison.inputs import load_inputs
from experiments.comparison.report import OWN, difference_text, mean_cell, write_report
from experiments.comparison.stats import WORDS as STATS_WORDS
from experiments.comparison.stats import compare_groups
from experiments.errors import InputError
from experiments.folders import check_out, staged
from experiments.scenario import Scenario, load_scenario
from experiments.store import atomic_write, finished, now, write_json
from experiments.wording import (
    LANGS,
    Words,
    parameter_label,
    say,
    scenario_label,
    unit_label,
    value_label,
)
from sim import KEY_METRICS, METRICS, REGISTRY, Parameters
from sim.layout import Layout

# One scenario per city, the reference first (scenarios/<name>.toml; docs/cities.md).
CITIES = ("kunshan_2021", "handan_fuxing", "jinchang_2018", "suzhou_2015", "zhongshan_2020")
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
KIND = "cities"
LEVERS_CSV = "levers.csv"
CITED = re.compile(r"\[([a-z]+[0-9]{4}[a-z]?)\]")  # a source key, as docs/sources.md has them
# Rates from the registry besides the key metrics: per household or per community.
RATES = tuple(
    m.name
    for m in METRICS
    if m.kind == "level"
    and m.name not in KEY_METRICS
    and re.search(r"\b(household|community)", m.unit)
)

WORDS: Words = {
    "head": (
        "The five cities: what their scenarios encode and where they differ",
        "五个城市：各情景的设定及其差异",
    ),
    "scale": (
        "Each city runs at its own scenario's scale ({sizes}). Every metric compared here is "
        "a rate or a share (per 1,000 households a year, per household, per community, a "
        "share of households or of working time, a mean over residents), so a larger city "
        "does not score higher for its size. The raw counts in summary.csv (issues a day and "
        "the like) grow with the number of households and are not compared across cities.",
        "每个城市按其情景自身的规模运行（{sizes}）。这里比较的每项指标都是比率或比例（每千户每年、"
        "每户、每社区、住户比例或工作时间占比、居民均值），规模大的城市不会因规模而得分更高。"
        "summary.csv 中的原始计数（每天事项数等）随户数增长，不在城市之间比较。",
    ),
    "size": ("{city}: {households} households in {communities} communities",
             "{city}：{households}户、{communities}个社区"),
    "levers_head": ("Levers in which the scenarios differ", "各情景取值不同的参数"),
    "levers_note": (
        "Every parameter whose value is not the same in all five scenario files (after "
        "following their extends), with its unit; a value in bold differs from {ref}'s. "
        "Below each value, the file that sets it (\"default\": the model's default). All "
        "other parameters are the same in the five. Source keys refer to docs/sources.md.",
        "列出五个情景文件（含其所继承的文件）中取值不全相同的全部参数及其单位；加粗的"
        "数值与{ref}不同。数值下方为设定该值的文件（“默认”指模型默认值）。其余参数在五个情景"
        "中相同。来源编号见 docs/sources.md。",
    ),
    "parameter": ("Parameter", "参数"),
    "unit": ("Unit", "单位"),
    "sources": ("Sources (scenario header)", "来源（情景文件开头）"),
    "default": ("default", "默认"),
    "differ_count": ("Levers that differ from {ref}", "与{ref}不同的参数个数"),
    "metrics_head": ("Each key metric, and the levers behind the difference",
                     "各关键指标及差异所对应的参数"),
    "not_causal": (
        "The five scenarios differ in several levers at once. A clear difference from {ref} "
        "is listed with the levers in which the scenarios differ: that is all it shows. This "
        "comparison does not measure which of those levers makes the difference; that takes "
        "runs that change one group of levers at a time (`sanzhi cities --attribute`, "
        "and the section on it below when it was run).",
        "五个情景同时在多个参数上不同。与{ref}的明显差异连同两个情景取值不同的参数一并列出，"
        "仅此而已：本比较并未测量是哪一个参数造成了差异；这需要每次只改变一组参数的运行（"
        "`sanzhi cities --attribute`；若已运行，见下文相应部分）。",
    ),
    "higher": ("{cities}: higher than {ref}", "{cities}高于{ref}"),
    "lower": ("{cities}: lower than {ref}", "{cities}低于{ref}"),
    "one_differs": ("{city} differs from {ref} in {n} levers: {levers}",
                    "{city}与{ref}有{n}个参数不同：{levers}"),
    "shared": ("the levers in which all of them differ from {ref}: {levers}",
               "它们均与{ref}不同的参数：{levers}"),
    "shared_none": ("they share no lever in which all differ from {ref}",
                    "它们没有共同的与{ref}不同的参数"),
    "unclear": ("no clear difference: {cities}", "无明显差异：{cities}"),
    "all_unclear": (
        "no city differs clearly from {ref}, although each scenario differs from it in "
        "{low}–{high} levers; the simulation cannot tell them apart here, which is not "
        "evidence that the levers do nothing.",
        "没有城市与{ref}有明显差异，尽管每个情景与其有{low}–{high}个参数不同；模拟在此无法区分，"
        "这并不证明这些参数不起作用。",
    ),
    "rates_head": ("Rates per household and per community (other metrics)",
                   "每户与每社区的比率（其他指标）"),
    "rates_note": (
        "Mean and 95% CI across replications; their differences from {ref} are judged in "
        "summary.csv as the second family of comparisons.",
        "各次重复的均值及95%置信区间；与{ref}的差异在 summary.csv 中作为第二组比较判断。",
    ),
    "city": ("City", "城市"),
}  # fmt: skip


def city_files(scenarios: Path = SCENARIOS) -> list[Path]:
    """The five cities' scenario files, the reference first; an InputError for a missing one."""
    files = [scenarios / f"{name}.toml" for name in CITIES]
    for file in files:
        if not file.is_file():
            raise InputError(file, None, "not found (the city scenarios are in scenarios/)")
    return files


def source_keys(path: Path) -> list[str]:
    """The source keys cited in a scenario file's leading comments, in order."""
    lines = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            break
        lines.append(line)
    return list(dict.fromkeys(CITED.findall("\n".join(lines))))


def lever_table(scenarios: list[Scenario]) -> pd.DataFrame:
    """One row per parameter whose value is not the same in every scenario (besides the
    scenario's own name, description, seed and replications): its label and unit in both
    languages, then each scenario's value and the file that set it."""
    flats = [s.params.flat() for s in scenarios]
    specs = {key: spec for key, _, _, spec in Parameters.specs()}
    rows = []
    for key in flats[0]:
        if key in OWN or len({repr(f.get(key)) for f in flats}) == 1:
            continue
        unit = specs[key].unit if key in specs else ""
        row: dict[str, Any] = {
            "parameter": key,
            "label_en": parameter_label(key, "en"),
            "label_zh": parameter_label(key, "zh"),
            "unit_en": unit_label(unit, "en"),
            "unit_zh": unit_label(unit, "zh"),
        }
        for s, flat in zip(scenarios, flats, strict=True):
            row[s.name] = flat.get(key)
            row[f"{s.name}_set_in"] = _origin(s, key)
        rows.append(row)
    return pd.DataFrame(rows)


def _origin(scenario: Scenario, key: str) -> str:
    where = scenario.origin.get(key)
    if where is None:
        return "default"
    return Path(where).name if where.endswith(".toml") else where


def differing(levers: pd.DataFrame, reference: str, city: str) -> list[str]:
    """The parameters in which ``city``'s scenario differs from ``reference``'s."""
    return [
        row["parameter"] for _, row in levers.iterrows() if repr(row[reference]) != repr(row[city])
    ]


def compare_cities(
    out: str | Path,
    *,
    lang: str = "both",
    replications: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    workers: int = 1,
    progress: bool = False,
    command: list[str] | None = None,
    adjustment: str = HOLM,
    pdf: bool = True,
    overwrite: bool = False,
    scenarios: Path = SCENARIOS,
    attribute: bool = False,
) -> dict[str, pd.DataFrame]:
    """Run the five city scenarios and write the comparison into ``out``: ``levers.csv``,
    and per language (``lang``: "en", "zh" or "both") a folder ``en/``, ``zh/`` holding the
    comparison report (report.html, report.pdf, summary.csv, ...) with the cities' section.
    ``overrides`` (``section.key`` -> value) apply to every city (quick looks, tests; the
    report then says so through its 'What was simulated'). With ``attribute``, each lever
    group in which a city differs is also swapped into the reference alone
    (:mod:`experiments.comparison.attribution`): ``attribution.csv`` and a part of the
    section saying which groups carry each difference. Returns summary.csv's table per
    language.
    """
    langs = LANGS if lang == "both" else (lang,)
    if lang != "both" and lang not in LANGS:
        raise InputError("command line", "--lang", f"is {lang!r} (expected en, zh or both)")
    started = now()
    check_out(out, (KIND,), overwrite=overwrite)
    files = city_files(scenarios)
    loaded = [load_scenario(f, overrides) for f in files]  # checked before anything runs
    if replications is not None:
        loaded = [
            s.with_overrides(
                {"scenario.replications": replications},
                {"scenario.replications": "--replications"},
            )
            for s in loaded
        ]
    levers = lever_table(loaded)
    keys = {s.name: source_keys(f) for s, f in zip(loaded, files, strict=True)}
    planned = attribution.plan(loaded, levers) if attribute else []
    cache = Path(out).parent / f".{Path(out).name}.attribution"  # finished swaps, for a resume
    tables: dict[str, pd.DataFrame] = {}
    with staged(out) as stage:
        inputs = load_inputs(
            [str(f) for f in files],
            replications=replications,
            workers=workers,
            progress=progress,
            overrides=overrides,
        )
        atomic_write(stage / LEVERS_CSV, lambda tmp: _levers_csv(levers).to_csv(tmp, index=False))
        effects = None
        if attribute:
            runs = attribution.run_swaps(planned, cache, workers=workers, progress=progress)
            reference, *others = inputs.ordered
            effects = attribution.effects(planned, runs, reference, others, adjustment)
            atomic_write(
                stage / attribution.ATTRIBUTION_CSV,
                lambda tmp: effects.to_csv(tmp, index=False),
            )
        for language in langs:
            table = compare_groups(inputs.ordered, language, adjustment=adjustment)
            part = ""
            if effects is not None:
                part = attribution.render_section(
                    effects, planned, loaded[0], list(levers["parameter"]), language
                )
            section = render_section(loaded, levers, keys, table, language, part)
            folder = stage / language
            folder.mkdir()
            write_report(
                folder, inputs, table, language, adjustment, pdf, command, started, extra=section
            )
            tables[language] = table
        manifest = {
            "kind": KIND,
            "command": command,
            "langs": list(langs),
            "reference": CITIES[0],
            "adjustment": adjustment,
            "cities": {
                s.name: {
                    "scenario": str(f),
                    "files": [str(p) for p in s.files],
                    "sources": keys[s.name],
                    "replications": s.params.scenario.replications,
                    "seed": s.params.scenario.seed,
                    "households": s.params.population.households,
                    "parameters": s.params.to_dict(),
                }
                for s, f in zip(loaded, files, strict=True)
            },
            "overrides": dict(overrides or {}),
            "replication_seeds": {g.label: g.seeds for g in inputs.ordered},
            "files": [
                LEVERS_CSV,
                *([attribution.ATTRIBUTION_CSV] if attribute else []),
                *(f"{lang}/" for lang in langs),
            ],
            "started": started,
        }
        if attribute:
            manifest["attribution"] = attribution.described(planned, levers)
        write_json(finished(manifest), stage / "manifest.json")
    if attribute:
        shutil.rmtree(cache, ignore_errors=True)  # the swaps are in attribution.csv now
    return tables


def _levers_csv(levers: pd.DataFrame) -> pd.DataFrame:
    """levers.csv: the values as the English report shows them (lists summarised)."""
    out = levers.copy()
    for city in CITIES:
        if city in out:
            out[city] = [value_label(v, "en") for v in out[city]]
    return out


# -- the report's section -------------------------------------------------------------------


def render_section(
    scenarios: list[Scenario],
    levers: pd.DataFrame,
    keys: Mapping[str, list[str]],
    table: pd.DataFrame,
    lang: str,
    attributed: str = "",
) -> str:
    """The cities' section of the report: scale, the lever table, one sentence per key
    metric naming the levers behind each clear difference, the per-household rates, and
    ``attributed`` (the attribution's part, if it was run)."""
    e = html.escape
    names = [s.name for s in scenarios]
    ref = names[0]
    refname = scenario_label(ref, lang)
    sizes = ("；" if lang == "zh" else "; ").join(
        say(
            WORDS,
            "size",
            lang,
            city=scenario_label(s.name, lang),
            households=f"{s.params.population.households:,}",
            communities=Layout.build(s.params).n_communities,
        )
        for s in scenarios
    )
    parts = [
        "<section class=cities>",
        f"<h2>{e(say(WORDS, 'head', lang))}</h2>",
        f"<p>{e(say(WORDS, 'scale', lang, sizes=sizes))}</p>",
        f"<h3>{e(say(WORDS, 'levers_head', lang))}</h3>",
        f"<p class=note>{e(say(WORDS, 'levers_note', lang, ref=refname))}</p>",
        _lever_html(names, levers, keys, lang),
        f"<h3>{e(say(WORDS, 'metrics_head', lang))}</h3>",
        f"<p class=note>{e(say(WORDS, 'not_causal', lang, ref=refname))}</p>",
        "<ul>",
    ]
    parts += [f"<li>{e(line)}</li>" for line in metric_sentences(names, levers, table, lang)]
    parts.append("</ul>")
    parts.append(_rates_html(names, table, lang))
    if attributed:
        parts.append(attributed)
    parts.append("</section>")
    return "\n".join(parts)


def _lever_html(
    names: list[str], levers: pd.DataFrame, keys: Mapping[str, list[str]], lang: str
) -> str:
    e = html.escape
    ref = names[0]
    head = (
        f"<th>{e(say(WORDS, 'parameter', lang))}</th><th>{e(say(WORDS, 'unit', lang))}</th>"
        + "".join(f"<th>{e(scenario_label(n, lang))}</th>" for n in names)
    )
    rows = []
    for _, row in levers.iterrows():
        label = row[f"label_{lang}"]
        shown = f"<code>{e(row['parameter'])}</code>" if label == row["parameter"] else e(label)
        cells = [f"<th>{shown}</th>", f"<td class=text>{e(row[f'unit_{lang}'])}</td>"]
        for n in names:
            value = e(value_label(row[n], lang))
            if n != ref and repr(row[n]) != repr(row[ref]):
                value = f"<b>{value}</b>"
            where = row[f"{n}_set_in"]
            where = say(WORDS, "default", lang) if where == "default" else where
            cells.append(f"<td class=text>{value}<br><small>{e(where)}</small></td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    count = [
        f"<th>{e(say(WORDS, 'differ_count', lang, ref=scenario_label(ref, lang)))}</th><td></td>"
    ]
    count += [f"<td>{len(differing(levers, ref, n)) if n != ref else '–'}</td>" for n in names]
    rows.append(f"<tr>{''.join(count)}</tr>")
    cited = [f"<th>{e(say(WORDS, 'sources', lang))}</th><td></td>"]
    cited += [
        f"<td class=text>{', '.join(f'<code>[{e(k)}]</code>' for k in keys.get(n, []))}</td>"
        for n in names
    ]
    rows.append(f"<tr>{''.join(cited)}</tr>")
    return f"<div class=scroll><table><thead><tr>{head}</tr></thead>{''.join(rows)}</table></div>"


def metric_sentences(
    names: list[str], levers: pd.DataFrame, table: pd.DataFrame, lang: str
) -> list[str]:
    """Per key metric, one sentence: which cities are clearly higher or lower than the
    reference (with the difference and its adjusted CI) and the levers in which their
    scenarios differ from the reference's, and which show no clear difference."""
    ref = names[0]
    refname = scenario_label(ref, lang)
    sep = "；" if lang == "zh" else "; "
    comma = "、" if lang == "zh" else ", "
    differs = {n: differing(levers, ref, n) for n in names[1:]}
    lines = []
    for metric in KEY_METRICS:
        rows = table[(table["metric"] == metric) & table["group"].isin(names[1:])]
        rows = rows.set_index("group").reindex(names[1:])
        label = REGISTRY[metric].label(lang)
        clauses = []
        for direction in ("higher", "lower"):
            picked = [
                n
                for n in names[1:]
                if rows.loc[n, "status"] != "no_clear"
                and (_estimate(rows.loc[n]) > 0) == (direction == "higher")
            ]
            if not picked:
                continue
            cities = comma.join(
                f"{scenario_label(n, lang)} ({_effect(rows.loc[n], lang)})" for n in picked
            )
            clause = say(WORDS, direction, lang, cities=cities, ref=refname)
            status = rows.loc[picked[0], "status"]
            if status in ("better", "worse"):
                clause += f"{'，' if lang == 'zh' else ', '}{say(STATS_WORDS, status, lang)}"
            if len(picked) == 1:
                clause += sep + say(
                    WORDS,
                    "one_differs",
                    lang,
                    city=scenario_label(picked[0], lang),
                    ref=refname,
                    n=len(differs[picked[0]]),
                    levers=_lever_list(differs[picked[0]], lang),
                )
            else:
                shared = [k for k in differs[picked[0]] if all(k in differs[n] for n in picked)]
                clause += sep + (
                    say(WORDS, "shared", lang, ref=refname, levers=_lever_list(shared, lang))
                    if shared
                    else say(WORDS, "shared_none", lang, ref=refname)
                )
            clauses.append(clause)
        unclear = [n for n in names[1:] if rows.loc[n, "status"] == "no_clear"]
        if not clauses:
            counts = [len(differs[n]) for n in names[1:]]
            clauses.append(
                say(WORDS, "all_unclear", lang, ref=refname, low=min(counts), high=max(counts))
            )
        elif unclear:
            cities = comma.join(scenario_label(n, lang) for n in unclear)
            clauses.append(say(WORDS, "unclear", lang, cities=cities))
        colon = "：" if lang == "zh" else ": "
        end = "。" if lang == "zh" else "."
        lines.append(f"{label}{colon}{sep.join(clauses).rstrip('.。')}{end}")
    return lines


def _lever_list(keys: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(parameter_label(k, lang) for k in keys)


def _estimate(row: pd.Series) -> float:
    return row["rel_change"] if row["shown"] == "relative" else row["diff"]


def _effect(row: pd.Series, lang: str) -> str:
    """'-31%, adjusted 95% CI -40% – -20%' or '+0.05, ...' in the metric's unit."""
    est, span = difference_text(row)
    return f"{est}{'，' if lang == 'zh' else ', '}{say(STATS_WORDS, 'ci', lang)} {span}"


def _rates_html(names: list[str], table: pd.DataFrame, lang: str) -> str:
    e = html.escape
    metrics = [m for m in RATES if m in set(table["metric"])]
    if not metrics:
        return ""
    head = "".join(
        f"<th>{e(REGISTRY[m].label(lang))}<br><small>{e(REGISTRY[m].unit_in(lang))}</small></th>"
        for m in metrics
    )
    rows = []
    for n in names:
        cells = [mean_cell(table, n, m) for m in metrics]
        rows.append(f"<tr><th>{e(scenario_label(n, lang))}</th>{''.join(cells)}</tr>")
    ref = scenario_label(names[0], lang)
    return "\n".join(
        [
            f"<h3>{e(say(WORDS, 'rates_head', lang))}</h3>",
            f"<p class=note>{e(say(WORDS, 'rates_note', lang, ref=ref))}</p>",
            f"<div class=scroll><table><thead><tr><th>{e(say(WORDS, 'city', lang))}</th>"
            f"{head}</tr></thead>{''.join(rows)}</table></div>",
        ]
    )
