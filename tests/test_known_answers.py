"""Special cases with a known answer: DeGroot diffusion and the grid queue."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import GovernanceModel, Parameters
from sim.mechanisms import attitudes
from tests.conftest import small


def test_diffusion_alone_keeps_the_mean_on_a_regular_graph_and_reaches_consensus():
    n, k, w = 100, 6, 0.3
    params = small(
        households=n,
        population__network__kind="ring",
        population__network__mean_degree=k,
        behaviour__norm_diffusion=w,
    )
    model = GovernanceModel(params)
    assert np.all(model.degree == k)  # a regular graph
    # x <- (1 - w) x + (w / k) A x is symmetric and doubly stochastic on a k-regular ring:
    # it keeps the mean, and the spread contracts by at least its second eigenvalue a day.
    lambda2 = 1 - w + (2 * w / k) * np.cos(2 * np.pi * np.arange(1, k // 2 + 1) / n).sum()
    norm = model.households.norm
    mean0, spread0 = norm.astype(float).mean(), norm.astype(float).std()
    spread = [spread0]
    for _ in range(1000):
        attitudes.diffuse(model)
        spread.append(norm.astype(float).std())
    spread = np.array(spread)
    assert norm.astype(float).mean() == pytest.approx(mean0, abs=1e-5)
    bound = spread0 * lambda2 ** np.arange(spread.size)
    assert np.all(spread <= bound * (1 + 1e-4) + 1e-6)
    assert spread[-1] < 0.1 * spread0  # toward consensus
    late_rate = (spread[-1] / spread[500]) ** (1 / 500)  # the slowest mode dominates late
    assert late_rate == pytest.approx(lambda2, abs=2e-4)


def test_diffusion_on_an_irregular_graph_need_not_keep_the_mean():
    # The control for the test above: with long ties degrees differ and the mean may drift,
    # so the regular-graph result is not an artefact of the test.
    params = small(households=600, population__network__rewire=0.5, behaviour__norm_diffusion=0.3)
    model = GovernanceModel(params)
    model.households.norm[:] = np.where(model.degree > 8, 1.0, 0.0)
    mean0 = model.households.norm.astype(float).mean()
    for _ in range(200):
        attitudes.diffuse(model)
    assert abs(model.households.norm.astype(float).mean() - mean0) > 1e-3


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 60),
    density=st.floats(0.0, 0.5),
    rates=st.tuples(*[st.sampled_from([0.0, 0.05, 0.3, 1.0])] * 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_diffusion_is_the_sparse_product_to_the_bit(n, density, rates, seed):
    # The compiled pass (attitudes._diffuse) must be the float32 sparse product and NumPy
    # update it replaced, exactly: any network, households without ties, rates of 0.
    rng = np.random.default_rng(seed)
    upper = sp.random(n, n, density=density, random_state=rng, format="csr")
    adj = ((upper + upper.T) > 0).astype(np.float32).tocsr()
    adj.setdiag(0)
    adj.eliminate_zeros()
    adj.sort_indices()
    degree = np.diff(adj.indptr)
    inverse = (1.0 / np.maximum(degree, 1)).astype(np.float32)
    traits = [rng.random(n, dtype=np.float32) for _ in range(3)]
    rate = np.array(rates, dtype=np.float32)
    expected = []
    for x, r in zip(traits, rate, strict=True):
        mean = (adj @ x) * inverse
        y = x + (mean - x) * r if r > 0 else x.copy()
        expected.append(np.where(degree > 0, y, x))
    got = [x.copy() for x in traits]
    idx = adj.indices.astype(np.int32)
    ptr = adj.indptr.astype(np.int32)
    attitudes._diffuse(ptr, idx, inverse, *got, rate)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_array_equal(g, e)


ARRIVALS = 200.0  # a day: 2,000 households x 0.1 requests per household-day


def queue_only(capacity: float) -> Parameters:
    """Only service requests, all reported to the grid, each case closed when worked: a
    discrete-time queue with Poisson arrivals, ``capacity`` cases a day and no other exit
    (no community office, so no other queue and no grid leader's time)."""
    return small(
        households=2000,
        population__households_per_grid=2000,
        population__households_per_community=2000,
        population__volunteer_share=0.0,
        population__party_member_share=0.0,
        staffing__households_per_grid_worker=200,  # ten workers in the one grid
        staffing__admin_load=0.0,
        staffing__grid_worker_cases_per_day=capacity / 10,
        staffing__legal_advisors_per_community=0.0,
        staffing__social_workers_per_1000_households=0.0,
        staffing__community_staff_per_community=0.0,  # no community office, no grid leaders
        self_governance__deliberation_interval_days=0,
        fusion__party_leadership=0.0,
        behaviour__dispute_rate=0.0,
        behaviour__violation_rate=0.0,
        behaviour__public_rate=0.0,
        behaviour__service_rate=36.5,  # 0.1 per household-day: 200 arrivals a day
        behaviour__unreported_weight=0.0,
        behaviour__grid_service_success=1.0,
        behaviour__escalation_propensity=0.0,
        behaviour__spontaneous_days=1e6,
        behaviour__burnout_rate=0.0,
        behaviour__max_open_issues=50,
    )


def run_queue(params: Parameters, days: int) -> np.ndarray:
    model = GovernanceModel(params, rng=3)
    backlog = []
    for _ in range(days):
        model.step()
        backlog.append(model.issues.n)
    return np.array(backlog)


def test_queue_below_capacity_stays_bounded():
    backlog = run_queue(queue_only(capacity=250), 200)  # utilisation 0.8
    # Little's law: backlog = arrival rate x time in system; with capacity above demand
    # nearly every case is served the day it arrives, so the backlog stays near zero and
    # does not trend.
    assert backlog[-100:].mean() < 0.2 * ARRIVALS
    slope = np.polyfit(np.arange(100), backlog[-100:], 1)[0]
    assert abs(slope) < 0.5


def test_queue_above_capacity_grows_at_arrivals_minus_capacity():
    backlog = run_queue(queue_only(capacity=150), 200)  # utilisation 4/3
    growth = np.polyfit(np.arange(100, 200), backlog[100:], 1)[0]
    assert growth == pytest.approx(ARRIVALS - 150, rel=0.1)


def test_queue_time_in_system_follows_littles_law():
    days = 1500
    params = queue_only(capacity=202).with_values({"scenario.steps": days})
    model = GovernanceModel(params, rng=5)  # utilisation 0.99: a real queue forms
    backlog = []
    for _ in range(days):
        model.step()
        backlog.append(model.issues.n)
    frame = model.datacollector.get_model_vars_dataframe().iloc[300:]
    waiting = (frame["mean_days_to_resolve"] * frame["issues_resolved"]).sum() / frame[
        "issues_resolved"
    ].sum()
    arrivals = frame["issues_raised"].mean()
    assert np.mean(backlog[300:]) > 10  # cases do wait
    # L = lambda x W, where W counts the whole days a case is open at the end of a day.
    assert np.mean(backlog[300:]) == pytest.approx(arrivals * waiting, rel=0.1)
