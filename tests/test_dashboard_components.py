"""Dashboard components without a browser: ``solara.render`` and widget events.

The browser's part of the play loop (reporting a frame on screen) is played here by calling
the frame acknowledgement's event by hand, as ``frame_ack.vue`` would.
"""

from __future__ import annotations

import time

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara
import solara.widgets

from dashboards.app import Dashboard, Page
from dashboards.i18n import lever_label
from dashboards.library import default_params
from dashboards.session import Notice, Session
from dashboards.tour import STEPS


@pytest.fixture
def session():
    s = Session()
    yield s
    s.close()


@pytest.fixture
def app(session):
    _, rc = solara.render(solara.Div(children=[Dashboard(session)]), handle_error=False)
    yield rc
    rc.close()


def walk(rc):
    """Every widget on the page (``rc.find`` does not look inside a match, and the page
    nests divs)."""
    seen, todo = set(), [rc.container]
    while todo:
        w = todo.pop()
        if id(w) in seen or not isinstance(w, widgets.Widget):
            continue
        seen.add(id(w))
        yield w
        todo += reversed(list(getattr(w, "children", None) or []))
        for slot in getattr(w, "v_slots", None) or []:
            children = slot.get("children")
            todo += children if isinstance(children, list) else [children]


def all_of(rc, kind):
    return [w for w in walk(rc) if isinstance(w, kind)]


def by_class(rc, kind, cls):
    return [w for w in all_of(rc, kind) if cls in _classes(w)]


def _classes(w) -> list[str]:
    cls = getattr(w, "class_", None) or (getattr(w, "attributes", None) or {}).get("class", "")
    return str(cls).split()


def text_of(rc, cls) -> str:
    """The text inside the element with class ``cls`` (a Div or an HTML widget)."""
    candidates = all_of(rc, solara.widgets.HTML) + all_of(rc, v.Html)
    found = [w for w in candidates if cls in _classes(w)]
    assert found, cls
    w = found[0]
    if getattr(w, "unsafe_innerHTML", None):
        return str(w.unsafe_innerHTML)
    return "".join(str(c) for c in w.children)


def texts(rc) -> str:
    """Every text the page shows (labels, buttons, cards), for checks on wording."""
    out = []
    for w in walk(rc):
        out += [c for c in getattr(w, "children", None) or [] if isinstance(c, str)]
        out += [getattr(w, "unsafe_innerHTML", None) or ""]
        out += [
            str(i.get("text", "")) for i in getattr(w, "items", None) or [] if isinstance(i, dict)
        ]
    return "\n".join(out)


def acks(rc):
    """The hidden frame acknowledgements on the page (live and compare)."""
    return [w for w in walk(rc) if hasattr(w, "vue_shown")]


def test_page_creates_its_own_session_per_render():
    _, rc1 = solara.render(solara.Div(children=[Page()]), handle_error=False)
    _, rc2 = solara.render(solara.Div(children=[Page()]), handle_error=False)
    by_class(rc1, v.Btn, "sanzhi-step")[0].click()
    assert text_of(rc1, "sanzhi-day") == "1"
    assert text_of(rc2, "sanzhi-day") == "0"  # no model shared between sessions
    rc1.close()
    rc2.close()


def test_page_renders_all_views(app):
    assert text_of(app, "sanzhi-day") == "0"
    assert len(all_of(app, widgets.Image)) == 3  # grid map, network, time series
    assert by_class(app, v.Btn, "sanzhi-step")
    assert len(acks(app)) == 1  # the live views report their frames


def test_step_button_advances_and_redraws(app, session):
    images = [w.value for w in all_of(app, widgets.Image)]
    frame = session.live.value.number
    by_class(app, v.Btn, "sanzhi-step")[0].click()
    assert text_of(app, "sanzhi-day") == "1"
    assert session.live.value.number == frame + 1
    assert acks(app)[0].frame == frame + 1  # the browser is told which frame it shows
    after = [w.value for w in all_of(app, widgets.Image)]
    assert after[2] != images[2]  # the series has a new point


def test_cards_show_yearly_escalations_and_whole_open_issues(app, session):
    session.step(40)
    html = texts(app)
    assert "Escalations per 1,000 households a year" in html
    card = by_class(app, v.Html, "kpi-open_issues")[0]
    value = next(w for w in card.children if "kpi-value" in _classes(w)).children[0]
    assert value.replace(",", "").isdigit()  # "42", not "42.0"


