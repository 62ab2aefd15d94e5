"""The metric registry: its order is fixed (result files follow it), every metric has both
definitions, and the curated lists are derived from tags."""

from __future__ import annotations

import dataclasses

import pytest

import sim
from sim.metrics import METRICS, REGISTRY, TAGS, Metric, tagged

# The column order of every result file; append new metrics at the end.
ORDER = (
    "issues_raised",
    "issues_resolved",
    "issues_escalated",
    "open_issues",
    "resolution_rate",
    "mean_days_to_resolve",
    "escalations_per_1000_households_year",
    "disputes",
    "violations",
    "service_requests",
    "public_topics",
    "mediations",
    "legal_mediations",
    "informal_settlements",
    "enforcements",
    "referrals",
    "referrals_lost",
    "deliberations_held",
    "deliberation_topics_resolved",
    "jury_hearings",
    "jury_settlements",
    "advisor_sittings",
    "rules_strength",
    "council_decisions",
    "follow_up_failures",
    "party_visits",
    "legal_lectures",
    "mean_norm",
    "mean_legal_awareness",
    "mean_trust",
    "mean_engagement",
    "mean_deterrence",
    "satisfaction",
    "security",
    "participation_rate",
    "volunteer_hours_per_volunteer_year",
    "integrity_standing",
    "integrity_deductions",
    "moral_reviewers",
    "credits_redeemed",
    "service_requests_per_household_year",
    "legal_mediations_per_community_year",
    "legal_lectures_per_community_year",
    "grid_worker_utilisation",
    "grid_worker_burnout",
    "staff_cost",
    "issues_faded",
    "mean_days_to_serve",
    "community_staff_utilisation",
    "escalations_largest_quarter",
    "escalations_smallest_quarter",
    "backlog_dispersion",
    "social_credibility",
    "community_staff_cost",
)


def test_registry_order_is_fixed():
    assert tuple(m.name for m in METRICS) == ORDER
    assert list(REGISTRY) == list(ORDER)


def test_every_metric_has_both_definitions_and_labels():
    for m in METRICS:
        assert m.definition and m.definition_zh and m.label_en and m.label_zh, m.name
        assert m.describe("zh") == m.definition_zh and m.describe("en") == m.definition


def test_metrics_are_built_by_keyword():
    fields = [f for f in dataclasses.fields(Metric) if f.init]
    assert all(f.kw_only for f in fields)


def test_tagged_lists_lead_with_the_headlines_then_follow_the_registry_order():
    for tag in TAGS:
        names = tagged(tag)
        assert names, tag
        expected = sorted(names, key=lambda n: (REGISTRY[n].headline, ORDER.index(n)))
        assert list(names) == expected
    assert tagged("key") == sim.KEY_METRICS
    assert sim.tagged is tagged


def test_unknown_tags_fail_loudly():
    with pytest.raises(ValueError, match="unknown metric tag"):
        tagged("kpi")
    with pytest.raises(ValueError, match="unknown tags"):
        dataclasses.replace(METRICS[0], tags=("kpi",))
