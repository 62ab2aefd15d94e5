"""The one rule for claims (experiments.claims), through every report path: planted nulls
come out as "no clear difference" at no more than the stated error rate over many synthetic
repetitions, planted effects are found, and intervals stay inside each metric's range.

Every dataset here is a synthetic summary table (no model runs), so the repetitions are
cheap. Error rates are checked against ALPHA plus three binomial standard errors of the
Monte Carlo estimate, so a correct procedure fails by chance about once in a thousand runs.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments.analysis.frontier.pareto import Target, find_frontier
from experiments.analysis.fusion.factorial import MODES
from experiments.analysis.fusion.study import analyse_fusion
from experiments.analysis.sensitivity.indices import analyse, sample
from experiments.analysis.sensitivity.study import judge_indices
from experiments.calibration.search import fit_table
from experiments.calibration.targets import Target as CalibrationTarget
from experiments.claims import (
    ALPHA,
    BH,
    HOLM,
    Estimate,
    adjust,
    bounded_interval,
    contrast_bounds,
    judge,
    mean_interval,
    welch,
)
from experiments.columns import final_column, window_column
from experiments.comparison.figures import day_band
from experiments.comparison.inputs import Group
from experiments.comparison.stats import compare_groups
from sim import KEY_METRICS, REGISTRY


def ceiling(repetitions: int, rate: float = ALPHA) -> float:
    """The largest false-claim rate a correct procedure shows, bar a 1-in-1000 fluke."""
    return rate + 3 * math.sqrt(rate * (1 - rate) / repetitions)


# -- the building blocks ------------------------------------------------------------------


def test_holm_and_benjamini_hochberg_match_their_definitions():
    p = np.array([0.01, 0.04, 0.03, 0.2, np.nan])
    # Holm: sorted p times (m - rank + 1), running maximum; NaN is no comparison
    np.testing.assert_allclose(adjust(p, HOLM)[:4], [0.04, 0.09, 0.09, 0.2])
    # BH: sorted p times m / rank, running minimum from the top
    np.testing.assert_allclose(adjust(p, BH)[:4], [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])
    assert np.isnan(adjust(p)[4])


def test_an_interval_excludes_zero_exactly_when_the_adjusted_p_value_is_below_alpha():
    rng = np.random.default_rng(1)
    for _ in range(50):
        estimates = [Estimate(rng.normal(0, 2), abs(rng.normal(1, 0.3)) + 0.1, 6) for _ in range(8)]
        for claim in judge(estimates, [0.0] * 8):
            assert claim.excludes_zero == (claim.low > 0 or claim.high < 0)
            assert claim.clear == claim.excludes_zero  # threshold 0: only the interval counts
            assert 1 - ALPHA <= claim.level <= 1 - ALPHA / 8


def test_the_practical_threshold_stops_tiny_clear_differences():
    tiny = Estimate(0.003, 0.0001, 20)  # far from zero, far below a 0.01 threshold
    (claim,) = judge([tiny], [0.01])
    assert claim.excludes_zero and not claim.clear and claim.status("higher") == "no_clear"
    (claim,) = judge([Estimate(0.05, 0.01, 20)], [0.01])
    assert claim.clear and claim.status("higher") == "better" and claim.status("lower") == "worse"


@pytest.mark.parametrize("metric", ["resolution_rate", "mean_trust", "security"])
def test_intervals_of_shares_stay_within_0_and_1(metric):
    rng = np.random.default_rng(2)
    bounds = REGISTRY[metric].bounds
    for _ in range(300):
        n = int(rng.integers(2, 6))
        centre = rng.choice([0.001, 0.02, 0.5, 0.98, 0.999])
        values = np.clip(rng.normal(centre, rng.choice([0.001, 0.05, 0.3]), n), 0, 1)
        ci = mean_interval(values, bounds)
        assert 0 <= ci.low <= ci.estimate <= ci.high <= 1, (values, ci)
    # a t interval of the same runs would cross 1: the reason for the transform
    values = np.array([1.0, 0.99, 0.96])
    t = stats.t.interval(0.95, 2, loc=values.mean(), scale=stats.sem(values))
    assert t[1] > 1 and mean_interval(values, bounds).high < 1


def test_intervals_of_counts_and_rates_never_go_negative():
    rng = np.random.default_rng(3)
    bounds = REGISTRY["escalations_per_1000_households_year"].bounds
    for _ in range(300):
        values = rng.poisson(rng.choice([0.05, 0.5, 3.0]), int(rng.integers(2, 6))) * 1.0
        ci = mean_interval(values, bounds)
        if values.any():
            assert 0 <= ci.low <= ci.estimate <= ci.high, (values, ci)
        else:
            assert ci.low == ci.high == 0  # every run at zero: nothing to spread


def test_time_series_bands_stay_within_range():
    rng = np.random.default_rng(4)
    days = np.repeat(np.arange(1, 31), 3)
    series = pd.DataFrame(
        {
            "day": days,
            "resolution_rate": np.clip(rng.normal(0.97, 0.05, days.size), 0, 1),
            "issues_escalated": rng.poisson(0.2, days.size) * 1.0,
            "grid_worker_utilisation": np.clip(rng.normal(0.05, 0.06, days.size), 0, 1),
        }
    )
    for name in ("resolution_rate", "issues_escalated", "grid_worker_utilisation"):
        band = day_band(series, name)
        low, high = REGISTRY[name].bounds
        assert (band["low"].dropna() >= low).all() and (band["high"].dropna() <= high).all()


def test_a_contrast_of_bounded_means_stays_where_it_can_lie():
    # the fusion dividend m111 - m100 - m010 - m001 + 2 m000 of a share: from -3 to 3
    assert contrast_bounds((1, -1, -1, -1, 2), (0.0, 1.0)) == (-3.0, 3.0)
    assert contrast_bounds((1, -1), (0.0, math.inf)) == (-math.inf, math.inf)
    diff = welch(np.array([0.99, 1.0, 0.2]), np.array([0.0, 0.01, 0.9]), (0.0, 1.0))
    low, high = diff.interval(0.999999)
    assert low >= -1 and high <= 1


# -- compare: planted nulls and effects -----------------------------------------------------

CENTRES = {  # a plausible mean and replication SD for each key metric
    "escalations_per_1000_households_year": (40.0, 6.0),
    "resolution_rate": (0.6, 0.1),
    "mean_days_to_resolve": (30.0, 6.0),
    "mean_trust": (0.6, 0.08),
    "satisfaction": (0.7, 0.08),
    "security": (0.5, 0.1),
    "participation_rate": (0.4, 0.08),
    "volunteer_hours_per_volunteer_year": (40.0, 8.0),
    "grid_worker_utilisation": (0.5, 0.1),
}


def synthetic_groups(rng, k: int = 4, n: int = 5, shift: dict | None = None) -> list[Group]:
    """k groups of n runs of every key metric from the same distributions; ``shift`` adds
    {metric: amount} to the last group (a planted effect)."""
    groups = []
    for i in range(k):
        runs = {}
        for name in KEY_METRICS:
            mean, sd = CENTRES.get(name, (20.0, 4.0))
            mean += (shift or {}).get(name, 0.0) if i == k - 1 else 0.0
            low, high = REGISTRY[name].bounds
            runs[window_column(name)] = np.clip(rng.normal(mean, sd, n), low, high)
        groups.append(Group(f"g{i}", f"g{i}", pd.DataFrame(runs), scenario=f"g{i}"))
    return groups


@pytest.mark.parametrize("adjustment", [HOLM, BH])
def test_compare_null_claims_at_most_the_stated_error_rate(adjustment):
    """Four groups from one distribution: 3 x 9+ key-metric comparisons a report. With Holm
    (or BH: under a complete null the same bound) the chance of any claim is at most 5%."""
    rng = np.random.default_rng(10)
    reps = 200
    false = 0
    for _ in range(reps):
        table = compare_groups(synthetic_groups(rng), adjustment=adjustment)
        key = table[table["metric"].isin(KEY_METRICS) & table["reference"].notna()]
        assert (key["comparisons"] == 3 * len(KEY_METRICS)).all()
        false += (key["status"] != "no_clear").any()
    assert false / reps <= ceiling(reps), false / reps


def test_without_multiplicity_control_the_same_nulls_would_be_claimed_often():
    """The check above can fail: judged one comparison at a time, the nulls give claims in
    most reports."""
    rng = np.random.default_rng(11)
    hits = 0
    for _ in range(100):
        table = compare_groups(synthetic_groups(rng))
        key = table[table["metric"].isin(KEY_METRICS) & table["reference"].notna()]
        hits += ((key["p"] < ALPHA) & (key["p"].notna())).any()
    assert hits / 100 > 0.5


def test_compare_finds_a_planted_effect_and_words_it():
    rng = np.random.default_rng(12)
    found = 0
    for _ in range(50):
        groups = synthetic_groups(rng, n=10, shift={"escalations_per_1000_households_year": -20})
        table = compare_groups(groups)
        row = table[(table["group"] == "g3") & (table["metric"] == KEY_METRICS[0])].iloc[0]
        found += row["status"] == "better"
    assert found >= 45
    assert row["shown"] == "relative" and "fall by" in row["sentence"]
    assert "adjusted 95% CI" in row["sentence"] and row["sentence"].endswith("— better.")


def test_compare_intervals_respect_bounds_near_them():
    rng = np.random.default_rng(13)
    for _ in range(50):
        groups = []
        for i in range(3):
            runs = {
                window_column("resolution_rate"): np.clip(rng.normal(0.995, 0.01, 3), 0, 1),
                window_column("issues_escalated"): rng.poisson(0.1, 3) * 1.0,
            }
            groups.append(Group(f"g{i}", f"g{i}", pd.DataFrame(runs)))
        table = compare_groups(groups)
        rate = table[table["metric"] == "resolution_rate"]
        assert (rate["ci95_high"].dropna() <= 1).all() and (rate["ci95_low"].dropna() >= 0).all()
        esc = table[table["metric"] == "issues_escalated"]
        assert (esc["ci95_low"].dropna() >= 0).all()
        # relative changes cannot fall below -100%; none is shown off a near-zero reference
        assert (table["rel_ci95_low"].dropna() >= -1).all()
        assert not (esc["shown"] == "relative").any()


# -- fusion ----------------------------------------------------------------------------------


def factorial_summary(rng, dividend: float = 0.0, reps: int = 4) -> pd.DataFrame:
    """Runs of a 2x2x2 x coordination design whose modes add up (``dividend`` = 0) or
    reinforce one another (the three-way cell gets ``dividend`` extra)."""
    rows = []
    for level in (0.1, 0.9):
        for s, law, m in itertools.product((0, 1), repeat=3):
            mu = 40.0 - 6 * s - 4 * law - 2 * m + (dividend if s and law and m else 0.0)
            for _ in range(reps):
                rows.append(
                    {
                        "self_governance": "on" if s else "off",
                        "rule_of_law": "on" if law else "off",
                        "moral": "on" if m else "off",
                        "fusion.coordination": level,
                        "status": "ok",
                        window_column(KEY_METRICS[0]): rng.normal(mu, 3.0),
                    }
                )
    return pd.DataFrame(rows)


def test_fusion_null_dividends_are_not_claimed_beyond_the_error_rate():
    rng = np.random.default_rng(20)
    reps = 200
    false = 0
    for _ in range(reps):
        result = analyse_fusion(factorial_summary(rng), [KEY_METRICS[0]])
        assert len(result.claims) == 3  # two dividends and their change: one family
        false += result.claims["clear"].any()
    assert false / reps <= ceiling(reps), false / reps


def test_fusion_finds_a_planted_dividend():
    rng = np.random.default_rng(21)
    found = 0
    for _ in range(30):
        result = analyse_fusion(factorial_summary(rng, dividend=-20.0, reps=6), [KEY_METRICS[0]])
        dividends = result.claims[result.claims["kind"] == "dividend"]
        found += bool((dividends["status"] == "better").all())
    assert found >= 27


def test_fusion_cell_intervals_and_effects_stay_in_range():
    rng = np.random.default_rng(22)
    data = factorial_summary(rng)
    col = window_column("resolution_rate")
    data[col] = np.clip(rng.normal(0.97, 0.05, len(data)), 0, 1)
    result = analyse_fusion(data, ["resolution_rate"])
    assert (result.cells["ci_low"] >= 0).all() and (result.cells["ci_high"] <= 1).all()
    main = result.effects[result.effects["effect"].isin(MODES)]
    assert (main["ci_low"] >= -1).all() and (main["ci_high"] <= 1).all()


# -- frontier --------------------------------------------------------------------------------


def test_frontier_null_options_at_the_target_are_not_called_feasible_beyond_the_rate():
    """Eight options whose true mean is exactly the target: calling any of them "meets the
    target" is a false claim; Holm keeps the chance of one at most 5%."""
    rng = np.random.default_rng(30)
    target = Target.parse("escalations_per_1000_households_year<=5")
    reps, false = 400, 0
    for _ in range(reps):
        samples = rng.normal(5.0, 1.0, (8, 5))
        table = pd.DataFrame(
            {
                "cost": np.arange(8.0),
                "mean": samples.mean(axis=1),
                "sd": samples.std(axis=1, ddof=1),
                "n": 5,
            }
        )
        false += find_frontier(table, target).table["feasible"].any()
    assert false / reps <= ceiling(reps), false / reps


