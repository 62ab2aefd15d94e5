"""One class's session: join with a code, claim a role, decide its levers each round, and the
instructor's controls (HubNet's model, in pure Python; the web layer is ``classroom.web``).

Decisions are pending until the next :meth:`Session.advance`, which applies them from the
day about to run (a grid's or community's lever with ``model.apply_local``, the city's with
``model.apply``), then runs one round of ``round_days`` days. A role nobody decides for
keeps what is in force: the scenario's values, and its timeline. Every decision applied is a
row of :attr:`Session.decisions`, from which :func:`classroom.debrief.replay` rebuilds the
run bit for bit.

Phases: ``lobby`` -> ``running`` <-> ``paused`` -> ``ended``. Every public method takes the
one lock: the web layer may call them from any thread (``advance`` from a worker, so the
server never waits on the model).
"""

from __future__ import annotations

import math
import secrets
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim import KEY_METRICS, Parameters
from sim.params import ParameterError
from sim.timeline import check_change

from .debrief import ClassRun, export
from .roles import KINDS, MAX_GRID_ROLES, Role, catalogue
from .views import area_values, grid_map, key_series, num, own_area

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read off a projector is typed right the first time.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
NAME_MAX = 24
LANGS = ("en", "zh")
PHASES = ("lobby", "running", "paused", "ended")
SERIES_ROUNDS = 8  # the console's series show the last rounds, a few weeks
JOIN_URL = "/join/{code}"  # the web layer puts its host in front


class Refused(Exception):
    """A request the session does not carry out, with the HTTP status the web layer returns
    (403 not allowed, 404 no such thing, 409 not now, 422 a bad value) and the reason in
    both languages."""

    def __init__(self, status: int, reason_en: str, reason_zh: str) -> None:
        super().__init__(reason_en)
        self.status, self.reason_en, self.reason_zh = status, reason_en, reason_zh

    def reason(self, lang: str) -> str:
        return self.reason_zh if lang == "zh" else self.reason_en

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "reason_en": self.reason_en, "reason_zh": self.reason_zh}


@dataclass
class Student:
    token: str
    name: str
    lang: str
    role_id: str | None = None


@dataclass
class Pending:
    """A role's decision for the next round: who made it and the values (latest per key)."""

    student: str
    values: dict[str, Any] = field(default_factory=dict)


