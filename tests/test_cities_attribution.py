"""``sanzhi cities --attribute``: the lever groups against the scenario files themselves (read
with tomllib), and end to end at a tiny size a planted effect (one city made to differ in a
lever that matters strongly and in one that cannot matter) attributed to its group alone,
the swaps that are not run, the resume and the same numbers from the same seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from experiments.comparison import attribution
from experiments.comparison.attribution import (
    ATTRIBUTION_CSV,
    GROUPS,
    LEFT,
    TOGETHER,
    TOTAL,
    group_of,
    plan,
    resized,
    run_swaps,
    swaps,
)
from experiments.comparison.cities import CITIES, SCENARIOS, compare_cities, lever_table
from experiments.runner import run
from experiments.scenario import load_scenario
from sim import KEY_METRICS, Parameters
from tests.test_cities_compare import TINY, TINY_SET, _plain, raw_chain
from tests.test_cli import sanzhi
from tests.test_reports import page_text, untranslated

REFERENCE = SCENARIOS / "kunshan_2021.toml"


def test_every_parameter_has_one_group_or_is_said_not_to_be_swapped():
    for key, _, _, _ in Parameters.specs():
        group = group_of(key)
        if key == "population.households" or key.startswith("scenario.") or key == "timeline":
            assert group is None, key
        else:
            assert group in GROUPS, key


def test_groups_cover_exactly_the_keys_each_city_sets_differently():
    loaded = [load_scenario(SCENARIOS / f"{c}.toml") for c in CITIES]
    levers = lever_table(loaded)
    defaults = load_scenario(SCENARIOS / "baseline.toml").params.flat()
    raw = {c: raw_chain(SCENARIOS / f"{c}.toml") for c in CITIES}
    ref = CITIES[0]
    for city in CITIES[1:]:
        written = (set(raw[city]) | set(raw[ref])) - {"population.households"}
        expected = {
            k
            for k in written
            if repr(_plain(raw[city].get(k, defaults.get(k))))
            != repr(_plain(raw[ref].get(k, defaults.get(k))))
        }
        got = swaps(levers, ref, city)
        keys = [k for ks in got.values() for k in ks]
        assert len(keys) == len(set(keys))  # one group per key
        assert set(keys) == expected, city
        assert all(group_of(k) == g for g, ks in got.items() for k in ks)
    # Known answers: Suzhou's entry list is a task lever, Jinchang's moral bank a practice,
    # and Jinchang's own size is not swapped.
    assert "staffing.task_entry_list" in swaps(levers, ref, "suzhou_2015")["workload"]
    assert "moral.moral_bank" in swaps(levers, ref, "jinchang_2018")["practices"]
    assert attribution.not_swapped(list(levers["parameter"])) == ["population.households"]
    assert len(plan(loaded, levers)) == 19  # what `sanzhi cities --help` says it adds


def test_a_swap_keeps_the_reference_sample_and_the_city_community_sizes():
    kunshan = load_scenario(REFERENCE)
    jinchang = load_scenario(SCENARIOS / "jinchang_2018.toml")
    keys = ["population.community_sizes", "population.households_per_grid"]
    swap = attribution.swapped(kunshan, jinchang, keys, "kunshan_2021: structure")
    p = swap.params
    assert p.population.households == kunshan.params.population.households == 20000
    assert p.scenario.seed == kunshan.params.scenario.seed
    assert p.population.households_per_grid == 173
    # Jinchang's communities of about 3,300 households, as many as 20,000 households hold.
    assert len(p.population.community_sizes) == 6
    assert min(p.population.community_sizes) >= 3287
    assert (
        p.staffing.households_per_grid_worker == kunshan.params.staffing.households_per_grid_worker
    )
    assert resized((5, 3, 1), 9, 9) == (5, 3, 1)  # the same total: unchanged
    assert resized((), 100, 50) == ()
    assert resized((4, 4, 4, 4), 8, 16) == (4, 4)


def _library(folder: Path) -> Path:
    """Five 'cities': Kunshan's file, and four that extend it. Handan differs in a lever
    that matters strongly (grid workers' admin load 0.9, against 0.3) and in one that cannot
    change a key metric (a legal advisor's cost); the other three in nothing."""
    folder.mkdir()
    (folder / "kunshan_2021.toml").write_text(
        f'[scenario]\nextends = "{REFERENCE}"\nname = "kunshan_2021"\n', encoding="utf-8"
    )
    extra = {
        "handan_fuxing": "[staffing]\nadmin_load = 0.9\nlegal_advisor_cost = 250000\n",
    }
    for city in CITIES[1:]:
        # The city's own description, which the Chinese report shows translated.
        said = json.dumps(load_scenario(SCENARIOS / f"{city}.toml").params.scenario.description)
        text = f'[scenario]\nextends = "kunshan_2021.toml"\nname = "{city}"\n'
        text += f"description = {said}\n"
        (folder / f"{city}.toml").write_text(text + extra.get(city, ""), encoding="utf-8")
    return folder


def _counting(calls: list[str]):
    def runner(scenario, **kwargs):
        calls.append(scenario.name)
        return run(scenario, **kwargs)

    return runner


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("planted")
    library = _library(tmp / "scenarios")
    calls: list[str] = []
    patch = pytest.MonkeyPatch()
    patch.setattr(attribution, "run", _counting(calls))
    try:
        compare_cities(
            tmp / "out", replications=3, overrides=TINY, pdf=False, scenarios=library,
            attribute=True,
        )  # fmt: skip
    finally:
        patch.undo()
    return tmp, library, calls


def test_only_the_groups_a_city_differs_in_are_run(planted):
    tmp, _, calls = planted
    assert calls == [
        "handan_fuxing: staffing",
        "handan_fuxing: workload",
        f"handan_fuxing: {TOGETHER}",
    ]
    manifest = json.loads((tmp / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert ATTRIBUTION_CSV in manifest["files"]
    done = [(s["city"], s["swap"], s["levers"]) for s in manifest["attribution"]["swaps"]]
    assert done[:2] == [
        ("handan_fuxing", "staffing", ["staffing.legal_advisor_cost"]),
        ("handan_fuxing", "workload", ["staffing.admin_load"]),
    ]
    assert all(
        s["seed"] == manifest["cities"]["kunshan_2021"]["seed"]
        for s in manifest["attribution"]["swaps"]
    )
    assert not (tmp / ".out.attribution").exists()  # the resume cache goes once all is written


def test_a_planted_effect_is_attributed_to_its_group_and_not_to_others(planted):
    tmp, _, _ = planted
    table = pd.read_csv(tmp / "out" / ATTRIBUTION_CSV)
    same = table[table["city"] != "handan_fuxing"]  # the cities that differ in nothing
    assert set(same["swap"]) == {TOTAL} and (same["diff"] == 0).all()
    rows = table[table["city"] == "handan_fuxing"].set_index(["swap", "metric"])
    load = rows.loc[("workload", "grid_worker_utilisation")]
    assert load["status"] == "higher" and load["adj_low"] > 0
    assert load["diff"] > 0.1  # a third of their time more on tasks sent down
    for metric in KEY_METRICS:  # a cost changes no key metric: exactly no difference
        cost = rows.loc[("staffing", metric)]
        assert cost["diff"] == 0 and cost["status"] == "no_clear", metric
        # With only the cost besides, all together is the admin load's effect.
        assert rows.loc[(TOGETHER, metric), "diff"] == pytest.approx(
            rows.loc[("workload", metric), "diff"], abs=1e-12
        )
        assert rows.loc[(LEFT, metric), "diff"] == pytest.approx(0, abs=1e-12)
        # Handan ran on Kunshan's seeds at Kunshan's size: its own difference is all together.
        assert rows.loc[(TOTAL, metric), "diff"] == pytest.approx(
            rows.loc[(TOGETHER, metric), "diff"], abs=1e-12
        )
    assert (table["comparisons"] == len(table)).all()  # one family, every row in it


def test_the_report_says_it_in_both_languages(planted):
    tmp, _, _ = planted
    en = page_text((tmp / "out" / "en" / "report.html").read_text(encoding="utf-8"))
    assert "Which lever groups carry each difference" in en
    assert "tasks and entry list alone +" in en and "no clear effect alone: staffing" in en
    zh = page_text((tmp / "out" / "zh" / "report.html").read_text(encoding="utf-8"))
    assert "各项差异由哪些参数组带来" in zh and "单独无明显效应：人员配备" in zh
    assert untranslated(zh) == []


def test_same_seeds_give_the_same_attribution_and_a_resume_reruns_nothing(planted, tmp_path):
    tmp, library, _ = planted
    compare_cities(
        tmp_path / "again", replications=3, overrides=TINY, pdf=False, scenarios=library,
        attribute=True,
    )  # fmt: skip
    first = (tmp / "out" / ATTRIBUTION_CSV).read_bytes()
    assert (tmp_path / "again" / ATTRIBUTION_CSV).read_bytes() == first
    # Finished swaps are kept: a second call with the same cache runs none of them again.
    loaded = [load_scenario(library / f"{c}.toml", TINY) for c in CITIES]
    loaded = [s.with_overrides({"scenario.replications": 2}) for s in loaded]
    planned = plan(loaded, lever_table(loaded))
    calls: list[str] = []
    once = run_swaps(planned, tmp_path / "cache", runner=_counting(calls))
    assert len(calls) == len(planned) == 3
    twice = run_swaps(planned, tmp_path / "cache", runner=_counting(calls))
    assert len(calls) == 3
    for key in once:
        pd.testing.assert_frame_equal(once[key], twice[key])


def test_the_command_attributes_the_library_cities(tmp_path):
    result = sanzhi("cities", "--help")
    assert result.returncode == 0 and "--attribute" in result.stdout
    assert "19 x replications" in " ".join(result.stdout.split())
    out = tmp_path / "cities"
    done = sanzhi(
        "cities", "--out", str(out), "--replications", "2", "--workers", "1", "--no-pdf",
        "--lang", "en", "--attribute", *TINY_SET,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / ATTRIBUTION_CSV)
    assert set(table["city"]) == set(CITIES[1:])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["attribution"]["swaps"]) == 19
    assert manifest["attribution"]["not_swapped"] == []  # --set gave all five 300 households