def test_frontier_finds_options_that_clearly_meet_the_target():
    rng = np.random.default_rng(31)
    samples = rng.normal([[3.0], [7.0], [2.0]], 0.3, (3, 6))
    table = pd.DataFrame(
        {"cost": [1.0, 0.5, 2.0], "mean": samples.mean(1), "sd": samples.std(1, ddof=1), "n": 6}
    )
    result = find_frontier(table, Target.parse("escalations_per_1000_households_year<=5"))
    assert list(result.table["feasible"]) == [True, False, True] and result.chosen == 0


# -- sensitivity -----------------------------------------------------------------------------


def morris_points(rng, problem, X, effect: float, reps: int = 3) -> pd.DataFrame:
    """Per point: the mean and SD over ``reps`` noisy replications of a metric that depends
    on the first parameter by ``effect`` over its range (0: on nothing)."""
    runs = 20.0 + effect * X[:, 0][:, None] + rng.normal(0, 2.0, (len(X), reps))
    metric = KEY_METRICS[0]
    return pd.DataFrame(
        {
            f"{metric}_mean": runs.mean(1),
            f"{metric}_sd": runs.std(1, ddof=1),
            f"{metric}_n": reps,
        }
    )


def sensitivity_claims(rng, effect: float, seed: int) -> pd.DataFrame:
    problem = {"num_vars": 4, "names": ["a", "b", "c", "d"], "bounds": [[0.0, 1.0]] * 4}
    X = sample(problem, "morris", 20, seed)
    points = morris_points(rng, problem, X, effect)
    Y = points[f"{KEY_METRICS[0]}_mean"].to_numpy()
    indices = analyse(problem, X, Y, "morris", num_resamples=200, seed=seed)
    return judge_indices(indices.assign(metric=KEY_METRICS[0]), points, "morris")


