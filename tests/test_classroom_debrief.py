"""The debrief: replays from the decision log, the comparison runs, the folder of files."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from classroom import Session
from classroom.debrief import (
    COORDINATED_KEYS,
    FIGURE_METRICS,
    KIND,
    coordinated,
    export,
    replay,
)
from classroom.roles import Lever
from experiments.errors import InputError
from sim import Parameters
from tests.conftest import CLASS_PARAMS

PARAMS = CLASS_PARAMS


def play(scoped: bool) -> Session:
    """Three rounds of a small class: the moral office twice, and (``scoped``) a grid
    worker and a party secretary."""
    s = Session(PARAMS, scenario="test", decision_seconds=None)
    it = s.instructor_token
    moral = s.join(s.code, "moral")["token"]
    s.claim(moral, "moral")
    if scoped:
        grid = s.join(s.code, "grid")["token"]
        s.claim(grid, "grid-2")
        party = s.join(s.code, "party")["token"]
        s.claim(party, "party-0")
    s.start(it)
    s.decide(moral, {"moral.moral_bank": True, "moral.role_models": 0.7})
    if scoped:
        s.decide(grid, {"staffing.admin_load": 0.85})
        s.decide(party, {"fusion.party_coordination": 1.0})
    s.advance(it)
    s.advance(it)
    s.decide(moral, {"moral.red_black_list": True})
    if scoped:
        s.decide(grid, {"staffing.admin_load": 0.1})
    s.advance(it)
    return s


def same_record(a, b) -> bool:
    """Bit for bit: every metric of every day (NaN where NaN), every area row."""
    sa, sb = a.series(), b.series()
    return (
        sa.keys() == sb.keys()
        and all(np.array_equal(sa[k], sb[k], equal_nan=True) for k in sa)
        and a.record.rows == b.record.rows
    )


def test_replay_rebuilds_the_class_run_bit_for_bit():
    s = play(scoped=False)
    again = replay(PARAMS, s.decisions, s.seed, days=s.run.days)
    assert again.days == s.run.days == 21
    assert same_record(s.run, again)
    # the decisions mattered, so the comparison above could fail
    default = replay(PARAMS, [], s.seed, days=s.run.days)
    assert not same_record(s.run, default)
    # and so does the day a decision is applied on
    moved = [{**r, "record_day": r["record_day"] + 1} for r in s.decisions]
    assert not same_record(s.run, replay(PARAMS, moved, s.seed, days=s.run.days))


def test_replay_with_scoped_decisions_is_bit_for_bit():
    s = play(scoped=True)
    assert {r["scope"] for r in s.decisions} == {"city", "grid", "community"}
    again = replay(PARAMS, s.decisions, s.seed, days=s.run.days)
    assert same_record(s.run, again)
    assert again.model.local_value("staffing.admin_load")[2] == 0.1


def test_replay_defaults_to_the_scenario_s_length():
    run = replay(PARAMS.with_values({"scenario.steps": 5}), [], 7)
    assert run.days == 5 and len(run.series()["mean_trust"]) == 5


def test_coordinated_is_both_coordination_levers_at_their_top():
    params = coordinated(PARAMS)
    for key in COORDINATED_KEYS:
        assert params.get(key) == Lever.of(key).high == 1.0
    changed = {k for k, v in params.flat().items() if v != PARAMS.flat()[k]}
    assert changed == set(COORDINATED_KEYS)


def test_export_writes_every_file(tmp_path):
    s = play(scoped=False)
    s.out = tmp_path
    folder = s.end(s.instructor_token)
    assert folder == tmp_path / f"classroom-{s.code}"
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    figures = {f"figures/{m}.png" for m in FIGURE_METRICS}
    assert names == {"decisions.csv", "outcomes.csv", "summary.html", "manifest.json"} | figures
    for figure in figures:
        assert (folder / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    with open(folder / "decisions.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["round"], r["key"], r["value"]) for r in rows] == [
        ("1", "moral.moral_bank", "True"),
        ("1", "moral.role_models", "0.7"),
        ("3", "moral.red_black_list", "True"),
    ]
    with open(folder / "outcomes.csv", encoding="utf-8") as f:
        outcomes = list(csv.DictReader(f))
    areas = {"city", "community-0", "community-1"} | {f"grid-{g}" for g in range(8)}
    assert {r["run"] for r in outcomes} == {"class", "default", "coordinated"}
    assert {r["area"] for r in outcomes} == areas
    assert len(outcomes) == 3 * 21 * len(areas)

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == KIND and manifest["scenario"] == "test"
    assert manifest["seed"] == s.seed and manifest["days"] == 21 and manifest["rounds"] == 3
    assert manifest["parameters"]["population.households"] == 2000
    assert manifest["model_version"] and manifest["environment"]["python"]
    # the manifest's log, read back from JSON, replays the same run
    rebuilt = Parameters().with_values(
        {k: v for k, v in manifest["parameters"].items() if k != "timeline"}
    )
    again = replay(rebuilt, manifest["decisions"], manifest["seed"], days=manifest["days"])
    assert same_record(s.run, again)

    page = (folder / "summary.html").read_text(encoding="utf-8")
    assert '<section lang="en">' in page and '<section lang="zh">' in page
    assert "one seed" in page and "一个随机种子" in page  # it says what it cannot claim
    assert "2,000 households" in page and all(f in page for f in figures)


def test_export_replaces_its_own_folder_and_refuses_another(tmp_path):
    s = play(scoped=False)
    folder = tmp_path / "debrief"
    export(folder, s.run, scenario="test", seed=s.seed, decisions=s.decisions)
    export(folder, s.run, scenario="again", seed=s.seed, decisions=[])  # its own kind
    assert json.loads((folder / "manifest.json").read_text())["scenario"] == "again"
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(InputError):
        export(other, s.run, scenario="test", seed=s.seed, decisions=s.decisions)
    assert (other / "notes.txt").read_text() == "keep me"
