"""The decomposition of the fusion dividend by practice: Shapley values and one-at-a-time
contributions recover planted answers exactly, add up as they must, cover the truth; the
relative dividend; the [sweep.practices] table; the fusion command end to end with stand-in
practices."""

from __future__ import annotations

import itertools
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
from experiments.analysis.fusion.factorial import relative_dividends

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
