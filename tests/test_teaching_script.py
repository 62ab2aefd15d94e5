"""``docs/teaching.md`` as a test: both scripts (中文, English) walked through in a real
browser as an instructor would (the buttons and sliders the script names, in the script's
language), each number the script promises checked on the screen within the script's
tolerance, over the seed it names; then the guided tour of presenter mode, which walks the
same script with "Next".

The promised numbers live once, in ``dashboards.tour`` (``Claim``); the script quotes them
in bold, which the first test checks. ``python -m dashboards.tour`` prints what the screen
shows now, for updating both when the model changes.
"""

from __future__ import annotations

import math
import re
import time

import pytest
from dashboard_support import LONG, ROOT, Page, chromium, number, server

from dashboards.tour import SEED, SMALL, SMALL_TOLERANCE, STEPS, TOLERANCE, Claim

SCRIPT = ROOT / "docs" / "teaching.md"
BY_KEY_STEP = {step.key: step for step in STEPS}
HEADING = re.compile(r"^### (.+?)\s*<!-- step: (\w+) -->\s*$", re.M)


def sections(lang: str) -> dict[str, str]:
    """The script's steps in ``lang`` (its own part of the file), by tour step key."""
    text = SCRIPT.read_text(encoding="utf-8")
    zh, en = text.split("## 中文脚本", 1)[1].split("## English script", 1)
    part = zh if lang == "zh" else en.split("## Troubleshooting", 1)[0]
    found = list(HEADING.finditer(part))
    return {
        m[2]: part[m.end() : found[i + 1].start() if i + 1 < len(found) else len(part)]
        for i, m in enumerate(found)
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_script_promises_the_tour_s_numbers_and_names_its_terms(lang):
    """Each step of the script, in each language, quotes in bold exactly the numbers the
    tour promises (and checks), in order; and the script states the seed and tolerance."""
    steps = sections(lang)
    assert list(steps) == [step.key for step in STEPS]
    for key, body in steps.items():
        quoted = [float(n.replace(",", "")) for n in re.findall(r"\*\*([\d.,]+)\*\*", body)]
        assert quoted == [claim.value for claim in BY_KEY_STEP[key].claims], (lang, key)
    text = SCRIPT.read_text(encoding="utf-8")
    assert str(SEED) in text and f"{TOLERANCE:.0%}" in text and f"{SMALL_TOLERANCE:g}" in text
    assert SMALL == 10 and "10" in text


def test_the_tour_narrates_every_number_it_checks_in_both_languages():
    for step in STEPS:
        for lang in ("en", "zh"):
            text = step.narration(lang)
            assert "{" not in text
            for claim in step.claims:
                assert claim.text() in text, (step.key, lang, claim.name)
        assert step.narration("en") != step.narration("zh")


# --- In the browser.


@pytest.fixture(scope="module")
def dashboard():
    with server("teaching") as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


# The script's words for the controls it names, in each language (the page's own labels).
WORDS = {
    "en": {
        "play": "Play",
        "pause": "Pause",
        "reset": "Reset",
        "year": "+1 year",
        "backlog": "Backlog",
        "staffing": "Staffing",
        "admin": "Admin load on grid workers",
        "default": "Default levers",
        "always": "As if always so",
        "today": "From today",
        "compare": "Compare",
        "silos": "Silos: coordination 0.1, party leadership 0.2",
        "fusion": "Fusion: coordination 0.9, party leadership 0.8",
        "current": "Sidebar levers as they are",
        "moral_bank": "Moral bank and red/black lists on",
        "no_legal": "No legal advisors",
        "town": "2,000 households · 8 grids · 2 communities",
    },
    "zh": {
        "play": "播放",
        "pause": "暂停",
        "reset": "重置",
        "year": "+1年",
        "backlog": "积压",
        "staffing": "人员配置",
        "admin": "网格员行政负担",
        "default": "恢复默认参数",
        "always": "假如一直如此",
        "today": "从今天起",
        "compare": "对比",
        "silos": "各自为政：协同 0.1，党建引领 0.2",
        "fusion": "三治融合：协同 0.9，党建引领 0.8",
        "current": "侧栏当前参数",
        "moral_bank": "开启道德银行和红黑榜",
        "no_legal": "不配法律顾问",
        "town": "2,000 户 · 8 个网格 · 2 个社区",
    },
}


def check(page: Page, step_key: str) -> None:
    """Every number step ``step_key`` promises, as the screen shows it now."""
    for claim in BY_KEY_STEP[step_key].claims:
        shown = _shown(page, claim)
        assert claim.holds(shown), (
            f"{step_key}: {claim.name} ({claim.quantity}, {claim.side}): the script says "
            f"about {claim.value:g}, the screen shows {shown:g}"
        )


def _shown(page: Page, claim: Claim) -> float:
    if claim.side == "live":
        return number(page.card(claim.quantity))
    return number(page.cell(claim.quantity, claim.side))


def _button(page: Page, name: str, within: str = ".sanzhi-shell"):
    return page.page.locator(within).get_by_role("button", name=name, exact=True).first


def _choose(page: Page, side: str, text: str) -> None:
    """Pick a preset (as the script says; nothing to do when it is already the one)."""
    p = page.page
    if text in p.locator(f".sanzhi-preset-{side}").inner_text():
        return
    page.choose(f".sanzhi-preset-{side}", text, "compare")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_walk_the_script(dashboard, browser, lang):
    w = WORDS[lang]
    page = Page(browser, dashboard.url, f"?lang={lang}")
    p = page.page
    try:
        # Opening: the town.
        assert w["town"] in p.locator(".sanzhi-population").inner_text()
        # Let it run: speed 10, Play, Pause at about day 120.
        p.locator(".sanzhi-speed button", has_text="10").first.click()
        _button(page, w["play"], ".sanzhi-side").click()
        p.wait_for_function(
            "() => Number(document.querySelector('.sanzhi-day')?.innerText) >= 120", timeout=LONG
        )
        _button(page, w["pause"], ".sanzhi-side").click()
        _button(page, w["play"], ".sanzhi-side").wait_for()  # after the last frame is sent
        page.settle()
        p.wait_for_timeout(1500)
        page.settle()
        paused = page.day()
        time.sleep(1.5)
        assert page.day() == paused  # the day counter stops
        # One year on: Reset, +1 year.
        page.act(_button(page, w["reset"], ".sanzhi-side").click)
        page.act(_button(page, w["year"], ".sanzhi-side").click)
        assert page.day() == 365
        check(page, "year")
        # Admin load: the map to Backlog, as if always so, Staffing open, admin load to 0.8.
        old = p.locator(".sanzhi-gridmap img").get_attribute("src")
        _button(page, w["backlog"], ".sanzhi-map-metric").click()
        p.wait_for_function(
            "old => document.querySelector('.sanzhi-gridmap img').src !== old", arg=old
        )
        _button(page, w["always"], ".sanzhi-lever-mode").click()
        p.locator(".sanzhi-mode-always.v-btn--active").wait_for()
        p.locator(".sanzhi-group-staffing").click()
        p.locator(".lever-staffing-admin_load").wait_for()
        assert w["admin"] in p.locator(".sanzhi-side").inner_text()
        page.slide("staffing-admin_load", 0.8 / 0.95)  # the slider runs from 0 to 0.95
        assert p.locator(".value-staffing-admin_load").inner_text().strip() == "0.8"
        assert page.day() == 365  # replayed to today
        check(page, "admin")
        page.act(_button(page, w["default"], ".sanzhi-side").click)
        assert p.locator(".value-staffing-admin_load").inner_text().strip() == "0.3"
        _button(page, w["today"], ".sanzhi-lever-mode").click()
        p.locator(".sanzhi-mode-today.v-btn--active").wait_for()
        # Compare: silos against fusion, +1 year.
        p.locator(".sanzhi-tab-compare").click()
        p.locator(".sanzhi-compare .sanzhi-frame-ack").wait_for(state="attached")
        page.settle()
        for step_key, a, b in (
            ("fusion", "silos", "fusion"),
            ("moral", "current", "moral_bank"),
            ("legal", "current", "no_legal"),
        ):
            _choose(page, "a", w[a])
            _choose(page, "b", w[b])
            assert w[a] in p.locator(".sanzhi-preset-a").inner_text()
            assert w[b] in p.locator(".sanzhi-preset-b").inner_text()
            page.act(_button(page, w["year"], ".sanzhi-compare").click, "compare")
            assert page.compare_day() == 365
            check(page, step_key)
        page.shot(f"teaching-{lang}-compare.png")
    finally:
        page.close()


def test_the_guided_tour_walks_the_script(dashboard, browser):
    """Presenter mode, in Chinese: "Next" through every step; each sets the page, narrates
    it and shows the numbers it promises. At the end the narration follows the language."""
    page = Page(browser, dashboard.url, "?lang=zh&view=presenter", viewport=(1920, 1080))
    p = page.page
    try:
        p.locator(".sanzhi-tour-start").click()
        for index, step in enumerate(STEPS):
            p.locator(f".sanzhi-tour-ready[data-step='{step.key}']").wait_for(timeout=LONG)
            page.settle()
            text = p.locator(".tour-text").inner_text()
            assert text == step.narration("zh")
            if step.key == "play":
                p.wait_for_function(
                    "() => Number(document.querySelector('.sanzhi-day')?.innerText) >= 10",
                    timeout=LONG,
                )
            else:
                check(page, step.key)
            if step.key in ("admin", "fusion"):
                page.shot(f"tour-zh-{step.key}.png")
            if index + 1 < len(STEPS):
                p.locator(".sanzhi-tour-next").click()
        p.get_by_role("button", name="English").click()
        p.locator(".tour-text", has_text=STEPS[-1].narration("en")[:30]).wait_for()
        p.locator(".sanzhi-tour-back").click()
        p.locator(".sanzhi-tour-ready[data-step='legal']").wait_for(timeout=LONG)
        page.settle()
        check(page, "legal")  # Back sets the step's page again
        assert not math.isnan(number(page.cell("open_issues", "a")))
    finally:
        page.close()
