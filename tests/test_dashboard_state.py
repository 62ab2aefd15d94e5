"""The dashboard's session state without Solara: scenario confinement and limits, replay,
models freed, per-grid aggregates, cards, links, translations."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

from dashboards import i18n
from dashboards.cards import ESCALATIONS, LIVE_CARDS, LOST_REFERRALS, TRENDS, registry
from dashboards.library import (
    DEFAULT_VALUES,
    PRESETS,
    ROOT,
    SCENARIOS,
    ScenarioRefused,
    catalogue,
    default_params,
    list_scenarios,
    load_scenario_params,
    preset_values,
    readable,
    resolve_scenario,
    scenario_levers,
)
from dashboards.link import MAX_DAY, Link, decode, encode
from dashboards.state import (
    LEVERS,
    SPECS,
    YEAR,
    Comparison,
    DashboardModel,
    Lever,
    Mark,
    Simulation,
    grid_values,
)
from sim import Parameters
from sim.metrics import REGISTRY
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
    assert _reason("../../etc/passwd") == "scenario_outside"
    assert _reason("/etc/passwd") == "scenario_outside"
    assert _reason("no_such_file.toml") == "scenario_missing"
    assert _reason("baseline.txt") == "scenario_not_toml"
    for reason in ("scenario_outside", "scenario_missing", "scenario_not_toml"):
        assert i18n.t(reason, "zh") and i18n.t(reason, "en")


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
    assert err.value.reason == "scenario_outside"


def test_picker_lists_the_teaching_scenarios_only_and_each_loads():
    names = list_scenarios()
    assert "baseline.toml" in names
    assert names == sorted(p.name for p in SCENARIOS.glob("*.toml"))  # no sweeps, no targets
    assert not any("/" in n for n in names)
    assert load_scenario_params("baseline.toml").population.households == 10000
    for name in names:
        assert load_scenario_params(name).scenario.name


def test_sweeps_and_targets_are_refused_as_not_teaching():
    for name in ("sweeps/fusion.toml", "targets/kunshan_2021.toml"):
        with pytest.raises(ScenarioRefused) as err:
            load_scenario_params(name)
        assert err.value.reason == "scenario_not_teaching"


def test_the_city_scale_is_behind_a_warning_and_never_opens_from_a_link():
    entries = {e.name: e for e in catalogue()}
    assert entries["city_1m.toml"].large and entries["city_1m.toml"].households == 1_000_000
    assert not entries["baseline.toml"].large and not entries["kunshan_2021.toml"].large
    with pytest.raises(ScenarioRefused) as err:
        load_scenario_params("city_1m.toml", from_link=True)
    assert err.value.reason == "scenario_too_large_for_link"
    assert "1,000,000" in err.value.detail
    load_scenario_params("kunshan_2021.toml", from_link=True)  # 20,000: within the limit


def test_a_scenario_keeps_its_own_household_count_beyond_the_slider_range():
    sim = Simulation()
    sim.load_scenario("kunshan_2021.toml")
    assert sim.params.population.households == 20000  # the slider's range ends at 10,000
    assert sim.changes() == {}  # nothing moved away from the scenario


def test_messages_name_no_server_folder():
    from experiments.errors import InputError

    err = InputError(SCENARIOS / "bad.toml", "fusion.coordination", "expected at most 1")
    text = readable(err)
    assert str(ROOT) not in text and text.startswith("scenarios/bad.toml: fusion.coordination")


def test_loading_a_scenario_sets_levers_and_seed():
    sim = Simulation()
    sim.load_scenario("baseline.toml")
    assert sim.params.population.households == 10000
    assert sim.seed == sim.params.scenario.seed
    assert sim.scenario == "baseline.toml"


# --- Levers apply from today, or replay the same seed to today as if always so.


def test_as_if_always_replays_to_the_same_day_and_keeps_the_previous_run():
    sim = Simulation()
    sim.step(40)
    before = sim.series()
    how = sim.set_values({"fusion.coordination": 0.0, "fusion.party_leadership": 0.0}, "always")
    assert how == "replayed" and sim.marks == []
    assert sim.day == 40
    assert sim.params.fusion.coordination == 0.0
    np.testing.assert_array_equal(sim.previous.data["mean_trust"], before["mean_trust"])
    # the replay is the run a fresh model with those levers and seed would make
    fresh = DashboardModel(sim.params, rng=sim.seed)
    for _ in range(40):
        fresh.step()
    np.testing.assert_array_equal(
        sim.series()["mean_trust"], fresh.datacollector.model_vars["mean_trust"]
    )


def _same_series(a: dict, b: dict) -> bool:
    """Every series of ``a`` is in ``b``, equal day by day."""
    return a.keys() <= b.keys() and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


def _run(model, days: int):
    for _ in range(days):
        model.step()
    return model


def test_a_lever_moved_today_applies_from_today_and_the_run_goes_on():
    sim = Simulation()
    sim.step(40)
    before, model = sim.series(), sim.model
    assert sim.set_values({"staffing.admin_load": 0.8}) == "applied"
    assert sim.model is model and sim.day == 40  # no replay: the same model goes on
    assert sim.params.staffing.admin_load == 0.8 and sim.initial.staffing.admin_load != 0.8
    assert [(m.day, dict(m.values)) for m in sim.marks] == [(40, {"staffing.admin_load": 0.8})]
    assert sim.shown_marks() == [(40, {"staffing.admin_load": 0.8}, True)]
    assert sim.previous is None  # nothing was replayed
    sim.step(60)
    after = sim.series()
    assert _same_series({k: v[:40] for k, v in after.items()}, before)  # the past is kept
    # the run is the one a model with the change scheduled on day 40 makes (as a link
    # rebuilds it), and differs from the run without it
    scheduled = DashboardModel(sim.initial, rng=sim.seed)
    scheduled.schedule(40, {"staffing.admin_load": 0.8})
    _run(scheduled, 100)
    assert _same_series(after, {k: np.asarray(v, float) for k, v in _vars(scheduled).items()})
    untouched = _run(DashboardModel(sim.initial, rng=sim.seed), 100)
    assert not _same_series(after, _vars(untouched))


def _vars(model) -> dict:
    return {k: np.asarray(v, dtype=float) for k, v in model.datacollector.model_vars.items()}


def test_rewinding_to_a_marked_day_continues_bit_for_bit_as_the_run_did():
    sim = Simulation()
    sim.step(30)
    sim.set_values({"moral.moral_bank": True})
    sim.step(25)
    sim.set_values({"staffing.admin_load": 0.7})
    sim.set_values({"fusion.coordination": 0.2})  # the same day: one mark
    sim.step(45)
    assert [m.day for m in sim.marks] == [30, 55]
    assert dict(sim.marks[1].values) == {"staffing.admin_load": 0.7, "fusion.coordination": 0.2}
    original, arrays = sim.series(), sim.model.households.trust.copy()
    left = sim.model
    sim.rewind(30)
    assert sim.day == 30 and sim.model is not left
    assert [m.day for m in sim.marks] == [30] and set(sim.saved) == {30}  # later marks go
    assert sim.params.moral.moral_bank and sim.params.staffing.admin_load != 0.7
    np.testing.assert_array_equal(sim.previous.data["mean_trust"], original["mean_trust"])
    # the same changes again from the rewound day: the same days as before, bit for bit
    sim.step(25)
    sim.set_values({"staffing.admin_load": 0.7, "fusion.coordination": 0.2})
    sim.step(45)
    assert _same_series(sim.series(), original)
    np.testing.assert_array_equal(sim.model.households.trust, arrays)
    # and from the later mark's state too
    sim.rewind(55)
    sim.step(45)
    assert _same_series(sim.series(), original)
    with pytest.raises(KeyError):
        sim.rewind(40)  # no mark there


def test_the_saved_states_are_bounded():
    from dashboards.state import MAX_SAVED

    sim = Simulation()
    for i in range(MAX_SAVED + 3):
        sim.step(2)
        sim.set_values({"fusion.coordination": round(0.05 * (i % 10), 2)})
    assert len(sim.marks) == MAX_SAVED + 3  # every change stays marked on the charts
    assert sorted(sim.saved) == [m.day for m in sim.marks[-MAX_SAVED:]]  # the latest states
    assert [rewindable for *_, rewindable in sim.shown_marks()] == [False] * 3 + [True] * MAX_SAVED
    assert sum(map(len, sim.saved.values())) < 5 * 2**20  # a page's states stay small
    sim.close()
    assert sim.saved == {}


def test_a_lever_that_cannot_change_mid_run_replays_from_day_0():
    sim = Simulation()
    sim.step(20)
    sim.set_values({"moral.moral_bank": True})
    sim.step(10)
    assert sim.set_values({"population.mean_trust": 0.7}) == "fixed"
    assert sim.day == 30 and sim.initial.population.mean_trust == 0.7
    assert [m.day for m in sim.marks] == [20] and 20 in sim.saved  # the marks are replayed
    assert sim.previous is not None
    fresh = DashboardModel(sim.initial, rng=sim.seed)
    fresh.schedule(20, {"moral.moral_bank": True})
    _run(fresh, 30)
    assert _same_series(sim.series(), {k: np.asarray(v, float) for k, v in _vars(fresh).items()})
    # as if always so: the lever's marks give way to its value from day 0
    assert sim.set_values({"moral.moral_bank": False}, mode="always") == "replayed"
    assert sim.marks == [] and sim.day == 30
    # on day 0 a lever simply starts the run
    sim.reset()
    assert sim.set_values({"fusion.coordination": 0.3}) == "replayed" and sim.marks == []


def test_a_new_seed_replays_the_marks_and_reset_keeps_todays_levers():
    sim = Simulation()
    sim.step(15)
    sim.set_values({"staffing.admin_load": 0.6})
    sim.step(5)
    sim.set_seed(9)
    assert sim.seed == 9 and sim.day == 20 and [m.day for m in sim.marks] == [15]
    assert sim.params.staffing.admin_load == 0.6
    sim.reset()
    assert sim.day == 0 and sim.marks == [] and sim.saved == {}
    assert sim.params.staffing.admin_load == 0.6  # the levers as they were today
    with pytest.raises(ValueError):
        sim.set_mode("sometimes")


def test_bad_lever_value_is_rejected_and_nothing_changes():
    sim = Simulation()
    sim.step(3)
    for mode in ("today", "always"):
        with pytest.raises(ValueError):
            sim.set_values({"fusion.coordination": 2.0}, mode)
        assert sim.params.fusion.coordination == 0.5
        assert sim.day == 3 and sim.marks == []


def test_reset_and_seed():
    sim = Simulation()
    sim.step(5)
    sim.reset()
    assert sim.day == 0
    sim.set_seed(7)
    assert sim.seed == 7


@pytest.mark.parametrize("seed", [-1, "x", 2**64, 1.5, None])
def test_a_bad_seed_is_refused_with_what_a_seed_may_be(seed):
    sim = Simulation()
    sim.step(2)
    with pytest.raises(ParameterError) as err:
        sim.set_seed(seed)
    assert "scenario.seed" in str(err.value) and "whole number" in str(err.value)
    assert sim.seed == Parameters().scenario.seed and sim.day == 2


def test_every_change_frees_the_model_it_replaces():
    """Mesa's Agent._ids holds every model it has seen: a replaced model must be closed."""
    import gc
    import weakref

    sim = Simulation()
    cmp = Comparison(sim.params, sim.seed)
    gone = []
    for i in range(6):
        gone += [weakref.ref(sim.model), *(weakref.ref(m) for m in cmp.runs.values())]
        sim.step(2)
        if i % 3 == 0:
            sim.set_values({"fusion.coordination": round(0.1 * i, 2)})
        elif i % 3 == 1:
            sim.set_seed(11 + i)
        else:
            sim.reset()
        cmp.set_preset("a", ("silos", "fusion", "current")[i % 3])
        cmp.follow(sim.params, sim.seed)
    sim.close()
    cmp.close()
    gc.collect()
    assert [r for r in gone if r() is not None] == []  # Agent._ids would hold them


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
    assert m.escalations_by_day.shape == (YEAR, m.layout.n_grids)  # a year, as the cards
    assert m.escalations_by_day[(m.day - 1) % YEAR].sum() == m.ledger.today("escalated")
    total = np.asarray(m.datacollector.model_vars["issues_escalated"]).sum()
    assert m.escalations_by_day.sum() == total
    rate = grid_values(m, "escalations") * m.layout.grid_size / 1000 * m.day / 365
    assert rate.sum() == pytest.approx(total)
    # the grid map's rate adds up to the escalation card's
    households = m.layout.grid_size.sum()
    assert (grid_values(m, "escalations") * m.layout.grid_size).sum() / households == (
        pytest.approx(ESCALATIONS.value(m))
    )


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


