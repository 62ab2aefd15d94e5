"""Cross-parameter checks and the coercion both models share (``Parameters.check``,
``Parameters.coerce``)."""

from __future__ import annotations

import pytest

from sim import GovernanceModel, ParameterError, Parameters
from sim.reference import ReferenceModel


def test_coerce_accepts_none_dicts_and_parameters():
    assert Parameters.coerce(None) == Parameters()
    params = Parameters().with_values({"population.households": 300})
    assert Parameters.coerce(params) is params
    assert Parameters.coerce({"population": {"households": 300}}) == params


def test_coerce_rejects_other_types():
    with pytest.raises(TypeError):
        Parameters.coerce("population.households=300")  # type: ignore[arg-type]


def test_check_returns_the_parameters():
    params = Parameters().with_values({"population.households": 300})
    assert params.check() is params


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"population.network.mean_degree": 7}, "must be even"),
        ({"population.households": 20, "population.network.mean_degree": 20}, "ties need more"),
    ],
)
def test_bad_combinations_pass_validation_but_fail_the_check(values, reason):
    params = Parameters().with_values(values)  # sweeps validate designs without the check
    with pytest.raises(ParameterError, match=reason) as err:
        params.check()
    assert err.value.key == "population.network.mean_degree"
    for model in (GovernanceModel, ReferenceModel):
        with pytest.raises(ParameterError, match=reason):
            model(params, rng=1)
