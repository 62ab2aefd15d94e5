"""The dashboard's session state without Solara: scenario confinement, replay, per-grid
aggregates, translations."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

from dashboards import i18n
from dashboards.state import (
    DEFAULT_VALUES,
    LEVERS,
    PRESETS,
    SCENARIOS,
    SPECS,
    Comparison,
    DashboardModel,
    Lever,
    ScenarioRefused,
    Simulation,
    default_params,
    grid_values,
    list_scenarios,
    load_scenario_params,
    preset_values,
    resolve_scenario,
    scenario_levers,
)
from sim import Parameters
from sim.metrics import REGISTRY, WINDOW
from sim.params import ParameterError

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
    assert m.escalations_by_day.shape == (WINDOW, m.layout.n_grids)  # the KPIs' window
    assert m.escalations_by_day[(m.day - 1) % WINDOW].sum() == m.ledger.today("escalated")
    window = np.asarray(m.datacollector.model_vars["issues_escalated"][-WINDOW:]).sum()
    assert m.escalations_by_day.sum() == window
    rate = grid_values(m, "escalations") * m.layout.grid_size / 1000 * WINDOW / 365
    assert rate.sum() == pytest.approx(window)


def test_workers_per_grid_follows_the_staffing_ratio():
    sim = Simulation()
    staff = sim.model.grid_teams.workers_per_grid()
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
    assert cmp.runs["a"].params.fusion.coordination == 0.1  # scenarios/silos.toml
    assert cmp.runs["b"].params.fusion.coordination == 0.9  # scenarios/coordinated.toml
    # the sidebar's town: a preset never changes the population's size
    for key, value in DEFAULT_VALUES.items():
        assert cmp.runs["a"].params.flat()[key] == value


def test_the_seed_comes_from_the_model_defaults():
    assert Simulation().seed == Parameters().scenario.seed
    sim = Simulation()
    sim.load_scenario("baseline.toml")
    assert sim.seed == load_scenario_params("baseline.toml").scenario.seed


# --- Presets are what a file in scenarios/ sets itself.


def test_each_preset_is_what_its_scenario_file_sets_itself():
    from experiments.scenario import load_scenario

    assert preset_values("current") == {}
    for name, file in PRESETS.items():
        if file is None:
            continue
        path = SCENARIOS / file
        scenario = load_scenario(path)
        # `origin` says which file of the extends chain set each key
        own = {
            key
            for key, source in scenario.origin.items()
            if source == str(path) and key in SPECS and not key.startswith("scenario.")
        }
        values = preset_values(name)
        assert values, name
        assert set(values) == own - set(DEFAULT_VALUES), name
        flat = scenario.params.flat()
        for key, value in values.items():
            assert flat[key] == value, (name, key)


def test_a_preset_leaves_out_the_scenario_table_inheritance_and_size(tmp_path):
    (tmp_path / "base.toml").write_text("[fusion]\ncoordination = 0.3\n")
    (tmp_path / "child.toml").write_text(
        '[scenario]\nextends = "base.toml"\nname = "child"\nseed = 7\n'
        "[population]\nhouseholds = 500\nhouseholds_per_grid = 50\nmean_trust = 0.7\n"
        "network = { rewire = 0.2 }\n"
        "[moral]\nmoral_bank = true\n"
    )
    assert scenario_levers(tmp_path / "child.toml") == {
        "population.mean_trust": 0.7,
        "population.network.rewire": 0.2,
        "moral.moral_bank": True,
    }


def test_a_bad_value_in_a_preset_file_names_the_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[fusion]\ncoordination = 2.0\n")
    with pytest.raises(ParameterError) as err:
        scenario_levers(path)
    assert "fusion.coordination" in str(err.value)
    assert str(path) in "".join(err.value.__notes__)


def test_preset_labels_show_the_numbers_of_their_files():
    for name in PRESETS:
        values = preset_values(name)
        en, zh = (i18n.preset_label(name, values, lang) for lang in ("en", "zh"))
        assert en != zh and "{" not in en + zh, name
    silos = i18n.preset_label("silos", preset_values("silos"), "en")
    assert silos == "Silos: coordination 0.1, party leadership 0.2"
    heavy = i18n.preset_label("admin_heavy", preset_values("admin_heavy"), "zh")
    assert "60%" in heavy


def test_reading_the_presets_imports_no_sweep_code():
    code = (
        "import sys\n"
        "from dashboards.state import PRESETS, preset_values\n"
        "for name in PRESETS:\n"
        "    preset_values(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('SALib', 'experiments')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# --- One translation table covers every lever and string.


def test_every_lever_lies_within_its_spec_and_has_text_in_both_languages():
    defaults = Parameters().flat()
    for lever in LEVERS:
        kind, spec = SPECS[lever.key]
        for lang in i18n.LANGS:
            assert i18n.lever_label(lever.key, lang).strip()
            assert i18n.lever_help(lever.key, lang).strip()
        assert i18n.lever_label(lever.key, "en") != i18n.lever_label(lever.key, "zh")
        if kind in (int, float):
            assert spec.low is None or spec.low <= lever.low, lever.key
            assert spec.high is None or lever.high <= spec.high, lever.key
            assert lever.low < lever.high and 0 < lever.step <= lever.high - lever.low, lever.key
            assert lever.low <= defaults[lever.key] <= lever.high, lever.key
        else:
            assert lever.step is None and lever.low is None, lever.key
    # one text per lever, and no text for a lever that is not there
    assert set(i18n.LEVER_TEXT) == {lv.key for lv in LEVERS}
    assert len(LEVERS) == len(i18n.LEVER_TEXT)
    # every lever section is exposed in full
    exposed = {lv.key for lv in LEVERS}
    for key in SPECS:
        if key.split(".")[0] in ("staffing", "self_governance", "rule_of_law", "moral", "fusion"):
            assert key in exposed, key


def test_a_lever_range_defaults_to_its_spec():
    _, spec = SPECS["staffing.admin_load"]
    lever = Lever("staffing.admin_load", "staffing", 0.05)
    assert (lever.low, lever.high) == (spec.low, spec.high) == (0.0, 0.95)
    narrow = Lever("rule_of_law.court_days", "law", 5, low=10, high=365)
    assert (narrow.low, narrow.high) == (10, 365)
    assert next(lv for lv in LEVERS if lv.key == "staffing.admin_load") == lever
    with pytest.raises(ValueError, match="step"):
        Lever("fusion.coordination", "fusion")  # a slider without a step
    with pytest.raises(KeyError):
        Lever("fusion.no_such_lever", "fusion", 0.1)


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
    from experiments.cli.dashboard import cmd_dashboard, command
    from experiments.cli.main import parser

    args = parser().parse_args(["dashboard", "--port", "9000"])
    assert (args.command, args.host, args.port) == (cmd_dashboard, "127.0.0.1", 9000)
    cmd = command("127.0.0.1", 9000)
    assert cmd[1:5] == ["-m", "solara", "run", "dashboards.app"]
    assert "--production" in cmd and cmd[cmd.index("--port") + 1] == "9000"


def test_importing_the_figures_changes_no_matplotlib_setting():
    code = (
        "import matplotlib\n"
        "before = matplotlib.rcParams.copy()\n"
        "import dashboards.figures, dashboards.session\n"
        "after = matplotlib.rcParams.copy()\n"
        "print(sorted(k for k in before if before[k] != after[k]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert out.strip() == "[]"


def test_chinese_labels_render_with_a_chinese_font():
    import matplotlib

    from dashboards.figures import GridMapPlot, NetworkPlot, SeriesPlot, compare_figure, figure_png
    from experiments.plotting import cjk_font, figure_language

    if cjk_font() is None:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    before = matplotlib.rcParams.copy()
    sim = Simulation()
    sim.step(3)
    plots = GridMapPlot(), NetworkPlot(), SeriesPlot()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing")  # Chinese as boxes
        for _ in range(2):  # a full redraw, then a blitted one
            plots[0].render(sim.model, "trust", lang="zh")
            plots[1].render(sim.model, 0, "norm", lang="zh")
            plots[2].render(sim.series(), None, 0, lang="zh")
            sim.step(1)
        with figure_language("zh") as shown:
            assert shown == "zh"
            series = {name: {"a": v, "b": v} for name, v in sim.series().items()}
            figure_png(compare_figure(series, ("方案 A", "方案 B"), shown))
    after = matplotlib.rcParams.copy()
    assert [k for k in before if before[k] != after[k]] == []  # fonts were per figure