def test_compare_follows_the_sidebar_and_replays_to_its_day():
    sim = Simulation()
    cmp = Comparison(sim.params, sim.seed, a="current", b="moral_bank")
    cmp.step(20)
    sim.set_values({"staffing.admin_load": 0.8})
    assert cmp.follow(sim.params, sim.seed)
    assert cmp.day == 20
    assert cmp.runs["a"].params == sim.params  # "current": the sidebar's levers as they are
    assert cmp.runs["b"].params.staffing.admin_load == 0.8
    assert cmp.runs["b"].params.moral.moral_bank
    assert not cmp.follow(sim.params, sim.seed)  # nothing changed: nothing replayed


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
    for key, (kind, _) in SPECS.items():
        if kind not in (int, float, bool, str):  # per-community overrides: scenario files
            continue
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
    assert (args.max_sessions, args.kernel_lifetime, args.max_households) == (50, 600, 20000)
    args = parser().parse_args(["dashboard", "--kernel-lifetime", "2m", "--max-sessions", "80"])
    assert (args.kernel_lifetime, args.max_sessions) == (120, 80)
    cmd = command("127.0.0.1", 9000, kernel_lifetime=120)
    assert cmd[1:3] == ["-m", "dashboards.server"]
    assert cmd[cmd.index("--port") + 1] == "9000" and cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--parent-pid") + 1] == str(os.getpid())
    assert cmd[cmd.index("--kernel-lifetime") + 1] == "120"


