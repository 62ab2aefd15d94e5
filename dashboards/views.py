"""The live views (cards, grid map, network, trends) and the lever guide.

The live views draw persistent matplotlib figures by Agg blitting (``figures.LivePlot``)
and show the PNG with an image widget, instead of ``solara.FigureMatplotlib``, which
redraws the whole figure on every render: blitting keeps a frame with all three plots at
about 30-50 ms instead of about 600 ms. After the images, a hidden ``FrameAck`` reports
each frame back once the browser has it on screen, which is what the play loop waits for.
"""

from __future__ import annotations

import reacton.ipyvuetify as rv
import reacton.ipywidgets as rw
import solara

from sim import Parameters

from .bridge import FrameAck
from .cards import LIVE_CARDS
from .controls import PhoneBar
from .i18n import change_label, lever_help, lever_label, quantity_help, quantity_label, t
from .session import Session
from .state import GRID_METRICS, GROUPS, LEVERS

DEFAULTS = Parameters().flat()
LIVE_IMAGES = ".sanzhi-live img"  # what a live frame's acknowledgement waits for


@solara.component
def Card(label: str, value: str, tip: str, cls: str, value_cls: str = "kpi-value"):
    with solara.Tooltip(tip), solara.Div(classes=["sanzhi-card", cls]):
        solara.Div(children=[label], classes=["card-label"])
        solara.Div(children=[value], classes=[value_cls])


@solara.component
def Kpis(session: Session, frame: int):
    lang = session.lang.value
    sim = session.sim
    with sim.lock:
        model, day = sim.model, sim.day
        values = [(q, q.value(model)) for q in LIVE_CARDS]
    with solara.Div(classes=["sanzhi-kpis"]):
        Card(t("day_card", lang), str(day), t("day_card", lang), "card-day", "sanzhi-day")
        for q, value in values:
            Card(quantity_label(q, lang), q.text(value), quantity_help(q, lang), f"kpi-{q.key}")


def _image(png: bytes, cls: str):
    with solara.Div(classes=[cls]):
        rw.Image(value=png, format="png", layout={"width": "100%", "height": "auto"})


@solara.component
def GridMapView(session: Session, frame: int):
    lang = session.lang.value
    metric = session.map_metric.value
    with solara.Div(classes=["sanzhi-view", "sanzhi-view-map"]):
        solara.HTML(tag="h3", unsafe_innerHTML=t("grid_map", lang))
        with solara.ToggleButtonsSingle(
            value=session.map_metric, dense=True, classes=["sanzhi-map-metric"]
        ):
            for key in GRID_METRICS:
                solara.Button(t(f"map_btn_{key}", lang), value=key, text=True)
        with session.sim.lock:
            png = session.grid_map.render(
                session.sim.model, metric, layout=session.figure_layout(), lang=lang
            )
        _image(png, "sanzhi-gridmap")
        solara.Text(t("grid_map_help", lang), classes=["sanzhi-help"])


@solara.component
def NetworkView(session: Session, frame: int):
    lang = session.lang.value
    model = session.sim.model
    grid = min(session.network_grid.value, model.layout.n_grids - 1)
    colour = session.network_colour.value
    with solara.Div(classes=["sanzhi-view", "sanzhi-view-network"]):
        solara.HTML(tag="h3", unsafe_innerHTML=t("network", lang))
        with solara.Row(gap="12px", style={"flex-wrap": "wrap", "align-items": "center"}):
            with solara.ToggleButtonsSingle(value=session.network_colour, dense=True):
                solara.Button(t("net_norm", lang), value="norm", text=True)
                solara.Button(t("net_trust", lang), value="trust", text=True)
            rv.Select(
                label=t("network_grid", lang),
                v_model=grid,
                items=[
                    {"text": f"{t('grid_label', lang)} {g + 1}", "value": g}
                    for g in range(model.layout.n_grids)
                ],
                on_v_model=session.network_grid.set,
                dense=True,
                hide_details=True,
                style_="max-width: 140px",
            )
        with session.sim.lock:
            png = session.network.render(
                session.sim.model, grid, colour, layout=session.figure_layout(), lang=lang
            )
        _image(png, "sanzhi-network")
        solara.Text(t("network_help", lang), classes=["sanzhi-help"])


