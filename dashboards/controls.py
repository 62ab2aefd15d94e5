"""The controls: header (menu, language, presenter mode), run controls with the speed and
the speed achieved, seed, scenario picker, lever sliders, the message line.

Every control shows the value the model runs with: it reads it from the session's run
(``session.sim``) each time the levers change (``session.levers_version``) and writes
through the session's actions, which the guided tour calls too.
"""

from __future__ import annotations

import math
from typing import Any

import reacton.ipyvuetify as rv
import solara

from experiments.wording import number

from .i18n import choice_label, lever_help, lever_label, lever_value, t
from .library import catalogue
from .session import Session
from .state import GROUPS, LEVERS, Lever

SPEEDS = (1, 5, 10, 30, 60)  # days per second


@solara.component
def Header(session: Session):
    lang = session.lang.value
    presenter = session.view.value == "presenter"

    def menu() -> None:
        session.side_open.value = not session.side_open.value

    with solara.Div(classes=["sanzhi-header"]):
        if not presenter:
            solara.Button(
                icon_name="mdi-menu",
                icon=True,
                on_click=menu,
                classes=["sanzhi-menu"],
                attributes={"aria-label": t("controls", lang)},
            )
        with solara.Column(gap="0px", style={"min-width": "0", "background": "transparent"}):
            solara.Text(t("title", lang), classes=["sanzhi-title", "hide-narrow"])
            solara.Text(t("title_short", lang), classes=["sanzhi-title", "show-narrow"])
            solara.Text(t("subtitle", lang), classes=["sanzhi-subtitle"])
        solara.Div(classes=["sanzhi-spacer"])
        # A phone has no room for presenter mode, and no use for it.
        with solara.ToggleButtonsSingle(
            value=session.view.value,
            on_value=lambda v: session.set_view(v) if v else None,
            dense=True,
            classes=["sanzhi-view-switch", "hide-narrow"],
        ):
            solara.Button(t("classic", lang), value="classic", text=True)
            solara.Button(t("presenter", lang), value="presenter", text=True)
        LanguageSwitch(session)


@solara.component
def LanguageSwitch(session: Session):
    with solara.ToggleButtonsSingle(value=session.lang, dense=True, classes=["sanzhi-lang"]):
        solara.Button("中文", value="zh", text=True)
        solara.Button("English", value="en", text=True)


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
        classes=["sanzhi-population"],
    )


def achieved_text(achieved: float, requested: float, lang: str) -> str:
    """'achieved: 9.8 days a second' while playing; a note when the machine is slower."""
    if not math.isfinite(achieved):
        return ""
    text = t("achieved", lang).format(speed=number(round(achieved, 1)))
    if achieved < 0.8 * requested:
        text += " · " + t("achieved_low", lang)
    return text


@solara.component
def SpeedControl(session: Session, frame: solara.Reactive, playing: bool):
    lang = session.lang.value
    solara.Text(t("speed", lang), style={"font-size": "0.88em"})
    with solara.ToggleButtonsSingle(value=session.speed, dense=True, classes=["sanzhi-speed"]):
        for speed in SPEEDS:
            solara.Button(str(speed), value=speed, text=True)
    note = achieved_text(frame.value.achieved, session.speed.value, lang) if playing else ""
    solara.Text(note, classes=["sanzhi-speed-note", "sanzhi-achieved"])


@solara.component
def PlayButton(session: Session, playing: bool, play, pause, prefix: str = ""):
    lang = session.lang.value
    if playing:
        solara.Button(
            t("pause", lang),
            on_click=pause,
            icon_name="mdi-pause",
            color="warning",
            classes=[f"sanzhi-{prefix}pause"],
        )
    else:
        solara.Button(
            t("play", lang),
            on_click=play,
            icon_name="mdi-play",
            color="primary",
            classes=[f"sanzhi-{prefix}play"],
        )


