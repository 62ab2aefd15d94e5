"""The classroom's web layer (``classroom.web.app``): its endpoints through Starlette's
TestClient, every refusal (the instructor's token, the join code, another student's role,
oversized and junk bodies), the event stream and a round running in a worker thread on a
real uvicorn server, and ``sanzhi classroom``'s bad input.

Waits are on conditions (an event in the stream, a flag set by the blocked round), never on
time: the machine is shared.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from starlette.testclient import TestClient

from classroom.session import Session
from classroom.web.app import MAX_BODY, STATIC, create_app, join_url, lan_address, qr_svg
from experiments.cli.main import main
from tests.conftest import small

PUBLIC = "http://10.1.2.3:8780"
WAIT = 120  # seconds: the longest one condition may take on a busy machine


def new_session(**options) -> Session:
    options.setdefault("decision_seconds", None)
    return Session(small(households=1000, steps=120), **options)


@pytest.fixture
def session(tmp_path) -> Session:
    return new_session(out=tmp_path)


@pytest.fixture
def client(session) -> Iterator[TestClient]:
    with TestClient(create_app(session, public_url=PUBLIC)) as c:
        yield c


def instructor(session) -> dict[str, str]:
    return {"x-instructor-token": session.instructor_token}


def joined(client, session, name: str = "Li") -> dict[str, str]:
    r = client.post("/api/join", json={"code": session.code, "name": name})
    assert r.status_code == 200, r.text
    return {"x-student-token": r.json()["token"]}


def refused(r, status: int) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert body["reason_en"] and body["reason_zh"], body
    return body


# --- pages and assets --------------------------------------------------------------------


def test_pages_are_served_locally_with_a_strict_policy(client):
    assert client.get("/", follow_redirects=False).headers["location"] == "/join"
    for path in ("/join", "/console"):
        r = client.get(path)
        assert r.status_code == 200 and "text/html" in r.headers["content-type"]
        policy = r.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert r.headers["x-content-type-options"] == "nosniff"
        # every asset is the server's own: no CDN, works offline
        for ref in re.findall(r'(?:src|href)="([^"]*)"', r.text):
            assert ref.startswith(("/static/", "data:")), ref
            if ref.startswith("/static/"):
                assert client.get(ref).status_code == 200, ref
    for asset in STATIC.iterdir():
        text = asset.read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), asset.name
        if asset.suffix == ".js":
            assert "innerHTML" not in text and "eval(" not in text, asset.name
    assert client.get("/static/../app.py").status_code == 404


def test_join_url_and_qr_code():
    url = join_url("http://192.168.1.20:8780/", "ACD347")
    assert url == "http://192.168.1.20:8780/join?code=ACD347"
    svg = qr_svg(url)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>") and "<script" not in svg
    address = lan_address()
    socket.inet_aton(address)  # an IPv4 address, 127.0.0.1 without a network


# --- a class, start to end ---------------------------------------------------------------


def test_a_round_from_join_to_debrief(client, session, tmp_path):
    li = joined(client, session, "李雷")
    han = joined(client, session, "Han")
    lobby = client.get("/api/lobby").json()
    assert lobby["phase"] == "lobby" and all(not r["taken"] for r in lobby["roles"])
    assert "claimed_by" not in lobby["roles"][0]  # no names before joining
    assert client.post("/api/claim", json={"role_id": "grid-0"}, headers=li).status_code == 200
    assert client.post("/api/claim", json={"role_id": "legal-0"}, headers=han).status_code == 200
    assert client.post("/api/lang", json={"lang": "en"}, headers=han).json() == {"lang": "en"}

    console = client.get("/api/console", headers=instructor(session)).json()
    assert console["code"] == session.code
    assert console["join_url"] == f"{PUBLIC}/join?code={session.code}"
    assert console["qr_svg"].startswith("<svg")
    claimed = {r["id"]: r["claimed_by"] for r in console["roles"]}
    assert claimed["grid-0"] == "李雷" and claimed["legal-0"] == "Han"

    assert client.post("/api/instructor/start", headers=instructor(session)).status_code == 200
    r = client.post("/api/decide", json={"values": {"staffing.admin_load": 0.1}}, headers=li)
    assert r.status_code == 200 and r.json() == {"staffing.admin_load": 0.1}
    values = {"rule_of_law.legal_lectures_per_year": 6, "rule_of_law.advisor_attendance": 0.5}
    assert client.post("/api/decide", json={"values": values}, headers=han).status_code == 200
    view = client.get("/api/student", headers=li).json()
    assert view["role"]["id"] == "grid-0" and view["decided"] and view["day"] == 0

    r = client.post("/api/instructor/advance", headers=instructor(session))
    assert r.status_code == 200 and len(r.json()["applied"]) == 3
    view = client.get("/api/student", headers=han).json()
    assert view["lang"] == "en" and view["round"] == 2 and view["day"] == session.round_days
    assert not view["decided"]
    lever = next(v for v in view["levers"] if v["key"] == "rule_of_law.advisor_attendance")
    assert lever["value"] == 0.5
    console = client.get("/api/console?lang=en", headers=instructor(session)).json()
    assert {d["key"] for d in console["last_decisions"]} == {"staffing.admin_load", *values}

    me = instructor(session)
    assert client.post("/api/instructor/show_city", json={"shown": False}, headers=me).json() == {
        "shown": False
    }
    assert all(m["city"] is None for m in client.get("/api/student", headers=li).json()["area"])
    assert client.post("/api/instructor/pause", headers=me).status_code == 200
    refused(
        client.post("/api/decide", json={"values": {"staffing.admin_load": 0.2}}, headers=li), 409
    )
    assert client.post("/api/instructor/resume", headers=me).status_code == 200
    r = client.post("/api/instructor/configure", json={"round_days": 3}, headers=me)
    assert r.status_code == 200 and session.round_days == 3

    r = client.post("/api/instructor/end", headers=me)
    assert r.status_code == 200, r.text
    folder = r.json()["folder"]
    assert folder.startswith(str(tmp_path)) and (tmp_path / folder).is_dir()
    assert client.get("/api/student", headers=li).json()["phase"] == "ended"


def test_release_and_reclaim(client, session):
    li = joined(client, session)
    assert client.post("/api/claim", json={"role_id": "party-0"}, headers=li).status_code == 200
    assert client.post("/api/release", json={}, headers=li).json() == {"released": True}
    assert client.get("/api/student", headers=li).json()["role"] is None
    assert client.post("/api/claim", json={"role_id": "party-0"}, headers=li).status_code == 200


# --- refusals ----------------------------------------------------------------------------

ACTIONS = ("configure", "start", "pause", "resume", "advance", "end", "show_city")


@pytest.mark.parametrize("token", [None, "", "x" * 32, "short", "bad token!"])
def test_instructor_only_without_the_token(client, session, token):
    headers = {} if token is None else {"x-instructor-token": token}
    refused(client.get("/api/console", headers=headers), 403)
    for action in ACTIONS:
        refused(
            client.post(f"/api/instructor/{action}", json={"shown": True}, headers=headers), 403
        )
    assert session.phase == "lobby"


def test_student_token_is_not_the_instructors(client, session):
    li = joined(client, session)
    refused(client.get("/api/console", headers={"x-instructor-token": li["x-student-token"]}), 403)
    refused(
        client.post("/api/instructor/start", headers={"x-instructor-token": li["x-student-token"]}),
        403,
    )
    # nor in the URL: the console takes no token from the query string
    refused(client.get(f"/api/console?token={session.instructor_token}"), 403)


def test_unknown_action_and_not_now(client, session):
    refused(client.post("/api/instructor/explode", headers=instructor(session)), 404)
    refused(client.post("/api/instructor/advance", headers=instructor(session)), 409)  # lobby
    refused(client.post("/api/instructor/resume", headers=instructor(session)), 409)


@pytest.mark.parametrize("code", ["WRONG1", "", "x" * 13, "ACD-34", 123456, None])
def test_wrong_code(client, session, code):
    status = 404 if code == "WRONG1" else 422
    refused(client.post("/api/join", json={"code": code, "name": "Li"}), status)
    assert session.students == {}


def test_code_is_case_and_space_tolerant(client, session):
    r = client.post("/api/join", json={"code": f" {session.code.lower()} ", "name": "Li"})
    assert r.status_code == 200


@pytest.mark.parametrize("name", ["", "   ", "x" * 25, "a\u202eb", "tab\x07", 12, None, ["Li"]])
def test_bad_names(client, session, name):
    refused(client.post("/api/join", json={"code": session.code, "name": name}), 422)
    assert session.students == {}


def test_bad_language(client, session):
    refused(client.post("/api/join", json={"code": session.code, "name": "Li", "lang": "fr"}), 422)
    li = joined(client, session)
    refused(client.post("/api/lang", json={"lang": "de"}, headers=li), 422)


def test_student_calls_need_a_known_token(client, session):
    for headers in ({}, {"x-student-token": "nobody-has-this-token"}, {"x-student-token": "<>"}):
        refused(client.get("/api/student", headers=headers), 403)
        refused(client.post("/api/claim", json={"role_id": "grid-0"}, headers=headers), 403)
        refused(client.post("/api/decide", json={"values": {"a.b": 1}}, headers=headers), 403)
        refused(client.post("/api/release", json={}, headers=headers), 403)
    assert all(not r["taken"] for r in client.get("/api/lobby").json()["roles"])


def test_nobody_acts_on_another_students_role(client, session):
    li, han = joined(client, session, "Li"), joined(client, session, "Han")
    client.post("/api/claim", json={"role_id": "grid-0"}, headers=li)
    refused(client.post("/api/claim", json={"role_id": "grid-0"}, headers=han), 409)
    client.post("/api/claim", json={"role_id": "legal-0"}, headers=han)
    client.post("/api/instructor/start", headers=instructor(session))
    # Han sets the grid worker's lever (Li's role): refused, and nothing is pending
    body = refused(
        client.post("/api/decide", json={"values": {"staffing.admin_load": 0.9}}, headers=han), 403
    )
    assert "staffing.admin_load" in body["reason_en"]
    assert session.pending == {}
    refused(client.post("/api/claim", json={"role_id": "grid-99"}, headers=han), 404)
    refused(client.post("/api/claim", json={"role_id": "../../etc"}, headers=han), 422)
    assert client.get("/api/student", headers=li).json()["role"]["id"] == "grid-0"


def test_decisions_are_checked(client, session):
    li = joined(client, session)
    refused(
        client.post("/api/decide", json={"values": {"staffing.admin_load": 0.1}}, headers=li), 409
    )
    client.post("/api/claim", json={"role_id": "grid-0"}, headers=li)
    client.post("/api/instructor/start", headers=instructor(session))
    for values in (
        {"staffing.admin_load": 7},  # out of range
        {"staffing.admin_load": "0.1"},  # text
        {"staffing.admin_load": [0.1]},
        {"staffing.admin_load": 1e300},
        {"__import__('os')": 1},
        {},
        {f"a.k{i}": 1 for i in range(17)},
    ):
        r = client.post("/api/decide", json={"values": values}, headers=li)
        assert r.status_code in (403, 422), (values, r.text)
    refused(client.post("/api/decide", json={"values": [1, 2]}, headers=li), 422)
    assert session.pending == {}


def test_oversized_bodies(client, session):
    big = {"code": session.code, "name": "Li", "pad": "x" * MAX_BODY}
    refused(client.post("/api/join", json=big), 413)
    chunks = iter([b'{"code": "', session.code.encode(), b'", "pad": "', b"x" * MAX_BODY, b'"}'])
    refused(
        client.post("/api/join", content=chunks, headers={"content-type": "application/json"}), 413
    )
    refused(client.post("/api/join", content=b"{}", headers={"content-length": "abc"}), 413)
    assert session.students == {}


@pytest.mark.parametrize(
    "body,status",
    [
        (b"{not json", 400),
        (b"\xff\xfe", 400),
        (b'{"code": NaN}', 400),
        (b"[1, 2, 3]", 422),
        (b'"text"', 422),
        (b"null", 422),
    ],
)
def test_junk_bodies(client, session, body, status):
    refused(
        client.post("/api/join", content=body, headers={"content-type": "application/json"}), status
    )
    refused(
        client.post("/api/instructor/configure", content=body, headers=instructor(session)), status
    )


@pytest.mark.parametrize(
    "body",
    [
        {"round_days": 0},
        {"round_days": "7"},
        {"round_days": True},
        {"decision_seconds": 10**6},
        {"kinds": "grid_worker"},
        {"kinds": ["../x"]},
        {"kinds": ["no_such_kind"]},
    ],
)
def test_configure_is_checked(client, session, body):
    refused(client.post("/api/instructor/configure", json=body, headers=instructor(session)), 422)
    assert session.round_days == 7


def test_show_city_needs_a_bool(client, session):
    me = instructor(session)
    refused(client.post("/api/instructor/show_city", json={"shown": "no"}, headers=me), 422)
    assert session.city_shown


# --- on a real server: the event stream, and a round in a worker thread -----------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(session: Session, **options) -> Iterator[str]:
    """``session``'s app on uvicorn in a background thread of this process; its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    app = create_app(session, public_url=base, **options)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield base
    finally:
        app.close()
        server.should_exit = True
        thread.join(WAIT)
        sock.close()


