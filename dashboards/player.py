"""The play loop: a run stepped at the requested speed, never ahead of the browser.

Why it cannot outrun the browser: Solara renders a state change in the thread that makes
it, or, while another thread is rendering, leaves it to that thread, which then renders
again (reacton allows about 100 such passes before it gives up with "Too many renders
triggered"). A loop that changes state on a timer therefore queues frames on the server
and in the browser whenever either is slower than the timer: Play freezes, Pause waits
behind the queue. Here a frame is shown only after the browser has reported the previous
one on screen (``frame_ack.vue``: its images decoded and painted), so at most one frame is
ever in flight. The days that fall due meanwhile are stepped all at once before the next
frame (frames are dropped, the speed is kept), up to :data:`CATCH_UP_SECONDS` of play per
frame; beyond that the machine cannot keep up, and the achieved speed, shown beside the
requested one, says so. Pause clears the run's flag, which the model checks before every
day, and the loop then shows the day it stopped at: one frame at most. Only then does it
report the run ended (``on_end``), so a page that shows Play again already shows the day it
will stay on.
"""

from __future__ import annotations

import collections
import logging
import math
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

MAX_FPS = 10.0  # frames a second: more is lost on a projector and costs CPU
CATCH_UP_SECONDS = 1.0  # the most play time one frame may step
ACK_TIMEOUT = 30.0  # a browser that never reports (a lost message) gets the next frame then
SPEED_WINDOW = 5.0  # seconds the achieved speed is measured over

Step = Callable[[int, threading.Event], int]  # (days, running) -> days stepped
Show = Callable[[float], int]  # (achieved days a second) -> the frame number it renders


class Player:
    """Plays a run: ``step`` advances the model, ``show`` renders a frame (and returns its
    number), ``speed`` is the requested days a second. :meth:`shown` is called with the
    number of each frame the browser has put on screen."""

    def __init__(
        self,
        step: Step,
        show: Show,
        speed: Callable[[], float],
        on_error: Callable[[Exception], None] | None = None,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        self._step, self._show, self._speed = step, show, speed
        self._on_error, self._on_end = on_error, on_end
        self._cond = threading.Condition()
        self._sent = 0  # the last frame the loop rendered
        self._shown = 0  # the last frame the browser reported on screen
        self._running = threading.Event()  # the current run's flag (a new one per Play)
        self._thread: threading.Thread | None = None
        self.achieved = math.nan  # days a second over the last SPEED_WINDOW seconds
        self.frames = 0  # frames shown by the loop (for tests)
        self.timings: dict[str, float] = {}  # seconds the last frame spent in each phase

    @property
    def playing(self) -> bool:
        return self._running.is_set()

    def start(self) -> None:
        """Play (no-op while playing). Each run has its own flag, so a run that is just
        ending cannot swallow the next Play."""
        with self._cond:
            if self._running.is_set():
                return
            self._running = running = threading.Event()
            running.set()
            self._sent = self._shown  # nothing in flight at the start
        # Created here, in the page's event handler, the thread inherits the page's Solara
        # context (Solara patches threading.Thread), so its state changes reach that page.
        self._thread = threading.Thread(
            target=self._run, args=(running,), name="sanzhi-player", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Pause: no day is stepped after this returns but the one in progress. The loop
        reports the end once its last frame is rendered; with no loop going, this does."""
        with self._cond:
            self._running.clear()
            self._cond.notify_all()
            thread = self._thread
        if thread is None or not thread.is_alive():
            self._ended()

    def shown(self, frame: int) -> None:
        """The browser has frame ``frame`` on screen."""
        with self._cond:
            if frame > self._shown:
                self._shown = frame
                self._cond.notify_all()

    def rendered(self, frame: int) -> None:
        """A frame rendered by something else (a click on Step): the loop waits for it too."""
        with self._cond:
            self._sent = max(self._sent, frame)

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _wait(self, running: threading.Event, until: Callable[[], bool], timeout: float) -> None:
        with self._cond:
            self._cond.wait_for(lambda: until() or not running.is_set(), timeout)

    def _run(self, running: threading.Event) -> None:
        clock = time.monotonic
        history: collections.deque[tuple[float, int]] = collections.deque()
        started = clock()
        speed = float(self._speed())
        owed_from = started  # play time before this has been stepped
        last_frame = -math.inf
        unshown = 0  # days stepped since the last frame
        try:
            while running.is_set():
                # 1. The browser shows the last frame: one frame in flight at most.
                waited = clock()
                self._wait(running, lambda: self._shown >= self._sent, ACK_TIMEOUT)
                self.timings["ack"] = clock() - waited
                if not running.is_set():
                    break
                # 2. A day is due, and the frame rate allows a frame.
                now = clock()
                requested = max(float(self._speed()), 1e-3)
                if requested != speed:
                    speed, owed_from = requested, now  # a new speed counts from now
                due_at = max(owed_from + 1.0 / speed, last_frame + 1.0 / MAX_FPS)
                if now < due_at:
                    self._wait(running, lambda: False, due_at - now)
                    continue
                # 3. Step what is due, up to CATCH_UP_SECONDS of play; the rest is dropped.
                owed_from = max(owed_from, now - CATCH_UP_SECONDS)
                days = int((now - owed_from) * speed)
                stepped = self._step(days, running)
                self.timings["step"] = clock() - now
                owed_from += stepped / speed
                unshown += stepped
                after = clock()
                history.append((after, stepped))
                while history and history[0][0] < after - SPEED_WINDOW:
                    history.popleft()
                span = after - max(started, after - SPEED_WINDOW)
                # Catching up after a slow frame steps faster than asked for a moment; what
                # the class should read is whether the asked speed is kept.
                measured = sum(d for _, d in history) / span if span > 0 else math.nan
                self.achieved = min(measured, speed)
                if not running.is_set():
                    break  # the final frame below shows where Pause stopped the run
                # 4. Show it.
                self._frame()
                unshown, last_frame = 0, after
            if unshown:
                self._frame()
        except Exception as err:  # a failing run stops; the page says why
            logger.exception("play loop stopped")
            running.clear()
            if self._on_error is not None:
                self._on_error(err)
        with self._cond:
            superseded = self._running is not running  # Play again before this run ended
        if not superseded:
            self._ended()

    def _ended(self) -> None:
        if self._on_end is not None:
            self._on_end()

    def _frame(self) -> None:
        began = time.monotonic()
        frame = self._show(self.achieved)
        self.timings["render"] = time.monotonic() - began
        logger.debug("frame %d: %s", frame, {k: round(v, 3) for k, v in self.timings.items()})
        self.frames += 1
        with self._cond:
            self._sent = max(self._sent, frame)
