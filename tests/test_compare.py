"""`sanzhi compare`: files written, CI numbers match the run data, both languages render."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments.columns import window_column
from experiments.comparison.inputs import Group
from experiments.comparison.stats import compare_groups
from experiments.executors import SerialExecutor
from experiments.sweeps.job import run_sweep
from tests.test_cli import ROOT, sanzhi, write

BASELINE = ROOT / "scenarios" / "baseline.toml"
SMALL = "steps = 40\nreplications = 6\n[population]\nhouseholds = 500\n"


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Two `sanzhi run` results folders and a sweep folder, made once for these tests."""
    tmp = tmp_path_factory.mktemp("compare")
    a = write(tmp / "a.toml", f'[scenario]\nextends = "{BASELINE}"\nname = "today"\n{SMALL}')
    b = write(
        tmp / "b.toml",
        '[scenario]\nextends = "a.toml"\nname = "more_workers"\n'
        "[staffing]\nhouseholds_per_grid_worker = 120\n",
    )
    for name, path in (("run_a", a), ("run_b", b)):
        result = sanzhi("run", str(path), "--out", str(tmp / name), "--workers", "1")
        assert result.returncode == 0, result.stderr
    s = write(
        tmp / "s.toml",
        '[scenario]\nextends = "a.toml"\nname = "staffing"\nreplications = 2\n'
        '[sweep]\n[sweep.parameters]\n"staffing.households_per_grid_worker" = [120, 400, 900]\n',
    )
    run_sweep(s, tmp / "sweep", executor=SerialExecutor(), workers=1)
    return {"tmp": tmp, "a": a, "b": b}