def test_sensitivity_noise_alone_is_not_said_to_matter_beyond_the_rate():
    """The metric depends on no parameter; replication noise still makes every mu* > 0.
    Against the noise floor, saying any parameter matters happens at most 5% of the time."""
    rng = np.random.default_rng(40)
    reps, false = 80, 0
    for i in range(reps):
        false += sensitivity_claims(rng, 0.0, seed=i)["matters"].any()
    assert false / reps <= ceiling(reps), false / reps


def test_sensitivity_finds_the_parameter_that_matters():
    rng = np.random.default_rng(41)
    for i in range(5):
        claims = sensitivity_claims(rng, 15.0, seed=100 + i).set_index("parameter")
        assert claims.loc["a", "matters"] and not claims.loc[["b", "c", "d"], "matters"].any()


# -- calibration ------------------------------------------------------------------------------


def test_calibration_null_targets_are_not_called_off_beyond_the_rate():
    """Model runs centred on each target, with a tolerance smaller than the noise: a
    verdict of 'off target' is a false claim."""
    rng = np.random.default_rng(50)
    metrics = ["service_requests_per_household_year", "volunteer_hours_per_volunteer_year"]
    targets = [CalibrationTarget(m, m, 1.0, 1e-6) for m in metrics]
    reps, false = 300, 0
    for _ in range(reps):
        confirm = pd.DataFrame({final_column(m): rng.normal(1.0, 0.2, 8) for m in metrics})
        false += (fit_table(confirm, targets)["verdict"] == "off target").any()
    assert false / reps <= ceiling(reps), false / reps
    confirm = pd.DataFrame({final_column(m): rng.normal(2.0, 0.05, 8) for m in metrics})
    fit = fit_table(confirm, [CalibrationTarget(m, m, 1.0, 0.1) for m in metrics])
    assert (fit["verdict"] == "off target").all() and not fit["within_tolerance"].any()


def test_bounded_interval_is_vectorised_like_mean_interval():
    rng = np.random.default_rng(60)
    values = np.clip(rng.normal(0.9, 0.1, (20, 4)), 0, 1)
    low, high = bounded_interval(
        values.mean(1), values.std(1, ddof=1) / 2, np.full(20, 3), (0.0, 1.0)
    )
    for i in range(20):
        ci = mean_interval(values[i], (0.0, 1.0))
        assert (ci.low, ci.high) == pytest.approx((low[i], high[i]))
