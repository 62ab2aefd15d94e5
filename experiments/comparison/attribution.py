"""Which lever differences carry a city's difference from Kunshan (``sanzhi cities
--attribute``; docs/cities.md, "Attribution").

The levers in which a city's scenario differs from the reference's are put in a few groups a
reader in policy recognises (:data:`GROUPS`, by section and key, not by city). For every
other city and every group in which it differs, the reference scenario runs with only that
group's levers set to the city's values ("one group at a time, swapped into Kunshan"), and
once with all of them ("all groups together": the city at the reference's sample). Every
swap keeps the reference's households, days, seed and replications, so replication r of a
swap and replication r of the reference share their random numbers (common replication
seeds) and their difference is the swap's effect plus little noise; a swap that changes
the community layout cannot fork the reference's warmed state, so the runs are paired by
seed rather than forked (``comparison.paired``).

Per key metric the effect of each swap is the paired mean difference from the reference;
beside it, the left-over (all together minus the sum of the single swaps, per replication:
what the groups do only in combination) and the city's own total difference (its scenario
at its own scale; paired too when it ran on the reference's replication seeds, as the five
city files do, else as independent samples). All of them form one family of claims
(Holm by default), judged by the one rule (:mod:`experiments.claims`).
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.claims import HOLM, LEVEL, Estimate, contrast_bounds, judge, welch
from experiments.columns import window_column
from experiments.comparison.inputs import Group
from experiments.comparison.report import OWN, interval
from experiments.runner import run, summarise
from experiments.scenario import Scenario
from experiments.store import atomic_write
from experiments.wording import Words, number, parameter_label, say, scenario_label
from sim import KEY_METRICS, REGISTRY

ATTRIBUTION_CSV = "attribution.csv"
TOGETHER, LEFT, TOTAL = "together", "interactions", "city_total"

# The lever groups, in the order the report shows them. A key belongs to the first group
# whose keys list it, else to its section's group (SECTIONS); one home per key.
GROUPS: Words = {
    "structure": ("community sizes and households per grid", "社区规模与每网格户数"),
    "staffing": (
        "staffing: grid workers, community staff, police and helpers, social workers, "
        "legal advisors, social organisations",
        "人员配备：网格员、社区工作人员、民警与协管力量、社工、法律顾问、社会组织",
    ),
    "workload": (
        "tasks sent down and the entry list", "下派任务与准入清单",
    ),
    "residents": (
        "residents: party members, volunteers, initial traits, ties",
        "居民：党员、志愿者、初始特征、社会联系",
    ),
    "practices": (
        "practices and levers of the three modes (self-governance, rule of law, moral "
        "governance), their fusion and how grid work succeeds",
        "三治的做法与参数（自治、法治、德治）、三治融合及网格工作的成效",
    ),
}  # fmt: skip
KEYS = {
    "structure": (
        "population.households_per_grid",
        "population.households_per_community",
        "population.community_sizes",
        "population.large_community_share",
        "population.large_community_households",
        "population.largest_community_households",
    ),
    "workload": (
        "staffing.admin_load",
        "staffing.community_admin_load",
        "staffing.task_entry_list",
    ),
}
SECTIONS = {
    "population": "residents",
    "staffing": "staffing",
    "self_governance": "practices",
    "rule_of_law": "practices",
    "moral": "practices",
    "fusion": "practices",
    "behaviour": "practices",
}
# What cannot be swapped into the reference's sample, and why.
NOT_SWAPPED: Words = {
    "population.households": (
        "the sample's size: every swap keeps the reference's households",
        "样本规模：每次替换都保留参照情景的户数",
    ),
    "scenario": (
        "the scenario's name, description, days, warm-up, seed and replications: every swap "
        "keeps the reference's",
        "情景的名称、说明、天数、预热期、随机种子与重复次数：每次替换都沿用参照情景的设定",
    ),
    "timeline": (
        "the timeline of policy changes: a course of events, not a lever (no city has one)",
        "政策变化时间线：属于事件进程而非参数（各城市情景均未设定）",
    ),
}


def group_of(key: str) -> str | None:
    """The lever group of a ``section.key`` parameter; None for what is not swapped."""
    if key in OWN or key == "population.households" or key.split(".")[0] in ("scenario",):
        return None
    if key == "timeline":
        return None
    for name, keys in KEYS.items():
        if key in keys:
            return name
    return SECTIONS[key.split(".")[0]]


def not_swapped(keys: Sequence[str]) -> list[str]:
    """Of ``keys`` (the levers that differ), those left out of every swap."""
    return [k for k in keys if group_of(k) is None]


def swaps(levers: pd.DataFrame, reference: str, city: str) -> dict[str, list[str]]:
    """The groups in which ``city``'s scenario differs from ``reference``'s (lever table of
    :func:`~experiments.comparison.cities.lever_table`), each with its differing keys."""
    out: dict[str, list[str]] = {}
    for _, row in levers.iterrows():
        group = group_of(row["parameter"])
        if group is not None and repr(row[reference]) != repr(row[city]):
            out.setdefault(group, []).append(row["parameter"])
    return {g: out[g] for g in GROUPS if g in out}


def resized(sizes: Sequence[int], reference_total: int, city_total: int) -> tuple[int, ...]:
    """A city's community sizes for the reference's sample: as many communities as keep
    their sizes at the scale of the reference's sample (its listed sizes' total over the
    city's), picked evenly from the city's list, largest first. The model then apportions
    them to the sample's households (``sim.layout.community_sizes``), so a swap changes
    the size of communities, not the number of households."""
    sizes = tuple(int(s) for s in sizes)
    if not sizes or reference_total == city_total:
        return sizes
    k = max(1, round(len(sizes) * reference_total / city_total))
    ordered = np.sort(np.asarray(sizes))[::-1]
    picks = ordered[np.floor((np.arange(k) + 0.5) * len(sizes) / k).astype(int)]
    return tuple(int(x) for x in picks)


def swapped(reference: Scenario, city: Scenario, keys: Sequence[str], label: str) -> Scenario:
    """The reference scenario with ``keys`` set to ``city``'s values (community sizes
    :func:`resized` to the reference's sample), under the name ``label``."""
    ours, theirs = reference.params.flat(), city.params.flat()
    values: dict[str, Any] = {k: theirs[k] for k in keys}
    if "population.community_sizes" in values:
        listed = ours["population.community_sizes"]
        own_total = sum(listed) if listed else ours["population.households"]
        city_list = theirs["population.community_sizes"]
        city_total = sum(city_list) if city_list else theirs["population.households"]
        values["population.community_sizes"] = resized(city_list, own_total, city_total)
    values = {k: _toml_value(v) for k, v in values.items()}
    flags = {k: f"swap from {city.name}" for k in values}
    return reference.with_overrides(values | {"scenario.name": label}, flags)


