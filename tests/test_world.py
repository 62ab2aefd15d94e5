"""The model's interface is named (sim.world) and both models provide it; the layers of
``sim`` import one way."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pytest

from sim import METRICS, GovernanceModel, MetricsView, World
from sim.reference import ReferenceModel
from sim.reference.practices import RulesView as ReferenceRules
from sim.reference.views import (
    CommunityArrays,
    GridTeamArrays,
    HouseholdArrays,
    LegalCount,
    OpenIssues,
    SocialArrays,
)
from sim.world import (
    CommunityView,
    GridTeamsView,
    HouseholdsView,
    IssuesView,
    RulesView,
    SocialView,
)
from tests.conftest import small

SIM = Path(__file__).resolve().parents[1] / "sim"


@pytest.fixture(scope="module")
def engine() -> GovernanceModel:
    model = GovernanceModel(small(households=600), rng=3)
    for _ in range(40):
        model.step()
    return model


@pytest.fixture(scope="module")
def reference() -> ReferenceModel:
    model = ReferenceModel(small(households=300), rng=3)
    for _ in range(40):
        model.step()
    return model


def test_both_models_satisfy_the_metric_protocol(engine, reference):
    assert isinstance(engine, MetricsView)
    assert isinstance(reference, MetricsView)


def test_the_engine_satisfies_the_world_protocol(engine):
    assert isinstance(engine, World)


@pytest.mark.parametrize("metric", METRICS, ids=[m.name for m in METRICS])
def test_every_metric_computes_a_float_on_both_models(engine, reference, metric):
    for model in (engine, reference):
        value = metric.compute(model)
        assert isinstance(value, float), (metric.name, type(value))
        assert math.isfinite(value) or math.isnan(value)


def test_the_reference_views_are_the_named_classes(reference):
    assert isinstance(reference.households, HouseholdArrays)
    assert isinstance(reference.issues, OpenIssues)
    assert isinstance(reference.grid_teams, GridTeamArrays)
    assert isinstance(reference.community, CommunityArrays)
    assert isinstance(reference.legal, LegalCount)
    assert isinstance(reference.social, SocialArrays)
    assert isinstance(reference.rules, ReferenceRules)


@pytest.mark.parametrize(
    ("protocol", "view"),
    [
        (HouseholdsView, "households"),
        (GridTeamsView, "grid_teams"),
        (CommunityView, "community"),
        (SocialView, "social"),
        (IssuesView, "issues"),
        (RulesView, "rules"),
    ],
)
def test_reference_views_provide_every_member_of_their_protocol(reference, protocol, view):
    members = [name for name in vars(protocol) if not name.startswith("_")]
    assert members, protocol
    provided = getattr(reference, view)
    for name in members:
        assert hasattr(provided, name), f"{type(provided).__name__} lacks {name}"


def test_open_issue_views_agree(engine, reference):
    np.testing.assert_array_equal(
        np.sort(engine.issues.open_households()), np.sort(engine.issues.household)
    )
    held = sorted(h.index for h in reference.residents for _ in h.issues)
    assert reference.issues.open_households().tolist() == held
    assert reference.issues.n == reference.n_open


def test_household_views_agree_with_the_agents(reference):
    arrays = reference.households
    assert arrays.n == len(reference.residents)
    np.testing.assert_array_equal(arrays.trust, [h.trust for h in reference.residents])
    np.testing.assert_array_equal(
        arrays.last_participation, [h.last_participation for h in reference.residents]
    )


def test_escalation_listeners_see_every_escalation():
    params = small(
        households=800, behaviour__escalation_propensity=0.9, behaviour__patience_days=5.0
    )
    model = GovernanceModel(params, rng=5)
    seen: list[int] = []
    households: list[np.ndarray] = []

    def listen(rows: np.ndarray) -> None:
        seen.append(rows.size)
        households.append(model.issues.household[rows].copy())

    model.on_escalate.append(listen)
    escalated = 0.0
    for _ in range(60):
        model.step()
        escalated += model.ledger.today("escalated")
    assert escalated > 0
    assert sum(seen) == escalated
    assert all(h.size and h.min() >= 0 and h.max() < model.households.n for h in households)


# --- Layers: the parts of the engine are written against sim.world, never the model.


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (``from .x`` resolved within sim)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(SIM.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def _sim_files(*parts: str) -> list[Path]:
    paths = []
    for part in parts:
        target = SIM / part
        paths += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    return paths


@pytest.mark.parametrize(
    "path",
    _sim_files("mechanisms", "staff", "lifecycle.py", "world.py", "metrics.py"),
    ids=lambda p: str(p.relative_to(SIM)),
)
def test_parts_of_the_day_do_not_import_the_model(path):
    assert not {"sim.model", "sim.model.GovernanceModel"} & _imports(path)


@pytest.mark.parametrize("path", _sim_files("."), ids=lambda p: str(p.relative_to(SIM)))
def test_sim_imports_nothing_from_experiments_or_dashboards(path):
    outside = {
        name for name in _imports(path) if name.split(".")[0] in ("experiments", "dashboards")
    }
    assert not outside, f"{path.relative_to(SIM)} imports {sorted(outside)}"
