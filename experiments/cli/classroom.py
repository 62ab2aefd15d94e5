"""``sanzhi classroom``: a participatory class (HubNet style) on one town.

The scenario is read and checked as every command reads it (a bad file, key or value exits 2
with one line naming it), and the port is opened (a port in use is one line, exit 2), before
the server starts: ``python -m classroom.web.server`` in a process of its own, on the socket
opened here (as ``sanzhi dashboard`` does, the command imports nothing of the classroom; a
signal to it is passed on, and the server stops if it dies). The server prints two links: the
instructor's console (on this machine, with the instructor token in the link's fragment,
which the browser never sends and the page wipes from the address bar) and the students'
join page on the classroom network (with the join code; the console shows it as a QR
code), and serves both with uvicorn until Ctrl+C.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

from experiments.cli import options
from experiments.cli.servers import environment, supervise
from experiments.errors import InputError

SERVER = "classroom.web.server"  # run as its own process: the experiments never import it
EXTRA = ("starlette", "uvicorn", "segno")  # pyproject's `classroom` extra
DEFAULT_PORT = 8780
DEFAULT_OUT = Path("results") / "classroom"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "classroom",
        help="run a class: students join on their phones, each plays a role in one town",
        description="Serve a participatory session (as NetLogo's HubNet): an instructor "
        "console for the projector and a page for each student's phone. Students join with "
        "a code (or the QR code), claim a role (grid worker, legal advisor, party secretary, "
        "residents' representative, moral-governance office) and set its levers each round; "
        "the instructor starts, pauses, advances and ends the session, and its debrief "
        "folder is written to --out.",
    )
    p.add_argument(
        "scenario", nargs="?", help=f"scenario file (default {options.DEFAULT_SCENARIO})"
    )
    p.add_argument("--port", type=port_number, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT})")
    p.add_argument(
        "--host",
        default="0.0.0.0",
        help="address to listen on (default 0.0.0.0: every device on the classroom network "
        "can open the students' page; 127.0.0.1 for this machine only)",
    )
    p.add_argument(
        "--round-days",
        type=options.positive,
        default=7,
        help="simulated days a round runs (default 7)",
    )
    p.add_argument(
        "--decision-seconds",
        type=int,
        default=90,
        help="seconds students have to decide each round; 0 for no countdown (default 90)",
    )
    p.add_argument(
        "--max-students",
        type=options.positive,
        default=80,
        help="students who may join (default 80)",
    )
    p.add_argument(
        "--out",
        default=str(DEFAULT_OUT),
        help=f"folder the debrief is written into (default {DEFAULT_OUT})",
    )
    options.add_set(p)
    p.set_defaults(command=cmd_classroom)


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a port number, 0 to 65535")
    return value


def cmd_classroom(args: argparse.Namespace) -> int:
    missing = [m for m in EXTRA if importlib.util.find_spec(m) is None]
    if missing:
        print(
            f"sanzhi: the classroom needs {', '.join(missing)}, an extra: "
            'python -m pip install -e ".[classroom]"',
            file=sys.stderr,
        )
        return 1
    if args.decision_seconds < 0:
        raise InputError(
            "--decision-seconds", None, f"{args.decision_seconds} is negative (0: no countdown)"
        )
    options.load_from_args(args)  # checked here: a bad file, key or value exits 2
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(out, None, "is a file, not a folder (--out names a folder)")
    sock = listen(args.host, args.port)
    cmd = [sys.executable, "-m", SERVER, "--fd", str(sock.fileno()), "--host", args.host]
    cmd += ["--scenario", str(options.scenario_path(args.scenario).resolve())]
    for item in args.set or []:
        cmd += ["--set", item]
    cmd += ["--round-days", str(args.round_days), "--decision-seconds", str(args.decision_seconds)]
    cmd += ["--max-students", str(args.max_students), "--out", str(out.resolve())]
    cmd += ["--parent-pid", str(os.getpid())]
    try:
        return serve(cmd, sock)
    finally:
        sock.close()


def serve(cmd: list[str], sock: socket.socket) -> int:
    """Run the server process on ``sock`` until it stops; a signal to this command (TERM,
    HUP, INT) is passed on to it. Its exit status."""
    return supervise(subprocess.Popen(cmd, env=environment(), pass_fds=[sock.fileno()]))


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (so a port in use is one clear line, exit 2)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as err:
        sock.close()
        raise InputError(
            f"--host {host} --port {port}", None, f"cannot listen ({err.strerror})"
        ) from None
    sock.set_inheritable(True)
    return sock
