"""The classroom's Starlette app: one :class:`~classroom.session.Session` behind JSON
endpoints, a Server-Sent Events stream of the session's ``version``, and the two pages
(``/console`` for the instructor's projector, ``/join`` for the students' phones).

Who may do what is the session's business (it refuses with :class:`Refused`, whose status
and bilingual reason the app returns as JSON); the app's is what reaches the session:

* every request body is JSON of at most :data:`MAX_BODY` bytes, an object, and each field is
  checked (type, length, alphabet, finite numbers) before the session sees it. Nothing a
  student sends is used as a path, a template or code;
* the instructor's token travels in the ``X-Instructor-Token`` header (the console page
  reads it from the URL's fragment, which browsers never send, and keeps it in its tab's
  sessionStorage); a student's in ``X-Student-Token`` (kept in the phone's localStorage);
* every call of the session runs in a worker thread (the session holds one lock, and
  ``advance`` steps the model for a whole round): the event loop keeps serving the pages
  and the event streams while a round runs;
* the event stream carries the version number only (no names, no tokens): a screen that
  sees a new number fetches its own view.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import math
import re
import socket
import unicodedata
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from classroom.session import Refused

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 4096  # bytes: the largest request (a decision of a few levers) is ~300
NAME_MAX = 24  # characters of a student's name
LANGS = ("zh", "en")
INSTRUCTOR_HEADER = "x-instructor-token"
STUDENT_HEADER = "x-student-token"
TOKEN = re.compile(r"[A-Za-z0-9_\-]{8,128}")
CODE = re.compile(r"[A-Za-z0-9]{1,12}")
ROLE_ID = re.compile(r"[a-z_]{1,24}(-[0-9]{1,4})?")
KEY = re.compile(r"[a-z_]{1,40}\.[a-z_0-9]{1,60}")
CHOICE = re.compile(r"[a-z_]{1,32}")  # a choice lever's value, e.g. "disputes"
KIND = re.compile(r"[a-z_]{1,32}")
MAX_LEVERS = 16  # values in one decision
STREAM_SECONDS = 25.0  # an event stream ends after this; EventSource reconnects by itself
HEARTBEAT_SECONDS = 10.0
POLL_SECONDS = 0.5  # the stream also checks the version this often (changes made by timers)
INSTRUCTOR_ACTIONS = ("configure", "start", "pause", "resume", "advance", "end", "show_city")
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
log = logging.getLogger("classroom.web")


class BadRequest(Exception):
    """A request the app refuses before the session sees it."""

    def __init__(self, status: int, reason_en: str, reason_zh: str) -> None:
        super().__init__(reason_en)
        self.status, self.reason_en, self.reason_zh = status, reason_en, reason_zh


def refusal(status: int, reason_en: str, reason_zh: str) -> JSONResponse:
    return JSONResponse(
        {"error": True, "reason_en": reason_en, "reason_zh": reason_zh},
        status_code=status,
        headers={"cache-control": "no-store"},
    )


def ok(data: Any) -> JSONResponse:
    return JSONResponse(data, headers={"cache-control": "no-store"})


# --- the classroom's LAN address and the QR code of the join page ------------------------


def lan_address() -> str:
    """This machine's address on the classroom's network: the source address of a UDP
    socket "connected" to a non-routable address (connect sends nothing); 127.0.0.1 when
    there is no network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.254.254.254", 1))
            address = s.getsockname()[0]
        except OSError:
            return "127.0.0.1"
    return address if address and address != "0.0.0.0" else "127.0.0.1"


def join_url(base: str, code: str) -> str:
    """The students' page with the join code filled in."""
    return f"{base.rstrip('/')}/join?code={code}"


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an SVG element (no XML declaration), for inlining."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=6, border=2, xmldecl=False, svgns=True, nl=False, svgclass="qr"
    )
    return out.getvalue().decode("ascii")


# --- checking what a request carries -----------------------------------------------------


