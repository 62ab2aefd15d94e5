"""Sidebar controls: run/step/play/pause with speed, seed, scenario picker, lever sliders."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import reacton.ipyvuetify as rv
import solara

from experiments.errors import InputError
from sim.params import ParameterError

from .i18n import choice_label, lever_help, lever_label, t
from .session import Notice, Session
from .state import GROUPS, LEVERS, Lever, ScenarioRefused, default_params, list_scenarios

SPEEDS = (1, 5, 10, 30, 60)  # days per second
MAX_FPS = 10.0


def play_loop(
    running, step: Callable[[int], None], changed: Callable[[], None], speed: Callable[[], int]
):
    """The body of a play thread: step and re-render until ``running`` is cleared.

    ``running`` (a ``threading.Event``) is checked before every step, so Pause stops the
    loop at once; at most ``MAX_FPS`` renders a second, several days per frame when faster.
    """

    def loop(cancel) -> None:
        while running.is_set() and not cancel.is_set():
            started = time.perf_counter()
            days_per_second = max(1, int(speed()))
            days = max(1, round(days_per_second / MAX_FPS))
            if not running.is_set():
                break
            step(days)
            changed()
            wait = days / days_per_second - (time.perf_counter() - started)
            if wait > 0:
                cancel.wait(wait)

    return loop


@solara.component
def Player(session: Session, playing: solara.Reactive[bool], running, step, changed):
    """Runs the play loop in a thread while ``playing`` is true."""
    on = playing.value
    loop = play_loop(running, step, changed, lambda: session.speed.value)

    def run(cancel) -> None:
        if on:
            loop(cancel)

    solara.use_thread(run, dependencies=[on], intrusive_cancel=False)


@solara.component
def PopulationInfo(session: Session):
    _ = session.levers_version.value
    lang = session.lang.value
    sim = session.sim
    pop = sim.params.population
    solara.Text(
        f"{pop.households:,} {t('households', lang)} · {sim.model.layout.n_grids} "
        f"{t('grids', lang)} · {sim.model.layout.n_communities} {t('communities', lang)}",
        style={"font-size": "0.85em", "color": "#555"},
    )


@solara.component
def RunControls(session: Session):
    lang = session.lang.value
    sim = session.sim
    playing = session.playing.value

    def step() -> None:
        sim.step(1)
        session.changed()

    def reset() -> None:
        pause()
        sim.reset()
        sim.previous = None
        session.changed()

    def play() -> None:
        session.running.set()
        session.playing.value = True

    def pause() -> None:
        session.running.clear()
        session.playing.value = False

    PopulationInfo(session)
    with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
        solara.Button(t("reset", lang), on_click=reset, icon_name="mdi-restore", outlined=True)
        solara.Button(
            t("step", lang),
            on_click=step,
            icon_name="mdi-step-forward",
            outlined=True,
            classes=["sanzhi-step"],
        )
        if playing:
            solara.Button(
                t("pause", lang),
                on_click=pause,
                icon_name="mdi-pause",
                color="warning",
                classes=["sanzhi-pause"],
            )
        else:
            solara.Button(
                t("play", lang),
                on_click=play,
                icon_name="mdi-play",
                color="primary",
                classes=["sanzhi-play"],
            )
    solara.Text(t("speed", lang), style={"font-size": "0.88em"})
    with solara.ToggleButtonsSingle(value=session.speed, dense=True, classes=["sanzhi-speed"]):
        for speed in SPEEDS:
            solara.Button(str(speed), value=speed, text=True)
    Player(session, session.playing, session.running, sim.step, session.changed)


@solara.component
def LanguageSwitch(session: Session):
    with solara.ToggleButtonsSingle(value=session.lang, classes=["sanzhi-lang"]):
        solara.Button("中文", value="zh", text=True)
        solara.Button("English", value="en", text=True)


def _apply(session: Session, action: Callable[[], Any]) -> bool:
    try:
        action()
    except (ParameterError, InputError) as err:
        session.message.value = Notice("error", "lever_error", str(err))
        return False
    session.message.value = Notice()
    session.levers_version.value += 1
    session.changed()
    return True


@solara.component
def SeedInput(session: Session):
    lang = session.lang.value
    _ = session.levers_version.value

    def set_seed(value) -> None:
        if value is None:
            return
        _apply(session, lambda: session.sim.set_seed(int(value)))

    with solara.Tooltip(t("seed_help", lang)):
        solara.InputInt(
            t("seed", lang), value=session.sim.seed, on_value=set_seed, continuous_update=False
        )


def load_scenario_into(session: Session, name: str) -> bool:
    """Load ``scenarios/<name>`` into the levers; refusals and errors become a visible message."""
    try:
        session.sim.load_scenario(name)
    except ScenarioRefused as err:
        reason = {"outside": "scenario_outside", "missing": "scenario_missing"}.get(
            err.reason, "scenario_not_toml"
        )
        session.message.value = Notice("error", "scenario_refused", name, reason)
        return False
    except InputError as err:
        session.message.value = Notice("error", "scenario_refused", str(err))
        return False
    session.message.value = Notice("success", "scenario_loaded", name)
    session.levers_version.value += 1
    session.changed()
    return True


@solara.component
def ScenarioPicker(session: Session):
    lang = session.lang.value
    names = solara.use_memo(list_scenarios, [])
    choice = solara.use_reactive(names[0] if names else None)
    with solara.Column(gap="2px"):
        solara.Select(
            t("scenario_pick", lang), values=names, value=choice, classes=["sanzhi-scenario"]
        )
        with solara.Tooltip(t("scenario_size_note", lang)):
            solara.Button(
                t("scenario_load", lang),
                icon_name="mdi-folder-open",
                outlined=True,
                disabled=choice.value is None,
                on_click=lambda: load_scenario_into(session, choice.value),
                classes=["sanzhi-load-scenario"],
            )


@solara.component
def Message(session: Session):
    notice = session.message.value
    lang = session.lang.value
    if notice.head:
        text = f"{t(notice.head, lang)}: {notice.detail}"
        if notice.reason:
            text += f" ({t(notice.reason, lang)})"
        alert = solara.Error if notice.kind == "error" else solara.Success
        alert(text, dense=True, classes=[f"sanzhi-{notice.kind}"])


def _format(value: Any, kind: type) -> str:
    if kind is float:
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if kind is int:
        return f"{value:,}"
    return str(value)


@solara.component
def LeverSlider(session: Session, lever: Lever, value: float):
    lang = session.lang.value
    key, kind, step = lever.key, lever.kind, lever.step
    local, set_local = solara.use_state(value, key=f"{key}-{value}")
    if kind is float:
        local = float(local)

    def commit(*args) -> None:
        data = args[-1]
        new = kind(round(float(data) / step) * step) if kind is int else float(data)
        if kind is float:
            new = round(new, 6)
        if new != value:
            _apply(session, lambda: session.sim.set_values({key: new}))

    with (
        solara.Tooltip(lever_help(key, lang)),
        solara.Row(justify="space-between", style={"margin-bottom": "-6px"}),
    ):
        solara.Text(lever_label(key, lang), style={"font-size": "0.88em"})
        solara.Text(
            _format(local, kind),
            style={"font-size": "0.88em", "font-weight": "600"},
            classes=["sanzhi-lever-value"],
        )
    slider = rv.Slider(
        v_model=local,
        on_v_model=set_local,
        min=lever.low,
        max=lever.high,
        step=step,
        hide_details=True,
        dense=True,
        class_=f"sanzhi-lever lever-{key.replace('.', '-')}",
        thumb_label=False,
    )
    rv.use_event(slider, "change", commit)


@solara.component
def LeverSwitch(session: Session, lever: Lever, value: bool):
    lang = session.lang.value
    key = lever.key

    def commit(new: bool) -> None:
        _apply(session, lambda: session.sim.set_values({key: bool(new)}))

    with solara.Tooltip(lever_help(key, lang)), solara.Row():
        solara.Switch(
            label=lever_label(key, lang),
            value=value,
            on_value=commit,
            classes=[f"lever-{key.replace('.', '-')}"],
        )


@solara.component
def LeverChoice(session: Session, lever: Lever, value: str):
    lang = session.lang.value
    key = lever.key

    def commit(new) -> None:
        if new and new != value:
            _apply(session, lambda: session.sim.set_values({key: new}))

    with solara.Tooltip(lever_help(key, lang)), solara.Column(gap="0px"):
        solara.Text(lever_label(key, lang), style={"font-size": "0.88em"})
        with solara.ToggleButtonsSingle(value=value, on_value=commit, dense=True):
            for choice in lever.spec.choices:
                solara.Button(choice_label(choice, lang), value=choice, text=True)


@solara.component
def LeverPanel(session: Session):
    lang = session.lang.value
    _ = session.levers_version.value
    values = session.sim.params.flat()
    open_panels = solara.use_reactive([3])

    def reset_levers() -> None:
        _apply(session, lambda: session.sim.set_params(default_params()))
        session.levers_version.value += 1

    panels = []
    for index, group in enumerate(GROUPS):
        rows = []
        # Closed panels hold no sliders: fewer widgets to walk on every render pass.
        shown = index in (open_panels.value or [])
        for lever in (lv for lv in LEVERS if lv.group == group and shown):
            value = values[lever.key]
            if lever.kind is bool:
                rows.append(LeverSwitch(session, lever, value))
            elif lever.kind is str:
                rows.append(LeverChoice(session, lever, value))
            else:
                rows.append(LeverSlider(session, lever, value))
        panels.append(
            rv.ExpansionPanel(
                children=[
                    rv.ExpansionPanelHeader(
                        children=[t(f"group_{group}", lang)], class_=f"sanzhi-group-{group}"
                    ),
                    rv.ExpansionPanelContent(children=[solara.Column(children=rows, gap="6px")]),
                ]
            )
        )
    solara.Text(t("levers", lang), style={"font-weight": "600"})
    solara.Text(t("replay_note", lang), style={"font-size": "0.8em", "color": "#555"})
    rv.ExpansionPanels(
        children=panels,
        multiple=True,
        accordion=True,
        v_model=open_panels.value,
        on_v_model=open_panels.set,
    )
    solara.Button(
        t("reset_levers", lang), on_click=reset_levers, text=True, icon_name="mdi-backup-restore"
    )


@solara.component
def Sidebar(session: Session):
    lang = session.lang.value
    with solara.Column(gap="10px", style={"padding": "4px"}):
        solara.Text(t("run", lang), style={"font-weight": "600"})
        RunControls(session)
        SeedInput(session)
        solara.Text(t("scenario", lang), style={"font-weight": "600"})
        ScenarioPicker(session)
        LeverPanel(session)