def test_language_switch_relabels_everything(app):
    assert "Levers" in texts(app)
    by_class(app, v.BtnToggle, "sanzhi-lang")[0].v_model = 0  # the 中文 button
    shown = texts(app)
    for label in (
        "政策杠杆",
        "速度（每秒天数）",
        "未结事项",
        "网格地图",
        "关键指标走势",
        "每千户年越级上访",
    ):
        assert label in shown, label
    assert "Levers" not in shown
    # group headers in Chinese only, not "自治 Self-governance"
    headers = [w.children[0] for w in all_of(app, v.ExpansionPanelHeader)]
    assert "自治" in headers and not any("governance" in h for h in headers)
    tabs = [w.children[0] for w in all_of(app, v.Tab)]
    assert tabs == ["实时", "对比", "参数说明"]


def test_slider_change_event_sets_the_lever_from_today_and_marks_it(app, session):
    for _ in range(10):
        by_class(app, v.Btn, "sanzhi-step")[0].click()
    series = all_of(app, widgets.Image)[2].value
    slider = by_class(app, v.Slider, "lever-fusion-coordination")[0]
    slider.fire_event("change", 0.0)
    assert session.sim.params.fusion.coordination == 0.0
    assert session.sim.day == 10 and session.sim.previous is None  # no replay
    assert by_class(app, v.Slider, "lever-fusion-coordination")[0].v_model == 0.0
    assert all_of(app, widgets.Image)[2].value != series  # the mark is drawn
    (mark,) = by_class(app, v.Btn, "sanzhi-mark")
    label = lever_label("fusion.coordination", "en")
    assert mark.children[-1] == f"Day 10: {label} → 0"
    by_class(app, v.Btn, "sanzhi-step")[0].click()
    assert text_of(app, "sanzhi-day") == "11"  # the day goes on
    mark.click()  # rewind to the marked day
    assert text_of(app, "sanzhi-day") == "10" and session.sim.previous is not None
    by_class(app, v.BtnToggle, "sanzhi-lang")[0].v_model = 0  # 中文
    assert by_class(app, v.Btn, "sanzhi-mark")[0].children[-1].startswith("第10天：")


def test_the_second_mode_replays_as_if_always_so(app, session):
    session.step(10)
    assert "From today" in texts(app) and "As if always so" in texts(app)
    by_class(app, v.BtnToggle, "sanzhi-lever-mode")[0].v_model = 1  # "As if always so"
    assert session.sim.mode == "always"
    assert "re-run up to today" in texts(app)
    by_class(app, v.Slider, "lever-fusion-coordination")[0].fire_event("change", 0.0)
    assert session.sim.day == 10 and session.sim.previous is not None and session.sim.marks == []
    assert not by_class(app, v.Btn, "sanzhi-mark")
    assert "mode=always" in session.query()


def test_a_lever_that_cannot_change_mid_run_says_it_was_replayed(app, session):
    session.step(5)
    assert session.set_levers({"population.mean_trust": 0.7})
    assert session.message.value.head == "lever_fixed_head"
    assert "cannot change mid-run" in texts(app)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_figures_export_as_one_png_in_the_page_language(session, lang):
    import io
    import warnings

    import PIL.Image

    from dashboards.figures import DPI, SIZES
    from experiments.plotting import cjk_font

    if lang == "zh" and cjk_font() is None:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    session.lang.value = lang
    session.step(30)
    session.set_levers({"staffing.admin_load": 0.8})
    session.step(10)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing")  # Chinese as boxes
        png = session.figures_png()
    image = PIL.Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    # the map and the network above the trends, at twice the screen's resolution
    dpi, size = 2 * DPI["classic"], {k: v["classic"] for k, v in SIZES.items()}
    width = max(size["map"][0] + size["network"][0], size["series"][0])
    height = max(size["map"][1], size["network"][1]) + size["series"][1]
    assert image.size == (round(width * dpi), round(height * dpi))
    assert session.export_name() == f"sanzhi-day-40-{lang}.png"


def test_default_levers_reset_the_sliders_too(app, session):
    by_class(app, v.Slider, "lever-fusion-coordination")[0].fire_event("change", 0.9)
    assert session.sim.params.fusion.coordination == 0.9
    by_class(app, v.Btn, "sanzhi-default-levers")[0].click()
    assert session.sim.params == default_params()
    slider = by_class(app, v.Slider, "lever-fusion-coordination")[0]
    assert slider.v_model == 0.5  # the slider shows what the model runs with
    assert text_of(app, "value-fusion-coordination") == "0.5"