async def body_json(request: Request, limit: int = MAX_BODY) -> dict[str, Any]:
    """The request's JSON object, read at most ``limit`` bytes far."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise BadRequest(413, "The request is too large.", "请求内容过大。")
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise BadRequest(413, "The request is too large.", "请求内容过大。")
    if not data:
        return {}
    try:
        value = json.loads(bytes(data).decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(400, "The request is not valid JSON.", "请求不是有效的 JSON。") from None
    if not isinstance(value, dict):
        raise BadRequest(422, "The request must be a JSON object.", "请求必须是 JSON 对象。")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")  # NaN, Infinity


def invalid(field: str, en: str, zh: str) -> BadRequest:
    return BadRequest(422, f"{field}: {en}", f"{field}：{zh}")


def text_field(body: dict, field: str, pattern: re.Pattern[str], *, upper: bool = False) -> str:
    value = body.get(field)
    if not isinstance(value, str):
        raise invalid(field, "expected text.", "应为文本。")
    value = value.strip()
    if upper:
        value = value.upper()
    if not pattern.fullmatch(value):
        raise invalid(field, "not in the expected form.", "格式不正确。")
    return value


def name_field(body: dict) -> str:
    value = body.get("name")
    if not isinstance(value, str):
        raise invalid("name", "expected text.", "应为文本。")
    value = unicodedata.normalize("NFC", " ".join(value.split()))
    if not 1 <= len(value) <= NAME_MAX:
        raise invalid(
            "name", f"1 to {NAME_MAX} characters, please.", f"请填写 1 到 {NAME_MAX} 个字符。"
        )
    if any(unicodedata.category(c)[0] == "C" for c in value):
        raise invalid("name", "no control characters, please.", "不能包含控制字符。")
    return value


def lang_field(body: dict, default: str | None = None) -> str:
    value = body.get("lang", default)
    if value not in LANGS:
        raise invalid("lang", "expected zh or en.", "应为 zh 或 en。")
    return value


def values_field(body: dict) -> dict[str, Any]:
    values = body.get("values")
    if not isinstance(values, dict) or not 1 <= len(values) <= MAX_LEVERS:
        raise invalid(
            "values",
            f"expected an object of 1 to {MAX_LEVERS} levers.",
            f"应为包含 1 到 {MAX_LEVERS} 个政策杠杆的对象。",
        )
    out: dict[str, Any] = {}
    for key, value in values.items():
        if not KEY.fullmatch(key):
            raise invalid(
                "values", "a lever's name is not in the expected form.", "杠杆名称格式不正确。"
            )
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if (
            value is None
            or isinstance(value, bool)
            or (number and math.isfinite(value) and abs(value) < 1e9)
            or (isinstance(value, str) and CHOICE.fullmatch(value))  # the session checks it
        ):
            out[key] = value
        else:
            raise invalid(
                "values",
                f"{key}: expected a number, true/false or a choice's name.",
                f"{key}：应为数字、是/否或选项名称。",
            )
    return out


def integer_field(body: dict, field: str, low: int, high: int) -> int | None:
    value = body.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid(
            field, f"expected a whole number {low} to {high}.", f"应为 {low} 到 {high} 的整数。"
        )
    return value


def query_lang(request: Request) -> str:
    """The ``lang`` of the query string, zh unless it is en."""
    return "en" if request.query_params.get("lang") == "en" else "zh"


def header_token(request: Request, header: str) -> str:
    value = request.headers.get(header, "")
    if not TOKEN.fullmatch(value):
        if header == INSTRUCTOR_HEADER:
            raise BadRequest(403, "Instructor only.", "仅限教师操作。")
        raise BadRequest(403, "Join the class first.", "请先加入课堂。")
    return value


# --- the app -----------------------------------------------------------------------------


class Hub:
    """Wakes the event streams when something changed (each stream also checks the
    session's version every :data:`POLL_SECONDS`, for changes nobody poked about)."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None

    def event(self) -> asyncio.Event:
        if self._event is None:
            self._event = asyncio.Event()
        return self._event

    def poke(self) -> None:
        event, self._event = self._event, None
        if event is not None:
            event.set()


Handler = Callable[[Request], Awaitable[Any]]


def create_app(
    session: Any,
    *,
    public_url: str | None = None,
    stream_seconds: float = STREAM_SECONDS,
) -> Starlette:
    """The app of ``session``. ``public_url`` is the base URL students reach this server
    under (default: ``http://<LAN address>:<the request's port>``), for the join link and
    its QR code."""
    hub = Hub()
    busy = {"advance": False, "end": False}
    closing = {"now": False}  # set by close(): the streams end, so a shutdown need not wait

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[JSONResponse]]:
        async def endpoint(request: Request) -> JSONResponse:
            try:
                return ok(await handler(request))
            except Refused as err:
                return refusal(err.status, err.reason_en, err.reason_zh)
            except BadRequest as err:
                return refusal(err.status, err.reason_en, err.reason_zh)
            except Exception:
                log.exception("classroom: %s %s failed", request.method, request.url.path)
                return refusal(500, "Something went wrong on the server.", "服务器出错了。")
            finally:
                if request.method == "POST":
                    hub.poke()

        return endpoint

    def call(method: str, *args: Any, **kwargs: Any) -> Awaitable[Any]:
        return run_in_threadpool(getattr(session, method), *args, **kwargs)

    def base_url(request: Request) -> str:
        if public_url:
            return public_url.rstrip("/")
        host = lan_address()
        port = request.url.port
        return f"http://{host}" + (f":{port}" if port not in (None, 80) else "")

    # students ------------------------------------------------------------------------

    async def join(request: Request) -> Any:
        body = await body_json(request)
        code = text_field(body, "code", CODE, upper=True)
        name = name_field(body)
        lang = lang_field(body, "zh")
        return await call("join", code, name, lang=lang)

    async def claim(request: Request) -> Any:
        token = header_token(request, STUDENT_HEADER)
        body = await body_json(request)
        return await call("claim", token, text_field(body, "role_id", ROLE_ID))

    async def release(request: Request) -> Any:
        token = header_token(request, STUDENT_HEADER)
        await body_json(request)
        result = await call("release", token)
        return result if isinstance(result, dict) else {"released": True}

    async def decide(request: Request) -> Any:
        token = header_token(request, STUDENT_HEADER)
        body = await body_json(request)
        return await call("decide", token, values_field(body))

    async def lang(request: Request) -> Any:
        token = header_token(request, STUDENT_HEADER)
        body = await body_json(request)
        chosen = lang_field(body)
        await call("set_lang", token, chosen)
        return {"lang": chosen}

    async def student(request: Request) -> Any:
        return await call("student_view", header_token(request, STUDENT_HEADER))

    async def lobby(request: Request) -> Any:
        return await call("lobby_view", query_lang(request))

    # the instructor ----------------------------------------------------------------

    async def console(request: Request) -> Any:
        itoken = header_token(request, INSTRUCTOR_HEADER)
        view = await call("console_view", itoken, query_lang(request))
        url = join_url(base_url(request), session.code)
        view = dict(view)
        view["join_url"] = url
        view["qr_svg"] = qr_svg(url)
        view["advancing"] = busy["advance"]
        return view

    async def instructor(request: Request) -> Any:
        action = request.path_params["action"]
        if action not in INSTRUCTOR_ACTIONS:
            raise BadRequest(404, "No such action.", "没有这个操作。")
        itoken = header_token(request, INSTRUCTOR_HEADER)
        body = await body_json(request)
        if action == "configure":
            kinds = body.get("kinds")
            if kinds is not None and (
                not isinstance(kinds, list)
                or not 1 <= len(kinds) <= 8
                or not all(isinstance(k, str) and KIND.fullmatch(k) for k in kinds)
            ):
                raise invalid("kinds", "expected a list of role kinds.", "应为角色类型列表。")
            options = {
                "kinds": tuple(kinds) if kinds is not None else None,
                "round_days": integer_field(body, "round_days", 1, 365),
                "decision_seconds": integer_field(body, "decision_seconds", 5, 3600),
            }
            await call("configure", itoken, **{k: v for k, v in options.items() if v is not None})
            return {"configured": True}
        if action == "show_city":
            shown = body.get("shown")
            if not isinstance(shown, bool):
                raise invalid("shown", "expected true or false.", "应为是或否。")
            await call("show_city", itoken, shown)
            return {"shown": shown}
        if action in ("advance", "end"):
            if busy["advance"] or busy["end"]:
                raise BadRequest(409, "A round is still running.", "本轮仍在运行中。")
            busy[action] = True
            try:
                if action == "advance":
                    result = await call("advance", itoken)
                    return result if isinstance(result, dict) else {"advanced": True}
                folder = await call("end", itoken)
                return {"ended": True, "folder": str(folder)}
            finally:
                busy[action] = False
        await call(action, itoken)
        return {action: True}

    # the event stream ----------------------------------------------------------------

    async def events(request: Request) -> StreamingResponse:
        async def stream():
            loop = asyncio.get_running_loop()
            end = loop.time() + stream_seconds
            last = session.version
            quiet = loop.time()
            yield f"retry: 1000\nevent: version\ndata: {last}\n\n"
            while loop.time() < end and not closing["now"]:
                event = hub.event()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), POLL_SECONDS)
                version = session.version
                if version != last:
                    last = version
                    quiet = loop.time()
                    yield f"event: version\ndata: {version}\n\n"
                elif loop.time() - quiet > HEARTBEAT_SECONDS:
                    quiet = loop.time()
                    yield ": ping\n\n"

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"cache-control": "no-store", "x-accel-buffering": "no"},
        )

    # pages ---------------------------------------------------------------------------

    async def home(request: Request) -> RedirectResponse:
        return RedirectResponse("/join", status_code=307)

    def page(name: str) -> Callable[[Request], Awaitable[FileResponse]]:
        async def serve(request: Request) -> FileResponse:
            return FileResponse(STATIC / name, headers={"cache-control": "no-store"})

        return serve

    routes = [
        Route("/", home),
        Route("/join", page("student.html")),
        Route("/console", page("console.html")),
        Route("/api/lobby", guarded(lobby)),
        Route("/api/student", guarded(student)),
        Route("/api/events", events),
        Route("/api/join", guarded(join), methods=["POST"]),
        Route("/api/claim", guarded(claim), methods=["POST"]),
        Route("/api/release", guarded(release), methods=["POST"]),
        Route("/api/decide", guarded(decide), methods=["POST"]),
        Route("/api/lang", guarded(lang), methods=["POST"]),
        Route("/api/console", guarded(console)),
        Route("/api/instructor/{action}", guarded(instructor), methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.session = session
    app.state.hub = hub

    def close() -> None:
        closing["now"] = True

    return ClassroomApp(app, close)


class ClassroomApp:
    """The Starlette app with :data:`SECURITY_HEADERS` on every response (pure ASGI: streams
    stay streams), and ``close()``: the event streams end within :data:`POLL_SECONDS`, so a
    server shutting down is not kept waiting by the phones listening."""

    def __init__(self, app: Starlette, close: Callable[[], None]) -> None:
        self.app = app
        self.state = app.state
        self.close = close

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)