@solara.component
def SeriesView(session: Session, frame: int):
    lang = session.lang.value
    sim = session.sim
    with solara.Div(classes=["sanzhi-view", "sanzhi-view-series"]):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.HTML(tag="h3", unsafe_innerHTML=t("timeseries", lang))
            solara.Div(classes=["sanzhi-spacer"])
            with solara.Tooltip(t("export_help", lang)):
                solara.FileDownload(
                    session.figures_png,  # drawn when clicked
                    filename=session.export_name(),
                    label=t("export_png", lang),
                    icon_name="mdi-image-outline",
                    mime_type="image/png",
                    children=[
                        solara.Button(
                            t("export_png", lang),
                            icon_name="mdi-image-outline",
                            outlined=True,
                            small=True,
                            classes=["sanzhi-export"],
                        )
                    ],
                )
        with sim.lock:
            args = session.series_args()
            png = session.series.render(*args, layout=session.figure_layout(), lang=lang)
        _image(png, "sanzhi-series")
        Marks(session, sim.shown_marks())


@solara.component
def Marks(session: Session, marks: list):
    """The lever changes of the run, as buttons that rewind to their day."""
    lang = session.lang.value
    if not marks:
        return
    with solara.Row(gap="4px", style={"flex-wrap": "wrap", "align-items": "center"}):
        solara.Text(t("marks", lang), classes=["sanzhi-help"])
        for day, values, rewindable in marks:
            text = t("mark_chip", lang).format(day=day, change=change_label(values, lang))
            tip = t("rewind_help" if rewindable else "mark_dropped", lang).format(day=day)
            with solara.Tooltip(tip):
                solara.Button(
                    text,
                    icon_name="mdi-rewind",
                    on_click=lambda d=day: session.rewind(d + session.sim.model.warmup),
                    disabled=not rewindable,
                    outlined=True,
                    small=True,
                    classes=["sanzhi-mark", "text-none"],  # a label, not a shout
                    attributes={"data-day": str(day)},
                )


@solara.component
def LiveAck(session: Session, frame: int):
    FrameAck(frame=frame, selector=LIVE_IMAGES, event_shown=session.player.shown)


@solara.component
def LiveTab(session: Session):
    # The only reader of the live frame: one frame is one render pass over the live views.
    frame = session.live.value.number
    with solara.Div(classes=["sanzhi-live"]):
        PhoneBar(session)
        Kpis(session, frame)
        with solara.Div(classes=["sanzhi-live-grid"]):
            GridMapView(session, frame)
            NetworkView(session, frame)
            SeriesView(session, frame)
        LiveAck(session, frame)  # last: its update follows the images'


@solara.component
def GuideTab(session: Session):
    lang = session.lang.value
    solara.Text(t("guide_intro", lang), style={"color": "#555"})
    for group in GROUPS:
        solara.HTML(
            tag="h3", unsafe_innerHTML=t(f"group_{group}", lang), style={"margin": "14px 0 4px 0"}
        )
        rows = []
        for lever in (lv for lv in LEVERS if lv.group == group):
            rows.append(
                f"<tr><td style='padding:4px 10px 4px 0;vertical-align:top'>"
                f"<b>{lever_label(lever.key, lang)}</b><br><code style='font-size:0.75em'>"
                f"{lever.key}</code></td><td style='padding:4px 0'>{lever_help(lever.key, lang)}"
                f" <span style='color:#777'>({t('default', lang)} {DEFAULTS[lever.key]})</span>"
                f"</td></tr>"
            )
        solara.HTML(tag="table", unsafe_innerHTML="".join(rows), classes=["sanzhi-guide"])
