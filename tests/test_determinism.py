"""One seed fixes a run bit for bit, whatever the executor or worker count."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments import replication_seeds, run, simulate
from tests.conftest import small


def test_same_seed_same_trajectory():
    params = small(steps=90)
    a, b = simulate(params, seed=7), simulate(params, seed=7)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_different_seeds_differ():
    params = small(steps=90)
    a, b = simulate(params, seed=7), simulate(params, seed=8)
    assert not a.equals(b)
    assert (a["issues_raised"] != b["issues_raised"]).any()


def test_replications_identical_serial_and_in_processes():
    params = small(households=800, steps=40).with_values({"scenario.replications": 3})
    serial = run(params, workers=1)
    pooled = run(params, workers=2)
    pd.testing.assert_frame_equal(serial, pooled, check_exact=True)
    assert serial["seed"].nunique() == 3


def test_replication_seeds_are_spawned_and_stable():
    seeds = replication_seeds(20240501, 5)
    assert seeds == replication_seeds(20240501, 5)
    assert len(set(seeds)) == 5
    children = np.random.SeedSequence(20240501).spawn(5)
    assert seeds[2] == int(children[2].generate_state(1, np.uint64)[0])
    # Adding replications keeps the earlier ones' seeds.
    assert replication_seeds(20240501, 8)[:5] == seeds
