"""The dashboard's server process: Solara's Starlette app under uvicorn, with a closed door.

``python -m dashboards.server --host 127.0.0.1 --port 8765 --parent-pid N`` (what
``sanzhi dashboard`` starts). Besides serving Solara (``SOLARA_APP=dashboards.app``, as
Solara's self-hosting guide runs it), it:

- refuses a request whose ``Host`` is not this machine by a name it answers to (loopback,
  an IP address, or a name given with ``--allow-host``): a web page that rebinds its own
  domain name to 127.0.0.1 cannot reach the dashboard;
- refuses a websocket whose ``Origin`` is not the page's own: any other page open in the
  same browser could otherwise drive the dashboard (the websocket carries every click);
- refuses new websocket kernels beyond twice the session cap (the app shows a "full"
  page at the cap itself; this bounds the kernels a script could open);
- frees a closed page's kernel after ``--kernel-lifetime`` seconds (Solara's default is a
  day), and holds at most ``--max-sessions`` pages' models (``dashboards.settings``);
- gives the memory of closed pages back to the system (a collection and glibc's
  ``malloc_trim`` once their kernels are gone: freed arenas otherwise stay with the process,
  and a classroom server would keep the high-water mark of its busiest hour);
- stops when signalled (TERM, HUP, INT) and when its parent dies, even by ``kill -9``
  (the kernel's parent-death signal on Linux, and a watch on the parent elsewhere), so no
  server is left listening on the port.
"""

from __future__ import annotations

import argparse
import ctypes
import ipaddress
import logging
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from . import settings as settings_module

APP = "dashboards.app"
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
PARENT_POLL_SECONDS = 0.5
RECLAIM_POLL_SECONDS = 1.0
EXIT_GRACE_SECONDS = 8.0  # after a stop request, the most a shutdown may take

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]


