"""The oldest-first selection (``sim.queues.take_oldest``), compiled, against its definition
in NumPy: per queue the ``capacity`` oldest rows (ties by position), the capacity rounded up
with probability its fraction, with the same draws."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.queues import rank_within, take_oldest


def by_definition(keys, raised, capacity, rng):
    """The selection as NumPy states it (the engine's code before it was compiled)."""
    whole = np.floor(capacity)
    cap = (whole + (rng.random(capacity.size) < capacity - whole)).astype(np.int64)
    order, rank = rank_within(keys, raised)
    return np.sort(order[rank < cap[keys[order]]])


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda queues: st.tuples(
            st.lists(st.integers(0, queues - 1), max_size=60),
            st.lists(st.floats(0, 5, allow_nan=False), min_size=queues, max_size=queues),
        )
    ),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
def test_compiled_selection_is_the_definition(queues, float_ages, seed):
    keys, capacity = queues
    keys = np.array(keys, dtype=np.int64)
    rng = np.random.default_rng(seed)
    # Ages with many ties (a day's cases share their day); the grid's priority keys are floats.
    raised = rng.integers(0, 4, keys.size)
    raised = raised + 0.5 * rng.integers(0, 2, keys.size) if float_ages else raised
    capacity = np.array(capacity)
    got = take_oldest(keys, raised, capacity, np.random.default_rng(seed + 1))
    want = (
        by_definition(keys, raised, capacity, np.random.default_rng(seed + 1))
        if keys.size
        else np.zeros(0, dtype=np.int64)
    )
    np.testing.assert_array_equal(got, want)
    # Each queue takes at most its capacity rounded up.
    for q in range(capacity.size):
        mine = got[keys[got] == q]
        assert mine.size <= np.ceil(capacity[q])


def test_a_draw_per_queue_and_none_for_an_empty_day():
    rng_a, rng_b = np.random.default_rng(3), np.random.default_rng(3)
    take_oldest(np.array([0, 1, 1]), np.array([5, 2, 1]), np.array([0.5, 1.5, 0.0]), rng_a)
    rng_b.random(3)
    assert rng_a.random() == rng_b.random()  # exactly one draw per queue
    take_oldest(np.zeros(0, dtype=np.int64), np.zeros(0), np.array([0.5]), rng_a)
    assert rng_a.random() == rng_b.random()  # none when nothing waits
    rows = take_oldest(np.array([0, 0, 0]), np.array([3, 1, 2]), np.array([2.0]), rng_a)
    np.testing.assert_array_equal(rows, [1, 2])  # the two oldest, in row order
