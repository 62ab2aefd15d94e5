"""What reports and results folders give their readers: every word in Chinese with
``--lang zh`` (a scan for untranslated English), a print-ready PDF (A4, page numbers, the
policy brief alone on page 1, figures at print resolution, text extractable), units and
definitions stored with the results, and the command line's help.

The Chinese scan allows, besides Chinese, only what is not prose: metric and parameter keys,
file names and paths, command-line flags, code, and the names of methods that Chinese
writing keeps in Latin letters (``ALLOWED``).
"""

from __future__ import annotations

import html
import io
import itertools
import json
import re
import shutil

import matplotlib.text
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pypdf
import pytest

import sim
from experiments.analysis.frontier import figures as frontier_figures
from experiments.analysis.frontier.costs import Costs
from experiments.analysis.frontier.pareto import Target, find_frontier
from experiments.analysis.frontier.text import answer
from experiments.analysis.fusion import figures as fusion_figures
from experiments.analysis.fusion.study import analyse_fusion
from experiments.analysis.fusion.text import headlines
from experiments.analysis.fusion.text import summary as fusion_summary
from experiments.analysis.sensitivity import figures as sensitivity_figures
from experiments.analysis.sensitivity.indices import analyse, sample
from experiments.analysis.sensitivity.study import SensitivityResult, judge_indices
from experiments.analysis.sensitivity.text import markdown, text_summary
from experiments.calibration import figures as calibration_figures
from experiments.calibration.search import fit_table
from experiments.calibration.study import CalibrationResult
from experiments.calibration.targets import FreeParameter, TargetFile
from experiments.calibration.targets import Target as CalibrationTarget
from experiments.calibration.text import fit_text
from experiments.cli.main import main
from experiments.columns import (
    METRICS_CSV,
    column_metadata,
    final_column,
    window_column,
)
from experiments.comparison import figures as compare_figures
from experiments.comparison.inputs import load_inputs
from experiments.comparison.report import summary_lines
from experiments.plotting import cjk_font, figure_language
from experiments.terminal import format_table, key_metrics_table
from sim import KEY_METRICS, METRICS, Parameters
from tests.test_claims import factorial_summary
from tests.test_cli import ROOT, sanzhi, write

# Latin-script words Chinese writing keeps: method and software names, index symbols.
ALLOWED = {
    "Holm", "Benjamini", "Hochberg", "Welch", "Student", "Satterthwaite", "Hedges",
    "Morris", "Sobol", "SALib", "Saltelli", "logit", "mu", "sigma", "ST", "S1", "sqrt",
}  # fmt: skip
KEYS = {m.name for m in METRICS} | {key for key, *_ in Parameters.specs()}
NOT_PROSE = [
    re.compile(r"<code>.*?</code>", re.S),
    re.compile(r"`[^`]*`"),
    re.compile(r"(?:[\w.\-]*/)+[\w.\-]*"),  # paths
    re.compile(r"[\w.\-]+\.(?:csv|png|html|pdf|md|toml|json|parquet)\b"),  # file names
    re.compile(r"--[a-z][a-z\-]*"),  # flags
    re.compile(r"\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+\b"),  # keys: section.key, metric_name
]


def untranslated(text: str) -> list[str]:
    """English left in a Chinese text: runs of two or more Latin letters that are not a
    key, a file name, code, or an allowed method name."""
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    words = re.findall(r"[A-Za-z][A-Za-z']+", text)
    return sorted({w for w in words if w not in ALLOWED and w.rstrip("'") not in ALLOWED})


