"""The Compare tab: two presets on top of the sidebar's levers, same seed, stepped together.

The pickers show ``session.compare.presets`` (what the runs use); the runs follow the
sidebar (``Session.follow_sidebar``). The chart is blitted like the live views and
acknowledged the same way, so Play here cannot outrun the browser either.
"""

from __future__ import annotations

import html

import reacton.ipyvuetify as rv
import reacton.ipywidgets as rw
import solara

from .bridge import FrameAck
from .cards import COMPARE
from .controls import PlayButton, SpeedControl
from .i18n import preset_label, quantity_help, quantity_label, t
from .library import PRESETS, preset_values
from .session import Session

COMPARE_IMAGES = ".sanzhi-compare-chart img"


@solara.component
def PresetPicker(session: Session, side: str, frame: int):
    lang = session.lang.value
    current = session.compare.presets[side]

    def choose(preset) -> None:
        if preset and preset != session.compare.presets[side]:
            session.set_preset(side, preset)

    rv.Select(
        label=t(f"side_{side}", lang),
        items=[
            {"text": preset_label(key, preset_values(key), lang), "value": key} for key in PRESETS
        ],
        v_model=current,
        on_v_model=choose,
        class_=f"sanzhi-preset-{side}",
        hide_details=True,
        dense=True,
    )


def legend(side: str, preset: str, lang: str) -> str:
    """The legend entry, e.g. 'Setting A: Silos': the side and the preset's name alone."""
    name = preset_label(preset, preset_values(preset), lang).split(":")[0].split("：")[0]
    return f"{t(f'side_{side}', lang)}: {name}"


def table_html(rows: list[tuple[str, str, str, str, str, str]], lang: str) -> str:
    """The compare table: (key, label, tooltip, A, B, B − A) per row."""
    head = (
        f"<tr><th style='text-align:left'>{t('metric', lang)}</th>"
        f"<th class='num'>{t('side_a', lang)}</th><th class='num'>{t('side_b', lang)}</th>"
        f"<th class='num'>{t('difference', lang)}</th></tr>"
    )
    body = "".join(
        f"<tr class='cmp-{key}'><td title='{html.escape(tip, quote=True)}'>{label}</td>"
        f"<td class='num cmp-{key}-a'>{a}</td><td class='num cmp-{key}-b'>{b}</td>"
        f"<td class='num cmp-{key}-diff'>{diff}</td></tr>"
        for key, label, tip, a, b, diff in rows
    )
    return head + body


@solara.component
def CompareChart(session: Session, frame: int):
    lang = session.lang.value
    cmp = session.compare
    with cmp.lock:
        series = {q.key: {side: q.series(m) for side, m in cmp.runs.items()} for q in COMPARE}
        labels = (legend("a", cmp.presets["a"], lang), legend("b", cmp.presets["b"], lang))
        png = session.compare_plot.render(
            COMPARE, series, labels, layout=session.figure_layout(), lang=lang
        )
        rows = []
        for q in COMPARE:
            a, b = (q.value(cmp.runs[side]) for side in ("a", "b"))
            rows.append(
                (
                    q.key,
                    quantity_label(q, lang),
                    quantity_help(q, lang),
                    q.text(a),
                    q.text(b),
                    q.text(b - a, sign=True),
                )
            )
    with solara.Div(classes=["sanzhi-view", "sanzhi-compare-chart"]):
        rw.Image(value=png, format="png", layout={"width": "100%", "height": "auto"})
    solara.HTML(
        tag="table", unsafe_innerHTML=table_html(rows, lang), classes=["sanzhi-compare-table"]
    )
    FrameAck(frame=frame, selector=COMPARE_IMAGES, event_shown=session.compare_player.shown)


@solara.component
def CompareControls(session: Session, frame: int):
    lang = session.lang.value
    playing = session.compare_playing.value
    with solara.Row(gap="6px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Text(
            f"{t('day', lang)} {session.compare.day} {t('day_suffix', lang)}".strip(),
            classes=["sanzhi-compare-day"],
            style={"font-weight": "600"},
        )
        solara.Button(
            t("compare_reset", lang),
            on_click=session.compare_reset,
            outlined=True,
            icon_name="mdi-restore",
        )
        solara.Button(
            t("compare_step", lang), on_click=lambda: session.compare_step(1), outlined=True
        )
        solara.Button(
            t("plus_30", lang),
            on_click=lambda: session.compare_step(30),
            outlined=True,
            classes=["sanzhi-compare-month"],
        )
        solara.Button(
            t("plus_365", lang),
            on_click=lambda: session.compare_step(365),
            outlined=True,
            classes=["sanzhi-compare-year"],
        )
        PlayButton(session, playing, session.compare_play, session.compare_pause, prefix="compare-")


@solara.component
def CompareTab(session: Session):
    lang = session.lang.value
    frame = session.compared.value.number
    with solara.Column(gap="8px", classes=["sanzhi-compare"]):
        solara.HTML(tag="h3", unsafe_innerHTML=t("compare_title", lang), style={"margin": "0"})
        solara.Text(t("compare_help", lang), classes=["sanzhi-help"])
        with solara.Div(classes=["sanzhi-compare-pickers"]):
            PresetPicker(session, "a", frame)
            PresetPicker(session, "b", frame)
        CompareControls(session, frame)
        with solara.Div(style={"max-width": "420px"}):
            SpeedControl(session, session.compared, session.compare_playing.value)
        CompareChart(session, frame)