def versions(lines: Iterator[str]) -> Iterator[int]:
    for line in lines:
        if line.startswith("data: "):
            yield int(line[len("data: ") :])


def test_the_event_stream_pushes_each_new_version(session):
    with (
        serving(session, stream_seconds=WAIT) as base,
        httpx.Client(base_url=base, timeout=WAIT) as http,
        http.stream("GET", "/api/events") as stream,
    ):
        assert stream.headers["content-type"].startswith("text/event-stream")
        seen = versions(stream.iter_lines())
        first = next(seen)
        assert first == session.version
        r = http.post("/api/join", json={"code": session.code, "name": "Li"})  # poked
        assert r.status_code == 200
        assert next(seen) == first + 1
        session.join(session.code, "Han")  # not poked: the stream's own check sees it
        assert next(seen) == first + 2


def test_the_server_answers_while_a_round_runs(session):
    entered, release = threading.Event(), threading.Event()
    step = session.run.step

    def slow_step(days):
        entered.set()
        assert release.wait(WAIT)
        step(days)

    session.run.step = slow_step
    me = instructor(session)
    with serving(session) as base, httpx.Client(base_url=base, timeout=WAIT, headers=me) as http:
        assert http.post("/api/instructor/start").status_code == 200
        done = {}
        worker = threading.Thread(
            target=lambda: done.setdefault("r", http.post("/api/instructor/advance"))
        )
        worker.start()
        assert entered.wait(WAIT)
        # the round holds the session's lock; the event loop still serves
        assert httpx.get(base + "/join", timeout=WAIT).status_code == 200
        with httpx.stream("GET", base + "/api/events", timeout=WAIT) as stream:
            assert next(versions(stream.iter_lines())) >= 1
        refused(http.post("/api/instructor/advance"), 409)  # a round is already running
        release.set()
        worker.join(WAIT)
        assert done["r"].status_code == 200 and done["r"].json()["round"] == 1
    assert session.round == 2


