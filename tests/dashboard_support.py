"""What the dashboard's browser tests share: the real server (the launcher's command) on
127.0.0.1, Debian's chromium driven by Playwright, a bounded CPU hog, page helpers.

Screenshots go to ``test-artefacts/`` at the repository root. Without /usr/bin/chromium the
browser tests skip on a developer machine but fail in CI (``CI`` set), where `.ci/run`
installs it. Waits are on conditions in the page, with generous timeouts, never on time:
the tests must pass on a machine whose two cores are busy.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from experiments.cli.dashboard import ROOT, command, environment

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = ROOT / "test-artefacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # A busy machine must not make chromium treat the page as in the background: the page
    # reports frames from requestAnimationFrame.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
LONG = 180_000  # ms: the longest any single condition may take on a busy machine


def playwright():
    """Playwright's sync API, or a skip (a failure in CI) when chromium is missing."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI: {CHROMIUM} is missing (.ci/run installs it with apt)", pytrace=False)
        pytest.skip(f"{CHROMIUM} not installed (set CI to make this a failure)")
    if os.environ.get("CI"):
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    return sync_api


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's chromium under Playwright, headless (a module fixture's browser)."""
    with playwright().sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The dashboard server, started as ``sanzhi dashboard`` starts it."""

    def __init__(self, name: str, **options) -> None:
        ARTEFACTS.mkdir(exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = ARTEFACTS / f"{name}-server.log"
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            command("127.0.0.1", self.port, **options),
            env=environment(),
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                pytest.fail(
                    f"dashboard server exited with {self.proc.returncode}; see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"dashboard server did not answer within {timeout:.0f} s")
            time.sleep(0.3)

    def resources(self) -> dict:
        """Solara's own account of its kernels and websockets (``/resourcez``)."""
        with urllib.request.urlopen(self.url + "resourcez", timeout=10) as response:
            return json.load(response)

    def rss_mb(self) -> float:
        import psutil

        return psutil.Process(self.proc.pid).memory_info().rss / 2**20

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.log.close()


@contextlib.contextmanager
def server(name: str, **options) -> Iterator[Server]:
    s = Server(name, **options)
    try:
        yield s
    finally:
        s.stop()


HOG = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


@contextlib.contextmanager
def cpu_hog(seconds: float = 600) -> Iterator[list[subprocess.Popen]]:
    """One busy process per core for the block (and never longer than ``seconds``, even if
    the test process dies without stopping them)."""
    procs = [
        subprocess.Popen([sys.executable, "-c", HOG.format(seconds=seconds)])
        for _ in range(os.cpu_count() or 2)
    ]
    try:
        yield procs
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait(10)


# In the page: is every frame the server sent on screen (each acknowledgement's frame
# reported back)? And a monitor of the frames in flight and of the day counter's changes.
SETTLED = """() => {
    const acks = [...document.querySelectorAll('.sanzhi-frame-ack')]
        .filter(a => a.parentElement && a.parentElement.getClientRects().length > 0);
    return acks.length > 0 && acks.every(a => a.dataset.shown === a.dataset.frame);
}"""
MONITOR = """() => {
    if (window.__sanzhi) return;
    const m = window.__sanzhi = {inFlight: 0, changes: [], mark: null};
    const check = () => {
        for (const a of document.querySelectorAll('.sanzhi-frame-ack')) {
            m.inFlight = Math.max(m.inFlight, Number(a.dataset.frame) - Number(a.dataset.shown));
        }
    };
    const days = () => [...document.querySelectorAll('.sanzhi-day, .sanzhi-compare-day')]
        .map(e => e.innerText).join('|');
    let last = days();
    new MutationObserver(() => {
        check();
        const now = days();
        if (now !== last) { m.changes.push([performance.now(), now]); last = now; }
    }).observe(document.body, {subtree: true, childList: true, characterData: true,
                               attributes: true, attributeFilter: ['data-frame', 'data-shown']});
}"""
CLICK_MARKED = """(selector) => {
    window.__sanzhi.mark = performance.now();
    document.querySelector(selector).click();
}"""


class Page:
    """A dashboard page that records any request leaving the local server."""

    def __init__(self, browser, url: str, query: str = "", viewport=(1600, 1000), scale=1):
        self.url = url
        self.external: list[str] = []
        self.failed: list[str] = []
        self.context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=scale
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(LONG)

        def route(r):
            if r.request.url.startswith(url) or r.request.url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                self.external.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        # A local asset that solara-assets lacks would be fetched from a CDN by the server
        # and fail offline: any error response counts.
        self.page.on(
            "response",
            lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        self.open(query)

    def open(self, query: str = "") -> None:
        self.page.goto(self.url + query)
        self.page.locator(".sanzhi-shell").wait_for()
        self.settle()

    def settle(self) -> None:
        """Wait until the browser shows the last frame the server sent."""
        self.page.wait_for_function(SETTLED, timeout=LONG)

    def frame(self, which: str = "live") -> int:
        selector = (
            ".sanzhi-compare .sanzhi-frame-ack"
            if which == "compare"
            else ".sanzhi-live .sanzhi-frame-ack"
        )
        return int(self.page.locator(selector).first.get_attribute("data-frame"))

    def act(self, action, which: str = "live") -> None:
        """Do ``action`` (a selector to click, or a callable) and wait until the browser
        shows the frame it caused (of the live views, or of the compare chart)."""
        before = self.frame(which)
        if callable(action):
            action()
        else:
            self.click(action)
        scope = ".sanzhi-compare" if which == "compare" else ".sanzhi-live"
        self.page.wait_for_function(
            """([scope, before]) => {
                const a = document.querySelector(scope + ' .sanzhi-frame-ack');
                return a && Number(a.dataset.frame) > before && a.dataset.shown === a.dataset.frame;
            }""",
            arg=[scope, before],
            timeout=LONG,
        )

    def slide(self, lever: str, fraction: float, which: str = "live") -> None:
        """Click the slider of ``lever`` (its CSS name, e.g. ``fusion-coordination``) at
        ``fraction`` of its width and wait for the frame it causes. Playwright clicks only
        once the slider stands still: a panel that is still opening would move it away
        from coordinates measured a moment before."""
        track = self.page.locator(f".lever-{lever} .v-slider__track-container").first
        track.wait_for(state="visible")
        box = track.bounding_box()
        where = {"x": box["width"] * fraction, "y": box["height"] / 2}
        self.act(lambda: track.click(position=where), which)

    def day(self) -> int:
        return int(self.page.locator(".sanzhi-day").inner_text().strip())

    def compare_day(self) -> int:
        return int(
            "".join(c for c in self.page.locator(".sanzhi-compare-day").inner_text() if c.isdigit())
        )

    def wait_day(self, day: int) -> None:
        self.page.wait_for_function(
            "d => document.querySelector('.sanzhi-day')?.innerText.trim() === String(d)",
            arg=day,
            timeout=LONG,
        )

    def click(self, selector: str) -> None:
        self.page.locator(selector).first.click()

    def choose(self, opener: str, text: str, which: str | None = None) -> None:
        """Open the menu of ``opener``, click its item ``text`` and, if ``which`` is given,
        wait for the frame that causes. A click that lands while another menu is still
        closing only closes that one (Vuetify takes it for a click outside), so the opener
        is clicked again until its menu shows the item."""
        timeout = playwright().TimeoutError
        menus = self.page.locator(".v-menu__content:visible")
        item = menus.locator(".v-list-item", has_text=text).first
        deadline = time.monotonic() + LONG / 1000
        while True:
            menus.first.wait_for(state="hidden", timeout=LONG)  # no menu still closing
            self.page.locator(opener).first.click()
            try:
                item.wait_for(state="visible", timeout=10_000)
                break
            except timeout:
                assert time.monotonic() < deadline, f"the menu of {opener} never showed {text}"
                self.page.keyboard.press("Escape")
        if which is None:
            item.click()
        else:
            self.act(item.click, which)

    def card(self, key: str) -> str:
        return self.page.locator(f".kpi-{key} .kpi-value").inner_text().strip()

    def cell(self, key: str, side: str) -> str:
        return self.page.locator(f".cmp-{key}-{side}").inner_text().strip()

    def monitor(self) -> None:
        self.page.evaluate(MONITOR)

    def click_marked(self, selector: str) -> None:
        """Click ``selector`` from inside the page, noting the moment (for counting what
        changed after it)."""
        self.page.evaluate(CLICK_MARKED, selector)

    def monitored(self) -> dict:
        return self.page.evaluate("() => window.__sanzhi")

    def shot(self, name: str, full_page: bool = False) -> Path:
        path = ARTEFACTS / name
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self) -> None:
        self.context.close()


def number(text: str) -> float:
    """The number in a card or cell ("1,234", "98%", "–")."""
    cleaned = text.replace(",", "").replace("%", "").strip()
    return float(cleaned) if cleaned not in ("", "–") else float("nan")