def test_compare_run_folders_ci_numbers_match_the_run_data(folders):
    tmp = folders["tmp"]
    out = tmp / "report_en"
    result = sanzhi("compare", str(tmp / "run_a"), str(tmp / "run_b"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    for name in (
        "report.html",
        "report.pdf",
        "summary.csv",
        "metrics.csv",
        "timeseries.png",
        "final_values.png",
        "manifest.json",
    ):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name

    table = pd.read_csv(out / "summary.csv")
    a = pd.read_parquet(tmp / "run_a" / "summary.parquet")
    b = pd.read_parquet(tmp / "run_b" / "summary.parquet")
    for metric in ("grid_worker_utilisation", "mean_trust", "mean_days_to_resolve"):
        col = window_column(metric)
        x, y = a[col].to_numpy(), b[col].to_numpy()
        row_a = table[(table["group"] == "today") & (table["metric"] == metric)].iloc[0]
        row_b = table[(table["group"] == "more_workers") & (table["metric"] == metric)].iloc[0]
        low, high = bounded_t_interval(x, metric)
        assert row_a["n"] == 6
        assert row_a["mean"] == pytest.approx(x.mean(), rel=1e-12)
        assert (row_a["ci95_low"], row_a["ci95_high"]) == pytest.approx((low, high), rel=1e-9)
        welch = stats.ttest_ind(y, x, equal_var=False).confidence_interval(0.95)
        assert row_b["diff"] == pytest.approx(y.mean() - x.mean(), rel=1e-9, abs=1e-12)
        assert (row_b["diff_ci95_low"], row_b["diff_ci95_high"]) == pytest.approx(
            (welch.low, welch.high), rel=1e-9
        )
        pooled = np.sqrt((x.var(ddof=1) + y.var(ddof=1)) / 2)  # equal n
        g = (y.mean() - x.mean()) / pooled * (1 - 3 / (4 * 12 - 9))
        assert row_b["hedges_g"] == pytest.approx(g, rel=1e-9)
        assert isinstance(row_b["sentence"], str) and row_b["sentence"]
        assert np.isnan(row_a["diff"])  # the reference has no difference from itself

    page = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "<img" in page and "src='http" not in page
    assert "Grid-worker utilisation" in page and "adjusted 95% CI" in page
    # the report says what was simulated, and that it is a simulation
    assert "What was simulated" in page and "not measurements of any real district" in page
    assert "households per grid worker: 400 → 120" in page  # the lever that differs
    assert "Policy brief" in page and "Holm" in page
    # fewer households per worker: clearly less utilised; the sentence says so
    util = table[
        (table["group"] == "more_workers") & (table["metric"] == "grid_worker_utilisation")
    ]
    assert util["sentence"].iloc[0].startswith("Grid-worker utilisation falls by")


def test_compare_in_chinese_with_scenario_files_and_a_sweep(folders):
    tmp = folders["tmp"]
    out = tmp / "report_zh"
    result = sanzhi(
        "compare", str(folders["a"]), str(tmp / "sweep"), "--out", str(out), "--lang", "zh",
        "--replications", "2", "--workers", "1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in page
    for label in ("每千户年越级上访数", "化解率", "基层信任度", "情景比较报告", "95%置信区间"):
        assert label in page
    table = pd.read_csv(out / "summary.csv")
    groups = list(dict.fromkeys(table["group"]))
    assert groups[0] == "today" and len(groups) == 1 + 3  # scenario + one group per point
    assert "staffing: households_per_grid_worker=120" in groups[1]
    assert "每名网格员服务户数 = 120" in page  # the point, labelled in Chinese
    assert (out / "staffing_vs_staffing.households_per_grid_worker.png").is_file()
    assert (table.loc[table["group"] == "today", "n"] == 2).all()  # --replications
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["lang"] == "zh" and len(manifest["inputs"]) == 2


def test_compare_bad_input_exits_2(tmp_path):
    result = sanzhi("compare", str(tmp_path / "nothing"), "--out", str(tmp_path / "o"))
    assert result.returncode == 2 and "not found" in result.stderr
    assert "Traceback" not in result.stderr


def bounded_t_interval(x: np.ndarray, metric: str) -> tuple[float, float]:
    """The interval the report should give, computed here from its definition: Student t on
    the logit scale (0-1 metrics) or the log scale (metrics bounded below by 0)."""
    from sim import REGISTRY

    m, se, t = x.mean(), stats.sem(x), stats.t.ppf(0.975, len(x) - 1)
    if REGISTRY[metric].bounds == (0.0, 1.0):
        z, spread = np.log(m / (1 - m)), t * se / (m * (1 - m))
        return 1 / (1 + np.exp(-(z - spread))), 1 / (1 + np.exp(-(z + spread)))
    return m * np.exp(-t * se / m), m * np.exp(t * se / m)


def groups_of(**values: np.ndarray) -> list[Group]:
    """Synthetic groups: ``name=array`` of window means per run (escalations as given, trust
    the same divided by 20, so that it lies on its 0-1 scale)."""
    out = []
    for name, v in values.items():
        runs = pd.DataFrame({window_column(EXAMPLE): v, window_column("mean_trust"): v / 20})
        out.append(Group(name, name, runs, scenario=name))
    return out


def sentence_of(table: pd.DataFrame, group: str, metric: str) -> str:
    return table[(table["group"] == group) & (table["metric"] == metric)]["sentence"].iloc[0]


def test_sentences_pick_direction_and_judgement():
    ref = np.array([10.0, 11.0, 9.0, 10.5, 9.5])
    table = compare_groups(groups_of(ref=ref, low=ref * 0.69, high=ref * 1.2, same=ref[::-1]))
    row = table[(table["group"] == "low") & (table["metric"] == "mean_trust")].iloc[0]
    assert row["shown"] == "absolute"  # a 0-1 scale: differences, not relative changes
    esc = table[(table["group"] == "low") & (table["metric"] == EXAMPLE)].iloc[0]
    assert esc["shown"] == "relative" and esc["rel_change"] == pytest.approx(-0.31)
    text = sentence_of(table, "low", EXAMPLE)
    assert text.startswith("Escalations per 1,000 households a year fall by 31% (adjusted 95% CI ")
    assert text.endswith("— better.")
    assert sentence_of(table, "low", "mean_trust").endswith("— worse.")
    assert "rises by" in sentence_of(table, "high", "mean_trust")
    assert "no clear difference" in sentence_of(table, "same", "mean_trust")
    zh = compare_groups(groups_of(ref=ref, low=ref * 0.69), "zh")
    zh = sentence_of(zh, "low", EXAMPLE)
    assert zh.startswith("每千户年越级上访数下降31%") and "改善" in zh


EXAMPLE = "escalations_per_1000_households_year"
