"""The classroom in a real browser: the app on uvicorn in a background thread of this
process (``serving`` of test_classroom_web), Debian's chromium driven by Playwright
(``dashboard_support``), no network beyond the server.

One instructor console and ten students, each in a browser context of its own (a phone:
390 x 844): they join with the code, claim roles, decide, and the instructor advances
rounds. A student cannot act on another's role; a reload keeps the role; the phone page
never scrolls sideways; the language switch is the student's own. Every wait is on a
condition in the page (the version and phase the page shows), never on time.
"""

from __future__ import annotations

import pytest
from dashboard_support import ARTEFACTS, LONG, chromium, playwright

from classroom.session import Session
from tests.conftest import small
from tests.test_classroom_web import serving

playwright()  # skip (or fail in CI) at collection when chromium is missing

PHONE = {"width": 390, "height": 844}
# Ten students: six grid workers, one of each community role and the moral office.
ROLES = ["grid-0", "grid-1", "grid-2", "grid-3", "grid-4", "grid-5"]
ROLES += ["legal-0", "party-0", "residents-0", "moral"]
NAMES = ["李雷", "韩梅梅", "Wang", "张伟", "Ana", "刘洋", "陈静", "Zhou", "杨帆", "O'Brien<b>"]


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Session:
    out = tmp_path_factory.mktemp("classroom")
    return Session(small(households=3000, steps=120), decision_seconds=None, round_days=5, out=out)


@pytest.fixture(scope="module")
def base(session):
    with serving(session) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


class Screen:
    """A browser context and its page, refusing (and noting) any request off the server,
    and noting any script error."""

    def __init__(self, browser, base: str, path: str, viewport=PHONE) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.page.set_default_timeout(LONG)
        self.external: list[str] = []
        self.errors: list[str] = []

        def route(r):
            if r.request.url.startswith(base) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                self.external.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(base + path)

    def wait(self, script: str, arg=None) -> None:
        self.page.wait_for_function(script, arg=arg, timeout=LONG)

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text().strip()

    def no_sideways_scroll(self) -> None:
        width = self.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"

    def close(self) -> None:
        assert self.external == [] and self.errors == [], (self.external, self.errors)
        self.context.close()


PHASE = "p => document.querySelector('#phase')?.dataset.phase === p"
ROLE = "r => document.body.dataset.role === r"
ROUND = "n => document.querySelector('#round')?.innerText.trim() === String(n)"
SET_SLIDER = """([key, value]) => {
    const input = document.querySelector(`.lever[data-key="${key}"] input`);
    input.value = String(value);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    return input.value;
}"""
# A request the page makes itself, with its own token (what a curious student could type in
# the browser's console).
FETCH = """async ([path, body]) => {
    const r = await fetch(path, {method: 'POST', body: JSON.stringify(body), headers: {
        'content-type': 'application/json',
        'x-student-token': localStorage.getItem('sanzhi-classroom-token')}});
    return r.status;
}"""


@pytest.fixture(scope="module")
def classroom(session, base, browser):
    console = Screen(
        browser, base, f"/console#token={session.instructor_token}", {"width": 1600, "height": 1000}
    )
    students = [Screen(browser, base, f"/join?code={session.code}") for _ in NAMES]
    yield console, students
    for screen in [console, *students]:
        screen.close()


def decide(student: Screen, role: str, round_: int) -> None:
    """Move every lever of the student's role to a value of this round and submit."""
    levers = student.page.locator(".lever")
    levers.first.wait_for()
    for i in range(levers.count()):
        lever = levers.nth(i)
        key, kind = lever.get_attribute("data-key"), lever.get_attribute("data-kind")
        if kind == "bool":
            lever.locator("input").click()
        elif kind == "choice":  # a drop-down list: round 1 the second choice, round 2 the third
            select = lever.locator("select")
            options = select.locator("option")
            select.select_option(options.nth(round_ % options.count()).get_attribute("value"))
        else:
            low = float(lever.locator("input").get_attribute("min"))
            high = float(lever.locator("input").get_attribute("max"))
            value = low + (high - low) * (0.2 + 0.3 * (round_ % 2))
            student.page.evaluate(SET_SLIDER, [key, round(value) if kind == "int" else value])
    student.page.locator("#submit").click()
    student.wait("() => document.querySelector('#decided')?.dataset.decided === 'yes'")


