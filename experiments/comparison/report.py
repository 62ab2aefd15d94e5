"""The comparison report: summary.csv, PNG figures and a self-contained report.html."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.comparison import figures
from experiments.comparison.inputs import MAX_TIMESERIES_GROUPS, Inputs, load_inputs
from experiments.comparison.stats import compare_groups
from experiments.plotting import figure_language, png_bytes
from experiments.runner import SUMMARY_WINDOW
from experiments.store import atomic_write, finished, now, write_json
from experiments.wording import Words, interval, number, say
from sim import KEY_METRICS, REGISTRY

MAX_SENTENCE_GROUPS = 6  # beyond this, findings live in the tables and summary.csv
MAX_MARKER_GROUPS = 40  # final-values plot rows

WORDS: Words = {
    "title": ("Scenario comparison", "情景比较报告"),
    "generated": ("Generated", "生成时间"),
    "reference": ("Reference (first input)", "参照情景（第一个输入）"),
    "inputs": ("Inputs", "输入"),
    "findings": ("Main differences from the reference", "与参照情景相比的主要差异"),
    "versus": ("compared with", "相对于"),
    "key": (
        "Key metrics: mean over the last {window} days of each run, mean and 95% CI across "
        "replications",
        "关键指标：每次运行最后{window}天的均值；各次重复的均值及95%置信区间",
    ),
    "diff": (
        "Differences from the reference: Welch 95% CI, relative change and Hedges' g",
        "与参照情景的差异：Welch 95%置信区间、相对变化及 Hedges' g 效应量",
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
    "method_text": (
        "Each run is summarised by the mean of each metric over its last {window} days. Confidence"
        " intervals are Student-t intervals across replications. Differences from the reference "
        "use Welch's t interval (unequal variances); relative changes use the delta method for a "
        "ratio of means with Welch's degrees of freedom; effect sizes are Hedges' g (bias-"
        "corrected standardised mean difference). 'Better' or 'worse' is stated only where the 95%"
        " CI excludes no change, and only for metrics with a preferred direction. Sweep points "
        "share replication seeds (common random numbers). All numbers, for every metric, are in "
        "summary.csv.",
        "每次运行以各指标最后{window}天的均值概括。置信区间为各次重复之间的 t 区间。与"
        "参照情景的差异采用 Welch t 区间（方差不等）；相对变化采用均值之比的 delta"
        " 方法及 Welch 自由度；效应量为 Hedges' g（偏差校正的标准化均值差）。仅"
        "当95%置信区间不含零、且指标有明确的好坏方向时，才标注“改善”或“变差”。参数扫描各点"
        "使用相同的重复随机种子（共同随机数）。全部指标的数值见 summary.csv。",
    ),
    "scenario": ("Scenario", "情景"),
    "metric": ("Metric", "指标"),
    "n": ("runs", "次运行"),
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
    "g": ("g", "g"),
    "scenario file (run for this report)": (
        "scenario file (run for this report)",
        "情景文件（为本报告运行）",
    ),
    "results folder": ("results folder", "结果文件夹"),
    "sweep results folder (one group per point)": (
        "sweep results folder (one group per point)",
        "参数扫描结果文件夹（每个参数点一组）",
    ),
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
) -> pd.DataFrame:
    """Compare scenario files and results folders; write the report into ``out``.

    Returns the table written to summary.csv.
    """
    started = now()
    inputs = load_inputs(paths, replications=replications, workers=workers, progress=progress)
    table = compare_groups(inputs.groups, lang)
    out = Path(out)
    atomic_write(out / "summary.csv", lambda tmp: table.to_csv(tmp, index=False))
    pictures = _figures(inputs, table, lang, out)
    page = render(inputs, table, pictures, lang)
    atomic_write(out / "report.html", lambda tmp: tmp.write_text(page, encoding="utf-8"))
    manifest = {
        "kind": "comparison",
        "command": command,
        "lang": lang,
        "inputs": inputs.described,
        "groups": [g.label for g in inputs.groups],
        "figures": [name for name, _ in pictures["files"]],
        "started": started,
    }
    write_json(finished(manifest), out / "manifest.json")
    return table


def _figures(inputs: Inputs, table: pd.DataFrame, lang: str, out: Path) -> dict[str, Any]:
    files: list[tuple[str, bytes]] = []
    groups = inputs.groups
    with figure_language(lang) as fig_lang:
        if len(groups) <= MAX_TIMESERIES_GROUPS and all(g.timeseries is not None for g in groups):
            files.append(("timeseries.png", png_bytes(figures.timeseries(groups, fig_lang))))
        if len(groups) <= MAX_MARKER_GROUPS:
            fig = figures.final_values(table, [g.label for g in groups], fig_lang)
            files.append(("final_values.png", png_bytes(fig)))
        for sweep in inputs.sweeps:
            for factor in sweep.factors:
                name = f"{sweep.name}_vs_{factor}.png".replace("/", "_")
                files.append((name, png_bytes(figures.against(sweep, factor, fig_lang))))
    for name, data in files:
        atomic_write(out / name, lambda tmp, data=data: tmp.write_bytes(data))
    return {"files": files, "lang": fig_lang}


def render(inputs: Inputs, table: pd.DataFrame, pictures: dict, lang: str) -> str:
    """The report as one HTML page with embedded figures."""
    t = {
        key: say(WORDS, key, lang, window=SUMMARY_WINDOW, n=MAX_TIMESERIES_GROUPS) for key in WORDS
    }
    groups = inputs.groups
    ref = groups[0].label
    e = html.escape
    parts = [f"<h1>{e(t['title'])}</h1>", f"<p class=meta>{e(t['generated'])}: {e(now())}</p>"]
    parts.append(f"<h2>{e(t['inputs'])}</h2><ul>")
    for d in inputs.described:
        extra = f" — {d['replications']} {t['n']}" if d.get("replications") else ""
        kind = t[d["kind"]]
        parts.append(f"<li><code>{e(d['input'])}</code>: {e(kind)}{e(extra)}</li>")
    parts.append(f"</ul><p>{e(t['reference'])}: <b>{e(ref)}</b></p>")

    if 1 < len(groups) <= MAX_SENTENCE_GROUPS + 1:
        parts.append(f"<h2>{e(t['findings'])}</h2>")
        for group in groups[1:]:
            parts.append(f"<h3>{e(group.label)} <small>{e(t['versus'])} {e(ref)}</small></h3><ul>")
            rows = table[(table["group"] == group.label) & table["metric"].isin(KEY_METRICS)]
            for row in rows.itertuples():
                css = _judgement(row.metric, row.diff_ci95_low, row.diff_ci95_high)
                parts.append(f"<li class='{css}'>{e(row.sentence)}</li>")
            parts.append("</ul>")

    parts.append(f"<h2>{e(t['key'])}</h2>")
    parts.append(_key_table(table, groups, lang, t))
    if 1 < len(groups) <= MAX_MARKER_GROUPS:  # bigger sweeps: see the plots and summary.csv
        parts.append(f"<h2>{e(t['diff'])}</h2>")
        parts.append(_diff_table(table, groups, lang, t))

    images = dict(pictures["files"])
    if pictures["lang"] != lang:
        parts.append(f"<p class=note>{e(t['fonts'])}</p>")
    for name, heading in (("timeseries.png", t["series"]), ("final_values.png", t["finals"])):
        if name in images:
            parts.append(f"<h2>{e(heading)}</h2>{_img(images[name], heading)}")
        elif name == "timeseries.png":
            note = t["no_series"]
            parts.append(f"<h2>{e(heading)}</h2><p class=note>{e(note)}</p>")
    sweep_images = [(n, d) for n, d in pictures["files"] if "_vs_" in n]
    if sweep_images:
        parts.append(f"<h2>{e(t['sweep'])}</h2>")
        parts += [_img(d, n) for n, d in sweep_images]
    parts.append(f"<h2>{e(t['method'])}</h2><p>{e(t['method_text'])}</p>")
    body = "\n".join(parts)
    return PAGE.format(lang="zh-CN" if lang == "zh" else "en", title=e(t["title"]), body=body)


def _judgement(name: str, low: float, high: float) -> str:
    """CSS class: better / worse when the CI excludes zero and the metric has a direction."""
    metric = REGISTRY[name]
    if not metric.better or not np.isfinite(low) or (low <= 0 <= high):
        return "neutral"
    return "better" if (low > 0) == (metric.better == "higher") else "worse"


def _key_table(table: pd.DataFrame, groups, lang: str, t: dict) -> str:
    e = html.escape
    head = "".join(
        f"<th>{e(REGISTRY[m].label(lang))}<br><small>{e(REGISTRY[m].unit)}</small></th>"
        for m in KEY_METRICS
    )
    rows = []
    for g in groups:
        cells = []
        for m in KEY_METRICS:
            r = table[(table["group"] == g.label) & (table["metric"] == m)].iloc[0]
            ci = (
                f"<br><small>{number(r['ci95_low'])} – {number(r['ci95_high'])}</small>"
                if np.isfinite(r["ci95_low"])
                else ""
            )
            cells.append(f"<td>{number(r['mean'])}{ci}</td>")
        n = int(table[table["group"] == g.label]["n"].max())
        rows.append(f"<tr><th>{e(g.label)}<br><small>n = {n}</small></th>{''.join(cells)}</tr>")
    return _table(t["scenario"], head, rows)


def _diff_table(table: pd.DataFrame, groups, lang: str, t: dict) -> str:
    e = html.escape
    head = "".join(f"<th>{e(REGISTRY[m].label(lang))}</th>" for m in KEY_METRICS)
    rows = []
    for g in groups[1:]:
        cells = []
        for m in KEY_METRICS:
            r = table[(table["group"] == g.label) & (table["metric"] == m)].iloc[0]
            if np.isfinite(r["rel_change"]):
                main = f"{100 * r['rel_change']:+.1f}%"
                ci = f"{100 * r['rel_ci95_low']:+.1f}% – {100 * r['rel_ci95_high']:+.1f}%"
            else:
                main = number(r["diff"], sign=True)
                ci = interval(r["diff_ci95_low"], r["diff_ci95_high"], sign=True)
            g_ = f"{t['g']} = {r['hedges_g']:+.2f}" if np.isfinite(r["hedges_g"]) else ""
            css = _judgement(m, r["diff_ci95_low"], r["diff_ci95_high"])
            cells.append(f"<td class='{css}'>{main}<br><small>{ci}<br>{g_}</small></td>")
        rows.append(f"<tr><th>{e(g.label)}</th>{''.join(cells)}</tr>")
    return _table(t["scenario"], head, rows)


def _table(corner: str, head: str, rows: list[str]) -> str:
    top = f"<tr><th>{html.escape(corner)}</th>{head}</tr>"
    return f"<div class=scroll><table>{top}{''.join(rows)}</table></div>"


def _img(data: bytes, alt: str) -> str:
    src = base64.b64encode(data).decode("ascii")
    return f"<figure><img alt='{html.escape(alt)}' src='data:image/png;base64,{src}'></figure>"


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
table {{ border-collapse: collapse; font-size: 0.85em; }}
th, td {{ border: 1px solid #ddd; padding: 0.35em 0.55em; text-align: right; vertical-align: top; }}
th {{ background: #f5f5f5; text-align: left; font-weight: 600; }}
td small, th small {{ color: #666; }}
.scroll {{ overflow-x: auto; }}
li.better, td.better {{ color: #1a7f37; }} li.worse, td.worse {{ color: #b42318; }}
figure {{ margin: 1em 0; }} img {{ max-width: 100%; }}
code {{ background: #f5f5f5; padding: 0 0.2em; }}
@media print {{ body {{ max-width: none; }} }}
</style></head>
<body>
{body}
</body></html>
"""
