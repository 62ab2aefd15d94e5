"""Sensitivity analysis: known functions through the same analyse() path as the model, then
the model at tiny size through `sanzhi sensitivity`, resumable; bad inputs exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from SALib.test_functions import Ishigami

from experiments import load_scenario
from experiments.analysis.sensitivity.indices import (
    analyse,
    evaluate,
    ranking,
    sample,
    second_order,
    sobol_warnings,
)
from experiments.analysis.sensitivity.study import (
    point_outputs,
    sample_matrix,
    sensitivity_scenario,
)
from experiments.cli.main import main
from experiments.columns import window_column
from experiments.sweeps.design import design_of, expand
from tests.test_cli import ROOT, sanzhi, write

BASELINE = ROOT / "scenarios" / "baseline.toml"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """`sanzhi ARGS` in this process (fast, for checks that need no worker processes)."""
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
# Analytical Ishigami indices (a = 7, b = 0.1): S1 = (0.3139, 0.4424, 0),
# ST = (0.5576, 0.4424, 0.2437), S13 = 0.2437 and no other interaction.
S1_TRUE = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ST_TRUE = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def test_sobol_recovers_the_ishigami_indices():
    X = sample(ISHIGAMI, "sobol", 1024, seed=3)
    indices = analyse(ISHIGAMI, X, evaluate(Ishigami.evaluate, X), "sobol", seed=3)
    rows = indices.set_index("parameter")
    for name in ISHIGAMI["names"]:
        assert rows.loc[name, "S1_low"] <= S1_TRUE[name] <= rows.loc[name, "S1_high"], name
        assert rows.loc[name, "ST_low"] <= ST_TRUE[name] <= rows.loc[name, "ST_high"], name
    assert ranking(indices) == ["x1", "x2", "x3"]  # by total index
    assert rows.loc["x2", "S1"] > rows.loc["x1", "S1"] > rows.loc["x3", "S1"]
    assert abs(rows.loc["x3", "S1"]) < 0.05 and rows.loc["x3", "ST_low"] > 0.15  # only via x1
    s2 = second_order(indices).set_index(["parameter_1", "parameter_2"])
    assert s2.loc[("x1", "x3"), "S2_low"] <= 0.2437 <= s2.loc[("x1", "x3"), "S2_high"]
    assert s2.loc[("x1", "x2"), "S2_low"] <= 0 <= s2.loc[("x1", "x2"), "S2_high"]


def test_morris_recovers_linear_coefficients():
    coefficients = np.array([5.0, -2.0, 0.5, 0.0])
    problem = {"num_vars": 4, "names": ["a", "b", "c", "d"], "bounds": [[0.0, 1.0]] * 4}
    X = sample(problem, "morris", 20, seed=1)
    indices = analyse(problem, X, evaluate(lambda x: x @ coefficients, X), "morris", seed=1)
    rows = indices.set_index("parameter")
    # a linear function's elementary effects are its coefficients (per unit of range)
    np.testing.assert_allclose(rows["mu_star"], np.abs(coefficients), atol=1e-9)
    np.testing.assert_allclose(rows["mu"], coefficients, atol=1e-9)
    np.testing.assert_allclose(rows["sigma"], 0, atol=1e-9)
    assert ranking(indices, 4) == ["a", "b", "c", "d"]
    assert (rows["mu_star_low"] <= rows["mu_star"]).all()


def test_morris_ranks_ishigami_x2_last_by_mu_and_finds_its_nonlinearity():
    X = sample(ISHIGAMI, "morris", 60, seed=2)
    indices = analyse(ISHIGAMI, X, evaluate(Ishigami.evaluate, X), "morris", seed=2)
    rows = indices.set_index("parameter")
    # x3 acts only through its interaction with x1: large sigma relative to |mu|
    assert rows.loc["x3", "sigma"] > abs(rows.loc["x3", "mu"])
    assert np.isfinite(indices[["sigma_low", "sigma_high"]]).all().all()


def test_sobol_warning_rule():
    good = pd.DataFrame(
        {
            "parameter": ["a", "b"],
            "S1": [0.6, 0.3],
            "S1_low": [0.58, 0.28],
            "S1_high": [0.62, 0.32],
            "ST": [0.65, 0.35],
            "ST_low": [0.62, 0.33],
            "ST_high": [0.68, 0.37],
        }
    )
    assert sobol_warnings(good, 1024) == []
    assert "below 512" in sobol_warnings(good, 64)[0]
    wide = good.assign(ST_low=[0.4, 0.1], ST_high=[0.9, 0.6])
    assert "exceeds 10% of the largest ST" in sobol_warnings(wide, 1024)[0]
    over = good.assign(S1=[0.8, 0.5])
    assert "add up to 1.30" in sobol_warnings(over, 1024)[0]
    negative = good.assign(S1=[0.6, -0.2], S1_low=[0.58, -0.3], S1_high=[0.62, -0.1])
    assert "negative beyond their CI: b (S1" in sobol_warnings(negative, 1024)[0]


def sensitivity_file(tmp_path: Path, body: str = "", name: str = "sens.toml") -> Path:
    return write(
        tmp_path / name,
        f'[scenario]\nextends = "{BASELINE}"\nname = "tiny_sens"\nsteps = 60\nreplications = 2\n'
        "seed = 5\n[population]\nhouseholds = 300\n"
        + (
            body
            or '[sweep]\ndesign = "morris"\nsamples = 2\n[sweep.parameters]\n'
            '"staffing.admin_load" = { low = 0.1, high = 0.6 }\n'
            '"self_governance.deliberation_interval_days" = { low = 7, high = 60 }\n'
            '"fusion.coordination" = { low = 0.1, high = 0.9 }\n'
        ),
    )


def test_sample_matrix_is_the_sweeps_points_in_order(tmp_path):
    for method, samples in (("morris", 3), ("sobol", 8)):
        scenario = sensitivity_scenario(
            load_scenario(sensitivity_file(tmp_path)), method, samples=samples
        )
        _, X = sample_matrix(design_of(scenario), 5)
        points = pd.DataFrame(expand(design_of(scenario), 5))
        assert len(points) == len(X)
        np.testing.assert_allclose(points["staffing.admin_load"], X[:, 0])
        days = points["self_governance.deliberation_interval_days"]  # an integer parameter
        np.testing.assert_allclose(days, np.round(X[:, 1]))
    # a summary whose points are not SALib's rows is refused, not silently misaligned
    summary = points.assign(point=range(len(points)), status="ok")
    summary[window_column("mean_trust")] = 0.5
    point_outputs(summary, design_of(scenario), X, ["mean_trust"])
    shuffled = summary.assign(point=summary["point"].to_numpy()[::-1])
    with pytest.raises(RuntimeError, match="do not match SALib"):
        point_outputs(shuffled, design_of(scenario), X, ["mean_trust"])


def test_morris_on_the_model_then_resume_reuses_every_run(tmp_path, capsys):
    path = sensitivity_file(tmp_path)
    out = tmp_path / "morris"
    args = ["sensitivity", str(path), "--method", "morris", "--out", str(out)]
    args += ["--resamples", "100", "--workers", "2"]
    result = sanzhi(*args)
    assert result.returncode == 0, result.stderr
    assert "most influential parameters" in result.stdout
    indices = pd.read_csv(out / "indices.csv")
    assert len(indices) == 3 * 5  # 3 parameters x 5 default metrics
    assert np.isfinite(indices[["mu_star", "mu_star_low", "mu_star_high", "sigma"]]).all().all()
    points = pd.read_csv(out / "points.csv")
    assert len(points) == 2 * (3 + 1)  # trajectories x (parameters + 1)
    assert (points["mean_trust_n"] == 2).all() and points["mean_trust_sd"].notna().all()
    for name in ("summary.md", "morris_mean_trust.png", "runs/summary.parquet"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "sensitivity" and manifest["method"] == "morris"
    assert manifest["samples"] == 2 and manifest["points"] == 8 and manifest["runs_ok"] == 16
    assert set(manifest["noise_share"]) == set(indices["metric"])

    code, _, err = cli(capsys, *args)  # the runs exist: refuse without --resume
    assert code == 2 and "--resume" in err
    code, _, err = cli(capsys, *args, "--resume", "--executor", "serial")
    assert code == 0, err
    sweep = json.loads((out / "runs" / "manifest.json").read_text())
    assert sweep["sessions"][-1]["runs_executed"] == 0
    pd.testing.assert_frame_equal(pd.read_csv(out / "indices.csv"), indices)


def test_sobol_on_the_model_gives_finite_indices_and_warns(tmp_path, capsys):
    path = sensitivity_file(tmp_path)
    out = tmp_path / "sobol"
    code, _, err = cli(
        capsys,
        "sensitivity", str(path), "--method", "sobol", "--samples", "4", "--out", str(out),
        "--param", "staffing.admin_load=0.1:0.6", "--param", "fusion.coordination=0.1:0.9",
        "--metric", "mean_trust", "--metric", "security", "--set", "scenario.replications=1",
        "--executor", "serial", "--resamples", "50",
    )  # fmt: skip
    assert code == 0, err
    assert "below 512" in err
    indices = pd.read_csv(out / "indices.csv")
    assert list(indices["parameter"]) == ["staffing.admin_load", "fusion.coordination"] * 2
    assert np.isfinite(indices[["S1", "ST", "S1_low", "ST_high"]]).all().all()
    assert len(pd.read_csv(out / "second_order.csv")) == 2  # one pair, two metrics
    assert "below 512" in (out / "summary.md").read_text()
    assert len(pd.read_csv(out / "points.csv")) == 4 * (2 * 2 + 2)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--param", "staffing.admin_load=0.6:0.1"], ["staffing.admin_load", "bounds reversed"]),
        (["--param", "staffing.admin_lod=0.1:0.6"], ["did you mean 'staffing.admin_load'"]),
        (["--param", "staffing.admin_load=0.1"], ["expected section.key=low:high"]),
        (["--param", "staffing.admin_load=0.1:2"], ["staffing.admin_load", "out of range"]),
        (
            ["--metric", "mean_trusst"],
            ["unknown metric 'mean_trusst'", "did you mean 'mean_trust'"],
        ),
        (["--samples", "6", "--method", "sobol"], ["power of 2"]),
    ],
    ids=["reversed", "unknown parameter", "no range", "out of range", "metric", "sobol N"],
)
def test_bad_input_exits_2(tmp_path, capsys, extra, expected):
    path = sensitivity_file(tmp_path)
    method = [] if "--method" in extra else ["--method", "morris"]
    code, _, err = cli(capsys, "sensitivity", path, *method, "--out", tmp_path / "o", *extra)
    assert code == 2, err
    for fragment in expected:
        assert fragment in err
    assert not (tmp_path / "o").exists()


def test_bad_input_exits_2_from_the_command_line(tmp_path):
    path = sensitivity_file(tmp_path)
    result = sanzhi(
        "sensitivity", str(path), "--method", "morris", "--out", str(tmp_path / "o"),
        "--param", "staffing.admin_load=0.6:0.1",
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "command line (--param): staffing.admin_load: bounds reversed" in result.stderr


def test_file_without_ranges_exits_2(tmp_path, capsys):
    grid = sensitivity_file(
        tmp_path,
        '[sweep]\ndesign = "grid"\n[sweep.parameters]\n"staffing.admin_load" = [0.1, 0.5]\n',
    )
    code, _, err = cli(capsys, "sensitivity", grid, "--method", "morris", "--out", tmp_path / "o")
    assert code == 2
    assert "sweep.parameters.staffing.admin_load" in err and "{low, high} range" in err
    code, _, err = cli(capsys, "sensitivity", BASELINE, "--method", "sobol", "--out", tmp_path)
    assert code == 2 and "no parameters to vary" in err


def test_problem_of_the_shipped_scenario():
    scenario = load_scenario(ROOT / "scenarios" / "sweeps" / "sensitivity.toml")
    problem = design_of(sensitivity_scenario(scenario, "morris")).problem()
    assert problem["num_vars"] >= 8
    assert all(low < high for low, high in problem["bounds"])
