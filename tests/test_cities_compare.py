"""``sanzhi cities``: the five city scenarios compared in both languages. The lever table is
checked against the scenario files themselves (read here with tomllib, following
``extends``), the Chinese report by the scan of tests/test_reports.py, bad input by its exit
status, and the numbers by a second run on the same seeds."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from experiments.comparison.cities import (
    CITIES,
    LEVERS_CSV,
    RATES,
    SCENARIOS,
    compare_cities,
    lever_table,
    metric_sentences,
    source_keys,
)
from experiments.comparison.inputs import load_inputs
from experiments.comparison.stats import compare_groups
from experiments.errors import InputError
from experiments.scenario import load_scenario
from sim import KEY_METRICS, REGISTRY
from tests.test_cli import sanzhi, write
from tests.test_reports import page_text, untranslated

TINY = {"population.households": 300, "scenario.steps": 30}
TINY_SET = [x for k, v in TINY.items() for x in ("--set", f"{k}={v}")]


def raw_chain(path: Path) -> dict[str, object]:
    """The ``section.key`` values a scenario file and the files it extends write, the file's
    own winning (tomllib only: not the project's loader)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    base = {}
    parent = data.get("scenario", {}).get("extends")
    if parent:
        base = raw_chain((path.parent / parent).resolve())
    own = {
        f"{section}.{key}": value
        for section, table in data.items()
        if isinstance(table, dict)
        for key, value in table.items()
        if not isinstance(value, dict) and section != "scenario"
    }
    return base | own


@pytest.fixture(scope="module")
def levers() -> pd.DataFrame:
    return lever_table([load_scenario(SCENARIOS / f"{c}.toml") for c in CITIES])


def test_lever_table_lists_exactly_the_parameters_the_files_set_differently(levers):
    listed = set(levers["parameter"])
    raw = {c: raw_chain(SCENARIOS / f"{c}.toml") for c in CITIES}
    written = set().union(*raw.values())
    # Every key some city file (or what it extends) writes, whose value is not the same in
    # all five, is in the table; a key all five leave alike is not.
    defaults = {
        key: load_scenario(SCENARIOS / "baseline.toml").params.flat()[key] for key in written
    }
    for key in written - {"population.network"}:
        values = {repr(_plain(raw[c].get(key, defaults[key]))) for c in CITIES}
        assert (key in listed) == (len(values) > 1), key
    assert listed <= written  # nothing the files leave at the model's defaults
    # Known answers from the files.
    row = levers.set_index("parameter")
    assert row.loc["staffing.admin_load", "kunshan_2021"] == 0.3
    assert row.loc["staffing.admin_load", "handan_fuxing"] == 0.45
    assert row.loc["staffing.admin_load", "handan_fuxing_set_in"] == "handan_fuxing.toml"
    assert row.loc["staffing.task_entry_list", "zhongshan_2020_set_in"] == "whole_grid.toml"
    assert row.loc["moral.moral_bank", "jinchang_2018"] is True
    assert row.loc["population.households", "jinchang_2018"] == 109682
    assert "rule_of_law.detection_probability" not in listed  # the same in all five
    assert "scenario.replications" not in listed  # the scenario's own, not a lever
    assert (levers["label_zh"] != levers["parameter"]).all()  # every lever has a label
    assert levers["unit_zh"].notna().all()


def _plain(value):
    """A value as the loader keeps it: lists as tuples, whole numbers as floats."""
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def test_every_city_cites_its_report_in_its_header():
    keys = {c: source_keys(SCENARIOS / f"{c}.toml") for c in CITIES}
    assert "kunshan2022" in keys["kunshan_2021"]
    assert "handan2024" in keys["handan_fuxing"]
    assert "jinchang2018" in keys["jinchang_2018"]
    assert "suzhou2016" in keys["suzhou_2015"]
    assert "zhongshan2020" in keys["zhongshan_2020"]


def test_compared_metrics_are_rates_not_totals():
    for name in (*KEY_METRICS, *RATES):
        assert REGISTRY[name].kind == "level", name
    assert "staff_cost" in RATES and "service_requests_per_household_year" in RATES


def test_sentences_name_the_levers_of_a_clear_difference_and_state_nulls(levers):
    rows = []
    for metric in KEY_METRICS:
        for city in CITIES[1:]:
            clear = metric == KEY_METRICS[0] and city == "suzhou_2015"
            rows.append(
                {
                    "metric": metric,
                    "group": city,
                    "status": "worse" if clear else "no_clear",
                    "shown": "absolute",
                    "diff": 5.0 if clear else 0.1,
                    "rel_change": float("nan"),
                    "adj_low": 2.0 if clear else -1.0,
                    "adj_high": 8.0 if clear else 1.2,
                }
            )
    lines = metric_sentences(list(CITIES), levers, pd.DataFrame(rows), "en")
    assert len(lines) == len(KEY_METRICS)
    first = lines[0]
    assert "suzhou_2015 (+5" in first and "higher than kunshan_2021" in first
    assert "tasks kept out by an entry list" in first  # a lever Suzhou sets differently
    assert "moral bank" not in first  # Jinchang's, not Suzhou's
    assert "no clear difference: handan_fuxing, jinchang_2018, zhongshan_2020" in first
    assert all("no city differs clearly" in line for line in lines[1:])
    zh = metric_sentences(list(CITIES), levers, pd.DataFrame(rows), "zh")
    assert untranslated("\n".join(zh)) == []


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("cities") / "report"
    result = sanzhi(
        "cities", "--out", str(out), "--replications", "2", "--workers", "1", "--no-pdf",
        *TINY_SET,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


def test_one_command_writes_both_languages_and_a_manifest(report):
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "cities" and manifest["langs"] == ["en", "zh"]
    assert list(manifest["cities"]) == list(CITIES)
    assert manifest["overrides"] == TINY
    assert manifest["cities"]["suzhou_2015"]["sources"][0] == "suzhou2016"
    for lang in ("en", "zh"):
        page = (report / lang / "report.html").read_text(encoding="utf-8")
        assert "<section class=cities>" in page
        table = pd.read_csv(report / lang / "summary.csv")
        assert set(table["group"]) == set(CITIES)
        assert table[table["metric"].isin(KEY_METRICS)]["ci95_low"].notna().all()
    en = (report / "en" / "report.html").read_text(encoding="utf-8")
    assert "Levers in which the scenarios differ" in en and "[jinchang2018]" in en
    levers = pd.read_csv(report / LEVERS_CSV)
    assert "staffing.task_entry_list" in set(levers["parameter"])


def test_chinese_report_has_no_english_words(report):
    page = (report / "zh" / "report.html").read_text(encoding="utf-8")
    assert untranslated(page_text(page)) == []
    assert "昆山2021" in page and "准入清单挡回的任务比例" in page


def test_same_seeds_give_the_same_numbers(report):
    # The cities run again (without the report's figures): the same numbers to the last digit.
    files = [str(SCENARIOS / f"{c}.toml") for c in CITIES]
    inputs = load_inputs(files, replications=2, overrides=TINY)
    again = compare_groups(inputs.ordered, "en")
    first = pd.read_csv(report / "en" / "summary.csv", float_precision="round_trip")
    cols = ["group", "metric", "mean", "ci95_low", "ci95_high"]
    pd.testing.assert_frame_equal(
        first[cols].reset_index(drop=True),
        again[cols].reset_index(drop=True),
        check_dtype=False,
        check_exact=True,
    )


def test_bad_input_exits_2_naming_the_key_and_the_folder(tmp_path):
    bad = sanzhi("cities", "--out", str(tmp_path / "x"), "--set", "staffing.nonsense=1")
    assert bad.returncode == 2 and "staffing.nonsense" in bad.stderr
    assert "Traceback" not in bad.stderr
    other = tmp_path / "run"
    other.mkdir()
    write(other / "manifest.json", json.dumps({"kind": "run"}))
    write(other / "summary.parquet", "")
    refused = sanzhi("cities", "--out", str(other), *TINY_SET)
    assert refused.returncode == 2 and str(other) in refused.stderr
    assert (other / "summary.parquet").exists()  # nothing there changed


def test_a_missing_city_scenario_is_named(tmp_path):
    with pytest.raises(InputError, match=r"kunshan_2021\.toml"):
        compare_cities(tmp_path / "out", scenarios=tmp_path)