def page_text(page: str) -> str:
    """The visible text of an HTML page (no style, no tags, no embedded images)."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<code>(.*?)</code>", r"`\1`", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def figure_text(fig) -> str:
    """Every piece of text drawn in a matplotlib figure (tick labels in math mode, such as
    a log axis's powers of ten, are numbers, not words)."""
    texts = (t.get_text() for t in fig.findobj(matplotlib.text.Text))
    return "\n".join(re.sub(r"\$[^$]*\$", " ", t) for t in texts)


def test_the_scan_finds_english():
    assert untranslated("每千户 falls by 3 (adjusted 95% CI)") == ["CI", "adjusted", "by", "falls"]
    assert untranslated("Holm 校正；`staffing.admin_load`；见 summary.csv、docs/ODD.md") == []
    assert untranslated("escalations_per_1000_households_year 与 fusion.coordination") == []


@pytest.fixture(scope="module")
def zh_report(tmp_path_factory):
    """A comparison in Chinese of two library scenarios, at a small size (the names and
    descriptions stay the library's, so their translations apply)."""
    tmp = tmp_path_factory.mktemp("zh")
    small = "steps = 40\nreplications = 4\n[population]\nhouseholds = 400\n"
    files = []
    for name in ("baseline", "more_grid_workers"):
        source = ROOT / "scenarios" / f"{name}.toml"
        files.append(write(tmp / f"{name}.toml", f'[scenario]\nextends = "{source}"\n{small}'))
    out = tmp / "report"
    result = sanzhi(
        "compare", *map(str, files), "--out", str(out), "--lang", "zh", "--workers", "1"
    )
    assert result.returncode == 0, result.stderr
    return {"out": out, "stdout": result.stdout, "files": files}


def test_compare_in_chinese_has_no_english_words(zh_report):
    out = zh_report["out"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert untranslated(page_text(page)) == []
    assert "基准情景" in page and "增配网格员" in page  # scenario names translated
    assert "每名网格员服务户数" in page  # the lever that differs, by its label
    assert untranslated(zh_report["stdout"].split("\n", 1)[-1]) == []  # after the progress bar
    pdf = pypdf.PdfReader(out / "report.pdf")
    assert untranslated("\n".join(p.extract_text() for p in pdf.pages)) == []
    table = pd.read_csv(out / "summary.csv")
    assert untranslated("\n".join(summary_lines(table, "zh"))) == []


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font for matplotlib")
def test_figures_in_chinese_have_no_english_words(zh_report):
    inputs = load_inputs([str(f) for f in zh_report["files"]], replications=2)
    table = pd.read_csv(zh_report["out"] / "summary.csv")
    groups = inputs.ordered
    with figure_language("zh") as lang:
        assert lang == "zh"
        figs = [
            compare_figures.timeseries(groups, lang),
            compare_figures.final_values(
                table, [g.label for g in groups], lang, [g.title(lang) for g in groups]
            ),
        ]
        fusion = analyse_fusion(factorial_summary(np.random.default_rng(0)), [KEY_METRICS[0]])
        figs += [
            fusion_figures.interaction(fusion.cells, fusion.metrics, fusion.coordination, lang),
            fusion_figures.effects(fusion.effects, fusion.metrics, fusion.coordination, lang),
        ]
        sens = sensitivity_result()
        figs.append(sensitivity_figures.sensitivity(sens.indices, "morris", KEY_METRICS[0], lang))
        frontier, target = frontier_result()
        figs.append(frontier_figures.frontier(frontier, target, "staff_days_per_year", lang))
        calibration = calibration_result()
        figs.append(calibration_figures.fit_figure(calibration.fit, lang))
        figs.append(calibration_figures.search_figure(calibration.samples, TARGETS, lang))
    for fig in figs:
        assert untranslated(figure_text(fig)) == [], fig.get_suptitle()


def sensitivity_result() -> SensitivityResult:
    names = ["staffing.admin_load", "fusion.coordination", "moral.role_models"]
    problem = {"num_vars": 3, "names": names, "bounds": [[0.1, 0.6], [0.1, 0.9], [0.0, 0.5]]}
    X = sample(problem, "morris", 6, 1)
    rng = np.random.default_rng(1)
    runs = 5 + 3 * X[:, 0][:, None] + rng.normal(0, 0.2, (len(X), 3))
    metric = KEY_METRICS[0]
    points = pd.DataFrame(
        {f"{metric}_mean": runs.mean(1), f"{metric}_sd": runs.std(1, ddof=1), f"{metric}_n": 3}
    )
    indices = analyse(problem, X, runs.mean(1), "morris", num_resamples=50, seed=1)
    indices = judge_indices(indices.assign(metric=metric), points, "morris")
    return SensitivityResult("morris", 6, indices, pd.DataFrame(), points, {metric: 0.1})


def frontier_result():
    points = list(itertools.product([150, 400], [0.0, 1.0]))
    table = pd.DataFrame(
        {
            "staffing.households_per_grid_worker": [p[0] for p in points],
            "staffing.legal_advisors_per_community": [p[1] for p in points],
            "staff_days_per_year": [400.0, 600.0, 150.0, 350.0],
            "yuan_per_year": [1e6, 1.4e6, 4e5, 8e5],
            "grid_workers": [2, 2, 1, 1],
            "legal_advisors": [0, 1, 0, 1],
            "social_workers": [1, 1, 1, 1],
            "mean": [2.0, 1.5, 6.0, 5.0],
            "sd": 0.3,
            "n": 5,
        }
    )
    target = Target.parse("escalations_per_1000_households_year<=3")
    return find_frontier(table, target, cost="staff_days_per_year"), target


TARGETS = TargetFile(
    ROOT / "scenarios" / "targets" / "kunshan_2021.toml",
    (CalibrationTarget("requests", "service_requests_per_household_year", 0.6, 0.06),),
    (FreeParameter("behaviour.service_rate", 0.3, 1.2),),
)


def calibration_result() -> CalibrationResult:
    rng = np.random.default_rng(2)
    confirm = pd.DataFrame(
        {final_column("service_requests_per_household_year"): rng.normal(0.61, 0.02, 8)}
    )
    fit = fit_table(confirm, TARGETS.targets)
    samples = pd.DataFrame(
        {"round": [1, 1, 2], "behaviour.service_rate": [0.4, 0.9, 0.7], "distance": [3, 1, 0.5]}
    )
    parameters = pd.DataFrame(
        [
            {
                "parameter": "behaviour.service_rate",
                "search_low": 0.3,
                "search_high": 1.2,
                "fitted": 0.7,
                "plausible_low": 0.6,
                "plausible_high": 0.8,
                "accepted_points": 3,
            }
        ]
    )
    return CalibrationResult({"behaviour.service_rate": 0.7}, fit, samples, parameters, [], ROOT)


def test_analysis_texts_in_chinese_have_no_english_words():
    fusion = analyse_fusion(factorial_summary(np.random.default_rng(3)), [KEY_METRICS[0]])
    texts = {
        "fusion summary": fusion_summary(fusion, fusion.metrics, "zh"),
        "fusion terminal": "\n".join(headlines(fusion, fusion.metrics, "zh")),
    }
    sens = sensitivity_result()
    texts["sensitivity summary"] = markdown(sens, [KEY_METRICS[0]], "zh")
    texts["sensitivity terminal"] = text_summary(sens, [KEY_METRICS[0]], "zh")
    frontier, target = frontier_result()
    factors = ["staffing.households_per_grid_worker", "staffing.legal_advisors_per_community"]
    texts["frontier answer"] = answer(frontier, target, Costs(), factors, "zh")
    texts["calibration terminal"] = fit_text(calibration_result(), "zh")
    summary = pd.DataFrame({window_column(m.name): [0.5, 0.6] for m in METRICS})
    texts["run table"] = format_table(key_metrics_table(summary, "zh"), "zh")
    for name, text in texts.items():
        assert untranslated(text) == [], name
    assert "每名网格员服务户数" in texts["frontier answer"]  # keys shown by their labels


def test_the_pdf_is_print_ready(zh_report):
    reader = pypdf.PdfReader(zh_report["out"] / "report.pdf")
    pages = reader.pages
    assert len(pages) >= 3
    for i, page in enumerate(pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        assert f"{i} / {len(pages)}" in page.extract_text()  # page numbers
    first = pages[0].extract_text()
    assert "政策简报" in first and "明显差异" in first  # the policy brief, on page 1 ...
    assert "模拟了什么" not in first  # ... alone
    assert "模拟了什么" in pages[1].extract_text()
    text = "\n".join(p.extract_text() for p in pages)
    assert "每千户年越级上访数" in text and "Holm" in text
    widths = [img.image.size[0] for p in pages for img in p.images]
    assert widths and max(widths) >= 1800  # a 6.7-inch-wide figure at about 300 dpi


def test_results_carry_units_and_definitions(tmp_path):
    out = tmp_path / "run"
    result = sanzhi(
        "run", "--out", str(out), "--steps", "12", "--replications", "2",
        "--set", "population.households=300",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = pd.read_parquet(out / "summary.parquet")
    name = "escalations_per_1000_households_year"
    final, mean = final_column(name), window_column(name)
    assert (final, mean) == (f"{name}_final_day", f"{name}_mean_last_90_days")
    assert {final, mean} <= set(summary.columns) and name not in summary.columns
    meta = column_metadata(out / "summary.parquet")
    assert meta[final]["unit"] == sim.METRICS[name].unit
    assert meta[final]["statistic_en"] == "value on the final day of the run"
    assert meta[mean]["statistic_en"] == "mean over the last 90 days of the run"
    assert meta[mean]["definition_zh"] == sim.METRICS[name].definition_zh
    assert column_metadata(out / "timeseries.parquet")[name]["statistic_en"] == "value on the day"
    schema = json.loads(pq.read_schema(out / "summary.parquet").metadata[b"sanzhi"])
    assert schema["definitions"] == METRICS_CSV and schema["window_days"] == 90
    metrics = pd.read_csv(out / METRICS_CSV)
    assert list(metrics["metric"]) == [m.name for m in METRICS]
    row = metrics.set_index("metric").loc["resolution_rate"]
    assert (row["lower_bound"], row["upper_bound"], row["threshold"]) == (0, 1, 0.01)
    assert row["window_mean_column"] == window_column("resolution_rate")
    manifest = json.loads((out / "manifest.json").read_text())
    assert METRICS_CSV in manifest["layout"]


def test_compare_reads_folders_written_with_the_old_column_names(tmp_path):
    out = tmp_path / "run"
    args = ["--steps", "12", "--replications", "2", "--set", "population.households=300"]
    assert sanzhi("run", "--out", str(out), *args).returncode == 0
    summary = pd.read_parquet(out / "summary.parquet")
    old = {final_column(m.name): m.name for m in METRICS}
    old |= {window_column(m.name): f"{m.name}_last90" for m in METRICS}
    summary.rename(columns=old).to_parquet(out / "summary.parquet")  # as version 0.1 wrote
    old_copy = tmp_path / "old"
    shutil.copytree(out, old_copy)
    result = sanzhi("compare", str(out), str(old_copy), "--out", str(tmp_path / "c"), "--no-pdf")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(tmp_path / "c" / "summary.csv")
    assert table["mean"].notna().sum() > len(METRICS)


def test_metrics_are_indexable_by_name():
    assert sim.METRICS["mean_trust"] is sim.REGISTRY["mean_trust"]
    assert sim.METRICS[0].name == "issues_raised" and "mean_trust" in sim.METRICS
    assert [m.name for m in sim.METRICS[:2]] == ["issues_raised", "issues_resolved"]
    with pytest.raises(KeyError, match="unknown metric 'trust'"):
        sim.METRICS["trust"]
    for m in METRICS:  # every metric states its bounds, Chinese unit and threshold
        assert m.unit_zh and m.bounds[0] < m.bounds[1], m.name
        assert m.threshold > 0 or m.relative_threshold > 0, m.name


def test_sanzhi_alone_prints_help_and_exits_0(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "usage: sanzhi" in out and "compare" in out and "calibrate" in out
    result = sanzhi()
    assert result.returncode == 0 and "usage: sanzhi" in result.stdout


def test_report_html_renders_in_english_with_a_reference_chosen(tmp_path, zh_report):
    baseline, workers = zh_report["files"]
    out = tmp_path / "en"
    result = sanzhi(
        "compare", str(workers), str(baseline), "--out", str(out), "--reference",
        str(baseline), "--replications", "2", "--workers", "1", "--no-pdf",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "with the reference baseline" in result.stdout
    assert "more_grid_workers:" in result.stdout  # each group named before its findings
    assert not (out / "report.pdf").exists()
    page = page_text((out / "report.html").read_text(encoding="utf-8"))
    assert "The reference is baseline" in page and "households per grid worker: 400 → 150" in page
    assert "simulation" in page and "Hedges' g" in page  # explained, kept out of the tables
    reader = io.StringIO(result.stdout)
    assert "report:" in reader.getvalue()
