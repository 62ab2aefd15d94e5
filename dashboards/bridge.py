"""What the browser tells the server and the server tells the browser, beyond widgets: a
frame is on screen (``frame_ack.vue``), the window's size (``viewport.vue``), the address
bar's query (``url_sync.vue``). Each is a hidden Vue component."""

from __future__ import annotations

from collections.abc import Callable

import solara


@solara.component_vue("frame_ack.vue")
def FrameAck(frame: int, selector: str, event_shown: Callable[[int], None]):
    """Calls ``event_shown(frame)`` once the images matching ``selector`` show ``frame``."""


@solara.component_vue("viewport.vue")
def Viewport(event_resized: Callable[[dict], None]):
    """Calls ``event_resized({"width": ..., "height": ...})`` at the start and on resizes."""


@solara.component_vue("url_sync.vue")
def UrlSync(query: str):
    """Keeps the address bar's query string at ``query`` (without a navigation)."""
