"""A million households fit comfortably: memory per household stays under stated bounds.

Measured with tracemalloc (NumPy reports its buffers to it): about 134 bytes per household
held, about 244 at the construction peak and 158 at the stepping peak. The bounds leave
room for library versions while catching an accidental household-sized temporary or a
silent move from 32- to 64-bit state.
"""

from __future__ import annotations

import tracemalloc

from sim import GovernanceModel, Parameters

HOUSEHOLDS = 1_000_000
HELD_BYTES = 200  # per household, after construction
BUILD_PEAK_BYTES = 400  # per household, while building (network temporaries)
STEP_PEAK_BYTES = 250  # per household, while stepping


def test_million_household_model_memory_per_household():
    params = Parameters().with_values({"population.households": HOUSEHOLDS})
    tracemalloc.start()
    try:
        model = GovernanceModel(params)
        held, build_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        for _ in range(3):
            model.step()
        _, step_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert model.households.n == HOUSEHOLDS
    assert model.layout.n_grids == 2500 and model.layout.n_communities == 500
    assert model.ledger.total("raised") > 1000
    assert held / HOUSEHOLDS < HELD_BYTES, f"{held / HOUSEHOLDS:.0f} B held per household"
    assert build_peak / HOUSEHOLDS < BUILD_PEAK_BYTES, f"{build_peak / HOUSEHOLDS:.0f} B peak"
    assert step_peak / HOUSEHOLDS < STEP_PEAK_BYTES, f"{step_peak / HOUSEHOLDS:.0f} B step peak"
