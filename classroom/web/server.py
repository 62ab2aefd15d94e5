"""The classroom's server process: ``python -m classroom.web.server --scenario FILE --fd N``
(what ``sanzhi classroom`` starts, with the listening socket it opened as ``--fd``).

It builds the :class:`~classroom.session.Session` of the scenario (already checked by the
command), prints the instructor's console link and the students' join link, and serves the
app with uvicorn until signalled (TERM, HUP, INT) or until its parent is gone (the kernel's
parent-death signal on Linux, and a watch on the parent), so it never outlives the command
on the port. On stopping, the phones' event streams are closed first, so a shutdown does
not wait for them.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

PARENT_POLL_SECONDS = 1.0
WILDCARD = ("0.0.0.0", "::", "")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m classroom.web.server")
    p.add_argument("--scenario", required=True)
    p.add_argument("--set", action="append", default=[])
    p.add_argument("--fd", type=int, required=True, help="a listening socket's descriptor")
    p.add_argument("--host", default="0.0.0.0", help="the address the socket listens on")
    p.add_argument("--round-days", type=int, default=7)
    p.add_argument("--decision-seconds", type=int, default=90)
    p.add_argument("--max-students", type=int, default=80)
    p.add_argument("--out", required=True)
    p.add_argument("--parent-pid", type=int, default=None)
    return p


def bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def die_with_parent(parent: int | None, stop: Callable[[], None]) -> None:
    """Call ``stop`` when process ``parent`` is gone."""
    if parent is None:
        return
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PDEATHSIG

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        stop()

    threading.Thread(target=watch, name="classroom-parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    import uvicorn

    from classroom.session import Session
    from classroom.web.app import create_app, join_url, lan_address
    from experiments.scenario import load_scenario, parse_assignments

    scenario = load_scenario(Path(args.scenario), parse_assignments(args.set))
    session = Session(
        scenario.params,
        scenario=scenario.name,
        round_days=args.round_days,
        decision_seconds=args.decision_seconds or None,
        max_students=args.max_students,
        out=Path(args.out),
    )
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, fileno=args.fd)
    port = sock.getsockname()[1]
    wildcard = args.host in WILDCARD
    public = lan_address() if wildcard else args.host
    base = f"http://{bracket(public)}:{port}"
    here = f"http://{bracket('127.0.0.1' if wildcard else public)}:{port}"
    app = create_app(session, public_url=base)
    households = scenario.params.population.households
    print(f"Sanzhi classroom: {scenario.name}, {households:,} households")
    print(
        f"  instructor console (keep this link to yourself): "
        f"{here}/console#token={session.instructor_token}"
    )
    print(f"  students join:  {join_url(base, session.code)}   code {session.code}")
    if public in LOOPBACK:
        print(
            "sanzhi: warning: listening on this machine only; phones cannot join. "
            "Use --host 0.0.0.0 on the classroom network.",
            file=sys.stderr,
        )
    else:
        print(
            "  (every device on this network can open the students' page; only the console "
            "link can drive the session)"
        )
    print("  Ctrl+C to stop.", flush=True)
    config = uvicorn.Config(
        app,
        log_level="warning",
        timeout_graceful_shutdown=3,
        limit_concurrency=400,
        access_log=False,
    )

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame) -> None:
            app.close()  # the phones' event streams end, so stopping need not wait for them
            super().handle_exit(sig, frame)

    server = Server(config)

    def stop() -> None:
        app.close()
        server.should_exit = True

    die_with_parent(args.parent_pid, stop)
    server.run(sockets=[sock])
    if session.folder is not None:
        print(f"debrief: {session.folder}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
