"""Launch the dashboard: the Solara server in production mode, serving assets locally.

``sanzhi dashboard`` calls :func:`serve`; tests start the same command with
:func:`command`. Solara's page code comes from the ``solara-assets`` package, so the page
works without internet access (classrooms behind restrictive networks).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

APP = "dashboards.app"
ROOT = Path(__file__).resolve().parent.parent


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