@pytest.mark.parametrize(
    "argv",
    [
        ["--kernel-lifetime", "0"],
        ["--kernel-lifetime", "soon"],
        ["--max-sessions", "0"],
        ["--max-households", "-5"],
    ],
)
def test_bad_dashboard_options_are_refused_by_the_parser(argv, capsys):
    from experiments.cli.main import parser

    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(["dashboard", *argv])
    assert exit_.value.code == 2
    assert argv[1] in capsys.readouterr().err


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

    from dashboards.cards import COMPARE
    from dashboards.figures import LAYOUTS, ComparePlot, GridMapPlot, NetworkPlot, SeriesPlot
    from experiments.plotting import cjk_font, figure_language

    if cjk_font() is None:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    before = matplotlib.rcParams.copy()
    sim = Simulation()
    sim.step(3)
    plots = GridMapPlot(), NetworkPlot(), SeriesPlot(), ComparePlot()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing")  # Chinese as boxes
        for layout in LAYOUTS:
            for _ in range(2):  # a full redraw, then a blitted one
                plots[0].render(sim.model, "trust", layout=layout, lang="zh")
                plots[1].render(sim.model, 0, "norm", layout=layout, lang="zh")
                current = {q.key: q.series(sim.model) for q in TRENDS}
                marks = ((1, (("staffing.admin_load", 0.8), ("moral.moral_bank", True))),)
                plots[2].render(TRENDS, current, None, 0, marks, layout=layout, lang="zh")
                both = {
                    q.key: {"a": q.series(sim.model), "b": q.series(sim.model)} for q in COMPARE
                }
                plots[3].render(COMPARE, both, ("方案 A", "方案 B"), layout=layout, lang="zh")
                sim.step(1)
        with figure_language("zh") as shown:
            assert shown == "zh"
    after = matplotlib.rcParams.copy()
    assert [k for k in before if before[k] != after[k]] == []  # fonts were per figure


