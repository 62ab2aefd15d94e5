"""The live views (KPI cards, grid map, network, time series) and the lever guide.

The live views draw persistent matplotlib figures by Agg blitting (``figures.LivePlot``)
and show the PNG with an image widget, instead of ``solara.FigureMatplotlib``, which
redraws the whole figure on every render: blitting keeps a step with all three plots at
about 30-50 ms instead of about 600 ms. The compare chart, which changes less often, is
drawn afresh each time (``figures.compare_figure``).
"""

from __future__ import annotations

import math

import reacton.ipyvuetify as rv
import reacton.ipywidgets as rw
import solara

from sim import Parameters
from sim.metrics import REGISTRY

from .i18n import lever_help, lever_label, metric_help, metric_label, t
from .session import Session
from .state import GRID_METRICS, GROUPS, KPIS, LEVERS

DEFAULTS = Parameters().flat()


def format_metric(name: str, value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    unit = REGISTRY[name].unit
    if unit in ("share", "share of households", "share of time"):
        return f"{100 * value:.1f}%"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if unit == "0-1" else f"{value:.1f}"


@solara.component
def Kpis(session: Session, version: int):
    lang = session.lang.value
    sim = session.sim
    with solara.Row(gap="8px", style={"flex-wrap": "wrap"}, classes=["sanzhi-kpis"]):
        with solara.Card(style={"min-width": "90px", "padding": "4px 8px", "margin": "0"}):
            solara.Text(t("day_card", lang), style={"font-size": "0.8em", "color": "#555"})
            solara.HTML(
                tag="div",
                unsafe_innerHTML=str(sim.day),
                classes=["sanzhi-day"],
                style={"font-size": "1.5em", "font-weight": "600"},
            )
        for name in KPIS:
            with (
                solara.Tooltip(metric_help(name, lang)),
                solara.Card(
                    style={
                        "min-width": "120px",
                        "max-width": "200px",
                        "padding": "4px 8px",
                        "margin": "0",
                    },
                    classes=[f"kpi-{name}"],
                ),
            ):
                solara.Text(metric_label(name, lang), style={"font-size": "0.8em", "color": "#555"})
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=format_metric(name, sim.latest(name)),
                    style={"font-size": "1.5em", "font-weight": "600"},
                    classes=["kpi-value"],
                )


def _image(png: bytes, cls: str):
    with solara.Div(classes=[cls]):
        rw.Image(value=png, format="png", layout={"width": "100%", "height": "auto"})


@solara.component
def GridMapView(session: Session, version: int):
    lang = session.lang.value
    metric = session.map_metric.value
    with solara.Card(t("grid_map", lang), margin=0, style={"height": "100%"}):
        with solara.ToggleButtonsSingle(
            value=session.map_metric, dense=True, classes=["sanzhi-map-metric"]
        ):
            for key in GRID_METRICS:
                solara.Button(t(f"map_btn_{key}", lang), value=key, text=True)
        with session.sim.lock:
            png = session.grid_map.render(session.sim.model, metric, lang=lang)
        _image(png, "sanzhi-gridmap")
        solara.Text(t("grid_map_help", lang), style={"font-size": "0.8em", "color": "#555"})


@solara.component
def NetworkView(session: Session, version: int):
    lang = session.lang.value
    model = session.sim.model
    grid = min(session.network_grid.value, model.layout.n_grids - 1)
    colour = session.network_colour.value
    with solara.Card(t("network", lang), margin=0, style={"height": "100%"}):
        with solara.Row(gap="12px"):
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
            png = session.network.render(session.sim.model, grid, colour, lang=lang)
        _image(png, "sanzhi-network")
        solara.Text(t("network_help", lang), style={"font-size": "0.8em", "color": "#555"})


@solara.component
def SeriesView(session: Session, version: int):
    lang = session.lang.value
    sim = session.sim
    with solara.Card(t("timeseries", lang), margin=0):
        with sim.lock:
            png = session.series.render(sim.series(), sim.previous, id(sim.previous), lang=lang)
        _image(png, "sanzhi-series")


@solara.component
def LiveTab(session: Session):
    # The only reader of `version`: one step is one render pass over the live views.
    version = session.version.value
    with solara.Column(gap="10px"):
        Kpis(session, version)
        with solara.Columns([1, 1], gutters_dense=True):
            GridMapView(session, version)
            NetworkView(session, version)
        SeriesView(session, version)


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
                f"<tr><td style='padding:4px 10px 4px 0;vertical-align:top;white-space:nowrap'>"
                f"<b>{lever_label(lever.key, lang)}</b><br><code style='font-size:0.75em'>"
                f"{lever.key}</code></td><td style='padding:4px 0'>{lever_help(lever.key, lang)}"
                f" <span style='color:#777'>({t('default', lang)} {DEFAULTS[lever.key]})</span>"
                f"</td></tr>"
            )
        solara.HTML(tag="table", unsafe_innerHTML="".join(rows), classes=["sanzhi-guide"])
