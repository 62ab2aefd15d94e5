"""Benchmark the classroom server (docs/classroom.md): how long after the instructor's
'advance' every student's phone shows the next round.

    python benchmarks/bench_classroom.py [--students 40] [--rounds 5] [--households 10000]
                                         [--round-days 7] [--json OUT]

The server (``classroom.web.app`` on uvicorn, as ``sanzhi classroom`` runs it) is a fresh
subprocess of its own, as on the instructor's laptop. The students are ``--students``
asyncio clients (httpx) in this process, each with its own connections, as phones: each
joins, claims a role while there are roles free (the others watch), listens to the event
stream and, on every new version, fetches its own view (``GET /api/student``), one request
at a time as the page does. Each round the students with a role decide, then the
instructor's 'advance' is sent; a student is served when it has fetched a view of the next
round. Reported per round and over all rounds: the advance request itself (the model
stepping the round) and, over the students, the median and the slowest time from sending
'advance' to having the updated view. Nothing is asserted: on a shared machine the figures
are pessimistic and vary from run to run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WAIT = 600.0  # seconds: the most one round may take before the benchmark gives up


def serve(households: int, round_days: int, students: int) -> None:
    """The child: a session and its server on a free port; one JSON line, then serve."""
    import socket

    import uvicorn

    from classroom.session import Session
    from classroom.web.app import create_app
    from sim import Parameters

    params = Parameters().with_values({"population.households": households})
    session = Session(
        params, round_days=round_days, decision_seconds=None, max_students=students + 5
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(
        create_app(session, public_url=base),
        log_level="warning",
        access_log=False,
        limit_concurrency=1000,
        timeout_graceful_shutdown=2,
    )
    print(
        json.dumps({"base": base, "code": session.code, "token": session.instructor_token}),
        flush=True,
    )
    uvicorn.Server(config).run(sockets=[sock])


class Student:
    """One phone: its token, its role, its stream and the views it fetched."""

    def __init__(self, http, name: str) -> None:
        self.http, self.name = http, name
        self.headers: dict[str, str] = {}
        self.role: dict | None = None
        self.levers: list[dict] = []
        self.round = 0
        self.version = -1
        self.seen: dict[int, float] = {}  # round -> when its view arrived (perf_counter)
        self.fetching = False
        self.again = False
        self.waiters: dict[int, asyncio.Event] = {}
        self.tasks: set[asyncio.Task] = set()

    def served(self, round_: int) -> asyncio.Event:
        return self.waiters.setdefault(round_, asyncio.Event())

    async def join(self, code: str) -> None:
        r = await self.http.post("/api/join", json={"code": code, "name": self.name})
        r.raise_for_status()
        self.headers = {"x-student-token": r.json()["token"]}

    async def claim(self, role_id: str) -> bool:
        r = await self.http.post("/api/claim", json={"role_id": role_id}, headers=self.headers)
        return r.status_code == 200

    async def fetch(self) -> None:
        if self.fetching:
            self.again = True
            return
        self.fetching = True
        try:
            while True:
                self.again = False
                r = await self.http.get("/api/student", headers=self.headers)
                view = r.json()
                now = time.perf_counter()
                self.round, self.role, self.levers = view["round"], view["role"], view["levers"]
                self.seen.setdefault(self.round, now)
                self.served(self.round).set()
                if not self.again:
                    break
        finally:
            self.fetching = False

    async def listen(self) -> None:
        while True:
            async with self.http.stream("GET", "/api/events") as stream:
                async for line in stream.aiter_lines():
                    if line.startswith("data: "):
                        version = int(line[6:])
                        if version != self.version:
                            self.version = version
                            task = asyncio.get_running_loop().create_task(self.fetch())
                            self.tasks.add(task)
                            task.add_done_callback(self.tasks.discard)

    async def decide(self, round_: int) -> None:
        if not self.role:
            return
        values = {}
        for lever in self.levers:
            if lever["kind"] == "bool":
                values[lever["key"]] = round_ % 2 == 1
            else:
                value = lever["low"] + (lever["high"] - lever["low"]) * (0.2 + 0.1 * (round_ % 3))
                values[lever["key"]] = round(value) if lever["kind"] == "int" else value
        r = await self.http.post("/api/decide", json={"values": values}, headers=self.headers)
        r.raise_for_status()


async def drive(info: dict, students: int, rounds: int) -> dict:
    import httpx

    base, me = info["base"], {"x-instructor-token": info["token"]}
    limits = httpx.Limits(max_connections=4)
    clients = [
        httpx.AsyncClient(base_url=base, timeout=WAIT, limits=limits) for _ in range(students)
    ]
    boss = httpx.AsyncClient(base_url=base, timeout=WAIT, headers=me)
    pupils = [Student(c, f"student {i + 1}") for i, c in enumerate(clients)]
    try:
        await asyncio.gather(*(p.join(info["code"]) for p in pupils))
        lobby = (await boss.get("/api/lobby")).json()
        roles = [r["id"] for r in lobby["roles"]]
        for pupil, role_id in zip(pupils, roles, strict=False):
            await pupil.claim(role_id)
        listeners = [asyncio.create_task(p.listen()) for p in pupils]
        (await boss.post("/api/instructor/start")).raise_for_status()
        await asyncio.wait_for(asyncio.gather(*(p.served(1).wait() for p in pupils)), WAIT)
        rows = []
        for n in range(1, rounds + 1):
            await asyncio.gather(*(p.decide(n) for p in pupils))
            sent = time.perf_counter()
            r = await boss.post("/api/instructor/advance")
            advanced = time.perf_counter() - sent
            r.raise_for_status()
            await asyncio.wait_for(asyncio.gather(*(p.served(n + 1).wait() for p in pupils)), WAIT)
            latencies = [p.seen[n + 1] - sent for p in pupils]
            rows.append(
                {
                    "round": n,
                    "decisions": len(r.json()["applied"]),
                    "advance_s": advanced,
                    "median_s": statistics.median(latencies),
                    "max_s": max(latencies),
                    "latencies": latencies,
                }
            )
            print(
                f"round {n}: advance {advanced:.3f} s; every view updated: median "
                f"{rows[-1]['median_s']:.3f} s, slowest {rows[-1]['max_s']:.3f} s "
                f"({rows[-1]['decisions']} decisions)",
                flush=True,
            )
        pending = listeners + [t for p in pupils for t in p.tasks]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        every = [x for row in rows for x in row["latencies"]]
        return {
            "students": students,
            "with_a_role": sum(1 for p in pupils if p.role),
            "rounds": rows,
            "advance_median_s": statistics.median(r["advance_s"] for r in rows),
            "median_s": statistics.median(every),
            "max_s": max(every),
        }
    finally:
        await asyncio.gather(*(c.aclose() for c in clients), boss.aclose())


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--households", type=int, default=10_000)
    ap.add_argument("--round-days", type=int, default=7)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the child
    args = ap.parse_args(argv)
    if args.serve:
        serve(args.households, args.round_days, args.students)
        return {}
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    cmd = [sys.executable, __file__, "--serve", "--households", str(args.households)]
    cmd += ["--round-days", str(args.round_days), "--students", str(args.students)]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        info = json.loads(server.stdout.readline())
        result = asyncio.run(drive(info, args.students, args.rounds))
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    result.update(households=args.households, round_days=args.round_days, cpus=os.cpu_count())
    print(
        f"{args.students} students ({result['with_a_role']} with a role), "
        f"{args.households:,} households, {args.round_days} days a round, "
        f"{len(result['rounds'])} rounds: advance (the model) median "
        f"{result['advance_median_s']:.3f} s; advance -> every view updated: median "
        f"{result['median_s']:.3f} s, max {result['max_s']:.3f} s"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