def test_switch_turns_the_moral_bank_on(app, session):
    all_of(app, v.ExpansionPanels)[0].v_model = [2]  # open 德治
    switch = by_class(app, v.Switch, "lever-moral-moral_bank")[0]
    switch.v_model = True
    assert session.sim.params.moral.moral_bank is True


def test_a_negative_seed_is_refused_with_a_message_and_the_field_snaps_back(app, session):
    assert not session.set_seed(-5)
    assert session.message.value.head == "lever_error"
    assert "scenario.seed" in session.message.value.detail
    assert session.sim.seed == 20240501
    seed = [w for w in all_of(app, v.TextField) if "sanzhi-seed" in _classes(w)]
    assert seed and seed[0].v_model == "20240501"


def test_scenario_outside_the_folder_is_refused_with_a_visible_error(app, session):
    assert not session.load_scenario("../../etc/passwd")
    alert = str(all_of(app, v.Alert)[0].children)
    assert "Refused" in alert and "scenarios/" in alert
    assert session.sim.params.population.households == 2000  # nothing was loaded


def test_a_message_follows_the_language_switch(app, session):
    assert not session.load_scenario("no_such_file.toml")
    assert session.message.value == Notice(
        "error", "refused", "no_such_file.toml", "scenario_missing"
    )
    by_class(app, v.BtnToggle, "sanzhi-lang")[0].v_model = 0  # the 中文 button
    alert = str(all_of(app, v.Alert)[0].children)
    assert "已拒绝" in alert and "情景文件不存在" in alert and "no_such_file.toml" in alert
    assert session.load_scenario("baseline.toml")
    assert session.message.value.kind == "success"


def test_scenario_picker_loads_into_the_levers(app, session):
    by_class(app, v.Btn, "sanzhi-load-scenario")[0].click()
    assert session.sim.scenario == "baseline.toml"
    assert "10,000 households · 25 grids · 5 communities" in texts(app)


def test_the_city_scale_asks_before_it_loads(app, session):
    picker = by_class(app, v.Select, "sanzhi-scenario")[0]
    city = next(i for i in picker.items if i["value"] == "city_1m.toml")
    assert "⚠" in city["text"] and "1,000,000" in city["text"]
    picker.v_model = "city_1m.toml"
    by_class(app, v.Btn, "sanzhi-load-scenario")[0].click()
    assert "1,000,000 households" in texts(app)  # the warning, nothing loaded yet
    assert session.sim.params.population.households == 2000
    assert by_class(app, v.Btn, "sanzhi-large-confirm")


def test_compare_pickers_show_the_presets_the_runs_use(app, session):
    session.set_tab(1)
    for side, preset in (("a", "current"), ("b", "moral_bank")):
        by_class(app, v.Select, f"sanzhi-preset-{side}")[0].v_model = preset
    assert session.compare.presets == {"a": "current", "b": "moral_bank"}
    for side, preset in (("a", "current"), ("b", "moral_bank")):
        assert by_class(app, v.Select, f"sanzhi-preset-{side}")[0].v_model == preset
    by_class(app, v.Btn, "sanzhi-compare-year")[0].click()
    assert session.compare.day == 365 and session.compare.runs["b"].day == 365
    assert "Day 365" in texts(app)
    table = text_of(app, "sanzhi-compare-table")
    assert "Volunteer hours per volunteer a year" in table and "+nan" not in table


def test_compare_starts_from_the_sidebar_levers(app, session):
    session.set_levers({"staffing.admin_load": 0.6})
    session.set_tab(1)
    session.set_preset("a", "current")
    assert session.compare.runs["a"].params == session.sim.params
    assert session.compare.runs["b"].params.staffing.admin_load == 0.6
    session.set_levers({"staffing.admin_load": 0.4})  # changed while Compare is open
    assert session.compare.runs["a"].params.staffing.admin_load == 0.4


def test_compare_at_day_zero_shows_no_nan(app, session):
    session.set_tab(1)
    table = text_of(app, "sanzhi-compare-table")
    assert ">–<" in table and "nan<" not in table  # no "+nan" before the first day


