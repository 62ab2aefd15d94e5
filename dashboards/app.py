"""Sanzhi's dashboard for instructors: ``sanzhi dashboard`` (or ``solara run dashboards/app.py``).

This module only wires components together, as Mesa's examples do.

Why a custom Solara page and not Mesa's ``SolaraViz``: SolaraViz owns the page layout, the
model-parameter sidebar and the play loop, and builds a new model from its sliders. This
dashboard needs things it cannot do cleanly: a language switch that relabels every control
and chart (SolaraViz's labels are fixed at construction), a compare tab that steps two
models side by side, a scenario picker that loads files into the sliders, levers that
replay the same seed to the current day (so the previous run can be drawn dashed), and
blitted matplotlib views that keep a step under 200 ms. The model is still an ordinary Mesa
model stepped through ``model.step()`` and read through its ``DataCollector``.

URL parameters: ``?lang=zh`` opens in Chinese; ``?scenario=NAME`` loads
``scenarios/NAME`` (anything outside ``scenarios/`` is refused with a visible message).
"""

from __future__ import annotations

from urllib.parse import parse_qs

import solara

from dashboards.compare import CompareTab
from dashboards.controls import LanguageSwitch, Message, Sidebar, load_scenario_into
from dashboards.i18n import LANGS, t
from dashboards.session import Session
from dashboards.views import GuideTab, LiveTab


def _query(router) -> dict[str, str]:
    search = getattr(router, "search", None) or ""
    return {k: v[-1] for k, v in parse_qs(search).items()}


@solara.component
def Dashboard(session: Session):
    lang = session.lang.value
    solara.Title(t("title", lang))
    with solara.Sidebar():
        Sidebar(session)
    with solara.Column(style={"padding": "0 12px"}, gap="6px"):
        with solara.Row(style={"align-items": "center"}, classes=["sanzhi-header"]):
            solara.Text(t("subtitle", lang), style={"font-size": "1.05em", "color": "#444"})
            solara.v.Spacer()
            LanguageSwitch(session)
        Message(session)
        # lazy: only the open tab renders, so a step does not redraw hidden charts.
        with solara.lab.Tabs(value=session.tab, lazy=True):
            with solara.lab.Tab(t("tab_live", lang), classes=["sanzhi-tab-live"]):
                LiveTab(session)
            with solara.lab.Tab(t("tab_compare", lang), classes=["sanzhi-tab-compare"]):
                CompareTab(session)
            with solara.lab.Tab(t("tab_guide", lang), classes=["sanzhi-tab-guide"]):
                GuideTab(session)


@solara.component
def Page():
    router = solara.use_router()
    query = _query(router)
    # One session object per browser session: never create the model at module level.
    lang = query.get("lang", "en")
    session = solara.use_memo(lambda: Session(lang=lang if lang in LANGS else "en"), [])

    def load_from_url() -> None:
        name = query.get("scenario")
        if name:
            load_scenario_into(session, name)

    solara.use_effect(load_from_url, [])
    Dashboard(session)