def test_the_trends_mark_each_change_with_a_labelled_line():
    import io

    import PIL.Image

    from dashboards.figures import MARK_COLOUR, SeriesPlot, marks_of

    sim = Simulation()
    sim.step(100)
    sim.set_values({"staffing.admin_load": 0.8})
    sim.step(50)
    current = {q.key: q.series(sim.model) for q in TRENDS}
    assert MARK_COLOUR == "#b2182b"  # a red: nothing else in the trends is

    def marked_pixels(marks) -> int:
        png = SeriesPlot().render(TRENDS, current, None, 0, marks, lang="en")
        rgb = np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
        r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
        return int(((r > g + 50) & (r > b + 50)).sum())  # reddish, anti-aliased or not

    marks = marks_of(sim.shown_marks())
    assert marks == ((100, (("staffing.admin_load", 0.8),)),)
    assert marked_pixels(()) == 0
    assert marked_pixels(marks) > 500  # a dotted line and its label in each panel
    # a long label is cut in the lever names, never in the values
    long = {"fusion.coordination": 0.0, "fusion.party_visit_cases_per_week": 12.5}
    label = i18n.change_label(long, "en", 34)
    assert len(label) <= 34 and label.endswith("→ 12.5") and "→ 0;" in label
    assert i18n.change_label({"moral.moral_bank": True}, "zh") == (
        f"{i18n.lever_label('moral.moral_bank', 'zh')} → 开"
    )