def test_guide_tab_explains_every_lever(app, session):
    session.set_tab(2)
    html = "".join(w.unsafe_innerHTML for w in all_of(app, solara.widgets.HTML))
    assert "moral bank" in html.lower() and "fusion.coordination" in html


def test_play_waits_for_the_browser_and_pause_stops_within_one_frame(app, session):
    session.speed.value = 60
    by_class(app, v.Btn, "sanzhi-play")[0].click()
    ack = acks(app)[0]
    wait_for(lambda: ack.frame >= 1)  # the first frame needs no acknowledgement
    for _ in range(3):
        frame = ack.frame
        time.sleep(0.5)
        assert ack.frame == frame  # not on screen yet: no next frame, however long
        ack.vue_shown(frame)  # the browser has it on screen
        wait_for(lambda frame=frame: ack.frame > frame)
    assert session.sim.day > 0 and session.player.achieved > 0
    by_class(app, v.Btn, "sanzhi-pause")[0].click()
    ack.vue_shown(ack.frame)
    session.player.join(10)
    day, frame = session.sim.day, ack.frame
    ack.vue_shown(frame)
    time.sleep(0.5)
    assert (session.sim.day, ack.frame) == (day, frame)  # stopped: no day, no frame more
    assert text_of(app, "sanzhi-day") == str(day)
    assert by_class(app, v.Btn, "sanzhi-play")  # Play shows again


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        time.sleep(0.05)


def test_switching_tabs_pauses_the_tab_left(app, session):
    session.play()
    session.set_tab(1)
    assert not session.player.playing  # at once: no day is stepped after the switch
    session.player.join(10)
    assert not session.playing.value  # Play shows again once the loop has ended


def test_the_tour_steps_set_the_page_and_narrate(app, session):
    session.go_to_step(STEPS.index(next(s for s in STEPS if s.key == "moral")))
    deadline = time.monotonic() + 120
    while session.tour_busy.value and time.monotonic() < deadline:
        time.sleep(0.2)
    assert session.view.value == "presenter"
    assert session.compare.presets == {"a": "current", "b": "moral_bank"}
    assert session.compare.day == 365
    assert "moral bank" in texts(app).lower()
    session.go_to_step(-1)
    assert session.tour.value == -1


def test_a_link_restores_the_demonstration(session):
    session.restore("lang=zh&staffing.admin_load=0.6&day=12&tab=compare&b=moral_bank&cday=5")
    assert session.lang.value == "zh" and session.sim.day == 12
    assert session.sim.params.staffing.admin_load == 0.6
    assert session.compare.presets["b"] == "moral_bank" and session.compare.day == 5
    assert session.message.value == Notice()
    query = session.query()
    for part in ("lang=zh", "staffing.admin_load=0.6", "day=12", "tab=compare", "cday=5"):
        assert part in query


def test_a_link_keeps_the_levers_moved_mid_run_and_their_days(session):
    import numpy as np

    session.step(20)
    session.set_levers({"staffing.admin_load": 0.7})
    session.step(15)
    session.set_levers({"moral.moral_bank": True})
    session.step(5)
    query = session.query()
    assert "staffing.admin_load:20=0.7" in query and "moral.moral_bank:35=true" in query
    other = Session()
    try:
        other.restore(query)
        assert other.message.value == Notice()
        assert other.sim.day == 40 and [m.day for m in other.sim.marks] == [20, 35]
        for name, values in session.sim.series().items():
            np.testing.assert_array_equal(other.sim.series()[name], values)  # the same run
        other.sim.rewind(20)  # and its marks can be rewound to
        assert other.sim.day == 20
        # a mark a lever cannot make mid-run is refused, the rest applied
        other.restore("day=30&population.households:10=5000&fusion.coordination:12=0.2")
        assert other.message.value.reason == "link_bad_value"
        assert [m.day for m in other.sim.marks] == [12] and other.sim.day == 30
    finally:
        other.close()


def test_a_link_may_not_open_the_city_or_a_file_outside(session):
    session.restore("scenario=city_1m.toml")
    assert session.message.value.reason == "scenario_too_large_for_link"
    assert session.sim.params.population.households == 2000
    session.restore("scenario=../../etc/passwd")
    assert session.message.value.reason == "scenario_outside"
    session.restore("population.households=5000000")
    assert session.message.value.reason == "link_out_of_range"
