"""``sanzhi dashboard``: the Solara server in production mode, serving assets locally.

The dashboard runs in its own process (``solara run dashboards.app``), so the command line
imports nothing of it. Tests start the same :func:`command`. Solara's page code comes from
the ``solara-assets`` package, so the page works without internet access (classrooms behind
restrictive networks).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

APP = "dashboards.app"
ROOT = Path(__file__).resolve().parents[2]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dashboard", help="serve the instructors' dashboard (open it in a browser)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.set_defaults(command=cmd_dashboard)


def cmd_dashboard(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("solara") is None:
        print(
            'sanzhi: the dashboard needs Solara, an extra: python -m pip install -e ".[dashboard]"',
            file=sys.stderr,
        )
        return 1
    return serve(args.host, args.port)


def command(host: str = "127.0.0.1", port: int = 8765) -> list[str]:
    """The command line that serves the dashboard on ``host:port``."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        APP,
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
    ]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("MPLBACKEND", "Agg")
    # Solara's telemetry would try to reach the internet; classrooms are often offline.
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    # No "runs on Solara" banner over the charts on a projector; a readable tab title.
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    env.setdefault("SOLARA_THEME_TITLE", "Sanzhi 三治融合")
    # Make `dashboards` importable from a source checkout too.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def serve(host: str = "127.0.0.1", port: int = 8765) -> int:
    """Serve until interrupted; returns the server's exit status."""
    print(f"Sanzhi dashboard: http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    proc = subprocess.Popen(command(host, port), env=environment(), cwd=ROOT)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        return 130