def test_a_class_of_ten_plays_two_rounds(session, classroom):
    console, students = classroom
    p = console.page
    console.wait("c => document.querySelector('#code')?.innerText.trim() === c", session.code)
    assert session.instructor_token not in p.url  # wiped from the projected address bar
    assert p.locator("#qr svg").count() == 1
    assert console.text("#join-url").endswith(f"/join?code={session.code}")

    for student, name in zip(students, NAMES, strict=True):
        student.page.locator("#join:not(.hidden)").wait_for()
        assert student.page.locator("#code").input_value() == session.code  # from the QR's link
        student.no_sideways_scroll()
        student.page.fill("#name", name)
        student.page.locator("#join-button").click()
        student.page.locator(".role-option").first.wait_for()
    console.wait("n => document.querySelectorAll('#roster tr').length === n", len(NAMES))
    # a name is text on the console, never markup
    assert p.locator("#roster td", has_text="O'Brien<b>").count() == 1
    assert p.locator("#roster b").count() == 0

    for student, role in zip(students, ROLES, strict=True):
        student.page.locator(f".role-option[data-role='{role}']").click()
        student.wait(ROLE, role)
    console.wait(
        "n => document.querySelectorAll('#roles tr[data-taken=\"yes\"]').length === n", len(ROLES)
    )
    assert console.text("#roles tr[data-role='grid-0'] .claimed-by") == NAMES[0]

    p.locator("#start").click()
    for round_ in (1, 2):
        for student in students:
            student.wait(PHASE, "running")
            student.wait(ROUND, round_)
        for student, role in zip(students, ROLES, strict=True):
            decide(student, role, round_)
        console.wait(
            "n => document.querySelectorAll('#roster tr[data-decided=\"yes\"]').length === n",
            len(ROLES),
        )
        p.locator("#advance").click()
        for student in students:
            student.wait(ROUND, round_ + 1)
            assert int(student.text("#day")) == round_ * session.round_days
            student.wait("() => document.querySelector('#decided')?.dataset.decided === 'no'")
        console.wait(ROUND, round_ + 1)
        # the grid worker's choice from the drop-down list is in force in that grid only
        serve_first = session.model.local_value("staffing.serve_first")
        chosen = ("oldest", "disputes", "services")[round_ % 3]
        assert serve_first[0] == chosen and serve_first[7] == "oldest", serve_first
        rows = sum(len(session.roles[r].levers) for r in ROLES)
        console.wait("n => document.querySelectorAll('#decisions tr.decision').length === n", rows)
    assert {row["round"] for row in session.decisions} == {1, 2}
    # The console names the levers in words (the role's labels), never by parameter key.
    shown = console.text("#decisions")
    assert "admin_load" not in shown and "participation" not in shown, shown
    grid_label = session.roles["grid-0"].levers[0].label("zh")
    assert grid_label in shown or session.roles["grid-0"].levers[0].label("en") in shown
    for student in students:
        student.no_sideways_scroll()
    ARTEFACTS.mkdir(exist_ok=True)
    students[0].page.screenshot(path=str(ARTEFACTS / "classroom-student.png"), full_page=True)
    p.screenshot(path=str(ARTEFACTS / "classroom-console.png"), full_page=True)


