"""The classroom session core: roles, joining, claiming, deciding, rounds, every refusal."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from classroom import KINDS, Refused, Session, catalogue
from classroom.roles import MAX_GRID_ROLES
from classroom.session import ALPHABET, CODE_LENGTH, NAME_MAX
from classroom.views import area_values
from dashboards.i18n import LEVER_TEXT
from dashboards.state import LEVERS_BY_KEY, SPECS
from sim import GovernanceModel
from sim.scoped import SCOPED
from tests.conftest import CLASS_PARAMS

PARAMS = CLASS_PARAMS


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def session(clock: Clock) -> Session:
    return Session(PARAMS, scenario="test", clock=clock, decision_seconds=60)


def refused(status: int, call, *args, **kwargs) -> Refused:
    with pytest.raises(Refused) as info:
        call(*args, **kwargs)
    assert info.value.status == status, info.value.reason_en
    assert info.value.reason_en and info.value.reason_zh
    return info.value


def joined(session: Session, name: str = "Li Wei", role: str | None = None) -> str:
    token = session.join(session.code, name)["token"]
    if role is not None:
        session.claim(token, role)
    return token


# --- Roles.


def test_catalogue_has_each_kind_with_the_levers_and_ranges_of_the_specs():
    model = GovernanceModel(PARAMS)
    roles = catalogue(model)
    ids = [r.id for r in roles]
    assert ids == (
        [f"grid-{g}" for g in range(8)]
        + ["legal-0", "legal-1", "party-0", "party-1", "residents-0", "residents-1", "moral"]
    )
    assert {r.kind for r in roles} == set(KINDS)
    by_id = {r.id: r for r in roles}
    assert by_id["grid-3"].scope == "grid" and by_id["grid-3"].unit == 3
    assert by_id["party-1"].scope == "community" and by_id["party-1"].unit == 1
    assert by_id["moral"].scope == "city" and by_id["moral"].unit is None
    assert by_id["grid-3"].keys == (
        "staffing.admin_load",
        "staffing.patrol_time",
        "staffing.serve_first",
    )
    assert by_id["legal-0"].keys == (
        "rule_of_law.legal_lectures_per_year",
        "rule_of_law.mediation_rounds",
        "rule_of_law.advisor_attendance",
    )
    assert by_id["party-0"].keys == (
        "fusion.party_coordination",
        "fusion.council_convening",
        "fusion.party_visit_cases_per_week",
        "fusion.member_mobilisation",
    )
    assert by_id["moral"].keys == ("moral.moral_bank", "moral.red_black_list", "moral.role_models")
    for role in roles:
        assert role.name_en and role.name_zh and role.name_en != role.name_zh
        for lever in role.levers:
            kind, spec = SPECS[lever.key]
            assert (lever.label_en, lever.label_zh) == LEVER_TEXT[lever.key][:2]
            if spec.choices:  # a choice: its values in the Spec's order, no range
                assert lever.kind == "choice" and lever.choices == spec.choices
                assert lever.low is lever.high is lever.step is None
                continue
            assert lever.kind == kind.__name__
            if kind is bool:
                assert lever.low is lever.high is lever.step is None
                continue
            slider = LEVERS_BY_KEY[lever.key]
            assert (lever.low, lever.high, lever.step) == (slider.low, slider.high, slider.step)
            assert spec.low <= lever.low < lever.high <= spec.high
    # the grid worker's admin load is the Spec's whole range
    admin = by_id["grid-0"].levers[0]
    assert (admin.low, admin.high) == (SPECS[admin.key][1].low, SPECS[admin.key][1].high)


def test_catalogue_caps_grid_roles_and_refuses_unknown_kinds():
    model = GovernanceModel(PARAMS)
    assert [r.id for r in catalogue(model, ("grid_worker",), max_grids=3)] == [
        "grid-0",
        "grid-1",
        "grid-2",
    ]
    big = GovernanceModel(PARAMS.with_values({"population.households_per_grid": 100}))
    assert big.layout.n_grids > MAX_GRID_ROLES
    assert len(catalogue(big, ("grid_worker",))) == MAX_GRID_ROLES
    assert [r.id for r in catalogue(model, ("moral_office",))] == ["moral"]
    with pytest.raises(ValueError, match="unknown role kinds"):
        catalogue(model, ("mayor",))


# --- Joining.


def test_code_and_tokens_come_from_secrets(session: Session):
    assert len(session.code) == CODE_LENGTH and set(session.code) <= set(ALPHABET)
    assert not set(ALPHABET) & set("01OIL5S2Z8B")
    assert len(session.instructor_token) >= 24
    other = Session(PARAMS)
    assert (other.code, other.instructor_token) != (session.code, session.instructor_token)
    a = session.join(session.code, "A")
    b = session.join(session.code.lower(), "B")  # typed in lower case: the same code
    assert a["token"] != b["token"] and a["token"] != session.instructor_token


def test_wrong_code_is_refused(session: Session):
    refused(404, session.join, "AAAAAA", "Li")
    refused(404, session.join, "", "Li")
    refused(404, session.join, None, "Li")
    assert session.students == {}


def test_code_expires_after_the_ttl(clock: Clock):
    s = Session(PARAMS, clock=clock, ttl_seconds=600)
    s.join(s.code, "early")
    clock.t += 601
    refused(403, s.join, s.code, "late")
    assert not s.lobby_view()["open"]


def test_code_expires_when_the_session_ends(session: Session, tmp_path):
    session.out = tmp_path
    session.join(session.code, "early")
    session.end(session.instructor_token)
    refused(403, session.join, session.code, "late")


def test_a_full_session_refuses(clock: Clock):
    s = Session(PARAMS, clock=clock, max_students=2)
    s.join(s.code, "a")
    s.join(s.code, "b")
    refused(409, s.join, s.code, "c")
    assert len(s.students) == 2


def test_joins_from_many_threads_never_exceed_the_limit(clock: Clock):
    s = Session(PARAMS, clock=clock, max_students=10)
    errors: list[int] = []

    def join(i: int) -> None:
        try:
            s.join(s.code, "student")
        except Refused as err:
            errors.append(err.status)

    threads = [threading.Thread(target=join, args=(i,)) for i in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(s.students) == 10 and errors == [409] * 15
    assert len({st.name for st in s.students.values()}) == 10  # suffixed, all distinct


@pytest.mark.parametrize(
    "name", ["", "   ", "x" * (NAME_MAX + 1), "a\x00b", "tab\there", "a\u202eb", "z\u200bw", 42]
)
def test_bad_names_are_refused(session: Session, name):
    refused(422, session.join, session.code, name)


def test_names_are_stripped_and_made_unique(session: Session):
    assert session.join(session.code, "  Li Wei ")["name"] == "Li Wei"
    assert session.join(session.code, "Li Wei")["name"] == "Li Wei 2"
    assert session.join(session.code, "li wei")["name"] == "li wei 3"
    long = "名" * NAME_MAX
    assert session.join(session.code, long)["name"] == long
    second = session.join(session.code, long)["name"]
    assert second.endswith(" 2") and len(second) == NAME_MAX
    refused(422, session.join, session.code, "ok", lang="fr")


# --- Claiming.


def test_claim_release_and_a_taken_role(session: Session):
    a = joined(session, "a")
    b = joined(session, "b")
    assert session.claim(a, "grid-3")["id"] == "grid-3"
    refused(409, session.claim, b, "grid-3")
    refused(404, session.claim, b, "grid-99")
    refused(403, session.claim, "not-a-token", "grid-4")
    session.claim(a, "party-0")  # one role a student: grid-3 is free again
    assert session.students[a].role_id == "party-0"
    assert session.claim(b, "grid-3")["id"] == "grid-3"
    session.release(b)
    assert session.students[b].role_id is None
    roles = {r["id"]: r for r in session.lobby_view()["roles"]}
    assert roles["party-0"]["taken"] and not roles["grid-3"]["taken"]


def test_reconnect_with_the_token_gets_the_role_back(session: Session):
    token = joined(session, "Wang", "moral")
    session.start(session.instructor_token)
    session.advance(session.instructor_token)
    view = session.student_view(token)  # a new page, the same token
    assert view["role"]["id"] == "moral" and view["name"] == "Wang"
    assert [lv["key"] for lv in view["levers"]] == list(session.roles["moral"].keys)
    refused(403, session.student_view, "somebody-else")


def test_lobby_view_shows_roles_but_no_tokens_or_names(session: Session):
    token = joined(session, "Zhao", "moral")
    text = json.dumps(session.lobby_view(), ensure_ascii=False)
    assert token not in text and session.instructor_token not in text and "Zhao" not in text
    roles = {r["id"]: r for r in session.lobby_view("en")["roles"]}
    assert roles["moral"]["taken"] and roles["moral"]["name"] == "Moral-governance office"


# --- Deciding.


def test_decide_refusals(session: Session):
    token = joined(session, "a", "moral")
    other = joined(session, "b")
    refused(409, session.decide, token, {"moral.moral_bank": True})  # still in the lobby
    session.start(session.instructor_token)
    refused(409, session.decide, other, {"moral.moral_bank": True})  # no role
    refused(403, session.decide, "bad-token", {"moral.moral_bank": True})
    refused(403, session.decide, token, {"staffing.admin_load": 0.5})  # a grid worker's
    refused(403, session.decide, token, {"scenario.seed": 1})
    refused(422, session.decide, token, {"moral.role_models": 1.5})  # above the range
    refused(422, session.decide, token, {"moral.role_models": -0.1})
    refused(422, session.decide, token, {"moral.role_models": float("nan")})
    refused(422, session.decide, token, {"moral.role_models": True})
    refused(422, session.decide, token, {"moral.role_models": "0.5"})
    refused(422, session.decide, token, {"moral.moral_bank": 1})
    refused(422, session.decide, token, {"moral.moral_bank": None})  # the city has no "back"
    refused(422, session.decide, token, {})
    assert session.pending == {}  # nothing half-taken
    # a refused value among good ones refuses them all
    refused(422, session.decide, token, {"moral.moral_bank": True, "moral.role_models": 2})
    assert session.pending == {}


def test_out_of_range_uses_the_levers_range(session: Session):
    token = joined(session, "a", "legal-0")
    session.start(session.instructor_token)
    lever = session.roles["legal-0"].lever("rule_of_law.legal_lectures_per_year")
    assert lever.high < SPECS[lever.key][1].high  # the classroom's range is narrower
    refused(422, session.decide, token, {lever.key: lever.high + 1})
    assert session.decide(token, {lever.key: lever.high}) == {lever.key: lever.high}


def test_int_levers_take_whole_numbers(session: Session):
    token = joined(session, "a", "residents-1")
    session.start(session.instructor_token)
    key = "self_governance.topics_per_deliberation"
    refused(422, session.decide, token, {key: 2.5})
    assert session.decide(token, {key: 7.0}) == {key: 7}


def test_choice_levers_take_one_of_their_choices_and_apply_to_their_grid(session: Session):
    token = session.join(session.code, "a", lang="zh")["token"]
    session.claim(token, "grid-2")
    session.start(session.instructor_token)
    key = "staffing.serve_first"
    view = session.student_view(token)
    lever = next(lv for lv in view["levers"] if lv["key"] == key)
    assert lever["kind"] == "choice" and lever["value"] == "oldest"
    assert [c["value"] for c in lever["choices"]] == ["oldest", "disputes", "services"]
    assert [c["label"] for c in lever["choices"]] == ["先到先办", "矛盾纠纷", "服务诉求"]
    for bad in ("violations", 1, True, None.__class__.__name__, "__import__('os')"):
        refused(422, session.decide, token, {key: bad})
    assert session.decide(token, {key: "disputes"}) == {key: "disputes"}
    session.advance(session.instructor_token)
    in_force = session.model.local_value(key)
    assert in_force[2] == "disputes" and set(in_force[[0, 1, 3]]) == {"oldest"}
    lever = next(lv for lv in session.student_view(token)["levers"] if lv["key"] == key)
    assert lever["value"] == "disputes"


def test_deadline_with_a_fake_clock(session: Session, clock: Clock):
    token = joined(session, "a", "moral")
    session.start(session.instructor_token)
    assert session.student_view(token)["deadline_seconds_left"] == 60
    clock.t += 59
    session.decide(token, {"moral.moral_bank": True})
    clock.t += 1
    assert session.student_view(token)["deadline_seconds_left"] == 0
    refused(409, session.decide, token, {"moral.red_black_list": True})
    session.advance(session.instructor_token)  # a new round, a new deadline
    assert session.decide(token, {"moral.red_black_list": True}) == {"moral.red_black_list": True}
    # a paused clock keeps its seconds
    clock.t += 20
    session.pause(session.instructor_token)
    refused(409, session.decide, token, {"moral.role_models": 0.5})
    clock.t += 1000
    assert session.student_view(token)["deadline_seconds_left"] == 40
    session.resume(session.instructor_token)
    clock.t += 39
    session.decide(token, {"moral.role_models": 0.5})
    clock.t += 1
    refused(409, session.decide, token, {"moral.role_models": 0.6})


# --- The instructor.


INSTRUCTOR_CALLS = {
    "configure": lambda s, t: s.configure(t, round_days=3),
    "start": lambda s, t: s.start(t),
    "pause": lambda s, t: s.pause(t),
    "resume": lambda s, t: s.resume(t),
    "advance": lambda s, t: s.advance(t),
    "end": lambda s, t: s.end(t),
    "show_city": lambda s, t: s.show_city(t, False),
    "console_view": lambda s, t: s.console_view(t),
}


@pytest.mark.parametrize("call", INSTRUCTOR_CALLS, ids=list(INSTRUCTOR_CALLS))
def test_instructor_calls_need_the_instructor_token(session: Session, call):
    student = joined(session, "a")
    for token in ("", "wrong", student, None, session.instructor_token[:-1]):
        refused(403, INSTRUCTOR_CALLS[call], session, token)
    assert session.phase == "lobby" and session.round_days == 7 and session.city_shown


def test_phases(session: Session, tmp_path):
    it = session.instructor_token
    session.out = tmp_path
    refused(409, session.advance, it)  # the lobby: not started
    refused(409, session.pause, it)
    refused(409, session.resume, it)
    session.start(it)
    assert session.phase == "running" and session.round == 1
    refused(409, session.start, it)
    refused(409, session.configure, it, kinds=("moral_office",))  # roles are held now
    session.pause(it)
    refused(409, session.advance, it)
    session.resume(it)
    session.advance(it)
    assert session.round == 2
    token = joined(session, "late", "moral")  # late joiners are welcome
    folder = session.end(it)
    assert session.phase == "ended" and folder.is_dir()
    assert session.end(it) == folder  # once
    refused(409, session.advance, it)
    refused(409, session.claim, token, "grid-0")
    refused(409, session.decide, token, {"moral.moral_bank": True})
    refused(409, session.configure, it, round_days=2)


def test_configure_in_the_lobby(session: Session):
    it = session.instructor_token
    token = joined(session, "a", "grid-0")
    session.configure(it, kinds=("moral_office", "party_secretary"), round_days=3)
    assert list(session.roles) == ["party-0", "party-1", "moral"]
    assert session.students[token].role_id is None  # that role is no longer on offer
    refused(422, session.configure, it, kinds=("mayor",))
    refused(422, session.configure, it, round_days=0)
    refused(422, session.configure, it, decision_seconds=-5)
    session.start(it)
    assert session.advance(it)["to_day"] == 2  # three days a round


def test_version_bumps_on_every_change(session: Session):
    it = session.instructor_token
    seen = [session.version]

    def bumped() -> None:
        assert session.version > seen[-1]
        seen.append(session.version)

    token = joined(session)
    bumped()
    session.claim(token, "moral")
    bumped()
    session.set_lang(token, "en")
    bumped()
    session.start(it)
    bumped()
    session.decide(token, {"moral.moral_bank": True})
    bumped()
    session.advance(it)
    bumped()
    session.show_city(it, False)
    bumped()
    session.release(token)
    bumped()
    session.student_view(token)
    session.console_view(it)
    session.lobby_view()
    assert session.version == seen[-1]  # reading changes nothing


# --- Rounds: decisions pending, then applied.


def test_city_decisions_wait_for_the_next_round(session: Session):
    it = session.instructor_token
    token = joined(session, "Chen", "moral")
    session.start(it)
    session.decide(token, {"moral.moral_bank": True})
    session.decide(token, {"moral.role_models": 0.6})  # a second decision adds to the first
    assert session.model.params.moral.moral_bank is False  # pending, not applied
    assert session.student_view(token)["decided"]
    assert session.console_view(it)["roster"] == [
        {"name": "Chen", "role_id": "moral", "decided": True}
    ]
    day = session.model.record_day
    result = session.advance(it)
    assert session.model.params.moral.moral_bank is True
    assert session.model.params.moral.role_models == 0.6
    assert session.model.record_day == day + 7 and result["to_day"] == day + 6
    assert [(r["key"], r["value"], r["record_day"], r["round"]) for r in session.decisions] == [
        ("moral.moral_bank", True, day, 1),
        ("moral.role_models", 0.6, day, 1),
    ]
    assert session.pending == {} and not session.student_view(token)["decided"]
    assert session.console_view(it)["last_decisions"] == session.decisions
    session.advance(it)  # no new decision: nothing logged, the values stay
    assert len(session.decisions) == 2 and session.model.params.moral.moral_bank is True
    assert [r["decisions"] for r in session.rounds] == [2, 0]


def test_a_released_role_drops_its_pending_decision(session: Session):
    token = joined(session, "a", "moral")
    session.start(session.instructor_token)
    session.decide(token, {"moral.moral_bank": True})
    session.release(token)
    session.advance(session.instructor_token)
    assert session.decisions == [] and session.model.params.moral.moral_bank is False


def test_scoped_decisions_apply_to_their_own_unit(session: Session):
    it = session.instructor_token
    grid = joined(session, "g", "grid-3")
    party = joined(session, "p", "party-1")
    session.start(it)
    session.decide(grid, {"staffing.admin_load": 0.8})
    session.decide(
        party, {"fusion.party_coordination": 0.9, "fusion.party_visit_cases_per_week": 6}
    )
    city = session.model.params
    session.advance(it)
    admin = session.model.local_value("staffing.admin_load")
    assert admin[3] == 0.8
    assert np.all(np.delete(admin, 3) == city.staffing.admin_load)  # unclaimed: the scenario's
    coordination = session.model.local_value("fusion.party_coordination")
    assert list(coordination) == [city.fusion.party_coordination, 0.9]
    assert list(session.model.local_value("fusion.party_visit_cases_per_week")) == [
        city.fusion.party_visit_cases_per_week,
        6.0,
    ]
    view = session.student_view(grid)
    assert view["levers"][0]["value"] == 0.8
    assert [r["unit"] for r in session.decisions] == [3, 1, 1]
    # None puts a lever back to the city's value
    session.decide(grid, {"staffing.admin_load": None})
    session.advance(it)
    assert session.model.local_value("staffing.admin_load")[3] == city.staffing.admin_load


# --- Views.


def test_views_are_json_safe(session: Session):
    it = session.instructor_token
    token = joined(session, "a", "moral")
    joined(session, "b")
    session.start(it)
    session.decide(token, {"moral.moral_bank": True})
    session.advance(it)
    for view in (session.student_view(token), session.console_view(it), session.lobby_view()):
        json.dumps(view, allow_nan=False)
    console = session.console_view(it)
    assert console["code"] == session.code and session.code in console["join_url"]
    assert len(console["grid_map"]["grids"]) == session.model.layout.n_grids
    assert {s["name"] for s in console["series"]["series"]} >= {"mean_trust"}
    assert len(console["series"]["days"]) == 7
    assert {r["name"] for r in console["roster"]} == {"a", "b"}
    claimed = {r["id"]: r["claimed_by"] for r in console["roles"]}
    assert claimed["moral"] == "a" and claimed["grid-0"] is None


def test_own_area_metrics_are_the_area_s_and_the_city_s(session: Session):
    it = session.instructor_token
    token = joined(session, "a", "grid-5")
    session.start(it)
    session.advance(it)
    model = session.model
    area = {m["name"]: m for m in session.student_view(token)["area"]}
    in_grid = model.layout.grid == 5
    assert area["mean_trust"]["own"] == pytest.approx(model.households.trust[in_grid].mean())
    assert area["mean_trust"]["city"] == pytest.approx(
        model.datacollector.model_vars["mean_trust"][-1]
    )
    open_in_grid = np.count_nonzero(model.layout.grid[model.issues.household] == 5)
    assert area["backlog"]["own"] == pytest.approx(100 * open_in_grid / in_grid.sum())
    assert area["backlog"]["city"] == pytest.approx(
        100 * model.datacollector.model_vars["open_issues"][-1] / model.households.n
    )
    session.show_city(it, False)
    assert all(m["city"] is None for m in session.student_view(token)["area"])
    assert session.student_view(token)["city_shown"] is False


def test_escalations_per_grid_add_up_to_the_registry_s_rate():
    """The per-grid counter and the engine's rate agree every day (some days with
    escalations: a heavy admin load)."""
    from classroom.debrief import ClassRun

    run = ClassRun.start(PARAMS.with_values({"staffing.admin_load": 0.9}), 1)
    seen = 0.0
    for _ in range(45):
        run.step(1)
        values = area_values(run.model, run.record.counter)
        engine = run.model.datacollector.model_vars["escalations_per_1000_households_year"][-1]
        assert values["city"]["escalations_per_1000_households_year"][0] == pytest.approx(engine)
        grid = values["grid"]["escalations_per_1000_households_year"]
        sizes = run.model.layout.grid_size
        assert (grid * sizes).sum() / sizes.sum() == pytest.approx(engine)
        seen += engine
    assert seen > 0


def test_role_levers_are_scoped_as_the_model_scopes_them():
    for role in catalogue(GovernanceModel(PARAMS)):
        for key in role.keys:
            assert SCOPED.get(key, "city") == role.scope, key


def test_area_values_are_cached_only_for_the_day(session: Session):
    it = session.instructor_token
    token = joined(session, "a", "moral")
    session.start(it)
    before = session.student_view(token)["area"]
    assert session.student_view(token)["area"] == before
    session.advance(it)
    assert session._values[0] == session.model.day  # recomputed for the new day
    trust = {m["name"]: m["own"] for m in session.student_view(token)["area"]}["mean_trust"]
    assert trust == pytest.approx(float(session.model.households.trust.mean()))
