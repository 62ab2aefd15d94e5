"""The frontier picks the known cheapest feasible option, costs staff as the model builds
them, and the command runs end to end; bad targets and cost tables exit 2."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments import load_scenario
from experiments.analysis.frontier.costs import Costs, staffing_cost
from experiments.analysis.frontier.pareto import Target, find_frontier, one_sided_bound
from experiments.cli.main import main
from sim import GovernanceModel, Parameters
from tests.test_cli import ROOT, write

FRONTIER = ROOT / "scenarios" / "sweeps" / "frontier.toml"

# a synthetic cost-outcome table: option C has the lowest mean under the ceiling among the
# cheap ones, but with only 3 noisy runs its upper bound misses; D is the cheapest that meets
# the target with 95% confidence; F is dearer and better; E is dominated by C and D.
TABLE = pd.DataFrame(
    {
        "option": ["A", "B", "C", "D", "E", "F"],
        "cost": [100.0, 150.0, 180.0, 200.0, 260.0, 300.0],
        "mean": [9.0, 6.0, 4.0, 4.5, 4.6, 2.0],
        "sd": [0.5, 0.5, 3.0, 0.5, 0.5, 0.5],
        "n": [10, 10, 3, 10, 10, 10],
    }
)


def test_cheapest_feasible_option_is_chosen():
    result = find_frontier(TABLE, Target.parse("escalations_per_1000_households_year<=5"))
    table = result.table.set_index("option")
    assert table.index[result.chosen] == "D"
    # Holm over the six options' one-sided tests: E's unadjusted 95% bound meets the target
    # (4.89 <= 5) but not at the level the adjustment leaves it (p = 0.016 x 4 > 0.05)
    assert list(table.index[table["feasible"]]) == ["D", "F"]
    assert table.loc["E", "bound95"] < 5 < table.loc["E", "bound"]
    # C's mean is under the target but its one-sided 95% bound is not
    assert table.loc["C", "mean"] < 5 < table.loc["C", "bound"]
    expected = 4.5 + 1.8331129 * 0.5 / np.sqrt(10)  # t(0.95, 9)
    assert table.loc["D", "bound95"] == pytest.approx(expected, rel=1e-6)
    # D's bound is at the level Holm used for it: p x 5 (its rank among the six)
    se = 0.5 / np.sqrt(10)
    p = stats.t.sf((5 - 4.5) / se, 9)
    assert table.loc["D", "p_adjusted"] == pytest.approx(5 * p, rel=1e-9)
    level = 1 - 0.05 * p / (5 * p)
    assert table.loc["D", "bound"] == pytest.approx(4.5 + stats.t.ppf(level, 9) * se)
    # without the adjustment, the old one-option-at-a-time answer
    single = find_frontier(TABLE, Target.parse("staff_cost<=5"), adjustment="none")
    assert list(single.table.loc[single.table["feasible"], "option"]) == ["D", "E", "F"]
    # the frontier is in (cost, mean): C is cheaper and better on average than D, so D is
    # off it -- but only D meets the target with 95% confidence
    assert list(table.index[table["on_frontier"]]) == ["A", "B", "C", "F"]
    assert table["chosen"].sum() == 1 and table.loc["D", "chosen"]


def test_floor_targets_and_strict_inequalities():
    table = TABLE.assign(mean=[0.2, 0.5, 0.9, 0.7, 0.8, 0.95], sd=0.05)
    result = find_frontier(table, Target.parse("resolution_rate>=0.7"))
    assert table.loc[result.chosen, "option"] == "C"
    result = find_frontier(table, Target.parse("resolution_rate>0.9"))
    assert table.loc[result.chosen, "option"] == "F"
    strict = find_frontier(TABLE.assign(sd=0.0), Target.parse("mean_trust<4.5"))
    assert TABLE.loc[strict.chosen, "option"] == "C"  # D's 4.5 is not < 4.5


def test_no_feasible_option_reports_the_closest():
    result = find_frontier(TABLE, Target.parse("escalations_per_1000_households_year<=1"))
    assert result.chosen is None and not result.table["feasible"].any()
    assert TABLE.loc[result.closest, "option"] == "F"


def test_ties_in_cost_go_to_the_better_outcome():
    table = pd.DataFrame({"cost": [1.0, 1.0, 2.0], "mean": [3.0, 2.0, 1.0], "sd": 0.0, "n": 5})
    result = find_frontier(table, Target.parse("staff_cost<=3"))
    assert result.chosen == 1
    assert list(result.table["on_frontier"]) == [False, True, True]


def test_one_sided_bound_needs_two_runs():
    bound = one_sided_bound(
        pd.Series([1.0, 1.0]), pd.Series([0.1, np.nan]), pd.Series([5, 1]), True
    )
    assert np.isfinite(bound[0]) and np.isnan(bound[1])


@pytest.mark.parametrize("households", [300, 4000, 10_000])
def test_priced_staff_are_the_staff_the_model_builds(households):
    params = Parameters().with_values(
        {
            "population.households": households,
            "staffing.households_per_grid_worker": 250,
            "staffing.legal_advisors_per_community": 1.5,
            "staffing.social_workers_per_1000_households": 3.0,
        }
    )
    model = GovernanceModel(params, rng=1)
    cost = staffing_cost(params, Costs())  # priced from the parameters, before any run
    assert cost["grid_workers"] == model.grid_teams.n_workers
    assert cost["legal_advisors"] == model.legal.n_advisors
    assert cost["social_workers"] == model.social.n_social_workers
    st = params.staffing
    yuan = (
        model.grid_teams.n_workers * st.grid_worker_cost
        + model.legal.n_advisors * st.legal_advisor_cost
        + model.social.n_social_workers * st.social_worker_cost
    )
    assert cost["yuan_per_year"] == pytest.approx(yuan * 10_000 / households)
    model.step()
    # the model's staff_cost metric is the same money per household
    assert model.datacollector.model_vars["staff_cost"][-1] == pytest.approx(yuan / households)


def test_frontier_command_end_to_end(tmp_path, capsys):
    path = write(
        tmp_path / "f.toml",
        f'[scenario]\nextends = "{FRONTIER}"\nsteps = 40\nreplications = 2\n'
        "[population]\nhouseholds = 400\nhouseholds_per_grid = 100\n"
        "households_per_community = 200\n"
        '[sweep]\ndesign = "grid"\n[sweep.parameters]\n'
        '"staffing.households_per_grid_worker" = [100, 400]\n'
        '"staffing.legal_advisors_per_community" = [0.0, 1.0]\n'
        "[frontier.days_per_year]\nlegal_advisor = 100\n",
    )
    out = tmp_path / "out"
    target = "--target=escalations_per_1000_households_year<=1000"
    code = main(["frontier", str(path), target, "--out", str(out), "--executor", "serial"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "Cheapest staffing meeting" in printed.out
    table = pd.read_csv(out / "frontier.csv")
    assert len(table) == 4 and table["feasible"].all() and table["chosen"].sum() == 1
    chosen = table[table["chosen"]].iloc[0]
    assert chosen["staffing.households_per_grid_worker"] == 400
    assert chosen["staffing.legal_advisors_per_community"] == 0
    # 1 grid worker x 250 days, no advisors, 0 social workers at 400 households, per 10,000
    assert chosen["staff_days_per_year"] == pytest.approx(250 * 10_000 / 400)
    dear = table[
        (table["staffing.legal_advisors_per_community"] == 1) & (table["grid_workers"] == 1)
    ]
    dear = dear.iloc[0]
    assert dear["legal_advisors"] == 2  # two communities of 200 households
    assert dear["staff_days_per_year"] == pytest.approx((250 + 2 * 100) * 10_000 / 400)
    answer = (out / "answer.md").read_text()
    assert "Cheapest staffing" in answer and "最低成本人员配置" in answer
    assert (out / "frontier.png").stat().st_size > 1000
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["days_per_year"]["legal_advisor"] == 100 and manifest["chosen"]["point"] == 2

    # nothing meets an impossible target: say so, show the closest, exit 0
    code = main(["frontier", str(path), "--target", "resolution_rate>=2", "--out", str(out),
                 "--resume", "--executor", "serial", "--lang", "zh"])  # fmt: skip
    printed = capsys.readouterr()
    assert code == 0 and "没有任何人员配置" in printed.out
    assert "No staffing option in the sweep meets" in (out / "answer.md").read_text()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("escalations<=3", "did you mean 'escalations_per_1000_households_year'"),
        ("mean_trust=0.6", "expected metric<=value"),
        ("mean_trust>=high", "expected metric<=value"),
    ],
)
def test_bad_target_exits_2(tmp_path, capsys, target, expected):
    code = main(["frontier", str(FRONTIER), "--target", target, "--out", str(tmp_path / "o")])
    assert code == 2
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('cost = "money"\n', "frontier.cost: got 'money'"),
        ("costs = 1\n", "frontier.costs: unknown key; did you mean 'cost'?"),
        ("[frontier.days_per_year]\ngrid_workers = 200\n", "did you mean 'grid_worker'?"),
        ("[frontier.days_per_year]\ngrid_worker = 400\n", "expected days from 0 to 366"),
    ],
)
def test_bad_cost_table_exits_2(tmp_path, capsys, table, expected):
    path = write(tmp_path / "f.toml", f'[scenario]\nextends = "{FRONTIER}"\n[frontier]\n{table}')
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and str(path) in err


def test_shipped_frontier_scenario_prices_every_point():
    from experiments.analysis.frontier.study import costs_of, point_costs

    scenario = load_scenario(FRONTIER)
    priced = point_costs(scenario, costs_of(scenario))
    assert len(priced) == 36 and priced["staff_days_per_year"].nunique() > 10