@solara.component
def RunControls(session: Session):
    lang = session.lang.value
    playing = session.playing.value
    PopulationInfo(session)
    with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
        solara.Button(
            t("reset", lang), on_click=session.reset, icon_name="mdi-restore", outlined=True
        )
        solara.Button(
            t("step", lang),
            on_click=lambda: session.step(1),
            icon_name="mdi-step-forward",
            outlined=True,
            classes=["sanzhi-step"],
        )
        PlayButton(session, playing, session.play, session.pause)
    with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
        solara.Button(
            t("plus_30", lang),
            on_click=lambda: session.step(30),
            outlined=True,
            small=True,
            classes=["sanzhi-month"],
        )
        solara.Button(
            t("plus_365", lang),
            on_click=lambda: session.step(365),
            outlined=True,
            small=True,
            classes=["sanzhi-year"],
        )
    SpeedControl(session, session.live, playing)


@solara.component
def PhoneBar(session: Session):
    """On a phone, the run controls students need most, above the views (the rest is in
    the drawer)."""
    lang = session.lang.value
    with solara.Row(gap="4px", classes=["show-narrow", "sanzhi-phone-bar"]):
        solara.Button(t("step", lang), on_click=lambda: session.step(1), outlined=True, small=True)
        solara.Button(
            t("plus_30", lang),
            on_click=lambda: session.step(30),
            outlined=True,
            small=True,
            classes=["sanzhi-month"],
        )
        PlayButton(session, session.playing.value, session.play, session.pause, prefix="phone-")


@solara.component
def SeedInput(session: Session):
    lang = session.lang.value
    version = session.levers_version.value
    seed = session.sim.seed

    def commit(*args) -> None:
        text = str(args[-1]).strip()
        if text and text != str(session.sim.seed):
            session.set_seed(text)

    field = rv.TextField(
        label=t("seed", lang),
        v_model=str(seed),
        class_="sanzhi-seed",
        hint=t("seed_help", lang),  # shown while typing
        dense=True,
    )
    rv.use_event(field, "change", commit)

    def show_seed_in_use() -> None:
        # The field is the browser's while typing; after a refused seed it must show the
        # seed the model uses again (an unchanged prop would not be sent).
        widget = solara.get_widget(field)
        if widget.v_model != str(seed):
            widget.v_model = str(seed)

    solara.use_effect(show_seed_in_use, [version, seed])


@solara.component
def ScenarioPicker(session: Session):
    lang = session.lang.value
    _ = session.levers_version.value
    entries = solara.use_memo(catalogue, [])
    loaded = session.sim.scenario
    choice = solara.use_reactive(loaded or (entries[0].name if entries else None))
    confirming = solara.use_reactive(False)
    by_name = {e.name: e for e in entries}
    items = [
        {
            "text": f"{e.name} · {e.households:,} {t('households', lang)}"
            + (f" · ⚠ {t('large_mark', lang)}" if e.large else ""),
            "value": e.name,
        }
        for e in entries
    ]

    def load() -> None:
        entry = by_name.get(choice.value)
        if entry is None:
            return
        if entry.large and not confirming.value:
            confirming.value = True
            return
        confirming.value = False
        session.load_scenario(entry.name)

    with solara.Column(gap="2px"):
        rv.Select(
            label=t("scenario_pick", lang),
            items=items,
            v_model=choice.value,
            on_v_model=lambda v: (choice.set(v), confirming.set(False)),
            dense=True,
            hide_details=True,
            class_="sanzhi-scenario",
        )
        entry = by_name.get(choice.value)
        if confirming.value and entry is not None:
            solara.Warning(
                t("large_warning", lang).format(
                    name=entry.name, households=f"{entry.households:,}"
                ),
                dense=True,
                classes=["sanzhi-large-warning"],
            )
            with solara.Row(gap="4px"):
                solara.Button(
                    t("large_confirm", lang),
                    on_click=load,
                    color="warning",
                    classes=["sanzhi-large-confirm"],
                )
                solara.Button(t("cancel", lang), on_click=lambda: confirming.set(False), text=True)
        else:
            with solara.Tooltip(t("scenario_size_note", lang)):
                solara.Button(
                    t("scenario_load", lang),
                    icon_name="mdi-folder-open",
                    outlined=True,
                    disabled=choice.value is None,
                    on_click=load,
                    classes=["sanzhi-load-scenario"],
                )


