"""Sanzhi's dashboard for instructors: ``sanzhi dashboard``.

This module only wires components together, as Mesa's examples do.

Why a custom Solara page and not Mesa's ``SolaraViz``: SolaraViz owns the page layout, the
model-parameter sidebar and the play loop, and builds a new model from its sliders. This
dashboard needs things it cannot do cleanly: a language switch that relabels every control
and chart (SolaraViz's labels are fixed at construction), a compare tab that steps two
models side by side, a scenario picker that loads files into the sliders, levers that
apply from the current day to the running model (marked on the charts, with saved states
to rewind to) or replay the same seed as if always so (the previous run dashed), a play
loop that waits for the browser (``dashboards.player``), presenter mode with a guided tour,
and blitted matplotlib views that keep a frame under 200 ms. The model is still an
ordinary Mesa model stepped through ``model.step()`` and read through its ``DataCollector``.

The page's state is in its address (``dashboards.link``): ``?lang=zh`` opens in Chinese,
``?scenario=NAME`` loads ``scenarios/NAME`` (teaching scenarios only, none above the
live-class size), and a reload restores the demonstration.
"""

from __future__ import annotations

from pathlib import Path

import reacton.ipyvuetify as rv
import solara
import solara.lab

from .bridge import UrlSync, Viewport
from .compare import CompareTab
from .controls import Header, Message, Sidebar
from .i18n import t
from .link import decode
from .presenter import PresenterView
from .session import PHONE_WIDTH, Session, live_sessions
from .settings import settings
from .views import GuideTab, LiveTab

STYLE = Path(__file__).with_name("style.css")


@solara.component
def Layout(children: list = []):  # noqa: B006 (Solara passes the page as children)
    """No Solara app bar or drawer: the page lays itself out (``style.css``), so that the
    phone layout keeps its menu button in reach and presenter mode owns the screen."""
    solara.Style(STYLE)
    solara.Div(children=children)


@solara.component
def Tabs(session: Session):
    lang = session.lang.value
    # lazy: only the open tab renders, so a frame does not redraw hidden charts.
    with solara.lab.Tabs(value=session.tab.value, on_value=session.set_tab, lazy=True):
        with solara.lab.Tab(t("tab_live", lang), classes=["sanzhi-tab-live"]):
            LiveTab(session)
        with solara.lab.Tab(t("tab_compare", lang), classes=["sanzhi-tab-compare"]):
            CompareTab(session)
        with solara.lab.Tab(t("tab_guide", lang), classes=["sanzhi-tab-guide"]):
            GuideTab(session)


@solara.component
def Address(session: Session):
    """The address bar follows the state, except while playing (a new day each frame)."""
    _ = (session.live.value, session.compared.value, session.levers_version.value)
    playing = session.playing.value or session.compare_playing.value
    last = solara.use_ref("")
    if not playing:
        last.current = session.query()
    UrlSync(query=last.current)


@solara.component
def Scrim(session: Session):
    """Behind the open drawer on a phone: a tap closes the drawer."""
    scrim = rv.Html(tag="div", class_="sanzhi-scrim")
    rv.use_event(scrim, "click", lambda *_: session.side_open.set(False))


@solara.component
def Dashboard(session: Session):
    lang = session.lang.value
    presenter = session.view.value == "presenter"
    narrow = session.width.value <= PHONE_WIDTH
    toggled = session.side_open.value
    classes = ["sanzhi-shell", f"lang-{lang}"]
    if presenter:
        classes.append("sanzhi-presenter")
    if toggled:
        classes.append("side-open" if narrow else "side-hidden")
    solara.Title(t("title", lang))
    with solara.Div(classes=classes):
        Header(session)
        with solara.Div(classes=["sanzhi-body"]):
            if not presenter:
                with solara.Div(classes=["sanzhi-side"]):
                    Sidebar(session)
                Scrim(session)
            with solara.Div(classes=["sanzhi-main"]):
                Message(session)
                if presenter:
                    PresenterView(session)
                else:
                    Tabs(session)
        Viewport(event_resized=session.resized)
        Address(session)


@solara.component
def Full():
    lang = "en"
    with solara.Div(style={"padding": "40px", "max-width": "720px"}):
        solara.HTML(
            tag="h2", unsafe_innerHTML=t("full_title", lang) + " · " + t("full_title", "zh")
        )
        for lang in ("en", "zh"):
            solara.Text(t("full_text", lang).format(n=settings().max_sessions))


@solara.component
def Page():
    router = solara.use_router()
    search = router.search
    # One session per browser page, made here, never at module level; none beyond the cap.
    session = solara.use_memo(
        lambda: (
            Session(decode(search)[0].lang) if live_sessions() < settings().max_sessions else None
        ),
        [],
    )

    def start():
        if session is not None:
            session.restore(search)
            return session.close  # the page is gone: free its models

    solara.use_effect(start, [])
    if session is None:
        Full()
    else:
        Dashboard(session)