class Session:
    """A class playing one town. See the module's docstring; ``clock`` (seconds, monotonic)
    is injectable so tests can move time; ``ttl_seconds`` makes the join code expire."""

    def __init__(
        self,
        params: Parameters,
        *,
        scenario: str | None = None,
        kinds: tuple[str, ...] = KINDS,
        round_days: int = 7,
        decision_seconds: float | None = 90,
        max_students: int = 80,
        out: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_grid_roles: int = MAX_GRID_ROLES,
        ttl_seconds: float | None = None,
        seed: int | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self.params = Parameters.coerce(params).check()
        self.seed = self.params.scenario.seed if seed is None else int(seed)
        self.scenario = scenario or self.params.scenario.name
        self.max_students = max_students
        self.max_grid_roles = max_grid_roles
        self.out = out
        self.clock = clock
        self.code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        self.instructor_token = secrets.token_urlsafe(24)
        self._expires = None if ttl_seconds is None else clock() + ttl_seconds
        self.round_days = _whole(round_days, "round_days", 1)
        self.decision_seconds = _seconds(decision_seconds)
        self.run = ClassRun.start(self.params, self.seed, max_grid_roles)  # warm-up included
        self.kinds = tuple(kinds)
        self.roles: dict[str, Role] = {r.id: r for r in self._catalogue(self.kinds)}
        self.phase = "lobby"
        self.round = 0  # the round being decided; 1 once started
        self.version = 0
        self.city_shown = True
        self.students: dict[str, Student] = {}
        self.pending: dict[str, Pending] = {}
        self.decisions: list[dict[str, Any]] = []
        self.rounds: list[dict[str, Any]] = []  # what each round ran and ended with
        self._deadline: float | None = None
        self._paused_left: float | None = None
        self.folder: Path | None = None
        self._ending = False  # the debrief is being written (outside the lock)
        self._values: tuple[int, dict] | None = None  # area values of the model's day

    @property
    def model(self) -> Any:
        return self.run.model

    # --- Students.

    def join(self, code: str, name: str, lang: str = "zh") -> dict[str, Any]:
        """A new student: ``{token, name, role}`` (the name may get a number if taken)."""
        with self._lock:
            if not isinstance(code, str) or not secrets.compare_digest(
                code.strip().upper().encode(), self.code.encode()
            ):
                raise Refused(404, "No session has this code.", "没有使用此代码的课堂。")
            if self._expired():
                raise Refused(403, "This session's code has expired.", "此课堂代码已失效。")
            if len(self.students) >= self.max_students:
                raise Refused(409, "The session is full.", "课堂人数已满。")
            lang = _lang(lang)
            name = self._unique(_name(name))
            student = Student(secrets.token_urlsafe(24), name, lang)
            self.students[student.token] = student
            self._changed()
            return {"token": student.token, "name": student.name, "role": None}

    def claim(self, token: str, role_id: str) -> dict[str, Any]:
        """Take role ``role_id`` (giving up the one held before): the role as a dict."""
        with self._lock:
            student = self._student(token)
            self._not_ended()
            role = self.roles.get(role_id)
            if role is None:
                raise Refused(404, "No such role.", "没有这个角色。")
            holder = self._holder(role_id)
            if holder is not None and holder is not student:
                raise Refused(409, "Another student has this role.", "这个角色已被其他同学选择。")
            if student.role_id != role_id:
                self._release(student)
                student.role_id = role_id
                self._changed()
            return role.as_dict(student.lang)

    def release(self, token: str) -> None:
        """Give up the role held (its pending decision goes with it)."""
        with self._lock:
            student = self._student(token)
            if student.role_id is not None:
                self._release(student)
                self._changed()

    def decide(self, token: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Set levers of the student's own role for the next round: ``{key: value}``, each
        checked against the lever's range and by the model (None: back to the city's
        value, for a grid's or community's lever). Returns the role's pending values."""
        with self._lock:
            student = self._student(token)
            if self.phase != "running":
                raise Refused(409, f"Decisions are closed ({self.phase}).", "现在不能提交决定。")
            if self._deadline is not None and self.clock() >= self._deadline:
                raise Refused(
                    409, "This round's time is up; wait for the next.", "本轮时间已到，请等下一轮。"
                )
            if student.role_id is None:
                raise Refused(409, "Choose a role first.", "请先选择一个角色。")
            role = self.roles[student.role_id]
            if not isinstance(values, Mapping) or not values:
                raise Refused(422, "No values given.", "没有提交任何取值。")
            checked = {key: _checked(role, key, value) for key, value in values.items()}
            pending = self.pending.setdefault(role.id, Pending(student.name))
            pending.student = student.name
            pending.values.update(checked)
            self._changed()
            return dict(pending.values)

    def set_lang(self, token: str, lang: str) -> None:
        with self._lock:
            self._student(token).lang = _lang(lang)
            self._changed()

    # --- The instructor's controls: each takes the instructor token first.

    def configure(
        self,
        itoken: str,
        *,
        kinds: tuple[str, ...] | None = None,
        round_days: int | None = None,
        decision_seconds: float | None = None,
    ) -> None:
        """Change the roles on offer (in the lobby only: students hold them later), the
        days a round runs and the seconds to decide (from the next round)."""
        with self._lock:
            self._instructor(itoken)
            self._not_ended()
            if kinds is not None:
                if self.phase != "lobby":
                    raise Refused(
                        409, "Roles can change only in the lobby.", "只能在开始前更改角色。"
                    )
                try:
                    roles = {r.id: r for r in self._catalogue(tuple(kinds))}
                except ValueError as err:
                    raise Refused(422, str(err), "未知的角色类型。") from None
                self.kinds, self.roles = tuple(kinds), roles
                for student in self.students.values():
                    if student.role_id not in roles:
                        student.role_id = None
                self.pending = {k: v for k, v in self.pending.items() if k in roles}
            if round_days is not None:
                self.round_days = _whole(round_days, "round_days", 1)
            if decision_seconds is not None:
                self.decision_seconds = _seconds(decision_seconds)
            self._changed()

    def start(self, itoken: str) -> None:
        """Open round 1."""
        with self._lock:
            self._instructor(itoken)
            self._in("lobby")
            self.phase, self.round = "running", 1
            self._open_round()
            self._changed()

    def pause(self, itoken: str) -> None:
        """Stop the clock; decisions wait until :meth:`resume`."""
        with self._lock:
            self._instructor(itoken)
            self._in("running")
            self._paused_left = self._seconds_left()  # while still running
            self.phase = "paused"
            self._changed()

    def resume(self, itoken: str) -> None:
        """The clock goes on with the seconds that were left."""
        with self._lock:
            self._instructor(itoken)
            self._in("paused")
            self.phase = "running"
            left = self._paused_left
            self._deadline = None if left is None else self.clock() + left
            self._changed()

    def advance(self, itoken: str) -> dict[str, Any]:
        """Apply the pending decisions and run one round; returns what was applied."""
        with self._lock:
            self._instructor(itoken)
            self._in("running")
            first = int(self.model.record_day)
            applied, refused = self._apply_pending()
            self.run.step(self.round_days)
            values = self._area_values()
            summary = {
                "round": self.round,
                "from_day": first,
                "to_day": int(self.model.record_day) - 1,
                "decisions": len(applied),
                "city": {m["name"]: m["own"] for m in own_area(values, "city", None, "en")},
            }
            self.rounds.append(summary)
            self.round += 1
            self._open_round()
            self._changed()
            return {**summary, "applied": applied, "refused": refused}

    def end(self, itoken: str) -> Path:
        """End the session (the code expires) and write the debrief folder; its path."""
        with self._lock:
            self._instructor(itoken)
            if self.folder is not None:
                return self.folder
            if self._ending:
                raise Refused(409, "The debrief is being written.", "正在生成课堂复盘。")
            self._ending = True
            self.phase = "ended"
            self._deadline = None
            self.pending.clear()
            self._changed()
            # The debrief's reruns take a while: copy what they need, and let go of the lock
            # so students' pages still answer (the session cannot change once ended).
            base = self.out or Path(tempfile.mkdtemp(prefix="sanzhi-classroom-"))
            folder = Path(base) / f"classroom-{self.code}"
            job = (self.run, self.scenario, self.seed, list(self.decisions), self._roster())
        run, scenario, seed, decisions, roster = job
        try:
            export(folder, run, scenario=scenario, seed=seed, decisions=decisions, roster=roster)
        finally:
            with self._lock:
                self._ending = False
        with self._lock:
            self.folder = folder
            self._changed()
        return folder

    def show_city(self, itoken: str, shown: bool) -> None:
        """Whether students see the city's values next to their own area's."""
        with self._lock:
            self._instructor(itoken)
            self.city_shown = bool(shown)
            self._changed()

    def close(self) -> None:
        """Let the model go (the server drops the session); nothing works afterwards."""
        with self._lock:
            self.phase = "ended"
            self.run.close()

    # --- Views (JSON-safe dicts).

    def student_view(self, token: str) -> dict[str, Any]:
        """What a student's page shows; the same token always gets the same role back."""
        with self._lock:
            student = self._student(token)
            lang = student.lang
            role = self.roles.get(student.role_id) if student.role_id else None
            view: dict[str, Any] = {
                **self._clock_view(),
                "lang": lang,
                "name": student.name,
                "role": None,
                "levers": [],
                "area": None,
                "city_shown": self.city_shown,
                "decided": False,
            }
            if role is not None:
                pending = self.pending.get(role.id)
                view["role"] = role.as_dict(lang)
                view["decided"] = pending is not None
                view["levers"] = [
                    {
                        **lever.as_dict(lang),
                        "value": _json(self._in_force(role, lever.key)),
                        "pending": _json(pending.values[lever.key])
                        if pending and lever.key in pending.values
                        else None,
                        "has_pending": bool(pending and lever.key in pending.values),
                    }
                    for lever in role.levers
                ]
                area = own_area(self._area_values(), role.scope, role.unit, lang)
                if not self.city_shown:
                    for row in area:
                        row["city"] = None
                view["area"] = area
            return view

    def console_view(self, itoken: str, lang: str = "en") -> dict[str, Any]:
        """The instructor's console: roster, roles, grid map, series, last decisions."""
        with self._lock:
            self._instructor(itoken)
            values = self._area_values()
            last = max((row["round"] for row in self.decisions), default=None)
            return {
                **self._clock_view(),
                "code": self.code,
                "join_url": JOIN_URL.format(code=self.code),
                "scenario": self.scenario,
                "seed": self.seed,
                "households": int(self.model.households.n),
                "round_days": self.round_days,
                "decision_seconds": self.decision_seconds,
                "city_shown": self.city_shown,
                "kinds": list(self.kinds),
                "roster": self._roster(),
                "roles": self._roles_view(lang),
                "grid_map": grid_map(self.model, values, lang),
                "city": own_area(values, "city", None, lang),
                "series": key_series(
                    self.model, KEY_METRICS, SERIES_ROUNDS * self.round_days, lang
                ),
                "rounds": list(self.rounds),
                "last_decisions": [
                    {k: _json(v) for k, v in row.items()}
                    for row in self.decisions
                    if row["round"] == last
                ],
                "folder": None if self.folder is None else str(self.folder),
            }

    def lobby_view(self, lang: str = "zh") -> dict[str, Any]:
        """What anyone with the code sees before joining: the roles and whether taken."""
        with self._lock:
            return {
                "phase": self.phase,
                "open": not self._expired() and len(self.students) < self.max_students,
                "roles": self._roles_view(lang, names=False),
                "version": self.version,
            }

    # --- Inside the lock.

    def _catalogue(self, kinds: tuple[str, ...]) -> list[Role]:
        return catalogue(self.model, kinds, max_grids=self.max_grid_roles)

    def _changed(self) -> None:
        self.version += 1

    def _expired(self) -> bool:
        return self.phase == "ended" or (
            self._expires is not None and self.clock() >= self._expires
        )

    def _student(self, token: str) -> Student:
        student = self.students.get(token) if isinstance(token, str) else None
        if student is None:
            raise Refused(403, "Unknown student; join again.", "未识别的学生，请重新加入。")
        return student

    def _instructor(self, itoken: str) -> None:
        if not isinstance(itoken, str) or not secrets.compare_digest(
            itoken.encode(), self.instructor_token.encode()
        ):
            raise Refused(403, "Only the instructor may do this.", "只有教师可以进行此操作。")

    def _in(self, phase: str) -> None:
        if self.phase != phase:
            raise Refused(
                409,
                f"Not now: the session is {self.phase}.",
                f"现在不能操作（课堂状态：{self.phase}）。",
            )

    def _not_ended(self) -> None:
        if self.phase == "ended":
            raise Refused(409, "The session has ended.", "课堂已结束。")

    def _holder(self, role_id: str) -> Student | None:
        return next((s for s in self.students.values() if s.role_id == role_id), None)

    def _release(self, student: Student) -> None:
        if student.role_id is not None:
            self.pending.pop(student.role_id, None)
            student.role_id = None

    def _unique(self, name: str) -> str:
        """``name``, or ``name 2``, ``name 3``... if another student has it."""
        taken = {s.name.casefold() for s in self.students.values()}
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            tail = f" {n}"
            candidate = name[: NAME_MAX - len(tail)] + tail
        return candidate

    def _open_round(self) -> None:
        self._deadline = (
            None if self.decision_seconds is None else self.clock() + self.decision_seconds
        )

    def _seconds_left(self) -> float | None:
        if self.phase == "paused":
            return self._paused_left
        if self._deadline is None or self.phase != "running":
            return None
        return max(0.0, self._deadline - self.clock())

    def _clock_view(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "round": self.round,
            "day": int(self.model.record_day),
            "deadline_seconds_left": self._seconds_left(),
            "version": self.version,
        }

    def _area_values(self) -> dict:
        """Every area's metrics today; kept until the model's next day (a class of forty
        pages asks for them after every change)."""
        day = int(self.model.day)
        if self._values is None or self._values[0] != day:
            self._values = (day, area_values(self.model, self.run.record.counter))
        return self._values[1]

    def _in_force(self, role: Role, key: str) -> Any:
        if role.scope == "city":
            return self.model.params.get(key)
        return self.model.local_value(key)[role.unit]

    def _apply_pending(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The pending decisions, role by role in the catalogue's order, applied and logged
        as each is applied (the log is what a replay follows); a decision the model refuses
        (checked at :meth:`decide`, so not expected) is dropped and reported."""
        day = int(self.model.record_day)
        applied: list[dict[str, Any]] = []
        refused: list[dict[str, Any]] = []
        for role in self.roles.values():
            pending = self.pending.get(role.id)
            if pending is None:
                continue
            group = [
                {
                    "round": self.round,
                    "record_day": day,
                    "student": pending.student,
                    "role_id": role.id,
                    "kind": role.kind,
                    "scope": role.scope,
                    "unit": role.unit,
                    "key": key,
                    "value": value,
                }
                for key, value in pending.values.items()
            ]
            try:
                self.run.apply(group)
            except (ParameterError, ValueError) as err:
                refused.append({"role_id": role.id, "reason": str(err)})
                continue
            self.decisions += group
            applied += group
        self.pending.clear()
        return applied, refused

    def _roster(self) -> list[dict[str, Any]]:
        return [
            {
                "name": s.name,
                "role_id": s.role_id,
                "decided": s.role_id is not None and s.role_id in self.pending,
            }
            for s in self.students.values()
        ]

    def _roles_view(self, lang: str, names: bool = True) -> list[dict[str, Any]]:
        out = []
        for role in self.roles.values():
            holder = self._holder(role.id)
            row = {**role.as_dict(lang), "taken": holder is not None}
            if names:
                row["claimed_by"] = None if holder is None else holder.name
            out.append(row)
        return out


# --- Checks of what comes in.


def _name(name: Any) -> str:
    if not isinstance(name, str):
        raise Refused(422, "A name is text.", "名字必须是文字。")
    name = unicodedata.normalize("NFC", name).strip()
    if not 1 <= len(name) <= NAME_MAX:
        raise Refused(
            422, f"A name has 1 to {NAME_MAX} characters.", f"名字须为1到{NAME_MAX}个字符。"
        )
    # Control, format (bidirectional overrides, zero-width) and unassigned characters
    # would let a name look like another's, or break the roster.
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise Refused(422, "A name cannot hold control characters.", "名字不能包含控制字符。")
    return name


def _lang(lang: Any) -> str:
    if lang not in LANGS:
        raise Refused(422, f"Language: one of {', '.join(LANGS)}.", "语言只能是 en 或 zh。")
    return lang


def _whole(value: Any, what: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise Refused(
            422, f"{what}: a whole number of at least {low}.", f"{what}：须为不小于{low}的整数。"
        )
    return value


def _seconds(value: Any) -> float | None:
    """Seconds to decide; None or 0: no deadline."""
    if value is None or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise Refused(422, "decision_seconds: a positive number.", "决定时限须为正数。")
    return float(value)


def _checked(role: Role, key: str, value: Any) -> Any:
    """``value`` as lever ``key`` of ``role`` takes it, or Refused (403 not the role's
    lever, 422 not a value the lever or the model takes)."""
    if key not in role.keys:
        raise Refused(403, f"{key} is not a lever of your role.", f"{key} 不是你的角色可调的参数。")
    lever = role.lever(key)
    if value is None:
        if role.scope == "city":
            raise Refused(422, f"{key}: a value is needed.", f"{key}：需要一个取值。")
        return None  # back to the city-wide value
    if lever.kind == "choice":
        allowed = ", ".join(lever.choices)
        within_en, within_zh = f" (one of {allowed})", f"（可选：{allowed}）"
    elif lever.kind == "bool":
        within_en = within_zh = ""
    else:
        within_en, within_zh = (
            f" ({lever.low:g} to {lever.high:g})",
            f"（{lever.low:g}–{lever.high:g}）",
        )
    bad = Refused(
        422,
        f"{key}: {value!r} is not a value of this lever{within_en}",
        f"{key}：取值 {value!r} 无效{within_zh}",
    )
    if lever.kind == "choice":
        if not isinstance(value, str) or value not in lever.choices:
            raise bad
    elif lever.kind == "bool":
        if not isinstance(value, bool):
            raise bad
    else:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise bad
        if lever.kind == "int":
            if value != int(value):
                raise bad
            value = int(value)
        if not lever.low <= value <= lever.high:
            raise bad
    try:
        return check_change(key, value)  # the model's own check: type and Spec range
    except ParameterError as err:
        raise Refused(422, str(err), f"{key}：取值无效（{err.reason}）") from None


def _json(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else num(value)
