"""The dashboard server's memory comes back: 10 pages opened, used (a step, a month, a lever
change that replays, a compare month: every model a page can hold is built) and closed;
once their kernels are gone (closed by the page's close beacon, or culled after the kernel
lifetime when a page just vanishes), the server's resident memory is near where it was
after the first pages. Without freeing the replaced models (Mesa's ``Agent._ids`` keeps
every one) or with Solara's default kernel lifetime (a day), it grows by tens of megabytes
a page (25-40 MB: what one kept page holds), 250-400 MB over the 10 pages against a bound
of 5 MB a page (50 MB), and with the day-long lifetime the vanished pages' kernels are
never culled (``wait_no_kernels`` fails). Ten pages show this as well as twenty did, at
half the time: measured growth 18 MB over 10 pages (53-56 MB over 20 before).

The numbers go to ``test-artefacts/dashboard-memory.json``.
"""

from __future__ import annotations

import gc
import json
import time

import pytest
from dashboard_support import ARTEFACTS, LONG, Page, chromium, server

PAGES = 10
LIFETIME = 3  # seconds: a vanished page's kernel is culled this long after it went
ALLOWED_GROWTH_MB = 5 * PAGES  # one kept page (its models) holds 25-40 MB


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def use(page: Page) -> None:
    """What a student does: a step, a month, a lever moved (the model replayed), a compare
    month. (Months, not years: the models are what a page holds, and a year of days would
    only make the test slow.)"""
    p = page.page
    page.act(".sanzhi-step")
    page.act(".sanzhi-month")
    page.slide("fusion-coordination", 0.2)
    p.locator(".sanzhi-tab-compare").click()
    p.locator(".sanzhi-compare .sanzhi-frame-ack").wait_for(state="attached")
    page.settle()
    page.act(".sanzhi-compare-month", "compare")


def kernels(dashboard) -> int:
    return dashboard.resources()["kernels"]["total"]


def wait_no_kernels(dashboard, timeout: float = LONG / 1000) -> None:
    deadline = time.monotonic() + timeout
    while kernels(dashboard):
        assert time.monotonic() < deadline, f"{kernels(dashboard)} kernels still alive"
        time.sleep(0.5)
    time.sleep(2)  # Solara collects a closed kernel's cycles shortly after it closes


def test_opening_and_closing_10_pages_returns_the_memory(browser):
    with server("memory", kernel_lifetime=LIFETIME) as dashboard:
        for _ in range(2):  # warm-up: imports, fonts, figure caches, first arenas
            page = Page(browser, dashboard.url)
            use(page)
            page.close()
        wait_no_kernels(dashboard)
        start = dashboard.rss_mb()
        peak = start
        for i in range(PAGES):
            began = time.monotonic()
            page = Page(browser, dashboard.url)
            use(page)
            peak = max(peak, dashboard.rss_mb())
            print(f"page {i + 1}: {time.monotonic() - began:.1f} s, {dashboard.rss_mb():.0f} MB")
            if i % 2:
                page.page.close(run_before_unload=True)  # the tab closes: a close beacon
                page.context.close()
            else:
                page.context.close()  # the browser just goes: the kernel lifetime culls it
        wait_no_kernels(dashboard)
        end = dashboard.rss_mb()
        gc.collect()
        report = {
            "pages": PAGES,
            "kernel_lifetime_s": LIFETIME,
            "rss_start_mb": round(start, 1),
            "rss_peak_mb": round(peak, 1),
            "rss_end_mb": round(end, 1),
            "growth_mb": round(end - start, 1),
            "allowed_growth_mb": ALLOWED_GROWTH_MB,
        }
        (ARTEFACTS / "dashboard-memory.json").write_text(json.dumps(report, indent=2))
        print(f"\ndashboard memory: {report}")
        assert end - start < ALLOWED_GROWTH_MB, report
