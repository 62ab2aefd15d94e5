"""The dashboard's session state without Solara: scenario confinement, replay, per-grid
aggregates, translations."""

from __future__ import annotations

import os

import numpy as np
import pytest

from dashboards import i18n
from dashboards.state import (
    LEVERS,
    PRESETS,
    SCENARIOS,
    Comparison,
    DashboardModel,
    ScenarioRefused,
    Simulation,
    default_params,
    grid_values,
    list_scenarios,
    load_scenario_params,
    resolve_scenario,
    workers_per_grid,
)
from sim import Parameters
from sim.metrics import REGISTRY

# --- Only files inside scenarios/ may be loaded.


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "../pyproject.toml",
        "/etc/passwd",
        "sweeps/../../README.md",
        "..",
        "",
        "baseline.toml\x00.txt",
    ],
)
def test_requests_outside_scenarios_are_refused(name):
    with pytest.raises(ScenarioRefused):
        resolve_scenario(name)
    with pytest.raises(ScenarioRefused):
        Simulation().load_scenario(name)


def test_refusal_reasons():
    assert _reason("../../etc/passwd") == "outside"
    assert _reason("/etc/passwd") == "outside"
    assert _reason("no_such_file.toml") == "missing"


def _reason(name: str) -> str:
    with pytest.raises(ScenarioRefused) as err:
        resolve_scenario(name)
    return err.value.reason


def test_symbolic_link_out_of_the_folder_is_refused(tmp_path):
    root = tmp_path / "scenarios"
    root.mkdir()
    outside = tmp_path / "secret.toml"
    outside.write_text('[scenario]\nname = "x"\n')
    (root / "ok.toml").write_text('[scenario]\nname = "ok"\n')
    try:
        os.symlink(outside, root / "link.toml")
    except OSError:
        pytest.skip("no symbolic links here")
    assert list_scenarios(root) == ["ok.toml"]
    assert resolve_scenario("ok.toml", root) == (root / "ok.toml").resolve()
    with pytest.raises(ScenarioRefused) as err:
        resolve_scenario("link.toml", root)
    assert err.value.reason == "outside"


def test_picker_lists_every_scenario_file_and_each_loads():
    names = list_scenarios()
    assert "baseline.toml" in names
    assert all(not n.startswith(("/", "..")) for n in names)
    assert load_scenario_params("baseline.toml").population.households == 10000
    targets = list((SCENARIOS / "targets").glob("*.toml"))
    assert targets and not any(n.startswith("targets/") for n in names)
    assert len(names) == len(list(SCENARIOS.rglob("*.toml"))) - len(targets)
    for name in names:
        assert load_scenario_params(name).scenario.name


def test_loading_a_scenario_sets_levers_and_seed():
    sim = Simulation()
    sim.load_scenario("baseline.toml")
    assert sim.params.population.households == 10000
    assert sim.seed == sim.params.scenario.seed
    assert sim.scenario == "baseline.toml"


# --- Levers replay the same seed to today.


def test_lever_change_replays_to_the_same_day_and_keeps_the_previous_run():
    sim = Simulation()
    sim.step(40)
    before = sim.series()
    sim.set_values({"fusion.coordination": 0.0, "fusion.party_leadership": 0.0})
    assert sim.day == 40
    assert sim.params.fusion.coordination == 0.0
    np.testing.assert_array_equal(sim.previous["mean_trust"], before["mean_trust"])
    # the replay is the run a fresh model with those levers and seed would make
    fresh = DashboardModel(sim.params, rng=sim.seed)
    for _ in range(40):
        fresh.step()
    np.testing.assert_array_equal(
        sim.series()["mean_trust"], fresh.datacollector.model_vars["mean_trust"]
    )


def test_bad_lever_value_is_rejected_and_nothing_changes():
    sim = Simulation()
    sim.step(3)
    with pytest.raises(ValueError):
        sim.set_values({"fusion.coordination": 2.0})
    assert sim.params.fusion.coordination == 0.5
    assert sim.day == 3


def test_reset_and_seed():
    sim = Simulation()
    sim.step(5)
    sim.reset()
    assert sim.day == 0
    sim.set_seed(7)
    assert sim.seed == 7


# --- Per-grid aggregates from the arrays.