def test_a_student_cannot_act_on_another_students_role(session, classroom):
    _, students = classroom
    legal = students[ROLES.index("legal-0")]
    # the grid worker's lever, from the legal advisor's own page and token
    status = legal.page.evaluate(FETCH, ["/api/decide", {"values": {"staffing.admin_load": 0.9}}])
    assert status == 403
    assert legal.page.evaluate(FETCH, ["/api/claim", {"role_id": "grid-0"}]) == 409
    legal.page.evaluate(FETCH, ["/api/release", {}])  # gives up legal-0...
    legal.page.reload()
    legal.page.locator(".role-option").first.wait_for()
    taken = legal.page.locator(".role-option[data-role='grid-0']")
    assert taken.is_disabled()  # ...and grid-0 stays Li's
    legal.page.locator(".role-option[data-role='legal-0']").click()
    legal.wait(ROLE, "legal-0")
    assert "grid-0" not in session.pending  # Li has not decided this round; nobody else can


def test_a_reload_keeps_the_student_and_the_role(session, classroom):
    _, students = classroom
    student = students[3]
    name = student.text("#me")
    student.page.reload()
    student.wait(ROLE, ROLES[3])
    assert student.text("#me") == name
    student.context.clear_cookies()  # nothing rides on cookies; the token is in localStorage
    student.page.reload()
    student.wait(ROLE, ROLES[3])


def test_language_is_each_students_own(session, classroom):
    _, students = classroom
    a, b = students[0], students[1]
    assert a.text("h1") == "三治融合课堂"
    a.page.locator("#lang").click()
    a.wait("() => document.querySelector('h1').innerText.trim() === 'Sanzhi classroom'")
    a.wait("() => document.querySelector('#role-name').innerText.startsWith('Grid worker')")
    assert b.text("h1") == "三治融合课堂"  # another phone is unchanged
    a.page.reload()
    a.wait("() => document.querySelector('#role-name')?.innerText.startsWith('Grid worker')")
    a.no_sideways_scroll()
    a.page.locator("#lang").click()
    a.wait("() => document.querySelector('h1').innerText.trim() === '三治融合课堂'")


def test_hiding_the_city_and_ending_the_class(session, classroom):
    console, students = classroom
    p = console.page
    p.locator("#toggle-city").click()
    console.wait("() => document.querySelector('#toggle-city').dataset.shown === 'no'")
    student = students[0]
    student.wait("() => document.querySelector('.metric .city')?.innerText.includes('隐藏')")
    p.locator("#end").click()
    console.wait("() => document.querySelector('#folder').innerText.length > 0")
    for student in students:
        student.wait(PHASE, "ended")
    assert session.folder is not None and session.folder.is_dir()


def test_the_instructor_chooses_the_roles_on_offer(tmp_path, browser):
    """A class of its own: in the lobby the console's checkboxes set the kinds of role on
    offer (the session's roles follow); once started they cannot change."""
    lesson = Session(small(households=1000, steps=60), decision_seconds=None, out=tmp_path)
    with serving(lesson) as url:
        console = Screen(
            browser,
            url,
            f"/console#token={lesson.instructor_token}",
            {"width": 1600, "height": 1000},
        )
        p = console.page
        console.wait("() => document.querySelector('#kind-moral_office')?.checked === true")
        p.locator("#kind-moral_office").uncheck()
        p.locator("#kind-grid_worker").uncheck()
        console.wait("() => document.querySelector('#roles tr[data-role=\"moral\"]') !== null")
        p.locator("#configure button[type=submit]").click()
        # The roles table is redrawn from the session's new roles: no moral office, no grid.
        console.wait(
            """() => document.querySelectorAll('#roles tr.role').length > 0
            && document.querySelector('#roles tr[data-role="moral"]') === null
            && document.querySelector('#roles tr[data-role^="grid-"]') === null"""
        )
        assert set(lesson.kinds) == {"legal_advisor", "party_secretary", "residents_rep"}
        assert not any(r.kind in ("moral_office", "grid_worker") for r in lesson.roles.values())
        assert p.locator("#kind-moral_office").is_checked() is False  # the page follows
        p.locator("#start").click()
        console.wait(PHASE, "running")
        console.wait("() => document.querySelector('#kind-legal_advisor').disabled")
        console.close()
    lesson.close()
