"""The server's limits, set by ``sanzhi dashboard``'s options and passed to the app process
in its environment (the server and every page read the same values).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

# Environment variables, one per option of ``sanzhi dashboard``.
MAX_HOUSEHOLDS = "SANZHI_DASHBOARD_MAX_HOUSEHOLDS"
MAX_SESSIONS = "SANZHI_DASHBOARD_MAX_SESSIONS"
KERNEL_LIFETIME = "SANZHI_DASHBOARD_KERNEL_LIFETIME"
ALLOWED_HOSTS = "SANZHI_DASHBOARD_ALLOWED_HOSTS"


@dataclass(frozen=True)
class Settings:
    # Kunshan's 20,000-household sample replays a year in about ten seconds; the city
    # scale (1,000,000) takes seconds a day and over a gigabyte.
    max_households: int = 20_000
    # A class of 40 with a spare: each session holds a model of about 30 MB.
    max_sessions: int = 50
    # How long a page's session outlives its closed or lost connection (a phone locking
    # its screen for a few minutes gets its state back; a closed tab frees it soon).
    kernel_lifetime_seconds: int = 600
    # Host names (besides loopback and IP addresses) that pages may be served under.
    allowed_hosts: tuple[str, ...] = ()


@functools.cache
def settings() -> Settings:
    """The settings of this process, from its environment (defaults where unset)."""
    env = os.environ
    default = Settings()
    hosts = tuple(h.strip().lower() for h in env.get(ALLOWED_HOSTS, "").split(",") if h.strip())
    return Settings(
        max_households=int(env.get(MAX_HOUSEHOLDS, default.max_households)),
        max_sessions=int(env.get(MAX_SESSIONS, default.max_sessions)),
        kernel_lifetime_seconds=int(env.get(KERNEL_LIFETIME, default.kernel_lifetime_seconds)),
        allowed_hosts=hosts,
    )