@solara.component
def Message(session: Session):
    notice = session.message.value
    lang = session.lang.value
    if not notice.head:
        return
    text = f"{t(notice.head, lang)}: {notice.detail}"
    if notice.reason:
        text += f" — {t(notice.reason, lang)}"
    if notice.extra:
        text += f" ({notice.extra})"
    alert = {"error": solara.Error, "warning": solara.Warning}.get(notice.kind, solara.Success)
    with solara.Row(style={"align-items": "center"}):
        alert(text, dense=True, classes=[f"sanzhi-{notice.kind}", "sanzhi-message"])
        solara.Button(
            icon_name="mdi-close",
            icon=True,
            small=True,
            on_click=lambda: session.notify(""),
            attributes={"aria-label": t("close", lang)},
        )


def lever_text(value: Any, kind: type) -> str:
    """A lever's value beside its slider (``experiments.wording``'s number format)."""
    return lever_value(kind(value), "en")


@solara.component
def LeverSlider(session: Session, lever: Lever, value: float):
    """A slider that shows ``value``, what the model runs with. It is keyed by that value
    (see :func:`LeverPanel`), so a change from anywhere (Default levers, a scenario, the
    tour, a link) puts a fresh slider in the right place."""
    lang = session.lang.value
    key, kind, step = lever.key, lever.kind, lever.step
    local, set_local = solara.use_state(value)

    def commit(*args) -> None:
        data = args[-1]
        new = kind(round(float(data) / step) * step) if kind is int else float(data)
        if kind is float:
            new = round(new, 6)
        if new != value:
            session.set_levers({key: new})

    with (
        solara.Tooltip(lever_help(key, lang)),
        solara.Row(justify="space-between", style={"margin-bottom": "-6px"}),
    ):
        solara.Text(lever_label(key, lang), style={"font-size": "0.88em"})
        solara.Text(
            lever_text(local, kind),
            style={"font-size": "0.88em", "font-weight": "600"},
            classes=["sanzhi-lever-value", f"value-{key.replace('.', '-')}"],
        )
    slider = rv.Slider(
        v_model=local,
        on_v_model=set_local,
        # a scenario may set a value beyond the classroom range: show it where it is
        min=min(lever.low, value),
        max=max(lever.high, value),
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
        if bool(new) != value:
            session.set_levers({key: bool(new)})

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
            session.set_levers({key: new})

    with solara.Tooltip(lever_help(key, lang)), solara.Column(gap="0px"):
        solara.Text(lever_label(key, lang), style={"font-size": "0.88em"})
        with solara.ToggleButtonsSingle(
            value=value, on_value=commit, dense=True, classes=[f"lever-{key.replace('.', '-')}"]
        ):
            for choice in lever.spec.choices:
                solara.Button(choice_label(choice, lang), value=choice, text=True)


@solara.component
def LeverMode(session: Session):
    """How a moved lever applies: from today (the run goes on) or as if always so."""
    lang = session.lang.value
    _ = session.levers_version.value  # set_mode moves it
    mode = session.sim.mode
    with solara.ToggleButtonsSingle(
        value=mode, on_value=session.set_mode, dense=True, classes=["sanzhi-lever-mode"]
    ):
        solara.Button(
            t("mode_today", lang), value="today", text=True, classes=["sanzhi-mode-today"]
        )
        solara.Button(
            t("mode_always", lang), value="always", text=True, classes=["sanzhi-mode-always"]
        )
    note = "replay_note" if mode == "today" else "replay_note_always"
    solara.Text(t(note, lang), style={"font-size": "0.8em", "color": "#555"})


@solara.component
def LeverPanel(session: Session):
    lang = session.lang.value
    _ = session.levers_version.value
    values = session.sim.params.flat()
    open_panels = solara.use_reactive([3])

    panels = []
    for index, group in enumerate(GROUPS):
        rows = []
        # Closed panels hold no sliders: fewer widgets to walk on every render pass.
        shown = index in (open_panels.value or [])
        for lever in (lv for lv in LEVERS if lv.group == group and shown):
            value = values[lever.key]
            control = {bool: LeverSwitch, str: LeverChoice}.get(lever.kind, LeverSlider)
            rows.append(control(session, lever, value).key(f"{lever.key}={value!r}"))
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
    LeverMode(session)
    rv.ExpansionPanels(
        children=panels,
        multiple=True,
        accordion=True,
        v_model=open_panels.value,
        on_v_model=open_panels.set,
    )
    solara.Button(
        t("reset_levers", lang),
        on_click=session.default_levers,
        text=True,
        icon_name="mdi-backup-restore",
        classes=["sanzhi-default-levers"],
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
