"""The model as a plain function (dict -> dict), driven unchanged by SALib and the EMA
Workbench."""

from __future__ import annotations

import math

import numpy as np
import pytest

from experiments import ScenarioError
from experiments.analysis.sensitivity.indices import analyse, sample
from experiments.model_function import ModelFunction, evaluate, flatten
from sim import METRICS
from tests.test_cli import ROOT

TINY = {"population.households": 200, "scenario.steps": 30}


def test_evaluate_returns_every_metric_and_is_deterministic():
    out = evaluate({**TINY, "staffing.admin_load": 0.5})
    assert list(out) == [m.name for m in METRICS]
    assert all(isinstance(v, float) for v in out.values())
    assert math.isfinite(out["mean_trust"]) and 0 < out["mean_trust"] < 1
    assert evaluate({**TINY, "staffing.admin_load": 0.5}) == out  # common random numbers
    assert evaluate({**TINY, "staffing.admin_load": 0.5}, seed=99) != out


def test_parameter_spellings_agree():
    metrics = ["mean_trust", "resolution_rate"]
    dotted = evaluate({**TINY, "fusion.coordination": 0.9}, metrics=metrics)
    nested = {"population": {"households": 200}, "scenario": {"steps": 30}}
    nested = evaluate(nested | {"fusion": {"coordination": 0.9}}, metrics=metrics)
    function = ModelFunction(fixed=TINY, metrics=metrics)
    assert dotted == nested == function(fusion__coordination=np.float64(0.9))
    assert list(dotted) == metrics


def test_replications_average_and_scenario_base():
    one = evaluate(TINY, replications=1, metrics=["mean_trust"])
    two = evaluate(TINY, replications=2, metrics=["mean_trust"])
    assert one != two
    baseline = ROOT / "scenarios" / "baseline.toml"
    from_file = evaluate(TINY, scenario=baseline, metrics=["mean_trust"])
    assert math.isfinite(from_file["mean_trust"])


def test_bad_parameters_raise_scenario_errors():
    with pytest.raises(ScenarioError, match="did you mean 'admin_load'"):
        evaluate({**TINY, "staffing.admin_lod": 0.3})
    with pytest.raises(ScenarioError, match=r"staffing\.admin_load"):
        evaluate({**TINY, "staffing.admin_load": 3.0})
    with pytest.raises(ScenarioError, match="unknown metric"):
        evaluate(TINY, metrics=["trust"])
    assert flatten({"a": {"b": 1}, "c__d": 2}) == {"a.b": 1, "c.d": 2}


def test_salib_drives_the_function_directly():
    problem = {"num_vars": 2, "names": ["staffing.admin_load", "fusion.coordination"],
               "bounds": [[0.1, 0.6], [0.1, 0.9]]}  # fmt: skip
    X = sample(problem, "morris", 2, seed=1)
    Y = np.array(
        [
            evaluate(
                {**TINY, **dict(zip(problem["names"], row, strict=True))}, metrics=["mean_trust"]
            )["mean_trust"]
            for row in X
        ]
    )
    indices = analyse(problem, X, Y, "morris", num_resamples=50, seed=1)
    assert np.isfinite(indices["mu_star"]).all()


def test_ema_workbench_runs_a_latin_hypercube():
    ema = pytest.importorskip("ema_workbench")
    from ema_workbench.em_framework.evaluators import SequentialEvaluator

    outcomes = ["escalations_per_1000_households_year", "mean_trust"]
    model = ema.Model("sanzhi", function=ModelFunction(fixed=TINY, metrics=outcomes))
    model.uncertainties = [
        ema.RealParameter("staffing.admin_load", 0.1, 0.6),
        ema.RealParameter("fusion__coordination", 0.1, 0.9),  # identifiers work too
    ]
    model.outcomes = [ema.ScalarOutcome(name) for name in outcomes]
    with SequentialEvaluator(model) as evaluator:
        experiments, results = ema.perform_experiments(
            model, scenarios=4, uncertainty_sampling=ema.Samplers.LHS, evaluator=evaluator
        )
    assert len(experiments) == 4
    assert experiments["staffing.admin_load"].between(0.1, 0.6).all()
    assert set(results) == set(outcomes)
    assert np.isfinite(results["mean_trust"]).all() and len(results["mean_trust"]) == 4
    # the same point through the plain function gives the same outcome
    row = experiments.iloc[0]
    direct = evaluate(
        {**TINY, "staffing.admin_load": row["staffing.admin_load"],
         "fusion.coordination": row["fusion__coordination"]},
        metrics=outcomes,
    )  # fmt: skip
    assert direct["mean_trust"] == pytest.approx(results["mean_trust"][0])
