"""The decomposition of the fusion dividend by practice: Shapley values and one-at-a-time
contributions recover planted answers exactly, add up as they must, cover the truth; the
relative dividend; the [sweep.practices] table; the fusion command end to end with stand-in
practices."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments.analysis.fusion.attribution import (
    NONE,
    ONE_AT_A_TIME,
    SHAPLEY,
    attribution,
    estimator_for,
    label,
    members,
    subset_dividends,
    subsets,
    weights,
)
from experiments.analysis.fusion.factorial import effects, relative_dividends
from experiments.cli.main import main
from tests.test_cli import ROOT, write

COLUMN = "practices"


def frame(dividend_of, names, *, reps=3, sd=0.0, rng=None, base=10.0, alone=(-2, -1, -0.5)):
    """Runs whose mode cells give the dividend ``dividend_of(S)`` in every subset S's
    factorial: mean_000 = base, each mode alone adds its ``alone`` effect, the other mixed
    cells are arbitrary and mean_111 = base + sum(alone) + D(S)."""
    rng = rng or np.random.default_rng(0)
    rows = []
    for r in range(len(names) + 1):
        for s in itertools.combinations(names, r):
            d = dividend_of(frozenset(s))
            for cell in itertools.product((0, 1), repeat=3):
                mu = base + sum(a for a, x in zip(alone, cell, strict=True) if x)
                if sum(cell) == 2:
                    mu += 7.0 * cell[0] - 3.0 * cell[2] + len(s)  # arbitrary: D ignores them
                if sum(cell) == 3:
                    mu += d
                noise = rng.normal(0, sd, reps) if sd else np.zeros(reps)
                for e in noise:
                    rows.append(
                        {
                            COLUMN: label(s, names),
                            "self_governance": "on" if cell[0] else "off",
                            "rule_of_law": "on" if cell[1] else "off",
                            "moral": "on" if cell[2] else "off",
                            "y": mu + e,
                        }
                    )
    return pd.DataFrame(rows)


def exact(names, dividend_of):
    """Shapley values by the definition (averaging marginal contributions over orders)."""
    phi = dict.fromkeys(names, 0.0)
    orders = list(itertools.permutations(names))
    for order in orders:
        before: set[str] = set()
        for p in order:
            phi[p] += dividend_of(frozenset(before | {p})) - dividend_of(frozenset(before))
            before.add(p)
    return {p: v / len(orders) for p, v in phi.items()}


NAMES = ("jury", "points", "review")


def interacting(s: frozenset) -> float:
    """A dividend with main parts, a pair interaction and a three-way term."""
    return (
        1.0
        - 2.0 * ("jury" in s)
        + 0.5 * ("points" in s)
        - 3.0 * ({"jury", "points"} <= s)
        + 1.2 * ({"jury", "points", "review"} <= s)
    )


def test_shapley_recovers_planted_values_exactly():
    table = attribution(frame(interacting, NAMES), "y", NAMES, SHAPLEY, COLUMN).set_index("effect")
    # by hand: jury -2 - 3/2 + 1.2/3, points 0.5 - 3/2 + 1.2/3, review 1.2/3
    assert table.loc["jury", "estimate"] == pytest.approx(-2 - 1.5 + 0.4)
    assert table.loc["points", "estimate"] == pytest.approx(0.5 - 1.5 + 0.4)
    assert table.loc["review", "estimate"] == pytest.approx(0.4)
    assert table.loc["total", "estimate"] == pytest.approx(interacting(frozenset(NAMES)) - 1.0)
    assert (table["ci_low"] == table["ci_high"]).all()  # no noise: exact


def test_one_at_a_time_recovers_its_estimands_and_the_gap():
    table = attribution(frame(interacting, NAMES), "y", NAMES, ONE_AT_A_TIME, COLUMN)
    table = table.set_index("effect")["estimate"]
    full = interacting(frozenset(NAMES))
    for p in NAMES:
        loo = full - interacting(frozenset(NAMES) - {p})
        add = interacting(frozenset({p})) - interacting(frozenset())
        assert table[f"leave_one_out: {p}"] == pytest.approx(loo)
        assert table[f"add_one: {p}"] == pytest.approx(add)
        assert table[f"gap: {p}"] == pytest.approx(loo - add)
    loo_sum = sum(table[f"leave_one_out: {p}"] for p in NAMES)
    assert table["interactions"] == pytest.approx(table["total"] - loo_sum)


def test_one_at_a_time_runs_only_2k_plus_2_subsets():
    assert len(subsets(NAMES, ONE_AT_A_TIME)) == 2 * 3 + 2
    assert subsets(("a", "b"), ONE_AT_A_TIME) == ["a+b", NONE, "a", "b"]  # {a} = all but b
    seven = [f"p{i}" for i in range(7)]
    assert len(subsets(seven, ONE_AT_A_TIME)) == 16 and len(subsets(seven, SHAPLEY)) == 128
    assert subsets(seven, ONE_AT_A_TIME)[:2] == ["+".join(seven), NONE]
    assert estimator_for(4) == SHAPLEY and estimator_for(5) == ONE_AT_A_TIME
    assert estimator_for(7, exact_up_to=7) == SHAPLEY
    assert members(label(["p3", "p1"], seven)) == {"p1", "p3"} and members(NONE) == set()


SUBSETS = [frozenset(s) for r in range(4) for s in itertools.combinations(NAMES, r)]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=8, max_size=8))
def test_shapley_values_add_up_to_the_full_minus_the_empty_model(values):
    table = dict(zip(SUBSETS, values, strict=True))
    shapley = attribution(frame(table.__getitem__, NAMES), "y", NAMES, SHAPLEY, COLUMN)
    phi = shapley.set_index("effect")["estimate"]
    whole = table[frozenset(NAMES)] - table[frozenset()]
    assert sum(phi[p] for p in NAMES) == pytest.approx(whole, abs=1e-7)
    for p, value in exact(NAMES, table.__getitem__).items():
        assert phi[p] == pytest.approx(value, abs=1e-7)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-20, 20), min_size=4, max_size=4))
def test_for_an_additive_dividend_every_estimator_agrees(parts):
    base, *effect = parts

    def additive(s: frozenset) -> float:
        return base + sum(e for p, e in zip(NAMES, effect, strict=True) if p in s)

    data = frame(additive, NAMES)
    shapley = attribution(data, "y", NAMES, SHAPLEY, COLUMN).set_index("effect")["estimate"]
    one = attribution(data, "y", NAMES, ONE_AT_A_TIME, COLUMN).set_index("effect")["estimate"]
    for p, e in zip(NAMES, effect, strict=True):
        assert shapley[p] == pytest.approx(e, abs=1e-7)
        assert one[f"leave_one_out: {p}"] == pytest.approx(e, abs=1e-7)
        assert one[f"add_one: {p}"] == pytest.approx(e, abs=1e-7)
        assert one[f"gap: {p}"] == pytest.approx(0.0, abs=1e-7)
    assert one["interactions"] == pytest.approx(0.0, abs=1e-7)


def test_shapley_weights_are_those_of_the_definition():
    w = weights(("a", "b"), SHAPLEY)
    assert w["a"] == (SHAPLEY, {"a": 0.5, NONE: -0.5, "a+b": 0.5, "b": -0.5})
    assert w["total"][1] == {"a+b": 1.0, NONE: -1.0}


def test_intervals_cover_the_planted_shapley_values():
    rng = np.random.default_rng(5)
    truth = exact(NAMES, interacting)
    hits = trials = 0
    for _ in range(40):
        data = frame(interacting, NAMES, reps=4, sd=1.5, rng=rng)
        table = attribution(data, "y", NAMES, SHAPLEY, COLUMN).set_index("effect")
        for p in NAMES:
            trials += 1
            hits += table.loc[p, "ci_low"] <= truth[p] <= table.loc[p, "ci_high"]
    assert 0.85 <= hits / trials <= 1.0  # 120 intervals at 95%


def test_subset_dividends_and_missing_subsets():
    data = frame(interacting, NAMES)
    d = subset_dividends(data, "y", COLUMN).set_index(COLUMN)["estimate"]
    assert d[NONE] == pytest.approx(1.0) and d["jury+points"] == pytest.approx(-3.5)
    with pytest.raises(ValueError, match="have no runs"):
        attribution(data[data[COLUMN] != "points"], "y", NAMES, SHAPLEY, COLUMN)


def test_relative_dividend_and_its_delta_method_interval():
    data = frame(lambda s: 0.7, ("a",), reps=3, alone=(-2.0, -1.0, -0.5))
    row = relative_dividends(data[data[COLUMN] == NONE], "y").iloc[0]
    assert row["defined"] and row["estimate"] == pytest.approx(0.7 / 3.5)
    assert row["ci_low"] == row["ci_high"] == pytest.approx(0.2)  # noise-free
    # noisy: the delta-method interval covers the true ratio about 95% of the time
    rng = np.random.default_rng(2)
    hits = 0
    for _ in range(200):
        noisy = frame(lambda s: 0.7, (), reps=6, sd=0.4, rng=rng, alone=(-4.0, -3.0, -2.0))
        r = relative_dividends(noisy, "y").iloc[0]
        hits += r["ci_low"] <= 0.7 / 9.0 <= r["ci_high"]
    assert 0.90 <= hits / 200 <= 0.99
    # a separate sum near zero: no relative dividend
    flat = frame(lambda s: 0.7, (), reps=3, sd=1.0, alone=(0.1, -0.1, 0.0))
    r = relative_dividends(flat, "y").iloc[0]
    assert not r["defined"] and math.isnan(r["estimate"])


# --- the [sweep.practices] table and the fusion command with stand-in practices ----------

MODE_LEVELS = """
[sweep]
design = "grid"
[sweep.parameters]
"fusion.coordination" = [0.1, 0.9]
[sweep.levels.self_governance.off]
"self_governance.participation" = 0.05
"self_governance.deliberation_interval_days" = 0
[sweep.levels.self_governance.on]
"self_governance.participation" = 0.4
"self_governance.deliberation_interval_days" = 14
[sweep.levels.rule_of_law.off]
"staffing.legal_advisors_per_community" = 0.0
"rule_of_law.detection_probability" = 0.05
[sweep.levels.rule_of_law.on]
"staffing.legal_advisors_per_community" = 1.0
"rule_of_law.detection_probability" = 0.4
[sweep.levels.moral.off]
"moral.moral_bank" = false
"moral.role_models" = 0.0
[sweep.levels.moral.on]
"moral.moral_bank" = true
"moral.role_models" = 0.4
"""
# Existing levers stand in for the practices: the machinery must not know what one is.
STAND_INS = """
[sweep.practices.boards]
"moral.red_black_list" = true
[sweep.practices.rules]
"self_governance.resident_rules" = 0.6
"""


def practices_file(tmp_path, practices: str = STAND_INS, name: str = "p.toml"):
    base = ROOT / "scenarios" / "baseline.toml"
    head = (
        f'[scenario]\nextends = "{base}"\nname = "tiny_practices"\nsteps = 30\n'
        "replications = 2\n[population]\nhouseholds = 200\n"
    )
    return write(tmp_path / name, head + MODE_LEVELS + practices)


def test_fusion_with_stand_in_practices_end_to_end(tmp_path, capsys):
    out = tmp_path / "fusion"
    metric = "mean_trust"  # moves in 30 days of 200 households (escalations stay at 0)
    path = practices_file(tmp_path)
    code = main(
        ["fusion", str(path), "--out", str(out), "--executor", "serial", "--metric", metric]
    )
    printed = capsys.readouterr()
    assert code == 0, printed.err
    runs = pd.read_parquet(out / "runs" / "summary.parquet")
    # 8 mode cells x 2 coordination levels x 4 subsets (exact Shapley, k = 2) x 2 replications
    assert len(runs) == 128
    assert set(runs["practices"]) == {"boards+rules", "none", "boards", "rules"}
    on = runs[runs["practices"].isin(["boards", "boards+rules"])]
    assert on["moral.red_black_list"].all() and len(on) == 64
    assert not runs.drop(on.index)["moral.red_black_list"].any()
    assert set(runs["self_governance.resident_rules"]) == {0.3, 0.6}  # off = the baseline's
    # the effects are the full model's: the same as analysing its runs alone
    effects_ = pd.read_csv(out / "effects.csv")
    full = runs[runs["practices"] == "boards+rules"]
    direct = effects(full, f"{metric}_mean_last_90_days", by="fusion.coordination")
    assert np.allclose(
        effects_[effects_["effect"] == "fusion_dividend"]["estimate"],
        direct[direct["effect"] == "fusion_dividend"]["estimate"],
    )
    practices = pd.read_csv(out / "practices.csv")
    assert set(practices["effect"]) == {"boards", "rules", "total"}
    assert set(practices["kind"]) == {"shapley", "total"}
    assert practices["comparisons"].max() == 6  # 3 rows x 2 levels, one Holm family
    subsets_ = pd.read_csv(out / "dividend_by_practices.csv")
    for level, at in practices.groupby("fusion.coordination"):
        at = at.set_index("effect")["estimate"]
        d = subsets_[subsets_["fusion.coordination"] == level].set_index("practices")["estimate"]
        assert at["boards"] + at["rules"] == pytest.approx(at["total"])
        assert at["total"] == pytest.approx(d["boards+rules"] - d["none"])
    relative = pd.read_csv(out / "relative_dividend.csv")
    assert len(relative) == 2 and {"estimate", "ci_low", "ci_high", "defined"} <= set(relative)
    en, zh = (out / "summary_en.md").read_text(), (out / "summary_zh.md").read_text()
    assert "Contributions of the practices" in en and "Shapley" in en
    assert "red and black boards" in en and "resident rules" in en and "relative dividend" in en
    assert "各项实践的贡献" in zh and "红黑榜" in zh and "相对融合红利" in zh
    for name in ("practices.png", "effects.png", "interaction.png"):
        assert (out / name).stat().st_size > 1000, name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["decomposition"]["estimator"] == "shapley"
    assert manifest["practices"] == {
        "boards": {"moral.red_black_list": True},
        "rules": {"self_governance.resident_rules": 0.6},
    }
    off = {"moral.red_black_list": False, "self_governance.resident_rules": 0.3}
    assert manifest["practices_off"] == off
    assert "practices.csv" in manifest["outputs"] and manifest["runs"] == 128
    # the same runs, decomposed one at a time (exact_up_to = 1): k = 2 needs the same subsets
    from experiments.analysis.fusion.practices import parse_practices
    from experiments.analysis.fusion.study import analyse_practices
    from experiments.scenario import load_scenario

    scenario = load_scenario(path)
    table = dict(scenario.sweep["practices"]) | {"exact_up_to": 1}
    chosen = parse_practices(table, str(path), scenario.params)
    result = analyse_practices(runs, [metric], chosen)
    one = result.practices.set_index(["fusion.coordination", "effect"])["estimate"]
    shapley = practices.set_index(["fusion.coordination", "effect"])["estimate"]
    for level in (0.1, 0.9):
        for p in ("boards", "rules"):
            loo, add = one[(level, f"leave_one_out: {p}")], one[(level, f"add_one: {p}")]
            assert shapley[(level, p)] == pytest.approx((loo + add) / 2)  # k = 2: the mean


def test_without_practices_the_outputs_are_those_of_today(tmp_path):
    from experiments.analysis.fusion.practices import expanded
    from experiments.scenario import load_scenario

    path = practices_file(tmp_path, practices="")
    scenario = load_scenario(path)
    assert expanded(scenario) == (scenario, None)


@pytest.mark.parametrize(
    ("practices", "key", "expected"),
    [
        ('[sweep.practices.boards]\n"moral.red_black_lists" = true\n',
         "sweep.practices.boards.moral.red_black_lists", "did you mean 'moral.red_black_list'"),
        ('[sweep.practices.bank]\n"moral.moral_bank" = true\n',
         "sweep.practices.bank.moral.moral_bank", "also swept by sweep.levels.moral"),
        ('[sweep.practices.boards]\n"moral.red_black_list" = false\n',
         "sweep.practices.boards", "changes nothing"),
        ('[sweep.practices]\nboards = true\n', "sweep.practices.boards", "a practice is a table"),
        ('[sweep.practices]\nexact_up_to = -1\n[sweep.practices.b]\n"moral.role_models" = 1.0\n',
         "sweep.practices.exact_up_to", "expected an integer >= 0"),
        ('[sweep.practices]\nexact_up_to = 3\n', "sweep.practices", "names no practice"),
        ('[sweep.practices.a]\n"moral.red_black_list" = true\n'
         '[sweep.practices.b]\n"moral.red_black_list" = true\n',
         "sweep.practices.b.moral.red_black_list", "already switched by practice 'a'"),
        ('[sweep.practices.rules]\n"self_governance.resident_rules" = 1.5\n',
         "sweep.practices.rules.self_governance.resident_rules", ""),
    ],
    ids=["unknown key", "swept by a mode", "no change", "not a table", "bad cap", "none",
         "twice", "out of range"],
)  # fmt: skip
def test_bad_practices_exit_2_naming_file_and_key(tmp_path, capsys, practices, key, expected):
    path = practices_file(tmp_path, practices)
    for command in (["validate", str(path)], ["fusion", str(path), "--out", str(tmp_path / "o")]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert str(path) in err and key in err and expected in err, err
        assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_other_commands_refuse_the_practices_table(tmp_path, capsys):
    path = practices_file(tmp_path)
    assert main(["sweep", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "sweep.practices" in err and "read by `sanzhi fusion` only" in err
    assert main(["validate", str(path)]) == 0  # validate checks it as fusion would run it
    assert "practices" in capsys.readouterr().out


SHIPPED = ROOT / "scenarios" / "sweeps" / "fusion_practices.toml"


def test_the_shipped_practices_scenario_validates(capsys):
    assert main(["validate", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    # 8 mode cells x 3 coordination levels x 16 subsets (one at a time, k = 7)
    assert "practices" in out and "384 point(s)" in out, out
    from experiments.analysis.fusion.practices import expanded
    from experiments.scenario import load_scenario

    _, practices = expanded(load_scenario(SHIPPED))
    assert len(practices.names) == 7 and len(practices.subsets()) == 16
    assert practices.estimator == "one_at_a_time"


def test_the_shipped_practices_scenario_names_the_seven_switches():
    """Until they exist, at least the names are those issue 14 fixed."""
    import tomllib

    table = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))["sweep"]["practices"]
    keys = {k for t in table.values() if isinstance(t, dict) for k in t}
    assert keys == {
        "self_governance.public_jury",
        "self_governance.rules_revision",
        "self_governance.joint_councils",
        "rule_of_law.advisor_attendance",
        "moral.integrity_points",
        "moral.moral_review",
        "moral.redemption",
    }


def test_the_relative_dividend_is_worded_beside_the_absolute_one():
    from test_fusion import result_with

    from experiments.analysis.fusion.text import dividend_sentence, summary

    metric = "escalations_per_1000_households_year"
    result = result_with((-4.0, -6.0, -2.0), -10.0, -6.0)
    rows = [
        {"metric": metric, "fusion.coordination": level, "estimate": -4 / 6, "se": 0.1,
         "df": 20.0, "ci_low": -0.87, "ci_high": -0.46, "defined": level == 0.9}
        for level in (0.1, 0.9)
    ]  # fmt: skip
    result.relative = pd.DataFrame(rows)
    text = dividend_sentence(result, metric, 0.9)
    assert "Relative dividend: −67% of the size of the sum of separate effects" in text
    assert "(95% CI −87% to −46%)" in text
    assert "Relative dividend" not in dividend_sentence(result, metric, 0.1)  # not defined
    zh = dividend_sentence(result, metric, 0.9, "zh")
    assert "相对融合红利：为单独效果之和大小的−67%" in zh
    table = summary(result, [metric])
    assert "| relative dividend | — | −67% [−87%, −46%] |" in table


def test_the_effects_chart_writes_the_relative_dividend_at_its_bar():
    from test_fusion import synthetic

    from experiments.analysis.fusion import figures

    data = synthetic(np.random.default_rng(1), sd=0.2).rename(columns={"y": "v"})
    table = effects(data, "v", by="fusion.coordination").assign(metric="mean_trust")
    rel = relative_dividends(data, "v", by="fusion.coordination").assign(metric="mean_trust")
    assert rel["defined"].all()  # planted separate sum -8, dividend -2: -25%
    assert rel["estimate"].to_numpy() == pytest.approx([-0.25, -0.25], abs=0.05)
    fig = figures.effects(table, ["mean_trust"], [0.1, 0.9], "en", rel)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == 2 and all(t.startswith("−2") and t.endswith("%") for t in texts), texts
