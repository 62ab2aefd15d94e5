"""The factorial estimator recovers planted effects within their CIs; the fusion command runs
the 2x2x2 x coordination design end to end and words the dividend by its sign."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

from experiments.analysis.fusion.factorial import (
    DIVIDEND,
    MODES,
    contrasts,
    dividend_differences,
    effects,
)
from experiments.analysis.fusion.study import FusionResult, judge_dividends
from experiments.analysis.fusion.text import dividend_sentence, verdict
from experiments.cli.main import main
from tests.test_cli import ROOT, write

LEVERS = ROOT / "scenarios" / "sweeps" / "levers.toml"
# planted 0/1-coded model: y = b0 + sum b_i x_i + sum b_ij x_i x_j + b_123 x_1 x_2 x_3
PLANTED = {
    "b0": 20.0,
    "s": -4.0,
    "l": -3.0,
    "m": -1.0,
    "sl": -2.0,
    "sm": 1.0,
    "lm": 0.5,
    "slm": -1.5,
}


def truth(b: dict[str, float]) -> dict[str, float]:
    """The estimands of every contrast under the planted model (derived by hand)."""
    return {
        # main effect = on - off averaged over the other two modes' four combinations
        "self_governance": b["s"] + (b["sl"] + b["sm"]) / 2 + b["slm"] / 4,
        "rule_of_law": b["l"] + (b["sl"] + b["lm"]) / 2 + b["slm"] / 4,
        "moral": b["m"] + (b["sm"] + b["lm"]) / 2 + b["slm"] / 4,
        "self_governance x rule_of_law": b["sl"] / 2 + b["slm"] / 4,
        "self_governance x moral": b["sm"] / 2 + b["slm"] / 4,
        "rule_of_law x moral": b["lm"] / 2 + b["slm"] / 4,
        "self_governance x rule_of_law x moral": b["slm"] / 4,
        "alone: self_governance": b["s"],
        "alone: rule_of_law": b["l"],
        "alone: moral": b["m"],
        "combined": sum(v for k, v in b.items() if k != "b0"),
        "separate_sum": b["s"] + b["l"] + b["m"],
        DIVIDEND: b["sl"] + b["sm"] + b["lm"] + b["slm"],
    }


def synthetic(rng, b=PLANTED, reps=10, sd=1.0, levels=(0.1, 0.9), shift=0.0) -> pd.DataFrame:
    """Replicated runs of the planted model; the three-way term grows by ``shift`` at the
    highest coordination level (a planted change of the dividend)."""
    rows = []
    for level in levels:
        extra = shift if level == max(levels) else 0.0
        for s, law, m in itertools.product((0, 1), repeat=3):
            mu = (
                b["b0"] + b["s"] * s + b["l"] * law + b["m"] * m + b["sl"] * s * law
                + b["sm"] * s * m + b["lm"] * law * m + (b["slm"] + extra) * s * law * m
            )  # fmt: skip
            for _ in range(reps):
                rows.append(
                    {
                        "self_governance": "on" if s else "off",
                        "rule_of_law": "on" if law else "off",
                        "moral": "on" if m else "off",
                        "fusion.coordination": level,
                        "y": mu + rng.normal(0, sd),
                    }
                )
    return pd.DataFrame(rows)


def test_noise_free_data_gives_the_planted_effects_exactly():
    table = effects(synthetic(np.random.default_rng(0), sd=0.0, levels=(0.5,)), "y")
    expected = truth(PLANTED)
    assert set(table["effect"]) == set(expected)
    for row in table.itertuples():
        assert row.estimate == pytest.approx(expected[row.effect], abs=1e-9), row.effect
        assert row.ci_low == pytest.approx(row.ci_high)
    # the dividend is exactly (all three) - (sum of alone), and three-way = b_123 / 4
    weights = contrasts()[DIVIDEND][1]
    assert weights == {
        (1, 1, 1): 1.0, (1, 0, 0): -1.0, (0, 1, 0): -1.0, (0, 0, 1): -1.0, (0, 0, 0): 2.0
    }  # fmt: skip


def test_planted_effects_are_within_their_cis():
    data = synthetic(np.random.default_rng(7), sd=0.5)
    expected = truth(PLANTED)
    table = effects(data, "y", by="fusion.coordination")
    truths = table["effect"].map(expected)
    covered = (table["ci_low"] <= truths) & (truths <= table["ci_high"])
    assert covered.mean() >= 0.85  # 26 intervals at 95%: a miss or two is expected
    # all of them at once: Bonferroni-adjusted intervals hold every planted value
    wide = effects(data, "y", by="fusion.coordination", conf=1 - 0.05 / len(table))
    truths = wide["effect"].map(expected)
    assert ((wide["ci_low"] <= truths) & (truths <= wide["ci_high"])).all()
    dividend = table[table["effect"] == DIVIDEND]
    assert (dividend["ci_high"] < 0).all()  # planted -2.0, clearly below zero


def test_dividend_ci_covers_the_truth_about_95_percent_of_the_time():
    rng = np.random.default_rng(11)
    true = truth(PLANTED)[DIVIDEND]
    hits = 0
    for _ in range(200):
        row = effects(synthetic(rng, reps=5, sd=2.0, levels=(0.5,)), "y").set_index("effect")
        hits += row.loc[DIVIDEND, "ci_low"] <= true <= row.loc[DIVIDEND, "ci_high"]
    assert 0.90 <= hits / 200 <= 0.99


def test_dividend_difference_between_coordination_levels():
    data = synthetic(np.random.default_rng(3), shift=-4.0)
    diff = dividend_differences(data, "y", "fusion.coordination").iloc[0]
    assert (diff["from"], diff["to"]) == (0.1, 0.9)
    assert diff["ci_low"] <= -4.0 <= diff["ci_high"] and diff["ci_high"] < 0


def test_estimator_refuses_incomplete_designs():
    data = synthetic(np.random.default_rng(0), levels=(0.5,))
    with pytest.raises(ValueError, match="has no runs"):
        effects(data[data["moral"] == "off"], "y")
    with pytest.raises(ValueError, match="fewer than 2 runs"):
        effects(data.groupby(list(MODES)).head(1), "y")
    with pytest.raises(ValueError, match="neither 'on' nor 'off'"):
        effects(data.assign(moral="maybe"), "y")


def result_with(dividend: tuple[float, float, float], combined: float, separate: float):
    """A result with the given dividend (estimate and 95% CI), at both coordination levels,
    judged by the rule (``judge_dividends``)."""
    rows = []
    for level in (0.1, 0.9):
        for effect, (est, low, high) in {
            DIVIDEND: dividend,
            "combined": (combined, combined - 1, combined + 1),
            "separate_sum": (separate, separate - 1, separate + 1),
        }.items():
            se = (high - low) / (2 * 1.959963984540054)
            rows.append(
                {"metric": "escalations_per_1000_households_year", "fusion.coordination": level,
                 "effect": effect, "estimate": est, "se": se, "df": np.inf, "ci_low": low,
                 "ci_high": high}
            )  # fmt: skip
    result = FusionResult(pd.DataFrame(rows), pd.DataFrame(), pd.DataFrame(), [0.1, 0.9])
    result.metrics = ["escalations_per_1000_households_year"]
    result.claims = judge_dividends(result)
    return result


def test_wording_follows_the_sign_and_the_better_direction():
    metric = "escalations_per_1000_households_year"
    text = dividend_sentence(result_with((-4.0, -6.0, -2.0), -10.0, -6.0), metric, 0.9)
    assert "together reduce escalations per 1,000 households a year by 10" in text
    assert "4 more than the sum of their separate effects" in text
    # two dividends judged together (Holm): the interval is wider than the 95% one
    assert "Fusion dividend (together minus the sum): −4 (adjusted 95% CI −6.29 to −1.71)" in text
    assert "Better than additive" in text
    text = dividend_sentence(result_with((3.0, 1.0, 5.0), -3.0, -6.0), metric, 0.9)
    assert "3 less than the sum" in text and "Worse than additive" in text
    text = dividend_sentence(result_with((-1.0, -3.0, 1.0), -7.0, -6.0), metric, 0.9)
    assert "We cannot tell whether the modes add up" in text and "Better" not in text
    # clear of zero but below the metric's practical threshold (0.5): still cannot tell
    text = dividend_sentence(result_with((-0.2, -0.3, -0.1), -7.0, -6.8), metric, 0.9)
    assert "smaller than the 0.5 that counts as a difference" in text
    zh = dividend_sentence(result_with((-4.0, -6.0, -2.0), -10.0, -6.0), metric, 0.9, "zh")
    assert "每千户年越级上访数减少10" in zh and "多减少4" in zh and "优于简单相加" in zh
    # for a higher-is-better metric a positive dividend is the good one
    clear = {"clear": True, "estimate": 0.02, "low": 0.01, "high": 0.03, "threshold": 0.01}
    assert "Better than additive" in verdict(clear, "higher")
    assert "Worse than additive" in verdict(clear, "lower")


def tiny_levers(tmp_path, extra: str = ""):
    return write(
        tmp_path / "levers.toml",
        f'[scenario]\nextends = "{LEVERS}"\nname = "tiny_levers"\nsteps = 40\nreplications = 2\n'
        f"[population]\nhouseholds = 200\n{extra}",
    )


def test_fusion_command_end_to_end(tmp_path, capsys):
    out = tmp_path / "fusion"
    metrics = ["--metric", "escalations_per_1000_households_year", "--metric", "mean_trust"]
    path = tiny_levers(tmp_path)
    code = main(["fusion", str(path), "--out", str(out), "--executor", "serial", *metrics])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "fused coordination (coordination = 0.9)" in printed.out
    table = pd.read_csv(out / "effects.csv")
    assert set(table["metric"]) == {"escalations_per_1000_households_year", "mean_trust"}
    assert len(table) == 2 * 2 * len(contrasts())  # metrics x coordination levels x effects
    assert table[["estimate", "ci_low", "ci_high"]].notna().all().all()
    cells = pd.read_csv(out / "cells.csv")
    assert len(cells) == 2 * 16 and (cells["n"] == 2).all()
    assert len(pd.read_csv(out / "dividend_by_coordination.csv")) == 2
    en, zh = (out / "summary_en.md").read_text(), (out / "summary_zh.md").read_text()
    assert "fusion dividend" in en and "adjusted 95% CI" in en and "Holm" in en
    assert "融合红利" in zh and "95%置信区间" in zh and "基层信任度" in zh
    for name in ("interaction.png", "effects.png", "runs/summary.parquet"):
        assert (out / name).stat().st_size > 1000, name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "fusion" and manifest["coordination_levels"] == [0.1, 0.9]
    assert manifest["runs"] == 32 and len(manifest["fusion_dividend"]) == 4


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[sweep]\ndesign = "grid"\n[sweep.parameters]\n"fusion.coordination" = [0.1, 0.9]\n',
         "missing self_governance, rule_of_law, moral"),
        ("", "no [sweep] section"),
    ],
    ids=["no levers", "no sweep"],
)  # fmt: skip
def test_fusion_rejects_files_without_the_design(tmp_path, capsys, body, expected):
    base = ROOT / "scenarios" / "baseline.toml"
    path = write(tmp_path / "f.toml", f'[scenario]\nextends = "{base}"\n{body}')
    assert main(["fusion", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_fusion_unknown_metric_exits_2(tmp_path, capsys):
    code = main(["fusion", str(LEVERS), "--out", str(tmp_path / "o"), "--metric", "escalation"])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown metric 'escalation'" in err and "did you mean" in err
