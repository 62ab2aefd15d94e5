"""What ``sanzhi dashboard`` and ``sanzhi classroom`` share: their servers run as processes of
their own (the command line imports nothing of them), which this command supervises."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORWARDED = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def environment() -> dict[str, str]:
    """This process's environment, with the checkout on the path: the server packages
    (``dashboards``, ``classroom``) import from a source checkout too."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def supervise(proc: subprocess.Popen) -> int:
    """Wait for a server process; a signal to this command (TERM, HUP, INT) is passed on to
    it, and it is killed if it outlives the wait. Its exit status (128 + signal if one
    stopped it)."""

    def forward(_signum, _frame) -> None:
        # As TERM whatever came: a Ctrl+C has reached the server already (the terminal
        # signals the whole process group), and a second INT would cut its shutdown short.
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    try:
        status = proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            proc.kill()
    if status < 0 and -status in FORWARDED:
        return 128 - status
    return status
