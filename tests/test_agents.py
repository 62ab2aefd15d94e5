"""Residents and staff are Mesa agents whose attributes are views onto the engine's arrays."""

from __future__ import annotations

import pytest

from sim import GovernanceModel, GridWorker, LegalAdvisor, PartyBranch, Resident, SocialOrganisation
from sim.agents import Column
from sim.households import FIELDS
from tests.conftest import small


@pytest.fixture
def model():
    m = GovernanceModel(small(households=1200))
    for _ in range(10):
        m.step()
    return m


def test_one_resident_per_household(model):
    residents = model.agents_by_type[Resident]
    assert len(residents) == model.households.n
    assert sorted(r.index for r in residents) == list(range(model.households.n))


def test_reading_a_resident_reads_the_arrays(model):
    r = model.agents_by_type[Resident].select(lambda a: a.index == 17)[0]
    assert r.trust == pytest.approx(float(model.households.trust[17]))
    assert r.grid == model.layout.grid[17]
    assert r.open_issues == model.households.open_issues[17]
    model.households.norm[17] = 0.123
    assert r.norm == pytest.approx(0.123)


def test_every_household_field_is_declared_on_resident():
    """The attributes are in the class body (IDEs and type checkers see them), one per field."""
    declared = [name for name, value in vars(Resident).items() if isinstance(value, Column)]
    assert declared == list(FIELDS)
    assert all(vars(Resident)[name].store == "households" for name in declared)


def test_writing_a_resident_writes_the_arrays(model):
    r = model.agents_by_type[Resident].select(lambda a: a.index == 5)[0]
    r.trust = 0.25
    r.volunteer = True
    assert model.households.trust[5] == pytest.approx(0.25)
    assert model.households.volunteer[5]
    # Mesa's own tools see the same state.
    values = model.agents_by_type[Resident].get("trust")
    assert values[[a.index for a in model.agents_by_type[Resident]].index(5)] == pytest.approx(0.25)


def test_staff_agents_exist_and_view_their_state(model):
    assert len(model.agents_by_type[GridWorker]) == model.grid_teams.n_workers == 3
    assert len(model.agents_by_type[LegalAdvisor]) == model.legal.n_advisors
    assert len(model.agents_by_type[SocialOrganisation]) == model.social.n_orgs
    assert len(model.agents_by_type[PartyBranch]) == model.party.n_branches
    worker = model.agents_by_type[GridWorker][0]
    model.grid_teams.burnout[worker.team] = 0.4
    assert worker.burnout == pytest.approx(0.4)


def test_residents_are_created_only_when_asked_for():
    m = GovernanceModel(small(households=500))
    assert Resident not in m._agents_by_type
    m.step()
    assert Resident not in m._agents_by_type
    assert len(m.agents) >= 500


def test_graph_matches_adjacency(model):
    g = model.graph
    assert g.number_of_nodes() == model.households.n
    assert 2 * g.number_of_edges() == model.adjacency.nnz
