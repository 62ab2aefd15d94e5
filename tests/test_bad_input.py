"""Every bad input of issue 20 exits 2 with one line naming the file (or option) and key,
before the first simulated day, and loses nothing that was there.

Most cases call the command line in this process (``main([...])``, the very code a shell
runs, with its exit status and its stderr) so the suite stays quick; a few run as real
subprocesses to show the same with nothing of pytest around. ``no_simulation`` makes any
model built during a case fail the test: "checked before running" is asserted, not timed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import sim.model
from experiments.cli.main import main
from experiments.cli.options import report_problems
from experiments.folders import safe_name
from experiments.sweeps.job import SweepOutcome
from tests.test_cli import ROOT, sanzhi, write
from tests.test_results_safety import make_sweep, scenario_file, sweep_file

ODD_DEGREE = 'network = { kind = "small_world", mean_degree = 7, rewire = 0.1 }\n'


@pytest.fixture
def no_simulation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a model was built: the input was not checked before running")

    monkeypatch.setattr(sim.model.GovernanceModel, "__init__", refuse)


def cli(capsys, *args: str) -> tuple[int, str]:
    """Exit status and the one error line of ``sanzhi ARGS`` run in this process."""
    try:
        status = main(list(args))
    except SystemExit as exit:  # argparse's own errors
        status = exit.code
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("sanzhi")]
    assert "Traceback" not in err
    return status, "\n".join(lines)


# --- the output folder, checked before any run


def test_out_that_is_a_file(tmp_path, capsys, no_simulation):
    out = write(tmp_path / "out", "keep me")
    status, err = cli(capsys, "run", str(scenario_file(tmp_path)), "--out", str(out))
    assert (
        status == 2
        and err == f"sanzhi: error: {out}: is a file, not a folder (--out names a folder)"
    )
    assert out.read_text(encoding="utf-8") == "keep me"


def test_out_under_a_file(tmp_path, capsys, no_simulation):
    write(tmp_path / "file", "")
    out = tmp_path / "file" / "res"
    status, err = cli(capsys, "run", str(scenario_file(tmp_path)), "--out", str(out))
    assert status == 2 and f"{out}: cannot be created: {tmp_path / 'file'} is a file" in err


def test_read_only_out(tmp_path, capsys, no_simulation):
    disk = tmp_path / "ro"
    disk.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(disk)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("cannot mount a read-only tmpfs here")
    try:
        status, err = cli(capsys, "run", str(scenario_file(tmp_path)), "--out", str(disk / "r"))
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
    assert status == 2 and f"{disk / 'r'}: cannot be written: Read-only file system" in err


@pytest.mark.parametrize("command", ["run", "compare", "sweep", "sensitivity"])
def test_a_folder_of_other_results_is_refused_and_kept(tmp_path, capsys, command, no_simulation):
    out = tmp_path / "mine"
    out.mkdir()
    write(out / "notes.txt", "my own work")
    small = str(scenario_file(tmp_path))
    args = {
        "run": ["run", small],
        "compare": ["compare", small, str(scenario_file(tmp_path, seed=2))],
        "sweep": ["sweep", str(sweep_file(tmp_path))],
        "sensitivity": [
            "sensitivity",
            str(ROOT / "scenarios/sweeps/sensitivity.toml"),
            "--method",
            "morris",
        ],
    }[command]
    status, err = cli(capsys, *args, "--out", str(out))
    assert status == 2
    assert err == (
        f"sanzhi: error: {out}: already holds files that are not these results; choose "
        "another --out, or add --overwrite to replace it"
    )
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my own work"


def test_overwrite_replaces_a_foreign_folder_whole(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    write(out / "notes.txt", "old")
    path = str(scenario_file(tmp_path, steps=2, reps=1))
    status, _ = cli(capsys, "run", path, "--out", str(out), "--overwrite")
    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.json", "metrics.csv", "summary.parquet", "timeseries.parquet"
    ]  # fmt: skip


def test_overwrite_and_resume_together(tmp_path, capsys, no_simulation):
    args = ["sweep", str(sweep_file(tmp_path)), "--out", str(tmp_path / "s")]
    status, err = cli(capsys, *args, "--resume", "--overwrite")
    assert status == 2 and "--overwrite: cannot go with --resume" in err


@pytest.mark.parametrize(
    ("name", "folder"),
    [("../../escaped", "escaped"), ("/tmp/absolute", "tmp_absolute"), ("", "scenario")],
)
def test_the_default_folder_stays_inside_results(tmp_path, monkeypatch, capsys, name, folder):
    monkeypatch.chdir(tmp_path)
    path = scenario_file(tmp_path, steps=2, reps=1, extra="")
    text = path.read_text(encoding="utf-8").replace('name = "small"', f"name = {name!r}")
    write(path, text.replace("'", '"'))
    status, _ = cli(capsys, "run", str(path))
    assert status == 0
    assert [p.name for p in (tmp_path / "results").iterdir()] == [folder]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results", path.name]


def test_safe_name_keeps_ordinary_names():
    assert safe_name("baseline") == "baseline" and safe_name("昆山 2021") == "昆山_2021"
    assert safe_name("..") == "scenario" and safe_name("a/b") == "a_b"


# --- rules between parameters, and every compared input, before any run


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('[moral]\nintegrity_points = "yes"\n', "moral.integrity_points: got 'yes' (expected "),
        (
            "[moral]\nintegrity_recovery_days = 10\n",
            "moral.integrity_recovery_days: 10 is out of range (expected an integer from 30",
        ),
        ("[moral]\nintegrity_sanction_cost = -0.1\n", "moral.integrity_sanction_cost: -0.1 is "),
        ("[moral]\nredemption = 1\n", "moral.redemption: got 1 (expected true or false)"),
        ("[moral]\nreview_interval_days = 2\n", "moral.review_interval_days: 2 is out of range"),
        ("[moral]\nreview_panel_size = 2.5\n", "moral.review_panel_size: got 2.5 (expected "),
        ("[moral]\nredemption_pull = 3.0\n", "moral.redemption_pull: 3.0 is out of range"),
    ],
)
def test_bad_practice_values_name_file_and_key(tmp_path, capsys, extra, expected, no_simulation):
    path = scenario_file(tmp_path, extra=extra)
    status, err = cli(capsys, "run", str(path))
    assert status == 2 and err.startswith(f"sanzhi: error: {path}: {expected}"), err


@pytest.mark.parametrize("command", ["validate", "run"])
def test_odd_mean_degree(tmp_path, capsys, command, no_simulation):
    path = scenario_file(tmp_path, extra=ODD_DEGREE)
    status, err = cli(capsys, command, str(path))
    assert status == 2
    assert err == (
        f"sanzhi: error: {path}: population.network.mean_degree: must be even "
        "(expected an even integer)"
    )


# The practices of law (ODD 7.17-7.19): each new key's bad value, named with its file.
PRACTICE_VALUES = {
    "public_jury not a bool": (
        '[self_governance]\npublic_jury = "yes"\n',
        "self_governance.public_jury",
    ),
    "jury every 0 days": ("[self_governance]\njury_interval_days = 0\n", "out of range"),
    "rules_revision not a bool": (
        "[self_governance]\nrules_revision = 1\n",
        "self_governance.rules_revision",
    ),
    "advisor_attendance above 1": ("[rule_of_law]\nadvisor_attendance = 1.5\n", "out of range"),
    "advisor time negative": ("[rule_of_law]\nadvisor_sitting_cases = -1\n", "out of range"),
    "rules decay zero": ("[self_governance]\nrules_decay_days = 0\n", "out of range"),
    "joint_councils not a bool": (
        '[self_governance]\njoint_councils = "1+7+X"\n',
        "self_governance.joint_councils",
    ),
    "follow-up above 1": ("[self_governance]\nfollow_up_success = 1.2\n", "out of range"),
}


@pytest.mark.parametrize("case", list(PRACTICE_VALUES), ids=list(PRACTICE_VALUES))
def test_bad_values_of_the_practices_of_law(tmp_path, capsys, case, no_simulation):
    text, expected = PRACTICE_VALUES[case]
    path = scenario_file(tmp_path, extra=text)
    status, err = cli(capsys, "run", str(path))
    key = text.split("\n")[1].split(" =")[0]
    assert status == 2 and str(path) in err and key in err and expected in err, err


def test_a_bad_practice_value_in_a_timeline_is_named(tmp_path, capsys, no_simulation):
    extra = '[[timeline]]\nkey = "rule_of_law.advisor_attendance"\nday = 5\nvalue = 2.0\n'
    path = scenario_file(tmp_path, extra=extra)
    status, err = cli(capsys, "run", str(path))
    # The timeline names the entry (its key is the entry's own ``key``).
    assert status == 2 and f"{path}: timeline[1].value: 2.0 is out of range" in err, err


def test_compare_checks_every_input_before_running_any(tmp_path, capsys, no_simulation):
    good = scenario_file(tmp_path, seed=1)
    odd = scenario_file(tmp_path, seed=2, extra=ODD_DEGREE)
    out = tmp_path / "report"
    status, err = cli(capsys, "compare", str(good), str(odd), "--out", str(out))
    assert status == 2 and f"{odd}: population.network.mean_degree: must be even" in err
    assert not out.exists()


def test_compare_needs_two_groups(tmp_path, capsys, no_simulation):
    status, err = cli(capsys, "compare", str(scenario_file(tmp_path)), "--out", str(tmp_path / "r"))
    assert status == 2 and "INPUT: 1 group(s) to compare (expected at least two" in err


def test_compare_refuses_an_unfinished_sweep(tmp_path, capsys, no_simulation):
    out = tmp_path / "sweep"
    make_sweep_stopped(tmp_path, out)
    status, err = cli(capsys, "compare", str(out), str(scenario_file(tmp_path)), "--out",
                      str(tmp_path / "r"))  # fmt: skip
    assert status == 2 and "was stopped before it finished" in err and "--resume" in err


def make_sweep_stopped(tmp_path: Path, out: Path) -> None:
    """A sweep folder as a kill during a resume leaves it: its manifest says running."""
    import json

    make_sweep(tmp_path, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["status"] = "running"
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


# --- scenario files and options


def test_extends_chain_of_1000_files(tmp_path, capsys):
    for i in range(1000):
        write(tmp_path / f"s{i}.toml", f'[scenario]\nextends = "s{i + 1}.toml"\n')
    write(tmp_path / "s1000.toml", "")
    status, err = cli(capsys, "validate", str(tmp_path / "s0.toml"))
    assert status == 2 and "scenario.extends: the extends chain is longer than 32 files" in err


def test_unreadable_scenario(tmp_path, capsys, monkeypatch):
    path = scenario_file(tmp_path)
    real = Path.read_bytes

    def denied(self):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)  # root reads every file: deny it here
    status, err = cli(capsys, "validate", str(path))
    assert status == 2 and err == f"sanzhi: error: {path}: cannot be read: Permission denied"


def test_a_folder_given_as_scenario(tmp_path, capsys):
    status, err = cli(capsys, "validate", str(tmp_path))
    assert status == 2 and err == f"sanzhi: error: {tmp_path}: is a folder, not a scenario file"


def test_a_byte_order_mark_is_read(tmp_path, capsys):
    path = scenario_file(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    status, _ = cli(capsys, "validate", str(path))
    assert status == 0


def test_an_error_in_an_extended_file_names_the_file_that_led_there(tmp_path, capsys):
    write(tmp_path / "base.toml", "[staffing]\nadmin_lod = 0.3\n")
    top = write(tmp_path / "top.toml", '[scenario]\nextends = "base.toml"\n')
    status, err = cli(capsys, "validate", str(top))
    assert status == 2 and f"{tmp_path / 'base.toml'}: staffing.admin_lod: unknown key" in err
    assert err.endswith(f"(reached through {top}: scenario.extends)")
    write(tmp_path / "base.toml", "[staffing\n")
    status, err = cli(capsys, "validate", str(top))
    assert status == 2 and "not valid TOML" in err
    assert err.endswith(f"(reached through {top}: scenario.extends)")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--steps", "0"], "command line (--steps): scenario.steps: 0 is out of range"),
        (["--seed", "-3"], "command line (--seed): scenario.seed: -3 is out of range"),
        (["--replications", "1000000"], "command line (--replications): scenario.replications"),
        (["--replications", "-1"], "argument --replications: -1 is not at least 1"),
        (["--replications", "0"], "argument --replications: 0 is not at least 1"),
        (["--workers", "0"], "argument --workers: 0 is not at least 1"),
    ],
)
def test_options_are_checked_and_named(tmp_path, capsys, args, expected, no_simulation):
    status, err = cli(capsys, "run", str(scenario_file(tmp_path)), *args)
    assert status == 2 and expected in err, err


def test_the_count_of_bundles_that_did_not_run(capsys):
    import pandas as pd

    summary = pd.DataFrame({"status": ["ok"] * 2 + ["not run"] * 10})
    names = [f"b{i:06d}" for i in range(5)]
    outcome = SweepOutcome(summary, errors=["b000000: a worker process died"], not_run=names)
    assert report_problems(outcome) == 1
    assert "5 bundle(s) (10 run(s)) did not run; --resume runs them" in capsys.readouterr().err


# --- the same from a shell, with nothing of pytest around


@pytest.mark.parametrize("case", ["out is a file", "odd mean_degree", "long extends chain"])
def test_in_a_subprocess(tmp_path, case):
    if case == "out is a file":
        out = write(tmp_path / "out", "keep me")
        args, expected = ["run", str(scenario_file(tmp_path)), "--out", str(out)], "is a file"
    elif case == "odd mean_degree":
        path = scenario_file(tmp_path, extra=ODD_DEGREE, steps=36500, households=200000)
        args, expected = ["run", str(path)], "population.network.mean_degree: must be even"
    else:
        for i in range(1000):
            write(tmp_path / f"s{i}.toml", f'[scenario]\nextends = "s{i + 1}.toml"\n')
        write(tmp_path / "s1000.toml", "")
        args, expected = ["run", str(tmp_path / "s0.toml")], "longer than 32 files"
    done = sanzhi(*args, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and expected in done.stderr
    assert not (tmp_path / "results").exists()