# --- the command line --------------------------------------------------------------------


def cli(capsys, *args: str) -> tuple[int, str]:
    try:
        status = main(["classroom", *args])
    except SystemExit as exit:
        status = exit.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err.strip()


def test_cli_bad_input_exits_2_naming_file_key_and_expectation(tmp_path, capsys):
    status, err = cli(capsys, str(tmp_path / "missing.toml"))
    assert status == 2 and "missing.toml" in err and "not found" in err
    bad = tmp_path / "bad.toml"
    bad.write_text("[population]\nhouseholds = 'many'\n", encoding="utf-8")
    status, err = cli(capsys, str(bad))
    assert status == 2 and "bad.toml" in err and "population.households" in err
    assert "expected" in err
    status, err = cli(capsys, "--set", "staffing.nonsense=1")
    assert status == 2 and "staffing.nonsense" in err
    status, err = cli(capsys, "--round-days", "0")
    assert status == 2 and "--round-days" in err
    out = tmp_path / "file"
    out.write_text("keep", encoding="utf-8")
    status, err = cli(capsys, "--out", str(out))
    assert status == 2 and "is a file" in err and out.read_text(encoding="utf-8") == "keep"


def test_cli_port_in_use_exits_2(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        status, err = cli(capsys, "--host", "127.0.0.1", "--port", str(port))
    assert status == 2 and f"--port {port}" in err and "cannot listen" in err


def test_cli_serves_the_pages_in_a_process_of_its_own_and_stops_on_a_signal(tmp_path):
    import signal
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "experiments.cli", "classroom", "--port", "0"]
    cmd += ["--host", "127.0.0.1", "--out", str(tmp_path), "--set", "population.households=1000"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        while not lines or "Ctrl+C" not in lines[-1]:
            line = proc.stdout.readline()
            assert line, f"the command ended: {proc.stderr.read()}"
            lines.append(line)
        text = "".join(lines)
        console = re.search(r"(http://127\.0\.0\.1:\d+)/console#token=(\S+)", text)
        join = re.search(r"(http://127\.0\.0\.1:\d+/join\?code=\w+)", text)
        assert console and join, text
        base, token = console.groups()
        assert httpx.get(join[1], timeout=WAIT).status_code == 200
        r = httpx.get(base + "/api/console", headers={"x-instructor-token": token}, timeout=WAIT)
        assert r.status_code == 200 and r.json()["households"] == 1000
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(WAIT) in (0, 128 + signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_choice_travels_as_its_name_and_nothing_else(client, session):
    li = joined(client, session, "Li")
    client.post("/api/claim", json={"role_id": "grid-0"}, headers=li)
    client.post("/api/instructor/start", headers=instructor(session))
    for bad in ("../../etc/passwd", "violations", "x" * 40, "Disputes"):
        values = {"staffing.serve_first": bad}
        refused(client.post("/api/decide", json={"values": values}, headers=li), 422)
    values = {"staffing.serve_first": "disputes"}
    r = client.post("/api/decide", json={"values": values}, headers=li)
    assert r.status_code == 200 and r.json() == values
