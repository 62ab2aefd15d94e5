"""The play loop on its own (no Solara, no browser): a fake run and a fake browser that puts
frames on screen after a delay. No assertion here is on speed or time, only on order:
what the loop may do before the browser has answered."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from dashboards.player import Player


class FakeRun:
    """A run that counts days, a page that counts frames, and a browser that reports each
    frame on screen ``delay`` seconds after it was rendered."""

    def __init__(self, delay: float = 0.0, fail_at: int | None = None) -> None:
        self.delay, self.fail_at = delay, fail_at
        self.day = 0
        self.frames: list[tuple[int, int]] = []  # (frame, day shown)
        self.in_flight: list[int] = []  # frames rendered and not yet on screen, at each show
        self.lock = threading.Lock()
        self.on_screen = 0
        self.ended: list[int] = []  # the number of frames rendered when the end was reported
        self.player = Player(
            self.step,
            self.show,
            lambda: self.speed,
            on_end=lambda: self.ended.append(len(self.frames)),
        )
        self.speed = 60.0
        self.stepped_after_stop = 0
        self.gate = threading.Event()  # cleared: a step waits for it (a day that takes long)
        self.gate.set()
        self.at_gate = threading.Event()

    def step(self, days: int, running: threading.Event) -> int:
        if not self.gate.is_set():
            self.at_gate.set()
            self.gate.wait()
        done = 0
        for _ in range(days):
            if not running.is_set():
                break
            if self.fail_at is not None and self.day >= self.fail_at:
                raise RuntimeError("the model broke")
            self.day += 1
            done += 1
        return done

    def show(self, achieved: float) -> int:
        with self.lock:
            number = len(self.frames) + 1
            self.in_flight.append(number - 1 - self.on_screen)
            self.frames.append((number, self.day))
        threading.Timer(self.delay, self.browser, args=(number,)).start()
        return number

    def browser(self, number: int) -> None:
        with self.lock:
            self.on_screen = max(self.on_screen, number)
        self.player.shown(number)


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        time.sleep(0.01)


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.3])
def test_a_frame_is_rendered_only_once_the_last_is_on_screen(delay):
    run = FakeRun(delay)
    run.player.start()
    wait_for(lambda: len(run.frames) >= 8)
    run.player.stop()
    run.player.join(10)
    assert max(run.in_flight) == 0  # never a frame rendered while another was in flight
    days = [day for _, day in run.frames]
    assert days == sorted(days) and days[-1] == run.day  # the last frame shows the last day


def test_a_slow_browser_drops_frames_not_days():
    run = FakeRun(delay=0.3)
    run.player.start()
    wait_for(lambda: len(run.frames) >= 5)
    run.player.stop()
    run.player.join(10)
    days = [day for _, day in run.frames]
    # several days a frame: the days due while the browser drew were stepped, not queued
    assert max(b - a for a, b in itertools.pairwise(days)) > 1


def test_pause_steps_no_day_more_and_shows_where_it_stopped():
    run = FakeRun(delay=0.05)
    run.player.start()
    wait_for(lambda: len(run.frames) >= 3)
    run.player.stop()
    stopped, frames = run.day, len(run.frames)
    run.player.join(10)
    assert run.day - stopped <= 1  # the day in progress, no more
    assert len(run.frames) - frames <= 1  # at most one frame more: where it stopped
    assert run.frames[-1][1] == run.day
    time.sleep(0.3)
    assert run.day == run.frames[-1][1] and not run.player.playing


def test_the_end_is_reported_once_after_the_last_frame():
    # A page shows Play again on the end: the day it stops at must be rendered by then.
    run = FakeRun(delay=0.05)
    run.player.start()
    wait_for(lambda: len(run.frames) >= 3)
    run.player.stop()
    run.player.join(10)
    assert run.ended == [len(run.frames)]
    assert run.frames[-1][1] == run.day


def test_pause_with_nothing_playing_reports_the_end_at_once():
    run = FakeRun()
    run.player.stop()
    assert run.ended == [0]


def test_a_run_superseded_by_play_does_not_report_its_end():
    run = FakeRun()
    run.player.start()
    wait_for(lambda: run.day > 0)
    run.gate.clear()
    assert run.at_gate.wait(30)  # the first loop is in the middle of a day
    run.player.stop()
    run.player.start()  # Play before the first loop has ended
    run.gate.set()
    day = run.day
    wait_for(lambda: run.day > day + 5)
    assert run.player.playing and run.ended == []
    run.player.stop()
    run.player.join(10)
    assert len(run.ended) == 1


def test_play_right_after_pause_plays():
    run = FakeRun()
    run.player.start()
    wait_for(lambda: run.day > 0)
    run.player.stop()
    run.player.start()  # the ending run must not swallow this
    day = run.day
    wait_for(lambda: run.day > day + 5)
    run.player.stop()
    run.player.join(10)


def test_a_run_that_fails_stops_and_says_why():
    errors = []
    run = FakeRun(fail_at=3)
    run.player._on_error = errors.append
    run.player.start()
    run.player.join(30)
    assert not run.player.playing
    assert [str(e) for e in errors] == ["the model broke"]


def test_the_achieved_speed_is_never_shown_above_the_requested():
    run = FakeRun()
    run.speed = 30.0
    run.player.start()
    wait_for(lambda: len(run.frames) >= 10)
    run.player.stop()
    run.player.join(10)
    assert 0 < run.player.achieved <= 30.0
