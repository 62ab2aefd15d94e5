"""The city scenarios build the structure their headers derive from the reports
(docs/sources.md): known answers from the reports' figures, checked on the layout and the
staffing plan as shipped (no simulation, so the 110,000-household city costs nothing)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from experiments.scenario import load_scenario
from sim.layout import Layout
from sim.staff.social import SocialOrganisations
from sim.staffing import community_plan, grid_plan, per_grid, resolve_overrides

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def structure(name: str) -> dict:
    params = load_scenario(SCENARIOS / f"{name}.toml").params
    layout = Layout.build(params)
    overrides = resolve_overrides(params.staffing.overrides, layout)
    st = params.staffing
    return {
        "params": params,
        "households": layout.n_households,
        "communities": layout.n_communities,
        "grids": layout.n_grids,
        "grid_workers": grid_plan(params, layout, overrides).total,
        "community_staff": community_plan(params, layout, overrides).counts,
        "helpers": per_grid(st.helpers_per_grid, overrides.helpers_per_grid),
        "community_of_grid": layout.community_of_grid,
        "organisations": max(1, round(layout.n_households / st.households_per_social_organisation)),
        "social_workers": SocialOrganisations.count_from(params, layout),
    }


def test_kunshan_today_has_the_reports_mix_and_nine_staff_everywhere() -> None:
    k = structure("kunshan_2021")
    assert k["communities"] == 10 and k["households"] == 20000
    sizes = np.asarray(k["params"].population.community_sizes)
    assert (sizes > 5000).sum() == 1 and sizes.mean() == 2000  # 1 in 10 above 5,000
    assert (k["community_staff"] == 9).all()  # 8-10 staff whatever the size
    assert k["households"] / k["grid_workers"] == pytest.approx(420, rel=0.03)  # 696,667 / 1,654


def test_kunshan_recommended_staffs_communities_not_grid_workers_by_110_150() -> None:
    k = structure("kunshan_recommended")
    assert k["communities"] == 10 and (k["params"].population.community_sizes == (2000,) * 10)
    assert (k["community_staff"] == 15).all()  # round(2,000 / 130), at least 9
    assert k["grids"] == 60 and k["grid_workers"] == 60  # one full-time worker a grid
    assert k["households"] / k["grids"] == pytest.approx(696_667 / 2_024, rel=0.05)
    assert k["social_workers"] == 36  # 1.8 per 1,000 households (1 per 1,000 registered)


def test_handan_has_its_organisation_density_and_red_stewards_in_six_of_ten() -> None:
    h = structure("handan_fuxing")
    assert h["communities"] == 10 and h["grids"] == 50
    assert h["grids"] / h["communities"] == pytest.approx(535 / 112, rel=0.05)  # branches
    assert h["params"].staffing.party_branch_level == "grid"
    assert h["organisations"] / h["communities"] == pytest.approx(539 / 112, rel=0.05)
    stewards = np.unique(h["community_of_grid"][h["helpers"] == 8.0])
    assert stewards.tolist() == [0, 1, 2, 3, 4, 5]  # communities 1-6: 71 / 112 = 63%


def test_jinchang_is_33_communities_634_grids_and_42_organisations() -> None:
    j = structure("jinchang_2018")
    assert j["communities"] == 33 and j["grids"] == 634
    assert j["households"] == pytest.approx(470_000 * 0.70 / 3, rel=0.001)
    assert j["organisations"] == 42
    assert j["params"].staffing.police_per_grid == pytest.approx(206 / 634, abs=0.005)
    assert j["params"].staffing.legal_advisors_per_community == 1.0
    assert j["params"].moral.moral_bank and j["params"].moral.red_black_list
    assert j["params"].self_governance.deliberation_interval_days == 0  # 30 of 33: none
    pilot = structure("jinchang_pilot")
    assert pilot["communities"] == 3 and pilot["grids"] == 57
    assert pilot["params"].self_governance.deliberation_interval_days > 0


def test_suzhou_has_its_organisation_and_social_worker_density() -> None:
    s = structure("suzhou_2015")
    households = 10.6e6 / 3  # usual residents at 3 a household
    assert s["params"].staffing.households_per_social_organisation == round(households / 13520)
    qualified = 7620 / households * 1000  # the upper bound: 2.2 per 1,000 households
    assert s["params"].staffing.social_workers_per_1000_households < qualified
    assert s["params"].population.volunteer_share == pytest.approx(1.16e6 / 10.6e6, abs=0.005)


def test_zhongshan_keeps_the_baseline_grid_staff_and_adds_lists_and_training() -> None:
    z, base = structure("zhongshan_2020"), structure("baseline")
    whole = structure("whole_grid")
    for s in (z, whole):  # both kinds of grid kept: no merged specialised staff
        assert s["households"] / s["grid_workers"] == base["households"] / base["grid_workers"]
        assert s["params"].staffing.task_entry_list > 0
        assert (
            s["params"].behaviour.grid_service_success
            > base["params"].behaviour.grid_service_success
        )
    assert z["params"].staffing.legal_advisors_per_community == 2.0
