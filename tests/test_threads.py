"""A large town's compiled passes may split their rows between threads (sim/threads.py):
the run is the same to the bit either way, and only one model at a time holds the threads."""

from __future__ import annotations

import threading

import numba
import numpy as np
import pandas as pd
import pytest

import sim.threads
from sim import GovernanceModel
from sim.threads import share_cores, threads_for
from tests.conftest import small


def state(params, monkeypatch: pytest.MonkeyPatch, parallel_from: int):
    """The record and every household array after a run, with threads from that size on."""
    monkeypatch.setattr(sim.threads, "PARALLEL_FROM", parallel_from)
    model = GovernanceModel(params, rng=11)
    for _ in range(params.scenario.steps):
        model.step()
    arrays = {k: v.copy() for k, v in vars(model.households).items() if isinstance(v, np.ndarray)}
    return model.datacollector.get_model_vars_dataframe(), arrays


@pytest.mark.skipif(numba.get_num_threads() < 2, reason="one thread: nothing to split")
def test_threaded_passes_give_the_serial_run_bit_for_bit(monkeypatch):
    # Violations common, so the update's exposure and broken-windows rows are exercised.
    params = small(households=3000, steps=40).with_values({"behaviour.violation_rate": 0.3})
    serial_record, serial = state(params, monkeypatch, parallel_from=10**9)
    calls = []
    original = sim.threads.threads_for

    def counting(households):
        calls.append(households)
        return original(households)

    monkeypatch.setattr("sim.mechanisms.attitudes.threads_for", counting)
    threaded_record, threaded = state(params, monkeypatch, parallel_from=0)
    assert len(calls) == 2 * 40  # both passes, every day, asked for threads
    pd.testing.assert_frame_equal(serial_record, threaded_record, check_exact=True)
    assert serial.keys() == threaded.keys()
    for name, values in serial.items():
        np.testing.assert_array_equal(values, threaded[name], err_msg=name)
    assert serial["trust"].std() > 0  # the traits moved: the comparison compares something


def test_threads_only_for_a_large_town_and_one_model_at_a_time(monkeypatch):
    monkeypatch.setattr(numba, "get_num_threads", lambda: 2)
    with threads_for(sim.threads.PARALLEL_FROM - 1) as parallel:
        assert not parallel
    with threads_for(sim.threads.PARALLEL_FROM) as first:
        assert first
        seen = []
        other = threading.Thread(
            target=lambda: seen.append(threads_for(10**7).__enter__())  # another model
        )
        other.start()
        other.join()
        assert seen == [False]  # it runs single-threaded meanwhile
    with threads_for(sim.threads.PARALLEL_FROM) as again:  # released on exit
        assert again
    monkeypatch.setattr(numba, "get_num_threads", lambda: 1)
    with threads_for(10**7) as parallel:
        assert not parallel


def test_pool_workers_share_the_cores(monkeypatch):
    asked = []
    monkeypatch.setattr(numba, "set_num_threads", asked.append)
    monkeypatch.setattr(numba.config, "NUMBA_NUM_THREADS", 8)
    share_cores(2, 2)
    share_cores(1, 2)
    share_cores(3, 2)
    share_cores(1, 16)
    assert asked == [1, 2, 1, 8]


def test_role_model_pull_is_the_sparse_products_formula():
    """ODD 7.14's pull, compiled on one thread and on several, against its NumPy statement."""
    from sim.mechanisms import moral

    model = GovernanceModel(small(households=5000, steps=1), rng=3)
    adj, h = model.adjacency, model.households
    role_model = np.random.default_rng(1).random(h.n) < 0.05
    before, rate = h.norm.copy(), np.float32(0.37)
    models = role_model.astype(np.float32)
    count = adj @ models
    pulled = np.flatnonzero(count > 0)
    want = before.copy()
    want[pulled] += rate * ((adj @ (models * before))[pulled] / count[pulled] - want[pulled])
    assert 0 < pulled.size < h.n
    for kernel in (moral._follow, moral._follow_threads):
        got = before.copy()
        kernel(adj.indptr, adj.indices, role_model, before.copy(), got, rate)
        np.testing.assert_array_equal(got, want)