# --- What the cards and panels show.


def test_escalations_are_a_yearly_rate_not_a_30_day_count():
    sim = Simulation()
    sim.step(400)
    m = sim.model
    daily = np.asarray(m.datacollector.model_vars["issues_escalated"])
    assert ESCALATIONS.value(m) == pytest.approx(daily[-365:].sum() * 1000 / m.households.n)
    sim.reset()
    sim.step(100)  # before a year: the days so far, scaled to a year
    daily = np.asarray(sim.model.datacollector.model_vars["issues_escalated"])
    assert ESCALATIONS.value(sim.model) == pytest.approx(daily.sum() * 365 / 100 * 1000 / 2000)
    assert LOST_REFERRALS.series(sim.model).size == 100
    assert ESCALATIONS.unit == "per 1,000 households-year" and ESCALATIONS.bounded is None


def test_cards_use_the_shared_number_formats():
    from experiments.wording import number, percent

    open_issues, resolution = registry("open_issues"), registry("resolution_rate")
    assert open_issues.text(42.0) == "42"  # whole issues, not "42.0"
    assert resolution.text(0.987) == percent(98.7) == "99%"
    assert resolution.text(0.05, sign=True) == "+5.0%"  # a difference of shares in points
    assert ESCALATIONS.text(3.5) == number(3.5)
    assert (
        ESCALATIONS.text(float("nan")) == "–" and ESCALATIONS.text(float("nan"), sign=True) == "–"
    )
    assert ESCALATIONS in LIVE_CARDS and ESCALATIONS in TRENDS  # replaces the 30-day rate
    assert all(q.metric != "escalations_per_1000_households_year" for q in LIVE_CARDS)


def test_bounded_metrics_have_fixed_axes():
    from dashboards.figures import axis_range

    flat = [np.full(50, 0.8002)]
    for name in ("satisfaction", "mean_trust", "resolution_rate", "participation_rate"):
        assert axis_range(registry(name), flat) == REGISTRY[name].bounds
    low, high = axis_range(ESCALATIONS, [np.array([0.0, 3.0, 7.0])])
    assert low == 0 and high >= 10  # room to grow, a round number
    assert axis_range(ESCALATIONS, [np.zeros(3)]) == (0.0, 1.0)


# --- Links: the state in the address, and what a link may not ask.


def test_a_link_round_trips():
    link = Link(
        lang="zh",
        view="presenter",
        tab="compare",
        scenario="baseline.toml",
        seed=7,
        levers={"staffing.admin_load": 0.8, "moral.moral_bank": True},
        marks=(Mark(40, {"fusion.coordination": 0.2}), Mark(90, {"moral.red_black_list": True})),
        mode="always",
        day=365,
        a="current",
        b="moral_bank",
        compare_day=30,
        tour=3,
    )
    query = encode(link)
    assert "staffing.admin_load=0.8" in query and "moral.moral_bank=true" in query
    assert "fusion.coordination:40=0.2" in query and "mode=always" in query
    assert decode(query) == (link, [])
    assert encode(Link()) == ""


def test_a_link_that_asks_too_much_is_refused_in_parts():
    link, refused = decode(
        f"day={MAX_DAY + 1}&lang=fr&fusion.no_such=1&staffing.admin_load=0.4&tab=admin&seed=x"
        "&fusion.coordination:soon=0.3&moral.moral_bank:12=true"
    )
    assert link.marks == (Mark(12, {"moral.moral_bank": True}),)
    assert link.day == 0 and link.lang == "en" and link.tab == "live"
    assert link.levers == {"staffing.admin_load": 0.4}  # the rest is still applied
    reasons = sorted(r.reason for r in refused)
    assert reasons == sorted(
        [
            "link_bad_number",
            "link_bad_value",
            "link_unknown",
            "link_bad_value",
            "link_bad_number",
            "link_bad_number",
        ]
    )
    for reason in reasons:
        assert i18n.t(reason, "zh") != i18n.t(reason, "en")
