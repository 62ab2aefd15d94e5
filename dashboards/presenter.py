"""Presenter mode: one 1080p screen with the cards, the grid map and the trends (or, in
Compare steps, the compare chart and table) in large type, and the guided tour's
narration with Back / Next. The sidebar is hidden; the tour sets what it would."""

from __future__ import annotations

import solara

from .compare import CompareChart, CompareControls, legend
from .controls import PlayButton
from .i18n import t
from .link import TABS
from .session import Session
from .tour import STEPS
from .views import GridMapView, Kpis, LiveAck, SeriesView


@solara.component
def PresenterLive(session: Session):
    frame = session.live.value.number
    with solara.Div(classes=["sanzhi-live"]):
        Kpis(session, frame)
        with solara.Div(classes=["sanzhi-presenter-grid"]):
            GridMapView(session, frame)
            SeriesView(session, frame)
        LiveAck(session, frame)


@solara.component
def PresenterCompare(session: Session):
    frame = session.compared.value.number
    lang = session.lang.value
    cmp = session.compare
    solara.Text(
        f"{legend('a', cmp.presets['a'], lang)} · {legend('b', cmp.presets['b'], lang)}",
        classes=["sanzhi-help"],
    )
    CompareControls(session, frame)
    CompareChart(session, frame)


@solara.component
def TourPanel(session: Session):
    lang = session.lang.value
    index = session.tour.value
    busy = session.tour_busy.value
    with solara.Div(classes=["sanzhi-tour"]):
        if index < 0:
            with solara.Row(style={"align-items": "center"}):
                solara.Button(
                    t("tour_start", lang),
                    icon_name="mdi-presentation-play",
                    color="primary",
                    on_click=lambda: session.go_to_step(0),
                    classes=["sanzhi-tour-start"],
                )
            return
        step = STEPS[index]
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Text(step.heading(lang), classes=["tour-title"])
            solara.Text(
                t("tour_of", lang).format(n=index + 1, total=len(STEPS)), classes=["tour-count"]
            )
            solara.Div(classes=["sanzhi-spacer"])
            if TABS[session.tab.value] == "live":
                PlayButton(session, session.playing.value, session.play, session.pause)
            solara.Button(
                t("tour_back", lang),
                icon_name="mdi-chevron-left",
                outlined=True,
                disabled=busy or index == 0,
                on_click=lambda: session.go_to_step(index - 1),
                classes=["sanzhi-tour-back"],
            )
            solara.Button(
                t("tour_next", lang),
                icon_name="mdi-chevron-right",
                color="primary",
                disabled=busy or index == len(STEPS) - 1,
                on_click=lambda: session.go_to_step(index + 1),
                classes=["sanzhi-tour-next"],
            )
            solara.Button(
                t("tour_end", lang),
                text=True,
                on_click=lambda: session.go_to_step(-1),
                classes=["sanzhi-tour-end"],
            )
        classes = ["tour-text", "sanzhi-tour-busy" if busy else "sanzhi-tour-ready"]
        solara.Div(
            children=[step.narration(lang)],
            classes=classes,
            attributes={"data-step": step.key},
        )


@solara.component
def PresenterView(session: Session):
    if TABS[session.tab.value] == "compare":
        PresenterCompare(session)
    else:
        PresenterLive(session)
    TourPanel(session)
