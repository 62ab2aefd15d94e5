"""The compare tab: two lever settings from the same seed, stepped together."""

from __future__ import annotations

import reacton.ipyvuetify as rv
import reacton.ipywidgets as rw
import solara

from experiments.plotting import figure_language

from .controls import Player
from .figures import compare_figure, figure_png
from .i18n import metric_label, preset_label, t
from .session import Session
from .state import PRESETS, preset_values
from .views import format_metric

COMPARE_METRICS = (
    "escalations_per_1000_households_year",
    "resolution_rate",
    "mean_days_to_resolve",
    "mean_trust",
    "referrals_lost",
    "satisfaction",
)


@solara.component
def PresetPicker(session: Session, side: str):
    lang = session.lang.value
    current = session.compare.presets[side]

    def choose(preset) -> None:
        if preset:
            session.compare.set_preset(side, preset)
            session.compare_changed()

    rv.Select(
        label=t(f"side_{side}", lang),
        items=[
            {"text": preset_label(key, preset_values(key), lang), "value": key} for key in PRESETS
        ],
        v_model=current,
        on_v_model=choose,
        class_=f"sanzhi-preset-{side}",
        hide_details=True,
    )


def _legend(side: str, preset: str, lang: str) -> str:
    """The legend entry, e.g. 'Setting A: Silos': the side and the preset's name alone."""
    name = preset_label(preset, preset_values(preset), lang).split(":")[0].split("：")[0]
    return f"{t(f'side_{side}', lang)}: {name}"


@solara.component
def CompareChart(session: Session):
    _ = session.compare_version.value
    lang = session.lang.value
    cmp = session.compare
    with cmp.lock:
        series = {name: cmp.series(name) for name in COMPARE_METRICS}
    # The chart may fall back to English (no Chinese font); the table below need not.
    with figure_language(lang) as shown:
        labels = (_legend("a", cmp.presets["a"], shown), _legend("b", cmp.presets["b"], shown))
        png = figure_png(compare_figure(series, labels, shown))
    with solara.Div(classes=["sanzhi-compare-chart"]):
        rw.Image(value=png, format="png", layout={"width": "100%", "height": "auto"})
    with cmp.lock:
        rows = []
        for name in COMPARE_METRICS:
            means = cmp.trailing_mean(name)
            diff = means["b"] - means["a"]
            cell = "<td style='text-align:right;padding:2px 12px'>"
            rows.append(
                f"<tr><td style='padding:2px 12px 2px 0'>{metric_label(name, lang)}</td>"
                f"{cell}{format_metric(name, means['a'])}</td>"
                f"{cell}{format_metric(name, means['b'])}</td>"
                f"{cell}{diff:+.3g}</td></tr>"
            )
    head = (
        f"<tr><th style='text-align:left'>{t('metric', lang)}</th>"
        f"<th>{t('side_a', lang)}</th><th>{t('side_b', lang)}</th>"
        f"<th>{t('difference', lang)}</th></tr>"
    )
    solara.HTML(
        tag="table", unsafe_innerHTML=head + "".join(rows), classes=["sanzhi-compare-table"]
    )


@solara.component
def CompareTab(session: Session):
    lang = session.lang.value
    cmp = session.compare
    _ = session.compare_version.value
    playing = session.compare_playing.value

    def step(days: int) -> None:
        cmp.step(days)
        session.compare_changed()

    def reset() -> None:
        pause()
        cmp.reset(session.sim.params, session.sim.seed)
        session.compare_changed()

    def play() -> None:
        session.compare_running.set()
        session.compare_playing.value = True

    def pause() -> None:
        session.compare_running.clear()
        session.compare_playing.value = False

    with solara.Column(gap="8px"):
        solara.HTML(tag="h3", unsafe_innerHTML=t("compare_title", lang), style={"margin": "0"})
        solara.Text(t("compare_help", lang), style={"font-size": "0.85em", "color": "#555"})
        with solara.Columns([1, 1]):
            with solara.Column(gap="0px"):
                PresetPicker(session, "a")
            with solara.Column(gap="0px"):
                PresetPicker(session, "b")
        with solara.Row(gap="6px", style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Text(
                f"{t('day', lang)} {cmp.day} {t('day_suffix', lang)}".strip(),
                classes=["sanzhi-compare-day"],
                style={"font-weight": "600"},
            )
            solara.Button(
                t("compare_reset", lang), on_click=reset, outlined=True, icon_name="mdi-restore"
            )
            solara.Button(t("compare_step", lang), on_click=lambda: step(1), outlined=True)
            solara.Button(t("plus_30", lang), on_click=lambda: step(30), outlined=True)
            solara.Button(
                t("plus_365", lang),
                on_click=lambda: step(365),
                outlined=True,
                classes=["sanzhi-compare-year"],
            )
            if playing:
                solara.Button(
                    t("pause", lang), on_click=pause, icon_name="mdi-pause", color="warning"
                )
            else:
                solara.Button(t("play", lang), on_click=play, icon_name="mdi-play", color="primary")
        Player(
            session,
            session.compare_playing,
            session.compare_running,
            cmp.step,
            session.compare_changed,
        )
        CompareChart(session)
