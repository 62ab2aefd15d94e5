"""Everything one browser session owns, and every action on it.

Created once per session with ``solara.use_memo`` inside the page (never at module level,
which would share one model between every browser). Components read the reactive values
and call the actions here; the guided tour calls the same actions, so a control always
shows what the model runs with, whoever changed it. Components that read a reactive
re-render when it changes, so a frame re-renders the views and the day counter only, not
the forty lever sliders.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import solara

from experiments.errors import InputError
from sim.params import ParameterError
from sim.timeline import why_fixed

from .cards import TRENDS
from .figures import ComparePlot, GridMapPlot, NetworkPlot, SeriesPlot, compose, marks_of
from .library import Refused, default_params, readable
from .link import TABS, Link, decode, encode
from .player import Player
from .state import Comparison, Mark, Simulation, lever

PHONE_WIDTH = 760  # CSS pixels; style.css switches to the phone layout at the same width
WIDE_WIDTH = 1700  # a projector or a large screen: map, network and trends in one row

# Every live session, for the server's cap on sessions (settings.max_sessions).
LIVE: weakref.WeakSet[Session] = weakref.WeakSet()
_LIVE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Notice:
    """The message shown above the tabs. Kept as translation keys, not text, so that it
    follows the language switch; the empty notice shows nothing."""

    kind: Literal["", "success", "error", "warning"] = ""
    head: str = ""  # i18n key
    detail: str = ""  # shown as it is: a file name or an error message
    reason: str = ""  # i18n key, or empty
    extra: str = ""  # shown after the reason (a limit, say)


@dataclass(frozen=True)
class Frame:
    """One frame of a run's views: its number (the browser reports it back when it is on
    screen) and the achieved speed of the play loop that made it (nan when not playing)."""

    number: int = 0
    achieved: float = math.nan


class Session:
    def __init__(self, lang: str = "en") -> None:
        self.sim = Simulation()
        self.compare = Comparison(self.sim.params, self.sim.seed)
        self.grid_map, self.network, self.series = GridMapPlot(), NetworkPlot(), SeriesPlot()
        self.compare_plot = ComparePlot()
        self.lang = solara.reactive(lang)
        self.view = solara.reactive("classic")  # "classic" or "presenter"
        self.tab = solara.reactive(0)  # index into link.TABS
        self.live = solara.reactive(Frame())  # the live views re-render on each new frame
        self.compared = solara.reactive(Frame())  # the compare chart likewise
        self.levers_version = solara.reactive(0)  # the sidebar's controls re-render on it
        self.playing = solara.reactive(False)
        self.compare_playing = solara.reactive(False)
        self.speed = solara.reactive(10)  # days per second, for both players
        self.message = solara.reactive(Notice())
        self.map_metric = solara.reactive("trust")
        self.network_colour = solara.reactive("norm")
        self.network_grid = solara.reactive(0)
        self.side_open = solara.reactive(False)  # the sidebar drawer on a narrow screen
        self.width = solara.reactive(1280)  # the window's width in CSS pixels
        self.tour = solara.reactive(-1)  # the guided tour's step; -1: not touring
        self.tour_busy = solara.reactive(False)  # a step is setting the page up
        self.player = Player(
            self.sim.step,
            self._show_live,
            self._speed,
            on_error=lambda e: self._stopped(e, "live"),
            on_end=lambda: self._ended(self.player, self.playing),
        )
        self.compare_player = Player(
            self.compare.step,
            self._show_compare,
            self._speed,
            on_error=lambda e: self._stopped(e, "compare"),
            on_end=lambda: self._ended(self.compare_player, self.compare_playing),
        )
        self._play_lock = threading.Lock()  # Play and a loop's end: one at a time
        self.closed = False
        with _LIVE_LOCK:
            LIVE.add(self)

    # --- frames

    def _speed(self) -> float:
        return float(self.speed.value)

    def _show_live(self, achieved: float) -> int:
        frame = Frame(self.live.value.number + 1, achieved)
        self.live.value = frame
        return frame.number

    def _show_compare(self, achieved: float) -> int:
        frame = Frame(self.compared.value.number + 1, achieved)
        self.compared.value = frame
        return frame.number

    def changed(self) -> None:
        """The live run changed (not by the play loop): redraw its views."""
        self.player.rendered(self._show_live(math.nan))

    def compare_changed(self) -> None:
        self.compare_player.rendered(self._show_compare(math.nan))

    # --- messages

    def notify(self, kind: str, head: str, detail: str = "", reason: str = "", extra: str = ""):
        self.message.value = Notice(kind, head, detail, reason, extra)

    def refused(self, err: Exception, head: str = "lever_error") -> None:
        """Show why a request was not carried out: readable, without the server's paths."""
        if isinstance(err, Refused):
            self.notify("error", "refused", err.name, err.reason, err.detail)
        else:
            self.notify("error", head, readable(err))

    def _ended(self, player: Player, playing: solara.Reactive) -> None:
        """A play loop ended; Play shows again unless Play was pressed meanwhile."""
        with self._play_lock:
            if not player.playing:
                playing.value = False

    def _stopped(self, err: Exception, which: str) -> None:
        (self.playing if which == "live" else self.compare_playing).value = False
        self.refused(err, "play_error")

    def apply(self, action: Callable[[], Any], *, quiet: bool = False) -> bool:
        """Carry out a change of the levers, seed or scenario; a refusal becomes the message
        and changes nothing. The Compare tab's runs follow the sidebar."""
        try:
            action()
        except (ParameterError, InputError, Refused) as err:
            self.refused(err)
            self.levers_version.value += 1  # a control moved to a refused value moves back
            return False
        if not quiet:
            self.message.value = Notice()
        self.levers_version.value += 1
        self.changed()
        if TABS[self.tab.value] == "compare":
            self.follow_sidebar()
        return True

    # --- the live run

    def step(self, days: int = 1) -> None:
        self.sim.step(days)
        self.changed()

    def reset(self) -> None:
        self.pause()
        self.sim.reset()
        self.changed()

    def play(self) -> None:
        self.compare_pause()
        with self._play_lock:
            self.player.start()
            self.playing.value = True

    def pause(self) -> None:
        """No day is stepped after this; Play shows again once the day it stopped at does."""
        self.player.stop()

    def set_levers(self, values: dict[str, Any], mode: str | None = None) -> bool:
        """Move levers, from today or as if always so (the session's mode unless ``mode``
        says); a lever that cannot change mid-run says it was replayed from day 0."""
        how: list[str] = []
        ok = self.apply(lambda: how.append(self.sim.set_values(values, mode)))
        if ok and how == ["fixed"]:
            self.notify("warning", "lever_fixed_head", ", ".join(values), "lever_fixed")
        return ok

    def set_mode(self, mode: str | None) -> None:
        """How a moved lever applies from now on: ``"today"`` or ``"always"``."""
        if mode:
            self.sim.set_mode(mode)
        self.levers_version.value += 1  # a click on the chosen button leaves it chosen

    def rewind(self, day: int) -> bool:
        """Back to the marked ``day``, paused there (a state no longer kept is refused)."""
        self.pause()

        def back() -> None:
            if day not in self.sim.saved:
                raise Refused(f"{day}", "mark_dropped")
            self.sim.rewind(day)

        return self.apply(back)

    def set_seed(self, seed: Any) -> bool:
        return self.apply(lambda: self.sim.set_seed(seed))

    def default_levers(self) -> bool:
        """The model's default levers in the class town, seed kept (the sliders follow)."""
        return self.apply(lambda: self.sim.set_params(default_params()))

    def load_scenario(self, name: str, *, from_link: bool = False) -> bool:
        ok = self.apply(lambda: self.sim.load_scenario(name, from_link=from_link), quiet=True)
        if ok:
            self.notify("success", "scenario_loaded", name)
        return ok

    # --- the Compare tab

    def follow_sidebar(self) -> None:
        """Compare's runs start from the sidebar's levers and seed, as its help says."""
        with self.compare.lock:
            if self.compare.follow(self.sim.params, self.sim.seed):
                self.compare_changed()

    def compare_step(self, days: int) -> None:
        self.follow_sidebar()
        self.compare.step(days)
        self.compare_changed()

    def compare_reset(self) -> None:
        self.compare_pause()
        self.follow_sidebar()
        self.compare.reset()
        self.compare_changed()

    def compare_play(self) -> None:
        self.pause()
        self.follow_sidebar()
        with self._play_lock:
            self.compare_player.start()
            self.compare_playing.value = True

    def compare_pause(self) -> None:
        self.compare_player.stop()

    def set_preset(self, side: str, preset: str) -> None:
        self.compare_pause()
        self.follow_sidebar()
        self.compare.set_preset(side, preset)
        self.compare_changed()

    # --- page

    def figure_layout(self) -> str:
        """The shape figures are drawn in: for presenter mode, a phone, a projector-wide
        window (``wide``) or a laptop (``classic``)."""
        if self.view.value == "presenter" and self.width.value > PHONE_WIDTH:
            return "presenter"
        if self.width.value <= PHONE_WIDTH:
            return "phone"
        return "wide" if self.width.value >= WIDE_WIDTH else "classic"

    def resized(self, size: dict) -> None:
        width = int(size.get("width") or 0)
        if width > 0 and width != self.width.value:
            self.width.value = width

    def series_args(self) -> tuple:
        """What the trends figure draws: the quantities, today's run, the previous run (its
        id) and the marks. Call under ``sim.lock``."""
        sim = self.sim
        current = {q.key: q.series(sim.model) for q in TRENDS}
        marks = marks_of(sim.shown_marks())
        return TRENDS, current, self.previous_trends(), id(sim.previous), marks

    def figures_png(self) -> bytes:
        """The figures on screen (the map, the network unless in presenter mode, the trends)
        as one PNG at twice the screen's resolution, in the page's language: for slides."""
        lang, layout = self.lang.value, self.figure_layout()
        grid_map, series = GridMapPlot(), SeriesPlot()
        top = [grid_map]
        with self.sim.lock:
            model = self.sim.model
            grid_map.render(model, self.map_metric.value, layout=layout, lang=lang)
            if self.view.value != "presenter":
                network = NetworkPlot()
                network.layouts = self.network.layouts  # the spring layouts already made
                grid = min(self.network_grid.value, model.layout.n_grids - 1)
                network.render(model, grid, self.network_colour.value, layout=layout, lang=lang)
                top.append(network)
            series.render(*self.series_args(), layout=layout, lang=lang)
        return compose([[plot.export() for plot in top], [series.export()]])

    def export_name(self) -> str:
        return f"sanzhi-day-{self.sim.day}-{self.lang.value}.png"

    def previous_trends(self) -> dict[str, Any] | None:
        """The trend panels' values of the run before the last lever change."""
        previous = self.sim.previous
        if previous is None:
            return None
        return {q.key: q.values(previous.data, previous.households) for q in TRENDS}

    def go_to_step(self, index: int) -> None:
        """Show tour step ``index`` (-1 ends the tour). Its narration shows at once; the
        page is set up in a thread, as replaying a year takes seconds."""
        from .tour import STEPS

        if self.tour_busy.value:
            return
        if index < 0:
            self.tour.value = index
            return
        self.tour_busy.value = True  # first: the new step shows as busy until it is set up
        self.tour.value = index
        self.view.value = "presenter"

        def run() -> None:
            try:
                STEPS[index].apply(self)
            except Exception as err:  # a step that fails says so and leaves the page as it is
                self.refused(err, "play_error")
            finally:
                self.tour_busy.value = False

        threading.Thread(target=run, name="sanzhi-tour", daemon=True).start()

    def set_view(self, view: str) -> None:
        """Presenter mode or the full controls; leaving presenter mode ends the tour."""
        if view == "classic":
            self.tour.value = -1
        self.view.value = view

    def set_tab(self, index: int) -> None:
        """Switch tabs; a tab that is not shown does not play (nobody would see its frames)."""
        if TABS[index] != "live":
            self.pause()
        if TABS[index] != "compare":
            self.compare_pause()
        self.tab.value = index
        if TABS[index] == "compare":
            self.follow_sidebar()

    def link(self) -> Link:
        """The state a link restores (see ``dashboards.link``)."""
        sim, cmp = self.sim, self.compare
        return Link(
            lang=self.lang.value,
            view=self.view.value,
            tab=TABS[self.tab.value],
            scenario=sim.scenario,
            seed=None if sim.seed == sim.base.scenario.seed else sim.seed,
            levers=sim.changes(),
            marks=tuple(sim.marks),
            mode=sim.mode,
            day=sim.day,
            a=cmp.presets["a"],
            b=cmp.presets["b"],
            compare_day=cmp.day,
            tour=self.tour.value if self.tour.value >= 0 else None,
        )

    def query(self) -> str:
        return encode(self.link())

    def restore(self, search: str | None) -> None:
        """Open the state a link describes; what it may not ask is refused with a message,
        the rest applied."""
        link, refused = decode(search)
        self.lang.value = link.lang
        self.view.value = link.view
        if link.scenario:
            try:
                self.sim.load_scenario(link.scenario, from_link=True)
            except (Refused, InputError) as err:
                refused.append(err if isinstance(err, Refused) else Refused(link.scenario, ""))
        try:
            if link.seed is not None:
                self.sim.set_seed(link.seed)
        except ParameterError as err:
            refused.append(Refused(f"seed={link.seed}", "link_bad_number", readable(err)))
        values = {}
        for key, value in link.levers.items():
            if why := self._unlinkable(key, value, mid_run=False):
                refused.append(Refused(f"{key}={value}", *why))
            else:
                values[key] = value
        try:
            self.sim.set_values(values)
        except ParameterError as err:
            refused.append(Refused(err.key, "link_bad_value", readable(err)))
        marks = []
        for mark in link.marks:
            kept = {}
            for key, value in mark.values.items():
                if why := self._unlinkable(key, value):
                    refused.append(Refused(f"{key}:{mark.day}={value}", *why))
                else:
                    kept[key] = value
            marks.append(Mark(mark.day, kept))
        try:
            if any(mark.values for mark in marks):
                self.sim.replay(marks, link.day)
        except ParameterError as err:
            refused.append(Refused(err.key, "link_bad_value", readable(err)))
        self.sim.run_to(link.day)
        self.sim.set_mode(link.mode)
        self.sim.previous = None
        self.compare.presets.update(a=link.a, b=link.b)
        self.compare.follow(self.sim.params, self.sim.seed)
        self.compare.reset()
        self.compare.step(link.compare_day)
        self.tab.value = TABS.index(link.tab)
        if link.tour is not None:
            self.tour.value = link.tour
        self.levers_version.value += 1
        self.changed()
        self.compare_changed()
        if refused:
            self.refused(refused[0])
        elif link.scenario:
            self.notify("success", "scenario_loaded", link.scenario)

    @staticmethod
    def _unlinkable(key: str, value: Any, mid_run: bool = True) -> tuple[str, str] | None:
        """Why a link may not set lever ``key`` to ``value`` (a reason key and detail), if
        it may not: beyond its slider's range, or, mid-run, a lever that cannot change."""
        spec = lever(key)
        low, high = spec.low, spec.high
        if low is not None and not (isinstance(value, int | float) and low <= value <= high):
            return "link_out_of_range", f"{low:g}–{high:g}"
        if mid_run and why_fixed(key):
            return "link_bad_value", why_fixed(key)
        return None

    def close(self) -> None:
        """The page is gone: stop playing, free the models."""
        if self.closed:
            return
        self.closed = True
        self.player.stop()
        self.compare_player.stop()
        self.player.join(5)
        self.compare_player.join(5)
        self.sim.close()
        self.compare.close()
        with _LIVE_LOCK:
            LIVE.discard(self)


def live_sessions() -> int:
    with _LIVE_LOCK:
        return sum(1 for s in LIVE if not s.closed)
