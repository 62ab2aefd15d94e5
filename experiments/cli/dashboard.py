"""``sanzhi dashboard``: the dashboard's server (``python -m dashboards.server``), in its own
process, serving every asset locally.

The command line imports nothing of the dashboard: it starts the server process and waits
for it. A signal to this command (TERM, HUP, INT) is passed on to the server, and the server
stops by itself if this command dies (even by ``kill -9``), so it never outlives it on the
port. Tests start the same :func:`command`. Solara's page code comes from the
``solara-assets`` package, so the page works without internet access (classrooms behind
restrictive networks).
"""

from __future__ import annotations

import argparse
import importlib.util
import ipaddress
import os
import re
import subprocess
import sys
from pathlib import Path

from experiments.cli.servers import environment, supervise

SERVER = "dashboards.server"
ROOT = Path(__file__).resolve().parents[2]  # the checkout (environment() puts it on the path)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def duration(text: str) -> int:
    """Seconds from '600', '600s', '10m' or '2h' (argparse type)."""
    match = re.fullmatch(r"\s*(\d+)\s*([smh]?)\s*", text)
    if not match or int(match[1]) == 0:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a duration such as 600s, 10m or 1h")
    return int(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[match[2]]


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number of at least 1")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dashboard", help="serve the instructors' dashboard (open it in a browser)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 lets every "
        "device on the network open it, with a warning)",
    )
    p.add_argument(
        "--max-sessions",
        type=positive,
        default=50,
        help="pages open at once, each with its own model (default 50)",
    )
    p.add_argument(
        "--kernel-lifetime",
        type=duration,
        default=600,
        help="how long a closed or disconnected page's state is kept, e.g. 10m (default)",
    )
    p.add_argument(
        "--max-households",
        type=positive,
        default=20_000,
        help="largest scenario a link may open; larger ones only from the picker, one at a "
        "time (default 20000)",
    )
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name (besides IP addresses) the page may be opened under, e.g. the "
        "classroom machine's name; repeatable",
    )
    p.set_defaults(command=cmd_dashboard)


def cmd_dashboard(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("solara") is None:
        print(
            'sanzhi: the dashboard needs Solara, an extra: python -m pip install -e ".[dashboard]"',
            file=sys.stderr,
        )
        return 1
    if not loopback(args.host):
        print(
            f"sanzhi: warning: listening on {args.host}: every device that can reach this "
            "machine can open the dashboard and drive it. Use it on a trusted classroom "
            "network only.",
            file=sys.stderr,
        )
    options = {
        "max_sessions": args.max_sessions,
        "kernel_lifetime": args.kernel_lifetime,
        "max_households": args.max_households,
        "allow_hosts": args.allow_host,
    }
    return serve(args.host, args.port, **options)


def loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def command(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    parent: int | None = None,
    max_sessions: int | None = None,
    kernel_lifetime: int | None = None,
    max_households: int | None = None,
    allow_hosts: list[str] = (),
) -> list[str]:
    """The command line that serves the dashboard on ``host:port`` and stops when process
    ``parent`` (default: this one) is gone."""
    cmd = [sys.executable, "-m", SERVER, "--host", host, "--port", str(port)]
    cmd += ["--parent-pid", str(os.getpid() if parent is None else parent)]
    for flag, value in (
        ("--max-sessions", max_sessions),
        ("--kernel-lifetime", kernel_lifetime),
        ("--max-households", max_households),
    ):
        if value is not None:
            cmd += [flag, str(value)]
    for name in allow_hosts:
        cmd += ["--allow-host", name]
    return cmd


def serve(host: str = "127.0.0.1", port: int = 8765, **options) -> int:
    """Serve until interrupted or signalled; returns the server's exit status."""
    shown = f"[{host}]" if ":" in host else host
    print(f"Sanzhi dashboard: http://{shown}:{port}/  (Ctrl+C to stop)", flush=True)
    return supervise(subprocess.Popen(command(host, port, **options), env=environment(), cwd=ROOT))
