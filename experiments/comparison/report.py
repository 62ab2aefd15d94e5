"""The comparison report: summary.csv, metrics.csv, PNG figures, a self-contained
report.html and a print-ready report.pdf (A4, a one-page policy brief first), made from the
same page by WeasyPrint.

Every finding follows the one rule for claims (:mod:`experiments.claims`); every word comes
from the tables below (``WORDS``) or the metric registry, in the chosen language.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.claims import HOLM, interval_method, rule_text
from experiments.claims import WORDS as CLAIM_WORDS
from experiments.columns import SUMMARY_WINDOW, write_metrics_csv
from experiments.comparison import figures
from experiments.comparison.inputs import (
    MAX_TIMESERIES_GROUPS,
    Group,
    Inputs,
    kind_label,
    load_inputs,
)
from experiments.comparison.stats import KEY, compare_groups
from experiments.folders import check_out, staged
from experiments.plotting import figure_language, png_bytes, print_png
from experiments.scenario import load_scenario
from experiments.store import atomic_write, finished, now, write_json
from experiments.wording import (
    Words,
    interval,
    number,
    parameter_label,
    percent,
    say,
    scenario_description,
    value_label,
)
from sim import KEY_METRICS, REGISTRY

MAX_SENTENCE_GROUPS = 6  # groups whose every sentence is listed; beyond, only clear ones
MAX_MARKER_GROUPS = 40  # final-values plot rows
MAX_BRIEF_FINDINGS = 10  # clear findings on the one-page policy brief
MAX_BRIEF_GROUPS = 6  # groups whose "no clear difference" metrics the brief lists
MAX_TERMINAL_GROUPS = 12  # beyond this the terminal lists only groups with clear findings
KIND = "comparison"  # its manifest's kind
FILES = ("report.html", "report.pdf", "summary.csv", "metrics.csv", "manifest.json")
# Parameters every scenario states for itself, shown in their own columns, not as levers.
OWN = ("scenario.name", "scenario.description", "scenario.seed", "scenario.replications")

WORDS: Words = {
    "title": ("Scenario comparison (simulation)", "情景比较报告（模拟）"),
    "generated": ("Generated", "生成时间"),
    "brief": ("Policy brief", "政策简报"),
    "caveat_short": (
        "These are results of a computer simulation, not measurements of any real district.",
        "以下是计算机模拟的结果，不是对任何真实地区的测量。",
    ),
    "compared": (
        "{n} scenario(s) compared with the reference, {ref}; each simulates {households} "
        "households for {days} days, in {replications} replications with different random seeds.",
        "{n}个情景与参照情景“{ref}”比较；每个情景模拟{households}户、{days}天，"
        "以不同随机种子重复{replications}次。",
    ),
    "compared_mixed": (
        "{n} scenario(s) compared with the reference, {ref}; sizes, days and replications "
        "are listed under 'What was simulated'.",
        "{n}个情景与参照情景“{ref}”比较；规模、天数和重复次数见“模拟了什么”。",
    ),
    "clear_head": ("Clear differences from the reference", "与参照情景相比的明显差异"),
    "none_clear": (
        "No key metric differs clearly from the reference in any scenario.",
        "没有任何情景在关键指标上与参照情景有明显差异。",
    ),
    "more_clear": (
        "… and {k} more clear differences (see 'Findings').",
        "……另有{k}项明显差异（见“主要结论”）。",
    ),
    "unclear_head": ("No clear difference", "无明显差异"),
    "unclear_groups": (
        "{k} of {n} scenarios show no clear difference on any key metric.",
        "{n}个情景中有{k}个在所有关键指标上均无明显差异。",
    ),
    "how_to_read": (
        "'Clear' means the difference passed the rule in 'Method': its adjusted 95% interval "
        "excludes zero ({method}, {m} comparisons) and it is at least the metric's practical "
        "threshold. 'No clear difference' means the simulation cannot tell, not that there "
        "is no effect.",
        "“明显”指差异通过了“方法说明”中的规则：校正后（{method}，共{m}项比较）的95%置信区间"
        "不含零，且不小于该指标的实际意义阈值。“无明显差异”表示模拟无法判断，并不等于没有影响。",
    ),
    "simulated": ("What was simulated", "模拟了什么"),
    "caveat": (
        "This report compares simulated scenarios. Sanzhi is an agent-based model: its "
        "households, staff and rules are assumptions set from published figures "
        "(docs/ODD.md, docs/calibration.md), not data about any real district. A "
        "difference here says what the model does when a lever changes, under those "
        "assumptions; it does not measure what would happen in a particular place, and it is "
        "no evidence about real households or officials. Use it to compare options and to "
        "ask better questions, together with local evidence.",
        "本报告比较的是模拟情景。三治模型是基于主体的仿真模型：其中的住户、工作人员和规则都是"
        "依据公开数据设定的假设（见 docs/ODD.md、docs/calibration.md），而非任何真实地区的"
        "数据。这里的差异说明在这些假设下改变某项措施时模型的表现，不能衡量某个具体地方会"
        "发生什么，也不能作为真实住户或干部情况的证据。请将其用于比较方案、提出更好的问题，"
        "并结合当地的实际证据。",
    ),
    "scenario": ("Scenario", "情景"),
    "description": ("What it represents", "含义"),
    "households": ("Households", "住户数"),
    "days": ("Days", "天数"),
    "replications": ("Replications", "重复次数"),
    "seeds": ("Seeds", "随机种子"),
    "levers": ("Differs from the reference in", "与参照情景不同之处"),
    "is_reference": ("(the reference)", "（参照情景）"),
    "same": ("nothing: same parameters", "无：参数相同"),
    "unknown": ("not recorded", "未记录"),
    "as_written": ("(as written in the scenario file)", "（情景文件原文）"),
    "seed_text": (
        "root {seed}; {n} replication seeds spawned from it (manifest.json)",
        "根种子 {seed}；由其派生{n}个重复种子（见 manifest.json）",
    ),
    "warmup": (
        "Warm-up: none. Every run starts from the scenario's initial state on day 1, and "
        "summaries use each run's last {window} days.",
        "预热期：无。每次运行从第1天的初始状态开始，汇总采用每次运行最后{window}天的数据。",
    ),
    "reference_note": (
        "The reference is {ref} (chosen with --reference; default: the first input).",
        "参照情景为“{ref}”（可用 --reference 指定；默认为第一个输入）。",
    ),
    "findings": ("Findings: differences from the reference", "主要结论：与参照情景的差异"),
    "versus": ("compared with", "相对于"),
    "only_clear": (
        "With {n} scenarios, only those with a clear difference are listed; every sentence is "
        "in summary.csv.",
        "共{n}个情景，此处仅列出有明显差异的情景；全部结论见 summary.csv。",
    ),
    "key": (
        "Key metrics: mean over the last {window} days of each run, mean and 95% CI across "
        "replications",
        "关键指标：每次运行最后{window}天的均值；各次重复的均值及95%置信区间",
    ),
    "diff": (
        "Differences from the reference, with adjusted 95% CIs",
        "与参照情景的差异及校正后95%置信区间",
    ),
    "series": (
        "Key metrics over time (mean and 95% band across replications)",
        "关键指标随时间变化（各次重复的均值及95%置信带）",
    ),
    "finals": ("End-of-run values with 95% confidence intervals", "运行末期数值及95%置信区间"),
    "sweep": (
        "Key metrics against each swept parameter (runs pooled over the others)",
        "关键指标随各扫描参数的变化（其他参数的运行合并计算）",
    ),
    "method": ("Method", "方法说明"),
    "method_window": (
        "Each run is summarised by the mean of each metric over its last {window} days; the "
        "replications of a scenario differ only in their random seeds.",
        "每次运行以各指标最后{window}天的均值概括；同一情景的各次重复仅随机种子不同。",
    ),
    "method_intervals": (
        "Intervals of a mean are Student t intervals across replications, built so that they "
        "stay inside the metric's range: on the logit scale for shares and 0–1 scales, on the "
        "log scale for counts, rates, days and costs (which cannot be negative).",
        "均值的置信区间为各次重复之间的 Student t 区间，并保证不超出指标的取值范围：比例和"
        "0–1 量表在 logit 尺度上计算，计数、比率、天数和成本（不可能为负）在对数尺度上计算。",
    ),
    "method_relative": (
        "Differences are shown as relative changes (ratio of means, interval on the log "
        "scale, so never below −100%) only for metrics measured from zero whose reference "
        "mean is well away from zero (its 95% interval lies above half the mean); otherwise "
        "as absolute differences in the metric's unit, with Welch's t interval.",
        "仅当指标从零起算、且参照情景的均值明显大于零（其95%置信区间高于均值的一半）时，差异"
        "以相对变化表示（均值之比，区间在对数尺度上计算，不会低于−100%）；否则以指标单位的"
        "绝对差表示，采用 Welch t 区间。",
    ),
    "method_other": (
        "Other metrics (summary.csv only) are judged as a separate family of {m} comparisons "
        "with the same rule.",
        "其他指标（仅见 summary.csv）作为另一组共{m}项比较，按同一规则判断。",
    ),
    "method_g": (
        "summary.csv also lists Hedges' g, the difference divided by the spread between "
        "replications. It says how well the simulated runs separate, which grows with the "
        "number of runs; it does not say how large a change is for residents, and this report "
        "does not use it.",
        "summary.csv 还列出 Hedges' g，即差异除以各次重复之间的离散程度。它反映模拟运行之间"
        "区分得有多清楚，会随运行次数增加而变大；它并不说明变化对居民有多大，本报告不使用它。",
    ),
    "method_crn": (
        "Points of a sweep share their replication seeds (common random numbers), so their "
        "differences are not blurred by different random draws.",
        "参数扫描的各点使用相同的重复随机种子（共同随机数），差异不会因随机抽样不同而模糊。",
    ),
    "method_files": (
        "All numbers, for every metric, are in summary.csv; metrics.csv defines each metric "
        "and its unit.",
        "全部指标的数值见 summary.csv；各指标的定义和单位见 metrics.csv。",
    ),
    "thresholds": (
        "Key metrics: range, interval and practical threshold",
        "关键指标：取值范围、区间方法和实际意义阈值",
    ),
    "metric": ("Metric", "指标"),
    "range": ("Range", "取值范围"),
    "interval": ("Interval", "区间方法"),
    "threshold": ("Practical threshold", "实际意义阈值"),
    "of_reference": ("{share} of the reference mean", "参照均值的{share}"),
    "at_least": ("at least 0", "不小于0"),
    "inputs": ("Inputs", "输入"),
    "command": ("Command", "命令"),
    "runs": ("runs", "次运行"),
    "no_series": (
        "Time series omitted: more than {n} groups, or no time series in an input.",
        "未绘制时间序列：分组超过{n}个，或某输入没有时间序列。",
    ),
    "fonts": (
        "Figures use English labels: no Chinese font was found for matplotlib.",
        "未找到 matplotlib 可用的中文字体，图中标签使用英文。",
    ),
    "better": ("better", "改善"),
    "worse": ("worse", "变差"),
    "no_clear": ("no clear difference", "无明显差异"),
    "terminal_head": (
        "compared {n} group(s) with the reference {ref} ({method}, {m} comparisons of key "
        "metrics):",
        "共比较{n}组，参照情景为“{ref}”（{method}，关键指标共{m}项比较）：",
    ),
    "terminal_none": ("  no clear difference: {metrics}", "  无明显差异：{metrics}"),
    "terminal_more": (
        "{k} more group(s) with no clear difference on any key metric (see report.html)",
        "另有{k}组在所有关键指标上均无明显差异（见 report.html）",
    ),
    "terminal_files": ("report: {html} (print: {pdf})", "报告：{html}（打印版：{pdf}）"),
    "terminal_html": ("report: {html}", "报告：{html}"),
}


def compare(
    paths: list[str],
    out: str | Path,
    *,
    lang: str = "en",
    replications: int | None = None,
    workers: int = 1,
    progress: bool = False,
    command: list[str] | None = None,
    reference: str | None = None,
    adjustment: str = HOLM,
    pdf: bool = True,
    overwrite: bool = False,
    paired: bool = False,
) -> pd.DataFrame:
    """Compare scenario files and results folders; write the report into ``out``.

    ``reference`` names the reference group (an input as given, a group label or a scenario
    name; default: the first input); ``adjustment`` is the multiplicity control of the
    claims ("holm" or "bh"). ``out`` and every input are checked before anything runs; the
    report is written beside ``out`` and replaces it whole (a folder of other results only
    with ``overwrite``). With ``paired``, the scenario files run as forks of the first one's
    warmed state (kept in ``states/``) on common random numbers, and ``paired.csv`` and
    ``time_to_effect.csv`` hold the paired differences (docs/timeline.md). Returns the table
    written to summary.csv.
    """
    started = now()
    check_out(out, (KIND,), overwrite=overwrite)
    with staged(out) as stage:
        inputs = load_inputs(
            paths,
            replications=replications,
            workers=workers,
            progress=progress,
            reference=reference,
            paired=stage / "states" if paired else None,
        )
        table = compare_groups(inputs.ordered, lang, adjustment=adjustment)
        write_report(stage, inputs, table, lang, adjustment, pdf, command, started, paired)
    return table


def write_report(
    out: Path,
    inputs: Inputs,
    table: pd.DataFrame,
    lang: str,
    adjustment: str,
    pdf: bool,
    command: list[str] | None,
    started: str,
    paired: bool = False,
    extra: str = "",
) -> None:
    """The report's files and manifest in ``out``; ``extra``, an HTML section placed after
    the policy brief (the cities' levers, :mod:`experiments.comparison.cities`)."""
    groups = inputs.ordered
    atomic_write(out / "summary.csv", lambda tmp: table.to_csv(tmp, index=False))
    write_metrics_csv(out)
    pictures = _figures(inputs, groups, table, lang, out, for_print=pdf)
    page = render(inputs, table, pictures, lang, adjustment, extra=extra)
    atomic_write(out / "report.html", lambda tmp: tmp.write_text(page, encoding="utf-8"))
    files = ["report.html", "summary.csv", "metrics.csv"]
    if pdf:
        printed = render(inputs, table, pictures, lang, adjustment, for_print=True, extra=extra)
        write_pdf(printed, out / "report.pdf")
        files.append("report.pdf")
    if paired:
        files += write_paired(groups, out)
    manifest = {
        "kind": KIND,
        "command": command,
        "lang": lang,
        "reference": groups[0].label,
        "adjustment": adjustment,
        "inputs": inputs.described,
        "groups": [g.label for g in groups],
        "replication_seeds": {g.label: g.seeds for g in groups},
        "files": [*files, *(name for name, _, _ in pictures["files"])],
        "started": started,
    }
    write_json(finished(manifest), out / "manifest.json")


def write_paired(groups: list[Group], out: Path) -> list[str]:
    """paired.csv and time_to_effect.csv of a paired comparison; their names."""
    from experiments.comparison.paired import intervention_day, paired_differences, time_to_effect

    reference, others = groups[0], groups[1:]
    table = paired_differences(reference.runs, {g.label: g.runs for g in others}, list(KEY_METRICS))
    atomic_write(out / "paired.csv", lambda tmp: table.to_csv(tmp, index=False))
    scenarios = {g.label: load_scenario(g.source) for g in groups}
    rows = []
    for g in others:
        start = intervention_day(scenarios[reference.label], scenarios[g.label])
        for metric in KEY_METRICS:
            rows.append(
                {"scenario": g.label}
                | time_to_effect(reference.timeseries, g.timeseries, metric, start)
            )
    effect = pd.DataFrame(rows)
    atomic_write(out / "time_to_effect.csv", lambda tmp: effect.to_csv(tmp, index=False))
    return ["paired.csv", "time_to_effect.csv"]


def write_pdf(page: str, path: Path) -> Path:
    """The printed report: WeasyPrint lays the page out on A4 with page numbers."""
    from weasyprint import HTML  # a few seconds to import; only when a PDF is made

    data = HTML(string=page, base_url=str(path.parent)).write_pdf()
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def _figures(
    inputs: Inputs,
    groups: list[Group],
    table: pd.DataFrame,
    lang: str,
    out: Path,
    *,
    for_print: bool = True,
) -> dict[str, Any]:
    """The figures as PNG files in ``out``, and their bytes for the page (at print
    resolution too, for the PDF, when ``for_print``)."""
    files: list[tuple[str, bytes, bytes | None]] = []  # name, screen PNG, print PNG
    with figure_language(lang) as fig_lang:

        def add(name: str, fig) -> None:
            files.append((name, png_bytes(fig), print_png(fig) if for_print else None))

        if len(groups) <= MAX_TIMESERIES_GROUPS and all(g.timeseries is not None for g in groups):
            add("timeseries.png", figures.timeseries(groups, fig_lang))
        if len(groups) <= MAX_MARKER_GROUPS:
            labels = [g.label for g in groups]
            titles = [g.title(fig_lang) for g in groups]
            add("final_values.png", figures.final_values(table, labels, fig_lang, titles))
        for sweep in inputs.sweeps:
            for factor in sweep.factors:
                name = f"{sweep.name}_vs_{factor}.png".replace("/", "_")
                add(name, figures.against(sweep, factor, fig_lang))
    for name, data, _ in files:
        atomic_write(out / name, lambda tmp, data=data: tmp.write_bytes(data))
    return {"files": files, "lang": fig_lang}


def render(
    inputs: Inputs,
    table: pd.DataFrame,
    pictures: dict,
    lang: str,
    adjustment: str = HOLM,
    *,
    for_print: bool = False,
    extra: str = "",
) -> str:
    """The report as one HTML page with embedded figures (``for_print``: figures at print
    resolution, for the PDF); ``extra`` is a section placed after the policy brief."""
    t = _words(lang)
    groups = inputs.ordered
    e = html.escape
    parts = [f"<h1>{e(t['title'])}</h1>", f"<p class=meta>{e(t['generated'])}: {e(now())}</p>"]
    parts.append(_brief(groups, table, lang, adjustment))
    if extra:
        parts.append(extra)
    parts.append(_simulated(groups, lang, t))
    parts.append(_findings(groups, table, lang, t))
    parts.append(f"<h2>{e(t['key'])}</h2>")
    parts.append(_key_table(table, groups, lang, t))
    if 1 < len(groups) <= MAX_MARKER_GROUPS:  # bigger sweeps: see the plots and summary.csv
        parts.append(f"<h2>{e(t['diff'])}</h2>")
        parts.append(_diff_table(table, groups, lang, t))
    parts.append(_figure_section(pictures, lang, t, for_print))
    parts.append(_method(table, lang, t, adjustment))
    parts.append(_inputs(inputs, lang, t))
    body = "\n".join(parts)
    return PAGE.format(lang="zh-CN" if lang == "zh" else "en", title=e(t["title"]), body=body)


def _words(lang: str) -> dict[str, str]:
    """The words whose only fields are the window and the time-series limit; the others
    are filled where they are used."""
    out = {}
    for key in WORDS:
        try:
            out[key] = say(WORDS, key, lang, window=SUMMARY_WINDOW, n=MAX_TIMESERIES_GROUPS)
        except KeyError:
            continue
    return out


# -- the policy brief (the first page of the PDF) ------------------------------------------


def _brief(groups: list[Group], table: pd.DataFrame, lang: str, adjustment: str) -> str:
    e = html.escape
    ref = groups[0]
    others = groups[1:]
    key = table[table["metric"].isin(KEY_METRICS) & table["group"].ne(ref.label)]
    m = int(key["comparisons"].max()) if len(key) else 0
    used = key["adjustment"].iloc[0] if len(key) else adjustment
    parts = [
        "<section class=brief>",
        f"<h2>{e(say(WORDS, 'brief', lang))}</h2>",
        f"<p class=caveat><b>{e(say(WORDS, 'caveat_short', lang))}</b></p>",
        f"<p>{e(_compared(groups, lang))}</p>",
        f"<h3>{e(say(WORDS, 'clear_head', lang))}</h3>",
    ]
    clear = key[key["status"] != "no_clear"]
    if clear.empty:
        parts.append(f"<p>{e(say(WORDS, 'none_clear', lang))}</p>")
    else:
        parts.append("<ul>")
        for row in clear.head(MAX_BRIEF_FINDINGS).itertuples():
            who = e(row.group_label) if len(others) > 1 else ""
            lead = f"<b>{who}</b>{'：' if lang == 'zh' else ': '}" if who else ""
            parts.append(f"<li class='{row.status}'>{lead}{e(row.sentence)}</li>")
        parts.append("</ul>")
        if len(clear) > MAX_BRIEF_FINDINGS:
            more = say(WORDS, "more_clear", lang, k=len(clear) - MAX_BRIEF_FINDINGS)
            parts.append(f"<p>{e(more)}</p>")
    parts.append(f"<h3>{e(say(WORDS, 'unclear_head', lang))}</h3>")
    if len(others) <= MAX_BRIEF_GROUPS:
        parts.append("<ul class=plain>")
        for g in others:
            rows = key[(key["group"] == g.label) & (key["status"] == "no_clear")]
            if len(rows):
                names = ("、" if lang == "zh" else ", ").join(rows["label"])
                lead = (
                    f"{e(g.title(lang))}{'：' if lang == 'zh' else ': '}" if len(others) > 1 else ""
                )
                parts.append(f"<li>{lead}{e(names)}</li>")
        parts.append("</ul>")
    else:
        flat = sum(not (key[key["group"] == g.label]["status"] != "no_clear").any() for g in others)
        parts.append(f"<p>{e(say(WORDS, 'unclear_groups', lang, k=flat, n=len(others)))}</p>")
    method = say(CLAIM_WORDS, used, lang)
    parts.append(f"<p class=note>{e(say(WORDS, 'how_to_read', lang, method=method, m=m))}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _compared(groups: list[Group], lang: str) -> str:
    ref = groups[0]
    sizes = {(g.households, g.days, len(g.runs)) for g in groups}
    n = len(groups) - 1
    if len(sizes) == 1 and ref.households is not None:
        return say(
            WORDS,
            "compared",
            lang,
            n=n,
            ref=ref.title(lang),
            households=f"{ref.households:,}",
            days=ref.days,
            replications=len(ref.runs),
        )
    return say(WORDS, "compared_mixed", lang, n=n, ref=ref.title(lang))


# -- what was simulated --------------------------------------------------------------------


def _simulated(groups: list[Group], lang: str, t: dict) -> str:
    e = html.escape
    ref = groups[0]
    head = "".join(
        f"<th>{e(t[k])}</th>"
        for k in ("scenario", "description", "households", "days", "replications", "seeds")
    )
    head += f"<th>{e(t['levers'])}</th>"
    rows = []
    for g in groups:
        text, translated = scenario_description(g.scenario, g.description, lang)
        desc = e(text) if translated else f"{e(text)} <small>{e(t['as_written'])}</small>"
        seeds = (
            say(WORDS, "seed_text", lang, seed=g.seed, n=len(g.seeds))
            if g.seed is not None
            else t["unknown"]
        )
        levers = t["is_reference"] if g is ref else _levers(g, ref, lang, t)
        cells = [
            f"<th>{e(g.title(lang))}</th>",
            f"<td class=text>{desc}</td>",
            f"<td>{_count(g.households)}</td>",
            f"<td>{_count(g.days)}</td>",
            f"<td>{len(g.runs)}</td>",
            f"<td class=text><small>{e(seeds)}</small></td>",
            f"<td class=text>{levers}</td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    table = f"<div class=scroll><table><thead><tr>{head}</tr></thead>{''.join(rows)}</table></div>"
    return "\n".join(
        [
            f"<h2>{e(t['simulated'])}</h2>",
            f"<p>{e(t['caveat'])}</p>",
            table,
            f"<p>{e(say(WORDS, 'reference_note', lang, ref=ref.title(lang)))} {e(t['warmup'])}</p>",
        ]
    )


def _levers(group: Group, ref: Group, lang: str, t: dict) -> str:
    """The parameters in which a group differs from the reference: 'label: a → b'."""
    if group.parameters is None or ref.parameters is None:
        return html.escape(t["unknown"])
    keys = [k for k in dict.fromkeys([*ref.parameters, *group.parameters]) if k not in OWN]
    changed = [k for k in keys if ref.parameters.get(k) != group.parameters.get(k)]
    if not changed:
        return html.escape(t["same"])
    items = []
    for k in changed:
        label = parameter_label(k, lang)
        shown = f"<code>{html.escape(k)}</code>" if label == k else html.escape(label)
        a, b = (value_label(p.get(k, "–"), lang) for p in (ref.parameters, group.parameters))
        items.append(f"<li>{shown}: {html.escape(a)} → {html.escape(b)}</li>")
    return f"<ul class=plain>{''.join(items)}</ul>"


def _count(x: int | None) -> str:
    return f"{x:,}" if isinstance(x, int) else "–"


# -- findings and tables -------------------------------------------------------------------


def _findings(groups: list[Group], table: pd.DataFrame, lang: str, t: dict) -> str:
    e = html.escape
    if len(groups) < 2:
        return ""
    ref = groups[0]
    parts = [f"<h2>{e(t['findings'])}</h2>"]
    many = len(groups) - 1 > MAX_SENTENCE_GROUPS
    if many:
        parts.append(f"<p class=note>{e(say(WORDS, 'only_clear', lang, n=len(groups) - 1))}</p>")
    for group in groups[1:]:
        rows = table[(table["group"] == group.label) & table["metric"].isin(KEY_METRICS)]
        if many:
            rows = rows[rows["status"] != "no_clear"]
            if rows.empty:
                continue
        versus = f"<small>{e(t['versus'])} {e(ref.title(lang))}</small>"
        parts.append(f"<section class=group><h3>{e(group.title(lang))} {versus}</h3><ul>")
        for row in rows.itertuples():
            parts.append(f"<li class='{row.status}'>{e(row.sentence)}</li>")
        parts.append("</ul></section>")
    return "\n".join(parts)


def _key_table(table: pd.DataFrame, groups: list[Group], lang: str, t: dict) -> str:
    e = html.escape
    head = "".join(
        f"<th>{e(REGISTRY[m].label(lang))}<br><small>{e(REGISTRY[m].unit_in(lang))}</small></th>"
        for m in KEY_METRICS
    )
    rows = []
    for g in groups:
        cells = [mean_cell(table, g.label, m) for m in KEY_METRICS]
        n = int(table[table["group"] == g.label]["n"].max())
        runs = f"{n} {t['runs']}"
        rows.append(
            f"<tr><th>{e(g.title(lang))}<br><small>{e(runs)}</small></th>{''.join(cells)}</tr>"
        )
    return _table(t["scenario"], head, rows)


def mean_cell(table: pd.DataFrame, group: str, metric: str) -> str:
    """A table cell: a group's mean of a metric with its 95% CI below."""
    r = table[(table["group"] == group) & (table["metric"] == metric)].iloc[0]
    ci = (
        f"<br><small>{interval(r['ci95_low'], r['ci95_high'])}</small>"
        if np.isfinite(r["ci95_low"])
        else ""
    )
    return f"<td>{number(r['mean'])}{ci}</td>"


def difference_text(row: Any) -> tuple[str, str]:
    """A difference from the reference as shown (a relative change where meaningful,
    else in the metric's unit) and its adjusted 95% CI."""
    if row["shown"] == "relative":
        low, high = (percent(100 * row[k], sign=True) for k in ("adj_low", "adj_high"))
        return percent(100 * row["rel_change"], sign=True), f"{low} – {high}"
    return number(row["diff"], sign=True), interval(row["adj_low"], row["adj_high"], sign=True)


def _diff_table(table: pd.DataFrame, groups: list[Group], lang: str, t: dict) -> str:
    e = html.escape
    head = "".join(f"<th>{e(REGISTRY[m].label(lang))}</th>" for m in KEY_METRICS)
    rows = []
    for g in groups[1:]:
        cells = []
        for m in KEY_METRICS:
            r = table[(table["group"] == g.label) & (table["metric"] == m)].iloc[0]
            main, ci = difference_text(r)
            status = e(say(WORDS, r["status"], lang)) if r["status"] in WORDS else ""
            cells.append(
                f"<td class='{r['status']}'>{main}<br><small>{ci}<br>{status}</small></td>"
            )
        rows.append(f"<tr><th>{e(g.title(lang))}</th>{''.join(cells)}</tr>")
    return _table(t["scenario"], head, rows)


def _figure_section(pictures: dict, lang: str, t: dict, for_print: bool) -> str:
    e = html.escape
    images = {name: (screen, printed) for name, screen, printed in pictures["files"]}
    pick = 1 if for_print else 0
    parts = []
    if pictures["lang"] != lang:
        parts.append(f"<p class=note>{e(t['fonts'])}</p>")
    for name, heading in (("timeseries.png", t["series"]), ("final_values.png", t["finals"])):
        if name in images:
            parts.append(f"<h2>{e(heading)}</h2>{_img(images[name][pick], heading)}")
        elif name == "timeseries.png":
            parts.append(f"<h2>{e(heading)}</h2><p class=note>{e(t['no_series'])}</p>")
    sweep_images = [(n, d) for n, d in images.items() if "_vs_" in n]
    if sweep_images:
        parts.append(f"<h2>{e(t['sweep'])}</h2>")
        parts += [_img(d[pick], t["sweep"]) for _, d in sweep_images]
    return "\n".join(parts)


def _method(table: pd.DataFrame, lang: str, t: dict, adjustment: str) -> str:
    e = html.escape
    others = table[table["reference"].notna()] if "reference" in table else table.iloc[:0]
    key = others[others["family"] == KEY] if len(others) else others
    other = others[others["family"] != KEY] if len(others) else others
    m = int(key["comparisons"].max()) if len(key) else 0
    used = key["adjustment"].iloc[0] if len(key) else adjustment
    paragraphs = [
        t["method_window"],
        t["method_intervals"],
        rule_text(lang, m, used if m > 1 else adjustment),
        t["method_relative"],
    ]
    if len(other):
        paragraphs.append(say(WORDS, "method_other", lang, m=int(other["comparisons"].max())))
    paragraphs += [t["method_g"], t["method_crn"], t["method_files"]]
    parts = [f"<h2>{e(t['method'])}</h2>", *(f"<p>{e(p)}</p>" for p in paragraphs)]
    head = "".join(f"<th>{e(t[k])}</th>" for k in ("range", "interval", "threshold"))
    rows = []
    for name in KEY_METRICS:
        metric = REGISTRY[name]
        low, high = metric.bounds
        unit = metric.unit_in(lang)
        span = f"{number(low)} – {number(high)}" if np.isfinite(high) else t["at_least"]
        method = say(CLAIM_WORDS, interval_method(metric.bounds), lang)
        threshold = [f"{number(metric.threshold)}{' ' if lang == 'en' else ''}{unit}"]
        if metric.relative_threshold:
            share = percent(100 * metric.relative_threshold)
            threshold.append(say(WORDS, "of_reference", lang, share=share))
        cells = [
            f"<td class=text>{e(span)}</td>",
            f"<td class=text>{e(method)}</td>",
            f"<td class=text>{e(('；' if lang == 'zh' else '; ').join(threshold))}</td>",
        ]
        rows.append(f"<tr><th>{e(metric.label(lang))}</th>{''.join(cells)}</tr>")
    parts.append(f"<h3>{e(t['thresholds'])}</h3>")
    parts.append(_table(t["metric"], head, rows))
    return "\n".join(parts)


def _inputs(inputs: Inputs, lang: str, t: dict) -> str:
    e = html.escape
    parts = [f"<h2>{e(t['inputs'])}</h2><ul>"]
    for d in inputs.described:
        extra = f" — {d['replications']} {t['runs']}" if d.get("replications") else ""
        parts.append(
            f"<li><code>{e(d['input'])}</code>: {e(kind_label(d['kind'], lang))}{e(extra)}</li>"
        )
    parts.append("</ul>")
    return "\n".join(parts)


def _table(corner: str, head: str, rows: list[str]) -> str:
    top = f"<thead><tr><th>{html.escape(corner)}</th>{head}</tr></thead>"
    return f"<div class=scroll><table>{top}{''.join(rows)}</table></div>"


def _img(data: bytes, alt: str) -> str:
    src = base64.b64encode(data).decode("ascii")
    return f"<figure><img alt='{html.escape(alt)}' src='data:image/png;base64,{src}'></figure>"


# -- the terminal ---------------------------------------------------------------------------


def summary_lines(table: pd.DataFrame, lang: str = "en") -> list[str]:
    """What ``sanzhi compare`` prints: per group, its clear differences from the reference
    and the key metrics with none; with many groups, only those with a clear one (and how
    many were left out). Nothing is cut without saying so."""
    groups = list(dict.fromkeys(table["group"]))
    titles = dict(zip(table["group"], table["group_label"], strict=False))
    key = table[table["metric"].isin(KEY_METRICS) & table["group"].ne(groups[0])]
    m = int(key["comparisons"].max()) if len(key) else 0
    used = key["adjustment"].iloc[0] if len(key) else HOLM
    lines = [
        say(
            WORDS,
            "terminal_head",
            lang,
            n=len(groups),
            ref=titles[groups[0]],
            method=say(CLAIM_WORDS, used, lang),
            m=m,
        )
    ]
    skipped = 0
    many = len(groups) - 1 > MAX_TERMINAL_GROUPS
    for group in groups[1:]:
        rows = key[key["group"] == group]
        clear = rows[rows["status"] != "no_clear"]
        if many and clear.empty:
            skipped += 1
            continue
        lines.append(f"{titles[group]}{'：' if lang == 'zh' else ':'}")
        lines += [f"  • {s}" for s in clear["sentence"]]
        unclear = rows[rows["status"] == "no_clear"]["label"]
        if len(unclear):
            names = ("、" if lang == "zh" else ", ").join(unclear)
            lines.append(say(WORDS, "terminal_none", lang, metrics=names))
    if skipped:
        lines.append(say(WORDS, "terminal_more", lang, k=skipped))
    return lines


PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei",
  "Helvetica Neue", Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
  color: #222; line-height: 1.5; }}
h1 {{ font-size: 1.7em; margin-bottom: 0.2em; }}
h2 {{ font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }}
h3 {{ font-size: 1.05em; margin-bottom: 0.3em; }} h3 small {{ color: #666; font-weight: normal; }}
.meta, .note {{ color: #666; font-size: 0.9em; }}
.brief {{ border: 1px solid #ccc; padding: 0.3em 1.2em 0.8em; background: #fafafa; }}
.caveat {{ color: #7a4a00; }}
table {{ border-collapse: collapse; font-size: 0.85em; }}
th, td {{ border: 1px solid #ddd; padding: 0.35em 0.55em; text-align: right; vertical-align: top; }}
th {{ background: #f5f5f5; text-align: left; font-weight: 600; }}
td.text {{ text-align: left; }}
tr > th:first-child {{ min-width: 5.5em; }}
td small, th small {{ color: #666; }}
ul.plain {{ padding-left: 1.1em; margin: 0.2em 0; }}
.scroll {{ overflow-x: auto; }}
li.better, td.better {{ color: #1a7f37; }} li.worse, td.worse {{ color: #b42318; }}
figure {{ margin: 1em 0; }} img {{ max-width: 100%; }}
code {{ background: #f5f5f5; padding: 0 0.2em; }}
@page {{ size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 8pt; color: #666; }} }}
@media print {{
  body {{ max-width: none; margin: 0; padding: 0; font-size: 9pt; line-height: 1.4; }}
  h1 {{ font-size: 16pt; }} h2 {{ font-size: 12pt; margin-top: 1.2em; }}
  .brief {{ break-after: page; }}
  .scroll {{ overflow: visible; }}
  table {{ font-size: 7.5pt; width: 100%; break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  tr, li, figure, section.group {{ break-inside: avoid; }}
  h2, h3 {{ break-after: avoid; }}
  img {{ width: 100%; }}
}}
</style></head>
<body>
{body}
</body></html>
"""