def _toml_value(value: Any) -> Any:
    """A resolved value as a scenario file would write it (sections as plain tables)."""
    if isinstance(value, tuple):
        return [_toml_value(v) for v in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return value


def swap_label(city: str, swap: str) -> str:
    return f"{city}: {swap}"


def plan(
    loaded: Sequence[Scenario], levers: pd.DataFrame
) -> list[tuple[str, str, list[str], Scenario]]:
    """Every swap to run: (city, group or TOGETHER, keys, scenario). A group in which a
    city does not differ is not run; all groups together only where there are two or
    more (with one, it is that group's swap)."""
    reference = loaded[0]
    out = []
    for city in loaded[1:]:
        groups = swaps(levers, reference.name, city.name)
        for group, keys in groups.items():
            label = swap_label(city.name, group)
            out.append((city.name, group, keys, swapped(reference, city, keys, label)))
        if len(groups) > 1:
            keys = [k for ks in groups.values() for k in ks]
            label = swap_label(city.name, TOGETHER)
            out.append((city.name, TOGETHER, keys, swapped(reference, city, keys, label)))
    return out


def run_swaps(
    planned: Sequence[tuple[str, str, list[str], Scenario]],
    cache: Path,
    *,
    workers: int = 1,
    progress: bool = False,
    runner: Callable[..., pd.DataFrame] | None = None,
) -> dict[tuple[str, str], pd.DataFrame]:
    """Each swap's per-run summary. A finished swap is kept in ``cache`` (one file per
    swap, named by a digest of its parameters), so a killed run resumes without redoing
    it."""
    runner = runner or run
    out = {}
    for city, group, _, scenario in planned:
        path = cache / f"{_digest(scenario)}.parquet"
        if path.is_file():
            out[(city, group)] = pd.read_parquet(path)
            continue
        reps = scenario.params.scenario.replications
        runs = summarise(runner(scenario, replications=reps, workers=workers, progress=progress))
        atomic_write(path, lambda tmp, runs=runs: runs.to_parquet(tmp, index=False))
        out[(city, group)] = runs
    return out


def described(
    planned: Sequence[tuple[str, str, list[str], Scenario]], levers: pd.DataFrame
) -> dict[str, Any]:
    """The manifest's record of the attribution: the groups, what was not swapped, and
    every swap run with its levers and parameters."""
    differing = list(levers["parameter"])
    return {
        "file": ATTRIBUTION_CSV,
        "groups": {g: [k for k in differing if group_of(k) == g] for g in GROUPS},
        "not_swapped": not_swapped(differing),
        "swaps": [
            {
                "city": city,
                "swap": group,
                "levers": keys,
                "replications": scenario.params.scenario.replications,
                "seed": scenario.params.scenario.seed,
                "parameters": scenario.params.to_dict(),
            }
            for city, group, keys, scenario in planned
        ],
    }


def _digest(scenario: Scenario) -> str:
    text = json.dumps(scenario.params.to_dict(), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


# -- the effects ----------------------------------------------------------------------------


def effects(
    planned: Sequence[tuple[str, str, list[str], Scenario]],
    runs: Mapping[tuple[str, str], pd.DataFrame],
    reference: Group,
    cities: Sequence[Group],
    adjustment: str = HOLM,
) -> pd.DataFrame:
    """attribution.csv: per city, swap (a group, TOGETHER, LEFT, TOTAL) and key metric, the
    difference from the reference with its 95% and adjusted intervals and the verdict."""
    ref = reference.runs.set_index("replication").sort_index()
    keys: dict[str, dict[str, list[str]]] = {}
    for city, group, k, _ in planned:
        keys.setdefault(city, {})[group] = k
    rows: list[dict[str, Any]] = []
    tests: list[tuple[int, Estimate, float]] = []
    for own in cities:
        city = own.label
        groups = [g for g in keys.get(city, {}) if g != TOGETHER]
        for metric in KEY_METRICS:
            m = REGISTRY[metric]
            col = window_column(metric)
            base = ref[col].to_numpy(float)
            threshold = m.practical_threshold(float(np.nanmean(base)))
            singles = []
            for group in [*groups, TOGETHER]:
                if (city, group) not in runs:
                    continue
                other = runs[(city, group)].set_index("replication").sort_index()
                _same_seeds(ref, other, city, group)
                d = other[col].to_numpy(float) - base
                if group != TOGETHER:
                    singles.append(d)
                est = _paired(d, m.bounds)
                rows.append(_row(city, group, keys[city][group], metric, base, d, est, len(d)))
                tests.append((len(rows) - 1, est, threshold))
            if len(singles) > 1:  # what the groups do only together, replication by replication
                together = runs[(city, TOGETHER)].set_index("replication").sort_index()
                d = together[col].to_numpy(float) - base - np.sum(singles, axis=0)
                est = _paired(d, (-math.inf, math.inf))
                rows.append(_row(city, LEFT, [], metric, base, d, est, len(d)))
                tests.append((len(rows) - 1, est, threshold))
            mine = own.runs.set_index("replication").sort_index()
            values = mine[col].to_numpy(float)
            if _paired_by_seed(ref, mine):  # the cities share the library's root seed
                d = values - base
                est = _paired(d, m.bounds)
                row = _row(city, TOTAL, [], metric, base, d, est, len(d))
            else:
                est = welch(values, base, m.bounds)
                row = _row(city, TOTAL, [], metric, base, None, est, values.size)
                row["mean"] = float(values.mean()) if values.size else math.nan
            rows.append(row)
            tests.append((len(rows) - 1, est, threshold))
    claims = judge(
        [t[1] for t in tests],
        [t[2] for t in tests],
        [rows[i]["diff"] for i, _, _ in tests],
        adjustment=adjustment,
    )
    for (i, _, _), claim in zip(tests, claims, strict=True):
        # The left-over has no better direction of its own: what the groups do beyond their sum.
        better = "" if rows[i]["swap"] == LEFT else REGISTRY[rows[i]["metric"]].better
        rows[i] |= {
            "p": claim.p,
            "p_adjusted": claim.p_adjusted,
            "adjustment": claim.adjustment,
            "comparisons": claim.family,
            "adj_level": claim.level,
            "adj_low": claim.low,
            "adj_high": claim.high,
            "threshold": claim.threshold,
            "status": claim.status(better),
        }
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    together = table[table["swap"] == TOGETHER].set_index(["city", "metric"])["diff"]
    single = {  # a city with one group: that group's swap is all of them together
        (c, m): d
        for c, m, d in table.loc[
            ~table["swap"].isin((TOGETHER, LEFT, TOTAL)), ["city", "metric", "diff"]
        ].itertuples(index=False)
        if sum(1 for g in keys.get(c, {}) if g != TOGETHER) == 1
    }
    whole = together.to_dict() | single
    table["share_of_together"] = [
        d / whole[(c, m)] if (c, m) in whole and whole[(c, m)] != 0 and s != TOTAL else math.nan
        for c, m, s, d in table[["city", "metric", "swap", "diff"]].itertuples(index=False)
    ]
    return table


def _paired_by_seed(ref: pd.DataFrame, other: pd.DataFrame) -> bool:
    return "seed" in ref and "seed" in other and list(ref["seed"]) == list(other["seed"])


def _same_seeds(ref: pd.DataFrame, other: pd.DataFrame, city: str, group: str) -> None:
    if not _paired_by_seed(ref, other):
        raise RuntimeError(f"swap {city}: {group} did not run on the reference's seeds")


def _paired(d: np.ndarray, bounds: tuple[float, float]) -> Estimate:
    d = d[np.isfinite(d)]
    if d.size < 2:
        return Estimate(math.nan, math.nan)
    return Estimate(
        float(d.mean()),
        float(d.std(ddof=1) / math.sqrt(d.size)),
        d.size - 1,
        bounds=contrast_bounds((1.0, -1.0), bounds),
    )


def _row(city, swap, keys, metric, base, d, est: Estimate, n: int) -> dict[str, Any]:
    low, high = est.interval(LEVEL)
    return {
        "city": city,
        "swap": swap,
        "levers": ";".join(keys),
        "metric": metric,
        "replications": n,
        "reference_mean": float(np.mean(base)),
        "mean": float(np.mean(base) + np.mean(d)) if d is not None else math.nan,
        "diff": float(est.shown),
        "ci95_low": low,
        "ci95_high": high,
        "paired": d is not None,
    }


# -- the report's section -------------------------------------------------------------------

WORDS: Words = {
    "head": ("Which lever groups carry each difference", "各项差异由哪些参数组带来"),
    "method": (
        "For each city and each group of levers in which its scenario differs from {ref}'s, "
        "{ref}'s scenario was run with only that group set to the city's values, on {ref}'s "
        "{households} households, days and replication seeds ({n} replications); the effect is "
        "the mean of the paired differences from {ref}. \"All together\" sets every group at "
        "once (the city's levers on {ref}'s sample); \"left to interactions\" is all together "
        "minus the sum of the single swaps, replication by replication: what the groups do only"
        " in combination. The city's own difference (its scenario at its own scale, paired when"
        " it ran on {ref}'s replication seeds) is beside them. One swap at a time is not "
        "additive: the singles need not add up to all together, and a group with no effect "
        "alone may matter together with another. {runs} runs in all. Intervals are adjusted "
        "over the {m} comparisons of this section ({method}); bold: a clear effect (the "
        "interval clear of zero and at least the metric's practical threshold); \"·\": the city"
        " does not differ from {ref} in that group, so it was not run.",
        "对每个城市及其情景与{ref}取值不同的每一组参数，只把该组参数设为该城市的取值，在{ref}的"
        "{households}户、天数和重复随机种子上运行{ref}的情景（{n}次重复）；效应是与{ref}逐次配对"
        "差值的均值。“全部一起”同时替换所有参数组（即在{ref}样本上运行该城市的参数）；“交互作用"
        "余项”是全部一起减去各单组替换之和（逐次重复计算）：即各组只在组合中才产生的作用。旁边"
        "列出该城市自身的差异（按其自身规模运行的情景；若其重复随机种子与{ref}相同，同样逐次配对）。逐组替换不可相加：单组效应之和"
        "不必等于全部一起，单独无效应的一组可能与另一组共同起作用。共运行{runs}次。区间按本节{m}"
        "项比较校正（{method}）；加粗表示明显效应（区间不含零且不小于该指标的实际意义阈值）；"
        "“·”表示该城市在这一组上与{ref}相同，因而未运行。",
    ),
    "groups_head": ("The lever groups", "参数组"),
    "not_swapped": ("Not swapped: {keys}.", "未替换：{keys}。"),
    "group": ("Group", "参数组"),
    "keys": ("Levers in it that differ among the cities", "组内各城市取值不同的参数"),
    "city": ("City", "城市"),
    "together": ("all together", "全部一起"),
    "interactions": ("left to interactions", "交互作用余项"),
    "city_total": ("the city's own difference", "该城市自身的差异"),
    "alone": ("{group} alone {effect}", "仅{group}：{effect}"),
    "none_alone": ("no clear effect alone: {groups}", "单独无明显效应：{groups}"),
    "sum_line": (
        "all together {together}; left to interactions {left}; the city's own difference "
        "{total}",
        "全部一起{together}；交互作用余项{left}；该城市自身的差异{total}",
    ),
    "unclear": ("no clear effect, {effect}", "无明显效应，{effect}"),
    "nothing": (
        "no swap and no city differs clearly from {ref}",
        "没有任何替换或城市与{ref}有明显差异",
    ),
    "ci": ("adjusted CI", "校正后置信区间"),
    "holm": ("Holm", "Holm"),
    "bh": ("Benjamini–Hochberg", "Benjamini–Hochberg"),
    "none": ("none", "未校正"),
}  # fmt: skip
SHORT: Words = {
    "structure": ("structure", "结构"),
    "staffing": ("staffing", "人员配备"),
    "workload": ("tasks and entry list", "任务与准入清单"),
    "residents": ("residents", "居民"),
    "practices": ("practices", "三治做法"),
    TOGETHER: ("all together", "全部一起"),
    LEFT: ("left to interactions", "交互作用余项"),
    TOTAL: ("the city's own difference", "城市自身差异"),
}


def render_section(
    table: pd.DataFrame,
    planned: Sequence[tuple[str, str, list[str], Scenario]],
    reference: Scenario,
    differing: Sequence[str],
    lang: str,
) -> str:
    """The attribution's part of the cities' section: method, groups, one matrix (city x
    swap) per key metric with a sentence per city."""
    e = html.escape
    ref = reference.name
    refname = scenario_label(ref, lang)
    reps = reference.params.scenario.replications
    m = int(table["comparisons"].max()) if not table.empty else 0
    method = say(WORDS, str(table["adjustment"].iloc[0]) if not table.empty else "none", lang)
    parts = [
        f"<h3>{e(say(WORDS, 'head', lang))}</h3>",
        "<p class=note>"
        + e(
            say(
                WORDS,
                "method",
                lang,
                ref=refname,
                households=f"{reference.params.population.households:,}",
                n=reps,
                runs=len(planned) * reps,
                m=m,
                method=method,
            )
        )
        + "</p>",
        _groups_html(table, differing, lang),
    ]
    cities = list(dict.fromkeys(table["city"])) if not table.empty else []
    columns = [
        s for s in (*GROUPS, TOGETHER, LEFT, TOTAL) if not table.empty and s in set(table["swap"])
    ]
    for metric in KEY_METRICS:
        rows = table[table["metric"] == metric]
        label = REGISTRY[metric].label(lang)
        unit = REGISTRY[metric].unit_in(lang)
        head = "".join(f"<th>{e(say(SHORT, s, lang))}</th>" for s in columns)
        body = []
        for city in cities:
            cells = []
            for s in columns:
                hit = rows[(rows["city"] == city) & (rows["swap"] == s)]
                cells.append(_cell(hit.iloc[0]) if len(hit) else "<td>·</td>")
            body.append(f"<tr><th>{e(scenario_label(city, lang))}</th>{''.join(cells)}</tr>")
        parts.append(f"<h4>{e(label)} <small>({e(unit)})</small></h4>")
        parts.append(
            f"<div class=scroll><table><thead><tr><th>{e(say(WORDS, 'city', lang))}</th>"
            f"{head}</tr></thead>{''.join(body)}</table></div>"
        )
        parts.append("<ul>")
        parts += [f"<li>{e(line)}</li>" for line in sentences(rows, cities, ref, lang)]
        parts.append("</ul>")
    return "\n".join(parts)


def _groups_html(table: pd.DataFrame, differing: Sequence[str], lang: str) -> str:
    e = html.escape
    comma = "、" if lang == "zh" else ", "
    rows = []
    for group in GROUPS:
        keys = [k for k in differing if group_of(k) == group]
        if keys:
            names = comma.join(parameter_label(k, lang) for k in keys)
            rows.append(
                f"<tr><th>{e(say(SHORT, group, lang))}</th>"
                f"<td class=text>{e(say(GROUPS, group, lang))}</td>"
                f"<td class=text>{e(names)}</td></tr>"
            )
    left = not_swapped(differing)
    out = [
        f"<div class=scroll><table><thead><tr><th>{e(say(WORDS, 'group', lang))}</th><th></th>"
        f"<th>{e(say(WORDS, 'keys', lang))}</th></tr></thead>{''.join(rows)}</table></div>"
    ]
    if left:
        reasons = [
            f"{parameter_label(k, lang)}（{say(NOT_SWAPPED, _reason(k), lang)}）"
            if lang == "zh"
            else f"{parameter_label(k, lang)} ({say(NOT_SWAPPED, _reason(k), lang)})"
            for k in left
        ]
        out.append(
            f"<p class=note>{e(say(WORDS, 'not_swapped', lang, keys=comma.join(reasons)))}</p>"
        )
    return "\n".join(out)


def _reason(key: str) -> str:
    return key if key in NOT_SWAPPED else key.split(".")[0]


def _cell(row: pd.Series) -> str:
    text = number(row["diff"], sign=True)
    span = interval(row["adj_low"], row["adj_high"], sign=True)
    clear = row["status"] != "no_clear"
    main = f"<b>{text}</b>" if clear else text
    return f"<td class='{row['status']}'>{main}<br><small>{span}</small></td>"


def effect_text(row: pd.Series, lang: str) -> str:
    """'-1.2 (adjusted CI -1.5 – -0.9)' in the metric's unit."""
    span = interval(row["adj_low"], row["adj_high"], sign=True)
    if lang == "zh":
        return f"{number(row['diff'], sign=True)}（{say(WORDS, 'ci', lang)} {span}）"
    return f"{number(row['diff'], sign=True)} ({say(WORDS, 'ci', lang)} {span})"


def sentences(rows: pd.DataFrame, cities: Sequence[str], ref: str, lang: str) -> list[str]:
    """Per city, what the adjusted intervals support: each group with a clear effect alone,
    the groups without one (nulls stated), all together, the left-over and the city's own
    difference. Cities where nothing is clear share one sentence."""
    sep = "；" if lang == "zh" else "; "
    comma = "、" if lang == "zh" else ", "
    colon = "：" if lang == "zh" else ": "
    end = "。" if lang == "zh" else "."
    lines, quiet = [], []
    for city in cities:
        mine = rows[rows["city"] == city].set_index("swap")
        if (mine["status"] == "no_clear").all():
            quiet.append(city)
            continue
        groups = [g for g in GROUPS if g in mine.index]
        clauses = [
            say(
                WORDS,
                "alone",
                lang,
                group=say(SHORT, g, lang),
                effect=effect_text(mine.loc[g], lang),
            )
            for g in groups
            if mine.loc[g, "status"] != "no_clear"
        ]
        nulls = [say(SHORT, g, lang) for g in groups if mine.loc[g, "status"] == "no_clear"]
        if nulls:
            clauses.append(say(WORDS, "none_alone", lang, groups=comma.join(nulls)))
        clauses.append(
            say(
                WORDS,
                "sum_line",
                lang,
                together=_said(mine, TOGETHER, groups, lang),
                left=_said(mine, LEFT, groups, lang),
                total=_said(mine, TOTAL, groups, lang),
            )
        )
        lines.append(f"{scenario_label(city, lang)}{colon}{sep.join(clauses)}{end}")
    if quiet:
        names = comma.join(scenario_label(c, lang) for c in quiet)
        lines.append(
            f"{names}{colon}{say(WORDS, 'nothing', lang, ref=scenario_label(ref, lang))}{end}"
        )
    return lines


def _said(mine: pd.DataFrame, swap: str, groups: list[str], lang: str) -> str:
    if swap not in mine.index:
        if swap == TOGETHER and len(groups) == 1:
            swap = groups[0]  # one group: its swap is all of them together
        else:
            return "–"
    row = mine.loc[swap]
    if row["status"] == "no_clear":
        return say(WORDS, "unclear", lang, effect=effect_text(row, lang))
    return effect_text(row, lang)
