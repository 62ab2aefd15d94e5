"""Dashboard components without a browser: ``solara.render`` and widget events."""

from __future__ import annotations

import time

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara
import solara.widgets

from dashboards.app import Dashboard, Page
from dashboards.controls import load_scenario_into, play_loop
from dashboards.session import Notice, Session


@pytest.fixture
def session():
    return Session()


@pytest.fixture
def app(session):
    _, rc = solara.render(solara.AppLayout(children=[Dashboard(session)]), handle_error=False)
    yield rc
    rc.close()


def test_page_creates_its_own_session_per_render():
    _, rc1 = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    _, rc2 = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    by_class(rc1, v.Btn, "sanzhi-step")[0].click()
    assert html_text(rc1, "sanzhi-day") == "1"
    assert html_text(rc2, "sanzhi-day") == "0"  # no model shared between sessions
    rc1.close()
    rc2.close()


def by_class(rc, kind, cls):
    return [w for w in rc.find(kind).widgets if cls in (getattr(w, "class_", "") or "").split()]


def html_text(rc, cls) -> str:
    candidates = rc.find(solara.widgets.HTML).widgets + rc.find(v.Html).widgets
    found = [w for w in candidates if cls in _classes(w)]
    assert found, cls
    w = found[0]
    return str(getattr(w, "unsafe_innerHTML", None) or w.children[0])


def _classes(w) -> list[str]:
    cls = getattr(w, "class_", None) or (getattr(w, "attributes", None) or {}).get("class", "")
    return str(cls).split()


def test_page_renders_all_views(app):
    assert html_text(app, "sanzhi-day") == "0"
    assert len(app.find(widgets.Image).widgets) == 3  # grid map, network, time series
    assert by_class(app, v.Btn, "sanzhi-step")


def test_step_button_advances_and_redraws(app):
    images = [w.value for w in app.find(widgets.Image).widgets]
    by_class(app, v.Btn, "sanzhi-step")[0].click()
    assert html_text(app, "sanzhi-day") == "1"
    after = [w.value for w in app.find(widgets.Image).widgets]
    assert after[2] != images[2]  # the series has a new point


def test_language_switch_relabels_everything(app):
    assert app.find(v.Html, children=["Levers"]).widgets
    by_class(app, v.BtnToggle, "sanzhi-lang")[0].v_model = 0  # the 中文 button
    for label in ("政策杠杆", "速度（每秒天数）", "未结事项", "基层信任度"):
        assert app.find(v.Html, children=[label]).widgets, label
    for title in ("网格地图", "关键指标走势", "社会网络：一个网格内的住户"):
        assert app.find(v.CardTitle, children=[title]).widgets, title
    assert not app.find(v.Html, children=["Levers"]).widgets
    tabs = [w.children[0] for w in app.find(v.Tab).widgets]
    assert tabs == ["实时", "对比", "参数说明"]


def test_slider_change_event_sets_the_lever_and_replays(app, session):
    for _ in range(10):
        by_class(app, v.Btn, "sanzhi-step")[0].click()
    slider = by_class(app, v.Slider, "lever-fusion-coordination")[0]
    slider.fire_event("change", 0.0)
    assert session.sim.params.fusion.coordination == 0.0
    assert session.sim.day == 10 and session.sim.previous is not None


def test_switch_turns_the_moral_bank_on(app, session):
    app.find(v.ExpansionPanels).widget.v_model = [2]  # open 德治
    switch = by_class(app, v.Switch, "lever-moral-moral_bank")[0]
    switch.v_model = True
    assert session.sim.params.moral.moral_bank is True


def test_scenario_outside_the_folder_is_refused_with_a_visible_error(app, session):
    assert not load_scenario_into(session, "../../etc/passwd")
    alert = app.find(v.Alert).widgets
    assert alert and "Refused" in str(alert[0].children) and "scenarios/" in str(alert[0].children)
    assert session.sim.params.population.households == 2000  # nothing was loaded


def test_a_message_follows_the_language_switch(app, session):
    assert not load_scenario_into(session, "no_such_file.toml")
    assert session.message.value == Notice(
        "error", "scenario_refused", "no_such_file.toml", "scenario_missing"
    )
    by_class(app, v.BtnToggle, "sanzhi-lang")[0].v_model = 0  # the 中文 button
    alert = str(app.find(v.Alert).widgets[0].children)
    assert "已拒绝" in alert and "情景文件不存在" in alert and "no_such_file.toml" in alert
    assert load_scenario_into(session, "baseline.toml")
    assert session.message.value.kind == "success"


def test_scenario_picker_loads_into_the_levers(app, session):
    by_class(app, v.Btn, "sanzhi-load-scenario")[0].click()
    assert session.sim.scenario == "baseline.toml"
    assert app.find(v.Html, children=["10,000 households · 25 grids · 5 communities"]).widgets


def test_compare_tab_steps_both_runs(app, session):
    session.tab.value = 1
    year = by_class(app, v.Btn, "sanzhi-compare-year")[0]
    year.click()
    assert session.compare.day == 365
    assert session.compare.runs["b"].day == 365
    assert app.find(v.Html, children=["Day 365"]).widgets
    means = session.compare.trailing_mean("referrals_lost", 90)
    assert means["b"] < means["a"]  # fusion loses fewer referrals than silos


def test_guide_tab_explains_every_lever(app, session):
    session.tab.value = 2
    html = "".join(w.unsafe_innerHTML for w in app.find(solara.widgets.HTML).widgets)
    assert "moral bank" in html.lower() and "fusion.coordination" in html


def test_play_loop_stops_as_soon_as_running_is_cleared():
    import threading

    running, cancel = threading.Event(), threading.Event()
    days = []

    def step(n):
        days.append(n)
        if len(days) == 3:
            running.clear()  # Pause pressed while a frame is being drawn

    running.set()
    started = time.perf_counter()
    play_loop(running, step, lambda: None, lambda: 60)(cancel)
    assert len(days) == 3
    assert time.perf_counter() - started < 2
