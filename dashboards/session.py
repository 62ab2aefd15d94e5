"""Everything one browser session owns: its models, live plots and reactive UI state.

Created once per session with ``solara.use_memo`` inside the page (never at module level,
which would share one model between every browser). Components that read a reactive
re-render when it changes, so a step re-renders the views and the day counter only, not
the forty lever sliders.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from typing import Literal

import reacton.core
import solara

from .figures import GridMapPlot, NetworkPlot, SeriesPlot
from .state import Comparison, Simulation


@dataclass(frozen=True)
class Notice:
    """The message shown above the tabs. Kept as translation keys, not text, so that it
    follows the language switch; the empty notice shows nothing."""

    kind: Literal["", "success", "error"] = ""
    head: str = ""  # i18n key
    detail: str = ""  # shown as it is: a file name or an error message
    reason: str = ""  # i18n key, or empty


class Session:
    def __init__(self, lang: str = "en") -> None:
        self.sim = Simulation()
        self.compare = Comparison(self.sim.params, self.sim.seed)
        self.grid_map, self.network, self.series = GridMapPlot(), NetworkPlot(), SeriesPlot()
        self.lang = solara.reactive(lang)
        self.version = solara.reactive(0)  # bumped after every change to the live model
        self.levers_version = solara.reactive(0)  # bumped when levers change as a whole
        self.compare_version = solara.reactive(0)
        self.playing = solara.reactive(False)
        self.compare_playing = solara.reactive(False)
        self.speed = solara.reactive(10)  # days per second
        self.message = solara.reactive(Notice())
        self.map_metric = solara.reactive("trust")
        self.network_colour = solara.reactive("norm")
        self.network_grid = solara.reactive(0)
        self.tab = solara.reactive(0)
        # Set while a play loop may step; cleared by Pause before the loop even wakes up.
        self.running = threading.Event()
        self.compare_running = threading.Event()

    def changed(self) -> None:
        with _batch():
            self.version.value += 1

    def compare_changed(self) -> None:
        with _batch():
            self.compare_version.value += 1


def _batch():
    """Group the re-renders that one change triggers into a single render pass."""
    rc = reacton.core.get_render_context(required=False)
    return rc if rc is not None else contextlib.nullcontext()