def host_name(host: str) -> str:
    """The name in a ``Host`` header, without its port (``[::1]:8765`` -> ``::1``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host: str, allowed: tuple[str, ...] = ()) -> bool:
    """Loopback names, IP addresses (a phone in the classroom opens http://192.168.1.10:8765)
    and the names given with ``--allow-host``; never another domain name."""
    name = host_name(host)
    if not name:
        return False
    if name in LOOPBACK or name in allowed:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def same_origin(origin: str | None, host: str) -> bool:
    """Whether a websocket's ``Origin`` is the page the server served (same host and port)."""
    if not origin:
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.strip().lower()


class Door:
    """ASGI middleware in front of Solara: the checks in the module's docstring."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...], max_kernels: int) -> None:
        self.app, self.allowed_hosts, self.max_kernels = app, allowed_hosts, max_kernels

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if not host_allowed(host, self.allowed_hosts):
            await _refuse(kind, send, b"unknown host: open the address sanzhi dashboard printed")
            return
        if kind == "websocket":
            if not same_origin(headers.get("origin"), host):
                await _refuse(kind, send, b"")
                return
            if self._too_many_kernels(scope):
                await send({"type": "websocket.close", "code": 1013})
                return
        await self.app(scope, receive, send)

    def _too_many_kernels(self, scope: Scope) -> bool:
        from solara.server import kernel_context

        parts = scope.get("path", "").strip("/").split("/")
        kernel_id = (
            parts[3] if len(parts) >= 5 and parts[:3] == ["jupyter", "api", "kernels"] else ""
        )
        contexts = kernel_context.contexts
        return kernel_id not in contexts and len(contexts) >= self.max_kernels


async def _refuse(kind: str, send: Callable, body: bytes) -> None:
    if kind == "websocket":
        # Closing before accepting makes uvicorn answer the handshake with 403.
        await send({"type": "websocket.close", "code": 1008})
        return
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m dashboards.server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--parent-pid", type=int, default=None)
    p.add_argument("--max-sessions", type=int, default=settings_module.Settings.max_sessions)
    p.add_argument(
        "--kernel-lifetime", type=int, default=settings_module.Settings.kernel_lifetime_seconds
    )
    p.add_argument("--max-households", type=int, default=settings_module.Settings.max_households)
    p.add_argument("--allow-host", action="append", default=[])
    return p


def configure(args: argparse.Namespace) -> None:
    """The environment the app and Solara read their settings from (set before either is
    imported)."""
    env = os.environ
    env[settings_module.MAX_SESSIONS] = str(args.max_sessions)
    env[settings_module.KERNEL_LIFETIME] = str(args.kernel_lifetime)
    env[settings_module.MAX_HOUSEHOLDS] = str(args.max_households)
    env[settings_module.ALLOWED_HOSTS] = ",".join(args.allow_host)
    env["SOLARA_APP"] = APP
    env["SOLARA_MODE"] = "production"
    env["SOLARA_KERNEL_CULL_TIMEOUT"] = f"{args.kernel_lifetime}s"
    env.setdefault("MPLBACKEND", "Agg")
    # Solara's telemetry would try to reach the internet; classrooms are often offline.
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    env.setdefault("SOLARA_THEME_TITLE", "Sanzhi 三治融合")
    settings_module.settings.cache_clear()


def die_with_parent(parent: int | None, stop: Callable[[], None]) -> None:
    """Stop when ``parent`` is gone: at once on Linux (the kernel sends SIGTERM), within
    ``PARENT_POLL_SECONDS`` elsewhere (the process is then adopted by another parent)."""
    if parent is None:
        return
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                stop()
                return
            time.sleep(PARENT_POLL_SECONDS)

    threading.Thread(target=watch, name="sanzhi-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it died before the watch began
        stop()


def reclaim_memory_when_pages_close() -> None:
    """After kernels close (and Solara's own collection a second later), collect again and
    return free heap to the system."""
    import gc

    from solara.server import kernel_context

    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: a collection is all there is
        trim = None

    def watch() -> None:
        alive = len(kernel_context.contexts)
        while True:
            time.sleep(RECLAIM_POLL_SECONDS)
            now = len(kernel_context.contexts)
            if now < alive:
                time.sleep(kernel_context.GC_AFTER_CLOSE_DELAY + RECLAIM_POLL_SECONDS)
                gc.collect()
                if trim is not None:
                    trim(0)
            alive = now

    thread = threading.Thread(target=watch, name="sanzhi-reclaim", daemon=True)
    thread.current_context = None  # type: ignore[attr-defined]  # outside every page's kernel
    thread.start()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    configure(args)
    # Solara warns on every page served over plain http that it cannot set a cross-site
    # cookie; the dashboard is never embedded in another site's frame.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    import uvicorn

    if os.environ.get("SANZHI_DASHBOARD_DEBUG"):
        logging.basicConfig(level=logging.WARNING)
        logging.getLogger("dashboards").setLevel(logging.DEBUG)
    from solara.server import starlette as solara_starlette

    door = Door(
        solara_starlette.app,
        tuple(h.lower() for h in args.allow_host),
        max_kernels=2 * args.max_sessions,
    )
    config = uvicorn.Config(
        door,
        host=args.host,
        port=args.port,
        log_level="warning",
        loop="asyncio",
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)

    def stop(*_: Any) -> None:
        server.should_exit = True

    def deadline() -> None:
        # However the stop was asked for (uvicorn handles TERM and INT itself), a shutdown
        # that hangs (a websocket thread stuck in a send) must not keep the port.
        while not server.should_exit:
            time.sleep(0.2)
        time.sleep(EXIT_GRACE_SECONDS)
        os._exit(0)

    threading.Thread(target=deadline, name="sanzhi-exit-deadline", daemon=True).start()
    signal.signal(signal.SIGHUP, stop)
    die_with_parent(args.parent_pid, stop)
    reclaim_memory_when_pages_close()
    try:
        server.run()
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
