"""Property tests: parameter validation, override parsing, and short runs of random valid
parameter sets keep the invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments import ScenarioError, parse_assignments
from sim import GovernanceModel, Parameters
from sim.ledger import Ledger
from sim.params import ParameterError
from tests.test_invariants import assert_invariants

ROWS = {row["key"]: row for row in Parameters.table()}
NUMERIC = [
    (key, spec)
    for key, _, kind, spec in Parameters.specs()
    if kind in (int, float) and spec.low is not None and spec.high is not None
]
# Levers a short run should survive at any valid value (size and length are kept small).
LEVERS = [
    key
    for key, _ in NUMERIC
    if key.split(".")[0] in ("staffing", "self_governance", "rule_of_law", "moral", "fusion")
    or key.startswith("behaviour.")
]


@given(st.sampled_from(NUMERIC), st.data())
def test_any_value_in_range_is_accepted_and_any_outside_rejected(item, data):
    key, spec = item
    kind = type(ROWS[key]["default"])
    if kind is int:
        inside = data.draw(st.integers(int(spec.low), int(min(spec.high, 10**12))))
        outside = data.draw(st.sampled_from([int(spec.low) - 1, int(spec.high) + 1]))
    else:
        inside = data.draw(st.floats(spec.low, spec.high, allow_nan=False))
        outside = data.draw(
            (
                st.floats(
                    max_value=spec.low, exclude_max=True, allow_nan=False, allow_infinity=False
                )
                | st.floats(
                    min_value=spec.high, exclude_min=True, allow_nan=False, allow_infinity=False
                )
            ).filter(lambda x: not spec.low <= x <= spec.high)  # -0.0 is not below 0.0
        )
    try:
        flat = Parameters().with_values({key: inside}).flat()
    except ParameterError as err:
        # A cross-check may refuse a value in range beside the other defaults (a share of
        # large communities the default sizes cannot hold); it is never "out of range".
        assert "out of range" not in str(err), err
    else:
        assert flat[key] == inside
    with pytest.raises(ParameterError) as err:
        Parameters().with_values({key: outside})
    assert err.value.key == key and "out of range" in str(err.value)


@given(st.sampled_from(sorted(ROWS)), st.sampled_from(["abc", [1, 2], {"a": 1}, None]))
def test_wrong_types_name_the_key(key, value):
    if ROWS[key]["type"] == "str" and isinstance(value, str) and ROWS[key]["range"] == "text":
        return  # free text accepts any string
    if ROWS[key]["type"] == "list" and ROWS[key]["range"] != "list of tables" and value == [1, 2]:
        return  # a list of numbers is what a list parameter takes
    with pytest.raises(ParameterError) as err:
        Parameters().with_values({key: value})
    # a list of tables names the table at fault: "staffing.overrides[1]"
    assert err.value.key == key or err.value.key.startswith(f"{key}[")


@given(
    st.sampled_from(sorted(ROWS)),
    st.floats(0, 1, allow_nan=False) | st.integers(0, 10**6) | st.booleans(),
)
def test_assignments_parse_back_to_the_value(key, value):
    text = str(value).lower() if isinstance(value, bool) else repr(value)
    assert parse_assignments([f"{key}={text}"]) == {key: value}


@given(st.text(min_size=1).filter(lambda s: "=" not in s))
def test_assignment_without_equals_is_rejected(text):
    with pytest.raises(ScenarioError):
        parse_assignments([text])


@st.composite
def valid_parameters(draw):
    values = {}
    for key in draw(st.lists(st.sampled_from(LEVERS), min_size=1, max_size=8, unique=True)):
        spec = dict(NUMERIC)[key]
        if isinstance(ROWS[key]["default"], int):
            values[key] = draw(st.integers(int(spec.low), int(min(spec.high, 400))))
        else:
            values[key] = draw(st.floats(spec.low, spec.high, allow_nan=False))
    values["moral.moral_bank"] = draw(st.booleans())
    values["moral.red_black_list"] = draw(st.booleans())
    values["population.households"] = draw(st.integers(60, 600))
    values["population.households_per_grid"] = draw(st.integers(10, 300))
    values["population.households_per_community"] = draw(st.integers(10, 1200))
    values["population.network.mean_degree"] = draw(st.sampled_from([2, 4, 8]))
    values["population.network.rewire"] = draw(st.floats(0, 1))
    return Parameters().with_values(values)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_parameters(), st.integers(0, 2**32))
def test_random_valid_parameters_never_crash_and_keep_invariants(params, seed):
    model = GovernanceModel(params, rng=seed)
    for _ in range(40):
        model.step()
        assert_invariants(model)
    frame = model.datacollector.get_model_vars_dataframe()
    counts = frame[["issues_raised", "issues_resolved", "open_issues", "mean_trust"]]
    assert np.isfinite(counts.to_numpy()).all()


@given(
    window=st.integers(1, 40),
    counts=st.lists(st.integers(0, 50), min_size=1, max_size=120),
    span=st.integers(1, 400),
)
def test_ledger_trailing_sum_matches_the_last_days(window, counts, span):
    ledger = Ledger(window=window)
    for day, count in enumerate(counts):
        ledger.new_day(day)
        ledger.add("raised", count)
    days = min(span, len(counts), window)
    assert ledger.trailing("raised", span) == (float(sum(counts[-days:])), days)
    assert ledger.today("raised") == counts[-1]
    assert ledger.total("raised") == sum(counts)
