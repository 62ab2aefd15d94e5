"""Saved states, forks and the warm-up (docs/timeline.md): a saved model continues bit for
bit, forks of one state on one seed share their random numbers, and a state that does not
fit is refused with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.cli.main import main
from experiments.runner import simulate
from sim import GovernanceModel, Parameters, state
from tests.conftest import small

RAMP = {
    "key": "staffing.admin_load",
    "kind": "ramp",
    "start": 10,
    "end": 40,
    "from_value": 0.3,
    "value": 0.7,
}


def series(model: GovernanceModel) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


def run(model: GovernanceModel, days: int) -> GovernanceModel:
    for _ in range(days):
        model.step()
    return model


@pytest.mark.parametrize("allocation", ["equal", "need"])
def test_a_saved_state_continues_bit_for_bit(tmp_path: Path, allocation: str) -> None:
    """Saved mid-ramp, restored, run on: the same days as the run never interrupted."""
    params = small(households=800, steps=60, staffing__allocation=allocation).with_values(
        {"staffing.reallocation_days": 7, "timeline": [RAMP]}
    )
    whole = run(GovernanceModel(params, rng=11), 60)
    half = run(GovernanceModel(params, rng=11), 25)
    path = state.save(half, tmp_path / "day25.state")
    again = run(state.load(path), 35)
    pd.testing.assert_frame_equal(series(again), series(whole))
    assert again.day == whole.day and again.params == whole.params
    assert len(again._grid_workers) == whole.grid_teams.n_workers
    assert np.array_equal(again.households.trust, whole.households.trust)


def test_forks_of_one_state_on_one_seed_share_their_random_numbers(tmp_path: Path) -> None:
    base = small(households=800, steps=60)
    path = state.save(run(GovernanceModel(base, rng=2), 20), tmp_path / "s.state")
    same = [series(run(state.load(path, base, seed=5), 40)).iloc[20:] for _ in range(2)]
    pd.testing.assert_frame_equal(same[0], same[1])
    other_seed = series(run(state.load(path, base, seed=6), 40)).iloc[20:]
    assert not other_seed.equals(same[0])
    bank = base.with_values({"moral.moral_bank": True})
    fork = state.load(path, bank, seed=5)
    assert fork.params.moral.moral_bank and fork.changes[-1] == (20, {"moral.moral_bank": True})
    assert not series(run(fork, 40)).iloc[20:].equals(same[0])


def test_a_state_that_does_not_fit_is_refused(tmp_path: Path, monkeypatch) -> None:
    base = small(households=600, steps=60)
    path = state.save(run(GovernanceModel(base, rng=2), 10), tmp_path / "s.state")
    bigger = base.with_values({"population.households": 700})
    with pytest.raises(state.StateError, match=r"population\.households is 600 there, 700 here"):
        state.load(path, bigger)
    early = base.with_values({"timeline": [{"key": "moral.moral_bank", "day": 5, "value": True}]})
    with pytest.raises(state.StateError, match="entry on day 5, before it"):
        state.check(path, early)
    not_state = tmp_path / "x.state"
    not_state.write_bytes(b"hello")
    with pytest.raises(state.StateError, match="not a Sanzhi state file"):
        state.load(not_state)
    monkeypatch.setattr(state, "model_version", lambda: "another")
    with pytest.raises(state.StateError, match="saved by model version"):
        state.load(path)
    saved_format = state.FORMAT
    monkeypatch.setattr(state, "FORMAT", 99)
    with pytest.raises(
        state.StateError, match=f"state format {saved_format}, this model reads format 99"
    ):
        state.header(path)


def test_a_state_of_10000_households_is_under_5_mb(tmp_path: Path) -> None:
    model = run(GovernanceModel(Parameters().with_values({"scenario.steps": 30}), rng=1), 30)
    size = state.save(model, tmp_path / "city.state").stat().st_size
    assert size < 5_000_000, size


def test_the_warm_up_is_run_but_not_recorded() -> None:
    long = simulate(small(households=500, steps=50), seed=4)
    warm = simulate(small(households=500, steps=30, scenario__warmup_days=20), seed=4)
    assert len(warm) == 30 and warm["day"].tolist() == list(range(1, 31))
    pd.testing.assert_frame_equal(
        warm.drop(columns="day"), long.iloc[20:].drop(columns="day").reset_index(drop=True)
    )


def test_the_timeline_counts_days_after_the_warm_up() -> None:
    entry = {"key": "moral.moral_bank", "day": 10, "value": True}
    warm = small(households=400, steps=30, scenario__warmup_days=15)
    model = run(GovernanceModel(warm.with_values({"timeline": [entry]}), rng=1), 26)
    assert model.changes == [(10, {"moral.moral_bank": True})]
    assert model.day == 26 and model.record_day == 11


def test_the_command_line_saves_and_forks(tmp_path: Path, capsys) -> None:
    base = tmp_path / "base.toml"
    base.write_text(
        '[scenario]\nname = "b"\nsteps = 30\nreplications = 2\nwarmup_days = 10\n'
        "[population]\nhouseholds = 400\n",
        encoding="utf-8",
    )
    bank = tmp_path / "bank.toml"
    bank.write_text(
        '[scenario]\nextends = "base.toml"\nname = "bank"\n[moral]\nmoral_bank = true\n', "utf-8"
    )
    big = tmp_path / "big.toml"
    big.write_text('[scenario]\nextends = "base.toml"\n[population]\nhouseholds = 500\n', "utf-8")
    saved = tmp_path / "saved"
    assert main(["run", str(base), "--out", str(saved), "--save-state", "0", "--workers", "1"]) == 0
    manifest = json.loads((saved / "manifest.json").read_text("utf-8"))
    assert manifest["saved_states"]["files"] == [
        "states/replication_000.state",
        "states/replication_001.state",
    ]
    file = saved / "states" / "replication_000.state"
    fork = tmp_path / "fork"
    assert main(["run", str(bank), "--out", str(fork), "--from-state", str(file)]) == 0
    assert json.loads((fork / "manifest.json").read_text("utf-8"))["from_state"]["day"] == 0
    capsys.readouterr()
    assert main(["run", str(big), "--out", str(tmp_path / "no"), "--from-state", str(file)]) == 2
    err = capsys.readouterr().err
    assert str(file) in err and "population.households" in err and "Traceback" not in err
    assert main(["run", str(base), "--out", str(tmp_path / "n2"), "--save-state", "31"]) == 2


def test_replications_are_added_until_the_interval_is_narrow_enough(tmp_path: Path) -> None:
    """--ci-target: doubling batches up to the cap; the first runs keep their seeds, and
    the manifest says what was reached."""
    from experiments.run_folder import Precision, run_into
    from experiments.runner import run as run_all
    from experiments.scenario import Scenario

    scenario = Scenario(small(households=300, steps=30))
    loose = Precision.parse(["mean_trust=0.5"], 8)
    record = run_into(scenario, tmp_path / "loose", replications=2, precision=loose)
    assert record.replications == 2
    tight = Precision.parse(["mean_trust=0.01%", "satisfaction=1e-9"], 8)
    record = run_into(scenario, tmp_path / "tight", replications=2, precision=tight)
    reached = json.loads((tmp_path / "tight" / "manifest.json").read_text("utf-8"))["precision"]
    assert record.replications == 8 and reached["replications"] == 8 and not reached["met"]
    assert set(reached["metrics"]) == {"mean_trust", "satisfaction"}
    pd.testing.assert_frame_equal(record.timeseries, run_all(scenario, replications=8))
    with pytest.raises(Exception, match="unknown metric"):
        Precision.parse(["mean_trst=1"], 8)