def test_grid_values_match_a_direct_computation():
    sim = Simulation()
    sim.step(60)
    m = sim.model
    layout = m.layout
    for g in range(layout.n_grids):
        rows = slice(layout.grid_start[g], layout.grid_start[g + 1])
        assert grid_values(m, "trust")[g] == pytest.approx(m.households.trust[rows].mean())
        assert grid_values(m, "norm")[g] == pytest.approx(m.households.norm[rows].mean())
    open_per_grid = np.bincount(layout.grid[m.issues.household], minlength=layout.n_grids)
    np.testing.assert_allclose(grid_values(m, "backlog"), 100 * open_per_grid / layout.grid_size)


def test_escalations_per_grid_add_up_to_the_model_total():
    sim = Simulation(default_params().with_values({"staffing.admin_load": 0.9}))
    sim.step(120)
    m = sim.model
    assert m.escalations_by_day[(m.day - 1) % 30].sum() == m.ledger.today("escalated")
    window = np.asarray(m.datacollector.model_vars["issues_escalated"][-30:]).sum()
    assert m.escalations_by_day.sum() == window
    rate = grid_values(m, "escalations") * m.layout.grid_size / 1000 * 30 / 365
    assert rate.sum() == pytest.approx(window)


def test_workers_per_grid_follows_the_staffing_ratio():
    sim = Simulation()
    staff = workers_per_grid(sim.model)
    # 2,000 households at 400 per worker: 5 workers over 8 grids
    assert staff.sum() == pytest.approx(5)


# --- Compare: same seed, presets only differ.


def test_comparison_same_preset_gives_identical_runs():
    cmp = Comparison(default_params(), seed=3, a="fusion", b="fusion")
    cmp.step(30)
    series = cmp.series("mean_trust")
    np.testing.assert_array_equal(series["a"], series["b"])
    cmp.set_preset("a", "silos")
    assert cmp.day == 0
    assert cmp.runs["a"].params.fusion.coordination == 0.0
    assert cmp.runs["b"].params.fusion.coordination == 0.9


# --- One translation table covers every lever and string.


def test_every_exposed_lever_is_valid_and_translated():
    specs = {key: (kind, spec) for key, _, kind, spec in Parameters.specs()}
    for lever in LEVERS:
        kind, spec = specs[lever.key]
        for lang in i18n.LANGS:
            assert i18n.lever_label(lever.key, lang).strip()
            assert i18n.lever_help(lever.key, lang).strip()
        assert i18n.lever_label(lever.key, "en") != i18n.lever_label(lever.key, "zh")
        if kind in (int, float):
            assert spec.low <= lever.low < lever.high <= spec.high, lever.key
            default = Parameters().flat()[lever.key]
            assert lever.low <= default <= lever.high, lever.key
    # every lever section is exposed in full
    exposed = {lv.key for lv in LEVERS}
    for key in specs:
        if key.split(".")[0] in ("staffing", "self_governance", "rule_of_law", "moral", "fusion"):
            assert key in exposed, key


def test_ui_strings_exist_in_both_languages():
    for key, (en, zh) in i18n.UI.items():
        assert zh.strip(), key
        assert en.strip() or key == "day_suffix", key  # "第 3 天" has no English suffix
    for preset in PRESETS:
        assert i18n.t(f"preset_{preset}", "zh") != i18n.t(f"preset_{preset}", "en")


def test_metric_labels_come_from_the_registry():
    for name in REGISTRY:
        assert i18n.metric_label(name, "zh") == REGISTRY[name].label_zh
        assert i18n.metric_label(name, "en") == REGISTRY[name].label_en


# --- The command line and the launcher.


def test_sanzhi_dashboard_command_line():
    from dashboards.server import command
    from experiments.cli import _parser, cmd_dashboard

    args = _parser().parse_args(["dashboard", "--port", "9000"])
    assert (args.command, args.host, args.port) == (cmd_dashboard, "127.0.0.1", 9000)
    cmd = command("127.0.0.1", 9000)
    assert cmd[1:5] == ["-m", "solara", "run", "dashboards.app"]
    assert "--production" in cmd and cmd[cmd.index("--port") + 1] == "9000"


def test_chinese_font_is_configured_when_installed():
    import matplotlib

    from dashboards import figures

    if figures.CJK_FONT is None:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    assert figures.CJK_FONT in matplotlib.rcParams["font.family"]
