from __future__ import annotations

import pytest

from sim import Parameters


def small(households: int = 1000, steps: int = 120, **values) -> Parameters:
    """Default parameters at a small size; extra values by dotted key with '__' for '.'."""
    dotted = {k.replace("__", "."): v for k, v in values.items()}
    return Parameters().with_values(
        {"population.households": households, "scenario.steps": steps, **dotted}
    )


@pytest.fixture
def small_params() -> Parameters:
    return small()
